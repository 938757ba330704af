#include "quiver/distributed/stage.h"

#include <any>

namespace quiver::distributed {

std::shared_ptr<physical::TaskContext> with_transport(const physical::TaskContext& context,
                                                      physical::DistributedTaskContext task,
                                                      std::shared_ptr<Transport> transport) {
  auto copy = context.for_task(task);
  copy->set_extension(kTransportExtension, std::move(transport));
  return copy;
}

arrow::Result<std::shared_ptr<Transport>> transport_of(const physical::TaskContext& context) {
  std::any value = context.extension(kTransportExtension);
  if (auto* transport = std::any_cast<std::shared_ptr<Transport>>(&value)) {
    if (*transport != nullptr) return *transport;
  }
  return arrow::Status::UnknownError(
      "a network boundary executed without a transport in its task context (was the plan run "
      "outside DistributedExec?)");
}

std::string partition_range(int partitions) {
  if (partitions <= 1) return "[p0]";
  return "[p0..p" + std::to_string(partitions - 1) + "]";
}

}  // namespace quiver::distributed
