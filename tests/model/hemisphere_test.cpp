// The hemisphere model (models/hemisphere) on the project's data: it compiles cleanly,
// every parameter says where its number comes from, and over 1,000 parameter draws it stays
// in range and passes the reality checks of issue 4. Each reality check prints the numbers
// it saw, so a failure (or a pass) can be judged by a person.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <sstream>
#include <map>
#include <string>
#include <vector>

#include <yaml-cpp/yaml.h>

#include "data/panel.hpp"
#include "engine/doc/model_doc.hpp"
#include "engine/compile/compiler.hpp"
#include "engine/lang/source.hpp"
#include "engine/run/ensemble.hpp"

namespace latwin::model {
namespace {

const std::string kRoot = LATWIN_SOURCE_DIR;
constexpr int kStart = 2024;
constexpr std::uint64_t kMembers = 1000;

const data::PanelDataSource& project_data() {
  static const data::PanelDataSource source(kRoot + "/data");
  return source;
}

const engine::CompileResult& hemisphere() {
  static const engine::CompileResult result = engine::compile_files(
      lang::expand_model_paths({kRoot + "/models/hemisphere"}), &project_data());
  return result;
}

engine::Series constant_series(int first, int last, double value) {
  engine::Series series;
  series.first_year = first;
  series.values.assign(static_cast<std::size_t>(last - first + 1), value);
  return series;
}

struct Outcome {
  engine::RunReport report;
  std::shared_ptr<engine::TrajectoryCollector> values;

