#pragma once

#include <arrow/array.h>
#include <arrow/record_batch.h>
#include <arrow/result.h>

#include <cstdint>
#include <memory>
#include <vector>

namespace quiver::exec {

/// The rows a filter keeps, as ascending, non-overlapping, non-adjacent runs of consecutive row
/// positions. Copying a run is one memcpy per buffer, so gathering by runs is cheap when most
/// rows pass (long runs) and no worse than a row-by-row gather when few do.
struct RowRuns {
  /// One run: rows [start, start + length).
  struct Run {
    int64_t start;
    int64_t length;
  };
  std::vector<Run> runs;  // empty when `rows` lists the rows instead
  // The selected rows one by one, used instead of `runs` when the runs are short on average
  // (fewer than 8 rows): then a row-by-row gather beats copying run by run.
  std::vector<int32_t> rows;
  int64_t count = 0;     // rows selected
  int64_t num_runs = 0;  // runs of consecutive rows among them

  /// Returns the first selected row (count > 0).
  int64_t first() const { return rows.empty() ? runs.front().start : rows.front(); }

  /// Returns the selected rows: the set bits of `bits` (bit 0 at bit offset `offset`) over
  /// `rows` bits.
  static RowRuns from_bitmap(const uint8_t* bits, int64_t offset, int64_t rows);

  /// Returns the selected rows `rows` (ascending positions).
  static RowRuns from_indices(const std::vector<int32_t>& rows);
};

/// Returns the rows of `column` that `runs` select, in order: `column` itself when they are all
/// of it, a zero-copy slice when they are one run, otherwise a copy made run by run for
/// fixed-width (including Decimal128), boolean and (large) utf8/binary columns, and Arrow's Take
/// for the other types.
arrow::Result<std::shared_ptr<arrow::Array>> gather_runs(
    const std::shared_ptr<arrow::Array>& column, const RowRuns& runs);

/// Returns the rows of `batch` that `runs` select (gather_runs() on every column).
arrow::Result<std::shared_ptr<arrow::RecordBatch>> gather_runs(
    const std::shared_ptr<arrow::RecordBatch>& batch, const RowRuns& runs);

}  // namespace quiver::exec
