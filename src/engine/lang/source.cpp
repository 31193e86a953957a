#include "engine/lang/source.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "core/error.hpp"

namespace latwin::lang {

SourceFile::SourceFile(std::string path_in, std::string text_in)
    : path(std::move(path_in)), text(std::move(text_in)) {
  line_starts.push_back(0);
  // size_t: a 32-bit index would wrap and never end on a file over 4 GiB.
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\n') line_starts.push_back(static_cast<std::uint32_t>(i + 1));
  }
}

std::string_view SourceFile::line_text(std::uint32_t line) const {
  if (line == 0 || line > line_starts.size()) return {};
  std::size_t begin = line_starts[line - 1];
  std::size_t end = line < line_starts.size() ? line_starts[line] : text.size();
  std::string_view view(text.data() + begin, end - begin);
  while (!view.empty() && (view.back() == '\n' || view.back() == '\r')) view.remove_suffix(1);
  return view;
}

std::uint32_t SourceSet::add_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw InputError(fmt::format("{}: cannot open model file", path));
  std::ostringstream buffer;
  buffer << in.rdbuf();
  return add_text(path, buffer.str());
}

std::uint32_t SourceSet::add_text(std::string path, std::string text) {
  files_.push_back(std::make_shared<const SourceFile>(std::move(path), std::move(text)));
  return static_cast<std::uint32_t>(files_.size() - 1);
}

void Diagnostics::error(SourceLoc loc, std::string message) {
  items_.push_back({Severity::kError, loc, std::move(message)});
  ++error_count_;
}

void Diagnostics::warning(SourceLoc loc, std::string message) {
  items_.push_back({Severity::kWarning, loc, std::move(message)});
}

namespace {

bool is_continuation(char c) {
  return (static_cast<unsigned char>(c) & 0xC0) == 0x80;
}

// The part of a long line shown in a message: about kWindow bytes around the column, so
// that a megabyte-long line does not make every message a megabyte.
constexpr std::size_t kWindow = 120;

}  // namespace

std::string format_diagnostic(const Diagnostic& diag, const SourceSet& sources) {
  const char* kind = diag.severity == Severity::kError ? "error" : "warning";
  if (diag.loc.line == 0 || diag.loc.file >= sources.size()) {
    std::string path = diag.loc.file < sources.size() ? sources.file(diag.loc.file).path : "";
    if (path.empty()) return fmt::format("{}: {}\n", kind, diag.message);
    return fmt::format("{}: {}: {}\n", path, kind, diag.message);
  }
  const SourceFile& file = sources.file(diag.loc.file);
  std::string out =
      fmt::format("{}:{}:{}: {}: {}\n", file.path, diag.loc.line, diag.loc.col, kind, diag.message);
  std::string_view line = file.line_text(diag.loc.line);
  // Columns count from after a UTF-8 byte order mark, which the parser skips.
  if (diag.loc.line == 1 && line.substr(0, 3) == "\xEF\xBB\xBF") line.remove_prefix(3);
  std::size_t caret = std::min<std::size_t>(diag.loc.col - 1, line.size());
  std::string_view prefix, suffix;
  if (line.size() > kWindow) {
    std::size_t begin = caret > kWindow / 2 ? caret - kWindow / 2 : 0;
    while (begin > 0 && is_continuation(line[begin])) --begin;
    std::size_t end = std::min(line.size(), begin + kWindow);
    while (end < line.size() && is_continuation(line[end])) ++end;
    if (begin > 0) prefix = "...";
    if (end < line.size()) suffix = "...";
    line = line.substr(begin, end - begin);
    caret -= begin;
  }
  std::string number = std::to_string(diag.loc.line);
  std::size_t width = std::max<std::size_t>(5, number.size());
  out += fmt::format("{:>{}} | {}{}{}\n", number, width, prefix, line, suffix);
  out += std::string(width + 1, ' ');
  out += "| ";
  out += prefix.empty() ? "" : "   ";
  // Tabs kept as tabs so the caret stays under the column; a multi-byte UTF-8 character
  // takes one place on screen.
  for (std::size_t i = 0; i < caret; ++i) {
    if (line[i] == '\t') {
      out += '\t';
    } else if (!is_continuation(line[i])) {
      out += ' ';
    }
  }
  out += "^\n";
  return out;
}

std::string Diagnostics::format(const SourceSet& sources) const {
  std::string out;
  for (const auto& diag : items_) out += format_diagnostic(diag, sources);
  return out;
}

namespace {
// Optimal string alignment distance: insertions, deletions, substitutions, and swaps of two
// adjacent characters ("strat" for "start"), each one edit.
std::size_t edit_distance(std::string_view a, std::string_view b) {
  std::vector<std::size_t> prev2(b.size() + 1), prev(b.size() + 1), cur(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) prev[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    cur[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      std::size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
      cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) {
        cur[j] = std::min(cur[j], prev2[j - 2] + 1);
      }
    }
    std::swap(prev2, prev);
    std::swap(prev, cur);
  }
  return prev[b.size()];
}
}  // namespace

std::string closest_name(std::string_view name, const std::vector<std::string>& candidates) {
  // A third of the name's length, at least 1 and at most 3 edits: close enough to be a typo,
  // far enough that short names do not all suggest each other.
  std::size_t limit = std::clamp<std::size_t>(name.size() / 3, 1, 3);
  if (name.size() > 64) return {};  // keeps the quadratic distance bounded on hostile input
  std::string best;
  std::size_t best_distance = limit + 1;
  for (const auto& candidate : candidates) {
    if (candidate.size() > 64) continue;
    std::size_t distance = edit_distance(name, candidate);
    if (distance < best_distance || (distance == best_distance && candidate < best)) {
      best = candidate;
      best_distance = distance;
    }
  }
  return best_distance <= limit ? best : std::string();
}

std::vector<std::string> expand_model_paths(const std::vector<std::string>& paths) {
  namespace fs = std::filesystem;
  std::vector<std::string> files;
  for (const auto& path : paths) {
    std::error_code ec;
    if (fs::is_directory(path, ec)) {
      std::vector<std::string> found;
      for (const auto& entry : fs::directory_iterator(path, ec)) {
        if (entry.is_regular_file() && entry.path().extension() == ".lw") {
          found.push_back(entry.path().string());
        }
      }
      if (found.empty()) throw InputError(fmt::format("{}: folder holds no .lw model file", path));
      std::sort(found.begin(), found.end());
      files.insert(files.end(), found.begin(), found.end());
    } else if (fs::is_regular_file(path, ec)) {
      files.push_back(path);
    } else {
      throw InputError(fmt::format("{}: no such model file or folder", path));
    }
  }
  return files;
}

}  // namespace latwin::lang
