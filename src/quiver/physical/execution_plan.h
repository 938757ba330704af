#pragma once

#include <arrow/result.h>
#include <arrow/type_fwd.h>

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "quiver/physical/metrics.h"
#include "quiver/physical/plan_properties.h"
#include "quiver/physical/record_batch_stream.h"
#include "quiver/physical/task_context.h"

namespace quiver::physical {

class ExecutionPlan;
using ExecutionPlanPtr = std::shared_ptr<const ExecutionPlan>;

/// A node of a physical plan. Users write their own nodes against this interface (see
/// examples/custom_execution_plan) and the engine treats them like built-in ones.
///
/// Contract:
/// - A node is immutable after construction; `properties()` is computed once in the constructor.
///   Rewrites build new nodes through `with_new_children`.
/// - `execute(p, ctx)` may be called once per partition p in [0, output_partitions()), from any
///   thread, concurrently for different partitions; it returns quickly (work happens as the
///   stream is pulled). Each returned stream is consumed by one thread.
/// - Metrics accumulate on the node across all partitions (EXPLAIN ANALYZE reads them).
class ExecutionPlan : public std::enable_shared_from_this<ExecutionPlan> {
 public:
  virtual ~ExecutionPlan() = default;

  /// Returns the operator name shown in plans, e.g. "FilterExec".
  virtual std::string_view name() const = 0;
  /// Returns the properties computed at construction.
  virtual const PlanProperties& properties() const = 0;
  /// Returns the output schema.
  const std::shared_ptr<arrow::Schema>& schema() const { return properties().schema; }
  /// Returns the number of output partitions.
  int output_partitions() const { return properties().output_partitions(); }
  /// Returns the inputs.
  virtual std::vector<ExecutionPlanPtr> children() const = 0;
  /// Returns a copy of this node over other inputs (same count).
  virtual arrow::Result<ExecutionPlanPtr> with_new_children(
      std::vector<ExecutionPlanPtr> children) const = 0;
  /// Starts executing one output partition and returns its stream.
  virtual arrow::Result<RecordBatchStreamPtr> execute(
      int partition, const std::shared_ptr<TaskContext>& context) const = 0;
  /// Returns the one-line display, e.g. "NumbersExec: t0:[0-10)" or
  /// "FilterExec: a@0 > 5".
  virtual std::string display() const = 0;
  /// Returns the node's metrics (shared by all its partitions).
  MetricsSet& metrics() const { return *metrics_; }

 protected:
  ExecutionPlan() : metrics_(std::make_shared<MetricsSet>()) {}

 private:
  std::shared_ptr<MetricsSet> metrics_;
};

/// Checks that `partition` is a valid output partition of `plan` (an internal error otherwise).
arrow::Status check_partition(const ExecutionPlan& plan, int partition);

/// Returns an error when `children` does not have `expected` entries (for with_new_children).
arrow::Status check_children(const ExecutionPlan& plan,
                             const std::vector<ExecutionPlanPtr>& children, size_t expected);

/// Executes every partition of `plan` (concurrently, one thread each when there are several),
/// and returns all batches as one table. When partitions fail, the error returned is one that
/// is not a cancellation if there is one (the others were cancelled because of it).
arrow::Result<std::shared_ptr<arrow::Table>> collect(const ExecutionPlanPtr& plan,
                                                     const std::shared_ptr<TaskContext>& context);

/// Returns the plan as indented text, two spaces per level, one node per line, as EXPLAIN shows
/// it. With `with_metrics`, each line ends with `, metrics=[...]`.
std::string display_plan(const ExecutionPlan& plan, bool with_metrics = false);

}  // namespace quiver::physical
