#pragma once

#include <arrow/result.h>

#include <memory>
#include <optional>
#include <string_view>
#include <vector>

#include "quiver/exec/join/join_type.h"
#include "quiver/physical/execution_plan.h"

namespace quiver::exec {

/// How a hash join spreads its work over partitions.
enum class PartitionMode {
  /// Left partition i joins right partition i; both inputs are hash-partitioned on their keys
  /// into the same number of partitions (the planner puts RepartitionExecs below).
  kPartitioned,
  /// The left (build) side is collected once from all its partitions and shared by every
  /// output partition; each right partition probes it.
  kCollectLeft,
};

/// Returns "Partitioned" or "CollectLeft".
const char* partition_mode_name(PartitionMode mode);

/// Equi-join on key pairs plus an optional residual filter. Builds a hash table over the left
/// input (per partition, or once for kCollectLeft), then streams the right input and probes it.
/// Output partitions are the right input's. Every join type is supported; join types that emit
/// unmatched left rows do so when the probe side ends (for kCollectLeft, once, after the last
/// right partition ends). NULL keys never match unless `null_equals_null` (IS NOT DISTINCT FROM
/// keys). `null_aware` (LeftAnti with one key only) gives NOT IN semantics: no row at all when
/// the right side has a NULL key, and a left row with a NULL key is kept only when the right
/// side is empty. The build side is reserved in the query's memory pool; exceeding the limit
/// fails naming HashJoinExec. Displays as
/// `HashJoinExec: mode=Partitioned, join_type=Inner, on=[(a@0, b@1)], filter=c@2 > d@5`.
class HashJoinExec : public physical::ExecutionPlan {
 public:
  /// Creates the node; keys whose types cannot be compared, a filter that is not boolean, an
  /// empty `on`, or kPartitioned inputs with different partition counts are errors.
  static arrow::Result<std::shared_ptr<HashJoinExec>> Make(
      physical::ExecutionPlanPtr left, physical::ExecutionPlanPtr right, std::vector<JoinOn> on,
      std::optional<JoinFilter> filter, JoinType join_type, PartitionMode mode,
      bool null_equals_null = false, bool null_aware = false);

  std::string_view name() const override { return "HashJoinExec"; }
  const physical::PlanProperties& properties() const override { return properties_; }
  std::vector<physical::ExecutionPlanPtr> children() const override { return {left_, right_}; }
  arrow::Result<physical::ExecutionPlanPtr> with_new_children(
      std::vector<physical::ExecutionPlanPtr> children) const override;
  arrow::Result<physical::RecordBatchStreamPtr> execute(
      int partition, const std::shared_ptr<physical::TaskContext>& context) const override;
  std::string display() const override;

  const physical::ExecutionPlanPtr& left() const { return left_; }
  const physical::ExecutionPlanPtr& right() const { return right_; }
  const std::vector<JoinOn>& on() const { return on_; }
  const std::optional<JoinFilter>& filter() const { return filter_; }
  JoinType join_type() const { return join_type_; }
  PartitionMode mode() const { return mode_; }
  bool null_equals_null() const { return null_equals_null_; }
  bool null_aware() const { return null_aware_; }

 private:
  struct Shared;  // per-execution state shared by partitions (kCollectLeft build side)
  HashJoinExec(physical::ExecutionPlanPtr left, physical::ExecutionPlanPtr right,
               std::vector<JoinOn> on, std::optional<JoinFilter> filter, JoinType join_type,
               PartitionMode mode, bool null_equals_null, bool null_aware);

  physical::ExecutionPlanPtr left_;
  physical::ExecutionPlanPtr right_;
  std::vector<JoinOn> on_;
  std::optional<JoinFilter> filter_;
  JoinType join_type_;
  PartitionMode mode_;
  bool null_equals_null_;
  bool null_aware_;
  physical::PlanProperties properties_;
  std::shared_ptr<Shared> shared_;
};

}  // namespace quiver::exec
