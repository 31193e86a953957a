#include "engine/compile/compiler.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <deque>
#include <functional>
#include <limits>
#include <map>
#include <queue>
#include <set>
#include <unordered_map>

#include "core/error.hpp"
#include "engine/compile/units.hpp"
#include "engine/lang/parser.hpp"
#include "engine/lang/printer.hpp"
#include "engine/run/ensemble.hpp"
#include "engine/run/ops.hpp"

namespace latwin::engine {

using lang::BinaryOp;
using lang::Expr;
using lang::ExprKind;
using lang::SourceLoc;
using lang::UnaryOp;
using lang::VarDecl;
using lang::VarKind;

namespace {

// Operands are emitted with a tag in the top bits and relocated once the constant pool and
// the temporaries are final.
constexpr std::uint32_t kTagShift = 29;
constexpr std::uint32_t kTagMask = 7u << kTagShift;
constexpr std::uint32_t kTagEnv = 0u << kTagShift;
constexpr std::uint32_t kTagSlot = 1u << kTagShift;
constexpr std::uint32_t kTagDeriv = 2u << kTagShift;
constexpr std::uint32_t kTagConst = 3u << kTagShift;
constexpr std::uint32_t kTagTemp = 4u << kTagShift;

// The element word of a per-step draw: (element << kTermBits) | term of a reduction.
constexpr std::uint32_t kTermBits = 12;
constexpr std::uint32_t kMaxTerms = 1u << kTermBits;
constexpr std::uint32_t kMaxVariables = 1u << 20;

const std::set<std::string, std::less<>> kEnvNames = {"time", "dt", "start", "stop"};
const std::set<std::string, std::less<>> kStatefulCalls = {"smooth", "smooth3", "delay1",
                                                          "delay3", "delay_fixed"};
const std::vector<std::string> kBuiltinFunctions = {
    "min",          "max",          "clamp",       "abs",         "exp",
    "log",          "pow",          "sqrt",        "logistic",    "sum",
    "mean",         "wsum",         "smooth",      "smooth3",     "delay1",
    "delay3",       "delay_fixed",  "step",        "ramp",        "pulse",
    "random_normal", "random_uniform", "random_bernoulli", "random_poisson", "data",
    "scenario",     "allocation"};

struct Operand {
  std::uint32_t ref = 0;
  bool is_const = false;
  double value = 0;
};

struct Fragment {
  std::vector<Instr> code;
  std::vector<std::uint32_t> reads;  // slots
  std::uint32_t temps = 0;
};

// One (dimension, element) pair in force while an expression is instantiated.
struct BindingEntry {
  std::uint32_t dim;
  std::uint32_t element;
};
using Binding = std::vector<BindingEntry>;

struct VarInfo {
  VarDecl* decl = nullptr;
  VarRole role = VarRole::kAux;
  bool hidden = false;
  std::vector<std::uint32_t> dims;
  std::uint32_t first_slot = 0;
  std::uint32_t count = 1;
  int unit_state = 0;  // 0 not inferred, 1 in progress, 2 done
  UnitValue unit = UnitValue::make_unknown();
  int lookup_table = -1;
  int const_state = 0;
  std::vector<double> const_values;
  bool sites_numbered = false;
  std::optional<std::uint32_t> param_stream;
  std::map<const Expr*, std::uint32_t> sites;
  std::map<std::uint32_t, std::uint32_t> site_streams;
  std::map<std::pair<const Expr*, std::uint32_t>, std::uint32_t> site_instances;
  std::set<std::uint32_t> depends_on;
  // Fixed delays: the hidden input and the optional initial value.
  int delay_input = -1;
  int delay_init = -1;
  const Expr* delay_time = nullptr;
};

class Compiler {
 public:
  Compiler(std::shared_ptr<const lang::SourceSet> sources, const DataSource* data,
           lang::Diagnostics& diags)
      : sources_(std::move(sources)), data_(data), diags_(diags) {}

  std::shared_ptr<Plan> compile(lang::Model model) {
    plan_ = std::make_shared<Plan>();
    plan_->sources = sources_;
    settings(model);
    dimensions(model);
    for (auto& decl : model.variables) decls_.push_back(std::move(decl));
    if (diags_.has_errors()) return nullptr;
    flatten_flows();
    desugar();
    // Declaration problems do not stop the checks below, so one pass reports them all.
    if (!register_variables()) return nullptr;
    check_units();
    emit_all();
    if (diags_.has_errors()) return nullptr;
    order_programs();
    if (diags_.has_errors()) return nullptr;
    finish_plan();
    // A model whose own settings cannot run is reported by `check`, not only by `run`.
    try {
      check_settings(*plan_, plan_->settings);
    } catch (const Error& err) {
      error(simulation_loc_, err.what());
      return nullptr;
    }
    return plan_;
  }

 private:
  // ---------------------------------------------------------------- reporting

  void error(SourceLoc loc, const std::string& message) {
    // Equations are instantiated once per element; report each problem once.
    auto key = std::make_tuple(loc.file, loc.line, loc.col, message);
    if (reported_.insert(key).second) diags_.error(loc, message);
  }

  // ---------------------------------------------------------------- settings

  void settings(const lang::Model& model) {
    Settings& s = plan_->settings;
    s.method = lang::Method::kEuler;
    auto take = [&](const std::optional<double>& value, double& target, bool& seen,
                    const char* key, SourceLoc loc) {
      if (!value) return;
      if (seen && target != *value) {
        error(loc, fmt::format("simulation setting '{}' is given twice with different values",
                               key));
      }
      target = *value;
      seen = true;
    };
    bool seen_start = false, seen_stop = false, seen_dt = false, seen_save = false;
    bool seen_method = false;
    for (const auto& sim : model.simulations) {
      take(sim.start, s.start, seen_start, "start", sim.loc);
      take(sim.stop, s.stop, seen_stop, "stop", sim.loc);
      take(sim.dt, s.dt, seen_dt, "dt", sim.loc);
      take(sim.save_every, s.save_every, seen_save, "save_every", sim.loc);
      if (sim.method) {
        if (seen_method && s.method != *sim.method) {
          error(sim.loc, "simulation setting 'method' is given twice with different values");
        }
        s.method = *sim.method;
        seen_method = true;
      }
    }
    if (!seen_save) s.save_every = std::max(s.dt, 1.0);
    if (!model.simulations.empty()) {
      SourceLoc loc = model.simulations.front().loc;
      simulation_loc_ = loc;
      if (!(s.dt > 0)) error(loc, "dt must be greater than 0");
      if (!(s.stop > s.start)) error(loc, "stop must be after start");
    }
  }

  // ---------------------------------------------------------------- dimensions

  void dimensions(const lang::Model& model) {
    std::vector<const lang::DimensionDecl*> pending;
    for (const auto& decl : model.dimensions) pending.push_back(&decl);
    // Subsets may name a parent declared later or in another file: resolve in rounds.
    bool progress = true;
    while (!pending.empty() && progress) {
      progress = false;
      std::vector<const lang::DimensionDecl*> later;
      for (const auto* decl : pending) {
        if (!decl->parent.empty() && !dim_index_.count(decl->parent) &&
            !failed_dims_.count(decl->parent)) {
          later.push_back(decl);
          continue;
        }
        add_dimension(*decl);
        progress = true;
      }
      pending = std::move(later);
    }
    for (const auto* decl : pending) {
      std::vector<std::string> names;
      for (const auto& d : plan_->dimensions) names.push_back(d.name);
      for (const auto* p : pending) {
        if (p != decl) names.push_back(p->name);
      }
      std::string hint = lang::closest_name(decl->parent, names);
      error(decl->loc, fmt::format("subset '{}' is of unknown dimension '{}'{}", decl->name,
                                   decl->parent,
                                   hint.empty() ? "" : fmt::format(" (did you mean '{}'?)", hint)));
    }
  }

  void add_dimension(const lang::DimensionDecl& decl) {
    if (!decl.parent.empty() && failed_dims_.count(decl.parent)) {
      failed_dims_.insert(decl.name);  // its parent's error is enough
      return;
    }
    std::size_t errors_before = diags_.error_count();
    add_dimension_checked(decl);
    if (diags_.error_count() != errors_before) failed_dims_.insert(decl.name);
  }

  void add_dimension_checked(const lang::DimensionDecl& decl) {
    if (dim_index_.count(decl.name)) {
      error(decl.loc, fmt::format("dimension '{}' is declared twice", decl.name));
      return;
    }
    Dimension dim;
    dim.name = decl.name;
    dim.description = decl.description;
    if (!decl.table.empty()) {
      if (!data_) {
        error(decl.loc, fmt::format("dimension '{}' takes its elements from table '{}', but no "
                                    "data folder is loaded (use --data DIR)",
                                    decl.name, decl.table));
        return;
      }
      try {
        dim.elements = data_->table_elements(decl.table, decl.filter_column, decl.filter_value);
      } catch (const Error& err) {
        error(decl.loc, err.what());
        return;
      }
      if (dim.elements.empty()) {
        error(decl.loc, fmt::format("table '{}' gives no elements for '{}'", decl.table,
                                    decl.name));
        return;
      }
    } else {
      dim.elements = decl.elements;
    }
    if (dim.elements.empty()) {
      error(decl.loc, fmt::format("dimension '{}' has no elements", decl.name));
      return;
    }
    std::set<std::string> seen;
    for (const auto& element : dim.elements) {
      if (!seen.insert(element).second) {
        error(decl.loc, fmt::format("element '{}' appears twice in '{}'", element, decl.name));
        return;
      }
    }
    if (!decl.parent.empty()) {
      std::uint32_t parent = dim_index_.at(decl.parent);
      dim.parent = static_cast<int>(parent);
      const auto& lookup = element_index_[parent];
      for (const auto& element : dim.elements) {
        auto it = lookup.find(element);
        if (it == lookup.end()) {
          error(decl.loc, fmt::format("element '{}' of subset '{}' is not an element of '{}'",
                                      element, decl.name, decl.parent));
          return;
        }
        dim.parent_index.push_back(it->second);
      }
    }
    std::unordered_map<std::string, std::uint32_t> lookup;
    for (std::uint32_t i = 0; i < dim.elements.size(); ++i) lookup[dim.elements[i]] = i;
    dim_index_[dim.name] = static_cast<std::uint32_t>(plan_->dimensions.size());
    dim_locs_.push_back(decl.loc);
    element_index_.push_back(std::move(lookup));
    plan_->dimensions.push_back(std::move(dim));
  }

  std::uint32_t dim_root(std::uint32_t dim) const {
    while (plan_->dimensions[dim].parent >= 0) dim = plan_->dimensions[dim].parent;
    return dim;
  }

  std::optional<std::uint32_t> element_in(std::uint32_t dim, const std::string& name) const {
    auto it = element_index_[dim].find(name);
    if (it == element_index_[dim].end()) return std::nullopt;
    return it->second;
  }

  // ---------------------------------------------------------------- variables

  // Inline flows become auxiliaries of their own, so flows are just variables.
  void flatten_flows() {
    std::size_t original = decls_.size();
    for (std::size_t i = 0; i < original; ++i) {
      VarDecl& stock = decls_[i];
      for (auto* flows : {&stock.inflows, &stock.outflows}) {
        for (auto& flow : *flows) {
          if (!flow.equation) continue;
          VarDecl aux;
          aux.kind = VarKind::kAux;
          aux.name = flow.name;
          aux.dims = stock.dims;
          aux.unit = flow.unit;
          aux.value = std::move(flow.equation);
          flow.equation.reset();
          aux.description = flow.description;
          aux.loc = flow.loc;
          decls_.push_back(std::move(aux));
        }
      }
    }
  }

