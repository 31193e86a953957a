#include "engine/lang/printer.hpp"

#include <fmt/format.h>

#include <cmath>
#include <vector>

namespace latwin::lang {

const char* to_string(BinaryOp op) {
  switch (op) {
    case BinaryOp::kAdd:
      return "+";
    case BinaryOp::kSub:
      return "-";
    case BinaryOp::kMul:
      return "*";
    case BinaryOp::kDiv:
      return "/";
    case BinaryOp::kPow:
      return "^";
    case BinaryOp::kEq:
      return "==";
    case BinaryOp::kNe:
      return "!=";
    case BinaryOp::kLt:
      return "<";
    case BinaryOp::kLe:
      return "<=";
    case BinaryOp::kGt:
      return ">";
    case BinaryOp::kGe:
      return ">=";
    case BinaryOp::kAnd:
      return "and";
    case BinaryOp::kOr:
      return "or";
  }
  return "?";
}

const char* to_string(DistKind kind) {
  switch (kind) {
    case DistKind::kNormal:
      return "normal";
    case DistKind::kLognormal:
      return "lognormal";
    case DistKind::kUniform:
      return "uniform";
    case DistKind::kTriangular:
      return "triangular";
    case DistKind::kBeta:
      return "beta";
  }
  return "?";
}

const char* to_string(VarKind kind) {
  switch (kind) {
    case VarKind::kConst:
      return "const";
    case VarKind::kParam:
      return "param";
    case VarKind::kAux:
      return "aux";
    case VarKind::kStock:
      return "stock";
    case VarKind::kLookup:
      return "lookup";
  }
  return "?";
}

const char* to_string(Method method) {
  return method == Method::kEuler ? "euler" : "rk4";
}

bool operator==(const Expr& a, const Expr& b) {
  if (a.kind != b.kind) return false;
  switch (a.kind) {
    case ExprKind::kNumber:
      return a.number == b.number;
    case ExprKind::kString:
      return a.text == b.text;
    case ExprKind::kName:
      return a.text == b.text && a.indices == b.indices;
    case ExprKind::kCall:
      return a.text == b.text && a.args == b.args;
    case ExprKind::kUnary:
      return a.unary_op == b.unary_op && a.args == b.args;
    case ExprKind::kBinary:
      return a.binary_op == b.binary_op && a.args == b.args;
    case ExprKind::kIf:
      return a.args == b.args;
  }
  return false;
}

std::string print_string(const std::string& text) {
  std::string out = "\"";
  for (char c : text) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  out += '"';
  return out;
}

std::string print_number(double value) {
  if (std::isinf(value)) return value > 0 ? "inf" : "-inf";
  return fmt::format("{}", value);
}

std::string print_distribution(const Distribution& dist) {
  std::vector<std::string> args;
  for (const auto& arg : dist.args) args.push_back(print_expr(arg));
  std::string out = fmt::format("{}({})", to_string(dist.kind), fmt::join(args, ", "));
  if (dist.truncate_low && dist.truncate_high) {
    out += fmt::format(" truncated [{}, {}]", print_expr(*dist.truncate_low),
                       print_expr(*dist.truncate_high));
  }
  return out;
}

namespace {

// Binding strength, loosest first: the parser's precedence levels.
enum Level : int {
  kLevelAny = 0,
  kLevelOr = 1,
  kLevelAnd = 2,
  kLevelNot = 3,
  kLevelCompare = 4,
  kLevelAdd = 5,
  kLevelMul = 6,
  kLevelUnary = 7,
  kLevelPow = 8,
  kLevelPrimary = 9,
};

int level_of(const Expr& expr) {
  switch (expr.kind) {
    case ExprKind::kUnary:
      return expr.unary_op == UnaryOp::kNeg ? kLevelUnary : kLevelNot;
    case ExprKind::kBinary:
      switch (expr.binary_op) {
        case BinaryOp::kOr:
          return kLevelOr;
        case BinaryOp::kAnd:
          return kLevelAnd;
        case BinaryOp::kAdd:
        case BinaryOp::kSub:
          return kLevelAdd;
        case BinaryOp::kMul:
        case BinaryOp::kDiv:
          return kLevelMul;
        case BinaryOp::kPow:
          return kLevelPow;
        default:
          return kLevelCompare;
      }
    default:
      return kLevelPrimary;
  }
}

// Prints with the fewest parentheses that read back as the same tree, so the text nests no
// deeper than the text it was parsed from (and stays within kMaxNesting). min_level is the
// loosest operator the context takes unparenthesised; right_open says nothing follows
// within the context, which an "if" needs: its "else" part extends as far as it can.
void emit(const Expr& expr, int min_level, bool right_open, std::string& out) {
  bool parens = level_of(expr) < min_level || (expr.kind == ExprKind::kIf && !right_open);
  if (parens) {
    out += '(';
    emit(expr, kLevelAny, true, out);
    out += ')';
    return;
  }
  switch (expr.kind) {
    case ExprKind::kNumber:
      // A negative literal can only come from a tree built in code; keep it a unary minus.
      if (expr.number < 0 || std::signbit(expr.number)) {
        out += "(-" + print_number(-expr.number) + ")";
      } else {
        out += print_number(expr.number);
      }
      return;
    case ExprKind::kString:
      out += print_string(expr.text);
      return;
    case ExprKind::kName:
      out += expr.text;
      if (!expr.indices.empty()) out += fmt::format("[{}]", fmt::join(expr.indices, ", "));
      return;
    case ExprKind::kCall:
      out += expr.text;
      out += '(';
      for (std::size_t i = 0; i < expr.args.size(); ++i) {
        if (i > 0) out += ", ";
        emit(expr.args[i], kLevelAny, true, out);
      }
      out += ')';
      return;
    case ExprKind::kUnary:
      if (expr.unary_op == UnaryOp::kNeg) {
        out += '-';
        std::size_t at = out.size();
        emit(expr.args[0], kLevelUnary, right_open, out);
        // "- -x" rather than "--x", which reads like a decrement.
        if (out.size() > at && out[at] == '-') out.insert(at, 1, ' ');
      } else {
        out += "not ";
        emit(expr.args[0], kLevelNot, right_open, out);
      }
      return;
    case ExprKind::kBinary: {
      int level = level_of(expr);
      int lhs_level = level;
      int rhs_level = level + 1;  // left-associative: a - (b - c) keeps its parentheses
      if (level == kLevelCompare) {
        lhs_level = kLevelAdd;  // comparisons do not chain
        rhs_level = kLevelAdd;
      } else if (level == kLevelPow) {
        lhs_level = kLevelPrimary;  // -a^b is -(a^b) and a^b^c is a^(b^c)
        rhs_level = kLevelUnary;
      }
      emit(expr.args[0], lhs_level, false, out);
      out += level == kLevelPow ? "^" : fmt::format(" {} ", to_string(expr.binary_op));
      emit(expr.args[1], rhs_level, right_open, out);
      return;
    }
    case ExprKind::kIf:
      out += "if ";
      emit(expr.args[0], kLevelAny, true, out);
      out += " then ";
      emit(expr.args[1], kLevelAny, true, out);
      out += " else ";
      emit(expr.args[2], kLevelAny, right_open, out);
      return;
  }
}

}  // namespace

std::string print_expr(const Expr& expr) {
  std::string out;
  emit(expr, kLevelAny, true, out);
  return out;
}

std::string print_unit(const Unit& unit) {
  std::string num, den;
  for (const auto& [base, exponent] : unit) {
    if (exponent == 0) continue;
    std::string& side = exponent > 0 ? num : den;
    int magnitude = std::abs(exponent);
    if (!side.empty()) side += "*";
    side += magnitude == 1 ? base : fmt::format("{}^{}", base, magnitude);
  }
  if (num.empty()) num = "1";
  if (den.empty()) return num;
  // Each denominator factor gets its own '/', so "a/b*c" never misreads as (a/b)*c.
  std::string out = num;
  for (const auto& [base, exponent] : unit) {
    if (exponent >= 0) continue;
    int magnitude = -exponent;
    out += "/";
    out += magnitude == 1 ? base : fmt::format("{}^{}", base, magnitude);
  }
  return out;
}

namespace {

std::string dims_text(const std::vector<std::string>& dims) {
  return dims.empty() ? "" : fmt::format("[{}]", fmt::join(dims, ", "));
}

void print_variable(const VarDecl& decl, std::string& out) {
  out += fmt::format("{} {}{}", to_string(decl.kind), decl.name, dims_text(decl.dims));
  if (decl.unit) out += fmt::format(" [{}]", print_unit(*decl.unit));
  if (decl.kind == VarKind::kLookup) {
    out += " =";
    for (std::size_t i = 0; i < decl.points.size(); ++i) {
      out += fmt::format("{} ({}, {})", i ? "," : "", print_number(decl.points[i].first),
                         print_number(decl.points[i].second));
    }
  } else if (decl.value) {
    out += " = " + print_expr(*decl.value);
  }
  if (decl.distribution) out += " ~ " + print_distribution(*decl.distribution);
  if (decl.range_low && decl.range_high) {
    out += fmt::format(" range [{}, {}]", print_number(*decl.range_low),
                       print_number(*decl.range_high));
  }
  if (!decl.description.empty()) out += " " + print_string(decl.description);
  if (!decl.source.empty()) out += " source " + print_string(decl.source);
  for (const auto& over : decl.overrides) {
    out += fmt::format("\n  at {} = {}", fmt::join(over.targets, ", "), print_expr(over.value));
  }
  auto print_flows = [&](const std::vector<FlowRef>& flows, const char* keyword) {
    for (const auto& flow : flows) {
      out += fmt::format("\n  {} {}", keyword, flow.name);
      if (flow.unit) out += fmt::format(" [{}]", print_unit(*flow.unit));
      if (flow.equation) out += " = " + print_expr(*flow.equation);
      if (!flow.description.empty()) out += " " + print_string(flow.description);
    }
  };
  print_flows(decl.inflows, "inflow");
  print_flows(decl.outflows, "outflow");
  out += "\n";
}

}  // namespace

std::string print_model(const Model& model) {
  std::string out;
  for (const auto& sim : model.simulations) {
    out += "simulation";
    if (sim.start) out += " start = " + print_number(*sim.start);
    if (sim.stop) out += " stop = " + print_number(*sim.stop);
    if (sim.dt) out += " dt = " + print_number(*sim.dt);
    if (sim.method) out += fmt::format(" method = {}", to_string(*sim.method));
    if (sim.save_every) out += " save_every = " + print_number(*sim.save_every);
    out += "\n";
  }
  for (const auto& dim : model.dimensions) {
    out += dim.parent.empty() ? fmt::format("dimension {} = ", dim.name)
                              : fmt::format("subset {} of {} = ", dim.name, dim.parent);
    if (!dim.table.empty()) {
      out += "table(" + print_string(dim.table);
      if (!dim.filter_column.empty()) {
        out += fmt::format(", {} = {}", dim.filter_column, print_string(dim.filter_value));
      }
      out += ")";
    } else {
      out += fmt::format("{{{}}}", fmt::join(dim.elements, ", "));
    }
    if (!dim.description.empty()) out += " " + print_string(dim.description);
    out += "\n";
  }
  for (const auto& var : model.variables) print_variable(var, out);
  return out;
}

}  // namespace latwin::lang
