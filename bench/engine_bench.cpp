// Engine throughput in state updates per second (members × elements × equations × steps /
// second) on bench/model/bench.lw, against the same equations written by hand in C++ and
// parallelised the natural way. Before measuring, main() checks that the two agree on one
// member's final state with nominal parameters, so the reference computes the same thing.
#include <benchmark/benchmark.h>
#include <fmt/format.h>
#include <oneapi/tbb/blocked_range.h>
#include <oneapi/tbb/parallel_for.h>
#include <oneapi/tbb/task_arena.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <memory>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "core/error.hpp"
#include "engine/compile/compiler.hpp"
#include "engine/run/ensemble.hpp"

namespace latwin::bench {
namespace {

// ---------------------------------------------------------------- the model, both ways

constexpr int kCountries = 35;

// The dimension's elements, in the order of bench.lw (checked against the plan).
constexpr std::array<const char*, kCountries> kCountryCodes = {
    "ARG", "ATG", "BHS", "BLZ", "BOL", "BRA", "BRB", "CHL", "COL", "CRI", "CUB", "DMA",
    "DOM", "ECU", "GRD", "GTM", "GUY", "HND", "HTI", "JAM", "KNA", "LCA", "MEX", "NIC",
    "PAN", "PER", "PRY", "SLV", "SUR", "TTO", "URY", "VCT", "VEN", "USA", "CHN"};

// The land borders of bench.lw, one direction each.
constexpr std::array<std::pair<const char*, const char*>, 35> kBorders = {{
    {"MEX", "USA"}, {"MEX", "GTM"}, {"MEX", "BLZ"}, {"GTM", "BLZ"}, {"GTM", "SLV"}, {"GTM", "HND"},
    {"SLV", "HND"}, {"HND", "NIC"}, {"NIC", "CRI"}, {"CRI", "PAN"}, {"PAN", "COL"}, {"COL", "VEN"},
    {"COL", "ECU"}, {"COL", "PER"}, {"COL", "BRA"}, {"VEN", "BRA"}, {"VEN", "GUY"}, {"GUY", "BRA"},
    {"GUY", "SUR"}, {"SUR", "BRA"}, {"ECU", "PER"}, {"PER", "BRA"}, {"PER", "BOL"}, {"PER", "CHL"},
    {"BOL", "BRA"}, {"BOL", "CHL"}, {"BOL", "ARG"}, {"BOL", "PRY"}, {"CHL", "ARG"}, {"ARG", "PRY"},
    {"ARG", "BRA"}, {"ARG", "URY"}, {"URY", "BRA"}, {"PRY", "BRA"}, {"HTI", "DOM"},
}};

int country_index(const std::string& code) {
  for (int c = 0; c < kCountries; ++c) {
    if (code == kCountryCodes[c]) return c;
  }
  throw Error(fmt::format("bench: unknown country '{}'", code));
}

using PerCountry = std::array<double, kCountries>;

// A value for every country, then "at A B C = v" overrides as in the model file.
PerCountry per_country(double value, const std::vector<std::pair<std::string, double>>& at) {
  PerCountry out;
  out.fill(value);
  for (const auto& [codes, override_value] : at) {
    std::istringstream words(codes);
    std::string code;
    while (words >> code) out[country_index(code)] = override_value;
  }
  return out;
}

// The nominal parameter values of bench.lw.
struct ReferenceParams {
  PerCountry birth_rate =
      per_country(0.016, {{"HTI GTM HND BOL NIC", 0.024}, {"USA CHN URY CUB BRB", 0.011}});
  double death_rate = 0.007;
  PerCountry base_growth = per_country(0.025, {{"CHN", 0.04}, {"USA", 0.018}, {"VEN HTI", 0.005}});
  double convergence_rate = 0.02;
  double crime_drag_strength = 1.2;
  double crime_growth = 0.35;
  double crime_decay = 0.25;
  double spillover_weight = 0.15;
  double governance_time = 6;
  double trust_time = 10;
  double trust_erosion = 0.03;
  double migration_sensitivity = 0.4;
  double pressure_release_rate = 0.2;
  double emigration_max = 0.01;
  double destination_share = 0.3;
  double perception_time = 3;
  double alignment_time = 8;
  PerCountry china_pull = per_country(0.3, {{"USA", 0}, {"CHN", 1}});
  double china_investment_growth = 0.02;
  double capacity_investment = 0.3;
  double capacity_depreciation = 0.08;
  double debt_sensitivity = 0.05;
  PerCountry base_deficit = per_country(0.02, {{"ARG VEN", 0.05}});
  double enforcement_level = 0.6;
  PerCountry initial_population = per_country(5000000, {{"BRA", 212000000},
                                                        {"MEX", 130000000},
                                                        {"COL", 52000000},
                                                        {"ARG", 46000000},
                                                        {"PER", 34000000},
                                                        {"VEN", 28000000},
                                                        {"CHL", 20000000},
                                                        {"ECU", 18000000},
                                                        {"GTM", 18000000},
                                                        {"USA", 335000000},
                                                        {"CHN", 1410000000},
                                                        {"ATG DMA GRD KNA LCA VCT", 100000}});
  PerCountry initial_gdp_pc = per_country(9000, {{"USA", 85000},
                                                 {"CHN", 12600},
                                                 {"HTI", 1700},
                                                 {"HND NIC", 2800},
                                                 {"BHS", 35000},
                                                 {"URY CHL PAN", 17000},
                                                 {"VEN", 3500},
                                                 {"BRA MEX ARG", 11000}});
  PerCountry initial_crime =
      per_country(0.3, {{"HND SLV VEN JAM HTI MEX COL ECU", 0.6}, {"CHL URY CRI USA CHN", 0.15}});
  PerCountry initial_governance =
      per_country(0.5, {{"HTI VEN NIC", 0.2}, {"CHL URY CRI USA", 0.75}});
  PerCountry initial_alignment = per_country(0.2, {{"USA", 1}, {"CHN", -1}});
  PerCountry initial_debt_ratio = per_country(0.5, {{"ARG", 0.85}, {"VEN", 1.2}});
};

// Neighbours of each country in increasing index order (the order wsum adds them in).
struct Neighbours {
  std::array<int, kCountries + 1> start{};
  std::vector<int> list;
};

Neighbours make_neighbours() {
  std::array<std::vector<int>, kCountries> lists;
  for (const auto& [from, to] : kBorders) {
    lists[country_index(from)].push_back(country_index(to));
    lists[country_index(to)].push_back(country_index(from));
  }
  Neighbours out;
  for (int c = 0; c < kCountries; ++c) {
    std::sort(lists[c].begin(), lists[c].end());
    out.start[c] = static_cast<int>(out.list.size());
    out.list.insert(out.list.end(), lists[c].begin(), lists[c].end());
  }
  out.start[kCountries] = static_cast<int>(out.list.size());
  return out;
}

// ---------------------------------------------------------------- the engine

std::shared_ptr<const engine::Plan> bench_plan() {
  static const std::shared_ptr<const engine::Plan> plan = [] {
    auto result = engine::compile_files({LATWIN_BENCH_MODEL}, nullptr);
    if (!result.ok()) throw Error("bench.lw does not compile:\n" + result.messages());
    return result.plan;
  }();
  return plan;
}

std::uint64_t step_count(const engine::Plan& plan) {
  const auto& s = plan.settings;
  return static_cast<std::uint64_t>(std::llround((s.stop - s.start) / s.dt));
}

// State updates of one member over the whole run: elements × equations × steps.
double updates_per_member(const engine::Plan& plan) {
  return static_cast<double>(kCountries) * static_cast<double>(plan.equation_count()) *
         static_cast<double>(step_count(plan));
}

// Receives every batch and keeps nothing: output cost is excluded, the save path still runs.
class DiscardSink : public engine::RunSink {
 public:
  void begin(const engine::Plan&, const engine::RunLayout&) override {}
  void batch(const engine::BatchResult& result) override {
    benchmark::DoNotOptimize(result.values.data());
  }
};

engine::RunSpec bench_spec(std::uint64_t members, int threads, int batch_width) {
  engine::RunSpec spec;
  spec.members = members;
  spec.threads = threads;
  spec.batch_width = batch_width;
  spec.save = {"crime"};
  return spec;
}

// ---------------------------------------------------------------- the reference

// clang-format off
enum class Stock : int {  // kPerceivedIncome is smooth()'s stock
  kPopulation, kGdpPc, kCrime, kGovernance, kTrust, kMigrationPressure, kAlignment,
  kSecurityCapacity, kDebtRatio, kPerceivedIncome, kStockCount
};

// Every per-country auxiliary and flow, kept for the step as a model run must (any may be saved).
enum class Aux : int {
  kGdp, kGdpShare, kIncomeIndex, kPoverty, kCrimeDrag, kConvergence, kDebtDrag, kTradeOpenness,
  kGrowthRate, kFiscalSpace, kDeterrence, kViolence, kHomicideRate, kNeighbourCrime,
  kCrimeSpillover, kCrimePressure, kSecuritySpending, kGovernanceTarget, kCorruption,
  kInstability, kPolicySupport, kRiskScore, kIncomeGap, kPushFactor, kBorderEnforcement,
  kPopulationGrowth, kChinaInvestment, kUsPull, kAlignmentTarget, kAlignmentGap, kWellbeing,
  kBirths, kImmigration, kDeaths, kEmigration, kGdpPcGrowth, kCrimeRise, kCrimeDecline,
  kGovernanceChange, kTrustChange, kPressureBuild, kPressureRelease, kAlignmentShift,
  kCapacityBuild, kCapacityDecay, kDeficit, kDebtErosion, kSmoothChange, kAuxCount
};
// clang-format on

// Same meaning as the engine's min/max/clamp on finite values.
inline double min2(double a, double b) {
  return b < a ? b : a;
}
inline double max2(double a, double b) {
  return b > a ? b : a;
}
inline double clamp3(double x, double low, double high) {
  return min2(max2(x, low), high);
}
inline double logistic(double x) {
  return 1.0 / (1.0 + std::exp(-x));
}

// deterrence_effect of bench.lw: linear between the points, flat outside.
inline double deterrence_effect(double x) {
  static constexpr double kX[] = {0, 0.2, 0.4, 0.6, 0.8, 1};
  static constexpr double kY[] = {1, 0.85, 0.65, 0.5, 0.42, 0.38};
  if (x <= kX[0]) return kY[0];
  if (x >= kX[5]) return kY[5];
  int upper = 1;
  while (!(x < kX[upper])) ++upper;
  int lower = upper - 1;
  double fraction = (x - kX[lower]) / (kX[upper] - kX[lower]);
  return kY[lower] + fraction * (kY[upper] - kY[lower]);
}

struct Schedule {
  double start = 2025, dt = 0.25;
  std::uint64_t steps = 80;
  std::uint64_t save_stride = 4;  // save_every 1 year
};

// A block of members simulated together, structure-of-arrays: value[variable][country][lane].
class ReferenceBlock {
 public:
  ReferenceBlock(const ReferenceParams& params, const Neighbours& neighbours)
      : p_(params), nb_(neighbours) {}