  static bool is_dim_name_expr(const Expr& e) { return e.kind == ExprKind::kName && e.indices.empty(); }

  bool is_reduction(const Expr& call) const {
    if (call.text == "sum" || call.text == "mean" || call.text == "wsum") return true;
    if (call.text == "min" || call.text == "max") {
      return call.args.size() == 1 ||
             (call.args.size() == 2 && is_dim_name_expr(call.args[1]) &&
              dim_index_.count(call.args[1].text));
    }
    return false;
  }

  static Expr name_expr(const std::string& name, SourceLoc loc) {
    Expr e;
    e.kind = ExprKind::kName;
    e.text = name;
    e.loc = loc;
    return e;
  }
  static Expr number_expr(double value, SourceLoc loc) {
    Expr e;
    e.kind = ExprKind::kNumber;
    e.number = value;
    e.loc = loc;
    return e;
  }
  static Expr binary_expr(BinaryOp op, Expr a, Expr b, SourceLoc loc) {
    Expr e;
    e.kind = ExprKind::kBinary;
    e.binary_op = op;
    e.loc = loc;
    e.args.push_back(std::move(a));
    e.args.push_back(std::move(b));
    return e;
  }

  VarDecl& hidden_decl(VarKind kind, const std::string& name, const VarDecl& host, SourceLoc loc,
                       std::optional<Expr> value) {
    VarDecl decl;
    decl.kind = kind;
    decl.name = name;
    decl.dims = host.dims;
    decl.value = std::move(value);
    decl.loc = loc;
    decls_.push_back(std::move(decl));
    hidden_names_.insert(name);
    return decls_.back();
  }

  // smooth, delays → hidden stocks and auxiliaries; the call becomes a reference.
  void desugar() {
    std::size_t original = decls_.size();
    for (std::size_t i = 0; i < original; ++i) {
      VarDecl& decl = decls_[i];
      std::string host = decl.name;
      if (decl.value) {
        bool allowed = decl.kind == VarKind::kAux;
        desugar_expr(*decl.value, i, allowed, 0, host);
      }
      for (auto& over : decls_[i].overrides) desugar_expr(over.value, i, false, 0, host);
      if (decls_[i].distribution) {
        for (auto& arg : decls_[i].distribution->args) desugar_expr(arg, i, false, 0, host);
      }
    }
  }

  void desugar_expr(Expr& e, std::size_t decl_idx, bool allowed, int reduction_depth,
                    const std::string& host) {
    bool reduction = e.kind == ExprKind::kCall && is_reduction(e);
    for (auto& arg : e.args) {
      desugar_expr(arg, decl_idx, allowed, reduction_depth + (reduction ? 1 : 0), host);
    }
    if (e.kind != ExprKind::kCall || !kStatefulCalls.count(e.text)) return;
    if (!allowed) {
      error(e.loc, fmt::format("{}() keeps a memory over time and can only be used in the "
                               "equation of an aux or a flow",
                               e.text));
      return;
    }
    if (reduction_depth > 0) {
      error(e.loc, fmt::format("{}() inside sum/mean/min/max/wsum is not supported; define an "
                               "aux for it first",
                               e.text));
      return;
    }
    if (e.args.size() != 2 && e.args.size() != 3) {
      error(e.loc, fmt::format("{}() takes 2 or 3 arguments ({}(input, time) or {}(input, time, "
                               "initial output)), found {}",
                               e.text, e.text, e.text, e.args.size()));
      return;
    }
    SourceLoc loc = e.loc;
    int n = ++hidden_counter_[host];
    std::string base = fmt::format("{}~{}#{}", host, e.text, n);
    Expr time_expr = e.args[1];
    // The host may have been moved by push_back into the deque? No: deque keeps references.
    const VarDecl& host_decl = decls_[decl_idx];
    VarDecl& input = hidden_decl(VarKind::kAux, base + ".in", host_decl, loc, e.args[0]);
    std::string input_name = input.name;
    // The output starts at the input's initial value, or at the third argument when given:
    // that is what lets a feedback loop close through a smooth or a delay.
    std::string initial_name = input_name;
    if (e.args.size() == 3) {
      initial_name = hidden_decl(VarKind::kAux, base + ".init", decls_[decl_idx], loc, e.args[2]).name;
    }
    smooth_times_.push_back({&decls_[decl_idx], time_expr});

    auto flow = [&](const std::string& name, Expr value) -> std::string {
      hidden_decl(VarKind::kAux, name, decls_[decl_idx], loc, std::move(value));
      return name;
    };
    auto over_time = [&](Expr value, double stages) {
      Expr divisor = stages == 1 ? time_expr
                                 : binary_expr(BinaryOp::kDiv, time_expr, number_expr(stages, loc),
                                               loc);
      return binary_expr(BinaryOp::kDiv, std::move(value), std::move(divisor), loc);
    };

    std::string result;
    if (e.text == "smooth" || e.text == "smooth3") {
      int stages = e.text == "smooth" ? 1 : 3;
      std::string previous = input_name;
      for (int s = 1; s <= stages; ++s) {
        std::string stock_name = stages == 1 ? base : fmt::format("{}.{}", base, s);
        std::string flow_name = flow(
            stock_name + ".change",
            over_time(binary_expr(BinaryOp::kSub, name_expr(previous, loc),
                                  name_expr(stock_name, loc), loc),
                      stages));
        VarDecl& stock = hidden_decl(VarKind::kStock, stock_name, decls_[decl_idx], loc,
                                     name_expr(initial_name, loc));
        lang::FlowRef ref;
        ref.name = flow_name;
        stock.inflows.push_back(ref);
        previous = stock_name;
      }
      result = previous;
    } else if (e.text == "delay1" || e.text == "delay3") {
      int stages = e.text == "delay1" ? 1 : 3;
      std::string previous = input_name;
      for (int s = 1; s <= stages; ++s) {
        std::string stock_name = stages == 1 ? base : fmt::format("{}.{}", base, s);
        // Material in transit starts at steady state: input × stage time.
        Expr init = binary_expr(BinaryOp::kMul, name_expr(initial_name, loc),
                                stages == 1 ? time_expr
                                            : binary_expr(BinaryOp::kDiv, time_expr,
                                                          number_expr(stages, loc), loc),
                                loc);
        std::string out_name =
            flow(stock_name + ".out", over_time(name_expr(stock_name, loc), stages));
        VarDecl& stock =
            hidden_decl(VarKind::kStock, stock_name, decls_[decl_idx], loc, std::move(init));
        lang::FlowRef in_ref, out_ref;
        in_ref.name = previous;
        out_ref.name = out_name;
        stock.inflows.push_back(in_ref);
        stock.outflows.push_back(out_ref);
        previous = out_name;
      }
      result = previous;
    } else {
      VarDecl& out = hidden_decl(VarKind::kAux, base, decls_[decl_idx], loc, std::nullopt);
      delay_outputs_[out.name] = {input_name, e.args.size() == 3 ? initial_name : "", time_expr};
      result = base;
    }
    e = name_expr(result, loc);
  }

  // False when the model is too large to go on.
  bool register_variables() {
    for (std::size_t i = 0; i < decls_.size(); ++i) {
      VarDecl& decl = decls_[i];
      if (kEnvNames.count(decl.name)) {
        error(decl.loc, fmt::format("'{}' is built in (the simulation clock) and cannot name a "
                                    "variable",
                                    decl.name));
        continue;
      }
      if (dim_index_.count(decl.name)) {
        error(decl.loc, fmt::format("'{}' already names a dimension", decl.name));
        continue;
      }
      if (decl.kind == VarKind::kLookup &&
          std::find(kBuiltinFunctions.begin(), kBuiltinFunctions.end(), decl.name) !=
              kBuiltinFunctions.end()) {
        error(decl.loc, fmt::format("'{}' is a built-in function and cannot name a lookup",
                                    decl.name));
        continue;
      }
      auto [it, inserted] = var_index_.emplace(decl.name, static_cast<std::uint32_t>(vars_.size()));
      if (!inserted) {
        const VarDecl& first = *vars_[it->second].decl;
        error(decl.loc, fmt::format("'{}' is declared twice (first at line {})", decl.name,
                                    first.loc.line));
        continue;
      }
      VarInfo info;
      info.decl = &decl;
      info.hidden = hidden_names_.count(decl.name) > 0;
      switch (decl.kind) {
        case VarKind::kConst: info.role = VarRole::kConst; break;
        case VarKind::kParam: info.role = VarRole::kParam; break;
        case VarKind::kAux: info.role = VarRole::kAux; break;
        case VarKind::kStock: info.role = VarRole::kStock; break;
        case VarKind::kLookup: info.role = VarRole::kLookup; break;
      }
      if (delay_outputs_.count(decl.name)) info.role = VarRole::kDelayOutput;
      for (const auto& dim_name : decl.dims) {
        auto dim = dim_index_.find(dim_name);
        if (dim == dim_index_.end()) {
          error(decl.loc, unknown_message("dimension", dim_name, dimension_names()));
          info.dims.clear();
          break;
        }
        info.dims.push_back(dim->second);
      }
      info.count = 1;
      for (auto dim : info.dims) info.count *= plan_->dimensions[dim].elements.size();
      if (decl.unit) {
        for (const auto& [base, exponent] : *decl.unit) {
          if (dim_index_.count(base)) {
            diags_.warning(decl.loc, fmt::format("unit [{}] of '{}' has the name of a dimension; "
                                                 "to give '{}' that dimension, write {}[{}] "
                                                 "with no space",
                                                 unit_text(*decl.unit), decl.name, decl.name,
                                                 decl.name, base));
          }
        }
      }
      if (decl.kind == VarKind::kParam && !decl.unit) {
        error(decl.loc, fmt::format("parameter '{}' needs a unit in brackets, e.g. [1/year]; "
                                    "write [1] for a pure number",
                                    decl.name));
      }
      if (decl.kind == VarKind::kStock && !decl.unit && !info.hidden) {
        error(decl.loc, fmt::format("stock '{}' needs a unit in brackets, e.g. [person]",
                                    decl.name));
      }
      vars_.push_back(std::move(info));
    }
    if (vars_.size() >= kMaxVariables) {
      error({}, fmt::format("the model has {} variables; at most {} are supported", vars_.size(),
                            kMaxVariables - 1));
      return false;
    }
    // Slots, and the stocks' flows.
    for (std::uint32_t v = 0; v < vars_.size(); ++v) {
      VarInfo& info = vars_[v];
      if (info.role == VarRole::kConst || info.role == VarRole::kLookup) continue;
      if (static_cast<std::uint64_t>(next_slot_) + info.count > (1u << kTagShift) / 2) {
        error(info.decl->loc, "the model has too many variable elements");
        return false;
      }
      info.first_slot = next_slot_;
      next_slot_ += info.count;
    }
    for (std::uint32_t v = 0; v < vars_.size(); ++v) {
      VarInfo& info = vars_[v];
      if (info.role != VarRole::kStock) continue;
      for (auto* flows : {&info.decl->inflows, &info.decl->outflows}) {
        for (const auto& flow : *flows) {
          auto it = var_index_.find(flow.name);
          if (it == var_index_.end()) {
            error(flow.loc, unknown_message("flow", flow.name, variable_names()));
            continue;
          }
          info.depends_on.insert(it->second);
          const VarInfo& flow_info = vars_[it->second];
          if (flow_info.role != VarRole::kAux) {
            error(flow.loc, fmt::format("flow '{}' must be an aux (it is a {})", flow.name,
                                        role_name(flow_info.role)));
          } else if (flow_info.dims != info.dims) {
            error(flow.loc, fmt::format("flow '{}' must have the same dimensions as stock '{}'",
                                        flow.name, info.decl->name));
          }
        }
      }
    }
    for (auto& [name, delay] : delay_outputs_) {
      VarInfo& out = vars_[var_index_.at(name)];
      out.delay_input = static_cast<int>(var_index_.at(delay.input));
      out.delay_init = delay.init.empty() ? -1 : static_cast<int>(var_index_.at(delay.init));
      out.delay_time = &delay.time;
    }
    return true;
  }

