#pragma once

#include <arrow/result.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <string_view>
#include <vector>

#include "quiver/physical/execution_plan.h"

namespace quiver::exec {

/// Sorts its input by a LexOrdering, in memory. With `preserve_partitioning` each partition is
/// sorted on its own (output partitions = input partitions); without it every input partition is
/// read into one sorted output partition. With `fetch` only the first `fetch` rows are kept
/// (top-k: the buffer is sorted and cut back to `fetch` rows as it grows, so memory stays
/// bounded). Buffered input is reserved in the query's memory pool (a breach names SortExec).
/// Output comes in batches of `batch_size` rows. Displays as
/// `SortExec: expr=[number@0 ASC NULLS LAST], preserve_partitioning=[true]` or
/// `SortExec: TopK(fetch=10), expr=[...], preserve_partitioning=[false]`.
class SortExec : public physical::ExecutionPlan {
 public:
  /// Creates the node; the ordering must be non-empty and its keys typed over the input.
  static arrow::Result<std::shared_ptr<SortExec>> Make(physical::LexOrdering ordering,
                                                       physical::ExecutionPlanPtr input,
                                                       bool preserve_partitioning,
                                                       std::optional<int64_t> fetch = std::nullopt);

  /// Returns "SortExec".
  std::string_view name() const override { return "SortExec"; }
  /// Returns the properties: ordered by the sort keys.
  const physical::PlanProperties& properties() const override { return properties_; }
  /// Returns the input.
  std::vector<physical::ExecutionPlanPtr> children() const override { return {input_}; }
  /// Returns a copy over another input.
  arrow::Result<physical::ExecutionPlanPtr> with_new_children(
      std::vector<physical::ExecutionPlanPtr> children) const override;
  /// Sorts one output partition.
  arrow::Result<physical::RecordBatchStreamPtr> execute(
      int partition, const std::shared_ptr<physical::TaskContext>& context) const override;
  /// Returns the display line.
  std::string display() const override;

  /// Returns the sort keys.
  const physical::LexOrdering& ordering() const { return ordering_; }
  /// Returns whether partitions are sorted separately.
  bool preserve_partitioning() const { return preserve_partitioning_; }
  /// Returns the row limit, if any.
  std::optional<int64_t> fetch() const { return fetch_; }

 private:
  SortExec(physical::LexOrdering ordering, physical::ExecutionPlanPtr input,
           bool preserve_partitioning, std::optional<int64_t> fetch);

  physical::LexOrdering ordering_;
  physical::ExecutionPlanPtr input_;
  bool preserve_partitioning_;
  std::optional<int64_t> fetch_;
  physical::PlanProperties properties_;
};

}  // namespace quiver::exec
