#pragma once
// SHA-256 of bytes, as 64 lowercase hex digits (OpenSSL's libcrypto): how runs name the exact
// files they were made from.
#include <string>
#include <string_view>

namespace latwin {

std::string sha256_hex(std::string_view bytes);

}  // namespace latwin
