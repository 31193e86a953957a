#include <fmt/format.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>

#include "cli/commands.hpp"
#include "core/error.hpp"

namespace latwin::cli {

namespace {

bool holds_panel(const std::string& dir) {
  std::error_code ignored;
  return !dir.empty() &&
         std::filesystem::is_regular_file(std::filesystem::path(dir) / "panel.csv", ignored);
}

}  // namespace

void add_model_options(CLI::App* command, std::vector<std::string>& models, std::string& data_dir) {
  command
      ->add_option("model", models,
                   "Model files (.lw) or folders of them; a model may span several files")
      ->required()
      ->type_name("MODEL");
  add_data_option(command, data_dir);
}

void add_data_option(CLI::App* command, std::string& data_dir) {
  std::string project = project_data_dir();
  command
      ->add_option("--data", data_dir,
                   fmt::format("Folder with the historical data (countries.csv, panel.csv, "
                               "indicators.csv); default: ./data when it holds panel.csv, else "
                               "the project's data folder{} when it does",
                               project.empty() ? "" : fmt::format(" ({})", project)))
      ->type_name("DIR");
}

std::string project_data_dir() {
  if (const char* from_env = std::getenv("LATWIN_PROJECT_DATA_DIR")) return from_env;
  return LATWIN_PROJECT_DATA_DIR;
}

std::string resolve_data_dir(const std::string& data_dir) {
  if (!data_dir.empty()) return data_dir;
  if (holds_panel("data")) return "data";
  std::string project = project_data_dir();
  if (holds_panel(project)) return project;
  return "";
}

std::string require_data_dir(const std::string& data_dir) {
  std::string resolved = resolve_data_dir(data_dir);
  if (!resolved.empty()) return resolved;
  std::string project = project_data_dir();
  throw InputError(fmt::format(
      "no data folder: neither ./data{} holds panel.csv; give one with --data DIR",
      project.empty() ? "" : fmt::format(" nor the project's data folder {}", project)));
}

std::unique_ptr<data::PanelDataSource> load_data(const std::string& resolved_dir) {
  if (resolved_dir.empty()) return nullptr;
  return std::make_unique<data::PanelDataSource>(resolved_dir);
}

void create_output_folder(const std::string& path) {
  try {
    std::filesystem::create_directories(path);
  } catch (const std::filesystem::filesystem_error& e) {
    throw InputError(
        fmt::format("{}: cannot create the output folder: {}", path, e.code().message()));
  }
}

void print_diagnostics(const engine::CompileResult& result) {
  std::string messages = result.messages();
  if (!messages.empty()) std::fputs(messages.c_str(), stderr);
}

}  // namespace latwin::cli
