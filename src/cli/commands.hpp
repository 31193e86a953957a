#pragma once
// The CLI's commands, one file each. A command registers its subcommand and options on the
// app and returns how to run it; main() runs the one that was parsed and alone maps
// exceptions to messages and exit codes (core/error.hpp).
#include <CLI/CLI.hpp>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "core/clock.hpp"  // utc_now(), for the records commands write
#include "data/panel.hpp"
#include "engine/compile/compiler.hpp"

namespace latwin::cli {

struct Command {
  CLI::App* app = nullptr;
  std::function<int()> run;  // returns the exit code; throws latwin::Error on bad input
};

Command add_check_command(CLI::App& app);
// command_line: argv as given, recorded in run.json.
Command add_run_command(CLI::App& app, std::vector<std::string> command_line);
Command add_graph_command(CLI::App& app);
// latwin doc: model.md, model-graph.dot and model-graph.svg (doc.cpp).
Command add_doc_command(CLI::App& app);
// latwin data list | show | check | coverage (data.cpp).
Command add_data_command(CLI::App& app);
// latwin runs list | show | export | delete: the results store (runs.cpp).
Command add_runs_command(CLI::App& app);
// latwin compare: strategies under a scenario, on common random numbers (compare.cpp).
Command add_compare_command(CLI::App& app);
// latwin report: the HTML report of a stored run or a compare.json (report.cpp).
Command add_report_command(CLI::App& app);
// latwin optimize: the best allocation of a budget, as a strategy file (optimize.cpp).
Command add_optimize_command(CLI::App& app);
// latwin explore: sensitivity and scenario discovery over the uncertain parameters (explore.cpp).
Command add_explore_command(CLI::App& app);
// latwin calibrate: fit the uncertain parameters to past years, as a parameter file
// (calibrate.cpp).
Command add_calibrate_command(CLI::App& app, std::vector<std::string> command_line);
// latwin backtest: forecasts from past origins scored against what happened (backtest.cpp).
Command add_backtest_command(CLI::App& app, std::vector<std::string> command_line);
// latwin history: past years with and without U.S. aid, beside the observations (history.cpp).
Command add_history_command(CLI::App& app);

// ---- Shared by the commands (common.cpp) ----

// Adds "MODEL..." (required) and "--data DIR" to a command.
void add_model_options(CLI::App* command, std::vector<std::string>& models, std::string& data_dir);
// Adds "--data DIR" to a command, with the default described.
void add_data_option(CLI::App* command, std::string& data_dir);

// The project's own data folder: $LATWIN_PROJECT_DATA_DIR when set (set but empty: none),
// else the folder compiled in (LATWIN_PROJECT_DATA_DIR in src/CMakeLists.txt).
std::string project_data_dir();

// The data folder to use: data_dir when given, else "data" when ./data/panel.csv exists,
// else project_data_dir() when it holds panel.csv, else "" (no data; a model that reads data
// then fails to compile with a clear message).
std::string resolve_data_dir(const std::string& data_dir);
// resolve_data_dir(), but throws latwin::InputError saying where it looked when it finds none.
std::string require_data_dir(const std::string& data_dir);

// Loads the data folder; null for "". Throws latwin::InputError.
std::unique_ptr<data::PanelDataSource> load_data(const std::string& resolved_dir);

// Prints the compiler's errors and warnings to stderr.
void print_diagnostics(const engine::CompileResult& result);

// Creates the output folder (and its parents); throws latwin::InputError naming it.
void create_output_folder(const std::string& path);

// The model folder to use: model_dir when given, else ./models/hemisphere when it exists,
// else the project's models/hemisphere.
std::string resolve_model_dir(const std::string& model_dir);

// The project's folder (models/, strategies/, scenarios/): $LATWIN_PROJECT_DIR when set (set
// but empty: none), else the folder compiled in.
std::string project_dir();
// A named file of a kind kept in a folder of the project, e.g. ("strategies", "status-quo"):
// a path (with '/' or ending in .yaml) is used as given; a name is looked up as
// ./FOLDER/NAME.yaml, then as PROJECT/FOLDER/NAME.yaml. Throws latwin::InputError listing the
// names available when there is none.
std::string resolve_named_file(const std::string& folder, const std::string& name);
// The names (file stems) of the .yaml files in ./FOLDER, else PROJECT/FOLDER, sorted.
std::vector<std::string> available_names(const std::string& folder);

// A single updating "LABEL 4096/16384 (25%)" line on stderr, at most ~10 times a second;
// silent when disabled (not a terminal, or --quiet).
class ProgressLine {
 public:
  ProgressLine(std::uint64_t total, bool enabled, std::string label);
  void update(std::uint64_t done);
  void set_label(std::string label) { label_ = std::move(label); }
  // Erases the line so what follows starts clean.
  void finish();
  ~ProgressLine() { finish(); }

 private:
  std::uint64_t total_;
  bool enabled_;
  std::string label_;
  bool shown_ = false;
  std::chrono::steady_clock::time_point last_{};
};

}  // namespace latwin::cli
