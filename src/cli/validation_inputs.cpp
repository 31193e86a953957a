#include "cli/validation_inputs.hpp"

#include <fmt/format.h>

#include <fstream>
#include <sstream>

#include "cli/commands.hpp"
#include "core/error.hpp"
#include "core/sha256.hpp"
#include "engine/lang/source.hpp"
#include "policy/model_interface.hpp"

namespace latwin::cli {

namespace {

// One hash over every model file's name and content, in order: which model a result came from.
std::string model_hash(const std::string& model_dir) {
  std::string all;
  for (const auto& path : lang::expand_model_paths({model_dir})) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream content;
    content << in.rdbuf();
    all += std::filesystem::path(path).filename().string() + '\0' + sha256_hex(content.str()) + '\0';
  }
  return sha256_hex(all);
}

}  // namespace

void add_validation_options(CLI::App* command, std::string& model, std::string& data_dir,
                            std::string& observations, std::string& scenario) {
  command->add_option("--model", model, "Model folder (default: models/hemisphere)")
      ->type_name("DIR");
  add_data_option(command, data_dir);
  command
      ->add_option("--observations", observations,
                   "Which model variable each data indicator measures (default: the model "
                   "folder's observations.yaml)")
      ->type_name("FILE");
  command
      ->add_option("--scenario", scenario,
                   "Scenario whose world (China's posture, commodity prices, shocks...) is held "
                   "at its levels over the past years, which the data do not cover")
      ->capture_default_str()
      ->type_name("NAME|FILE");
}

ValidationSetup prepare_validation(const std::string& model, const std::string& data_dir,
                                   const std::string& observations, const std::string& scenario,
                                   std::optional<int> compile_as_of) {
  ValidationSetup setup;
  setup.model_dir = resolve_model_dir(model);
  setup.data_dir = require_data_dir(data_dir);
  setup.model_sha256 = model_hash(setup.model_dir);
  std::string observations_path =
      observations.empty() ? study::find_observations_file({setup.model_dir}) : observations;
  if (observations_path.empty()) {
    throw InputError(fmt::format(
        "{}: no observations.yaml, which says which model variable each data indicator "
        "measures; write one (see models/hemisphere/observations.yaml) or give --observations",
        setup.model_dir));
  }
  setup.observations = study::read_observations(observations_path);
  setup.scenario_path = resolve_named_file("scenarios", scenario);
  // The vintages need the dictionary's gap policy.
  setup.panel = std::make_unique<data::Panel>(setup.data_dir, data::Dictionary::kRequired);
  if (compile_as_of) {
    setup.source = std::make_unique<data::PanelDataSource>(setup.panel->as_of(*compile_as_of));
    setup.compiled = engine::compile_files({setup.model_dir}, setup.source.get());
    print_diagnostics(setup.compiled);
    if (!setup.compiled.ok()) {
      throw ModelError(fmt::format("the model does not compile on the data as known in {}",
                                   *compile_as_of));
    }
    policy::ModelInterface interface =
        policy::describe_model(*setup.compiled.plan, &setup.source->panel());
    setup.scenario = policy::load_scenario(setup.scenario_path, interface);
  }
  return setup;
}

}  // namespace latwin::cli
