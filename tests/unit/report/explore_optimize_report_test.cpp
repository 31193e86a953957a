// render_explore_html(), render_optimize_html() and render_any_report_html(): what they
// refuse, and that their pages are safe and offline. browser_test.cpp checks that they draw.
#include <fmt/format.h>
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

json fixture(const std::string& name) {
  const std::string path = std::string(LATWIN_SOURCE_DIR) + "/tests/data/report/" + name;
  std::ifstream in(path);
  EXPECT_TRUE(in) << "cannot read " << path;
  return json::parse(in);
}
json morris() {
  return fixture("explore-morris-sample.json");
}
json sobol() {
  return fixture("explore-sobol-sample.json");
}
json optimize() {
  return fixture("optimize-sample.json");
}
json pareto() {
  return fixture("optimize-pareto-sample.json");
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

// Whether some `name=` (or `url(`) has a value starting with one of `prefixes`.
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

TEST(ExploreReport, RendersMorris) {
  const std::string html = render_explore_html(morris());
  EXPECT_TRUE(Contains(html, "<!DOCTYPE html>"));
  EXPECT_TRUE(Contains(html, "What drives security-first&#39;s Latin Win Index minus"));
  EXPECT_TRUE(Contains(html, "A run counts as a failure when security-first does worse"));
  EXPECT_TRUE(Contains(html, "trade_saturation below 0.375"));
  EXPECT_TRUE(Contains(html, "All 191 factors as a table"));
  EXPECT_TRUE(Contains(html, "Factors are quantiles of each parameter's distribution"));
  EXPECT_TRUE(Contains(html, "<th scope=\"col\">mu*</th>"));
  // The chosen box's limits, as quantiles; an open side as a dash.
  EXPECT_TRUE(
      Contains(html, "<tr><th scope=\"row\">trade_saturation</th><td>—</td><td>0.375</td>"));
  EXPECT_EQ(count(html, "<div class=\"chart"), 2u);
  EXPECT_TRUE(Contains(html, "data-chart=\"sensitivity\""));
  EXPECT_TRUE(Contains(html, "data-chart=\"prim\""));
  EXPECT_EQ(render_any_report_html(morris()), html);
}

TEST(ExploreReport, RendersSobolAndLhs) {
  const std::string html = render_explore_html(sobol());
  EXPECT_TRUE(Contains(html, "<th scope=\"col\">total-order</th>"));
  EXPECT_TRUE(Contains(html, "No range of the factors concentrates the failures"));
  EXPECT_TRUE(Contains(html, "no limit: the whole space"));
  EXPECT_EQ(count(html, "<div class=\"chart"), 2u);

  json lhs = morris();
  lhs["design"] = "lhs";
  lhs.erase("morris");
  const std::string lhs_html = render_explore_html(lhs);
  EXPECT_TRUE(Contains(lhs_html, "The lhs design estimates no sensitivity indices"));
  EXPECT_EQ(count(lhs_html, "<div class=\"chart"), 1u);

  json empty = lhs;
  empty["prim"]["trajectory"] = json::array();
  EXPECT_EQ(count(render_explore_html(empty), "<div class=\"chart"), 0u);
}

TEST(ExploreReport, NamesTheMissingOrWrongField) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"/outcome", "\"outcome\" is missing"},
      {"/prim/trajectory/1/limits", "\"prim.trajectory[1].limits\" is missing"},
      {"/morris/3/mu_star", "\"morris[3].mu_star\" is missing"},
      {"/prim/base_density", "\"prim.base_density\" is missing"},
  };
  for (const auto& [pointer, expected] : cases) {
    json document = morris();
    const json::json_pointer where(pointer);
    document[where.parent_pointer()].erase(where.back());
    const std::string message = error_for(document);
    EXPECT_THAT(message, HasSubstr(expected)) << pointer;
    EXPECT_THAT(message, HasSubstr("exploration document: ")) << pointer;
  }
  json document = morris();
  document["prim"]["chosen"] = 7;
  EXPECT_THAT(error_for(document), HasSubstr("\"prim.chosen\" is 7, not a step"));
  document = sobol();
  document["sobol"][0]["total"] = "big";
  EXPECT_THAT(error_for(document), HasSubstr("\"sobol[0].total\" must be a number or null"));
  // Null statistics (non-finite) are accepted.
  document = sobol();
  document["sobol"][0]["total"] = nullptr;
  EXPECT_EQ(error_for(document), "");
}

