// latwin check: compile a model and report its problems, or a one-line description.
#include <fmt/format.h>
#include <fmt/ranges.h>

#include <cstdio>

#include "cli/commands.hpp"
#include "core/error.hpp"

namespace latwin::cli {

namespace {

struct CheckOptions {
  std::vector<std::string> models;
  std::string data_dir;
};

std::string count_noun(std::size_t count, const char* singular, const char* plural) {
  return fmt::format("{} {}", count, count == 1 ? singular : plural);
}

// "12 variables (3 stocks, 4 parameters, 5 auxiliaries), 2 dimensions"
std::string describe_plan(const engine::Plan& plan) {
  using engine::VarRole;
  struct RoleCount {
    VarRole role;
    const char* singular;
    const char* plural;
    std::size_t count = 0;
  };
  RoleCount roles[] = {
      {VarRole::kStock, "stock", "stocks"},        {VarRole::kParam, "parameter", "parameters"},
      {VarRole::kAux, "auxiliary", "auxiliaries"}, {VarRole::kConst, "constant", "constants"},
      {VarRole::kLookup, "lookup", "lookups"},     {VarRole::kDelayOutput, "delay", "delays"}};
  std::size_t shown = 0;
  for (const auto& var : plan.variables) {
    if (var.hidden) continue;
    ++shown;
    for (auto& role : roles) {
      if (role.role == var.role) ++role.count;
    }
  }
  std::vector<std::string> parts;
  for (const auto& role : roles) {
    if (role.count > 0) parts.push_back(count_noun(role.count, role.singular, role.plural));
  }
  std::size_t subsets = 0;
  for (const auto& dim : plan.dimensions) subsets += dim.parent >= 0 ? 1 : 0;
  std::string text = count_noun(shown, "variable", "variables");
  if (!parts.empty()) text += fmt::format(" ({})", fmt::join(parts, ", "));
  text += ", " + count_noun(plan.dimensions.size() - subsets, "dimension", "dimensions");
  if (subsets > 0) text += ", " + count_noun(subsets, "subset", "subsets");
  return text;
}

int run_check(const CheckOptions& options) {
  auto data = load_data(resolve_data_dir(options.data_dir));
  engine::CompileResult result = engine::compile_files(options.models, data.get());
  print_diagnostics(result);
  if (!result.ok()) return kExitFailure;
  std::string line =
      fmt::format("{}: ok — {}", fmt::join(options.models, " "), describe_plan(*result.plan));
  std::size_t warnings = result.diagnostics.all().size() - result.diagnostics.error_count();
  if (warnings > 0) line += ", " + count_noun(warnings, "warning", "warnings");
  std::printf("%s\n", line.c_str());
  return kExitOk;
}

}  // namespace

Command add_check_command(CLI::App& app) {
  auto options = std::make_shared<CheckOptions>();
  CLI::App* command = app.add_subcommand(
      "check",
      "Check a model without running it: reads the model files, reports every problem with its "
      "file, line and column, and otherwise prints what the model contains. Exit code 0 when "
      "the model is fine, 1 when it has errors.");
  add_model_options(command, options->models, options->data_dir);
  command->footer("Example: latwin check models/examples/hemisphere-lite\n");
  return {command, [options] { return run_check(*options); }};
}

}  // namespace latwin::cli
