#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "quiver/datasource/file_listing.h"

namespace quiver::datasource {

/// The files one partition of a scan reads, in order.
using FileGroup = std::vector<FileEntry>;

/// Splits files into at most `target_partitions` groups of consecutive files with balanced
/// byte sizes, keeping the files' order (so the split is deterministic). With fewer files than
/// partitions each file gets its own group. No files give no groups.
std::vector<FileGroup> split_file_groups(const std::vector<FileEntry>& files,
                                         int target_partitions);

/// Returns the total size of a group's files.
int64_t file_group_bytes(const FileGroup& group);

/// Renders groups as plans show them: `{2 groups: [[a.parquet, b.parquet], [c.parquet]]}`. At most
/// five groups and five files per group are listed, then `...`.
std::string display_file_groups(const std::vector<FileGroup>& groups);

}  // namespace quiver::datasource