  // Runs `lanes` members from the start to the end; saves crime every save_stride steps into
  // saved[(country × saves + save) × lanes + lane].
  void run(std::uint32_t lanes, const Schedule& sched, std::vector<double>& saved) {
    lanes_ = lanes;
    for (auto* scalar :
         {&regional_gdp_, &regional_crime_, &regional_alignment_, &latin_win_index_}) {
      scalar->assign(lanes, 0.0);
    }
    stocks_.assign(static_cast<std::size_t>(Stock::kStockCount) * kCountries * lanes, 0.0);
    aux_.assign(static_cast<std::size_t>(Aux::kAuxCount) * kCountries * lanes, 0.0);
    std::size_t saves = sched.steps / sched.save_stride + 1;
    saved.assign(static_cast<std::size_t>(kCountries) * saves * lanes, 0.0);

    initialise();
    std::size_t next_save = 0;
    for (std::uint64_t k = 0;; ++k) {
      double time = sched.start + static_cast<double>(k) * sched.dt;
      if (k % sched.save_stride == 0) save(saved, saves, next_save++);
      if (k == sched.steps) break;
      auxiliaries(time);
      euler(sched.dt);
    }
  }

  double stock_value(Stock s, int country, std::uint32_t lane) const {
    return stocks_[(static_cast<std::size_t>(s) * kCountries + country) * lanes_ + lane];
  }

