#include "engine/lang/parser.hpp"

#include <fmt/format.h>

#include <algorithm>
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
  std::string text;     // identifier, punctuation, the decoded string, or the bad characters
  std::string message;  // kBad only: what is wrong, when the lexer knows better than "found X"
  double number = 0;
  SourceLoc loc;
  SourceLoc end;           // just after the token's last character
  std::size_t offset = 0;  // byte offset of the token's first character
  bool space_before = false;
  bool line_start = false;  // first token on its line
};

// Words that start a declaration; they cannot name variables.
const std::set<std::string, std::less<>> kTopKeywords = {
    "dimension", "subset", "const", "param", "aux", "stock", "lookup", "simulation"};
const std::vector<std::string> kTopKeywordList(kTopKeywords.begin(), kTopKeywords.end());
// Words that structure a declaration or an expression; they cannot name anything either.
const std::set<std::string, std::less<>> kReserved = {
    "dimension", "subset", "const", "param",  "aux",    "stock",   "lookup",    "simulation",
    "of",        "at",     "range", "source", "inflow", "outflow", "truncated", "if",
    "then",      "else",   "and",   "or",     "not",    "table"};

constexpr const char* kDeclarationList =
    "dimension, subset, const, param, aux, stock, lookup or simulation";

// Long tokens (a 10 000-digit number, a runaway unit) are cut in messages.
std::string shorten(std::string_view text) {
  constexpr std::size_t kMax = 40;
  if (text.size() <= kMax) return std::string(text);
  std::size_t cut = kMax;
  // Do not cut a UTF-8 sequence in half.
  while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;
  return std::string(text.substr(0, cut)) + "...";
}

class Lexer {
 public:
  Lexer(const SourceFile& file, std::uint32_t file_idx) : text_(file.text), file_idx_(file_idx) {
    // A UTF-8 byte order mark, as some Windows editors write, is not part of the model.
    if (text_.substr(0, 3) == "\xEF\xBB\xBF") pos_ = 3;
  }

  Token next() {
    Token tok = lex();
    tok.end = loc();
    return tok;
  }

  SourceLoc loc() const { return {file_idx_, line_, col_}; }

  // Raw text up to the next ']' on the same line, for units; the ']' is consumed.
  std::optional<std::string> raw_until_bracket() {
    std::size_t begin = pos_;
    while (pos_ < text_.size() && text_[pos_] != ']' && text_[pos_] != '\n') advance();
    last_token_line_ = line_;
    if (pos_ >= text_.size() || text_[pos_] != ']') return std::nullopt;
    std::string raw(text_.substr(begin, pos_ - begin));
    advance();
    return raw;
  }

  struct Mark {
    std::size_t pos;
    std::uint32_t line, col;
  };
  void reset(Mark m) {
    pos_ = m.pos;
    line_ = m.line;
    col_ = m.col;
  }

 private:
  Token lex() {
    bool space = skip_space();
    Token tok;
    tok.space_before = space;
    tok.offset = pos_;
    tok.loc = {file_idx_, line_, col_};
    tok.line_start = line_ != last_token_line_;
    last_token_line_ = line_;
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
      return lex_number(std::move(tok));
    }
    if (c == '"') return lex_string(std::move(tok));
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
    tok.kind = Tok::kBad;
    auto byte = static_cast<unsigned char>(c);
    if (byte >= 32 && byte < 127) {
      tok.text = fmt::format("'{}'", c);
      advance();
    } else if (byte >= 0xC2 && byte <= 0xF4) {
      // A UTF-8 sequence: show it whole, so the analyst sees the letter they typed.
      std::size_t begin = pos_;
      advance();
      while (pos_ < text_.size() && pos_ - begin < 4 &&
             (static_cast<unsigned char>(text_[pos_]) & 0xC0) == 0x80) {
        advance();
      }
      tok.text = fmt::format("'{}' (names use only ASCII letters, digits and '_')",
                             text_.substr(begin, pos_ - begin));
    } else {
      tok.text = fmt::format("the byte 0x{:02x}", byte);
      advance();
    }
    return tok;
  }

  Mark mark() const { return {pos_, line_, col_}; }

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
    bool negative_exponent = false;
    if (pos_ < text_.size() && (text_[pos_] == 'e' || text_[pos_] == 'E')) {
      auto save = mark();
      advance();
      if (pos_ < text_.size() && (text_[pos_] == '+' || text_[pos_] == '-')) {
        negative_exponent = text_[pos_] == '-';
        advance();
      }
      if (pos_ < text_.size() && std::isdigit(static_cast<unsigned char>(text_[pos_]))) {
        digits();
      } else {
        reset(save);  // "2e" followed by a name: the number ends before the 'e'
        negative_exponent = false;
      }
    }
    std::string_view literal = text_.substr(begin, pos_ - begin);
    double value = 0;
    auto [ptr, ec] = std::from_chars(literal.data(), literal.data() + literal.size(), value);
    tok.kind = Tok::kNumber;
    tok.text = shorten(literal);
    if (ec != std::errc() || ptr != literal.data() + literal.size() || !std::isfinite(value)) {
      tok.kind = Tok::kBad;
      tok.message =
          negative_exponent
              ? fmt::format(
                    "number {} is too close to zero to represent (the smallest is about "
                    "5e-324); write 0 if you mean zero",
                    tok.text)
              : fmt::format("number {} is too large (the largest is about 1.8e308)", tok.text);
      value = 0;
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
      tok.text = "text in quotes";
      tok.message =
          "missing '\"' to close this text; text in quotes must end on the line it starts";
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
  std::uint32_t last_token_line_ = 0;
};

