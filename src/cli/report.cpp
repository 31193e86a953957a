// latwin report: the HTML report of a stored comparison, or of a compare.json file.
#include <fmt/format.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "cli/commands.hpp"
#include "core/atomic_file.hpp"
#include "core/error.hpp"
#include "report/html_report.hpp"
#include "store/store.hpp"

namespace latwin::cli {

namespace {

struct ReportOptions {
  std::int64_t run_id = 0;
  std::string json_path, store, out = "report.html";
};

int run_report(const ReportOptions& options) {
  std::string text;
  std::string what;
  if (!options.json_path.empty()) {
    std::ifstream in(options.json_path, std::ios::binary);
    if (!in) throw InputError(fmt::format("{}: cannot read the file", options.json_path));
    std::ostringstream buffer;
    buffer << in.rdbuf();
    text = buffer.str();
    what = options.json_path;
  } else {
    if (options.run_id <= 0) {
      throw InputError("which run? give its ID (see 'latwin runs list') or --json compare.json");
    }
    std::filesystem::path path =
        options.store.empty() ? store::default_store_path() : std::filesystem::path(options.store);
    store::Store store(path);
    auto run = store.load(options.run_id);
    if (!run) throw InputError(fmt::format("no run {} in {}", options.run_id, store.path().string()));
    if (run->document.empty()) {
      throw InputError(fmt::format("run {} in {} has no comparison document to report",
                                   options.run_id, store.path().string()));
    }
    text = run->document;
    what = fmt::format("run {} in {}", options.run_id, store.path().string());
  }
  nlohmann::json document;
  try {
    document = nlohmann::json::parse(text);
  } catch (const nlohmann::json::parse_error& e) {
    throw InputError(fmt::format("{}: not valid JSON: {}", what, e.what()));
  }
  std::string html = report::render_any_report_html(document);
  std::filesystem::path out(options.out);
  if (out.has_parent_path()) create_output_folder(out.parent_path().string());
  AtomicFileWriter writer(out);
  writer.write(html);
  writer.commit();
  fmt::print("Report of {}: {}\n", what, out.string());
  return kExitOk;
}

}  // namespace

Command add_report_command(CLI::App& app) {
  auto options = std::make_shared<ReportOptions>();
  CLI::App* command = app.add_subcommand(
      "report",
      "Write the HTML report of a stored run (comparison, exploration, optimisation or backtest): "
      "one file that works offline");
  command->add_option("id", options->run_id, "Run ID in the results store (latwin runs list)")
      ->type_name("ID");
  command
      ->add_option("--json", options->json_path,
                   "Report a JSON document (compare.json, backtest.json, ...) instead of a stored "
                   "run")
      ->type_name("FILE");
  command
      ->add_option("--store", options->store,
                   fmt::format("Results store; default: $LATWIN_STORE, else {}",
                               store::default_store_path().string()))
      ->type_name("PATH");
  command->add_option("--out", options->out, "HTML file to write")->capture_default_str();
  return {command, [options]() { return run_report(*options); }};
}

}  // namespace latwin::cli