  static const char* role_name(VarRole role) {
    switch (role) {
      case VarRole::kConst: return "const";
      case VarRole::kParam: return "param";
      case VarRole::kAux: return "aux";
      case VarRole::kStock: return "stock";
      case VarRole::kLookup: return "lookup";
      case VarRole::kDelayOutput: return "delay";
    }
    return "?";
  }

  std::vector<std::string> dimension_names() const {
    std::vector<std::string> names;
    for (const auto& d : plan_->dimensions) names.push_back(d.name);
    return names;
  }
  std::vector<std::string> variable_names() const {
    std::vector<std::string> names;
    for (const auto& v : vars_) {
      if (!v.hidden) names.push_back(v.decl->name);
    }
    return names;
  }

  static std::string unknown_message(const char* what, const std::string& name,
                                     const std::vector<std::string>& candidates) {
    std::string hint = lang::closest_name(name, candidates);
    return fmt::format("unknown {} '{}'{}", what, name,
                       hint.empty() ? "" : fmt::format(" (did you mean '{}'?)", hint));
  }

  // ---------------------------------------------------------------- units

  UnitValue var_unit(std::uint32_t v) {
    VarInfo& info = vars_[v];
    if (info.unit_state == 2) return info.unit;
    if (info.decl->unit) {
      info.unit = UnitValue::of(*info.decl->unit);
      info.unit_state = 2;
      return info.unit;
    }
    if (info.role == VarRole::kConst) {
      info.unit = UnitValue::make_free();
      info.unit_state = 2;
      return info.unit;
    }
    if (info.role == VarRole::kLookup) {
      info.unit = UnitValue::dimensionless();
      info.unit_state = 2;
      return info.unit;
    }
    if (info.unit_state == 1) return UnitValue::make_unknown();  // a loop: reported later
    info.unit_state = 1;
    UnitValue inferred = UnitValue::make_unknown();
    if (info.role == VarRole::kDelayOutput) {
      inferred = var_unit(static_cast<std::uint32_t>(info.delay_input));
    } else if (info.decl->value) {
      inferred = unit_of(*info.decl->value, false);
    }
    info.unit = inferred;
    info.unit_state = 2;
    return info.unit;
  }

  void unit_mismatch(const UnitValue& a, const UnitValue& b, SourceLoc loc, const char* verb) {
    error(loc, fmt::format("cannot {} [{}] and [{}]: the units differ", verb, unit_text(a.unit),
                           unit_text(b.unit)));
  }

  // Result unit of a sum-like combination; reports a mismatch.
  UnitValue unify(const UnitValue& a, const UnitValue& b, SourceLoc loc, const char* verb) {
    if (a.unknown || b.unknown) return a.unknown ? b : a;
    if (a.free) return b;
    if (b.free) return a;
    if (a.unit != b.unit) {
      unit_mismatch(a, b, loc, verb);
      return UnitValue::make_unknown();
    }
    return a;
  }

  static std::optional<double> literal_value(const Expr& e) {
    if (e.kind == ExprKind::kNumber) return e.number;
    if (e.kind == ExprKind::kUnary && e.unary_op == UnaryOp::kNeg) {
      auto inner = literal_value(e.args[0]);
      if (inner) return -*inner;
    }
    return std::nullopt;
  }

  // Where an expression starts in the text: binary expressions are located at their operator.
  static SourceLoc expr_start(const Expr& e) {
    if (e.kind == ExprKind::kBinary && !e.args.empty()) return expr_start(e.args[0]);
    return e.loc;
  }

  UnitValue time_unit() const { return UnitValue::of({{"year", 1}}); }

  void expect_unit(const UnitValue& got, const UnitValue& want, SourceLoc loc,
                   const std::string& what) {
    if (!got.checkable() || !want.checkable()) return;
    if (got.unit != want.unit) {
      error(loc, fmt::format("{} must be in [{}], but is in [{}]", what, unit_text(want.unit),
                             unit_text(got.unit)));
    }
  }

  UnitValue unit_of(const Expr& e, bool in_distribution) {
    switch (e.kind) {
      case ExprKind::kNumber:
        return UnitValue::make_free();
      case ExprKind::kString:
        return UnitValue::make_unknown();
      case ExprKind::kName: {
        if (kEnvNames.count(e.text)) return time_unit();
        auto it = var_index_.find(e.text);
        if (it == var_index_.end()) return UnitValue::make_unknown();
        return var_unit(it->second);
      }
      case ExprKind::kUnary: {
        UnitValue inner = unit_of(e.args[0], in_distribution);
        return e.unary_op == UnaryOp::kNeg ? inner : UnitValue::dimensionless();
      }
      case ExprKind::kIf: {
        unit_of(e.args[0], in_distribution);
        return unify(unit_of(e.args[1], in_distribution), unit_of(e.args[2], in_distribution),
                     e.loc, "choose between (in if-then-else)");
      }
      case ExprKind::kBinary: {
        UnitValue a = unit_of(e.args[0], in_distribution);
        UnitValue b = unit_of(e.args[1], in_distribution);
        switch (e.binary_op) {
          case BinaryOp::kAdd: return unify(a, b, e.loc, "add");
          case BinaryOp::kSub: return unify(a, b, e.loc, "subtract");
          case BinaryOp::kEq:
          case BinaryOp::kNe:
          case BinaryOp::kLt:
          case BinaryOp::kLe:
          case BinaryOp::kGt:
          case BinaryOp::kGe:
            unify(a, b, e.loc, "compare");
            return UnitValue::dimensionless();
          case BinaryOp::kAnd:
          case BinaryOp::kOr:
            return UnitValue::dimensionless();
          case BinaryOp::kMul:
          case BinaryOp::kDiv: {
            if (a.unknown || b.unknown) return UnitValue::make_unknown();
            if (a.free && b.free) return UnitValue::make_free();
            return UnitValue::of(
                multiply(a.unit, b.unit, e.binary_op == BinaryOp::kMul ? 1 : -1));
          }
          case BinaryOp::kPow: {
            if (b.checkable() && !b.unit.empty()) {
              error(e.args[1].loc, fmt::format("an exponent must be a pure number, not [{}]",
                                               unit_text(b.unit)));
            }
            if (!a.checkable() || a.unit.empty()) return a;
            auto exponent = literal_value(e.args[1]);
            if (!exponent || *exponent != std::floor(*exponent) || std::fabs(*exponent) > 16) {
              error(e.loc, fmt::format("a quantity in [{}] can only be raised to a whole-number "
                                       "constant power",
                                       unit_text(a.unit)));
              return UnitValue::make_unknown();
            }
            return UnitValue::of(power(a.unit, static_cast<int>(*exponent)));
          }
        }
        return UnitValue::make_unknown();
      }
      case ExprKind::kCall:
        return call_unit(e, in_distribution);
    }
    return UnitValue::make_unknown();
  }

  UnitValue call_unit(const Expr& e, bool in_distribution) {
    const std::string& f = e.text;
    std::vector<UnitValue> args;
    // The dimension argument of a reduction is not a value.
    std::size_t value_args = e.args.size();
    if ((f == "sum" || f == "mean" || f == "min" || f == "max") && e.args.size() == 2 &&
        is_dim_name_expr(e.args[1]) && dim_index_.count(e.args[1].text)) {
      value_args = 1;
    }
    for (std::size_t i = 0; i < value_args; ++i) {
      if (e.args[i].kind == ExprKind::kString) {
        args.push_back(UnitValue::make_unknown());
      } else {
        args.push_back(unit_of(e.args[i], in_distribution));
      }
    }
    auto arg = [&](std::size_t i) { return i < args.size() ? args[i] : UnitValue::make_unknown(); };
    auto loc = [&](std::size_t i) { return i < e.args.size() ? e.args[i].loc : e.loc; };
    if (f == "min" || f == "max") {
      UnitValue out = arg(0);
      for (std::size_t i = 1; i < args.size(); ++i) out = unify(out, args[i], e.loc, "compare");
      return out;
    }
    if (f == "clamp") {
      UnitValue out = unify(arg(0), arg(1), e.loc, "compare");
      return unify(out, arg(2), e.loc, "compare");
    }
    if (f == "abs" || f == "sum" || f == "mean") return arg(0);
    if (f == "exp" || f == "log" || f == "logistic") {
      if (arg(0).checkable() && !arg(0).unit.empty()) {
        diags_.warning(expr_start(e.args[0]), fmt::format("{}() of a quantity in [{}]: the result's unit is "
                                           "not defined; divide by a reference value first",
                                           f, unit_text(arg(0).unit)));
      }
      return UnitValue::dimensionless();
    }
    if (f == "sqrt") {
      UnitValue a = arg(0);
      if (!a.checkable()) return a;
      lang::Unit half;
      for (const auto& [base, exponent] : a.unit) {
        if (exponent % 2 != 0) {
          error(e.loc, fmt::format("sqrt of [{}] has no unit with whole exponents",
                                   unit_text(a.unit)));
          return UnitValue::make_unknown();
        }
        half[base] = exponent / 2;
      }
      return UnitValue::of(half);
    }
    if (f == "pow") {
      if (!arg(0).checkable() || arg(0).unit.empty()) return arg(0);
      auto exponent = e.args.size() > 1 ? literal_value(e.args[1]) : std::nullopt;
      if (!exponent || *exponent != std::floor(*exponent) || std::fabs(*exponent) > 16) {
        error(e.loc, fmt::format("a quantity in [{}] can only be raised to a whole-number "
                                 "constant power",
                                 unit_text(arg(0).unit)));
        return UnitValue::make_unknown();
      }
      return UnitValue::of(power(arg(0).unit, static_cast<int>(*exponent)));
    }
    if (f == "wsum") {
      if (arg(0).unknown || arg(1).unknown) return UnitValue::make_unknown();
      if (arg(0).free && arg(1).free) return UnitValue::make_free();
      return UnitValue::of(multiply(arg(0).unit, arg(1).unit));
    }
    if (f == "step") {
      expect_unit(arg(1), time_unit(), loc(1), "the time of step()");
      return arg(0);
    }
    if (f == "ramp") {
      expect_unit(arg(1), time_unit(), loc(1), "the start time of ramp()");
      if (args.size() > 2) expect_unit(arg(2), time_unit(), loc(2), "the end time of ramp()");
      if (arg(0).unknown) return arg(0);
      if (arg(0).free) return UnitValue::make_free();
      return UnitValue::of(multiply(arg(0).unit, time_unit().unit));
    }
    if (f == "pulse") {
      expect_unit(arg(0), time_unit(), loc(0), "the start of pulse()");
      expect_unit(arg(1), time_unit(), loc(1), "the width of pulse()");
      return UnitValue::dimensionless();
    }
    if (f == "random_normal" || f == "random_uniform") return unify(arg(0), arg(1), e.loc, "mix");
    if (f == "random_bernoulli" || f == "random_poisson") return UnitValue::dimensionless();
    if (f == "data" || f == "scenario" || f == "allocation") {
      if (f == "data" && args.size() > 1) expect_unit(arg(1), time_unit(), loc(1), "the year");
      return UnitValue::make_unknown();
    }
    auto it = var_index_.find(f);
    if (it != var_index_.end() && vars_[it->second].role == VarRole::kLookup) {
      return var_unit(it->second);
    }
    return UnitValue::make_unknown();
  }

