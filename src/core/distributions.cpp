#include "core/distributions.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numbers>

namespace latwin::dist {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr double kInf = std::numeric_limits<double>::infinity();

bool finite(double v) { return std::isfinite(v); }

// Wichura (1988), Algorithm AS 241 (PPND16): the standard normal quantile for p in (0, 1).
double ppnd16(double p) {
  const double q = p - 0.5;
  if (std::fabs(q) <= 0.425) {
    const double r = 0.180625 - q * q;
    return q *
           (((((((2.5090809287301226727e+3 * r + 3.3430575583588128105e+4) * r +
                 6.7265770927008700853e+4) * r + 4.5921953931549871457e+4) * r +
               1.3731693765509461125e+4) * r + 1.9715909503065514427e+3) * r +
             1.3314166789178437745e+2) * r + 3.3871328727963666080e+0) /
           (((((((5.2264952788528545610e+3 * r + 2.8729085735721942674e+4) * r +
                 3.9307895800092710610e+4) * r + 2.1213794301586595867e+4) * r +
               5.3941960214247511077e+3) * r + 6.8718700749205790830e+2) * r +
             4.2313330701600911252e+1) * r + 1.0);
  }
  double r = std::sqrt(-std::log(q < 0 ? p : 1.0 - p));
  double x;
  if (r <= 5.0) {
    r -= 1.6;
    x = (((((((7.74545014278341407640e-4 * r + 2.27238449892691845833e-2) * r +
              2.41780725177450611770e-1) * r + 1.27045825245236838258e+0) * r +
            3.64784832476320460504e+0) * r + 5.76949722146069140550e+0) * r +
          4.63033784615654529590e+0) * r + 1.42343711074968357734e+0) /
        (((((((1.05075007164441684324e-9 * r + 5.47593808499534494600e-4) * r +
              1.51986665636164571966e-2) * r + 1.48103976427480074590e-1) * r +
            6.89767334985100004550e-1) * r + 1.67638483018380384940e+0) * r +
          2.05319162663775882187e+0) * r + 1.0);
  } else {
    r -= 5.0;
    x = (((((((2.01033439929228813265e-7 * r + 2.71155556874348757815e-5) * r +
              1.24266094738807843860e-3) * r + 2.65321895265761230930e-2) * r +
            2.96560571828504891230e-1) * r + 1.78482653991729133580e+0) * r +
          5.46378491116411436990e+0) * r + 6.65790464350110377720e+0) /
        (((((((2.04426310338993978564e-15 * r + 1.42151175831644588870e-7) * r +
              1.84631831751005468180e-5) * r + 7.86869131145613259100e-4) * r +
            1.48753612908506148525e-2) * r + 1.36929880922735805310e-1) * r +
          5.99832206555887937690e-1) * r + 1.0);
  }
  return q < 0 ? -x : x;
}

bool valid_beta_params(double a, double b) { return finite(a) && finite(b) && a > 0 && b > 0; }

// lgamma(z) minus its Stirling approximation, z >= 10: the asymptotic series up to z^-15,
// whose next term is below 1e-17 there.
double stirling_delta(double z) {
  const double r = 1.0 / z, r2 = r * r;
  return r * (1.0 / 12 + r2 * (-1.0 / 360 + r2 * (1.0 / 1260 + r2 * (-1.0 / 1680 +
         r2 * (1.0 / 1188 + r2 * (-691.0 / 360360 + r2 * (1.0 / 156 +
         r2 * (-3617.0 / 122400))))))));
}

// log Gamma(z) for z > 0. Not std::lgamma: glibc's writes the global signgam, a data race
// when members are drawn on several threads. Shifts z up to where Stirling is accurate.
double log_gamma(double z) {
  double product = 1;  // z (z + 1) ... up to the shift; at most 10 factors, no overflow
  while (z < 10) {
    product *= z;
    z += 1;
  }
  return (z - 0.5) * std::log(z) - z + 0.5 * std::log(2 * std::numbers::pi) +
         stirling_delta(z) - std::log(product);
}

// log(x^a (1-x)^b / B(a, b)), the common factor of the incomplete beta and the density.
// Plain lgamma differences lose about eps * a log a to cancellation (1e-10 at a = 1e6), so
// large shapes use Stirling's form, where only small corrections are subtracted.
double log_beta_front(double x, double a, double b) {
  constexpr double kLarge = 10;  // where the stirling_delta series is accurate
  const double c = a + b;
  if (a >= kLarge && b >= kLarge) {
    // Around the mode x0 = a / c both logs are near zero. x0 and y0 are exact complements,
    // so rounding x0 shifts the two terms by opposite amounts that cancel to first order.
    const double y0 = a < b ? b / c : 1.0 - a / c;
    const double x0 = a < b ? 1.0 - y0 : a / c;
    const double dx = x - x0;
    return a * std::log1p(dx / x0) + b * std::log1p(-dx / y0) +
           0.5 * (std::log(a) + std::log(b) - std::log(c) - std::log(2 * std::numbers::pi)) +
           stirling_delta(c) - stirling_delta(a) - stirling_delta(b);
  }
  if (b >= kLarge) {
    // lgamma(b) - lgamma(c) via Stirling: (b - 1/2) log(b / c) - a log c + a + deltas.
    return a * std::log(x * c) + b * std::log1p(-x) - log_gamma(a) -
           (b - 0.5) * std::log1p(-a / c) - a - stirling_delta(b) + stirling_delta(c);
  }
  if (a >= kLarge) {
    return b * std::log1p(-x) + b * std::log(c) + a * std::log(x) - log_gamma(b) -
           (a - 0.5) * std::log1p(-b / c) - b - stirling_delta(a) + stirling_delta(c);
  }
  return log_gamma(c) - log_gamma(a) - log_gamma(b) + a * std::log(x) +
         b * std::log1p(-x);
}

// Continued fraction for I_x(a, b) (Numerical Recipes' betacf, modified Lentz), for
// x < (a + 1) / (a + b + 2). Terms needed grow with the shapes, worst at the mean: about
// 500 at a = b = 1e6, 45000 at 1e12; the bound keeps shapes up to about 1e13 accurate.
double beta_continued_fraction(double x, double a, double b) {
  constexpr int kMaxTerms = 100000;
  constexpr double kEps = 1e-16;
  constexpr double kTiny = 1e-300;  // keeps Lentz's denominators away from zero
  const double qab = a + b, qap = a + 1.0, qam = a - 1.0;
  double c = 1.0;
  double d = 1.0 - qab * x / qap;
  if (std::fabs(d) < kTiny) d = kTiny;
  d = 1.0 / d;
  double h = d;
  for (int m = 1; m <= kMaxTerms; ++m) {
    const double m2 = 2.0 * m;
    double aa = m * (b - m) * x / ((qam + m2) * (a + m2));
    d = 1.0 + aa * d;
    if (std::fabs(d) < kTiny) d = kTiny;
    c = 1.0 + aa / c;
    if (std::fabs(c) < kTiny) c = kTiny;
    d = 1.0 / d;
    h *= d * c;
    aa = -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2));
    d = 1.0 + aa * d;
    if (std::fabs(d) < kTiny) d = kTiny;
    c = 1.0 + aa / c;
    if (std::fabs(c) < kTiny) c = kTiny;
    d = 1.0 / d;
    const double del = d * c;
    h *= del;
    if (std::fabs(del - 1.0) < kEps) break;
  }
  return h;
}

}  // namespace