// Thrown inside the parser to unwind to the declaration loop, which resynchronises.
struct SyntaxError {
  SourceLoc loc;
  std::string message;
};

std::string describe(const Token& tok) {
  switch (tok.kind) {
    case Tok::kEnd:
      return "the end of the file";
    case Tok::kIdent:
      return fmt::format("'{}'", shorten(tok.text));
    case Tok::kNumber:
      return fmt::format("number {}", tok.text);
    case Tok::kString:
      return "text in quotes";
    case Tok::kPunct:
      return fmt::format("'{}'", tok.text);
    case Tok::kBad:
      return tok.text;
  }
  return "?";
}

const char* kind_word(VarKind kind) {
  switch (kind) {
    case VarKind::kConst:
      return "a const";
    case VarKind::kParam:
      return "a param";
    case VarKind::kAux:
      return "an aux";
    case VarKind::kStock:
      return "a stock";
    case VarKind::kLookup:
      return "a lookup";
  }
  return "?";
}

// An expression with the height of its tree (a leaf is 1), so the parser can refuse trees
// deeper than kMaxNesting: later passes walk them recursively.
struct Node {
  Expr expr;
  int height = 1;
};

class Parser {
 public:
  Parser(const SourceFile& file, std::uint32_t file_idx, Model& model, Diagnostics& diags)
      : lexer_(file, file_idx), model_(model), diags_(diags) {
    shift();
  }

  void parse() {
    int errors = 0;
    while (tok_.kind != Tok::kEnd) {
      try {
        declaration();
      } catch (const SyntaxError& err) {
        if (++errors > kMaxErrorsPerFile) {
          diags_.error(err.loc, fmt::format("more than {} errors in this file; stopping here",
                                            kMaxErrorsPerFile));
          return;
        }
        diags_.error(err.loc, err.message);
        synchronize();
      }
    }
  }

 private:
  void shift() {
    prev_ = std::move(tok_);
    tok_ = lexer_.next();
  }

  [[noreturn]] void fail(const std::string& expected) const {
    // A malformed token (unclosed text, a number out of range) is the real problem.
    if (tok_.kind == Tok::kBad && !tok_.message.empty()) throw SyntaxError{tok_.loc, tok_.message};
    throw SyntaxError{here(), fmt::format("expected {}, found {}", expected, describe(tok_))};
  }

  // Where a message about the current token points: the token, or at the end of the file
  // just after the last token, where something is missing.
  SourceLoc here() const {
    return tok_.kind == Tok::kEnd && prev_.end.line > 0 ? prev_.end : tok_.loc;
  }

  bool is_punct(std::string_view p) const { return tok_.kind == Tok::kPunct && tok_.text == p; }
  bool is_word(std::string_view w) const { return tok_.kind == Tok::kIdent && tok_.text == w; }
  bool at_top_keyword() const { return tok_.kind == Tok::kIdent && kTopKeywords.count(tok_.text); }
  // A declaration keyword first on its line: where error recovery resumes.
  bool at_declaration_start() const { return at_top_keyword() && tok_.line_start; }

