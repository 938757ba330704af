#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "optimizer_test_tables.h"

/// Fixtures for the join optimizer tests: tables with Int64 columns and a known row count.
namespace quiver::optimizer::join_tables {

/// A FakeTable (no scanning) with Int64 columns and a row count for the estimates.
class SizedTable : public test_tables::FakeTable {
 public:
  /// Creates a table with Int64 columns `names` and `rows` rows (nullopt: unknown).
  SizedTable(const std::vector<std::string>& names, std::optional<int64_t> rows)
      : FakeTable(make_schema(names)), rows_(rows) {}

  std::optional<int64_t> num_rows() const override { return rows_; }

  /// Declares that column `name` holds values in [min, max] (its metadata's statistics).
  void set_range(const std::string& name, int64_t min, int64_t max) {
    const int index = schema()->GetFieldIndex(name);
    if (index >= 0) ranges_[index] = {min, max};
  }

  catalog::ColumnStatistics column_statistics(int index) const override {
    auto it = ranges_.find(index);
    if (it == ranges_.end()) return {};
    return {std::make_shared<arrow::Int64Scalar>(it->second.first),
            std::make_shared<arrow::Int64Scalar>(it->second.second), 0};
  }

 private:
  static std::shared_ptr<arrow::Schema> make_schema(const std::vector<std::string>& names) {
    arrow::FieldVector fields;
    for (const auto& n : names) fields.push_back(arrow::field(n, arrow::int64()));
    return arrow::schema(std::move(fields));
  }
  std::optional<int64_t> rows_;
  std::map<int, std::pair<int64_t, int64_t>> ranges_;
};

/// Returns a scan named `name` of a SizedTable.
inline logical::LogicalPlanPtr sized_scan(const std::string& name,
                                          const std::vector<std::string>& columns,
                                          std::optional<int64_t> rows = std::nullopt) {
  return test_tables::scan(name, std::make_shared<SizedTable>(columns, rows));
}

/// Returns a scan named `name` of a SizedTable whose columns `ranges` hold values in [min, max].
inline logical::LogicalPlanPtr ranged_scan(
    const std::string& name, const std::vector<std::string>& columns, int64_t rows,
    const std::map<std::string, std::pair<int64_t, int64_t>>& ranges) {
  auto table = std::make_shared<SizedTable>(columns, rows);
  for (const auto& [column, range] : ranges) table->set_range(column, range.first, range.second);
  return test_tables::scan(name, std::move(table));
}

/// Returns `l = r` over two qualified column names.
inline logical::ExprPtr eq(const std::string& l, const std::string& r) {
  return logical::binary(logical::col(l), logical::BinaryOp::kEq, logical::col(r));
}

/// Returns a join, failing the test on error.
inline logical::LogicalPlanPtr join(logical::LogicalPlanPtr l, logical::LogicalPlanPtr r,
                                    logical::JoinType type,
                                    std::vector<std::pair<logical::ExprPtr, logical::ExprPtr>> on,
                                    logical::ExprPtr filter = nullptr, bool null_aware = false) {
  return test_tables::ok(logical::make_join(std::move(l), std::move(r), type, std::move(on),
                                            std::move(filter), null_aware));
}

/// Returns a cross join.
inline logical::LogicalPlanPtr cross(logical::LogicalPlanPtr l, logical::LogicalPlanPtr r) {
  return join(std::move(l), std::move(r), logical::JoinType::kCross, {});
}

/// Returns a filter over the conjunction of `conjuncts`.
inline logical::LogicalPlanPtr where(logical::LogicalPlanPtr input,
                                     const std::vector<logical::ExprPtr>& conjuncts) {
  logical::ExprPtr p;
  for (const auto& c : conjuncts) {
    p = p ? logical::binary(p, logical::BinaryOp::kAnd, c) : c;
  }
  return test_tables::ok(logical::make_filter(std::move(input), p));
}

}  // namespace quiver::optimizer::join_tables