double normal_cdf(double x, double mean, double sd) {
  if (!finite(mean) || !finite(sd) || !(sd > 0)) return kNaN;
  return 0.5 * std::erfc(-(x - mean) / (sd * std::sqrt(2.0)));
}

double normal_quantile(double p, double mean, double sd) {
  if (!finite(mean) || !finite(sd) || !(sd > 0) || std::isnan(p)) return kNaN;
  if (p <= 0) return -kInf;
  if (p >= 1) return kInf;
  return mean + sd * ppnd16(p);
}

double lognormal_cdf(double x, double mu, double sigma) {
  if (!finite(mu) || !finite(sigma) || !(sigma > 0) || std::isnan(x)) return kNaN;
  if (x <= 0) return 0;
  return normal_cdf(std::log(x), mu, sigma);
}

double lognormal_quantile(double p, double mu, double sigma) {
  if (!finite(mu) || !finite(sigma) || !(sigma > 0) || std::isnan(p)) return kNaN;
  if (p <= 0) return 0;
  return std::exp(normal_quantile(p, mu, sigma));
}

// low == high is accepted as a point mass, so a model can pin a parameter without
// changing its distribution's name.
double uniform_cdf(double x, double low, double high) {
  if (!finite(low) || !finite(high) || high < low || std::isnan(x)) return kNaN;
  if (x < low) return 0;
  if (x >= high) return 1;
  return (x - low) / (high - low);
}

