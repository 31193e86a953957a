#pragma once
// `latwin data check`: every problem of a data folder, not only the first. The rules are
// listed in docs/data.md; each has a planted-fault test in tests/e2e/data_cli_test.cpp.
#include <cstddef>
#include <string>
#include <vector>

#include "data/panel.hpp"

namespace latwin::data {

struct DataCheck {
  std::vector<DataProblem> problems;  // sorted by file, then line
  std::size_t indicators = 0;         // entries of indicators.csv
  std::size_t rows = 0;               // rows of panel.csv
  std::size_t countries = 0;          // rows of countries.csv

  bool ok() const { return problems.empty(); }
};

// Reads the folder and checks the files (format v1 headers, malformed rows, numbers, flags,
// sources, duplicate keys) and how they fit together: panel codes and indicators known to
// countries.csv and indicators.csv, values within the dictionary's bounds, filled values
// within the dictionary's gap policy, the dictionary's coverage columns matching the panel,
// valid areas and bounds, valid kinds and symmetric neighbours in countries.csv. A missing
// file is a problem too. Throws latwin::InputError only when dir is not a folder.
DataCheck check_data_folder(const std::string& dir);

}  // namespace latwin::data
