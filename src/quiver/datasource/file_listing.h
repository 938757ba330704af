#pragma once

#include <arrow/result.h>

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace quiver::datasource {

/// One file of a table: its path (as the user spelled it, relative paths stay relative) and size.
struct FileEntry {
  std::string path;
  int64_t size = 0;
  bool operator==(const FileEntry& other) const = default;
};

/// Returns whether `path` contains glob characters (`*`, `?`, `[`).
bool is_glob(std::string_view path);

/// Lists the files a table path names, sorted by path:
/// - a file: that file (whatever its extension);
/// - a directory: every regular file under it, recursively, whose name ends with one of
///   `extensions` (all files when empty), skipping hidden names (`.x`, `_SUCCESS`);
/// - a glob (`dir/*.parquet`): the files matching it (`*` does not cross `/`).
/// A path that does not exist, or a glob that matches nothing, is a user error naming it.
/// A `file://` prefix is accepted; other URL schemes are not implemented.
arrow::Result<std::vector<FileEntry>> list_files(std::string_view path,
                                                 const std::vector<std::string>& extensions = {});

}  // namespace quiver::datasource
