// latwin optimize: the allocation of a budget that serves the index best under a scenario,
// written as a strategy file that latwin compare runs again; with --pareto, the allocations
// that trade the index's components off against each other (the Pareto front), each a file.
#include <fmt/format.h>
#include <fmt/ranges.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <ctime>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <sstream>

#include "cli/commands.hpp"
#include "cli/params_option.hpp"
#include "core/atomic_file.hpp"
#include "core/error.hpp"
#include "core/sha256.hpp"
#include "engine/run/output.hpp"
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
  double initial_step = 0;  // 0: by whether there is a start
  int threads = 0;
  std::string out, name, store, params;
  bool no_store = false, quiet = false, pareto = false;
};

// What either search gives for the strategy written to --out, and how the search went.
struct Found {
  std::vector<study::DecisionUnit> units;
  study::AllocationLevels levels;
  std::vector<double> unit_spending;  // USD a year per unit
  std::size_t evaluations = 0;
  double best_value = 0;  // the objective's value; with --pareto the mean index
  std::vector<analysis::OptimizerStep> history;
};

// A strategy file to write, as latwin compare will read it.
struct StrategyFile {
  std::filesystem::path path;
  std::string yaml;
  policy::Strategy strategy;
};

// Throws InputError when yaml does not read back as a strategy (a bug: it was generated).
StrategyFile checked_strategy(const std::filesystem::path& path, std::string yaml,
                              const policy::ModelInterface& model,
                              const policy::Scenario& scenario) {
  policy::Strategy strategy = policy::parse_strategy(path.string(), yaml, model, scenario);
  return {path, std::move(yaml), std::move(strategy)};
}

// "component_drugs" -> "drugs": how tables name a component.
std::string short_name(const std::string& component, const std::string& prefix) {
  return component.starts_with(prefix) ? component.substr(prefix.size()) : component;
}

// USD a year on each money instrument, mean over the years.
std::map<std::string, double> money_by_instrument(const policy::Strategy& strategy,
                                                  const policy::ModelInterface& model) {
  std::map<std::string, double> money;
  for (const auto& [instrument, level] : strategy.mean_levels(model)) {
    if (!model.instrument(instrument)->intensity) money[instrument] = level;
  }
  return money;
}

// Points of an earlier, larger front left in the folder would pass for part of this one.
void remove_stale_points(const std::filesystem::path& folder,
                         const std::vector<StrategyFile>& points) {
  std::set<std::string> written;
  for (const StrategyFile& file : points) written.insert(file.path.filename().string());
  std::error_code error;
  for (const auto& entry : std::filesystem::directory_iterator(folder, error)) {
    const std::string file = entry.path().filename().string();
    if (!file.starts_with("point-") || !file.ends_with(".yaml") || written.count(file)) continue;
    std::error_code removed;
    if (!std::filesystem::remove(entry.path(), removed)) {
      fmt::print(stderr, "warning: could not remove {}, left from an earlier run: {}\n",
                 entry.path().string(), removed.message());
    }
  }
}

// One row a point (points[k] is the file of pareto.front[k]): its file, mean index, mean
// components and USD a year per instrument.
std::string front_csv_text(const study::ParetoOutcome& pareto,
                           const study::OptimizationRequest& request,
                           const std::vector<StrategyFile>& points,
                           const policy::ModelInterface& model) {
  std::string text = "point,file," + request.index;
  for (const auto& component : pareto.components) text += "," + component;
  for (const auto& instrument : request.instruments) text += "," + instrument + "_usd_per_year";
  text += "\n";
  for (std::size_t point_idx = 0; point_idx < pareto.front.size(); ++point_idx) {
    const study::FrontPoint& point = pareto.front[point_idx];
    text += fmt::format("{},", point_idx + 1);
    engine::append_csv_field(text, points[point_idx].path.string());
    text += fmt::format(",{:.10g}", point.index);
    for (double value : point.components) text += fmt::format(",{:.10g}", value);
    const auto money = money_by_instrument(points[point_idx].strategy, model);
    for (const auto& instrument : request.instruments) {
      auto found = money.find(instrument);
      text += fmt::format(",{:.10g}", found == money.end() ? 0.0 : found->second);
    }
    text += "\n";
  }
  return text;
}

