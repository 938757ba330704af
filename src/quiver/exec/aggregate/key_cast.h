#pragma once

#include <arrow/array.h>
#include <arrow/result.h>

#include <memory>
#include <vector>

namespace quiver::exec {

/// Returns `keys` with every column whose type differs from `types` (same length) cast to it, so
/// a key map built for the declared types reads them (e.g. a narrower integer key); the columns
/// already of their type are passed through.
arrow::Result<std::vector<std::shared_ptr<arrow::Array>>> cast_key_columns(
    const std::vector<std::shared_ptr<arrow::Array>>& keys,
    const std::vector<std::shared_ptr<arrow::DataType>>& types);

}  // namespace quiver::exec
