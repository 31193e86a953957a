// latwin backtest: forecasts from past origins with only the data known then, scored against
// what happened and against three rules of thumb (study/backtest.hpp); writes forecast.csv,
// scores.csv and backtest.json, keeps the run in the results store and, when asked, writes the
// HTML report.
#include <fmt/format.h>
#include <unistd.h>

#include <charconv>
#include <cmath>
#include <filesystem>
#include <memory>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "cli/commands.hpp"
#include "cli/validation_inputs.hpp"
#include "core/atomic_file.hpp"
#include "core/error.hpp"
#include "core/sha256.hpp"
#include "engine/lang/source.hpp"
#include "latwin/version.hpp"
#include "policy/parameter_file.hpp"
#include "report/html_report.hpp"
#include "store/store.hpp"
#include "study/backtest.hpp"

namespace latwin::cli {

namespace {

namespace fs = std::filesystem;
using Json = nlohmann::ordered_json;
using analysis::ForecastMethod;

// The goal of issue 7, reported against: leads of this many years and more.
constexpr int kHeadlineMinLead = 3;

struct BacktestOptions {
  std::string model, data_dir, observations, scenario = "baseline", params;
  int origin = 0, horizon = 8, calibration_years = 10;
  std::string origins;
  CLI::Option* origin_opt = nullptr;
  std::vector<std::string> indicators;
  std::uint64_t draws = 4000, accept = 200, members = 1000, seed = 1;
  int threads = 0;
  bool quiet = false;
  std::string out;
  std::string store, label;
  bool no_store = false, report = false;
  std::vector<std::string> command_line;
};

int parse_year(const std::string& text, const std::string& what) {
  int value = 0;
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || ec != std::errc() || ptr != text.data() + text.size()) {
    throw InputError(fmt::format("{}: '{}' is not a year", what, text));
  }
  return value;
}

std::vector<int> origins_of(const BacktestOptions& options) {
  const bool single = options.origin_opt->count() > 0;
  if (single == !options.origins.empty()) {
    throw InputError("give either --origin YEAR (one backtest) or --origins FIRST:LAST (one per "
                     "year, pooled)");
  }
  if (single) return {options.origin};
  std::size_t colon = options.origins.find(':');
  if (colon == std::string::npos) {
    throw InputError(fmt::format("--origins '{}': expected FIRST:LAST, e.g. 2010:2015",
                                 options.origins));
  }
  int first = parse_year(options.origins.substr(0, colon), "--origins");
  int last = parse_year(options.origins.substr(colon + 1), "--origins");
  if (last < first) {
    throw InputError(fmt::format("--origins {}: the last origin comes before the first",
                                 options.origins));
  }
  std::vector<int> years;
  for (int year = first; year <= last; ++year) years.push_back(year);
  return years;
}

std::string number(double value) {
  return std::isfinite(value) ? fmt::format("{:.10g}", value) : "";
}

std::string forecast_csv(const study::BacktestResult& result) {
  std::string text = "origin,indicator,country,year,lead,members,mean";
  for (double q : study::kForecastQuantiles) text += fmt::format(",q{:g}", q * 100);
  text += '\n';
  for (const auto& origin : result.origins) {
    for (const auto& cell : origin.forecasts) {
      text += fmt::format("{},{},{},{},{},{},{}", cell.origin, cell.indicator, cell.country,
                          cell.origin + cell.lead, cell.lead, cell.finite, number(cell.mean));
      for (double q : cell.quantiles) text += "," + number(q);
      text += '\n';
    }
  }
  return text;
}

Json method_json(const analysis::MethodScores& scores, bool ensemble) {
  Json j = {{"count", scores.count},     {"no_forecast", scores.no_forecast},
            {"rmse", scores.rmse},       {"mae", scores.mae},
            {"crps", scores.crps},       {"rmse_skill", scores.rmse_skill},
            {"crps_skill", scores.crps_skill}};
  if (ensemble) {
    j["coverage"] = {{"50", scores.coverage[0]}, {"80", scores.coverage[1]}, {"95", scores.coverage[2]}};
  }
  for (auto& [key, value] : j.items()) {
    if (value.is_number_float() && !std::isfinite(value.get<double>())) value = nullptr;
  }
  return j;
}

// One row per (indicator, country, lead, method); "all" where pooled. ensemble_raw is the
// model's members without the calibration's error spread, persistence_spread the last value
// with persistence's own past error spread (study/backtest.hpp).
std::string scores_csv(const std::vector<analysis::ScoreRow>& table,
                       const std::vector<analysis::ScoreRow>& raw_table,
                       const std::vector<analysis::ScoreRow>& persistence_table) {
  std::string text =
      "indicator,country,lead,method,outcomes,missing,scored,no_forecast,rmse,mae,crps,"
      "coverage50,coverage80,coverage95,rmse_skill,crps_skill\n";
  auto add = [&text](const analysis::ScoreRow& row, const analysis::MethodScores& s,
                     std::string_view method, bool ensemble) {
    text += fmt::format(
        "{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{}\n", row.indicator,
        row.country.value_or("all"), row.lead_years ? std::to_string(*row.lead_years) : "all",
        method, row.outcomes, row.missing, s.count, s.no_forecast, number(s.rmse), number(s.mae),
        number(s.crps), ensemble ? number(s.coverage[0]) : "", ensemble ? number(s.coverage[1]) : "",
        ensemble ? number(s.coverage[2]) : "", number(s.rmse_skill), number(s.crps_skill));
  };
  for (std::size_t r = 0; r < table.size(); ++r) {
    const analysis::ScoreRow& row = table[r];
    for (std::size_t m = 0; m < analysis::kForecastMethodCount; ++m) {
      const auto method = static_cast<ForecastMethod>(m);
      add(row, row[method], analysis::forecast_method_name(method),
          method == ForecastMethod::kEnsemble);
      if (method == ForecastMethod::kEnsemble) {
        add(row, raw_table[r][ForecastMethod::kEnsemble], "ensemble_raw", true);
      }
      if (method == ForecastMethod::kPersistence) {
        add(row, persistence_table[r][ForecastMethod::kEnsemble], "persistence_spread", true);
      }
    }
  }
  return text;
}

// Pooled over countries, origins and leads of at least min_lead, one row per indicator.
std::vector<analysis::ScoreRow> pooled_from_lead(const std::vector<analysis::ForecastRecord>& records,
                                                 int min_lead) {
  std::vector<analysis::ForecastRecord> kept;
  for (const auto& record : records) {
    if (record.lead_years >= min_lead) kept.push_back(record);
  }
  std::vector<analysis::ScoreRow> rows;
  for (auto& row : analysis::score_table(kept)) {
    if (!row.country && !row.lead_years) rows.push_back(std::move(row));
  }
  return rows;
}

std::string read_text(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw InputError(fmt::format("{}: cannot read the file", path));
  std::ostringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

// The files the backtest read, for the results store: the model's files, the observations and
// the scenario with their text; the data by hash only (large, and versioned with the project).
std::vector<store::InputFile> backtest_inputs(const ValidationSetup& setup,
                                              const BacktestOptions& options) {
  std::vector<store::InputFile> inputs;
  for (const auto& path : lang::expand_model_paths({setup.model_dir})) {
    std::string content = read_text(path);
    inputs.push_back({"model", fs::path(path).filename().string(), path, sha256_hex(content),
                      std::move(content)});
  }
  auto add_text = [&inputs](const char* role, const std::string& path) {
    std::string content = read_text(path);
    inputs.push_back(
        {role, fs::path(path).stem().string(), path, sha256_hex(content), std::move(content)});
  };
  if (!setup.observations.path.empty()) add_text("observations", setup.observations.path);
  add_text("scenario", setup.scenario_path);
  if (!options.params.empty()) add_text("parameters", options.params);
  for (const char* name : {"countries.csv", "panel.csv", "indicators.csv"}) {
    const fs::path path = fs::path(setup.data_dir) / name;
    std::error_code ignored;
    if (!fs::is_regular_file(path, ignored)) continue;
    inputs.push_back({"data", name, path.string(), sha256_hex(read_text(path.string())), ""});
  }
  return inputs;
}

int run_backtest_command(const BacktestOptions& options) {
  const std::vector<int> origins = origins_of(options);
  if (options.horizon < 1) {
    throw InputError(fmt::format("--horizon {}: forecast at least one year ahead", options.horizon));
  }
  std::optional<policy::ParameterFile> params;
  if (!options.params.empty()) params = policy::read_parameter_file(options.params);
  ValidationSetup setup = prepare_validation(options.model, options.data_dir, options.observations,
                                             options.scenario, std::nullopt);
  const std::optional<int> last_year = setup.panel->last_year();
  for (int origin : origins) {
    if (!last_year || origin >= *last_year || origin < options.calibration_years) {
      throw InputError(fmt::format("--origin {}: the data in {} run to {}, so an origin must come "
                                   "before {} for anything to be scored",
                                   origin, setup.data_dir, last_year.value_or(0),
                                   last_year.value_or(0)));
    }
  }

  study::BacktestRequest request;
  request.model_paths = {setup.model_dir};
  request.panel = setup.panel.get();
  request.observations = setup.observations;
  request.indicators = options.indicators;
  request.scenario_path = setup.scenario_path;
  request.origins = origins;
  request.horizon = options.horizon;
  request.calibration_years = options.calibration_years;
  request.seed = options.seed;
  request.draws = options.draws;
  request.accept = options.accept;
  request.members = options.members;
  request.threads = options.threads;
  if (params) request.fixed_sets = params->sets;

  // The store is opened before the long part, so a wrong --store fails at once.
  std::unique_ptr<store::Store> store;
  if (!options.no_store) {
    store = std::make_unique<store::Store>(options.store.empty() ? store::default_store_path()
                                                                 : fs::path(options.store));
  }

  ProgressLine progress(1, !options.quiet && ::isatty(STDERR_FILENO) != 0, "");
  study::BacktestResult result = study::run_backtest(
      request, [&progress](const std::string& stage, int origin, std::uint64_t done,
                           std::uint64_t total) {
        progress.set_label(fmt::format("origin {}: {}", origin, stage));
        progress.update(total == 0 ? 0 : done * 1000 / total);
      });
  progress.finish();

  const std::vector<study::Observation> observations =
      study::selected_observations(setup.observations, options.indicators);
  std::vector<analysis::ScoreRow> headline = pooled_from_lead(result.records, kHeadlineMinLead);
  std::vector<analysis::ScoreRow> raw_headline =
      pooled_from_lead(result.raw_records, kHeadlineMinLead);
  std::vector<analysis::ScoreRow> persistence_headline =
      pooled_from_lead(result.persistence_records, kHeadlineMinLead);

  // backtest.json: the settings, the headline, the calibrations, every score and forecast,
  // and the observed series the report draws them against.
  Json doc;
  doc["format"] = "latwin-backtest/1";
  doc["latwin_version"] = kVersion;
  doc["created"] = utc_now();
  doc["command"] = options.command_line;
  doc["model"] = {{"dir", setup.model_dir}, {"sha256", setup.model_sha256}};
  doc["data"] = {{"dir", setup.data_dir}, {"last_year", last_year.value_or(0)}};
  doc["observations"] = setup.observations.path;
  doc["world"] = {{"scenario", setup.scenario_path}, {"held", true}};
  doc["settings"] = {{"origins", origins},
                     {"horizon", options.horizon},
                     {"calibration_years", options.calibration_years},
                     {"draws", options.draws},
                     {"accept", options.accept},
                     {"members", options.members},
                     {"seed", options.seed},
                     {"method", params ? "parameter file (--params)" : kCalibrationMethod},
                     {"params", params ? Json{{"file", options.params},
                                              {"sets", params->sets.rows()},
                                              {"provenance", params->provenance}}
                                       : Json(nullptr)}};
  Json headline_json = Json::array();
  std::size_t beats = 0, compared = 0, beats_spread_count = 0;
  double covered80 = 0;
  std::size_t covered80_count = 0;
  for (std::size_t r = 0; r < headline.size(); ++r) {
    const analysis::ScoreRow& row = headline[r];
    auto obs = std::find_if(observations.begin(), observations.end(),
                            [&row](const study::Observation& o) { return o.indicator == row.indicator; });
    const analysis::MethodScores& model = row[ForecastMethod::kEnsemble];
    const analysis::MethodScores& persistence = row[ForecastMethod::kPersistence];
    const bool is_headline = obs != observations.end() && obs->headline;
    const bool beat = std::isfinite(model.crps_skill) && model.crps_skill > 0;
    const analysis::MethodScores& spread = persistence_headline[r][ForecastMethod::kEnsemble];
    const bool beats_spread = model.count > 0 && spread.count > 0 && model.crps < spread.crps;
    if (is_headline && beats_spread) ++beats_spread_count;
    if (is_headline && std::isfinite(model.crps_skill)) {
      ++compared;
      if (beat) ++beats;
    }
    if (is_headline && model.count > 0) {
      covered80 += model.coverage[1] * static_cast<double>(model.count);
      covered80_count += model.count;
    }
    const data::Indicator* info = setup.panel->find_indicator(row.indicator);
    headline_json.push_back({{"indicator", row.indicator},
                             {"name", info ? info->name : row.indicator},
                             {"unit", info ? info->unit : ""},
                             {"headline", is_headline},
                             {"outcomes", row.outcomes},
                             {"missing", row.missing},
                             {"ensemble", method_json(model, true)},
                             {"ensemble_raw", method_json(raw_headline[r][ForecastMethod::kEnsemble], true)},
                             {"persistence_spread",
                              method_json(persistence_headline[r][ForecastMethod::kEnsemble], true)},
                             {"beats_persistence_spread", beats_spread},
                             {"persistence", method_json(persistence, false)},
                             {"trend", method_json(row[ForecastMethod::kTrend], false)},
                             {"historical_mean", method_json(row[ForecastMethod::kHistoricalMean], false)},
                             {"beats_persistence", beat}});
  }
  const double coverage80 =
      covered80_count > 0 ? covered80 / static_cast<double>(covered80_count) : analysis::kNoValue;
  doc["headline"] = {{"min_lead", kHeadlineMinLead},
                     {"indicators", headline_json},
                     {"beats_persistence", beats},
                     {"beats_persistence_spread", beats_spread_count},
                     {"compared", compared},
                     {"coverage80", std::isfinite(coverage80) ? Json(coverage80) : Json(nullptr)}};
  Json calibrations = Json::array();
  for (const auto& origin : result.origins) {
    Json entry = {{"origin", origin.origin}, {"forecast_diagnostics", origin.diagnostics}};
    if (origin.calibration) {
      const study::CalibrationResult& c = *origin.calibration;
      Json fit = Json::array();
      for (const auto& item : c.fit) {
        fit.push_back({{"indicator", item.indicator},
                       {"points", item.points},
                       {"prior_rmse", item.prior_rmse},
                       {"posterior_rmse", item.posterior_rmse}});
      }
      entry["from"] = origin.origin - options.calibration_years;
      entry["tolerance"] = c.tolerance;
      entry["prior_median_distance"] = c.prior_median_distance;
      entry["non_finite_draws"] = c.non_finite;
      entry["diagnostics"] = c.diagnostics;
      entry["fit"] = fit;
    }
    calibrations.push_back(entry);
  }
  doc["origins"] = calibrations;
  Json rows = Json::array();
  for (std::size_t r = 0; r < result.table.size(); ++r) {
    const analysis::ScoreRow& row = result.table[r];
    if (row.country) continue;  // per-country rows are in scores.csv
    Json methods = Json::object();
    for (std::size_t m = 0; m < analysis::kForecastMethodCount; ++m) {
      const auto method = static_cast<ForecastMethod>(m);
      methods[std::string(analysis::forecast_method_name(method))] =
          method_json(row[method], method == ForecastMethod::kEnsemble);
    }
    methods["ensemble_raw"] = method_json(result.raw_table[r][ForecastMethod::kEnsemble], true);
    methods["persistence_spread"] =
        method_json(result.persistence_table[r][ForecastMethod::kEnsemble], true);
    rows.push_back({{"indicator", row.indicator},
                    {"lead", row.lead_years ? Json(*row.lead_years) : Json(nullptr)},
                    {"outcomes", row.outcomes},
                    {"missing", row.missing},
                    {"methods", methods}});
  }
  doc["scores"] = rows;
  Json forecasts = Json::array();
  Json observed = Json::array();
  for (const auto& obs : observations) {
    for (const auto& iso3 : setup.panel->countries().iso3()) {
      auto series = setup.panel->series(obs.indicator, iso3, data::Values::kObservedOnly);
      if (!series) continue;
      Json years = Json::array(), values = Json::array();
      for (std::size_t k = 0; k < series->values.size(); ++k) {
        if (!std::isfinite(series->values[k])) continue;
        years.push_back(series->first_year + static_cast<int>(k));
        values.push_back(series->values[k]);
      }
      observed.push_back({{"indicator", obs.indicator}, {"country", iso3}, {"years", years}, {"values", values}});
    }
  }
  for (const auto& origin : result.origins) {
    for (const auto& cell : origin.forecasts) {
      Json q = Json::array();
      for (double v : cell.quantiles) q.push_back(std::isfinite(v) ? Json(v) : Json(nullptr));
      forecasts.push_back({{"indicator", cell.indicator},
                           {"country", cell.country},
                           {"origin", cell.origin},
                           {"lead", cell.lead},
                           {"quantiles", q}});
    }
  }
  doc["forecast_quantiles"] = study::kForecastQuantiles;
  doc["forecasts"] = forecasts;
  doc["observed"] = observed;

  // Files, then the report and the store: each written whole or not at all.
  create_output_folder(options.out);
  const fs::path out(options.out);
  const std::string document_text = doc.dump(1);
  write_file_atomically(out / "forecast.csv", forecast_csv(result));
  write_file_atomically(out / "scores.csv", scores_csv(result.table, result.raw_table, result.persistence_table));
  write_file_atomically(out / "backtest.json", document_text + "\n");
  std::string report_path;
  if (options.report) {
    report_path = (out / "report.html").string();
    write_file_atomically(report_path,
                          report::render_backtest_html(nlohmann::json::parse(document_text)));
  }
  std::int64_t run_id = 0;
  std::string store_path;
  if (store) {
    store::RunRecord record;
    record.kind = "backtest";
    record.label = options.label;
    if (record.label.empty()) {
      record.label = fmt::format("backtest from {}, {} years ahead",
                                 origins.size() == 1
                                     ? std::to_string(origins.front())
                                     : fmt::format("{} to {}", origins.front(), origins.back()),
                                 options.horizon);
    }
    std::string command;
    for (const auto& word : options.command_line) {
      if (!command.empty()) command += ' ';
      command += word;
    }
    record.command_line = command;
    record.latwin_version = kVersion;
    record.created = doc["created"];
    record.seed = options.seed;
    record.members = options.members;
    record.scenario = fs::path(setup.scenario_path).stem().string();
    record.inputs = backtest_inputs(setup, options);
    record.document = document_text;
    run_id = store->save(record);
    store_path = store->path().string();
  }

  // The answer, plainly.
  std::string text = fmt::format(
      "Backtest from {} ({} origin{}), {} years ahead: forecasts made with the data known at "
      "each origin, scored against what was observed.\n"
      "Pooled over countries{} and leads of {} years and more; CRPS is the forecast's error in "
      "the indicator's units (lower is better); skill is 1 - CRPS / persistence's CRPS.\n\n",
      origins.size() == 1 ? std::to_string(origins.front())
                          : fmt::format("{} to {}", origins.front(), origins.back()),
      origins.size(), origins.size() == 1 ? "" : "s", options.horizon,
      origins.size() == 1 ? "" : " and origins", kHeadlineMinLead);
  text += fmt::format("  {:<22} {:>6} {:>11} {:>11} {:>11} {:>11} {:>7} {:>8} {:>11} {:>8} {:>11}\n",
                      "indicator", "scored", "model", "persistence", "trend", "mean", "skill",
                      "80% cov.", "raw model", "raw cov.", "pers.+sprd");
  for (std::size_t r = 0; r < headline.size(); ++r) {
    const analysis::ScoreRow& row = headline[r];
    const auto& model = row[ForecastMethod::kEnsemble];
    const auto& raw = raw_headline[r][ForecastMethod::kEnsemble];
    text += fmt::format(
        "  {:<22} {:>6} {:>11.4g} {:>11.4g} {:>11.4g} {:>11.4g} {:>7} {:>8} {:>11.4g} {:>8} {:>11.4g}\n",
        row.indicator, model.count, model.crps, row[ForecastMethod::kPersistence].crps,
        row[ForecastMethod::kTrend].crps, row[ForecastMethod::kHistoricalMean].crps,
        std::isfinite(model.crps_skill) ? fmt::format("{:+.2f}", model.crps_skill) : "-",
        model.count > 0 ? fmt::format("{:.0f}%", 100 * model.coverage[1]) : "-", raw.crps,
        raw.count > 0 ? fmt::format("{:.0f}%", 100 * raw.coverage[1]) : "-",
        persistence_headline[r][ForecastMethod::kEnsemble].crps);
  }
  text += "  (model: the ensemble with the error spread the calibration measured before the "
          "origin; raw: the ensemble alone; pers.+sprd: the last value with persistence's own "
          "past error spread, the fair probabilistic benchmark)\n";
  text += fmt::format(
      "\nThe model beats persistence on {} of {} headline indicators at leads of {}+ years; its "
      "80% intervals hold {} of the outcomes (a calibrated forecast holds about 80%). Against "
      "persistence given its own past error spread, it is better on {} of them.\n",
      beats, compared, kHeadlineMinLead,
      std::isfinite(coverage80) ? fmt::format("{:.0f}%", 100 * coverage80) : "none",
      beats_spread_count);
  std::uint64_t diagnostics = 0;
  for (const auto& origin : result.origins) diagnostics += origin.diagnostics;
  if (diagnostics > 0) {
    text += fmt::format("{} numerical diagnostics in the forecast runs (members that left a "
                        "declared range or gave a non-number).\n", diagnostics);
  }
  text += fmt::format("Wrote {}, {} and {}\n", (out / "forecast.csv").string(),
                      (out / "scores.csv").string(), (out / "backtest.json").string());
  if (run_id > 0) text += fmt::format("Stored as run {} in {}\n", run_id, store_path);
  if (!report_path.empty()) text += fmt::format("Report: {}\n", report_path);
  std::fputs(text.c_str(), stdout);
  return kExitOk;
}

}  // namespace

Command add_backtest_command(CLI::App& app, std::vector<std::string> command_line) {
  auto options = std::make_shared<BacktestOptions>();
  options->command_line = std::move(command_line);
  CLI::App* command = app.add_subcommand(
      "backtest",
      "How well would the model have forecast? From a past origin, with only the data known "
      "then: calibrate on the years before it, forecast the next years as an ensemble, and score "
      "the forecasts against what was observed, next to three rules of thumb (the last value, "
      "a linear trend, the country's mean). Writes forecast.csv, scores.csv and backtest.json.");
  add_validation_options(command, options->model, options->data_dir, options->observations,
                         options->scenario);
  options->origin_opt =
      command->add_option("--origin", options->origin, "Year the forecasts are made from")
          ->type_name("YEAR");
  command
      ->add_option("--origins", options->origins,
                   "Rolling: one backtest from each year FIRST to LAST, scores pooled")
      ->type_name("FIRST:LAST");
  command->add_option("--horizon", options->horizon, "Years forecast after the origin")
      ->capture_default_str()
      ->type_name("YEARS");
  command
      ->add_option("--indicators", options->indicators,
                   "Indicators to fit and score (default: every one in observations.yaml)")
      ->delimiter(',')
      ->type_name("ID");
  command
      ->add_option("--calibration-years", options->calibration_years,
                   "Years before the origin the calibration fits")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  command->add_option("--draws", options->draws, "Calibration: parameter sets drawn and run")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  command->add_option("--accept", options->accept, "Calibration: sets kept, the nearest to the data")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  command->add_option("--members", options->members, "Members of each forecast ensemble")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  command
      ->add_option("--params", options->params,
                   "Use these parameter sets (from latwin calibrate) instead of calibrating at "
                   "each origin; they must come from data no later than the earliest origin")
      ->type_name("FILE");
  command->add_option("--seed", options->seed, "Random seed: the same seed gives the same results")
      ->capture_default_str();
  command->add_option("--threads", options->threads, "Worker threads; 0 uses every core")
      ->check(CLI::NonNegativeNumber)
      ->capture_default_str();
  command
      ->add_option("--out", options->out,
                   "Folder for forecast.csv, scores.csv and backtest.json (and report.html)")
      ->required()
      ->type_name("DIR");
  command
      ->add_option("--store", options->store,
                   fmt::format("Results store (SQLite) to keep the run in; default: $LATWIN_STORE, "
                               "else {}",
                               store::default_store_path().string()))
      ->type_name("PATH");
  command->add_flag("--no-store", options->no_store, "Do not keep the run in the results store");
  command->add_flag("--report", options->report, "Also write the HTML report (report.html)");
  command->add_option("--label", options->label, "Short description kept with the run")
      ->type_name("TEXT");
  command->add_flag("--quiet", options->quiet, "No progress line");
  command->footer(
      "Examples:\n"
      "  latwin backtest --origin 2015 --horizon 8 --out out/backtest-2015\n"
      "  latwin backtest --origins 2010:2015 --horizon 8 --report --out out/backtest-rolling\n"
      "  latwin report ID   (the run's page again, from the results store)\n");
  return {command, [options] { return run_backtest_command(*options); }};
}

}  // namespace latwin::cli
