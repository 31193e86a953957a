#include "core/atomic_file.hpp"

#include <fcntl.h>
#include <fmt/format.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>

#include "core/error.hpp"

namespace latwin {

namespace {

std::string errno_text() {
  return std::strerror(errno);
}

}  // namespace

AtomicFileWriter::AtomicFileWriter(std::filesystem::path path) : path_(std::move(path)) {
  tmp_path_ = path_;
  tmp_path_ += fmt::format(".tmp.{}", ::getpid());
  fd_ = ::open(tmp_path_.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd_ < 0) {
    throw InputError(fmt::format("{}: cannot write output file: {}", path_.string(), errno_text()));
  }
  buffer_.reserve(kFlushBytes);
}

AtomicFileWriter::~AtomicFileWriter() {
  if (!committed_) discard();
}

void AtomicFileWriter::write(std::string_view bytes) {
  buffer_.append(bytes);
  if (buffer_.size() >= kFlushBytes) flush();
}

void AtomicFileWriter::flush() {
  std::size_t done = 0;
  while (done < buffer_.size()) {
    ssize_t wrote = ::write(fd_, buffer_.data() + done, buffer_.size() - done);
    if (wrote < 0) {
      if (errno == EINTR) continue;
      std::string reason = errno_text();
      discard();
      throw InputError(fmt::format("{}: cannot write output file: {}", path_.string(), reason));
    }
    done += static_cast<std::size_t>(wrote);
  }
  buffer_.clear();
}

void AtomicFileWriter::commit() {
  if (committed_) return;
  if (fd_ < 0) {
    throw InputError(fmt::format("{}: output file was already abandoned", path_.string()));
  }
  flush();
  // fsync before rename, so that after a crash the final name holds either the old file or
  // the complete new one.
  if (::fsync(fd_) != 0 || ::close(fd_) != 0) {
    fd_ = -1;
    std::string reason = errno_text();
    discard();
    throw InputError(fmt::format("{}: cannot write output file: {}", path_.string(), reason));
  }
  fd_ = -1;
  if (std::rename(tmp_path_.c_str(), path_.c_str()) != 0) {
    std::string reason = errno_text();
    discard();
    throw InputError(
        fmt::format("{}: cannot move output file into place: {}", path_.string(), reason));
  }
  committed_ = true;
  // Make the rename itself durable; failure here loses nothing already written.
  std::filesystem::path folder = path_.parent_path();
  if (folder.empty()) folder = ".";
  int dir_fd = ::open(folder.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dir_fd >= 0) {
    ::fsync(dir_fd);
    ::close(dir_fd);
  }
}

void AtomicFileWriter::discard() noexcept {
  if (fd_ >= 0) ::close(fd_);
  fd_ = -1;
  std::error_code ignored;
  std::filesystem::remove(tmp_path_, ignored);
}

void write_file_atomically(const std::filesystem::path& path, std::string_view content) {
  AtomicFileWriter writer(path);
  writer.write(content);
  writer.commit();
}

}  // namespace latwin