  void expect_punct(std::string_view p) {
    if (!is_punct(p)) fail(fmt::format("'{}'", p));
    shift();
  }
  void expect_punct(std::string_view p, std::string_view what) {
    if (!is_punct(p)) fail(std::string(what));
    shift();
  }

  std::string name(std::string_view what) {
    if (tok_.kind != Tok::kIdent || at_declaration_start()) fail(std::string(what));
    if (kReserved.count(tok_.text)) reserved_word(what);
    std::string text = tok_.text;
    shift();
    return text;
  }

  // A reserved word where a name belongs. It is skipped, so that recovery does not take a
  // declaration keyword in the middle of a line for the start of the next declaration.
  [[noreturn]] void reserved_word(std::string_view what) {
    SyntaxError err{
        tok_.loc, fmt::format("'{}' is a reserved word and cannot be used as {}", tok_.text, what)};
    shift();
    throw err;
  }

  std::string string_literal(std::string_view what) {
    if (tok_.kind != Tok::kString) fail(std::string(what));
    std::string text = tok_.text;
    shift();
    return text;
  }

  // Skips to the next declaration keyword that starts a line, so later errors are reported
  // too. Always makes progress: an error is never raised on the keyword that began the
  // failed declaration, which has been consumed.
  void synchronize() {
    while (tok_.kind != Tok::kEnd && !at_declaration_start()) shift();
  }

  [[noreturn]] void not_a_declaration() const {
    if (tok_.kind == Tok::kIdent) {
      std::string hint = closest_name(tok_.text, kTopKeywordList);
      if (!hint.empty()) {
        throw SyntaxError{tok_.loc, fmt::format("'{}' does not start a declaration (did you mean "
                                                "'{}'?)",
                                                shorten(tok_.text), hint)};
      }
      throw SyntaxError{tok_.loc, fmt::format("'{}' does not start a declaration (expected {})",
                                              shorten(tok_.text), kDeclarationList)};
    }
    fail(fmt::format("a declaration ({})", kDeclarationList));
  }

  void declaration() {
    if (!at_top_keyword()) not_a_declaration();
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
      if (!is_word("of"))
        fail(fmt::format("'of' and the dimension '{}' is a subset of", decl.name));
      shift();
      decl.parent = name("the name of the dimension this is a subset of");
    }
    expect_punct("=", fmt::format("'=' and the elements of '{}'", decl.name));
    if (is_punct("{")) {
      shift();
      if (!is_punct("}")) {
        decl.elements.push_back(name("an element name"));
        while (is_punct(",")) {
          shift();
          decl.elements.push_back(name("an element name"));
        }
      }
      expect_punct("}", "',' or '}'");
    } else if (is_word("table")) {
      shift();
      expect_punct("(");
      SourceLoc table_loc = tok_.loc;
      decl.table = string_literal("the table's name in quotes, e.g. \"countries\"");
      if (decl.table.empty()) throw SyntaxError{table_loc, "the table's name is empty"};
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
    if (tok_.kind != Tok::kEnd && !at_top_keyword()) {
      end_of_declaration(decl.name, "a description or the next declaration");
    }
    model_.dimensions.push_back(std::move(decl));
  }