  void check_units() {
    for (auto& [host, time_expr] : smooth_times_) {
      expect_unit(unit_of(time_expr, false), time_unit(), time_expr.loc,
                  "the time of a smooth or delay");
      (void)host;
    }
    for (std::uint32_t v = 0; v < vars_.size(); ++v) {
      VarInfo& info = vars_[v];
      const VarDecl& decl = *info.decl;
      if (info.role == VarRole::kLookup || info.role == VarRole::kDelayOutput) continue;
      UnitValue declared = decl.unit ? UnitValue::of(*decl.unit) : UnitValue::make_unknown();
      std::string what = fmt::format("the value of '{}'", decl.name);
      if (info.role == VarRole::kStock) what = fmt::format("the initial value of '{}'", decl.name);
      if (decl.value) {
        UnitValue got = unit_of(*decl.value, false);
        if (!info.hidden) expect_unit(got, declared, expr_start(*decl.value), what);
      }
      for (const auto& over : decl.overrides) {
        expect_unit(unit_of(over.value, false), declared, expr_start(over.value), what);
      }
      if (decl.distribution) check_distribution_units(*decl.distribution, declared);
      if (info.role == VarRole::kStock && !info.hidden) {
        UnitValue stock_unit = var_unit(v);
        UnitValue rate = stock_unit.checkable()
                             ? UnitValue::of(multiply(stock_unit.unit, time_unit().unit, -1))
                             : UnitValue::make_unknown();
        for (auto* flows : {&decl.inflows, &decl.outflows}) {
          for (const auto& flow : *flows) {
            auto it = var_index_.find(flow.name);
            if (it == var_index_.end()) continue;
            expect_unit(var_unit(it->second), rate, flow.loc,
                        fmt::format("flow '{}' of stock '{}'", flow.name, decl.name));
          }
        }
      }
    }
  }

  void check_distribution_units(const lang::Distribution& dist, const UnitValue& declared) {
    std::vector<UnitValue> units;
    for (const auto& arg : dist.args) units.push_back(unit_of(arg, true));
    auto same = [&](std::size_t i) {
      expect_unit(units[i], declared, dist.args[i].loc, "this distribution argument");
    };
    switch (dist.kind) {
      case lang::DistKind::kNormal:
      case lang::DistKind::kUniform:
        same(0);
        same(1);
        break;
      case lang::DistKind::kTriangular:
        same(0);
        same(1);
        same(2);
        break;
      case lang::DistKind::kBeta:
        if (units.size() == 4) {
          same(2);
          same(3);
        }
        break;
      case lang::DistKind::kLognormal:
        break;  // mu and sigma are on the log scale
    }
    if (dist.truncate_low) {
      expect_unit(unit_of(*dist.truncate_low, true), declared, dist.truncate_low->loc,
                  "the truncation bound");
    }
    if (dist.truncate_high) {
      expect_unit(unit_of(*dist.truncate_high, true), declared, dist.truncate_high->loc,
                  "the truncation bound");
    }
  }

  // ---------------------------------------------------------------- emission

  struct EmitCtx {
    Fragment* frag = nullptr;
    std::uint32_t var = 0;
    std::uint32_t element = 0;  // flat element of the variable being defined
    Binding binding;
    bool const_only = false;  // const declarations: everything must fold
  };

  Operand constant(double value) {
    std::uint64_t bits;
    std::memcpy(&bits, &value, sizeof bits);
    auto [it, inserted] = constant_index_.emplace(bits, 0);
    if (inserted) {
      it->second = static_cast<std::uint32_t>(plan_->constants.size());
      plan_->constants.push_back(value);
    }
    return {kTagConst | it->second, true, value};
  }

  Operand temp(EmitCtx& ctx) { return {kTagTemp | ctx.frag->temps++, false, 0}; }

  Operand op(EmitCtx& ctx, OpCode code, std::initializer_list<Operand> in, std::uint32_t imm = 0) {
    std::array<Operand, 4> args{};
    std::size_t i = 0;
    bool all_const = true;
    for (const auto& operand : in) {
      args[i++] = operand;
      all_const = all_const && operand.is_const;
    }
    if (all_const && is_pure(code)) {
      return constant(apply_pure(code, args[0].value, args[1].value, args[2].value, args[3].value));
    }
    if (ctx.const_only) {
      const_failed_ = true;
      return constant(NAN);
    }
    if (++instruction_count_ > kMaxInstructions) {
      if (!too_big_reported_) {
        too_big_reported_ = true;
        error(vars_[ctx.var].decl->loc,
              fmt::format("the model expands to more than {} instructions; reduce nested sums "
                          "over dimensions",
                          kMaxInstructions));
      }
      return constant(NAN);
    }
    Operand dst = temp(ctx);
    Instr instr;
    instr.op = code;
    instr.dst = dst.ref;
    instr.a = args[0].ref;
    instr.b = args[1].ref;
    instr.c = args[2].ref;
    instr.d = args[3].ref;
    instr.imm = imm;
    ctx.frag->code.push_back(instr);
    return dst;
  }

  Operand fail(SourceLoc loc, const std::string& message) {
    error(loc, message);
    return constant(NAN);
  }

  Operand read_slot(EmitCtx& ctx, std::uint32_t v, std::uint32_t element) {
    VarInfo& info = vars_[v];
    vars_[ctx.var].depends_on.insert(v);
    if (info.role == VarRole::kConst) {
      if (!ensure_const(v)) return constant(NAN);
      return constant(info.const_values[element]);
    }
    if (ctx.const_only) {
      const_failed_ = true;
      return constant(NAN);
    }
    std::uint32_t slot = info.first_slot + element;
    ctx.frag->reads.push_back(slot);
    return {kTagSlot | slot, false, 0};
  }

  // Finds the element of dimension `dim` that the binding selects, mapping between a
  // dimension and its subsets by element name.
  std::optional<std::uint32_t> bound_element(const Binding& binding, std::uint32_t dim,
                                             const std::string& via, SourceLoc loc,
                                             const std::string& var_name, bool& reported) {
    // x[country] names the binding of 'country'; failing that, of any dimension related to
    // it (a subset in force, such as andean, maps to country by element name).
    bool exact_found = false;
    if (!via.empty()) {
      for (const auto& entry : binding) exact_found |= plan_->dimensions[entry.dim].name == via;
    }
    for (auto it = binding.rbegin(); it != binding.rend(); ++it) {
      bool match = (via.empty() || !exact_found) ? dim_root(it->dim) == dim_root(dim)
                                                 : plan_->dimensions[it->dim].name == via;
      if (!match) continue;
      if (it->dim == dim) return it->element;
      const std::string& element_name = plan_->dimensions[it->dim].elements[it->element];
      auto idx = element_in(dim, element_name);
      if (!idx) {
        error(loc, fmt::format("'{}' is over '{}', which has no element '{}'", var_name,
                               plan_->dimensions[dim].name, element_name));
        reported = true;
        return std::nullopt;
      }
      return idx;
    }
    return std::nullopt;
  }

  Operand emit_reference(const Expr& e, EmitCtx& ctx, std::uint32_t v) {
    VarInfo& info = vars_[v];
    const std::string& name = info.decl->name;
    if (info.role == VarRole::kLookup) {
      return fail(e.loc, fmt::format("'{}' is a lookup; call it with a value: {}(x)", name, name));
    }
    if (!e.indices.empty() && e.indices.size() != info.dims.size()) {
      return fail(e.loc, fmt::format("'{}' has {} dimension{}, but {} index{} given", name,
                                     info.dims.size(), info.dims.size() == 1 ? "" : "s",
                                     e.indices.size(), e.indices.size() == 1 ? " is" : "es are"));
    }
    if (info.dims.size() == 2 && info.dims[0] == info.dims[1] && e.indices.empty()) {
      return fail(e.loc, fmt::format("'{}' has two '{}' dimensions; index it (e.g. {}[{}, {}]) "
                                     "or use wsum({}, x)",
                                     name, plan_->dimensions[info.dims[0]].name, name,
                                     plan_->dimensions[info.dims[0]].name,
                                     plan_->dimensions[info.dims[0]].elements[0], name));
    }
    std::uint32_t flat = 0;
    for (std::size_t p = 0; p < info.dims.size(); ++p) {
      std::uint32_t dim = info.dims[p];
      std::optional<std::uint32_t> element;
      bool reported = false;
      if (!e.indices.empty()) {
        const std::string& index = e.indices[p];
        element = element_in(dim, index);
        if (!element) {
          auto named_dim = dim_index_.find(index);
          if (named_dim == dim_index_.end()) {
            std::string hint = lang::closest_name(index, plan_->dimensions[dim].elements);
            return fail(e.loc, fmt::format("'{}' is not an element of '{}'{}", index,
                                           plan_->dimensions[dim].name,
                                           hint.empty() ? "" : fmt::format(" (did you mean '{}'?)", hint)));
          }
          if (dim_root(named_dim->second) != dim_root(dim)) {
            return fail(e.loc, fmt::format("'{}' is indexed by '{}', but its dimension there is "
                                           "'{}'",
                                           name, index, plan_->dimensions[dim].name));
          }
          element = bound_element(ctx.binding, dim, index, e.loc, name, reported);
          if (!element && !reported) {
            return fail(e.loc, fmt::format("'{}' is not a dimension of this equation; give an "
                                           "element instead",
                                           index));
          }
        }
      } else {
        element = bound_element(ctx.binding, dim, "", e.loc, name, reported);
        if (!element && !reported) {
          return fail(e.loc,
                      fmt::format("'{}' is over '{}', but this equation is not; write sum({}), "
                                  "{}[{}] or give the equation the dimension '{}'",
                                  name, plan_->dimensions[dim].name, name, name,
                                  plan_->dimensions[dim].elements[0], plan_->dimensions[dim].name));
        }
      }
      if (!element) return constant(NAN);
      flat = flat * static_cast<std::uint32_t>(plan_->dimensions[dim].elements.size()) + *element;
    }
    return read_slot(ctx, v, flat);
  }

