#pragma once
// Running the latwin binary (LATWIN_CLI_PATH) in end-to-end tests.
#include <fmt/format.h>
#include <sys/wait.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

namespace latwin::test {

struct CliRun {
  int exit_code = -1;
  std::string out;
  std::string err;
};

// Runs "latwin ARGS" inside folder dir (args go through the shell as written) and collects
// its exit code, stdout and stderr. LATWIN_PROJECT_DATA_DIR is set to project_data_dir, ""
// by default, so the project's own data folder is never the default unless a test asks.
// env adds variables for the command only, as the shell writes them: "PATH='/x'".
inline CliRun run_cli(const std::filesystem::path& dir, const std::string& args,
                      const std::string& project_data_dir = "", const std::string& env = "") {
  std::filesystem::path out = dir / "cli-stdout.txt";
  std::filesystem::path err = dir / "cli-stderr.txt";
  std::string command =
      fmt::format("cd '{}' && LATWIN_PROJECT_DATA_DIR='{}' {} '{}' {} > '{}' 2> '{}'", dir.string(),
                  project_data_dir, env, LATWIN_CLI_PATH, args, out.string(), err.string());
  int status = std::system(command.c_str());
  auto slurp = [](const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
  };
  CliRun run;
  run.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  run.out = slurp(out);
  run.err = slurp(err);
  std::filesystem::remove(out);
  std::filesystem::remove(err);
  return run;
}

}  // namespace latwin::test
