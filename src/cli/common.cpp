#include <fmt/format.h>

#include <cstdio>
#include <filesystem>

#include "cli/commands.hpp"

namespace latwin::cli {

void add_model_options(CLI::App* command, std::vector<std::string>& models, std::string& data_dir) {
  command
      ->add_option("model", models,
                   "Model files (.lw) or folders of them; a model may span several files")
      ->required()
      ->type_name("MODEL");
  command
      ->add_option("--data", data_dir,
                   "Folder with the historical data (panel.csv, countries.csv); "
                   "default: ./data when it holds panel.csv")
      ->type_name("DIR");
}

std::string resolve_data_dir(const std::string& data_dir) {
  if (!data_dir.empty()) return data_dir;
  std::error_code ignored;
  if (std::filesystem::is_regular_file("data/panel.csv", ignored)) return "data";
  return "";
}

std::unique_ptr<data::PanelDataSource> load_data(const std::string& resolved_dir) {
  if (resolved_dir.empty()) return nullptr;
  return std::make_unique<data::PanelDataSource>(resolved_dir);
}

void print_diagnostics(const engine::CompileResult& result) {
  std::string messages = result.messages();
  if (!messages.empty()) std::fputs(messages.c_str(), stderr);
}

}  // namespace latwin::cli