double uniform_quantile(double p, double low, double high) {
  if (!finite(low) || !finite(high) || high < low || std::isnan(p)) return kNaN;
  if (p <= 0) return low;
  if (p >= 1) return high;
  return low + p * (high - low);
}

namespace {
bool valid_triangular(double low, double mode, double high) {
  return finite(low) && finite(mode) && finite(high) && low <= mode && mode <= high;
}
}  // namespace

double triangular_cdf(double x, double low, double mode, double high) {
  if (!valid_triangular(low, mode, high) || std::isnan(x)) return kNaN;
  // In this order a point mass (low == high) steps to 1 at low, and mode == low never
  // divides 0 by 0.
  if (x >= high) return 1;
  if (x <= low) return 0;
  const double width = high - low;
  if (x <= mode) return (x - low) * (x - low) / (width * (mode - low));
  return 1.0 - (high - x) * (high - x) / (width * (high - mode));
}

double triangular_quantile(double p, double low, double mode, double high) {
  if (!valid_triangular(low, mode, high) || std::isnan(p)) return kNaN;
  if (p <= 0) return low;
  if (p >= 1 || high == low) return high;
  const double width = high - low;
  const double at_mode = (mode - low) / width;
  if (p <= at_mode) return low + std::sqrt(p * width * (mode - low));
  return high - std::sqrt((1.0 - p) * width * (high - mode));
}

namespace {

// Both tails of Beta(a, b) at x in (0, 1); the one computed directly keeps full relative
// precision, the other is its complement. The continued fraction converges fast only below
// about the mean; beyond it, it is evaluated for I_{1-x}(b, a). The front factor
// x^a (1-x)^b / B(a, b) is symmetric, so it always uses x itself: 1 - x would round away
// the low digits of a small x.
// Accuracy is about 1e-14 relative for shapes up to 1e4 or so; near the mean of shapes in
// the millions, cancellation in the fraction's first terms costs a few digits (1e-11).
struct BetaTails {
  double lower, upper;
};
BetaTails beta_tails(double x, double a, double b) {
  const double front = std::exp(log_beta_front(x, a, b));
  // Clamped: for shapes beyond the continued fraction's budget a value is approximate but
  // stays a probability.
  if (x > (a + 1.0) / (a + b + 2.0)) {
    const double upper =
        std::clamp(front * beta_continued_fraction(1.0 - x, b, a) / b, 0.0, 1.0);
    return {1.0 - upper, upper};
  }
  const double lower = std::clamp(front * beta_continued_fraction(x, a, b) / a, 0.0, 1.0);
  return {lower, 1.0 - lower};
}

}  // namespace

double beta_cdf(double x, double a, double b) {
  if (!valid_beta_params(a, b) || std::isnan(x)) return kNaN;
  if (x <= 0) return 0;
  if (x >= 1) return 1;
  return beta_tails(x, a, b).lower;
}

