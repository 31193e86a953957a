#pragma once
// Output files that appear whole or not at all: content goes to "PATH.tmp.<pid>" in the same
// folder, is flushed to disk, then renamed over PATH. A run that is interrupted leaves at
// most the temporary file, never a half-written file under the final name.
#include <filesystem>
#include <string>
#include <string_view>

namespace latwin {

// Streams a file that is renamed into place by commit(). Not thread-safe. When destroyed
// without commit() (an exception, a stopped run) the temporary file is removed.
class AtomicFileWriter {
 public:
  // Creates the temporary file next to path. Throws latwin::InputError naming the path when
  // the folder does not exist or is not writable.
  explicit AtomicFileWriter(std::filesystem::path path);
  ~AtomicFileWriter();
  AtomicFileWriter(const AtomicFileWriter&) = delete;
  AtomicFileWriter& operator=(const AtomicFileWriter&) = delete;

  // Appends bytes; they reach the disk in blocks of kFlushBytes. Throws latwin::InputError
  // when the disk refuses them (full, removed).
  void write(std::string_view bytes);
  // Flushes, fsyncs and renames the temporary file to the final path. Throws
  // latwin::InputError on failure (the temporary file is then removed).
  void commit();

  const std::filesystem::path& path() const { return path_; }

 private:
  // 1 MiB: few enough system calls that writing is never the bottleneck of a run.
  static constexpr std::size_t kFlushBytes = 1 << 20;
  void flush();
  void discard() noexcept;

  std::filesystem::path path_;
  std::filesystem::path tmp_path_;
  std::string buffer_;
  int fd_ = -1;
  bool committed_ = false;
};

// Writes content to path atomically (see AtomicFileWriter). Throws latwin::InputError.
void write_file_atomically(const std::filesystem::path& path, std::string_view content);

}  // namespace latwin
