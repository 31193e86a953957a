// check_data_folder on clean folders; the planted faults are in tests/e2e/data_cli_test.cpp,
// which runs them through `latwin data check`.
#include "data/check.hpp"

#include <gtest/gtest.h>

#include <string>

#include "core/error.hpp"

namespace latwin::data {
namespace {

const std::string kFixture = std::string(LATWIN_SOURCE_DIR) + "/tests/data/panel-v1";
const std::string kMini = std::string(LATWIN_SOURCE_DIR) + "/tests/data/mini";

TEST(DataCheck, FixturePassesCheck) {
  DataCheck check = check_data_folder(kFixture);
  for (const auto& problem : check.problems) ADD_FAILURE() << problem.text();
  EXPECT_TRUE(check.ok());
  EXPECT_EQ(check.indicators, 4u);
  EXPECT_EQ(check.rows, 70u);
  EXPECT_EQ(check.countries, 6u);
}

TEST(DataCheck, MiniFolderPassesCheck) {
  DataCheck check = check_data_folder(kMini);
  for (const auto& problem : check.problems) ADD_FAILURE() << problem.text();
  EXPECT_TRUE(check.ok());
}

TEST(DataCheck, MissingFolderIsAnInputError) {
  EXPECT_THROW(check_data_folder(kFixture + "/nowhere"), InputError);
}

}  // namespace
}  // namespace latwin::data
