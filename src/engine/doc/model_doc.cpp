#include "engine/doc/model_doc.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <map>
#include <set>
#include <stdexcept>
#include <unordered_map>
#include <utility>
#include <vector>

#include "engine/lang/parser.hpp"
#include "engine/lang/printer.hpp"

namespace latwin::engine {

namespace {

using lang::DimensionDecl;
using lang::Expr;
using lang::ExprKind;
using lang::VarDecl;
using lang::VarKind;

// ---------------------------------------------------------------- Markdown text

// A table cell: '|' would end the cell even inside a code span (GitHub tables), and a line
// break would end the row.
std::string cell(std::string_view text) {
  std::string out;
  for (char c : text) {
    if (c == '|') {
      out += "\\|";
    } else if (c == '\n' || c == '\r') {
      out += ' ';
    } else {
      out += c;
    }
  }
  return out;
}

// A code span, fenced with one more backtick than the text holds in a row.
std::string code(std::string_view text) {
  std::size_t longest = 0, run = 0;
  for (char c : text) {
    run = c == '`' ? run + 1 : 0;
    longest = std::max(longest, run);
  }
  std::string fence(longest + 1, '`');
  bool pad = !text.empty() && (text.front() == '`' || text.back() == '`');
  return fmt::format("{0}{1}{2}{1}{0}", fence, pad ? " " : "", text);
}

using Row = std::vector<std::string>;

// Cells are Markdown; '|' inside them is escaped here, in one place.
void table(std::string& out, const Row& header, const std::vector<Row>& rows) {
  auto line = [&out](const Row& cells) {
    out += "|";
    for (const auto& text : cells) out += text.empty() ? " |" : " " + cell(text) + " |";
    out += "\n";
  };
  line(header);
  out += "|";
  for (std::size_t i = 0; i < header.size(); ++i) out += "---|";
  out += "\n";
  for (const auto& row : rows) line(row);
  out += "\n";
}

// "1 stock", "2 stocks".
std::string count_noun(std::size_t count, const char* singular, const char* plural) {
  return fmt::format("{} {}", count, count == 1 ? singular : plural);
}

// "a, b and c".
std::string join_and(const std::vector<std::string>& items) {
  std::string out;
  for (std::size_t i = 0; i < items.size(); ++i) {
    if (i > 0) out += i + 1 == items.size() ? " and " : ", ";
    out += items[i];
  }
  return out;
}

// Headings with the anchors GitHub gives them, so the page's links work where analysts read
// it: lower case, spaces to '-', punctuation dropped, "-1", "-2" after a repeated anchor.
class Headings {
 public:
  std::string add(std::string& out, int level, const std::string& text) {
    out += fmt::format("{} {}\n\n", std::string(static_cast<std::size_t>(level), '#'), text);
    std::string base;
    for (char c : text) {
      auto byte = static_cast<unsigned char>(c);
      if (byte >= 0x80 || std::isalnum(byte) || c == '-' || c == '_') {
        base += static_cast<char>(std::tolower(byte));
      } else if (c == ' ') {
        base += '-';
      }
    }
    std::string anchor = base;
    while (used_.count(anchor) > 0) anchor = fmt::format("{}-{}", base, ++repeats_[base]);
    used_.insert(anchor);
    return anchor;
  }

