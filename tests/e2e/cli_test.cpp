// The latwin binary end to end: exit codes, messages, the files a run writes, and results
// that do not depend on threads or on how an ensemble is split.
#include <fmt/format.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cctype>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>
#include <string>

#include "latwin/version.hpp"

namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;
using ::testing::StartsWith;

const char* kModel = R"(simulation start = 2020 stop = 2025 dt = 0.25 method = rk4
dimension country = {COL, MEX, BRA}
param decay [1/year] = 0.3 ~ uniform(0.2, 0.4) "decay rate" source "test"
stock x[country] [person] = 100 "a stock"
  outflow loss [person/year] = decay * x
aux total [person] = sum(x)
)";

// Line 6 reads a variable that does not exist.
const char* kBrokenModel = R"(simulation start = 2020 stop = 2025 dt = 0.25 method = rk4
dimension country = {COL, MEX, BRA}
param decay [1/year] = 0.3 ~ uniform(0.2, 0.4) "decay rate" source "test"
stock x[country] [person] = 100 "a stock"
  outflow loss [person/year] = decay * x
aux total [person] = sum(y)
)";

struct CliResult {
  int exit_code = -1;
  std::string out;
  std::string err;
};

// Each test runs the CLI inside its own temporary folder, so relative paths (and the
// default ./data lookup) see only what the test wrote there.
class CliTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    dir_ = fs::temp_directory_path() / fmt::format("latwin-cli-{}-{}", ::getpid(), info->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    write("model.lw", kModel);
  }
  void TearDown() override { fs::remove_all(dir_); }

  void write(const std::string& name, const std::string& text) {
    std::ofstream(dir_ / name, std::ios::binary) << text;
  }
  std::string read(const std::string& name) const {
    std::ifstream in(dir_ / name, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
  }
  bool exists(const std::string& name) const { return fs::exists(dir_ / name); }

  // Runs "latwin ARGS" in the test folder; args are passed through the shell as written.
  // LATWIN_PROJECT_DATA_DIR is set empty so the project's own data folder is never the
  // default: a test sees only the data it names or writes.
  CliResult cli(const std::string& args) const {
    fs::path out = dir_ / "cli-stdout.txt";
    fs::path err = dir_ / "cli-stderr.txt";
    std::string command =
        fmt::format("cd '{}' && LATWIN_PROJECT_DATA_DIR= '{}' {} > '{}' 2> '{}'", dir_.string(),
                    LATWIN_CLI_PATH, args, out.string(), err.string());
    int status = std::system(command.c_str());
    CliResult result;
    result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    result.out = read("cli-stdout.txt");
    result.err = read("cli-stderr.txt");
    return result;
  }

  fs::path dir_;
};

// Whether text has "PREFIX<digits>: error:" (a file:line:col diagnostic). Written by hand:
// std::regex trips GCC 12's -Wmaybe-uninitialized under the sanitizer build.
bool has_location(const std::string& text, const std::string& prefix) {
  for (std::size_t at = text.find(prefix); at != std::string::npos;
       at = text.find(prefix, at + 1)) {
    std::size_t pos = at + prefix.size();
    std::size_t digits = pos;
    while (digits < text.size() && std::isdigit(static_cast<unsigned char>(text[digits]))) {
      ++digits;
    }
    if (digits > pos && text.compare(digits, 8, ": error:") == 0) return true;
  }
  return false;
}

// Lines of text without the first (the header).
std::string without_header(const std::string& csv) {
  std::size_t end = csv.find('\n');
  return end == std::string::npos ? "" : csv.substr(end + 1);
}

TEST_F(CliTest, VersionPrintsNameAndVersion) {
  CliResult result = cli("--version");
  EXPECT_EQ(result.exit_code, 0);
  EXPECT_EQ(result.out, fmt::format("latwin {}\n", latwin::kVersion));
}

TEST_F(CliTest, NoCommandFailsAndSaysOneIsNeeded) {
  CliResult result = cli("");
  EXPECT_NE(result.exit_code, 0);
  EXPECT_THAT(result.err, HasSubstr("subcommand"));
}

TEST_F(CliTest, CheckGoodModelExitsZeroAndDescribesIt) {
  CliResult result = cli("check model.lw");
  EXPECT_EQ(result.exit_code, 0) << result.err;
  EXPECT_THAT(result.out, StartsWith("model.lw: ok"));
  EXPECT_THAT(result.out, HasSubstr("1 stock"));
  EXPECT_THAT(result.out, HasSubstr("1 dimension"));
}

TEST_F(CliTest, CheckBrokenModelExitsOneWithFileLineColumn) {
  write("broken.lw", kBrokenModel);
  CliResult result = cli("check broken.lw");
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_TRUE(has_location(result.err, "broken.lw:6:")) << result.err;
  EXPECT_EQ(result.out, "");
}

