#pragma once
// A small RFC 4180 CSV reader for the data folder: comma-separated fields, fields in double
// quotes may hold commas, line breaks and doubled quotes (""). Accepts LF or CRLF line ends
// and a leading UTF-8 byte-order mark.
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace latwin::data {

class CsvReader {
 public:
  // text must outlive the reader; name is used in error messages ("data/panel.csv").
  CsvReader(std::string_view text, std::string name);

  // Reads the next record into fields; false at the end of the text. Blank lines are
  // skipped. Throws latwin::InputError "NAME:LINE: ..." on an unterminated quote or text
  // after a closing quote.
  bool next(std::vector<std::string>& fields);
  // Line on which the record last returned by next() starts (from 1).
  std::size_t line() const { return record_line_; }
  const std::string& name() const { return name_; }

 private:
  std::string_view text_;
  std::string name_;
  std::size_t pos_ = 0;
  std::size_t line_ = 1;
  std::size_t record_line_ = 0;
};

// Reads a whole file; throws latwin::InputError naming path when it cannot.
std::string read_text_file(const std::string& path);

// field without leading and trailing spaces and tabs.
std::string_view trim(std::string_view field);

}  // namespace latwin::data
