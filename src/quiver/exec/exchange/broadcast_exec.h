#pragma once

#include <arrow/result.h>

#include <memory>
#include <mutex>
#include <string_view>
#include <vector>

#include "quiver/physical/execution_plan.h"

namespace quiver::exec {

/// Serves every input partition to several consumers: output partition `c * P + p` (P = input
/// partitions, c in [0, consumers)) yields all of input partition p. The first consumer of p to
/// start executes it and buffers its batches (reserved in the query's memory pool, so a build side
/// past the limit fails naming BroadcastExec); the others replay the buffer; it is freed when all
/// `consumers` of p have finished. The producer side of a NetworkBroadcastExec: each consumer task
/// fetches its own copy of the partitions once. Displays as
/// `BroadcastExec: input_partitions=P, consumers=C`.
class BroadcastExec : public physical::ExecutionPlan {
 public:
  /// Creates the node; `consumers` must be at least 1.
  static arrow::Result<std::shared_ptr<BroadcastExec>> Make(physical::ExecutionPlanPtr input,
                                                            int consumers);

  std::string_view name() const override { return "BroadcastExec"; }
  const physical::PlanProperties& properties() const override { return properties_; }
  std::vector<physical::ExecutionPlanPtr> children() const override { return {input_}; }
  arrow::Result<physical::ExecutionPlanPtr> with_new_children(
      std::vector<physical::ExecutionPlanPtr> children) const override;
  /// Streams input partition `partition % P` (buffered once per execution context).
  arrow::Result<physical::RecordBatchStreamPtr> execute(
      int partition, const std::shared_ptr<physical::TaskContext>& context) const override;
  std::string display() const override;

  /// Returns the number of consumers each input partition is served to.
  int consumers() const { return consumers_; }

  struct Buffer;  // one input partition's batches in one execution context

 private:
  BroadcastExec(physical::ExecutionPlanPtr input, int consumers);

  /// Returns the buffer of input partition `p` for `context`, creating it on first use.
  std::shared_ptr<Buffer> buffer_for(const physical::TaskContext* context, int p) const;
  /// Forgets a buffer once all its consumers have finished.
  void release(const physical::TaskContext* context, int p) const;

  physical::ExecutionPlanPtr input_;
  int consumers_;
  physical::PlanProperties properties_;
  mutable std::mutex mutex_;
  mutable std::vector<
      std::pair<std::pair<const physical::TaskContext*, int>, std::shared_ptr<Buffer>>>
      buffers_;
};

}  // namespace quiver::exec
