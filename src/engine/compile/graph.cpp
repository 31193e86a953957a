#include <fmt/format.h>

#include <functional>
#include <set>

#include "engine/compile/compiler.hpp"

namespace latwin::engine {

namespace {

std::string dot_quote(const std::string& text) {
  std::string out = "\"";
  for (char c : text) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out + "\"";
}

}  // namespace

std::string to_dot(const Plan& plan, bool include_hidden) {
  std::string out = "digraph model {\n  rankdir=LR;\n  node [fontname=\"Helvetica\"];\n";
  for (const auto& var : plan.variables) {
    if (var.hidden && !include_hidden) continue;
    const char* shape = "ellipse";
    switch (var.role) {
      case VarRole::kStock: shape = "box"; break;
      case VarRole::kParam:
      case VarRole::kConst: shape = "plaintext"; break;
      case VarRole::kLookup: shape = "note"; break;
      default: break;
    }
    std::string label = var.name;
    if (!var.unit.empty()) label += "\\n[" + var.unit + "]";
    out += fmt::format("  {} [shape={}, label=\"{}\"];\n", dot_quote(var.name), shape, label);
  }
  // An edge for each variable read; hidden variables are looked through when not shown.
  for (std::uint32_t v = 0; v < plan.variables.size(); ++v) {
    const auto& var = plan.variables[v];
    if (var.hidden && !include_hidden) continue;
    std::set<std::uint32_t> sources;
    std::set<std::uint32_t> visited;
    std::function<void(std::uint32_t)> collect = [&](std::uint32_t from) {
      for (auto dep : plan.variables[from].depends_on) {
        if (!visited.insert(dep).second) continue;
        if (plan.variables[dep].hidden && !include_hidden) {
          collect(dep);
        } else if (dep != v) {
          sources.insert(dep);
        }
      }
    };
    collect(v);
    // A stock's flows drive it.
    for (auto src : sources) {
      out += fmt::format("  {} -> {};\n", dot_quote(plan.variables[src].name), dot_quote(var.name));
    }
  }
  out += "}\n";
  return out;
}

}  // namespace latwin::engine
