#pragma once

// Shared helpers for the join exec tests: Int64 inputs from row lists, and tables as sorted
// row lists (joins do not promise an order).

#include <random>

#include "exec_fixtures.h"

namespace quiver::exec::testing {

/// One row of Int64 values (nullopt = NULL).
using Row = std::vector<std::optional<int64_t>>;
/// The rows of one partition, split into batches.
using PartitionRows = std::vector<std::vector<Row>>;

/// Returns a source with columns `names` whose partition p holds the batches `partitions[p]`.
inline std::shared_ptr<TestSourceExec> rows_source(const std::vector<std::string>& names,
                                                   const std::vector<PartitionRows>& partitions) {
  std::vector<std::vector<std::shared_ptr<arrow::RecordBatch>>> parts;
  for (const auto& p : partitions) {
    parts.emplace_back();
    for (const auto& batch : p) {
      std::vector<std::vector<std::optional<int64_t>>> columns(names.size());
      for (const auto& row : batch) {
        for (size_t c = 0; c < names.size(); ++c) columns[c].push_back(row[c]);
      }
      parts.back().push_back(int64_batch(names, columns));
    }
  }
  return std::make_shared<TestSourceExec>(int64_schema(names), std::move(parts));
}

/// Returns every row of `table`, sorted (Int64 columns only).
inline std::vector<Row> sorted_rows(const arrow::Table& table) {
  std::vector<Row> rows(static_cast<size_t>(table.num_rows()));
  for (int c = 0; c < table.num_columns(); ++c) {
    const auto values = int64_column(table, c);
    for (size_t r = 0; r < rows.size(); ++r) rows[r].push_back(values[r]);
  }
  std::sort(rows.begin(), rows.end());
  return rows;
}

/// Returns `count` random rows of `width` values in [0, 5), about one in five NULL.
inline std::vector<Row> random_rows(std::mt19937& rng, int count, int width) {
  std::uniform_int_distribution<int> value(0, 4), null(0, 4);
  std::vector<Row> rows;
  for (int i = 0; i < count; ++i) {
    Row row;
    for (int c = 0; c < width; ++c) {
      row.push_back(null(rng) == 0 ? std::nullopt : std::optional<int64_t>(value(rng)));
    }
    rows.push_back(std::move(row));
  }
  return rows;
}

/// Deals `rows` into `partitions` partitions, in batches of at most `batch_rows`.
inline std::vector<PartitionRows> deal(const std::vector<Row>& rows, int partitions,
                                       size_t batch_rows) {
  std::vector<PartitionRows> out(static_cast<size_t>(partitions));
  size_t k = 0;
  for (size_t start = 0; start < rows.size(); start += batch_rows, ++k) {
    const size_t end = std::min(rows.size(), start + batch_rows);
    out[k % out.size()].emplace_back(rows.begin() + static_cast<std::ptrdiff_t>(start),
                                     rows.begin() + static_cast<std::ptrdiff_t>(end));
  }
  return out;
}

/// Returns the concatenation of two rows.
inline Row concat(const Row& a, const Row& b) {
  Row out = a;
  out.insert(out.end(), b.begin(), b.end());
  return out;
}

}  // namespace quiver::exec::testing