 private:
  std::set<std::string> used_;
  std::map<std::string, int> repeats_;
};

// ---------------------------------------------------------------- the model's pieces

// One model file and what it declares, in the order written.
struct Module {
  std::string name;  // the file's name without ".lw"
  std::string file;  // the file's name
  std::string intro;
  std::vector<const lang::SimulationDecl*> simulations;
  std::vector<const DimensionDecl*> dimensions;
  std::vector<const VarDecl*> variables;
};

// Kinds of named input, in the order the Inputs table lists them.
constexpr const char* kInputFunctions[] = {"data", "scenario", "allocation"};

// (index into kInputFunctions, series name) -> the variables that read it: (name, Markdown),
// the Markdown "`x`", or "`x` (default `d`)" for a scenario series read with a default.
using InputReaders =
    std::map<std::pair<std::size_t, std::string>, std::set<std::pair<std::string, std::string>>>;

void collect_inputs(const Expr& expr, const std::string& reader, InputReaders& out) {
  if (expr.kind == ExprKind::kCall && !expr.args.empty() &&
      expr.args[0].kind == ExprKind::kString) {
    for (std::size_t kind = 0; kind < std::size(kInputFunctions); ++kind) {
      if (expr.text != kInputFunctions[kind]) continue;
      std::string text = code(reader);
      // A default says a run may leave the series out, which an analyst needs to know.
      if (expr.text == "scenario" && expr.args.size() >= 2) {
        text += fmt::format(" (default {})", code(lang::print_expr(expr.args[1])));
      }
      out[{kind, expr.args[0].text}].emplace(reader, std::move(text));
    }
  }
  // Trees are at most lang::kMaxNesting deep, so recursion is safe.
  for (const auto& arg : expr.args) collect_inputs(arg, reader, out);
}

// Every expression of a declaration, inline flows under their own names.
void collect_inputs(const VarDecl& decl, InputReaders& out) {
  if (decl.value) collect_inputs(*decl.value, decl.name, out);
  for (const auto& over : decl.overrides) collect_inputs(over.value, decl.name, out);
  if (decl.distribution) {
    for (const auto& arg : decl.distribution->args) collect_inputs(arg, decl.name, out);
    if (decl.distribution->truncate_low) {
      collect_inputs(*decl.distribution->truncate_low, decl.name, out);
    }
    if (decl.distribution->truncate_high) {
      collect_inputs(*decl.distribution->truncate_high, decl.name, out);
    }
  }
  for (const auto* flows : {&decl.inflows, &decl.outflows}) {
    for (const auto& flow : *flows) {
      if (flow.equation) collect_inputs(*flow.equation, flow.name, out);
    }
  }
}

std::string name_with_dims(const std::string& name, const std::vector<std::string>& dims) {
  return dims.empty() ? name : fmt::format("{}[{}]", name, fmt::join(dims, ", "));
}

std::string range_text(const VarDecl& decl) {
  if (!decl.range_low || !decl.range_high) return "";
  return code(fmt::format("[{}, {}]", lang::print_number(*decl.range_low),
                          lang::print_number(*decl.range_high)));
}

// "`andean = 1`; `MEX, northern_triangle = 0.8`"
std::string overrides_text(const VarDecl& decl) {
  std::vector<std::string> parts;
  for (const auto& over : decl.overrides) {
    parts.push_back(
        code(fmt::format("{} = {}", fmt::join(over.targets, ", "), lang::print_expr(over.value))));
  }
  return fmt::format("{}", fmt::join(parts, "; "));
}

std::string flow_names(const std::vector<lang::FlowRef>& flows) {
  std::vector<std::string> names;
  for (const auto& flow : flows) names.push_back(code(flow.name));
  return fmt::format("{}", fmt::join(names, ", "));
}

// ---------------------------------------------------------------- the page

class PageWriter {
 public:
  PageWriter(const Plan& plan, const DocOptions& options) : plan_(plan), options_(options) {
    for (const auto& var : plan.variables) variables_.emplace(var.name, &var);
    for (const auto& dim : plan.dimensions) dimensions_.emplace(dim.name, &dim);
  }

  std::string write() {
    read_modules();
    // The title's anchor comes first, so the body's anchors are numbered as GitHub does.
    std::string out;
    headings_.add(out, 1, options_.title + ": model reference");
    std::string body;

    std::vector<std::pair<std::string, std::string>> contents;  // (text, anchor)
    for (const auto& module : modules_) {
      contents.emplace_back(module.name, write_module(module, body));
    }
    contents.emplace_back("Inputs", write_inputs(body));
    contents.emplace_back("Parameters without a source", write_unsourced(body));
    if (!options_.graph_svg.empty()) contents.emplace_back("Causal graph", write_graph(body));

    out += "<!-- Generated by latwin doc from the model files: edit those, not this page. -->\n\n";
    out += summary() + "\n\n";
    std::vector<std::string> links;
    for (const auto& [text, anchor] : contents)
      links.push_back(fmt::format("[{}](#{})", text, anchor));
    out += fmt::format("Contents: {}\n\n", fmt::join(links, " · "));
    out += body;
    // One newline at the end, never a blank line.
    while (out.size() >= 2 && out[out.size() - 1] == '\n' && out[out.size() - 2] == '\n') {
      out.pop_back();
    }
    return out;
  }

