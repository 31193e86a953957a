#include "report/html_report.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstddef>
#include <initializer_list>
#include <iterator>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/error.hpp"
#include "report/report_assets.hpp"

namespace latwin::report {
namespace {

using nlohmann::json;

constexpr std::string_view kFormat = "latwin-compare/1";

// ---- checking the document

[[noreturn]] void fail(const std::string& message) {
  throw InputError(fmt::format("comparison document: {} (see docs/compare-format.md)", message));
}

std::string join_path(const std::string& parent, std::string_view key) {
  return parent.empty() ? std::string(key) : fmt::format("{}.{}", parent, key);
}

// The member `key` of the object at `path`; throws when it is absent.
const json& member(const json& object, std::string_view key, const std::string& path) {
  const auto found = object.find(key);
  if (found == object.end()) fail(fmt::format("\"{}\" is missing", join_path(path, key)));
  return *found;
}

const json& object_at(const json& parent, std::string_view key, const std::string& path) {
  const json& value = member(parent, key, path);
  if (!value.is_object()) fail(fmt::format("\"{}\" must be an object", join_path(path, key)));
  return value;
}

void check_string(const json& parent, std::string_view key, const std::string& path) {
  if (!member(parent, key, path).is_string()) {
    fail(fmt::format("\"{}\" must be a string", join_path(path, key)));
  }
}

void check_number(const json& parent, std::string_view key, const std::string& path) {
  if (!member(parent, key, path).is_number()) {
    fail(fmt::format("\"{}\" must be a number", join_path(path, key)));
  }
}

// A statistic: a number, or null when it could not be computed.
void check_statistic(const json& parent, std::string_view key, const std::string& path) {
  const json& value = member(parent, key, path);
  if (!value.is_number() && !value.is_null()) {
    fail(fmt::format("\"{}\" must be a number or null", join_path(path, key)));
  }
}

// An array of `size` elements (any size when size is npos) each passing `check_element`.
template <typename CheckElement>
const json& check_array(const json& parent, std::string_view key, const std::string& path,
                        std::size_t size, CheckElement check_element) {
  const json& value = member(parent, key, path);
  const std::string where = join_path(path, key);
  if (!value.is_array()) fail(fmt::format("\"{}\" must be an array", where));
  if (size != std::string::npos && value.size() != size) {
    fail(fmt::format("\"{}\" has {} elements, expected {}", where, value.size(), size));
  }
  for (std::size_t idx = 0; idx < value.size(); ++idx) {
    check_element(value[idx], fmt::format("{}[{}]", where, idx));
  }
  return value;
}

void check_statistics(const json& parent, std::string_view key, const std::string& path,
                      std::initializer_list<std::string_view> names) {
  const json& stats = object_at(parent, key, path);
  for (std::string_view name : names) check_statistic(stats, name, join_path(path, key));
}

void check_strings(const json& parent, std::string_view key, const std::string& path) {
  check_array(parent, key, path, std::string::npos, [](const json& value, const std::string& at) {
    if (!value.is_string()) fail(fmt::format("\"{}\" must be a string", at));
  });
}

void check_numbers_or_null(const json& parent, std::string_view key, const std::string& path,
                           std::size_t size) {
  check_array(parent, key, path, size, [](const json& value, const std::string& at) {
    if (!value.is_number() && !value.is_null()) {
      fail(fmt::format("\"{}\" must be a number or null", at));
    }
  });
}

void check_variable(const json& value, const std::string& path) {
  if (!value.is_object()) fail(fmt::format("\"{}\" must be an object", path));
  for (std::string_view key : {"variable", "label", "description"}) {
    check_string(value, key, path);
  }
}

// Every field the report reads, so that the page never draws half a chart.
void check_document(const json& doc) {
  if (!doc.is_object()) fail("expected a JSON object");
  const auto format = doc.find("format");
  if (format == doc.end()) fail("\"format\" is missing: not a latwin-compare/1 document");
  if (!format->is_string() || format->get<std::string>() != kFormat) {
    fail(fmt::format("format is {}, expected \"{}\"", format->dump(), kFormat));
  }
  for (std::string_view key :
       {"created", "latwin_version", "command", "question", "answer", "reference"}) {
    check_string(doc, key, "");
  }
  for (std::string_view key : {"seed", "members", "threads", "horizon"}) {
    check_number(doc, key, "");
  }

  const json& model = object_at(doc, "model", "");
  for (std::string_view key : {"path", "sha256"}) check_string(model, key, "model");
  for (std::string_view key : {"start", "stop"}) check_number(model, key, "model");
  const json& data = object_at(doc, "data", "");
  for (std::string_view key : {"path", "sha256"}) check_string(data, key, "data");
  const json& scenario = object_at(doc, "scenario", "");
  for (std::string_view key : {"name", "description", "path", "sha256"}) {
    check_string(scenario, key, "scenario");
  }
  check_strings(scenario, "summary", "scenario");

  std::vector<std::string> names;
  check_array(doc, "strategies", "", std::string::npos,
              [&](const json& strategy, const std::string& at) {
                if (!strategy.is_object()) fail(fmt::format("\"{}\" must be an object", at));
                for (std::string_view key : {"name", "description", "path", "sha256"}) {
                  check_string(strategy, key, at);
                }
                check_strings(strategy, "summary", at);
                check_number(strategy, "total_usd_per_year", at);
                for (std::string_view key : {"spending_usd_per_year", "pressure"}) {
                  const json& amounts = object_at(strategy, key, at);
                  for (const auto& [name, value] : amounts.items()) {
                    if (!value.is_number()) {
                      fail(fmt::format("\"{}.{}.{}\" must be a number", at, key, name));
                    }
                  }
                }
                names.push_back(strategy.at("name").get<std::string>());
              });
  if (names.empty()) fail("\"strategies\" is empty");
  if (std::set<std::string>(names.begin(), names.end()).size() != names.size()) {
    fail("two strategies have the same name");
  }
  const std::string reference = doc.at("reference").get<std::string>();
  if (std::find(names.begin(), names.end(), reference) == names.end()) {
    fail(fmt::format("the reference \"{}\" is not one of the strategies", reference));
  }

  const json& years = check_array(doc, "years", "", std::string::npos,
                                  [](const json& value, const std::string& at) {
                                    if (!value.is_number()) {
                                      fail(fmt::format("\"{}\" must be a number", at));
                                    }
                                  });
  if (years.empty()) fail("\"years\" is empty");

  check_variable(member(doc, "index", ""), "index");
  check_array(doc, "components", "", std::string::npos, check_variable);
  check_variable(member(doc, "country_outcome", ""), "country_outcome");
  std::vector<std::string> variables = {doc.at("index").at("variable").get<std::string>()};
  for (const json& component : doc.at("components")) {
    variables.push_back(component.at("variable").get<std::string>());
  }

  std::vector<std::string> countries;
  check_array(doc, "countries", "", std::string::npos,
              [&](const json& country, const std::string& at) {
                if (!country.is_object()) fail(fmt::format("\"{}\" must be an object", at));
                for (std::string_view key : {"iso3", "name", "subregion"})
                  check_string(country, key, at);
                for (std::string_view key : {"latitude", "longitude"})
                  check_number(country, key, at);
                countries.push_back(country.at("iso3").get<std::string>());
              });

  std::size_t idx = 0;
  check_array(doc, "results", "", names.size(), [&](const json& result, const std::string& at) {
    if (!result.is_object()) fail(fmt::format("\"{}\" must be an object", at));
    check_string(result, "strategy", at);
    if (result.at("strategy").get<std::string>() != names[idx]) {
      fail(
          fmt::format("\"{}.strategy\" is \"{}\", expected \"{}\" (the same order as "
                      "\"strategies\")",
                      at, result.at("strategy").get<std::string>(), names[idx]));
    }
    const json& trajectories = object_at(result, "trajectories", at);
    const json& horizon = object_at(result, "horizon", at);
    for (const std::string& variable : variables) {
      const std::string trajectory_at = fmt::format("{}.trajectories", at);
      const json& trajectory = object_at(trajectories, variable, trajectory_at);
      for (std::string_view key : {"mean", "p5", "p25", "p50", "p75", "p95"}) {
        check_numbers_or_null(trajectory, key, join_path(trajectory_at, variable), years.size());
      }
      check_statistics(horizon, variable, fmt::format("{}.horizon", at),
                       {"mean", "sd", "p5", "p25", "p50", "p75", "p95"});
    }
    check_numbers_or_null(result, "index_at_horizon", at, std::string::npos);
    const json& by_country = object_at(result, "countries", at);
    for (const std::string& iso3 : countries) {
      check_statistics(by_country, iso3, fmt::format("{}.countries", at),
                       {"mean", "p5", "p50", "p95"});
    }
    for (std::string_view key : {"prob_beats_reference", "expected_regret", "prob_best"}) {
      check_statistic(result, key, at);
    }
    check_number(result, "non_finite_members", at);
    ++idx;
  });

  const json& pairwise = object_at(doc, "pairwise", "");
  check_array(
      pairwise, "prob_beats", "pairwise", names.size(),
      [&](const json& row, const std::string& at) {
        if (!row.is_array() || row.size() != names.size()) {
          fail(fmt::format("\"{}\" must be an array of {} numbers or nulls", at, names.size()));
        }
        for (const json& value : row) {
          if (!value.is_number() && !value.is_null()) {
            fail(fmt::format("\"{}\" must hold numbers or nulls", at));
          }
        }
      });
  check_array(pairwise, "dominates", "pairwise", names.size(),
              [&](const json& row, const std::string& at) {
                if (!row.is_array() || row.size() != names.size()) {
                  fail(fmt::format("\"{}\" must be an array of {} booleans", at, names.size()));
                }
                for (const json& value : row) {
                  if (!value.is_boolean()) fail(fmt::format("\"{}\" must hold booleans", at));
                }
              });
}

// ---- text

std::string escape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

std::string text(const json& value) {
  return escape(value.get<std::string>());
}

// JSON for a <script type="application/json"> element: '<', '>' and '&' only occur inside
// JSON strings, where \u escapes mean the same, so "</script>" or "<!--" in any text cannot
// end or change the element. Invalid UTF-8 becomes U+FFFD rather than failing.
std::string script_json(const json& value) {
  const std::string dumped = value.dump(-1, ' ', false, json::error_handler_t::replace);
  std::string out;
  out.reserve(dumped.size());
  for (char c : dumped) {
    switch (c) {
      case '<':
        out += "\\u003c";
        break;
      case '>':
        out += "\\u003e";
        break;
      case '&':
        out += "\\u0026";
        break;
      default:
        out += c;
    }
  }
  return out;
}

// The command, each word kept on one line: a browser would otherwise break "--seed" after
// its first hyphen. Copying it gives the command back unchanged.
std::string command_html(std::string_view command) {
  std::string out;
  std::size_t start = 0;
  while (start <= command.size()) {
    const std::size_t space = std::min(command.find(' ', start), command.size());
    const std::string_view word = command.substr(start, space - start);
    if (!word.empty()) out += fmt::format("<span class=\"word\">{}</span>", escape(word));
    if (space < command.size()) out += ' ';
    start = space + 1;
  }
  return out;
}

// A year, a count or a seed as written in the document: 2040, not 2040.0.
std::string whole(const json& value) {
  if (value.is_number_float()) {
    const double x = value.get<double>();
    if (std::isfinite(x) && x == std::floor(x) && std::abs(x) < 1e15) {
      return fmt::format("{:.0f}", x);
    }
  }
  return value.dump();
}

// Decimals that show about three significant digits of the index's 5-95% range.
int index_decimals(const json& doc) {
  const std::string variable = doc.at("index").at("variable").get<std::string>();
  double scale = 0;
  for (const json& result : doc.at("results")) {
    const json& stats = result.at("horizon").at(variable);
    for (const char* key : {"p5", "p95"}) {
      if (stats.at(key).is_number()) scale = std::max(scale, std::abs(stats.at(key).get<double>()));
    }
  }
  if (!(scale > 0) || !std::isfinite(scale)) return 3;
  return std::clamp(2 - static_cast<int>(std::floor(std::log10(scale))), 0, 6);
}

std::string number(const json& value, int decimals) {
  if (!value.is_number()) return "n/a";
  const double x = value.get<double>();
  // "-0.000" reads as a sign error.
  const std::string out = fmt::format("{:.{}f}", x, decimals);
  return out.find_first_not_of("-0.") == std::string::npos ? out.substr(out[0] == '-') : out;
}

// A probability in percent; never 0% or 100% unless exactly so.
std::string percent(const json& value) {
  if (!value.is_number()) return "n/a";
  const double p = value.get<double>() * 100;
  if (p > 0 && p < 0.5) return "&lt;1%";
  if (p < 100 && p > 99.5) return "&gt;99%";
  return fmt::format("{:.0f}%", p);
}

std::string usd(double amount) {
  const double magnitude = std::abs(amount);
  // 999.8 million shows as $1.00 billion, not "$1000 million".
  if (magnitude >= 999.5e6) return fmt::format("${:.2f} billion", amount / 1e9);
  if (magnitude >= 1e6) return fmt::format("${:.0f} million", amount / 1e6);
  if (magnitude > 0) return fmt::format("${:.0f}", amount);
  return "$0";
}

std::string readable(std::string name) {
  std::replace(name.begin(), name.end(), '_', ' ');
  return name;
}

// "a", "a and b", "a, b and c".
std::string and_list(const std::vector<std::string>& items) {
  std::string out;
  for (std::size_t idx = 0; idx < items.size(); ++idx) {
    if (idx > 0) out += idx + 1 == items.size() ? " and " : ", ";
    out += items[idx];
  }
  return out;
}

// ---- the page

using Out = std::back_insert_iterator<std::string>;

void write_head(Out out, const json& doc) {
  fmt::format_to(out,
                 "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
                 // Offline by construction: the page may load nothing at all.
                 "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
                 "script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:\">\n"
                 "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
                 "<meta name=\"generator\" content=\"latwin {}\">\n"
                 "<title>Strategy comparison: {} — latwin</title>\n<style>\n{}\n</style>\n"
                 "</head>\n",
                 text(doc.at("latwin_version")), text(doc.at("scenario").at("name")), report_css());
}

void write_intro(Out out, const json& doc) {
  fmt::format_to(
      out,
      "<header>\n<p class=\"kicker\">latwin strategy comparison</p>\n"
      "<h1>{} strategies under the {} scenario, {}–{}</h1>\n"
      "<p class=\"meta\">{} members · seed {} · reference strategy: <b>{}</b> · "
      "created {} · latwin {}</p>\n"
      "<div id=\"report-error\" class=\"error\" hidden></div>\n"
      "<section class=\"finding\">\n<p class=\"question\">{}</p>\n<p class=\"answer\">{}</p>\n"
      "</section>\n"
      "<nav><a href=\"#index\">Index at the horizon</a> · <a href=\"#time\">Over time</a> · "
      "<a href=\"#map\">Countries</a> · <a href=\"#pairs\">Pairs</a> · "
      "<a href=\"#inputs\">Inputs</a> · <a href=\"#provenance\">Reproduce</a> · "
      "<a href=\"#glossary\">Glossary</a></nav>\n</header>\n",
      doc.at("strategies").size(), text(doc.at("scenario").at("name")),
      whole(doc.at("model").at("start")), whole(doc.at("horizon")), whole(doc.at("members")),
      whole(doc.at("seed")), text(doc.at("reference")), text(doc.at("created")),
      text(doc.at("latwin_version")), text(doc.at("question")), text(doc.at("answer")));
}

void write_index_section(Out out, const json& doc, int decimals) {
  const json& index = doc.at("index");
  const std::string variable = index.at("variable").get<std::string>();
  const std::string reference = doc.at("reference").get<std::string>();
  fmt::format_to(out,
                 "<section id=\"index\">\n<h2>{} in {}</h2>\n<p class=\"lead\">{}</p>\n"
                 "<div class=\"chart\" data-chart=\"distribution\" role=\"img\" "
                 "aria-label=\"Distribution of the {} in {} per strategy\"></div>\n"
                 "<p class=\"how\">How to read: one row per strategy; each dot is one member "
                 "(one possible future), the box holds the middle half of the members (25th to "
                 "75th percentile), the line in it is the median and the whiskers reach the 5th "
                 "and 95th percentiles. The dashed line is the median of the reference strategy, "
                 "{}. Further right is better for the U.S.</p>\n",
                 text(index.at("label")), whole(doc.at("horizon")), text(index.at("description")),
                 text(index.at("label")), whole(doc.at("horizon")), escape(reference));

  fmt::format_to(out,
                 "<table class=\"numbers\">\n<caption>{} in {}, per strategy</caption>\n<thead>"
                 "<tr><th scope=\"col\">strategy</th><th scope=\"col\">median</th>"
                 "<th scope=\"col\">90% of members between</th>"
                 "<th scope=\"col\">probability of beating {}</th>"
                 "<th scope=\"col\">expected regret</th><th scope=\"col\">probability of being "
                 "best</th><th scope=\"col\">members without a value</th></tr></thead>\n<tbody>\n",
                 text(index.at("label")), whole(doc.at("horizon")), escape(reference));
  for (const json& result : doc.at("results")) {
    const std::string name = result.at("strategy").get<std::string>();
    const json& stats = result.at("horizon").at(variable);
    const bool is_reference = name == reference;
    fmt::format_to(out,
                   "<tr{}><th scope=\"row\">{}{}</th><td>{}</td><td>{} to {}</td><td>{}</td>"
                   "<td>{}</td><td>{}</td><td>{}</td></tr>\n",
                   is_reference ? " class=\"reference\"" : "", escape(name),
                   is_reference ? " <span class=\"tag\">reference</span>" : "",
                   number(stats.at("p50"), decimals), number(stats.at("p5"), decimals),
                   number(stats.at("p95"), decimals),
                   is_reference ? "—" : percent(result.at("prob_beats_reference")),
                   number(result.at("expected_regret"), decimals), percent(result.at("prob_best")),
                   whole(result.at("non_finite_members")));
  }
  fmt::format_to(out,
                 "</tbody>\n</table>\n<p class=\"how\">Expected regret is in index points: how "
                 "far, on average over members, the strategy falls short of the best strategy "
                 "of each member (0: always the best).</p>\n</section>\n");
}

void write_time_section(Out out, const json& doc) {
  fmt::format_to(out,
                 "<section id=\"time\">\n<h2>Over time, {}–{}</h2>\n<p class=\"controls\">"
                 "<label>Show <select id=\"fan-variable\">",
                 whole(doc.at("years").front()), whole(doc.at("years").back()));
  fmt::format_to(out, "<option value=\"{}\">{}</option>", text(doc.at("index").at("variable")),
                 text(doc.at("index").at("label")));
  for (const json& component : doc.at("components")) {
    fmt::format_to(out, "<option value=\"{}\">{}</option>", text(component.at("variable")),
                   text(component.at("label")));
  }
  fmt::format_to(out,
                 "</select></label> <span id=\"fan-description\" class=\"note\"></span></p>\n"
                 "<div class=\"fans\">\n");
  for (std::size_t idx = 0; idx < doc.at("strategies").size(); ++idx) {
    fmt::format_to(out,
                   "<div class=\"chart fan\" data-chart=\"fan\" data-strategy=\"{}\" "
                   "role=\"img\" aria-label=\"{} over time\"></div>\n",
                   idx, text(doc.at("strategies")[idx].at("name")));
  }
  fmt::format_to(out,
                 "</div>\n<p class=\"how\">How to read: one panel per strategy, all on the same "
                 "scale. The line is the median over members; the dark band holds the middle "
                 "half of the members (25th to 75th percentile), the light band 90% of them (5th "
                 "to 95th). The grey dashed line repeats the median of the reference strategy, "
                 "{}, for comparison. Higher is better for the U.S.</p>\n</section>\n",
                 text(doc.at("reference")));
}

void write_map_section(Out out, const json& doc, int decimals) {
  const json& outcome = doc.at("country_outcome");
  const std::string reference = doc.at("reference").get<std::string>();
  fmt::format_to(out,
                 "<section id=\"map\">\n<h2>{} by country in {}</h2>\n<p class=\"lead\">{}</p>\n"
                 "<p class=\"controls\"><label>Strategy <select id=\"map-strategy\">",
                 text(outcome.at("label")), whole(doc.at("horizon")),
                 text(outcome.at("description")));
  for (const json& strategy : doc.at("strategies")) {
    fmt::format_to(out, "<option>{}</option>", text(strategy.at("name")));
  }
  fmt::format_to(out,
                 "</select></label> <label><input type=\"radio\" name=\"map-mode\" "
                 "value=\"value\" checked> its values</label> <label><input type=\"radio\" "
                 "name=\"map-mode\" value=\"difference\"> difference from {}</label></p>\n"
                 "<p id=\"map-caption\" class=\"caption\"></p>\n"
                 "<div class=\"chart map\" data-chart=\"map\" role=\"img\" aria-label=\"Map of "
                 "the {} per country\"></div>\n"
                 "<p class=\"how\">How to read: each state is coloured by the mean over members "
                 "of its {} in {} (blue: higher, better for the U.S.; red: lower; the scale is "
                 "centred on 0 and the same for every strategy). With \"difference\", the colour "
                 "is the strategy's mean minus the reference's. States too small to see are "
                 "also drawn as circles. A state in dark grey has no value (no member gave a "
                 "number). The U.S., Canada and other territories are light grey context. "
                 "Point at a state for its numbers.</p>\n",
                 escape(reference), text(outcome.at("label")), text(outcome.at("label")),
                 whole(doc.at("horizon")));

  // The same numbers as a table, for print and for screen readers.
  fmt::format_to(out,
                 "<details>\n<summary>All countries as a table (mean over members)</summary>\n"
                 "<table class=\"numbers compact\">\n<thead><tr><th scope=\"col\">country</th>"
                 "<th scope=\"col\">subregion</th>");
  for (const json& strategy : doc.at("strategies")) {
    fmt::format_to(out, "<th scope=\"col\">{}</th>", text(strategy.at("name")));
  }
  fmt::format_to(out, "</tr></thead>\n<tbody>\n");
  std::vector<const json*> countries;
  for (const json& country : doc.at("countries")) countries.push_back(&country);
  std::sort(countries.begin(), countries.end(), [](const json* a, const json* b) {
    return a->at("name").get<std::string>() < b->at("name").get<std::string>();
  });
  for (const json* country : countries) {
    const std::string iso3 = country->at("iso3").get<std::string>();
    fmt::format_to(out, "<tr><th scope=\"row\">{}</th><td>{}</td>", text(country->at("name")),
                   text(country->at("subregion")));
    for (const json& result : doc.at("results")) {
      fmt::format_to(out, "<td>{}</td>",
                     number(result.at("countries").at(iso3).at("mean"), decimals));
    }
    fmt::format_to(out, "</tr>\n");
  }
  fmt::format_to(out, "</tbody>\n</table>\n</details>\n</section>\n");
}

void write_pairs_section(Out out, const json& doc) {
  const json& strategies = doc.at("strategies");
  const json& prob_beats = doc.at("pairwise").at("prob_beats");
  const json& dominates = doc.at("pairwise").at("dominates");
  fmt::format_to(out,
                 "<section id=\"pairs\">\n<h2>Strategy against strategy</h2>\n"
                 "<table class=\"numbers matrix\">\n<caption>Probability that the row's "
                 "strategy has a higher {} in {} than the column's, member by member</caption>\n"
                 "<thead><tr><th scope=\"col\"></th>",
                 text(doc.at("index").at("label")), whole(doc.at("horizon")));
  for (const json& strategy : strategies) {
    fmt::format_to(out, "<th scope=\"col\">{}</th>", text(strategy.at("name")));
  }
  fmt::format_to(out, "</tr></thead>\n<tbody>\n");
  for (std::size_t row = 0; row < strategies.size(); ++row) {
    fmt::format_to(out, "<tr><th scope=\"row\">{}</th>", text(strategies[row].at("name")));
    for (std::size_t column = 0; column < strategies.size(); ++column) {
      const json& p = prob_beats[row][column];
      // Shade by how clear the difference is: strong tints only for 80% and more.
      const char* shade = "";
      if (row != column && p.is_number()) {
        const double value = p.get<double>();
        shade = value >= 0.8 ? " class=\"hi\"" : value <= 0.2 ? " class=\"lo\"" : "";
      }
      fmt::format_to(out, "<td{}>{}</td>", shade, row == column ? "—" : percent(p));
    }
    fmt::format_to(out, "</tr>\n");
  }
  fmt::format_to(out,
                 "</tbody>\n</table>\n<p class=\"how\">How to read: 85% in the row of A and "
                 "the column of B means that A ends higher than B in 85 of 100 members. The two "
                 "cells of a pair add up to 100%.</p>\n<h3>Dominance</h3>\n");

  std::vector<std::string> sentences;
  for (std::size_t row = 0; row < strategies.size(); ++row) {
    std::vector<std::string> beaten;
    for (std::size_t column = 0; column < strategies.size(); ++column) {
      if (row != column && dominates[row][column].get<bool>()) {
        beaten.push_back(fmt::format("<b>{}</b>", text(strategies[column].at("name"))));
      }
    }
    if (!beaten.empty()) {
      sentences.push_back(fmt::format("<li><b>{}</b> dominates {}.</li>",
                                      text(strategies[row].at("name")), and_list(beaten)));
    }
  }
  if (sentences.empty()) {
    fmt::format_to(out,
                   "<p>No strategy dominates another: for every pair, each one has a better "
                   "chance than the other of reaching some level of the index.</p>\n");
  } else {
    fmt::format_to(out, "<ul class=\"dominance\">\n");
    for (const std::string& sentence : sentences) fmt::format_to(out, "{}\n", sentence);
    fmt::format_to(out, "</ul>\n");
  }
  fmt::format_to(out,
                 "<p class=\"how\">A dominates B (first-order stochastic dominance) when, for "
                 "every level of the index, A is no more likely than B to end below it, and "
                 "less likely for some level: whatever outcome one fears, A makes it no more "
                 "likely. A pair not listed has no such clear order.</p>\n</section>\n");
}

void write_inputs_section(Out out, const json& doc) {
  const json& scenario = doc.at("scenario");
  const std::string reference = doc.at("reference").get<std::string>();
  fmt::format_to(out,
                 "<section id=\"inputs\">\n<h2>Inputs</h2>\n<h3>Scenario: {}</h3>\n<p>{}</p>\n"
                 "<ul>\n",
                 text(scenario.at("name")), text(scenario.at("description")));
  for (const json& line : scenario.at("summary")) fmt::format_to(out, "<li>{}</li>\n", text(line));
  fmt::format_to(out, "</ul>\n<h3>Strategies</h3>\n<div class=\"strategies\">\n");
  for (const json& strategy : doc.at("strategies")) {
    const std::string name = strategy.at("name").get<std::string>();
    fmt::format_to(out, "<div class=\"strategy\">\n<h4>{}{}</h4>\n<p>{}</p>\n<ul>\n", escape(name),
                   name == reference ? " <span class=\"tag\">reference</span>" : "",
                   text(strategy.at("description")));
    for (const json& line : strategy.at("summary")) {
      fmt::format_to(out, "<li>{}</li>\n", text(line));
    }
    fmt::format_to(out, "</ul>\n<p class=\"money\">{} a year",
                   usd(strategy.at("total_usd_per_year").get<double>()));
    std::vector<std::string> pressures;
    for (const auto& [instrument, intensity] : strategy.at("pressure").items()) {
      pressures.push_back(
          fmt::format("{} {:.2f}", escape(readable(instrument)), intensity.get<double>()));
    }
    if (!pressures.empty()) {
      fmt::format_to(out, " · pressure (0 to 1): {}", and_list(pressures));
    }
    fmt::format_to(out, "</p>\n</div>\n");
  }
  fmt::format_to(out,
                 "</div>\n<h3>Spending by instrument</h3>\n"
                 "<div class=\"chart\" data-chart=\"spending\" role=\"img\" "
                 "aria-label=\"Spending by instrument per strategy\"></div>\n"
                 "<p class=\"how\">Mean U.S. dollars a year over the run's years, all countries "
                 "together; money instruments only (sanctions and diplomatic pressure are "
                 "intensities from 0 to 1, listed with each strategy above).</p>\n</section>\n");
}

void write_provenance_section(Out out, const json& doc) {
  const json& model = doc.at("model");
  const json& data = doc.at("data");
  const json& scenario = doc.at("scenario");
  fmt::format_to(
      out,
      "<section id=\"provenance\">\n<h2>Where these numbers come from</h2>\n"
      "<table class=\"provenance\">\n<tbody>\n"
      "<tr><th scope=\"row\">model</th><td><code>{}</code>, {}–{}<br><span class=\"hash\">"
      "sha256 {}</span></td></tr>\n"
      "<tr><th scope=\"row\">data</th><td><code>{}</code><br><span class=\"hash\">sha256 {}"
      "</span></td></tr>\n"
      "<tr><th scope=\"row\">scenario</th><td><code>{}</code><br><span class=\"hash\">sha256 "
      "{}</span></td></tr>\n",
      text(model.at("path")), whole(model.at("start")), whole(model.at("stop")),
      text(model.at("sha256")), text(data.at("path")), text(data.at("sha256")),
      text(scenario.at("path")), text(scenario.at("sha256")));
  for (const json& strategy : doc.at("strategies")) {
    fmt::format_to(out,
                   "<tr><th scope=\"row\">strategy {}</th><td><code>{}</code><br>"
                   "<span class=\"hash\">sha256 {}</span></td></tr>\n",
                   text(strategy.at("name")), text(strategy.at("path")),
                   text(strategy.at("sha256")));
  }
  fmt::format_to(out,
                 "<tr><th scope=\"row\">run</th><td>seed {} · {} members · {} threads · "
                 "created {} · latwin {}</td></tr>\n</tbody>\n</table>\n"
                 "<h3>How to reproduce</h3>\n<p>The same command, with the same model, data, "
                 "scenario and strategy files (the hashes above), gives the same numbers at any "
                 "number of threads:</p>\n<pre><code>{}</code></pre>\n</section>\n",
                 whole(doc.at("seed")), whole(doc.at("members")), whole(doc.at("threads")),
                 text(doc.at("created")), text(doc.at("latwin_version")),
                 command_html(doc.at("command").get<std::string>()));
}

void write_glossary(Out out) {
  fmt::format_to(
      out,
      "<section id=\"glossary\">\n<h2>Glossary</h2>\n<dl>\n"
      "<dt>Member</dt><dd>One run of the model with one draw of its uncertain parameters and "
      "random shocks: one possible future. The comparison runs every strategy on many "
      "members.</dd>\n"
      "<dt>Common random numbers</dt><dd>Every strategy is run on the same members: the same "
      "parameter draws and the same random shocks, member by member. Differences between "
      "strategies are then due to the strategies, not to luck.</dd>\n"
      "<dt>Probability of beating the reference</dt><dd>The share of members in which the "
      "strategy's index at the horizon is above the reference strategy's (ties count "
      "half).</dd>\n"
      "<dt>Expected regret</dt><dd>In each member, how far the strategy falls short of the best "
      "strategy in that member; averaged over members. 0 means it is always the best.</dd>\n"
      "<dt>Probability of being best</dt><dd>The share of members in which the strategy has "
      "the highest index of all.</dd>\n"
      "<dt>Dominance (first-order stochastic)</dt><dd>A dominates B when, for every threshold, "
      "A's chance of an index below it is no larger than B's, and smaller for some.</dd>\n"
      "<dt>Percentiles</dt><dd>The 5th percentile is the value that 5% of members fall below; "
      "the 5th to 95th percentile range holds 90% of members.</dd>\n"
      "</dl>\n</section>\n");
}

// Registered first, so that it also sees errors in the chart library itself.
constexpr std::string_view kErrorHandler = R"js(
window.latwinReportError = function (message) {
  var body = document.body;
  var previous = body.getAttribute('data-report-error');
  body.setAttribute('data-report-error', previous ? previous + ' | ' + message : message);
  var box = document.getElementById('report-error');
  if (box) {
    box.hidden = false;
    box.textContent = 'This page could not draw everything: ' + body.getAttribute('data-report-error');
  }
};
window.onerror = function (message, source, line, column) {
  window.latwinReportError(String(message) + (line ? ' (line ' + line + ':' + column + ')' : ''));
};
window.addEventListener('unhandledrejection', function (event) {
  window.latwinReportError('unhandled rejection: ' + event.reason);
});
document.addEventListener('securitypolicyviolation', function (event) {
  window.latwinReportError('blocked a request to ' + event.blockedURI);
});
)js";

// ---- exploration and optimisation pages (docs/report.md)

// A page other than the comparison: `what` names the document in messages.
struct Checker {
  std::string_view what;

