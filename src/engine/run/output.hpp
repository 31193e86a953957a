#pragma once
// Sinks that write an ensemble's results as CSV files. Both write to a temporary file and
// rename it into place in end(), so an interrupted run never leaves a half file under the
// final name (core/atomic_file.hpp).
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/atomic_file.hpp"
#include "engine/run/ensemble.hpp"
#include "engine/run/summary.hpp"

namespace latwin::engine {

// Every saved value of every member, as tidy CSV:
//   member,time,variable,element,value
// Rows go by member, then save time, then saved slot (RunLayout::save_slots order). Numbers
// use the shortest form that reads back to the same double ("nan", "inf" when not finite).
// Element is empty for scalars. Throws latwin::InputError when the file cannot be written.
class TrajectoryCsvSink : public RunSink {
 public:
  explicit TrajectoryCsvSink(std::filesystem::path path);
  void begin(const Plan& plan, const RunLayout& layout) override;
  void batch(const BatchResult& result) override;
  void end() override;

 private:
  std::filesystem::path path_;
  std::unique_ptr<AtomicFileWriter> writer_;
  RunLayout layout_;
  std::vector<std::string> slot_labels_;  // "variable,element" of each saved slot
  std::string rows_;                      // one batch's rows, reused
};

// Ensemble statistics of every saved value at every save time, as CSV:
//   variable,element,time,count,non_finite,mean,sd,p5,p25,p50,p75,p95
// Rows go by saved slot, then save time. count is the number of finite values; the
// statistics leave the others out (non_finite counts them). Members are added in member
// order, so the file depends only on the values, never on threads or batch width.
class SummaryCsvSink : public RunSink {
 public:
  explicit SummaryCsvSink(std::filesystem::path path);
  void begin(const Plan& plan, const RunLayout& layout) override;
  void batch(const BatchResult& result) override;
  void end() override;

  // After begin(): the layout, and the summary of saved slot slot_idx (index into
  // layout().save_slots) at save time time_idx, over the members seen so far.
  const RunLayout& layout() const { return layout_; }
  CellSummary summary(std::size_t slot_idx, std::size_t time_idx) const;

 private:
  std::filesystem::path path_;
  RunLayout layout_;
  std::vector<std::string> slot_labels_;
  std::unique_ptr<SummaryAccumulator> accumulator_;
};

// "variable,element" for each saved slot of layout, CSV-quoted where needed.
std::vector<std::string> saved_slot_labels(const Plan& plan, const RunLayout& layout);

// Appends field to out, quoted (RFC 4180) when it holds a comma, quote or line break.
void append_csv_field(std::string& out, std::string_view field);

}  // namespace latwin::engine