 private:
  using enum Stock;
  using enum Aux;

  // The block's lanes of one variable in one country.
  double* stock(Stock s, int c) {
    return stocks_.data() + (static_cast<std::size_t>(s) * kCountries + c) * lanes_;
  }
  double* aux(Aux a, int c) {
    return aux_.data() + (static_cast<std::size_t>(a) * kCountries + c) * lanes_;
  }

  void initialise() {
    for (int c = 0; c < kCountries; ++c) {
      double income_index = std::log(p_.initial_gdp_pc[c] / 10000.0);
      for (std::uint32_t m = 0; m < lanes_; ++m) {
        stock(kPopulation, c)[m] = p_.initial_population[c];
        stock(kGdpPc, c)[m] = p_.initial_gdp_pc[c];
        stock(kCrime, c)[m] = p_.initial_crime[c];
        stock(kGovernance, c)[m] = p_.initial_governance[c];
        stock(kTrust, c)[m] = 0.8 * p_.initial_governance[c];
        stock(kMigrationPressure, c)[m] = 0.2;
        stock(kAlignment, c)[m] = p_.initial_alignment[c];
        stock(kSecurityCapacity, c)[m] = 0.4;
        stock(kDebtRatio, c)[m] = p_.initial_debt_ratio[c];
        stock(kPerceivedIncome, c)[m] = income_index;
      }
    }
  }

