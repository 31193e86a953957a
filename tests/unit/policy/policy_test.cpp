// Strategy and scenario files against the hemisphere model: every built-in file loads, rules
// expand to the right yearly amounts, and each kind of mistake gets its own clear error with
// the file and line.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>

#include "core/error.hpp"
#include "data/panel.hpp"
#include "engine/compile/compiler.hpp"
#include "engine/lang/source.hpp"
#include "policy/model_interface.hpp"
#include "policy/scenario.hpp"
#include "policy/strategy.hpp"

namespace latwin::policy {
namespace {

using ::testing::AllOf;
using ::testing::HasSubstr;

const std::string kRoot = LATWIN_SOURCE_DIR;

const data::PanelDataSource& project_data() {
  static const data::PanelDataSource source(kRoot + "/data");
  return source;
}

const ModelInterface& hemisphere() {
  static const engine::CompileResult compiled = engine::compile_files(
      lang::expand_model_paths({kRoot + "/models/hemisphere"}), &project_data());
  static const ModelInterface model = describe_model(*compiled.plan, &project_data().panel());
  return model;
}

const Scenario& baseline() {
  static const Scenario scenario = load_scenario(kRoot + "/scenarios/baseline.yaml", hemisphere());
  return scenario;
}

Scenario scenario_from(const std::string& text) {
  return parse_scenario("test.yaml", text, hemisphere());
}

Strategy strategy_from(const std::string& text, const Scenario& scenario = baseline()) {
  return parse_strategy("test.yaml", text, hemisphere(), scenario);
}

// The message of the InputError the call throws; fails the test when it throws none.
template <typename Fn>
std::string error_of(Fn&& fn) {
  try {
    fn();
  } catch (const InputError& e) {
    return e.what();
  }
  ADD_FAILURE() << "no error";
  return "";
}

std::string strategy_error(const std::string& text) {
  return error_of([&] { strategy_from(text); });
}

std::string scenario_error(const std::string& text) {
  return error_of([&] { scenario_from(text); });
}

const char* kHead = "name: t\ndescription: a test\n";

double level(const Strategy& s, const std::string& instrument, const std::string& iso3, int year) {
  auto it = s.levels.find({instrument, iso3});
  if (it == s.levels.end()) return 0;
  return it->second.values.at(static_cast<std::size_t>(year - it->second.first_year));
}

TEST(ModelInterface, FindsTheInstrumentsScenarioInputsAndGroups) {
  const ModelInterface& model = hemisphere();
  EXPECT_EQ(model.start, 2024);
  EXPECT_EQ(model.stop, 2040);
  ASSERT_NE(model.instrument("security_cooperation"), nullptr);
  EXPECT_FALSE(model.instrument("security_cooperation")->intensity);
  EXPECT_EQ(model.instrument("security_cooperation")->elements.size(), 33u);
  ASSERT_NE(model.instrument("sanctions"), nullptr);
  EXPECT_TRUE(model.instrument("sanctions")->intensity);
  EXPECT_EQ(model.instrument("sanctions")->high, 1.0);
  EXPECT_EQ(model.instruments.size(), 10u);
  ASSERT_NE(model.input("china_posture"), nullptr);
  EXPECT_NE(model.input("recession_hazard_scale"), nullptr);
  EXPECT_NE(model.input("coup_hazard_scale"), nullptr);
  EXPECT_EQ(model.groups.at("all").size(), 33u);
  EXPECT_THAT(model.groups.at("Andean"), ::testing::ElementsAre("BOL", "COL", "ECU", "PER", "VEN"));
  EXPECT_GT(model.population.at("BRA"), 2e8);
}

TEST(BuiltinFiles, EveryStrategyLoadsUnderEveryScenario) {
  int pairs = 0;
  for (const auto& scenario_file : std::filesystem::directory_iterator(kRoot + "/scenarios")) {
    Scenario scenario = load_scenario(scenario_file.path().string(), hemisphere());
    EXPECT_EQ(scenario.name + ".yaml", scenario_file.path().filename().string());
    for (const auto& file : std::filesystem::directory_iterator(kRoot + "/strategies")) {
      Strategy s = load_strategy(file.path().string(), hemisphere(), scenario);
      EXPECT_EQ(s.name + ".yaml", file.path().filename().string());
      EXPECT_FALSE(s.summary.empty());
      ++pairs;
    }
  }
  EXPECT_EQ(pairs, 4 * 6);
}

TEST(BuiltinFiles, ActiveStrategiesSpendTheStatusQuoTotal) {
  const double status_quo =
      load_strategy(kRoot + "/strategies/status-quo.yaml", hemisphere(), baseline())
          .total_usd_per_year(hemisphere());
  EXPECT_NEAR(status_quo, 1.729e9, 0.001e9);
  for (const char* name : {"security-first", "economic-first", "democracy-and-pressure", "comprehensive"}) {
    Strategy s = load_strategy(kRoot + "/strategies/" + name + ".yaml", hemisphere(), baseline());
    EXPECT_NEAR(s.total_usd_per_year(hemisphere()), status_quo, 0.001 * status_quo) << name;
  }
  Strategy none = load_strategy(kRoot + "/strategies/disengagement.yaml", hemisphere(), baseline());
  EXPECT_EQ(none.total_usd_per_year(hemisphere()), 0);
  EXPECT_TRUE(none.levels.empty());
}

TEST(Strategy, SplitsAmountsEachEquallyOrByPopulation) {
  Strategy s = strategy_from(std::string(kHead) + R"(
rules:
  - {instrument: security_cooperation, countries: [COL, PER], usd: 1.0e8, split: each}
  - {instrument: counternarcotics, countries: [COL, PER], usd: 1.0e8, split: equal}
  - {instrument: exchanges, countries: [COL, PER], usd: 1.0e8, split: population}
)");
  EXPECT_EQ(level(s, "security_cooperation", "COL", 2030), 1e8);
  EXPECT_EQ(level(s, "security_cooperation", "PER", 2030), 1e8);
  EXPECT_EQ(level(s, "counternarcotics", "COL", 2030), 5e7);
  const auto& pop = hemisphere().population;
  double col_share = pop.at("COL") / (pop.at("COL") + pop.at("PER"));
  EXPECT_DOUBLE_EQ(level(s, "exchanges", "COL", 2030), 1e8 * col_share);
  EXPECT_NEAR(level(s, "exchanges", "COL", 2030) + level(s, "exchanges", "PER", 2030), 1e8, 1e-6);
  EXPECT_EQ(level(s, "exchanges", "BRA", 2030), 0);
  EXPECT_EQ(s.total_usd_per_year(hemisphere()), 4e8);
}

TEST(Strategy, RampsAndYearsAndSharesExpandYearByYear) {
  Strategy s = strategy_from(std::string(kHead) + R"(
budget: 1.0e9
rules:
  - instrument: counternarcotics
    countries: COL
    usd: {2026: 1.0e8, 2030: 3.0e8}
  - instrument: security_cooperation
    countries: Andean
    except: VEN
    years: 2025-2027
    share: 0.4
    split: equal
  - {instrument: sanctions, countries: VEN, intensity: {2024: 0.5, 2034: 1}}
)");
  EXPECT_EQ(level(s, "counternarcotics", "COL", 2025), 0);  // before the path starts
  EXPECT_EQ(level(s, "counternarcotics", "COL", 2026), 1e8);
  EXPECT_EQ(level(s, "counternarcotics", "COL", 2028), 2e8);
  EXPECT_EQ(level(s, "counternarcotics", "COL", 2040), 3e8);  // held after the last point
  EXPECT_EQ(level(s, "security_cooperation", "COL", 2024), 0);
  EXPECT_EQ(level(s, "security_cooperation", "BOL", 2026), 1e8);  // 0.4 x 1e9 / 4 countries
  EXPECT_EQ(level(s, "security_cooperation", "VEN", 2026), 0);
  EXPECT_EQ(level(s, "security_cooperation", "ECU", 2028), 0);
  EXPECT_DOUBLE_EQ(level(s, "sanctions", "VEN", 2029), 0.75);
  engine::RunInputs inputs = s.inputs();
  EXPECT_EQ(inputs.allocations.count({"sanctions", "VEN"}), 1u);
}

TEST(Strategy, ShareUsesTheScenarioEnvelopeWithoutABudget) {
  Strategy s = strategy_from(std::string(kHead) +
                             "rules:\n  - {instrument: exchanges, countries: MEX, share: 0.5}\n");
  EXPECT_EQ(level(s, "exchanges", "MEX", 2030), 0.5 * 1.75e9);
}

// ---- one test per kind of mistake in a strategy file

TEST(StrategyErrors, UnknownInstrumentNamesTheLineAndSuggests) {
  std::string e = strategy_error(std::string(kHead) +
                                 "rules:\n  - {instrument: security_coperation, countries: COL, usd: 1}\n");
  EXPECT_THAT(e, HasSubstr("test.yaml:4:"));
  EXPECT_THAT(e, HasSubstr("no instrument 'security_coperation'"));
  EXPECT_THAT(e, HasSubstr("did you mean 'security_cooperation'"));
}

TEST(StrategyErrors, UnknownCountry) {
  std::string e = strategy_error(std::string(kHead) +
                                 "rules:\n  - instrument: exchanges\n    countries: [COL, XYZ]\n"
                                 "    usd: 1\n    split: each\n");
  EXPECT_THAT(e, HasSubstr("test.yaml:5:"));
  EXPECT_THAT(e, HasSubstr("'XYZ' is not a country of the model"));
  EXPECT_THAT(e, HasSubstr("Andean"));
}

TEST(StrategyErrors, NegativeAmount) {
  std::string e = strategy_error(std::string(kHead) +
                                 "rules:\n  - instrument: exchanges\n    countries: COL\n    usd: -5\n");
  EXPECT_THAT(e, HasSubstr("test.yaml:6:"));
  EXPECT_THAT(e, HasSubstr("-5 is negative"));
}

TEST(StrategyErrors, OverlappingRulesNameBothLines) {
  std::string e = strategy_error(std::string(kHead) + R"(rules:
  - {instrument: exchanges, countries: Andean, usd: 1, split: each}
  - {instrument: exchanges, countries: COL, usd: 2, years: 2030-2035}
)");
  EXPECT_THAT(e, HasSubstr("test.yaml:5:"));
  EXPECT_THAT(e, HasSubstr("overlaps the rule at line 4"));
  EXPECT_THAT(e, HasSubstr("exchanges for COL in 2030"));
}

TEST(StrategyErrors, BudgetOverrunAgainstTheStrategysBudget) {
  std::string e = strategy_error(std::string(kHead) + R"(budget: 1.0e8
rules:
  - {instrument: exchanges, countries: COL, share: 0.7}
  - {instrument: security_cooperation, countries: COL, share: 0.5, years: 2030-2031}
)");
  EXPECT_THAT(e, HasSubstr("test.yaml:3:"));
  EXPECT_THAT(e, HasSubstr("budget overrun"));
  EXPECT_THAT(e, HasSubstr("$120 M in 2030"));
}

TEST(StrategyErrors, BudgetOverrunAgainstTheScenarioEnvelope) {
  std::string e = strategy_error(std::string(kHead) +
                                 "rules:\n  - {instrument: exchanges, countries: all, usd: 1.0e8, split: each}\n");
  EXPECT_THAT(e, HasSubstr("budget overrun"));
  EXPECT_THAT(e, HasSubstr("$3.3 bn in 2024"));
  EXPECT_THAT(e, HasSubstr("baseline.yaml:"));
}

TEST(StrategyErrors, YearsOutsideTheHorizon) {
  std::string e = strategy_error(std::string(kHead) +
                                 "rules:\n  - {instrument: exchanges, countries: COL, usd: 1, years: 2030-2045}\n");
  EXPECT_THAT(e, HasSubstr("test.yaml:4:"));
  EXPECT_THAT(e, HasSubstr("2030-2045 is outside the run's years 2024-2040"));
  e = strategy_error(std::string(kHead) +
                     "rules:\n  - {instrument: exchanges, countries: COL, usd: {2020: 1, 2030: 2}}\n");
  EXPECT_THAT(e, HasSubstr("year 2020 is outside the run's years"));
}

TEST(StrategyErrors, AmountOfTheWrongKind) {
  EXPECT_THAT(strategy_error(std::string(kHead) +
                             "rules:\n  - {instrument: sanctions, countries: VEN, usd: 1.0e6}\n"),
              HasSubstr("sanctions is a pressure instrument"));
  EXPECT_THAT(strategy_error(std::string(kHead) +
                             "rules:\n  - {instrument: exchanges, countries: VEN, intensity: 0.5}\n"),
              HasSubstr("write usd: (per year) or share:"));
  EXPECT_THAT(strategy_error(std::string(kHead) +
                             "rules:\n  - {instrument: sanctions, countries: VEN, intensity: 1.5}\n"),
              HasSubstr("intensity: 1.5 is outside 0 to 1"));
  EXPECT_THAT(strategy_error(std::string(kHead) +
                             "rules:\n  - {instrument: exchanges, countries: VEN, usd: 1, share: 0.1}\n"),
              HasSubstr("not two"));
  EXPECT_THAT(strategy_error(std::string(kHead) + "rules:\n  - {instrument: exchanges, countries: VEN}\n"),
              HasSubstr("how much?"));
}

TEST(StrategyErrors, ShareWithoutAnyBudget) {
  Scenario no_envelope = scenario_from("name: s\ndescription: no envelope\n");
  std::string e = error_of([&] {
    strategy_from(std::string(kHead) + "rules:\n  - {instrument: exchanges, countries: COL, share: 0.1}\n",
                  no_envelope);
  });
  EXPECT_THAT(e, HasSubstr("a share of what?"));
}

TEST(StrategyErrors, GroupWithoutSplit) {
  std::string e = strategy_error(std::string(kHead) +
                                 "rules:\n  - {instrument: exchanges, countries: Andean, usd: 1.0e6}\n");
  EXPECT_THAT(e, HasSubstr("test.yaml:4:"));
  EXPECT_THAT(e, HasSubstr("covers 5 countries"));
  EXPECT_THAT(e, HasSubstr("split: each"));
}

TEST(StrategyErrors, UnknownKeyMissingFieldAndSyntax) {
  EXPECT_THAT(strategy_error(std::string(kHead) +
                             "rules:\n  - {instrument: exchanges, contries: COL, usd: 1}\n"),
              HasSubstr("unknown key 'contries' (did you mean 'countries'?)"));
  EXPECT_THAT(strategy_error("description: x\nrules: []\n"), HasSubstr("'name' is missing"));
  EXPECT_THAT(strategy_error(std::string(kHead) + "rules: [\n"), HasSubstr("test.yaml:4:"));
  EXPECT_THAT(strategy_error(std::string(kHead) + "rules: {a: 1}\n"), HasSubstr("expected a list of rules"));
  EXPECT_THAT(strategy_error("- just a list\n"), HasSubstr("expected a mapping"));
  EXPECT_THAT(strategy_error(std::string(kHead) +
                             "rules:\n  - {instrument: exchanges, countries: COL, usd: lots}\n"),
              HasSubstr("expected a number, found 'lots'"));
  EXPECT_THAT(strategy_error(std::string(kHead) +
                             "rules:\n  - {instrument: exchanges, countries: COL, except: COL, usd: 1}\n"),
              HasSubstr("leaves the rule with no country"));
}

// ---- scenarios

TEST(Scenario, SeriesShocksAndParametersBecomeRunInputs) {
  Scenario s = scenario_from(R"(name: s
description: d
horizon: 2030
budget_envelope: 2.0e9
series:
  china_posture: {2025: 0.5, 2029: 0.9}
  transition_year[VEN]: 2026
shocks:
  recession: {on: false}
  coup: {intensity: 2}
parameters:
  opening_rate: 0.01
  "election_interval": 5
)");
  EXPECT_EQ(s.horizon, 2030);
  EXPECT_EQ(s.budget_envelope, 2.0e9);
  const engine::Series& posture = s.series.at({"china_posture", ""});
  EXPECT_EQ(posture.first_year, 2024);
  EXPECT_EQ(posture.values.size(), 8u);  // 2024 .. 2031
  EXPECT_EQ(posture.values[0], 0.5);
  EXPECT_DOUBLE_EQ(posture.values[3], 0.7);  // 2027, halfway from 2025 to 2029
  EXPECT_EQ(posture.values[7], 0.9);
  EXPECT_EQ(s.series.at({"transition_year", "VEN"}).values[0], 2026);
  EXPECT_EQ(s.series.at({"recession_hazard_scale", ""}).values[0], 0);
  EXPECT_EQ(s.series.at({"coup_hazard_scale", ""}).values[0], 2);
  ASSERT_EQ(s.overrides.size(), 2u);
  EXPECT_EQ(s.overrides[0].variable, "opening_rate");
  EXPECT_EQ(s.overrides[0].value, 0.01);
  EXPECT_GE(s.summary.size(), 6u);
}

TEST(ScenarioErrors, EachKindOfMistake) {
  const std::string head = "name: s\ndescription: d\n";
  EXPECT_THAT(scenario_error(head + "series:\n  china_postur: 0.9\n"),
              HasSubstr("test.yaml:4: series: the model has no scenario input 'china_postur' (did "
                        "you mean 'china_posture'?)"));
  EXPECT_THAT(scenario_error(head + "series:\n  china_posture: 1.5\n"),
              HasSubstr("1.5 is outside the input's range [0, 1]"));
  EXPECT_THAT(scenario_error(head + "series:\n  china_posture[VEN]: 0.5\n"),
              HasSubstr("is one number for the whole region"));
  EXPECT_THAT(scenario_error(head + "series:\n  transition_year[XYZ]: 2026\n"),
              HasSubstr("'XYZ' is not one of the model's countries"));
  EXPECT_THAT(scenario_error(head + "series:\n  china_posture: {2020: 0.5}\n"),
              HasSubstr("year 2020 is outside the scenario's years 2024-2040"));
  EXPECT_THAT(scenario_error(head + "start: 2026\n"), HasSubstr("must start in 2024"));
  EXPECT_THAT(scenario_error(head + "horizon: 2020\n"), HasSubstr("must be after the start"));
  EXPECT_THAT(scenario_error(head + "budget_envelope: -1\n"), HasSubstr("must not be negative"));
  EXPECT_THAT(scenario_error(head + "shocks:\n  earthquake: {on: true}\n"),
              HasSubstr("no shock 'earthquake'"));
  EXPECT_THAT(scenario_error(head + "shocks:\n  coup: {on: maybe}\n"),
              HasSubstr("expected true or false, found 'maybe'"));
  EXPECT_THAT(scenario_error(head + "shocks:\n  coup: {intensity: -1}\n"),
              HasSubstr("intensity must not be negative"));
  EXPECT_THAT(scenario_error(head + "shocks:\n  recession: {on: true}\nseries:\n  recession_hazard_scale: 2\n"),
              HasSubstr("set twice"));
  EXPECT_THAT(scenario_error(head + "parameters:\n  openin_rate: 0.1\n"),
              HasSubstr("no parameter 'openin_rate' (did you mean 'opening_rate'?)"));
  EXPECT_THAT(scenario_error(head + "parameters:\n  population[XYZ]: 1\n"),
              HasSubstr("has no element 'XYZ'"));
  EXPECT_THAT(scenario_error(head + "horizont: 2030\n"), HasSubstr("did you mean 'horizon'"));
  EXPECT_THAT(scenario_error("name: s\n"), HasSubstr("'description' is missing"));
}

TEST(Scenario, DeepUncertaintiesAreRangesOrMultiples) {
  Scenario s = scenario_from(std::string(kHead) +
                             "series:\n  commodity_price_index: {2024: 1, 2030: 1.2}\n"
                             "uncertain:\n"
                             "  china_posture: {range: [0.2, 0.9], why: China's choice}\n"
                             "  commodity_price_index: {scale: [0.8, 1.25]}\n");
  ASSERT_EQ(s.uncertain.size(), 2u);
  EXPECT_EQ(s.uncertain[0].factor.name, "china_posture");
  EXPECT_EQ(s.uncertain[0].factor.mode, engine::InputFactor::Mode::kLevel);
  EXPECT_EQ(s.uncertain[0].factor.low, 0.2);
  EXPECT_EQ(s.uncertain[0].factor.high, 0.9);
  EXPECT_EQ(s.uncertain[0].why, "China's choice");
  EXPECT_EQ(s.uncertain[0].line, 6);
  EXPECT_EQ(s.uncertain[1].factor.mode, engine::InputFactor::Mode::kScale);
  EXPECT_EQ(s.uncertain[1].factor.high, 1.25);
  // The series a comparison runs is the stated one: deep uncertainties are for exploring.
  EXPECT_EQ(s.series.at({"commodity_price_index", ""}).values.at(6), 1.2);
}

TEST(ScenarioErrors, DeepUncertaintyMistakes) {
  const std::string head = std::string(kHead) + "uncertain:\n";
  EXPECT_THAT(scenario_error(head + "  china_postur: {range: [0, 1]}\n"),
              AllOf(HasSubstr("test.yaml:4:"), HasSubstr("did you mean 'china_posture'")));
  EXPECT_THAT(scenario_error(head + "  china_posture: {range: [0, 1.5]}\n"),
              HasSubstr("outside its range [0, 1]"));
  EXPECT_THAT(scenario_error(head + "  china_posture: {range: [0.8, 0.2]}\n"),
              HasSubstr("LOW 0.8 is above HIGH 0.2"));
  EXPECT_THAT(scenario_error(head + "  china_posture: {range: [0.2]}\n"),
              HasSubstr("expected two numbers [LOW, HIGH]"));
  EXPECT_THAT(scenario_error(head + "  china_posture: {why: no range}\n"),
              HasSubstr("give either range"));
  EXPECT_THAT(scenario_error(head + "  china_posture: {range: [0, 1], scale: [1, 2]}\n"),
              HasSubstr("not both"));
  EXPECT_THAT(scenario_error(head + "  commodity_price_index: {scale: [0.5, 2]}\n"),
              HasSubstr("the scenario sets none"));
  EXPECT_THAT(scenario_error(head + "  transition_year[VEN]: {range: [2026, 2030]}\n"),
              HasSubstr("every country alike"));
  EXPECT_THAT(scenario_error(std::string(kHead) + "series:\n  china_posture: 0.6\nuncertain:\n"
                                                  "  china_posture: {scale: [-1, 1]}\n"),
              HasSubstr("must not be negative"));
  EXPECT_THAT(scenario_error(std::string(kHead) + "series:\n  china_posture: 0.6\nuncertain:\n"
                                                  "  china_posture: {scale: [0.5, 2]}\n"),
              HasSubstr("would reach 0.3 to 1.2, outside its range [0, 1]"));
  EXPECT_THAT(scenario_error(head + "  china_posture: {range: [0, 1], low: 0}\n"),
              HasSubstr("low"));
}

TEST(ScenarioErrors, UnreadableFile) {
  EXPECT_THAT(error_of([] { load_scenario("/no/such/file.yaml", hemisphere()); }),
              HasSubstr("/no/such/file.yaml: cannot read the file"));
}

}  // namespace
}  // namespace latwin::policy