 private:
  // The declarations, parsed again from the plan's files and grouped by file.
  void read_modules() {
    const lang::SourceSet& sources = *plan_.sources;
    lang::Diagnostics ignored;  // the model compiled, so it parses cleanly
    model_ = lang::parse_model(sources, ignored);
    for (std::uint32_t file_idx = 0; file_idx < sources.size(); ++file_idx) {
      const lang::SourceFile& file = sources.file(file_idx);
      std::filesystem::path path(file.path);
      Module module;
      module.file = path.filename().string();
      module.name = path.extension() == ".lw" ? path.stem().string() : module.file;
      module.intro = leading_comment(file.text);
      modules_.push_back(std::move(module));
    }
    for (const auto& sim : model_.simulations) {
      if (sim.loc.file < modules_.size()) modules_[sim.loc.file].simulations.push_back(&sim);
    }
    for (const auto& dim : model_.dimensions) {
      if (dim.loc.file < modules_.size()) modules_[dim.loc.file].dimensions.push_back(&dim);
    }
    for (const auto& var : model_.variables) {
      if (var.loc.file < modules_.size()) modules_[var.loc.file].variables.push_back(&var);
    }
  }

  // "`1/year`", "`person` (inferred)" or "" when unknown.
  std::string unit_text(const std::string& name, const std::optional<lang::Unit>& declared) const {
    if (declared) return code(lang::print_unit(*declared));
    auto it = variables_.find(name);
    if (it != variables_.end() && !it->second->unit.empty()) {
      return code(it->second->unit) + " (inferred)";
    }
    return "";
  }

  std::string summary() const {
    std::size_t dimensions = 0, subsets = 0;
    for (const auto& dim : model_.dimensions) ++(dim.parent.empty() ? dimensions : subsets);
    std::size_t counts[5] = {};  // by VarKind
    std::size_t inline_flows = 0;
    for (const auto& var : model_.variables) {
      ++counts[static_cast<std::size_t>(var.kind)];
      for (const auto* flows : {&var.inflows, &var.outflows}) {
        for (const auto& flow : *flows) inline_flows += flow.equation ? 1 : 0;
      }
    }
    auto count = [&](VarKind kind) { return counts[static_cast<std::size_t>(kind)]; };
    std::string auxiliaries =
        count_noun(count(VarKind::kAux) + inline_flows, "auxiliary", "auxiliaries");
    if (inline_flows > 0) {
      auxiliaries +=
          fmt::format(" ({} defined inside stocks)", count_noun(inline_flows, "flow", "flows"));
    }
    std::string text = fmt::format(
        "The model is written in {} and declares {}.",
        count_noun(plan_.sources->size(), "file", "files"),
        join_and({count_noun(dimensions, "dimension", "dimensions"),
                  count_noun(subsets, "subset", "subsets"),
                  count_noun(count(VarKind::kStock), "stock", "stocks"),
                  count_noun(count(VarKind::kParam), "parameter", "parameters"), auxiliaries,
                  count_noun(count(VarKind::kConst), "constant", "constants"),
                  count_noun(count(VarKind::kLookup), "lookup", "lookups")}));
    const Settings& settings = plan_.settings;
    auto years = [](double value) {
      return fmt::format("{} {}", lang::print_number(value), value == 1 ? "year" : "years");
    };
    text += fmt::format(
        " It runs from {} to {} in steps of dt = {} with the {} method, saving results every {}.",
        lang::print_number(settings.start), lang::print_number(settings.stop), years(settings.dt),
        code(lang::to_string(settings.method)), years(settings.save_every));
    text +=
        " Equations and distributions are shown as the model language writes them; a unit "
        "marked (inferred) is not declared in the model but computed from its equation.";
    return text;
  }

  // Returns the section's anchor.
  std::string write_module(const Module& module, std::string& out) {
    std::string anchor = headings_.add(out, 2, module.name);
    out += fmt::format("File {}.\n\n", code(module.file));
    if (!module.intro.empty()) out += module.intro + "\n\n";
    for (const auto* sim : module.simulations) {
      lang::Model only_settings;
      only_settings.simulations.push_back(*sim);
      std::string line = lang::print_model(only_settings);
      if (!line.empty() && line.back() == '\n') line.pop_back();
      out += fmt::format("Simulation settings: {}.\n\n", code(line));
    }
    if (module.dimensions.empty() && module.variables.empty()) {
      out += "This file declares no dimensions and no variables.\n\n";
      return anchor;
    }
    write_dimensions(module, out);
    write_stocks(module, out);
    write_parameters(module, out);
    write_auxiliaries(module, out);
    write_constants(module, out);
    write_lookups(module, out);
    return anchor;
  }

