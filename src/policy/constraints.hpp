#pragma once
// Constraints on what an optimised strategy may do, as a YAML file
// (docs/optimize.md):
//
//   caps:
//     per_person: 30          # USD per inhabitant a year: all U.S. money in one country
//     countries: {HTI: 4.0e8} # USD a year, for named countries (overrides per_person)
//   forbid:
//     - {instrument: security_cooperation, countries: [VEN, NIC, CUB], why: ...}
#include <map>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "policy/model_interface.hpp"

namespace latwin::policy {

struct Constraints {
  std::string path, text;
  std::optional<double> per_person_cap;          // USD per person per year
  std::map<std::string, double> country_caps;    // ISO3 -> USD per year
  std::set<std::pair<std::string, std::string>> forbidden;  // (instrument, ISO3)
  std::vector<std::string> summary;              // one plain line per constraint

  // The most a country may receive a year, all money instruments together; infinity when
  // nothing caps it.
  double cap(const ModelInterface& model, const std::string& iso3) const;
  bool allows(const std::string& instrument, const std::string& iso3) const {
    return !forbidden.contains({instrument, iso3});
  }
};

// Throws latwin::InputError "PATH:LINE: ..." naming what is wrong.
Constraints load_constraints(const std::string& path, const ModelInterface& model);
Constraints parse_constraints(const std::string& path, const std::string& text,
                              const ModelInterface& model);

}  // namespace latwin::policy
