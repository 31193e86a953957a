// latwin runs: look at the results store (docs/store.md): list the saved runs, show one,
// export its summaries as CSV or its document as JSON, delete one.
#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <map>
#include <memory>

#include "cli/commands.hpp"
#include "core/atomic_file.hpp"
#include "core/error.hpp"
#include "engine/run/output.hpp"
#include "store/store.hpp"

namespace latwin::cli {

namespace {

// Widest strategies cell of `runs list`; longer lists end in "+N more" (`runs show` has all).
constexpr std::size_t kMaxStrategiesWidth = 40;
// Hex digits of a sha256 `runs show` prints: enough to tell files apart at a glance, as git
// does with 12 for commits.
constexpr std::size_t kShortHashDigits = 12;
// Significant digits of the statistics in `runs show`: enough to compare strategies;
// `runs export` prints every digit.
constexpr int kTableDigits = 4;
// The variable `runs show` reports at the horizon (docs/latin-win-index.md).
constexpr const char* kIndexVariable = "latin_win_index";

struct RunsOptions {
  std::string store;
  std::int64_t id = 0;
  std::string format;  // export
  std::string out;     // export
};

std::filesystem::path store_path(const RunsOptions& options) {
  return options.store.empty() ? store::default_store_path() : std::filesystem::path(options.store);
}

[[noreturn]] void no_such_run(std::int64_t id, const std::filesystem::path& path) {
  throw InputError(fmt::format("no run {} in {}", id, path.string()));
}

// The run, or an error naming the store. A store that does not exist yet has no runs (and
// is not created by looking at it).
store::RunRecord load_run(const RunsOptions& options) {
  std::filesystem::path path = store_path(options);
  if (!std::filesystem::exists(path)) no_such_run(options.id, path);
  store::Store runs(path);
  std::optional<store::RunRecord> run = runs.load(options.id);
  if (!run) no_such_run(options.id, path);
  return std::move(*run);
}

// Characters, not bytes, of UTF-8 text (labels and names may hold accents), as fmt counts
// them when it pads.
std::size_t text_width(const std::string& text) {
  return static_cast<std::size_t>(std::count_if(text.begin(), text.end(), [](char byte) {
    return (static_cast<unsigned char>(byte) & 0xC0) != 0x80;
  }));
}

// Rows of cells as columns separated by two spaces; right_aligned[col] for numbers.
std::string format_table(const std::vector<std::vector<std::string>>& rows,
                         const std::vector<bool>& right_aligned) {
  std::vector<std::size_t> widths;
  for (const auto& row : rows) {
    widths.resize(std::max(widths.size(), row.size()), 0);
    for (std::size_t col = 0; col < row.size(); ++col) {
      widths[col] = std::max(widths[col], text_width(row[col]));
    }
  }
  std::string text;
  for (const auto& row : rows) {
    std::string line;
    for (std::size_t col = 0; col < row.size(); ++col) {
      if (col > 0) line += "  ";
      bool right = col < right_aligned.size() && right_aligned[col];
      line += right ? fmt::format("{:>{}}", row[col], widths[col])
                    : fmt::format("{:<{}}", row[col], widths[col]);
    }
    while (!line.empty() && line.back() == ' ') line.pop_back();
    text += line + "\n";
  }
  return text;
}

// "a,b,c", or as many names as fit in kMaxStrategiesWidth followed by "+N more".
std::string short_strategies(const std::vector<std::string>& names) {
  if (names.empty()) return "-";
  std::string all = fmt::format("{}", fmt::join(names, ","));
  if (text_width(all) <= kMaxStrategiesWidth) return all;
  auto more = [&names](std::size_t shown) {
    return shown == names.size() ? std::string() : fmt::format(" +{} more", names.size() - shown);
  };
  std::string text;
  std::size_t shown = 0;
  while (shown < names.size()) {
    std::string next = shown == 0 ? names[0] : text + "," + names[shown];
    if (text_width(next) + more(shown + 1).size() > kMaxStrategiesWidth) break;
    text = std::move(next);
    ++shown;
  }
  if (shown == 0) {
    // Even the first name is too long: cut it (at a character boundary).
    std::size_t cut = kMaxStrategiesWidth - more(1).size() - 3;
    while (cut > 0 && (static_cast<unsigned char>(names[0][cut]) & 0xC0) == 0x80) --cut;
    text = names[0].substr(0, cut) + "...";
    shown = 1;
  }
  return text + more(shown);
}

// A statistic for a table: kTableDigits significant digits but every integer digit, no
// exponent, trailing zeros dropped; "-" when it could not be computed.
std::string format_stat(double value) {
  if (std::isnan(value)) return "-";
  if (std::isinf(value)) return value > 0 ? "inf" : "-inf";
  double magnitude = std::fabs(value);
  if (magnitude == 0) return "0";
  int integer_digits = static_cast<int>(std::floor(std::log10(magnitude))) + 1;
  int decimals = std::clamp(kTableDigits - integer_digits, 0, 10);
  std::string text = fmt::format("{:.{}f}", value, decimals);
  if (text.find('.') != std::string::npos) {
    while (text.back() == '0') text.pop_back();
    if (text.back() == '.') text.pop_back();
  }
  if (text == "-0") text = "0";
  return text;
}

std::string format_size(std::size_t bytes) {
  if (bytes < 1024) return fmt::format("{} bytes", bytes);
  if (bytes < 1024 * 1024) return fmt::format("{:.1f} KiB", static_cast<double>(bytes) / 1024);
  return fmt::format("{:.1f} MiB", static_cast<double>(bytes) / (1024 * 1024));
}

std::string or_dash(const std::string& text) {
  return text.empty() ? "-" : text;
}

// ---- list ----

int run_list(const RunsOptions& options) {
  std::filesystem::path path = store_path(options);
  std::vector<store::RunInfo> runs;
  if (std::filesystem::exists(path)) runs = store::Store(path).list();
  if (runs.empty()) {
    std::printf("no runs in %s\n", path.c_str());
    return kExitOk;
  }
  std::vector<std::vector<std::string>> rows = {
      {"id", "created", "kind", "scenario", "strategies", "members", "seed", "label"}};
  for (const store::RunInfo& run : runs) {
    rows.push_back({std::to_string(run.id), run.created, run.kind, or_dash(run.scenario),
                    short_strategies(run.strategies), std::to_string(run.members),
                    std::to_string(run.seed), run.label});
  }
  std::string text = format_table(rows, {true, false, false, false, false, true, true, false});
  text += fmt::format("\n{} {} in {}. 'latwin runs show ID' shows one.\n", runs.size(),
                      runs.size() == 1 ? "run" : "runs", path.string());
  std::fputs(text.c_str(), stdout);
  return kExitOk;
}

// ---- show ----

// The strategies of a run in the order saved, then any other that has summary rows.
std::vector<std::string> strategy_order(const store::RunRecord& run) {
  std::vector<std::string> order = run.strategies;
  for (const store::SummaryRow& row : run.summaries) {
    if (std::find(order.begin(), order.end(), row.strategy) == order.end()) {
      order.push_back(row.strategy);
    }
  }
  return order;
}

// The rows of kIndexVariable at its largest year, one table; "" when the run has none.
std::string horizon_table(const store::RunRecord& run) {
  std::vector<const store::SummaryRow*> index_rows;
  double horizon = -INFINITY;
  for (const store::SummaryRow& row : run.summaries) {
    if (row.variable != kIndexVariable) continue;
    index_rows.push_back(&row);
    horizon = std::max(horizon, row.year);
  }
  if (index_rows.empty()) return "";
  bool any_element = false;
  for (const store::SummaryRow* row : index_rows)
    any_element = any_element || !row->element.empty();

  std::vector<std::vector<std::string>> rows;
  std::vector<std::string> header = {"strategy"};
  if (any_element) header.push_back("element");
  for (const char* stat : {"mean", "p5", "p50", "p95"}) header.push_back(stat);
  rows.push_back(header);
  for (const std::string& strategy : strategy_order(run)) {
    for (const store::SummaryRow* row : index_rows) {
      if (row->strategy != strategy || row->year != horizon) continue;
      std::vector<std::string> cells = {strategy};
      if (any_element) cells.push_back(or_dash(row->element));
      for (double value : {row->mean, row->p5, row->p50, row->p95}) {
        cells.push_back(format_stat(value));
      }
      rows.push_back(std::move(cells));
    }
  }
  std::vector<bool> right(header.size(), true);
  right[0] = false;
  if (any_element) right[1] = false;
  std::string table = format_table(rows, right);
  std::string indented;
  for (std::size_t start = 0; start < table.size();) {
    std::size_t end = table.find('\n', start);
    indented += "  " + table.substr(start, end - start + 1);
    start = end + 1;
  }
  return fmt::format(
      "{} at the horizon ({}), across members: the mean, and the 5th, 50th and 95th "
      "percentiles.\n{}",
      kIndexVariable, horizon, indented);
}

int run_show(const RunsOptions& options) {
  store::RunRecord run = load_run(options);
  std::string text = fmt::format("run {}: {}, saved {} by latwin {}\n", options.id, run.kind,
                                 or_dash(run.created), or_dash(run.latwin_version));
  std::vector<std::vector<std::string>> facts = {
      {"label", or_dash(run.label)},
      {"scenario", or_dash(run.scenario)},
      {"strategies",
       run.strategies.empty() ? "-" : fmt::format("{}", fmt::join(run.strategies, ", "))},
      {"members", std::to_string(run.members)},
      {"seed", std::to_string(run.seed)},
      {"store", store_path(options).string()},
  };
  for (const auto& fact : facts) text += fmt::format("  {:<11} {}\n", fact[0], fact[1]);

  text += "\nTo reproduce it:\n";
  text += run.command_line.empty() ? "  (the command line was not recorded)\n"
                                   : fmt::format("  {}\n", run.command_line);

  text +=
      fmt::format("\nInputs ({}), each kept as it was when the run started:\n", run.inputs.size());
  if (run.inputs.empty()) {
    text += "  (none recorded)\n";
  } else {
    std::vector<std::vector<std::string>> rows = {{"role", "name", "path", "sha256", "kept"}};
    for (const store::InputFile& input : run.inputs) {
      rows.push_back({or_dash(input.role), or_dash(input.name), or_dash(input.path),
                      or_dash(input.sha256.substr(0, kShortHashDigits)),
                      input.content.empty() ? "hash only" : format_size(input.content.size())});
    }
    std::string table = format_table(rows, {});
    for (std::size_t start = 0; start < table.size();) {
      std::size_t end = table.find('\n', start);
      text += "  " + table.substr(start, end - start + 1);
      start = end + 1;
    }
  }

  text += fmt::format("\n{} summary {}", run.summaries.size(),
                      run.summaries.size() == 1 ? "row" : "rows");
  text += fmt::format(" ('latwin runs export {} --format csv' writes them all).\n", options.id);
  std::string horizon = horizon_table(run);
  if (!horizon.empty()) text += "\n" + horizon;
  std::fputs(text.c_str(), stdout);
  return kExitOk;
}

// ---- export ----

// Every summary row as tidy CSV; numbers in their shortest exact form, a statistic that
// could not be computed as an empty field.
std::string summaries_csv(const store::RunRecord& run) {
  std::string text = "strategy,variable,element,year,mean,sd,p5,p25,p50,p75,p95\n";
  text.reserve(run.summaries.size() * 120);
  auto append_number = [&text](double value) {
    text += ',';
    if (!std::isnan(value)) fmt::format_to(std::back_inserter(text), "{}", value);
  };
  for (const store::SummaryRow& row : run.summaries) {
    engine::append_csv_field(text, row.strategy);
    text += ',';
    engine::append_csv_field(text, row.variable);
    text += ',';
    engine::append_csv_field(text, row.element);
    for (double value : {row.year, row.mean, row.sd, row.p5, row.p25, row.p50, row.p75, row.p95}) {
      append_number(value);
    }
    text += '\n';
  }
  return text;
}

int run_export(const RunsOptions& options) {
  store::RunRecord run = load_run(options);
  std::string text;
  if (options.format == "json") {
    if (run.document.empty()) {
      throw InputError(fmt::format(
          "run {} in {} has no JSON document (it is a '{}' run); export its summaries with "
          "--format csv",
          options.id, store_path(options).string(), run.kind));
    }
    text = std::move(run.document);
  } else {
    text = summaries_csv(run);
  }
  if (options.out.empty()) {
    std::fwrite(text.data(), 1, text.size(), stdout);
    return kExitOk;
  }
  AtomicFileWriter writer(options.out);
  writer.write(text);
  writer.commit();
  std::printf("Wrote %s\n", options.out.c_str());
  return kExitOk;
}

// ---- delete ----

int run_delete(const RunsOptions& options) {
  std::filesystem::path path = store_path(options);
  if (!std::filesystem::exists(path)) no_such_run(options.id, path);
  if (!store::Store(path).remove(options.id)) no_such_run(options.id, path);
  std::printf("deleted run %lld\n", static_cast<long long>(options.id));
  return kExitOk;
}

void add_store_option(CLI::App* command, std::string& store) {
  std::string current;
  try {
    current = fmt::format(" (here: {})", store::default_store_path().string());
  } catch (const Error&) {
    // No home folder: the help still says where the store would go.
  }
  command
      ->add_option("--store", store,
                   fmt::format("Results store (an SQLite file); default: $LATWIN_STORE when "
                               "set, else $XDG_DATA_HOME/latwin/runs.sqlite, else "
                               "~/.local/share/latwin/runs.sqlite{}",
                               current))
      ->type_name("FILE");
}

void add_id_option(CLI::App* command, std::int64_t& id) {
  command->add_option("id", id, "Run id (see 'latwin runs list')")->required()->type_name("ID");
}

}  // namespace

Command add_runs_command(CLI::App& app) {
  auto options = std::make_shared<RunsOptions>();
  CLI::App* command = app.add_subcommand(
      "runs",
      "Look at the results store, where latwin keeps every comparison it ran with its inputs: "
      "list the runs, show one, export one, delete one. docs/store.md describes the store.");
  command->require_subcommand(1);

  CLI::App* list = command->add_subcommand(
      "list",
      "One line per saved run, newest first: id, when, kind, scenario, strategies, members, "
      "seed and label.");
  add_store_option(list, options->store);

  CLI::App* show = command->add_subcommand(
      "show",
      "Everything about one run: what it was, how to reproduce it, its input files (with "
      "hashes), and the Latin Win Index of each strategy at the horizon.");
  add_store_option(show, options->store);
  add_id_option(show, options->id);

  CLI::App* exporter = command->add_subcommand(
      "export",
      "Write one run out: --format csv gives its summaries as tidy CSV "
      "(strategy,variable,element,year,mean,sd,p5,p25,p50,p75,p95; an empty statistic could "
      "not be computed), --format json the comparison document exactly as saved.");
  add_store_option(exporter, options->store);
  add_id_option(exporter, options->id);
  exporter->add_option("--format", options->format, "csv or json")
      ->required()
      ->check(CLI::IsMember({"csv", "json"}))
      ->type_name("FORMAT");
  exporter
      ->add_option("--out", options->out,
                   "File to write (replaced if it exists); default: "
                   "standard output")
      ->type_name("FILE");

  CLI::App* remove = command->add_subcommand(
      "delete", "Delete one run with its inputs and summaries. It cannot be undone.");
  add_store_option(remove, options->store);
  add_id_option(remove, options->id);

  command->footer(
      "Examples:\n"
      "  latwin runs list\n"
      "  latwin runs show 12\n"
      "  latwin runs export 12 --format csv --out run12.csv\n"
      "  latwin runs export 12 --format json > compare.json\n"
      "  latwin runs delete 12 --store other.sqlite\n");
  return {command, [options, list, show, exporter, remove] {
            if (list->parsed()) return run_list(*options);
            if (show->parsed()) return run_show(*options);
            if (exporter->parsed()) return run_export(*options);
            if (remove->parsed()) return run_delete(*options);
            throw Error("latwin runs: give a subcommand: list, show, export or delete");
          }};
}

}  // namespace latwin::cli
