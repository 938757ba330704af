#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "quiver/distributed/feed/work_unit_feed.h"
#include "quiver/physical/execution_plan.h"
#include "work_unit_feed/chunk_feed_provider.h"

namespace quiver::examples {

/// The feed type RemoteScanExec holds.
using ChunkFeed = distributed::WorkUnitFeed<ChunkFeedProvider>;

/// A leaf whose work arrives at run time: each partition reads its chunks from a work unit feed
/// and emits one row per row of each chunk, with the columns `task` (the task that produced the
/// row) and `partition` (the scan partition, over all tasks). Split over `tasks` tasks, each task
/// has ceil(partitions / tasks) partitions; task t's partition i is scan partition
/// t * per_task + i. Displays as
/// `RemoteScanExec: tasks=2, partition_chunks=[[3, 1], [2], [4], [1, 1]]`.
class RemoteScanExec final : public physical::ExecutionPlan {
 public:
  /// Creates the node. `partition_chunks` is what the coordinator knows (display only; a node
  /// decoded on a worker has empty lists), `partitions` the scan's partition count, `projection`
  /// indices into table_schema().
  static arrow::Result<std::shared_ptr<RemoteScanExec>> Make(
      std::vector<std::vector<int64_t>> partition_chunks, int partitions, int requested_tasks,
      int tasks, ChunkFeed feed, std::vector<int> projection);

  /// Returns the full schema: `task` Int64, `partition` Int64.
  static std::shared_ptr<arrow::Schema> table_schema();

  /// Returns the feed.
  const ChunkFeed& feed() const { return feed_; }
  /// Returns the chunk sizes per partition as the coordinator knows them.
  const std::vector<std::vector<int64_t>>& partition_chunks() const { return chunks_; }
  /// Returns the scan's partition count (over all tasks).
  int partitions() const { return partitions_; }
  /// Returns the task count the query asked for.
  int requested_tasks() const { return requested_tasks_; }
  /// Returns the task count the node is split over.
  int tasks() const { return tasks_; }
  /// Returns the projection.
  const std::vector<int>& projection() const { return projection_; }
  /// Returns a copy split over `tasks` tasks.
  arrow::Result<std::shared_ptr<RemoteScanExec>> with_tasks(int tasks) const;

  std::string_view name() const override { return "RemoteScanExec"; }
  const physical::PlanProperties& properties() const override { return properties_; }
  std::vector<physical::ExecutionPlanPtr> children() const override { return {}; }
  arrow::Result<physical::ExecutionPlanPtr> with_new_children(
      std::vector<physical::ExecutionPlanPtr> children) const override;
  arrow::Result<physical::RecordBatchStreamPtr> execute(
      int partition, const std::shared_ptr<physical::TaskContext>& context) const override;
  std::string display() const override;

  RemoteScanExec(std::vector<std::vector<int64_t>> chunks, int partitions, int requested_tasks,
                 int tasks, ChunkFeed feed, std::vector<int> projection);

 private:
  std::vector<std::vector<int64_t>> chunks_;
  int partitions_;
  int requested_tasks_;
  int tasks_;
  ChunkFeed feed_;
  std::vector<int> projection_;
  physical::PlanProperties properties_;
};

}  // namespace quiver::examples
