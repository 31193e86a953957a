// libFuzzer entry point for the model language parser and printer (tools/fuzz.sh runs it).
#include <cstdio>

#include "fuzz_body.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string failure = latwin::fuzz::check_parser_roundtrip(data, size);
  if (!failure.empty()) {
    std::fprintf(stderr, "%s\n", failure.c_str());
    __builtin_trap();
  }
  return 0;
}