  void save(std::vector<double>& saved, std::size_t saves, std::size_t save_idx) {
    for (int c = 0; c < kCountries; ++c) {
      const double* crime = stock(kCrime, c);
      std::copy(crime, crime + lanes_, saved.data() + (c * saves + save_idx) * lanes_);
    }
  }

  // Every auxiliary and flow at `time`, from the stocks.
  void auxiliaries(double time) {
    const std::uint32_t n = lanes_;
    // Terms that depend on time only.
    const double pulse = time >= 2032 && time < 2034 ? 1.0 : 0.0;
    const double step = time >= 2030 ? 0.5 : 0.0;
    const double ramp = p_.china_investment_growth * (min2(max2(time, 2025), 2040) - 2025);
    const double* perceived_usa = stock(kPerceivedIncome, country_index_usa_);

    // Country by country: everything that needs no sum over countries.
    for (int c = 0; c < kCountries; ++c) {
      const double* population = stock(kPopulation, c);
      const double* gdp_pc = stock(kGdpPc, c);
      const double* crime = stock(kCrime, c);
      const double* governance = stock(kGovernance, c);
      const double* trust = stock(kTrust, c);
      const double* pressure = stock(kMigrationPressure, c);
      const double* capacity = stock(kSecurityCapacity, c);
      const double* debt = stock(kDebtRatio, c);
      const double* perceived = stock(kPerceivedIncome, c);
      const int* nb_begin = nb_.list.data() + nb_.start[c];
      const int* nb_end = nb_.list.data() + nb_.start[c + 1];
      for (std::uint32_t m = 0; m < n; ++m) {
        double gdp = gdp_pc[m] * population[m];
        double income_index = std::log(gdp_pc[m] / 10000.0);
        double poverty = clamp3(0.6 - 0.35 * income_index, 0, 1);
        double crime_drag = std::exp(-p_.crime_drag_strength * crime[m]);
        double convergence = p_.convergence_rate * max2(0, 1 - gdp_pc[m] / 70000.0);
        double debt_drag = p_.debt_sensitivity * clamp3(debt[m] - 0.6, 0, 1);
        double fiscal_space = clamp3(1.2 - debt[m], 0.1, 1);
        double deterrence = deterrence_effect(capacity[m]);
        double violence = crime[m] * (1 - deterrence);
        double homicide_rate = 60 * std::pow(violence, 2.0);
        double neighbour_crime = 0;
        if (nb_begin != nb_end) {
          neighbour_crime = stock(kCrime, *nb_begin)[m];
          for (const int* j = nb_begin + 1; j != nb_end; ++j) {
            neighbour_crime = stock(kCrime, *j)[m] + neighbour_crime;
          }
        }
        double crime_spillover = p_.spillover_weight * (1 - std::exp(-neighbour_crime));
        double crime_pressure = logistic(4 * (poverty - 0.5) + 2 * (0.5 - governance[m]));
        double security_spending = min2(0.05, 0.02 + 0.03 * crime[m]) * fiscal_space / 0.05;
        double governance_target =
            clamp3(0.25 + 0.5 * trust[m] - 0.3 * crime[m] + 0.08 * income_index, 0.05, 0.95);
        double corruption = 1 - std::pow(governance[m], 1.5);
        double instability =
            violence > 0.3 || governance[m] < 0.3 ? 1 - governance[m] : 0.5 * violence;
        double policy_support = 0.1 * pulse + std::sqrt(trust[m]);
        double risk_score = std::pow(violence, 0.7) + 0.2 * instability;
        double income_gap = max2(0, perceived_usa[m] - perceived[m]);
        double push_factor =
            0.4 * crime[m] + 0.3 * (1 - governance[m]) + 0.3 * logistic(income_gap - 1);
        double border_enforcement = p_.enforcement_level * (0.5 + step);
        double china_investment = p_.china_pull[c] * (1 + ramp);
        double wellbeing = logistic(income_index) * (1 - violence) * (0.5 + 0.5 * governance[m]);

        aux(kGdp, c)[m] = gdp;
        aux(kIncomeIndex, c)[m] = income_index;
        aux(kPoverty, c)[m] = poverty;
        aux(kCrimeDrag, c)[m] = crime_drag;
        aux(kConvergence, c)[m] = convergence;
        aux(kDebtDrag, c)[m] = debt_drag;
        aux(kFiscalSpace, c)[m] = fiscal_space;
        aux(kDeterrence, c)[m] = deterrence;
        aux(kViolence, c)[m] = violence;
        aux(kHomicideRate, c)[m] = homicide_rate;
        aux(kNeighbourCrime, c)[m] = neighbour_crime;
        aux(kCrimeSpillover, c)[m] = crime_spillover;
        aux(kCrimePressure, c)[m] = crime_pressure;
        aux(kSecuritySpending, c)[m] = security_spending;
        aux(kGovernanceTarget, c)[m] = governance_target;
        aux(kCorruption, c)[m] = corruption;
        aux(kInstability, c)[m] = instability;
        aux(kPolicySupport, c)[m] = policy_support;
        aux(kRiskScore, c)[m] = risk_score;
        aux(kIncomeGap, c)[m] = income_gap;
        aux(kPushFactor, c)[m] = push_factor;
        aux(kBorderEnforcement, c)[m] = border_enforcement;
        aux(kChinaInvestment, c)[m] = china_investment;
        aux(kWellbeing, c)[m] = wellbeing;

        // Flows.
        aux(kBirths, c)[m] = p_.birth_rate[c] * population[m] * (1 - 0.2 * crime[m]);
        aux(kDeaths, c)[m] = p_.death_rate * population[m] * (1 + 0.5 * violence);
        aux(kEmigration, c)[m] =
            p_.emigration_max * pressure[m] * population[m] * (1 - 0.5 * border_enforcement);
        aux(kCrimeRise, c)[m] =
            p_.crime_growth * crime[m] * (1 - crime[m]) * (crime_pressure + crime_spillover);
        aux(kCrimeDecline, c)[m] = p_.crime_decay * crime[m] * deterrence * governance[m];
        aux(kGovernanceChange, c)[m] = (governance_target - governance[m]) / p_.governance_time;
        aux(kTrustChange, c)[m] =
            (governance[m] - trust[m]) / p_.trust_time - p_.trust_erosion * crime[m] * trust[m];
        aux(kPressureBuild, c)[m] = p_.migration_sensitivity * push_factor * (1 - pressure[m]);
        aux(kPressureRelease, c)[m] = p_.pressure_release_rate * pressure[m];
        aux(kCapacityBuild, c)[m] = p_.capacity_investment * security_spending * (1 - capacity[m]);
        aux(kCapacityDecay, c)[m] = p_.capacity_depreciation * capacity[m];
        aux(kDeficit, c)[m] = p_.base_deficit[c] * (1 + crime[m]);
        aux(kSmoothChange, c)[m] = (income_index - perceived[m]) / p_.perception_time;
      }
    }

    // Sums over countries.
    for (std::uint32_t m = 0; m < n; ++m) {
      double gdp = aux(kGdp, 0)[m];
      double crime = stock(kCrime, 0)[m];
      for (int c = 1; c < kCountries; ++c) {
        gdp = gdp + aux(kGdp, c)[m];
        crime = crime + stock(kCrime, c)[m];
      }
      regional_gdp_[m] = gdp;
      regional_crime_[m] = crime / kCountries;
    }

    // Country by country: what needs the regional GDP or the neighbours' emigration.
    for (int c = 0; c < kCountries; ++c) {
      const double* population = stock(kPopulation, c);
      const double* gdp_pc = stock(kGdpPc, c);
      const double* governance = stock(kGovernance, c);
      const double* alignment = stock(kAlignment, c);
      const double* debt = stock(kDebtRatio, c);
      const int* nb_begin = nb_.list.data() + nb_.start[c];
      const int* nb_end = nb_.list.data() + nb_.start[c + 1];
      for (std::uint32_t m = 0; m < n; ++m) {
        double gdp_share = aux(kGdp, c)[m] / regional_gdp_[m];
        double trade_openness = clamp3(0.4 + 0.3 * std::fabs(alignment[m]) + 0.2 * gdp_share, 0, 1);
        double growth_rate = p_.base_growth[c] * aux(kCrimeDrag, c)[m] * (0.5 + governance[m]) *
                                 (0.8 + 0.4 * trade_openness) +
                             aux(kConvergence, c)[m] - aux(kDebtDrag, c)[m];
        double us_pull =
            0.5 * trade_openness + 0.3 * governance[m] + 0.2 * (1 - aux(kCorruption, c)[m]);
        double alignment_target = clamp3(us_pull - aux(kChinaInvestment, c)[m], -1, 1);
        double neighbour_emigration = 0;
        if (nb_begin != nb_end) {
          neighbour_emigration = aux(kEmigration, *nb_begin)[m];
          for (const int* j = nb_begin + 1; j != nb_end; ++j) {
            neighbour_emigration = aux(kEmigration, *j)[m] + neighbour_emigration;
          }
        }
        double immigration = p_.destination_share * neighbour_emigration;
        double population_growth =
            (aux(kBirths, c)[m] + immigration - aux(kDeaths, c)[m] - aux(kEmigration, c)[m]) /
            population[m];

        aux(kGdpShare, c)[m] = gdp_share;
        aux(kTradeOpenness, c)[m] = trade_openness;
        aux(kGrowthRate, c)[m] = growth_rate;
        aux(kUsPull, c)[m] = us_pull;
        aux(kAlignmentTarget, c)[m] = alignment_target;
        aux(kImmigration, c)[m] = immigration;
        aux(kPopulationGrowth, c)[m] = population_growth;
        aux(kGdpPcGrowth, c)[m] = gdp_pc[m] * growth_rate;
        aux(kDebtErosion, c)[m] = growth_rate * debt[m];
        aux(kAlignmentShift, c)[m] = (alignment_target - alignment[m]) / p_.alignment_time;
      }
    }

    // The GDP-weighted alignment and the index, then each country's distance to it.
    for (std::uint32_t m = 0; m < n; ++m) {
      double alignment = stock(kAlignment, 0)[m] * aux(kGdpShare, 0)[m];
      double wellbeing = aux(kWellbeing, 0)[m];
      for (int c = 1; c < kCountries; ++c) {
        alignment = alignment + stock(kAlignment, c)[m] * aux(kGdpShare, c)[m];
        wellbeing = wellbeing + aux(kWellbeing, c)[m];
      }
      regional_alignment_[m] = alignment;
      latin_win_index_[m] = wellbeing / kCountries;
    }
    for (int c = 0; c < kCountries; ++c) {
      const double* alignment = stock(kAlignment, c);
      double* gap = aux(kAlignmentGap, c);
      for (std::uint32_t m = 0; m < n; ++m)
        gap[m] = std::fabs(alignment[m] - regional_alignment_[m]);
    }
  }

