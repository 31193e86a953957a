// libFuzzer entry point for the compiler and the evaluator (tools/fuzz.sh runs it).
#include <cstdio>

#include "fuzz_body.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string failure = latwin::fuzz::check_compile_and_run(data, size);
  if (!failure.empty()) {
    std::fprintf(stderr, "%s\n", failure.c_str());
    __builtin_trap();
  }
  return 0;
}
