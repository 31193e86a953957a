#include "analysis/comparison.hpp"

#include <fmt/format.h>

#include <cmath>
#include <stdexcept>

#include "analysis/statistics.hpp"

namespace latwin::analysis {

namespace {

using Json = nlohmann::ordered_json;

// JSON has no NaN: a statistic without finite values is null.
Json number(double value) { return std::isfinite(value) ? Json(value) : Json(nullptr); }

Json stats_json(const Distribution& d, bool with_sd) {
  Json out;
  out["mean"] = number(d.mean);
  if (with_sd) out["sd"] = number(d.sd);
  out["p5"] = number(d.p5);
  out["p25"] = number(d.p25);
  out["p50"] = number(d.p50);
  out["p75"] = number(d.p75);
  out["p95"] = number(d.p95);
  return out;
}

std::string signed_value(double value) {
  if (!std::isfinite(value)) return "n/a";
  return fmt::format("{:+.3f}", value);
}

std::string percent(double p) {
  if (!std::isfinite(p)) return "n/a";
  return fmt::format("{:.0f}%", 100 * p);
}

void check_shapes(const ComparisonSetup& setup, const std::vector<StrategySamples>& strategies) {
  if (strategies.empty()) throw std::invalid_argument("compare_strategies: no strategy");
  const std::size_t outcomes = 1 + setup.components.size();
  const std::size_t members = strategies.front().outcomes.at(0).at(0).size();
  for (const auto& s : strategies) {
    if (s.outcomes.size() != outcomes || s.countries.size() != setup.countries.size()) {
      throw std::invalid_argument("compare_strategies: samples do not match the setup");
    }
    for (const auto& outcome : s.outcomes) {
      if (outcome.size() != setup.years.size()) {
        throw std::invalid_argument("compare_strategies: samples do not cover every year");
      }
      for (const auto& year : outcome) {
        if (year.size() != members) throw std::invalid_argument("compare_strategies: member counts differ");
      }
    }
    for (const auto& country : s.countries) {
      if (country.size() != members) throw std::invalid_argument("compare_strategies: member counts differ");
    }
  }
}

}  // namespace

Comparison compare_strategies(const ComparisonSetup& setup,
                              const std::vector<StrategySamples>& strategies) {
  check_shapes(setup, strategies);
  const std::size_t n = strategies.size();
  const std::size_t last = setup.years.size() - 1;
  std::size_t reference = 0;
  for (std::size_t s = 0; s < n; ++s) {
    if (strategies[s].name == setup.reference) reference = s;
  }

  // The index at the horizon, member by member.
  std::vector<std::vector<double>> final_index(n);
  for (std::size_t s = 0; s < n; ++s) final_index[s] = strategies[s].outcomes[0][last];
  std::vector<double> regret = expected_regret(final_index);
  std::vector<double> best = prob_best(final_index);

  std::vector<OutcomeInfo> outcomes = {setup.index};
  outcomes.insert(outcomes.end(), setup.components.begin(), setup.components.end());

  Comparison result;
  Json& doc = result.document;
  doc = setup.header;
  doc["reference"] = strategies[reference].name;
  doc["years"] = setup.years;
  doc["horizon"] = setup.years[last];
  auto outcome_json = [](const OutcomeInfo& info) {
    return Json{{"variable", info.variable}, {"label", info.label}, {"description", info.description}};
  };
  doc["index"] = outcome_json(setup.index);
  doc["components"] = Json::array();
  for (const auto& c : setup.components) doc["components"].push_back(outcome_json(c));
  doc["country_outcome"] = outcome_json(setup.country_outcome);
  doc["countries"] = Json::array();
  for (const auto& c : setup.countries) {
    doc["countries"].push_back(Json{{"iso3", c.iso3}, {"name", c.name}, {"subregion", c.subregion},
                                    {"latitude", c.latitude}, {"longitude", c.longitude}});
  }

  std::vector<Distribution> index_final(n);
  doc["results"] = Json::array();
  for (std::size_t s = 0; s < n; ++s) {
    const StrategySamples& samples = strategies[s];
    Json r;
    r["strategy"] = samples.name;
    Json trajectories, horizon;
    for (std::size_t o = 0; o < outcomes.size(); ++o) {
      Json series{{"mean", Json::array()}, {"p5", Json::array()}, {"p25", Json::array()},
                  {"p50", Json::array()}, {"p75", Json::array()}, {"p95", Json::array()}};
      for (std::size_t t = 0; t < setup.years.size(); ++t) {
        Distribution d = describe(samples.outcomes[o][t]);
        series["mean"].push_back(number(d.mean));
        series["p5"].push_back(number(d.p5));
        series["p25"].push_back(number(d.p25));
        series["p50"].push_back(number(d.p50));
        series["p75"].push_back(number(d.p75));
        series["p95"].push_back(number(d.p95));
        result.summaries.push_back({samples.name, outcomes[o].variable, "", setup.years[t], d.mean,
                                    d.sd, d.p5, d.p25, d.p50, d.p75, d.p95});
        if (t == last) {
          horizon[outcomes[o].variable] = stats_json(d, true);
          if (o == 0) index_final[s] = d;
        }
      }
      trajectories[outcomes[o].variable] = std::move(series);
    }
    r["trajectories"] = std::move(trajectories);
    r["horizon"] = std::move(horizon);
    r["index_at_horizon"] = Json::array();
    for (double v : final_index[s]) r["index_at_horizon"].push_back(number(v));
    Json countries = Json::object();
    for (std::size_t c = 0; c < setup.countries.size(); ++c) {
      Distribution d = describe(samples.countries[c]);
      countries[setup.countries[c].iso3] =
          Json{{"mean", number(d.mean)}, {"p5", number(d.p5)}, {"p50", number(d.p50)},
               {"p95", number(d.p95)}};
      result.summaries.push_back({samples.name, setup.country_outcome.variable,
                                  setup.countries[c].iso3, setup.years[last], d.mean, d.sd, d.p5,
                                  d.p25, d.p50, d.p75, d.p95});
    }
    r["countries"] = std::move(countries);
    r["prob_beats_reference"] = number(prob_greater(final_index[s], final_index[reference]));
    r["expected_regret"] = number(regret[s]);
    r["prob_best"] = number(best[s]);
    r["non_finite_members"] = index_final[s].non_finite;
    doc["results"].push_back(std::move(r));
  }

  Json beats = Json::array(), dominates = Json::array();
  for (std::size_t a = 0; a < n; ++a) {
    Json beats_row = Json::array(), dominates_row = Json::array();
    for (std::size_t b = 0; b < n; ++b) {
      beats_row.push_back(a == b ? Json(nullptr) : number(prob_greater(final_index[a], final_index[b])));
      dominates_row.push_back(a != b && first_order_dominates(final_index[a], final_index[b]));
    }
    beats.push_back(std::move(beats_row));
    dominates.push_back(std::move(dominates_row));
  }
  doc["pairwise"] = Json{{"prob_beats", std::move(beats)}, {"dominates", std::move(dominates)}};

  // The answer: the strategy with the highest median index, and how sure that is.
  std::size_t winner = 0;
  for (std::size_t s = 1; s < n; ++s) {
    if (std::isfinite(index_final[s].p50) &&
        (!std::isfinite(index_final[winner].p50) || index_final[s].p50 > index_final[winner].p50)) {
      winner = s;
    }
  }
  const Distribution& w = index_final[winner];
  const std::string horizon_year = fmt::format("{:g}", setup.years[last]);
  std::string first = fmt::format(
      "Under the {} scenario, {} gives the highest median {} in {}: {} (90% of members between "
      "{} and {}), against {} for {}.",
      setup.scenario_label, strategies[winner].name, setup.index.label, horizon_year,
      signed_value(w.p50), signed_value(w.p5), signed_value(w.p95),
      signed_value(index_final[reference].p50), strategies[reference].name);
  if (winner == reference) {
    first = fmt::format(
        "Under the {} scenario, the reference strategy {} gives the highest median {} in {}: {} "
        "(90% of members between {} and {}).",
        setup.scenario_label, strategies[winner].name, setup.index.label, horizon_year,
        signed_value(w.p50), signed_value(w.p5), signed_value(w.p95));
  }
  std::string second;
  if (n == 1) {
    second = "With a single strategy there is nothing to compare it with.";
  } else if (winner == reference) {
    second = fmt::format("It is the best strategy in {} of members, with an expected regret of {:.3f}.",
                         percent(best[winner]), regret[winner]);
  } else {
    second = fmt::format(
        "It beats {} in {} of members (same draws, same shocks) and is the best of the {} "
        "strategies in {} of them; its expected regret is {:.3f}.",
        strategies[reference].name, percent(prob_greater(final_index[winner], final_index[reference])),
        n, percent(best[winner]), regret[winner]);
  }
  doc["answer"] = first + " " + second;
  return result;
}

}  // namespace latwin::analysis