  [[noreturn]] void fail(const std::string& message) const {
    throw InputError(fmt::format("{} document: {} (see docs/report.md)", what, message));
  }
  const json& member(const json& object, std::string_view key, const std::string& path) const {
    if (!object.is_object()) fail(fmt::format("\"{}\" must be an object", path.empty() ? "(document)" : path));
    const auto found = object.find(key);
    if (found == object.end()) fail(fmt::format("\"{}\" is missing", join_path(path, key)));
    return *found;
  }
  void string(const json& object, std::string_view key, const std::string& path) const {
    if (!member(object, key, path).is_string()) {
      fail(fmt::format("\"{}\" must be a string", join_path(path, key)));
    }
  }
  void number(const json& object, std::string_view key, const std::string& path) const {
    if (!member(object, key, path).is_number()) {
      fail(fmt::format("\"{}\" must be a number", join_path(path, key)));
    }
  }
  void boolean(const json& object, std::string_view key, const std::string& path) const {
    if (!member(object, key, path).is_boolean()) {
      fail(fmt::format("\"{}\" must be true or false", join_path(path, key)));
    }
  }
  void number_or_null(const json& object, std::string_view key, const std::string& path) const {
    const json& value = member(object, key, path);
    if (!value.is_number() && !value.is_null()) {
      fail(fmt::format("\"{}\" must be a number or null", join_path(path, key)));
    }
  }
  template <typename CheckElement>
  const json& array(const json& object, std::string_view key, const std::string& path,
                    CheckElement check_element) const {
    const json& value = member(object, key, path);
    const std::string where = join_path(path, key);
    if (!value.is_array()) fail(fmt::format("\"{}\" must be an array", where));
    for (std::size_t idx = 0; idx < value.size(); ++idx) {
      check_element(value[idx], fmt::format("{}[{}]", where, idx));
    }
    return value;
  }
  void strings(const json& object, std::string_view key, const std::string& path) const {
    array(object, key, path, [&](const json& value, const std::string& at) {
      if (!value.is_string()) fail(fmt::format("\"{}\" must be a string", at));
    });
  }
  void format(const json& doc, std::string_view expected) const {
    if (!doc.is_object()) fail("expected a JSON object");
    const auto found = doc.find("format");
    if (found == doc.end()) fail(fmt::format("\"format\" is missing: not a {} document", expected));
    if (!found->is_string() || found->get<std::string>() != expected) {
      fail(fmt::format("format is {}, expected \"{}\"", found->dump(), expected));
    }
  }
};

constexpr std::string_view kExploreFormat = "latwin-explore/1";
constexpr std::string_view kOptimizeFormat = "latwin-optimize/1";

void check_explore(const json& doc) {
  const Checker c{"exploration"};
  c.format(doc, kExploreFormat);
  for (std::string_view key :
       {"created", "latwin_version", "scenario", "design", "outcome", "failure"}) {
    c.string(doc, key, "");
  }
  for (std::string_view key : {"samples", "runs_per_strategy", "seed"}) c.number(doc, key, "");
  c.strings(doc, "strategies", "");
  c.strings(doc, "factors", "");
  if (doc.contains("sobol")) {
    c.array(doc, "sobol", "", [&](const json& row, const std::string& at) {
      c.string(row, "factor", at);
      for (std::string_view key :
           {"first", "first_low", "first_high", "total", "total_low", "total_high"}) {
        c.number_or_null(row, key, at);
      }
    });
  }
  if (doc.contains("morris")) {
    c.array(doc, "morris", "", [&](const json& row, const std::string& at) {
      c.string(row, "factor", at);
      for (std::string_view key : {"mu", "mu_star", "sigma"}) c.number_or_null(row, key, at);
    });
  }
  const json& prim = c.member(doc, "prim", "");
  for (std::string_view key : {"points", "base_density", "chosen"}) c.number(prim, key, "prim");
  c.string(prim, "box", "prim");
  const json& trajectory =
      c.array(prim, "trajectory", "prim", [&](const json& box, const std::string& at) {
        for (std::string_view key : {"coverage", "density", "mass"}) c.number(box, key, at);
        c.array(box, "limits", at, [&](const json& limit, const std::string& limit_at) {
          c.string(limit, "factor", limit_at);
          c.number_or_null(limit, "low", limit_at);
          c.number_or_null(limit, "high", limit_at);
        });
      });
  const double chosen = prim.at("chosen").get<double>();
  if (!trajectory.empty() &&
      (chosen < 0 || chosen >= static_cast<double>(trajectory.size()) || chosen != std::floor(chosen))) {
    c.fail(fmt::format("\"prim.chosen\" is {}, not a step of \"prim.trajectory\" (0 to {})",
                       prim.at("chosen").dump(), trajectory.size() - 1));
  }
}

void check_optimize(const json& doc) {
  const Checker c{"optimisation"};
  c.format(doc, kOptimizeFormat);
  for (std::string_view key : {"created", "latwin_version", "scenario", "objective", "algorithm"}) {
    c.string(doc, key, "");
  }
  for (std::string_view key : {"budget_usd_per_year", "members", "seed", "evaluations"}) {
    c.number(doc, key, "");
  }
  c.number_or_null(doc, "best_value", "");
  c.strings(doc, "constraints", "");
  c.array(doc, "history", "", [&](const json& step, const std::string& at) {
    c.number(step, "evaluations", at);
    c.number_or_null(step, "best", at);
  });
  c.array(doc, "units", "", [&](const json& unit, const std::string& at) {
    for (std::string_view key : {"instrument", "group", "years"}) c.string(unit, key, at);
    c.number(unit, "usd_per_year", at);
  });
  if (doc.contains("pareto")) {
    const json& pareto = c.member(doc, "pareto", "");
    c.string(pareto, "index", "pareto");
    c.strings(pareto, "objectives", "pareto");
    if (pareto.at("objectives").size() < 2) {
      c.fail("\"pareto.objectives\" must name two objectives or more");
    }
    const json& points =
        c.array(pareto, "points", "pareto", [&](const json& point, const std::string& at) {
          c.number(point, "point", at);
          c.string(point, "file", at);
          c.number_or_null(point, "index", at);
          const json& components = c.member(point, "components", at);
          for (const json& objective : pareto.at("objectives")) {
            c.number_or_null(components, objective.get<std::string>(), join_path(at, "components"));
          }
          const json& spending = c.member(point, "usd_per_year", at);
          if (!spending.is_object()) {
            c.fail(fmt::format("\"{}.usd_per_year\" must be an object", at));
          }
          for (const auto& [instrument, usd] : spending.items()) {
            c.number(spending, instrument, join_path(at, "usd_per_year"));
          }
        });
    if (points.empty()) c.fail("\"pareto.points\" is empty: a front has one point or more");
  }
}

// "+0.0123", "-0.0040", "0.0000", or "n/a" for null.
std::string signed_number(const json& value, int decimals) {
  const std::string out = number(value, decimals);
  return value.is_number() && value.get<double>() > 0 &&
                 out.find_first_not_of("0.") != std::string::npos
             ? "+" + out
             : out;
}

// The objectives' names without the prefix they share up to an underscore
// ("component_drugs", "component_trade" -> "drugs", "trade"), underscores as spaces.
std::vector<std::string> objective_labels(const json& objectives) {
  std::vector<std::string> names;
  for (const json& name : objectives) names.push_back(name.get<std::string>());
  std::size_t shared = names.empty() ? 0 : names.front().size();
  for (const std::string& name : names) {
    std::size_t common = 0;
    while (common < shared && common < name.size() && name[common] == names.front()[common]) {
      ++common;
    }
    shared = common;
  }
  const std::size_t underscore =
      shared == 0 ? std::string::npos : names.front().rfind('_', shared - 1);
  const std::size_t cut = underscore == std::string::npos ? 0 : underscore + 1;
  for (std::string& name : names) name = readable(name.substr(std::min(cut, name.size())));
  return names;
}

// About three significant digits; "n/a" for null.
std::string sig(const json& value) {
  if (!value.is_number()) return "n/a";
  const double x = value.get<double>();
  if (x == 0) return "0";
  return fmt::format("{:.3g}", x);
}

// A quantile limit of a PRIM box: its value, or "—" (no limit on that side).
std::string quantile_limit(const json& value) {
  return value.is_number() ? fmt::format("{:.3f}", value.get<double>()) : "—";
}

void write_head_titled(Out out, const std::string& title, const json& version) {
  fmt::format_to(out,
                 "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
                 "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
                 "script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:\">\n"
                 "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
                 "<meta name=\"generator\" content=\"latwin {}\">\n"
                 "<title>{} — latwin</title>\n<style>\n{}\n</style>\n</head>\n",
                 text(version), escape(title), report_css());
}

// The page's end: footer, the error handler, the document as JSON under `id`, the scripts.
void write_tail(Out out, const json& doc, std::string_view id) {
  fmt::format_to(out, "<footer><p>Made by latwin {}. {}</p></footer>\n</main>\n",
                 text(doc.at("latwin_version")), escape(asset_credits()));
  fmt::format_to(out,
                 "<script>{}</script>\n"
                 "<script type=\"application/json\" id=\"{}\">{}</script>\n"
                 "<script>{}</script>\n<script>{}</script>\n</body>\n</html>\n",
                 kErrorHandler, id, script_json(doc), echarts_js(), report_js());
}

// The finding in one sentence: the chosen PRIM box, or that failures are spread out.
std::string explore_answer(const json& doc) {
  const json& prim = doc.at("prim");
  const json& trajectory = prim.at("trajectory");
  const double share = 100 * prim.at("base_density").get<double>();
  if (trajectory.empty() ||
      trajectory[prim.at("chosen").get<std::size_t>()].at("limits").empty()) {
    return fmt::format("No range of the factors concentrates the failures: {:.0f}% of the runs "
                       "fail, spread over the whole space.",
                       share);
  }
  return fmt::format("It fails most often when {} ({:.0f}% of all runs fail).",
                     text(prim.at("box")), share);
}

void write_explore_page(Out out, const json& doc) {
  const json& prim = doc.at("prim");
  const json& trajectory = prim.at("trajectory");
  const bool has_sobol = doc.contains("sobol");
  const bool has_morris = !has_sobol && doc.contains("morris");
  fmt::format_to(
      out,
      "<body data-charts-drawn=\"0\">\n<main>\n<header>\n"
      "<p class=\"kicker\">latwin exploration</p>\n<h1>What drives {}?</h1>\n"
      "<p class=\"meta\">scenario {} · strategies {} · design {} ({} samples, {} runs a "
      "strategy) · seed {} · created {} · latwin {}</p>\n"
      "<div id=\"report-error\" class=\"error\" hidden></div>\n"
      "<section class=\"finding\">\n<p class=\"question\">The outcome is {}. A run counts as a "
      "failure when {}. Which uncertain parameters matter most, and under which conditions "
      "does it fail?</p>\n<p class=\"answer\">{}</p>\n</section>\n"
      "<nav><a href=\"#sensitivity\">Sensitivity</a> · <a href=\"#prim\">When it fails</a> · "
      "<a href=\"#glossary\">Glossary</a></nav>\n</header>\n",
      text(doc.at("outcome")), text(doc.at("scenario")),
      escape(and_list(doc.at("strategies").get<std::vector<std::string>>())),
      text(doc.at("design")), whole(doc.at("samples")), whole(doc.at("runs_per_strategy")),
      whole(doc.at("seed")), text(doc.at("created")), text(doc.at("latwin_version")),
      text(doc.at("outcome")), text(doc.at("failure")),
      explore_answer(doc));

  fmt::format_to(out, "<section id=\"sensitivity\">\n<h2>Which parameters matter</h2>\n");
  if (has_sobol || has_morris) {
    const json& rows = doc.at(has_sobol ? "sobol" : "morris");
    fmt::format_to(
        out,
        "<div class=\"chart\" data-chart=\"sensitivity\" role=\"img\" aria-label=\"Sensitivity "
        "of the outcome to the 20 most influential factors\"></div>\n<p class=\"how\">{}</p>\n",
        has_sobol
            ? "How to read: the 20 factors with the largest total-order Sobol' index. The "
              "total-order index (dark) is the share of the outcome's variance due to the factor, "
              "alone or with others; the first-order index (light) the share due to it alone. "
              "The whiskers are bootstrap confidence intervals: with few samples they are wide, "
              "and a first-order index below 0 is noise around 0."
            : "How to read: the 20 factors with the largest Morris mu* (the mean absolute "
              "elementary effect: how much the outcome moves when the factor alone moves across "
              "its range). Sigma (light) is the spread of those effects: large when the factor "
              "acts non-linearly or together with others.");
    std::vector<const json*> sorted;
    for (const json& row : rows) sorted.push_back(&row);
    const char* key = has_sobol ? "total" : "mu_star";
    std::stable_sort(sorted.begin(), sorted.end(), [&](const json* a, const json* b) {
      const double x = a->at(key).is_number() ? a->at(key).get<double>() : -1e300;
      const double y = b->at(key).is_number() ? b->at(key).get<double>() : -1e300;
      return x > y;
    });
    fmt::format_to(out,
                   "<details>\n<summary>All {} factors as a table</summary>\n"
                   "<table class=\"numbers compact\">\n<thead><tr><th scope=\"col\">factor</th>{}"
                   "</tr></thead>\n<tbody>\n",
                   sorted.size(),
                   has_sobol ? "<th scope=\"col\">total-order</th><th scope=\"col\">95% "
                               "interval</th><th scope=\"col\">first-order</th><th "
                               "scope=\"col\">95% interval</th>"
                             : "<th scope=\"col\">mu*</th><th scope=\"col\">mu</th><th "
                               "scope=\"col\">sigma</th>");
    for (const json* row : sorted) {
      if (has_sobol) {
        fmt::format_to(out,
                       "<tr><th scope=\"row\">{}</th><td>{}</td><td>{} to {}</td><td>{}</td>"
                       "<td>{} to {}</td></tr>\n",
                       text(row->at("factor")), sig(row->at("total")), sig(row->at("total_low")),
                       sig(row->at("total_high")), sig(row->at("first")),
                       sig(row->at("first_low")), sig(row->at("first_high")));
      } else {
        fmt::format_to(out,
                       "<tr><th scope=\"row\">{}</th><td>{}</td><td>{}</td><td>{}</td></tr>\n",
                       text(row->at("factor")), sig(row->at("mu_star")), sig(row->at("mu")),
                       sig(row->at("sigma")));
      }
    }
    fmt::format_to(out, "</tbody>\n</table>\n</details>\n");
  } else {
    fmt::format_to(out,
                   "<p>The {} design estimates no sensitivity indices; run <code>latwin "
                   "explore --design sobol</code> or <code>--design morris</code> for them. The "
                   "conditions of failure below use every run.</p>\n",
                   text(doc.at("design")));
  }
  fmt::format_to(out, "</section>\n");

  fmt::format_to(out,
                 "<section id=\"prim\">\n<h2>When it fails</h2>\n<p class=\"lead\">Scenario "
                 "discovery (PRIM) over {} runs, of which {:.0f}% fail ({}). PRIM peels the "
                 "space of factors into ever smaller boxes that hold ever more failures.</p>\n",
                 whole(prim.at("points")), 100 * prim.at("base_density").get<double>(),
                 text(doc.at("failure")));
  if (trajectory.empty()) {
    fmt::format_to(out, "<p>PRIM found no box.</p>\n</section>\n");
  } else {
    const std::size_t chosen = prim.at("chosen").get<std::size_t>();
    const json& box = trajectory[chosen];
    fmt::format_to(out,
                   "<div class=\"chart\" data-chart=\"prim\" role=\"img\" aria-label=\"PRIM "
                   "peeling trajectory: coverage against density\"></div>\n"
                   "<p class=\"how\">How to read: each point is one box of the peeling, from "
                   "the whole space (right: it covers every failure, at the base rate) to "
                   "smaller boxes (left: fewer of the failures, but a larger share of failures "
                   "inside). The marked point is the box chosen, the trade-off shown below; the "
                   "dashed line is the share of failures among all runs.</p>\n"
                   "<table class=\"numbers\">\n<caption>The chosen box (step {}): coverage "
                   "{:.0f}%, density {:.0f}%, {:.0f}% of the runs</caption>\n<thead><tr><th "
                   "scope=\"col\">factor</th><th scope=\"col\">low (quantile)</th><th "
                   "scope=\"col\">high (quantile)</th></tr></thead>\n<tbody>\n",
                   chosen, 100 * box.at("coverage").get<double>(),
                   100 * box.at("density").get<double>(), 100 * box.at("mass").get<double>());
    for (const json& limit : box.at("limits")) {
      fmt::format_to(out, "<tr><th scope=\"row\">{}</th><td>{}</td><td>{}</td></tr>\n",
                     text(limit.at("factor")), quantile_limit(limit.at("low")),
                     quantile_limit(limit.at("high")));
    }
    if (box.at("limits").empty()) {
      fmt::format_to(out, "<tr><td colspan=\"3\">no limit: the whole space</td></tr>\n");
    }
    fmt::format_to(out, "</tbody>\n</table>\n");
  }
  fmt::format_to(out,
                 "<p class=\"note\">Factors are quantiles of each parameter's distribution: "
                 "0.9 means the parameter's 90th percentile, 0.5 its median. A limit \"—\" "
                 "leaves that side open.</p>\n</section>\n");

  fmt::format_to(
      out,
      "<section id=\"glossary\">\n<h2>Glossary</h2>\n<dl>\n"
      "<dt>Factor</dt><dd>One uncertain model parameter, expressed as a quantile (0 to 1) of "
      "its distribution.</dd>\n"
      "<dt>Sobol' indices</dt><dd>First-order: the share of the outcome's variance explained "
      "by the factor alone. Total-order: the share it takes part in, alone or through "
      "interactions.</dd>\n"
      "<dt>Morris mu*, sigma</dt><dd>The mean absolute change of the outcome when one factor "
      "moves (a cheap ranking of importance), and the spread of those changes (non-linearity "
      "or interactions).</dd>\n"
      "<dt>PRIM</dt><dd>Patient Rule Induction Method: finds a box of factor ranges in which "
      "failures are concentrated.</dd>\n"
      "<dt>Coverage</dt><dd>The share of all failures that fall inside the box.</dd>\n"
      "<dt>Density</dt><dd>The share of runs inside the box that are failures.</dd>\n"
      "<dt>Mass</dt><dd>The share of all runs inside the box.</dd>\n"
      "</dl>\n</section>\n");
}

// The Pareto front: the components of every point as parallel coordinates, then a table.
void write_pareto_section(Out out, const json& doc) {
  const json& pareto = doc.at("pareto");
  const json& points = pareto.at("points");
  const std::vector<std::string> labels = objective_labels(pareto.at("objectives"));
  fmt::format_to(
      out,
      "<section id=\"pareto\">\n<h2>Pareto front</h2>\n<p class=\"lead\">{} allocations of the "
      "same budget, none better than another on every component of the index: gaining on one "
      "component means giving up on another. Point 1, the one with the highest index, is the "
      "strategy file <code>{}</code>; every point is a strategy file in <code>{}</code>.</p>\n"
      "<div class=\"chart\" data-chart=\"pareto\" role=\"img\" aria-label=\"Mean components and "
      "index of every allocation on the Pareto front, as parallel coordinates\"></div>\n"
      "<p class=\"how\">How to read: one line an allocation, crossing one axis a component (its "
      "mean over the members at the horizon; above 0 is better for the U.S. than at the start, "
      "+0.10 about 10% better) and, last, the index, which weighs the components as the model "
      "does; the colour is the index too. Lines that cross between two axes are a trade-off: "
      "what one allocation gains there the other gives up. Point 1 is drawn thick.</p>\n"
      "<table class=\"numbers compact\">\n<caption>Mean over the members at the horizon, by "
      "allocation; the best value of each column in bold</caption>\n<thead><tr><th "
      "scope=\"col\">point</th><th scope=\"col\">index</th>",
      points.size(),
      doc.contains("strategy_file") && doc.at("strategy_file").is_string()
          ? text(doc.at("strategy_file"))
          : "",
      pareto.contains("folder") && pareto.at("folder").is_string() ? text(pareto.at("folder"))
                                                                   : "");
  for (const std::string& label : labels) {
    fmt::format_to(out, "<th scope=\"col\">{}</th>", escape(label));
  }
  fmt::format_to(out, "<th scope=\"col\">largest spending</th></tr></thead>\n<tbody>\n");
  // The best of each column: which point leads on what.
  auto value_of = [](const json& value) {
    return value.is_number() ? value.get<double>() : -INFINITY;
  };
  double best_index = -INFINITY;
  std::vector<double> best(labels.size(), -INFINITY);
  for (const json& point : points) {
    best_index = std::max(best_index, value_of(point.at("index")));
    for (std::size_t c = 0; c < labels.size(); ++c) {
      best[c] = std::max(
          best[c],
          value_of(point.at("components").at(pareto.at("objectives")[c].get<std::string>())));
    }
  }
  auto cell = [](const json& value, double top) {
    const std::string shown = signed_number(value, 4);
    return value.is_number() && value.get<double>() == top ? "<b>" + shown + "</b>" : shown;
  };
  for (const json& point : points) {
    fmt::format_to(out, "<tr><th scope=\"row\">{}</th><td>{}</td>", whole(point.at("point")),
                   cell(point.at("index"), best_index));
    for (std::size_t c = 0; c < labels.size(); ++c) {
      fmt::format_to(
          out, "<td>{}</td>",
          cell(point.at("components").at(pareto.at("objectives")[c].get<std::string>()), best[c]));
    }
    double total = 0, largest = -1;
    std::string largest_name;
    for (const auto& [instrument, amount] : point.at("usd_per_year").items()) {
      total += amount.get<double>();
      if (amount.get<double>() > largest) largest = amount.get<double>(), largest_name = instrument;
    }
    fmt::format_to(
        out, "<td>{}</td></tr>\n",
        total > 0 ? fmt::format("{} {:.0f}%", escape(readable(largest_name)), 100 * largest / total)
                  : std::string("—"));
  }
  fmt::format_to(out, "</tbody>\n</table>\n");

  // Spending by instrument, point by point.
  std::vector<std::string> instruments;
  for (const json& point : points) {
    for (const auto& [instrument, amount] : point.at("usd_per_year").items()) {
      if (std::find(instruments.begin(), instruments.end(), instrument) == instruments.end()) {
        instruments.push_back(instrument);
      }
    }
  }
  fmt::format_to(out,
                 "<details>\n<summary>Spending of every point, by instrument</summary>\n<table "
                 "class=\"numbers compact\">\n<caption>U.S. dollars a year, mean over the "
                 "years</caption>\n<thead><tr><th scope=\"col\">point</th>");
  for (const std::string& instrument : instruments) {
    fmt::format_to(out, "<th scope=\"col\">{}</th>", escape(readable(instrument)));
  }
  fmt::format_to(out, "<th scope=\"col\">file</th></tr></thead>\n<tbody>\n");
  for (const json& point : points) {
    fmt::format_to(out, "<tr><th scope=\"row\">{}</th>", whole(point.at("point")));
    const json& spending = point.at("usd_per_year");
    for (const std::string& instrument : instruments) {
      fmt::format_to(
          out, "<td>{}</td>",
          usd(spending.contains(instrument) ? spending.at(instrument).get<double>() : 0.0));
    }
    fmt::format_to(out, "<td><code>{}</code></td></tr>\n", text(point.at("file")));
  }
  fmt::format_to(out, "</tbody>\n</table>\n</details>\n</section>\n");
}

void write_optimize_page(Out out, const json& doc) {
  const double budget = doc.at("budget_usd_per_year").get<double>();
  const bool has_pareto = doc.contains("pareto");
  double total = 0;
  for (const json& unit : doc.at("units")) total += unit.at("usd_per_year").get<double>();
  const std::string finding =
      has_pareto
          ? fmt::format(
                "<p class=\"question\">How should a budget of {} a year be allocated across "
                "instruments and countries, and what does gaining on one component of the Latin "
                "Win Index cost on the others?</p>\n<p class=\"answer\">The search found {} "
                "allocations on the Pareto front, none better than another on every component. "
                "The one with the highest mean index, {}, spends {} a year: it is the allocation "
                "shown below.</p>\n",
                usd(budget), doc.at("pareto").at("points").size(),
                signed_number(doc.at("best_value"), 4), usd(total))
          : fmt::format(
                "<p class=\"question\">How should a budget of {} a year be allocated across "
                "instruments and countries to maximise the objective \"{}\", computed from the "
                "Latin Win Index?</p>\n<p class=\"answer\">The best allocation found spends {} a "
                "year and reaches an objective of {}.</p>\n",
                usd(budget), text(doc.at("objective")), usd(total),
                number(doc.at("best_value"), 4));
  fmt::format_to(
      out,
      "<body data-charts-drawn=\"0\">\n<main>\n<header>\n"
      "<p class=\"kicker\">latwin optimisation</p>\n<h1>Spending {} a year under the {} "
      "scenario</h1>\n<p class=\"meta\">objective {} · algorithm {} · {} evaluations · {} "
      "members · seed {} · created {} · latwin {}</p>\n"
      "<div id=\"report-error\" class=\"error\" hidden></div>\n"
      "<section class=\"finding\">\n{}</section>\n"
      "<nav>{}<a href=\"#convergence\">Convergence</a> · <a href=\"#allocation\">Allocation</a> "
      "· <a href=\"#constraints\">Constraints</a> · <a href=\"#glossary\">Glossary</a></nav>\n"
      "</header>\n",
      usd(budget), text(doc.at("scenario")), text(doc.at("objective")), text(doc.at("algorithm")),
      whole(doc.at("evaluations")), whole(doc.at("members")), whole(doc.at("seed")),
      text(doc.at("created")), text(doc.at("latwin_version")), finding,
      has_pareto ? "<a href=\"#pareto\">Pareto front</a> · " : "");

  if (has_pareto) write_pareto_section(out, doc);
  fmt::format_to(out,
                 "<section id=\"convergence\">\n<h2>Convergence</h2>\n"
                 "<div class=\"chart\" data-chart=\"convergence\" role=\"img\" aria-label=\"Best "
                 "objective value against evaluations\"></div>\n<p class=\"how\">How to read: "
                 "{} after each generation of the search. A curve that has flattened suggests more "
                 "evaluations would gain little.</p>\n</section>\n",
                 has_pareto ? "the highest mean index of any allocation tried so far"
                            : "the best objective value found so far");

  fmt::format_to(out,
                 "<section id=\"allocation\">\n<h2>Allocation{}</h2>\n"
                 "<div class=\"chart\" data-chart=\"allocation\" role=\"img\" "
                 "aria-label=\"Spending by country group and instrument\"></div>\n"
                 "<table class=\"numbers\">\n<caption>U.S. dollars a year, by instrument and "
                 "country group</caption>\n<thead><tr><th scope=\"col\">instrument</th><th "
                 "scope=\"col\">group</th><th scope=\"col\">years</th><th scope=\"col\">a "
                 "year</th><th scope=\"col\">share of the budget</th></tr></thead>\n<tbody>\n",
                 has_pareto ? " of point 1, the highest index" : "");
  for (const json& unit : doc.at("units")) {
    const double amount = unit.at("usd_per_year").get<double>();
    fmt::format_to(out,
                   "<tr><th scope=\"row\">{}</th><td>{}</td><td>{}</td><td>{}</td><td>{:.1f}%"
                   "</td></tr>\n",
                   escape(readable(unit.at("instrument").get<std::string>())),
                   text(unit.at("group")), text(unit.at("years")), usd(amount),
                   budget > 0 ? 100 * amount / budget : 0.0);
  }
  fmt::format_to(out,
                 "<tr><th scope=\"row\">total</th><td></td><td></td><td>{}</td><td>{:.1f}%</td>"
                 "</tr>\n</tbody>\n</table>\n</section>\n",
                 usd(total), budget > 0 ? 100 * total / budget : 0.0);

  fmt::format_to(out,
                 "<section id=\"constraints\">\n<h2>Objective, budget and constraints</h2>\n"
                 "<table class=\"provenance\">\n<tbody>\n<tr><th scope=\"row\">objective</th>"
                 "<td>{}</td></tr>\n<tr><th scope=\"row\">budget</th><td>{} a year</td></tr>\n"
                 "<tr><th scope=\"row\">search</th><td>{}, {} evaluations of {} members each, "
                 "seed {}</td></tr>\n",
                 text(doc.at("objective")), usd(budget), text(doc.at("algorithm")),
                 whole(doc.at("evaluations")), whole(doc.at("members")), whole(doc.at("seed")));
  if (doc.contains("strategy_file") && doc.at("strategy_file").is_string()) {
    fmt::format_to(out, "<tr><th scope=\"row\">strategy file</th><td><code>{}</code></td></tr>\n",
                   text(doc.at("strategy_file")));
  }
  fmt::format_to(out, "</tbody>\n</table>\n<h3>Constraints</h3>\n<ul>\n");
  for (const json& line : doc.at("constraints")) fmt::format_to(out, "<li>{}</li>\n", text(line));
  if (doc.at("constraints").empty()) fmt::format_to(out, "<li>none besides the budget</li>\n");
  fmt::format_to(
      out,
      "</ul>\n</section>\n<section id=\"glossary\">\n<h2>Glossary</h2>\n<dl>\n"
      "<dt>Objective</dt><dd>What the search maximises, computed from the Latin Win Index at "
      "the horizon over the members (e.g. \"expected\": its mean).</dd>\n"
      "<dt>Evaluation</dt><dd>One candidate allocation run on every member.</dd>\n"
      "<dt>Unit</dt><dd>One instrument for one group of countries over a span of years: the "
      "search sets one amount a year per unit.</dd>\n"
      "<dt>Members</dt><dd>The possible futures (parameter draws and shocks) each candidate "
      "is run on, the same for every candidate.</dd>\n{}"
      "</dl>\n</section>\n",
      has_pareto ? "<dt>Pareto front</dt><dd>The allocations found that no other allocation "
                   "found beats on every component at once. Which of them is best depends on "
                   "how much each component matters: the index's weights are one answer.</dd>\n"
                   "<dt>Component</dt><dd>One part of the Latin Win Index (drugs, migration, "
                   "...): the log of its value at the horizon against the start, so that above 0 "
                   "is better for the U.S.</dd>\n"
                 : "");
}

// ---- the backtest page (docs/report.md)

constexpr std::string_view kBacktestFormat = "latwin-backtest/1";
// The methods of a score, as the document names them, and as the page does.
constexpr std::array<std::pair<std::string_view, std::string_view>, 5> kBacktestMethods = {{
    {"ensemble", "model"},
    {"ensemble_raw", "raw model"},
    {"persistence", "persistence"},
    {"trend", "trend"},
    {"historical_mean", "historical mean"},
}};
// The forecast quantiles the page draws: the 95%, 80% and 50% intervals and the median.
constexpr std::array<double, 7> kDrawnQuantiles = {0.025, 0.1, 0.25, 0.5, 0.75, 0.9, 0.975};

void check_backtest_scores(const Checker& c, const json& scores, const std::string& path,
                           bool ensemble) {
  c.number(scores, "count", path);
  for (std::string_view key : {"rmse", "mae", "crps", "crps_skill"}) {
    c.number_or_null(scores, key, path);
  }
  if (ensemble) {
    const std::string at = join_path(path, "coverage");
    const json& coverage = c.member(scores, "coverage", path);
    for (std::string_view key : {"50", "80", "95"}) c.number_or_null(coverage, key, at);
  }
}

void check_backtest(const json& doc) {
  const Checker c{"backtest"};
  c.format(doc, kBacktestFormat);
  for (std::string_view key : {"created", "latwin_version", "observations"}) c.string(doc, key, "");
  c.strings(doc, "command", "");
  const json& model = c.member(doc, "model", "");
  c.string(model, "dir", "model");
  c.string(model, "sha256", "model");
  const json& data = c.member(doc, "data", "");
  c.string(data, "dir", "data");
  c.number(data, "last_year", "data");
  c.string(c.member(doc, "world", ""), "scenario", "world");

  const json& settings = c.member(doc, "settings", "");
  const json& origins =
      c.array(settings, "origins", "settings", [&](const json& v, const std::string& at) {
        if (!v.is_number()) c.fail(fmt::format("\"{}\" must be a number", at));
      });
  if (origins.empty()) c.fail("\"settings.origins\" is empty");
  for (std::string_view key :
       {"horizon", "calibration_years", "draws", "accept", "members", "seed"}) {
    c.number(settings, key, "settings");
  }
  c.string(settings, "method", "settings");

  const json& headline = c.member(doc, "headline", "");
  for (std::string_view key : {"min_lead", "beats_persistence", "compared"}) {
    c.number(headline, key, "headline");
  }
  c.number_or_null(headline, "coverage80", "headline");
  c.array(headline, "indicators", "headline", [&](const json& row, const std::string& at) {
    for (std::string_view key : {"indicator", "name", "unit"}) c.string(row, key, at);
    c.boolean(row, "headline", at);
    c.boolean(row, "beats_persistence", at);
    for (const auto& [key, _] : kBacktestMethods) {
      check_backtest_scores(c, c.member(row, key, at), join_path(at, key),
                            key.starts_with("ensemble"));
    }
  });

  c.array(doc, "origins", "", [&](const json& origin, const std::string& at) {
    c.number(origin, "origin", at);
    // No fit when the parameters came from a file (--params) instead of a calibration.
    if (origin.is_object() && origin.contains("fit")) {
      c.number(origin, "tolerance", at);
      c.array(origin, "fit", at, [&](const json& item, const std::string& item_at) {
        c.string(item, "indicator", item_at);
        c.number(item, "points", item_at);
        c.number_or_null(item, "prior_rmse", item_at);
        c.number_or_null(item, "posterior_rmse", item_at);
      });
    }
  });

  c.array(doc, "scores", "", [&](const json& row, const std::string& at) {
    c.string(row, "indicator", at);
    c.number_or_null(row, "lead", at);
    const json& methods = c.member(row, "methods", at);
    for (const auto& [key, _] : kBacktestMethods) {
      check_backtest_scores(c, c.member(methods, key, join_path(at, "methods")),
                            join_path(join_path(at, "methods"), key), key.starts_with("ensemble"));
    }
  });

  const json& quantiles =
      c.array(doc, "forecast_quantiles", "", [&](const json& v, const std::string& at) {
        if (!v.is_number()) c.fail(fmt::format("\"{}\" must be a number", at));
      });
  for (double wanted : kDrawnQuantiles) {
    const bool found = std::any_of(quantiles.begin(), quantiles.end(), [&](const json& q) {
      return std::abs(q.get<double>() - wanted) < 1e-9;
    });
    if (!found) {
      c.fail(
          fmt::format("\"forecast_quantiles\" lacks {:g}: the page draws the 50%, 80% and "
                      "95% intervals and the median",
                      wanted));
    }
  }
  c.array(doc, "forecasts", "", [&](const json& cell, const std::string& at) {
    c.string(cell, "indicator", at);
    c.string(cell, "country", at);
    c.number(cell, "origin", at);
    c.number(cell, "lead", at);
    const json& values =
        c.array(cell, "quantiles", at, [&](const json& v, const std::string& q_at) {
          if (!v.is_number() && !v.is_null())
            c.fail(fmt::format("\"{}\" must be a number or null", q_at));
        });
    if (values.size() != quantiles.size()) {
      c.fail(
          fmt::format("\"{}.quantiles\" has {} values, expected {} (one per "
                      "\"forecast_quantiles\")",
                      at, values.size(), quantiles.size()));
    }
  });
  c.array(doc, "observed", "", [&](const json& series, const std::string& at) {
    c.string(series, "indicator", at);
    c.string(series, "country", at);
    auto numbers = [&](const json& v, const std::string& v_at) {
      if (!v.is_number()) c.fail(fmt::format("\"{}\" must be a number", v_at));
    };
    const json& years = c.array(series, "years", at, numbers);
    const json& values = c.array(series, "values", at, numbers);
    if (years.size() != values.size()) {
      c.fail(fmt::format("\"{}\" has {} years but {} values", at, years.size(), values.size()));
    }
  });
}

// "2014" or "2010 to 2015".
std::string backtest_origins(const json& origins) {
  return origins.size() == 1
             ? whole(origins.front())
             : fmt::format("{} to {}", whole(origins.front()), whole(origins.back()));
}

// A score in the indicator's units: whole numbers from 100 on (1188, not 1.19e+03), else
// about three significant digits; "n/a" for null.
std::string score(const json& value) {
  if (value.is_number() && std::abs(value.get<double>()) >= 100 &&
      std::abs(value.get<double>()) < 1e12) {
    return fmt::format("{:.0f}", value.get<double>());
  }
  return sig(value);
}

// A share as a whole percent; "n/a" for null.
std::string coverage_share(const json& value) {
  return value.is_number() ? fmt::format("{:.0f}%", 100 * value.get<double>()) : "n/a";
}

// A skill score: "+0.12", "-0.30"; "n/a" for null.
std::string skill(const json& value) {
  if (!value.is_number()) return "n/a";
  const std::string out = fmt::format("{:+.2f}", value.get<double>());
  return out == "-0.00" ? "+0.00" : out;
}

// The indicator the forecast chart shows first: the first headline one with forecasts.
std::string default_backtest_indicator(const json& doc) {
  std::set<std::string> forecast;
  for (const json& cell : doc.at("forecasts"))
    forecast.insert(cell.at("indicator").get<std::string>());
  for (const json& row : doc.at("headline").at("indicators")) {
    const std::string name = row.at("indicator").get<std::string>();
    if (row.at("headline").get<bool>() && forecast.count(name)) return name;
  }
  return forecast.empty() ? std::string() : *forecast.begin();
}

// The country shown first: Colombia, else Mexico, else the first with both forecasts and
// observations of the indicator.
std::string default_backtest_country(const json& doc, const std::string& indicator) {
  std::set<std::string> forecast, observed;
  for (const json& cell : doc.at("forecasts")) {
    if (cell.at("indicator") == indicator) forecast.insert(cell.at("country").get<std::string>());
  }
  for (const json& series : doc.at("observed")) {
    if (series.at("indicator") == indicator && !series.at("years").empty()) {
      observed.insert(series.at("country").get<std::string>());
    }
  }
  for (const char* preferred : {"COL", "MEX"}) {
    if (forecast.count(preferred) && observed.count(preferred)) return preferred;
  }
  for (const std::string& country : forecast) {
    if (observed.count(country)) return country;
  }
  return forecast.empty() ? std::string() : *forecast.begin();
}

void write_backtest_scores(Out out, const json& doc) {
  const json& headline = doc.at("headline");
  const std::string min_lead = whole(headline.at("min_lead"));
  fmt::format_to(
      out,
      "<section id=\"scores\">\n<h2>Scores at leads of {} years and more</h2>\n"
      "<p class=\"lead\">Each forecast made from an origin for {} or more years later, scored "
      "against what was observed, pooled over countries{}. CRPS (continuous ranked probability "
      "score) is the forecast's error in the indicator's units: for a single number it is the "
      "absolute error, for a range of outcomes it also rewards a range that is narrow and holds "
      "the outcome. Lower is better; the lowest of the four methods is in bold.</p>\n"
      "<table class=\"numbers compact scores\">\n<caption>CRPS by method, the model's skill "
      "against "
      "persistence, and how often its intervals held the outcome</caption>\n<thead><tr><th "
      "scope=\"col\">indicator</th><th scope=\"col\">scored</th><th scope=\"col\">model</th><th "
      "scope=\"col\">persistence</th><th scope=\"col\">trend</th><th scope=\"col\">historical "
      "mean</th><th scope=\"col\">skill</th><th scope=\"col\">50% held</th><th scope=\"col\">80% "
      "held</th><th scope=\"col\">95% held</th><th scope=\"col\">raw model</th><th "
      "scope=\"col\">raw 80% held</th><th scope=\"col\">persistence + spread</th></tr>"
      "</thead>\n<tbody>\n",
      min_lead, min_lead,
      doc.at("settings").at("origins").size() == 1 ? "" : ", origins and leads");
  // Headline indicators first, in the document's order.
  std::vector<const json*> rows;
  for (int pass = 0; pass < 2; ++pass) {
    for (const json& row : headline.at("indicators")) {
      if (row.at("headline").get<bool>() == (pass == 0)) rows.push_back(&row);
    }
  }
  for (const json* row : rows) {
    const json& model = row->at("ensemble");
    const json& raw = row->at("ensemble_raw");
    double best = INFINITY;
    for (const char* key : {"ensemble", "persistence", "trend", "historical_mean"}) {
      const json& crps = row->at(key).at("crps");
      if (crps.is_number()) best = std::min(best, crps.get<double>());
    }
    auto crps_cell = [&](const char* key) {
      const json& crps = row->at(key).at("crps");
      const std::string shown = score(crps);
      return crps.is_number() && crps.get<double>() == best ? "<b>" + shown + "</b>" : shown;
    };
    const bool scored = model.at("count").get<double>() > 0;
    const bool raw_scored = raw.at("count").get<double>() > 0;
    const json& coverage = model.at("coverage");
    fmt::format_to(
        out,
        "<tr><th scope=\"row\">{}{}<br><span class=\"note\">{}</span></th><td>{}</td>"
        "<td>{}</td><td>{}</td><td>{}</td><td>{}</td><td{}>{}</td><td>{}</td><td>{}</td>"
        "<td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>\n",
        text(row->at("name")),
        row->at("headline").get<bool>() ? "" : " <span class=\"tag\">not headline</span>",
        text(row->at("unit")), whole(model.at("count")), crps_cell("ensemble"),
        crps_cell("persistence"), crps_cell("trend"), crps_cell("historical_mean"),
        row->at("beats_persistence").get<bool>() ? " class=\"hi\"" : "",
        skill(model.at("crps_skill")), scored ? coverage_share(coverage.at("50")) : "—",
        scored ? coverage_share(coverage.at("80")) : "—",
        scored ? coverage_share(coverage.at("95")) : "—", score(raw.at("crps")),
        raw_scored ? coverage_share(raw.at("coverage").at("80")) : "—",
        // Older documents have no spread persistence.
        row->contains("persistence_spread") ? score(row->at("persistence_spread").at("crps"))
                                            : "—");
  }
  fmt::format_to(
      out,
      "</tbody>\n</table>\n<p class=\"how\">How to read: <b>skill</b> is 1 − the model's CRPS "
      "divided by persistence's: above 0 (tinted) the model beat \"nothing changes\", +0.20 "
      "means 20% less error, below 0 it did worse. <b>50%, 80%, 95% held</b>: the share of "
      "outcomes inside the model's central 50%, 80% and 95% intervals; a well-calibrated "
      "forecast holds about 50%, 80% and 95%. Fewer means the intervals are too narrow "
      "(overconfident), more that they are too wide. The <b>raw model</b> is the ensemble "
      "without the error spread the calibration measured before the origin: the model's own "
      "uncertainty alone. <b>Persistence + spread</b> is the last observed value with the spread "
      "of persistence's own errors before the origin: a forecast that knows how much things "
      "usually move but not which way. It is the fair test of whether the model adds anything "
      "beyond honest uncertainty. <b>Scored</b> counts the (country, year) outcomes.</p>\n"
      "</section>\n");
}

void write_backtest_skill(Out out, const json& doc) {
  std::vector<double> leads;
  std::vector<std::string> indicators;
  for (const json& row : doc.at("scores")) {
    if (!row.at("lead").is_number()) continue;
    const double lead = row.at("lead").get<double>();
    if (std::find(leads.begin(), leads.end(), lead) == leads.end()) leads.push_back(lead);
    const std::string name = row.at("indicator").get<std::string>();
    if (std::find(indicators.begin(), indicators.end(), name) == indicators.end()) {
      indicators.push_back(name);
    }
  }
  std::sort(leads.begin(), leads.end());
  fmt::format_to(out, "<section id=\"skill\">\n<h2>Skill by lead</h2>\n");
  if (leads.empty()) {
    fmt::format_to(out, "<p>No forecast was scored at any lead.</p>\n</section>\n");
    return;
  }
  fmt::format_to(
      out,
      "<div class=\"chart\" data-chart=\"skill\" role=\"img\" aria-label=\"The model's skill "
      "against persistence by lead, one line per indicator\"></div>\n<p class=\"how\">How to "
      "read: one line per indicator; each point is the model's skill against persistence (1 − "
      "its CRPS / persistence's CRPS) over the forecasts made that many years ahead, pooled "
      "over countries{}. Above the dashed line at 0 the model beat \"nothing changes\". Most "
      "forecasts lose skill with the lead; persistence is hard to beat one year ahead.</p>\n"
      "<details>\n<summary>Skill by lead as a table</summary>\n<table class=\"numbers "
      "compact\">\n<thead><tr><th scope=\"col\">indicator</th>",
      doc.at("settings").at("origins").size() == 1 ? "" : " and origins");
  for (double lead : leads) fmt::format_to(out, "<th scope=\"col\">lead {:.0f}</th>", lead);
  fmt::format_to(out, "</tr></thead>\n<tbody>\n");
  for (const std::string& name : indicators) {
    fmt::format_to(out, "<tr><th scope=\"row\">{}</th>", escape(name));
    for (double lead : leads) {
      std::string cell = "—";
      for (const json& row : doc.at("scores")) {
        if (row.at("indicator") == name && row.at("lead").is_number() &&
            row.at("lead").get<double>() == lead) {
          cell = skill(row.at("methods").at("ensemble").at("crps_skill"));
        }
      }
      fmt::format_to(out, "<td>{}</td>", cell);
    }
    fmt::format_to(out, "</tr>\n");
  }
  fmt::format_to(out, "</tbody>\n</table>\n</details>\n</section>\n");
}

void write_backtest_forecasts(Out out, const json& doc) {
  fmt::format_to(out, "<section id=\"forecasts\">\n<h2>Forecasts against what happened</h2>\n");
  const std::string indicator = default_backtest_indicator(doc);
  if (indicator.empty()) {
    fmt::format_to(out, "<p>The document holds no forecasts.</p>\n</section>\n");
    return;
  }
  const std::string country = default_backtest_country(doc, indicator);
  // Every indicator with forecasts: the headline ones first, named as the headline names them.
  std::vector<std::pair<std::string, std::string>> indicators;
  std::set<std::string> with_forecasts, countries;
  for (const json& cell : doc.at("forecasts")) {
    with_forecasts.insert(cell.at("indicator").get<std::string>());
    countries.insert(cell.at("country").get<std::string>());
  }
  for (int pass = 0; pass < 2; ++pass) {
    for (const json& row : doc.at("headline").at("indicators")) {
      const std::string name = row.at("indicator").get<std::string>();
      if (row.at("headline").get<bool>() == (pass == 0) && with_forecasts.erase(name)) {
        indicators.emplace_back(name, row.at("name").get<std::string>());
      }
    }
  }
  for (const std::string& name : with_forecasts) indicators.emplace_back(name, name);

  fmt::format_to(out, "<p class=\"controls\"><label>Indicator <select id=\"backtest-indicator\">");
  for (const auto& [name, label] : indicators) {
    fmt::format_to(out, "<option value=\"{}\"{}>{}</option>", escape(name),
                   name == indicator ? " selected" : "", escape(label));
  }
  fmt::format_to(out, "</select></label> <label>Country <select id=\"backtest-country\">");
  for (const std::string& iso3 : countries) {
    fmt::format_to(out, "<option{}>{}</option>", iso3 == country ? " selected" : "", escape(iso3));
  }
  fmt::format_to(
      out,
      "</select></label></p>\n<p id=\"backtest-caption\" class=\"caption\"></p>\n"
      "<div class=\"chart\" data-chart=\"backtest-forecast\" role=\"img\" aria-label=\"Observed "
      "series and the forecasts made from each origin, with their intervals\"></div>\n"
      "<p class=\"how\">How to read: the black line with points is what was observed (values "
      "from the sources only, no gap-filling). From each origin (dotted vertical line), the "
      "dashed line is the forecast's median for the following years, the dark band its central "
      "50% interval and the light band its central 95% interval; {}. A forecast is good when "
      "the black points fall near the median and inside the bands, and the bands are no wider "
      "than they need to be. Point at a point for its numbers.</p>\n</section>\n",
      doc.at("settings").at("origins").size() == 1
          ? "there is one origin"
          : "each origin has its own colour, and the legend shows or hides one");
}

void write_backtest_calibration(Out out, const json& doc) {
  fmt::format_to(out,
                 "<section id=\"calibration\">\n<h2>The calibration at each origin</h2>\n"
                 "<p class=\"lead\">Before forecasting from an origin, the model's uncertain "
                 "parameters were fitted to the {} years before it, with only the data known at "
                 "the origin: {}.</p>\n",
                 whole(doc.at("settings").at("calibration_years")),
                 text(doc.at("settings").at("method")));
  for (const json& origin : doc.at("origins")) {
    if (!origin.contains("fit")) {
      fmt::format_to(out,
                     "<p>Origin {}: no calibration; the parameter sets came from a file.</p>\n",
                     whole(origin.at("origin")));
      continue;
    }
    fmt::format_to(out,
                   "<table class=\"numbers\">\n<caption>Origin {}: fitted on {}–{}; error of the "
                   "model against the data, in standard deviations of each indicator</caption>\n"
                   "<thead><tr><th scope=\"col\">indicator</th><th scope=\"col\">data "
                   "points</th><th scope=\"col\">prior RMSE</th><th scope=\"col\">fitted "
                   "RMSE</th><th scope=\"col\">change</th></tr></thead>\n<tbody>\n",
                   whole(origin.at("origin")),
                   origin.contains("from") ? whole(origin.at("from")) : std::string("?"),
                   whole(origin.at("origin")));
    for (const json& item : origin.at("fit")) {
      const json& prior = item.at("prior_rmse");
      const json& posterior = item.at("posterior_rmse");
      std::string change = "n/a";
      if (prior.is_number() && posterior.is_number() && prior.get<double>() > 0) {
        const double percent_change = 100 * (posterior.get<double>() / prior.get<double>() - 1);
        change = std::abs(percent_change) < 0.5 ? "0%" : fmt::format("{:+.0f}%", percent_change);
      }
      fmt::format_to(out,
                     "<tr><th scope=\"row\">{}</th><td>{}</td><td>{}</td><td>{}</td><td>{}</td>"
                     "</tr>\n",
                     text(item.at("indicator")), whole(item.at("points")), sig(prior),
                     sig(posterior), change);
    }
    fmt::format_to(out, "</tbody>\n</table>\n");
  }
  fmt::format_to(out,
                 "<p class=\"how\">How to read: the prior RMSE is the error of the model run with "
                 "parameters drawn from their whole prior ranges, the fitted RMSE with the sets "
                 "the calibration kept; both are root mean square errors over countries and "
                 "years, in standard deviations of the indicator's observed values (logs for "
                 "indicators on a log scale). A fit that barely improves on the prior means the "
                 "data say little about the parameters behind that indicator.</p>\n</section>\n");
}

void write_backtest_provenance(Out out, const json& doc) {
  const json& settings = doc.at("settings");
  std::string command;
  for (const json& word : doc.at("command")) {
    if (!command.empty()) command += ' ';
    command += word.get<std::string>();
  }
  fmt::format_to(
      out,
      "<section id=\"provenance\">\n<h2>How it was run</h2>\n<table class=\"provenance\">\n"
      "<tbody>\n<tr><th scope=\"row\">origins</th><td>{}, each forecasting {} years "
      "ahead</td></tr>\n<tr><th scope=\"row\">calibration</th><td>{} years before each "
      "origin; {} parameter sets drawn, {} kept</td></tr>\n<tr><th scope=\"row\">forecast</th>"
      "<td>{} members from each origin; seed {}</td></tr>\n"
      "<tr><th scope=\"row\">model</th><td><code>{}</code><br><span class=\"hash\">sha256 {}"
      "</span></td></tr>\n<tr><th scope=\"row\">data</th><td><code>{}</code>, to {}</td></tr>\n"
      "<tr><th scope=\"row\">observations</th><td><code>{}</code></td></tr>\n<tr><th "
      "scope=\"row\">world</th><td><code>{}</code>: the scenario's world (U.S. aid, shocks) "
      "held as it was, not forecast</td></tr>\n",
      escape(and_list([&] {
        std::vector<std::string> years;
        for (const json& year : settings.at("origins")) years.push_back(whole(year));
        return years;
      }())),
      whole(settings.at("horizon")), whole(settings.at("calibration_years")),
      whole(settings.at("draws")), whole(settings.at("accept")), whole(settings.at("members")),
      whole(settings.at("seed")), text(doc.at("model").at("dir")),
      text(doc.at("model").at("sha256")), text(doc.at("data").at("dir")),
      whole(doc.at("data").at("last_year")), text(doc.at("observations")),
      text(doc.at("world").at("scenario")));
  if (settings.contains("params") && settings.at("params").is_object() &&
      settings.at("params").contains("file") && settings.at("params").at("file").is_string()) {
    fmt::format_to(out, "<tr><th scope=\"row\">parameters</th><td><code>{}</code></td></tr>\n",
                   text(settings.at("params").at("file")));
  }
  fmt::format_to(out,
                 "<tr><th scope=\"row\">run</th><td>created {} · latwin {}</td></tr>\n</tbody>\n"
                 "</table>\n<h3>How to reproduce</h3>\n<p>The same command, with the same model "
                 "and data, gives the same numbers:</p>\n<pre><code>{}</code></pre>\n"
                 "</section>\n",
                 text(doc.at("created")), text(doc.at("latwin_version")), command_html(command));
}

void write_backtest_page(Out out, const json& doc) {
  const json& settings = doc.at("settings");
  const json& headline = doc.at("headline");
  const std::string origins = backtest_origins(settings.at("origins"));
  const std::size_t origin_count = settings.at("origins").size();
  const std::string coverage =
      headline.at("coverage80").is_number()
          ? fmt::format(
                "its 80% intervals hold {} of outcomes (a well-calibrated forecast holds "
                "about 80%)",
                coverage_share(headline.at("coverage80")))
          : std::string("no outcome was scored to check its 80% intervals against");
  fmt::format_to(
      out,
      "<body data-charts-drawn=\"0\">\n<main>\n<header>\n"
      "<p class=\"kicker\">latwin backtest</p>\n<h1>Forecasts from {}, {} years ahead, against "
      "what happened</h1>\n<p class=\"meta\">{} origin{} · {} years ahead · calibrated on the {} "
      "years before each origin · {} members · seed {} · created {} · latwin {}</p>\n"
      "<div id=\"report-error\" class=\"error\" hidden></div>\n"
      "<section class=\"finding\">\n<p class=\"question\">Had the model been run in {} with "
      "only the data known then, how well would it have forecast the following years, next to "
      "simple rules of thumb?</p>\n<p class=\"answer\">The model beats persistence on {} of {} "
      "headline indicators at leads of {}+ years; {}.</p>\n</section>\n"
      "<nav><a href=\"#scores\">Scores</a> · <a href=\"#skill\">Skill by lead</a> · <a "
      "href=\"#forecasts\">Forecasts</a> · <a href=\"#calibration\">Calibration</a> · <a "
      "href=\"#provenance\">How it was run</a> · <a href=\"#glossary\">Glossary</a></nav>\n"
      "</header>\n",
      origins, whole(settings.at("horizon")), origin_count, origin_count == 1 ? "" : "s",
      whole(settings.at("horizon")), whole(settings.at("calibration_years")),
      whole(settings.at("members")), whole(settings.at("seed")), text(doc.at("created")),
      text(doc.at("latwin_version")), origin_count == 1 ? origins : "each year from " + origins,
      whole(headline.at("beats_persistence")), whole(headline.at("compared")),
      whole(headline.at("min_lead")), coverage);
  write_backtest_scores(out, doc);
  write_backtest_skill(out, doc);
  write_backtest_forecasts(out, doc);
  write_backtest_calibration(out, doc);
  write_backtest_provenance(out, doc);
  fmt::format_to(
      out,
      "<section id=\"glossary\">\n<h2>Glossary</h2>\n<dl>\n"
      "<dt>Origin</dt><dd>The year a forecast is made from, with only the data known by the end "
      "of that year. A rolling backtest makes one from each of several years and pools the "
      "scores.</dd>\n"
      "<dt>Lead</dt><dd>How many years after the origin a forecast is for.</dd>\n"
      "<dt>Persistence</dt><dd>The rule of thumb \"nothing changes\": the last value known at "
      "the origin, for every later year.</dd>\n"
      "<dt>Trend</dt><dd>A straight line through the values known before the origin, carried "
      "forward.</dd>\n"
      "<dt>Historical mean</dt><dd>The country's mean of the values known at the origin.</dd>\n"
      "<dt>CRPS</dt><dd>Continuous ranked probability score: the error of a forecast given as a "
      "range of outcomes, in the indicator's units; for a single number it is the absolute "
      "error. Lower is better.</dd>\n"
      "<dt>Skill</dt><dd>1 − the model's CRPS / persistence's CRPS: above 0 the model beat "
      "persistence.</dd>\n"
      "<dt>Coverage</dt><dd>The share of outcomes inside a central interval of the forecast; "
      "about the interval's nominal share (80% for the 80% interval) when the forecast's "
      "uncertainty is right.</dd>\n"
      "<dt>Raw model</dt><dd>The model's ensemble without the error spread the calibration "
      "measured: how uncertain the model thinks it is, before learning how wrong it "
      "was.</dd>\n"
      "<dt>Calibration</dt><dd>Fitting the model's uncertain parameters to the years before the "
      "origin (approximate Bayesian computation: keep the parameter draws whose runs come "
      "nearest to the data).</dd>\n"
      "</dl>\n</section>\n");
}

}  // namespace

