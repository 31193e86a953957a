#pragma once
// The syntax tree of a model, as written. Equality ignores source positions, so that
// parse(print(model)) == model can be checked.
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "engine/lang/source.hpp"

namespace latwin::lang {

enum class BinaryOp { kAdd, kSub, kMul, kDiv, kPow, kEq, kNe, kLt, kLe, kGt, kGe, kAnd, kOr };
enum class UnaryOp { kNeg, kNot };

enum class ExprKind {
  kNumber,  // number
  kString,  // text: only as an argument of data(), scenario(), allocation()
  kName,    // text, optional indices: x, x[COL], w[country, VEN]
  kCall,    // text(args)
  kUnary,   // unary_op args[0]
  kBinary,  // args[0] binary_op args[1]
  kIf,      // if args[0] then args[1] else args[2]
};

struct Expr {
  ExprKind kind = ExprKind::kNumber;
  double number = 0;
  std::string text;
  std::vector<std::string> indices;
  std::vector<Expr> args;
  BinaryOp binary_op = BinaryOp::kAdd;
  UnaryOp unary_op = UnaryOp::kNeg;
  SourceLoc loc;

  friend bool operator==(const Expr& a, const Expr& b);
};

// A unit as base units with integer exponents; empty means dimensionless.
using Unit = std::map<std::string, int>;

enum class DistKind { kNormal, kLognormal, kUniform, kTriangular, kBeta };

struct Distribution {
  DistKind kind = DistKind::kNormal;
  std::vector<Expr> args;
  std::optional<Expr> truncate_low, truncate_high;  // "truncated [lo, hi]"
  SourceLoc loc;

  friend bool operator==(const Distribution& a, const Distribution& b) {
    return a.kind == b.kind && a.args == b.args && a.truncate_low == b.truncate_low &&
           a.truncate_high == b.truncate_high;
  }
};

// "at COL, andean = expr": overrides the value for some elements (element or subset names;
// for two dimensions, "COL.security").
struct ElementOverride {
  std::vector<std::string> targets;
  Expr value;
  SourceLoc loc;

  friend bool operator==(const ElementOverride& a, const ElementOverride& b) {
    return a.targets == b.targets && a.value == b.value;
  }
};

// An inflow or outflow of a stock: either defined inline ("inflow births = ...") or naming
// a variable defined elsewhere ("inflow infection"), so one flow can leave one stock and
// enter another.
struct FlowRef {
  std::string name;
  std::optional<Unit> unit;
  std::optional<Expr> equation;
  std::string description;
  SourceLoc loc;

  friend bool operator==(const FlowRef& a, const FlowRef& b) {
    return a.name == b.name && a.unit == b.unit && a.equation == b.equation &&
           a.description == b.description;
  }
};

enum class VarKind { kConst, kParam, kAux, kStock, kLookup };

struct VarDecl {
  VarKind kind = VarKind::kAux;
  std::string name;
  std::vector<std::string> dims;
  std::optional<Unit> unit;
  std::optional<Expr> value;  // const/param value, aux equation, stock initial value
  std::vector<ElementOverride> overrides;
  std::optional<Distribution> distribution;  // params only
  std::optional<double> range_low, range_high;  // "range [lo, hi]"; stocks and auxes
  std::vector<std::pair<double, double>> points;  // lookups: (x, y), x increasing
  std::vector<FlowRef> inflows, outflows;
  std::string description;
  std::string source;
  SourceLoc loc;

  friend bool operator==(const VarDecl& a, const VarDecl& b) {
    return a.kind == b.kind && a.name == b.name && a.dims == b.dims && a.unit == b.unit &&
           a.value == b.value && a.overrides == b.overrides &&
           a.distribution == b.distribution && a.range_low == b.range_low &&
           a.range_high == b.range_high && a.points == b.points && a.inflows == b.inflows &&
           a.outflows == b.outflows && a.description == b.description && a.source == b.source;
  }
};

// "dimension country = {ARG, BRA}" or "= table("countries")"; with a parent it is a subset:
// "subset andean of country = {COL, ECU}" or "= table("countries", subregion = "Andean")".
struct DimensionDecl {
  std::string name;
  std::string parent;  // empty for a dimension
  std::vector<std::string> elements;
  std::string table;  // elements come from this data table when not empty
  std::string filter_column, filter_value;
  std::string description;
  SourceLoc loc;

  friend bool operator==(const DimensionDecl& a, const DimensionDecl& b) {
    return a.name == b.name && a.parent == b.parent && a.elements == b.elements &&
           a.table == b.table && a.filter_column == b.filter_column &&
           a.filter_value == b.filter_value && a.description == b.description;
  }
};

enum class Method { kEuler, kRk4 };

// "simulation start = 2024 stop = 2040 dt = 0.25 method = rk4 save_every = 1"
struct SimulationDecl {
  std::optional<double> start, stop, dt, save_every;
  std::optional<Method> method;
  SourceLoc loc;

  friend bool operator==(const SimulationDecl& a, const SimulationDecl& b) {
    return a.start == b.start && a.stop == b.stop && a.dt == b.dt &&
           a.save_every == b.save_every && a.method == b.method;
  }
};

// One model: the declarations of all its files, in file order.
struct Model {
  std::vector<DimensionDecl> dimensions;
  std::vector<VarDecl> variables;
  std::vector<SimulationDecl> simulations;

  friend bool operator==(const Model&, const Model&) = default;
};

const char* to_string(BinaryOp op);
const char* to_string(DistKind kind);
const char* to_string(VarKind kind);
const char* to_string(Method method);

}  // namespace latwin::lang
