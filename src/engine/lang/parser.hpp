#pragma once
// Text → syntax tree. Reports every syntax error of a file (it resynchronises at the next
// declaration keyword that starts a line) and never recurses deeper than kMaxNesting.
#include "engine/lang/ast.hpp"
#include "engine/lang/source.hpp"

namespace latwin::lang {

// Deeper nesting is reported as an error instead of risking the stack on hostile input.
// It bounds both the parser's recursion (parentheses, calls, if, prefix operators) and the
// height of every expression tree it returns, so later passes may walk trees recursively.
inline constexpr int kMaxNesting = 200;

// After this many syntax errors in one file the parser stops, with one more error saying so.
inline constexpr int kMaxErrorsPerFile = 50;

// Largest exponent magnitude of a base unit ("m^99"); larger units are not units.
inline constexpr int kMaxUnitExponent = 99;

// Parses one file of sources and appends its declarations to model; errors go to diags.
void parse_file(const SourceSet& sources, std::uint32_t file_idx, Model& model, Diagnostics& diags);

// Parses every file of sources into one model.
Model parse_model(const SourceSet& sources, Diagnostics& diags);

// Parses a unit written between brackets, without them ("USD/person/year"); nullopt when
// it is not a unit.
std::optional<Unit> parse_unit(std::string_view text);

}  // namespace latwin::lang
