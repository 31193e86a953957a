#pragma once
// Compiling and running model text in tests.
#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "engine/compile/compiler.hpp"
#include "engine/run/ensemble.hpp"

namespace latwin::test {

inline std::shared_ptr<const engine::Plan> compile_ok(const std::string& text,
                                                      const engine::DataSource* data = nullptr) {
  auto result = engine::compile_text(text, data);
  EXPECT_TRUE(result.ok()) << result.messages();
  return result.plan;
}

// The formatted diagnostics of a model expected not to compile.
inline std::string compile_errors(const std::string& text,
                                  const engine::DataSource* data = nullptr) {
  auto result = engine::compile_text(text, data);
  EXPECT_FALSE(result.ok()) << "expected errors";
  return result.messages();
}

struct Collected {
  engine::RunReport report;
  std::shared_ptr<engine::TrajectoryCollector> trajectories;
};

inline Collected run_collect(std::shared_ptr<const engine::Plan> plan, engine::RunSpec spec) {
  Collected out;
  out.trajectories = std::make_shared<engine::TrajectoryCollector>();
  out.report = engine::run_ensemble(plan, spec, {out.trajectories.get()});
  return out;
}

}  // namespace latwin::test
