#pragma once

#include <arrow/record_batch.h>
#include <arrow/status.h>

#include <functional>
#include <memory>
#include <string>

#include "quiver/physical/record_batch_stream.h"

namespace quiver::datasource {

/// Turns a read error into the error the user sees (e.g. adds the file and line).
using ReadErrorMapper = std::function<arrow::Status(const arrow::Status&)>;

/// Returns a stream over an Arrow reader of one file that:
/// - picks the columns of `schema` from each batch by name, in `schema`'s order (a schema with
///   no fields gives batches that only carry a row count);
/// - slices batches to at most `batch_size` rows (readers such as CSV yield whole blocks);
/// - passes errors through `on_error`.
physical::RecordBatchStreamPtr make_reader_stream(std::shared_ptr<arrow::Schema> schema,
                                                  std::shared_ptr<arrow::RecordBatchReader> reader,
                                                  int64_t batch_size, ReadErrorMapper on_error);

}  // namespace quiver::datasource