  Operand emit(const Expr& e, EmitCtx& ctx) {
    // Reductions expand per element, so nested sums multiply work even when everything folds
    // to constants: bound the expansion, not only the instructions it leaves.
    if (++emit_work_ > kMaxInstructions) {
      if (!too_big_reported_) {
        too_big_reported_ = true;
        error(e.loc, fmt::format("the model expands to more than {} operations; reduce nested "
                                 "sums over dimensions",
                                 kMaxInstructions));
      }
      return constant(NAN);
    }
    switch (e.kind) {
      case ExprKind::kNumber:
        return constant(e.number);
      case ExprKind::kString:
        return fail(e.loc, "text in quotes is only allowed as the first argument of data(), "
                           "scenario() or allocation()");
      case ExprKind::kName: {
        if (e.text == "time" || e.text == "dt" || e.text == "start" || e.text == "stop") {
          if (!e.indices.empty()) return fail(e.loc, fmt::format("'{}' takes no index", e.text));
          if (ctx.const_only) {
            const_failed_ = true;
            return constant(NAN);
          }
          std::uint32_t env = e.text == "time"    ? kEnvTime
                              : e.text == "dt"    ? kEnvDt
                              : e.text == "start" ? kEnvStart
                                                  : kEnvStop;
          return {kTagEnv | env, false, 0};
        }
        auto it = var_index_.find(e.text);
        if (it == var_index_.end()) {
          if (dim_index_.count(e.text)) {
            return fail(e.loc, fmt::format("'{}' is a dimension, not a value", e.text));
          }
          return fail(e.loc, unknown_message("variable", e.text, variable_names()));
        }
        return emit_reference(e, ctx, it->second);
      }
      case ExprKind::kUnary: {
        Operand a = emit(e.args[0], ctx);
        return op(ctx, e.unary_op == UnaryOp::kNeg ? OpCode::kNeg : OpCode::kNot, {a});
      }
      case ExprKind::kBinary: {
        Operand a = emit(e.args[0], ctx);
        Operand b = emit(e.args[1], ctx);
        static const std::map<BinaryOp, OpCode> kOps = {
            {BinaryOp::kAdd, OpCode::kAdd}, {BinaryOp::kSub, OpCode::kSub},
            {BinaryOp::kMul, OpCode::kMul}, {BinaryOp::kDiv, OpCode::kDiv},
            {BinaryOp::kPow, OpCode::kPow}, {BinaryOp::kEq, OpCode::kEq},
            {BinaryOp::kNe, OpCode::kNe},   {BinaryOp::kLt, OpCode::kLt},
            {BinaryOp::kLe, OpCode::kLe},   {BinaryOp::kGt, OpCode::kGt},
            {BinaryOp::kGe, OpCode::kGe},   {BinaryOp::kAnd, OpCode::kAnd},
            {BinaryOp::kOr, OpCode::kOr}};
        return op(ctx, kOps.at(e.binary_op), {a, b});
      }
      case ExprKind::kIf: {
        Operand c = emit(e.args[0], ctx);
        Operand a = emit(e.args[1], ctx);
        Operand b = emit(e.args[2], ctx);
        if (c.is_const) return c.value != 0 ? a : b;
        return op(ctx, OpCode::kSelect, {c, a, b});
      }
      case ExprKind::kCall:
        return emit_call(e, ctx);
    }
    return constant(NAN);
  }

  bool check_arity(const Expr& e, std::size_t low, std::size_t high, const char* usage) {
    if (e.args.size() < low || e.args.size() > high) {
      error(e.loc, fmt::format("{}() takes {}; found {} argument{}", e.text, usage, e.args.size(),
                               e.args.size() == 1 ? "" : "s"));
      return false;
    }
    return true;
  }

  // Dimensions referenced, unindexed, anywhere in e: what a one-argument sum reduces over.
  void free_dims(const Expr& e, std::set<std::uint32_t>& out) {
    if (e.kind == ExprKind::kName) {
      auto it = var_index_.find(e.text);
      if (it != var_index_.end() && e.indices.empty()) {
        for (auto dim : vars_[it->second].dims) out.insert(dim);
      }
      // x[andean]: an index naming a dimension or subset is free too.
      for (const auto& index : e.indices) {
        auto dim = dim_index_.find(index);
        if (dim != dim_index_.end()) out.insert(dim->second);
      }
    }
    if (e.kind == ExprKind::kCall) {
      // Nested reductions bind their own dimension.
      if (is_reduction(e) && e.text != "wsum" && e.args.size() == 2) return;
      if (e.text == "wsum" && !e.args.empty()) {
        auto it = var_index_.find(e.args[0].text);
        if (it != var_index_.end() && !vars_[it->second].dims.empty()) {
          out.insert(vars_[it->second].dims[0]);
        }
        return;
      }
    }
    for (const auto& arg : e.args) free_dims(arg, out);
  }

  Operand emit_reduction(const Expr& e, EmitCtx& ctx) {
    const std::string& f = e.text;
    if (!check_arity(e, 1, 2, "an expression and optionally the dimension to reduce over")) {
      return constant(NAN);
    }
    std::uint32_t dim = 0;
    if (e.args.size() == 2) {
      if (!is_dim_name_expr(e.args[1]) || !dim_index_.count(e.args[1].text)) {
        return fail(e.args[1].loc, fmt::format("the second argument of {}() must be a dimension "
                                               "name",
                                               f));
      }
      dim = dim_index_.at(e.args[1].text);
    } else {
      std::set<std::uint32_t> dims;
      free_dims(e.args[0], dims);
      // A dimension and its subsets count once: reduce over the outermost one seen.
      std::set<std::uint32_t> roots;
      for (auto d : dims) roots.insert(dim_root(d));
      if (roots.size() != 1) {
        return fail(e.loc, fmt::format("{}(...) {}; name it: {}(x, dimension)", f,
                                       dims.empty() ? "has no dimension to reduce over"
                                                    : "could reduce over more than one dimension",
                                       f));
      }
      dim = *dims.begin();
      for (auto d : dims) {
        if (plan_->dimensions[d].parent < 0) dim = d;
      }
    }
    const auto& elements = plan_->dimensions[dim].elements;
    OpCode combine = f == "min" ? OpCode::kMin : f == "max" ? OpCode::kMax : OpCode::kAdd;
    Operand acc{};
    for (std::uint32_t i = 0; i < elements.size(); ++i) {
      ctx.binding.push_back({dim, i});
      Operand term = emit(e.args[0], ctx);
      ctx.binding.pop_back();
      acc = i == 0 ? term : op(ctx, combine, {acc, term});
    }
    if (f == "mean") acc = op(ctx, OpCode::kDiv, {acc, constant(static_cast<double>(elements.size()))});
    return acc;
  }

  Operand emit_wsum(const Expr& e, EmitCtx& ctx) {
    if (!check_arity(e, 2, 2, "a two-dimensional weight and a value: wsum(weights, x)")) {
      return constant(NAN);
    }
    const Expr& weights = e.args[0];
    auto it = weights.kind == ExprKind::kName && weights.indices.empty()
                  ? var_index_.find(weights.text)
                  : var_index_.end();
    if (it == var_index_.end() || vars_[it->second].dims.size() != 2) {
      return fail(weights.loc, "the first argument of wsum() must name a variable over two "
                               "dimensions, e.g. a neighbour matrix");
    }
    std::uint32_t w = it->second;
    const VarInfo& winfo = vars_[w];
    std::uint32_t row_dim = winfo.dims[0];
    std::uint32_t col_dim = winfo.dims[1];
    bool reported = false;
    auto row = bound_element(ctx.binding, row_dim, "", weights.loc, winfo.decl->name, reported);
    if (!row) {
      if (reported) return constant(NAN);
      return fail(e.loc, fmt::format("wsum({}, ...) needs an equation over '{}'",
                                     winfo.decl->name, plan_->dimensions[row_dim].name));
    }
    std::uint32_t cols = static_cast<std::uint32_t>(plan_->dimensions[col_dim].elements.size());
    Operand acc = constant(0);
    bool first = true;
    for (std::uint32_t j = 0; j < cols; ++j) {
      Operand weight = read_slot(ctx, w, *row * cols + j);
      // Constant zero weights (no border) cost nothing.
      if (weight.is_const && weight.value == 0) continue;
      ctx.binding.push_back({col_dim, j});
      Operand x = emit(e.args[1], ctx);
      ctx.binding.pop_back();
      if (first) {
        acc = op(ctx, OpCode::kMul, {weight, x});
        first = false;
      } else {
        acc = op(ctx, OpCode::kMulAdd, {weight, x, acc});
      }
    }
    return acc;
  }

  // warn_if_empty: a data() call without a value for gaps, whose NaN a model should hear of.
  std::uint32_t series_id(SeriesKind kind, const std::string& name, const EmitCtx& ctx,
                          SourceLoc loc = {}, bool warn_if_empty = true) {
    std::string element;
    if (!ctx.binding.empty()) {
      const auto& first = ctx.binding.front();
      element = plan_->dimensions[first.dim].elements[first.element];
    }
    auto key = std::make_tuple(kind, name, element);
    auto it = series_index_.find(key);
    if (it != series_index_.end()) return it->second;
    SeriesRef ref;
    ref.kind = kind;
    ref.name = name;
    ref.element = element;
    ref.reader = ctx.var;
    if (kind == SeriesKind::kData && data_) {
      auto series = data_->series(name, element);
      if (series) ref.data = std::move(*series);
      bool observed = std::any_of(ref.data.values.begin(), ref.data.values.end(),
                                  [](double v) { return !std::isnan(v); });
      if (!observed && warn_if_empty) {
        diags_.warning(loc, element.empty()
                                ? fmt::format("data(\"{}\") in an equation without a dimension "
                                              "reads no country's series: it gives NaN",
                                              name)
                                : fmt::format("indicator '{}' has no values for '{}': data() "
                                              "gives NaN there (a gap)",
                                              name, element));
      }
    }
    auto id = static_cast<std::uint32_t>(plan_->series.size());
    plan_->series.push_back(std::move(ref));
    series_index_[key] = id;
    return id;
  }

  static bool is_random_call(const Expr& e) {
    return e.kind == ExprKind::kCall &&
           (e.text == "random_normal" || e.text == "random_uniform" ||
            e.text == "random_bernoulli" || e.text == "random_poisson");
  }

  void number_sites(const Expr& e, VarInfo& info) {
    if (is_random_call(e)) {
      info.sites.emplace(&e, static_cast<std::uint32_t>(info.sites.size()));
    }
    for (const auto& arg : e.args) number_sites(arg, info);
  }

  // A random stream named by the variable and a label, so that editing other parts of the
  // model does not change this variable's draws. Hash collisions are resolved by salting.
  std::uint32_t named_stream(const std::string& var_name, const std::string& label) {
    for (std::uint32_t salt = 0;; ++salt) {
      std::string key = fmt::format("{}#{}#{}", var_name, label, salt);
      std::uint32_t hash = 2166136261u;  // FNV-1a
      for (unsigned char c : key) hash = (hash ^ c) * 16777619u;
      if (used_streams_.insert(hash).second) return hash;
    }
  }

  // Stream and element words of a per-step draw: (variable, call site), and (element of
  // the equation, term of a reduction).
  std::pair<std::uint32_t, std::uint32_t> random_key(EmitCtx& ctx, const Expr& e) {
    VarInfo& info = vars_[ctx.var];
    if (!info.sites_numbered) {
      info.sites_numbered = true;
      if (info.decl->value) number_sites(*info.decl->value, info);
      for (const auto& over : info.decl->overrides) number_sites(over.value, info);
    }
    std::uint32_t site = info.sites.count(&e) ? info.sites.at(&e) : 0;
    auto [stream_it, inserted] = info.site_streams.emplace(site, 0);
    if (inserted) stream_it->second = named_stream(info.decl->name, fmt::format("draw{}", site));
    std::uint32_t term = info.site_instances[{&e, ctx.element}]++;
    if (term >= kMaxTerms || ctx.element >= (1u << (32 - kTermBits))) {
      error(e.loc, "too many random draws in one equation");
    }
    return {stream_it->second, (ctx.element << kTermBits) | (term & (kMaxTerms - 1))};
  }

