#include "policy/scenario.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <cmath>
#include <set>

#include "core/error.hpp"
#include "engine/lang/source.hpp"
#include "policy/yaml_file.hpp"

namespace latwin::policy {

std::string shock_input(const std::string& shock) { return shock + "_hazard_scale"; }

namespace {

constexpr std::string_view kShockSuffix = "_hazard_scale";

std::vector<std::string> shocks_of(const ModelInterface& model) {
  std::vector<std::string> shocks;
  for (const auto& input : model.inputs) {
    if (input.name.size() > kShockSuffix.size() && input.name.ends_with(kShockSuffix)) {
      shocks.push_back(input.name.substr(0, input.name.size() - kShockSuffix.size()));
    }
  }
  return shocks;
}

// "name" or "name[ELEMENT]".
std::pair<std::string, std::string> split_key(const std::string& key) {
  auto open = key.find('[');
  if (open == std::string::npos || key.back() != ']') return {key, ""};
  return {key.substr(0, open), key.substr(open + 1, key.size() - open - 2)};
}

std::string describe_path(const std::map<int, double>& path) {
  if (path.size() == 1) return fmt::format("{:g}", path.begin()->second);
  std::vector<std::string> points;
  for (const auto& [year, value] : path) points.push_back(fmt::format("{:g} in {}", value, year));
  return fmt::format("{}", fmt::join(points, ", then "));
}

class ScenarioReader {
 public:
  ScenarioReader(const YamlFile& file, const ModelInterface& model) : file_(file), model_(model) {}

  Scenario read() {
    const YAML::Node& root = file_.root();
    file_.check_keys(root,
                     {"name", "description", "start", "horizon", "budget_envelope", "series",
                      "shocks", "parameters", "uncertain"},
                     "scenario");
    Scenario s;
    s.path = file_.path();
    s.text = file_.text();
    s.name = file_.text_of(file_.require(root, "name", "scenario"), "name");
    s.description = file_.text_of(file_.require(root, "description", "scenario"), "description");
    s.start = model_.start;
    s.horizon = model_.stop;
    if (root["start"]) {
      s.start = file_.year(root["start"], "start");
      if (s.start != model_.start) {
        file_.fail(root["start"],
                   fmt::format("start: {}: the model starts from its {} data, so the scenario "
                               "must start in {} (a strategy can begin later with its years)",
                               s.start, model_.start, model_.start));
      }
    }
    if (root["horizon"]) {
      s.horizon = file_.year(root["horizon"], "horizon");
      if (s.horizon <= s.start) {
        file_.fail(root["horizon"], fmt::format("horizon: {} must be after the start, {}",
                                                s.horizon, s.start));
      }
    }
    s.summary.push_back(fmt::format("Simulated from {} to {}.", s.start, s.horizon));
    if (root["budget_envelope"]) {
      s.budget_envelope = file_.number(root["budget_envelope"], "budget_envelope");
      s.budget_envelope_line = file_.line(root["budget_envelope"]);
      if (*s.budget_envelope < 0) {
        file_.fail(root["budget_envelope"], "budget_envelope: must not be negative");
      }
      s.summary.push_back(fmt::format("U.S. budget envelope: {} a year for the money instruments.",
                                      format_usd(*s.budget_envelope)));
    }
    if (root["series"]) read_series(root["series"], s);
    if (root["shocks"]) read_shocks(root["shocks"], s);
    if (root["parameters"]) read_parameters(root["parameters"], s);
    if (root["uncertain"]) read_uncertain(root["uncertain"], s);
    return s;
  }

 private:
  void read_series(const YAML::Node& node, Scenario& s) {
    if (!node.IsMap()) file_.fail(node, "series: expected a mapping of input: value");
    std::vector<std::string> names;
    for (const auto& input : model_.inputs) names.push_back(input.name);
    for (const auto& item : node) {
      std::string key = file_.text_of(item.first, "series");
      auto [name, element] = split_key(key);
      const ScenarioInput* input = model_.input(name);
      if (!input) {
        std::string hint = lang::closest_name(name, names);
        file_.fail(item.first,
                   fmt::format("series: the model has no scenario input '{}'{}; it has: {}", name,
                               hint.empty() ? "" : fmt::format(" (did you mean '{}'?)", hint),
                               fmt::join(names, ", ")));
      }
      set_series(item.first, item.second, *input, element, key, s);
      s.summary.push_back(fmt::format("{}: {}{}", key, describe_path(file_.path_of(item.second, key)),
                                      input->description.empty() ? ""
                                                                 : fmt::format(" — {}", input->description)));
    }
  }