TEST(OptimizeReport, RendersTheSample) {
  const std::string html = render_optimize_html(optimize());
  EXPECT_TRUE(Contains(html, "Spending $1.00 billion a year under the baseline scenario"));
  EXPECT_TRUE(Contains(html, "<td>Andean</td><td>2024-2040</td><td>$380 million</td>"));
  EXPECT_TRUE(Contains(html, "At most $30 per inhabitant a year in any country"));
  EXPECT_TRUE(Contains(html, "reaches an objective of -0.0923"));
  EXPECT_EQ(count(html, "<div class=\"chart"), 2u);
  EXPECT_TRUE(Contains(html, "data-chart=\"convergence\""));
  EXPECT_TRUE(Contains(html, "data-chart=\"allocation\""));
  EXPECT_EQ(render_any_report_html(optimize()), html);
}

TEST(OptimizeReport, RendersTheParetoFront) {
  const json document = pareto();
  const std::string html = render_optimize_html(document);
  EXPECT_TRUE(Contains(html, "<h2>Pareto front</h2>"));
  EXPECT_TRUE(Contains(html, "The search found 19 allocations on the Pareto front"));
  EXPECT_TRUE(Contains(html, "The one with the highest mean index, -0.0930, spends $1.00 billion"));
  EXPECT_TRUE(Contains(html, "<a href=\"#pareto\">Pareto front</a>"));
  EXPECT_TRUE(Contains(html, "every point is a strategy file in <code>out/optimized-front</code>"));
  // The objectives without their shared prefix; point 1 leads on the index (bold).
  EXPECT_TRUE(Contains(html, "<th scope=\"col\">drugs</th><th scope=\"col\">migration</th>"));
  EXPECT_TRUE(Contains(html, "<tr><th scope=\"row\">1</th><td><b>-0.0930</b></td>"));
  EXPECT_TRUE(Contains(html, "<td><b>+0.0109</b></td>"));  // the best violence
  EXPECT_TRUE(Contains(html, "security cooperation 59%"));
  EXPECT_TRUE(Contains(html, "<td><code>out/optimized-front/point-19.yaml</code></td>"));
  EXPECT_TRUE(Contains(html, "<h2>Allocation of point 1, the highest index</h2>"));
  EXPECT_TRUE(Contains(html, "the highest mean index of any allocation tried so far"));
  EXPECT_TRUE(Contains(html, "<dt>Pareto front</dt>"));
  EXPECT_EQ(count(html, "<div class=\"chart"), 3u);
  EXPECT_TRUE(Contains(html, "data-chart=\"pareto\""));
  EXPECT_EQ(render_any_report_html(document), html);
  // Without the section, none of it.
  json single = document;
  single.erase("pareto");
  const std::string single_html = render_optimize_html(single);
  EXPECT_TRUE(Lacks(single_html, "<h2>Pareto front</h2>"));
  EXPECT_TRUE(Lacks(single_html, "<dt>Pareto front</dt>"));
  EXPECT_EQ(count(single_html, "<div class=\"chart"), 2u);
}

TEST(OptimizeReport, NamesTheMissingOrWrongParetoField) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"/pareto/objectives", "\"pareto.objectives\" is missing"},
      {"/pareto/points/2/file", "\"pareto.points[2].file\" is missing"},
      {"/pareto/points/0/components/component_trade",
       "\"pareto.points[0].components.component_trade\" is missing"},
      {"/pareto/points/1/usd_per_year", "\"pareto.points[1].usd_per_year\" is missing"},
  };
  for (const auto& [pointer, expected] : cases) {
    json document = pareto();
    const json::json_pointer where(pointer);
    document[where.parent_pointer()].erase(where.back());
    const std::string message = error_for(document);
    EXPECT_THAT(message, HasSubstr(expected)) << pointer;
    EXPECT_THAT(message, HasSubstr("optimisation document: ")) << pointer;
  }
  json document = pareto();
  document["pareto"]["points"][0]["usd_per_year"]["security_cooperation"] = "lots";
  EXPECT_THAT(error_for(document),
              HasSubstr("\"pareto.points[0].usd_per_year.security_cooperation\" must be a number"));
  document = pareto();
  document["pareto"]["points"] = json::array();
  EXPECT_THAT(error_for(document), HasSubstr("\"pareto.points\" is empty"));
  document = pareto();
  document["pareto"]["objectives"] = json::array({"component_drugs"});
  EXPECT_THAT(error_for(document), HasSubstr("must name two objectives or more"));
  // A component that could not be computed (null) shows as n/a.
  document = pareto();
  document["pareto"]["points"][3]["components"]["component_drugs"] = nullptr;
  EXPECT_TRUE(Contains(render_optimize_html(document), "<td>n/a</td>"));
}

