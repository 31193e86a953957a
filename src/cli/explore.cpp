// latwin explore: which uncertain parameters a strategy's outcome depends on (Sobol' indices
// or Morris screening), and under which conditions it fails (PRIM scenario discovery).
#include <fmt/format.h>
#include <fmt/ranges.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <ctime>
#include <filesystem>
#include <nlohmann/json.hpp>

#include "analysis/prim.hpp"
#include "analysis/sensitivity.hpp"
#include "cli/commands.hpp"
#include "cli/params_option.hpp"
#include "core/atomic_file.hpp"
#include "core/error.hpp"
#include "core/sha256.hpp"
#include "engine/run/output.hpp"
#include "latwin/version.hpp"
#include "policy/model_interface.hpp"
#include "policy/scenario.hpp"
#include "policy/strategy.hpp"
#include "store/store.hpp"
#include "study/exploration.hpp"

namespace latwin::cli {

namespace {

using Json = nlohmann::ordered_json;
using Clock = std::chrono::steady_clock;

struct ExploreOptions {
  std::string model, data_dir, scenario = "baseline";
  std::vector<std::string> strategies;
  std::size_t samples = 256;
  std::string design = "lhs";
  std::size_t resamples = 200;
  std::uint64_t seed = 1;
  int threads = 0;
  std::string out, store, params;
  bool no_store = false, quiet = false;
};

Json number(double value) { return std::isfinite(value) ? Json(value) : Json(nullptr); }

// Morris's grid includes 0 and 1, where unbounded distributions have no quantile: its p
// levels map to the midpoints of p equal strata instead (a monotone map, so effects keep
// their signs and ranks).
std::vector<double> to_quantiles(const analysis::Design& design, std::size_t levels) {
  std::vector<double> unit = design.points;
  if (levels > 0) {
    const double p = static_cast<double>(levels);
    for (double& u : unit) u = (u * (p - 1) + 0.5) / p;
  }
  return unit;
}

int run_explore(const ExploreOptions& options) {
  const Clock::time_point started = Clock::now();
  if (options.strategies.empty() || options.strategies.size() > 2) {
    throw InputError("--strategy: give the strategy to explore, and optionally a second one to "
                     "measure it against");
  }
  if (options.samples < 2) throw InputError("--samples must be at least 2");
  if (options.design != "lhs" && options.design != "sobol" && options.design != "morris") {
    throw InputError(fmt::format("--design {}: expected lhs, sobol or morris", options.design));
  }
  // A bad parameter file fails before the model compiles.
  std::optional<policy::ParameterFile> params = read_params(options.params);
  const engine::ParameterSets sets = params_sets(params);
  std::unique_ptr<store::Store> store;
  if (!options.no_store) {
    store = std::make_unique<store::Store>(options.store.empty() ? store::default_store_path()
                                                                 : std::filesystem::path(options.store));
  }
  std::string model_dir = resolve_model_dir(options.model);
  std::string data_dir = require_data_dir(options.data_dir);
  auto data = load_data(data_dir);
  engine::CompileResult compiled = engine::compile_files({model_dir}, data.get());
  print_diagnostics(compiled);
  if (!compiled.ok()) return kExitFailure;
  policy::ModelInterface model = policy::describe_model(*compiled.plan, &data->panel());
  policy::Scenario scenario =
      policy::load_scenario(resolve_named_file("scenarios", options.scenario), model);
  std::vector<policy::Strategy> strategies;
  for (const auto& name : options.strategies) {
    strategies.push_back(policy::load_strategy(resolve_named_file("strategies", name), model, scenario));
  }
  study::ExplorationFactors sampled = study::exploration_factors(*compiled.plan, scenario, sets);
  const std::vector<std::string> factors = sampled.names();
  const std::size_t d = sampled.size();
  if (d == 0) {
    throw InputError(fmt::format("the model has no uncertain parameter{} and the scenario no deep "
                                 "uncertainty to explore",
                                 params ? " outside the parameter sets (--params)" : ""));
  }

  // The design.
  analysis::Design design;
  analysis::SaltelliDesign saltelli;
  analysis::MorrisDesign morris;
  std::size_t levels = 0;
  if (options.design == "lhs") {
    design = analysis::latin_hypercube(options.samples, d, options.seed);
  } else if (options.design == "sobol") {
    saltelli = analysis::saltelli_design(options.samples, d, options.seed);
    design = saltelli.points;
  } else {
    levels = 4;
    morris = analysis::morris_design(options.samples, d, levels, options.seed);
    design = morris.points;
  }
  std::vector<double> unit = to_quantiles(design, levels);
  const std::size_t rows = design.size();
  // Rows that differ only in parameters share their random events: a Saltelli base row with
  // its d + 2 points, a Morris trajectory with its d + 1 points. The events then add noise
  // between base rows (counted in the variance), not inside an elementary effect.
  std::vector<std::uint64_t> events(rows);
  for (std::size_t i = 0; i < rows; ++i) {
    events[i] = options.design == "sobol" ? i / (d + 2) : options.design == "morris" ? i / (d + 1) : i;
  }
  fmt::print("Exploring {} over {} uncertain parameters and {} deep uncertainties of the scenario: "
             "{} design, {} runs per strategy.\n",
             fmt::join(options.strategies, " and "), sampled.parameters.size(),
             sampled.inputs.size(), options.design, rows);
  std::fflush(stdout);

  // The runs: every strategy on the same design rows.
  std::vector<std::vector<double>> index;
  for (std::size_t s = 0; s < strategies.size(); ++s) {
    if (!options.quiet && ::isatty(STDERR_FILENO)) {
      std::fprintf(stderr, "\r\x1b[Kstrategy %zu/%zu %s: %zu runs", s + 1, strategies.size(),
                   strategies[s].name.c_str(), rows);
      std::fflush(stderr);
    }
    index.push_back(study::index_over_design(compiled.plan, scenario, strategies[s], sampled, unit,
                                             events, "latin_win_index", options.seed,
                                             options.threads, sets));
  }
  if (!options.quiet && ::isatty(STDERR_FILENO)) std::fputs("\r\x1b[K", stderr);

  // The outcome analysed: the index, or its gain over the second strategy, row by row.
  const bool versus = strategies.size() == 2;
  std::vector<double> outcome(rows);
  std::vector<bool> fails(rows);
  for (std::size_t i = 0; i < rows; ++i) {
    outcome[i] = versus ? index[0][i] - index[1][i] : index[0][i];
    fails[i] = outcome[i] < 0;
  }
  std::string outcome_text =
      versus ? fmt::format("{}'s Latin Win Index minus {}'s in {}", strategies[0].name,
                           strategies[1].name, scenario.horizon)
             : fmt::format("{}'s Latin Win Index in {}", strategies[0].name, scenario.horizon);
  std::string failure_text = versus ? fmt::format("{} does worse than {}", strategies[0].name,
                                                  strategies[1].name)
                                    : fmt::format("{} leaves U.S. interests worse than in {}",
                                                  strategies[0].name, scenario.start);

  Json doc;
  doc["format"] = "latwin-explore/1";
  doc["created"] = utc_now();
  doc["latwin_version"] = kVersion;
  doc["scenario"] = scenario.name;
  doc["strategies"] = options.strategies;
  doc["design"] = options.design;
  doc["samples"] = options.samples;
  doc["runs_per_strategy"] = rows;
  doc["seed"] = options.seed;
  doc["parameters"] = params_record(options.params, params);
  doc["outcome"] = outcome_text;
  doc["failure"] = failure_text;
  doc["factors"] = factors;
  doc["deep_uncertainties"] = Json::array();
  for (const auto& uncertain : scenario.uncertain) {
    doc["deep_uncertainties"].push_back(
        Json{{"input", uncertain.factor.name},
             {"mode", uncertain.factor.mode == engine::InputFactor::Mode::kScale ? "scale" : "range"},
             {"low", uncertain.factor.low}, {"high", uncertain.factor.high}, {"why", uncertain.why}});
  }

  // Sensitivity.
  std::vector<std::pair<double, std::string>> ranking;
  std::string sensitivity_csv;
  if (options.design == "sobol") {
    auto indices = analysis::sobol_indices(saltelli, outcome, options.resamples, options.seed);
    sensitivity_csv = "factor,first,first_low,first_high,total,total_low,total_high\n";
    doc["sobol"] = Json::array();
    for (std::size_t j = 0; j < d; ++j) {
      const auto& s = indices[j];
      doc["sobol"].push_back(Json{{"factor", factors[j]}, {"first", number(s.first)},
                                  {"first_low", number(s.first_low)}, {"first_high", number(s.first_high)},
                                  {"total", number(s.total)}, {"total_low", number(s.total_low)},
                                  {"total_high", number(s.total_high)}});
      sensitivity_csv += fmt::format("{},{},{},{},{},{},{}\n", factors[j], s.first, s.first_low,
                                     s.first_high, s.total, s.total_low, s.total_high);
      ranking.emplace_back(std::isfinite(s.total) ? s.total : -1, factors[j]);
    }
  } else if (options.design == "morris") {
    auto effects = analysis::morris_effects(morris, outcome);
    sensitivity_csv = "factor,mu,mu_star,sigma\n";
    doc["morris"] = Json::array();
    for (std::size_t j = 0; j < d; ++j) {
      const auto& e = effects[j];
      doc["morris"].push_back(Json{{"factor", factors[j]}, {"mu", number(e.mu)},
                                   {"mu_star", number(e.mu_star)}, {"sigma", number(e.sigma)}});
      sensitivity_csv += fmt::format("{},{},{},{}\n", factors[j], e.mu, e.mu_star, e.sigma);
      ranking.emplace_back(std::isfinite(e.mu_star) ? e.mu_star : -1, factors[j]);
    }
  }
  std::stable_sort(ranking.begin(), ranking.end(),
                   [](const auto& a, const auto& b) { return a.first > b.first; });

  // Scenario discovery on the rows sampled independently (Saltelli's A and B rows; every
  // row of the other designs).
  std::vector<double> x;
  std::vector<bool> cases;
  for (std::size_t i = 0; i < rows; ++i) {
    if (options.design == "sobol") {
      std::size_t within = i % (d + 2);
      if (within > 1) continue;
    }
    // Deep uncertainties in their own units, so the box reads as values of the input.
    for (std::size_t j = 0; j < d; ++j) x.push_back(sampled.shown_value(j, unit[i * d + j]));
    cases.push_back(fails[i]);
  }
  analysis::PrimOptions prim_options;
  analysis::PrimResult prim = analysis::prim(x, d, cases, prim_options);
  std::string box_text = analysis::describe_box(prim.box, factors);
  doc["prim"] = Json{{"points", cases.size()},
                     {"base_density", prim.base_density},
                     {"chosen", prim.chosen},
                     {"box", box_text},
                     {"limits", Json::array()},
                     {"trajectory", Json::array()}};
  for (const auto& limit : prim.box.restricted()) {
    doc["prim"]["limits"].push_back(Json{{"factor", factors[limit.factor]}, {"low", number(limit.low)},
                                         {"high", number(limit.high)},
                                         {"quasi_p", prim.quasi_p[limit.factor]}});
  }
  std::string prim_csv = "step,coverage,density,mass,points,cases,restricted\n";
  for (std::size_t k = 0; k < prim.trajectory.size(); ++k) {
    const auto& box = prim.trajectory[k];
    Json limits = Json::array();
    std::vector<std::string> restricted;
    for (const auto& limit : box.restricted()) {
      limits.push_back(Json{{"factor", factors[limit.factor]}, {"low", number(limit.low)},
                            {"high", number(limit.high)}});
      restricted.push_back(factors[limit.factor]);
    }
    doc["prim"]["trajectory"].push_back(Json{{"coverage", box.coverage}, {"density", box.density},
                                             {"mass", box.mass}, {"limits", limits}});
    prim_csv += fmt::format("{},{},{},{},{},{},", k, box.coverage, box.density, box.mass,
                            box.points, box.cases);
    engine::append_csv_field(prim_csv, fmt::format("{}", fmt::join(restricted, ";")));
    prim_csv += '\n';
  }

  // Files and the store.
  std::string out = options.out.empty() ? fmt::format("out/explore-{}", strategies[0].name) : options.out;
  create_output_folder(out);
  auto write = [&](const char* name, const std::string& text) {
    AtomicFileWriter writer(std::filesystem::path(out) / name);
    writer.write(text);
    writer.commit();
  };
  std::string document_text = doc.dump(1);
  write("explore.json", document_text + "\n");
  if (!sensitivity_csv.empty()) write("sensitivity.csv", sensitivity_csv);
  write("prim.csv", prim_csv);
  std::int64_t id = 0;
  if (store) {
    store::RunRecord record;
    record.kind = "explore";
    record.label = fmt::format("{}: {} ({} design)", scenario.name,
                               fmt::join(options.strategies, " vs "), options.design);
    record.command_line = fmt::format(
        "latwin explore --model {} --data {} --scenario {} --strategy {} --samples {} --design {} --seed {}{}",
        model_dir, data_dir, scenario.path, fmt::join(options.strategies, " --strategy "),
        options.samples, options.design, options.seed,
        options.params.empty() ? std::string() : " --params " + options.params);
    record.latwin_version = kVersion;
    record.created = doc["created"];
    record.seed = options.seed;
    record.members = rows;
    record.scenario = scenario.name;
    for (const auto& s : strategies) {
      record.strategies.push_back(s.name);
      record.inputs.push_back({"strategy", s.name, s.path, sha256_hex(s.text), s.text});
    }
    record.inputs.push_back({"scenario", scenario.name, scenario.path, sha256_hex(scenario.text), scenario.text});
    record.document = document_text;
    id = store->save(record);
  }

  // The terminal summary.
  std::size_t failures = static_cast<std::size_t>(std::count(fails.begin(), fails.end(), true));
  fmt::print("\n{}: below 0 in {} of {} runs ({:.0f}%).\n", outcome_text, failures, rows,
             100.0 * static_cast<double>(failures) / static_cast<double>(rows));
  if (!ranking.empty()) {
    fmt::print("What it depends on most ({}):\n",
               options.design == "sobol" ? "Sobol' total index" : "Morris mu*");
    for (std::size_t k = 0; k < std::min<std::size_t>(10, ranking.size()); ++k) {
      fmt::print("  {:<40} {:.3f}\n", ranking[k].second, ranking[k].first);
    }
  }
  fmt::print("When {} (scenario discovery, PRIM): {}\n", failure_text, box_text);
  fmt::print("(Parameters are quantiles of their distributions: 0.9 means the 90th percentile. "
             "Scenario inputs are in their own units, or multiples of the scenario's series where "
             "marked x.)\n");
  if (id > 0) fmt::print("Stored as run {} in {}\n", id, store->path().string());
  double elapsed = std::chrono::duration<double>(Clock::now() - started).count();
  fmt::print("Wrote {}/explore.json{}, prim.csv ({:.1f} s)\n", out,
             sensitivity_csv.empty() ? "" : ", sensitivity.csv", elapsed);
  return kExitOk;
}

}  // namespace

Command add_explore_command(CLI::App& app) {
  auto options = std::make_shared<ExploreOptions>();
  CLI::App* command = app.add_subcommand(
      "explore",
      "Sample the model's uncertain parameters and the scenario's deep uncertainties: which "
      "ones a strategy's outcome depends on (Sobol' indices or Morris screening), and when it "
      "fails (PRIM scenario discovery)");
  command->add_option("--model", options->model, "Model folder; default: the hemisphere model")
      ->type_name("DIR");
  add_data_option(command, options->data_dir);
  command->add_option("--scenario", options->scenario, "Scenario name or .yaml file")
      ->capture_default_str();
  command->add_option("--strategy", options->strategies,
                      "The strategy to explore; a second --strategy is the one it is measured against")
      ->required();
  command->add_option("--samples", options->samples,
                      "lhs: runs; sobol: base rows (runs = samples x (parameters + 2)); morris: "
                      "trajectories (runs = samples x (parameters + 1))")
      ->capture_default_str();
  command->add_option("--design", options->design, "lhs, sobol or morris")->capture_default_str();
  command->add_option("--resamples", options->resamples, "Bootstrap resamples for Sobol' intervals")
      ->capture_default_str();
  command->add_option("--seed", options->seed, "Random seed: the design and the model's random events")
      ->capture_default_str();
  command->add_option("--threads", options->threads, "Worker threads (0: all cores)")->capture_default_str();
  command->add_option("--out", options->out, "Output folder; default: out/explore-STRATEGY")->type_name("DIR");
  command->add_option("--store", options->store, "Results store; default: $LATWIN_STORE or the user's")
      ->type_name("PATH");
  command->add_flag("--no-store", options->no_store, "Do not keep the run in the results store");
  add_params_option(command, options->params,
                    "; the parameters it lists follow their sets and are not explored (a design "
                    "factor would override them), the design varies the rest");
  command->add_flag("--quiet", options->quiet, "No progress line");
  return {command, [options]() { return run_explore(*options); }};
}

}  // namespace latwin::cli
