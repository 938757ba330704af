#pragma once

#include <cstdint>
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

 private:
  static std::shared_ptr<arrow::Schema> make_schema(const std::vector<std::string>& names) {
    arrow::FieldVector fields;
    for (const auto& n : names) fields.push_back(arrow::field(n, arrow::int64()));
    return arrow::schema(std::move(fields));
  }
  std::optional<int64_t> rows_;
};

/// Returns a scan named `name` of a SizedTable.
inline logical::LogicalPlanPtr sized_scan(const std::string& name,
                                          const std::vector<std::string>& columns,
                                          std::optional<int64_t> rows = std::nullopt) {
  return test_tables::scan(name, std::make_shared<SizedTable>(columns, rows));
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
