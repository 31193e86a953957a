// latwin compare: runs strategies on the same ensemble members under one scenario, compares
// them on the model's index and its components, writes compare.json / compare.csv, keeps the
// run in the results store and, when asked, writes the HTML report.
#include <fmt/format.h>
#include <fmt/ranges.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include "analysis/comparison.hpp"
#include "cli/commands.hpp"
#include "cli/params_option.hpp"
#include "core/atomic_file.hpp"
#include "core/error.hpp"
#include "core/sha256.hpp"
#include "engine/lang/source.hpp"
#include "engine/run/ensemble.hpp"
#include "engine/run/output.hpp"
#include "latwin/version.hpp"
#include "policy/model_interface.hpp"
#include "policy/scenario.hpp"
#include "policy/strategy.hpp"
#include "report/html_report.hpp"
#include "store/store.hpp"
#include "study/comparison_run.hpp"

namespace latwin::cli {

namespace {

using Json = nlohmann::ordered_json;
using Clock = std::chrono::steady_clock;

// The built-in strategies, in the order the report shows them: today's policy, its absence,
// then the single-focus strategies and the essay's multifaceted one.
const std::vector<std::string> kBuiltinStrategies = {
    "status-quo",     "disengagement",          "security-first",
    "economic-first", "democracy-and-pressure", "comprehensive"};

const char* kQuestion =
    "Which strategy best serves U.S. security interests in Latin America and the Caribbean, and "
    "how sure can we be?";

struct CompareOptions {
  std::string model, data_dir, scenario = "baseline";
  std::vector<std::string> strategies;
  std::string reference;
  std::uint64_t members = 1000;
  std::uint64_t seed = 1;
  int threads = 0;
  std::string out, store, label, params;
  bool no_store = false;
  bool report = false;
  bool quiet = false;
  std::string index = "latin_win_index";
  std::string components_prefix = "component_";
  std::string by_country = "country_index";
};

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw InputError(fmt::format("{}: cannot read the file", path));
  std::ostringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

// "component_drugs" -> "Drugs".
std::string label_of(const std::string& variable, const std::string& prefix) {
  std::string label = variable.starts_with(prefix) ? variable.substr(prefix.size()) : variable;
  std::replace(label.begin(), label.end(), '_', ' ');
  if (!label.empty()) label[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(label[0])));
  return label;
}

std::string shell_word(const std::string& word) {
  bool plain = !word.empty() && std::all_of(word.begin(), word.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || std::strchr("-_./=:,+", c);
  });
  if (plain) return word;
  std::string quoted = "'";
  for (char c : word) quoted += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return quoted + "'";
}

struct ModelFiles {
  std::vector<store::InputFile> files;
  std::string sha256;  // of every file's name and content, in order
};

ModelFiles hash_model(const std::string& model_dir) {
  ModelFiles out;
  std::string all;
  for (const auto& path : lang::expand_model_paths({model_dir})) {
    std::string content = read_file(path);
    std::string name = std::filesystem::path(path).filename().string();
    store::InputFile file{"model", name, path, sha256_hex(content), content};
    all += name + '\0' + file.sha256 + '\0';
    out.files.push_back(std::move(file));
  }
  out.sha256 = sha256_hex(all);
  return out;
}

std::string hash_data(const std::string& data_dir, std::vector<store::InputFile>& inputs) {
  std::string all;
  for (const char* name : {"countries.csv", "panel.csv", "indicators.csv"}) {
    std::filesystem::path path = std::filesystem::path(data_dir) / name;
    std::error_code ignored;
    if (!std::filesystem::is_regular_file(path, ignored)) continue;
    std::string content = read_file(path.string());
    std::string hash = sha256_hex(content);
    all += std::string(name) + '\0' + hash + '\0';
    // The data files are large and versioned with the project: kept by hash only.
    inputs.push_back({"data", name, path.string(), hash, ""});
  }
  return sha256_hex(all);
}

void write_atomically(const std::filesystem::path& path, const std::string& content) {
  AtomicFileWriter writer(path);
  writer.write(content);
  writer.commit();
}

std::string number_text(const Json& value) {
  if (value.is_null()) return "";
  return fmt::format("{}", value.get<double>());
}

