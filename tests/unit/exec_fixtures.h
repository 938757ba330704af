#pragma once

// Shared test fixtures for the exec_*_test.cc files: in-memory leaves, contexts and builders.

#include <arrow/array.h>
#include <arrow/builder.h>
#include <arrow/record_batch.h>
#include <arrow/table.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "quiver/common/config.h"
#include "quiver/physical/execution_plan.h"
#include "quiver/physical/expr/column_expr.h"

namespace quiver::exec::testing {

#define QUIVER_ASSIGN_OR_FAIL(lhs, expr)                              \
  auto lhs##_result = (expr);                                         \
  ASSERT_TRUE(lhs##_result.ok()) << lhs##_result.status().ToString(); \
  auto lhs = std::move(*lhs##_result)

/// Returns a task context with the given batch size, memory limit and target partitions.
inline std::shared_ptr<physical::TaskContext> make_context(int64_t batch_size = 8192,
                                                           const std::string& memory_limit = "0",
                                                           int target_partitions = 4) {
  common::ConfigOptions options;
  EXPECT_TRUE(options.set("execution.batch_size", std::to_string(batch_size)).ok());
  EXPECT_TRUE(options.set("execution.memory_limit", memory_limit).ok());
  EXPECT_TRUE(options.set("execution.target_partitions", std::to_string(target_partitions)).ok());
  return std::make_shared<physical::TaskContext>(options);
}

/// Returns an Int64 array; nullopt entries are nulls.
inline std::shared_ptr<arrow::Array> int64s(const std::vector<std::optional<int64_t>>& values) {
  arrow::Int64Builder builder;
  for (const auto& v : values) {
    if (v.has_value()) {
      EXPECT_TRUE(builder.Append(*v).ok());
    } else {
      EXPECT_TRUE(builder.AppendNull().ok());
    }
  }
  return builder.Finish().ValueOrDie();
}

/// Returns a Utf8 array; nullopt entries are nulls.
inline std::shared_ptr<arrow::Array> strings(
    const std::vector<std::optional<std::string>>& values) {
  arrow::StringBuilder builder;
  for (const auto& v : values) {
    if (v.has_value()) {
      EXPECT_TRUE(builder.Append(*v).ok());
    } else {
      EXPECT_TRUE(builder.AppendNull().ok());
    }
  }
  return builder.Finish().ValueOrDie();
}

/// Returns a column reference `name@index`.
inline physical::PhysicalExprPtr col(const std::string& name, int index) {
  return physical::make_column(name, index);
}

/// A leaf serving batches from memory, one vector per partition. It can fail in a partition
/// after some batches, and it counts the batches handed out (for cancellation tests).
/// With `endless` every partition repeats its batches forever.
class TestSourceExec : public physical::ExecutionPlan {
 public:
  TestSourceExec(std::shared_ptr<arrow::Schema> schema,
                 std::vector<std::vector<std::shared_ptr<arrow::RecordBatch>>> partitions,
                 bool endless = false)
      : partitions_(std::move(partitions)), endless_(endless) {
    properties_.schema = std::move(schema);
    properties_.partitioning =
        physical::Partitioning::unknown(static_cast<int>(partitions_.size()));
  }

  /// Makes partition `partition` fail with `status` after `after_batches` batches.
  void fail_at(int partition, int after_batches, arrow::Status status) {
    fail_partition_ = partition;
    fail_after_ = after_batches;
    fail_status_ = std::move(status);
  }

  std::string_view name() const override { return "TestSourceExec"; }
  const physical::PlanProperties& properties() const override { return properties_; }
  std::vector<physical::ExecutionPlanPtr> children() const override { return {}; }
  arrow::Result<physical::ExecutionPlanPtr> with_new_children(
      std::vector<physical::ExecutionPlanPtr>) const override {
    return shared_from_this();
  }
  arrow::Result<physical::RecordBatchStreamPtr> execute(
      int partition, const std::shared_ptr<physical::TaskContext>&) const override {
    ARROW_RETURN_NOT_OK(physical::check_partition(*this, partition));
    auto self = std::static_pointer_cast<const TestSourceExec>(shared_from_this());
    size_t index = 0;
    int served = 0;
    return physical::make_generator_stream(
        schema(),
        [self, partition, index,
         served]() mutable -> arrow::Result<std::shared_ptr<arrow::RecordBatch>> {
          const auto& batches = self->partitions_[static_cast<size_t>(partition)];
          if (partition == self->fail_partition_ && served >= self->fail_after_) {
            return self->fail_status_;
          }
          if (index >= batches.size()) {
            if (!self->endless_ || batches.empty()) return nullptr;
            index = 0;
          }
          ++served;
          self->pulled_.fetch_add(1);
          return batches[index++];
        });
  }
  std::string display() const override { return "TestSourceExec"; }

  /// Returns the number of batches handed out so far, over all partitions.
  int64_t pulled() const { return pulled_.load(); }

 private:
  std::vector<std::vector<std::shared_ptr<arrow::RecordBatch>>> partitions_;
  bool endless_;
  physical::PlanProperties properties_;
  int fail_partition_ = -1;
  int fail_after_ = 0;
  arrow::Status fail_status_;
  mutable std::atomic<int64_t> pulled_{0};
};

/// Returns a schema with one Int64 column per name.
inline std::shared_ptr<arrow::Schema> int64_schema(const std::vector<std::string>& names) {
  arrow::FieldVector fields;
  for (const auto& n : names) fields.push_back(arrow::field(n, arrow::int64()));
  return arrow::schema(fields);
}

/// Returns a batch of Int64 columns.
inline std::shared_ptr<arrow::RecordBatch> int64_batch(
    const std::vector<std::string>& names,
    const std::vector<std::vector<std::optional<int64_t>>>& columns) {
  std::vector<std::shared_ptr<arrow::Array>> arrays;
  for (const auto& c : columns) arrays.push_back(int64s(c));
  const int64_t rows = arrays.empty() ? 0 : arrays[0]->length();
  return arrow::RecordBatch::Make(int64_schema(names), rows, arrays);
}

/// Returns a source of `partitions` partitions holding 0..rows-1 (column "v", Int64, and a
/// column "g" = v % groups) in batches of `batch_rows`, dealt out round robin.
inline std::shared_ptr<TestSourceExec> numbers_source(int64_t rows, int partitions,
                                                      int64_t batch_rows, int64_t groups = 10) {
  std::vector<std::vector<std::shared_ptr<arrow::RecordBatch>>> parts(
      static_cast<size_t>(partitions));
  int k = 0;
  for (int64_t start = 0; start < rows; start += batch_rows, ++k) {
    std::vector<std::optional<int64_t>> v, g;
    for (int64_t i = start; i < std::min(rows, start + batch_rows); ++i) {
      v.push_back(i);
      g.push_back(i % groups);
    }
    parts[static_cast<size_t>(k % partitions)].push_back(int64_batch({"v", "g"}, {v, g}));
  }
  return std::make_shared<TestSourceExec>(int64_schema({"v", "g"}), std::move(parts));
}

/// Returns every value of an Int64 column of a table, in order (nulls as nullopt).
inline std::vector<std::optional<int64_t>> int64_column(const arrow::Table& table, int column) {
  std::vector<std::optional<int64_t>> out;
  for (const auto& chunk : table.column(column)->chunks()) {
    const auto& a = static_cast<const arrow::Int64Array&>(*chunk);
    for (int64_t i = 0; i < a.length(); ++i) {
      out.push_back(a.IsNull(i) ? std::nullopt : std::optional<int64_t>(a.Value(i)));
    }
  }
  return out;
}

/// Drains every partition of `plan` and returns the batches of each, in order.
inline arrow::Result<std::vector<std::vector<std::shared_ptr<arrow::RecordBatch>>>>
collect_partitions(const physical::ExecutionPlanPtr& plan,
                   const std::shared_ptr<physical::TaskContext>& context) {
  std::vector<std::vector<std::shared_ptr<arrow::RecordBatch>>> out;
  std::vector<physical::RecordBatchStreamPtr> streams;
  for (int p = 0; p < plan->output_partitions(); ++p) {
    ARROW_ASSIGN_OR_RAISE(auto s, plan->execute(p, context));
    streams.push_back(std::move(s));
  }
  for (auto& s : streams) {
    ARROW_ASSIGN_OR_RAISE(auto batches, physical::collect_stream(*s));
    out.push_back(std::move(batches));
  }
  return out;
}

}  // namespace quiver::exec::testing
