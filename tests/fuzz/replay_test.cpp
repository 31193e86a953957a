// Replays the fuzzer's seed corpus and every input it ever crashed on through the fuzzer's
// own body (fuzz_body.hpp), and checks that large hostile inputs stay linear.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <functional>
#include <sstream>
#include <string>
#include <vector>

#include "fuzz/data_fuzz_body.hpp"
#include "fuzz/fuzz_body.hpp"
#include "fuzz/policy_fuzz_body.hpp"

namespace latwin::fuzz {
namespace {

namespace fs = std::filesystem;

std::vector<fs::path> files_in(const std::string& folder) {
  std::vector<fs::path> files;
  fs::path dir = fs::path(LATWIN_SOURCE_DIR) / "tests" / "fuzz" / folder;
  if (!fs::is_directory(dir)) return files;
  for (const auto& entry : fs::directory_iterator(dir)) {
    if (entry.is_regular_file() && entry.path().filename().string().front() != '.') {
      files.push_back(entry.path());
    }
  }
  std::sort(files.begin(), files.end());
  return files;
}

std::string read(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

std::string run(const std::string& bytes) {
  return check_parser_roundtrip(reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size());
}

std::string compile_and_run(const std::string& bytes) {
  return check_compile_and_run(reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size());
}

TEST(FuzzReplay, Corpus) {
  auto files = files_in("corpus");
  ASSERT_FALSE(files.empty());
  for (const auto& file : files) {
    std::string bytes = read(file);
    EXPECT_EQ(run(bytes), "") << file;
    // The seeds are valid models, so the round trip above really ran.
    lang::SourceSet sources;
    sources.add_text(file.string(), bytes);
    lang::Diagnostics diags;
    lang::parse_model(sources, diags);
    EXPECT_EQ(diags.format(sources), "") << file;
  }
}

TEST(FuzzReplay, Regressions) {
  for (const auto& file : files_in("regressions")) {
    std::string bytes = read(file);
    EXPECT_EQ(run(bytes), "") << file;
    EXPECT_EQ(compile_and_run(bytes), "") << file;
  }
}

std::string read_data(const std::string& bytes) {
  return check_data_readers(reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size());
}

TEST(FuzzReplay, DataCorpusIsReadAndChecked) {
  auto files = files_in("corpus-data");
  ASSERT_FALSE(files.empty());
  for (const auto& file : files) {
    EXPECT_EQ(read_data(read(file)), "") << file;
    // The seeds are valid folders, so the readers above really went through their rows.
    data::Panel panel(data_fuzz_dir(), data::Dictionary::kRequired);
    EXPECT_GT(panel.row_count(), 10u) << file;
    EXPECT_FALSE(panel.dictionary().empty()) << file;
  }
}

TEST(FuzzReplay, DataRegressions) {
  for (const auto& file : files_in("regressions-data")) {
    EXPECT_EQ(read_data(read(file)), "") << file;
  }
}

std::string read_policy(const std::string& bytes) {
  return check_policy_readers(reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size());
}

TEST(FuzzReplay, PolicyCorpusAndRegressions) {
  auto seeds = files_in("corpus-policy");
  ASSERT_GE(seeds.size(), 5u);
  for (const auto& file : seeds) EXPECT_EQ(read_policy(read(file)), "") << file;
  for (const auto& file : files_in("regressions-policy")) EXPECT_EQ(read_policy(read(file)), "") << file;
  // The seeds that should parse do parse (so the fuzzer starts from deep inside the readers).
  std::string full = read(fs::path(LATWIN_SOURCE_DIR) / "tests/fuzz/corpus-policy/strategy-full.txt");
  policy::Strategy s = policy::parse_strategy("seed", full.substr(1), policy_fuzz_model(),
                                              policy_fuzz_scenario());
  EXPECT_EQ(s.levels.size(), 4u);  // aid for AAA, BBB and CCC, pressure for CCC
  // Deeply nested YAML is refused, not a stack overflow.
  std::string deep = "\x01name: t\ndescription: d\nrules: " + std::string(100000, '[');
  EXPECT_EQ(read_policy(deep), "");
}

TEST(FuzzReplay, CorpusCompilesAndRuns) {
  for (const auto& file : files_in("corpus")) {
    EXPECT_EQ(compile_and_run(read(file)), "") << file;
  }
}

// Inputs built to hit deep or long paths that the fuzzer's small inputs cannot reach. They
// must parse (or be rejected) and round-trip without crashing; their speed is a benchmark's
// business, not a test's.
struct LargeCase {
  const char* name;
  std::function<std::string(std::size_t)> make;  // about this many bytes
};

std::string repeat(const std::string& piece, std::size_t size) {
  std::string out;
  out.reserve(size + piece.size());
  while (out.size() < size) out += piece;
  return out;
}

std::vector<LargeCase> large_cases() {
  return {
      {"one long line of errors", [](std::size_t n) { return repeat("aux aux ", n); }},
      {"many lines of errors", [](std::size_t n) { return repeat("aux x = )\n", n); }},
      {"deep parentheses", [](std::size_t n) { return "aux x = " + std::string(n, '('); }},
      {"deep prefix minus", [](std::size_t n) { return "aux x = " + std::string(n, '-') + "1"; }},
      {"deep not", [](std::size_t n) { return "aux x = " + repeat("not ", n) + "a"; }},
      {"long sum", [](std::size_t n) { return "aux x = a" + repeat(" + a", n); }},
      {"long power tower", [](std::size_t n) { return "aux x = a" + repeat("^a", n); }},
      {"long comparison chain", [](std::size_t n) { return "aux x = a" + repeat(" < a", n); }},
      {"nested ifs", [](std::size_t n) { return "aux x = " + repeat("if a then ", n); }},
      {"nested calls", [](std::size_t n) { return "aux x = " + repeat("f(", n); }},
      {"long call", [](std::size_t n) { return "aux x = f(a" + repeat(", a", n) + ")"; }},
      {"long number", [](std::size_t n) { return "aux x = " + std::string(n, '7'); }},
      {"long fraction", [](std::size_t n) { return "aux x = 0." + std::string(n, '0') + "1"; }},
      {"long name", [](std::size_t n) { return "aux " + std::string(n, 'n') + " = 1"; }},
      {"long text", [](std::size_t n) { return "aux x = 1 \"" + std::string(n, 't') + "\""; }},
      {"unclosed texts", [](std::size_t n) { return repeat("aux x = \"\n", n); }},
      {"long unit", [](std::size_t n) { return "aux x [" + repeat("m*", n) + "m] = 1"; }},
      {"unclosed unit", [](std::size_t n) { return "aux x [" + std::string(n, 'm'); }},
      {"units on one line", [](std::size_t n) { return repeat("aux x [m] = 1 ", n); }},
      {"bad units on one line", [](std::size_t n) { return repeat("aux x [\"] ", n); }},
      {"long dimension", [](std::size_t n) { return "dimension d = {a" + repeat(", a", n) + "}"; }},
      {"long lookup",
       [](std::size_t n) {
         std::string text = "lookup f = (0, 0)";
         for (int i = 1; text.size() < n; ++i) text += ", (" + std::to_string(i) + ", 1)";
         return text;
       }},
      {"many overrides",
       [](std::size_t n) { return "aux x[d] = 1" + repeat(" at a, b.c = 2", n); }},
      {"many flows", [](std::size_t n) { return "stock s = 1" + repeat(" inflow f = 1", n); }},
      {"many declarations", [](std::size_t n) { return repeat("const c = 1\n", n); }},
      {"many simulations", [](std::size_t n) { return repeat("simulation start = 1 ", n); }},
      {"bad bytes", [](std::size_t n) { return std::string(n, '\x01'); }},
      {"non-ASCII", [](std::size_t n) { return repeat("\xC3\xB1", n); }},
      {"comments", [](std::size_t n) { return repeat("# comment\n", n); }},
      {"blank lines then error", [](std::size_t n) { return std::string(n, '\n') + "aux x = )"; }},
      {"keywords mid-line", [](std::size_t n) { return "aux x = 1" + repeat(" stock", n); }},
      {"long unit alone", [](std::size_t n) { return repeat("m*", n / 2) + "m"; }},
  };
}

TEST(FuzzReplay, LargeHostileInputsDoNotCrash) {
  for (const LargeCase& c : large_cases()) {
    EXPECT_EQ(run(c.make(1 << 16)), "") << c.name;
    EXPECT_EQ(compile_and_run(c.make(1 << 14)), "") << c.name;
  }
}

}  // namespace
}  // namespace latwin::fuzz
