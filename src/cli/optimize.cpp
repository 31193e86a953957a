// latwin optimize: the allocation of a budget that serves the index best under a scenario,
// written as a strategy file that latwin compare runs again.
#include <fmt/format.h>
#include <fmt/ranges.h>
#include <unistd.h>

#include <chrono>
#include <cmath>
#include <ctime>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <sstream>

#include "cli/commands.hpp"
#include "core/atomic_file.hpp"
#include "core/error.hpp"
#include "core/sha256.hpp"
#include "latwin/version.hpp"
#include "policy/constraints.hpp"
#include "policy/model_interface.hpp"
#include "policy/scenario.hpp"
#include "policy/strategy.hpp"
#include "policy/yaml_file.hpp"
#include "store/store.hpp"
#include "study/comparison_run.hpp"
#include "study/optimization.hpp"

namespace latwin::cli {

namespace {

using Json = nlohmann::ordered_json;
using Clock = std::chrono::steady_clock;

struct OptimizeOptions {
  std::string model, data_dir, scenario = "baseline";
  double budget = 0;
  std::string objective = "expected";
  std::vector<std::string> instruments;
  std::string countries = "subregions";
  int phases = 1;
  std::string constraints, base = "status-quo", start;
  std::vector<std::string> regret_strategies;
  std::uint64_t members = 200;
  std::size_t evaluations = 600;
  std::string algorithm = "cmaes";
  std::uint64_t seed = 1;
  int threads = 0;
  std::string out, name, store;
  bool no_store = false, quiet = false;
};

std::vector<std::string> split_list(const std::string& text) {
  std::vector<std::string> items;
  std::stringstream in(text);
  std::string item;
  while (std::getline(in, item, ',')) {
    if (!item.empty()) items.push_back(item);
  }
  return items;
}

int run_optimize(const OptimizeOptions& options) {
  const Clock::time_point started = Clock::now();
  if (options.out.empty()) throw InputError("--out: where to write the strategy file (e.g. --out best.yaml)");
  if (!(options.budget > 0) || !std::isfinite(options.budget)) {
    throw InputError("--budget: the USD a year to allocate, more than 0 (e.g. --budget 1.729e9)");
  }
  if (options.members == 0) throw InputError("--members must be at least 1");

  study::OptimizationRequest request;
  if (options.objective == "expected") {
    request.objective = study::ObjectiveKind::kExpected;
  } else if (options.objective == "regret") {
    request.objective = study::ObjectiveKind::kRegret;
  } else if (options.objective.starts_with("cvar:")) {
    request.objective = study::ObjectiveKind::kCvar;
    char* end = nullptr;
    request.cvar_alpha = std::strtod(options.objective.c_str() + 5, &end);
    if (*end != '\0' || !(request.cvar_alpha > 0 && request.cvar_alpha <= 1)) {
      throw InputError(fmt::format("--objective {}: ALPHA must be a share in (0, 1], e.g. cvar:0.1",
                                   options.objective));
    }
  } else {
    throw InputError(fmt::format("--objective {}: expected expected, cvar:ALPHA or regret",
                                 options.objective));
  }
  if (options.algorithm == "cmaes") {
    request.optimizer.algorithm = analysis::OptimizerAlgorithm::kCmaes;
  } else if (options.algorithm == "de") {
    request.optimizer.algorithm = analysis::OptimizerAlgorithm::kDifferentialEvolution;
  } else {
    throw InputError(fmt::format("--algorithm {}: expected cmaes or de", options.algorithm));
  }

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
  policy::Strategy base =
      policy::load_strategy(resolve_named_file("strategies", options.base), model, scenario);
  std::unique_ptr<policy::Strategy> start;
  if (!options.start.empty()) {
    start = std::make_unique<policy::Strategy>(
        policy::load_strategy(resolve_named_file("strategies", options.start), model, scenario));
  }
  std::string constraints_path = options.constraints.empty()
                                     ? resolve_named_file("constraints", "default")
                                     : options.constraints;
  policy::Constraints constraints = policy::load_constraints(constraints_path, model);

  // The instruments: every money instrument of the model unless named.
  if (options.instruments.empty()) {
    for (const auto& item : model.instruments) {
      if (!item.intensity) request.instruments.push_back(item.name);
    }
  } else {
    for (const auto& name : options.instruments) {
      const policy::Instrument* item = model.instrument(name);
      if (!item) {
        std::vector<std::string> names;
        for (const auto& i : model.instruments) names.push_back(i.name);
        throw InputError(fmt::format("--instruments: the model has no instrument '{}'; it has: {}",
                                     name, fmt::join(names, ", ")));
      }
      if (item->intensity) {
        throw InputError(fmt::format("--instruments: {} is a pressure instrument; optimize "
                                     "allocates money and keeps pressure as --base sets it",
                                     name));
      }
      request.instruments.push_back(name);
    }
  }
  // The groups a decision covers: the subregions, every country on its own, or a list.
  if (options.countries == "subregions") {
    for (const auto& [group, members] : model.groups) {
      if (group != "all") request.groups.emplace_back(group, members);
    }
  } else if (options.countries == "each") {
    for (const auto& iso3 : model.groups.at("all")) request.groups.push_back({iso3, {iso3}});
  } else {
    for (const auto& name : split_list(options.countries)) {
      if (auto it = model.groups.find(name); it != model.groups.end()) {
        request.groups.emplace_back(name, it->second);
      } else if (std::find(model.groups.at("all").begin(), model.groups.at("all").end(), name) !=
                 model.groups.at("all").end()) {
        request.groups.push_back({name, {name}});
      } else {
        throw InputError(fmt::format("--countries: '{}' is neither a country (ISO3) nor a group of "
                                     "the model; or give 'subregions' or 'each'",
                                     name));
      }
    }
  }

  request.plan = compiled.plan;
  request.model = &model;
  request.scenario = &scenario;
  request.base = &base;
  request.constraints = &constraints;
  request.start = start.get();
  request.budget = options.budget;
  request.phases = options.phases;
  request.members = options.members;
  request.seed = options.seed;
  request.threads = options.threads;
  request.optimizer.evaluations = options.evaluations;
  request.optimizer.seed = options.seed;

  if (scenario.budget_envelope && options.budget > *scenario.budget_envelope * (1 + 1e-9)) {
    throw InputError(fmt::format("--budget {}: above the scenario's budget envelope of {} ({})",
                                 policy::format_usd(options.budget),
                                 policy::format_usd(*scenario.budget_envelope), scenario.path));
  }

  // Regret is measured against the strategies named (default: the built-in ones that spend).
  std::vector<policy::Strategy> references;
  if (request.objective == study::ObjectiveKind::kRegret) {
    std::vector<std::string> names = options.regret_strategies;
    if (names.empty()) {
      names = {"status-quo", "security-first", "economic-first", "democracy-and-pressure",
               "comprehensive"};
    }
    for (const auto& name : names) {
      references.push_back(policy::load_strategy(resolve_named_file("strategies", name), model, scenario));
    }
    study::ComparisonRequest compare;
    compare.plan = compiled.plan;
    compare.scenario = &scenario;
    for (const auto& s : references) compare.strategies.push_back(&s);
    compare.seed = options.seed;
    compare.members = options.members;
    compare.threads = options.threads;
    study::ComparisonRun run = study::run_comparison(compare);
    for (const auto& sample : run.samples) request.regret_against.push_back(sample.outcomes[0].back());
  }

  std::vector<study::DecisionUnit> units = study::decision_units(request);
  const bool show = !options.quiet && ::isatty(STDERR_FILENO) != 0;
  fmt::print("Optimising {} decision variables ({} instruments x {} groups x {} phases, less what "
             "the constraints forbid), {} members per evaluation, up to {} evaluations.\n",
             units.size(), request.instruments.size(), request.groups.size(), request.phases,
             options.members, options.evaluations);
  std::fflush(stdout);
  study::OptimizationOutcome outcome =
      study::optimize(request, [&](const analysis::OptimizerStep& step) {
        if (!show) return;
        std::fprintf(stderr, "\r\x1b[Kevaluation %zu/%zu, best %+.4f", step.evaluations,
                     options.evaluations, step.best);
        std::fflush(stderr);
      });
  if (show) std::fputs("\r\x1b[K", stderr);

  // The strategy file.
  std::string name = options.name.empty() ? std::filesystem::path(options.out).stem().string() : options.name;
  std::string objective_text =
      request.objective == study::ObjectiveKind::kExpected ? "the mean Latin Win Index"
      : request.objective == study::ObjectiveKind::kCvar
          ? fmt::format("the mean index of the worst {:g}% of members", 100 * request.cvar_alpha)
          : "the expected regret against the built-in strategies";
  std::string description = fmt::format(
      "Found by latwin optimize: {} a year allocated to maximise {} in {} under the {} "
      "scenario ({} members per evaluation, {} evaluations, seed {}; best value {:+.4f}).",
      policy::format_usd(options.budget), objective_text, scenario.horizon, scenario.name,
      options.members, outcome.result.evaluations, options.seed, outcome.result.best_value);
  std::string yaml = study::strategy_yaml(request, outcome, name, description);
  // Check it reads back as a valid strategy before writing it.
  policy::Strategy check = policy::parse_strategy(options.out, yaml, model, scenario);
  std::filesystem::path out(options.out);
  if (out.has_parent_path()) create_output_folder(out.parent_path().string());
  {
    AtomicFileWriter writer(out);
    writer.write(yaml);
    writer.commit();
  }

  // The summary: spending by instrument and group, the best value, the convergence.
  fmt::print("\nBest {}: {:+.4f} (after {} evaluations; {:+.4f} after the first generation)\n",
             request.objective == study::ObjectiveKind::kExpected ? "mean index" : "objective",
             outcome.result.best_value, outcome.result.evaluations,
             outcome.result.history.front().best);
  std::map<std::string, double> by_instrument;
  for (const auto& [instrument, level] : check.mean_levels(model)) {
    if (!model.instrument(instrument)->intensity && level > 0) by_instrument[instrument] = level;
  }
  fmt::print("Spending a year, mean over {}-{}:\n", scenario.start, scenario.horizon);
  for (const auto& [instrument, level] : by_instrument) {
    fmt::print("  {:<24} {:>12}  {:>5.1f}%\n", instrument, policy::format_usd(level),
               100 * level / options.budget);
  }

  Json doc;
  doc["format"] = "latwin-optimize/1";
  doc["created"] = utc_now();
  doc["latwin_version"] = kVersion;
  doc["scenario"] = scenario.name;
  doc["budget_usd_per_year"] = options.budget;
  doc["objective"] = options.objective;
  doc["algorithm"] = options.algorithm;
  doc["members"] = options.members;
  doc["seed"] = options.seed;
  doc["evaluations"] = outcome.result.evaluations;
  doc["best_value"] = outcome.result.best_value;
  doc["constraints"] = constraints.summary;
  doc["history"] = Json::array();
  for (const auto& step : outcome.result.history) {
    doc["history"].push_back(Json{{"evaluations", step.evaluations}, {"best", step.best}});
  }
  doc["units"] = Json::array();
  for (std::size_t u = 0; u < outcome.units.size(); ++u) {
    const auto& unit = outcome.units[u];
    doc["units"].push_back(Json{{"instrument", unit.instrument}, {"group", unit.group},
                                {"years", fmt::format("{}-{}", unit.first_year, unit.last_year)},
                                {"usd_per_year", outcome.unit_spending[u]}});
  }
  doc["strategy_file"] = out.string();
  if (store) {
    store::RunRecord record;
    record.kind = "optimize";
    record.label = fmt::format("{}: {} of {} a year", scenario.name, options.objective,
                               policy::format_usd(options.budget));
    record.command_line = fmt::format(
        "latwin optimize --model {} --data {} --scenario {} --budget {:.10g} --objective {} "
        "--countries {} --phases {} --constraints {} --base {} --members {} --evaluations {} "
        "--algorithm {} --seed {}{} --out {}",
        model_dir, data_dir, scenario.path, options.budget, options.objective, options.countries,
        options.phases, constraints.path, base.path, options.members, options.evaluations,
        options.algorithm, options.seed, start ? " --start " + start->path : std::string(), options.out);
    record.latwin_version = kVersion;
    record.created = doc["created"];
    record.seed = options.seed;
    record.members = options.members;
    record.scenario = scenario.name;
    record.strategies = {name};
    record.inputs.push_back({"scenario", scenario.name, scenario.path, sha256_hex(scenario.text), scenario.text});
    record.inputs.push_back({"strategy", base.name, base.path, sha256_hex(base.text), base.text});
    record.inputs.push_back({"constraints", "constraints", constraints.path,
                             sha256_hex(constraints.text), constraints.text});
    record.inputs.push_back({"result", name, out.string(), sha256_hex(yaml), yaml});
    record.document = doc.dump(1);
    std::int64_t id = store->save(record);
    fmt::print("Stored as run {} in {}\n", id, store->path().string());
  }
  double elapsed = std::chrono::duration<double>(Clock::now() - started).count();
  fmt::print("Wrote {} ({:.1f} s). Compare it: latwin compare --strategy {} --strategy status-quo "
             "--seed {}\n",
             out.string(), elapsed, out.string(), options.seed + 1);
  return kExitOk;
}

}  // namespace

Command add_optimize_command(CLI::App& app) {
  auto options = std::make_shared<OptimizeOptions>();
  CLI::App* command = app.add_subcommand(
      "optimize",
      "Find the allocation of a budget that serves the Latin Win Index best under a scenario, "
      "and write it as a strategy file");
  command->add_option("--model", options->model, "Model folder; default: the hemisphere model")
      ->type_name("DIR");
  add_data_option(command, options->data_dir);
  command->add_option("--scenario", options->scenario, "Scenario name or .yaml file")
      ->capture_default_str();
  command->add_option("--budget", options->budget, "USD a year to allocate (e.g. 1.729e9, today's total)")
      ->required();
  command->add_option("--objective", options->objective,
                      "expected (mean index), cvar:ALPHA (mean of the worst ALPHA share of "
                      "members), or regret (expected regret against the built-in strategies)")
      ->capture_default_str();
  command->add_option("--instruments", options->instruments,
                      "Money instruments to allocate (comma-separated); default: all")
      ->delimiter(',');
  command->add_option("--countries", options->countries,
                      "Decision groups: 'subregions', 'each' (every country its own), or a list "
                      "of ISO3 codes and subregions")
      ->capture_default_str();
  command->add_option("--phases", options->phases, "Periods with their own allocation")
      ->capture_default_str();
  command->add_option("--constraints", options->constraints,
                      "Caps and forbidden uses (YAML); default: constraints/default.yaml")
      ->type_name("FILE");
  command->add_option("--base", options->base,
                      "Strategy whose pressure (sanctions, diplomatic pressure) is kept")
      ->capture_default_str();
  command->add_option("--start", options->start,
                      "Strategy whose money mix is the search's first candidate (never lost)")
      ->type_name("STRATEGY");
  command->add_option("--regret-against", options->regret_strategies,
                      "Strategies the regret objective compares with; default: the built-in ones that spend")
      ->delimiter(',');
  command->add_option("--members", options->members, "Ensemble members per evaluation (the same ones for every candidate)")
      ->capture_default_str();
  command->add_option("--evaluations", options->evaluations, "Evaluations at most")->capture_default_str();
  command->add_option("--algorithm", options->algorithm, "cmaes or de")->capture_default_str();
  command->add_option("--seed", options->seed, "Random seed: members and the optimiser")->capture_default_str();
  command->add_option("--threads", options->threads, "Worker threads (0: all cores)")->capture_default_str();
  command->add_option("--out", options->out, "Strategy file to write")->required()->type_name("FILE");
  command->add_option("--name", options->name, "Strategy name; default: the file's name")->type_name("NAME");
  command->add_option("--store", options->store, "Results store; default: $LATWIN_STORE or the user's")
      ->type_name("PATH");
  command->add_flag("--no-store", options->no_store, "Do not keep the run in the results store");
  command->add_flag("--quiet", options->quiet, "No progress line");
  return {command, [options]() { return run_optimize(*options); }};
}

}  // namespace latwin::cli