// compare.csv: one row per strategy, what a spreadsheet user wants first.
std::string compare_csv(const Json& doc) {
  std::string out = "strategy,index_mean,index_p5,index_p25,index_p50,index_p75,index_p95,"
                    "prob_beats_reference,expected_regret,prob_best,non_finite_members";
  for (const auto& c : doc["components"]) {
    out += fmt::format(",{}_p50", c["variable"].get<std::string>());
  }
  out += '\n';
  const std::string index = doc["index"]["variable"];
  for (const auto& r : doc["results"]) {
    const Json& h = r["horizon"][index];
    engine::append_csv_field(out, r["strategy"].get<std::string>());
    for (const char* key : {"mean", "p5", "p25", "p50", "p75", "p95"}) out += "," + number_text(h[key]);
    out += "," + number_text(r["prob_beats_reference"]) + "," + number_text(r["expected_regret"]) +
           "," + number_text(r["prob_best"]) + fmt::format(",{}", r["non_finite_members"].get<std::uint64_t>());
    for (const auto& c : doc["components"]) {
      out += "," + number_text(r["horizon"][c["variable"].get<std::string>()]["p50"]);
    }
    out += '\n';
  }
  return out;
}

std::string summaries_csv(const std::vector<analysis::SummaryLine>& rows) {
  std::string out = "strategy,variable,element,year,mean,sd,p5,p25,p50,p75,p95\n";
  auto num = [](double v) { return std::isfinite(v) ? fmt::format("{}", v) : std::string(); };
  for (const auto& row : rows) {
    engine::append_csv_field(out, row.strategy);
    out += ',';
    engine::append_csv_field(out, row.variable);
    out += ',';
    engine::append_csv_field(out, row.element);
    out += fmt::format(",{:g},{},{},{},{},{},{},{}\n", row.year, num(row.mean), num(row.sd),
                       num(row.p5), num(row.p25), num(row.p50), num(row.p75), num(row.p95));
  }
  return out;
}

void print_summary(const Json& doc, const std::vector<std::string>& component_labels) {
  const std::string index = doc["index"]["variable"];
  std::vector<const Json*> rows;
  for (const auto& r : doc["results"]) rows.push_back(&r);
  auto median = [&](const Json* r) {
    const Json& v = (*r)["horizon"][index]["p50"];
    return v.is_null() ? -INFINITY : v.get<double>();
  };
  std::stable_sort(rows.begin(), rows.end(), [&](auto* a, auto* b) { return median(a) > median(b); });
  auto value = [](const Json& v, const char* format) {
    return v.is_null() ? std::string("n/a") : fmt::format(fmt::runtime(format), v.get<double>());
  };
  auto pct = [](const Json& v) {
    return v.is_null() ? std::string("n/a") : fmt::format("{:.0f}%", 100 * v.get<double>());
  };
  fmt::print("\n{} in {:g}, {} scenario: {} members, seed {}; reference {}\n",
             doc["index"]["label"].get<std::string>(), doc["horizon"].get<double>(),
             doc["scenario"]["name"].get<std::string>(), doc["members"].get<std::uint64_t>(),
             doc["seed"].get<std::uint64_t>(), doc["reference"].get<std::string>());
  fmt::print("{:<24} {:>7}  {:>17}  {:>12}  {:>7}  {:>7}\n", "strategy", "median", "90% interval",
             "beats ref.", "regret", "P(best)");
  for (const Json* r : rows) {
    const Json& h = (*r)["horizon"][index];
    fmt::print("{:<24} {:>7}  [{:>7}, {:>7}]  {:>12}  {:>7}  {:>7}\n",
               (*r)["strategy"].get<std::string>(), value(h["p50"], "{:+.3f}"),
               value(h["p5"], "{:+.3f}"), value(h["p95"], "{:+.3f}"),
               pct((*r)["prob_beats_reference"]), value((*r)["expected_regret"], "{:.3f}"),
               pct((*r)["prob_best"]));
  }
  fmt::print("\nComponents in {:g}, median (log ratio to {:g}; + is better for the U.S.)\n",
             doc["horizon"].get<double>(), doc["years"][0].get<double>());
  std::string header = fmt::format("{:<24}", "strategy");
  for (const auto& label : component_labels) header += fmt::format(" {:>10}", label.substr(0, 10));
  fmt::print("{}\n", header);
  for (const Json* r : rows) {
    std::string line = fmt::format("{:<24}", (*r)["strategy"].get<std::string>());
    for (const auto& c : doc["components"]) {
      line += fmt::format(" {:>10}", value((*r)["horizon"][c["variable"].get<std::string>()]["p50"], "{:+.3f}"));
    }
    fmt::print("{}\n", line);
  }
  fmt::print("\n{}\n", doc["answer"].get<std::string>());
}

