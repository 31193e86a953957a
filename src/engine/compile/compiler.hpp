#pragma once
// Model files → Plan: parse, resolve names, check dimensions and units, order equations,
// reject algebraic loops, emit programs.
#include <memory>
#include <string>
#include <vector>

#include "engine/compile/plan.hpp"
#include "engine/inputs.hpp"
#include "engine/lang/source.hpp"

namespace latwin::engine {

// Work the compiler refuses, so that no input makes it take unbounded time or memory:
// instructions of all programs together (reductions expand per element).
inline constexpr std::size_t kMaxInstructions = 5'000'000;

struct CompileResult {
  std::shared_ptr<const Plan> plan;  // null when there are errors
  lang::Diagnostics diagnostics;
  std::shared_ptr<const lang::SourceSet> sources;

  bool ok() const { return plan != nullptr; }
  std::string messages() const { return sources ? diagnostics.format(*sources) : ""; }
};

// Compiles the model in sources. data may be null when the model reads no data.
// Never throws for problems in the model: they are diagnostics.
CompileResult compile_model(std::shared_ptr<const lang::SourceSet> sources,
                            const DataSource* data);

// Reads the .lw files of the given files/folders and compiles them. Throws
// latwin::InputError when a path cannot be read.
CompileResult compile_files(const std::vector<std::string>& paths, const DataSource* data);

// Compiles model text held in memory (tests, fuzzing); path names it in messages.
CompileResult compile_text(const std::string& text, const DataSource* data,
                           const std::string& path = "model.lw");

// Graphviz DOT of the causal structure: variables as nodes (stocks as boxes), an edge from
// each variable to the variables whose equations read it.
std::string to_dot(const Plan& plan, bool include_hidden = false);

}  // namespace latwin::engine
