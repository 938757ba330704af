#pragma once

#include <memory>
#include <vector>

#include "quiver/catalog/table_provider.h"

namespace quiver::examples {

/// The table `numbers(start, end)`: one Int64 column `number` with the values [start, end).
class NumbersTable final : public catalog::TableProvider {
 public:
  /// Creates the table for [start, end).
  NumbersTable(int64_t start, int64_t end) : start_(start), end_(end) {}
  std::shared_ptr<arrow::Schema> schema() const override;
  arrow::Result<physical::ExecutionPlanPtr> scan(const catalog::ScanArgs& args) const override;
  std::optional<int64_t> num_rows() const override { return end_ - start_; }

 private:
  int64_t start_;
  int64_t end_;
};

/// The table function `numbers(start, end)`, callable in SQL as
/// `SELECT * FROM numbers(1, 100)`.
class NumbersTableFunction final : public catalog::TableFunction {
 public:
  /// Checks the two integer arguments and returns the table.
  arrow::Result<std::shared_ptr<catalog::TableProvider>> call(
      const std::vector<std::shared_ptr<arrow::Scalar>>& args) const override;
};

}  // namespace quiver::examples
