#include "engine/run/output.hpp"

#include <fmt/format.h>

#include <iterator>

namespace latwin::engine {

void append_csv_field(std::string& out, std::string_view field) {
  if (field.find_first_of(",\"\r\n") == std::string_view::npos) {
    out.append(field);
    return;
  }
  out.push_back('"');
  for (char ch : field) {
    if (ch == '"') out.push_back('"');
    out.push_back(ch);
  }
  out.push_back('"');
}

std::vector<std::string> saved_slot_labels(const Plan& plan, const RunLayout& layout) {
  std::vector<std::string> labels;
  labels.reserve(layout.save_slots.size());
  for (std::uint32_t slot : layout.save_slots) {
    const Variable& var = plan.variables.at(plan.slot_var.at(slot));
    std::string label;
    append_csv_field(label, var.name);
    label.push_back(',');
    append_csv_field(label, plan.element_name(var, slot - var.first_slot));
    labels.push_back(std::move(label));
  }
  return labels;
}

// ---- TrajectoryCsvSink ----

TrajectoryCsvSink::TrajectoryCsvSink(std::filesystem::path path) : path_(std::move(path)) {}

void TrajectoryCsvSink::begin(const Plan& plan, const RunLayout& layout) {
  layout_ = layout;
  slot_labels_ = saved_slot_labels(plan, layout);
  writer_ = std::make_unique<AtomicFileWriter>(path_);
  writer_->write("member,time,variable,element,value\n");
}

void TrajectoryCsvSink::batch(const BatchResult& result) {
  const std::size_t times = layout_.save_times.size();
  const std::size_t slots = layout_.save_slots.size();
  const std::size_t lanes = result.lanes;
  // Time column text once per batch: the same for every member.
  std::vector<std::string> time_text;
  time_text.reserve(times);
  for (double time : layout_.save_times) time_text.push_back(fmt::format("{}", time));

  for (std::size_t lane = 0; lane < lanes; ++lane) {
    rows_.clear();
    const std::uint64_t member = result.first_member + lane;
    auto out = std::back_inserter(rows_);
    for (std::size_t time_idx = 0; time_idx < times; ++time_idx) {
      for (std::size_t slot_idx = 0; slot_idx < slots; ++slot_idx) {
        double value = result.values[(slot_idx * times + time_idx) * lanes + lane];
        fmt::format_to(out, "{},{},{},{}\n", member, time_text[time_idx], slot_labels_[slot_idx],
                       value);
      }
    }
    writer_->write(rows_);
  }
}

void TrajectoryCsvSink::end() {
  if (writer_) writer_->commit();
}

// ---- SummaryCsvSink ----

SummaryCsvSink::SummaryCsvSink(std::filesystem::path path) : path_(std::move(path)) {}

void SummaryCsvSink::begin(const Plan& plan, const RunLayout& layout) {
  layout_ = layout;
  slot_labels_ = saved_slot_labels(plan, layout);
  accumulator_ =
      std::make_unique<SummaryAccumulator>(layout.save_slots.size() * layout.save_times.size());
}

void SummaryCsvSink::batch(const BatchResult& result) {
  // Cells are laid out like the batch's values, [slot][time]; lanes go in member order.
  const std::size_t cells = accumulator_->cell_count();
  const std::size_t lanes = result.lanes;
  for (std::size_t lane = 0; lane < lanes; ++lane) {
    for (std::size_t cell = 0; cell < cells; ++cell) {
      accumulator_->add(cell, result.values[cell * lanes + lane]);
    }
  }
}

CellSummary SummaryCsvSink::summary(std::size_t slot_idx, std::size_t time_idx) const {
  return accumulator_->summary(slot_idx * layout_.save_times.size() + time_idx);
}

void SummaryCsvSink::end() {
  if (!accumulator_) return;
  std::string text = "variable,element,time,count,non_finite,mean,sd,p5,p25,p50,p75,p95\n";
  auto out = std::back_inserter(text);
  const std::size_t times = layout_.save_times.size();
  for (std::size_t slot_idx = 0; slot_idx < layout_.save_slots.size(); ++slot_idx) {
    for (std::size_t time_idx = 0; time_idx < times; ++time_idx) {
      CellSummary cell = summary(slot_idx, time_idx);
      fmt::format_to(out, "{},{},{},{},{},{},{},{},{},{},{}\n", slot_labels_[slot_idx],
                     layout_.save_times[time_idx], cell.count, cell.non_finite, cell.mean, cell.sd,
                     cell.p5, cell.p25, cell.p50, cell.p75, cell.p95);
    }
  }
  write_file_atomically(path_, text);
}

}  // namespace latwin::engine
