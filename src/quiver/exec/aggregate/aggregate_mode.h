#pragma once

#include <string>

namespace quiver::exec {

/// How an AggregateExec consumes and produces rows:
///   kSingle / kSinglePartitioned   raw rows in, final values out (one pass)
///   kPartial                       raw rows in, group keys + partial state columns out
///   kPartialReduce                 partial states in, fewer partial states out (merged)
///   kFinal / kFinalPartitioned     partial states in, final values out
/// The *Partitioned modes run on each of several partitions whose groups do not overlap (after a
/// hash repartition); kSingle and kFinal need a single input partition.
enum class AggregateMode {
  kSingle,
  kPartial,
  kPartialReduce,
  kFinal,
  kFinalPartitioned,
  kSinglePartitioned,
};

/// Returns the name shown in plans: "Single", "Partial", "PartialReduce", "Final",
/// "FinalPartitioned" or "SinglePartitioned".
std::string to_string(AggregateMode mode);

/// Returns true when the mode reads raw input rows (Single, SinglePartitioned, Partial), false
/// when it reads partial states.
bool consumes_raw_rows(AggregateMode mode);

/// Returns true when the mode outputs partial states (Partial, PartialReduce), false when it
/// outputs final values.
bool produces_states(AggregateMode mode);

}  // namespace quiver::exec
