// Parameter files (latwin-params/1): what is written reads back bit for bit, provenance
// included, and each kind of mistake gets its own error with the file and line.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstring>
#include <filesystem>
#include <fstream>
#include <random>

#include "core/error.hpp"
#include "policy/parameter_file.hpp"

namespace latwin::policy {
namespace {

using ::testing::HasSubstr;

// The message of the InputError parsing text throws; empty when it throws none.
std::string error_of(const std::string& text) {
  try {
    parse_parameter_file("p.yaml", text);
  } catch (const InputError& e) {
    return e.what();
  }
  return "";
}

const std::string kHead = "format: latwin-params/1\n";
const std::string kParameters =
    "parameters:\n"
    "  - {name: rate, elements: 1}\n"
    "  - {name: level, elements: 2}\n";

TEST(ParameterFile, ReadsAWellFormedFile) {
  ParameterFile file = parse_parameter_file(
      "p.yaml", kHead + "provenance: {method: abc, seed: 3, fit: {rmse: 0.25}, tags: [a, '1']}\n" +
                    kParameters + "sets:\n  - [0.1, 0.2, 0.3]\n  - [0.4, 0.5, 0.6]\n");
  EXPECT_EQ(file.sets.parameters, (std::vector<std::string>{"rate", "level"}));
  EXPECT_EQ(file.sets.elements, (std::vector<std::uint32_t>{1, 2}));
  EXPECT_EQ(file.sets.rows(), 2u);
  EXPECT_EQ(file.sets.row_width(), 3u);
  EXPECT_EQ(file.sets.unit[4], 0.5);
  EXPECT_EQ(file.provenance["method"], "abc");
  EXPECT_EQ(file.provenance["seed"], 3);
  EXPECT_EQ(file.provenance["fit"]["rmse"], 0.25);
  EXPECT_EQ(file.provenance["tags"][1], "1");  // quoted: text, not a number
  // Provenance may be left out.
  EXPECT_TRUE(parse_parameter_file("p.yaml", kHead + kParameters + "sets: [[0.5, 0.5, 0.5]]\n")
                  .provenance.empty());
}

TEST(ParameterFile, WriteThenReadIsBitForBit) {
  ParameterFile file;
  file.sets.parameters = {"homicide_elasticity", "cn_eradication_max"};
  file.sets.elements = {1, 33};
  std::mt19937_64 rng(42);
  std::uniform_real_distribution<double> uniform(0, 1);
  for (int i = 0; i < 50 * 34; ++i) {
    double u = uniform(rng);
    if (u == 0) u = 0.5;
    file.sets.unit.push_back(u);
  }
  // Awkward quantiles: the extremes a double can hold inside (0, 1).
  file.sets.unit[0] = std::nextafter(0.0, 1.0);
  file.sets.unit[1] = std::nextafter(1.0, 0.0);
  file.sets.unit[2] = 0.1;
  file.provenance = {{"method", "abc-rejection"},
                     {"data", "data/"},
                     {"seed", 1},
                     {"accepted", 50},
                     {"tolerance", 0.1},
                     {"whole", 2.0},
                     {"negative", -3},
                     {"flag", true},
                     {"nothing", nullptr},
                     {"number_as_text", "1.5"},
                     {"yes_as_text", "true"},
                     {"colon: text", "a: b # c"},
                     {"empty", ""},
                     {"fit", {{"rmse", {0.25, 1e-300, 12345678901234567.0}}, {"targets", nlohmann::ordered_json::array()}}},
                     {"empty_map", nlohmann::ordered_json::object()}};
  const std::string path =
      (std::filesystem::temp_directory_path() / "latwin-parameter-file-test.yaml").string();
  write_parameter_file(path, file);
  ParameterFile back = read_parameter_file(path);
  std::filesystem::remove(path);
  EXPECT_EQ(back.sets.parameters, file.sets.parameters);
  EXPECT_EQ(back.sets.elements, file.sets.elements);
  ASSERT_EQ(back.sets.unit.size(), file.sets.unit.size());
  for (std::size_t i = 0; i < file.sets.unit.size(); ++i) {
    EXPECT_EQ(std::memcmp(&back.sets.unit[i], &file.sets.unit[i], sizeof(double)), 0) << i;
  }
  EXPECT_EQ(back.provenance, file.provenance) << format_parameter_file(file);
  EXPECT_EQ(back.provenance.dump(), file.provenance.dump());
}

TEST(ParameterFile, UnreadableFile) {
  try {
    read_parameter_file("/nonexistent/posterior.yaml");
    FAIL() << "expected an error";
  } catch (const InputError& e) {
    EXPECT_THAT(e.what(), HasSubstr("/nonexistent/posterior.yaml: cannot read"));
  }
}

TEST(ParameterFile, BadYaml) {
  EXPECT_THAT(error_of(kHead + "parameters: [\n"), HasSubstr("p.yaml:"));
  EXPECT_THAT(error_of(kHead + "parameters: [\n"), HasSubstr("not valid YAML"));
}

TEST(ParameterFile, WrongOrMissingFormat) {
  EXPECT_THAT(error_of(kParameters + "sets: [[0.5, 0.5, 0.5]]\n"),
              HasSubstr("p.yaml:1: parameter file: 'format' is missing"));
  EXPECT_THAT(error_of("format: latwin-params/2\n" + kParameters + "sets: [[0.5, 0.5, 0.5]]\n"),
              HasSubstr("p.yaml:1: expected 'format: latwin-params/1'"));
}

TEST(ParameterFile, UnknownKey) {
  EXPECT_THAT(error_of(kHead + kParameters + "set: [[0.5, 0.5, 0.5]]\n"),
              HasSubstr("p.yaml:5: parameter file: unknown key 'set' (did you mean 'sets'?)"));
  EXPECT_THAT(error_of(kHead + "parameters:\n  - {name: rate, element: 1}\nsets: [[0.5]]\n"),
              HasSubstr("p.yaml:3: parameters: unknown key 'element'"));
}

TEST(ParameterFile, MissingParametersOrSets) {
  EXPECT_THAT(error_of(kHead + "sets: [[0.5]]\n"), HasSubstr("'parameters' is missing"));
  EXPECT_THAT(error_of(kHead + kParameters), HasSubstr("'sets' is missing"));
  EXPECT_THAT(error_of(kHead + "parameters: []\nsets: [[0.5]]\n"),
              HasSubstr("p.yaml:2: parameters: expected a list"));
}

TEST(ParameterFile, BadName) {
  EXPECT_THAT(error_of(kHead + "parameters:\n  - {name: 'two words', elements: 1}\nsets: [[0.5]]\n"),
              HasSubstr("p.yaml:3: parameters: 'two words' is not a parameter name"));
  EXPECT_THAT(error_of(kHead + "parameters:\n  - {name: [a], elements: 1}\nsets: [[0.5]]\n"),
              HasSubstr("p.yaml:3: parameters: name: expected text"));
  EXPECT_THAT(error_of(kHead + "parameters:\n  - {name: a, elements: 1}\n  - {name: a, elements: 1}\n"
                               "sets: [[0.5, 0.5]]\n"),
              HasSubstr("p.yaml:4: parameters: 'a' is listed twice"));
}

TEST(ParameterFile, ElementsNotAPositiveInteger) {
  for (const char* count : {"0", "-1", "1.5", "many"}) {
    std::string text = kHead + "parameters:\n  - {name: rate, elements: " + count + "}\nsets: [[0.5]]\n";
    EXPECT_THAT(error_of(text), HasSubstr("p.yaml:3: parameters: elements of 'rate'")) << count;
  }
}

TEST(ParameterFile, SetOfTheWrongLength) {
  EXPECT_THAT(error_of(kHead + kParameters + "sets:\n  - [0.5, 0.5, 0.5]\n  - [0.5, 0.5]\n"),
              HasSubstr("p.yaml:7: set 2: expected a list of 3 values (one per element of each "
                        "parameter), found 2 values"));
  EXPECT_THAT(error_of(kHead + kParameters + "sets:\n  - 0.5\n"),
              HasSubstr("p.yaml:6: set 1: expected a list of 3 values"));
}

TEST(ParameterFile, ValueNotANumberOrOutsideTheUnitInterval) {
  EXPECT_THAT(error_of(kHead + kParameters + "sets:\n  - [0.5, x, 0.5]\n"),
              HasSubstr("p.yaml:6: set 1, value 2: expected a number, found 'x'"));
  for (const char* value : {"0", "1", "1.5", "-0.1", ".nan"}) {
    std::string text = kHead + kParameters + "sets:\n  - [0.5, 0.5, " + value + "]\n";
    EXPECT_THAT(error_of(text), HasSubstr("p.yaml:6: set 1, value 3")) << value;
  }
  EXPECT_THAT(error_of(kHead + kParameters + "sets:\n  - [0.5, 0.5, 1]\n"),
              HasSubstr("1 is not inside (0, 1)"));
}

TEST(ParameterFile, NoSets) {
  EXPECT_THAT(error_of(kHead + kParameters + "sets: []\n"),
              HasSubstr("p.yaml:5: sets: no sets; expected at least one"));
}

TEST(ParameterFile, ProvenanceMustBeAMapping) {
  EXPECT_THAT(error_of(kHead + "provenance: [a]\n" + kParameters + "sets: [[0.5, 0.5, 0.5]]\n"),
              HasSubstr("p.yaml:2: provenance: expected a mapping"));
  // It becomes JSON, which holds UTF-8 text only.
  EXPECT_THAT(error_of(kHead + "provenance: {note: a\x80" "b}\n" + kParameters + "sets: [[0.5, 0.5, 0.5]]\n"),
              HasSubstr("p.yaml:2: provenance: text must be UTF-8"));
}

}  // namespace
}  // namespace latwin::policy
