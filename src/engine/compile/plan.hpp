#pragma once
// The compiled, immutable evaluation plan: what the simulator runs. Built once by
// compile_model(); every run holds it as std::shared_ptr<const Plan>.
//
// Values live in one buffer of "operands", each batch_width lanes wide (one lane per
// ensemble member of a batch):
//   [environment | variable slots | stock derivatives | constants | temporaries]
// A variable over dimensions has one slot per element. Programs are flat instruction lists;
// every instruction applies one operation to all lanes, so one pass advances a batch.
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "engine/inputs.hpp"
#include "engine/lang/ast.hpp"
#include "engine/lang/source.hpp"

namespace latwin::engine {

enum class OpCode : std::uint8_t {
  kCopy,        // dst = a
  kAdd,         // dst = a + b
  kSub,         // dst = a - b
  kMul,         // dst = a * b
  kDiv,         // dst = a / b
  kMulAdd,      // dst = a * b + c (two roundings, never fused)
  kPow,         // dst = pow(a, b)
  kNeg,         // dst = -a
  kEq, kNe, kLt, kLe, kGt, kGe,  // 1 or 0
  kAnd, kOr, kNot,               // on "a != 0"
  kSelect,      // dst = a != 0 ? b : c
  kMin, kMax,
  kAbs, kExp, kLog, kSqrt,
  kLogistic,    // 1 / (1 + exp(-a))
  kCoalesce,    // dst = isnan(a) ? b : a
  kLookup,      // dst = lookups[imm](a), linear, clamped at the ends
  kSeries,      // dst = series[imm] at year a
  kRandNormal,  // dst = a + b * N(0,1), draw (seed, member, imm, c, step)
  kRandUniform, // dst = a + (b - a) * U(0,1)
  kRandBernoulli,  // dst = U(0,1) < a
  kRandPoisson,    // dst = Poisson(a)
  kParamUniform,   // dst = U(0,1), draw (seed, member, imm, c, kParamStep)
  kQuantNormal,    // dst = quantile(a; b, c)
  kQuantLognormal,
  kQuantUniform,
  kQuantTriangular,  // dst = quantile(a; b, c, d)
  kQuantBeta,        // dst = quantile(a; b, c)
  kCdfNormal,        // dst = cdf(a; b, c)
  kCdfLognormal,
  kCdfUniform,
  kCdfTriangular,    // dst = cdf(a; b, c, d)
  kCdfBeta,
  // Arithmetic with a constant carried in the instruction (k), rewritten from the forms
  // above after compilation: half of a typical model's instructions read a constant, and
  // this saves loading a row of identical values for each.
  kAddK,   // dst = a + k
  kSubK,   // dst = a - k
  kKSub,   // dst = k - a
  kMulK,   // dst = a * k
  kDivK,   // dst = a / k
  kKDiv,   // dst = k / a
  kMulKAdd,  // dst = a * k + c (two roundings)
};

struct Instr {
  OpCode op = OpCode::kCopy;
  std::uint32_t dst = 0, a = 0, b = 0, c = 0, d = 0;
  std::uint32_t imm = 0;
  double k = 0;  // the constant of the *K forms
};

// Fixed operands at the start of the buffer, refreshed by the integrator.
enum EnvOperand : std::uint32_t {
  kEnvTime = 0,
  kEnvDt = 1,
  kEnvStart = 2,
  kEnvStop = 3,
  kEnvSampleFlag = 4,  // 1 when parameters are drawn, 0 for nominal values
  kEnvCount = 5,
};

// The step number parameter draws use; no simulation step has it.
inline constexpr std::uint32_t kParamStep = 0xFFFFFFFFu;

enum class VarRole : std::uint8_t { kConst, kParam, kAux, kStock, kLookup, kDelayOutput };

struct Dimension {
  std::string name;
  std::vector<std::string> elements;
  int parent = -1;                         // index of the dimension this is a subset of
  std::vector<std::uint32_t> parent_index;  // element i of this subset is parent element ...
  std::string description;
};

struct Variable {
  std::string name;
  VarRole role = VarRole::kAux;
  bool hidden = false;  // made by the compiler (smooth, delay); not shown unless asked for
  std::vector<std::uint32_t> dims;  // dimension indices, at most two
  std::uint32_t first_slot = 0;     // slot of element 0; elements are row-major
  std::uint32_t element_count = 1;
  std::string unit;                 // printed form; empty when unknown
  std::string description, source;
  std::string distribution;         // printed form, parameters only
  // Parameters with a distribution: the random stream of their draws (one uniform per
  // element), which an experimental design can replace (RunSpec::design).
  std::optional<std::uint32_t> param_stream;
  std::optional<double> range_low, range_high;
  std::vector<double> const_values;  // consts: one per element
  std::vector<std::uint32_t> depends_on;  // variables its equations read (for graphs)
  lang::SourceLoc loc;
};

struct LookupTable {
  std::vector<double> x, y;
  double at(double value) const;
};

enum class SeriesKind : std::uint8_t { kData, kScenario, kAllocation };

struct SeriesRef {
  SeriesKind kind = SeriesKind::kData;
  std::string name;
  std::string element;  // empty for a scalar context
  Series data;          // filled at compile time for kData
  // The variable whose equation first reads it: its unit and range say what the series
  // means (e.g. an allocation in USD/year or an intensity in [0, 1]).
  std::uint32_t reader = 0;
  // A scenario series every use of which gives a default (scenario("name", default)) may be
  // left out by a run; one read without a default must be supplied.
  bool required = true;
};

// A fixed delay: output = input as it was delay_time ago (init before that).
struct DelayLine {
  std::uint32_t input_slot = 0;
  std::uint32_t output_slot = 0;
  std::uint32_t init_operand = 0;
  double delay_time = 0;
  std::uint32_t var = 0;  // the hidden output variable, for messages
};

struct Settings {
  double start = 0;
  double stop = 10;
  double dt = 1;
  double save_every = 1;
  lang::Method method = lang::Method::kEuler;
};

struct Plan {
  std::vector<Dimension> dimensions;
  std::vector<Variable> variables;
  Settings settings;

