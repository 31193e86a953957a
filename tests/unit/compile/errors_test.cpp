// Every class of compile error, with its exact message: what an analyst reads.
#include <gtest/gtest.h>

#include "support/run_helpers.hpp"

namespace latwin {
namespace {

std::string errors_of(const std::string& text) {
  auto result = engine::compile_text(text, nullptr, "m.lw");
  EXPECT_FALSE(result.ok());
  return result.messages();
}

TEST(CompileErrors, UnknownVariableSuggestsTheClosestName) {
  EXPECT_EQ(errors_of("stock crime [1] = 0.2\n  inflow growth [1/year] = crme * 0.1\n"),
            "m.lw:2:28: error: unknown variable 'crme' (did you mean 'crime'?)\n"
            "    2 |   inflow growth [1/year] = crme * 0.1\n"
            "      |                            ^\n");
}

TEST(CompileErrors, UnknownDimensionSuggestsTheClosestName) {
  EXPECT_EQ(errors_of("dimension country = {COL, VEN}\naux x[contry] [1] = 1\n"),
            "m.lw:2:1: error: unknown dimension 'contry' (did you mean 'country'?)\n"
            "    2 | aux x[contry] [1] = 1\n"
            "      | ^\n");
}

TEST(CompileErrors, AddingDifferentUnitsIsReported) {
  EXPECT_EQ(errors_of("param a [person] = 1\nparam b [year] = 2\naux c = a + b\n"),
            "m.lw:3:11: error: cannot add [person] and [year]: the units differ\n"
            "    3 | aux c = a + b\n"
            "      |           ^\n");
}

TEST(CompileErrors, FlowMustBeInStockUnitPerYear) {
  EXPECT_EQ(errors_of("stock s [person] = 1\n  inflow f [person] = 2\n"),
            "m.lw:2:10: error: flow 'f' of stock 's' must be in [person/year], but is in "
            "[person]\n"
            "    2 |   inflow f [person] = 2\n"
            "      |          ^\n");
}

TEST(CompileErrors, DeclaredUnitMustMatchTheEquation) {
  EXPECT_EQ(errors_of("param a [person] = 3\naux b [year] = a * 2\n"),
            "m.lw:2:16: error: the value of 'b' must be in [year], but is in [person]\n"
            "    2 | aux b [year] = a * 2\n"
            "      |                ^\n");
}

TEST(CompileErrors, AlgebraicLoopNamesEveryVariableInIt) {
  EXPECT_EQ(errors_of("aux a [1] = b + 1\naux b [1] = c * 2\naux c [1] = a\n"),
            "m.lw:1:1: error: algebraic loop: c -> b -> a -> c; break it with a stock, smooth() "
            "or a delay\n"
            "    1 | aux a [1] = b + 1\n"
            "      | ^\n");
}

TEST(CompileErrors, LoopAmongInitialValuesIsReported) {
  std::string messages = errors_of(
      "stock s [person] = t\n  inflow f [person/year] = 0\naux t [person] = s * 2\n");
  EXPECT_NE(messages.find("initial values form a loop: "), std::string::npos) << messages;
  EXPECT_NE(messages.find("t -> s -> t"), std::string::npos) << messages;
}

TEST(CompileErrors, ParameterNeedsAUnit) {
  EXPECT_EQ(errors_of("param p = 1\n"),
            "m.lw:1:1: error: parameter 'p' needs a unit in brackets, e.g. [1/year]; write [1] "
            "for a pure number\n"
            "    1 | param p = 1\n"
            "      | ^\n");
}

TEST(CompileErrors, ArrayUsedInScalarEquationExplainsTheFixes) {
  EXPECT_EQ(errors_of("dimension country = {COL, VEN}\nparam x[country] [1] = 1\naux y [1] = x * "
                      "2\n"),
            "m.lw:3:13: error: 'x' is over 'country', but this equation is not; write sum(x), "
            "x[COL] or give the equation the dimension 'country'\n"
            "    3 | aux y [1] = x * 2\n"
            "      |             ^\n");
}

TEST(CompileErrors, UnknownFunction) {
  EXPECT_EQ(errors_of("aux y [1] = expp(2)\n"),
            "m.lw:1:13: error: unknown function 'expp' (did you mean 'exp'?)\n"
            "    1 | aux y [1] = expp(2)\n"
            "      |             ^\n");
}

TEST(CompileErrors, ConstMustFold) {
  EXPECT_EQ(errors_of("param p [1] = 1\nconst c = p * 2\n"),
            "m.lw:2:11: error: const 'c' must be computable from numbers and other consts (use "
            "param for values that may vary)\n"
            "    2 | const c = p * 2\n"
            "      |           ^\n");
}

TEST(CompileErrors, DataNeedsADataFolder) {
  EXPECT_EQ(errors_of("aux y [1] = data(\"gdp\", start)\n"),
            "m.lw:1:13: error: data(\"gdp\", ...) needs a data folder (use --data DIR)\n"
            "    1 | aux y [1] = data(\"gdp\", start)\n"
            "      |             ^\n");
}

TEST(CompileErrors, StatefulFunctionOnlyInAuxOrFlow) {
  EXPECT_EQ(errors_of("param p [1] = smooth(1, 2)\n"),
            "m.lw:1:15: error: smooth() keeps a memory over time and can only be used in the "
            "equation of an aux or a flow\n"
            "    1 | param p [1] = smooth(1, 2)\n"
            "      |               ^\n");
}

TEST(CompileErrors, DuplicateDeclaration) {
  EXPECT_EQ(errors_of("aux a [1] = 1\naux a [1] = 2\n"),
            "m.lw:2:1: error: 'a' is declared twice (first at line 1)\n"
            "    2 | aux a [1] = 2\n"
            "      | ^\n");
}

TEST(CompileErrors, ElementThatDoesNotExist) {
  EXPECT_EQ(errors_of("dimension country = {COL, VEN}\nparam x[country] [1] = 1\naux y [1] = "
                      "x[COK]\n"),
            "m.lw:3:13: error: 'COK' is not an element of 'country' (did you mean 'COL'?)\n"
            "    3 | aux y [1] = x[COK]\n"
            "      |             ^\n");
}

TEST(CompileErrors, FixedDelayNeedsAConstantTime) {
  EXPECT_EQ(errors_of("param d [year] = 2\naux x [1] = 1\naux y [1] = delay_fixed(x, d)\n"),
            "m.lw:3:28: error: the time of delay_fixed() must be a positive constant (a number "
            "or a const)\n"
            "    3 | aux y [1] = delay_fixed(x, d)\n"
            "      |                            ^\n");
}

TEST(CompileErrors, EveryErrorOfAFileIsReported) {
  auto result = engine::compile_text(
      "aux a [1] = b1\naux c [1] = d1\nparam p = 2\n", nullptr, "m.lw");
  EXPECT_FALSE(result.ok());
  EXPECT_EQ(result.diagnostics.error_count(), 3u) << result.messages();
}

TEST(CompileErrors, InequalityOfUnitsInComparison) {
  std::string messages = errors_of("param a [person] = 1\nparam b [year] = 1\naux c [1] = if a > b "
                                   "then 1 else 0\n");
  EXPECT_NE(messages.find("cannot compare [person] and [year]"), std::string::npos) << messages;
}

}  // namespace
}  // namespace latwin
