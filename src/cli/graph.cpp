// latwin graph: the model's causal structure as Graphviz DOT.
#include <cstdio>

#include "cli/commands.hpp"
#include "core/error.hpp"

namespace latwin::cli {

namespace {

struct GraphOptions {
  std::vector<std::string> models;
  std::string data_dir;
  bool hidden = false;
};

int run_graph(const GraphOptions& options) {
  auto data = load_data(resolve_data_dir(options.data_dir));
  engine::CompileResult result = engine::compile_files(options.models, data.get());
  print_diagnostics(result);
  if (!result.ok()) return kExitFailure;
  std::string dot = engine::to_dot(*result.plan, options.hidden);
  std::fwrite(dot.data(), 1, dot.size(), stdout);
  return kExitOk;
}

}  // namespace

Command add_graph_command(CLI::App& app) {
  auto options = std::make_shared<GraphOptions>();
  CLI::App* command = app.add_subcommand(
      "graph",
      "Print the model's causal diagram in Graphviz DOT: one node per variable (stocks as "
      "boxes), an arrow from each variable to those whose equations use it.");
  add_model_options(command, options->models, options->data_dir);
  command->add_flag("--hidden", options->hidden,
                    "Also show the helper variables the compiler makes for smooth() and delay()");
  command->footer(
      "Example: latwin graph models/examples/hemisphere-lite | dot -Tsvg > diagram.svg\n");
  return {command, [options] { return run_graph(*options); }};
}

}  // namespace latwin::cli
