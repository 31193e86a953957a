#include "engine/run/vm.hpp"

#include <cmath>

#include "core/distributions.hpp"
#include "core/random.hpp"
#include "engine/run/ops.hpp"

namespace latwin::engine {

namespace {

double series_value(const ResolvedSeries& s, double year) {
  if (s.kind == SeriesKind::kAllocation) {
    // No allocation means no spending; budgets hold for a whole fiscal year.
    if (!s.series) return 0;
    double value = s.series->stepwise(year);
    return std::isnan(value) ? 0 : value;
  }
  return s.series ? s.series->linear(year) : NAN;
}

}  // namespace

void execute(const Instr* begin, const Instr* end, double* operands, std::uint32_t width,
             std::uint32_t lanes, const ExecContext& ctx) {
  for (const Instr* in = begin; in != end; ++in) {
    double* dst = operands + static_cast<std::size_t>(in->dst) * width;
    const double* a = operands + static_cast<std::size_t>(in->a) * width;
    const double* b = operands + static_cast<std::size_t>(in->b) * width;
// Each case is one tight loop over the lanes, which the compiler vectorises.
#define LATWIN_LANES(expr)                                     \
  for (std::uint32_t lane = 0; lane < lanes; ++lane) dst[lane] = (expr); \
  break
    switch (in->op) {
      case OpCode::kCopy: LATWIN_LANES(a[lane]);
      case OpCode::kAdd: LATWIN_LANES(a[lane] + b[lane]);
      case OpCode::kSub: LATWIN_LANES(a[lane] - b[lane]);
      case OpCode::kMul: LATWIN_LANES(a[lane] * b[lane]);
      case OpCode::kDiv: LATWIN_LANES(a[lane] / b[lane]);
      case OpCode::kMulAdd: {
        const double* c = operands + static_cast<std::size_t>(in->c) * width;
        for (std::uint32_t lane = 0; lane < lanes; ++lane) {
          double product = a[lane] * b[lane];
          dst[lane] = product + c[lane];
        }
        break;
      }
      case OpCode::kAddK: LATWIN_LANES(a[lane] + in->k);
      case OpCode::kSubK: LATWIN_LANES(a[lane] - in->k);
      case OpCode::kKSub: LATWIN_LANES(in->k - a[lane]);
      case OpCode::kMulK: LATWIN_LANES(a[lane] * in->k);
      case OpCode::kDivK: LATWIN_LANES(a[lane] / in->k);
      case OpCode::kKDiv: LATWIN_LANES(in->k / a[lane]);
      case OpCode::kMulKAdd: {
        const double* c = operands + static_cast<std::size_t>(in->c) * width;
        const double k = in->k;
        for (std::uint32_t lane = 0; lane < lanes; ++lane) {
          double product = a[lane] * k;
          dst[lane] = product + c[lane];
        }
        break;
      }
      case OpCode::kPow: LATWIN_LANES(std::pow(a[lane], b[lane]));
      case OpCode::kNeg: LATWIN_LANES(-a[lane]);
      case OpCode::kEq: LATWIN_LANES(a[lane] == b[lane] ? 1.0 : 0.0);
      case OpCode::kNe: LATWIN_LANES(a[lane] != b[lane] ? 1.0 : 0.0);
      case OpCode::kLt: LATWIN_LANES(a[lane] < b[lane] ? 1.0 : 0.0);
      case OpCode::kLe: LATWIN_LANES(a[lane] <= b[lane] ? 1.0 : 0.0);
      case OpCode::kGt: LATWIN_LANES(a[lane] > b[lane] ? 1.0 : 0.0);
      case OpCode::kGe: LATWIN_LANES(a[lane] >= b[lane] ? 1.0 : 0.0);
      case OpCode::kAnd: LATWIN_LANES((a[lane] != 0 && b[lane] != 0) ? 1.0 : 0.0);
      case OpCode::kOr: LATWIN_LANES((a[lane] != 0 || b[lane] != 0) ? 1.0 : 0.0);
      case OpCode::kNot: LATWIN_LANES(a[lane] == 0 ? 1.0 : 0.0);
      case OpCode::kSelect: {
        const double* c = operands + static_cast<std::size_t>(in->c) * width;
        LATWIN_LANES(a[lane] != 0 ? b[lane] : c[lane]);
      }
      case OpCode::kMin:
        LATWIN_LANES(apply_pure(OpCode::kMin, a[lane], b[lane], 0, 0));
      case OpCode::kMax:
        LATWIN_LANES(apply_pure(OpCode::kMax, a[lane], b[lane], 0, 0));
      case OpCode::kAbs: LATWIN_LANES(std::fabs(a[lane]));
      case OpCode::kExp: LATWIN_LANES(std::exp(a[lane]));
      case OpCode::kLog: LATWIN_LANES(std::log(a[lane]));
      case OpCode::kSqrt: LATWIN_LANES(std::sqrt(a[lane]));
      case OpCode::kLogistic: LATWIN_LANES(logistic(a[lane]));
      case OpCode::kCoalesce: LATWIN_LANES(std::isnan(a[lane]) ? b[lane] : a[lane]);
      case OpCode::kLookup: {
        const LookupTable& table = ctx.lookups[in->imm];
        LATWIN_LANES(table.at(a[lane]));
      }
      case OpCode::kSeries: {
        const ResolvedSeries& series = ctx.series[in->imm];
        if (series.design_column >= 0) {
          const double span = series.design_high - series.design_low;
          for (std::uint32_t lane = 0; lane < lanes; ++lane) {
            std::uint64_t row = ctx.first_member + lane - ctx.design_first_member;
            double factor =
                series.design_low + span * ctx.design_unit[row * ctx.design_factors +
                                                           static_cast<std::size_t>(series.design_column)];
            dst[lane] = series.design_scale ? series_value(series, a[lane]) * factor : factor;
          }
          break;
        }
        LATWIN_LANES(series_value(series, a[lane]));
      }
      case OpCode::kRandNormal:
      case OpCode::kRandUniform:
      case OpCode::kRandBernoulli:
      case OpCode::kRandPoisson:
      case OpCode::kParamUniform: {
        if (in->op == OpCode::kParamUniform && ctx.design_columns) {
          auto column = ctx.design_columns->find(in->imm);
          if (column != ctx.design_columns->end()) {
            for (std::uint32_t lane = 0; lane < lanes; ++lane) {
              std::uint64_t row = ctx.first_member + lane - ctx.design_first_member;
              dst[lane] = ctx.design_unit[row * ctx.design_factors + column->second];
            }
            break;
          }
        }
        if (in->op == OpCode::kParamUniform && ctx.set_offsets) {
          auto offset = ctx.set_offsets->find(in->imm);
          if (offset != ctx.set_offsets->end()) {
            // Absolute member numbers pick the row, so a split ensemble reads the same rows;
            // members that share their events (a design's event_members) share the row too.
            const std::size_t column = offset->second + static_cast<std::size_t>(in->c);
            for (std::uint32_t lane = 0; lane < lanes; ++lane) {
              std::uint64_t member = ctx.first_member + lane;
              if (ctx.event_members) member = ctx.event_members[member - ctx.design_first_member];
              std::uint64_t row = member % ctx.set_rows;
              dst[lane] = ctx.set_unit[row * ctx.set_row_width + column];
            }
            break;
          }
        }
        DrawKey key;
        key.seed = ctx.seed;
        key.stream = in->imm;
        key.element = in->c;
        key.step = in->op == OpCode::kParamUniform ? kParamStep : ctx.step;
        for (std::uint32_t lane = 0; lane < lanes; ++lane) {
          key.member = static_cast<std::uint32_t>(ctx.first_member + lane);
          if (ctx.event_members && in->op != OpCode::kParamUniform) {
            key.member = static_cast<std::uint32_t>(
                ctx.event_members[ctx.first_member + lane - ctx.design_first_member]);
          }
          UniformStream stream(key);
          switch (in->op) {
            case OpCode::kRandNormal:
              dst[lane] = a[lane] + b[lane] * dist::standard_normal(stream);
              break;
            case OpCode::kRandUniform:
              dst[lane] = a[lane] + (b[lane] - a[lane]) * stream.next();
              break;
            case OpCode::kRandBernoulli:
              dst[lane] = stream.next() < a[lane] ? 1.0 : 0.0;
              break;
            case OpCode::kRandPoisson:
              dst[lane] = dist::poisson_sample(a[lane], stream);
              break;
            default:
              dst[lane] = stream.next();
              break;
          }
        }
        break;
      }
      default: {
        const double* c = operands + static_cast<std::size_t>(in->c) * width;
        const double* d = operands + static_cast<std::size_t>(in->d) * width;
        LATWIN_LANES(apply_pure(in->op, a[lane], b[lane], c[lane], d[lane]));
      }
    }
#undef LATWIN_LANES
  }
}

}  // namespace latwin::engine
