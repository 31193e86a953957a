#include "engine/compile/units.hpp"

#include "engine/lang/printer.hpp"

namespace latwin::engine {

lang::Unit multiply(const lang::Unit& a, const lang::Unit& b, int sign_b) {
  lang::Unit out = a;
  for (const auto& [base, exponent] : b) {
    int& slot = out[base];
    slot += sign_b * exponent;
    if (slot == 0) out.erase(base);
  }
  return out;
}

lang::Unit power(const lang::Unit& a, int exponent) {
  lang::Unit out;
  if (exponent == 0) return out;
  for (const auto& [base, e] : a) out[base] = e * exponent;
  return out;
}

std::string unit_text(const lang::Unit& unit) { return lang::print_unit(unit); }

}  // namespace latwin::engine
