#pragma once
// Scalar meaning of each pure instruction. The compiler folds constants with these and the
// batched evaluator computes the same expressions per lane, so folded and run-time values
// agree bit for bit.
#include <cmath>

#include "core/distributions.hpp"
#include "engine/compile/plan.hpp"

namespace latwin::engine {

inline double truth(bool value) { return value ? 1.0 : 0.0; }
inline double logistic(double x) { return 1.0 / (1.0 + std::exp(-x)); }

// True for instructions whose result depends only on their operands.
inline bool is_pure(OpCode op) {
  switch (op) {
    case OpCode::kLookup:
    case OpCode::kSeries:
    case OpCode::kRandNormal:
    case OpCode::kRandUniform:
    case OpCode::kRandBernoulli:
    case OpCode::kRandPoisson:
    case OpCode::kParamUniform:
      return false;
    default:
      return true;
  }
}

// Value of a pure instruction; only called when is_pure(op).
inline double apply_pure(OpCode op, double a, double b, double c, double d) {
  switch (op) {
    case OpCode::kCopy: return a;
    case OpCode::kAdd: return a + b;
    case OpCode::kSub: return a - b;
    case OpCode::kMul: return a * b;
    case OpCode::kDiv: return a / b;
    case OpCode::kMulAdd: { double product = a * b; return product + c; }
    case OpCode::kPow: return std::pow(a, b);
    case OpCode::kNeg: return -a;
    case OpCode::kEq: return truth(a == b);
    case OpCode::kNe: return truth(a != b);
    case OpCode::kLt: return truth(a < b);
    case OpCode::kLe: return truth(a <= b);
    case OpCode::kGt: return truth(a > b);
    case OpCode::kGe: return truth(a >= b);
    case OpCode::kAnd: return truth(a != 0 && b != 0);
    case OpCode::kOr: return truth(a != 0 || b != 0);
    case OpCode::kNot: return truth(a == 0);
    case OpCode::kSelect: return a != 0 ? b : c;
    case OpCode::kMin: return std::isnan(a) || std::isnan(b) ? NAN : (b < a ? b : a);
    case OpCode::kMax: return std::isnan(a) || std::isnan(b) ? NAN : (b > a ? b : a);
    case OpCode::kAbs: return std::fabs(a);
    case OpCode::kExp: return std::exp(a);
    case OpCode::kLog: return std::log(a);
    case OpCode::kSqrt: return std::sqrt(a);
    case OpCode::kLogistic: return logistic(a);
    case OpCode::kCoalesce: return std::isnan(a) ? b : a;
    case OpCode::kQuantNormal: return dist::normal_quantile(a, b, c);
    case OpCode::kQuantLognormal: return dist::lognormal_quantile(a, b, c);
    case OpCode::kQuantUniform: return dist::uniform_quantile(a, b, c);
    case OpCode::kQuantTriangular: return dist::triangular_quantile(a, b, c, d);
    case OpCode::kQuantBeta: return dist::beta_quantile(a, b, c);
    case OpCode::kCdfNormal: return dist::normal_cdf(a, b, c);
    case OpCode::kCdfLognormal: return dist::lognormal_cdf(a, b, c);
    case OpCode::kCdfUniform: return dist::uniform_cdf(a, b, c);
    case OpCode::kCdfTriangular: return dist::triangular_cdf(a, b, c, d);
    case OpCode::kCdfBeta: return dist::beta_cdf(a, b, c);
    default: return NAN;
  }
}

}  // namespace latwin::engine