// The front for an analyst: one row a point, then for each component the most any point
// reaches and what it costs in the index against point 1, the highest: the trade-offs.
void print_front(const study::ParetoOutcome& pareto, const study::OptimizationRequest& request,
                 const std::vector<StrategyFile>& points, const policy::ModelInterface& model,
                 std::uint64_t members, int horizon) {
  const auto& front = pareto.front;
  // "point-01" -> "01".
  auto label = [&](std::size_t point_idx) {
    return points[point_idx].path.stem().string().substr(6);
  };
  fmt::print(
      "\nThe Pareto front: {} allocations, none better than another on every component. "
      "Means over the {} members in {}; above 0 is better for the U.S. than at the start "
      "(+0.10: about 10% better).\n",
      front.size(), members, horizon);
  std::vector<std::string> names;
  for (const auto& component : pareto.components) {
    names.push_back(short_name(component, request.components_prefix));
  }
  // A column as wide as its name, and at least as "+0.0000" with room.
  auto width_of = [](const std::string& name) { return std::max<std::size_t>(9, name.size() + 2); };
  std::string header = fmt::format("  {:<6}{:>9}", "point", "index");
  for (const auto& column : names) header += fmt::format("{:>{}}", column, width_of(column));
  fmt::print("{}  largest spending\n", header);
  for (std::size_t point_idx = 0; point_idx < front.size(); ++point_idx) {
    std::string row = fmt::format("  {:<6}{:>+9.4f}", label(point_idx), front[point_idx].index);
    for (std::size_t c = 0; c < names.size(); ++c) {
      row += fmt::format("{:>+{}.4f}", front[point_idx].components[c], width_of(names[c]));
    }
    const auto money = money_by_instrument(points[point_idx].strategy, model);
    auto largest = std::max_element(money.begin(), money.end(), [](const auto& a, const auto& b) {
      return a.second < b.second;
    });
    double total = 0;
    for (const auto& [instrument, usd] : money) total += usd;
    if (largest != money.end() && total > 0) {
      std::string instrument = largest->first;
      std::replace(instrument.begin(), instrument.end(), '_', ' ');
      row += fmt::format("  {} {:.0f}%", instrument, 100 * largest->second / total);
    }
    fmt::print("{}\n", row);
  }
  if (front.size() < 2) return;
  fmt::print(
      "\nThe most each component reaches on the front, and what it costs in the index "
      "against point {}:\n",
      label(0));
  const std::size_t width =
      std::max_element(names.begin(), names.end(), [](const auto& a, const auto& b) {
        return a.size() < b.size();
      })->size();
  for (std::size_t c = 0; c < names.size(); ++c) {
    std::size_t best = 0;
    for (std::size_t point_idx = 1; point_idx < front.size(); ++point_idx) {
      if (front[point_idx].components[c] > front[best].components[c]) best = point_idx;
    }
    if (best == 0) {
      fmt::print("  {:<{}}  {:+.4f} at point {} itself\n", names[c], width, front[0].components[c],
                 label(0));
    } else {
      fmt::print("  {:<{}}  {:+.4f} at point {} (point {}: {:+.4f}), for an index {:.4f} lower\n",
                 names[c], width, front[best].components[c], label(best), label(0),
                 front[0].components[c], front[0].index - front[best].index);
    }
  }
}