std::string render_explore_html(const json& document) {
  check_explore(document);
  std::string html;
  html.reserve(echarts_js().size() + 256 * 1024);
  Out out(html);
  write_head_titled(out, fmt::format("Exploration: {}", document.at("outcome").get<std::string>()),
                    document.at("latwin_version"));
  write_explore_page(out, document);
  write_tail(out, document, "latwin-explore");
  return html;
}

std::string render_optimize_html(const json& document) {
  check_optimize(document);
  std::string html;
  html.reserve(echarts_js().size() + 128 * 1024);
  Out out(html);
  write_head_titled(
      out, fmt::format("Optimisation: {} scenario", document.at("scenario").get<std::string>()),
      document.at("latwin_version"));
  write_optimize_page(out, document);
  write_tail(out, document, "latwin-optimize");
  return html;
}

std::string render_backtest_html(const json& document) {
  check_backtest(document);
  const json& origins = document.at("settings").at("origins");
  std::string html;
  html.reserve(echarts_js().size() + 256 * 1024 + document.at("forecasts").size() * 256);
  Out out(html);
  write_head_titled(out,
                    fmt::format("Backtest from {}, {} years ahead", backtest_origins(origins),
                                whole(document.at("settings").at("horizon"))),
                    document.at("latwin_version"));
  write_backtest_page(out, document);
  write_tail(out, document, "latwin-backtest");
  return html;
}

