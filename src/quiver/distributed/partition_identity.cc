#include "quiver/distributed/partition_identity.h"

#include "quiver/exec/exchange/hash_partitioned.h"

namespace quiver::distributed {

bool repartition_keeps_partitions(const exec::RepartitionExec& repartition) {
  // A hash repartition on plain columns has exactly those as its hash keys.
  const auto& own = exec::hash_partition_keys(repartition);
  if (own.empty()) return false;
  return exec::hash_partitioned_on(*repartition.children()[0], own.front(),
                                   repartition.output_partitions());
}

}  // namespace quiver::distributed
