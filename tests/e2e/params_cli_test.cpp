// --params FILE on run, compare, optimize and explore: parameter sets (a posterior) change the
// results, are recorded in each command's output, and give the same results when repeated and
// at any thread count; --nominal with --params and a bad file are refused before any run.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <string>

#include "store/store.hpp"
#include "support/cli_runner.hpp"
#include "support/temp_dir.hpp"

namespace latwin::test {
namespace {

using ::testing::HasSubstr;
using Json = nlohmann::json;

const std::string kData = std::string(LATWIN_SOURCE_DIR) + "/data";

const char* kModel = R"(simulation start = 2020 stop = 2025 dt = 0.25 method = rk4
dimension country = {COL, MEX, BRA}
param decay [1/year] = 0.3 ~ uniform(0.2, 0.4) "decay rate" source "test"
param inflow_rate[country] [person/year] = 5 ~ uniform(0, 10) "inflow" source "test"
stock x[country] [person] = 100 "a stock"
  inflow arrivals [person/year] = inflow_rate
  outflow loss [person/year] = decay * x
aux total [person] = sum(x)
)";

// Three sets for the small model: low decay with high inflow, and so on.
const char* kModelParams = R"(format: latwin-params/1
provenance: {method: test, seed: 3, fit: {rmse: 0.5}}
parameters:
  - {name: decay, elements: 1}
  - {name: inflow_rate, elements: 3}
sets:
  - [0.05, 0.9, 0.5, 0.1]
  - [0.95, 0.1, 0.2, 0.3]
  - [0.5, 0.99, 0.01, 0.5]
)";

// Two scalar parameters of the hemisphere model, at the edges of their priors.
const char* kHemisphereParams = R"(format: latwin-params/1
provenance: {method: test}
parameters:
  - {name: global_growth_beta, elements: 1}
  - {name: recession_hazard, elements: 1}
sets:
  - [0.02, 0.98]
  - [0.97, 0.03]
  - [0.5, 0.99]
)";

class ParamsCliTest : public TempDirTest {
 protected:
  void SetUp() override {
    TempDirTest::SetUp();
    write("model.lw", kModel);
    write("model-params.yaml", kModelParams);
    write("hemisphere-params.yaml", kHemisphereParams);
  }
  void write(const std::string& name, const std::string& text) {
    std::ofstream(dir_ / name, std::ios::binary) << text;
  }
  CliRun cli(const std::string& args) { return run_cli(dir_, args, kData); }
};

TEST_F(ParamsCliTest, RunUsesTheSetsRecordsThemAndIsDeterministic) {
  const std::string base = "run model.lw --quiet --save total,decay";
  ASSERT_EQ(cli(base + " --members 10 --out prior").exit_code, 0);
  CliRun one = cli(base + " --members 10 --params model-params.yaml --threads 1 --out one");
  ASSERT_EQ(one.exit_code, 0) << one.err;
  ASSERT_EQ(cli(base + " --members 10 --params model-params.yaml --threads 2 --batch-width 3 --out two")
                .exit_code,
            0);
  ASSERT_EQ(cli(base + " --members 10 --params model-params.yaml --threads 1 --out again").exit_code, 0);
  // The last five members on their own give the same trajectories as in the whole run.
  CliRun tail_run = cli(base + " --params model-params.yaml --members 5 --first-member 5 --out tail");
  ASSERT_EQ(tail_run.exit_code, 0) << tail_run.err;

  const std::string trajectories = read(dir_ / "one/trajectories.csv");
  EXPECT_NE(trajectories, read(dir_ / "prior/trajectories.csv"));
  EXPECT_EQ(trajectories, read(dir_ / "two/trajectories.csv"));
  EXPECT_EQ(trajectories, read(dir_ / "again/trajectories.csv"));
  std::string tail = read(dir_ / "tail/trajectories.csv");
  tail = tail.substr(tail.find('\n') + 1);
  EXPECT_THAT(trajectories, HasSubstr(tail.substr(0, tail.find('\n'))));

  Json record = Json::parse(read(dir_ / "one/run.json"));
  EXPECT_EQ(record["parameters"]["file"], "model-params.yaml");
  EXPECT_EQ(record["parameters"]["sets"], 3);
  EXPECT_EQ(record["parameters"]["provenance"]["fit"]["rmse"], 0.5);
  EXPECT_TRUE(Json::parse(read(dir_ / "prior/run.json"))["parameters"].is_null());
}

TEST_F(ParamsCliTest, RunRefusesNominalWithParamsAndBadFiles) {
  CliRun both = cli("run model.lw --nominal --params model-params.yaml --out x");
  EXPECT_EQ(both.exit_code, 2);
  EXPECT_THAT(both.err, HasSubstr("--nominal and --params cannot be used together"));

  write("bad.yaml", "format: latwin-params/1\nparameters: [{name: decay, elements: 1}]\n"
                    "sets: [[0.5], [1.5]]\n");
  CliRun bad = cli("run model.lw --params bad.yaml --out x");
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_THAT(bad.err, HasSubstr("bad.yaml:3: set 2, value 1: 1.5 is not inside (0, 1)"));

  std::string row;
  for (int i = 0; i < 34; ++i) row += "0.5, ";
  write("other.yaml", "format: latwin-params/1\nparameters: [{name: inflow_rate, elements: 35}]\n"
                      "sets: [[" + row + "0.5]]\n");
  CliRun other = cli("run model.lw --params other.yaml --out x");
  EXPECT_EQ(other.exit_code, 2);
  EXPECT_THAT(other.err, HasSubstr("'inflow_rate' has 3 elements in the model but 35 in the "
                                   "parameter sets: the file was made for another model or data"));
  EXPECT_FALSE(std::filesystem::exists(dir_ / "x"));
}