  void write_dimensions(const Module& module, std::string& out) {
    if (module.dimensions.empty()) return;
    std::vector<Row> rows;
    for (const auto* dim : module.dimensions) {
      std::vector<std::string> elements = dim->elements;
      auto found = dimensions_.find(dim->name);
      if (found != dimensions_.end()) elements = found->second->elements;
      std::string listed = fmt::format("{}", fmt::join(elements, ", "));
      std::string text = listed;
      if (!dim->table.empty()) {
        std::string from = "table(" + lang::print_string(dim->table);
        if (!dim->filter_column.empty()) {
          from +=
              fmt::format(", {} = {}", dim->filter_column, lang::print_string(dim->filter_value));
        }
        from += ")";
        text = code(from) + (listed.empty() ? "" : ": " + listed);
      }
      rows.push_back({code(dim->name),
                      dim->parent.empty() ? "dimension" : "subset of " + code(dim->parent), text,
                      dim->description});
    }
    headings_.add(out, 3, "Dimensions and subsets");
    table(out, {"name", "kind", "elements", "description"}, rows);
  }

  void write_stocks(const Module& module, std::string& out) {
    std::vector<Row> rows;
    for (const auto* var : module.variables) {
      if (var->kind != VarKind::kStock) continue;
      rows.push_back({code(name_with_dims(var->name, var->dims)), unit_text(var->name, var->unit),
                      var->value ? code(lang::print_expr(*var->value)) : "",
                      flow_names(var->inflows), flow_names(var->outflows), range_text(*var),
                      var->description, var->source});
    }
    if (rows.empty()) return;
    headings_.add(out, 3, "Stocks");
    table(
        out,
        {"stock", "unit", "initial value", "inflows", "outflows", "range", "description", "source"},
        rows);
  }

  void write_parameters(const Module& module, std::string& out) {
    std::vector<Row> rows;
    for (const auto* var : module.variables) {
      if (var->kind != VarKind::kParam) continue;
      std::string nominal;
      if (var->value) {
        nominal = code(lang::print_expr(*var->value));
      } else if (var->distribution) {
        nominal = "median of the distribution";
      }
      rows.push_back({code(name_with_dims(var->name, var->dims)), unit_text(var->name, var->unit),
                      nominal,
                      var->distribution ? code(lang::print_distribution(*var->distribution)) : "",
                      overrides_text(*var), var->description, var->source});
    }
    if (rows.empty()) return;
    headings_.add(out, 3, "Parameters");
    table(out,
          {"parameter", "unit", "nominal value", "distribution", "at", "description", "source"},
          rows);
  }

  // Auxiliaries, and the flows defined inside stocks where their stock is declared.
  void write_auxiliaries(const Module& module, std::string& out) {
    std::vector<Row> rows;
    for (const auto* var : module.variables) {
      if (var->kind == VarKind::kAux) {
        rows.push_back({code(name_with_dims(var->name, var->dims)), unit_text(var->name, var->unit),
                        var->value ? code(lang::print_expr(*var->value)) : "", range_text(*var),
                        var->description, var->source});
      }
      if (var->kind != VarKind::kStock) continue;
      for (const auto& [flows, role] :
           {std::pair{&var->inflows, "Inflow"}, std::pair{&var->outflows, "Outflow"}}) {
        for (const auto& flow : *flows) {
          if (!flow.equation) continue;
          std::string description = fmt::format("{} of {}", role, code(var->name));
          description += flow.description.empty() ? "." : ": " + flow.description;
          rows.push_back({code(name_with_dims(flow.name, var->dims)),
                          unit_text(flow.name, flow.unit), code(lang::print_expr(*flow.equation)),
                          "", description, ""});
        }
      }
    }
    if (rows.empty()) return;
    headings_.add(out, 3, "Auxiliaries");
    table(out, {"auxiliary", "unit", "equation", "range", "description", "source"}, rows);
  }

  void write_constants(const Module& module, std::string& out) {
    std::vector<Row> rows;
    for (const auto* var : module.variables) {
      if (var->kind != VarKind::kConst) continue;
      rows.push_back({code(name_with_dims(var->name, var->dims)), unit_text(var->name, var->unit),
                      var->value ? code(lang::print_expr(*var->value)) : "", overrides_text(*var),
                      var->description, var->source});
    }
    if (rows.empty()) return;
    headings_.add(out, 3, "Constants");
    table(out, {"constant", "unit", "value", "at", "description", "source"}, rows);
  }

  void write_lookups(const Module& module, std::string& out) {
    std::vector<Row> rows;
    for (const auto* var : module.variables) {
      if (var->kind != VarKind::kLookup) continue;
      std::vector<std::string> points;
      for (const auto& [x, y] : var->points) {
        points.push_back(fmt::format("({}, {})", lang::print_number(x), lang::print_number(y)));
      }
      rows.push_back({code(var->name), var->unit ? code(lang::print_unit(*var->unit)) : "",
                      code(fmt::format("{}", fmt::join(points, ", "))), var->description,
                      var->source});
    }
    if (rows.empty()) return;
    headings_.add(out, 3, "Lookups");
    table(out, {"lookup", "unit", "points (x, y)", "description", "source"}, rows);
  }

