#include "policy/strategy.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <cmath>
#include <set>

#include "core/error.hpp"
#include "engine/lang/source.hpp"
#include "policy/yaml_file.hpp"

namespace latwin::policy {

double Strategy::total_usd_per_year(const ModelInterface& model) const {
  double total = 0;
  for (const auto& [instrument, level] : mean_levels(model)) {
    const Instrument* item = model.instrument(instrument);
    if (item && !item->intensity) total += level;
  }
  return total;
}

std::map<std::string, double> Strategy::mean_levels(const ModelInterface& model) const {
  std::map<std::string, double> levels;
  const int years = horizon - start + 1;
  for (const auto& item : model.instruments) {
    double sum = 0;
    for (const auto& [key, series] : this->levels) {
      if (key.first != item.name) continue;
      for (double value : series.values) sum += value;
    }
    double mean = sum / years;
    if (item.intensity) mean /= std::max<std::size_t>(item.elements.size(), 1);
    levels[item.name] = mean;
  }
  return levels;
}

engine::RunInputs Strategy::inputs() const {
  engine::RunInputs inputs;
  for (const auto& [key, series] : levels) inputs.allocations[key] = series;
  return inputs;
}

namespace {

enum class Amount { kUsd, kShare, kIntensity };
enum class Split { kEach, kEqual, kPopulation };

struct Claim {
  int line = 0;
};

class StrategyReader {
 public:
  StrategyReader(const YamlFile& file, const ModelInterface& model, const Scenario& scenario)
      : file_(file), model_(model), scenario_(scenario) {}

  Strategy read() {
    const YAML::Node& root = file_.root();
    file_.check_keys(root, {"name", "description", "budget", "rules"}, "strategy");
    Strategy s;
    s.path = file_.path();
    s.text = file_.text();
    s.name = file_.text_of(file_.require(root, "name", "strategy"), "name");
    s.description = file_.text_of(file_.require(root, "description", "strategy"), "description");
    s.start = scenario_.start;
    s.horizon = scenario_.horizon;
    if (root["budget"]) {
      s.budget = file_.number(root["budget"], "budget");
      if (*s.budget < 0) file_.fail(root["budget"], "budget: must not be negative");
    }
    YAML::Node rules = file_.require(root, "rules", "strategy");
    if (!rules.IsSequence()) {
      file_.fail(rules, "rules: expected a list of rules (write 'rules: []' for a strategy that "
                        "spends nothing)");
    }
    for (const auto& rule : rules) read_rule(rule, s);
    if (rules.size() == 0) s.summary.push_back("No U.S. spending or pressure on any instrument.");
    check_budget(s, root["budget"]);
    if (rules.size() > kRulesSummarisedOneByOne) summarise_by_instrument(s);
    return s;
  }