  double at(const std::string& variable, const std::string& element, int year,
            std::uint64_t member) const {
    return values->value(variable, element, static_cast<std::size_t>(year - kStart), member);
  }
};

// What the reality checks read; saving only these keeps 1,000 members in little memory.
// (Run-time checks for NaN and ranges cover every variable, saved or not.)
const std::vector<std::string> kChecked = {
    "homicide_rate", "crime",        "coca",          "drug_flow_us",       "democracy",
    "migration_us",  "regional_footholds", "latin_win_index"};

Outcome run(engine::RunInputs inputs, std::vector<engine::ParamOverride> overrides = {},
            std::vector<std::string> save = kChecked) {
  engine::RunSpec spec;
  spec.members = kMembers;
  spec.save = std::move(save);
  spec.seed = 20261129;
  spec.inputs = std::move(inputs);
  spec.overrides = std::move(overrides);
  Outcome out;
  out.values = std::make_shared<engine::TrajectoryCollector>();
  out.report = engine::run_ensemble(hemisphere().plan, spec, {out.values.get()});
  return out;
}

// Share of members where a(member) < b(member).
template <typename A, typename B>
double share_below(A a, B b, std::uint64_t members = kMembers) {
  std::uint64_t count = 0;
  for (std::uint64_t m = 0; m < members; ++m) count += a(m) < b(m) ? 1 : 0;
  return static_cast<double>(count) / static_cast<double>(members);
}

double median_of(std::vector<double> values) {
  std::sort(values.begin(), values.end());
  return values[values.size() / 2];
}

const std::vector<std::string> kInstruments = {
    "security_cooperation", "counternarcotics",   "democracy_assistance", "diplomatic_pressure",
    "sanctions",            "trade_facilitation", "development_finance",  "oas_engagement",
    "exchanges"};

// Today's U.S. assistance as a strategy: every instrument at its status-quo level (nominal
// parameters), every year. The model's status_quo_* parameters hold those levels.
engine::RunInputs status_quo() {
  engine::RunSpec spec;
  spec.members = 1;
  spec.sample_parameters = false;
  for (const auto& name : kInstruments) spec.save.push_back("status_quo_" + name);
  engine::TrajectoryCollector levels;
  engine::run_ensemble(hemisphere().plan, spec, {&levels});
  engine::RunInputs inputs;
  for (const auto& name : kInstruments) {
    for (const auto& iso3 : project_data().panel().countries().where("kind", "lac")) {
      inputs.allocations[{name, iso3}] =
          constant_series(kStart, 2040, levels.value("status_quo_" + name, iso3, 0, 0));
    }
  }
  return inputs;
}

TEST(HemisphereModel, CompilesWithTheProjectDataWithoutWarnings) {
  const auto& result = hemisphere();
  ASSERT_TRUE(result.ok()) << result.messages();
  EXPECT_EQ(result.messages(), "");
}

TEST(HemisphereModel, EveryParameterSaysWhereItsNumberComesFrom) {
  ASSERT_TRUE(hemisphere().ok());
  std::vector<std::string> missing;
  int parameters = 0;
  for (const auto& variable : hemisphere().plan->variables) {
    if (variable.hidden) continue;
    bool needs_unit = variable.role == engine::VarRole::kParam ||
                      variable.role == engine::VarRole::kStock;
    if (needs_unit && variable.unit.empty()) missing.push_back(variable.name + " (no unit)");
    if (variable.role != engine::VarRole::kParam) continue;
    ++parameters;
    if (variable.source.empty()) missing.push_back(variable.name + " (no source)");
    if (variable.description.empty()) missing.push_back(variable.name + " (no description)");
  }
  std::printf("%d parameters checked\n", parameters);
  EXPECT_GT(parameters, 30);
  EXPECT_TRUE(missing.empty()) << ::testing::PrintToString(missing);
}

// docs/model.md is generated (latwin doc models/hemisphere --out docs); it must describe the
// model as it is, and list no parameter without a source.
TEST(HemisphereModel, TheCommittedReferencePageIsUpToDate) {
  ASSERT_TRUE(hemisphere().ok());
  engine::DocOptions options;
  options.title = "hemisphere";
  options.graph_svg = "model-graph.svg";
  options.graph_dot = "model-graph.dot";
  std::string page = engine::model_markdown(*hemisphere().plan, options);
  std::ifstream in(kRoot + "/docs/model.md", std::ios::binary);
  std::stringstream committed;
  committed << in.rdbuf();
  EXPECT_TRUE(page == committed.str())
      << "docs/model.md is out of date: run latwin doc models/hemisphere --out docs";
  EXPECT_NE(page.find("None: every parameter names its source."), std::string::npos);
}

// Data years are relative to the start (main.lw), so a backtest can start the model in an
// earlier year: from 2024 each initial value reads the year its source names; from 2016 the
// same distance back, or the latest year at or before the start (homicide: the start year
// where there is one, which 2024 has not).
TEST(HemisphereModel, InitialValuesReadTheirYearsRelativeToTheStart) {
  const data::Panel& panel = project_data().panel();
  for (int start : {2024, 2016}) {
    SCOPED_TRACE(start);
    engine::RunSpec spec;
    spec.members = 1;
    spec.sample_parameters = false;
    spec.start = start;
    spec.stop = start + 1;
    spec.save = {"homicide0", "population", "democracy0", "us_trade0", "alignment_us0"};
    engine::TrajectoryCollector values;
    engine::run_ensemble(hemisphere().plan, spec, {&values});
    for (const char* iso3 : {"COL", "MEX", "BRA"}) {
      EXPECT_EQ(values.value("homicide0", iso3, 0, 0),
                *panel.value("homicide_rate", iso3, start == 2024 ? start - 1 : start));
      EXPECT_EQ(values.value("population", iso3, 0, 0), *panel.value("population", iso3, start));
      EXPECT_EQ(values.value("democracy0", iso3, 0, 0), *panel.value("vdem_polyarchy", iso3, start));
      EXPECT_EQ(values.value("us_trade0", iso3, 0, 0), *panel.value("us_trade", iso3, start - 2));
      // UN votes end in 2019: the latest year at or before the start.
      EXPECT_EQ(values.value("alignment_us0", iso3, 0, 0),
                *panel.value("un_agreement_usa", iso3, std::min(start, 2019)));
    }
  }
}

// A backtest may start the model in any year from 2000: where a read falls before a series
// begins (WGI, coca, Taiwan's allies, later homicide series), the model falls back to the
// latest point at or before the start or to a stated assumption, never to NaN.
TEST(HemisphereModel, EarlierStartsHaveNoNotFiniteValues) {
  ASSERT_TRUE(hemisphere().ok());
  for (int start : {2000, 2008, 2015, 2020}) {
    SCOPED_TRACE(start);
    engine::RunSpec spec;
    spec.members = 20;
    spec.seed = 20261129;
    spec.start = start;
    spec.stop = start + 1;
    spec.save = {"homicide_rate"};
    engine::TrajectoryCollector values;
    engine::RunReport report = engine::run_ensemble(hemisphere().plan, spec, {&values});
    std::uint64_t not_finite = 0;
    for (const auto& diag : report.diagnostics) {
      if (diag.kind != engine::DiagnosticKind::kNotFinite) continue;
      if (not_finite++ == 0) ADD_FAILURE() << engine::describe(diag);
    }
    EXPECT_EQ(not_finite, 0u);
    std::printf("start %d: %llu diagnostics (%llu not finite among the recorded)\n", start,
                static_cast<unsigned long long>(report.diagnostic_count),
                static_cast<unsigned long long>(not_finite));
  }
}

// models/hemisphere/observations.yaml pairs data indicators with model variables for
// latwin calibrate and latwin backtest: each variable must exist, over the countries, and
// each indicator must be in data/.
TEST(HemisphereModel, ObservationsNameModelVariablesAndDataIndicators) {
  ASSERT_TRUE(hemisphere().ok());
  const engine::Plan& plan = *hemisphere().plan;
  const data::Panel& panel = project_data().panel();
  YAML::Node root = YAML::LoadFile(kRoot + "/models/hemisphere/observations.yaml");
  ASSERT_TRUE(root["observations"].IsSequence());
  int headlines = 0;
  for (const YAML::Node& item : root["observations"]) {
    const auto indicator = item["indicator"].as<std::string>();
    const auto name = item["variable"].as<std::string>();
    SCOPED_TRACE(indicator + " -> " + name);
    EXPECT_TRUE(panel.has_indicator(indicator));
    EXPECT_FALSE(item["why"].as<std::string>("").empty());
    if (item["headline"] && item["headline"].as<bool>()) ++headlines;
    auto variable = std::find_if(plan.variables.begin(), plan.variables.end(),
                                 [&](const auto& v) { return v.name == name; });
    ASSERT_NE(variable, plan.variables.end());
    ASSERT_EQ(variable->dims.size(), 1u);
    EXPECT_EQ(plan.dimensions[variable->dims[0]].name, "country");
  }
  EXPECT_EQ(headlines, 5);
}

TEST(HemisphereModel, BordersMatchTheData) {
  ASSERT_TRUE(hemisphere().ok());
  const engine::Plan& plan = *hemisphere().plan;
  const auto& countries = project_data().panel().countries();
  auto border = std::find_if(plan.variables.begin(), plan.variables.end(),
                             [](const auto& v) { return v.name == "border"; });
  ASSERT_NE(border, plan.variables.end());
  const auto& elements = plan.dimensions[border->dims[0]].elements;
  ASSERT_EQ(elements.size(), 33u);
  for (std::size_t row = 0; row < elements.size(); ++row) {
    auto neighbours = countries.neighbours(elements[row]);
    for (std::size_t col = 0; col < elements.size(); ++col) {
      bool in_data = std::find(neighbours.begin(), neighbours.end(), elements[col]) !=
                     neighbours.end();
      EXPECT_EQ(border->const_values[row * elements.size() + col], in_data ? 1.0 : 0.0)
          << elements[row] << "." << elements[col] << ": run tools/gen-geography";
    }
  }
}

TEST(HemisphereModel, AThousandDrawsStayInRangeWithoutNaN) {
  ASSERT_TRUE(hemisphere().ok());
  Outcome baseline = run({}, {}, {});  // everything saved
  for (const auto& diag : baseline.report.diagnostics) {
    ADD_FAILURE() << engine::describe(diag);
    break;
  }
  EXPECT_EQ(baseline.report.diagnostic_count, 0u);
  std::printf("no strategy, %llu members: homicide COL 2024 %.1f -> 2040 median %.1f; "
              "coca COL %.0f -> %.0f ha; cocaine toward the U.S. %.0f -> %.0f t/year\n",
              static_cast<unsigned long long>(kMembers), baseline.at("homicide_rate", "COL", 2024, 0),
              median_of([&] {
                std::vector<double> v;
                for (std::uint64_t m = 0; m < kMembers; ++m) v.push_back(baseline.at("homicide_rate", "COL", 2040, m));
                return v;
              }()),
              baseline.at("coca", "COL", 2024, 0), baseline.at("coca", "COL", 2040, 0),
              baseline.at("drug_flow_us", "", 2024, 0), baseline.at("drug_flow_us", "", 2040, 0));
}

// Plan Colombia at its historical scale: about $0.75 billion a year for a decade, two thirds
// security cooperation and one third counternarcotics.
engine::RunInputs plan_colombia(const std::string& iso3) {
  engine::RunInputs inputs;
  inputs.allocations[{"security_cooperation", iso3}] = constant_series(2025, 2034, 5e8);
  inputs.allocations[{"counternarcotics", iso3}] = constant_series(2025, 2034, 2.5e8);
  return inputs;
}

TEST(HemisphereModel, PlanColombiaLowersHomicideWithinTenYears) {
  ASSERT_TRUE(hemisphere().ok());
  Outcome none = run({});
  Outcome package = run(plan_colombia("COL"));
  double share = share_below([&](auto m) { return package.at("homicide_rate", "COL", 2034, m); },
                             [&](auto m) { return none.at("homicide_rate", "COL", 2034, m); });
  double with = 0, without = 0;
  for (std::uint64_t m = 0; m < kMembers; ++m) {
    with += package.at("homicide_rate", "COL", 2034, m) / kMembers;
    without += none.at("homicide_rate", "COL", 2034, m) / kMembers;
  }
  std::printf("Colombia 2034 homicide rate: %.1f with a Plan Colombia-scale package, %.1f "
              "without (2024: %.1f); lower in %.1f%% of %llu draws\n",
              with, without, none.at("homicide_rate", "COL", 2024, 0), 100 * share,
              static_cast<unsigned long long>(kMembers));
  EXPECT_GT(share, 0.8);
  EXPECT_EQ(package.report.diagnostic_count, 0u);
}

TEST(HemisphereModel, SuppressedCrimeDisplacesPartlyToNeighbours) {
  ASSERT_TRUE(hemisphere().ok());
  Outcome none = run({});
  Outcome package = run(plan_colombia("COL"));
  for (const char* neighbour : {"ECU", "PER", "VEN", "PAN", "BRA"}) {
    double share = share_below([&](auto m) { return none.at("crime", neighbour, 2034, m); },
                               [&](auto m) { return package.at("crime", neighbour, 2034, m); });
    double home = 0, away = 0;
    for (std::uint64_t m = 0; m < kMembers; ++m) {
      home += (none.at("crime", "COL", 2034, m) - package.at("crime", "COL", 2034, m)) / kMembers;
      away += (package.at("crime", neighbour, 2034, m) - none.at("crime", neighbour, 2034, m)) /
              kMembers;
    }
    std::printf("crime 2034: Colombia %.4f lower with the package, %s %.4f higher; higher in "
                "%.1f%% of draws\n",
                home, neighbour, away, 100 * share);
    EXPECT_GT(share, 0.8) << neighbour;
    EXPECT_LT(away, home) << neighbour << ": displacement is partial";
  }
  // A country that borders none of Colombia's neighbours... nor Colombia is not affected.
  for (std::uint64_t m = 0; m < kMembers; ++m) {
    ASSERT_EQ(none.at("crime", "JAM", 2034, m), package.at("crime", "JAM", 2034, m));
  }
}

TEST(HemisphereModel, SanctionsAloneDoNotDemocratiseAConsolidatedAutocracy) {
  ASSERT_TRUE(hemisphere().ok());
  engine::RunInputs inputs;
  inputs.allocations[{"sanctions", "VEN"}] = constant_series(2025, 2040, 1);
  Outcome none = run({});
  Outcome sanctioned = run(inputs);
  std::uint64_t opened = 0, opened_without = 0;
  double mean_with = 0, mean_without = 0;
  for (std::uint64_t m = 0; m < kMembers; ++m) {
    double start = sanctioned.at("democracy", "VEN", 2024, m);
    opened += sanctioned.at("democracy", "VEN", 2040, m) > start + 0.1 ? 1 : 0;
    opened_without += none.at("democracy", "VEN", 2040, m) > start + 0.1 ? 1 : 0;
    mean_with += sanctioned.at("democracy", "VEN", 2040, m) / kMembers;
    mean_without += none.at("democracy", "VEN", 2040, m) / kMembers;
  }
  std::printf("Venezuela, democracy (V-Dem scale) 2024 %.3f -> 2040 mean %.3f under full "
              "sanctions alone, %.3f without; it rose by more than 0.1 in %.1f%% of draws with "
              "sanctions and %.1f%% without\n",
              sanctioned.at("democracy", "VEN", 2024, 0), mean_with, mean_without,
              100.0 * opened / kMembers, 100.0 * opened_without / kMembers);
  EXPECT_LT(static_cast<double>(opened) / kMembers, 0.5);
}

TEST(HemisphereModel, MoreViolenceAndHardshipRaiseMigrationTowardTheUS) {
  ASSERT_TRUE(hemisphere().ok());
  const std::vector<std::string> triangle = {"HND", "GTM", "SLV"};
  Outcome baseline = run({});
  // More violence: organised crime grows faster in the three countries than the rate that
  // keeps it in equilibrium (at most about 1.5 a year in any draw).
  std::vector<engine::ParamOverride> faster_crime;
  for (const auto& iso3 : triangle) faster_crime.push_back({"crime_growth_rate", iso3, 2.5});
  Outcome violent = run({}, faster_crime);
  // More hardship: a world recession, three years of 3 points less growth a year.
  engine::RunInputs recession;
  recession.scenario[{"global_growth_shock", ""}] = constant_series(2025, 2027, -0.03);
  Outcome hard = run(recession);
  for (const auto& iso3 : triangle) {
    double more_violence = share_below(
        [&](auto m) { return baseline.at("migration_us", iso3, 2030, m); },
        [&](auto m) { return violent.at("migration_us", iso3, 2030, m); });
    double more_hardship = share_below(
        [&](auto m) { return baseline.at("migration_us", iso3, 2030, m); },
        [&](auto m) { return hard.at("migration_us", iso3, 2030, m); });
    double base = 0, v = 0, h = 0, homicide_base = 0, homicide_violent = 0;
    for (std::uint64_t m = 0; m < kMembers; ++m) {
      base += baseline.at("migration_us", iso3, 2030, m) / kMembers;
      v += violent.at("migration_us", iso3, 2030, m) / kMembers;
      h += hard.at("migration_us", iso3, 2030, m) / kMembers;
      homicide_base += baseline.at("homicide_rate", iso3, 2030, m) / kMembers;
      homicide_violent += violent.at("homicide_rate", iso3, 2030, m) / kMembers;
    }
    std::printf("%s 2030 migration toward the U.S.: %.0f a year; %.0f with more violence "
                "(homicide %.1f -> %.1f), higher in %.1f%% of draws; %.0f with a recession, "
                "higher in %.1f%% of draws\n",
                iso3.c_str(), base, v, homicide_base, homicide_violent, 100 * more_violence, h,
                100 * more_hardship);
    EXPECT_GT(more_violence, 0.9) << iso3;
    EXPECT_GT(more_hardship, 0.9) << iso3;
  }
}

TEST(HemisphereModel, NoUSEngagementAndAChinaSurgeRaiseChinasFootholds) {
  ASSERT_TRUE(hemisphere().ok());
  Outcome baseline = run(status_quo());
  engine::RunInputs surge;  // no allocation at all: U.S. assistance stops
  surge.scenario[{"china_posture", ""}] = constant_series(kStart, 2040, 1);
  Outcome withdrawn = run(surge);
  double share = share_below([&](auto m) { return baseline.at("regional_footholds", "", 2040, m); },
                             [&](auto m) { return withdrawn.at("regional_footholds", "", 2040, m); });
  double b = 0, w = 0;
  for (std::uint64_t m = 0; m < kMembers; ++m) {
    b += baseline.at("regional_footholds", "", 2040, m) / kMembers;
    w += withdrawn.at("regional_footholds", "", 2040, m) / kMembers;
  }
  std::printf("China's footholds 2040 (regional mean, 0-1): %.3f under today's U.S. "
              "assistance and posture, %.3f with no U.S. assistance and a China surge "
              "(2024: %.3f); higher in %.1f%% of draws\n",
              b, w, baseline.at("regional_footholds", "", 2024, 0), 100 * share);
  EXPECT_GT(share, 0.9);
  EXPECT_EQ(baseline.report.diagnostic_count, 0u);
  EXPECT_EQ(withdrawn.report.diagnostic_count, 0u);
}

TEST(HemisphereModel, TheLatinWinIndexIsZeroAtTheStartAndFallsWithoutEngagement) {
  ASSERT_TRUE(hemisphere().ok());
  Outcome baseline = run(status_quo());
  Outcome none = run({});
  double share = share_below([&](auto m) { return none.at("latin_win_index", "", 2040, m); },
                             [&](auto m) { return baseline.at("latin_win_index", "", 2040, m); });
  double b = 0, n = 0;
  for (std::uint64_t m = 0; m < kMembers; ++m) {
    EXPECT_NEAR(baseline.at("latin_win_index", "", 2024, m), 0, 1e-12);
    b += baseline.at("latin_win_index", "", 2040, m) / kMembers;
    n += none.at("latin_win_index", "", 2040, m) / kMembers;
  }
  std::printf("Latin Win Index 2040: %.4f under today's assistance, %.4f with none; lower "
              "without in %.1f%% of draws\n",
              b, n, 100 * share);
  EXPECT_GT(share, 0.9);
}

}  // namespace
}  // namespace latwin::model

