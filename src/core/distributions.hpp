#pragma once
// Probability functions used by parameter sampling and per-step random draws. Pure and
// deterministic: the compiler folds constants with these same functions, so a folded value
// and a value computed at run time are bitwise equal.
#include "core/random.hpp"

namespace latwin::dist {

// Standard normal CDF and quantile (Wichura's AS 241, relative error about 1e-16).
double normal_cdf(double x, double mean, double sd);
double normal_quantile(double p, double mean, double sd);

// Lognormal with mu and sigma of the underlying normal (median = exp(mu)).
double lognormal_cdf(double x, double mu, double sigma);
double lognormal_quantile(double p, double mu, double sigma);

double uniform_cdf(double x, double low, double high);
double uniform_quantile(double p, double low, double high);

double triangular_cdf(double x, double low, double mode, double high);
double triangular_quantile(double p, double low, double mode, double high);

// Beta(a, b) on [0, 1]; CDF is the regularised incomplete beta function, the quantile
// inverts it numerically to about 1e-12.
double beta_cdf(double x, double a, double b);
double beta_quantile(double p, double a, double b);

// Poisson count with mean lambda, drawn from uniforms of the stream (inversion for small
// lambda, PTRS transformed rejection for large). NaN for a negative or non-finite lambda.
double poisson_sample(double lambda, UniformStream& stream);

// Standard normal from the stream by inversion (one uniform).
double standard_normal(UniformStream& stream);

}  // namespace latwin::dist
