// latwin's command line. The one place where exceptions become messages and exit codes
// (core/error.hpp); the commands themselves live one per file in this folder.
#include <fmt/format.h>

#include <cstdio>
#include <exception>

#include "cli/commands.hpp"
#include "core/error.hpp"
#include "latwin/version.hpp"

namespace {

// Prints an error message on its own line(s); messages with a source excerpt end in '\n'.
void print_error(const char* prefix, const char* message) {
  std::string text = fmt::format("{}{}", prefix, message);
  if (text.empty() || text.back() != '\n') text.push_back('\n');
  std::fputs(text.c_str(), stderr);
}

}  // namespace

int main(int argc, char** argv) {
  using namespace latwin;
  std::vector<std::string> command_line(argv, argv + argc);

  CLI::App app(
      "latwin simulates U.S. security strategy in Latin America: it runs system-dynamics "
      "models of the region as Monte Carlo ensembles and reports what happens across them.",
      "latwin");
  app.set_version_flag("--version", fmt::format("latwin {}", kVersion),
                       "Print the version and exit");
  app.require_subcommand(1);
  app.footer("Run 'latwin COMMAND --help' for a command's options.\n");
  std::vector<cli::Command> commands = {
      cli::add_check_command(app), cli::add_run_command(app, command_line),
      cli::add_compare_command(app), cli::add_runs_command(app),
      cli::add_report_command(app), cli::add_optimize_command(app),
      cli::add_explore_command(app), cli::add_calibrate_command(app, command_line),
      cli::add_backtest_command(app, command_line), cli::add_history_command(app),
      cli::add_graph_command(app), cli::add_doc_command(app), cli::add_data_command(app)};

  try {
    try {
      app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
      // --help and --version print and succeed; anything else is a bad option.
      return app.exit(e) == 0 ? kExitOk : kExitInput;
    }
    for (const auto& command : commands) {
      if (command.app->parsed()) return command.run();
    }
    std::fputs("internal error: no command ran\n", stderr);
    return kExitInternal;
  } catch (const RunStopped& e) {
    print_error("", e.what());
    return kExitFailure;
  } catch (const InputError& e) {
    print_error("", e.what());
    return kExitInput;
  } catch (const ModelError& e) {
    print_error("", e.what());
    return kExitInput;
  } catch (const Error& e) {
    print_error("", e.what());
    return kExitInput;
  } catch (const std::exception& e) {
    print_error("internal error: ", e.what());
    return kExitInternal;
  } catch (...) {
    std::fputs("internal error: unknown exception\n", stderr);
    return kExitInternal;
  }
}