TEST_F(CliTest, CheckMissingFileIsBadInput) {
  CliResult result = cli("check nowhere.lw");
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_THAT(result.err, HasSubstr("nowhere.lw"));
}

TEST_F(CliTest, RunWritesTrajectoriesSummaryAndRecord) {
  CliResult result = cli("run model.lw --members 5 --seed 3 --out results --quiet");
  ASSERT_EQ(result.exit_code, 0) << result.err;
  ASSERT_TRUE(exists("results/trajectories.csv"));
  ASSERT_TRUE(exists("results/summary.csv"));
  ASSERT_TRUE(exists("results/run.json"));
  std::string trajectories = read("results/trajectories.csv");
  EXPECT_EQ(trajectories.substr(0, trajectories.find('\n')), "member,time,variable,element,value");
  std::string summary = read("results/summary.csv");
  EXPECT_EQ(summary.substr(0, summary.find('\n')),
            "variable,element,time,count,non_finite,mean,sd,p5,p25,p50,p75,p95");

  auto record = nlohmann::json::parse(read("results/run.json"));
  EXPECT_EQ(record["latwin_version"], latwin::kVersion);
  EXPECT_EQ(record["seed"], 3);
  EXPECT_EQ(record["members"], 5);
  EXPECT_EQ(record["first_member"], 0);
  ASSERT_EQ(record["model_files"].size(), 1u);
  EXPECT_EQ(record["model_files"][0]["path"], "model.lw");
  EXPECT_EQ(record["model_files"][0]["fnv1a64"].get<std::string>().size(), 16u);
  EXPECT_EQ(record["settings"]["method"], "rk4");
  EXPECT_EQ(record["diagnostics"]["count"], 0);

  // The plain-language table: the stock's elements, then where the files are.
  EXPECT_THAT(result.out, HasSubstr("COL"));
  EXPECT_THAT(result.out, HasSubstr("results/summary.csv"));
  // No leftover temporary files.
  for (const auto& entry : fs::directory_iterator(dir_ / "results")) {
    EXPECT_THAT(entry.path().filename().string(), ::testing::Not(HasSubstr(".tmp.")));
  }
}

TEST_F(CliTest, SameFilesAtAnyThreadCount) {
  const char* common = "run model.lw --members 40 --batch-width 4 --seed 7 --quiet";
  ASSERT_EQ(cli(fmt::format("{} --threads 1 --out one", common)).exit_code, 0);
  ASSERT_EQ(cli(fmt::format("{} --threads 2 --out two", common)).exit_code, 0);
  EXPECT_EQ(read("one/trajectories.csv"), read("two/trajectories.csv"));
  EXPECT_EQ(read("one/summary.csv"), read("two/summary.csv"));
}

TEST_F(CliTest, FirstMemberSplitsAnEnsembleIntoPieces) {
  const char* common = "run model.lw --seed 11 --quiet";
  ASSERT_EQ(cli(fmt::format("{} --members 10 --out whole", common)).exit_code, 0);
  ASSERT_EQ(cli(fmt::format("{} --members 5 --out first", common)).exit_code, 0);
  ASSERT_EQ(cli(fmt::format("{} --members 5 --first-member 5 --out second", common)).exit_code, 0);
  std::string whole = read("whole/trajectories.csv");
  ASSERT_FALSE(without_header(whole).empty());
  EXPECT_EQ(without_header(whole), without_header(read("first/trajectories.csv")) +
                                       without_header(read("second/trajectories.csv")));
  auto record = nlohmann::json::parse(read("second/run.json"));
  EXPECT_EQ(record["first_member"], 5);
}

TEST_F(CliTest, ManyMembersSkipTrajectoriesUnlessAsked) {
  ASSERT_EQ(cli("run model.lw --members 101 --out many --quiet").exit_code, 0);
  EXPECT_FALSE(exists("many/trajectories.csv"));
  EXPECT_TRUE(exists("many/summary.csv"));
  ASSERT_EQ(cli("run model.lw --members 101 --trajectories --out many --quiet").exit_code, 0);
  EXPECT_TRUE(exists("many/trajectories.csv"));
}

