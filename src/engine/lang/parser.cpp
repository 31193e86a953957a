#include "engine/lang/parser.hpp"

#include <fmt/format.h>

#include <array>
#include <cctype>
#include <charconv>
#include <cmath>
#include <limits>
#include <set>
#include <string_view>

namespace latwin::lang {

namespace {

enum class Tok { kIdent, kNumber, kString, kPunct, kEnd, kBad };

struct Token {
  Tok kind = Tok::kEnd;
  std::string text;  // identifier, punctuation, or the decoded string
  double number = 0;
  SourceLoc loc;
  std::size_t offset = 0;  // byte offset of the token's first character
  bool space_before = false;
};

// Words that start or structure a declaration; they cannot name variables.
const std::set<std::string, std::less<>> kTopKeywords = {
    "dimension", "subset", "const", "param", "aux", "stock", "lookup", "simulation"};
const std::set<std::string, std::less<>> kReserved = {
    "dimension", "subset", "const",     "param", "aux",  "stock", "lookup", "simulation",
    "of",        "at",     "range",     "source", "inflow", "outflow", "truncated",
    "if",        "then",   "else",      "and",   "or",   "not",   "table"};

class Lexer {
 public:
  Lexer(const SourceFile& file, std::uint32_t file_idx) : text_(file.text), file_idx_(file_idx) {}

  Token next() {
    bool space = skip_space();
    Token tok;
    tok.space_before = space;
    tok.offset = pos_;
    tok.loc = {file_idx_, line_, col_};
    if (pos_ >= text_.size()) {
      tok.kind = Tok::kEnd;
      return tok;
    }
    char c = text_[pos_];
    if (std::isalpha(static_cast<unsigned char>(c)) || c == '_') {
      std::size_t begin = pos_;
      while (pos_ < text_.size() &&
             (std::isalnum(static_cast<unsigned char>(text_[pos_])) || text_[pos_] == '_')) {
        advance();
      }
      tok.kind = Tok::kIdent;
      tok.text = std::string(text_.substr(begin, pos_ - begin));
      return tok;
    }
    if (std::isdigit(static_cast<unsigned char>(c)) ||
        (c == '.' && pos_ + 1 < text_.size() &&
         std::isdigit(static_cast<unsigned char>(text_[pos_ + 1])))) {
      return lex_number(tok);
    }
    if (c == '"') return lex_string(tok);
    static constexpr std::array<std::string_view, 4> kTwoChar = {"==", "!=", "<=", ">="};
    for (auto op : kTwoChar) {
      if (text_.substr(pos_, 2) == op) {
        advance();
        advance();
        tok.kind = Tok::kPunct;
        tok.text = std::string(op);
        return tok;
      }
    }
    static constexpr std::string_view kOneChar = "()[]{},=<>+-*/^~.:";
    if (kOneChar.find(c) != std::string_view::npos) {
      advance();
      tok.kind = Tok::kPunct;
      tok.text = std::string(1, c);
      return tok;
    }
    advance();
    tok.kind = Tok::kBad;
    tok.text = (static_cast<unsigned char>(c) >= 32 && static_cast<unsigned char>(c) < 127)
                   ? std::string(1, c)
                   : fmt::format("\\x{:02x}", static_cast<unsigned char>(c));
    return tok;
  }

  // Raw text up to the next ']' on the same line, for units; the ']' is consumed.
  std::optional<std::string> raw_until_bracket() {
    std::size_t begin = pos_;
    while (pos_ < text_.size() && text_[pos_] != ']' && text_[pos_] != '\n') advance();
    if (pos_ >= text_.size() || text_[pos_] != ']') return std::nullopt;
    std::string raw(text_.substr(begin, pos_ - begin));
    advance();
    return raw;
  }

  std::size_t position() const { return pos_; }
  SourceLoc loc() const { return {file_idx_, line_, col_}; }

  struct Mark {
    std::size_t pos;
    std::uint32_t line, col;
  };
  Mark mark() const { return {pos_, line_, col_}; }
  void reset(Mark m) {
    pos_ = m.pos;
    line_ = m.line;
    col_ = m.col;
  }

  std::string error;  // set by lex_number / lex_string on malformed input

 private:
  void advance() {
    if (text_[pos_] == '\n') {
      ++line_;
      col_ = 1;
    } else {
      ++col_;
    }
    ++pos_;
  }

