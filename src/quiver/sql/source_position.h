#pragma once

#include <arrow/status.h>

#include <string>
#include <string_view>

namespace quiver::sql {

/// Returns "line L, column C" for a 0-based byte offset into `sql` (columns count characters,
/// both 1-based).
std::string source_position(std::string_view sql, int offset);

/// Returns `status` with " at line L, column C" appended for a 0-based byte offset into `sql`;
/// unchanged when it is OK, when `offset` is unknown (negative) or when it already names a line.
arrow::Status with_position(const arrow::Status& status, std::string_view sql, int offset);

}  // namespace quiver::sql