 private:
  void read_rule(const YAML::Node& rule, Strategy& s) {
    const std::string what = fmt::format("rule at line {}", file_.line(rule));
    file_.check_keys(rule,
                     {"instrument", "countries", "except", "years", "usd", "share", "intensity",
                      "split", "why"},
                     what);
    // The instrument.
    YAML::Node instrument_node = file_.require(rule, "instrument", what);
    std::string name = file_.text_of(instrument_node, "instrument");
    const Instrument* instrument = model_.instrument(name);
    if (!instrument) {
      std::vector<std::string> names;
      for (const auto& item : model_.instruments) names.push_back(item.name);
      std::string hint = lang::closest_name(name, names);
      file_.fail(instrument_node,
                 fmt::format("instrument: the model has no instrument '{}'{}; it has: {}", name,
                             hint.empty() ? "" : fmt::format(" (did you mean '{}'?)", hint),
                             fmt::join(names, ", ")));
    }

    // The amount.
    std::vector<std::pair<Amount, const char*>> kinds = {
        {Amount::kUsd, "usd"}, {Amount::kShare, "share"}, {Amount::kIntensity, "intensity"}};
    std::optional<Amount> amount;
    YAML::Node amount_node;
    for (const auto& [kind, key] : kinds) {
      if (!rule[key]) continue;
      if (amount) file_.fail(rule[key], fmt::format("{}: give one of usd, share or intensity, not two", what));
      amount = kind;
      amount_node = rule[key];
    }
    if (!amount) {
      file_.fail(rule, fmt::format("{}: how much? give usd (USD per year), share (of the budget) "
                                   "or intensity (0 to 1, for pressure instruments)",
                                   what));
    }
    if (instrument->intensity && *amount != Amount::kIntensity) {
      file_.fail(amount_node, fmt::format("{} is a pressure instrument, set as an intensity from "
                                          "{:g} to {:g}: write intensity: instead",
                                          name, instrument->low.value_or(0),
                                          instrument->high.value_or(1)));
    }
    if (!instrument->intensity && *amount == Amount::kIntensity) {
      file_.fail(amount_node, fmt::format("{} is spent in {}: write usd: (per year) or share: (of "
                                          "the budget) instead of intensity:",
                                          name, instrument->unit));
    }
    const char* amount_key = *amount == Amount::kUsd ? "usd" : *amount == Amount::kShare ? "share" : "intensity";
    std::map<int, double> path = file_.path_of(amount_node, amount_key);
    for (const auto& [year, value] : path) {
      if (value < 0) {
        file_.fail(amount_node, fmt::format("{}: {:g} is negative; amounts are what the U.S. "
                                            "spends, 0 or more",
                                            amount_key, value));
      }
      if (*amount == Amount::kShare && value > 1) {
        file_.fail(amount_node, fmt::format("share: {:g} is more than the whole budget (1)", value));
      }
      if (*amount == Amount::kIntensity &&
          ((instrument->low && value < *instrument->low) ||
           (instrument->high && value > *instrument->high))) {
        file_.fail(amount_node, fmt::format("intensity: {:g} is outside {:g} to {:g}", value,
                                            instrument->low.value_or(0),
                                            instrument->high.value_or(1)));
      }
    }

    // The years.
    int first = s.start, last = s.horizon;
    if (rule["years"]) std::tie(first, last) = read_years(rule["years"], s);
    for (const auto& [year, value] : path) {
      if (year != 0 && (year < s.start || year > s.horizon)) {
        file_.fail(amount_node, fmt::format("{}: year {} is outside the run's years {}-{}",
                                            amount_key, year, s.start, s.horizon));
      }
    }

    // The countries.
    std::vector<std::string> countries = read_countries(rule, *instrument, what);
    Split split = Split::kEach;
    if (rule["split"]) {
      std::string text = file_.text_of(rule["split"], "split");
      if (text == "each") split = Split::kEach;
      else if (text == "equal") split = Split::kEqual;
      else if (text == "population") split = Split::kPopulation;
      else file_.fail(rule["split"], fmt::format("split: expected each, equal or population, found '{}'", text));
      if (*amount == Amount::kIntensity) {
        file_.fail(rule["split"], "split: an intensity applies to each country as given; remove split");
      }
    } else if (*amount != Amount::kIntensity && countries.size() > 1) {
      file_.fail(rule, fmt::format("{}: it covers {} countries: say how the amount is shared with "
                                   "split: each (every country gets it), equal (divided equally) "
                                   "or population (divided by population)",
                                   what, countries.size()));
    }
    std::map<std::string, double> weight;
    double population_total = 0;
    if (split == Split::kPopulation) {
      for (const auto& iso3 : countries) {
        auto it = model_.population.find(iso3);
        if (it == model_.population.end()) {
          file_.fail(rule["split"], fmt::format("split: population: no population for {} in the data", iso3));
        }
        population_total += it->second;
      }
    }
    for (const auto& iso3 : countries) {
      weight[iso3] = split == Split::kEach      ? 1.0
                     : split == Split::kEqual   ? 1.0 / static_cast<double>(countries.size())
                                                : model_.population.at(iso3) / population_total;
    }

    double scale = 1;
    if (*amount == Amount::kShare) {
      if (s.budget) {
        scale = *s.budget;
      } else if (scenario_.budget_envelope) {
        scale = *scenario_.budget_envelope;
      } else {
        file_.fail(amount_node, "share: a share of what? give the strategy a budget: (USD per "
                                "year), or run it with a scenario that has a budget_envelope:");
      }
    }

    // Expand, checking that no other rule set the same instrument, country and year.
    for (const auto& iso3 : countries) {
      auto key = std::make_pair(name, iso3);
      engine::Series& series = s.levels[key];
      if (series.values.empty()) {
        series.first_year = s.start;
        series.values.assign(static_cast<std::size_t>(s.horizon - s.start + 1), 0.0);
      }
      for (int year = first; year <= last; ++year) {
        auto [it, inserted] = claims_.emplace(std::make_tuple(name, iso3, year), file_.line(rule));
        if (!inserted) {
          file_.fail(rule, fmt::format("{} overlaps the rule at line {}: both set {} for {} in {}; "
                                       "narrow one of them (countries, except or years)",
                                       what, it->second, name, iso3, year));
        }
        // A path's years outside the rule's years leave those years at 0: before its first
        // point the path is not yet in force.
        if (path.size() > 1 && year < path.begin()->first) continue;
        series.values[static_cast<std::size_t>(year - s.start)] =
            path_value(path, year) * scale * weight[iso3];
      }
    }
    s.summary.push_back(describe_rule(rule, name, *amount, path, scale, countries, split, first, last));
  }