  bool skip_space() {
    bool any = false;
    while (pos_ < text_.size()) {
      char c = text_[pos_];
      if (c == '#') {
        while (pos_ < text_.size() && text_[pos_] != '\n') advance();
        any = true;
      } else if (std::isspace(static_cast<unsigned char>(c))) {
        advance();
        any = true;
      } else {
        break;
      }
    }
    return any;
  }

  Token lex_number(Token tok) {
    std::size_t begin = pos_;
    auto digits = [&] {
      while (pos_ < text_.size() && std::isdigit(static_cast<unsigned char>(text_[pos_]))) {
        advance();
      }
    };
    digits();
    if (pos_ < text_.size() && text_[pos_] == '.' &&
        !(pos_ + 1 < text_.size() && text_[pos_ + 1] == '.')) {
      advance();
      digits();
    }
    if (pos_ < text_.size() && (text_[pos_] == 'e' || text_[pos_] == 'E')) {
      std::size_t save_pos = pos_;
      auto save = mark();
      advance();
      if (pos_ < text_.size() && (text_[pos_] == '+' || text_[pos_] == '-')) advance();
      if (pos_ < text_.size() && std::isdigit(static_cast<unsigned char>(text_[pos_]))) {
        digits();
      } else {
        reset(save);
        pos_ = save_pos;
      }
    }
    std::string_view literal = text_.substr(begin, pos_ - begin);
    double value = 0;
    auto [ptr, ec] = std::from_chars(literal.data(), literal.data() + literal.size(), value);
    tok.kind = Tok::kNumber;
    tok.text = std::string(literal);
    if (ec != std::errc() || ptr != literal.data() + literal.size() || !std::isfinite(value)) {
      tok.kind = Tok::kBad;
      error = fmt::format("number '{}' is out of range", literal);
    }
    tok.number = value;
    return tok;
  }

  Token lex_string(Token tok) {
    advance();  // opening quote
    std::string value;
    while (pos_ < text_.size() && text_[pos_] != '"' && text_[pos_] != '\n') {
      if (text_[pos_] == '\\' && pos_ + 1 < text_.size() &&
          (text_[pos_ + 1] == '"' || text_[pos_ + 1] == '\\')) {
        advance();
      }
      value += text_[pos_];
      advance();
    }
    if (pos_ >= text_.size() || text_[pos_] != '"') {
      tok.kind = Tok::kBad;
      error = "text in quotes is not closed on this line (expected '\"')";
      return tok;
    }
    advance();
    tok.kind = Tok::kString;
    tok.text = std::move(value);
    return tok;
  }

  std::string_view text_;
  std::uint32_t file_idx_;
  std::size_t pos_ = 0;
  std::uint32_t line_ = 1;
  std::uint32_t col_ = 1;
};

// Thrown inside the parser to unwind to the declaration loop, which resynchronises.
struct SyntaxError {
  SourceLoc loc;
  std::string message;
};

std::string describe(const Token& tok) {
  switch (tok.kind) {
    case Tok::kEnd:
      return "end of file";
    case Tok::kIdent:
      return fmt::format("'{}'", tok.text);
    case Tok::kNumber:
      return fmt::format("number {}", tok.text);
    case Tok::kString:
      return "text in quotes";
    case Tok::kPunct:
      return fmt::format("'{}'", tok.text);
    case Tok::kBad:
      return fmt::format("unexpected character '{}'", tok.text);
  }
  return "?";
}

class Parser {
 public:
  Parser(const SourceFile& file, std::uint32_t file_idx, Model& model, Diagnostics& diags)
      : lexer_(file, file_idx), model_(model), diags_(diags) {
    shift();
  }

  void parse() {
    while (tok_.kind != Tok::kEnd) {
      try {
        declaration();
      } catch (const SyntaxError& err) {
        diags_.error(err.loc, err.message);
        synchronize();
      }
    }
  }

 private:
  // The next token; lexer errors become syntax errors here so they carry a position.
  void shift() {
    prev_ = std::move(tok_);
    tok_ = lexer_.next();
    if (tok_.kind == Tok::kBad && !lexer_.error.empty()) {
      std::string message = std::move(lexer_.error);
      lexer_.error.clear();
      diags_.error(tok_.loc, message);
    }
  }