  void set_series(const YAML::Node& key_node, const YAML::Node& value_node,
                  const ScenarioInput& input, const std::string& element, const std::string& key,
                  Scenario& s) {
    if (!element.empty() &&
        std::find(input.elements.begin(), input.elements.end(), element) == input.elements.end()) {
      file_.fail(key_node, input.elements.empty()
                               ? fmt::format("{}: '{}' is one number for the whole region; "
                                             "give it without [{}]",
                                             key, input.name, element)
                               : fmt::format("{}: '{}' is not one of the model's countries", key,
                                             element));
    }
    std::map<int, double> path = file_.path_of(value_node, key);
    for (const auto& [year, value] : path) {
      if (year != 0 && (year < s.start || year > s.horizon)) {
        file_.fail(value_node, fmt::format("{}: year {} is outside the scenario's years {}-{}",
                                           key, year, s.start, s.horizon));
      }
      if ((input.low && value < *input.low) || (input.high && value > *input.high)) {
        file_.fail(value_node,
                   fmt::format("{}: {} is outside the input's range [{}, {}]", key, value,
                               input.low ? fmt::format("{:g}", *input.low) : "-inf",
                               input.high ? fmt::format("{:g}", *input.high) : "inf"));
      }
    }
    auto slot = std::make_pair(input.name, element);
    if (s.series.contains(slot)) {
      file_.fail(key_node, fmt::format("{}: set twice (series and shocks both set '{}')", key,
                                       input.name));
    }
    engine::Series series;
    series.first_year = s.start;
    // One year past the horizon, so the last step interpolates between two set values.
    for (int year = s.start; year <= s.horizon + 1; ++year) {
      series.values.push_back(path_value(path, year));
    }
    s.series[slot] = std::move(series);
  }

  void read_shocks(const YAML::Node& node, Scenario& s) {
    if (!node.IsMap()) file_.fail(node, "shocks: expected a mapping of shock: {on: ..., intensity: ...}");
    std::vector<std::string> shocks = shocks_of(model_);
    for (const auto& item : node) {
      std::string shock = file_.text_of(item.first, "shocks");
      if (std::find(shocks.begin(), shocks.end(), shock) == shocks.end()) {
        std::string hint = lang::closest_name(shock, shocks);
        file_.fail(item.first,
                   fmt::format("shocks: the model has no shock '{}'{}; it has: {}", shock,
                               hint.empty() ? "" : fmt::format(" (did you mean '{}'?)", hint),
                               fmt::join(shocks, ", ")));
      }
      const YAML::Node& spec = item.second;
      std::string what = fmt::format("shocks: {}", shock);
      file_.check_keys(spec, {"on", "intensity"}, what);
      bool on = true;
      if (spec["on"]) {
        if (!spec["on"].IsScalar()) file_.fail(spec["on"], what + ": on: expected true or false");
        const std::string& text = spec["on"].Scalar();
        if (text == "true" || text == "yes") {
          on = true;
        } else if (text == "false" || text == "no") {
          on = false;
        } else {
          file_.fail(spec["on"], fmt::format("{}: on: expected true or false, found '{}'", what, text));
        }
      }
      double intensity = 1;
      if (spec["intensity"]) {
        intensity = file_.number(spec["intensity"], what + ": intensity");
        if (intensity < 0) file_.fail(spec["intensity"], what + ": intensity must not be negative");
      }
      const ScenarioInput* input = model_.input(shock_input(shock));
      YAML::Node value(on ? intensity : 0.0);
      set_series(item.first, value, *input, "", shock, s);
      s.summary.push_back(on ? fmt::format("Shock '{}': on, {:g} times as frequent as usual.", shock,
                                           intensity)
                             : fmt::format("Shock '{}': off.", shock));
    }
  }

  void read_parameters(const YAML::Node& node, Scenario& s) {
    if (!node.IsMap()) file_.fail(node, "parameters: expected a mapping of parameter: value");
    const engine::Plan& plan = *model_.plan;
    for (const auto& item : node) {
      std::string key = file_.text_of(item.first, "parameters");
      auto [name, element] = split_key(key);
      auto index = plan.find_variable(name);
      if (!index || plan.variables[*index].role != engine::VarRole::kParam) {
        std::vector<std::string> params;
        for (const auto& var : plan.variables) {
          if (var.role == engine::VarRole::kParam && !var.hidden) params.push_back(var.name);
        }
        std::string hint = lang::closest_name(name, params);
        file_.fail(item.first,
                   fmt::format("parameters: the model has no parameter '{}'{}", name,
                               hint.empty() ? "" : fmt::format(" (did you mean '{}'?)", hint)));
      }
      const engine::Variable& var = plan.variables[*index];
      if (!element.empty()) {
        bool found = false;
        for (std::uint32_t e = 0; e < var.element_count; ++e) {
          if (plan.element_name(var, e) == element) found = true;
        }
        if (!found) {
          file_.fail(item.first, fmt::format("parameters: '{}' has no element '{}'", name, element));
        }
      }
      double value = file_.number(item.second, key);
      if ((var.range_low && value < *var.range_low) || (var.range_high && value > *var.range_high)) {
        file_.fail(item.second, fmt::format("{}: {} is outside the parameter's range", key, value));
      }
      s.overrides.push_back({name, element, value});
      s.summary.push_back(fmt::format("Parameter {} fixed at {:g}{}.", key, value,
                                      var.unit.empty() ? "" : fmt::format(" [{}]", var.unit)));
    }
  }

