#pragma once
// Unit algebra for the compiler's unit check.
#include <string>

#include "engine/lang/ast.hpp"

namespace latwin::engine {

// A unit as the checker sees it. A free unit (a bare number) takes whatever unit it meets in
// a sum or a comparison; an unknown unit (data series, scenario inputs) is never reported.
struct UnitValue {
  lang::Unit unit;
  bool free = false;
  bool unknown = false;

  static UnitValue of(lang::Unit unit) { return {std::move(unit), false, false}; }
  static UnitValue make_free() { return {{}, true, false}; }
  static UnitValue make_unknown() { return {{}, false, true}; }
  static UnitValue dimensionless() { return {{}, false, false}; }
  bool checkable() const { return !free && !unknown; }
};

// Exponents are clamped here so hostile nesting cannot overflow them.
inline constexpr int kMaxUnitExponent = 1 << 20;

lang::Unit multiply(const lang::Unit& a, const lang::Unit& b, int sign_b = 1);
lang::Unit power(const lang::Unit& a, int exponent);
// "person/year", or "1" for dimensionless.
std::string unit_text(const lang::Unit& unit);

}  // namespace latwin::engine