// The document's "pareto" section (docs/optimize.md).
Json pareto_json(const study::ParetoOutcome& pareto, const study::OptimizationRequest& request,
                 const std::vector<StrategyFile>& points, const policy::ModelInterface& model,
                 const std::filesystem::path& folder, const std::filesystem::path& csv) {
  Json section;
  section["index"] = request.index;
  section["objectives"] = pareto.components;
  section["folder"] = folder.string();
  section["csv_file"] = csv.string();
  section["points"] = Json::array();
  for (std::size_t point_idx = 0; point_idx < pareto.front.size(); ++point_idx) {
    const study::FrontPoint& point = pareto.front[point_idx];
    Json components = Json::object();
    for (std::size_t c = 0; c < pareto.components.size(); ++c) {
      components[pareto.components[c]] = point.components[c];
    }
    Json spending = Json::object();
    const auto money = money_by_instrument(points[point_idx].strategy, model);
    for (const auto& instrument : request.instruments) {
      auto found = money.find(instrument);
      spending[instrument] = found == money.end() ? 0.0 : found->second;
    }
    section["points"].push_back(Json{{"point", point_idx + 1},
                                     {"file", points[point_idx].path.string()},
                                     {"index", point.index},
                                     {"components", std::move(components)},
                                     {"usd_per_year", std::move(spending)}});
  }
  return section;
}

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
  if (options.pareto && options.objective != "expected") {
    throw InputError(
        fmt::format("--pareto maximises every component of the index at once, so it "
                    "takes no --objective (got {}); leave --objective out",
                    options.objective));
  }
  if (options.pareto && options.algorithm != "cmaes") {
    throw InputError(
        fmt::format("--pareto searches with NSGA-II; --algorithm {} is for one "
                    "objective, so leave --algorithm out",
                    options.algorithm));
  }

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
  // A bad parameter file fails before the model compiles.
  std::optional<policy::ParameterFile> params = read_params(options.params);
  request.parameter_sets = params_sets(params);

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
  // From a known strategy the search is local: its weights are shares of the budget, most
  // well under 0.3, so the default first step (0.3 of the box) would throw the start away.
  request.optimizer.initial_step = options.initial_step > 0 ? options.initial_step
                                   : start                  ? 0.05
                                                            : 0.3;
  if (!(request.optimizer.initial_step <= 1)) {
    throw InputError(fmt::format("--initial-step {}: a share of the range, above 0 and at most 1",
                                 options.initial_step));
  }

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
    compare.parameter_sets = request.parameter_sets;
    study::ComparisonRun run = study::run_comparison(compare);
    for (const auto& sample : run.samples) request.regret_against.push_back(sample.outcomes[0].back());
  }

  std::vector<study::DecisionUnit> units = study::decision_units(request);
  const bool show = !options.quiet && ::isatty(STDERR_FILENO) != 0;
  if (options.pareto) {
    std::vector<std::string> names;
    for (const auto& component :
         study::component_variables(*compiled.plan, request.components_prefix)) {
      names.push_back(short_name(component, request.components_prefix));
    }
    fmt::print(
        "Searching for the Pareto front of the index's {} components ({}) over {} decision "
        "variables ({} instruments x {} groups x {} phases, less what the constraints "
        "forbid), {} members per evaluation, up to {} evaluations.\n",
        names.size(), fmt::join(names, ", "), units.size(), request.instruments.size(),
        request.groups.size(), request.phases, options.members, options.evaluations);
  } else {
    fmt::print(
        "Optimising {} decision variables ({} instruments x {} groups x {} phases, less "
        "what the constraints forbid), {} members per evaluation, up to {} evaluations.\n",
        units.size(), request.instruments.size(), request.groups.size(), request.phases,
        options.members, options.evaluations);
  }
  std::fflush(stdout);
  auto progress = [&](const analysis::OptimizerStep& step) {
    if (!show) return;
    std::fprintf(stderr, "\r\x1b[Kevaluation %zu/%zu, best %s%+.4f", step.evaluations,
                 options.evaluations, options.pareto ? "mean index " : "", step.best);
    std::fflush(stderr);
  };

  // What either search gives: the allocation written to --out and how the search went.
  Found found;
  std::optional<study::ParetoOutcome> pareto;
  if (options.pareto) {
    pareto = study::optimize_pareto(request, progress);
    const study::FrontPoint& best = pareto->front.front();
    found = {pareto->units,       best.levels, best.unit_spending,
             pareto->evaluations, best.index,  pareto->history};
  } else {
    study::OptimizationOutcome outcome = study::optimize(request, progress);
    found = {outcome.units,
             outcome.levels,
             outcome.unit_spending,
             outcome.result.evaluations,
             outcome.result.best_value,
             outcome.result.history};
  }
  if (show) std::fputs("\r\x1b[K", stderr);

  // The strategy files, each checked to read back as latwin compare reads it before any is
  // written: --out first, then with --pareto every point of the front.
  const std::filesystem::path out(options.out);
  const std::string name = options.name.empty() ? out.stem().string() : options.name;
  const std::string search = fmt::format("{} members per evaluation, {} evaluations, seed {}",
                                         options.members, found.evaluations, options.seed);
  std::string description;
  if (pareto) {
    description = fmt::format(
        "Found by latwin optimize --pareto: {} a year allocated under the {} scenario. Of the {} "
        "allocations on the Pareto front of the index's components in {} ({}), the one with "
        "the highest mean Latin Win Index ({:+.4f}).",
        policy::format_usd(options.budget), scenario.name, pareto->front.size(), scenario.horizon,
        search, found.best_value);
  } else {
    std::string objective_text =
        request.objective == study::ObjectiveKind::kExpected ? "the mean Latin Win Index"
        : request.objective == study::ObjectiveKind::kCvar
            ? fmt::format("the mean index of the worst {:g}% of members", 100 * request.cvar_alpha)
            : "the expected regret against the built-in strategies";
    description = fmt::format(
        "Found by latwin optimize: {} a year allocated to maximise {} in {} under the {} "
        "scenario ({}; best value {:+.4f}).",
        policy::format_usd(options.budget), objective_text, scenario.horizon, scenario.name, search,
        found.best_value);
  }
  const StrategyFile best = checked_strategy(
      out, study::strategy_yaml(request, found.levels, name, description), model, scenario);
  std::vector<StrategyFile> points;  // points[k]: pareto->front[k]
  const std::filesystem::path front_dir = out.parent_path() / (out.stem().string() + "-front");
  const std::filesystem::path front_csv = out.parent_path() / (out.stem().string() + "-front.csv");
  if (pareto) {
    const int digits = std::max(2, static_cast<int>(std::to_string(pareto->front.size()).size()));
    for (std::size_t point_idx = 0; point_idx < pareto->front.size(); ++point_idx) {
      const study::FrontPoint& point = pareto->front[point_idx];
      const std::string label = fmt::format("point-{:0{}}", point_idx + 1, digits);
      std::vector<std::string> components;
      for (std::size_t c = 0; c < pareto->components.size(); ++c) {
        components.push_back(
            fmt::format("{} {:+.4f}", short_name(pareto->components[c], request.components_prefix),
                        point.components[c]));
      }
      std::string text = fmt::format(
          "Point {} of {} on the Pareto front found by latwin optimize --pareto ({} a year, {} "
          "scenario, {}; {}): mean index {:+.4f}; mean components in {}: {}. No other "
          "allocation found is better on every component.",
          point_idx + 1, pareto->front.size(), policy::format_usd(options.budget), scenario.name,
          scenario.horizon, search, point.index, scenario.horizon, fmt::join(components, ", "));
      points.push_back(checked_strategy(
          front_dir / (label + ".yaml"),
          study::strategy_yaml(request, point.levels, fmt::format("{}-{}", name, label), text),
          model, scenario));
    }
  }
  if (out.has_parent_path()) create_output_folder(out.parent_path().string());
  if (pareto) create_output_folder(front_dir.string());
  write_file_atomically(best.path, best.yaml);
  for (const StrategyFile& file : points) write_file_atomically(file.path, file.yaml);
  if (pareto) {
    remove_stale_points(front_dir, points);
    write_file_atomically(front_csv, front_csv_text(*pareto, request, points, model));
  }

  // The summary: the front with --pareto, the best value, the spending of --out's strategy.
  if (pareto) {
    print_front(*pareto, request, points, model, options.members, scenario.horizon);
    fmt::print("\nPoint 1, with the highest mean index ({:+.4f}), is also written to {}.\n",
               found.best_value, out.string());
  } else {
    fmt::print("\nBest {}: {:+.4f} (after {} evaluations; {:+.4f} after the first generation)\n",
               request.objective == study::ObjectiveKind::kExpected ? "mean index" : "objective",
               found.best_value, found.evaluations, found.history.front().best);
  }
  const std::map<std::string, double> by_instrument = money_by_instrument(best.strategy, model);
  fmt::print("Spending a year, mean over {}-{}:\n", scenario.start, scenario.horizon);
  for (const auto& [instrument, level] : by_instrument) {
    if (level <= 0) continue;
    fmt::print("  {:<24} {:>12}  {:>5.1f}%\n", instrument, policy::format_usd(level),
               100 * level / options.budget);
  }

  Json doc;
  doc["format"] = "latwin-optimize/1";
  doc["created"] = utc_now();
  doc["latwin_version"] = kVersion;
  doc["scenario"] = scenario.name;
  doc["budget_usd_per_year"] = options.budget;
  doc["objective"] = pareto ? "pareto" : options.objective;
  doc["algorithm"] = pareto ? "nsga2" : options.algorithm;
  if (!pareto) doc["initial_step"] = request.optimizer.initial_step;
  doc["members"] = options.members;
  doc["seed"] = options.seed;
  doc["parameters"] = params_record(options.params, params);
  doc["evaluations"] = found.evaluations;
  doc["best_value"] = found.best_value;
  doc["constraints"] = constraints.summary;
  doc["history"] = Json::array();
  for (const auto& step : found.history) {
    doc["history"].push_back(Json{{"evaluations", step.evaluations}, {"best", step.best}});
  }
  doc["units"] = Json::array();
  for (std::size_t u = 0; u < found.units.size(); ++u) {
    const auto& unit = found.units[u];
    doc["units"].push_back(Json{{"instrument", unit.instrument},
                                {"group", unit.group},
                                {"years", fmt::format("{}-{}", unit.first_year, unit.last_year)},
                                {"usd_per_year", found.unit_spending[u]}});
  }
  doc["strategy_file"] = out.string();
  if (pareto) doc["pareto"] = pareto_json(*pareto, request, points, model, front_dir, front_csv);
  if (store) {
    store::RunRecord record;
    record.kind = "optimize";
    record.label = pareto ? fmt::format("{}: Pareto front of {} a year", scenario.name,
                                        policy::format_usd(options.budget))
                          : fmt::format("{}: {} of {} a year", scenario.name, options.objective,
                                        policy::format_usd(options.budget));
    record.command_line = fmt::format(
        "latwin optimize --model {} --data {} --scenario {} --budget {:.10g} --objective {} "
        "--countries {} --phases {} --constraints {} --base {} --members {} --evaluations {} "
        "--algorithm {} --initial-step {:g} --seed {}{}{}{} --out {}",
        model_dir, data_dir, scenario.path, options.budget, options.objective, options.countries,
        options.phases, constraints.path, base.path, options.members, options.evaluations,
        options.algorithm, request.optimizer.initial_step, options.seed,
        start ? " --start " + start->path : std::string(),
        options.params.empty() ? std::string() : " --params " + options.params,
        pareto ? " --pareto" : "", options.out);
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
    // The written strategies, so that the store alone can give them back.
    auto keep = [&](const StrategyFile& file) {
      record.inputs.push_back(
          {"result", file.strategy.name, file.path.string(), sha256_hex(file.yaml), file.yaml});
    };
    keep(best);
    for (const StrategyFile& file : points) keep(file);
    record.document = doc.dump(1);
    std::int64_t id = store->save(record);
    fmt::print("Stored as run {} in {}\n", id, store->path().string());
  }
  double elapsed = std::chrono::duration<double>(Clock::now() - started).count();
  if (pareto) {
    // A front of one point has nothing to trade: compare it with the status quo instead.
    fmt::print(
        "Wrote {}, the {} points of the front in {} and {} ({:.1f} s). Compare two: latwin "
        "compare --strategy {} --strategy {} --seed {}\n",
        out.string(), pareto->front.size(), front_dir.string(), front_csv.string(), elapsed,
        points.front().path.string(),
        points.size() > 1 ? points[1].path.string() : std::string("status-quo"), options.seed + 1);
  } else {
    fmt::print(
        "Wrote {} ({:.1f} s). Compare it: latwin compare --strategy {} --strategy status-quo "
        "--seed {}\n",
        out.string(), elapsed, out.string(), options.seed + 1);
  }
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
  command->add_option("--initial-step", options->initial_step,
                      "CMA-ES's first step, as a share of each weight's range; default 0.3, or "
                      "0.05 with --start (a local search around that strategy)")
      ->type_name("SHARE");
  command->add_option("--seed", options->seed, "Random seed: members and the optimiser")->capture_default_str();
  command->add_option("--threads", options->threads, "Worker threads (0: all cores)")->capture_default_str();
  command->add_option("--out", options->out, "Strategy file to write")->required()->type_name("FILE");
  command->add_option("--name", options->name, "Strategy name; default: the file's name")->type_name("NAME");
  command->add_option("--store", options->store, "Results store; default: $LATWIN_STORE or the user's")
      ->type_name("PATH");
  command->add_flag("--no-store", options->no_store, "Do not keep the run in the results store");
  command->add_flag("--pareto", options->pareto,
                    "Find the Pareto front of the index's components (NSGA-II) instead of one "
                    "best allocation: --out gets the point with the highest index, and beside "
                    "it NAME-front/ every point as a strategy file and NAME-front.csv a table");
  add_params_option(command, options->params);
  command->add_flag("--quiet", options->quiet, "No progress line");
  return {command, [options]() { return run_optimize(*options); }};
}

}  // namespace latwin::cli
