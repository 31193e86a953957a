// latwin calibrate: estimate the model's uncertain parameters from the data of past years
// (rejection ABC, study/calibration.hpp) and write them as a parameter file every command
// accepts with --params.
#include <fmt/format.h>
#include <unistd.h>

#include <filesystem>
#include <nlohmann/json.hpp>

#include "cli/commands.hpp"
#include "cli/validation_inputs.hpp"
#include "core/error.hpp"
#include "core/sha256.hpp"
#include "latwin/version.hpp"
#include "policy/parameter_file.hpp"
#include "study/backtest.hpp"
#include "study/calibration.hpp"
#include "study/historical_inputs.hpp"

namespace latwin::cli {

namespace {

struct CalibrateOptions {
  std::string model, data_dir, observations, scenario = "baseline", method = "abc-rejection";
  int from = 0, to = 0;
  std::vector<std::string> indicators;
  std::uint64_t draws = 4000, accept = 200, seed = 1;
  int threads = 0;
  bool quiet = false;
  std::string out;
  std::vector<std::string> command_line;
};

int run_calibrate(const CalibrateOptions& options) {
  if (options.to <= options.from) {
    throw InputError(fmt::format("--from {} --to {}: the calibration years must run forward",
                                 options.from, options.to));
  }
  if (options.accept == 0 || options.accept > options.draws) {
    throw InputError(fmt::format("--accept {}: keep between 1 and --draws ({}) parameter sets",
                                 options.accept, options.draws));
  }
  // Nothing after --to may shape the fit, not even through the model's own data reads.
  ValidationSetup setup = prepare_validation(options.model, options.data_dir, options.observations,
                                             options.scenario, options.to);
  std::vector<study::Observation> observations =
      study::selected_observations(setup.observations, options.indicators);

  study::CalibrationRequest request;
  request.plan = setup.compiled.plan;
  request.panel = &setup.source->panel();
  request.observations = observations;
  const study::HistoricalAid& aid = setup.observations.aid;
  study::StatusQuoLevels past =
      study::status_quo_levels(request.plan, *request.panel, aid, options.from);
  request.inputs.allocations =
      study::historical_allocations(past, *request.panel, aid, options.to, options.to);
  request.inputs.scenario = study::held_scenario_series(setup.scenario, options.from, options.to);
  request.overrides = setup.scenario.overrides;
  request.from = options.from;
  request.to = options.to;
  request.seed = options.seed;
  request.draws = options.draws;
  request.accept = options.accept;
  request.threads = options.threads;

  ProgressLine progress(options.draws, !options.quiet && ::isatty(STDERR_FILENO) != 0,
                        "prior draws");
  study::CalibrationResult result =
      study::calibrate(request, [&progress](std::uint64_t done) { progress.update(done); });
  progress.finish();

  using Json = nlohmann::ordered_json;
  Json fit = Json::array();
  for (const auto& item : result.fit) {
    fit.push_back({{"indicator", item.indicator},
                   {"variable", item.variable},
                   {"points", item.points},
                   {"scale", item.scale},
                   {"prior_rmse", item.prior_rmse},
                   {"posterior_rmse", item.posterior_rmse}});
  }
  policy::ParameterFile file;
  file.sets = result.sets;
  file.provenance = {
      {"method", kCalibrationMethod},
      {"distance", kCalibrationDistance},
      {"settings",
       {{"draws", options.draws}, {"accepted", options.accept}, {"seed", options.seed}}},
      {"data", {{"dir", setup.data_dir}, {"as_of", options.to}, {"years", {options.from + 1, options.to}}}},
      {"run_from", options.from},
      {"model", {{"dir", setup.model_dir}, {"sha256", setup.model_sha256}}},
      {"observations", setup.observations.path},
      {"world", {{"scenario", setup.scenario.path}, {"held_from", options.from}}},
      {"fit",
       {{"tolerance", result.tolerance},
        {"prior_median_distance", result.prior_median_distance},
        {"accepted_median_distance",
         result.accepted_distance[result.accepted_distance.size() / 2]},
        {"non_finite_draws", result.non_finite},
        {"diagnostics", result.diagnostics},
        {"indicators", fit},
        {"skipped", result.skipped}}},
      {"latwin_version", kVersion},
      {"created", utc_now()},
      {"command", options.command_line}};
  policy::write_parameter_file(options.out, file);

  std::string text = fmt::format(
      "Calibrated {} uncertain parameters on {} to {} (data as known in {}): kept the {} nearest "
      "of {} prior draws (tolerance {:.3g}, median distance {:.3g} before, {:.3g} kept).\n\n",
      result.sets.parameters.size(), options.from + 1, options.to, options.to, options.accept,
      options.draws, result.tolerance, result.prior_median_distance,
      result.accepted_distance[result.accepted_distance.size() / 2]);
  text += "How far the model is from the data (root mean square of the errors, in units of the\n"
          "indicator's spread across countries; lower is better):\n\n";
  text += fmt::format("  {:<24} {:>7} {:>10} {:>10}\n", "indicator", "points", "prior", "fitted");
  for (const auto& item : result.fit) {
    text += fmt::format("  {:<24} {:>7} {:>10.3f} {:>10.3f}\n", item.indicator, item.points,
                        item.prior_rmse, item.posterior_rmse);
  }
  for (const auto& name : result.skipped) {
    text += fmt::format("  {:<24} no observed value in these years: not fitted\n", name);
  }
  if (result.non_finite > 0) {
    text += fmt::format("\n{} draws gave a non-number at an observed point and were left out.\n",
                        result.non_finite);
  }
  text += fmt::format("\nWrote {} (use it with --params)\n", options.out);
  std::fputs(text.c_str(), stdout);
  return kExitOk;
}

}  // namespace

Command add_calibrate_command(CLI::App& app, std::vector<std::string> command_line) {
  auto options = std::make_shared<CalibrateOptions>();
  options->command_line = std::move(command_line);
  CLI::App* command = app.add_subcommand(
      "calibrate",
      "Estimate the model's uncertain parameters from past years: run the model over them many "
      "times with the U.S. aid actually given, each time drawing the parameters from their "
      "ranges, and keep the runs nearest to what was observed (approximate Bayesian "
      "computation). Writes the kept parameter sets to a file that run, compare, optimize, "
      "explore and backtest accept with --params.");
  add_validation_options(command, options->model, options->data_dir, options->observations,
                         options->scenario);
  command->add_option("--from", options->from, "First year of the fit: the runs start from its data")
      ->required()
      ->type_name("YEAR");
  command->add_option("--to", options->to, "Last year of the fit: no data after it is used")
      ->required()
      ->type_name("YEAR");
  command
      ->add_option("--method", options->method,
                   "Estimation method; abc-rejection (the one there is) keeps the nearest draws")
      ->check(CLI::IsMember({"abc-rejection"}))
      ->capture_default_str();
  command
      ->add_option("--indicators", options->indicators,
                   "Indicators to fit (default: every one the model's observations.yaml lists)")
      ->delimiter(',')
      ->type_name("ID");
  command->add_option("--draws", options->draws, "Parameter sets drawn from the prior and run")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  command->add_option("--accept", options->accept, "Sets kept: the nearest to the data")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  command->add_option("--seed", options->seed, "Random seed: the same seed gives the same sets")
      ->capture_default_str();
  command->add_option("--threads", options->threads, "Worker threads; 0 uses every core")
      ->check(CLI::NonNegativeNumber)
      ->capture_default_str();
  command->add_option("--out", options->out, "Parameter file to write")
      ->required()
      ->type_name("FILE.yaml");
  command->add_flag("--quiet", options->quiet, "No progress line");
  command->footer(
      "Example:\n"
      "  latwin calibrate --from 2005 --to 2015 --out out/params-2015.yaml\n"
      "  latwin run models/hemisphere --params out/params-2015.yaml --out out/posterior\n");
  return {command, [options] { return run_calibrate(*options); }};
}

}  // namespace latwin::cli
