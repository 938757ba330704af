#include "quiver/sql/source_position.h"

#include <algorithm>

namespace quiver::sql {

std::string source_position(std::string_view sql, int offset) {
  const size_t end = std::min(sql.size(), static_cast<size_t>(std::max(offset, 0)));
  int line = 1;
  int column = 1;
  for (size_t i = 0; i < end; ++i) {
    const auto c = static_cast<unsigned char>(sql[i]);
    if (c == '\n') {
      ++line;
      column = 1;
    } else if ((c & 0xC0) != 0x80) {  // count UTF-8 characters, not continuation bytes
      ++column;
    }
  }
  return "line " + std::to_string(line) + ", column " + std::to_string(column);
}

arrow::Status with_position(const arrow::Status& status, std::string_view sql, int offset) {
  if (status.ok() || offset < 0 || status.message().find(" at line ") != std::string::npos) {
    return status;
  }
  return status.WithMessage(status.message(), " at ", source_position(sql, offset));
}

}  // namespace quiver::sql
