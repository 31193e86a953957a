// latwin run: compile a model, run an ensemble, write trajectories.csv, summary.csv and
// run.json to an output folder, and print the final state of the stocks.
#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <charconv>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <nlohmann/json.hpp>

#include "cli/commands.hpp"
#include "cli/params_option.hpp"
#include "core/atomic_file.hpp"
#include "core/error.hpp"
#include "data/run_inputs.hpp"
#include "engine/run/ensemble.hpp"
#include "engine/run/output.hpp"
#include "latwin/version.hpp"

namespace latwin::cli {

namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

// Members up to which trajectories.csv is written without --trajectories: 100 members of a
// model with a few hundred saved values over 20 years stay under ~50 MB of CSV.
constexpr std::uint64_t kTrajectoryMemberLimit = 100;
// Rows of the final-state table printed after a run; the rest are in summary.csv.
constexpr std::size_t kSummaryTableRows = 12;

struct RunOptions {
  std::vector<std::string> models;
  std::string data_dir;
  std::string inputs;
  std::uint64_t members = 100;
  std::uint64_t seed = 1;
  int threads = 0;
  int batch_width = engine::kDefaultBatchWidth;
  double start = 0, stop = 0, dt = 0, save_every = 0;
  CLI::Option* start_opt = nullptr;
  CLI::Option* stop_opt = nullptr;
  CLI::Option* dt_opt = nullptr;
  CLI::Option* save_every_opt = nullptr;
  std::string method;
  std::vector<std::string> save;
  std::vector<std::string> sets;
  bool nominal = false;
  std::string params;
  std::string on_error = "record";
  std::uint64_t first_member = 0;
  bool trajectories = false;
  bool quiet = false;
  std::string out;
  std::vector<std::string> command_line;
};

// "decay=0.3" or "growth[COL]=0.3"; throws latwin::InputError with an example otherwise.
engine::ParamOverride parse_set(const std::string& text) {
  auto fail = [&text]() -> engine::ParamOverride {
    throw InputError(fmt::format(
        "--set '{}': expected NAME=VALUE or NAME[ELEMENT]=VALUE, e.g. --set decay=0.3 or "
        "--set 'growth[COL]=0.3'",
        text));
  };
  std::size_t eq = text.find('=');
  if (eq == std::string::npos || eq == 0) return fail();
  engine::ParamOverride result;
  std::string target = text.substr(0, eq);
  std::size_t open = target.find('[');
  if (open != std::string::npos) {
    if (target.back() != ']' || open == 0 || open + 2 >= target.size()) return fail();
    result.element = target.substr(open + 1, target.size() - open - 2);
    target.resize(open);
  }
  result.variable = target;
  std::string_view value_text = std::string_view(text).substr(eq + 1);
  const char* end = value_text.data() + value_text.size();
  auto [ptr, ec] = std::from_chars(value_text.data(), end, result.value);
  if (value_text.empty() || ec != std::errc() || ptr != end) {
    throw InputError(fmt::format("--set '{}': '{}' is not a number", text, value_text));
  }
  return result;
}

engine::RunSpec build_spec(const RunOptions& options,
                           const std::optional<policy::ParameterFile>& params) {
  engine::RunSpec spec;
  spec.seed = options.seed;
  spec.members = options.members;
  spec.first_member = options.first_member;
  spec.threads = options.threads;
  spec.batch_width = options.batch_width;
  if (options.start_opt->count() > 0) spec.start = options.start;
  if (options.stop_opt->count() > 0) spec.stop = options.stop;
  if (options.dt_opt->count() > 0) spec.dt = options.dt;
  if (options.save_every_opt->count() > 0) spec.save_every = options.save_every;
  if (options.method == "euler") spec.method = lang::Method::kEuler;
  if (options.method == "rk4") spec.method = lang::Method::kRk4;
  spec.save = options.save;
  spec.sample_parameters = !options.nominal;
  spec.policy =
      options.on_error == "stop" ? engine::ErrorPolicy::kStop : engine::ErrorPolicy::kRecord;
  for (const auto& text : options.sets) spec.overrides.push_back(parse_set(text));
  if (!options.inputs.empty()) spec.inputs = data::load_run_inputs(options.inputs);
  spec.parameter_sets = params_sets(params);
  return spec;
}

// 64-bit FNV-1a of a file's bytes: identifies the exact model text a run used.
std::uint64_t fnv1a_64(std::string_view bytes) {
  std::uint64_t hash = 14695981039346656037ull;
  for (unsigned char byte : bytes) {
    hash ^= byte;
    hash *= 1099511628211ull;
  }
  return hash;
}

const char* kind_name(engine::DiagnosticKind kind) {
  switch (kind) {
    case engine::DiagnosticKind::kNotFinite:
      return "not_finite";
    case engine::DiagnosticKind::kBelowRange:
      return "below_range";
    case engine::DiagnosticKind::kAboveRange:
      return "above_range";
  }
  return "unknown";
}

// run.json: everything needed to know what produced the files next to it, and to rerun it.
nlohmann::ordered_json run_record(const RunOptions& options, const std::string& data_dir,
                                  const engine::CompileResult& compiled,
                                  const std::optional<policy::ParameterFile>& params,
                                  const engine::RunSpec& spec, const engine::RunReport& report,
                                  bool wrote_trajectories, double elapsed_seconds) {
  using Json = nlohmann::ordered_json;
  const engine::Plan& plan = *compiled.plan;
  Json record;
  record["latwin_version"] = kVersion;
  record["command"] = options.command_line;
  Json files = Json::array();
  for (std::size_t i = 0; i < compiled.sources->size(); ++i) {
    const lang::SourceFile& file = compiled.sources->file(static_cast<std::uint32_t>(i));
    files.push_back({{"path", file.path},
                     {"bytes", file.text.size()},
                     {"fnv1a64", fmt::format("{:016x}", fnv1a_64(file.text))}});
  }
  record["model_files"] = files;
  record["data_dir"] = data_dir.empty() ? Json(nullptr) : Json(data_dir);
  record["inputs"] = options.inputs.empty() ? Json(nullptr) : Json(options.inputs);
  record["seed"] = spec.seed;
  record["members"] = spec.members;
  record["first_member"] = spec.first_member;
  record["threads"] = report.threads;
  record["batch_width"] = spec.batch_width;
  record["sample_parameters"] = spec.sample_parameters;
  record["parameters"] = params_record(options.params, params);
  record["on_error"] = options.on_error;
  const engine::Settings& settings = report.layout.settings;
  record["settings"] = {{"start", settings.start},
                        {"stop", settings.stop},
                        {"dt", settings.dt},
                        {"save_every", settings.save_every},
                        {"method", lang::to_string(settings.method)}};
  Json saved = Json::array();
  for (std::uint32_t var : report.layout.save_vars) saved.push_back(plan.variables.at(var).name);
  record["saved_variables"] = saved;
  Json overrides = Json::array();
  for (const auto& item : spec.overrides) {
    overrides.push_back(
        {{"variable", item.variable}, {"element", item.element}, {"value", item.value}});
  }
  record["parameter_overrides"] = overrides;
  Json entries = Json::array();
  for (const auto& diag : report.diagnostics) {
    if (entries.size() >= engine::kMaxRecordedDiagnostics) break;
    entries.push_back({{"kind", kind_name(diag.kind)},
                       {"variable", diag.variable},
                       {"element", diag.element},
                       {"time", diag.time},
                       {"member", diag.member},
                       {"value", diag.value},
                       {"message", engine::describe(diag)}});
  }
  record["diagnostics"] = {{"count", report.diagnostic_count}, {"entries", entries}};
  record["outputs"] = {{"summary", "summary.csv"},
                       {"trajectories", wrote_trajectories ? Json("trajectories.csv") : Json()}};
  record["run_seconds"] = report.seconds;
  record["elapsed_seconds"] = elapsed_seconds;
  return record;
}

// Final-state table: one row per element of each saved, non-hidden stock.
void print_final_state(const engine::Plan& plan, const engine::SummaryCsvSink& summary,
                       std::uint64_t members) {
  const engine::RunLayout& layout = summary.layout();
  if (layout.save_times.empty()) return;
  const std::size_t last_time = layout.save_times.size() - 1;
  struct Row {
    std::string variable, element, unit;
    engine::CellSummary cell;
  };
  std::vector<Row> rows;
  std::size_t stock_values = 0;
  for (std::size_t slot_idx = 0; slot_idx < layout.save_slots.size(); ++slot_idx) {
    std::uint32_t slot = layout.save_slots[slot_idx];
    const engine::Variable& var = plan.variables.at(plan.slot_var.at(slot));
    if (var.role != engine::VarRole::kStock || var.hidden) continue;
    ++stock_values;
    if (rows.size() >= kSummaryTableRows) continue;
    rows.push_back({var.name, plan.element_name(var, slot - var.first_slot), var.unit,
                    summary.summary(slot_idx, last_time)});
  }
  if (rows.empty()) {
    std::printf("No stock was saved; see summary.csv for the saved variables.\n");
    return;
  }
  std::size_t name_width = 8, element_width = 7;
  for (const auto& row : rows) {
    name_width = std::max(name_width, row.variable.size());
    element_width = std::max(element_width, row.element.size());
  }
  std::string text = fmt::format(
      "Stocks at the end of the run (time {}), across {} members: the mean, and the range "
      "that holds 90% of members (5th to 95th percentile).\n\n",
      layout.save_times[last_time], members);
  text += fmt::format("  {:<{}}  {:<{}}  {:>12}  {:>12}  {:>12}  {}\n", "variable", name_width,
                      "element", element_width, "mean", "p5", "p95", "unit");
  for (const auto& row : rows) {
    text += fmt::format("  {:<{}}  {:<{}}  {:>12.4g}  {:>12.4g}  {:>12.4g}  {}\n", row.variable,
                        name_width, row.element, element_width, row.cell.mean, row.cell.p5,
                        row.cell.p95, row.unit);
  }
  if (stock_values > rows.size()) {
    text += fmt::format("  ... {} more in summary.csv\n", stock_values - rows.size());
  }
  std::fputs(text.c_str(), stdout);
}

int run_run(const RunOptions& options) {
  const Clock::time_point started = Clock::now();
  // Options first: a typo in --set or a bad --params file should not wait for the model to
  // compile.
  if (options.nominal && !options.params.empty()) {
    throw InputError("--nominal and --params cannot be used together: --nominal gives every "
                     "parameter its nominal value, --params gives the listed ones their values "
                     "from the parameter sets; choose one");
  }
  std::optional<policy::ParameterFile> params = read_params(options.params);
  engine::RunSpec spec = build_spec(options, params);

  std::string data_dir = resolve_data_dir(options.data_dir);
  auto data = load_data(data_dir);
  engine::CompileResult compiled = engine::compile_files(options.models, data.get());
  print_diagnostics(compiled);
  if (!compiled.ok()) return kExitFailure;
  // Checks names and settings before the output folder is touched.
  engine::validate_run(*compiled.plan, spec);

  fs::path out(options.out);
  create_output_folder(options.out);
  const bool write_trajectories = options.trajectories || spec.members <= kTrajectoryMemberLimit;
  const fs::path trajectories_path = out / "trajectories.csv";
  const fs::path summary_path = out / "summary.csv";
  const fs::path record_path = out / "run.json";
  // A trajectories.csv from an earlier run would not match this run's run.json.
  if (!write_trajectories) {
    std::error_code ignored;
    fs::remove(trajectories_path, ignored);
  }

  engine::SummaryCsvSink summary(summary_path);
  std::optional<engine::TrajectoryCsvSink> trajectories;
  std::vector<engine::RunSink*> sinks;
  if (write_trajectories) sinks.push_back(&trajectories.emplace(trajectories_path));
  sinks.push_back(&summary);

  ProgressLine progress(spec.members, !options.quiet && ::isatty(STDERR_FILENO) != 0, "members");
  engine::RunReport report = engine::run_ensemble(
      compiled.plan, spec, sinks, [&progress](std::uint64_t done) { progress.update(done); });
  progress.finish();

  double elapsed = std::chrono::duration<double>(Clock::now() - started).count();
  nlohmann::ordered_json record =
      run_record(options, data_dir, compiled, params, spec, report, write_trajectories, elapsed);
  write_file_atomically(record_path, record.dump(2) + "\n");

  // Plain-language report on stdout.
  print_final_state(*compiled.plan, summary, spec.members);
  std::string tail = "\n";
  if (report.diagnostic_count > 0) {
    tail += fmt::format("{} diagnostic{} (see run.json)\n", report.diagnostic_count,
                        report.diagnostic_count == 1 ? "" : "s");
  }
  tail += fmt::format("Wrote {}\n", summary_path.string());
  if (write_trajectories) tail += fmt::format("Wrote {}\n", trajectories_path.string());
  tail += fmt::format("Wrote {}\n", record_path.string());
  std::fputs(tail.c_str(), stdout);
  return kExitOk;
}

}  // namespace

