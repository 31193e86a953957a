// latwin optimize, end to end on the hemisphere model with a tiny search: it writes a
// strategy file that latwin compare reads back, within the budget and the constraints; the
// same seed gives the same file at any thread count; mistakes get clear errors. With
// --pareto: every point of the front as a strategy that reads back, the CSV, the document's
// pareto section and its report page, the same front at any thread count.
#include <fmt/format.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <string>

#include "data/panel.hpp"
#include "engine/compile/compiler.hpp"
#include "engine/lang/source.hpp"
#include "policy/model_interface.hpp"
#include "policy/scenario.hpp"
#include "policy/strategy.hpp"
#include "store/store.hpp"
#include "support/cli_runner.hpp"
#include "support/temp_dir.hpp"

namespace latwin::test {
namespace {

using ::testing::HasSubstr;

const std::string kData = std::string(LATWIN_SOURCE_DIR) + "/data";
// Two instruments over two groups: 4 decision variables (a population of 8), 8 members,
// 24 evaluations (three generations).
const std::string kTiny =
    "--budget 1.0e9 --instruments security_cooperation,democracy_assistance "
    "--countries Andean,MEX --members 8 --evaluations 24 --quiet";

class OptimizeCliTest : public TempDirTest {
 protected:
  CliRun optimize(const std::string& args) { return run_cli(dir_, "optimize " + args, kData); }
  // The files of a folder and their contents.
  static std::map<std::string, std::string> folder_files(const std::filesystem::path& folder) {
    std::map<std::string, std::string> files;
    for (const auto& entry : std::filesystem::directory_iterator(folder)) {
      files[entry.path().filename().string()] = read(entry.path());
    }
    return files;
  }
};

TEST_F(OptimizeCliTest, WritesAStrategyThatCompareRunsWithinBudgetAndConstraints) {
  CliRun run = optimize(kTiny + " --out best.yaml --store runs.sqlite");
  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_THAT(run.out, HasSubstr("Optimising 4 decision variables"));
  EXPECT_THAT(run.out, HasSubstr("Best mean index:"));
  EXPECT_THAT(run.out, HasSubstr("Stored as run 1 in runs.sqlite"));
  std::string yaml = read(dir_ / "best.yaml");
  EXPECT_THAT(yaml, HasSubstr("name: best"));
  EXPECT_THAT(yaml, HasSubstr("instrument: security_cooperation, countries: COL"));
  // The default constraints forbid security cooperation for Venezuela.
  EXPECT_THAT(yaml, ::testing::Not(HasSubstr("instrument: security_cooperation, countries: VEN")));
  // The status quo's pressure is kept.
  EXPECT_THAT(yaml, HasSubstr("instrument: sanctions, countries: CUB, intensity: 1"));

  CliRun compare = run_cli(dir_, "compare --strategy best.yaml --strategy status-quo --members 8 "
                                 "--seed 2 --quiet --no-store --out cmp", kData);
  ASSERT_EQ(compare.exit_code, 0) << compare.err;
  auto doc = nlohmann::json::parse(read(dir_ / "cmp/compare.json"));
  EXPECT_NEAR(doc["strategies"][0]["total_usd_per_year"].get<double>(), 1.0e9, 1.0);

  store::Store store(dir_ / "runs.sqlite");
  auto stored = store.load(1);
  ASSERT_TRUE(stored);
  EXPECT_EQ(stored->kind, "optimize");
  auto document = nlohmann::json::parse(stored->document);
  EXPECT_EQ(document["format"], "latwin-optimize/1");
  EXPECT_GE(document["history"].size(), 2u);
  EXPECT_EQ(document["units"].size(), 4u);
}

TEST_F(OptimizeCliTest, SameSeedSameStrategyAtAnyThreadCount) {
  ASSERT_EQ(optimize(kTiny + " --threads 1 --out one.yaml --no-store").exit_code, 0);
  ASSERT_EQ(optimize(kTiny + " --threads 2 --out two.yaml --name one --no-store").exit_code, 0);
  EXPECT_EQ(read(dir_ / "one.yaml"), read(dir_ / "two.yaml"));
}

TEST_F(OptimizeCliTest, ParetoWritesTheFrontAsStrategiesACsvAndTheDocument) {
  // Left by an earlier, larger front: removed; other files are not touched.
  std::filesystem::create_directories(dir_ / "out/best-front");
  std::ofstream(dir_ / "out/best-front/point-99.yaml") << "name: stale\n";
  std::ofstream(dir_ / "out/best-front/notes.txt") << "mine\n";
  CliRun run = optimize(kTiny + " --pareto --out out/best.yaml --store runs.sqlite");
  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_THAT(run.out, HasSubstr("Pareto front of the index's 7 components (drugs, migration"));
  EXPECT_THAT(run.out, HasSubstr("The Pareto front: "));
  EXPECT_THAT(run.out, HasSubstr("what it costs in the index against point 01"));
  EXPECT_THAT(run.out, HasSubstr("Stored as run 1 in runs.sqlite"));
  EXPECT_FALSE(std::filesystem::exists(dir_ / "out/best-front/point-99.yaml"));
  EXPECT_TRUE(std::filesystem::exists(dir_ / "out/best-front/notes.txt"));

  store::Store store(dir_ / "runs.sqlite");
  auto stored = store.load(1);
  ASSERT_TRUE(stored);
  auto doc = nlohmann::json::parse(stored->document);
  EXPECT_EQ(doc["format"], "latwin-optimize/1");
  EXPECT_EQ(doc["objective"], "pareto");
  EXPECT_EQ(doc["algorithm"], "nsga2");
  EXPECT_EQ(doc["evaluations"], 24);
  EXPECT_EQ(doc["units"].size(), 4u);
  const auto& pareto = doc["pareto"];
  ASSERT_TRUE(pareto.is_object());
  EXPECT_EQ(pareto["index"], "latin_win_index");
  ASSERT_EQ(pareto["objectives"].size(), 7u);
  EXPECT_EQ(pareto["objectives"][0], "component_drugs");
  EXPECT_EQ(pareto["folder"], "out/best-front");
  EXPECT_EQ(pareto["csv_file"], "out/best-front.csv");
  const auto& points = pareto["points"];
  ASSERT_GE(points.size(), 2u);
  EXPECT_EQ(doc["best_value"], points[0]["index"]);
  // Every stored input: scenario, base, constraints, --out and each point.
  EXPECT_EQ(stored->inputs.size(), 4 + points.size());

  // Each point a strategy that reads back as the commands read strategies, spending the budget.
  data::PanelDataSource data(kData);
  engine::CompileResult compiled = engine::compile_files(
      lang::expand_model_paths({std::string(LATWIN_SOURCE_DIR) + "/models/hemisphere"}), &data);
  ASSERT_TRUE(compiled.ok());
  policy::ModelInterface model = policy::describe_model(*compiled.plan, &data.panel());
  policy::Scenario scenario =
      policy::load_scenario(std::string(LATWIN_SOURCE_DIR) + "/scenarios/baseline.yaml", model);
  const std::string csv = read(dir_ / "out/best-front.csv");
  EXPECT_EQ(csv.substr(0, csv.find('\n')),
            "point,file,latin_win_index,component_drugs,component_migration,component_violence,"
            "component_democracy,component_footholds,component_trade,component_alignment,"
            "security_cooperation_usd_per_year,democracy_assistance_usd_per_year");
  EXPECT_EQ(std::count(csv.begin(), csv.end(), '\n'), static_cast<long>(points.size() + 1));
  std::set<std::string> files;
  for (std::size_t point_idx = 0; point_idx < points.size(); ++point_idx) {
    const auto& point = points[point_idx];
    const std::string file = fmt::format("out/best-front/point-{:02}.yaml", point_idx + 1);
    EXPECT_EQ(point["point"], point_idx + 1);
    EXPECT_EQ(point["file"], file);
    files.insert(file.substr(file.rfind('/') + 1));
    if (point_idx > 0) {
      EXPECT_LE(point["index"].get<double>(), points[point_idx - 1]["index"].get<double>());
    }
    for (const auto& objective : pareto["objectives"]) {
      EXPECT_TRUE(point["components"][objective.get<std::string>()].is_number()) << file;
    }
    double spent = 0;
    for (const auto& [instrument, usd] : point["usd_per_year"].items()) spent += usd.get<double>();
    EXPECT_NEAR(spent, 1.0e9, 1.0) << file;
    policy::Strategy strategy = policy::load_strategy((dir_ / file).string(), model, scenario);
    EXPECT_EQ(strategy.name, fmt::format("best-point-{:02}", point_idx + 1));
    EXPECT_NEAR(strategy.total_usd_per_year(model), 1.0e9, 1.0) << file;
    EXPECT_THAT(csv, HasSubstr(fmt::format("\n{},{},", point_idx + 1, file)));
  }
  files.insert("notes.txt");
  std::set<std::string> written;
  for (const auto& [name, text] : folder_files(dir_ / "out/best-front")) written.insert(name);
  EXPECT_EQ(written, files);
  // --out is point 1 under its own name: the same rules.
  policy::Strategy best = policy::load_strategy((dir_ / "out/best.yaml").string(), model, scenario);
  EXPECT_EQ(best.name, "best");
  const std::string best_text = read(dir_ / "out/best.yaml");
  const std::string first_text = read(dir_ / "out/best-front/point-01.yaml");
  EXPECT_EQ(best_text.substr(best_text.find("\nbudget:")),
            first_text.substr(first_text.find("\nbudget:")));

  // And latwin compare runs two of them; the report shows the front.
  CliRun compare = run_cli(dir_,
                           "compare --strategy out/best-front/point-01.yaml --strategy "
                           "out/best-front/point-02.yaml --members 8 --seed 2 --quiet "
                           "--no-store --out cmp",
                           kData);
  ASSERT_EQ(compare.exit_code, 0) << compare.err;
  CliRun report = run_cli(dir_, "report 1 --store runs.sqlite --out report.html", kData);
  ASSERT_EQ(report.exit_code, 0) << report.err;
  const std::string html = read(dir_ / "report.html");
  EXPECT_THAT(html, HasSubstr("<h2>Pareto front</h2>"));
  EXPECT_THAT(html, HasSubstr("data-chart=\"pareto\""));
}

TEST_F(OptimizeCliTest, ParetoSameSeedSameFrontAtAnyThreadCount) {
  for (const std::string threads : {"1", "2"}) {
    std::filesystem::create_directories(dir_ / threads);
    CliRun run = run_cli(
        dir_ / threads,
        "optimize " + kTiny + " --pareto --threads " + threads + " --out best.yaml --no-store",
        kData);
    ASSERT_EQ(run.exit_code, 0) << run.err;
  }
  EXPECT_EQ(read(dir_ / "1/best.yaml"), read(dir_ / "2/best.yaml"));
  EXPECT_EQ(read(dir_ / "1/best-front.csv"), read(dir_ / "2/best-front.csv"));
  const auto one = folder_files(dir_ / "1/best-front");
  EXPECT_GE(one.size(), 2u);
  EXPECT_EQ(one, folder_files(dir_ / "2/best-front"));
}

TEST_F(OptimizeCliTest, ParetoRefusesOptionsForOneObjective) {
  CliRun objective = optimize("--budget 1e9 --pareto --objective cvar:0.1 --out x.yaml --no-store");
  EXPECT_EQ(objective.exit_code, 2);
  EXPECT_THAT(objective.err, HasSubstr("--pareto maximises every component of the index at once, "
                                       "so it takes no --objective (got cvar:0.1)"));
  CliRun algorithm = optimize("--budget 1e9 --pareto --algorithm de --out x.yaml --no-store");
  EXPECT_EQ(algorithm.exit_code, 2);
  EXPECT_THAT(algorithm.err,
              HasSubstr("--pareto searches with NSGA-II; --algorithm de is for one objective"));
  CliRun evaluations = optimize(
      "--budget 1e9 --instruments democracy_assistance --countries MEX,COL --members 2 "
      "--evaluations 4 --quiet --pareto --out x.yaml --no-store");
  EXPECT_EQ(evaluations.exit_code, 2);
  EXPECT_THAT(evaluations.err, HasSubstr("--evaluations 4: --pareto needs at least 8"));
  EXPECT_FALSE(std::filesystem::exists(dir_ / "x.yaml"));
  EXPECT_FALSE(std::filesystem::exists(dir_ / "x-front"));
}

// From a strategy the search is local (a first step of 0.05 of each weight's range) unless
// --initial-step says otherwise; the step is kept with the run so it can be repeated.
TEST_F(OptimizeCliTest, FromAStartTheSearchIsLocalUnlessToldOtherwise) {
  ASSERT_EQ(optimize(kTiny + " --start security-first --out a.yaml --store runs.sqlite").exit_code, 0);
  ASSERT_EQ(optimize(kTiny + " --start security-first --initial-step 0.3 --out b.yaml --store runs.sqlite")
                .exit_code,
            0);
  ASSERT_EQ(optimize(kTiny + " --out c.yaml --store runs.sqlite").exit_code, 0);
  store::Store store(dir_ / "runs.sqlite");
  const double expected[] = {0.05, 0.3, 0.3};
  for (std::int64_t id = 1; id <= 3; ++id) {
    auto stored = store.load(id);
    ASSERT_TRUE(stored);
    EXPECT_EQ(nlohmann::json::parse(stored->document)["initial_step"], expected[id - 1]);
    EXPECT_THAT(stored->command_line,
                HasSubstr(fmt::format("--initial-step {:g}", expected[id - 1])));
  }
  CliRun bad = optimize(kTiny + " --initial-step 2 --out d.yaml --no-store");
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_THAT(bad.err, HasSubstr("--initial-step 2: a share of the range"));
}

TEST_F(OptimizeCliTest, BadOptionsGetClearErrors) {
  CliRun objective = optimize("--budget 1e9 --objective best --out x.yaml --no-store");
  EXPECT_EQ(objective.exit_code, 2);
  EXPECT_THAT(objective.err, HasSubstr("expected expected, cvar:ALPHA or regret"));
  CliRun alpha = optimize("--budget 1e9 --objective cvar:2 --out x.yaml --no-store");
  EXPECT_THAT(alpha.err, HasSubstr("ALPHA must be a share in (0, 1]"));
  CliRun envelope = optimize("--budget 5e9 --out x.yaml --no-store");
  EXPECT_EQ(envelope.exit_code, 2);
  EXPECT_THAT(envelope.err, HasSubstr("above the scenario's budget envelope of $1.75 bn"));
  CliRun instrument = optimize("--budget 1e9 --instruments sanctions --out x.yaml --no-store");
  EXPECT_THAT(instrument.err, HasSubstr("sanctions is a pressure instrument"));
  CliRun group = optimize("--budget 1e9 --countries Atlantis --out x.yaml --no-store");
  EXPECT_THAT(group.err, HasSubstr("'Atlantis' is neither a country"));
  std::ofstream(dir_ / "bad.yaml") << "caps:\n  per_persn: 3\n";
  CliRun constraints = optimize("--budget 1e9 --constraints bad.yaml --out x.yaml --no-store");
  EXPECT_THAT(constraints.err, HasSubstr("bad.yaml:2: caps: unknown key 'per_persn' (did you mean 'per_person'?)"));
  EXPECT_FALSE(std::filesystem::exists(dir_ / "x.yaml"));
}

}  // namespace
}  // namespace latwin::test
