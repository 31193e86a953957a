#include "engine/compile/units.hpp"

#include <algorithm>

#include "engine/lang/printer.hpp"

namespace latwin::engine {

lang::Unit multiply(const lang::Unit& a, const lang::Unit& b, int sign_b) {
  lang::Unit out = a;
  for (const auto& [base, exponent] : b) {
    int& slot = out[base];
    long long sum = static_cast<long long>(slot) + static_cast<long long>(sign_b) * exponent;
    slot = static_cast<int>(std::clamp<long long>(sum, -kMaxUnitExponent, kMaxUnitExponent));
    if (slot == 0) out.erase(base);
  }
  return out;
}

lang::Unit power(const lang::Unit& a, int exponent) {
  lang::Unit out;
  if (exponent == 0) return out;
  for (const auto& [base, e] : a) {
    // Nested powers could overflow an int; no real unit comes near this bound.
    long long product = static_cast<long long>(e) * exponent;
    out[base] = static_cast<int>(std::clamp<long long>(product, -kMaxUnitExponent, kMaxUnitExponent));
  }
  return out;
}

std::string unit_text(const lang::Unit& unit) { return lang::print_unit(unit); }

}  // namespace latwin::engine
