#pragma once
// The results store: every comparison (and later optimisation or exploration) latwin has
// run, with its inputs, in one SQLite file. docs/store.md documents the schema.
//
// A run is written in one transaction: a process killed part-way leaves no trace of it and
// every earlier run intact. Several processes may write at once; a writer waits for the
// others (up to kBusyTimeoutMs) instead of failing. A Store is one connection: use one per
// thread.
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace latwin::store {

// One input file as it was when the run started: its text is kept, so a run can be
// reproduced even after the file changed.
struct InputFile {
  std::string role;  // "model", "strategy", "scenario", "data"
  std::string name;  // e.g. "status-quo", or the file name for model files
  std::string path;  // as given to the command
  std::string sha256;
  std::string content;  // empty for large files kept by hash only (data/panel.csv)
};

// One row of an ensemble summary: a variable (element "" when scalar) of one strategy at
// one year.
struct SummaryRow {
  std::string strategy, variable, element;
  double year = 0;
  double mean = 0, sd = 0, p5 = 0, p25 = 0, p50 = 0, p75 = 0, p95 = 0;
};

// Everything a run keeps.
struct RunRecord {
  std::string kind = "compare";  // what produced it
  std::string label;             // short description shown by `runs list`
  std::string command_line;
  std::string latwin_version;
  std::string created;           // UTC ISO 8601; set by save() when empty
  std::uint64_t seed = 0;
  std::uint64_t members = 0;
  std::string scenario;
  std::vector<std::string> strategies;
  std::vector<InputFile> inputs;
  std::string document;          // the comparison document (docs/compare-format.md)
  std::vector<SummaryRow> summaries;
};

// What `runs list` shows.
struct RunInfo {
  std::int64_t id = 0;
  std::string kind, label, created, latwin_version, scenario;
  std::vector<std::string> strategies;
  std::uint64_t seed = 0, members = 0;
};

inline constexpr int kBusyTimeoutMs = 60'000;

class Store {
 public:
  // Opens the store at path, creating it (and its folder) on first use and migrating an
  // older schema. Throws latwin::InputError naming the path when it cannot be opened, is
  // not a latwin store, or was written by a newer latwin. ":memory:" opens a private store
  // in memory (for tests).
  explicit Store(const std::filesystem::path& path);
  ~Store();
  Store(const Store&) = delete;
  Store& operator=(const Store&) = delete;

  // Saves a run in one transaction and returns its id (ids are never reused). Throws
  // latwin::InputError naming the path, after rolling back, when SQLite fails.
  std::int64_t save(const RunRecord& run);
  // Newest first.
  std::vector<RunInfo> list() const;
  std::optional<RunRecord> load(std::int64_t id) const;
  // False when there is no such run.
  bool remove(std::int64_t id);

  const std::filesystem::path& path() const { return path_; }
  static int schema_version();  // the version this latwin writes

 private:
  std::filesystem::path path_;
  struct Db;
  Db* db_ = nullptr;
};

// $LATWIN_STORE when set and not empty, else $XDG_DATA_HOME/latwin/runs.sqlite, else
// ~/.local/share/latwin/runs.sqlite (a relative XDG_DATA_HOME is ignored, as the XDG spec
// says). Throws latwin::InputError when neither LATWIN_STORE nor a home folder is known.
std::filesystem::path default_store_path();

}  // namespace latwin::store
