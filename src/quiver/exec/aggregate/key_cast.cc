#include "quiver/exec/aggregate/key_cast.h"

#include <arrow/compute/cast.h>

namespace quiver::exec {

arrow::Result<std::vector<std::shared_ptr<arrow::Array>>> cast_key_columns(
    const std::vector<std::shared_ptr<arrow::Array>>& keys,
    const std::vector<std::shared_ptr<arrow::DataType>>& types) {
  std::vector<std::shared_ptr<arrow::Array>> out = keys;
  for (size_t c = 0; c < keys.size() && c < types.size(); ++c) {
    if (keys[c]->type()->Equals(*types[c])) continue;
    ARROW_ASSIGN_OR_RAISE(arrow::Datum d, arrow::compute::Cast(keys[c], types[c]));
    out[c] = d.make_array();
  }
  return out;
}

}  // namespace quiver::exec
