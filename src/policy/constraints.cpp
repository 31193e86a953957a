#include "policy/constraints.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <cmath>

#include "core/error.hpp"
#include "engine/lang/source.hpp"
#include "policy/yaml_file.hpp"

namespace latwin::policy {

double Constraints::cap(const ModelInterface& model, const std::string& iso3) const {
  if (auto it = country_caps.find(iso3); it != country_caps.end()) return it->second;
  if (per_person_cap) {
    auto people = model.population.find(iso3);
    if (people != model.population.end()) return *per_person_cap * people->second;
  }
  return INFINITY;
}

namespace {

std::vector<std::string> expand_countries(const YamlFile& file, const YAML::Node& node,
                                          const ModelInterface& model) {
  std::vector<std::string> out;
  for (const auto& [name, item] : file.names(node, "countries")) {
    if (auto group = model.groups.find(name); group != model.groups.end()) {
      out.insert(out.end(), group->second.begin(), group->second.end());
    } else if (std::find(model.groups.at("all").begin(), model.groups.at("all").end(), name) !=
               model.groups.at("all").end()) {
      out.push_back(name);
    } else {
      file.fail(item, fmt::format("countries: '{}' is not a country of the model (ISO3 code) or a "
                                  "group",
                                  name));
    }
  }
  return out;
}

Constraints read(const YamlFile& file, const ModelInterface& model) {
  Constraints c;
  c.path = file.path();
  c.text = file.text();
  const YAML::Node& root = file.root();
  file.check_keys(root, {"caps", "forbid"}, "constraints");
  if (const YAML::Node caps = root["caps"]) {
    file.check_keys(caps, {"per_person", "countries"}, "caps");
    if (caps["per_person"]) {
      c.per_person_cap = file.number(caps["per_person"], "per_person");
      if (*c.per_person_cap < 0) file.fail(caps["per_person"], "per_person: must not be negative");
      c.summary.push_back(fmt::format("At most ${:g} per inhabitant a year in any country, all "
                                      "instruments together.",
                                      *c.per_person_cap));
    }
    if (const YAML::Node countries = caps["countries"]) {
      if (!countries.IsMap()) file.fail(countries, "countries: expected a mapping of ISO3: USD a year");
      for (const auto& item : countries) {
        std::string iso3 = file.text_of(item.first, "countries");
        for (const auto& one : expand_countries(file, item.first, model)) {
          double value = file.number(item.second, iso3);
          if (value < 0) file.fail(item.second, fmt::format("{}: a cap must not be negative", iso3));
          c.country_caps[one] = value;
        }
        c.summary.push_back(fmt::format("At most {} a year in {}.",
                                        format_usd(file.number(item.second, iso3)), iso3));
      }
    }
  }
  if (const YAML::Node forbid = root["forbid"]) {
    if (!forbid.IsSequence()) file.fail(forbid, "forbid: expected a list of {instrument, countries}");
    for (const auto& rule : forbid) {
      file.check_keys(rule, {"instrument", "countries", "why"}, "forbid");
      std::vector<std::string> instruments;
      for (const auto& [name, item] : file.names(file.require(rule, "instrument", "forbid"), "instrument")) {
        if (!model.instrument(name)) {
          std::vector<std::string> names;
          for (const auto& i : model.instruments) names.push_back(i.name);
          std::string hint = lang::closest_name(name, names);
          file.fail(item, fmt::format("instrument: the model has no instrument '{}'{}", name,
                                      hint.empty() ? "" : fmt::format(" (did you mean '{}'?)", hint)));
        }
        instruments.push_back(name);
      }
      std::vector<std::string> countries =
          expand_countries(file, file.require(rule, "countries", "forbid"), model);
      for (const auto& instrument : instruments) {
        for (const auto& iso3 : countries) c.forbidden.insert({instrument, iso3});
      }
      std::string why = rule["why"] ? fmt::format(" ({})", file.text_of(rule["why"], "why")) : "";
      c.summary.push_back(fmt::format("No {} for {}{}.", fmt::join(instruments, " or "),
                                      fmt::join(countries, ", "), why));
    }
  }
  return c;
}

}  // namespace

Constraints load_constraints(const std::string& path, const ModelInterface& model) {
  return read(YamlFile(path), model);
}

Constraints parse_constraints(const std::string& path, const std::string& text,
                              const ModelInterface& model) {
  return read(YamlFile(path, text), model);
}

}  // namespace latwin::policy
