// render_backtest_html(): what the backtest page says, what it refuses, and that it is safe and
// offline. browser_test.cpp checks that its charts draw. The fixture,
// tests/data/report/backtest-sample.json, is a small real run (tests/data/report/README.md).
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <fstream>
#include <string>
#include <vector>

#include "core/error.hpp"
#include "report/html_report.hpp"

namespace latwin::report {
namespace {

using nlohmann::json;
using ::testing::HasSubstr;

json backtest() {
  const std::string path =
      std::string(LATWIN_SOURCE_DIR) + "/tests/data/report/backtest-sample.json";
  std::ifstream in(path);
  EXPECT_TRUE(in) << "cannot read " << path;
  return json::parse(in);
}

// The message render_any_report_html() throws for the document, or "" when none.
std::string error_for(const json& document) {
  try {
    render_any_report_html(document);
  } catch (const InputError& error) {
    return error.what();
  }
  return "";
}

std::size_t count(const std::string& text, const std::string& needle) {
  std::size_t found = 0;
  for (auto pos = text.find(needle); pos != std::string::npos; pos = text.find(needle, pos + 1)) {
    ++found;
  }
  return found;
}

::testing::AssertionResult Contains(const std::string& html, const std::string& needle) {
  if (html.find(needle) != std::string::npos) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure() << "the page lacks \"" << needle << "\"";
}
::testing::AssertionResult Lacks(const std::string& html, const std::string& needle) {
  if (html.find(needle) == std::string::npos) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure() << "the page holds \"" << needle << "\"";
}

std::string lower(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return text;
}

std::string json_script(const std::string& html, const std::string& id) {
  const std::string open = "<script type=\"application/json\" id=\"" + id + "\">";
  const auto start = html.find(open);
  if (start == std::string::npos) return "";
  const auto body = start + open.size();
  return html.substr(body, html.find("</script>", body) - body);
}

TEST(BacktestReport, SaysTheAnswerFirst) {
  const json document = backtest();
  const std::string html = render_backtest_html(document);
  EXPECT_TRUE(Contains(html, "<!DOCTYPE html>"));
  EXPECT_TRUE(Contains(html, "<title>Backtest from 2013 to 2014, 3 years ahead — latwin</title>"));
  // The sample: 4 of 5 headline indicators, 75% of outcomes in the 80% intervals.
  EXPECT_TRUE(Contains(html,
                       "The model beats persistence on 4 of 5 headline indicators at leads of 3+ "
                       "years; its 80% intervals hold 75% of outcomes (a well-calibrated forecast "
                       "holds about 80%)."));
  EXPECT_TRUE(Contains(html, "2 origins · 3 years ahead · calibrated on the 10 years before"));
  EXPECT_TRUE(Contains(html, "rejection approximate Bayesian computation"));
  EXPECT_EQ(render_any_report_html(document), html);
  // The charts the script draws: skill by lead and the forecasts.
  EXPECT_EQ(count(html, "<div class=\"chart"), 2u);
  EXPECT_TRUE(Contains(html, "data-chart=\"skill\""));
  EXPECT_TRUE(Contains(html, "data-chart=\"backtest-forecast\""));
}

TEST(BacktestReport, TablesTheScoresOfEveryMethod) {
  const std::string html = render_backtest_html(backtest());
  // Headline indicators first; coca is not headline and comes last, tagged.
  const auto gdp = html.find("<th scope=\"row\">GDP per capita, PPP (World Bank)");
  const auto coca = html.find(
      "<th scope=\"row\">Coca cultivation (UNODC survey estimate) <span "
      "class=\"tag\">not headline</span>");
  ASSERT_NE(gdp, std::string::npos);
  ASSERT_NE(coca, std::string::npos);
  EXPECT_LT(gdp, coca);
  for (const char* column : {"persistence", "trend", "historical mean", "skill", "50% held",
                             "80% held", "95% held", "raw model", "raw 80% held"}) {
    EXPECT_TRUE(Contains(html, std::string("<th scope=\"col\">") + column + "</th>"));
  }
  // Skill as a signed number, a lead column per year, the calibration per origin.
  EXPECT_TRUE(Contains(html,
                       "<th scope=\"col\">lead 1</th><th scope=\"col\">lead 2</th><th "
                       "scope=\"col\">lead 3</th>"));
  EXPECT_TRUE(Contains(html, "<caption>Origin 2013: fitted on 2003–2013"));
  EXPECT_TRUE(Contains(html, "<caption>Origin 2014: fitted on 2004–2014"));
  EXPECT_TRUE(
      Contains(html, "<th scope=\"col\">prior RMSE</th><th scope=\"col\">fitted RMSE</th>"));
}

TEST(BacktestReport, SelectsTheFirstHeadlineIndicatorAndColombia) {
  const std::string html = render_backtest_html(backtest());
  EXPECT_TRUE(Contains(html, "<option value=\"gdp_per_capita_ppp\" selected>"));
  EXPECT_TRUE(Contains(html, "<option selected>COL</option>"));
  EXPECT_TRUE(Contains(html, "<option>MEX</option>"));
  // Without Colombia, Mexico.
  json document = backtest();
  auto drop_colombia = [](json& rows) {
    json kept = json::array();
    for (const json& row : rows) {
      if (row["country"] != "COL") kept.push_back(row);
    }
    rows = kept;
  };
  drop_colombia(document["forecasts"]);
  drop_colombia(document["observed"]);
  const std::string without = render_backtest_html(document);
  EXPECT_TRUE(Contains(without, "<option selected>MEX</option>"));
  EXPECT_TRUE(Lacks(without, ">COL</option>"));
}

TEST(BacktestReport, OneOriginAndNoCalibration) {
  json document = backtest();
  document["settings"]["origins"] = json::array({2014});
  json origins = json::array();
  for (const json& origin : document["origins"]) {
    if (origin["origin"] == 2014) origins.push_back(origin);
  }
  document["origins"] = origins;
  document["origins"][0].erase("fit");
  const std::string html = render_backtest_html(document);
  EXPECT_TRUE(Contains(html, "<h1>Forecasts from 2014, 3 years ahead"));
  EXPECT_TRUE(Contains(html, "1 origin · 3 years ahead"));
  EXPECT_TRUE(Contains(html, "Origin 2014: no calibration; the parameter sets came from a file."));
}

TEST(BacktestReport, NamesTheMissingOrWrongField) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"/settings/horizon", "\"settings.horizon\" is missing"},
      {"/headline/coverage80", "\"headline.coverage80\" is missing"},
      {"/headline/indicators/1/ensemble_raw", "\"headline.indicators[1].ensemble_raw\" is missing"},
      {"/headline/indicators/2/persistence/crps",
       "\"headline.indicators[2].persistence.crps\" is missing"},
      {"/scores/3/methods/trend", "\"scores[3].methods.trend\" is missing"},
      {"/scores/0/lead", "\"scores[0].lead\" is missing"},
      {"/origins/1/fit/0/posterior_rmse", "\"origins[1].fit[0].posterior_rmse\" is missing"},
      {"/forecasts/5/quantiles", "\"forecasts[5].quantiles\" is missing"},
      {"/observed/2/values", "\"observed[2].values\" is missing"},
      {"/forecast_quantiles", "\"forecast_quantiles\" is missing"},
  };
  for (const auto& [pointer, expected] : cases) {
    json document = backtest();
    const json::json_pointer where(pointer);
    document[where.parent_pointer()].erase(where.back());
    const std::string message = error_for(document);
    EXPECT_THAT(message, HasSubstr(expected)) << pointer;
    EXPECT_THAT(message, HasSubstr("backtest document: ")) << pointer;
  }
  json document = backtest();
  document["headline"]["indicators"][0]["headline"] = "yes";
  EXPECT_THAT(error_for(document),
              HasSubstr("\"headline.indicators[0].headline\" must be true or false"));
  document = backtest();
  document["forecasts"][0]["quantiles"].erase(0);
  EXPECT_THAT(error_for(document),
              HasSubstr("\"forecasts[0].quantiles\" has 8 values, expected 9"));
  document = backtest();
  document["observed"][0]["values"].push_back(1.0);
  EXPECT_THAT(error_for(document), HasSubstr("\"observed[0]\" has"));
  document = backtest();
  document["forecast_quantiles"][0] = 0.01;
  EXPECT_THAT(error_for(document), HasSubstr("\"forecast_quantiles\" lacks 0.025"));
  document = backtest();
  document["settings"]["origins"] = json::array();
  EXPECT_THAT(error_for(document), HasSubstr("\"settings.origins\" is empty"));
  // Statistics that could not be computed (null) show as n/a.
  document = backtest();
  document["headline"]["indicators"][1]["ensemble"]["crps"] = nullptr;
  document["headline"]["coverage80"] = nullptr;
  const std::string html = render_backtest_html(document);
  EXPECT_TRUE(Contains(html, "<td>n/a</td>"));
  EXPECT_TRUE(Contains(html, "no outcome was scored to check its 80% intervals against"));
  // The other renderers refuse it, and it refuses theirs.
  EXPECT_THROW(render_explore_html(backtest()), InputError);
  document = backtest();
  document["format"] = "latwin-explore/1";
  EXPECT_THROW(render_backtest_html(document), InputError);
}

TEST(BacktestReport, EscapesScriptEndsAndLoadsNothing) {
  const std::string hostile = "</script><script>alert('x')</script> & <!-- \"q\"";
  json document = backtest();
  document["headline"]["indicators"][0]["name"] = hostile;
  document["forecasts"][0]["country"] = "</script><b>bold</b>";
  document["command"][1] = hostile;
  document["origins"][0]["fit"][0]["indicator"] = "<!--<script>";
  const std::string html = render_backtest_html(document);
  EXPECT_EQ(count(lower(html), "</script"), 4u);
  EXPECT_TRUE(Lacks(html, "<script>alert"));
  EXPECT_TRUE(Lacks(html, "<!--"));
  EXPECT_TRUE(Lacks(html, "<b>bold</b>"));
  EXPECT_EQ(json::parse(json_script(html, "latwin-backtest")), document);
  const std::string page = lower(render_backtest_html(backtest()));
  EXPECT_TRUE(Lacks(page, "src=\"http"));
  EXPECT_TRUE(Lacks(page, "href=\"http"));
  EXPECT_TRUE(Lacks(page, "@import"));
  EXPECT_TRUE(Contains(page, "content-security-policy\" content=\"default-src 'none';"));
}

}  // namespace
}  // namespace latwin::report
