#pragma once

#include <arrow/result.h>
#include <arrow/table.h>

#include <memory>

#include "quiver/logical/logical_plan.h"
#include "quiver/physical/execution_plan.h"

namespace quiver::catalog {

class SessionContext;

/// A planned query: a logical plan tied to the session that planned it, or a result already
/// materialised (for statements such as SHOW and EXPLAIN). Run it with collect() or
/// execute_stream().
class DataFrame {
 public:
  /// Creates a frame over a logical plan.
  DataFrame(std::shared_ptr<const SessionContext> session, logical::LogicalPlanPtr plan);
  /// Creates a frame over a result already computed.
  explicit DataFrame(std::shared_ptr<arrow::Table> result);

  /// Returns the output schema.
  std::shared_ptr<arrow::Schema> schema() const;
  /// Returns the logical plan (null for a materialised result).
  const logical::LogicalPlanPtr& logical_plan() const { return plan_; }
  /// Returns the physical plan (optimized), creating it on first use.
  arrow::Result<physical::ExecutionPlanPtr> physical_plan();
  /// Runs the query and returns every row.
  arrow::Result<std::shared_ptr<arrow::Table>> collect();
  /// Runs the query as one stream (partitions merged in arrival order).
  arrow::Result<physical::RecordBatchStreamPtr> execute_stream();

 private:
  std::shared_ptr<const SessionContext> session_;
  logical::LogicalPlanPtr plan_;
  physical::ExecutionPlanPtr physical_;
  std::shared_ptr<physical::TaskContext> context_;
  std::shared_ptr<arrow::Table> result_;
};

}  // namespace quiver::catalog
