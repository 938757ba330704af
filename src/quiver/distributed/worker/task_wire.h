#pragma once

#include <arrow/result.h>
#include <arrow/status.h>

#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "quiver/distributed/transport.h"
#include "quiver/physical/execution_plan.h"

namespace quiver::distributed {

/// Turns a stage plan into bytes (the plan codec, or a test codec).
using PlanEncoder = std::function<arrow::Result<std::string>(const physical::ExecutionPlanPtr&)>;
/// Rebuilds a stage plan from the bytes a PlanEncoder made.
using PlanDecoder = std::function<arrow::Result<physical::ExecutionPlanPtr>(std::string_view)>;

/// The Flight action that registers a task on a worker (body: an encoded TaskMessage).
inline constexpr std::string_view kSubmitTaskAction = "submit_task";
/// The Flight action that ends a task on a worker (body: an encoded TaskKey).
inline constexpr std::string_view kEndTaskAction = "end_task";
/// The Flight action that returns a task's operator metrics (body: an encoded TaskKey; one result
/// whose body is encode_task_metrics(...)).
inline constexpr std::string_view kTaskMetricsAction = "task_metrics";

/// A task as it crosses the wire: the plan stays as encoded bytes until the worker decodes it.
struct TaskMessage {
  TaskKey key;
  int task_count = 1;
  std::string plan_bytes;
  std::map<std::string, std::string> options;
  /// The ids of the work unit feeds the task receives.
  std::vector<std::string> work_unit_feeds;
};

/// What a work unit delivery (a DoPut descriptor command) names: one partition of one feed of
/// one task.
struct FeedTicket {
  TaskKey key;
  std::string feed_id;
  int partition = 0;
};

/// One message of a work unit delivery (the app_metadata of a DoPut message from the
/// coordinator): a unit, the end of the feed, or the feed's error.
struct FeedMessage {
  enum class Kind : char { kUnit = 'U', kEnd = 'E', kError = 'F' };
  Kind kind = Kind::kUnit;
  std::string unit;     // kUnit
  arrow::Status error;  // kError
};

/// What a DoGet ticket names: one output partition of one task.
struct PartitionTicket {
  TaskKey key;
  int partition = 0;
};

/// Encodes a task message as length-prefixed binary fields behind a format tag.
std::string encode_task_message(const TaskMessage& message);
/// Decodes a task message; truncated or malformed input gives an Invalid status, never a crash.
arrow::Result<TaskMessage> decode_task_message(std::string_view bytes);

/// Encodes a work unit delivery's descriptor command.
std::string encode_feed_ticket(const FeedTicket& ticket);
/// Decodes what encode_feed_ticket wrote; malformed input is Invalid.
arrow::Result<FeedTicket> decode_feed_ticket(std::string_view bytes);
/// Encodes one delivery message (an error keeps its status code and message).
std::string encode_feed_message(const FeedMessage& message);
/// Decodes what encode_feed_message wrote; malformed input is Invalid.
arrow::Result<FeedMessage> decode_feed_message(std::string_view bytes);

/// Encodes a task key (the body of the end_task action).
std::string encode_task_key(const TaskKey& key);
/// Decodes a task key made by encode_task_key.
arrow::Result<TaskKey> decode_task_key(std::string_view bytes);

/// Encodes a DoGet ticket.
std::string encode_partition_ticket(const PartitionTicket& ticket);
/// Decodes a DoGet ticket made by encode_partition_ticket.
arrow::Result<PartitionTicket> decode_partition_ticket(std::string_view bytes);

}  // namespace quiver::distributed
