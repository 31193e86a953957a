#pragma once
#include <unordered_map>
// The batched evaluator: runs a program over all lanes of a batch. Knows nothing of models,
// only of instructions and operands (plan.hpp).
#include <cstdint>
#include <vector>

#include "engine/compile/plan.hpp"

namespace latwin::engine {

struct ResolvedSeries {
  const Series* series = nullptr;  // null: no values (NaN, or 0 for allocations)
  SeriesKind kind = SeriesKind::kData;
  // A design's input factor (ParameterDesign::inputs) decides this series per member.
  std::int32_t design_column = -1;
  bool design_scale = false;
  double design_low = 0, design_high = 0;
};

struct ExecContext {
  std::uint64_t seed = 0;
  std::uint64_t first_member = 0;  // member of lane 0
  std::uint32_t step = 0;
  const LookupTable* lookups = nullptr;
  const ResolvedSeries* series = nullptr;
  // A parameter design (RunSpec::design): parameter stream -> column, and the quantiles of
  // member design_first_member onwards, design_factors per member.
  const std::unordered_map<std::uint32_t, std::uint32_t>* design_columns = nullptr;
  const double* design_unit = nullptr;
  std::size_t design_factors = 0;
  std::uint64_t design_first_member = 0;
  const std::uint64_t* event_members = nullptr;  // per member from design_first_member
  // Parameter sets (RunSpec::parameter_sets): parameter stream -> offset in a row; member m
  // reads row m % set_rows of set_row_width quantiles.
  const std::unordered_map<std::uint32_t, std::uint32_t>* set_offsets = nullptr;
  const double* set_unit = nullptr;
  std::size_t set_row_width = 0;
  std::uint64_t set_rows = 0;
};

// Operands are rows of `width` doubles; lanes [0, lanes) are computed (lanes <= width).
void execute(const Instr* begin, const Instr* end, double* operands, std::uint32_t width,
             std::uint32_t lanes, const ExecContext& ctx);

inline void execute(const std::vector<Instr>& program, double* operands, std::uint32_t width,
                    std::uint32_t lanes, const ExecContext& ctx) {
  execute(program.data(), program.data() + program.size(), operands, width, lanes, ctx);
}

}  // namespace latwin::engine
