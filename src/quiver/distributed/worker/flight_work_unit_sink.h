#pragma once

#include <arrow/flight/client.h>
#include <arrow/result.h>

#include <memory>
#include <string>

#include "quiver/distributed/feed/work_unit_sink.h"
#include "quiver/distributed/worker/channel_resolver.h"
#include "quiver/distributed/worker/task_wire.h"

namespace quiver::distributed {

/// The coordinator's end of a work unit delivery over Flight: one DoPut call per (task, feed,
/// partition), descriptor = encode_feed_ticket(...). Every unit, the end and an error travel as
/// metadata-only messages (encode_feed_message). The worker acknowledges each unit once its
/// queue has taken it, and push() waits for that acknowledgement: at most one unit is in flight,
/// so the provider is pulled no further than the worker's queue allows.
class FlightWorkUnitSink final : public WorkUnitSink {
 public:
  /// Opens the DoPut call on the worker at `worker_url`.
  static arrow::Result<std::unique_ptr<FlightWorkUnitSink>> Open(ChannelResolver& channels,
                                                                 const std::string& worker_url,
                                                                 const FeedTicket& ticket);
  /// Closes the call if it is still open.
  ~FlightWorkUnitSink() override;

  /// Sends a unit and waits until the worker's queue took it.
  arrow::Status push(std::string unit) override;
  /// Sends the end of the feed and closes the call.
  arrow::Status finish() override;
  /// Sends the error and closes the call.
  arrow::Status fail(const arrow::Status& error) override;

 private:
  FlightWorkUnitSink(std::shared_ptr<arrow::flight::FlightClient> client,
                     arrow::flight::FlightClient::DoPutResult call, std::string where)
      : client_(std::move(client)), call_(std::move(call)), where_(std::move(where)) {}
  arrow::Status send(const FeedMessage& message);
  arrow::Status close();

  std::shared_ptr<arrow::flight::FlightClient> client_;
  arrow::flight::FlightClient::DoPutResult call_;
  std::string where_;
  bool closed_ = false;
};

}  // namespace quiver::distributed