namespace latwin::model {
namespace {

// country_index splits the index exactly between the countries (log-mean Divisia), in every
// member and year, under today's policy and without it.
TEST(HemisphereModel, CountryContributionsAddUpToTheIndex) {
  for (bool engaged : {true, false}) {
    Outcome out = run(engaged ? status_quo() : engine::RunInputs{}, {},
                      {"latin_win_index", "country_index"});
    const auto countries = project_data().panel().countries().where("kind", "lac");
    double worst = 0;
    for (std::uint64_t m = 0; m < 200; ++m) {
      for (int year : {2024, 2025, 2030, 2040}) {
        double sum = 0;
        for (const auto& iso3 : countries) sum += out.at("country_index", iso3, year, m);
        worst = std::max(worst, std::fabs(sum - out.at("latin_win_index", "", year, m)));
      }
    }
    std::printf("%s: largest |sum of country_index - latin_win_index| = %.3g\n",
                engaged ? "status quo" : "no engagement", worst);
    EXPECT_LT(worst, 1e-12);
  }
}

// A scenario's transition_year[VEN] opens Venezuela in that year in every member: democracy
// jumps in 2026, and not before.
TEST(HemisphereModel, AScheduledTransitionOpensVenezuelaInItsYear) {
  engine::RunInputs inputs = status_quo();
  inputs.scenario[{"transition_year", "VEN"}] = constant_series(kStart, 2041, 2026);
  Outcome with = run(inputs, {}, {"democracy"});
  Outcome without = run(status_quo(), {}, {"democracy"});
  double gain = 0;
  std::uint64_t opened = 0;
  for (std::uint64_t m = 0; m < kMembers; ++m) {
    double before = with.at("democracy", "VEN", 2026, m);
    double after = with.at("democracy", "VEN", 2027, m);
    EXPECT_EQ(before, without.at("democracy", "VEN", 2026, m));
    gain += after - without.at("democracy", "VEN", 2027, m);
    opened += after > without.at("democracy", "VEN", 2027, m) + 0.05 ? 1 : 0;
  }
  std::printf("VEN democracy in 2027: +%.3f on average over no transition; opened in %llu of %llu members\n",
              gain / kMembers, static_cast<unsigned long long>(opened),
              static_cast<unsigned long long>(kMembers));
  EXPECT_GT(opened, kMembers * 95 / 100);
}

}  // namespace
}  // namespace latwin::model