  std::uint32_t slot_count = 0;
  std::uint32_t constant_count = 0;
  std::uint32_t temp_count = 0;
  std::vector<double> constants;           // values of the constant operands
  std::vector<std::uint32_t> stock_slots;  // derivative i belongs to slot stock_slots[i]
  std::vector<std::uint32_t> slot_var;     // variable of each slot

  // Runs once per batch: parameters, stocks' initial values, auxiliaries at the start.
  std::vector<Instr> init_program;
  // (end of a parameter's instructions in init_program, its slot): where a run's fixed
  // parameter values are applied, so everything computed from the parameter follows it.
  std::vector<std::pair<std::uint32_t, std::uint32_t>> param_ends;
  // Auxiliaries (and flows) from stocks, parameters and time, in dependency order.
  std::vector<Instr> aux_program;
  // Writes the net flow of every stock into its derivative operand.
  std::vector<Instr> deriv_program;

  std::vector<LookupTable> lookups;
  std::vector<SeriesRef> series;
  std::vector<DelayLine> delays;

  std::shared_ptr<const lang::SourceSet> sources;

  // Operand layout.
  std::uint32_t slot_operand(std::uint32_t slot) const { return kEnvCount + slot; }
  std::uint32_t deriv_operand(std::uint32_t i) const { return kEnvCount + slot_count + i; }
  std::uint32_t constant_operand(std::uint32_t i) const {
    return kEnvCount + slot_count + static_cast<std::uint32_t>(stock_slots.size()) + i;
  }
  std::uint32_t temp_operand(std::uint32_t i) const {
    return constant_operand(constant_count) + i;
  }
  std::uint32_t operand_count() const { return temp_operand(temp_count); }

  // Lookup by name; nullopt when absent.
  std::optional<std::uint32_t> find_variable(const std::string& name) const;
  std::optional<std::uint32_t> find_dimension(const std::string& name) const;
  // "COL", "security.COL" or "" for a scalar.
  std::string element_name(const Variable& var, std::uint32_t element) const;
  std::size_t equation_count() const;  // non-hidden auxes, stocks and flows
};

}  // namespace latwin::engine
