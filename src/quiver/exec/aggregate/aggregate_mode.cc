#include "quiver/exec/aggregate/aggregate_mode.h"

namespace quiver::exec {

std::string to_string(AggregateMode mode) {
  switch (mode) {
    case AggregateMode::kSingle:
      return "Single";
    case AggregateMode::kPartial:
      return "Partial";
    case AggregateMode::kPartialReduce:
      return "PartialReduce";
    case AggregateMode::kFinal:
      return "Final";
    case AggregateMode::kFinalPartitioned:
      return "FinalPartitioned";
    case AggregateMode::kSinglePartitioned:
      return "SinglePartitioned";
  }
  return "Unknown";
}

bool consumes_raw_rows(AggregateMode mode) {
  return mode == AggregateMode::kSingle || mode == AggregateMode::kSinglePartitioned ||
         mode == AggregateMode::kPartial;
}

bool produces_states(AggregateMode mode) {
  return mode == AggregateMode::kPartial || mode == AggregateMode::kPartialReduce;
}

}  // namespace quiver::exec
