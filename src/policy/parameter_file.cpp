#include "policy/parameter_file.hpp"

#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include <cctype>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <iterator>
#include <optional>
#include <set>

#include "core/atomic_file.hpp"
#include "core/error.hpp"
#include "policy/yaml_file.hpp"

namespace latwin::policy {

namespace {

using Json = nlohmann::ordered_json;

// A posterior of a few thousand sets over every country of several parameters runs to tens
// of megabytes; the bound only keeps a wrong file from exhausting memory.
constexpr std::size_t kMaxParameterFileBytes = std::size_t{256} << 20;
// Far above any model's element count, low enough that a row's width cannot overflow.
constexpr double kMaxElements = 1e7;

bool is_name(const std::string& text) {
  if (text.empty() || !(std::isalpha(static_cast<unsigned char>(text[0])) || text[0] == '_')) {
    return false;
  }
  for (char c : text) {
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '_')) return false;
  }
  return true;
}

bool is_null_text(const std::string& text) {
  return text.empty() || text == "~" || text == "null" || text == "Null" || text == "NULL";
}

std::optional<bool> bool_text(const std::string& text) {
  if (text == "true" || text == "True" || text == "TRUE") return true;
  if (text == "false" || text == "False" || text == "FALSE") return false;
  return std::nullopt;
}

template <typename T>
std::optional<T> whole_number(const std::string& text) {
  T value{};
  const char* end = text.data() + text.size();
  auto [ptr, ec] = std::from_chars(text.data(), end, value);
  if (text.empty() || ec != std::errc() || ptr != end) return std::nullopt;
  return value;
}

// Provenance ends up in JSON documents, which hold UTF-8 text only.
bool is_utf8(const std::string& text) {
  std::size_t i = 0;
  while (i < text.size()) {
    const auto byte = static_cast<unsigned char>(text[i]);
    const int follow = byte < 0x80           ? 0
                       : (byte >> 5) == 0x6  ? 1
                       : (byte >> 4) == 0xE  ? 2
                       : (byte >> 3) == 0x1E ? 3
                                             : -1;
    if (follow < 0 || text.size() - i <= static_cast<std::size_t>(follow)) return false;
    std::uint32_t code = follow == 0 ? byte : byte & (0x3Fu >> follow);
    for (int k = 1; k <= follow; ++k) {
      const auto next = static_cast<unsigned char>(text[i + static_cast<std::size_t>(k)]);
      if ((next & 0xC0) != 0x80) return false;
      code = (code << 6) | (next & 0x3F);
    }
    // Overlong forms, surrogates and code points past U+10FFFF are not UTF-8.
    static constexpr std::uint32_t kLeast[] = {0, 0x80, 0x800, 0x10000};
    if (code < kLeast[follow] || (code >= 0xD800 && code <= 0xDFFF) || code > 0x10FFFF) {
      return false;
    }
    i += static_cast<std::size_t>(follow) + 1;
  }
  return true;
}

// A plain YAML scalar as JSON: null, true/false, an integer, a number, or else text (YAML
// 1.2 core schema). Quoted scalars are always text.
Json scalar_json(const YAML::Node& node) {
  const std::string& text = node.Scalar();
  if (node.Tag() == "!") return text;
  if (is_null_text(text)) return nullptr;
  if (auto flag = bool_text(text)) return *flag;
  if (auto value = whole_number<std::int64_t>(text)) return *value;
  if (auto value = whole_number<std::uint64_t>(text)) return *value;
  if (auto value = whole_number<double>(text); value && std::isfinite(*value)) return *value;
  return text;
}

Json to_json(const YamlFile& file, const YAML::Node& node) {
  switch (node.Type()) {
    case YAML::NodeType::Null:
    case YAML::NodeType::Undefined:
      return nullptr;
    case YAML::NodeType::Scalar:
      if (!is_utf8(node.Scalar())) file.fail(node, "provenance: text must be UTF-8");
      return scalar_json(node);
    case YAML::NodeType::Sequence: {
      Json list = Json::array();
      for (const auto& item : node) list.push_back(to_json(file, item));
      return list;
    }
    case YAML::NodeType::Map: {
      Json map = Json::object();
      for (const auto& item : node) {
        if (!item.first.IsScalar() || !is_utf8(item.first.Scalar())) {
          file.fail(item.first, "provenance: keys must be plain UTF-8 text");
        }
        map[item.first.Scalar()] = to_json(file, item.second);
      }
      return map;
    }
  }
  return nullptr;
}

