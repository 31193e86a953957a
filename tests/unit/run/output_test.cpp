// The CSV sinks: row order, number format, atomic appearance, and summaries that do not
// depend on how members were split into batches.
#include "engine/run/output.hpp"

#include <fmt/format.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <sstream>
#include "support/temp_dir.hpp"

namespace latwin::engine {
namespace {

namespace fs = std::filesystem;

// A hand-built plan: stock x[country] over {COL, MEX} (slots 0, 1) and a scalar aux t (slot 2).
Plan small_plan() {
  Plan plan;
  plan.dimensions.push_back({"country", {"COL", "MEX"}, -1, {}, ""});
  Variable x;
  x.name = "x";
  x.role = VarRole::kStock;
  x.dims = {0};
  x.first_slot = 0;
  x.element_count = 2;
  Variable t;
  t.name = "t";
  t.role = VarRole::kAux;
  t.first_slot = 2;
  plan.variables = {x, t};
  plan.slot_count = 3;
  plan.slot_var = {0, 0, 1};
  return plan;
}

RunLayout small_layout(std::uint64_t members) {
  RunLayout layout;
  layout.save_times = {2020, 2020.5};
  layout.save_vars = {0, 1};
  layout.save_slots = {0, 1, 2};
  layout.members = members;
  return layout;
}

// Value of member m, slot s, time index i: distinct and easy to read in the expected text.
double value_of(std::uint64_t member, std::size_t slot, std::size_t time_idx) {
  return static_cast<double>(member) * 100 + static_cast<double>(slot) * 10 +
         static_cast<double>(time_idx) + 0.1;
}

BatchResult make_batch(const RunLayout& layout, std::uint64_t first_member, std::uint32_t lanes) {
  BatchResult batch;
  batch.first_member = first_member;
  batch.lanes = lanes;
  const std::size_t times = layout.save_times.size();
  batch.values.resize(layout.save_slots.size() * times * lanes);
  for (std::size_t slot = 0; slot < layout.save_slots.size(); ++slot) {
    for (std::size_t time_idx = 0; time_idx < times; ++time_idx) {
      for (std::uint32_t lane = 0; lane < lanes; ++lane) {
        batch.values[(slot * times + time_idx) * lanes + lane] =
            value_of(first_member + lane, slot, time_idx);
      }
    }
  }
  return batch;
}

class OutputTest : public test::TempDirTest {};

TEST_F(OutputTest, TrajectoryRowsGoByMemberThenTimeThenSlot) {
  Plan plan = small_plan();
  RunLayout layout = small_layout(3);
  TrajectoryCsvSink sink(dir_ / "trajectories.csv");
  sink.begin(plan, layout);
  sink.batch(make_batch(layout, 0, 2));
  sink.batch(make_batch(layout, 2, 1));
  sink.end();
  std::string expected = "member,time,variable,element,value\n";
  for (std::uint64_t member = 0; member < 3; ++member) {
    for (std::size_t time_idx = 0; time_idx < 2; ++time_idx) {
      const char* time = time_idx == 0 ? "2020" : "2020.5";
      expected += fmt::format("{},{},x,COL,{}\n", member, time, value_of(member, 0, time_idx));
      expected += fmt::format("{},{},x,MEX,{}\n", member, time, value_of(member, 1, time_idx));
      expected += fmt::format("{},{},t,,{}\n", member, time, value_of(member, 2, time_idx));
    }
  }
  EXPECT_EQ(read(dir_ / "trajectories.csv"), expected);
  EXPECT_EQ(file_count(), 1u);  // no temporary file left behind
}

TEST_F(OutputTest, TrajectoryNumbersUseTheShortestRoundTripForm) {
  Plan plan = small_plan();
  RunLayout layout = small_layout(1);
  layout.save_times = {2020};
  TrajectoryCsvSink sink(dir_ / "t.csv");
  sink.begin(plan, layout);
  BatchResult batch;
  batch.lanes = 1;
  batch.values = {0.1 + 0.2, 1e300, std::nan("")};
  sink.batch(batch);
  sink.end();
  EXPECT_EQ(read(dir_ / "t.csv"),
            "member,time,variable,element,value\n"
            "0,2020,x,COL,0.30000000000000004\n"
            "0,2020,x,MEX,1e+300\n"
            "0,2020,t,,nan\n");
}

TEST_F(OutputTest, FileAppearsUnderItsNameOnlyAtEnd) {
  Plan plan = small_plan();
  RunLayout layout = small_layout(2);
  {
    TrajectoryCsvSink sink(dir_ / "trajectories.csv");
    sink.begin(plan, layout);
    sink.batch(make_batch(layout, 0, 2));
    EXPECT_FALSE(fs::exists(dir_ / "trajectories.csv"));
    // Destroyed without end(): as if the run had been stopped.
  }
  EXPECT_EQ(file_count(), 0u);
}

TEST_F(OutputTest, InterruptedRunKeepsTheEarlierFile) {
  std::ofstream(dir_ / "trajectories.csv") << "earlier run\n";
  Plan plan = small_plan();
  RunLayout layout = small_layout(2);
  {
    TrajectoryCsvSink sink(dir_ / "trajectories.csv");
    sink.begin(plan, layout);
    sink.batch(make_batch(layout, 0, 2));
  }
  EXPECT_EQ(read(dir_ / "trajectories.csv"), "earlier run\n");
}

TEST_F(OutputTest, SummaryHasOneRowPerSlotAndTime) {
  Plan plan = small_plan();
  RunLayout layout = small_layout(4);
  SummaryCsvSink sink(dir_ / "summary.csv");
  sink.begin(plan, layout);
  BatchResult batch = make_batch(layout, 0, 4);
  // Member 3's x[COL] at 2020 is not a number: counted apart, left out of the statistics.
  batch.values[(0 * 2 + 0) * 4 + 3] = std::nan("");
  sink.batch(batch);
  sink.end();
  std::string text = read(dir_ / "summary.csv");
  std::istringstream lines(text);
  std::string line;
  std::vector<std::string> rows;
  while (std::getline(lines, line)) rows.push_back(line);
  ASSERT_EQ(rows.size(), 7u);
  EXPECT_EQ(rows[0], "variable,element,time,count,non_finite,mean,sd,p5,p25,p50,p75,p95");
  // x[COL] at 2020 over members 0, 1, 2: 0.1, 100.1, 200.1.
  EXPECT_THAT(rows[1], ::testing::StartsWith("x,COL,2020,3,1,100.1,"));
  EXPECT_THAT(rows[2], ::testing::StartsWith("x,COL,2020.5,4,0,"));
  EXPECT_THAT(rows[3], ::testing::StartsWith("x,MEX,2020,4,0,"));
  EXPECT_THAT(rows[5], ::testing::StartsWith("t,,2020,4,0,"));
  CellSummary cell = sink.summary(0, 0);
  EXPECT_EQ(cell.count, 3u);
  EXPECT_EQ(cell.non_finite, 1u);
  EXPECT_DOUBLE_EQ(cell.p50, 100.1);
}

TEST_F(OutputTest, SummaryDoesNotDependOnBatchSplit) {
  Plan plan = small_plan();
  RunLayout layout = small_layout(6);
  SummaryCsvSink whole(dir_ / "whole.csv");
  whole.begin(plan, layout);
  whole.batch(make_batch(layout, 0, 6));
  whole.end();
  SummaryCsvSink split(dir_ / "split.csv");
  split.begin(plan, layout);
  split.batch(make_batch(layout, 0, 2));
  split.batch(make_batch(layout, 2, 1));
  split.batch(make_batch(layout, 3, 3));
  split.end();
  EXPECT_EQ(read(dir_ / "whole.csv"), read(dir_ / "split.csv"));
}

TEST(CsvField, QuotesOnlyWhenNeeded) {
  std::string out;
  append_csv_field(out, "plain");
  out += '|';
  append_csv_field(out, "a,b");
  out += '|';
  append_csv_field(out, "say \"hi\"");
  EXPECT_EQ(out, "plain|\"a,b\"|\"say \"\"hi\"\"\"");
}

}  // namespace
}  // namespace latwin::engine