  // A long, usually generated, list of per-country rules reads better as one line per
  // instrument.
  static constexpr std::size_t kRulesSummarisedOneByOne = 20;

  void summarise_by_instrument(Strategy& s) {
    s.summary.clear();
    const double years = s.horizon - s.start + 1;
    for (const auto& item : model_.instruments) {
      double total = 0, high = 0;
      std::vector<std::string> countries;
      for (const auto& [key, series] : s.levels) {
        if (key.first != item.name) continue;
        double sum = 0;
        for (double v : series.values) sum += v;
        if (sum == 0) continue;
        countries.push_back(key.second);
        total += sum / years;
        for (double v : series.values) high = std::max(high, v);
      }
      if (countries.empty()) continue;
      std::string where = countries.size() <= 6 ? fmt::format("{}", fmt::join(countries, ", "))
                                                : fmt::format("{} countries", countries.size());
      s.summary.push_back(item.intensity
                              ? fmt::format("{}: up to intensity {:g} in {}.", item.name, high, where)
                              : fmt::format("{}: {} a year on average, over {}.", item.name,
                                            format_usd(total), where));
    }
    s.summary.push_back("Country-by-country amounts are in the strategy file.");
  }

  std::pair<int, int> read_years(const YAML::Node& node, const Strategy& s) {
    int first = 0, last = 0;
    if (!node.IsScalar()) file_.fail(node, "years: expected a year (2030) or a range (2025-2040)");
    const std::string& text = node.Scalar();
    auto dash = text.find('-');
    if (dash == std::string::npos) {
      first = last = file_.year(node, "years");
    } else {
      YAML::Node a(text.substr(0, dash)), b(text.substr(dash + 1));
      try {
        first = std::stoi(text.substr(0, dash));
        last = std::stoi(text.substr(dash + 1));
      } catch (const std::exception&) {
        file_.fail(node, fmt::format("years: expected a range such as 2025-2040, found '{}'", text));
      }
      if (fmt::format("{}-{}", first, last) != text) {
        file_.fail(node, fmt::format("years: expected a range such as 2025-2040, found '{}'", text));
      }
    }
    if (last < first) file_.fail(node, fmt::format("years: {} ends before it starts", text));
    if (first < s.start || last > s.horizon) {
      file_.fail(node, fmt::format("years: {} is outside the run's years {}-{}", text, s.start,
                                   s.horizon));
    }
    return {first, last};
  }

  std::vector<std::string> expand(const std::string& name, const YAML::Node& node,
                                  const Instrument& instrument, const std::string& key) {
    if (auto it = model_.groups.find(name); it != model_.groups.end()) return it->second;
    if (std::find(instrument.elements.begin(), instrument.elements.end(), name) !=
        instrument.elements.end()) {
      return {name};
    }
    std::vector<std::string> names;
    for (const auto& [group, members] : model_.groups) names.push_back(group);
    names.insert(names.end(), instrument.elements.begin(), instrument.elements.end());
    std::string hint = lang::closest_name(name, names);
    std::vector<std::string> groups;
    for (const auto& [group, members] : model_.groups) groups.push_back(group);
    file_.fail(node, fmt::format("{}: '{}' is not a country of the model (ISO3 code, e.g. COL) "
                                 "or a group ({}){}",
                                 key, name, fmt::join(groups, ", "),
                                 hint.empty() ? "" : fmt::format("; did you mean '{}'?", hint)));
  }