  [[noreturn]] void fail(const std::string& expected) const {
    throw SyntaxError{tok_.loc, fmt::format("expected {}, found {}", expected, describe(tok_))};
  }

  bool is_punct(std::string_view p) const { return tok_.kind == Tok::kPunct && tok_.text == p; }
  bool is_word(std::string_view w) const { return tok_.kind == Tok::kIdent && tok_.text == w; }
  bool at_top_keyword() const { return tok_.kind == Tok::kIdent && kTopKeywords.count(tok_.text); }

  void expect_punct(std::string_view p) {
    if (!is_punct(p)) fail(fmt::format("'{}'", p));
    shift();
  }
  void expect_word(std::string_view w) {
    if (!is_word(w)) fail(fmt::format("'{}'", w));
    shift();
  }

  std::string name(std::string_view what) {
    if (tok_.kind != Tok::kIdent) fail(std::string(what));
    if (kReserved.count(tok_.text)) {
      throw SyntaxError{tok_.loc, fmt::format("'{}' is a reserved word and cannot be used as {}",
                                              tok_.text, what)};
    }
    std::string text = tok_.text;
    shift();
    return text;
  }

  std::string string_literal(std::string_view what) {
    if (tok_.kind != Tok::kString) fail(std::string(what));
    std::string text = tok_.text;
    shift();
    return text;
  }

  // Skips to the next token that starts a declaration, so later errors are reported too.
  void synchronize() {
    if (tok_.kind != Tok::kEnd) shift();
    while (tok_.kind != Tok::kEnd && !at_top_keyword()) shift();
  }

  void declaration() {
    if (tok_.kind != Tok::kIdent || !kTopKeywords.count(tok_.text)) {
      fail("a declaration (dimension, subset, const, param, aux, stock, lookup or simulation)");
    }
    std::string keyword = tok_.text;
    SourceLoc loc = tok_.loc;
    shift();
    if (keyword == "dimension" || keyword == "subset") {
      dimension(keyword == "subset", loc);
    } else if (keyword == "simulation") {
      simulation(loc);
    } else {
      variable(keyword, loc);
    }
  }

  void dimension(bool is_subset, SourceLoc loc) {
    DimensionDecl decl;
    decl.loc = loc;
    decl.name = name(is_subset ? "a subset name" : "a dimension name");
    if (is_subset) {
      expect_word("of");
      decl.parent = name("the name of the dimension this is a subset of");
    }
    expect_punct("=");
    if (is_punct("{")) {
      shift();
      if (!is_punct("}")) {
        decl.elements.push_back(name("an element name"));
        while (is_punct(",")) {
          shift();
          decl.elements.push_back(name("an element name"));
        }
      }
      expect_punct("}");
    } else if (is_word("table")) {
      shift();
      expect_punct("(");
      decl.table = string_literal("the table's name in quotes, e.g. \"countries\"");
      if (is_punct(",")) {
        shift();
        decl.filter_column = name("a column name");
        expect_punct("=");
        decl.filter_value = string_literal("the column value in quotes");
      }
      expect_punct(")");
    } else {
      fail("'{' with element names, or table(\"...\")");
    }
    if (tok_.kind == Tok::kString) decl.description = string_literal("a description");
    model_.dimensions.push_back(std::move(decl));
  }

  void simulation(SourceLoc loc) {
    SimulationDecl decl;
    decl.loc = loc;
    while (tok_.kind == Tok::kIdent && !at_top_keyword()) {
      std::string key = tok_.text;
      SourceLoc key_loc = tok_.loc;
      shift();
      expect_punct("=");
      if (key == "method") {
        std::string method = tok_.kind == Tok::kIdent ? tok_.text : "";
        if (method == "euler") {
          decl.method = Method::kEuler;
        } else if (method == "rk4") {
          decl.method = Method::kRk4;
        } else {
          fail("'euler' or 'rk4'");
        }
        shift();
        continue;
      }
      double value = signed_number();
      if (key == "start") {
        decl.start = value;
      } else if (key == "stop") {
        decl.stop = value;
      } else if (key == "dt") {
        decl.dt = value;
      } else if (key == "save_every") {
        decl.save_every = value;
      } else {
        throw SyntaxError{key_loc, fmt::format("unknown simulation setting '{}' (expected start, "
                                               "stop, dt, method or save_every)",
                                               key)};
      }
    }
    model_.simulations.push_back(decl);
  }