  void simulation(SourceLoc loc) {
    SimulationDecl decl;
    decl.loc = loc;
    static const std::vector<std::string> kKeys = {"start", "stop", "dt", "method", "save_every"};
    while (tok_.kind == Tok::kIdent && !at_top_keyword()) {
      std::string key = tok_.text;
      SourceLoc key_loc = tok_.loc;
      if (std::find(kKeys.begin(), kKeys.end(), key) == kKeys.end()) {
        std::string hint = closest_name(key, kKeys);
        throw SyntaxError{key_loc,
                          hint.empty()
                              ? fmt::format("unknown simulation setting '{}' (expected start, "
                                            "stop, dt, method or save_every)",
                                            shorten(key))
                              : fmt::format("unknown simulation setting '{}' (did you mean '{}'?)",
                                            shorten(key), hint)};
      }
      shift();
      expect_punct("=", fmt::format("'=' and the value of '{}'", key));
      bool repeated = false;
      if (key == "method") {
        std::string method = tok_.kind == Tok::kIdent ? tok_.text : "";
        repeated = decl.method.has_value();
        if (method == "euler") {
          decl.method = Method::kEuler;
        } else if (method == "rk4") {
          decl.method = Method::kRk4;
        } else {
          fail("'euler' or 'rk4'");
        }
        shift();
      } else {
        double value = signed_number();
        std::optional<double>& slot = key == "start"  ? decl.start
                                      : key == "stop" ? decl.stop
                                      : key == "dt"   ? decl.dt
                                                      : decl.save_every;
        repeated = slot.has_value();
        slot = value;
      }
      if (repeated) throw SyntaxError{key_loc, fmt::format("'{}' is set twice", key)};
    }
    if (tok_.kind != Tok::kEnd && !at_top_keyword()) {
      end_of_declaration("simulation",
                         "a setting (start, stop, dt, method, save_every) or the "
                         "next declaration");
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

  // The lexer is one token ahead: it has read the token after '['. Move it back to just
  // after the '[' and read the unit as raw text up to ']'.
  Unit unit_in_brackets() {
    Lexer::Mark after_bracket{tok_.offset + 1, tok_.loc.line, tok_.loc.col + 1};
    SourceLoc loc{tok_.loc.file, tok_.loc.line, tok_.loc.col + 1};
    lexer_.reset(after_bracket);
    auto raw = lexer_.raw_until_bracket();
    if (!raw) {
      // Resume after the line, so recovery does not read the unit's words as code.
      throw SyntaxError{tok_.loc, "missing ']' to close the unit"};
    }
    tok_.end = lexer_.loc();  // the '[' token now ends after the ']'
    auto unit = parse_unit(*raw);
    if (!unit) {
      std::string_view trimmed = *raw;
      while (!trimmed.empty() && std::isspace(static_cast<unsigned char>(trimmed.front()))) {
        trimmed.remove_prefix(1);
      }
      if (trimmed.empty()) {
        throw SyntaxError{loc, "the unit is empty (write [1] for a quantity without unit)"};
      }
      throw SyntaxError{loc, fmt::format("'{}' is not a unit (write e.g. [person], "
                                         "[USD/person/year], [1/year], or [1] for none)",
                                         shorten(*raw))};
    }
    shift();
    return *unit;
  }

  // After the name: '[' glued to it opens dimension names, '[' after a space a unit.
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
        throw SyntaxError{tok_.loc,
                          "lookups have no dimensions (a unit goes after a space: "
                          "lookup f [1] = ...)"};
      }
      shift();
      decl.dims.push_back(name("a dimension name"));
      while (is_punct(",")) {
        shift();
        SourceLoc dim_loc = tok_.loc;
        decl.dims.push_back(name("a dimension name"));
        if (decl.dims.size() > 2) {
          throw SyntaxError{dim_loc, "variables have at most two dimensions"};
        }
      }
      expect_punct("]", "',' or ']'");
    }
    if (is_punct("[")) decl.unit = unit_in_brackets();
    bool after_expr = false;
    if (decl.kind == VarKind::kLookup) {
      lookup_points(decl);
    } else if (is_punct("=")) {
      shift();
      decl.value = expression();
      after_expr = true;
    } else if (decl.kind == VarKind::kParam) {
      if (!is_punct("~")) {
        fail(fmt::format("'=' and the value of '{}', or '~' and its distribution", decl.name));
      }
    } else {
      fail(fmt::format("'=' and the {} of '{}'",
                       decl.kind == VarKind::kStock ? "initial value" : "value", decl.name));
    }
    clauses(decl, after_expr);
    model_.variables.push_back(std::move(decl));
  }

  void lookup_points(VarDecl& decl) {
    expect_punct("=", fmt::format("'=' and the points of '{}', e.g. = (0, 0), (1, 1)", decl.name));
    while (true) {
      expect_punct("(", "a point (x, y)");
      SourceLoc x_loc = tok_.loc;
      double x = signed_number();
      expect_punct(",");
      SourceLoc y_loc = tok_.loc;
      double y = signed_number();
      expect_punct(")");
      if (!std::isfinite(x)) throw SyntaxError{x_loc, "lookup points must be finite numbers"};
      if (!std::isfinite(y)) throw SyntaxError{y_loc, "lookup points must be finite numbers"};
      if (!decl.points.empty() && !(x > decl.points.back().first)) {
        throw SyntaxError{x_loc, fmt::format("lookup x values must increase: x = {} comes after "
                                             "x = {}",
                                             x, decl.points.back().first)};
      }
      decl.points.emplace_back(x, y);
      if (!is_punct(",")) break;
      shift();
    }
  }

  // What may follow a variable's definition, for "expected ..." messages.
  static std::string clause_list(const VarDecl& decl, bool after_expr) {
    std::vector<std::string> items;
    if (decl.kind == VarKind::kLookup) {
      items.push_back("',' and another point");
    } else if (after_expr) {
      items.push_back("an operator");
    }
    items.push_back("a description in quotes");
    items.push_back("'source'");
    if (decl.kind == VarKind::kParam) items.push_back("'~'");
    if (decl.kind == VarKind::kAux || decl.kind == VarKind::kStock) items.push_back("'range'");
    if (!decl.dims.empty()) items.push_back("'at'");
    if (decl.kind == VarKind::kStock) {
      items.push_back("'inflow'");
      items.push_back("'outflow'");
    }
    items.push_back("the next declaration");
    std::string out;
    for (std::size_t i = 0; i < items.size(); ++i) {
      if (i > 0) out += i + 1 == items.size() ? " or " : ", ";
      out += items[i];
    }
    return out;
  }

  // The token after a complete declaration is neither a clause nor a declaration keyword.
  [[noreturn]] void end_of_declaration(std::string_view name, const std::string& expected) const {
    // A word at the very start of a line was most likely meant as a declaration keyword
    // (clauses that continue a declaration are usually indented).
    if (tok_.kind == Tok::kIdent && tok_.line_start && tok_.loc.col == 1) not_a_declaration();
    if (tok_.kind == Tok::kBad && !tok_.message.empty()) throw SyntaxError{tok_.loc, tok_.message};
    throw SyntaxError{
        here(), fmt::format("expected {} after '{}', found {}", expected, name, describe(tok_))};
  }

  void clauses(VarDecl& decl, bool after_expr) {
    bool has_source = false;
    while (true) {
      SourceLoc clause_loc = tok_.loc;
      if (tok_.kind == Tok::kString) {
        if (!decl.description.empty()) {
          throw SyntaxError{clause_loc, fmt::format("'{}' has two descriptions", decl.name)};
        }
        decl.description = string_literal("a description");
        after_expr = false;
      } else if (is_word("source")) {
        if (has_source)
          throw SyntaxError{clause_loc, fmt::format("'{}' has two sources", decl.name)};
        has_source = true;
        shift();
        decl.source = string_literal("the source in quotes");
        after_expr = false;
      } else if (is_word("range")) {
        if (decl.kind != VarKind::kStock && decl.kind != VarKind::kAux) {
          throw SyntaxError{clause_loc,
                            fmt::format("only stocks and auxes take a range; '{}' is {}", decl.name,
                                        kind_word(decl.kind))};
        }
        if (decl.range_low) {
          throw SyntaxError{clause_loc, fmt::format("'{}' has two ranges", decl.name)};
        }
        shift();
        expect_punct("[");
        double low = signed_number();
        expect_punct(",");
        double high = signed_number();
        expect_punct("]");
        if (!(low <= high)) {
          throw SyntaxError{clause_loc, fmt::format("range [{}, {}] is empty: write [low, high] "
                                                    "with low <= high",
                                                    low, high)};
        }
        decl.range_low = low;
        decl.range_high = high;
        after_expr = false;
      } else if (is_punct("~")) {
        if (decl.kind != VarKind::kParam) {
          throw SyntaxError{clause_loc, fmt::format("only params take a distribution ('~'); "
                                                    "'{}' is {}",
                                                    decl.name, kind_word(decl.kind))};
        }
        if (decl.distribution) {
          throw SyntaxError{clause_loc, fmt::format("'{}' has two distributions", decl.name)};
        }
        shift();
        decl.distribution = distribution();
        after_expr = false;
      } else if (is_word("at")) {
        if (decl.dims.empty()) {
          throw SyntaxError{clause_loc, fmt::format("'at' sets values for some elements, but '{}' "
                                                    "has no dimensions",
                                                    decl.name)};
        }
        ElementOverride over;
        over.loc = clause_loc;
        shift();
        over.targets.push_back(element_target());
        while (is_punct(",")) {
          shift();
          over.targets.push_back(element_target());
        }
        expect_punct("=", "',' or '=' and the value for these elements");
        over.value = expression();
        decl.overrides.push_back(std::move(over));
        after_expr = true;
      } else if (is_word("inflow") || is_word("outflow")) {
        if (decl.kind != VarKind::kStock) {
          throw SyntaxError{clause_loc, fmt::format("only stocks have inflows and outflows; '{}' "
                                                    "is {}",
                                                    decl.name, kind_word(decl.kind))};
        }
        bool inflow = tok_.text == "inflow";
        shift();
        FlowRef flow;
        flow.loc = tok_.loc;
        flow.name = name("the flow's name");
        if (is_punct("[")) flow.unit = unit_in_brackets();
        after_expr = false;
        if (is_punct("=")) {
          shift();
          flow.equation = expression();
          after_expr = true;
          if (tok_.kind == Tok::kString) {
            flow.description = string_literal("a description");
            after_expr = false;
          }
        } else if (flow.unit) {
          fail(fmt::format("'=' and the equation of '{}'", flow.name));
        }
        (inflow ? decl.inflows : decl.outflows).push_back(std::move(flow));
      } else {
        break;
      }
    }
    if (!at_top_keyword() && tok_.kind != Tok::kEnd) {
      end_of_declaration(decl.name, clause_list(decl, after_expr));
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
    static const std::vector<std::string> kNames = {"normal", "lognormal", "uniform", "triangular",
                                                    "beta"};
    constexpr std::string_view kList = "normal, lognormal, uniform, triangular or beta";
    if (tok_.kind != Tok::kIdent) fail(fmt::format("a distribution ({})", kList));
    std::string kind = tok_.text;
    std::size_t arity = 2;
    const char* arg_names = "";
    if (kind == "normal") {
      dist.kind = DistKind::kNormal;
      arg_names = "mean, sd";
    } else if (kind == "lognormal") {
      dist.kind = DistKind::kLognormal;
      arg_names = "mu, sigma of the logarithm";
    } else if (kind == "uniform") {
      dist.kind = DistKind::kUniform;
      arg_names = "low, high";
    } else if (kind == "triangular") {
      dist.kind = DistKind::kTriangular;
      arity = 3;
      arg_names = "low, mode, high";
    } else if (kind == "beta") {
      dist.kind = DistKind::kBeta;
      arg_names = "a, b";
    } else {
      std::string hint = closest_name(kind, kNames);
      throw SyntaxError{
          tok_.loc,
          hint.empty()
              ? fmt::format("unknown distribution '{}' (expected {})", shorten(kind), kList)
              : fmt::format("unknown distribution '{}' (did you mean '{}'?)", shorten(kind), hint)};
    }
    shift();
    expect_punct("(", fmt::format("'(' and the arguments of {}", kind));
    dist.args.push_back(expression());
    while (is_punct(",")) {
      shift();
      dist.args.push_back(expression());
    }
    expect_punct(")", "',' or ')'");
    bool beta_scaled = dist.kind == DistKind::kBeta && dist.args.size() == 4;
    if (dist.args.size() != arity && !beta_scaled) {
      throw SyntaxError{
          dist.loc,
          dist.kind == DistKind::kBeta
              ? fmt::format("beta takes 2 arguments (a, b) or 4 (a, b, low, high), found {}",
                            dist.args.size())
              : fmt::format("{} takes {} arguments ({}), found {}", kind, arity, arg_names,
                            dist.args.size())};
    }
    if (is_word("truncated")) {
      shift();
      expect_punct("[", "'[' and the bounds, e.g. truncated [0, 1]");
      dist.truncate_low = expression();
      expect_punct(",");
      dist.truncate_high = expression();
      expect_punct("]");
    }
    return dist;
  }

  // ---- expressions, by precedence ----
  //
  // Two limits keep hostile input from exhausting the stack. depth_ counts the parser's own
  // recursion: each '(', call, 'if', prefix operator and exponent. The height of the tree
  // is checked as nodes are built, since a long chain "a + a + ... + a" is a deep tree
  // without any recursion here, and later passes walk the tree recursively.

  struct DepthGuard {
    explicit DepthGuard(Parser& p) : parser(p) {
      if (++parser.depth_ > kMaxNesting) {
        --parser.depth_;
        parser.too_deep(parser.tok_.loc);
      }
    }
    ~DepthGuard() { --parser.depth_; }
    DepthGuard(const DepthGuard&) = delete;
    DepthGuard& operator=(const DepthGuard&) = delete;
    Parser& parser;
  };

  [[noreturn]] void too_deep(SourceLoc loc) const {
    throw SyntaxError{loc, fmt::format("expression nested more than {} levels deep; split it "
                                       "into several variables",
                                       kMaxNesting)};
  }

  Node make(Expr e, int height, SourceLoc loc) const {
    if (height > kMaxNesting) too_deep(loc);
    return Node{std::move(e), height};
  }

  Expr expression() { return expr_node().expr; }

  Node expr_node() {
    DepthGuard guard(*this);
    return or_expr();
  }

  Node binary(BinaryOp op, Node lhs, Node rhs, SourceLoc loc) const {
    Expr e;
    e.kind = ExprKind::kBinary;
    e.binary_op = op;
    e.loc = loc;
    int height = 1 + std::max(lhs.height, rhs.height);
    e.args.reserve(2);
    e.args.push_back(std::move(lhs.expr));
    e.args.push_back(std::move(rhs.expr));
    return make(std::move(e), height, loc);
  }

  Node unary_node(UnaryOp op, Node operand, SourceLoc loc) const {
    Expr e;
    e.kind = ExprKind::kUnary;
    e.unary_op = op;
    e.loc = loc;
    int height = 1 + operand.height;
    e.args.push_back(std::move(operand.expr));
    return make(std::move(e), height, loc);
  }

  Node or_expr() {
    Node lhs = and_expr();
    while (is_word("or")) {
      SourceLoc loc = tok_.loc;
      shift();
      lhs = binary(BinaryOp::kOr, std::move(lhs), and_expr(), loc);
    }
    return lhs;
  }

  Node and_expr() {
    Node lhs = not_expr();
    while (is_word("and")) {
      SourceLoc loc = tok_.loc;
      shift();
      lhs = binary(BinaryOp::kAnd, std::move(lhs), not_expr(), loc);
    }
    return lhs;
  }

  Node not_expr() {
    if (is_word("not")) {
      DepthGuard guard(*this);
      SourceLoc loc = tok_.loc;
      shift();
      return unary_node(UnaryOp::kNot, not_expr(), loc);
    }
    return comparison();
  }

  static std::optional<BinaryOp> comparison_op(const Token& tok) {
    if (tok.kind != Tok::kPunct) return std::nullopt;
    if (tok.text == "==") return BinaryOp::kEq;
    if (tok.text == "!=") return BinaryOp::kNe;
    if (tok.text == "<") return BinaryOp::kLt;
    if (tok.text == "<=") return BinaryOp::kLe;
    if (tok.text == ">") return BinaryOp::kGt;
    if (tok.text == ">=") return BinaryOp::kGe;
    return std::nullopt;
  }

  Node comparison() {
    Node lhs = additive();
    auto op = comparison_op(tok_);
    if (!op) return lhs;
    SourceLoc loc = tok_.loc;
    shift();
    Node rhs = additive();
    if (comparison_op(tok_)) {
      throw SyntaxError{tok_.loc, "comparisons do not chain; write (a < b) and (b < c)"};
    }
    return binary(*op, std::move(lhs), std::move(rhs), loc);
  }

  Node additive() {
    Node lhs = multiplicative();
    while (is_punct("+") || is_punct("-")) {
      BinaryOp op = tok_.text == "+" ? BinaryOp::kAdd : BinaryOp::kSub;
      SourceLoc loc = tok_.loc;
      shift();
      lhs = binary(op, std::move(lhs), multiplicative(), loc);
    }
    return lhs;
  }

  Node multiplicative() {
    Node lhs = unary();
    while (is_punct("*") || is_punct("/")) {
      BinaryOp op = tok_.text == "*" ? BinaryOp::kMul : BinaryOp::kDiv;
      SourceLoc loc = tok_.loc;
      shift();
      lhs = binary(op, std::move(lhs), unary(), loc);
    }
    return lhs;
  }

  Node unary() {
    if (is_punct("-")) {
      DepthGuard guard(*this);
      SourceLoc loc = tok_.loc;
      shift();
      return unary_node(UnaryOp::kNeg, unary(), loc);
    }
    return power();
  }

  // '^' binds tighter than a prefix minus (-2^2 is -4) and groups to the right.
  Node power() {
    Node base = primary();
    if (is_punct("^")) {
      SourceLoc loc = tok_.loc;
      DepthGuard guard(*this);
      shift();
      return binary(BinaryOp::kPow, std::move(base), unary(), loc);
    }
    return base;
  }

  Node primary() {
    Expr e;
    e.loc = tok_.loc;
    if (tok_.kind == Tok::kNumber) {
      e.kind = ExprKind::kNumber;
      e.number = tok_.number;
      shift();
      return Node{std::move(e), 1};
    }
    if (tok_.kind == Tok::kString) {
      e.kind = ExprKind::kString;
      e.text = tok_.text;
      shift();
      return Node{std::move(e), 1};
    }
    if (is_punct("(")) {
      DepthGuard guard(*this);
      shift();
      Node inner = or_expr();
      expect_punct(")", "an operator or ')'");
      return inner;
    }
    if (is_word("if")) {
      DepthGuard guard(*this);
      SourceLoc loc = tok_.loc;
      e.kind = ExprKind::kIf;
      shift();
      int height = 0;
      auto part = [&] {
        Node n = or_expr();
        height = std::max(height, n.height);
        e.args.push_back(std::move(n.expr));
      };
      part();
      if (!is_word("then")) fail("an operator or 'then'");
      shift();
      part();
      if (!is_word("else")) fail("an operator or 'else'");
      shift();
      part();
      return make(std::move(e), height + 1, loc);
    }
    if (tok_.kind == Tok::kIdent && !kReserved.count(tok_.text)) {
      e.text = tok_.text;
      SourceLoc loc = tok_.loc;
      shift();
      if (is_punct("(")) {
        DepthGuard guard(*this);
        e.kind = ExprKind::kCall;
        shift();
        int height = 0;
        if (!is_punct(")")) {
          while (true) {
            Node arg = or_expr();
            height = std::max(height, arg.height);
            e.args.push_back(std::move(arg.expr));
            if (!is_punct(",")) break;
            shift();
          }
        }
        expect_punct(")", "an operator, ',' or ')'");
        return make(std::move(e), height + 1, loc);
      }
      e.kind = ExprKind::kName;
      if (is_punct("[")) {
        shift();
        e.indices.push_back(name("an element or dimension name"));
        while (is_punct(",")) {
          shift();
          SourceLoc index_loc = tok_.loc;
          e.indices.push_back(name("an element or dimension name"));
          if (e.indices.size() > 2) {
            throw SyntaxError{index_loc, "variables have at most two dimensions"};
          }
        }
        expect_punct("]", "',' or ']'");
      }
      return Node{std::move(e), 1};
    }
    // A declaration keyword in the middle of a line is a misused name; first on a line it
    // most likely starts the next declaration after an unfinished expression.
    if (at_top_keyword() && !tok_.line_start) reserved_word("a name");
    fail("a number, a name, '(' or 'if'");
  }

  Lexer lexer_;
  Model& model_;
  Diagnostics& diags_;
  Token tok_;
  Token prev_;
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
  // unit := factor (('*' | '/') factor)* ; factor := atom ('^' '-'? int)? ;
  // atom := '1' | 'dmnl' | a word of letters, digits, '_', '%', '$' not starting with a digit
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
    if (atom == "1" || atom == "dmnl") continue;  // dimensionless factors
    // Scale factors ("1000") are not units, nor is anything else starting with a digit.
    if (std::isdigit(static_cast<unsigned char>(atom[0]))) return std::nullopt;
    int& slot = unit[atom];
    slot += sign * exponent;
    // Exponents stay within what a unit can be written with ("m^99"), so every unit
    // parse_unit returns prints back to text it accepts.
    if (slot > kMaxUnitExponent || slot < -kMaxUnitExponent) return std::nullopt;
    if (slot == 0) unit.erase(atom);
  }
  return unit;
}

}  // namespace latwin::lang
