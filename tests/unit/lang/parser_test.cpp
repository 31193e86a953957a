// The model language parser: each construct into the expected syntax tree, and every error
// message exactly as an analyst sees it.
#include "engine/lang/parser.hpp"

#include <gtest/gtest.h>

#include <limits>
#include <string>
#include <vector>

#include "engine/lang/printer.hpp"

namespace latwin::lang {
namespace {

// ---- building expected trees ----

Expr num(double value) {
  Expr e;
  e.kind = ExprKind::kNumber;
  e.number = value;
  return e;
}

Expr str(std::string text) {
  Expr e;
  e.kind = ExprKind::kString;
  e.text = std::move(text);
  return e;
}

Expr var(std::string name, std::vector<std::string> indices = {}) {
  Expr e;
  e.kind = ExprKind::kName;
  e.text = std::move(name);
  e.indices = std::move(indices);
  return e;
}

Expr call(std::string name, std::vector<Expr> args) {
  Expr e;
  e.kind = ExprKind::kCall;
  e.text = std::move(name);
  e.args = std::move(args);
  return e;
}

Expr bin(BinaryOp op, Expr lhs, Expr rhs) {
  Expr e;
  e.kind = ExprKind::kBinary;
  e.binary_op = op;
  e.args = {std::move(lhs), std::move(rhs)};
  return e;
}

Expr un(UnaryOp op, Expr operand) {
  Expr e;
  e.kind = ExprKind::kUnary;
  e.unary_op = op;
  e.args = {std::move(operand)};
  return e;
}

Expr cond(Expr c, Expr then_value, Expr else_value) {
  Expr e;
  e.kind = ExprKind::kIf;
  e.args = {std::move(c), std::move(then_value), std::move(else_value)};
  return e;
}

// ---- parsing helpers ----

struct Parsed {
  Model model;
  std::string errors;  // Diagnostics::format of everything reported
  bool ok = false;
};

Parsed parse(const std::string& text) {
  SourceSet sources;
  sources.add_text("m.lw", text);
  Diagnostics diags;
  Parsed out;
  out.model = parse_model(sources, diags);
  out.errors = diags.format(sources);
  out.ok = !diags.has_errors();
  return out;
}

// The formatted errors of a text that must not parse.
std::string errors(const std::string& text) {
  Parsed p = parse(text);
  EXPECT_FALSE(p.ok) << text;
  return p.errors;
}

// The value expression of a one-aux model "aux x = <expr>".
Expr expr(const std::string& text) {
  Parsed p = parse("aux x = " + text + "\n");
  EXPECT_TRUE(p.ok) << p.errors;
  if (p.model.variables.size() != 1 || !p.model.variables[0].value) return num(-1);
  return *p.model.variables[0].value;
}

VarDecl one_variable(const std::string& text) {
  Parsed p = parse(text);
  EXPECT_TRUE(p.ok) << p.errors;
  EXPECT_EQ(p.model.variables.size(), 1u);
  return p.model.variables.empty() ? VarDecl{} : p.model.variables[0];
}

// ---- declarations ----

TEST(Parser, EmptyFileAndCommentsOnly) {
  Parsed p = parse("# nothing here\n\n   # still nothing\n");
  EXPECT_TRUE(p.ok);
  EXPECT_EQ(p.model, Model{});
  EXPECT_TRUE(parse("").ok);
}

TEST(Parser, DimensionWithElementsAndDescription) {
  Parsed p = parse("dimension country = {ARG, BRA, COL} \"Countries of the panel\"\n");
  ASSERT_TRUE(p.ok) << p.errors;
  ASSERT_EQ(p.model.dimensions.size(), 1u);
  const DimensionDecl& d = p.model.dimensions[0];
  EXPECT_EQ(d.name, "country");
  EXPECT_EQ(d.parent, "");
  EXPECT_EQ(d.elements, (std::vector<std::string>{"ARG", "BRA", "COL"}));
  EXPECT_EQ(d.table, "");
  EXPECT_EQ(d.description, "Countries of the panel");
  EXPECT_EQ(d.loc.line, 1u);
  EXPECT_EQ(d.loc.col, 1u);
}

TEST(Parser, EmptyDimension) {
  Parsed p = parse("dimension none = {}\n");
  ASSERT_TRUE(p.ok) << p.errors;
  EXPECT_TRUE(p.model.dimensions.at(0).elements.empty());
}

TEST(Parser, DimensionFromTable) {
  Parsed p = parse(
      "dimension country = table(\"countries\")\n"
      "subset andean of country = table(\"countries\", subregion = \"Andean\")\n");
  ASSERT_TRUE(p.ok) << p.errors;
  ASSERT_EQ(p.model.dimensions.size(), 2u);
  EXPECT_EQ(p.model.dimensions[0].table, "countries");
  EXPECT_EQ(p.model.dimensions[0].filter_column, "");
  EXPECT_EQ(p.model.dimensions[1].name, "andean");
  EXPECT_EQ(p.model.dimensions[1].parent, "country");
  EXPECT_EQ(p.model.dimensions[1].table, "countries");
  EXPECT_EQ(p.model.dimensions[1].filter_column, "subregion");
  EXPECT_EQ(p.model.dimensions[1].filter_value, "Andean");
}

TEST(Parser, Subset) {
  Parsed p = parse("dimension country = {COL, ECU, VEN}\nsubset andean of country = {COL, ECU}\n");
  ASSERT_TRUE(p.ok) << p.errors;
  const DimensionDecl& s = p.model.dimensions.at(1);
  EXPECT_EQ(s.name, "andean");
  EXPECT_EQ(s.parent, "country");
  EXPECT_EQ(s.elements, (std::vector<std::string>{"COL", "ECU"}));
  EXPECT_EQ(s.loc.line, 2u);
}

TEST(Parser, ConstWithUnitDescriptionAndSource) {
  VarDecl v =
      one_variable("const growth [1/year] = 0.02 \"Yearly growth\" source \"World Bank\"\n");
  EXPECT_EQ(v.kind, VarKind::kConst);
  EXPECT_EQ(v.name, "growth");
  EXPECT_TRUE(v.dims.empty());
  EXPECT_EQ(v.unit, (Unit{{"year", -1}}));
  EXPECT_EQ(v.value, num(0.02));
  EXPECT_EQ(v.description, "Yearly growth");
  EXPECT_EQ(v.source, "World Bank");
}

TEST(Parser, ClausesInAnyOrder) {
  VarDecl v = one_variable("aux x = 1 source \"S\" range [0, 2] \"D\"\n");
  EXPECT_EQ(v.source, "S");
  EXPECT_EQ(v.description, "D");
  EXPECT_EQ(v.range_low, 0.0);
  EXPECT_EQ(v.range_high, 2.0);
}

TEST(Parser, DimensionsAreGluedUnitsAreSpaced) {
  VarDecl v = one_variable("stock crime[country] [1] = 0.2\n");
  EXPECT_EQ(v.kind, VarKind::kStock);
  EXPECT_EQ(v.dims, (std::vector<std::string>{"country"}));
  EXPECT_EQ(v.unit, Unit{});
  EXPECT_EQ(v.value, num(0.2));

  VarDecl two = one_variable("aux w[country, sector] = 1\n");
  EXPECT_EQ(two.dims, (std::vector<std::string>{"country", "sector"}));
  EXPECT_FALSE(two.unit.has_value());

  VarDecl unit_only = one_variable("aux money [USD] = 1\n");
  EXPECT_TRUE(unit_only.dims.empty());
  EXPECT_EQ(unit_only.unit, (Unit{{"USD", 1}}));
}

TEST(Parser, ParamWithValueAndDistribution) {
  VarDecl v = one_variable("param beta [1/year] = 0.5 ~ normal(0.5, 0.1) truncated [0, 1]\n");
  EXPECT_EQ(v.kind, VarKind::kParam);
  EXPECT_EQ(v.value, num(0.5));
  ASSERT_TRUE(v.distribution.has_value());
  EXPECT_EQ(v.distribution->kind, DistKind::kNormal);
  EXPECT_EQ(v.distribution->args, (std::vector<Expr>{num(0.5), num(0.1)}));
  EXPECT_EQ(v.distribution->truncate_low, num(0));
  EXPECT_EQ(v.distribution->truncate_high, num(1));
}

TEST(Parser, ParamWithOnlyADistribution) {
  VarDecl v = one_variable("param p ~ triangular(0, 0.5, 1)\n");
  EXPECT_FALSE(v.value.has_value());
  ASSERT_TRUE(v.distribution.has_value());
  EXPECT_EQ(v.distribution->kind, DistKind::kTriangular);
  EXPECT_EQ(v.distribution->args.size(), 3u);
  EXPECT_FALSE(v.distribution->truncate_low.has_value());
}

TEST(Parser, EveryDistribution) {
  struct Case {
    const char* text;
    DistKind kind;
    std::size_t args;
  };
  for (const Case& c :
       {Case{"normal(0, 1)", DistKind::kNormal, 2},
        Case{"lognormal(0, 1)", DistKind::kLognormal, 2},
        Case{"uniform(0, 1)", DistKind::kUniform, 2},
        Case{"triangular(0, 1, 2)", DistKind::kTriangular, 3},
        Case{"beta(2, 3)", DistKind::kBeta, 2}, Case{"beta(2, 3, 10, 20)", DistKind::kBeta, 4}}) {
    VarDecl v = one_variable(std::string("param p ~ ") + c.text + "\n");
    ASSERT_TRUE(v.distribution.has_value()) << c.text;
    EXPECT_EQ(v.distribution->kind, c.kind) << c.text;
    EXPECT_EQ(v.distribution->args.size(), c.args) << c.text;
  }
}

TEST(Parser, DistributionArgumentsAreExpressions) {
  VarDecl v = one_variable("param p ~ normal(base * 2, -sd) truncated [0, limit]\n");
  EXPECT_EQ(v.distribution->args[0], bin(BinaryOp::kMul, var("base"), num(2)));
  EXPECT_EQ(v.distribution->args[1], un(UnaryOp::kNeg, var("sd")));
  EXPECT_EQ(v.distribution->truncate_high, var("limit"));
}

TEST(Parser, ElementOverrides) {
  VarDecl v = one_variable(
      "param p[country, sector] = 0.3\n"
      "  at COL, andean = 0.4\n"
      "  at VEN.security = 2 * base\n");
  ASSERT_EQ(v.overrides.size(), 2u);
  EXPECT_EQ(v.overrides[0].targets, (std::vector<std::string>{"COL", "andean"}));
  EXPECT_EQ(v.overrides[0].value, num(0.4));
  EXPECT_EQ(v.overrides[0].loc.line, 2u);
  EXPECT_EQ(v.overrides[0].loc.col, 3u);
  EXPECT_EQ(v.overrides[1].targets, (std::vector<std::string>{"VEN.security"}));
  EXPECT_EQ(v.overrides[1].value, bin(BinaryOp::kMul, num(2), var("base")));
}

TEST(Parser, RangeTakesSignedNumbersAndInfinity) {
  VarDecl v = one_variable("aux x = 1 range [-inf, 2.5]\n");
  EXPECT_EQ(v.range_low, -std::numeric_limits<double>::infinity());
  EXPECT_EQ(v.range_high, 2.5);
  VarDecl s = one_variable("stock s = 1 range [-3, inf]\n");
  EXPECT_EQ(s.range_low, -3.0);
  EXPECT_EQ(s.range_high, std::numeric_limits<double>::infinity());
}

TEST(Parser, StockWithFlows) {
  VarDecl v = one_variable(
      "stock population[country] [person] = 1000 \"People\"\n"
      "  inflow births [person/year] = birth_rate * population \"Born\"\n"
      "  inflow migration\n"
      "  outflow deaths = population / life_expectancy\n");
  EXPECT_EQ(v.description, "People");
  ASSERT_EQ(v.inflows.size(), 2u);
  EXPECT_EQ(v.inflows[0].name, "births");
  EXPECT_EQ(v.inflows[0].unit, (Unit{{"person", 1}, {"year", -1}}));
  EXPECT_EQ(v.inflows[0].equation, bin(BinaryOp::kMul, var("birth_rate"), var("population")));
  EXPECT_EQ(v.inflows[0].description, "Born");
  EXPECT_EQ(v.inflows[0].loc.line, 2u);
  EXPECT_EQ(v.inflows[0].loc.col, 10u);
  EXPECT_EQ(v.inflows[1].name, "migration");
  EXPECT_FALSE(v.inflows[1].equation.has_value());
  EXPECT_FALSE(v.inflows[1].unit.has_value());
  ASSERT_EQ(v.outflows.size(), 1u);
  EXPECT_EQ(v.outflows[0].name, "deaths");
  EXPECT_EQ(v.outflows[0].equation, bin(BinaryOp::kDiv, var("population"), var("life_expectancy")));
}

TEST(Parser, Lookup) {
  VarDecl v = one_variable("lookup effect [1] = (0, 1), (0.5, -2), (1e3, 3) \"Effect\"\n");
  EXPECT_EQ(v.kind, VarKind::kLookup);
  EXPECT_EQ(v.unit, Unit{});
  EXPECT_EQ(v.points, (std::vector<std::pair<double, double>>{{0, 1}, {0.5, -2}, {1000, 3}}));
  EXPECT_EQ(v.description, "Effect");
  EXPECT_FALSE(v.value.has_value());
  VarDecl single = one_variable("lookup f = (-1, 2)\n");
  EXPECT_EQ(single.points, (std::vector<std::pair<double, double>>{{-1, 2}}));
}

TEST(Parser, Simulation) {
  Parsed p = parse(
      "simulation start = 2024 stop = 2040 dt = 0.25 method = rk4 save_every = 1\n"
      "simulation method = euler start = -5\n"
      "simulation\n");
  ASSERT_TRUE(p.ok) << p.errors;
  ASSERT_EQ(p.model.simulations.size(), 3u);
  const SimulationDecl& s = p.model.simulations[0];
  EXPECT_EQ(s.start, 2024.0);
  EXPECT_EQ(s.stop, 2040.0);
  EXPECT_EQ(s.dt, 0.25);
  EXPECT_EQ(s.method, Method::kRk4);
  EXPECT_EQ(s.save_every, 1.0);
  EXPECT_EQ(p.model.simulations[1].method, Method::kEuler);
  EXPECT_EQ(p.model.simulations[1].start, -5.0);
  EXPECT_FALSE(p.model.simulations[1].stop.has_value());
  EXPECT_EQ(p.model.simulations[2], SimulationDecl{});
}

TEST(Parser, SeveralDeclarationsOnOneLine) {
  Parsed p = parse("const a = 1 const b = 2 aux c = a + b");
  ASSERT_TRUE(p.ok) << p.errors;
  ASSERT_EQ(p.model.variables.size(), 3u);
  EXPECT_EQ(p.model.variables[2].value, bin(BinaryOp::kAdd, var("a"), var("b")));
}

TEST(Parser, ExpressionsSpanLines) {
  VarDecl v = one_variable("aux x = a +\n    b # comment\n    * c\n");
  EXPECT_EQ(v.value, bin(BinaryOp::kAdd, var("a"), bin(BinaryOp::kMul, var("b"), var("c"))));
}

TEST(Parser, EscapesInText) {
  VarDecl v = one_variable(R"(aux x = 1 "say \"hi\" \\ back\slash")"
                           "\n");
  EXPECT_EQ(v.description, R"(say "hi" \ back\slash)");
}

TEST(Parser, ByteOrderMarkIsSkipped) {
  Parsed p = parse(
      "\xEF\xBB\xBF"
      "const a = 1\n");
  ASSERT_TRUE(p.ok) << p.errors;
  EXPECT_EQ(p.model.variables.at(0).loc.col, 1u);
}

TEST(Parser, WindowsLineEndings) {
  Parsed p = parse("const a = 1\r\nconst b = 2 \"two\"\r\n");
  ASSERT_TRUE(p.ok) << p.errors;
  EXPECT_EQ(p.model.variables.at(1).description, "two");
}

TEST(Parser, SeveralFilesAppendInOrder) {
  SourceSet sources;
  sources.add_text("a.lw", "dimension d = {x}\nconst a = 1\n");
  sources.add_text("b.lw", "\n  const b = 2\n");
  Diagnostics diags;
  Model m = parse_model(sources, diags);
  EXPECT_FALSE(diags.has_errors());
  ASSERT_EQ(m.variables.size(), 2u);
  EXPECT_EQ(m.variables[0].name, "a");
  EXPECT_EQ(m.variables[0].loc.file, 0u);
  EXPECT_EQ(m.variables[1].name, "b");
  EXPECT_EQ(m.variables[1].loc.file, 1u);
  EXPECT_EQ(m.variables[1].loc.line, 2u);
  EXPECT_EQ(m.variables[1].loc.col, 3u);
}

// ---- expressions ----

TEST(Parser, Numbers) {
  EXPECT_EQ(expr("42"), num(42));
  EXPECT_EQ(expr(".5"), num(0.5));
  EXPECT_EQ(expr("1."), num(1));
  EXPECT_EQ(expr("2.5E-3"), num(0.0025));
  EXPECT_EQ(expr("1e+3"), num(1000));
  EXPECT_EQ(expr("5e-324"), num(5e-324));  // the smallest subnormal still reads
  EXPECT_EQ(expr("-3"), un(UnaryOp::kNeg, num(3)));
}

TEST(Parser, NamesIndicesAndCalls) {
  EXPECT_EQ(expr("x"), var("x"));
  EXPECT_EQ(expr("w[COL]"), var("w", {"COL"}));
  EXPECT_EQ(expr("w[country, VEN]"), var("w", {"country", "VEN"}));
  EXPECT_EQ(expr("now()"), call("now", {}));
  EXPECT_EQ(expr("data(\"gdp\", year)"), call("data", {str("gdp"), var("year")}));
  EXPECT_EQ(expr("max(a, b + 1)"), call("max", {var("a"), bin(BinaryOp::kAdd, var("b"), num(1))}));
  // Words that only mean something elsewhere are ordinary names.
  EXPECT_EQ(expr("normal + inf + euler"),
            bin(BinaryOp::kAdd, bin(BinaryOp::kAdd, var("normal"), var("inf")), var("euler")));
}

TEST(Parser, Precedence) {
  EXPECT_EQ(expr("a + b * c"),
            bin(BinaryOp::kAdd, var("a"), bin(BinaryOp::kMul, var("b"), var("c"))));
  EXPECT_EQ(expr("a - b - c"),
            bin(BinaryOp::kSub, bin(BinaryOp::kSub, var("a"), var("b")), var("c")));
  EXPECT_EQ(expr("a / b * c"),
            bin(BinaryOp::kMul, bin(BinaryOp::kDiv, var("a"), var("b")), var("c")));
  EXPECT_EQ(expr("(a + b) * c"),
            bin(BinaryOp::kMul, bin(BinaryOp::kAdd, var("a"), var("b")), var("c")));
  // '^' groups to the right and binds tighter than a prefix minus.
  EXPECT_EQ(expr("a ^ b ^ c"),
            bin(BinaryOp::kPow, var("a"), bin(BinaryOp::kPow, var("b"), var("c"))));
  EXPECT_EQ(expr("-2^2"), un(UnaryOp::kNeg, bin(BinaryOp::kPow, num(2), num(2))));
  EXPECT_EQ(expr("2^-x"), bin(BinaryOp::kPow, num(2), un(UnaryOp::kNeg, var("x"))));
  EXPECT_EQ(expr("-a * b"), bin(BinaryOp::kMul, un(UnaryOp::kNeg, var("a")), var("b")));
  EXPECT_EQ(expr("a - -b"), bin(BinaryOp::kSub, var("a"), un(UnaryOp::kNeg, var("b"))));
  EXPECT_EQ(expr("a + b < c * d"), bin(BinaryOp::kLt, bin(BinaryOp::kAdd, var("a"), var("b")),
                                       bin(BinaryOp::kMul, var("c"), var("d"))));
  EXPECT_EQ(expr("a < b or c >= d and not e"),
            bin(BinaryOp::kOr, bin(BinaryOp::kLt, var("a"), var("b")),
                bin(BinaryOp::kAnd, bin(BinaryOp::kGe, var("c"), var("d")),
                    un(UnaryOp::kNot, var("e")))));
  EXPECT_EQ(expr("not a == b"), un(UnaryOp::kNot, bin(BinaryOp::kEq, var("a"), var("b"))));
  EXPECT_EQ(expr("((a))"), var("a"));
}

TEST(Parser, EveryBinaryOperator) {
  struct Case {
    const char* text;
    BinaryOp op;
  };
  for (const Case& c :
       {Case{"+", BinaryOp::kAdd}, Case{"-", BinaryOp::kSub}, Case{"*", BinaryOp::kMul},
        Case{"/", BinaryOp::kDiv}, Case{"^", BinaryOp::kPow}, Case{"==", BinaryOp::kEq},
        Case{"!=", BinaryOp::kNe}, Case{"<", BinaryOp::kLt}, Case{"<=", BinaryOp::kLe},
        Case{">", BinaryOp::kGt}, Case{">=", BinaryOp::kGe}, Case{"and", BinaryOp::kAnd},
        Case{"or", BinaryOp::kOr}}) {
    EXPECT_EQ(expr(std::string("a ") + c.text + " b"), bin(c.op, var("a"), var("b"))) << c.text;
  }
}

TEST(Parser, IfThenElse) {
  EXPECT_EQ(expr("if a > 0 then b else c + 1"), cond(bin(BinaryOp::kGt, var("a"), num(0)), var("b"),
                                                     bin(BinaryOp::kAdd, var("c"), num(1))));
  EXPECT_EQ(expr("(if a then b else c) * 2"),
            bin(BinaryOp::kMul, cond(var("a"), var("b"), var("c")), num(2)));
  EXPECT_EQ(expr("if a then if b then 1 else 2 else 3"),
            cond(var("a"), cond(var("b"), num(1), num(2)), num(3)));
}

TEST(Parser, ExpressionLocations) {
  VarDecl v = one_variable("aux x = a +\n  f(b)\n");
  EXPECT_EQ(v.value->loc.line, 1u);
  EXPECT_EQ(v.value->loc.col, 11u);  // the operator
  EXPECT_EQ(v.value->args[1].loc.line, 2u);
  EXPECT_EQ(v.value->args[1].loc.col, 3u);
}

TEST(Parser, NestingUpToTheLimit) {
  // The value itself is one level, so kMaxNesting - 1 parentheses fit.
  std::string deep = std::string(kMaxNesting - 1, '(') + "1" + std::string(kMaxNesting - 1, ')');
  EXPECT_EQ(expr(deep), num(1));
  std::string chain = "a";
  for (int i = 1; i < kMaxNesting; ++i) chain += " + a";  // a tree kMaxNesting high
  EXPECT_TRUE(parse("aux x = " + chain + "\n").ok);
}

// ---- errors, exactly as printed ----

TEST(ParserErrors, UnknownDeclarationKeyword) {
  EXPECT_EQ(errors("const a = 1\nstok b = 2\n"),
            "m.lw:2:1: error: 'stok' does not start a declaration (did you mean 'stock'?)\n"
            "    2 | stok b = 2\n"
            "      | ^\n");
  EXPECT_EQ(errors("variable b = 2\n"),
            "m.lw:1:1: error: 'variable' does not start a declaration (expected dimension, "
            "subset, const, param, aux, stock, lookup or simulation)\n"
            "    1 | variable b = 2\n"
            "      | ^\n");
  EXPECT_EQ(errors("= 2\n"),
            "m.lw:1:1: error: expected a declaration (dimension, subset, const, param, aux, "
            "stock, lookup or simulation), found '='\n"
            "    1 | = 2\n"
            "      | ^\n");
}

TEST(ParserErrors, MissingEquals) {
  EXPECT_EQ(errors("aux x 1\n"),
            "m.lw:1:7: error: expected '=' and the value of 'x', found number 1\n"
            "    1 | aux x 1\n"
            "      |       ^\n");
  EXPECT_EQ(errors("stock s [person] 1\n"),
            "m.lw:1:18: error: expected '=' and the initial value of 's', found number 1\n"
            "    1 | stock s [person] 1\n"
            "      |                  ^\n");
  EXPECT_EQ(errors("param p 1\n"),
            "m.lw:1:9: error: expected '=' and the value of 'p', or '~' and its distribution, "
            "found number 1\n"
            "    1 | param p 1\n"
            "      |         ^\n");
  EXPECT_EQ(errors("dimension d {a}\n"),
            "m.lw:1:13: error: expected '=' and the elements of 'd', found '{'\n"
            "    1 | dimension d {a}\n"
            "      |             ^\n");
  EXPECT_EQ(errors("lookup f (0, 1)\n"),
            "m.lw:1:10: error: expected '=' and the points of 'f', e.g. = (0, 0), (1, 1), "
            "found '('\n"
            "    1 | lookup f (0, 1)\n"
            "      |          ^\n");
}

TEST(ParserErrors, MissingSomethingAtTheEndOfTheFile) {
  // Points just after the last token, not at an empty line below it.
  EXPECT_EQ(errors("aux x = (a + 1\n\n"),
            "m.lw:1:15: error: expected an operator or ')', found the end of the file\n"
            "    1 | aux x = (a + 1\n"
            "      |               ^\n");
  EXPECT_EQ(errors("stock s =\n"),
            "m.lw:1:10: error: expected a number, a name, '(' or 'if', found the end of the "
            "file\n"
            "    1 | stock s =\n"
            "      |          ^\n");
}

TEST(ParserErrors, BadUnit) {
  EXPECT_EQ(errors("aux x [3] = 1\n"),
            "m.lw:1:8: error: '3' is not a unit (write e.g. [person], [USD/person/year], "
            "[1/year], or [1] for none)\n"
            "    1 | aux x [3] = 1\n"
            "      |        ^\n");
  EXPECT_EQ(errors("aux x [USD per year] = 1\n"),
            "m.lw:1:8: error: 'USD per year' is not a unit (write e.g. [person], "
            "[USD/person/year], [1/year], or [1] for none)\n"
            "    1 | aux x [USD per year] = 1\n"
            "      |        ^\n");
  EXPECT_EQ(errors("aux x [ ] = 1\n"),
            "m.lw:1:8: error: the unit is empty (write [1] for a quantity without unit)\n"
            "    1 | aux x [ ] = 1\n"
            "      |        ^\n");
  EXPECT_EQ(errors("aux x [USD = 1\n"),
            "m.lw:1:7: error: missing ']' to close the unit\n"
            "    1 | aux x [USD = 1\n"
            "      |       ^\n");
}

TEST(ParserErrors, ReservedWordAsName) {
  EXPECT_EQ(errors("aux stock = 1\n"),
            "m.lw:1:5: error: 'stock' is a reserved word and cannot be used as a variable name\n"
            "    1 | aux stock = 1\n"
            "      |     ^\n");
  EXPECT_EQ(errors("dimension d = {a, then}\n"),
            "m.lw:1:19: error: 'then' is a reserved word and cannot be used as an element name\n"
            "    1 | dimension d = {a, then}\n"
            "      |                   ^\n");
  EXPECT_EQ(errors("aux x = 1 + const\n"),
            "m.lw:1:13: error: 'const' is a reserved word and cannot be used as a name\n"
            "    1 | aux x = 1 + const\n"
            "      |             ^\n");
  // A name that is not a declaration keyword but is reserved in expressions.
  EXPECT_EQ(errors("aux x = 1 + then\n"),
            "m.lw:1:13: error: expected a number, a name, '(' or 'if', found 'then'\n"
            "    1 | aux x = 1 + then\n"
            "      |             ^\n");
}

TEST(ParserErrors, UnterminatedString) {
  EXPECT_EQ(errors("aux x = 1 \"rate of\nconst y = 2\n"),
            "m.lw:1:11: error: missing '\"' to close this text; text in quotes must end on the "
            "line it starts\n"
            "    1 | aux x = 1 \"rate of\n"
            "      |           ^\n");
}

TEST(ParserErrors, NumberOutOfRange) {
  EXPECT_EQ(errors("aux x = 1e999\n"),
            "m.lw:1:9: error: number 1e999 is too large (the largest is about 1.8e308)\n"
            "    1 | aux x = 1e999\n"
            "      |         ^\n");
  EXPECT_EQ(errors("aux x = 2 * 1e-999\n"),
            "m.lw:1:13: error: number 1e-999 is too close to zero to represent (the smallest "
            "is about 5e-324); write 0 if you mean zero\n"
            "    1 | aux x = 2 * 1e-999\n"
            "      |             ^\n");
  // Reported once, even where a unit is read again as raw text.
  EXPECT_EQ(errors("aux x [1e999] = 1\n"),
            "m.lw:1:8: error: '1e999' is not a unit (write e.g. [person], [USD/person/year], "
            "[1/year], or [1] for none)\n"
            "    1 | aux x [1e999] = 1\n"
            "      |        ^\n");
}

TEST(ParserErrors, NestingDeeperThanTheLimit) {
  std::string parens = std::string(kMaxNesting, '(') + "1" + std::string(kMaxNesting, ')');
  Parsed p = parse("aux x = " + parens + "\n");
  ASSERT_FALSE(p.ok);
  std::string col = std::to_string(8 + kMaxNesting);  // the innermost '(' or '-' too many
  EXPECT_EQ(p.errors.substr(0, p.errors.find('\n')),
            "m.lw:1:" + col +
                ": error: expression nested more than 200 levels deep; split it "
                "into several variables");

  EXPECT_EQ(errors("aux x = " + std::string(kMaxNesting, '-') + "1\n").substr(0, 90),
            "m.lw:1:" + col +
                ": error: expression nested more than 200 levels deep; split it "
                "into several vari");

  // A long chain is a deep tree even without parentheses.
  std::string chain = "a";
  for (int i = 0; i < kMaxNesting; ++i) chain += "+a";
  std::string got = errors("aux x = " + chain + "\n");
  EXPECT_EQ(got.substr(0, got.find('\n')),
            "m.lw:1:" + std::to_string(8 + 2 * kMaxNesting) +
                ": error: expression nested more than 200 levels deep; split it into several "
                "variables");

  // Hostile depth is refused without exhausting the stack.
  std::string hostile = "aux x = " + std::string(100000, '(') + "\nconst y = 1\n";
  Parsed h = parse(hostile);
  EXPECT_FALSE(h.ok);
  ASSERT_EQ(h.model.variables.size(), 1u);  // recovery still reads y
  EXPECT_EQ(h.model.variables[0].name, "y");
}

TEST(ParserErrors, SeveralErrorsAllReported) {
  EXPECT_EQ(errors("aux a = 1 +\n"
                   "const b = 2\n"
                   "aux c = (3\n"
                   "stok d = 4\n"
                   "aux e = 5 6\n"
                   "lookup f = (1, 0), (0, 1)\n"),
            "m.lw:2:1: error: expected a number, a name, '(' or 'if', found 'const'\n"
            "    2 | const b = 2\n"
            "      | ^\n"
            "m.lw:4:1: error: expected an operator or ')', found 'stok'\n"
            "    4 | stok d = 4\n"
            "      | ^\n"
            "m.lw:5:11: error: expected an operator, a description in quotes, 'source', 'range' "
            "or the next declaration after 'e', found number 6\n"
            "    5 | aux e = 5 6\n"
            "      |           ^\n"
            "m.lw:6:21: error: lookup x values must increase: x = 0 comes after x = 1\n"
            "    6 | lookup f = (1, 0), (0, 1)\n"
            "      |                     ^\n");
  // The declarations between the errors are kept.
  Parsed p = parse("aux a = 1 +\nconst b = 2\naux c = (3\nconst d = 4\n");
  ASSERT_EQ(p.model.variables.size(), 2u);
  EXPECT_EQ(p.model.variables[0].name, "b");
  EXPECT_EQ(p.model.variables[1].name, "d");
}

TEST(ParserErrors, RecoveryIgnoresKeywordsInTheMiddleOfALine) {
  // "aux" after an error on the same line is not taken for a new declaration.
  EXPECT_EQ(errors("aux x = ) aux\nconst y = 1\n"),
            "m.lw:1:9: error: expected a number, a name, '(' or 'if', found ')'\n"
            "    1 | aux x = ) aux\n"
            "      |         ^\n");
}

TEST(ParserErrors, TooManyErrorsStops) {
  std::string text;
  for (int i = 0; i < kMaxErrorsPerFile + 10; ++i) text += "aux x = )\n";
  SourceSet sources;
  sources.add_text("m.lw", text);
  Diagnostics diags;
  parse_model(sources, diags);
  ASSERT_EQ(diags.error_count(), static_cast<std::size_t>(kMaxErrorsPerFile + 1));
  EXPECT_EQ(diags.all().back().message, "more than 50 errors in this file; stopping here");
  EXPECT_EQ(diags.all().back().loc.line, static_cast<std::uint32_t>(kMaxErrorsPerFile + 1));
}

TEST(ParserErrors, LookupXNotIncreasing) {
  EXPECT_EQ(errors("lookup f = (0, 1), (2, 3), (2, 4)\n"),
            "m.lw:1:29: error: lookup x values must increase: x = 2 comes after x = 2\n"
            "    1 | lookup f = (0, 1), (2, 3), (2, 4)\n"
            "      |                             ^\n");
  EXPECT_EQ(errors("lookup f = (0, inf)\n"),
            "m.lw:1:16: error: lookup points must be finite numbers\n"
            "    1 | lookup f = (0, inf)\n"
            "      |                ^\n");
}

TEST(ParserErrors, DistributionArity) {
  EXPECT_EQ(errors("param p ~ normal(1, 2, 3)\n"),
            "m.lw:1:11: error: normal takes 2 arguments (mean, sd), found 3\n"
            "    1 | param p ~ normal(1, 2, 3)\n"
            "      |           ^\n");
  EXPECT_EQ(errors("param p ~ triangular(0, 1)\n"),
            "m.lw:1:11: error: triangular takes 3 arguments (low, mode, high), found 2\n"
            "    1 | param p ~ triangular(0, 1)\n"
            "      |           ^\n");
  EXPECT_EQ(errors("param p ~ beta(1, 2, 3)\n"),
            "m.lw:1:11: error: beta takes 2 arguments (a, b) or 4 (a, b, low, high), found 3\n"
            "    1 | param p ~ beta(1, 2, 3)\n"
            "      |           ^\n");
  EXPECT_EQ(errors("param p ~ normall(1, 2)\n"),
            "m.lw:1:11: error: unknown distribution 'normall' (did you mean 'normal'?)\n"
            "    1 | param p ~ normall(1, 2)\n"
            "      |           ^\n");
  EXPECT_EQ(errors("param p ~ gauss(1, 2)\n"),
            "m.lw:1:11: error: unknown distribution 'gauss' (expected normal, lognormal, "
            "uniform, triangular or beta)\n"
            "    1 | param p ~ gauss(1, 2)\n"
            "      |           ^\n");
}

TEST(ParserErrors, ClausesOnTheWrongKind) {
  EXPECT_EQ(errors("const c = 1 range [0, 1]\n"),
            "m.lw:1:13: error: only stocks and auxes take a range; 'c' is a const\n"
            "    1 | const c = 1 range [0, 1]\n"
            "      |             ^\n");
  EXPECT_EQ(errors("aux a = 1 ~ normal(0, 1)\n"),
            "m.lw:1:11: error: only params take a distribution ('~'); 'a' is an aux\n"
            "    1 | aux a = 1 ~ normal(0, 1)\n"
            "      |           ^\n");
  EXPECT_EQ(errors("aux a = 1 inflow b = 2\n"),
            "m.lw:1:11: error: only stocks have inflows and outflows; 'a' is an aux\n"
            "    1 | aux a = 1 inflow b = 2\n"
            "      |           ^\n");
  EXPECT_EQ(errors("aux a = 1 at COL = 2\n"),
            "m.lw:1:11: error: 'at' sets values for some elements, but 'a' has no dimensions\n"
            "    1 | aux a = 1 at COL = 2\n"
            "      |           ^\n");
  EXPECT_EQ(errors("lookup f[d] = (0, 1)\n"),
            "m.lw:1:9: error: lookups have no dimensions (a unit goes after a space: lookup f "
            "[1] = ...)\n"
            "    1 | lookup f[d] = (0, 1)\n"
            "      |         ^\n");
}

TEST(ParserErrors, RepeatedClauses) {
  EXPECT_EQ(errors("aux x = 1 \"a\" \"b\"\n"),
            "m.lw:1:15: error: 'x' has two descriptions\n"
            "    1 | aux x = 1 \"a\" \"b\"\n"
            "      |               ^\n");
  EXPECT_EQ(errors("aux x = 1 source \"a\" source \"b\"\n"),
            "m.lw:1:22: error: 'x' has two sources\n"
            "    1 | aux x = 1 source \"a\" source \"b\"\n"
            "      |                      ^\n");
  EXPECT_EQ(errors("aux x = 1 range [0, 1] range [0, 2]\n"),
            "m.lw:1:24: error: 'x' has two ranges\n"
            "    1 | aux x = 1 range [0, 1] range [0, 2]\n"
            "      |                        ^\n");
  EXPECT_EQ(errors("param p ~ normal(0, 1) ~ uniform(0, 1)\n"),
            "m.lw:1:24: error: 'p' has two distributions\n"
            "    1 | param p ~ normal(0, 1) ~ uniform(0, 1)\n"
            "      |                        ^\n");
  EXPECT_EQ(errors("simulation dt = 1 dt = 2\n"),
            "m.lw:1:19: error: 'dt' is set twice\n"
            "    1 | simulation dt = 1 dt = 2\n"
            "      |                   ^\n");
}

TEST(ParserErrors, Simulation) {
  EXPECT_EQ(errors("simulation strat = 2024\n"),
            "m.lw:1:12: error: unknown simulation setting 'strat' (did you mean 'start'?)\n"
            "    1 | simulation strat = 2024\n"
            "      |            ^\n");
  EXPECT_EQ(errors("simulation steps = 10\n"),
            "m.lw:1:12: error: unknown simulation setting 'steps' (expected start, stop, dt, "
            "method or save_every)\n"
            "    1 | simulation steps = 10\n"
            "      |            ^\n");
  EXPECT_EQ(errors("simulation method = rk5\n"),
            "m.lw:1:21: error: expected 'euler' or 'rk4', found 'rk5'\n"
            "    1 | simulation method = rk5\n"
            "      |                     ^\n");
}

TEST(ParserErrors, Misc) {
  EXPECT_EQ(errors("aux x = a < b < c\n"),
            "m.lw:1:15: error: comparisons do not chain; write (a < b) and (b < c)\n"
            "    1 | aux x = a < b < c\n"
            "      |               ^\n");
  EXPECT_EQ(errors("aux x[a, b, c] = 1\n"),
            "m.lw:1:13: error: variables have at most two dimensions\n"
            "    1 | aux x[a, b, c] = 1\n"
            "      |             ^\n");
  EXPECT_EQ(errors("aux x = 1 range [2, 1]\n"),
            "m.lw:1:11: error: range [2, 1] is empty: write [low, high] with low <= high\n"
            "    1 | aux x = 1 range [2, 1]\n"
            "      |           ^\n");
  EXPECT_EQ(errors("dimension d = table(\"\")\n"),
            "m.lw:1:21: error: the table's name is empty\n"
            "    1 | dimension d = table(\"\")\n"
            "      |                     ^\n");
  EXPECT_EQ(errors("aux x = 1 $\n"),
            "m.lw:1:11: error: expected an operator, a description in quotes, 'source', 'range' "
            "or the next declaration after 'x', found '$'\n"
            "    1 | aux x = 1 $\n"
            "      |           ^\n");
  EXPECT_EQ(errors("aux x = 1\nrnage [0, 1]\n"),
            "m.lw:2:1: error: 'rnage' does not start a declaration (expected dimension, subset, "
            "const, param, aux, stock, lookup or simulation)\n"
            "    2 | rnage [0, 1]\n"
            "      | ^\n");
  EXPECT_EQ(errors("stock s[c] = 1\n  rnage [0, 1]\n"),
            "m.lw:2:3: error: expected an operator, a description in quotes, 'source', 'range', "
            "'at', 'inflow', 'outflow' or the next declaration after 's', found 'rnage'\n"
            "    2 |   rnage [0, 1]\n"
            "      |   ^\n");
}

TEST(ParserErrors, CaretUnderNonAsciiAndTabs) {
  // A two-byte letter takes one place on screen; the column counts bytes.
  EXPECT_EQ(errors("aux x = 1 \"año\" $\n"),
            "m.lw:1:18: error: expected a description in quotes, 'source', 'range' or the next "
            "declaration after 'x', found '$'\n"
            "    1 | aux x = 1 \"año\" $\n"
            "      |                 ^\n");
  EXPECT_EQ(errors("aux población = 1\n"),
            "m.lw:1:12: error: expected '=' and the value of 'poblaci', found 'ó' (names use "
            "only ASCII letters, digits and '_')\n"
            "    1 | aux población = 1\n"
            "      |            ^\n");
  EXPECT_EQ(errors("aux x =\t)\n"),
            "m.lw:1:9: error: expected a number, a name, '(' or 'if', found ')'\n"
            "    1 | aux x =\t)\n"
            "      |        \t^\n");
}

TEST(ParserErrors, LongLinesAreCut) {
  std::string text = "aux x = " + std::string(300, 'a') + " $ " + std::string(300, 'b') + "\n";
  std::string got = errors(text);
  std::string line2 = got.substr(got.find('\n') + 1);
  line2 = line2.substr(0, line2.find('\n'));
  EXPECT_EQ(line2, "    1 | ..." + std::string(59, 'a') + " $ " + std::string(58, 'b') + "...");
  std::string caret = got.substr(got.rfind('\n', got.size() - 2) + 1);
  EXPECT_EQ(caret, "      |    " + std::string(60, ' ') + "^\n");
}

TEST(Diagnostics, FormatsWithoutLocation) {
  SourceSet sources;
  sources.add_text("m.lw", "const a = 1\n");
  Diagnostics diags;
  diags.warning({0, 0, 0}, "no simulation settings; using defaults");
  diags.error({5, 1, 1}, "outside any file");
  EXPECT_EQ(diags.format(sources),
            "m.lw: warning: no simulation settings; using defaults\n"
            "error: outside any file\n");
  EXPECT_TRUE(diags.has_errors());
  EXPECT_EQ(diags.error_count(), 1u);
}

TEST(Diagnostics, WideLineNumbers) {
  std::string text(123456, '\n');
  text += "aux x = )\n";
  std::string got = errors(text);
  EXPECT_EQ(got,
            "m.lw:123457:9: error: expected a number, a name, '(' or 'if', found ')'\n"
            "123457 | aux x = )\n"
            "       |         ^\n");
}

// ---- units ----

TEST(ParseUnit, Cases) {
  EXPECT_EQ(parse_unit("USD/person/year"), (Unit{{"USD", 1}, {"person", -1}, {"year", -1}}));
  EXPECT_EQ(parse_unit("1/year"), (Unit{{"year", -1}}));
  EXPECT_EQ(parse_unit("person^2"), (Unit{{"person", 2}}));
  EXPECT_EQ(parse_unit("1"), Unit{});
  EXPECT_EQ(parse_unit("dmnl"), Unit{});
  EXPECT_EQ(parse_unit("m*m/m"), (Unit{{"m", 1}}));
  EXPECT_EQ(parse_unit(" kg * m ^ 2 / s^2 "), (Unit{{"kg", 1}, {"m", 2}, {"s", -2}}));
  EXPECT_EQ(parse_unit("1/s^-2"), (Unit{{"s", 2}}));
  EXPECT_EQ(parse_unit("m/m"), Unit{});
  EXPECT_EQ(parse_unit("%"), (Unit{{"%", 1}}));
  EXPECT_EQ(parse_unit("km2"), (Unit{{"km2", 1}}));
  EXPECT_EQ(parse_unit("m^99"), (Unit{{"m", 99}}));
}

TEST(ParseUnit, NotUnits) {
  EXPECT_EQ(parse_unit(""), std::nullopt);
  EXPECT_EQ(parse_unit("3"), std::nullopt);
  EXPECT_EQ(parse_unit("1000*USD"), std::nullopt);
  EXPECT_EQ(parse_unit("USD person"), std::nullopt);
  EXPECT_EQ(parse_unit("USD/"), std::nullopt);
  EXPECT_EQ(parse_unit("/year"), std::nullopt);
  EXPECT_EQ(parse_unit("m^"), std::nullopt);
  EXPECT_EQ(parse_unit("m^100"), std::nullopt);
  EXPECT_EQ(parse_unit("m^2.5"), std::nullopt);
  EXPECT_EQ(parse_unit("2m"), std::nullopt);
  EXPECT_EQ(parse_unit("1e999"), std::nullopt);
  // Exponents add up; a unit parse_unit accepts must print back to text it accepts.
  EXPECT_EQ(parse_unit("m^99*m"), std::nullopt);
  EXPECT_EQ(parse_unit("m^60*m^60/m^60"), std::nullopt);
}

TEST(ParseUnit, PrintsBack) {
  for (const char* text : {"USD/person/year", "1/year", "person^2", "1", "kg*m^2/s^2", "%"}) {
    auto unit = parse_unit(text);
    ASSERT_TRUE(unit.has_value()) << text;
    EXPECT_EQ(parse_unit(print_unit(*unit)), unit) << text;
  }
  EXPECT_EQ(print_unit(Unit{{"USD", 1}, {"person", -1}, {"year", -1}}), "USD/person/year");
  EXPECT_EQ(print_unit(Unit{{"year", -2}}), "1/year^2");
  EXPECT_EQ(print_unit(Unit{}), "1");
}

// ---- closest_name ----

TEST(ClosestName, Cases) {
  std::vector<std::string> names = {"population", "birth_rate", "death_rate", "gdp", "start"};
  EXPECT_EQ(closest_name("populaton", names), "population");
  EXPECT_EQ(closest_name("birth_rat", names), "birth_rate");
  EXPECT_EQ(closest_name("strat", names), "start");  // a swap of two letters is one edit
  EXPECT_EQ(closest_name("gdb", names), "gdp");
  EXPECT_EQ(closest_name("xyz", names), "");
  EXPECT_EQ(closest_name("population", names), "population");
  EXPECT_EQ(closest_name("anything", {}), "");
  // Ties go to the alphabetically first candidate, for stable messages.
  EXPECT_EQ(closest_name("rate", {"rbte", "rat"}), "rat");
  EXPECT_EQ(closest_name("ab", {"b", "a"}), "a");
  // Hostile lengths are not compared.
  EXPECT_EQ(closest_name(std::string(100, 'a'), {std::string(100, 'a')}), "");
}

// ---- printing ----

TEST(Printer, MinimalParentheses) {
  for (const char* text : {"a + b * c",
                           "(a + b) * c",
                           "a - (b - c)",
                           "a - b - c",
                           "a^b^c",
                           "(a^b)^c",
                           "-a^b",
                           "(-a)^b",
                           "a^-b",
                           "- -a",
                           "not not a",
                           "a and (b or c)",
                           "(a < b) == c",
                           "if a then b else c",
                           "(if a then b else c) + 1",
                           "1 + if a then b else c",
                           "-(if a then b else c) * 2",
                           "f(if a then b else c, -x)",
                           "x[A, B] / y[C]",
                           "data(\"a \\\"b\\\"\")",
                           "not a < b",
                           "a * -b"}) {
    Expr e = expr(text);
    EXPECT_EQ(print_expr(e), text);
  }
}

TEST(Printer, Model) {
  const std::string text =
      "simulation start = 2024 stop = 2040 dt = 0.25 method = rk4 save_every = 1\n"
      "dimension country = {ARG, COL} \"Countries\"\n"
      "subset andean of country = table(\"countries\", subregion = \"Andean\")\n"
      "param p[country] [1/year] = 0.3 ~ beta(2, 3, 0, 1) truncated [0, 1] \"P\" source \"S\"\n"
      "  at COL = 0.4\n"
      "stock s[country] [person] = 1 range [0, inf]\n"
      "  inflow b [person/year] = p * s \"births\"\n"
      "  outflow d\n"
      "lookup f = (0, 1), (1, -2)\n";
  Parsed p = parse(text);
  ASSERT_TRUE(p.ok) << p.errors;
  EXPECT_EQ(print_model(p.model), text);
}

}  // namespace
}  // namespace latwin::lang