  std::string write_inputs(std::string& out) {
    std::string anchor = headings_.add(out, 2, "Inputs");
    InputReaders readers;
    for (const auto& var : model_.variables) collect_inputs(var, readers);
    if (readers.empty()) {
      out += "The model reads no named inputs: no `data`, `scenario` or `allocation` series.\n\n";
      return anchor;
    }
    out +=
        "The named series the model reads from outside its files: `data` from the historical "
        "panel of the data folder when the model compiles, `scenario` from the scenario of a "
        "run, `allocation` from the strategy of a run (0 where the strategy does not mention "
        "it).\n\n";
    std::vector<Row> rows;
    for (const auto& [key, names] : readers) {
      std::vector<std::string> texts;
      for (const auto& name : names) texts.push_back(name.second);
      rows.push_back({kInputFunctions[key.first], code(lang::print_string(key.second)),
                      fmt::format("{}", fmt::join(texts, ", "))});
    }
    table(out, {"kind", "name", "read by"}, rows);
    return anchor;
  }

  std::string write_unsourced(std::string& out) {
    std::string anchor = headings_.add(out, 2, "Parameters without a source");
    std::vector<std::string> items;
    for (const auto& var : model_.variables) {
      if (var.kind != VarKind::kParam || !var.source.empty()) continue;
      items.push_back(fmt::format("- {} ({}, line {})", code(var.name),
                                  code(modules_.at(var.loc.file).file), var.loc.line));
    }
    if (items.empty()) {
      out += "None: every parameter names its source.\n\n";
      return anchor;
    }
    out += fmt::format("{} no `source \"...\"` saying where {} number comes from:\n\n",
                       items.size() == 1 ? "This parameter has" : "These parameters have",
                       items.size() == 1 ? "its" : "their");
    out += fmt::format("{}\n\n", fmt::join(items, "\n"));
    return anchor;
  }

  std::string write_graph(std::string& out) {
    std::string anchor = headings_.add(out, 2, "Causal graph");
    out += fmt::format("![The model's causal graph]({})\n\n", options_.graph_svg);
    out +=
        "Stocks are boxes, parameters and constants plain text, lookups notes and auxiliaries "
        "ellipses; an arrow goes from each variable to the variables whose equations use it.";
    if (!options_.graph_dot.empty()) {
      out += fmt::format(" The Graphviz source is [{0}]({0}).", options_.graph_dot);
    }
    out += "\n\n";
    return anchor;
  }

  const Plan& plan_;
  const DocOptions& options_;
  std::unordered_map<std::string, const Variable*> variables_;
  std::unordered_map<std::string, const Dimension*> dimensions_;
  lang::Model model_;
  std::vector<Module> modules_;
  Headings headings_;
};

}  // namespace

std::string leading_comment(std::string_view text) {
  std::vector<std::string> lines;
  std::size_t pos = 0;
  while (pos < text.size()) {
    std::size_t end = text.find('\n', pos);
    if (end == std::string_view::npos) end = text.size();
    std::string_view line = text.substr(pos, end - pos);
    pos = end + 1;
    while (!line.empty() && (line.back() == '\r' || line.back() == ' ' || line.back() == '\t')) {
      line.remove_suffix(1);
    }
    while (!line.empty() && (line.front() == ' ' || line.front() == '\t')) line.remove_prefix(1);
    if (line.empty()) {
      if (lines.empty()) continue;  // blank lines before the block
      break;
    }
    if (line.front() != '#') break;
    line.remove_prefix(1);
    if (!line.empty() && line.front() == ' ') line.remove_prefix(1);
    // "## Notes" in a comment must not become a heading of the page.
    lines.push_back(!line.empty() && line.front() == '#' ? "\\" + std::string(line)
                                                         : std::string(line));
  }
  while (!lines.empty() && lines.front().empty()) lines.erase(lines.begin());
  while (!lines.empty() && lines.back().empty()) lines.pop_back();
  return fmt::format("{}", fmt::join(lines, "\n"));
}

std::string model_markdown(const Plan& plan, const DocOptions& options) {
  if (!plan.sources) {
    throw std::invalid_argument("model_markdown: the plan holds no sources; compile it first");
  }
  return PageWriter(plan, options).write();
}

}  // namespace latwin::engine