  double signed_number() {
    bool negative = false;
    if (is_punct("-")) {
      negative = true;
      shift();
    }
    double value = 0;
    if (tok_.kind == Tok::kNumber) {
      value = tok_.number;
    } else if (is_word("inf")) {
      value = std::numeric_limits<double>::infinity();
    } else {
      fail("a number");
    }
    shift();
    return negative ? -value : value;
  }

  std::optional<Unit> unit_in_brackets() {
    SourceLoc loc = tok_.loc;
    // The lexer has already read the token after '['; re-read the raw text from there.
    lexer_.reset(after_bracket_);
    auto raw = lexer_.raw_until_bracket();
    if (!raw) throw SyntaxError{loc, "unit is not closed with ']' on this line"};
    auto unit = parse_unit(*raw);
    if (!unit) {
      throw SyntaxError{loc, fmt::format("'{}' is not a unit (expected e.g. [person], "
                                         "[USD/person/year], [1/year] or [1])",
                                         *raw)};
    }
    shift();
    return unit;
  }

  // After '[': dimension names, or a unit when the '[' is not glued to the name before it.
  bool bracket_is_dims() const { return is_punct("[") && !tok_.space_before; }

  void variable(const std::string& keyword, SourceLoc loc) {
    VarDecl decl;
    decl.loc = loc;
    decl.kind = keyword == "const"   ? VarKind::kConst
                : keyword == "param" ? VarKind::kParam
                : keyword == "aux"   ? VarKind::kAux
                : keyword == "stock" ? VarKind::kStock
                                     : VarKind::kLookup;
    decl.name = name("a variable name");
    if (bracket_is_dims()) {
      if (decl.kind == VarKind::kLookup) {
        throw SyntaxError{tok_.loc, "lookups have no dimensions"};
      }
      shift();
      decl.dims.push_back(name("a dimension name"));
      while (is_punct(",")) {
        shift();
        decl.dims.push_back(name("a dimension name"));
      }
      if (decl.dims.size() > 2) {
        throw SyntaxError{decl.loc, "variables have at most two dimensions"};
      }
      expect_punct("]");
    }
    if (is_punct("[")) {
      rewind_to_after_bracket();
      decl.unit = unit_in_brackets();
    }
    if (decl.kind == VarKind::kLookup) {
      lookup_points(decl);
    } else if (is_punct("=")) {
      shift();
      decl.value = expression();
    } else if (decl.kind != VarKind::kParam) {
      fail(fmt::format("'=' and the {} of '{}'",
                       decl.kind == VarKind::kStock ? "initial value" : "value", decl.name));
    }
    clauses(decl);
    if (decl.kind == VarKind::kParam && !decl.value && !decl.distribution) {
      throw SyntaxError{decl.loc, fmt::format("parameter '{}' needs a value ('= ...') or a "
                                              "distribution ('~ normal(...)')",
                                              decl.name)};
    }
    model_.variables.push_back(std::move(decl));
  }

  // The lexer is one token ahead: it has consumed the token after '['. Move it back to
  // just after the '[' so the unit can be read as raw text.
  void rewind_to_after_bracket() {
    Lexer::Mark m{tok_.offset + 1, tok_.loc.line, tok_.loc.col + 1};
    lexer_.reset(m);
    after_bracket_ = m;
  }

  void lookup_points(VarDecl& decl) {
    expect_punct("=");
    do {
      if (!decl.points.empty()) shift();  // the ',' between points
      SourceLoc point_loc = tok_.loc;
      expect_punct("(");
      double x = signed_number();
      expect_punct(",");
      double y = signed_number();
      expect_punct(")");
      if (!decl.points.empty() && !(x > decl.points.back().first)) {
        throw SyntaxError{point_loc, fmt::format("lookup x values must increase ({} follows {})",
                                                 x, decl.points.back().first)};
      }
      if (!std::isfinite(x) || !std::isfinite(y)) {
        throw SyntaxError{point_loc, "lookup points must be finite numbers"};
      }
      decl.points.emplace_back(x, y);
    } while (is_punct(","));
    if (decl.points.empty()) fail("at least one point (x, y)");
  }

