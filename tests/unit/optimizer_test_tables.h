#pragma once

#include <arrow/scalar.h>
#include <arrow/type.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <memory>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "quiver/catalog/table_provider.h"
#include "quiver/common/config.h"
#include "quiver/logical/expr.h"
#include "quiver/logical/logical_plan.h"
#include "quiver/logical/plan_builder.h"
#include "quiver/optimizer/optimizer.h"

/// Test fixtures shared by the optimizer tests: a fake table and small expression shorthands.
namespace quiver::optimizer::test_tables {

/// A table that only answers questions: kInexact for `column <op> literal` comparisons (kExact
/// for the columns named in `exact_columns`), kUnsupported for anything else. Scanning fails.
class FakeTable : public catalog::TableProvider {
 public:
  /// Creates a table with `schema`.
  explicit FakeTable(std::shared_ptr<arrow::Schema> schema,
                     std::set<std::string> exact_columns = {}, bool empty_projection = false)
      : schema_(std::move(schema)),
        exact_columns_(std::move(exact_columns)),
        empty_projection_(empty_projection) {}

  std::shared_ptr<arrow::Schema> schema() const override { return schema_; }

  arrow::Result<physical::ExecutionPlanPtr> scan(const catalog::ScanArgs&) const override {
    return arrow::Status::NotImplemented("FakeTable does not scan");
  }

  std::vector<catalog::FilterPushdown> supports_filters_pushdown(
      const std::vector<logical::ExprPtr>& filters) const override {
    std::vector<catalog::FilterPushdown> out;
    for (const auto& f : filters) {
      asked_.push_back(f->to_string());
      out.push_back(classify(*f));
    }
    return out;
  }

  bool supports_empty_projection() const override { return empty_projection_; }

  /// Returns every filter the optimizer asked about, as text.
  const std::vector<std::string>& asked() const { return asked_; }

 private:
  catalog::FilterPushdown classify(const logical::Expr& f) const {
    using logical::BinaryOp;
    using logical::ExprKind;
    if (f.kind != ExprKind::kBinary) return catalog::FilterPushdown::kUnsupported;
    switch (f.op) {
      case BinaryOp::kEq:
      case BinaryOp::kNotEq:
      case BinaryOp::kLt:
      case BinaryOp::kLtEq:
      case BinaryOp::kGt:
      case BinaryOp::kGtEq:
        break;
      default:
        return catalog::FilterPushdown::kUnsupported;
    }
    const auto& l = *f.args[0];
    const auto& r = *f.args[1];
    if (l.kind != ExprKind::kColumn || r.kind != ExprKind::kLiteral) {
      return catalog::FilterPushdown::kUnsupported;
    }
    // The optimizer must hand over unqualified table columns.
    if (l.column.relation) return catalog::FilterPushdown::kUnsupported;
    return exact_columns_.count(l.column.name) != 0 ? catalog::FilterPushdown::kExact
                                                    : catalog::FilterPushdown::kInexact;
  }

  std::shared_ptr<arrow::Schema> schema_;
  std::set<std::string> exact_columns_;
  bool empty_projection_;
  mutable std::vector<std::string> asked_;
};

/// Returns a FakeTable with columns a: Int64, b: Utf8, c: Int32, d: Float64.
inline std::shared_ptr<FakeTable> abcd_table(std::set<std::string> exact = {},
                                             bool empty_projection = false) {
  return std::make_shared<FakeTable>(
      arrow::schema({arrow::field("a", arrow::int64()), arrow::field("b", arrow::utf8()),
                     arrow::field("c", arrow::int32()), arrow::field("d", arrow::float64())}),
      std::move(exact), empty_projection);
}

/// Unwraps a builder result, failing the test on error (then an empty relation stands in, so
/// the test fails on its assertions instead of crashing).
inline logical::LogicalPlanPtr ok(arrow::Result<logical::LogicalPlanPtr> plan) {
  EXPECT_TRUE(plan.ok()) << plan.status().ToString();
  return plan.ok() ? *plan : logical::make_empty_relation(false);
}

/// Returns a scan of `table` named `name`, failing the test on error.
inline logical::LogicalPlanPtr scan(const std::string& name,
                                    std::shared_ptr<catalog::TableProvider> table) {
  return ok(logical::make_table_scan(name, std::move(table)));
}

/// Returns an Int64 literal.
inline logical::ExprPtr i64(int64_t v) {
  return logical::lit(std::make_shared<arrow::Int64Scalar>(v));
}
/// Returns an Int32 literal.
inline logical::ExprPtr i32(int32_t v) {
  return logical::lit(std::make_shared<arrow::Int32Scalar>(v));
}
/// Returns a Utf8 literal.
inline logical::ExprPtr str(std::string v) {
  return logical::lit(std::make_shared<arrow::StringScalar>(std::move(v)));
}
/// Returns a Boolean literal.
inline logical::ExprPtr boolean(bool v) {
  return logical::lit(std::make_shared<arrow::BooleanScalar>(v));
}

/// Returns `l op r`.
inline logical::ExprPtr bin(logical::ExprPtr l, logical::BinaryOp op, logical::ExprPtr r) {
  return logical::binary(std::move(l), op, std::move(r));
}

/// Runs `rule` and returns the new plan, failing the test on error; checks that the output
/// schema (qualifiers, names, types) did not change.
inline logical::LogicalPlanPtr run(const OptimizerRule& rule, const logical::LogicalPlanPtr& plan,
                                   const common::ConfigOptions& options = common::ConfigOptions()) {
  auto out = rule.rewrite(plan, options);
  EXPECT_TRUE(out.ok()) << out.status().ToString();
  if (!out.ok()) return plan;
  const auto& before = plan->schema;
  const auto& after = (*out)->schema;
  EXPECT_EQ(after.num_fields(), before.num_fields());
  for (int i = 0; i < std::min(before.num_fields(), after.num_fields()); ++i) {
    EXPECT_EQ(after.field(i).flat_name(), before.field(i).flat_name());
    EXPECT_TRUE(after.field(i).field->type()->Equals(*before.field(i).field->type()))
        << after.field(i).flat_name();
  }
  return *out;
}

}  // namespace quiver::optimizer::test_tables