TEST_F(CliTest, SetFixesAParameterOnEveryMember) {
  ASSERT_EQ(cli("run model.lw --members 3 --set decay=0.3 --out fixed --quiet").exit_code, 0);
  auto record = nlohmann::json::parse(read("fixed/run.json"));
  ASSERT_EQ(record["parameter_overrides"].size(), 1u);
  EXPECT_EQ(record["parameter_overrides"][0]["variable"], "decay");
  // Every member then has the same trajectory: members 1 and 2 repeat member 0's values.
  std::istringstream lines(without_header(read("fixed/trajectories.csv")));
  std::string line;
  std::map<std::string, std::set<std::string>> values_by_key;
  while (std::getline(lines, line)) {
    std::size_t first_comma = line.find(',');
    std::size_t last_comma = line.rfind(',');
    values_by_key[line.substr(first_comma, last_comma - first_comma)].insert(
        line.substr(last_comma + 1));
  }
  ASSERT_FALSE(values_by_key.empty());
  for (const auto& [key, values] : values_by_key) EXPECT_EQ(values.size(), 1u) << key;
}

TEST_F(CliTest, BadSetIsBadInputWithAnExample) {
  CliResult result = cli("run model.lw --set decay=abc --out bad");
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_THAT(result.err, HasSubstr("--set 'decay=abc'"));
  EXPECT_FALSE(exists("bad"));
}

TEST_F(CliTest, RunOfBrokenModelExitsOneAndWritesNothing) {
  write("broken.lw", kBrokenModel);
  CliResult result = cli("run broken.lw --out never");
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_THAT(result.err, HasSubstr("broken.lw:6:"));
  EXPECT_FALSE(exists("never"));
}

TEST_F(CliTest, UnknownOptionFailsWithAHelpfulMessage) {
  CliResult result = cli("run model.lw --out x --bogus");
  EXPECT_NE(result.exit_code, 0);
  EXPECT_THAT(result.err, HasSubstr("--bogus"));
  EXPECT_THAT(result.err, HasSubstr("--help"));
}

TEST_F(CliTest, MissingOutFolderOptionIsNamed) {
  CliResult result = cli("run model.lw");
  EXPECT_NE(result.exit_code, 0);
  EXPECT_THAT(result.err, HasSubstr("--out"));
}

// sqrt of a negative draw: some members produce NaN.
const char* kNanModel = R"(simulation start = 2020 stop = 2022 dt = 0.5
param r [1/year] = 0.1 ~ uniform(0.1, 0.2)
param k [1] = 1 ~ uniform(-1, 1)
stock s [person] = 10
  outflow f [person/year] = r * s * sqrt(k)
)";

TEST_F(CliTest, TroubleIsRecordedByDefault) {
  write("nan.lw", kNanModel);
  CliResult result = cli("run nan.lw --members 20 --out recorded --quiet");
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_THAT(result.out, HasSubstr("diagnostics (see run.json)"));
  auto record = nlohmann::json::parse(read("recorded/run.json"));
  EXPECT_GT(record["diagnostics"]["count"].get<int>(), 0);
  EXPECT_EQ(record["diagnostics"]["entries"][0]["variable"], "f");
}

TEST_F(CliTest, StoppedRunExitsOneAndLeavesNoFiles) {
  write("nan.lw", kNanModel);
  CliResult result = cli("run nan.lw --members 20 --on-error stop --out stopped --quiet");
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_THAT(result.err, HasSubstr("member"));
  EXPECT_FALSE(exists("stopped/summary.csv"));
  EXPECT_FALSE(exists("stopped/trajectories.csv"));
  EXPECT_FALSE(exists("stopped/run.json"));
}

TEST_F(CliTest, GraphPrintsDot) {
  CliResult result = cli("graph model.lw");
  EXPECT_EQ(result.exit_code, 0) << result.err;
  EXPECT_THAT(result.out, StartsWith("digraph"));
}

TEST_F(CliTest, DataFolderFeedsTablesAndSeries) {
  write("data.lw", R"(simulation start = 2018 stop = 2021 dt = 0.5 method = euler
dimension country = table("countries")
subset andean of country = table("countries", subregion = "Andean")
aux homicides[country] = data("homicide_rate", time, 0) "homicide rate, gaps as 0"
aux andean_mean = mean(homicides[andean])
)");
  std::string data_dir = std::string(LATWIN_SOURCE_DIR) + "/tests/data/mini";
  CliResult with_data = cli(fmt::format("check data.lw --data '{}'", data_dir));
  EXPECT_EQ(with_data.exit_code, 0) << with_data.err;
  // Without --data (and no ./data here) the model cannot find its table.
  CliResult without_data = cli("check data.lw");
  EXPECT_EQ(without_data.exit_code, 1);
  EXPECT_THAT(without_data.err, HasSubstr("--data"));
  // A data folder that does not exist is bad input, named.
  CliResult bad_dir = cli("check data.lw --data no-such-dir");
  EXPECT_EQ(bad_dir.exit_code, 2);
  EXPECT_THAT(bad_dir.err, HasSubstr("no-such-dir"));
}

}  // namespace
