#pragma once
// Reading the YAML files analysts write (strategies, scenarios): every error names the file,
// the line and what was expected, and keys are checked so a typo is never silently ignored.
#include <yaml-cpp/yaml.h>

#include <cstddef>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace latwin::policy {

class YamlFile {
 public:
  // Reads and parses path. Throws latwin::InputError "PATH: cannot read" or "PATH:LINE:COL:
  // ..." for a syntax error, or when the top level is not a mapping.
  explicit YamlFile(std::string path, std::size_t max_bytes = kMaxBytes);
  // Parses text as if read from path (tests, fuzzing).
  YamlFile(std::string path, std::string text, std::size_t max_bytes = kMaxBytes);

  // Files analysts write stay far below this; generated files (parameter sets) pass a larger
  // bound of their own.
  static constexpr std::size_t kMaxBytes = 4 << 20;

  const std::string& path() const { return path_; }
  const std::string& text() const { return text_; }
  const YAML::Node& root() const { return root_; }

  // Throws latwin::InputError "PATH:LINE: message" (the line of node, or the file's first
  // line when node has none).
  [[noreturn]] void fail(const YAML::Node& node, const std::string& message) const;
  // "PATH:LINE" of node, for messages that point at two places.
  std::string where(const YAML::Node& node) const;
  int line(const YAML::Node& node) const;

  // Checks that every key of map is one of allowed; an unknown key fails with a hint.
  void check_keys(const YAML::Node& map, const std::vector<std::string>& allowed,
                  const std::string& what) const;
  // Fails when key is missing from map.
  YAML::Node require(const YAML::Node& map, const std::string& key, const std::string& what) const;

  std::string text_of(const YAML::Node& node, const std::string& what) const;
  double number(const YAML::Node& node, const std::string& what) const;
  int year(const YAML::Node& node, const std::string& what) const;
  // A single value or a path over years: NUMBER, or {YEAR: NUMBER, ...} with at least one
  // point, years increasing.
  std::map<int, double> path_of(const YAML::Node& node, const std::string& what) const;
  // A name or a list of names.
  std::vector<std::pair<std::string, YAML::Node>> names(const YAML::Node& node,
                                                        const std::string& what) const;

 private:
  void parse(std::size_t max_bytes);

  std::string path_;
  std::string text_;
  YAML::Node root_;
};

// Value of a path at year: linear between its points, held before the first and after the
// last.
double path_value(const std::map<int, double>& path, int year);

// "1.5 bn", "250 M", "40 k" dollars: how summaries speak of money.
std::string format_usd(double usd);

}  // namespace latwin::policy