  std::vector<std::string> read_countries(const YAML::Node& rule, const Instrument& instrument,
                                          const std::string& what) {
    YAML::Node node = file_.require(rule, "countries", what);
    std::vector<std::string> order;
    std::set<std::string> chosen;
    for (const auto& [name, item] : file_.names(node, "countries")) {
      for (const auto& iso3 : expand(name, item, instrument, "countries")) {
        if (chosen.insert(iso3).second) order.push_back(iso3);
      }
    }
    if (rule["except"]) {
      for (const auto& [name, item] : file_.names(rule["except"], "except")) {
        for (const auto& iso3 : expand(name, item, instrument, "except")) {
          if (!chosen.erase(iso3)) {
            file_.fail(item, fmt::format("except: {} is not among the rule's countries", iso3));
          }
        }
      }
      std::erase_if(order, [&](const std::string& iso3) { return !chosen.contains(iso3); });
      if (order.empty()) file_.fail(rule["except"], "except: leaves the rule with no country");
    }
    return order;
  }

  std::string describe_rule(const YAML::Node& rule, const std::string& name, Amount amount,
                            const std::map<int, double>& path, double scale,
                            const std::vector<std::string>& countries, Split split, int first,
                            int last) {
    auto level = [&](double value) {
      switch (amount) {
        case Amount::kUsd: return format_usd(value);
        case Amount::kShare: return fmt::format("{:.3g}% of the budget ({})", 100 * value,
                                                format_usd(value * scale));
        case Amount::kIntensity: return fmt::format("intensity {:g}", value);
      }
      return std::string();
    };
    std::string how_much;
    if (path.size() == 1) {
      how_much = level(path.begin()->second);
    } else {
      std::vector<std::string> points;
      for (const auto& [year, value] : path) points.push_back(fmt::format("{} in {}", level(value), year));
      how_much = fmt::format("{}", fmt::join(points, ", rising linearly to "));
    }
    std::string where;
    if (countries.size() == model_.groups.at("all").size()) {
      where = "every country";
    } else if (countries.size() <= 6) {
      where = fmt::format("{}", fmt::join(countries, ", "));
    } else {
      where = fmt::format("{} countries", countries.size());
    }
    std::string per = amount == Amount::kIntensity ? ""
                      : split == Split::kEach      ? (countries.size() > 1 ? " each" : "")
                      : split == Split::kEqual     ? ", shared equally"
                                                   : ", shared by population";
    std::string when = first == scenario_.start && last == scenario_.horizon
                           ? ""
                           : fmt::format(" in {}-{}", first, last);
    std::string unit = amount == Amount::kIntensity ? "" : " a year";
    std::string why = rule["why"] ? fmt::format(" Why: {}", file_.text_of(rule["why"], "why")) : "";
    return fmt::format("{}: {}{} to {}{}{}.{}", name, how_much, unit, where, per, when, why);
  }

  void check_budget(const Strategy& s, const YAML::Node& budget_node) {
    for (int year = s.start; year <= s.horizon; ++year) {
      double total = 0;
      for (const auto& [key, series] : s.levels) {
        const Instrument* item = model_.instrument(key.first);
        if (!item->intensity) total += series.values[static_cast<std::size_t>(year - s.start)];
      }
      // A rounding tolerance: shares that add up to 1 must not fail.
      auto over = [&](double limit) { return total > limit * (1 + 1e-9) + 1e-6; };
      if (s.budget && over(*s.budget)) {
        file_.fail(budget_node, fmt::format("budget overrun: the rules spend {} in {}, above the "
                                            "strategy's budget of {} a year",
                                            format_usd(total), year, format_usd(*s.budget)));
      }
      if (scenario_.budget_envelope && over(*scenario_.budget_envelope)) {
        file_.fail(budget_node.IsDefined() ? budget_node : file_.root()["rules"],
                   fmt::format("budget overrun: the rules spend {} in {}, above the budget "
                               "envelope of {} a year set by the scenario ({}:{})",
                               format_usd(total), year, format_usd(*scenario_.budget_envelope),
                               scenario_.path, scenario_.budget_envelope_line));
      }
    }
  }

  const YamlFile& file_;
  const ModelInterface& model_;
  const Scenario& scenario_;
  std::map<std::tuple<std::string, std::string, int>, int> claims_;  // -> line of the rule
};

}  // namespace

Strategy parse_strategy(const std::string& path, const std::string& text,
                        const ModelInterface& model, const Scenario& scenario) {
  YamlFile file(path, text);
  return StrategyReader(file, model, scenario).read();
}

Strategy load_strategy(const std::string& path, const ModelInterface& model,
                       const Scenario& scenario) {
  YamlFile file(path);
  return StrategyReader(file, model, scenario).read();
}

}  // namespace latwin::policy
