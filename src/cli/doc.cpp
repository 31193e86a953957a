// latwin doc: a model's reference documentation (Markdown) and its causal graph (DOT, SVG).
#include <fcntl.h>
#include <fmt/format.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "cli/commands.hpp"
#include "core/atomic_file.hpp"
#include "core/error.hpp"
#include "engine/doc/model_doc.hpp"

extern char** environ;

namespace latwin::cli {

namespace {

namespace fs = std::filesystem;

// The files latwin doc writes into the output folder.
constexpr const char* kPageName = "model.md";
constexpr const char* kDotName = "model-graph.dot";
constexpr const char* kSvgName = "model-graph.svg";

struct DocCommandOptions {
  std::vector<std::string> models;
  std::string data_dir;
  std::string out;
};

// The page's title: the model folder's or file's name, as the user named it.
std::string model_title(const std::vector<std::string>& models) {
  if (models.size() != 1) return "model";
  fs::path path = fs::path(models[0]).lexically_normal();
  if (!path.has_filename()) path = path.parent_path();  // "folder/"
  if (path.empty() || path == ".") path = fs::current_path();
  std::error_code ignored;
  return fs::is_directory(path, ignored) ? path.filename().string() : path.stem().string();
}

// A temporary file, deleted when it goes out of scope, that a child reads or writes.
class ScratchFile {
 public:
  ScratchFile() {
    std::string pattern = (fs::temp_directory_path() / "latwin-doc-XXXXXX").string();
    fd_ = ::mkostemp(pattern.data(), O_CLOEXEC);
    if (fd_ < 0) {
      throw Error(fmt::format("cannot create a temporary file in {}: {}",
                              fs::temp_directory_path().string(), std::strerror(errno)));
    }
    path_ = pattern;
  }
  ~ScratchFile() {
    ::close(fd_);
    ::unlink(path_.c_str());
  }
  ScratchFile(const ScratchFile&) = delete;
  ScratchFile& operator=(const ScratchFile&) = delete;

  int fd() const { return fd_; }
  // Writes text into the (new, empty) file and rewinds, for a child to read from the start.
  void write_all(std::string_view text) const {
    while (!text.empty()) {
      ssize_t put = ::write(fd_, text.data(), text.size());
      if (put < 0 && errno == EINTR) continue;
      if (put <= 0)
        throw Error(fmt::format("cannot write a temporary file: {}", std::strerror(errno)));
      text.remove_prefix(static_cast<std::size_t>(put));
    }
    ::lseek(fd_, 0, SEEK_SET);
  }
  std::string read_all() const {
    std::string text;
    char buffer[1 << 16];
    ssize_t got = 0;
    ::lseek(fd_, 0, SEEK_SET);
    while ((got = ::read(fd_, buffer, sizeof buffer)) > 0)
      text.append(buffer, static_cast<std::size_t>(got));
    return text;
  }

 private:
  int fd_ = -1;
  std::string path_;
};

// Draws the graph with Graphviz ("dot -Tsvg", found on PATH, run without a shell) and returns
// the SVG. Its input and output are temporary files rather than pipes, so a large graph
// cannot block either side. Throws latwin::Error naming the problem when dot is missing or
// fails.
std::string render_svg(const std::string& dot) {
  ScratchFile input, output, errors;
  input.write_all(dot);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, input.fd(), STDIN_FILENO);
  posix_spawn_file_actions_adddup2(&actions, output.fd(), STDOUT_FILENO);
  posix_spawn_file_actions_adddup2(&actions, errors.fd(), STDERR_FILENO);
  std::string program = "dot", format = "-Tsvg";
  char* argv[] = {program.data(), format.data(), nullptr};
  pid_t pid = 0;
  int spawned = ::posix_spawnp(&pid, program.c_str(), &actions, nullptr, argv, environ);
  posix_spawn_file_actions_destroy(&actions);
  if (spawned != 0) {
    std::string why = spawned == ENOENT
                          ? "was not found on PATH"
                          : fmt::format("could not be started ({})", std::strerror(spawned));
    throw Error(fmt::format(
        "cannot draw {}: Graphviz's 'dot' command {}; install Graphviz (scripts/install-deps.sh "
        "does) or put dot on PATH",
        kSvgName, why));
  }
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0) {
    if (errno != EINTR) {
      throw Error(
          fmt::format("cannot draw {}: waiting for dot: {}", kSvgName, std::strerror(errno)));
    }
  }
  std::string message = errors.read_all();
  while (!message.empty() && (message.back() == '\n' || message.back() == '\r')) message.pop_back();
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    std::string how = WIFEXITED(status) ? fmt::format("exited with code {}", WEXITSTATUS(status))
                                        : fmt::format("was killed by signal {}", WTERMSIG(status));
    throw Error(fmt::format("cannot draw {}: 'dot -Tsvg' {}{}", kSvgName, how,
                            message.empty() ? "" : ":\n" + message));
  }
  std::string svg = output.read_all();
  if (svg.empty()) {
    throw Error(fmt::format("cannot draw {}: 'dot -Tsvg' wrote nothing{}", kSvgName,
                            message.empty() ? "" : ":\n" + message));
  }
  return svg;
}

int run_doc(const DocCommandOptions& options) {
  auto data = load_data(resolve_data_dir(options.data_dir));
  engine::CompileResult result = engine::compile_files(options.models, data.get());
  print_diagnostics(result);
  if (!result.ok()) return kExitFailure;

  engine::DocOptions doc;
  doc.title = model_title(options.models);
  doc.graph_svg = kSvgName;
  doc.graph_dot = kDotName;
  std::string page = engine::model_markdown(*result.plan, doc);
  // Everything is made before the folder is touched, so a missing Graphviz leaves it as it was.
  std::string dot = engine::to_dot(*result.plan);
  std::string svg = render_svg(dot);

  fs::path out(options.out);
  create_output_folder(options.out);
  const fs::path page_path = out / kPageName;
  const fs::path dot_path = out / kDotName;
  const fs::path svg_path = out / kSvgName;
  write_file_atomically(page_path, page);
  write_file_atomically(dot_path, dot);
  write_file_atomically(svg_path, svg);
  std::printf("Wrote %s, %s, %s\n", page_path.string().c_str(), dot_path.string().c_str(),
              svg_path.string().c_str());
  return kExitOk;
}

}  // namespace

Command add_doc_command(CLI::App& app) {
  auto options = std::make_shared<DocCommandOptions>();
  CLI::App* command = app.add_subcommand(
      "doc",
      "Write the model's reference documentation: model.md (a section per file with its "
      "dimensions, stocks, parameters, auxiliaries, constants and lookups, the inputs it "
      "reads and the parameters without a source) and the causal graph as model-graph.dot "
      "and model-graph.svg (drawn by Graphviz's dot, which must be installed).");
  add_model_options(command, options->models, options->data_dir);
  command->add_option("--out", options->out, "Folder to write the files into (created if needed)")
      ->required()
      ->type_name("DIR");
  command->footer("Example: latwin doc models/examples/hemisphere-lite --out out/doc\n");
  return {command, [options] { return run_doc(*options); }};
}

}  // namespace latwin::cli
