#pragma once

#include <memory>

#include "quiver/exec/join/hash_join_build.h"
#include "quiver/physical/execution_plan.h"

namespace quiver::exec {

/// Returns the stream of one HashJoinExec output partition: pulls the right (probe) input batch
/// by batch, looks its keys up in the hash table `build` provides, and emits joined rows in
/// batch_size chunks (candidate pairs are enumerated a chunk at a time, so many-to-many keys
/// never build one huge batch). When the probe input ends it reports its matched build rows to
/// `build`, and, if `build` says so, emits the left rows the join type keeps (unmatched rows
/// for Left/Full/LeftAnti, matched ones for LeftSemi). Adds `probe_time_ns` to the metrics.
physical::RecordBatchStreamPtr make_hash_join_stream(physical::ExecutionPlanPtr node,
                                                     std::shared_ptr<physical::TaskContext> context,
                                                     std::shared_ptr<const HashJoinConfig> config,
                                                     std::unique_ptr<HashJoinBuild> build,
                                                     physical::RecordBatchStreamPtr right);

}  // namespace quiver::exec