int run_compare(const CompareOptions& options) {
  const Clock::time_point started = Clock::now();
  if (options.members == 0) throw InputError("--members must be at least 1");
  // A bad parameter file fails before the model compiles.
  std::optional<policy::ParameterFile> params = read_params(options.params);

  // The model and its data.
  std::string model_dir = resolve_model_dir(options.model);
  std::string data_dir = require_data_dir(options.data_dir);
  auto data = load_data(data_dir);
  engine::CompileResult compiled = engine::compile_files({model_dir}, data.get());
  print_diagnostics(compiled);
  if (!compiled.ok()) return kExitFailure;
  const engine::Plan& plan = *compiled.plan;

  // The store is opened before the long part, so a wrong --store fails at once.
  std::unique_ptr<store::Store> store;
  if (!options.no_store) {
    store = std::make_unique<store::Store>(options.store.empty()
                                               ? store::default_store_path()
                                               : std::filesystem::path(options.store));
  }

  // The scenario and the strategies, checked against the model before anything runs.
  policy::ModelInterface model = policy::describe_model(plan, &data->panel());
  policy::Scenario scenario =
      policy::load_scenario(resolve_named_file("scenarios", options.scenario), model);
  std::vector<std::string> names = options.strategies.empty() ? kBuiltinStrategies : options.strategies;
  std::vector<policy::Strategy> strategies;
  std::set<std::string> seen;
  for (const auto& name : names) {
    strategies.push_back(policy::load_strategy(resolve_named_file("strategies", name), model, scenario));
    if (!seen.insert(strategies.back().name).second) {
      throw InputError(fmt::format("{}: a second strategy named '{}'; names must differ",
                                   strategies.back().path, strategies.back().name));
    }
  }
  std::string reference = options.reference;
  if (reference.empty()) reference = seen.contains("status-quo") ? "status-quo" : strategies.front().name;
  if (!seen.contains(reference)) {
    throw InputError(fmt::format("--reference {}: not one of the strategies compared ({})", reference,
                                 fmt::join(seen, ", ")));
  }

  study::ComparisonRequest request;
  request.plan = compiled.plan;
  request.scenario = &scenario;
  for (const auto& strategy : strategies) request.strategies.push_back(&strategy);
  request.seed = options.seed;
  request.members = options.members;
  request.threads = options.threads;
  request.index = options.index;
  request.components_prefix = options.components_prefix;
  request.by_country = options.by_country;
  request.parameter_sets = params_sets(params);
  ProgressLine progress(strategies.size() * options.members,
                        !options.quiet && ::isatty(STDERR_FILENO) != 0, "");
  std::size_t shown = strategies.size();
  study::ComparisonRun run = study::run_comparison(request, [&](std::size_t s, std::uint64_t done) {
    if (s != shown) {
      shown = s;
      progress.set_label(fmt::format("strategy {}/{} {}: members", s + 1, strategies.size(),
                                     strategies[s].name));
    }
    progress.update(s * options.members + done);
  });
  progress.finish();
  const std::vector<std::string>& components = run.components;
  const std::vector<std::string>& countries = run.countries;
  const std::vector<double>& years = run.years;
  const auto by_country = plan.find_variable(options.by_country);

  // The document.
  std::vector<store::InputFile> inputs;
  ModelFiles model_files = hash_model(model_dir);
  inputs = model_files.files;
  std::string data_hash = hash_data(data_dir, inputs);

  std::vector<std::string> canonical = {"latwin",   "compare",    "--model",    model_dir,
                                        "--data",   data_dir,     "--scenario", scenario.path};
  for (const auto& strategy : strategies) {
    canonical.push_back("--strategy");
    canonical.push_back(strategy.path);
  }
  for (const auto& word : std::vector<std::string>{"--reference", reference, "--members",
                                                   std::to_string(options.members), "--seed",
                                                   std::to_string(options.seed)}) {
    canonical.push_back(word);
  }
  if (!options.params.empty()) {
    canonical.push_back("--params");
    canonical.push_back(options.params);
  }
  std::vector<std::string> quoted;
  for (const auto& word : canonical) quoted.push_back(shell_word(word));

  analysis::ComparisonSetup setup;
  Json& h = setup.header;
  h["format"] = "latwin-compare/1";
  h["created"] = utc_now();
  h["latwin_version"] = kVersion;
  h["command"] = fmt::format("{}", fmt::join(quoted, " "));
  h["question"] = kQuestion;
  h["answer"] = "";
  h["model"] = Json{{"path", model_dir}, {"sha256", model_files.sha256},
                    {"start", model.start}, {"stop", scenario.horizon}};
  h["data"] = Json{{"path", data_dir}, {"sha256", data_hash}};
  h["parameters"] = params_record(options.params, params);
  h["scenario"] = Json{{"name", scenario.name}, {"description", scenario.description},
                       {"path", scenario.path}, {"sha256", sha256_hex(scenario.text)},
                       {"summary", scenario.summary}};
  inputs.push_back({"scenario", scenario.name, scenario.path, sha256_hex(scenario.text), scenario.text});
  h["strategies"] = Json::array();
  for (const auto& strategy : strategies) {
    Json spending = Json::object(), pressure = Json::object();
    for (const auto& [name, level] : strategy.mean_levels(model)) {
      (model.instrument(name)->intensity ? pressure : spending)[name] = level;
    }
    h["strategies"].push_back(Json{{"name", strategy.name},
                                   {"description", strategy.description},
                                   {"path", strategy.path},
                                   {"sha256", sha256_hex(strategy.text)},
                                   {"summary", strategy.summary},
                                   {"spending_usd_per_year", spending},
                                   {"total_usd_per_year", strategy.total_usd_per_year(model)},
                                   {"pressure", pressure}});
    inputs.push_back({"strategy", strategy.name, strategy.path, sha256_hex(strategy.text), strategy.text});
  }
  h["seed"] = options.seed;
  h["members"] = options.members;
  h["threads"] = options.threads;
  setup.scenario_label = scenario.name;
  setup.years = years;
  const engine::Variable& index_var = plan.variables[*plan.find_variable(options.index)];
  setup.index = {options.index, label_of(options.index, ""), index_var.description};
  if (options.index == "latin_win_index") setup.index.label = "Latin Win Index";
  std::vector<std::string> component_labels;
  for (const auto& name : components) {
    const engine::Variable& var = plan.variables[*plan.find_variable(name)];
    setup.components.push_back({name, label_of(name, options.components_prefix), var.description});
    component_labels.push_back(setup.components.back().label);
  }
  setup.country_outcome = {options.by_country, "Country contribution",
                           plan.variables[*by_country].description};
  for (const auto& iso3 : countries) {
    analysis::CountryInfo info;
    info.iso3 = iso3;
    const auto& table = data->panel().countries();
    info.name = table.field(iso3, "name").value_or(iso3);
    info.subregion = table.field(iso3, "subregion").value_or("");
    // data check has validated the coordinates; a country without them sits at 0, 0.
    auto coordinate = [&](const char* column) {
      auto text = table.field(iso3, column);
      return text ? std::strtod(text->c_str(), nullptr) : 0.0;
    };
    info.latitude = coordinate("latitude");
    info.longitude = coordinate("longitude");
    setup.countries.push_back(std::move(info));
  }
  setup.reference = reference;
  analysis::Comparison comparison = analysis::compare_strategies(setup, run.samples);
  const Json& doc = comparison.document;
  std::string document_text = doc.dump(1);

  // Files, then the store: each written whole or not at all.
  std::string out = options.out.empty() ? fmt::format("out/compare-{}", scenario.name) : options.out;
  create_output_folder(out);
  write_atomically(std::filesystem::path(out) / "compare.json", document_text + "\n");
  write_atomically(std::filesystem::path(out) / "compare.csv", compare_csv(doc));
  write_atomically(std::filesystem::path(out) / "summaries.csv", summaries_csv(comparison.summaries));
  std::string report_path;
  if (options.report) {
    report_path = (std::filesystem::path(out) / "report.html").string();
    write_atomically(report_path, report::render_report_html(nlohmann::json::parse(document_text)));
  }
  std::int64_t run_id = 0;
  std::string store_path;
  if (!options.no_store) {
    store::RunRecord record;
    record.kind = "compare";
    record.label = options.label;
    if (record.label.empty()) {
      record.label = names.size() <= 3
                         ? fmt::format("{}: {}", scenario.name, fmt::join(names, ", "))
                         : fmt::format("{}: {} strategies", scenario.name, names.size());
    }
    record.command_line = doc["command"];
    record.latwin_version = kVersion;
    record.created = doc["created"];
    record.seed = options.seed;
    record.members = options.members;
    record.scenario = scenario.name;
    for (const auto& strategy : strategies) record.strategies.push_back(strategy.name);
    record.inputs = inputs;
    record.document = document_text;
    for (const auto& row : comparison.summaries) {
      record.summaries.push_back({row.strategy, row.variable, row.element, row.year, row.mean,
                                  row.sd, row.p5, row.p25, row.p50, row.p75, row.p95});
    }
    run_id = store->save(record);
    store_path = store->path().string();
  }

  print_summary(doc, component_labels);
  double elapsed = std::chrono::duration<double>(Clock::now() - started).count();
  if (run.diagnostics > 0) {
    fmt::print(stderr, "warning: {} numerical problems were recorded (first: {})\n",
               run.diagnostics, run.first_diagnostic);
  }
  fmt::print("\n{} strategies x {} members in {:.1f} s. Written: {}/compare.json, compare.csv, "
             "summaries.csv\n",
             strategies.size(), options.members, elapsed, out);
  if (run_id > 0) fmt::print("Stored as run {} in {}\n", run_id, store_path);
  if (!report_path.empty()) fmt::print("Report: {}\n", report_path);
  return kExitOk;
}

}  // namespace

