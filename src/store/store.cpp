// The results store on the SQLite C API. docs/store.md documents the schema, the
// versioning and what a crash or a second writer can and cannot do to the file.
#include "store/store.hpp"

#include <fmt/format.h>
#include <pwd.h>
#include <sqlite3.h>
#include <unistd.h>

#include <charconv>
#include <chrono>
#include <cstdlib>
#include <ctime>
#include <iterator>
#include <limits>
#include <map>
#include <memory>
#include <string_view>
#include <thread>

#include "core/clock.hpp"
#include "core/error.hpp"

namespace latwin::store {

namespace fs = std::filesystem;

namespace {

// 'LATW' in the header's application_id field: tells a latwin store from any other SQLite
// file (`sqlite3 FILE 'PRAGMA application_id'` prints 1279349847).
constexpr int kApplicationId = 0x4C415457;

// kMigrations[n] takes a store from schema version n to n + 1, in one transaction; the
// store's version is the header's user_version. To change the schema, append a step (and
// describe it in docs/store.md); never edit a step that has shipped.
//
// seed and members are TEXT (decimal digits): SQLite's integers are signed 64-bit, and a
// uint64 seed above INT64_MAX must come back as it went in. TEXT affinity still lets an
// analyst write `WHERE seed = 7`. Statistics that could not be computed (NaN) are NULL.
constexpr const char* kMigrations[] = {
    // 0 -> 1: the first schema.
    R"sql(
CREATE TABLE runs (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  kind TEXT NOT NULL,
  label TEXT NOT NULL,
  created TEXT NOT NULL,
  command_line TEXT NOT NULL,
  latwin_version TEXT NOT NULL,
  seed TEXT NOT NULL,
  members TEXT NOT NULL,
  scenario TEXT NOT NULL,
  document TEXT NOT NULL
);
CREATE TABLE run_strategies (
  run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
  position INTEGER NOT NULL,
  name TEXT NOT NULL,
  PRIMARY KEY (run_id, position)
);
CREATE TABLE run_inputs (
  run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
  role TEXT NOT NULL,
  name TEXT NOT NULL,
  path TEXT NOT NULL,
  sha256 TEXT NOT NULL,
  content TEXT NOT NULL
);
CREATE INDEX run_inputs_run_id ON run_inputs(run_id);
CREATE TABLE run_summaries (
  run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
  strategy TEXT NOT NULL,
  variable TEXT NOT NULL,
  element TEXT NOT NULL,
  year REAL NOT NULL,
  mean REAL, sd REAL, p5 REAL, p25 REAL, p50 REAL, p75 REAL, p95 REAL
);
CREATE INDEX run_summaries_run_id ON run_summaries(run_id);
)sql",
};

constexpr int kSchemaVersion = static_cast<int>(std::size(kMigrations));

// Only for the crash test (tests/unit/store): save() sleeps this many milliseconds inside
// its open transaction, after the runs row and half of the summary rows, so that the test
// can kill the process there.
constexpr const char* kPauseVariable = "LATWIN_TEST_STORE_PAUSE_MS";

// How long to sleep between tries when SQLite refuses to switch the journal mode because
// another connection is busy with the file (its busy handler does not cover that case).
constexpr int kRetrySleepMs = 10;

std::string not_a_store(const fs::path& path) {
  return fmt::format("{} is not a latwin results store", path.string());
}

[[noreturn]] void fail(sqlite3* db, const fs::path& path, std::string_view doing) {
  int code = sqlite3_errcode(db) & 0xff;
  if (code == SQLITE_NOTADB) throw InputError(not_a_store(path));
  throw InputError(fmt::format("{}: {}: {}", path.string(), doing, sqlite3_errmsg(db)));
}

// A prepared statement. Binds and reads columns by index (bind from 1, columns from 0).
class Statement {
 public:
  Statement(sqlite3* db, const fs::path& path, std::string_view sql, std::string_view doing)
      : db_(db), path_(path), doing_(doing) {
    if (sqlite3_prepare_v2(db, sql.data(), static_cast<int>(sql.size()), &stmt_, nullptr) !=
        SQLITE_OK) {
      fail(db_, path_, doing_);
    }
  }
  ~Statement() { sqlite3_finalize(stmt_); }
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;

