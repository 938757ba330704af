#pragma once

#include <arrow/result.h>

#include <cstdint>
#include <filesystem>
#include <mutex>
#include <string>
#include <vector>

#include "quiver/distributed/worker_resolver.h"

namespace quiver::distributed {

/// Reads the worker URLs from a text file, one per line (blank lines and lines starting with `#`
/// are skipped, surrounding spaces are trimmed). The file is read again whenever its modification
/// time or size changes, so workers can be added or removed while the coordinator runs; between
/// changes the last list is served from memory.
///
/// Thread-safety: worker_urls() may be called from many threads at once.
class FileWorkerResolver final : public WorkerResolver {
 public:
  /// Creates a resolver over `path`; the file is first read by worker_urls().
  explicit FileWorkerResolver(std::string path) : path_(std::move(path)) {}

  /// Returns the URLs listed in the file. A missing or unreadable file, or one that lists no
  /// URL, is an Invalid error naming the file.
  arrow::Result<std::vector<std::string>> worker_urls() const override;

  /// Returns the path of the file.
  const std::string& path() const { return path_; }

 private:
  std::string path_;
  mutable std::mutex mutex_;
  mutable bool loaded_ = false;
  mutable std::filesystem::file_time_type modified_;
  mutable std::uintmax_t size_ = 0;
  mutable std::vector<std::string> urls_;
};

/// Parses worker URLs from file text: one per line, trimmed, skipping blank and `#` lines.
std::vector<std::string> parse_worker_list(const std::string& text);

}  // namespace quiver::distributed
