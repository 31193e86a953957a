// Printing a model and parsing it back gives the same model: parse(print(m)) == m for random
// valid models, and printing is idempotent.
#include <gtest/gtest.h>
#include <rapidcheck.h>
#include <rapidcheck/gtest.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <set>
#include <string>
#include <vector>

#include "engine/lang/parser.hpp"
#include "engine/lang/printer.hpp"

namespace latwin::lang {
namespace {

// The parser's reserved words (parser.cpp): no generated name may be one of them.
const std::set<std::string> kReserved = {
    "dimension", "subset", "const", "param",  "aux",    "stock",   "lookup",    "simulation",
    "of",        "at",     "range", "source", "inflow", "outflow", "truncated", "if",
    "then",      "else",   "and",   "or",     "not",    "table"};

// Every generator below draws with operator* and so runs inside a property.

std::string random_name() {
  static const std::string kFirst = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ_";
  static const std::string kRest = kFirst + "0123456789";
  // Short names from a small alphabet often collide with reserved words and each other,
  // which is what should be exercised; a few keyword-like names are mixed in.
  int style = *rc::gen::inRange(0, 4);
  std::string name;
  if (style == 0) {
    name = *rc::gen::elementOf(std::vector<std::string>{"inf", "normal", "euler", "rk4", "start",
                                                        "method", "data", "x", "COL", "of_", "iff",
                                                        "table1", "_", "Aux", "STOCK", "e", "E1"});
  } else {
    name += *rc::gen::elementOf(kFirst);
    int length = *rc::gen::inRange(0, 8);
    for (int i = 0; i < length; ++i) name += *rc::gen::elementOf(kRest);
  }
  if (kReserved.count(name)) name += "_";
  return name;
}

std::vector<std::string> random_names(int low, int high) {
  int count = *rc::gen::inRange(low, high + 1);
  std::vector<std::string> names;
  for (int i = 0; i < count; ++i) names.push_back(random_name());
  return names;
}

// Text in quotes: anything but a line break, with quotes and backslashes in good measure.
std::string random_text(bool allow_empty = true) {
  static const std::vector<std::string> kPieces = {
      "a", "Z", " ",  "\"", "\\", "\\\\", "\\\"",      "#", "[", "]", "=",
      "(", "é", "\t", "\r", "0",  "1e9",  "aux x = 1", "}", "'", "~"};
  int count = *rc::gen::inRange(allow_empty ? 0 : 1, 6);
  std::string text;
  for (int i = 0; i < count; ++i) text += *rc::gen::elementOf(kPieces);
  return text;
}

// A finite number >= 0, the only literal the parser produces (negatives are unary minus).
double random_nonnegative() {
  switch (*rc::gen::inRange(0, 4)) {
    case 0:
      return *rc::gen::inRange(0, 3000);
    case 1:
      return *rc::gen::inRange(0, 1000) / 64.0;
    case 2:
      return *rc::gen::elementOf(
          std::vector<double>{0.1, 1e-7, 1e21, 5e-324, 2.2250738585072014e-308,
                              1.7976931348623157e308, 0.3, 123456789.125, 1e16});
    default: {
      double x = *rc::gen::arbitrary<double>();
      if (!std::isfinite(x)) x = 0;
      return std::fabs(x);
    }
  }
}

double random_signed() {
  double x = random_nonnegative();
  return *rc::gen::arbitrary<bool>() ? -x : x;
}

// A signed number or an infinity: ranges and simulation settings take "inf".
double random_signed_or_inf() {
  if (*rc::gen::inRange(0, 8) == 0) {
    double inf = std::numeric_limits<double>::infinity();
    return *rc::gen::arbitrary<bool>() ? inf : -inf;
  }
  return random_signed();
}

Expr random_expr(int depth);

Expr leaf() {
  Expr e;
  switch (*rc::gen::inRange(0, 3)) {
    case 0:
      e.kind = ExprKind::kNumber;
      e.number = random_nonnegative();
      break;
    case 1:
      e.kind = ExprKind::kString;
      e.text = random_text();
      break;
    default:
      e.kind = ExprKind::kName;
      e.text = random_name();
      e.indices = random_names(0, 2);
      break;
  }
  return e;
}

Expr random_expr(int depth) {
  if (depth <= 1 || *rc::gen::inRange(0, 4) == 0) return leaf();
  Expr e;
  switch (*rc::gen::inRange(0, 4)) {
    case 0: {
      e.kind = ExprKind::kCall;
      e.text = random_name();
      int args = *rc::gen::inRange(0, 4);
      for (int i = 0; i < args; ++i) e.args.push_back(random_expr(depth - 1));
      break;
    }
    case 1:
      e.kind = ExprKind::kUnary;
      e.unary_op = *rc::gen::element(UnaryOp::kNeg, UnaryOp::kNot);
      e.args.push_back(random_expr(depth - 1));
      break;
    case 2:
      e.kind = ExprKind::kBinary;
      e.binary_op = *rc::gen::element(BinaryOp::kAdd, BinaryOp::kSub, BinaryOp::kMul,
                                      BinaryOp::kDiv, BinaryOp::kPow, BinaryOp::kEq, BinaryOp::kNe,
                                      BinaryOp::kLt, BinaryOp::kLe, BinaryOp::kGt, BinaryOp::kGe,
                                      BinaryOp::kAnd, BinaryOp::kOr);
      e.args.push_back(random_expr(depth - 1));
      e.args.push_back(random_expr(depth - 1));
      break;
    default:
      e.kind = ExprKind::kIf;
      for (int i = 0; i < 3; ++i) e.args.push_back(random_expr(depth - 1));
      break;
  }
  return e;
}

Expr random_value() {
  return random_expr(*rc::gen::inRange(1, 6));
}

std::optional<Unit> random_unit() {
  if (*rc::gen::inRange(0, 3) == 0) return std::nullopt;
  Unit unit;
  int factors = *rc::gen::inRange(0, 4);
  for (int i = 0; i < factors; ++i) {
    std::string base = *rc::gen::arbitrary<bool>()
                           ? random_name()
                           : *rc::gen::elementOf(std::vector<std::string>{
                                 "USD", "person", "year", "%", "$", "m2", "kg_CO2", "$pc"});
    if (base == "dmnl") continue;  // "dmnl" is the dimensionless unit, not a base unit
    int exponent = *rc::gen::element(1, 1, 1, 2, -1, -1, -3, 99, -99);
    unit[base] = exponent;
  }
  return unit;
}

std::vector<std::string> random_targets() {
  int count = *rc::gen::inRange(1, 4);
  std::vector<std::string> targets;
  for (int i = 0; i < count; ++i) {
    std::string target = random_name();
    if (*rc::gen::arbitrary<bool>()) target += "." + random_name();
    targets.push_back(target);
  }
  return targets;
}

Distribution random_distribution() {
  Distribution dist;
  dist.kind = *rc::gen::element(DistKind::kNormal, DistKind::kLognormal, DistKind::kUniform,
                                DistKind::kTriangular, DistKind::kBeta);
  int arity = dist.kind == DistKind::kTriangular ? 3
              : dist.kind == DistKind::kBeta     ? *rc::gen::element(2, 4)
                                                 : 2;
  for (int i = 0; i < arity; ++i) dist.args.push_back(random_expr(*rc::gen::inRange(1, 4)));
  if (*rc::gen::arbitrary<bool>()) {
    dist.truncate_low = random_expr(*rc::gen::inRange(1, 3));
    dist.truncate_high = random_expr(*rc::gen::inRange(1, 3));
  }
  return dist;
}

FlowRef random_flow() {
  FlowRef flow;
  flow.name = random_name();
  // A flow named without '=' is defined elsewhere; only an inline flow has a unit or text.
  if (*rc::gen::inRange(0, 3) > 0) {
    flow.unit = random_unit();
    flow.equation = random_value();
    flow.description = random_text();
  }
  return flow;
}

VarDecl random_variable() {
  VarDecl decl;
  decl.kind = *rc::gen::element(VarKind::kConst, VarKind::kParam, VarKind::kAux, VarKind::kStock,
                                VarKind::kLookup);
  decl.name = random_name();
  decl.unit = random_unit();
  decl.description = random_text();
  decl.source = random_text();
  if (decl.kind == VarKind::kLookup) {
    int count = *rc::gen::inRange(1, 6);
    double x = random_signed();
    for (int i = 0; i < count; ++i) {
      decl.points.emplace_back(x, random_signed());
      double next = x + 1 + std::fabs(x) * 0.5;  // strictly increasing and finite
      if (!std::isfinite(next) || !(next > x)) break;
      x = next;
    }
    return decl;
  }
  decl.dims = random_names(0, 2);
  if (decl.kind == VarKind::kParam) {
    int shape = *rc::gen::inRange(0, 3);  // value, distribution, or both
    if (shape != 1) decl.value = random_value();
    if (shape != 0) decl.distribution = random_distribution();
  } else {
    decl.value = random_value();
  }
  if (!decl.dims.empty()) {
    int count = *rc::gen::inRange(0, 3);
    for (int i = 0; i < count; ++i) {
      ElementOverride over;
      over.targets = random_targets();
      over.value = random_value();
      decl.overrides.push_back(std::move(over));
    }
  }
  if ((decl.kind == VarKind::kAux || decl.kind == VarKind::kStock) && *rc::gen::arbitrary<bool>()) {
    double a = random_signed_or_inf(), b = random_signed_or_inf();
    decl.range_low = std::min(a, b);
    decl.range_high = std::max(a, b);
  }
  if (decl.kind == VarKind::kStock) {
    int inflows = *rc::gen::inRange(0, 3), outflows = *rc::gen::inRange(0, 3);
    for (int i = 0; i < inflows; ++i) decl.inflows.push_back(random_flow());
    for (int i = 0; i < outflows; ++i) decl.outflows.push_back(random_flow());
  }
  return decl;
}

DimensionDecl random_dimension() {
  DimensionDecl decl;
  decl.name = random_name();
  if (*rc::gen::arbitrary<bool>()) decl.parent = random_name();
  if (*rc::gen::inRange(0, 3) == 0) {
    decl.table = random_text(/*allow_empty=*/false);
    if (*rc::gen::arbitrary<bool>()) {
      decl.filter_column = random_name();
      decl.filter_value = random_text();
    }
  } else {
    decl.elements = random_names(0, 5);
  }
  decl.description = random_text();
  return decl;
}

SimulationDecl random_simulation() {
  SimulationDecl decl;
  auto maybe = [] { return *rc::gen::inRange(0, 3) > 0; };
  if (maybe()) decl.start = random_signed_or_inf();
  if (maybe()) decl.stop = random_signed_or_inf();
  if (maybe()) decl.dt = random_signed_or_inf();
  if (maybe()) decl.save_every = random_signed_or_inf();
  if (maybe()) decl.method = *rc::gen::element(Method::kEuler, Method::kRk4);
  return decl;
}

Model random_model() {
  Model model;
  int sims = *rc::gen::inRange(0, 3), dims = *rc::gen::inRange(0, 5),
      vars = *rc::gen::inRange(0, 8);
  for (int i = 0; i < sims; ++i) model.simulations.push_back(random_simulation());
  for (int i = 0; i < dims; ++i) model.dimensions.push_back(random_dimension());
  for (int i = 0; i < vars; ++i) model.variables.push_back(random_variable());
  return model;
}

struct Reparsed {
  Model model;
  std::string errors;
};

Reparsed reparse(const std::string& text) {
  SourceSet sources;
  sources.add_text("printed.lw", text);
  Diagnostics diags;
  Reparsed out;
  out.model = parse_model(sources, diags);
  out.errors = diags.format(sources);
  return out;
}

RC_GTEST_PROP(Roundtrip, ParseOfPrintIsTheModel, ()) {
  Model model = random_model();
  std::string text = print_model(model);
  RC_LOG() << text;
  Reparsed back = reparse(text);
  RC_ASSERT(back.errors == "");
  RC_ASSERT(back.model == model);
}

RC_GTEST_PROP(Roundtrip, PrintingIsIdempotent, ()) {
  Model model = random_model();
  std::string text = print_model(model);
  RC_LOG() << text;
  Reparsed back = reparse(text);
  RC_ASSERT(back.errors == "");
  RC_ASSERT(print_model(back.model) == text);
}

RC_GTEST_PROP(Roundtrip, ExpressionsPrintBack, ()) {
  Expr e = random_expr(*rc::gen::inRange(1, 9));
  std::string text = print_expr(e);
  RC_LOG() << text;
  Reparsed back = reparse("aux x = " + text + "\n");
  RC_ASSERT(back.errors == "");
  RC_ASSERT(back.model.variables.size() == 1u);
  RC_ASSERT(back.model.variables[0].value == std::optional<Expr>(e));
  RC_ASSERT(print_expr(*back.model.variables[0].value) == text);
}

RC_GTEST_PROP(Roundtrip, UnitsPrintBack, ()) {
  auto unit = random_unit();
  if (!unit) return;
  std::string text = print_unit(*unit);
  RC_LOG() << text;
  RC_ASSERT(parse_unit(text) == unit);
}

// Text that parses prints to text that parses to the same model, even when it was written
// with redundant parentheses and odd spacing.
TEST(Roundtrip, HandWrittenModel) {
  const std::string text =
      "# a comment\n"
      "simulation   start=2024 stop =2040\n"
      "dimension country={ARG,COL}\n"
      "aux x[country]   [USD / person] = ((a + (b)) * (-(c)) ^ 2) "
      "at COL = if (x > 1) then (1) else ((2)) range [ -1 , 1e3 ] \"say \\\"x\\\"\"\n";
  Reparsed first = reparse(text);
  ASSERT_EQ(first.errors, "");
  std::string printed = print_model(first.model);
  EXPECT_EQ(printed,
            "simulation start = 2024 stop = 2040\n"
            "dimension country = {ARG, COL}\n"
            "aux x[country] [USD/person] = (a + b) * (-c)^2 range [-1, 1000] \"say \\\"x\\\"\"\n"
            "  at COL = if x > 1 then 1 else 2\n");
  Reparsed second = reparse(printed);
  ASSERT_EQ(second.errors, "");
  EXPECT_EQ(second.model, first.model);
}

}  // namespace
}  // namespace latwin::lang
