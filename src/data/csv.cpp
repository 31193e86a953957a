#include "data/csv.hpp"

#include <fmt/format.h>

#include <fstream>
#include <sstream>

#include "core/error.hpp"

namespace latwin::data {

CsvReader::CsvReader(std::string_view text, std::string name)
    : text_(text), name_(std::move(name)) {
  if (text_.starts_with("\xEF\xBB\xBF")) pos_ = 3;
}

bool CsvReader::next(std::vector<std::string>& fields) {
  fields.clear();
  // Skip blank lines between records.
  while (pos_ < text_.size() && (text_[pos_] == '\n' || text_[pos_] == '\r')) {
    if (text_[pos_] == '\n') ++line_;
    ++pos_;
  }
  if (pos_ >= text_.size()) return false;
  record_line_ = line_;

  std::string field;
  while (true) {
    if (pos_ < text_.size() && text_[pos_] == '"') {
      // Quoted field: up to the closing quote; "" stands for one quote.
      std::size_t open_line = line_;
      ++pos_;
      while (true) {
        if (pos_ >= text_.size()) {
          throw InputError(fmt::format("{}:{}: unterminated quoted field", name_, open_line));
        }
        char ch = text_[pos_++];
        if (ch == '"') {
          if (pos_ < text_.size() && text_[pos_] == '"') {
            field.push_back('"');
            ++pos_;
            continue;
          }
          break;
        }
        if (ch == '\n') ++line_;
        field.push_back(ch);
      }
      // Only a separator or the end of the record may follow the closing quote.
      if (pos_ < text_.size() && text_[pos_] != ',' && text_[pos_] != '\n' && text_[pos_] != '\r') {
        throw InputError(fmt::format("{}:{}: unexpected text after a closing quote", name_, line_));
      }
    } else {
      while (pos_ < text_.size() && text_[pos_] != ',' && text_[pos_] != '\n' &&
             text_[pos_] != '\r') {
        field.push_back(text_[pos_++]);
      }
    }
    fields.push_back(std::move(field));
    field.clear();
    if (pos_ < text_.size() && text_[pos_] == ',') {
      ++pos_;
      continue;
    }
    // End of record: "\n", "\r\n" or the end of the text.
    if (pos_ < text_.size() && text_[pos_] == '\r') ++pos_;
    if (pos_ < text_.size() && text_[pos_] == '\n') {
      ++pos_;
      ++line_;
    }
    return true;
  }
}

std::string read_text_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw InputError(fmt::format("{}: cannot open data file", path));
  std::ostringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

std::string_view trim(std::string_view field) {
  while (!field.empty() && (field.front() == ' ' || field.front() == '\t')) field.remove_prefix(1);
  while (!field.empty() && (field.back() == ' ' || field.back() == '\t')) field.remove_suffix(1);
  return field;
}

}  // namespace latwin::data