  Operand emit_call(const Expr& e, EmitCtx& ctx) {
    const std::string& f = e.text;
    if (f == "sum" || f == "mean" || ((f == "min" || f == "max") && is_reduction(e))) {
      return emit_reduction(e, ctx);
    }
    if (f == "wsum") return emit_wsum(e, ctx);
    if (f == "data" || f == "scenario" || f == "allocation") {
      bool arity_ok =
          f == "data"       ? check_arity(e, 2, 3,
                                          "an indicator in quotes, a year and optionally a "
                                          "value for gaps: data(\"gdp\", start)")
          : f == "scenario" ? check_arity(e, 1, 2,
                                          "a name in quotes and optionally a default for runs "
                                          "whose scenario does not give it: "
                                          "scenario(\"oil_price\", 80)")
                            : check_arity(e, 1, 1, "a name in quotes");
      if (!arity_ok) return constant(NAN);
      if (e.args[0].kind != ExprKind::kString) {
        return fail(e.args[0].loc, fmt::format("the first argument of {}() must be a name in "
                                               "quotes",
                                               f));
      }
      if (ctx.const_only) {
        const_failed_ = true;
        return constant(NAN);
      }
      const std::string& name = e.args[0].text;
      if (f == "data") {
        if (!data_) {
          return fail(e.loc, fmt::format("data(\"{}\", ...) needs a data folder (use --data DIR)",
                                         name));
        }
        if (!data_->has_indicator(name)) {
          return fail(e.args[0].loc, unknown_message("indicator", name, data_->indicators()));
        }
        Operand year = emit(e.args[1], ctx);
        Operand value =
            op(ctx, OpCode::kSeries, {year},
               series_id(SeriesKind::kData, name, ctx, e.loc, e.args.size() == 2));
        if (e.args.size() == 3) value = op(ctx, OpCode::kCoalesce, {value, emit(e.args[2], ctx)});
        return value;
      }
      SeriesKind kind = f == "scenario" ? SeriesKind::kScenario : SeriesKind::kAllocation;
      std::uint32_t id = series_id(kind, name, ctx);
      Operand value = op(ctx, OpCode::kSeries, {Operand{kTagEnv | kEnvTime, false, 0}}, id);
      if (kind != SeriesKind::kScenario) return value;
      // Optional only while every use so far gives a default.
      bool first_use = series_first_use_.insert(id).second;
      if (e.args.size() == 1) {
        plan_->series[id].required = true;
        return value;
      }
      if (first_use) plan_->series[id].required = false;
      return op(ctx, OpCode::kCoalesce, {value, emit(e.args[1], ctx)});
    }
    if (kStatefulCalls.count(f)) {
      return constant(NAN);  // desugar() replaced every allowed use and reported the others
    }
    // Everything below takes plain value arguments.
    std::vector<Operand> args;
    for (const auto& arg : e.args) args.push_back(emit(arg, ctx));
    auto a = [&](std::size_t i) { return args[i]; };
    auto unary = [&](OpCode code) -> Operand {
      if (!check_arity(e, 1, 1, "one argument")) return constant(NAN);
      return op(ctx, code, {a(0)});
    };
    if (f == "abs") return unary(OpCode::kAbs);
    if (f == "exp") return unary(OpCode::kExp);
    if (f == "log") return unary(OpCode::kLog);
    if (f == "sqrt") return unary(OpCode::kSqrt);
    if (f == "logistic") return unary(OpCode::kLogistic);
    if (f == "pow") {
      if (!check_arity(e, 2, 2, "a base and an exponent")) return constant(NAN);
      return op(ctx, OpCode::kPow, {a(0), a(1)});
    }
    if (f == "min" || f == "max") {
      Operand acc = a(0);
      for (std::size_t i = 1; i < args.size(); ++i) {
        acc = op(ctx, f == "min" ? OpCode::kMin : OpCode::kMax, {acc, a(i)});
      }
      return acc;
    }
    if (f == "clamp") {
      if (!check_arity(e, 3, 3, "a value, a low and a high bound")) return constant(NAN);
      return op(ctx, OpCode::kMin, {op(ctx, OpCode::kMax, {a(0), a(1)}), a(2)});
    }
    Operand time{kTagEnv | kEnvTime, false, 0};
    if (f == "step") {
      if (!check_arity(e, 2, 2, "a height and a start time")) return constant(NAN);
      return op(ctx, OpCode::kSelect, {op(ctx, OpCode::kGe, {time, a(1)}), a(0), constant(0)});
    }
    if (f == "ramp") {
      if (!check_arity(e, 2, 3, "a slope, a start time and optionally an end time")) {
        return constant(NAN);
      }
      Operand clipped = op(ctx, OpCode::kMax, {time, a(1)});
      if (args.size() == 3) clipped = op(ctx, OpCode::kMin, {clipped, a(2)});
      return op(ctx, OpCode::kMul, {a(0), op(ctx, OpCode::kSub, {clipped, a(1)})});
    }
    if (f == "pulse") {
      if (!check_arity(e, 2, 2, "a start time and a width")) return constant(NAN);
      Operand end = op(ctx, OpCode::kAdd, {a(0), a(1)});
      return op(ctx, OpCode::kAnd,
                {op(ctx, OpCode::kGe, {time, a(0)}), op(ctx, OpCode::kLt, {time, end})});
    }
    if (f == "random_normal" || f == "random_uniform" || f == "random_bernoulli" ||
        f == "random_poisson") {
      bool two = f == "random_normal" || f == "random_uniform";
      if (!check_arity(e, two ? 2 : 1, two ? 2 : 1,
                       f == "random_normal"    ? "a mean and a standard deviation"
                       : f == "random_uniform" ? "a low and a high bound"
                       : f == "random_bernoulli" ? "a probability"
                                                 : "a mean")) {
        return constant(NAN);
      }
      if (ctx.const_only) {
        const_failed_ = true;
        return constant(NAN);
      }
      auto [stream, instance] = random_key(ctx, e);
      OpCode code = f == "random_normal"      ? OpCode::kRandNormal
                    : f == "random_uniform"   ? OpCode::kRandUniform
                    : f == "random_bernoulli" ? OpCode::kRandBernoulli
                                              : OpCode::kRandPoisson;
      // The instance number travels in operand c as a raw value, not an operand.
      Operand out = op(ctx, code, {a(0), two ? a(1) : constant(0)}, stream);
      ctx.frag->code.back().c = instance;
      return out;
    }
    auto it = var_index_.find(f);
    if (it != var_index_.end() && vars_[it->second].role == VarRole::kLookup) {
      if (!check_arity(e, 1, 1, "one argument")) return constant(NAN);
      vars_[ctx.var].depends_on.insert(it->second);
      VarInfo& lookup = vars_[it->second];
      if (lookup.lookup_table < 0) {
        LookupTable table;
        for (const auto& [x, y] : lookup.decl->points) {
          table.x.push_back(x);
          table.y.push_back(y);
        }
        lookup.lookup_table = static_cast<int>(plan_->lookups.size());
        plan_->lookups.push_back(std::move(table));
      }
      if (a(0).is_const) {
        return constant(plan_->lookups[lookup.lookup_table].at(a(0).value));
      }
      return op(ctx, OpCode::kLookup, {a(0)}, static_cast<std::uint32_t>(lookup.lookup_table));
    }
    std::vector<std::string> names = kBuiltinFunctions;
    for (const auto& v : vars_) {
      if (v.role == VarRole::kLookup) names.push_back(v.decl->name);
    }
    if (it != var_index_.end()) {
      return fail(e.loc, fmt::format("'{}' is a {}, not a function or lookup", f,
                                     role_name(vars_[it->second].role)));
    }
    return fail(e.loc, unknown_message("function", f, names));
  }

  // The expression defining element `element` of variable v: an override or the value.
  const Expr* element_expr(std::uint32_t v, std::uint32_t element, bool& overridden) {
    VarInfo& info = vars_[v];
    overridden = false;
    const Expr* chosen = info.decl->value ? &*info.decl->value : nullptr;
    for (const auto& over : info.decl->overrides) {
      for (const auto& target : over.targets) {
        if (override_matches(info, target, element, over.loc)) {
          chosen = &over.value;
          overridden = true;
        }
      }
    }
    return chosen;
  }

  // "COL", "andean", "COL.security", "andean.security" against a flat element.
  bool override_matches(const VarInfo& info, const std::string& target, std::uint32_t element,
                        SourceLoc loc) {
    std::vector<std::string> parts;
    std::size_t dot = target.find('.');
    if (dot == std::string::npos) {
      parts.push_back(target);
    } else {
      parts.push_back(target.substr(0, dot));
      parts.push_back(target.substr(dot + 1));
    }
    if (parts.size() > info.dims.size()) {
      error(loc, fmt::format("'{}' names more elements than '{}' has dimensions", target,
                             info.decl->name));
      return false;
    }
    // Flat element → per-dimension elements.
    std::vector<std::uint32_t> coords(info.dims.size());
    std::uint32_t rest = element;
    for (std::size_t p = info.dims.size(); p-- > 0;) {
      auto size = static_cast<std::uint32_t>(plan_->dimensions[info.dims[p]].elements.size());
      coords[p] = rest % size;
      rest /= size;
    }
    bool all = true;
    for (std::size_t p = 0; p < parts.size(); ++p) {
      std::uint32_t dim = info.dims[p];
      const std::string& element_name = plan_->dimensions[dim].elements[coords[p]];
      if (parts[p] == element_name) continue;
      if (element_in(dim, parts[p])) {
        all = false;
        continue;
      }
      auto subset = dim_index_.find(parts[p]);
      if (subset != dim_index_.end() && dim_root(subset->second) == dim_root(dim)) {
        if (!element_in(subset->second, element_name)) all = false;
        continue;
      }
      std::string hint = lang::closest_name(parts[p], plan_->dimensions[dim].elements);
      error(loc, fmt::format("'{}' is neither an element nor a subset of '{}'{}", parts[p],
                             plan_->dimensions[dim].name,
                             hint.empty() ? "" : fmt::format(" (did you mean '{}'?)", hint)));
      return false;
    }
    return all;
  }

  Binding binding_for(std::uint32_t v, std::uint32_t element) const {
    const VarInfo& info = vars_[v];
    Binding binding(info.dims.size());
    std::uint32_t rest = element;
    for (std::size_t p = info.dims.size(); p-- > 0;) {
      auto size = static_cast<std::uint32_t>(plan_->dimensions[info.dims[p]].elements.size());
      binding[p] = {info.dims[p], rest % size};
      rest /= size;
    }
    return binding;
  }