  void clauses(VarDecl& decl) {
    while (true) {
      if (tok_.kind == Tok::kString) {
        if (!decl.description.empty()) {
          throw SyntaxError{tok_.loc, "the description is given twice"};
        }
        decl.description = string_literal("a description");
      } else if (is_word("source")) {
        shift();
        decl.source = string_literal("the source in quotes");
      } else if (is_word("range")) {
        if (decl.kind != VarKind::kStock && decl.kind != VarKind::kAux) {
          throw SyntaxError{tok_.loc, "only stocks and auxiliaries take a range"};
        }
        shift();
        expect_punct("[");
        decl.range_low = signed_number();
        expect_punct(",");
        decl.range_high = signed_number();
        expect_punct("]");
        if (!(*decl.range_low <= *decl.range_high)) {
          throw SyntaxError{prev_.loc, "range must be [low, high] with low <= high"};
        }
      } else if (is_punct("~")) {
        if (decl.kind != VarKind::kParam) {
          throw SyntaxError{tok_.loc, "only parameters take an uncertainty distribution"};
        }
        shift();
        decl.distribution = distribution();
      } else if (is_word("at")) {
        if (decl.dims.empty()) {
          throw SyntaxError{tok_.loc, "'at' sets values for some elements; this variable has no "
                                      "dimension"};
        }
        ElementOverride over;
        over.loc = tok_.loc;
        shift();
        over.targets.push_back(element_target());
        while (is_punct(",")) {
          shift();
          over.targets.push_back(element_target());
        }
        expect_punct("=");
        over.value = expression();
        decl.overrides.push_back(std::move(over));
      } else if (is_word("inflow") || is_word("outflow")) {
        if (decl.kind != VarKind::kStock) {
          throw SyntaxError{tok_.loc, "only stocks have inflows and outflows"};
        }
        bool inflow = tok_.text == "inflow";
        shift();
        FlowRef flow;
        flow.loc = tok_.loc;
        flow.name = name("the flow's name");
        if (is_punct("[")) {
          rewind_to_after_bracket();
          flow.unit = unit_in_brackets();
        }
        if (is_punct("=")) {
          shift();
          flow.equation = expression();
          if (tok_.kind == Tok::kString) flow.description = string_literal("a description");
        } else if (flow.unit) {
          fail("'=' and the flow's equation");
        }
        (inflow ? decl.inflows : decl.outflows).push_back(std::move(flow));
      } else {
        break;
      }
    }
    if (!at_top_keyword() && tok_.kind != Tok::kEnd) {
      fail(fmt::format("the end of '{}' (a description, source, range, at, inflow, outflow) or "
                       "the next declaration",
                       decl.name));
    }
  }

  std::string element_target() {
    std::string target = name("an element or subset name");
    if (is_punct(".")) {
      shift();
      target += ".";
      target += name("an element or subset name");
    }
    return target;
  }

  Distribution distribution() {
    Distribution dist;
    dist.loc = tok_.loc;
    if (tok_.kind != Tok::kIdent) fail("a distribution");
    const std::string& kind = tok_.text;
    std::size_t arity = 0;
    if (kind == "normal") {
      dist.kind = DistKind::kNormal;
      arity = 2;
    } else if (kind == "lognormal") {
      dist.kind = DistKind::kLognormal;
      arity = 2;
    } else if (kind == "uniform") {
      dist.kind = DistKind::kUniform;
      arity = 2;
    } else if (kind == "triangular") {
      dist.kind = DistKind::kTriangular;
      arity = 3;
    } else if (kind == "beta") {
      dist.kind = DistKind::kBeta;
      arity = 2;
    } else {
      fail("a distribution: normal, lognormal, uniform, triangular or beta");
    }
    std::string kind_name = kind;
    shift();
    expect_punct("(");
    dist.args.push_back(expression());
    while (is_punct(",")) {
      shift();
      dist.args.push_back(expression());
    }
    expect_punct(")");
    bool beta_scaled = dist.kind == DistKind::kBeta && dist.args.size() == 4;
    if (dist.args.size() != arity && !beta_scaled) {
      throw SyntaxError{dist.loc,
                        fmt::format("{} takes {} arguments{}, found {}", kind_name, arity,
                                    dist.kind == DistKind::kBeta ? " (or 4: a, b, low, high)" : "",
                                    dist.args.size())};
    }
    if (is_word("truncated")) {
      shift();
      expect_punct("[");
      dist.truncate_low = expression();
      expect_punct(",");
      dist.truncate_high = expression();
      expect_punct("]");
    }
    return dist;
  }

