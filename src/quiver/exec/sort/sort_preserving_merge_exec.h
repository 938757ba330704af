#pragma once

#include <arrow/result.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <string_view>
#include <vector>

#include "quiver/exec/sort/row_comparator.h"
#include "quiver/physical/execution_plan.h"

namespace quiver::exec {

/// Merges input partitions that are each sorted by `ordering` into one sorted partition (a
/// streaming k-way merge with RowComparator; ties go to the lower input partition). With several
/// inputs, each is pulled on its own thread through a small bounded channel, so the sorts below
/// run in parallel. With `fetch` the merge stops after that many rows. Displays as
/// `SortPreservingMergeExec: [number@0 ASC NULLS LAST]` (`, fetch=N` when set).
class SortPreservingMergeExec : public physical::ExecutionPlan {
 public:
  /// Creates the node; unsupported key types are NotImplemented.
  static arrow::Result<std::shared_ptr<SortPreservingMergeExec>> Make(
      physical::LexOrdering ordering, physical::ExecutionPlanPtr input,
      std::optional<int64_t> fetch = std::nullopt);

  /// Returns "SortPreservingMergeExec".
  std::string_view name() const override { return "SortPreservingMergeExec"; }
  /// Returns the properties: one partition ordered by the keys.
  const physical::PlanProperties& properties() const override { return properties_; }
  /// Returns the input.
  std::vector<physical::ExecutionPlanPtr> children() const override { return {input_}; }
  /// Returns a copy over another input.
  arrow::Result<physical::ExecutionPlanPtr> with_new_children(
      std::vector<physical::ExecutionPlanPtr> children) const override;
  /// Merges every input partition (partition must be 0).
  arrow::Result<physical::RecordBatchStreamPtr> execute(
      int partition, const std::shared_ptr<physical::TaskContext>& context) const override;
  /// Returns the display line.
  std::string display() const override;

  /// Returns the sort keys.
  const physical::LexOrdering& ordering() const { return ordering_; }
  /// Returns the row limit, if any.
  std::optional<int64_t> fetch() const { return fetch_; }
  /// Returns the row comparator for the keys.
  const RowComparator& comparator() const { return comparator_; }

 private:
  SortPreservingMergeExec(physical::LexOrdering ordering, physical::ExecutionPlanPtr input,
                          std::optional<int64_t> fetch, RowComparator comparator);

  physical::LexOrdering ordering_;
  physical::ExecutionPlanPtr input_;
  std::optional<int64_t> fetch_;
  RowComparator comparator_;
  physical::PlanProperties properties_;
};

}  // namespace quiver::exec
