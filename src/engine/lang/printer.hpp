#pragma once
// Syntax tree → canonical model text, which parses back to an equal tree.
#include <string>

#include "engine/lang/ast.hpp"

namespace latwin::lang {

std::string print_expr(const Expr& expr);
std::string print_unit(const Unit& unit);
std::string print_model(const Model& model);

}  // namespace latwin::lang
