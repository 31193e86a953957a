// The report in a real browser: headless Chromium opens the page written for the sample
// comparison (tests/data/report/compare-sample.json) from a file, runs its scripts and dumps
// the resulting DOM, in which every chart must have drawn as SVG without a script error.
// Chromium is a test dependency (scripts/install-deps.sh installs it): a missing one fails.
#include <fmt/format.h>
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <set>
#include <string>
#include <vector>

#include "report/html_report.hpp"
#include "support/temp_dir.hpp"

namespace latwin::report {
namespace {

using nlohmann::json;

constexpr const char* kChromium = "/usr/bin/chromium";
// The map's grey for the U.S., Canada and territories (web/report/report.js kContextGrey).
constexpr const char* kContextGrey = "#dcdcdc";

class ReportInBrowser : public test::TempDirTest {
 protected:
  // The page's DOM after its scripts ran, as Chromium serialises it.
  std::string dump_dom(const std::filesystem::path& page) {
    const auto profile = dir_ / "profile";
    const auto out = dir_ / "dom.html";
    const auto log = dir_ / "chromium.log";
    // `timeout` so that a hung browser fails the test instead of blocking the suite. The
    // virtual time budget lets the page's timers and frames run without waiting for them.
    const std::string command = fmt::format(
        "timeout 120 {} --headless --no-sandbox --disable-gpu --disable-quic --no-first-run "
        "--disable-background-networking --disable-component-update --disable-sync "
        "--user-data-dir='{}' --virtual-time-budget=15000 --dump-dom 'file://{}' > '{}' 2> '{}'",
        kChromium, profile.string(), page.string(), out.string(), log.string());
    const int status = std::system(command.c_str());
    const int exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    EXPECT_EQ(exit_code, 0) << command << "\n" << read(log);
    return read(out);
  }
};

// The value of attribute `name` in the first tag that starts with `tag_start`, or "".
std::string attribute(const std::string& dom, const std::string& tag_start,
                      const std::string& name) {
  const auto start = dom.find(tag_start);
  if (start == std::string::npos) return "";
  const std::string tag = dom.substr(start, dom.find('>', start) - start);
  const auto found = tag.find(" " + name + "=\"");
  if (found == std::string::npos) return "";
  const auto value = found + name.size() + 3;
  return tag.substr(value, tag.find('"', value) - value);
}

struct ChartDom {
  std::string opening_tag;  // <div class="chart ..." ...>
  std::string svg;          // its first <svg>...</svg>
};

// Each chart container with the SVG drawn inside it.
std::vector<ChartDom> charts(const std::string& dom) {
  std::vector<ChartDom> found;
  for (auto pos = dom.find("<div class=\"chart"); pos != std::string::npos;
       pos = dom.find("<div class=\"chart", pos + 1)) {
    ChartDom chart;
    chart.opening_tag = dom.substr(pos, dom.find('>', pos) - pos + 1);
    const auto next = dom.find("<div class=\"chart", pos + 1);
    const auto svg = dom.find("<svg", pos);
    if (svg != std::string::npos && svg < next) {
      const auto end = dom.find("</svg>", svg);
      chart.svg = dom.substr(svg, end == std::string::npos ? std::string::npos : end - svg);
    }
    found.push_back(chart);
  }
  return found;
}

std::size_t count_paths(const std::string& svg) {
  std::size_t paths = 0;
  for (auto pos = svg.find("<path"); pos != std::string::npos; pos = svg.find("<path", pos + 1)) {
    ++paths;
  }
  return paths;
}

// Shapes filled with a colour of the scale: not the context grey, white, black, none or a
// gradient (the legend). Scanned by hand: std::regex recurses per character and overflows the
// stack on the map's long path data.
std::size_t count_coloured_shapes(const std::string& svg) {
  static const std::set<std::string> kNotData = {
      kContextGrey,       "#fff",      "#ffffff",     "#000",
      "#000000",          "none",      "transparent", "rgb(220,220,220)",
      "rgb(255,255,255)", "rgb(0,0,0)"};
  std::size_t coloured = 0;
  for (auto pos = svg.find("<path"); pos != std::string::npos; pos = svg.find("<path", pos + 1)) {
    const std::string tag = svg.substr(pos, svg.find('>', pos) - pos);
    const auto fill = tag.find(" fill=\"");
    if (fill == std::string::npos) continue;
    const auto start = fill + 7;
    const std::string colour = tag.substr(start, tag.find('"', start) - start);
    if (!kNotData.count(colour) && colour.rfind("url(", 0) != 0) ++coloured;
  }
  return coloured;
}

TEST_F(ReportInBrowser, EveryChartAndTheMapDrawWithoutErrors) {
  ASSERT_TRUE(std::filesystem::exists(kChromium))
      << kChromium << " is missing: run scripts/install-deps.sh, which installs Debian's "
      << "chromium for this test.";
  std::ifstream in(std::string(LATWIN_SOURCE_DIR) + "/tests/data/report/compare-sample.json");
  const json document = json::parse(in);
  const auto page = dir_ / "report.html";
  std::ofstream(page, std::ios::binary) << render_report_html(document);

  const auto started = std::chrono::steady_clock::now();
  const std::string dom = dump_dom(page);
  const auto seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  RecordProperty("chromium_seconds", fmt::format("{:.1f}", seconds));
  ASSERT_NE(dom.find("<body"), std::string::npos) << "no DOM from chromium";

  EXPECT_EQ(attribute(dom, "<body", "data-report-error"), "");
  const std::vector<ChartDom> found = charts(dom);
  const std::size_t strategies = document["strategies"].size();
  ASSERT_EQ(found.size(), 1 + strategies + 1 + 1);
  EXPECT_EQ(attribute(dom, "<body", "data-charts-drawn"), std::to_string(found.size()));

  for (const ChartDom& chart : found) {
    EXPECT_NE(chart.opening_tag.find("data-drawn=\"yes\""), std::string::npos) << chart.opening_tag;
    EXPECT_GE(count_paths(chart.svg), 5u) << chart.opening_tag << " has no drawn SVG";
  }

  const auto map = std::find_if(found.begin(), found.end(), [](const ChartDom& chart) {
    return chart.opening_tag.find("data-chart=\"map\"") != std::string::npos;
  });
  ASSERT_NE(map, found.end());
  // 33 states coloured by value, and the circles on the smallest (9 in the bundled map).
  EXPECT_GE(count_coloured_shapes(map->svg), 33u);
  EXPECT_NE(map->svg.find(std::string("fill=\"") + kContextGrey + "\""), std::string::npos)
      << "no grey context (U.S., Canada) on the map";
}

// The exploration, optimisation and backtest pages (docs/report.md): every chart drawn, no
// error.
void expect_page_draws(const std::string& fixture, std::size_t expected,
                       const std::string& dom) {
  ASSERT_NE(dom.find("<body"), std::string::npos) << fixture << ": no DOM from chromium";
  EXPECT_EQ(attribute(dom, "<body", "data-report-error"), "") << fixture;
  const std::vector<ChartDom> found = charts(dom);
  EXPECT_EQ(found.size(), expected) << fixture;
  EXPECT_EQ(attribute(dom, "<body", "data-charts-drawn"), std::to_string(found.size())) << fixture;
  EXPECT_EQ(attribute(dom, "<body", "data-charts-total"), std::to_string(found.size())) << fixture;
  for (const ChartDom& chart : found) {
    EXPECT_NE(chart.opening_tag.find("data-drawn=\"yes\""), std::string::npos)
        << fixture << ": " << chart.opening_tag;
    EXPECT_GE(count_paths(chart.svg), 5u) << fixture << ": " << chart.opening_tag
                                          << " has no drawn SVG";
  }
}

TEST_F(ReportInBrowser, ExploreAndOptimizePagesDrawWithoutErrors) {
  ASSERT_TRUE(std::filesystem::exists(kChromium))
      << kChromium << " is missing: run scripts/install-deps.sh";
  // Morris (sensitivity bars and PRIM) and Sobol' (bars with whiskers); the optimisation, and
  // one with a Pareto front (parallel coordinates).
  const std::vector<std::pair<std::string, std::size_t>> pages = {
      {"explore-morris-sample.json", 2},
      {"explore-sobol-sample.json", 2},
      {"optimize-sample.json", 2},
      {"optimize-pareto-sample.json", 3}};
  for (const auto& [fixture, expected] : pages) {
    std::ifstream in(std::string(LATWIN_SOURCE_DIR) + "/tests/data/report/" + fixture);
    const json document = json::parse(in);
    const auto page = dir_ / (fixture + ".html");
    std::ofstream(page, std::ios::binary) << render_any_report_html(document);
    expect_page_draws(fixture, expected, dump_dom(page));
  }
}

// The backtest page, rolling (two origins) and from one origin: skill by lead and the
// forecasts drawn, with their bands (filled shapes in the origins' colours) around the medians.
TEST_F(ReportInBrowser, BacktestPageDrawsTheForecastsWithTheirBands) {
  ASSERT_TRUE(std::filesystem::exists(kChromium))
      << kChromium << " is missing: run scripts/install-deps.sh";
  std::ifstream in(std::string(LATWIN_SOURCE_DIR) + "/tests/data/report/backtest-sample.json");
  const json rolling = json::parse(in);
  json single = rolling;
  single["settings"]["origins"] = json::array({2014});
  json forecasts = json::array();
  for (const json& cell : rolling["forecasts"]) {
    if (cell["origin"] == 2014) forecasts.push_back(cell);
  }
  single["forecasts"] = forecasts;
  for (const auto& [name, document] :
       {std::pair{"rolling", rolling}, std::pair{"single", single}}) {
    const auto page = dir_ / (std::string(name) + ".html");
    std::ofstream(page, std::ios::binary) << render_backtest_html(document);
    const std::string dom = dump_dom(page);
    expect_page_draws(name, 2, dom);
    const std::vector<ChartDom> found = charts(dom);
    const auto forecast = std::find_if(found.begin(), found.end(), [](const ChartDom& chart) {
      return chart.opening_tag.find("data-chart=\"backtest-forecast\"") != std::string::npos;
    });
    ASSERT_NE(forecast, found.end()) << name;
    // The first origin's colour (report.js kPalette[0]) fills its bands.
    EXPECT_NE(forecast->svg.find("fill=\"#0072B2\""), std::string::npos)
        << name << ": no band in the first origin's colour";
    EXPECT_GE(count_coloured_shapes(forecast->svg), 2u) << name;
  }
}

}  // namespace
}  // namespace latwin::report
