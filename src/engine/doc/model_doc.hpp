#pragma once
// A compiled model's reference documentation in Markdown, for analysts who read its
// equations, question its parameters and change them (latwin doc). Everything on the page
// comes from the model files: the engine knows nothing of what the model is about.
#include <string>
#include <string_view>

#include "engine/compile/plan.hpp"

namespace latwin::engine {

// What the page needs that the plan does not hold.
struct DocOptions {
  std::string title = "model";  // the page's heading, e.g. the model folder's name
  // File names of the causal graph, relative to the page; empty: the page does not link it.
  std::string graph_svg;
  std::string graph_dot;
};

// The reference page of a model: a summary, one section per file (its leading comment, then
// its dimensions, stocks, parameters, auxiliaries, constants and lookups in tables, with
// equations and distributions in canonical form), the named inputs the model reads, the
// parameters without a source, and a link to the graph. Deterministic: the same plan gives
// the same bytes. The declarations are read again from plan.sources, since the plan keeps
// only what runs need; plan must come from compile_model(). Throws std::invalid_argument
// when plan holds no sources.
std::string model_markdown(const Plan& plan, const DocOptions& options);

// The comment block at the very top of a model file: its "#" lines up to the first line that
// is not a comment (blank lines before it are skipped), without the "#" and one space after
// it. Lines of a bare "#" become empty lines (paragraph breaks). Empty when the file does not
// start with a comment.
std::string leading_comment(std::string_view text);

}  // namespace latwin::engine