// A quantile as written: strtod rather than YamlFile::number, whose std::stod refuses the
// subnormal numbers just above 0 that a file written by write_parameter_file may hold.
double quantile(const YamlFile& file, const YAML::Node& node, const std::string& what) {
  if (!node.IsScalar()) file.fail(node, fmt::format("{}: expected a number", what));
  const std::string& text = node.Scalar();
  char* end = nullptr;
  double value = text.empty() ? NAN : std::strtod(text.c_str(), &end);
  if (text.empty() || end != text.c_str() + text.size() || std::isspace(static_cast<unsigned char>(text[0]))) {
    file.fail(node, fmt::format("{}: expected a number, found '{}'", what, text));
  }
  return value;
}

// Text that a reader would take for something else (a number, true, null) is quoted.
bool needs_quotes(const std::string& text) {
  if (is_null_text(text) || bool_text(text)) return true;
  return whole_number<double>(text).has_value() || whole_number<std::int64_t>(text).has_value() ||
         text.find_first_of(":#{}[],&*!|>'\"%@`\n\r\t") != std::string::npos || text.front() == ' ' ||
         text.back() == ' ' || text.front() == '-' || text.front() == '?';
}

// Shortest text that reads back as the same double, marked as a number with ".0" when whole.
std::string number_text(double value) {
  std::string text = fmt::format("{}", value);
  if (text.find_first_of(".eEn") == std::string::npos) text += ".0";
  return text;
}

void emit_json(YAML::Emitter& out, const Json& value) {
  switch (value.type()) {
    case Json::value_t::object:
      out << YAML::BeginMap;
      for (const auto& [key, item] : value.items()) {
        out << YAML::Key;
        if (needs_quotes(key)) out << YAML::DoubleQuoted;
        out << key << YAML::Value;
        emit_json(out, item);
      }
      out << YAML::EndMap;
      return;
    case Json::value_t::array:
      out << YAML::BeginSeq;
      for (const auto& item : value) emit_json(out, item);
      out << YAML::EndSeq;
      return;
    case Json::value_t::string: {
      const auto& text = value.get_ref<const std::string&>();
      if (text.empty() || needs_quotes(text)) out << YAML::DoubleQuoted;
      out << text;
      return;
    }
    case Json::value_t::boolean:
      out << value.get<bool>();
      return;
    case Json::value_t::number_integer:
      out << value.get<std::int64_t>();
      return;
    case Json::value_t::number_unsigned:
      out << value.get<std::uint64_t>();
      return;
    case Json::value_t::number_float: {
      double number = value.get<double>();
      if (std::isfinite(number)) {
        out << number_text(number);
      } else {
        out << YAML::Null;  // JSON has no infinities either
      }
      return;
    }
    default:
      out << YAML::Null;
      return;
  }
}

