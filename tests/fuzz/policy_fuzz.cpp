// libFuzzer entry point for strategy and scenario files (tools/fuzz.sh runs it).
#include <cstdio>

#include "policy_fuzz_body.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string failure = latwin::fuzz::check_policy_readers(data, size);
  if (!failure.empty()) {
    std::fprintf(stderr, "%s\n", failure.c_str());
    __builtin_trap();
  }
  return 0;
}
