#include "quiver/exec/join/hash_join_build.h"

#include <arrow/array/concatenate.h>
#include <arrow/util/byte_size.h>

#include <chrono>

#include "quiver/exec/operator_stream.h"

namespace quiver::exec {

arrow::Result<std::vector<std::shared_ptr<arrow::Array>>> evaluate_join_keys(
    const std::vector<physical::PhysicalExprPtr>& keys, const arrow::RecordBatch& batch) {
  std::vector<std::shared_ptr<arrow::Array>> out;
  out.reserve(keys.size());
  for (const auto& key : keys) {
    ARROW_ASSIGN_OR_RAISE(auto array, physical::evaluate_to_array(*key, batch));
    ARROW_ASSIGN_OR_RAISE(array, normalize_join_key(std::move(array)));
    out.push_back(std::move(array));
  }
  return out;
}

arrow::Result<std::shared_ptr<JoinHashTable>> build_join_table(
    const std::shared_ptr<arrow::RecordBatch>& left, const HashJoinConfig& config,
    physical::MemoryReservation& reservation) {
  ARROW_ASSIGN_OR_RAISE(auto keys, evaluate_join_keys(config.left_keys, *left));
  return JoinHashTable::Make(left, std::move(keys), config.null_equals_null, reservation);
}

namespace {

/// Returns whether the join reads build rows by pairs (a table over one batch); the others only
/// emit some left rows at the end (take_rows), or none.
bool needs_one_batch(const HashJoinConfig& config) {
  if (config.filter.has_value()) return true;
  switch (config.join_type) {
    case JoinType::kLeftSemi:
    case JoinType::kLeftAnti:
    case JoinType::kRightSemi:
    case JoinType::kRightAnti:
      return false;
    default:
      return true;
  }
}

/// Evaluates the key expressions over every batch and joins each key's pieces into one array.
arrow::Result<std::vector<std::shared_ptr<arrow::Array>>> evaluate_chunked_join_keys(
    const std::vector<physical::PhysicalExprPtr>& keys,
    const std::vector<std::shared_ptr<arrow::RecordBatch>>& batches) {
  std::vector<arrow::ArrayVector> pieces(keys.size());
  for (const auto& batch : batches) {
    ARROW_ASSIGN_OR_RAISE(auto evaluated, evaluate_join_keys(keys, *batch));
    for (size_t k = 0; k < keys.size(); ++k) pieces[k].push_back(std::move(evaluated[k]));
  }
  std::vector<std::shared_ptr<arrow::Array>> out;
  for (auto& piece : pieces) {
    ARROW_ASSIGN_OR_RAISE(auto joined, arrow::Concatenate(piece));
    out.push_back(std::move(joined));
  }
  return out;
}

/// kPartitioned: the probe partition builds its own table from the matching left partition and
/// is the only one to see its matches.
class PartitionedBuild final : public HashJoinBuild {
 public:
  PartitionedBuild(std::shared_ptr<const HashJoinConfig> config,
                   physical::RecordBatchStreamPtr left,
                   std::shared_ptr<physical::TaskContext> context, int partition)
      : config_(std::move(config)),
        left_(std::move(left)),
        context_(std::move(context)),
        reservation_(context_->memory_pool(),
                     "HashJoinExec[partition " + std::to_string(partition) + "]") {}

  arrow::Result<std::shared_ptr<const JoinHashTable>> table(
      physical::MetricsSet& metrics) override {
    if (table_ != nullptr) return table_;
    std::vector<std::shared_ptr<arrow::RecordBatch>> batches;
    int64_t build_ns = 0;
    while (true) {
      ARROW_ASSIGN_OR_RAISE(auto batch, left_->next());
      if (batch == nullptr) break;
      ARROW_RETURN_NOT_OK(check_cancelled(*context_, "HashJoinExec"));
      if (batch->num_rows() == 0) continue;
      ARROW_RETURN_NOT_OK(reservation_.grow(arrow::util::TotalBufferSize(*batch)));
      batches.push_back(std::move(batch));
    }
    left_.reset();
    const auto start = std::chrono::steady_clock::now();
    int64_t rows = 0;
    for (const auto& batch : batches) rows += batch->num_rows();
    std::shared_ptr<JoinHashTable> table;
    if (batches.size() > 1 && !needs_one_batch(*config_)) {
      // Only the keys are joined into one array; the rows stay in their batches.
      ARROW_ASSIGN_OR_RAISE(auto keys, evaluate_chunked_join_keys(config_->left_keys, batches));
      ARROW_ASSIGN_OR_RAISE(
          table, JoinHashTable::Make(std::move(batches), config_->left_schema, std::move(keys),
                                     config_->null_equals_null, reservation_));
    } else {
      std::shared_ptr<arrow::RecordBatch> all;
      if (batches.empty()) {
        ARROW_ASSIGN_OR_RAISE(all, arrow::RecordBatch::MakeEmpty(config_->left_schema));
      } else if (batches.size() == 1) {
        all = std::move(batches.front());
      } else {
        ARROW_ASSIGN_OR_RAISE(all, arrow::ConcatenateRecordBatches(batches));
      }
      batches.clear();
      ARROW_RETURN_NOT_OK(reservation_.resize(arrow::util::TotalBufferSize(*all)));
      ARROW_ASSIGN_OR_RAISE(table, build_join_table(all, *config_, reservation_));
    }
    build_ns += std::chrono::duration_cast<std::chrono::nanoseconds>(
                    std::chrono::steady_clock::now() - start)
                    .count();
    metrics.add_elapsed_compute(build_ns);
    metrics.add("build_time_ns", build_ns);
    metrics.add("build_rows", rows);
    table_ = std::move(table);
    return table_;
  }