TEST_F(ParamsCliTest, CompareUsesTheSetsAndRecordsThem) {
  const std::string base = "compare --strategy status-quo --strategy disengagement --members 6 "
                           "--quiet --no-store";
  ASSERT_EQ(cli(base + " --out prior").exit_code, 0);
  CliRun one = cli(base + " --params hemisphere-params.yaml --threads 1 --out one");
  ASSERT_EQ(one.exit_code, 0) << one.err;
  ASSERT_EQ(cli(base + " --params hemisphere-params.yaml --threads 2 --out two").exit_code, 0);
  Json prior = Json::parse(read(dir_ / "prior/compare.json"));
  Json doc = Json::parse(read(dir_ / "one/compare.json"));
  Json two = Json::parse(read(dir_ / "two/compare.json"));
  EXPECT_NE(doc["results"][0]["index_at_horizon"], prior["results"][0]["index_at_horizon"]);
  EXPECT_EQ(doc["results"].dump(), two["results"].dump());
  EXPECT_EQ(read(dir_ / "one/compare.csv"), read(dir_ / "two/compare.csv"));
  EXPECT_EQ(doc["parameters"]["file"], "hemisphere-params.yaml");
  EXPECT_EQ(doc["parameters"]["sets"], 3);
  EXPECT_EQ(doc["parameters"]["provenance"]["method"], "test");
  EXPECT_THAT(doc["command"].get<std::string>(), HasSubstr("--params hemisphere-params.yaml"));
  EXPECT_TRUE(prior["parameters"].is_null());
}

TEST_F(ParamsCliTest, OptimizeUsesTheSetsAndRecordsThem) {
  const std::string base =
      "optimize --budget 1.0e9 --instruments security_cooperation,democracy_assistance "
      "--countries Andean,MEX --members 6 --evaluations 16 --quiet";
  ASSERT_EQ(cli(base + " --out prior.yaml --store prior.sqlite").exit_code, 0);
  CliRun one = cli(base + " --params hemisphere-params.yaml --threads 1 --out one.yaml --store one.sqlite");
  ASSERT_EQ(one.exit_code, 0) << one.err;
  ASSERT_EQ(cli(base + " --params hemisphere-params.yaml --threads 2 --out two.yaml --store two.sqlite")
                .exit_code,
            0);
  auto document = [&](const std::string& store_name) {
    store::Store store(dir_ / store_name);
    auto stored = store.load(1);
    EXPECT_TRUE(stored);
    return stored ? Json::parse(stored->document) : Json();
  };
  Json prior = document("prior.sqlite"), doc = document("one.sqlite"), two = document("two.sqlite");
  EXPECT_NE(doc["best_value"], prior["best_value"]);
  EXPECT_EQ(doc["best_value"], two["best_value"]);
  EXPECT_EQ(doc["units"].dump(), two["units"].dump());
  // The strategies written differ only in their names.
  std::string one_yaml = read(dir_ / "one.yaml"), two_yaml = read(dir_ / "two.yaml");
  EXPECT_EQ(one_yaml.substr(one_yaml.find("rules:")), two_yaml.substr(two_yaml.find("rules:")));
  EXPECT_EQ(doc["parameters"]["sets"], 3);
  EXPECT_EQ(doc["parameters"]["parameters"][1], "recession_hazard");
  EXPECT_TRUE(prior["parameters"].is_null());
}

TEST_F(ParamsCliTest, ExploreLeavesTheSetsParametersOutOfTheDesign) {
  const std::string base = "explore --strategy disengagement --samples 12 --quiet --no-store";
  ASSERT_EQ(cli(base + " --out prior").exit_code, 0);
  CliRun one = cli(base + " --params hemisphere-params.yaml --threads 1 --out one");
  ASSERT_EQ(one.exit_code, 0) << one.err;
  ASSERT_EQ(cli(base + " --params hemisphere-params.yaml --threads 2 --out two").exit_code, 0);
  Json prior = Json::parse(read(dir_ / "prior/explore.json"));
  Json doc = Json::parse(read(dir_ / "one/explore.json"));
  EXPECT_EQ(doc["factors"].size() + 2, prior["factors"].size());
  for (const auto& factor : doc["factors"]) {
    EXPECT_NE(factor, "global_growth_beta");
    EXPECT_NE(factor, "recession_hazard");
  }
  EXPECT_EQ(read(dir_ / "one/prim.csv"), read(dir_ / "two/prim.csv"));
  EXPECT_EQ(doc["prim"].dump(), Json::parse(read(dir_ / "two/explore.json"))["prim"].dump());
  EXPECT_EQ(doc["parameters"]["sets"], 3);
  EXPECT_TRUE(prior["parameters"].is_null());
}

}  // namespace
}  // namespace latwin::test
