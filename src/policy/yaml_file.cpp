#include "policy/yaml_file.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <cmath>
#include <fstream>
#include <sstream>

#include "core/error.hpp"
#include "engine/lang/source.hpp"

namespace latwin::policy {

YamlFile::YamlFile(std::string path, std::size_t max_bytes) : path_(std::move(path)) {
  std::ifstream in(path_, std::ios::binary);
  if (!in) throw InputError(fmt::format("{}: cannot read the file", path_));
  std::ostringstream buffer;
  buffer << in.rdbuf();
  text_ = buffer.str();
  parse(max_bytes);
}

YamlFile::YamlFile(std::string path, std::string text, std::size_t max_bytes)
    : path_(std::move(path)), text_(std::move(text)) {
  parse(max_bytes);
}

namespace {

// yaml-cpp 0.7 recurses once per level of nesting and overflows the stack on deeply nested
// input ("[[[[..."), so nesting is bounded before it parses. The bound over-counts (brackets
// inside quotes, indentation), which only matters for files far deeper than any strategy.
constexpr int kMaxNesting = 64;

void check_nesting(const std::string& path, const std::string& text, std::size_t max_bytes) {
  if (text.size() > max_bytes) {
    throw InputError(fmt::format("{}: {} bytes is too large for this kind of file (at most {} "
                                 "MiB)",
                                 path, text.size(), max_bytes >> 20));
  }
  int flow = 0, line = 1;
  std::size_t pos = 0;
  while (pos < text.size()) {
    std::size_t end = text.find('\n', pos);
    if (end == std::string::npos) end = text.size();
    // Block nesting on this line: its indentation plus the "- " and "? " entries it opens.
    std::size_t i = pos;
    int block = 0;
    while (i < end && (text[i] == ' ' || text[i] == '-' || text[i] == '?' || text[i] == ':')) {
      if (text[i] != ' ') ++block;
      ++i;
    }
    block += static_cast<int>(i - pos) / 2;
    for (std::size_t j = i; j < end && text[j] != '#'; ++j) {
      if (text[j] == '[' || text[j] == '{') ++flow;
      if ((text[j] == ']' || text[j] == '}') && flow > 0) --flow;
    }
    if (flow + block > kMaxNesting) {
      throw InputError(fmt::format("{}:{}: nested more than {} levels deep; strategies and "
                                   "scenarios need only a few",
                                   path, line, kMaxNesting));
    }
    pos = end + 1;
    ++line;
  }
}

}  // namespace

void YamlFile::parse(std::size_t max_bytes) {
  check_nesting(path_, text_, max_bytes);
  try {
    root_ = YAML::Load(text_);
  } catch (const YAML::Exception& e) {
    throw InputError(fmt::format("{}:{}:{}: not valid YAML: {}", path_, e.mark.line + 1,
                                 e.mark.column + 1, e.msg));
  }
  if (!root_.IsMap()) {
    throw InputError(fmt::format("{}:1: expected a mapping of keys (name: ..., description: ...)",
                                 path_));
  }
}

int YamlFile::line(const YAML::Node& node) const {
  if (!node.IsDefined()) return 1;
  int line = node.Mark().line;
  return line < 0 ? 1 : line + 1;
}

std::string YamlFile::where(const YAML::Node& node) const {
  return fmt::format("{}:{}", path_, line(node));
}

void YamlFile::fail(const YAML::Node& node, const std::string& message) const {
  throw InputError(fmt::format("{}: {}", where(node), message));
}

void YamlFile::check_keys(const YAML::Node& map, const std::vector<std::string>& allowed,
                          const std::string& what) const {
  if (!map.IsMap()) fail(map, fmt::format("{}: expected a mapping of keys", what));
  for (const auto& item : map) {
    if (!item.first.IsScalar()) fail(item.first, fmt::format("{}: keys must be plain names", what));
    std::string key = item.first.Scalar();
    if (std::find(allowed.begin(), allowed.end(), key) != allowed.end()) continue;
    std::string hint = lang::closest_name(key, allowed);
    fail(item.first, fmt::format("{}: unknown key '{}'{}; expected one of: {}", what, key,
                                 hint.empty() ? "" : fmt::format(" (did you mean '{}'?)", hint),
                                 fmt::join(allowed, ", ")));
  }
}

YAML::Node YamlFile::require(const YAML::Node& map, const std::string& key,
                             const std::string& what) const {
  YAML::Node node = map[key];
  if (!node.IsDefined() || node.IsNull()) fail(map, fmt::format("{}: '{}' is missing", what, key));
  return node;
}

std::string YamlFile::text_of(const YAML::Node& node, const std::string& what) const {
  if (!node.IsScalar()) fail(node, fmt::format("{}: expected text", what));
  return node.Scalar();
}

double YamlFile::number(const YAML::Node& node, const std::string& what) const {
  if (!node.IsScalar()) fail(node, fmt::format("{}: expected a number", what));
  const std::string& text = node.Scalar();
  // Underscores group digits (2_000_000_000); YAML's own parsers disagree on them.
  std::string digits;
  for (char c : text) {
    if (c != '_') digits.push_back(c);
  }
  std::size_t used = 0;
  double value = 0;
  try {
    value = std::stod(digits, &used);
  } catch (const std::exception&) {
    used = 0;
  }
  if (used == 0 || used != digits.size() || !std::isfinite(value)) {
    fail(node, fmt::format("{}: expected a number, found '{}'", what, text));
  }
  return value;
}

int YamlFile::year(const YAML::Node& node, const std::string& what) const {
  double value = number(node, what);
  if (value != std::floor(value) || value < 1900 || value > 2200) {
    fail(node, fmt::format("{}: expected a year such as 2030, found '{}'", what, node.Scalar()));
  }
  return static_cast<int>(value);
}

std::map<int, double> YamlFile::path_of(const YAML::Node& node, const std::string& what) const {
  std::map<int, double> path;
  if (node.IsScalar()) {
    path[0] = number(node, what);
    return path;
  }
  if (!node.IsMap() || node.size() == 0) {
    fail(node, fmt::format("{}: expected a number, or a path of years and values such as "
                           "{{2025: 1.0e8, 2030: 2.0e8}}",
                           what));
  }
  int previous = 0;
  for (const auto& item : node) {
    int year = this->year(item.first, what);
    if (!path.empty() && year <= previous) {
      fail(item.first, fmt::format("{}: years must increase ({} after {})", what, year, previous));
    }
    previous = year;
    path[year] = number(item.second, fmt::format("{} in {}", what, year));
  }
  return path;
}

std::vector<std::pair<std::string, YAML::Node>> YamlFile::names(const YAML::Node& node,
                                                               const std::string& what) const {
  std::vector<std::pair<std::string, YAML::Node>> out;
  if (node.IsScalar()) {
    out.emplace_back(node.Scalar(), node);
  } else if (node.IsSequence() && node.size() > 0) {
    for (const auto& item : node) out.emplace_back(text_of(item, what), item);
  } else {
    fail(node, fmt::format("{}: expected a name or a list of names", what));
  }
  return out;
}

double path_value(const std::map<int, double>& path, int year) {
  auto after = path.lower_bound(year);
  if (after == path.end()) return std::prev(after)->second;
  if (after->first == year || after == path.begin()) return after->second;
  auto before = std::prev(after);
  double t = static_cast<double>(year - before->first) / (after->first - before->first);
  return before->second + t * (after->second - before->second);
}

std::string format_usd(double usd) {
  double magnitude = std::fabs(usd);
  if (magnitude >= 1e9) return fmt::format("${:.3g} bn", usd / 1e9);
  if (magnitude >= 1e6) return fmt::format("${:.3g} M", usd / 1e6);
  if (magnitude >= 1e3) return fmt::format("${:.3g} k", usd / 1e3);
  return fmt::format("${:.3g}", usd);
}

}  // namespace latwin::policy
