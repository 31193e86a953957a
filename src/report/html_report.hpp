#pragma once
// The self-contained HTML report of a strategy comparison (docs/report.md): one page that
// reads the comparison document (docs/compare-format.md) and works offline, with the chart
// library, the map and the document itself inlined.
#include <nlohmann/json.hpp>
#include <string>

namespace latwin::report {

// The report page for a comparison document of format "latwin-compare/1": UTF-8 HTML that
// makes no network request (its content security policy forbids any). Tables and text are
// written here; the charts and the map are drawn in the browser by the inlined script.
// Throws InputError (core/error.hpp) naming the field when the document is of another
// format, lacks a field the report needs or holds one of the wrong type.
std::string render_report_html(const nlohmann::json& document);

// The page for an exploration, format "latwin-explore/1" (src/cli/explore.cpp): the outcome
// and failure in words, sensitivity (Sobol' or Morris, when present) as a chart and a table,
// the PRIM peeling trajectory and the chosen box's limits. Same offline guarantees and
// conventions as the comparison page; throws InputError naming a missing or wrong field.
std::string render_explore_html(const nlohmann::json& document);

// The page for an optimisation, format "latwin-optimize/1" (src/cli/optimize.cpp): the
// convergence, spending by instrument and country group, the objective, budget and
// constraints. Throws InputError naming a missing or wrong field.
std::string render_optimize_html(const nlohmann::json& document);

// The page for a backtest, format "latwin-backtest/1" (src/cli/backtest.cpp): the answer in
// one sentence (on how many headline indicators the model beats persistence, how often its 80%
// intervals held the outcome), the scores of the model and the rules of thumb, skill by lead,
// the forecasts with their intervals against the observed series, and the calibration at
// each origin. Same offline guarantees and conventions as the comparison page; throws
// InputError naming a missing or wrong field.
std::string render_backtest_html(const nlohmann::json& document);

// The page for any stored document, chosen by its "format": a comparison, an exploration, an
// optimisation or a backtest. Throws InputError for any other format (or none).
std::string render_any_report_html(const nlohmann::json& document);

}  // namespace latwin::report