double beta_quantile(double p, double a, double b) {
  if (!valid_beta_params(a, b) || std::isnan(p)) return kNaN;
  if (p <= 0) return 0;
  if (p >= 1) return 1;
  // Safeguarded Newton inside a shrinking bracket, on the log of the smaller tail
  // probability (CDF for p < 0.5, complement otherwise) against the log of the nearer
  // distance to a bound (x below 0.5, 1 - x above). Tails behave like powers, which are
  // straight lines on those axes, so deep-tail quantiles take a few steps instead of
  // hundreds of linearly converging ones. Steps that leave the bracket bisect instead.
  // 200 iterations: log-then-linear bisection alone pins any double in [0, 1] in about 70
  // steps, so the bound is never what stops a healthy solve.
  constexpr int kMaxIter = 200;
  constexpr double kStepTol = 4 * std::numeric_limits<double>::epsilon();
  const bool use_lower = p < 0.5;
  const double target = use_lower ? p : 1.0 - p;  // 1 - p is exact for p >= 0.5
  const double log_target = std::log(target);
  double lo = 0, hi = 1;
  double x = a / (a + b);
  double last_tail = -1, last_x = 0;
  for (int iter = 0; iter < kMaxIter; ++iter) {
    const BetaTails tails = beta_tails(x, a, b);
    const double tail = use_lower ? tails.lower : tails.upper;
    if (tail == target) return x;
    // A small move left the tail unchanged: the CDF is resolved as finely as doubles allow.
    if (tail == last_tail && std::fabs(x - last_x) <= 1e-12 * x) return x;
    last_tail = tail;
    last_x = x;
    if ((tail < target) == use_lower) {
      lo = x;
    } else {
      hi = x;
    }
    const bool near_zero = x < 0.5;
    const double var = near_zero ? x : 1.0 - x;  // 1 - x is exact for x >= 0.5
    const double pdf = std::exp(log_beta_front(x, a, b) - std::log(x) - std::log1p(-x));
    // d log(tail) / d log(var): positive when tail and var grow together.
    const double slope = (use_lower == near_zero ? 1.0 : -1.0) * var * pdf / tail;
    // No Newton step where the density over- or underflows (e.g. subnormal x): it would
    // look like a zero step, i.e. convergence.
    const bool usable = std::isfinite(slope) && slope != 0;
    const double moved = var * std::exp(-(std::log(tail) - log_target) / slope);
    double next = !usable ? kNaN : near_zero ? moved : 1.0 - moved;
    const bool newton = next > lo && next < hi;
    // A Newton step of a few ulps means quadratic convergence is done (checked before the
    // bracket: a converged step may land an ulp outside it).
    if (std::fabs(next - x) <= kStepTol * x) return newton ? next : x;
    if (!newton) {
      // Bisect in log space while the bracket spans orders of magnitude, so lower-tail
      // quantiles of small shapes (x far below 1e-100) are reached in a few dozen steps.
      // Two square roots: the product of the bounds can underflow.
      const double floor_lo = std::max(lo, std::numeric_limits<double>::min());
      next = hi > 4 * floor_lo ? std::sqrt(floor_lo) * std::sqrt(hi) : 0.5 * (lo + hi);
    }
    // A bisection step says nothing about the error; only a collapsed bracket ends it.
    if (std::nextafter(lo, hi) >= hi) return next;
    x = next;
  }
  return x;
}

double standard_normal(UniformStream& stream) { return normal_quantile(stream.next(), 0, 1); }

namespace {

// Hörmann (1993), "The transformed rejection method for generating Poisson random
// variables", algorithm PTRS, for lambda >= 10.
double poisson_ptrs(double lambda, UniformStream& stream) {
  const double slam = std::sqrt(lambda);
  const double loglam = std::log(lambda);
  const double b = 0.931 + 2.53 * slam;
  const double a = -0.059 + 0.02483 * b;
  const double inv_alpha = 1.1239 + 1.1328 / (b - 3.4);
  const double vr = 0.9277 - 3.6224 / (b - 2.0);
  // An attempt is accepted with probability about 0.75 at lambda = 10 (higher above), so
  // 1000 rejections in a row (chance near 1e-600) mean broken input: fall back, never loop.
  constexpr int kMaxAttempts = 1000;
  for (int attempt = 0; attempt < kMaxAttempts; ++attempt) {
    const double u = stream.next() - 0.5;
    const double v = stream.next();
    const double us = 0.5 - std::fabs(u);
    const double k = std::floor((2.0 * a / us + b) * u + lambda + 0.43);
    if (us >= 0.07 && v <= vr) return k;
    if (k < 0 || (us < 0.013 && v > us)) continue;
    if (std::log(v) + std::log(inv_alpha) - std::log(a / (us * us) + b) <=
        -lambda + k * loglam - log_gamma(k + 1.0)) {
      return k;
    }
  }
  return std::max(0.0, std::floor(lambda + slam * standard_normal(stream) + 0.5));
}

// Inversion of the CDF with one uniform, for lambda < 10.
double poisson_inversion(double lambda, UniformStream& stream) {
  // P(X > 100) for lambda < 10 is below 1e-60, far under the 2^-53 resolution of u, so the
  // bound only stops a sum that rounding keeps just under u.
  constexpr int kMaxK = 100;
  const double u = stream.next();
  double term = std::exp(-lambda);
  double cumulative = term;
  int k = 0;
  while (u > cumulative && k < kMaxK) {
    ++k;
    term *= lambda / k;
    const double before = cumulative;
    cumulative += term;
    if (cumulative == before) break;  // rounding left the sum just under u: deep tail
  }
  return k;
}

}  // namespace

double poisson_sample(double lambda, UniformStream& stream) {
  if (!finite(lambda) || lambda < 0) return kNaN;
  if (lambda == 0) return 0;
  if (lambda < 10) return poisson_inversion(lambda, stream);
  return poisson_ptrs(lambda, stream);
}

}  // namespace latwin::dist