Command add_compare_command(CLI::App& app) {
  auto options = std::make_shared<CompareOptions>();
  CLI::App* command = app.add_subcommand(
      "compare",
      "Compare strategies under a scenario: every strategy runs on the same ensemble members "
      "(same parameter draws, same shocks), so differences come from the strategies, not luck");
  command->add_option("--model", options->model,
                      "Model folder; default: ./models/hemisphere, else the project's")
      ->type_name("DIR");
  add_data_option(command, options->data_dir);
  command
      ->add_option("--scenario", options->scenario,
                   "Scenario: a name from scenarios/ (baseline, china-surge, regional-recession, "
                   "venezuela-transition) or a .yaml file")
      ->type_name("S")
      ->capture_default_str();
  command
      ->add_option("--strategy", options->strategies,
                   fmt::format("Strategy to compare (repeat the option): a name from strategies/ or "
                               "a .yaml file; default: the built-in six ({})",
                               fmt::join(kBuiltinStrategies, ", ")))
      ->type_name("A");
  command
      ->add_option("--reference", options->reference,
                   "Strategy the others are measured against; default: status-quo when compared, "
                   "else the first")
      ->type_name("A");
  command->add_option("--members", options->members, "Ensemble members per strategy")
      ->capture_default_str();
  command->add_option("--seed", options->seed, "Random seed: the same seed gives the same results")
      ->capture_default_str();
  command->add_option("--threads", options->threads,
                      "Worker threads (0: all cores); results do not depend on it")
      ->capture_default_str();
  command->add_option("--out", options->out,
                      "Output folder for compare.json, compare.csv, summaries.csv (and "
                      "report.html); default: out/compare-SCENARIO")
      ->type_name("DIR");
  command->add_option("--store", options->store,
                      fmt::format("Results store (SQLite) to keep the run in; default: $LATWIN_STORE, "
                                  "else {}",
                                  store::default_store_path().string()))
      ->type_name("PATH");
  command->add_flag("--no-store", options->no_store, "Do not keep the run in the results store");
  command->add_flag("--report", options->report, "Also write the HTML report (report.html)");
  command->add_option("--label", options->label, "Short description kept with the run")
      ->type_name("TEXT");
  command->add_option("--index", options->index, "Variable to compare on (higher is better)")
      ->capture_default_str();
  command->add_option("--by-country", options->by_country,
                      "Per-country variable mapped in the report (each country's contribution)")
      ->capture_default_str();
  add_params_option(command, options->params);
  command->add_flag("--quiet", options->quiet, "No progress line");
  return {command, [options]() { return run_compare(*options); }};
}

}  // namespace latwin::cli
