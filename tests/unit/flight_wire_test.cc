// The worker protocol's wire pieces: task messages, task keys and tickets survive a round trip
// and malformed input is rejected; error envelopes rebuild the original status kind and text.

#include <arrow/flight/types.h>
#include <gtest/gtest.h>

#include "quiver/distributed/worker/flight_error.h"
#include "quiver/distributed/worker/task_wire.h"

namespace quiver::distributed {
namespace {

TaskMessage sample_message() {
  TaskMessage message;
  message.key = TaskKey{"query-7", 2, 1};
  message.task_count = 3;
  message.plan_bytes = std::string("plan\0bytes;with binary", 22);
  message.options = {{"execution.batch_size", "7"}, {"distributed.compression", "zstd"}};
  return message;
}

TEST(FlightWireTest, TaskMessageRoundTrips) {
  auto message = sample_message();
  auto decoded = decode_task_message(encode_task_message(message)).ValueOrDie();
  EXPECT_EQ(decoded.key, message.key);
  EXPECT_EQ(decoded.task_count, 3);
  EXPECT_EQ(decoded.plan_bytes, message.plan_bytes);
  EXPECT_EQ(decoded.options, message.options);
}

TEST(FlightWireTest, EveryTruncationOfATaskMessageIsRejected) {
  auto bytes = encode_task_message(sample_message());
  for (size_t n = 0; n < bytes.size(); ++n) {
    auto decoded = decode_task_message(std::string_view(bytes).substr(0, n));
    ASSERT_FALSE(decoded.ok()) << "prefix of " << n << " bytes accepted";
    EXPECT_TRUE(decoded.status().IsInvalid());
  }
  EXPECT_FALSE(decode_task_message(bytes + "x").ok());
  auto bad_task = sample_message();
  bad_task.key.task = 5;
  EXPECT_FALSE(decode_task_message(encode_task_message(bad_task)).ok());
}

TEST(FlightWireTest, KeysAndTicketsRoundTrip) {
  TaskKey key{"q", 4, 9};
  EXPECT_EQ(decode_task_key(encode_task_key(key)).ValueOrDie(), key);
  auto ticket = decode_partition_ticket(encode_partition_ticket({key, 13})).ValueOrDie();
  EXPECT_EQ(ticket.key, key);
  EXPECT_EQ(ticket.partition, 13);
  // A key is not a ticket.
  EXPECT_FALSE(decode_partition_ticket(encode_task_key(key)).ok());
}

TEST(FlightWireTest, ErrorEnvelopesKeepKindAndText) {
  for (auto code : {arrow::StatusCode::Invalid, arrow::StatusCode::IOError,
                    arrow::StatusCode::OutOfMemory, arrow::StatusCode::NotImplemented,
                    arrow::StatusCode::Cancelled, arrow::StatusCode::UnknownError}) {
    arrow::Status original(code, "column 'x' not found): at line 3, quiver-error(");
    auto wire = to_flight_error(original);
    ASSERT_NE(arrow::flight::FlightStatusDetail::UnwrapStatus(wire), nullptr);
    // Simulate text a transport adds around the message.
    auto received = arrow::Status::IOError("Flight returned error: " + wire.message() + ". Detail");
    auto rebuilt = from_flight_error(received, "worker grpc://h:1, task q/s1/t0: ");
    EXPECT_EQ(rebuilt.code(), code);
    EXPECT_EQ(rebuilt.message(),
              "worker grpc://h:1, task q/s1/t0: column 'x' not found): at line 3, quiver-error(");
  }
  EXPECT_TRUE(to_flight_error(arrow::Status::OK()).ok());
  // A status without an envelope keeps its kind and gets the location.
  auto plain = from_flight_error(arrow::Status::IOError("connection refused"), "worker u: ");
  EXPECT_TRUE(plain.IsIOError());
  EXPECT_EQ(plain.message(), "worker u: connection refused");
}

}  // namespace
}  // namespace quiver::distributed
