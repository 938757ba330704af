#include "quiver/datasource/file_group.h"

#include <algorithm>
#include <cstdlib>

namespace quiver::datasource {

namespace {

constexpr size_t kMaxDisplayed = 5;

}  // namespace

std::vector<FileGroup> split_file_groups(const std::vector<FileEntry>& files,
                                         int target_partitions) {
  std::vector<FileGroup> groups;
  if (files.empty()) return groups;
  const size_t n = files.size();
  size_t remaining_groups = std::min(n, static_cast<size_t>(std::max(1, target_partitions)));
  int64_t remaining_bytes = 0;
  for (const auto& f : files) remaining_bytes += f.size;

  size_t next = 0;
  while (next < n) {
    FileGroup group;
    if (remaining_groups <= 1) {
      group.assign(files.begin() + static_cast<std::ptrdiff_t>(next), files.end());
      next = n;
    } else {
      // Aim for an equal share of the bytes still to place; take at least one file and leave
      // at least one file for each group still to fill.
      const double ideal =
          static_cast<double>(remaining_bytes) / static_cast<double>(remaining_groups);
      const size_t last_allowed = n - (remaining_groups - 1);  // exclusive end for this group
      double bytes = 0;
      do {
        bytes += static_cast<double>(files[next].size);
        group.push_back(files[next]);
        ++next;
      } while (next < last_allowed && std::abs(bytes + static_cast<double>(files[next].size) -
                                               ideal) < std::abs(bytes - ideal));
    }
    remaining_bytes -= file_group_bytes(group);
    groups.push_back(std::move(group));
    if (remaining_groups > 0) --remaining_groups;
  }
  return groups;
}

int64_t file_group_bytes(const FileGroup& group) {
  int64_t total = 0;
  for (const auto& f : group) total += f.size;
  return total;
}

std::string display_file_groups(const std::vector<FileGroup>& groups) {
  std::string out =
      "{" + std::to_string(groups.size()) + (groups.size() == 1 ? " group: [" : " groups: [");
  for (size_t g = 0; g < groups.size(); ++g) {
    if (g > 0) out += ", ";
    if (g == kMaxDisplayed) {
      out += "...";
      break;
    }
    out += "[";
    const FileGroup& group = groups[g];
    for (size_t i = 0; i < group.size(); ++i) {
      if (i > 0) out += ", ";
      if (i == kMaxDisplayed) {
        out += "...";
        break;
      }
      out += group[i].path;
    }
    out += "]";
  }
  return out + "]}";
}

}  // namespace quiver::datasource