  arrow::Result<std::optional<LeftMatches>> finish(std::vector<uint8_t> matched,
                                                   uint32_t probe_flags) override {
    return LeftMatches{std::move(matched), probe_flags};
  }

 private:
  std::shared_ptr<const HashJoinConfig> config_;
  physical::RecordBatchStreamPtr left_;
  std::shared_ptr<physical::TaskContext> context_;
  physical::MemoryReservation reservation_;
  std::shared_ptr<const JoinHashTable> table_;
};

/// kCollectLeft: one table per execution, shared by every probe partition.
class CollectedBuild final : public HashJoinBuild {
 public:
  CollectedBuild(std::shared_ptr<SharedBuild> shared,
                 std::shared_ptr<physical::TaskContext> context)
      : shared_(std::move(shared)), context_(std::move(context)) {}

  arrow::Result<std::shared_ptr<const JoinHashTable>> table(
      physical::MetricsSet& metrics) override {
    if (collected_ == nullptr) {
      ARROW_ASSIGN_OR_RAISE(collected_, shared_->get(context_, metrics));
    }
    // Aliases the collected side, which owns the table.
    return std::shared_ptr<const JoinHashTable>(collected_, collected_->built<JoinHashTable>());
  }

  arrow::Result<std::optional<LeftMatches>> finish(std::vector<uint8_t> matched,
                                                   uint32_t probe_flags) override {
    for (size_t r = 0; r < matched.size(); ++r) {
      if (matched[r]) collected_->mark_matched(static_cast<int64_t>(r));
    }
    uint32_t flags = 0;
    if (probe_flags & kProbeSawNullKey) flags |= CollectedLeft::kSawNullKey;
    if (probe_flags & kProbeSawRow) flags |= CollectedLeft::kSawAnyRow;
    collected_->set_flags(flags);
    if (!shared_->finish_probe()) return std::nullopt;
    LeftMatches out;
    out.matched.resize(static_cast<size_t>(collected_->num_rows()));
    for (int64_t r = 0; r < collected_->num_rows(); ++r) {
      out.matched[static_cast<size_t>(r)] = collected_->is_matched(r) ? 1 : 0;
    }
    if (collected_->has_flag(CollectedLeft::kSawNullKey)) out.probe_flags |= kProbeSawNullKey;
    if (collected_->has_flag(CollectedLeft::kSawAnyRow)) out.probe_flags |= kProbeSawRow;
    return out;
  }

 private:
  std::shared_ptr<SharedBuild> shared_;
  std::shared_ptr<physical::TaskContext> context_;
  std::shared_ptr<CollectedLeft> collected_;
};

}  // namespace

BuildExtension make_hash_table_extension(std::shared_ptr<const HashJoinConfig> config) {
  return
      [config](const std::shared_ptr<arrow::RecordBatch>& left, const physical::TaskContext&,
               physical::MemoryReservation& reservation) -> arrow::Result<std::shared_ptr<void>> {
        ARROW_ASSIGN_OR_RAISE(auto table, build_join_table(left, *config, reservation));
        return std::static_pointer_cast<void>(table);
      };
}

std::unique_ptr<HashJoinBuild> make_collected_build(
    std::shared_ptr<SharedBuild> shared, std::shared_ptr<physical::TaskContext> context) {
  return std::make_unique<CollectedBuild>(std::move(shared), std::move(context));
}

std::unique_ptr<HashJoinBuild> make_partitioned_build(
    std::shared_ptr<const HashJoinConfig> config, physical::RecordBatchStreamPtr left,
    std::shared_ptr<physical::TaskContext> context, int partition) {
  return std::make_unique<PartitionedBuild>(std::move(config), std::move(left), std::move(context),
                                            partition);
}

}  // namespace quiver::exec
