#include "quiver/exec/exchange/partition_pump.h"

#include "quiver/exec/operator_stream.h"

namespace quiver::exec {

namespace {

void pump(const physical::ExecutionPlanPtr& input, int partition,
          const std::shared_ptr<physical::TaskContext>& context,
          BoundedChannel<BatchResult>& channel, int output) {
  auto stream = input->execute(partition, context);
  if (!stream.ok()) {
    channel.send_unbounded(output, stream.status());
    return;
  }
  while (true) {
    if (auto st = check_cancelled(*context, input->name()); !st.ok()) {
      channel.send_unbounded(output, st);
      return;
    }
    auto batch = (*stream)->next();
    if (!batch.ok()) {
      channel.send_unbounded(output, batch.status());
      return;
    }
    if (*batch == nullptr) return;
    if ((*batch)->num_rows() == 0) continue;
    if (!channel.send(output, std::move(*batch))) return;  // the consumer went away
  }
}

}  // namespace

PartitionPump::PartitionPump(physical::ExecutionPlanPtr input, int partition,
                             std::shared_ptr<physical::TaskContext> context,
                             std::shared_ptr<BoundedChannel<BatchResult>> channel, int output)
    : channel_(std::move(channel)) {
  thread_ = std::thread([input = std::move(input), partition, context = std::move(context),
                         channel = channel_, output]() {
    pump(input, partition, context, *channel, output);
    channel->close_sender();
  });
}

PartitionPump::~PartitionPump() {
  channel_->cancel();
  if (thread_.joinable()) thread_.join();
}

}  // namespace quiver::exec
