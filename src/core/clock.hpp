#pragma once
// When something was made, as every record and document writes it.
#include <string>

namespace latwin {

// Now, in UTC, as ISO 8601 to the second: 2026-11-29T12:00:00Z.
std::string utc_now();

}  // namespace latwin