  bool ensure_const(std::uint32_t v) {
    VarInfo& info = vars_[v];
    if (info.const_state == 2) return true;
    if (info.const_state == 1) {
      error(info.decl->loc, fmt::format("const '{}' depends on itself", info.decl->name));
      return false;
    }
    info.const_state = 1;
    info.const_values.assign(info.count, NAN);
    for (std::uint32_t element = 0; element < info.count; ++element) {
      bool overridden = false;
      const Expr* expr = element_expr(v, element, overridden);
      if (!expr) continue;
      Fragment scratch;
      EmitCtx ctx;
      ctx.frag = &scratch;
      ctx.var = v;
      ctx.element = element;
      ctx.binding = binding_for(v, element);
      ctx.const_only = true;
      bool saved = const_failed_;
      const_failed_ = false;
      Operand value = emit(*expr, ctx);
      if (const_failed_ || !value.is_const) {
        error(expr_start(*expr), fmt::format("const '{}' must be computable from numbers and other "
                                     "consts (use param for values that may vary)",
                                     info.decl->name));
        const_failed_ = saved;
        info.const_state = 2;
        return false;
      }
      const_failed_ = saved;
      info.const_values[element] = value.value;
    }
    info.const_state = 2;
    return true;
  }

  void finish_into_slot(Fragment& frag, Operand value, std::uint32_t slot) {
    std::uint32_t target = kTagSlot | slot;
    // Retarget the last instruction when it produced the value, saving a copy.
    if (!value.is_const && !frag.code.empty() && frag.code.back().dst == value.ref &&
        (value.ref & kTagMask) == kTagTemp) {
      frag.code.back().dst = target;
      return;
    }
    Instr copy;
    copy.op = OpCode::kCopy;
    copy.dst = target;
    copy.a = value.ref;
    frag.code.push_back(copy);
  }

  void emit_param(std::uint32_t v, std::uint32_t element, EmitCtx& ctx) {
    VarInfo& info = vars_[v];
    bool overridden = false;
    const Expr* expr = element_expr(v, element, overridden);
    const auto& dist = info.decl->distribution;
    std::uint32_t slot = info.first_slot + element;
    if (overridden || !dist) {
      finish_into_slot(*ctx.frag, emit(*expr, ctx), slot);
      return;
    }
    std::vector<Operand> args;
    for (const auto& arg : dist->args) args.push_back(emit(arg, ctx));
    OpCode quantile = OpCode::kQuantNormal, cdf = OpCode::kCdfNormal;
    switch (dist->kind) {
      case lang::DistKind::kNormal: quantile = OpCode::kQuantNormal; cdf = OpCode::kCdfNormal; break;
      case lang::DistKind::kLognormal: quantile = OpCode::kQuantLognormal; cdf = OpCode::kCdfLognormal; break;
      case lang::DistKind::kUniform: quantile = OpCode::kQuantUniform; cdf = OpCode::kCdfUniform; break;
      case lang::DistKind::kTriangular: quantile = OpCode::kQuantTriangular; cdf = OpCode::kCdfTriangular; break;
      case lang::DistKind::kBeta: quantile = OpCode::kQuantBeta; cdf = OpCode::kCdfBeta; break;
    }
    bool scaled_beta = dist->kind == lang::DistKind::kBeta && args.size() == 4;
    auto p = [&](std::size_t i) { return i < args.size() ? args[i] : constant(0); };
    // Truncation and the beta's [low, high] scaling work on the unit interval of the CDF.
    auto to_unit = [&](Operand x) -> Operand {
      if (scaled_beta) {
        x = op(ctx, OpCode::kDiv, {op(ctx, OpCode::kSub, {x, p(2)}), op(ctx, OpCode::kSub, {p(3), p(2)})});
      }
      return op(ctx, cdf, {x, p(0), p(1), p(2)});
    };
    auto from_unit = [&](Operand u) -> Operand {
      Operand x = op(ctx, quantile, {u, p(0), p(1), p(2)});
      if (scaled_beta) {
        x = op(ctx, OpCode::kAdd, {p(2), op(ctx, OpCode::kMul, {x, op(ctx, OpCode::kSub, {p(3), p(2)})})});
      }
      return x;
    };
    if (!info.param_stream) info.param_stream = named_stream(info.decl->name, "param");
    Operand u = op(ctx, OpCode::kParamUniform, {}, *info.param_stream);
    ctx.frag->code.back().c = element;
    Operand half = constant(0.5);
    if (dist->truncate_low && dist->truncate_high) {
      Operand low = to_unit(emit(*dist->truncate_low, ctx));
      Operand high = to_unit(emit(*dist->truncate_high, ctx));
      Operand width = op(ctx, OpCode::kSub, {high, low});
      u = op(ctx, OpCode::kMulAdd, {u, width, low});
      half = op(ctx, OpCode::kMulAdd, {half, width, low});
    }
    Operand drawn = from_unit(u);
    Operand nominal = expr ? emit(*expr, ctx) : from_unit(half);
    Operand value = op(ctx, OpCode::kSelect, {Operand{kTagEnv | kEnvSampleFlag, false, 0}, drawn, nominal});
    finish_into_slot(*ctx.frag, value, slot);
  }

  void emit_all() {
    init_frags_.resize(next_slot_);
    run_frags_.resize(next_slot_);
    has_run_frag_.assign(next_slot_, false);
    for (std::uint32_t v = 0; v < vars_.size(); ++v) {
      VarInfo& info = vars_[v];
      if (info.role == VarRole::kLookup) continue;
      if (info.role == VarRole::kConst) {
        ensure_const(v);
        continue;
      }
      for (std::uint32_t element = 0; element < info.count; ++element) {
        std::uint32_t slot = info.first_slot + element;
        EmitCtx ctx;
        ctx.var = v;
        ctx.element = element;
        ctx.binding = binding_for(v, element);
        ctx.frag = &init_frags_[slot];
        bool overridden = false;
        switch (info.role) {
          case VarRole::kParam:
            emit_param(v, element, ctx);
            break;
          case VarRole::kStock:
          case VarRole::kAux: {
            const Expr* expr = element_expr(v, element, overridden);
            if (!expr) {
              error(info.decl->loc, fmt::format("'{}' has no equation", info.decl->name));
              break;
            }
            finish_into_slot(*ctx.frag, emit(*expr, ctx), slot);
            if (info.role == VarRole::kAux) {
              run_frags_[slot] = init_frags_[slot];
              has_run_frag_[slot] = true;
            }
            break;
          }
          case VarRole::kDelayOutput: {
            std::uint32_t init_var = static_cast<std::uint32_t>(
                info.delay_init >= 0 ? info.delay_init : info.delay_input);
            info.depends_on.insert(static_cast<std::uint32_t>(info.delay_input));
            Operand init = read_slot(ctx, init_var, element);
            finish_into_slot(*ctx.frag, init, slot);
            break;
          }
          default:
            break;
        }
      }
      if (info.role == VarRole::kDelayOutput) emit_delay_lines(v);
      if (diags_.error_count() > 200) return;  // enough to work on
    }
  }

  void emit_delay_lines(std::uint32_t v) {
    VarInfo& info = vars_[v];
    Fragment scratch;
    EmitCtx ctx;
    ctx.frag = &scratch;
    ctx.var = v;
    ctx.const_only = true;
    bool saved = const_failed_;
    const_failed_ = false;
    Operand time = emit(*info.delay_time, ctx);
    bool ok = !const_failed_ && time.is_const;
    const_failed_ = saved;
    if (!ok || !(time.value > 0) || !std::isfinite(time.value)) {
      error(info.delay_time->loc, "the time of delay_fixed() must be a positive constant (a "
                                  "number or a const)");
      return;
    }
    const VarInfo& input = vars_[static_cast<std::uint32_t>(info.delay_input)];
    for (std::uint32_t element = 0; element < info.count; ++element) {
      DelayLine line;
      line.input_slot = input.first_slot + element;
      line.output_slot = info.first_slot + element;
      line.delay_time = time.value;
      line.var = v;
      plan_->delays.push_back(line);
    }
  }

  // ---------------------------------------------------------------- ordering

  // Orders the fragments of `nodes` so each comes after the slots it reads among `nodes`;
  // reports algebraic loops. Ties go to the lower slot, so the order is deterministic.
  std::vector<std::uint32_t> order(const std::vector<Fragment>& frags,
                                   const std::vector<bool>& is_node, const char* phase) {
    std::uint32_t n = next_slot_;
    std::vector<std::vector<std::uint32_t>> users(n);
    std::vector<std::uint32_t> pending(n, 0);
    for (std::uint32_t slot = 0; slot < n; ++slot) {
      if (!is_node[slot]) continue;
      std::vector<std::uint32_t> reads = frags[slot].reads;
      std::sort(reads.begin(), reads.end());
      reads.erase(std::unique(reads.begin(), reads.end()), reads.end());
      for (auto r : reads) {
        if (!is_node[r]) continue;
        users[r].push_back(slot);
        ++pending[slot];
      }
    }
    std::priority_queue<std::uint32_t, std::vector<std::uint32_t>, std::greater<>> ready;
    for (std::uint32_t slot = 0; slot < n; ++slot) {
      if (is_node[slot] && pending[slot] == 0) ready.push(slot);
    }
    std::vector<std::uint32_t> sorted;
    while (!ready.empty()) {
      std::uint32_t slot = ready.top();
      ready.pop();
      sorted.push_back(slot);
      for (auto user : users[slot]) {
        if (--pending[user] == 0) ready.push(user);
      }
    }
    std::size_t node_count = 0;
    for (std::uint32_t slot = 0; slot < n; ++slot) node_count += is_node[slot] ? 1 : 0;
    if (sorted.size() != node_count) report_loops(frags, is_node, pending, phase);
    return sorted;
  }

  void report_loops(const std::vector<Fragment>& frags, const std::vector<bool>& is_node,
                    const std::vector<std::uint32_t>& pending, const char* phase) {
    // Slots left with pending inputs are on or behind a loop. Walk backwards along unresolved
    // reads until a slot repeats: that is a loop.
    // Each slot is walked at most once over all starts, so this stays linear.
    std::set<std::string> reported_loops;
    std::vector<int> seen_at(next_slot_, -1);
    std::vector<std::uint32_t> walked_by(next_slot_, 0);
    std::uint32_t walk = 0;
    for (std::uint32_t start = 0; start < next_slot_; ++start) {
      if (!is_node[start] || pending[start] == 0 || walked_by[start] != 0) continue;
      ++walk;
      std::vector<std::uint32_t> path;
      std::uint32_t slot = start;
      bool joined_earlier_walk = false;
      while (walked_by[slot] != walk) {
        if (walked_by[slot] != 0) {
          joined_earlier_walk = true;
          break;
        }
        walked_by[slot] = walk;
        seen_at[slot] = static_cast<int>(path.size());
        path.push_back(slot);
        // A slot still pending reads at least one other pending slot.
        std::optional<std::uint32_t> next;
        for (auto r : frags[slot].reads) {
          if (is_node[r] && pending[r] > 0) {
            next = r;
            break;
          }
        }
        if (!next) break;
        slot = *next;
      }
      if (joined_earlier_walk || walked_by[slot] != walk) continue;
      // path[seen_at[slot]..] is the loop, each reading the next; print it in causal order.
      std::vector<std::string> names;
      for (std::size_t i = path.size(); i-- > static_cast<std::size_t>(seen_at[slot]);) {
        const std::string& name = vars_[slot_var_[path[i]]].decl->name;
        if (names.empty() || names.back() != name) names.push_back(name);
      }
      if (names.size() > 1 && names.front() == names.back()) names.pop_back();
      std::vector<std::string> visible;
      for (const auto& name : names) {
        std::string shown = display_name(name);
        if (visible.empty() || visible.back() != shown) visible.push_back(shown);
      }
      if (visible.size() > 1 && visible.front() == visible.back()) visible.pop_back();
      std::vector<std::string> key = visible;
      std::sort(key.begin(), key.end());
      std::string key_text = fmt::format("{}", fmt::join(key, ","));
      if (!reported_loops.insert(key_text).second) continue;
      visible.push_back(visible.front());
      const VarDecl& decl = *vars_[slot_var_[path[seen_at[slot]]]].decl;
      if (std::string_view(phase).empty()) {
        error(decl.loc, fmt::format("algebraic loop: {}; break it with a stock, smooth() or a "
                                    "delay",
                                    fmt::join(visible, " -> ")));
      } else {
        error(decl.loc, fmt::format("{}{}; give one of them an initial value that does not "
                                    "depend on the others (e.g. smooth(x, time, initial))",
                                    phase, fmt::join(visible, " -> ")));
      }
      if (reported_loops.size() >= 20) return;
    }
  }