std::string render_any_report_html(const json& document) {
  const auto fail_any = [](const std::string& message) {
    throw InputError(fmt::format(
        "report: {}; expected \"{}\", \"{}\", \"{}\" or \"{}\" (see docs/report.md)", message,
        kFormat, kExploreFormat, kOptimizeFormat, kBacktestFormat));
  };
  if (!document.is_object()) fail_any("the document is not a JSON object");
  const auto format = document.find("format");
  if (format == document.end()) fail_any("the document has no \"format\"");
  if (format->is_string()) {
    const std::string name = format->get<std::string>();
    if (name == kFormat) return render_report_html(document);
    if (name == kExploreFormat) return render_explore_html(document);
    if (name == kOptimizeFormat) return render_optimize_html(document);
    if (name == kBacktestFormat) return render_backtest_html(document);
  }
  fail_any(fmt::format("no report for format {}", format->dump()));
  return {};
}

std::string render_report_html(const json& document) {
  check_document(document);
  const int decimals = index_decimals(document);

  std::string html;
  html.reserve(echarts_js().size() + region_geojson().size() + 512 * 1024);
  Out out(html);
  write_head(out, document);
  fmt::format_to(out, "<body data-charts-drawn=\"0\">\n<main>\n");
  write_intro(out, document);
  write_index_section(out, document, decimals);
  write_time_section(out, document);
  write_map_section(out, document, decimals);
  write_pairs_section(out, document);
  write_inputs_section(out, document);
  write_provenance_section(out, document);
  write_glossary(out);
  fmt::format_to(out, "<footer><p>Made by latwin {}. {}</p></footer>\n</main>\n",
                 text(document.at("latwin_version")), escape(asset_credits()));

  fmt::format_to(out,
                 "<script>{}</script>\n"
                 "<script type=\"application/json\" id=\"latwin-compare\">{}</script>\n"
                 "<script type=\"application/json\" id=\"latwin-region\">{}</script>\n"
                 "<script>{}</script>\n<script>{}</script>\n</body>\n</html>\n",
                 kErrorHandler, script_json(document), region_geojson(), echarts_js(), report_js());
  return html;
}

}  // namespace latwin::report
