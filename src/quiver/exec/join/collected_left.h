#pragma once

#include <arrow/array.h>
#include <arrow/record_batch.h>
#include <arrow/result.h>

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "quiver/physical/execution_plan.h"
#include "quiver/physical/memory_pool.h"
#include "quiver/physical/metrics.h"
#include "quiver/physical/task_context.h"

namespace quiver::exec {

/// The left input of a join, collected once from all its partitions into one batch and shared
/// (read-only) by every probe partition, plus the thread-safe state the probe partitions
/// accumulate: a "matched" flag per left row and a set of probe flags.
///
/// Everything here may be used from many threads at once after the build.
class CollectedLeft {
 public:
  /// Facts probe partitions publish for the last one (see `set_flags`), e.g. for null-aware
  /// anti joins, which return nothing when the probe side has a NULL key.
  enum Flag : uint32_t {
    kSawNullKey = 1u << 0,  ///< some probe row had a NULL join key
    kSawAnyRow = 1u << 1,   ///< some probe row was seen at all
  };

  /// Wraps the collected rows (a batch with 0 rows when the left input is empty).
  explicit CollectedLeft(std::shared_ptr<arrow::RecordBatch> batch);

  /// Returns every left row, in partition order (partition 0's batches first).
  const std::shared_ptr<arrow::RecordBatch>& batch() const { return batch_; }
  /// Returns the number of left rows.
  int64_t num_rows() const { return batch_->num_rows(); }

  /// Returns what the caller's build function returned (e.g. a hash table), or nullptr.
  template <typename T>
  T* built() const {
    return static_cast<T*>(built_.get());
  }

  /// Marks left row `row` as having found a match (idempotent, thread-safe).
  void mark_matched(int64_t row) { matched_[static_cast<size_t>(row)].store(1, kRelaxed); }
  /// Returns whether left row `row` was marked. Exact once every probe partition ended.
  bool is_matched(int64_t row) const {
    return matched_[static_cast<size_t>(row)].load(kRelaxed) != 0;
  }
  /// Returns the indices (UInt64, ascending) of the left rows whose matched flag is `matched`:
  /// `false` gives the rows Left/Full/LeftAnti joins pad, `true` those LeftSemi joins return.
  arrow::Result<std::shared_ptr<arrow::UInt64Array>> rows_with_matched(bool matched) const;

  /// Ors `flags` (a mask of Flag values) into the shared probe flags.
  void set_flags(uint32_t flags) { flags_.fetch_or(flags, std::memory_order_acq_rel); }
  /// Returns whether any probe partition set `flag`.
  bool has_flag(Flag flag) const { return (flags_.load(std::memory_order_acquire) & flag) != 0; }

 private:
  friend class SharedBuild;
  static constexpr auto kRelaxed = std::memory_order_relaxed;

  std::shared_ptr<arrow::RecordBatch> batch_;
  std::shared_ptr<void> built_;
  std::unique_ptr<std::atomic<uint8_t>[]> matched_;
  std::atomic<uint32_t> flags_{0};
};

/// Extends the build after the left rows are collected: builds more from `left` (e.g. a hash
/// table), reserving its memory in `reservation` (which already holds the collected rows), and
/// returns it for `CollectedLeft::built<T>()` (nullptr is fine).
using BuildExtension = std::function<arrow::Result<std::shared_ptr<void>>(
    const std::shared_ptr<arrow::RecordBatch>& left, const physical::TaskContext& context,
    physical::MemoryReservation& reservation)>;

/// The build side of one execution of a join (one TaskContext): the first probe partition that
/// calls `get()` collects the left input and runs the build extension; the others block until
/// it is done and then share the result, or its error. Also counts the probe partitions that
/// end, so that exactly one (the last) emits the unmatched left rows.
class SharedBuild {
 public:
  /// Creates the state for `num_probe_partitions` probe partitions. Prefer
  /// SharedBuildSide::acquire, which hands out one per execution.
  SharedBuild(std::string operator_name, physical::ExecutionPlanPtr left, BuildExtension extension,
              int num_probe_partitions);

  /// Returns the collected left side, building it on the first call: executes every partition
  /// of the left input in turn (checking cancellation between batches), concatenates the
  /// batches, reserves them (and the matched flags) in the context's memory pool as
  /// `<operator_name>[build]`, then runs the extension. Blocks while another partition builds.
  /// Every caller gets the same result or the same error. The builder runs under `context` (the
  /// caller's) and adds the build's time to `metrics`' elapsed_compute and the counters
  /// `build_rows` and `build_time_ns`.
  arrow::Result<std::shared_ptr<CollectedLeft>> get(
      const std::shared_ptr<physical::TaskContext>& context, physical::MetricsSet& metrics);

  /// Records that one probe partition has consumed all its input; returns true for exactly the
  /// last of the `num_probe_partitions` calls (that partition then emits the unmatched left
  /// rows: every other partition's `mark_matched` and `set_flags` happened before).
  bool finish_probe();

  /// Returns the number of probe partitions.
  int num_probe_partitions() const { return num_probe_partitions_; }

 private:
  friend class SharedBuildSide;

  arrow::Result<std::shared_ptr<CollectedLeft>> build(
      const std::shared_ptr<physical::TaskContext>& context, physical::MetricsSet& metrics);

  const std::string operator_name_;
  const physical::ExecutionPlanPtr left_;
  const BuildExtension extension_;
  const int num_probe_partitions_;
  std::unique_ptr<physical::MemoryReservation> reservation_;  // made by the building thread

  std::mutex mutex_;
  std::condition_variable built_cv_;
  enum class Phase { kNotStarted, kBuilding, kDone } phase_ = Phase::kNotStarted;
  arrow::Result<std::shared_ptr<CollectedLeft>> result_;
  std::vector<bool> attached_;  // partitions handed this state; under SharedBuildSide::mutex_
  int attached_count_ = 0;
  std::atomic<int> probes_left_;
};

/// Owned by a join node: hands every execution of the node its own SharedBuild, so that all
/// probe partitions of one execution share one build, while the node can be executed again
/// (also concurrently, with another TaskContext).
///
/// Executions are told apart by their TaskContext. A partition that asks twice under the same
/// context starts a new execution (the earlier one keeps its state). The registry holds a state
/// only until every probe partition was handed it (from then on their streams keep it alive, and
/// it dies with the last of them) or until its context is destroyed; nothing is cached for good.
/// Partitions of one execution may thus be executed one after the other, each stream dropped
/// before the next partition starts.
class SharedBuildSide {
 public:
  /// Creates the registry for the operator `operator_name` (used in memory errors) whose left
  /// input is `left`; `extension` (optional) builds more from the collected rows.
  SharedBuildSide(std::string operator_name, physical::ExecutionPlanPtr left,
                  BuildExtension extension = nullptr);

  /// Returns the build shared by the execution `context` runs, for probe partition `partition`
  /// of `num_probe_partitions`. Cheap: nothing is built until SharedBuild::get.
  std::shared_ptr<SharedBuild> acquire(const std::shared_ptr<physical::TaskContext>& context,
                                       int partition, int num_probe_partitions);

 private:
  struct Entry {
    std::weak_ptr<physical::TaskContext> context;
    std::shared_ptr<SharedBuild> strong;  // until every probe partition has attached
    std::weak_ptr<SharedBuild> weak;
  };

  const std::string operator_name_;
  const physical::ExecutionPlanPtr left_;
  const BuildExtension extension_;
  std::mutex mutex_;
  std::map<const physical::TaskContext*, Entry> entries_;
};

}  // namespace quiver::exec
