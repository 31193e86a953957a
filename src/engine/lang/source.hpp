#pragma once
// Model source text and the diagnostics that point into it.
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace latwin::lang {

// A position in a model file; line and column count from 1. file indexes SourceSet.
struct SourceLoc {
  std::uint32_t file = 0;
  std::uint32_t line = 0;
  std::uint32_t col = 0;
};

struct SourceFile {
  std::string path;  // as the user gave it, so messages name the file they typed
  std::string text;
  std::vector<std::uint32_t> line_starts;  // byte offset of each line

  SourceFile(std::string path_in, std::string text_in);
  std::string_view line_text(std::uint32_t line) const;  // without the newline
};

// The files of one model. Files are shared so a frozen plan can keep pointing at them.
class SourceSet {
 public:
  // Reads a file; throws latwin::InputError naming the path when it cannot.
  std::uint32_t add_file(const std::string& path);
  std::uint32_t add_text(std::string path, std::string text);
  const SourceFile& file(std::uint32_t idx) const { return *files_.at(idx); }
  std::size_t size() const { return files_.size(); }

 private:
  std::vector<std::shared_ptr<const SourceFile>> files_;
};

enum class Severity { kError, kWarning };

struct Diagnostic {
  Severity severity = Severity::kError;
  SourceLoc loc;
  std::string message;
};

// Collects diagnostics so a pass can report every problem in a file, not only the first.
class Diagnostics {
 public:
  void error(SourceLoc loc, std::string message);
  void warning(SourceLoc loc, std::string message);
  bool has_errors() const { return error_count_ > 0; }
  std::size_t error_count() const { return error_count_; }
  const std::vector<Diagnostic>& all() const { return items_; }

  // "file:line:col: error: message", then the source line and a caret under the column.
  std::string format(const SourceSet& sources) const;

 private:
  std::vector<Diagnostic> items_;
  std::size_t error_count_ = 0;
};

std::string format_diagnostic(const Diagnostic& diag, const SourceSet& sources);

// Closest candidate by edit distance, for "did you mean" hints; empty when none is close.
std::string closest_name(std::string_view name, const std::vector<std::string>& candidates);

// Lists the .lw files of a model given as folders and/or files, sorted for determinism.
// Throws latwin::InputError when a path does not exist or a folder holds no .lw file.
std::vector<std::string> expand_model_paths(const std::vector<std::string>& paths);

}  // namespace latwin::lang
