#include <fmt/format.h>

#include <cstdio>
#include <ctime>
#include <cstdlib>
#include <filesystem>
#include <fmt/ranges.h>
#include <algorithm>

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

std::string resolve_model_dir(const std::string& model_dir) {
  if (!model_dir.empty()) return model_dir;
  std::error_code ignored;
  if (std::filesystem::is_directory("models/hemisphere", ignored)) return "models/hemisphere";
  return (std::filesystem::path(project_dir()) / "models/hemisphere").string();
}

std::string project_dir() {
  if (const char* from_env = std::getenv("LATWIN_PROJECT_DIR")) return from_env;
  return LATWIN_PROJECT_DIR;
}

namespace {

std::vector<std::filesystem::path> search_folders(const std::string& folder) {
  std::vector<std::filesystem::path> folders = {std::filesystem::path(folder)};
  std::string project = project_dir();
  if (!project.empty()) folders.push_back(std::filesystem::path(project) / folder);
  return folders;
}

}  // namespace

std::vector<std::string> available_names(const std::string& folder) {
  std::error_code ignored;
  for (const auto& dir : search_folders(folder)) {
    if (!std::filesystem::is_directory(dir, ignored)) continue;
    std::vector<std::string> names;
    for (const auto& entry : std::filesystem::directory_iterator(dir, ignored)) {
      if (entry.path().extension() == ".yaml") names.push_back(entry.path().stem().string());
    }
    std::sort(names.begin(), names.end());
    if (!names.empty()) return names;
  }
  return {};
}

std::string resolve_named_file(const std::string& folder, const std::string& name) {
  std::error_code ignored;
  if (name.find('/') != std::string::npos || name.ends_with(".yaml")) {
    if (!std::filesystem::is_regular_file(name, ignored)) {
      throw InputError(fmt::format("{}: no such file", name));
    }
    return name;
  }
  std::vector<std::string> tried;
  for (const auto& dir : search_folders(folder)) {
    std::filesystem::path candidate = dir / (name + ".yaml");
    if (std::filesystem::is_regular_file(candidate, ignored)) return candidate.string();
    tried.push_back(candidate.string());
  }
  std::vector<std::string> names = available_names(folder);
  throw InputError(fmt::format("no file for '{}' (looked for {}); {}", name, fmt::join(tried, " and "),
                               names.empty() ? "no " + folder + " found"
                                             : fmt::format("available: {}", fmt::join(names, ", "))));
}

ProgressLine::ProgressLine(std::uint64_t total, bool enabled, std::string label)
    : total_(total), enabled_(enabled), label_(std::move(label)) {}

void ProgressLine::update(std::uint64_t done) {
  if (!enabled_) return;
  auto now = std::chrono::steady_clock::now();
  if (done < total_ && shown_ && now - last_ < std::chrono::milliseconds(100)) return;
  last_ = now;
  shown_ = true;
  std::fprintf(stderr, "\r\x1b[K%s %llu/%llu (%llu%%)", label_.c_str(),
               static_cast<unsigned long long>(done), static_cast<unsigned long long>(total_),
               static_cast<unsigned long long>(total_ == 0 ? 100 : done * 100 / total_));
  std::fflush(stderr);
}

void ProgressLine::finish() {
  if (shown_) std::fputs("\r\x1b[K", stderr);
  shown_ = false;
}

void print_diagnostics(const engine::CompileResult& result) {
  std::string messages = result.messages();
  if (!messages.empty()) std::fputs(messages.c_str(), stderr);
}

}  // namespace latwin::cli