  // ---- expressions, by precedence ----

  struct DepthGuard {
    explicit DepthGuard(Parser& p) : parser(p) {
      if (++parser.depth_ > kMaxNesting) {
        throw SyntaxError{parser.tok_.loc,
                          fmt::format("expression nested more than {} levels deep", kMaxNesting)};
      }
    }
    ~DepthGuard() { --parser.depth_; }
    Parser& parser;
  };

  Expr expression() {
    DepthGuard guard(*this);
    return or_expr();
  }

  static Expr binary(BinaryOp op, Expr lhs, Expr rhs, SourceLoc loc) {
    Expr e;
    e.kind = ExprKind::kBinary;
    e.binary_op = op;
    e.loc = loc;
    e.args.push_back(std::move(lhs));
    e.args.push_back(std::move(rhs));
    return e;
  }

  Expr or_expr() {
    Expr lhs = and_expr();
    while (is_word("or")) {
      SourceLoc loc = tok_.loc;
      shift();
      DepthGuard guard(*this);
      lhs = binary(BinaryOp::kOr, std::move(lhs), and_expr(), loc);
    }
    return lhs;
  }

  Expr and_expr() {
    Expr lhs = not_expr();
    while (is_word("and")) {
      SourceLoc loc = tok_.loc;
      shift();
      DepthGuard guard(*this);
      lhs = binary(BinaryOp::kAnd, std::move(lhs), not_expr(), loc);
    }
    return lhs;
  }

  Expr not_expr() {
    if (is_word("not")) {
      DepthGuard guard(*this);
      Expr e;
      e.kind = ExprKind::kUnary;
      e.unary_op = UnaryOp::kNot;
      e.loc = tok_.loc;
      shift();
      e.args.push_back(not_expr());
      return e;
    }
    return comparison();
  }

  Expr comparison() {
    Expr lhs = additive();
    static const std::array<std::pair<std::string_view, BinaryOp>, 6> kOps = {{
        {"==", BinaryOp::kEq},
        {"!=", BinaryOp::kNe},
        {"<", BinaryOp::kLt},
        {"<=", BinaryOp::kLe},
        {">", BinaryOp::kGt},
        {">=", BinaryOp::kGe},
    }};
    for (auto [text, op] : kOps) {
      if (is_punct(text)) {
        SourceLoc loc = tok_.loc;
        shift();
        Expr rhs = additive();
        for (auto [text2, op2] : kOps) {
          (void)op2;
          if (is_punct(text2)) {
            throw SyntaxError{tok_.loc, "comparisons do not chain; write (a < b) and (b < c)"};
          }
        }
        return binary(op, std::move(lhs), std::move(rhs), loc);
      }
    }
    return lhs;
  }

  Expr additive() {
    Expr lhs = multiplicative();
    while (is_punct("+") || is_punct("-")) {
      BinaryOp op = tok_.text == "+" ? BinaryOp::kAdd : BinaryOp::kSub;
      SourceLoc loc = tok_.loc;
      shift();
      DepthGuard guard(*this);
      lhs = binary(op, std::move(lhs), multiplicative(), loc);
    }
    return lhs;
  }

  Expr multiplicative() {
    Expr lhs = unary();
    while (is_punct("*") || is_punct("/")) {
      BinaryOp op = tok_.text == "*" ? BinaryOp::kMul : BinaryOp::kDiv;
      SourceLoc loc = tok_.loc;
      shift();
      DepthGuard guard(*this);
      lhs = binary(op, std::move(lhs), unary(), loc);
    }
    return lhs;
  }

  Expr unary() {
    if (is_punct("-")) {
      DepthGuard guard(*this);
      Expr e;
      e.kind = ExprKind::kUnary;
      e.unary_op = UnaryOp::kNeg;
      e.loc = tok_.loc;
      shift();
      e.args.push_back(unary());
      return e;
    }
    return power();
  }

  Expr power() {
    Expr base = primary();
    if (is_punct("^")) {
      SourceLoc loc = tok_.loc;
      shift();
      DepthGuard guard(*this);
      return binary(BinaryOp::kPow, std::move(base), unary(), loc);
    }
    return base;
  }

