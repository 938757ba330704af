#pragma once

#include <arrow/result.h>

#include <memory>
#include <mutex>
#include <string_view>
#include <vector>

#include "quiver/physical/execution_plan.h"

namespace quiver::exec {

class RepartitionState;

/// Redistributes the rows of N input partitions over M output partitions, by hash of key
/// expressions (`Hash([number@0], 16)`, see hash_partitioner.h) or whole batches round robin
/// (`RoundRobinBatch(16)`). Displays as
/// `RepartitionExec: partitioning=Hash([number@0], 16), input_partitions=16`.
///
/// Execution: the first `execute` of any output partition starts one producer thread per input
/// partition; all output partitions of that run share the producers. Runs are kept per
/// TaskContext, so the tasks of a distributed stage can execute one node side by side. Each output
/// has a bounded queue (see BoundedChannel: a slow consumer slows the producers, and one thread
/// reading the outputs in turn does not deadlock). Buffered batches are reserved in the query's
/// memory pool. An error of any input reaches every output. Dropping an output stream discards its
/// rows; once every output stream is dropped the producers stop and are joined (also when the node
/// is destroyed). Executing an already executed partition again (same context) starts a new run.
class RepartitionExec : public physical::ExecutionPlan {
 public:
  /// Creates the node; `partitioning` must be kHash (with keys) or kRoundRobinBatch, with at
  /// least one partition (an internal error otherwise).
  static arrow::Result<std::shared_ptr<RepartitionExec>> Make(physical::ExecutionPlanPtr input,
                                                              physical::Partitioning partitioning);
  ~RepartitionExec() override;

  /// Returns "RepartitionExec".
  std::string_view name() const override { return "RepartitionExec"; }
  /// Returns the properties: the requested partitioning, no ordering.
  const physical::PlanProperties& properties() const override { return properties_; }
  /// Returns the input.
  std::vector<physical::ExecutionPlanPtr> children() const override { return {input_}; }
  /// Returns a copy over another input.
  arrow::Result<physical::ExecutionPlanPtr> with_new_children(
      std::vector<physical::ExecutionPlanPtr> children) const override;
  /// Returns the stream of one output partition (starting the producers on first use).
  arrow::Result<physical::RecordBatchStreamPtr> execute(
      int partition, const std::shared_ptr<physical::TaskContext>& context) const override;
  /// Returns `RepartitionExec: partitioning=..., input_partitions=N`.
  std::string display() const override;

  /// Returns the output partitioning.
  const physical::Partitioning& partitioning() const { return properties_.partitioning; }

 private:
  RepartitionExec(physical::ExecutionPlanPtr input, physical::Partitioning partitioning);

  physical::ExecutionPlanPtr input_;
  physical::PlanProperties properties_;
  mutable std::mutex mutex_;
  // Runs with output partitions not executed yet (one per TaskContext executing this node);
  // a run leaves the list once all its partitions are executed (its streams own it then).
  mutable std::vector<std::shared_ptr<RepartitionState>> runs_;
};

}  // namespace quiver::exec