TEST(OptimizeReport, NamesTheMissingOrWrongField) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"/budget_usd_per_year", "\"budget_usd_per_year\" is missing"},
      {"/history/2/evaluations", "\"history[2].evaluations\" is missing"},
      {"/units/1/usd_per_year", "\"units[1].usd_per_year\" is missing"},
      {"/constraints", "\"constraints\" is missing"},
  };
  for (const auto& [pointer, expected] : cases) {
    json document = optimize();
    const json::json_pointer where(pointer);
    document[where.parent_pointer()].erase(where.back());
    const std::string message = error_for(document);
    EXPECT_THAT(message, HasSubstr(expected)) << pointer;
    EXPECT_THAT(message, HasSubstr("optimisation document: ")) << pointer;
  }
  json document = optimize();
  document["units"][0]["group"] = 3;
  EXPECT_THAT(error_for(document), HasSubstr("\"units[0].group\" must be a string"));
}

TEST(AnyReport, RejectsOtherFormats) {
  json document = optimize();
  document["format"] = "latwin-run/1";
  EXPECT_THAT(error_for(document), HasSubstr("no report for format \"latwin-run/1\""));
  EXPECT_THAT(error_for(document), HasSubstr("\"latwin-explore/1\""));
  document["format"] = 3;
  EXPECT_THAT(error_for(document), HasSubstr("no report for format 3"));
  document.erase("format");
  EXPECT_THAT(error_for(document), HasSubstr("has no \"format\""));
  EXPECT_THAT(error_for(json::array()), HasSubstr("not a JSON object"));
  // The specific renderers refuse each other's documents.
  EXPECT_THROW(render_explore_html(optimize()), InputError);
  EXPECT_THROW(render_optimize_html(morris()), InputError);
  EXPECT_THROW(render_report_html(morris()), InputError);
  // And a comparison still goes to the comparison page.
  const json compare = fixture("compare-sample.json");
  EXPECT_EQ(render_any_report_html(compare), render_report_html(compare));
}

TEST(AnyReport, EscapesScriptEndsInStrings) {
  const std::string hostile = "</script><script>alert('x')</script> & <!-- \"q\"";
  json explore = morris();
  explore["outcome"] = hostile;
  explore["morris"][0]["factor"] = "</SCRIPT ><b>bold</b>";
  explore["prim"]["trajectory"][2]["limits"][0]["factor"] = "<!--<script>";
  json opt = optimize();
  opt["constraints"][0] = hostile;
  opt["units"][0]["group"] = "</script><b>bold</b>";
  json front = pareto();
  front["pareto"]["folder"] = hostile;
  front["pareto"]["points"][0]["file"] = "</script><b>bold</b>";
  front["pareto"]["points"][1]["usd_per_year"]["<script>alert('x')</script>"] = 1.0;
  for (const json& document : {explore, opt, front}) {
    const std::string html = render_any_report_html(document);
    // Only the page's own four scripts end: error handler, document, ECharts, report.js.
    EXPECT_EQ(count(lower(html), "</script"), 4u);
    EXPECT_TRUE(Lacks(html, "<script>alert"));
    EXPECT_TRUE(Lacks(html, "<!--"));
    EXPECT_TRUE(Lacks(html, "<b>bold</b>"));
    EXPECT_TRUE(Contains(html,
                         "&lt;/script&gt;&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; "
                         "&amp; &lt;!-- &quot;q&quot;"));
    const std::string id =
        document["format"] == "latwin-explore/1" ? "latwin-explore" : "latwin-optimize";
    EXPECT_EQ(json::parse(json_script(html, id)), document);
  }
}

TEST(AnyReport, LoadsNothingFromTheNetwork) {
  for (const json& document : {morris(), sobol(), optimize(), pareto()}) {
    const std::string html = lower(render_any_report_html(document));
    for (const std::string name : {"src", "href", "action", "poster", "url("}) {
      EXPECT_FALSE(has_value_starting_with(html, name, {"http:", "https:", "//"})) << name;
    }
    EXPECT_TRUE(Lacks(html, "@import"));
    EXPECT_TRUE(Contains(html, "content-security-policy\" content=\"default-src 'none';"));
  }
}

}  // namespace
}  // namespace latwin::report