  void read_uncertain(const YAML::Node& node, Scenario& s) {
    if (!node.IsMap()) {
      file_.fail(node, "uncertain: expected a mapping of input: {range: [LOW, HIGH]} or "
                       "{scale: [LOW, HIGH]}");
    }
    std::vector<std::string> names;
    for (const auto& input : model_.inputs) names.push_back(input.name);
    for (const auto& item : node) {
      std::string key = file_.text_of(item.first, "uncertain");
      std::string what = fmt::format("uncertain: {}", key);
      auto [name, element] = split_key(key);
      const ScenarioInput* input = model_.input(name);
      if (!input) {
        std::string hint = lang::closest_name(name, names);
        file_.fail(item.first,
                   fmt::format("{}: the model has no scenario input '{}'{}; it has: {}", what, name,
                               hint.empty() ? "" : fmt::format(" (did you mean '{}'?)", hint),
                               fmt::join(names, ", ")));
      }
      if (!element.empty()) {
        file_.fail(item.first, fmt::format("{}: a deep uncertainty applies to every country alike; "
                                           "give '{}' without [{}]",
                                           what, name, element));
      }
      for (const auto& other : s.uncertain) {
        if (other.factor.name == name) file_.fail(item.first, fmt::format("{}: listed twice", what));
      }
      const YAML::Node& spec = item.second;
      if (!spec.IsMap()) {
        file_.fail(spec, fmt::format("{}: expected {{range: [LOW, HIGH]}} or {{scale: [LOW, HIGH]}}", what));
      }
      file_.check_keys(spec, {"range", "scale", "why"}, what);
      if (static_cast<bool>(spec["range"]) == static_cast<bool>(spec["scale"])) {
        file_.fail(spec, fmt::format("{}: give either range (the input's level in every year) or "
                                     "scale (a multiple of its series), not {}",
                                     what, spec["range"] ? "both" : "neither"));
      }
      const bool scale = static_cast<bool>(spec["scale"]);
      const YAML::Node& bounds = scale ? spec["scale"] : spec["range"];
      std::string bounds_what = fmt::format("{}: {}", what, scale ? "scale" : "range");
      if (!bounds.IsSequence() || bounds.size() != 2) {
        file_.fail(bounds, fmt::format("{}: expected two numbers [LOW, HIGH]", bounds_what));
      }
      double low = file_.number(bounds[0], bounds_what);
      double high = file_.number(bounds[1], bounds_what);
      if (low > high) {
        file_.fail(bounds, fmt::format("{}: LOW {:g} is above HIGH {:g}", bounds_what, low, high));
      }
      // The values the input can then take, checked against the range the model declares.
      double least = low, most = high;
      if (scale) {
        if (low < 0) file_.fail(bounds, fmt::format("{}: a multiple must not be negative", bounds_what));
        bool has_series = false;
        double smallest = INFINITY, largest = -INFINITY;
        for (const auto& [slot, series] : s.series) {
          if (slot.first != name) continue;
          has_series = true;
          for (double v : series.values) {
            if (std::isnan(v)) continue;
            smallest = std::min(smallest, v);
            largest = std::max(largest, v);
          }
        }
        // With a multiple of 0 or more, the extremes are the series' extremes times an end.
        if (smallest <= largest) {
          least = std::min(smallest * low, smallest * high);
          most = std::max(largest * low, largest * high);
        }
        if (!has_series) {
          file_.fail(item.first, fmt::format("{}: scale multiplies the scenario's series for '{}', "
                                             "but the scenario sets none; set it under series: or "
                                             "give a range",
                                             what, name));
        }
      }
      if ((input->low && least < *input->low) || (input->high && most > *input->high)) {
        file_.fail(bounds,
                   fmt::format("{}: the input would reach {:g} to {:g}, outside its range [{}, {}]",
                               bounds_what, least, most,
                               input->low ? fmt::format("{:g}", *input->low) : "-inf",
                               input->high ? fmt::format("{:g}", *input->high) : "inf"));
      }
      Scenario::Uncertain uncertain;
      uncertain.factor.name = name;
      uncertain.factor.mode = scale ? engine::InputFactor::Mode::kScale : engine::InputFactor::Mode::kLevel;
      uncertain.factor.low = low;
      uncertain.factor.high = high;
      if (spec["why"]) uncertain.why = file_.text_of(spec["why"], what + ": why");
      uncertain.line = file_.line(item.first);
      s.summary.push_back(
          scale ? fmt::format("Deep uncertainty (explored by latwin explore): {} between {:g} and {:g} "
                              "times its series.",
                              name, low, high)
                : fmt::format("Deep uncertainty (explored by latwin explore): {} anywhere from {:g} to "
                              "{:g}, in every year.",
                              name, low, high));
      s.uncertain.push_back(std::move(uncertain));
    }
  }

  const YamlFile& file_;
  const ModelInterface& model_;
};

}  // namespace

Scenario parse_scenario(const std::string& path, const std::string& text,
                        const ModelInterface& model) {
  YamlFile file(path, text);
  return ScenarioReader(file, model).read();
}

Scenario load_scenario(const std::string& path, const ModelInterface& model) {
  YamlFile file(path);
  return ScenarioReader(file, model).read();
}

}  // namespace latwin::policy