  // Hidden variables are shown as the visible variable they belong to.
  static std::string display_name(const std::string& name) { return name.substr(0, name.find('~')); }

  void order_programs() {
    slot_var_.assign(next_slot_, 0);
    for (std::uint32_t v = 0; v < vars_.size(); ++v) {
      const VarInfo& info = vars_[v];
      if (info.role == VarRole::kConst || info.role == VarRole::kLookup) continue;
      for (std::uint32_t e = 0; e < info.count; ++e) slot_var_[info.first_slot + e] = v;
    }
    // Loops among the equations first; only a model without them can loop at the start
    // (a stock's initial value reading what depends on that stock).
    std::vector<std::uint32_t> run_order = order(run_frags_, has_run_frag_, "");
    if (diags_.has_errors()) return;
    std::vector<bool> init_nodes(next_slot_, true);
    std::vector<std::uint32_t> init_order =
        order(init_frags_, init_nodes, "initial values form a loop: ");
    if (diags_.has_errors()) return;
    std::uint32_t temps = 0;
    for (auto slot : init_order) {
      append(plan_->init_program, init_frags_[slot]);
      temps = std::max(temps, init_frags_[slot].temps);
      if (vars_[slot_var_[slot]].role == VarRole::kParam) {
        plan_->param_ends.push_back({static_cast<std::uint32_t>(plan_->init_program.size()), slot});
      }
    }
    for (auto slot : run_order) {
      append(plan_->aux_program, run_frags_[slot]);
      temps = std::max(temps, run_frags_[slot].temps);
    }
    // Net flow of each stock.
    for (std::uint32_t v = 0; v < vars_.size(); ++v) {
      const VarInfo& info = vars_[v];
      if (info.role != VarRole::kStock) continue;
      for (std::uint32_t e = 0; e < info.count; ++e) {
        std::uint32_t deriv = static_cast<std::uint32_t>(plan_->stock_slots.size());
        plan_->stock_slots.push_back(info.first_slot + e);
        std::uint32_t target = kTagDeriv | deriv;
        std::optional<std::uint32_t> acc;
        auto flow_slot = [&](const lang::FlowRef& flow) {
          return kTagSlot | (vars_[var_index_.at(flow.name)].first_slot + e);
        };
        for (const auto& flow : info.decl->inflows) {
          Instr instr;
          instr.dst = target;
          if (!acc) {
            instr.op = OpCode::kCopy;
            instr.a = flow_slot(flow);
          } else {
            instr.op = OpCode::kAdd;
            instr.a = target;
            instr.b = flow_slot(flow);
          }
          acc = target;
          plan_->deriv_program.push_back(instr);
        }
        for (const auto& flow : info.decl->outflows) {
          Instr instr;
          instr.dst = target;
          if (!acc) {
            instr.op = OpCode::kNeg;
            instr.a = flow_slot(flow);
          } else {
            instr.op = OpCode::kSub;
            instr.a = target;
            instr.b = flow_slot(flow);
          }
          acc = target;
          plan_->deriv_program.push_back(instr);
        }
        if (!acc) {
          Instr instr;
          instr.op = OpCode::kCopy;
          instr.dst = target;
          instr.a = constant(0).ref;
          plan_->deriv_program.push_back(instr);
        }
      }
    }
    plan_->temp_count = temps;
  }

  static void append(std::vector<Instr>& program, const Fragment& frag) {
    program.insert(program.end(), frag.code.begin(), frag.code.end());
  }

  std::uint32_t relocate(std::uint32_t ref) const {
    std::uint32_t index = ref & ~kTagMask;
    switch (ref & kTagMask) {
      case kTagEnv: return index;
      case kTagSlot: return plan_->slot_operand(index);
      case kTagDeriv: return plan_->deriv_operand(index);
      case kTagConst: return plan_->constant_operand(index);
      case kTagTemp: return plan_->temp_operand(index);
      default: return index;
    }
  }

  static bool uses_operand(OpCode code, int which) {
    // Operand c of random draws and parameter draws carries an element number, not a ref.
    switch (code) {
      case OpCode::kRandNormal:
      case OpCode::kRandUniform:
      case OpCode::kRandBernoulli:
      case OpCode::kRandPoisson:
      case OpCode::kParamUniform:
        return which < 2;
      default:
        return true;
    }
  }

  // Rewrites arithmetic on a constant operand to the form that carries the constant.
  void inline_constant(Instr& instr) const {
    auto constant_at = [&](std::uint32_t operand) -> std::optional<double> {
      std::uint32_t first = plan_->constant_operand(0);
      if (operand < first || operand >= first + plan_->constant_count) return std::nullopt;
      return plan_->constants[operand - first];
    };
    auto ka = constant_at(instr.a);
    auto kb = constant_at(instr.b);
    if (ka && kb) return;  // folded already, except where folding was not wanted
    switch (instr.op) {
      case OpCode::kAdd:
      case OpCode::kMul: {
        bool add = instr.op == OpCode::kAdd;
        // a + k == k + a and a * k == k * a exactly in IEEE arithmetic.
        if (kb) {
          instr.op = add ? OpCode::kAddK : OpCode::kMulK;
          instr.k = *kb;
        } else if (ka) {
          instr.op = add ? OpCode::kAddK : OpCode::kMulK;
          instr.k = *ka;
          instr.a = instr.b;
        }
        break;
      }
      case OpCode::kSub:
      case OpCode::kDiv: {
        bool sub = instr.op == OpCode::kSub;
        if (kb) {
          instr.op = sub ? OpCode::kSubK : OpCode::kDivK;
          instr.k = *kb;
        } else if (ka) {
          instr.op = sub ? OpCode::kKSub : OpCode::kKDiv;
          instr.k = *ka;
          instr.a = instr.b;
        }
        break;
      }
      case OpCode::kMulAdd:
        if (kb) {
          instr.op = OpCode::kMulKAdd;
          instr.k = *kb;
        } else if (ka) {
          instr.op = OpCode::kMulKAdd;
          instr.k = *ka;
          instr.a = instr.b;
        }
        break;
      default:
        break;
    }
  }

  void finish_plan() {
    plan_->slot_count = next_slot_;
    plan_->constant_count = static_cast<std::uint32_t>(plan_->constants.size());
    for (auto* program : {&plan_->init_program, &plan_->aux_program, &plan_->deriv_program}) {
      for (auto& instr : *program) {
        instr.dst = relocate(instr.dst);
        instr.a = relocate(instr.a);
        instr.b = relocate(instr.b);
        if (uses_operand(instr.op, 2)) instr.c = relocate(instr.c);
        instr.d = relocate(instr.d);
      }
    }
    for (auto* program : {&plan_->init_program, &plan_->aux_program, &plan_->deriv_program}) {
      for (auto& instr : *program) inline_constant(instr);
    }
    plan_->slot_var = slot_var_;
    for (std::uint32_t v = 0; v < vars_.size(); ++v) {
      const VarInfo& info = vars_[v];
      Variable var;
      var.name = info.decl->name;
      var.role = info.role;
      var.hidden = info.hidden;
      var.dims = info.dims;
      var.first_slot = info.first_slot;
      var.element_count = info.count;
      if (info.decl->unit) {
        var.unit = unit_text(*info.decl->unit);
      } else if (info.unit.checkable()) {
        var.unit = unit_text(info.unit.unit);
      }
      var.description = info.decl->description;
      var.source = info.decl->source;
      if (info.decl->distribution) {
        var.distribution = lang::print_distribution(*info.decl->distribution);
      }
      var.param_stream = info.param_stream;
      var.range_low = info.decl->range_low;
      var.range_high = info.decl->range_high;
      var.const_values = info.const_values;
      var.depends_on.assign(info.depends_on.begin(), info.depends_on.end());
      var.loc = info.decl->loc;
      plan_->variables.push_back(std::move(var));
    }
  }

  struct DelaySpec {
    std::string input;
    std::string init;
    Expr time;
  };

  std::shared_ptr<const lang::SourceSet> sources_;
  const DataSource* data_;
  lang::Diagnostics& diags_;
  std::shared_ptr<Plan> plan_;
  std::set<std::tuple<std::uint32_t, std::uint32_t, std::uint32_t, std::string>> reported_;

  std::unordered_map<std::string, std::uint32_t> dim_index_;
  std::vector<std::unordered_map<std::string, std::uint32_t>> element_index_;
  std::vector<SourceLoc> dim_locs_;
  std::set<std::string> failed_dims_;
  SourceLoc simulation_loc_;

  std::deque<VarDecl> decls_;
  std::set<std::string> hidden_names_;
  std::map<std::string, int> hidden_counter_;
  std::map<std::string, DelaySpec> delay_outputs_;
  std::vector<std::pair<VarDecl*, Expr>> smooth_times_;
  std::vector<VarInfo> vars_;
  std::unordered_map<std::string, std::uint32_t> var_index_;
  std::uint32_t next_slot_ = 0;

  std::unordered_map<std::uint64_t, std::uint32_t> constant_index_;
  std::map<std::tuple<SeriesKind, std::string, std::string>, std::uint32_t> series_index_;
  std::set<std::uint32_t> series_first_use_;  // scenario series met so far
  std::vector<Fragment> init_frags_, run_frags_;
  std::vector<bool> has_run_frag_;
  std::vector<std::uint32_t> slot_var_;
  std::size_t instruction_count_ = 0;
  std::size_t emit_work_ = 0;
  std::set<std::uint32_t> used_streams_;
  bool too_big_reported_ = false;
  bool const_failed_ = false;
};

}  // namespace

CompileResult compile_model(std::shared_ptr<const lang::SourceSet> sources,
                            const DataSource* data) {
  CompileResult result;
  result.sources = sources;
  lang::Model model = lang::parse_model(*sources, result.diagnostics);
  if (result.diagnostics.has_errors()) return result;
  Compiler compiler(sources, data, result.diagnostics);
  auto plan = compiler.compile(std::move(model));
  if (plan && !result.diagnostics.has_errors()) result.plan = std::move(plan);
  return result;
}

CompileResult compile_files(const std::vector<std::string>& paths, const DataSource* data) {
  auto sources = std::make_shared<lang::SourceSet>();
  for (const auto& file : lang::expand_model_paths(paths)) sources->add_file(file);
  return compile_model(std::move(sources), data);
}

CompileResult compile_text(const std::string& text, const DataSource* data,
                           const std::string& path) {
  auto sources = std::make_shared<lang::SourceSet>();
  sources->add_text(path, text);
  return compile_model(std::move(sources), data);
}

}  // namespace latwin::engine
