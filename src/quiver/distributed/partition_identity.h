#pragma once

#include "quiver/exec/exchange/repartition_exec.h"

/// Hash repartitions that move no row: the distributed planner drops them instead of shuffling.
namespace quiver::distributed {

/// Returns true when every row of input partition p of `repartition` (a hash RepartitionExec)
/// already belongs to output partition p: its input is hash-partitioned on the same columns into
/// the same number of partitions (exec::hash_partitioned_on; a shuffle not yet cut into a stage
/// boundary keeps its RepartitionExec's hash keys).
///
/// Such a repartition sits above a join on a key of the side that was not used to partition the
/// join's output (TPC-H q18: `Hash([o_orderkey])` above a join on `o_orderkey = l_orderkey`):
/// distributed it costs a whole shuffle over the network. (The single-node planner leaves such
/// repartitions out of the plans it builds: exec::hash_repartition.)
bool repartition_keeps_partitions(const exec::RepartitionExec& repartition);

}  // namespace quiver::distributed
