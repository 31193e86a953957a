// render_report_html(): what it refuses, and that the page it writes is safe and offline.
// The browser test (browser_test.cpp) checks that the page actually draws.
#include "report/html_report.hpp"

#include <fmt/format.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <fstream>
#include <set>
#include <string>
#include <vector>

#include "core/error.hpp"

namespace latwin::report {
namespace {

using nlohmann::json;
using ::testing::HasSubstr;
using ::testing::Not;

const std::string kSample =
    std::string(LATWIN_SOURCE_DIR) + "/tests/data/report/compare-sample.json";

json sample() {
  std::ifstream in(kSample);
  EXPECT_TRUE(in) << "cannot read " << kSample;
  return json::parse(in);
}

// The message render_report_html() throws for the document, or "" when it throws none.
std::string error_for(const json& document) {
  try {
    render_report_html(document);
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

// Whether the page holds the text; unlike HasSubstr, a failure does not print the whole page
// (1.5 MB).
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

// The text of <script type="application/json" id="ID">.
std::string json_script(const std::string& html, const std::string& id) {
  const std::string open = "<script type=\"application/json\" id=\"" + id + "\">";
  const auto start = html.find(open);
  if (start == std::string::npos) return "";
  const auto body = start + open.size();
  return html.substr(body, html.find("</script>", body) - body);
}

TEST(HtmlReport, RendersTheSample) {
  const std::string html = render_report_html(sample());
  EXPECT_TRUE(Contains(html, "<!DOCTYPE html>"));
  EXPECT_TRUE(Contains(html, "Which strategy best serves U.S. security interests"));
  EXPECT_TRUE(Contains(html, "The comprehensive strategy does best"));
  EXPECT_TRUE(Contains(html, "How to reproduce"));
  EXPECT_TRUE(Contains(html,
                       "<span class=\"word\">latwin</span> <span class=\"word\">compare</span> "
                       "<span class=\"word\">--model</span>"));
  // One distribution chart, a fan chart per strategy, the map, the spending chart.
  EXPECT_EQ(count(html, "<div class=\"chart"), 1u + 6u + 1u + 1u);
}

TEST(HtmlReport, TablesHoldTheDocumentsNumbers) {
  const json document = sample();
  const std::string html = render_report_html(document);
  // comprehensive: median and interval of the index (3 decimals at this scale), P(beats ref).
  const json& horizon = document["results"][5]["horizon"]["latin_win_index"];
  EXPECT_TRUE(Contains(
      html, fmt::format("<td>{:.3f}</td><td>{:.3f} to {:.3f}</td>", horizon["p50"].get<double>(),
                        horizon["p5"].get<double>(), horizon["p95"].get<double>())));
  EXPECT_TRUE(Contains(html, "<td>98%</td>"));
  EXPECT_TRUE(Contains(html, "<b>comprehensive</b> dominates <b>status-quo</b>"));
  EXPECT_TRUE(Contains(html, "$4.40 billion a year"));
}

TEST(HtmlReport, RejectsAnotherFormat) {
  json document = sample();
  document["format"] = "latwin-run/1";
  const std::string message = error_for(document);
  EXPECT_THAT(message, HasSubstr("format is \"latwin-run/1\", expected \"latwin-compare/1\""));

  document.erase("format");
  EXPECT_THAT(error_for(document), HasSubstr("\"format\" is missing"));
  EXPECT_THAT(error_for(json::array()), HasSubstr("expected a JSON object"));
}

TEST(HtmlReport, NamesTheMissingField) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"/question", "\"question\" is missing"},
      {"/model/sha256", "\"model.sha256\" is missing"},
      {"/strategies/1/spending_usd_per_year", "\"strategies[1].spending_usd_per_year\" is missing"},
      {"/results/2/index_at_horizon", "\"results[2].index_at_horizon\" is missing"},
      {"/results/0/countries/BRB", "\"results[0].countries.BRB\" is missing"},
      {"/results/3/trajectories/component_trade/p75",
       "\"results[3].trajectories.component_trade.p75\" is missing"},
      {"/pairwise/dominates", "\"pairwise.dominates\" is missing"},
      {"/countries/4/latitude", "\"countries[4].latitude\" is missing"},
  };
  for (const auto& [pointer, expected] : cases) {
    json document = sample();
    const json::json_pointer where(pointer);
    document[where.parent_pointer()].erase(where.back());
    const std::string message = error_for(document);
    EXPECT_THAT(message, HasSubstr(expected)) << pointer;
    EXPECT_THAT(message, HasSubstr("comparison document: ")) << pointer;
  }
}

TEST(HtmlReport, RejectsWrongTypesAndShapes) {
  json document = sample();
  document["members"] = "many";
  EXPECT_THAT(error_for(document), HasSubstr("\"members\" must be a number"));

  document = sample();
  document["results"][1]["trajectories"]["latin_win_index"]["p50"].erase(0);
  EXPECT_THAT(error_for(document),
              HasSubstr("\"results[1].trajectories.latin_win_index.p50\" has 16 elements, "
                        "expected 17"));

  document = sample();
  document["reference"] = "isolation";
  EXPECT_THAT(error_for(document), HasSubstr("the reference \"isolation\" is not one of"));

  document = sample();
  std::swap(document["results"][0], document["results"][1]);
  EXPECT_THAT(error_for(document), HasSubstr("\"results[0].strategy\" is \"disengagement\""));
}

TEST(HtmlReport, AcceptsNullStatistics) {
  json document = sample();
  document["results"][1]["prob_best"] = nullptr;
  document["results"][1]["index_at_horizon"][3] = nullptr;
  document["results"][1]["countries"]["ARG"]["mean"] = nullptr;
  EXPECT_EQ(error_for(document), "");
}

TEST(HtmlReport, EscapesScriptEndsInStrings) {
  json document = sample();
  const std::string hostile = "</script><script>alert('x')</script> & <!-- \"quoted\"";
  document["question"] = hostile;
  document["strategies"][2]["description"] = "</SCRIPT ><b>bold</b>";
  document["scenario"]["summary"][0] = "<!--<script>";
  document["countries"][0]["name"] = "Argentina</script>";
  const std::string html = render_report_html(document);

  // Only the page's own five scripts end; no text starts another.
  EXPECT_EQ(count(lower(html), "</script"), 5u);
  EXPECT_TRUE(Lacks(html, "<script>alert"));
  EXPECT_TRUE(Lacks(html, "<!--"));
  EXPECT_TRUE(Lacks(html, "<b>bold</b>"));
  // As text, escaped.
  EXPECT_TRUE(Contains(html,
                       "&lt;/script&gt;&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; "
                       "&amp; &lt;!-- &quot;quoted&quot;"));
  // As data, intact.
  const json embedded = json::parse(json_script(html, "latwin-compare"));
  EXPECT_EQ(embedded, document);
  EXPECT_EQ(embedded["question"], hostile);
}

// Whether some `name=` in the text has a value that starts with one of `prefixes` (spaces
// and one quote skipped). By hand: std::regex recurses too deep on a page this long.
bool has_value_starting_with(const std::string& text, const std::string& name,
                             const std::vector<std::string>& prefixes) {
  for (auto pos = text.find(name); pos != std::string::npos; pos = text.find(name, pos + 1)) {
    auto at = pos + name.size();
    while (at < text.size() && std::isspace(static_cast<unsigned char>(text[at]))) ++at;
    if (name.back() != '(' && (at >= text.size() || text[at++] != '=')) continue;
    while (at < text.size() && std::isspace(static_cast<unsigned char>(text[at]))) ++at;
    if (at < text.size() && (text[at] == '"' || text[at] == '\'')) ++at;
    for (const std::string& prefix : prefixes) {
      if (text.compare(at, prefix.size(), prefix) == 0) return true;
    }
  }
  return false;
}

TEST(HtmlReport, LoadsNothingFromTheNetwork) {
  const std::string html = lower(render_report_html(sample()));
  // No element or style points at another host, whatever the scheme ("//host" is the page's).
  for (const std::string name : {"src", "href", "action", "poster", "url("}) {
    EXPECT_FALSE(has_value_starting_with(html, name, {"http:", "https:", "//"})) << name;
  }
  EXPECT_TRUE(Lacks(html, "@import"));
  // And the page says so to the browser, which then blocks any request.
  EXPECT_TRUE(Contains(html, "content-security-policy\" content=\"default-src 'none';"));
  // The map and the document are inlined.
  EXPECT_THAT(json_script(html, "latwin-region"), HasSubstr("\"featurecollection\""));
}

TEST(HtmlReport, MapHasEveryStateOfTheSample) {
  const json document = sample();
  const json region = json::parse(json_script(render_report_html(document), "latwin-region"));
  std::set<std::string> lac;
  for (const json& feature : region["features"]) {
    if (feature["properties"]["role"] == "lac") lac.insert(feature["properties"]["name"]);
  }
  for (const json& country : document["countries"]) {
    EXPECT_TRUE(lac.count(country["iso3"].get<std::string>())) << country["iso3"];
  }
  EXPECT_EQ(lac.size(), 33u);
}

}  // namespace
}  // namespace latwin::report
