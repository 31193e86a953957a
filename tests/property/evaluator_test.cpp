// The compiled, batched evaluator agrees bit for bit with a tree-walking reference: random
// scalar expressions are printed into a model as `aux y0 [1] = <expr>`, ..., compiled, run
// for one member, and each y at every saved time is compared with the reference's value of
// its tree.
// The reference follows the language's documented meaning (comparisons give 1 or 0, and/or/
// not/if test "!= 0", min and max return NaN when either side is NaN and the first argument
// on ties, if evaluates both branches), written out here rather than taken from ops.hpp.
#include <fmt/format.h>
#include <gtest/gtest.h>
#include <rapidcheck.h>
#include <rapidcheck/gtest.h>

#include <cmath>
#include <cstdint>
#include <cstring>
#include <map>
#include <string>
#include <vector>

#include "engine/compile/compiler.hpp"
#include "engine/lang/ast.hpp"
#include "engine/lang/printer.hpp"
#include "engine/run/ensemble.hpp"

namespace latwin {
namespace {

using lang::BinaryOp;
using lang::Expr;
using lang::ExprKind;
using lang::UnaryOp;

// ---------------------------------------------------------------- the reference

// Values of the names an expression may read, and the simulation time.
struct Env {
  std::map<std::string, double> names;
  double time = 0;
};

double truth(bool value) {
  return value ? 1.0 : 0.0;
}

double minimum(double a, double b) {
  if (std::isnan(a) || std::isnan(b)) return NAN;
  return b < a ? b : a;
}

double maximum(double a, double b) {
  if (std::isnan(a) || std::isnan(b)) return NAN;
  return b > a ? b : a;
}

double evaluate(const Expr& e, const Env& env) {
  switch (e.kind) {
    case ExprKind::kNumber:
      return e.number;
    case ExprKind::kName:
      return env.names.at(e.text);
    case ExprKind::kUnary: {
      double a = evaluate(e.args[0], env);
      return e.unary_op == UnaryOp::kNeg ? -a : truth(a == 0);
    }
    case ExprKind::kBinary: {
      double a = evaluate(e.args[0], env);
      double b = evaluate(e.args[1], env);
      switch (e.binary_op) {
        case BinaryOp::kAdd:
          return a + b;
        case BinaryOp::kSub:
          return a - b;
        case BinaryOp::kMul:
          return a * b;
        case BinaryOp::kDiv:
          return a / b;
        case BinaryOp::kPow:
          return std::pow(a, b);
        case BinaryOp::kEq:
          return truth(a == b);
        case BinaryOp::kNe:
          return truth(a != b);
        case BinaryOp::kLt:
          return truth(a < b);
        case BinaryOp::kLe:
          return truth(a <= b);
        case BinaryOp::kGt:
          return truth(a > b);
        case BinaryOp::kGe:
          return truth(a >= b);
        case BinaryOp::kAnd:
          return truth(a != 0 && b != 0);
        case BinaryOp::kOr:
          return truth(a != 0 || b != 0);
      }
      return NAN;
    }
    case ExprKind::kIf: {
      double condition = evaluate(e.args[0], env);
      double then_value = evaluate(e.args[1], env);
      double else_value = evaluate(e.args[2], env);
      return condition != 0 ? then_value : else_value;
    }
    case ExprKind::kCall: {
      std::vector<double> x;
      for (const auto& arg : e.args) x.push_back(evaluate(arg, env));
      const std::string& f = e.text;
      const double t = env.time;
      if (f == "abs") return std::fabs(x[0]);
      if (f == "exp") return std::exp(x[0]);
      if (f == "log") return std::log(x[0]);
      if (f == "sqrt") return std::sqrt(x[0]);
      if (f == "logistic") return 1.0 / (1.0 + std::exp(-x[0]));
      if (f == "pow") return std::pow(x[0], x[1]);
      if (f == "min" || f == "max") {
        double acc = x[0];
        for (std::size_t i = 1; i < x.size(); ++i) {
          acc = f == "min" ? minimum(acc, x[i]) : maximum(acc, x[i]);
        }
        return acc;
      }
      if (f == "clamp") return minimum(maximum(x[0], x[1]), x[2]);
      // step(height, start): the height from start on.
      if (f == "step") return t >= x[1] ? x[0] : 0.0;
      // ramp(slope, start[, end]): slope × (time − start) between start and end.
      if (f == "ramp") {
        double clipped = maximum(t, x[1]);
        if (x.size() == 3) clipped = minimum(clipped, x[2]);
        return x[0] * (clipped - x[1]);
      }
      // pulse(start, width): 1 on [start, start + width).
      if (f == "pulse") return truth(t >= x[0] && t < x[0] + x[1]);
      ADD_FAILURE() << "the reference does not know " << f << "()";
      return NAN;
    }
    case ExprKind::kString:
      break;
  }
  ADD_FAILURE() << "the reference cannot evaluate this expression";
  return NAN;
}

// ---------------------------------------------------------------- random expressions

// Every generator below draws with operator* and so runs inside a property.

// The names the equations may read; their values are drawn per case (see the property).
const std::vector<std::string> kNames = {"p1", "p2", "p3", "a1", "a2"};

// Simulation times: 0, 0.5, ..., 2.
constexpr double kDt = 0.5;
constexpr int kSteps = 4;

Expr number(double value) {
  Expr e;
  e.kind = ExprKind::kNumber;
  e.number = value;
  return e;
}

// Numbers that make the functions interesting (zero, signs, powers, overflow), and others;
// signed zeros often, as only they tell apart min/max's choices on ties.
double random_value() {
  switch (*rc::gen::inRange(0, 5)) {
    case 0:
      return *rc::gen::element(0.0, -0.0);
    case 1:
      return *rc::gen::elementOf(std::vector<double>{0.0, -0.0, 1.0, -1.0, 2.0, 0.5, -0.5, 3.0,
                                                     10.0, 1e-3, 710.0, -745.0, 1e300});
    case 2:
      return *rc::gen::inRange(-8, 9) / 4.0;
    case 3:
      return *rc::gen::inRange(-1000, 1000) / 37.0;
    default: {
      double x = *rc::gen::arbitrary<double>();
      return std::isfinite(x) ? x : 1.0;
    }
  }
}

// A time argument of step, ramp or pulse: a plain number, so its unit is free (the
// compiler wants [year] there, which a dimensionless name is not).
Expr random_time() {
  return number(*rc::gen::elementOf(std::vector<double>{-1, 0, 0.25, 0.5, 1, 1.25, 1.5, 2, 3}));
}

Expr node(ExprKind kind, std::vector<Expr> args) {
  Expr e;
  e.kind = kind;
  e.args = std::move(args);
  return e;
}

Expr call(const std::string& name, std::vector<Expr> args) {
  Expr e = node(ExprKind::kCall, std::move(args));
  e.text = name;
  return e;
}

Expr random_expr(int depth) {
  int kind = depth <= 0 ? *rc::gen::inRange(0, 2) : *rc::gen::inRange(0, 7);
  auto sub = [&] { return random_expr(depth - 1); };
  switch (kind) {
    case 0:
      return number(random_value());
    case 1: {
      Expr e;
      e.kind = ExprKind::kName;
      e.text = *rc::gen::elementOf(kNames);
      return e;
    }
    case 2: {
      Expr e = node(ExprKind::kUnary, {sub()});
      e.unary_op = *rc::gen::element(UnaryOp::kNeg, UnaryOp::kNot);
      return e;
    }
    case 3:
    case 4: {
      Expr e = node(ExprKind::kBinary, {sub(), sub()});
      e.binary_op = *rc::gen::element(BinaryOp::kAdd, BinaryOp::kSub, BinaryOp::kMul,
                                      BinaryOp::kDiv, BinaryOp::kPow, BinaryOp::kEq, BinaryOp::kNe,
                                      BinaryOp::kLt, BinaryOp::kLe, BinaryOp::kGt, BinaryOp::kGe,
                                      BinaryOp::kAnd, BinaryOp::kOr);
      return e;
    }
    case 5:
      return node(ExprKind::kIf, {sub(), sub(), sub()});
    default: {
      const std::string f = *rc::gen::elementOf(
          std::vector<std::string>{"abs", "exp", "log", "sqrt", "logistic", "min", "max", "clamp",
                                   "pow", "step", "ramp", "pulse"});
      if (f == "min" || f == "max") {
        // Two or three arguments: one argument would be a reduction over a dimension.
        std::vector<Expr> args = {sub(), sub()};
        if (*rc::gen::arbitrary<bool>()) args.push_back(sub());
        return call(f, std::move(args));
      }
      if (f == "clamp") return call(f, {sub(), sub(), sub()});
      if (f == "pow") return call(f, {sub(), sub()});
      if (f == "step") return call(f, {sub(), random_time()});
      if (f == "ramp") {
        // The slope is a plain number too: a dimensionless slope would make y [year].
        std::vector<Expr> args = {number(random_value()), random_time()};
        if (*rc::gen::arbitrary<bool>()) args.push_back(random_time());
        return call(f, std::move(args));
      }
      if (f == "pulse") return call(f, {random_time(), random_time()});
      return call(f, {sub()});
    }
  }
}

// ---------------------------------------------------------------- the property

bool same_double(double a, double b) {
  if (std::isnan(a) && std::isnan(b)) return true;
  std::uint64_t bits_a, bits_b;
  std::memcpy(&bits_a, &a, sizeof a);
  std::memcpy(&bits_b, &b, sizeof b);
  return bits_a == bits_b;
}

// Shortest text that reads back as the same double; "-x" parses as -(x), the same value.
std::string value_text(double value) {
  return fmt::format("{}", value);
}

// Several equations per model, so one compilation checks more trees and the equations share
// the program's temporaries.
RC_GTEST_PROP(Evaluator, EngineMatchesTreeWalkingReference, ()) {
  Env env;
  for (const char* name : {"p1", "p2", "p3"}) env.names[name] = random_value();
  // The auxiliaries are computed by the engine at run time from the parameters.
  env.names["a1"] = env.names["p1"] * env.names["p2"];
  env.names["a2"] = env.names["a1"] - env.names["p3"];
  const int count = *rc::gen::inRange(1, 9);
  std::vector<Expr> exprs;
  for (int i = 0; i < count; ++i) exprs.push_back(random_expr(*rc::gen::inRange(0, 5)));

  std::string text = fmt::format(
      "simulation start = 0 stop = {} dt = {} method = euler save_every = {}\n"
      "param p1 [1] = {}\nparam p2 [1] = {}\nparam p3 [1] = {}\n"
      "aux a1 [1] = p1 * p2\naux a2 [1] = a1 - p3\n",
      kSteps * kDt, kDt, kDt, value_text(env.names["p1"]), value_text(env.names["p2"]),
      value_text(env.names["p3"]));
  engine::RunSpec spec;
  for (int i = 0; i < count; ++i) {
    text += fmt::format("aux y{} [1] = {}\n", i, lang::print_expr(exprs[i]));
    spec.save.push_back(fmt::format("y{}", i));
  }
  RC_LOG() << text;
  auto compiled = engine::compile_text(text, nullptr);
  RC_LOG() << compiled.messages();
  RC_ASSERT(compiled.ok());

  engine::TrajectoryCollector collected;
  engine::run_ensemble(compiled.plan, spec, {&collected});
  RC_ASSERT(collected.layout().save_times.size() == static_cast<std::size_t>(kSteps + 1));

  for (int k = 0; k <= kSteps; ++k) {
    env.time = 0 + k * kDt;
    for (int i = 0; i < count; ++i) {
      double expected = evaluate(exprs[i], env);
      double got = collected.value(fmt::format("y{}", i), "", static_cast<std::size_t>(k), 0);
      RC_LOG() << fmt::format("y{} at time {}: engine {} reference {}\n", i, env.time, got,
                              expected);
      RC_ASSERT(same_double(got, expected));
    }
  }
}

}  // namespace
}  // namespace latwin