ParameterFile parse(const YamlFile& file) {
  const YAML::Node& root = file.root();
  file.check_keys(root, {"format", "provenance", "parameters", "sets"}, "parameter file");
  YAML::Node format = file.require(root, "format", "parameter file");
  if (!format.IsScalar() || format.Scalar() != kParameterFileFormat) {
    file.fail(format, fmt::format("expected 'format: {}' (a file of parameter sets, as latwin "
                                  "calibrate writes), found '{}'",
                                  kParameterFileFormat,
                                  format.IsScalar() ? format.Scalar() : "a list or mapping"));
  }

  ParameterFile out;
  if (YAML::Node provenance = root["provenance"]; provenance && !provenance.IsNull()) {
    if (!provenance.IsMap()) file.fail(provenance, "provenance: expected a mapping of keys");
    out.provenance = to_json(file, provenance);
  }

  YAML::Node parameters = file.require(root, "parameters", "parameter file");
  if (!parameters.IsSequence() || parameters.size() == 0) {
    file.fail(parameters, "parameters: expected a list such as "
                          "[{name: homicide_elasticity, elements: 1}]");
  }
  std::set<std::string> seen;
  for (const auto& item : parameters) {
    file.check_keys(item, {"name", "elements"}, "parameters");
    YAML::Node name_node = file.require(item, "name", "parameters");
    std::string name = file.text_of(name_node, "parameters: name");
    if (!is_name(name)) {
      file.fail(name_node, fmt::format("parameters: '{}' is not a parameter name (letters, digits "
                                       "and _)",
                                       name));
    }
    if (!seen.insert(name).second) {
      file.fail(name_node, fmt::format("parameters: '{}' is listed twice", name));
    }
    YAML::Node count_node = file.require(item, "elements", "parameters");
    double count = file.number(count_node, fmt::format("parameters: elements of '{}'", name));
    if (count < 1 || count > kMaxElements || count != std::floor(count)) {
      file.fail(count_node, fmt::format("parameters: elements of '{}' must be a positive whole "
                                        "number, found '{}'",
                                        name, count_node.Scalar()));
    }
    out.sets.parameters.push_back(name);
    out.sets.elements.push_back(static_cast<std::uint32_t>(count));
  }

  const std::size_t width = out.sets.row_width();
  YAML::Node sets = file.require(root, "sets", "parameter file");
  if (!sets.IsSequence()) file.fail(sets, "sets: expected a list of sets, each a list of values");
  if (sets.size() == 0) file.fail(sets, "sets: no sets; expected at least one");
  out.sets.unit.reserve(sets.size() * width);
  std::size_t set_idx = 0;
  for (const auto& set : sets) {
    ++set_idx;
    if (!set.IsSequence() || set.size() != width) {
      file.fail(set, fmt::format("set {}: expected a list of {} values (one per element of each "
                                 "parameter), found {}",
                                 set_idx, width,
                                 set.IsSequence() ? fmt::format("{} values", set.size())
                                                  : std::string("no list")));
    }
    std::size_t value_idx = 0;
    for (const auto& value : set) {
      ++value_idx;
      std::string what = fmt::format("set {}, value {}", set_idx, value_idx);
      double u = quantile(file, value, what);
      if (!(u > 0 && u < 1)) {
        file.fail(value, fmt::format("{}: {} is not inside (0, 1); values are quantiles of each "
                                     "parameter's distribution",
                                     what, value.Scalar()));
      }
      out.sets.unit.push_back(u);
    }
  }
  return out;
}

}  // namespace

ParameterFile read_parameter_file(const std::string& path) {
  return parse(YamlFile(path, kMaxParameterFileBytes));
}

ParameterFile parse_parameter_file(const std::string& path, const std::string& text) {
  return parse(YamlFile(path, text, kMaxParameterFileBytes));
}

std::string format_parameter_file(const ParameterFile& file) {
  const engine::ParameterSets& sets = file.sets;
  const std::size_t width = sets.row_width();
  if (sets.elements.size() != sets.parameters.size() || width == 0 ||
      sets.unit.size() % width != 0) {
    throw ModelError(fmt::format("parameter sets: {} values for {} parameters of {} elements in "
                                 "all do not make whole sets",
                                 sets.unit.size(), sets.parameters.size(), width));
  }
  YAML::Emitter head;
  head << YAML::BeginMap << YAML::Key << "format" << YAML::Value << kParameterFileFormat;
  head << YAML::Key << "provenance" << YAML::Value;
  emit_json(head, file.provenance.is_object() ? file.provenance : Json::object());
  head << YAML::EndMap;
  if (!head.good()) {
    throw InputError(fmt::format("the provenance of parameter sets cannot be written as YAML: {}",
                                 head.GetLastError()));
  }

  // The format line comes first, so a glance (or `head -1`) tells what the file is.
  std::string text = head.c_str();
  text += "\nparameters:\n";
  for (std::size_t p = 0; p < sets.parameters.size(); ++p) {
    // A name such as "null" reads back as text only when quoted.
    const std::string& name = sets.parameters[p];
    text += fmt::format("  - {{name: {}, elements: {}}}\n",
                        is_null_text(name) ? "\"" + name + "\"" : name, sets.elements[p]);
  }
  text += "sets:\n";
  for (std::size_t row = 0; row < sets.rows(); ++row) {
    text += "  - [";
    for (std::size_t i = 0; i < width; ++i) {
      // 17 significant digits: every double reads back as itself.
      fmt::format_to(std::back_inserter(text), "{}{:.17g}", i == 0 ? "" : ", ",
                     sets.unit[row * width + i]);
    }
    text += "]\n";
  }
  return text;
}

void write_parameter_file(const std::string& path, const ParameterFile& file) {
  write_file_atomically(path, format_parameter_file(file));
}

}  // namespace latwin::policy