  Expr primary() {
    DepthGuard guard(*this);
    Expr e;
    e.loc = tok_.loc;
    if (tok_.kind == Tok::kNumber) {
      e.kind = ExprKind::kNumber;
      e.number = tok_.number;
      shift();
      return e;
    }
    if (tok_.kind == Tok::kString) {
      e.kind = ExprKind::kString;
      e.text = tok_.text;
      shift();
      return e;
    }
    if (is_punct("(")) {
      shift();
      Expr inner = expression();
      expect_punct(")");
      return inner;
    }
    if (is_word("if")) {
      e.kind = ExprKind::kIf;
      shift();
      e.args.push_back(expression());
      expect_word("then");
      e.args.push_back(expression());
      expect_word("else");
      e.args.push_back(expression());
      return e;
    }
    if (tok_.kind == Tok::kIdent && !kReserved.count(tok_.text)) {
      e.text = tok_.text;
      shift();
      if (is_punct("(")) {
        e.kind = ExprKind::kCall;
        shift();
        if (!is_punct(")")) {
          e.args.push_back(expression());
          while (is_punct(",")) {
            shift();
            e.args.push_back(expression());
          }
        }
        expect_punct(")");
        return e;
      }
      e.kind = ExprKind::kName;
      if (is_punct("[")) {
        shift();
        e.indices.push_back(name("an element or dimension name"));
        while (is_punct(",")) {
          shift();
          e.indices.push_back(name("an element or dimension name"));
        }
        expect_punct("]");
        if (e.indices.size() > 2) {
          throw SyntaxError{e.loc, "variables have at most two dimensions"};
        }
      }
      return e;
    }
    fail("a number, a name, '(' or 'if'");
  }

  Lexer lexer_;
  Model& model_;
  Diagnostics& diags_;
  Token tok_;
  Token prev_;
  Lexer::Mark after_bracket_{0, 1, 1};
  int depth_ = 0;
};

}  // namespace

void parse_file(const SourceSet& sources, std::uint32_t file_idx, Model& model,
                Diagnostics& diags) {
  Parser parser(sources.file(file_idx), file_idx, model, diags);
  parser.parse();
}

Model parse_model(const SourceSet& sources, Diagnostics& diags) {
  Model model;
  for (std::uint32_t i = 0; i < sources.size(); ++i) parse_file(sources, i, model, diags);
  return model;
}

std::optional<Unit> parse_unit(std::string_view text) {
  // unit := factor (('*' | '/') factor)* ; factor := atom ('^' int)? ; atom := name | '1'
  Unit unit;
  std::size_t pos = 0;
  auto skip = [&] {
    while (pos < text.size() && (text[pos] == ' ' || text[pos] == '\t')) ++pos;
  };
  auto atom_char = [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '%' || c == '$';
  };
  int sign = 1;
  bool first = true;
  while (true) {
    skip();
    if (!first) {
      if (pos >= text.size()) break;
      if (text[pos] == '*') {
        sign = 1;
      } else if (text[pos] == '/') {
        sign = -1;
      } else {
        return std::nullopt;
      }
      ++pos;
      skip();
    }
    first = false;
    std::size_t begin = pos;
    while (pos < text.size() && atom_char(text[pos])) ++pos;
    std::string atom(text.substr(begin, pos - begin));
    if (atom.empty()) return std::nullopt;
    skip();
    int exponent = 1;
    if (pos < text.size() && text[pos] == '^') {
      ++pos;
      skip();
      bool negative = false;
      if (pos < text.size() && text[pos] == '-') {
        negative = true;
        ++pos;
      }
      std::size_t digits_begin = pos;
      while (pos < text.size() && std::isdigit(static_cast<unsigned char>(text[pos]))) ++pos;
      if (pos == digits_begin || pos - digits_begin > 2) return std::nullopt;
      exponent = std::stoi(std::string(text.substr(digits_begin, pos - digits_begin)));
      if (negative) exponent = -exponent;
    }
    bool all_digits = true;
    for (char c : atom) all_digits = all_digits && std::isdigit(static_cast<unsigned char>(c));
    if (atom == "1" || atom == "dmnl") continue;  // dimensionless factors
    if (all_digits) return std::nullopt;          // scale factors are not units
    int& slot = unit[atom];
    slot += sign * exponent;
    if (slot == 0) unit.erase(atom);
  }
  return unit;
}

}  // namespace latwin::lang
