#pragma once

#include <arrow/record_batch.h>
#include <arrow/result.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <vector>

#include "quiver/exec/join/collected_left.h"
#include "quiver/exec/join/join_hash_table.h"
#include "quiver/exec/join/join_type.h"
#include "quiver/physical/execution_plan.h"

namespace quiver::exec {

/// What every partition of one HashJoinExec needs to know about the join.
struct HashJoinConfig {
  JoinType join_type = JoinType::kInner;
  std::vector<physical::PhysicalExprPtr> left_keys;
  std::vector<physical::PhysicalExprPtr> right_keys;
  std::optional<JoinFilter> filter;
  bool null_equals_null = false;
  bool null_aware = false;
  std::shared_ptr<arrow::Schema> left_schema;
  std::shared_ptr<arrow::Schema> right_schema;
  std::shared_ptr<arrow::Schema> filter_schema;
  std::shared_ptr<arrow::Schema> output_schema;
};

/// Facts a probe partition reports when it ends (a mask of these bits).
enum ProbeFlag : uint32_t {
  kProbeSawNullKey = 1u << 0,  ///< some probe row had a NULL join key
  kProbeSawRow = 1u << 1,      ///< some probe row was seen at all
};

/// The left rows' state once every probe partition that shares them has ended.
struct LeftMatches {
  std::vector<uint8_t> matched;  ///< 1 per build row that found a match
  uint32_t probe_flags = 0;      ///< ProbeFlag bits of all those probe partitions
};

/// Where a probe stream gets its hash table, and where it reports which build rows matched.
/// One per probe stream; the implementations share state between streams as needed.
class HashJoinBuild {
 public:
  virtual ~HashJoinBuild() = default;
  /// Returns the hash table, building it on the first call (may block while another partition
  /// builds a shared one).
  virtual arrow::Result<std::shared_ptr<const JoinHashTable>> table(
      physical::MetricsSet& metrics) = 0;
  /// Reports this probe partition's matched build rows (`matched`, one byte per build row) and
  /// its ProbeFlag bits. Returns the merged state for the partition that must emit the left
  /// rows (the only one, or the last to finish), nullopt for the others.
  virtual arrow::Result<std::optional<LeftMatches>> finish(std::vector<uint8_t> matched,
                                                           uint32_t probe_flags) = 0;
};

/// Builds a hash table over collected left rows: evaluates and normalises the left keys and
/// reserves the table in `reservation`.
arrow::Result<std::shared_ptr<JoinHashTable>> build_join_table(
    const std::shared_ptr<arrow::RecordBatch>& left, const HashJoinConfig& config,
    physical::MemoryReservation& reservation);

/// Evaluates key expressions over `batch` and normalises them for the hash table.
arrow::Result<std::vector<std::shared_ptr<arrow::Array>>> evaluate_join_keys(
    const std::vector<physical::PhysicalExprPtr>& keys, const arrow::RecordBatch& batch);

/// Returns the build of one kPartitioned probe partition: its own table over `left`, the
/// matching left partition's stream, reserved as `HashJoinExec[partition N]`.
std::unique_ptr<HashJoinBuild> make_partitioned_build(
    std::shared_ptr<const HashJoinConfig> config, physical::RecordBatchStreamPtr left,
    std::shared_ptr<physical::TaskContext> context, int partition);

/// Returns the build extension that turns a collected left side into a JoinHashTable (for
/// SharedBuildSide, kCollectLeft).
BuildExtension make_hash_table_extension(std::shared_ptr<const HashJoinConfig> config);

/// Returns the build of one kCollectLeft probe partition: the table over all left partitions,
/// built once per execution by `shared` (with make_hash_table_extension); matches and probe flags
/// are merged there and the last probe partition to finish emits the left rows.
std::unique_ptr<HashJoinBuild> make_collected_build(std::shared_ptr<SharedBuild> shared,
                                                    std::shared_ptr<physical::TaskContext> context);

}  // namespace quiver::exec
