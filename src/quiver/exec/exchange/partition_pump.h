#pragma once

#include <arrow/record_batch.h>
#include <arrow/result.h>

#include <memory>
#include <thread>

#include "quiver/exec/exchange/bounded_channel.h"
#include "quiver/physical/execution_plan.h"
#include "quiver/physical/task_context.h"

namespace quiver::exec {

/// What flows through the exchanges' channels: a batch, or the error that ended its producer.
using BatchResult = arrow::Result<std::shared_ptr<arrow::RecordBatch>>;

/// A thread that executes one partition of a plan and sends its batches to one output of a
/// BoundedChannel, then closes its sender. An error is sent (without waiting for room) and ends
/// the pump. Used by CoalescePartitionsExec (N pumps, one output) and SortPreservingMergeExec
/// (one channel per input).
///
/// Destroying the pump cancels the channel (so every pump on it stops at its next send) and
/// joins the thread.
class PartitionPump {
 public:
  /// Starts pulling `partition` of `input` into `output` of `channel`.
  PartitionPump(physical::ExecutionPlanPtr input, int partition,
                std::shared_ptr<physical::TaskContext> context,
                std::shared_ptr<BoundedChannel<BatchResult>> channel, int output);
  ~PartitionPump();
  PartitionPump(const PartitionPump&) = delete;
  PartitionPump& operator=(const PartitionPump&) = delete;

 private:
  std::shared_ptr<BoundedChannel<BatchResult>> channel_;
  std::thread thread_;
};

}  // namespace quiver::exec