  void bind(int idx, std::string_view text) {
    // A null pointer would bind NULL; an empty text is "".
    const char* bytes = text.data() == nullptr ? "" : text.data();
    check(sqlite3_bind_text64(stmt_, idx, bytes, text.size(), SQLITE_STATIC, SQLITE_UTF8));
  }
  void bind(int idx, std::int64_t value) { check(sqlite3_bind_int64(stmt_, idx, value)); }
  // NaN is stored as NULL (SQLite would do that anyway).
  void bind(int idx, double value) { check(sqlite3_bind_double(stmt_, idx, value)); }

  // Steps once: true when a row is ready, false when done. Throws on error.
  bool step() {
    int rc = sqlite3_step(stmt_);
    if (rc == SQLITE_ROW) return true;
    if (rc == SQLITE_DONE) return false;
    fail(db_, path_, doing_);
  }
  // Runs a statement that returns no rows and makes it ready to bind again.
  void run() {
    while (step()) {
    }
    sqlite3_reset(stmt_);
  }

  std::string text(int col) const {
    const auto* bytes = reinterpret_cast<const char*>(sqlite3_column_text(stmt_, col));
    if (bytes == nullptr) return {};
    return std::string(bytes, static_cast<std::size_t>(sqlite3_column_bytes(stmt_, col)));
  }
  std::int64_t integer(int col) const { return sqlite3_column_int64(stmt_, col); }
  // NULL (a statistic that could not be computed) reads back as NaN.
  double real(int col) const {
    if (sqlite3_column_type(stmt_, col) == SQLITE_NULL) {
      return std::numeric_limits<double>::quiet_NaN();
    }
    return sqlite3_column_double(stmt_, col);
  }

 private:
  void check(int rc) const {
    if (rc != SQLITE_OK) fail(db_, path_, doing_);
  }

  sqlite3* db_;
  const fs::path& path_;
  std::string_view doing_;
  sqlite3_stmt* stmt_ = nullptr;
};

void exec(sqlite3* db, const fs::path& path, const char* sql, std::string_view doing) {
  if (sqlite3_exec(db, sql, nullptr, nullptr, nullptr) != SQLITE_OK) fail(db, path, doing);
}

// A transaction that rolls back unless committed (an exception on the way out).
class Transaction {
 public:
  Transaction(sqlite3* db, const fs::path& path, const char* begin, std::string_view doing)
      : db_(db), path_(path), doing_(doing) {
    exec(db_, path_, begin, doing_);
  }
  ~Transaction() {
    // SQLite may already have rolled back by itself after some errors (disk full).
    if (!committed_ && sqlite3_get_autocommit(db_) == 0) {
      sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
    }
  }
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;

  void commit() {
    exec(db_, path_, "COMMIT", doing_);
    committed_ = true;
  }

 private:
  sqlite3* db_;
  const fs::path& path_;
  std::string_view doing_;
  bool committed_ = false;
};

// What the file's header and catalogue say about it.
struct FileState {
  int application_id = 0;
  int user_version = 0;
  std::int64_t objects = 0;  // tables, indexes, views, triggers

