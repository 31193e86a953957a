#pragma once
// A data folder whose answer is known, for calibration and backtest tests: two countries
// whose "level" grows exactly 5% a year from 2000 (100 and 40) to 2012.
#include <fmt/format.h>

#include <filesystem>
#include <fstream>
#include <utility>

namespace latwin::test {

inline void write_growth_data(const std::filesystem::path& dir) {
  std::filesystem::create_directories(dir);
  std::ofstream(dir / "countries.csv") << "iso3,name\nAAA,Country A\nBBB,Country B\n";
  std::ofstream(dir / "indicators.csv")
      << "id,name,unit,area,lower,upper,interpolate_max_gap,carry_forward_max,source,licence,"
         "transformation,countries,first_year,last_year,observed,filled\n"
         "level,Level (synthetic),1,economy,0,,0,0,synthetic,none,none,2,2000,2012,26,0\n";
  std::ofstream panel(dir / "panel.csv");
  panel << "iso3,year,indicator,value,flag,source\n";
  for (const auto& [iso3, base] : {std::pair{"AAA", 100.0}, std::pair{"BBB", 40.0}}) {
    double value = base;
    for (int year = 2000; year <= 2012; ++year) {
      panel << fmt::format("{},{},level,{:.17g},observed,synthetic\n", iso3, year, value);
      value *= 1.05;
    }
  }
}

}  // namespace latwin::test