  // stock += dt × (inflows − outflows), in the order the model lists them.
  void euler(double dt) {
    for (int c = 0; c < kCountries; ++c) {
      for (std::uint32_t m = 0; m < lanes_; ++m) {
        stock(kPopulation, c)[m] += dt * (aux(kBirths, c)[m] + aux(kImmigration, c)[m] -
                                          aux(kDeaths, c)[m] - aux(kEmigration, c)[m]);
        stock(kGdpPc, c)[m] += dt * aux(kGdpPcGrowth, c)[m];
        stock(kCrime, c)[m] += dt * (aux(kCrimeRise, c)[m] - aux(kCrimeDecline, c)[m]);
        stock(kGovernance, c)[m] += dt * aux(kGovernanceChange, c)[m];
        stock(kTrust, c)[m] += dt * aux(kTrustChange, c)[m];
        stock(kMigrationPressure, c)[m] +=
            dt * (aux(kPressureBuild, c)[m] - aux(kPressureRelease, c)[m]);
        stock(kAlignment, c)[m] += dt * aux(kAlignmentShift, c)[m];
        stock(kSecurityCapacity, c)[m] +=
            dt * (aux(kCapacityBuild, c)[m] - aux(kCapacityDecay, c)[m]);
        stock(kDebtRatio, c)[m] += dt * (aux(kDeficit, c)[m] - aux(kDebtErosion, c)[m]);
        stock(kPerceivedIncome, c)[m] += dt * aux(kSmoothChange, c)[m];
      }
    }
  }

