// latwin history: the model over past years with the U.S. aid actually given, and without it
// for chosen countries, next to what was observed (study/history_run.hpp). The Plan Colombia
// case of docs/validation.md is `latwin history --from 2000 --to 2015 --without COL`.
#include <fmt/format.h>

#include <cmath>
#include <filesystem>

#include "cli/commands.hpp"
#include "cli/validation_inputs.hpp"
#include "core/atomic_file.hpp"
#include "core/error.hpp"
#include "policy/parameter_file.hpp"
#include "study/history_run.hpp"

namespace latwin::cli {

namespace {

struct HistoryOptions {
  std::string model, data_dir, observations, scenario = "baseline", params;
  int from = 0, to = 0;
  std::vector<std::string> countries, without, indicators;
  std::uint64_t members = 500, seed = 1;
  int threads = 0;
  std::string out;
};

std::string number(double value) {
  return std::isfinite(value) ? fmt::format("{:.10g}", value) : "";
}

std::string short_number(double value) {
  if (!std::isfinite(value)) return "-";
  return fmt::format("{:.4g}", value);
}

int run_history_command(const HistoryOptions& options) {
  std::optional<policy::ParameterFile> params;
  if (!options.params.empty()) params = policy::read_parameter_file(options.params);
  ValidationSetup setup = prepare_validation(options.model, options.data_dir, options.observations,
                                             options.scenario, options.to);
  study::HistoryRequest request;
  request.plan = setup.compiled.plan;
  request.panel = &setup.source->panel();
  request.observations = setup.observations;
  if (!options.indicators.empty()) {
    request.observations.observations =
        study::selected_observations(setup.observations, options.indicators);
  }
  request.world = &setup.scenario;
  request.from = options.from;
  request.to = options.to;
  request.countries = options.countries.empty() ? options.without : options.countries;
  request.without = options.without;
  if (params) request.sets = params->sets;
  request.seed = options.seed;
  request.members = options.members;
  request.threads = options.threads;
  study::HistoryResult result = study::run_history(request);

  std::string csv =
      "indicator,variable,country,year,observed,with_aid_p5,with_aid_p50,with_aid_p95,"
      "without_aid_p5,without_aid_p50,without_aid_p95,effect_p5,effect_p50,effect_p95\n";
  for (const auto& cell : result.cells) {
    csv += fmt::format("{},{},{},{},{}", cell.indicator, cell.variable, cell.country, cell.year,
                       number(cell.observed));
    for (const auto* values : {&cell.with_aid, &cell.without_aid, &cell.effect}) {
      for (double v : *values) csv += "," + number(v);
    }
    csv += '\n';
  }
  create_output_folder(options.out);
  const std::filesystem::path path = std::filesystem::path(options.out) / "history.csv";
  write_file_atomically(path, csv);

  std::string text = fmt::format(
      "The model from {} to {} with the U.S. aid actually given{}, {} members{}. Medians, and "
      "the effect of the aid (with minus without, member by member) with its 90% range.\n",
      options.from, options.to,
      options.without.empty() ? "" : fmt::format(", and without any U.S. money for {}",
                                                 fmt::join(options.without, ", ")),
      options.members, params ? fmt::format(", parameters from {}", options.params) : "");
  std::string current;
  for (const auto& cell : result.cells) {
    const std::string heading = cell.indicator + " " + cell.country;
    if (heading != current) {
      current = heading;
      text += fmt::format("\n{} in {}:\n  {:>4} {:>10} {:>10} {:>10} {:>26}\n", cell.indicator,
                          cell.country, "year", "observed", "with aid", "without", "effect [90% range]");
    }
    text += fmt::format("  {:>4} {:>10} {:>10} {:>10} {:>26}\n", cell.year,
                        short_number(cell.observed), short_number(cell.with_aid[1]),
                        short_number(cell.without_aid[1]),
                        fmt::format("{} [{}, {}]", short_number(cell.effect[1]),
                                    short_number(cell.effect[0]), short_number(cell.effect[2])));
  }
  if (result.diagnostics > 0) {
    text += fmt::format("\n{} numerical diagnostics (values that left a declared range or were "
                        "not numbers).\n", result.diagnostics);
  }
  text += fmt::format("\nWrote {}\n", path.string());
  std::fputs(text.c_str(), stdout);
  return kExitOk;
}

}  // namespace

Command add_history_command(CLI::App& app) {
  auto options = std::make_shared<HistoryOptions>();
  CLI::App* command = app.add_subcommand(
      "history",
      "Run the model over past years with the U.S. aid actually given (from the data), and "
      "again without any U.S. money for the countries in --without, and set both beside what "
      "was observed. Writes history.csv.");
  add_validation_options(command, options->model, options->data_dir, options->observations,
                         options->scenario);
  command->add_option("--from", options->from, "First year: the runs start from its data")
      ->required()
      ->type_name("YEAR");
  command->add_option("--to", options->to, "Last year")->required()->type_name("YEAR");
  command
      ->add_option("--without", options->without,
                   "Countries that get no U.S. money in the second run (the counterfactual)")
      ->delimiter(',')
      ->type_name("ISO3");
  command
      ->add_option("--countries", options->countries,
                   "Countries to report (default: those in --without)")
      ->delimiter(',')
      ->type_name("ISO3");
  command
      ->add_option("--indicators", options->indicators,
                   "Indicators to report (default: every one in observations.yaml)")
      ->delimiter(',')
      ->type_name("ID");
  command
      ->add_option("--params", options->params,
                   "Parameter sets from latwin calibrate instead of the prior ranges")
      ->type_name("FILE");
  command->add_option("--members", options->members, "Ensemble members of each run")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  command->add_option("--seed", options->seed, "Random seed")->capture_default_str();
  command->add_option("--threads", options->threads, "Worker threads; 0 uses every core")
      ->check(CLI::NonNegativeNumber)
      ->capture_default_str();
  command->add_option("--out", options->out, "Folder for history.csv")->required()->type_name("DIR");
  command->footer(
      "Example (Plan Colombia):\n"
      "  latwin history --from 2000 --to 2015 --without COL --out out/plan-colombia\n");
  return {command, [options] { return run_history_command(*options); }};
}

}  // namespace latwin::cli
