#pragma once

#include <arrow/record_batch.h>
#include <arrow/result.h>

#include <memory>
#include <string_view>

#include "quiver/physical/execution_plan.h"
#include "quiver/physical/record_batch_stream.h"
#include "quiver/physical/task_context.h"

namespace quiver::exec {

/// The base of the built-in operators' streams. `next()` stops for good after the end or an
/// error, returns Cancelled once the query is cancelled, and counts `output_rows` on the node's
/// metrics; subclasses implement `poll_next()` and time their own work with a
/// `physical::ScopedTimer` on `metrics()` (time spent pulling inputs is not theirs).
///
/// The stream keeps its node alive (metrics live on the node), so a stream may outlive the plan
/// that created it.
class OperatorStream : public physical::RecordBatchStream {
 public:
  /// Creates a stream of `node`'s output with `schema`, running in `context`.
  OperatorStream(physical::ExecutionPlanPtr node, std::shared_ptr<physical::TaskContext> context,
                 std::shared_ptr<arrow::Schema> schema)
      : node_(std::move(node)), context_(std::move(context)), schema_(std::move(schema)) {}

  /// Returns the schema of every batch.
  std::shared_ptr<arrow::Schema> schema() const override { return schema_; }

  /// Returns the next batch (nullptr at the end) and counts its rows.
  arrow::Result<std::shared_ptr<arrow::RecordBatch>> next() final;

 protected:
  /// Produces the next batch, or nullptr at the end.
  virtual arrow::Result<std::shared_ptr<arrow::RecordBatch>> poll_next() = 0;

  /// Returns the node's metrics.
  physical::MetricsSet& metrics() const { return node_->metrics(); }
  /// Returns the task context.
  const std::shared_ptr<physical::TaskContext>& context() const { return context_; }
  /// Returns the node this stream executes.
  const physical::ExecutionPlanPtr& node() const { return node_; }

 private:
  physical::ExecutionPlanPtr node_;
  std::shared_ptr<physical::TaskContext> context_;
  std::shared_ptr<arrow::Schema> schema_;
  bool done_ = false;
};

/// Returns an error when the query behind `context` was cancelled, naming `where`.
arrow::Status check_cancelled(const physical::TaskContext& context, std::string_view where);

}  // namespace quiver::exec