  const ReferenceParams& p_;
  const Neighbours& nb_;
  const int country_index_usa_ = country_index("USA");
  std::uint32_t lanes_ = 0;
  std::vector<double> stocks_, aux_;
  std::vector<double> regional_gdp_, regional_crime_, regional_alignment_, latin_win_index_;
};

// Members per reference block. BM_ReferenceBlock on the machine of RESULTS.md: blocks of
// 4 to 64 are within noise of each other, 1 is clearly slower.
constexpr std::uint32_t kReferenceBlock = 8;

// Runs `members` members in blocks of kReferenceBlock on `threads` threads.
void run_reference(std::uint64_t members, int threads, std::uint32_t block_lanes) {
  static const ReferenceParams params;
  static const Neighbours neighbours = make_neighbours();
  const Schedule sched;
  const std::uint64_t blocks = (members + block_lanes - 1) / block_lanes;
  tbb::task_arena arena(threads);
  arena.execute([&] {
    tbb::parallel_for(tbb::blocked_range<std::uint64_t>(0, blocks),
                      [&](const tbb::blocked_range<std::uint64_t>& range) {
                        ReferenceBlock block(params, neighbours);
                        std::vector<double> saved;
                        for (std::uint64_t b = range.begin(); b != range.end(); ++b) {
                          auto lanes = static_cast<std::uint32_t>(
                              std::min<std::uint64_t>(block_lanes, members - b * block_lanes));
                          block.run(lanes, sched, saved);
                          benchmark::DoNotOptimize(saved.data());
                        }
                      });
  });
}

// ---------------------------------------------------------------- the agreement check

// Checks the plan against the hand translation's assumptions, then one member's final
// stocks against the reference, with nominal parameters. Returns false and prints why when
// they differ by more than 1e-9 relative.
bool engine_matches_reference() {
  auto plan = bench_plan();
  auto dim = plan->find_dimension("country");
  if (!dim || plan->dimensions[*dim].elements.size() != kCountries) {
    std::fprintf(stderr, "bench: bench.lw must have the 35-element dimension 'country'\n");
    return false;
  }
  for (int c = 0; c < kCountries; ++c) {
    if (plan->dimensions[*dim].elements[c] != kCountryCodes[c]) {
      std::fprintf(stderr, "bench: element %d of 'country' is %s, the reference has %s\n", c,
                   plan->dimensions[*dim].elements[c].c_str(), kCountryCodes[c]);
      return false;
    }
  }
  // The border matrix of the model against the reference's border list.
  const auto& border = plan->variables[*plan->find_variable("border")].const_values;
  std::vector<double> expected(kCountries * kCountries, 0.0);
  for (const auto& [from, to] : kBorders) {
    expected[country_index(from) * kCountries + country_index(to)] = 1;
    expected[country_index(to) * kCountries + country_index(from)] = 1;
  }
  if (border != expected) {
    std::fprintf(stderr, "bench: the border matrix of bench.lw differs from kBorders\n");
    return false;
  }
  Schedule sched;
  if (plan->settings.start != sched.start || plan->settings.dt != sched.dt ||
      step_count(*plan) != sched.steps || plan->settings.method != lang::Method::kEuler) {
    std::fprintf(stderr, "bench: the simulation settings of bench.lw differ from Schedule\n");
    return false;
  }

  // Engine, one member with nominal parameters.
  engine::RunSpec spec;
  spec.members = 1;
  spec.sample_parameters = false;
  using enum Stock;
  const std::vector<std::pair<std::string, Stock>> checked = {
      {"population", kPopulation}, {"gdp_pc", kGdpPc},
      {"crime", kCrime},           {"governance", kGovernance},
      {"trust", kTrust},           {"migration_pressure", kMigrationPressure},
      {"alignment", kAlignment},   {"security_capacity", kSecurityCapacity},
      {"debt_ratio", kDebtRatio},  {"perceived_income", kPerceivedIncome}};
  for (const auto& [name, s] : checked) spec.save.push_back(name);
  engine::TrajectoryCollector collected;
  engine::run_ensemble(plan, spec, {&collected});
  const std::size_t last = collected.layout().save_times.size() - 1;

  // Reference, one member.
  ReferenceParams params;
  Neighbours neighbours = make_neighbours();
  ReferenceBlock block(params, neighbours);
  std::vector<double> saved;
  block.run(1, sched, saved);

  double worst = 0;
  std::string worst_at;
  for (const auto& [name, s] : checked) {
    for (int c = 0; c < kCountries; ++c) {
      double engine_value = collected.value(name, kCountryCodes[c], last, 0);
      double reference_value = block.stock_value(s, c, 0);
      double scale = std::max(std::fabs(engine_value), std::fabs(reference_value));
      double rel = scale == 0 ? 0 : std::fabs(engine_value - reference_value) / scale;
      if (!(rel <= worst)) {
        worst = std::isnan(rel) ? INFINITY : rel;
        worst_at = fmt::format("{}[{}]: engine {} reference {}", name, kCountryCodes[c],
                               engine_value, reference_value);
      }
    }
  }
  std::fprintf(stderr, "bench: engine vs reference at %g: largest relative difference %.3g%s\n",
               collected.layout().save_times[last], worst,
               worst_at.empty() ? " (all bitwise equal)" : (" at " + worst_at).c_str());
  return worst <= 1e-9;
}

// ---------------------------------------------------------------- benchmarks

void report(benchmark::State& state, std::uint64_t members) {
  double updates = static_cast<double>(members) * updates_per_member(*bench_plan());
  state.counters["updates_per_s"] = benchmark::Counter(
      updates * static_cast<double>(state.iterations()), benchmark::Counter::kIsRate);
}

// Args: members, threads.
void BM_Engine(benchmark::State& state) {
  auto plan = bench_plan();
  const auto members = static_cast<std::uint64_t>(state.range(0));
  const auto spec =
      bench_spec(members, static_cast<int>(state.range(1)), engine::kDefaultBatchWidth);
  DiscardSink sink;
  for (auto _ : state) engine::run_ensemble(plan, spec, {&sink});
  report(state, members);
}

// Args: members, batch width; one thread.
void BM_EngineBatchWidth(benchmark::State& state) {
  auto plan = bench_plan();
  const auto members = static_cast<std::uint64_t>(state.range(0));
  const auto spec = bench_spec(members, 1, static_cast<int>(state.range(1)));
  DiscardSink sink;
  for (auto _ : state) engine::run_ensemble(plan, spec, {&sink});
  report(state, members);
}

// Args: members, threads.
void BM_Reference(benchmark::State& state) {
  const auto members = static_cast<std::uint64_t>(state.range(0));
  for (auto _ : state) run_reference(members, static_cast<int>(state.range(1)), kReferenceBlock);
  report(state, members);
}

// Args: members, reference block size; one thread (how kReferenceBlock was chosen).
void BM_ReferenceBlock(benchmark::State& state) {
  const auto members = static_cast<std::uint64_t>(state.range(0));
  for (auto _ : state) run_reference(members, 1, static_cast<std::uint32_t>(state.range(1)));
  report(state, members);
}

// The best repetition: on a shared machine the least disturbed one. Applied to a time it
// is the slowest, to updates_per_s the fastest (report the latter).
double best(const std::vector<double>& values) {
  return *std::max_element(values.begin(), values.end());
}

void members_by_threads(benchmark::internal::Benchmark* b) {
  b->ArgNames({"members", "threads"});
  for (std::int64_t members : {1, 64, 1024, 16384}) {
    for (std::int64_t threads : {1, 2}) b->Args({members, threads});
  }
}

// Wall-clock time: the work runs on TBB's threads, not only the benchmark's.
BENCHMARK(BM_Engine)
    ->Apply(members_by_threads)
    ->UseRealTime()
    ->ComputeStatistics("max", best)
    ->Unit(benchmark::kMillisecond);
BENCHMARK(BM_Reference)
    ->Apply(members_by_threads)
    ->UseRealTime()
    ->ComputeStatistics("max", best)
    ->Unit(benchmark::kMillisecond);
BENCHMARK(BM_EngineBatchWidth)
    ->ArgNames({"members", "width"})
    ->ArgsProduct({{1024, 16384}, {8, 16, 32, 64, 128}})
    ->UseRealTime()
    ->ComputeStatistics("max", best)
    ->Unit(benchmark::kMillisecond);
BENCHMARK(BM_ReferenceBlock)
    ->ArgNames({"members", "block"})
    ->ArgsProduct({{1024}, {1, 4, 8, 16, 32, 64}})
    ->UseRealTime()
    ->ComputeStatistics("max", best)
    ->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace latwin::bench

int main(int argc, char** argv) {
  try {
    if (!latwin::bench::engine_matches_reference()) {
      std::fprintf(stderr, "bench: the engine and the hand-written reference disagree\n");
      return latwin::kExitFailure;
    }
  } catch (const std::exception& err) {
    std::fprintf(stderr, "bench: %s\n", err.what());
    return latwin::kExitFailure;
  }
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return latwin::kExitInput;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return latwin::kExitOk;
}
