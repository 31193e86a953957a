#pragma once
// Reads the series a run gives a model's scenario() and allocation() calls from one tidy CSV
// file: kind,name,element,year,value (kind "scenario" or "allocation"; an empty element
// applies to every element). A stop-gap until strategies and scenarios have their own files.
#include <string>

#include "engine/inputs.hpp"

namespace latwin::data {

// Throws latwin::InputError "PATH:LINE: ..." on a malformed file.
engine::RunInputs load_run_inputs(const std::string& path);

}  // namespace latwin::data