  // A database nobody has written a schema to (a new, empty file): latwin may adopt it.
  bool blank() const {
    return (application_id == 0 || application_id == kApplicationId) && user_version == 0 &&
           objects == 0;
  }
  bool ours() const { return application_id == kApplicationId; }
};

FileState read_state(sqlite3* db, const fs::path& path) {
  // One statement, so the three come from one snapshot.
  Statement query(db, path,
                  "SELECT (SELECT application_id FROM pragma_application_id), "
                  "(SELECT user_version FROM pragma_user_version), "
                  "(SELECT count(*) FROM sqlite_master)",
                  "cannot read the results store");
  FileState state;
  if (query.step()) {
    state.application_id = static_cast<int>(query.integer(0));
    state.user_version = static_cast<int>(query.integer(1));
    state.objects = query.integer(2);
  }
  return state;
}

// Throws unless the file is a latwin store this latwin can read, or blank.
void check_state(const FileState& state, const fs::path& path) {
  if (state.blank()) return;
  if (!state.ours()) throw InputError(not_a_store(path));
  if (state.user_version > kSchemaVersion) {
    throw InputError(fmt::format(
        "{} was written by a newer latwin (store schema version {}; this latwin reads up to "
        "version {}); upgrade latwin to read it",
        path.string(), state.user_version, kSchemaVersion));
  }
}

// Switches to write-ahead logging (kept in the file, so this is done once per store):
// readers never wait for writers, and a commit is one append to the -wal file.
void use_wal(sqlite3* db, const fs::path& path) {
  const char* doing = "cannot switch the results store to write-ahead logging";
  auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(kBusyTimeoutMs);
  for (;;) {
    {
      Statement mode(db, path, "PRAGMA journal_mode", doing);
      if (mode.step() && mode.text(0) == "wal") return;
    }
    int rc = sqlite3_exec(db, "PRAGMA journal_mode=WAL", nullptr, nullptr, nullptr);
    if (rc == SQLITE_OK) return;
    if ((rc & 0xff) != SQLITE_BUSY || std::chrono::steady_clock::now() > deadline) {
      fail(db, path, doing);
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(kRetrySleepMs));
  }
}

// Brings the schema up to kSchemaVersion, one step per transaction. Each step checks the
// version again inside its transaction, so two processes opening a new store at once apply
// every step exactly once.
void migrate(sqlite3* db, const fs::path& path) {
  const char* doing = "cannot update the results store's schema";
  for (;;) {
    Transaction transaction(db, path, "BEGIN IMMEDIATE", doing);
    FileState state = read_state(db, path);
    check_state(state, path);
    if (state.user_version == kSchemaVersion) {
      transaction.commit();
      return;
    }
    exec(db, path, kMigrations[state.user_version], doing);
    std::string stamp = fmt::format("PRAGMA application_id = {}; PRAGMA user_version = {};",
                                    kApplicationId, state.user_version + 1);
    exec(db, path, stamp.c_str(), doing);
    transaction.commit();
  }
}

std::uint64_t parse_count(const std::string& text, const fs::path& path, std::int64_t id,
                          const char* column) {
  std::uint64_t value = 0;
  const char* end = text.data() + text.size();
  auto [ptr, ec] = std::from_chars(text.data(), end, value);
  if (ec != std::errc() || ptr != end || text.empty()) {
    throw InputError(fmt::format("{}: run {} has a bad {} '{}' (expected a whole number)",
                                 path.string(), id, column, text));
  }
  return value;
}

int pause_ms() {
  const char* text = std::getenv(kPauseVariable);
  if (text == nullptr) return 0;
  int value = std::atoi(text);
  return value > 0 ? value : 0;
}

}  // namespace

struct Store::Db {
  sqlite3* handle = nullptr;
  ~Db() { sqlite3_close_v2(handle); }
};

Store::Store(const fs::path& path) : path_(path) {
  const bool in_memory = path_ == ":memory:";
  if (!in_memory && !path_.parent_path().empty()) {
    std::error_code error;
    fs::create_directories(path_.parent_path(), error);
    if (error) {
      throw InputError(fmt::format("{}: cannot create the folder for the results store: {}",
                                   path_.string(), error.message()));
    }
  }
  auto db = std::make_unique<Db>();
  if (sqlite3_open_v2(path_.c_str(), &db->handle, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE,
                      nullptr) != SQLITE_OK) {
    if (db->handle == nullptr) {
      throw InputError(
          fmt::format("{}: cannot open the results store: out of memory", path_.string()));
    }
    fail(db->handle, path_, "cannot open the results store");
  }
  sqlite3* handle = db->handle;
  sqlite3_busy_timeout(handle, kBusyTimeoutMs);
  sqlite3_extended_result_codes(handle, 1);
  // foreign_keys makes deletes cascade; synchronous FULL syncs the WAL at every commit, so
  // a saved run survives a power cut (SQLite's usual default, made explicit).
  exec(handle, path_, "PRAGMA foreign_keys = ON; PRAGMA synchronous = FULL",
       "cannot open the results store");

  // Look before writing anything, so a file that is not ours is left as it was.
  FileState state = read_state(handle, path_);
  check_state(state, path_);
  if (!in_memory) use_wal(handle, path_);
  if (state.user_version < kSchemaVersion) migrate(handle, path_);
  db_ = db.release();
}

Store::~Store() {
  delete db_;
}

int Store::schema_version() {
  return kSchemaVersion;
}

