#include "quiver/distributed/worker/flight_work_unit_sink.h"

#include <arrow/buffer.h>
#include <arrow/type.h>

#include "quiver/distributed/worker/flight_error.h"

namespace quiver::distributed {

namespace flight = arrow::flight;

arrow::Result<std::unique_ptr<FlightWorkUnitSink>> FlightWorkUnitSink::Open(
    ChannelResolver& channels, const std::string& worker_url, const FeedTicket& ticket) {
  std::string where = "worker " + worker_url + ", task " + ticket.key.to_string() +
                      ", work unit feed " + ticket.feed_id + " partition " +
                      std::to_string(ticket.partition) + ": ";
  ARROW_ASSIGN_OR_RAISE(auto client, channels.get_client(worker_url));
  auto call = client->DoPut(channels.call_options(/*control=*/false),
                            flight::FlightDescriptor::Command(encode_feed_ticket(ticket)),
                            arrow::schema(arrow::FieldVector{}));
  if (!call.ok()) return from_flight_error(call.status(), where);
  return std::unique_ptr<FlightWorkUnitSink>(
      new FlightWorkUnitSink(std::move(client), std::move(*call), std::move(where)));
}

FlightWorkUnitSink::~FlightWorkUnitSink() { (void)close(); }

arrow::Status FlightWorkUnitSink::send(const FeedMessage& message) {
  if (closed_) return arrow::Status::Invalid(where_, "the delivery is closed");
  auto st = call_.writer->WriteMetadata(arrow::Buffer::FromString(encode_feed_message(message)));
  if (!st.ok()) {
    // The worker ended the call: its status says why.
    auto closed = close();
    return from_flight_error(closed.ok() ? st : closed, where_);
  }
  return arrow::Status::OK();
}

arrow::Status FlightWorkUnitSink::push(std::string unit) {
  ARROW_RETURN_NOT_OK(send({FeedMessage::Kind::kUnit, std::move(unit), {}}));
  std::shared_ptr<arrow::Buffer> ack;
  auto st = call_.reader->ReadMetadata(&ack);
  if (!st.ok() || ack == nullptr) {
    auto closed = close();
    if (!closed.ok()) return from_flight_error(closed, where_);
    if (!st.ok()) return from_flight_error(st, where_);
    return arrow::Status::Cancelled(where_, "the worker stopped taking units");
  }
  return arrow::Status::OK();
}

arrow::Status FlightWorkUnitSink::finish() {
  ARROW_RETURN_NOT_OK(send({FeedMessage::Kind::kEnd, {}, {}}));
  return from_flight_error(close(), where_);
}

arrow::Status FlightWorkUnitSink::fail(const arrow::Status& error) {
  ARROW_RETURN_NOT_OK(send({FeedMessage::Kind::kError, {}, error}));
  return from_flight_error(close(), where_);
}

arrow::Status FlightWorkUnitSink::close() {
  if (closed_) return arrow::Status::OK();
  closed_ = true;
  (void)call_.writer->DoneWriting();
  // Drain the acknowledgements the worker may still send, then read its final status.
  std::shared_ptr<arrow::Buffer> ack;
  while (call_.reader->ReadMetadata(&ack).ok() && ack != nullptr) {
  }
  return call_.writer->Close();
}

}  // namespace quiver::distributed
