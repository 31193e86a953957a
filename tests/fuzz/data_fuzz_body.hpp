#pragma once
// The body of the data fuzzer, shared with the replay test: the bytes are split at lines
// "#FILE" into countries.csv, panel.csv, indicators.csv and an --inputs file, written to a
// folder of this process, and read by every reader of the data layer. A reader may reject a
// file (latwin::InputError, or a problem from data check) but must say where and why; it
// must never crash, hang or accept what it then cannot answer about.
#include <unistd.h>

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "core/error.hpp"
#include "data/check.hpp"
#include "data/coverage.hpp"
#include "data/panel.hpp"
#include "data/run_inputs.hpp"

namespace latwin::fuzz {

inline const std::string& data_fuzz_dir() {
  static const std::string dir = [] {
    std::string pattern =
        (std::filesystem::temp_directory_path() / "latwin-fuzz-data.XXXXXX").string();
    const char* made = ::mkdtemp(pattern.data());
    if (made == nullptr) std::abort();
    return std::string(made);
  }();
  return dir;
}

inline std::vector<std::string> split_files(const std::string& bytes) {
  std::vector<std::string> parts;
  const std::string separator = "\n#FILE\n";
  std::size_t start = 0;
  while (parts.size() < 3) {
    std::size_t at = bytes.find(separator, start);
    if (at == std::string::npos) break;
    parts.push_back(bytes.substr(start, at - start));
    start = at + separator.size();
  }
  parts.push_back(bytes.substr(start));
  return parts;
}

// A message from a reader must name a file and say something.
inline std::string check_message(const std::string& message, const std::string& dir) {
  if (message.empty()) return "an error without a message";
  if (message.find(dir) == std::string::npos) return "an error that names no file: " + message;
  return {};
}

inline std::string check_data_readers(const std::uint8_t* data, std::size_t size) {
  const std::string dir = data_fuzz_dir();
  const char* names[] = {"countries.csv", "panel.csv", "indicators.csv", "inputs.csv"};
  std::vector<std::string> parts =
      split_files(std::string(reinterpret_cast<const char*>(data), size));
  for (std::size_t i = 0; i < 4; ++i) {
    std::filesystem::path path = std::filesystem::path(dir) / names[i];
    std::filesystem::remove(path);
    if (i < parts.size()) std::ofstream(path, std::ios::binary) << parts[i];
  }

  try {
    data::Panel panel(dir);
    for (const auto& indicator : panel.indicators()) {
      for (auto values : {data::Values::kAll, data::Values::kObservedOnly}) {
        for (const auto& iso3 : panel.countries_with(indicator, values)) {
          auto series = panel.series(indicator, iso3, values);
          if (!series) return "a country with values but no series: " + indicator + " " + iso3;
          for (int year = series->first_year; year <= series->last_year(); ++year) {
            auto value = panel.value(indicator, iso3, year, values);
            if (value.has_value() != panel.flag(indicator, iso3, year, values).has_value()) {
              return "value and flag disagree on " + indicator + " " + iso3;
            }
            if (value && !std::isfinite(*value)) return "a value that is not finite";
          }
        }
      }
      panel.stats(indicator);
    }
    data::coverage_csv(data::compute_coverage(panel));
    data::PanelDataSource source(dir);
    for (const auto& indicator : source.indicators()) source.series(indicator, "COL");
  } catch (const InputError& e) {
    if (auto bad = check_message(e.what(), dir); !bad.empty()) return bad;
  }

  try {
    data::DataCheck check = data::check_data_folder(dir);
    for (const auto& problem : check.problems) {
      if (auto bad = check_message(problem.text(), dir); !bad.empty()) return bad;
    }
  } catch (const InputError& e) {
    if (auto bad = check_message(e.what(), dir); !bad.empty()) return bad;
  }

  if (parts.size() == 4) {
    try {
      data::load_run_inputs((std::filesystem::path(dir) / "inputs.csv").string());
    } catch (const InputError& e) {
      if (auto bad = check_message(e.what(), dir); !bad.empty()) return bad;
    }
  }
  return {};
}

}  // namespace latwin::fuzz