std::int64_t Store::save(const RunRecord& run) {
  sqlite3* db = db_->handle;
  const char* doing = "cannot save the run";
  const std::string created = run.created.empty() ? utc_now() : run.created;
  const std::string seed = std::to_string(run.seed);
  const std::string members = std::to_string(run.members);

  Transaction transaction(db, path_, "BEGIN IMMEDIATE", doing);
  Statement insert_run(db, path_,
                       "INSERT INTO runs (kind, label, created, command_line, latwin_version, "
                       "seed, members, scenario, document) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                       doing);
  insert_run.bind(1, run.kind);
  insert_run.bind(2, run.label);
  insert_run.bind(3, created);
  insert_run.bind(4, run.command_line);
  insert_run.bind(5, run.latwin_version);
  insert_run.bind(6, seed);
  insert_run.bind(7, members);
  insert_run.bind(8, run.scenario);
  insert_run.bind(9, run.document);
  insert_run.run();
  const std::int64_t id = sqlite3_last_insert_rowid(db);

  Statement insert_strategy(
      db, path_, "INSERT INTO run_strategies (run_id, position, name) VALUES (?, ?, ?)", doing);
  for (std::size_t position = 0; position < run.strategies.size(); ++position) {
    insert_strategy.bind(1, id);
    insert_strategy.bind(2, static_cast<std::int64_t>(position));
    insert_strategy.bind(3, run.strategies[position]);
    insert_strategy.run();
  }

  Statement insert_input(db, path_,
                         "INSERT INTO run_inputs (run_id, role, name, path, sha256, content) "
                         "VALUES (?, ?, ?, ?, ?, ?)",
                         doing);
  for (const InputFile& input : run.inputs) {
    insert_input.bind(1, id);
    insert_input.bind(2, input.role);
    insert_input.bind(3, input.name);
    insert_input.bind(4, input.path);
    insert_input.bind(5, input.sha256);
    insert_input.bind(6, input.content);
    insert_input.run();
  }

  Statement insert_summary(db, path_,
                           "INSERT INTO run_summaries (run_id, strategy, variable, element, "
                           "year, mean, sd, p5, p25, p50, p75, p95) "
                           "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                           doing);
  const std::size_t half = run.summaries.size() / 2;
  const int pause = pause_ms();
  for (std::size_t row_idx = 0; row_idx < run.summaries.size(); ++row_idx) {
    if (row_idx == half && pause > 0) {
      std::this_thread::sleep_for(std::chrono::milliseconds(pause));
    }
    const SummaryRow& row = run.summaries[row_idx];
    insert_summary.bind(1, id);
    insert_summary.bind(2, row.strategy);
    insert_summary.bind(3, row.variable);
    insert_summary.bind(4, row.element);
    insert_summary.bind(5, row.year);
    insert_summary.bind(6, row.mean);
    insert_summary.bind(7, row.sd);
    insert_summary.bind(8, row.p5);
    insert_summary.bind(9, row.p25);
    insert_summary.bind(10, row.p50);
    insert_summary.bind(11, row.p75);
    insert_summary.bind(12, row.p95);
    insert_summary.run();
  }
  if (run.summaries.empty() && pause > 0) {
    std::this_thread::sleep_for(std::chrono::milliseconds(pause));
  }
  transaction.commit();
  return id;
}

std::vector<RunInfo> Store::list() const {
  sqlite3* db = db_->handle;
  const char* doing = "cannot list the runs";
  // One read transaction: a run saved meanwhile is either wholly in the list or not at all.
  Transaction transaction(db, path_, "BEGIN", doing);
  std::vector<RunInfo> runs;
  std::map<std::int64_t, std::size_t> index_of;
  Statement query(db, path_,
                  "SELECT id, kind, label, created, latwin_version, scenario, seed, members "
                  "FROM runs ORDER BY id DESC",
                  doing);
  while (query.step()) {
    RunInfo info;
    info.id = query.integer(0);
    info.kind = query.text(1);
    info.label = query.text(2);
    info.created = query.text(3);
    info.latwin_version = query.text(4);
    info.scenario = query.text(5);
    info.seed = parse_count(query.text(6), path_, info.id, "seed");
    info.members = parse_count(query.text(7), path_, info.id, "members");
    index_of[info.id] = runs.size();
    runs.push_back(std::move(info));
  }
  Statement strategies(db, path_,
                       "SELECT run_id, name FROM run_strategies ORDER BY run_id, position", doing);
  while (strategies.step()) {
    auto found = index_of.find(strategies.integer(0));
    if (found != index_of.end()) runs[found->second].strategies.push_back(strategies.text(1));
  }
  transaction.commit();
  return runs;
}

std::optional<RunRecord> Store::load(std::int64_t id) const {
  sqlite3* db = db_->handle;
  const char* doing = "cannot read the run";
  Transaction transaction(db, path_, "BEGIN", doing);
  Statement query(db, path_,
                  "SELECT kind, label, created, command_line, latwin_version, seed, members, "
                  "scenario, document FROM runs WHERE id = ?",
                  doing);
  query.bind(1, id);
  if (!query.step()) {
    transaction.commit();
    return std::nullopt;
  }
  RunRecord run;
  run.kind = query.text(0);
  run.label = query.text(1);
  run.created = query.text(2);
  run.command_line = query.text(3);
  run.latwin_version = query.text(4);
  run.seed = parse_count(query.text(5), path_, id, "seed");
  run.members = parse_count(query.text(6), path_, id, "members");
  run.scenario = query.text(7);
  run.document = query.text(8);

  Statement strategies(db, path_,
                       "SELECT name FROM run_strategies WHERE run_id = ? ORDER BY position", doing);
  strategies.bind(1, id);
  while (strategies.step()) run.strategies.push_back(strategies.text(0));

  // rowid order is insertion order: save() inserts a run's rows in one transaction.
  Statement inputs(db, path_,
                   "SELECT role, name, path, sha256, content FROM run_inputs WHERE run_id = ? "
                   "ORDER BY rowid",
                   doing);
  inputs.bind(1, id);
  while (inputs.step()) {
    run.inputs.push_back(
        {inputs.text(0), inputs.text(1), inputs.text(2), inputs.text(3), inputs.text(4)});
  }

  Statement count(db, path_, "SELECT count(*) FROM run_summaries WHERE run_id = ?", doing);
  count.bind(1, id);
  if (count.step()) run.summaries.reserve(static_cast<std::size_t>(count.integer(0)));
  Statement summaries(db, path_,
                      "SELECT strategy, variable, element, year, mean, sd, p5, p25, p50, p75, "
                      "p95 FROM run_summaries WHERE run_id = ? ORDER BY rowid",
                      doing);
  summaries.bind(1, id);
  while (summaries.step()) {
    SummaryRow row;
    row.strategy = summaries.text(0);
    row.variable = summaries.text(1);
    row.element = summaries.text(2);
    row.year = summaries.real(3);
    row.mean = summaries.real(4);
    row.sd = summaries.real(5);
    row.p5 = summaries.real(6);
    row.p25 = summaries.real(7);
    row.p50 = summaries.real(8);
    row.p75 = summaries.real(9);
    row.p95 = summaries.real(10);
    run.summaries.push_back(std::move(row));
  }
  transaction.commit();
  return run;
}

bool Store::remove(std::int64_t id) {
  sqlite3* db = db_->handle;
  const char* doing = "cannot delete the run";
  Transaction transaction(db, path_, "BEGIN IMMEDIATE", doing);
  // The other tables follow through ON DELETE CASCADE.
  Statement erase(db, path_, "DELETE FROM runs WHERE id = ?", doing);
  erase.bind(1, id);
  erase.run();
  const bool removed = sqlite3_changes(db) > 0;
  transaction.commit();
  return removed;
}

fs::path default_store_path() {
  auto from_env = [](const char* name) -> std::string {
    const char* value = std::getenv(name);
    return value == nullptr ? std::string() : std::string(value);
  };
  if (std::string store = from_env("LATWIN_STORE"); !store.empty()) return store;
  // The XDG spec says to ignore a relative XDG_DATA_HOME.
  if (fs::path data_home = from_env("XDG_DATA_HOME"); data_home.is_absolute()) {
    return data_home / "latwin" / "runs.sqlite";
  }
  fs::path home = from_env("HOME");
  if (home.empty()) {
    // No HOME (a bare service account): the home folder from the password database.
    long size = sysconf(_SC_GETPW_R_SIZE_MAX);
    std::string buffer(size > 0 ? static_cast<std::size_t>(size) : 16384, '\0');
    passwd entry{};
    passwd* found = nullptr;
    if (getpwuid_r(getuid(), &entry, buffer.data(), buffer.size(), &found) == 0 &&
        found != nullptr && found->pw_dir != nullptr) {
      home = found->pw_dir;
    }
  }
  if (home.empty()) {
    throw InputError(
        "cannot tell where the results store goes: neither LATWIN_STORE nor HOME is set; set "
        "LATWIN_STORE=FILE or give --store FILE");
  }
  return home / ".local" / "share" / "latwin" / "runs.sqlite";
}

}  // namespace latwin::store
