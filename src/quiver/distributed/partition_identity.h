#pragma once

#include "quiver/exec/exchange/repartition_exec.h"

/// Hash repartitions that move no row: the distributed planner drops them instead of shuffling.
namespace quiver::distributed {

/// Returns true when every row of input partition p of `repartition` (a hash RepartitionExec)
/// already belongs to output partition p: its input is hash-partitioned on the same columns into
/// the same number of partitions. The input is followed through projections of plain columns,
/// filters, and partitioned hash joins (a join's output partition p holds rows of its inputs'
/// partition p only: the left side's for Inner, Left, LeftSemi and LeftAnti, the right side's for
/// Inner, Right, RightSemi and RightAnti; a collect-left join passes its right partitions through)
/// down to a hash RepartitionExec on exactly those columns.
///
/// Such a repartition sits above a join on a key of the side that was not used to partition the
/// join's output (TPC-H q18: `Hash([o_orderkey])` above a join on `o_orderkey = l_orderkey`):
/// single-node it costs a pass over the rows, distributed a whole shuffle over the network.
bool repartition_keeps_partitions(const exec::RepartitionExec& repartition);

}  // namespace quiver::distributed
