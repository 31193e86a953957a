#include "cli/params_option.hpp"

namespace latwin::cli {

void add_params_option(CLI::App* command, std::string& path, const std::string& note) {
  command
      ->add_option("--params", path,
                   "Parameter sets from `latwin calibrate` (a posterior): member m uses set m mod "
                   "N instead of drawing the listed parameters from their prior ranges" + note)
      ->type_name("FILE");
}

std::optional<policy::ParameterFile> read_params(const std::string& path) {
  if (path.empty()) return std::nullopt;
  return policy::read_parameter_file(path);
}

engine::ParameterSets params_sets(const std::optional<policy::ParameterFile>& file) {
  return file ? file->sets : engine::ParameterSets{};
}

nlohmann::ordered_json params_record(const std::string& path,
                                     const std::optional<policy::ParameterFile>& file) {
  using Json = nlohmann::ordered_json;
  if (!file) return Json(nullptr);
  return Json{{"file", path},
              {"sets", file->sets.rows()},
              {"parameters", file->sets.parameters},
              {"provenance", file->provenance}};
}

}  // namespace latwin::cli
