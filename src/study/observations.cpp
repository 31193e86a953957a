#include "study/observations.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <filesystem>
#include <set>

#include "core/error.hpp"
#include "policy/yaml_file.hpp"

namespace latwin::study {

namespace {

HistoricalAid read_aid(const policy::YamlFile& file, const YAML::Node& node) {
  if (!node.IsMap()) {
    file.fail(node, "historical_aid: expected {indicator, reference, follow, why}");
  }
  file.check_keys(node, {"indicator", "reference", "follow", "why"}, "historical_aid");
  HistoricalAid aid;
  aid.aid_indicator = file.text_of(file.require(node, "indicator", "historical_aid"), "indicator");
  aid.reference_variable =
      file.text_of(file.require(node, "reference", "historical_aid"), "reference");
  for (const auto& [name, item] : file.names(file.require(node, "follow", "historical_aid"),
                                             "follow")) {
    aid.follow_aid.push_back(name);
  }
  if (node["why"]) aid.why = file.text_of(node["why"], "why");
  return aid;
}

ObservationSpec read_from(const policy::YamlFile& file) {
  const YAML::Node& root = file.root();
  file.check_keys(root, {"observations", "historical_aid"}, "the observations file");
  ObservationSpec spec;
  spec.path = file.path();
  if (root["historical_aid"]) spec.aid = read_aid(file, root["historical_aid"]);
  YAML::Node list = file.require(root, "observations", "the observations file");
  if (!list.IsSequence() || list.size() == 0) {
    file.fail(list, "observations: expected a list of {indicator, variable, headline, why}");
  }
  std::vector<Observation>& result = spec.observations;
  std::set<std::string> seen;
  for (const YAML::Node& item : list) {
    if (!item.IsMap()) file.fail(item, "expected {indicator: ID, variable: NAME, ...}");
    file.check_keys(item, {"indicator", "variable", "headline", "scale", "why"}, "an observation");
    Observation obs;
    obs.line = file.line(item);
    obs.indicator = file.text_of(file.require(item, "indicator", "an observation"), "indicator");
    obs.variable = file.text_of(file.require(item, "variable", "an observation"), "variable");
    if (item["headline"]) {
      std::string text = file.text_of(item["headline"], "headline");
      if (text != "true" && text != "false") {
        file.fail(item["headline"], fmt::format("headline: expected true or false, not '{}'", text));
      }
      obs.headline = text == "true";
    }
    if (item["scale"]) {
      std::string text = file.text_of(item["scale"], "scale");
      if (text != "log" && text != "linear") {
        file.fail(item["scale"], fmt::format("scale: expected log or linear, not '{}'", text));
      }
      obs.log_scale = text == "log";
    }
    if (item["why"]) obs.why = file.text_of(item["why"], "why");
    if (!seen.insert(obs.indicator).second) {
      file.fail(item, fmt::format("indicator '{}' is listed twice", obs.indicator));
    }
    result.push_back(std::move(obs));
  }
  return spec;
}

}  // namespace

ObservationSpec read_observations(const std::string& path) {
  return read_from(policy::YamlFile(path));
}

ObservationSpec parse_observations(const std::string& path, const std::string& text) {
  return read_from(policy::YamlFile(path, text));
}

std::vector<Observation> selected_observations(const ObservationSpec& spec,
                                               const std::vector<std::string>& indicators) {
  if (indicators.empty()) return spec.observations;
  std::vector<Observation> result;
  for (const auto& name : indicators) {
    auto it = std::find_if(spec.observations.begin(), spec.observations.end(),
                           [&name](const Observation& obs) { return obs.indicator == name; });
    if (it == spec.observations.end()) {
      std::string known;
      for (const auto& obs : spec.observations) known += (known.empty() ? "" : ", ") + obs.indicator;
      throw InputError(fmt::format("--indicators: '{}' is not observed by the model ({} lists: {})",
                                   name, spec.path, known));
    }
  }
  for (const auto& obs : spec.observations) {
    if (std::find(indicators.begin(), indicators.end(), obs.indicator) != indicators.end()) {
      result.push_back(obs);
    }
  }
  return result;
}

std::string find_observations_file(const std::vector<std::string>& model_paths) {
  namespace fs = std::filesystem;
  if (model_paths.empty()) return "";
  fs::path first(model_paths.front());
  std::error_code ec;
  fs::path folder = fs::is_directory(first, ec) ? first : first.parent_path();
  fs::path candidate = folder / "observations.yaml";
  return fs::exists(candidate, ec) ? candidate.string() : "";
}

}  // namespace latwin::study
