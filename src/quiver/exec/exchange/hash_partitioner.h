#pragma once

#include <arrow/array.h>
#include <arrow/record_batch.h>
#include <arrow/result.h>

#include <cstdint>
#include <memory>
#include <vector>

#include "quiver/physical/physical_expr.h"

namespace quiver::exec {

/// Returns one 64-bit hash per row of the key columns (all of `num_rows` length). The hash is
/// Quiver's own and depends only on the values, never on the process, platform or pointers, so
/// every worker of a distributed shuffle sends a key to the same partition. Integers of every
/// width (and dates, times, timestamps, durations) hash by their 64-bit value, floats by their
/// double value (-0.0 = 0.0, one NaN), strings and binaries by their bytes, NULL by a constant.
/// Other types are NotImplemented.
arrow::Result<std::vector<uint64_t>> hash_rows(
    const std::vector<std::shared_ptr<arrow::Array>>& keys, int64_t num_rows);

/// Returns the partition (hash modulo `num_partitions`) each hash goes to.
inline int partition_of(uint64_t hash, int num_partitions) {
  return static_cast<int>(hash % static_cast<uint64_t>(num_partitions));
}

/// Evaluates `exprs` over `batch` and returns, for each of the `num_partitions` partitions, the
/// indices of the rows that go there (ascending; empty arrays for partitions that get no row).
arrow::Result<std::vector<std::shared_ptr<arrow::UInt32Array>>> hash_partition(
    const arrow::RecordBatch& batch, const std::vector<physical::PhysicalExprPtr>& exprs,
    int num_partitions);

}  // namespace quiver::exec