Command add_run_command(CLI::App& app, std::vector<std::string> command_line) {
  auto options = std::make_shared<RunOptions>();
  options->command_line = std::move(command_line);
  CLI::App* command = app.add_subcommand(
      "run",
      "Run a model many times (an ensemble), each member drawing its uncertain parameters "
      "afresh, and write the results to a folder: summary.csv (mean, spread and percentiles of "
      "every saved value), trajectories.csv (every member's values; written for up to 100 "
      "members unless --trajectories) and run.json (what was run, to reproduce it).");
  add_model_options(command, options->models, options->data_dir);
  command
      ->add_option("--out", options->out,
                   "Folder for the results; created if missing, earlier results replaced")
      ->required()
      ->type_name("DIR");
  command->add_option("--members", options->members, "How many members (runs) in the ensemble")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  command
      ->add_option("--seed", options->seed,
                   "Random seed: the same seed gives the same results on any machine and "
                   "any thread count")
      ->capture_default_str();
  command->add_option("--threads", options->threads, "Worker threads; 0 uses every core")
      ->check(CLI::NonNegativeNumber)
      ->capture_default_str();
  command
      ->add_option("--batch-width", options->batch_width,
                   "Members advanced together in one pass (a tuning knob; results do not "
                   "depend on it)")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  command
      ->add_option("--first-member", options->first_member,
                   "Number of the first member, to split one large ensemble over several "
                   "runs: --members 500 --first-member 500 runs members 500 to 999")
      ->capture_default_str()
      ->type_name("K");
  options->start_opt =
      command->add_option("--start", options->start, "Start year (default: the model's)")
          ->type_name("YEAR");
  options->stop_opt =
      command->add_option("--stop", options->stop, "Stop year (default: the model's)")
          ->type_name("YEAR");
  options->dt_opt =
      command->add_option("--dt", options->dt, "Time step in years (default: the model's)")
          ->type_name("YEARS");
  options->save_every_opt = command
                                ->add_option("--save-every", options->save_every,
                                             "Years between saved values (default: the model's)")
                                ->type_name("YEARS");
  command
      ->add_option("--method", options->method,
                   "Integration method (default: the model's): euler or rk4")
      ->check(CLI::IsMember({"euler", "rk4"}));
  command
      ->add_option("--save", options->save,
                   "Variables to save (default: every stock and auxiliary); repeat or "
                   "separate with commas")
      ->delimiter(',')
      ->type_name("VAR");
  command
      ->add_option("--set", options->sets,
                   "Fix a parameter on every member: NAME=VALUE for all its elements or "
                   "NAME[ELEMENT]=VALUE for one; repeat for several")
      ->type_name("NAME=VALUE");
  command
      ->add_option("--inputs", options->inputs,
                   "CSV of the series the model reads with scenario() and allocation(): "
                   "kind,name,element,year,value (kind is scenario or allocation; leave element "
                   "empty for every element). Without it, allocations are 0 and a model that "
                   "reads a scenario cannot run")
      ->type_name("FILE.csv");
  command->add_flag("--nominal", options->nominal,
                    "Use every parameter's nominal value instead of drawing it");
  add_params_option(command, options->params);
  command
      ->add_option("--on-error", options->on_error,
                   "When a member produces a non-number or leaves a declared range: record "
                   "it in run.json and go on, or stop the run")
      ->check(CLI::IsMember({"stop", "record"}))
      ->capture_default_str();
  command->add_flag("--trajectories", options->trajectories,
                    "Write trajectories.csv even for more than 100 members (it can be large)");
  command->add_flag("--quiet", options->quiet, "No progress line");
  command->footer(
      "Examples:\n"
      "  latwin run models/examples/hemisphere-lite --members 1000 --out out/example\n"
      "  latwin run model.lw --set decay=0.25 --set 'growth[COL]=0.4' --nominal --out "
      "out/what-if\n");
  return {command, [options] { return run_run(*options); }};
}

}  // namespace latwin::cli
