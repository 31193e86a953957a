#pragma once
// Syntax tree → canonical model text, which parses back to an equal tree.
#include <string>

#include "engine/lang/ast.hpp"

namespace latwin::lang {

// One expression, with the fewest parentheses that read back as the same tree: "a * (b + c)".
std::string print_expr(const Expr& expr);
// "person/year"; "1" for a dimensionless unit.
std::string print_unit(const Unit& unit);
// The shortest text that reads back as the same double: "0.25", "1e-06", "inf".
std::string print_number(double value);
// Text in quotes, with '"' and '\\' escaped: what a description or data("...") holds.
std::string print_string(const std::string& text);
// A parameter's distribution as written after "~": "normal(0.3, 0.05) truncated [0, 1]".
std::string print_distribution(const Distribution& dist);
// Every declaration of the model, simulation settings and dimensions first.
std::string print_model(const Model& model);

}  // namespace latwin::lang
