#include "quiver/distributed/worker/flight_transport.h"

#include <arrow/buffer.h>
#include <arrow/record_batch.h>

#include "quiver/distributed/worker/flight_error.h"
#include "quiver/distributed/worker/flight_work_unit_sink.h"

namespace quiver::distributed {

namespace flight = arrow::flight;

namespace {

// Reads one partition from a DoGet stream. Destroying it before the end cancels the call, which
// makes the worker drop the partition.
class FlightPartitionStream final : public physical::RecordBatchStream {
 public:
  FlightPartitionStream(std::shared_ptr<flight::FlightClient> client,
                        std::unique_ptr<flight::FlightStreamReader> reader,
                        std::shared_ptr<arrow::Schema> schema, std::string where)
      : client_(std::move(client)),
        reader_(std::move(reader)),
        schema_(std::move(schema)),
        where_(std::move(where)) {}

  ~FlightPartitionStream() override {
    if (!done_) reader_->Cancel();
  }

  std::shared_ptr<arrow::Schema> schema() const override { return schema_; }

  arrow::Result<std::shared_ptr<arrow::RecordBatch>> next() override {
    if (done_) return nullptr;
    auto chunk = reader_->Next();
    if (!chunk.ok()) {
      done_ = true;
      return from_flight_error(chunk.status(), where_);
    }
    if (chunk->data == nullptr) {
      done_ = true;
      return nullptr;
    }
    // An IPC stream keeps one schema for its whole life: compare it with the stage's once.
    if (!schema_checked_ && schema_ != nullptr &&
        !chunk->data->schema()->Equals(*schema_, /*check_metadata=*/false)) {
      done_ = true;
      reader_->Cancel();
      return arrow::Status::UnknownError(where_, "stream schema ",
                                         chunk->data->schema()->ToString(),
                                         " differs from the stage's schema ", schema_->ToString());
    }
    schema_checked_ = true;
    return std::move(chunk->data);
  }

 private:
  std::shared_ptr<flight::FlightClient> client_;
  std::unique_ptr<flight::FlightStreamReader> reader_;
  std::shared_ptr<arrow::Schema> schema_;
  std::string where_;
  bool done_ = false;
  bool schema_checked_ = false;  // the first batch matched the stage's schema
};

std::string where_of(const std::string& url, const TaskKey& key) {
  return "worker " + url + ", task " + key.to_string() + ": ";
}

}  // namespace

FlightTransport::FlightTransport(PlanEncoder encoder, std::shared_ptr<ChannelResolver> channels)
    : encoder_(std::move(encoder)), channels_(std::move(channels)) {}

arrow::Status FlightTransport::run_action(const std::string& worker_url, std::string_view type,
                                          std::string body, const std::string& where) {
  ARROW_ASSIGN_OR_RAISE(auto client, channels_->get_client(worker_url));
  flight::Action action;
  action.type = std::string(type);
  action.body = arrow::Buffer::FromString(std::move(body));
  auto results = client->DoAction(channels_->call_options(/*control=*/true), action);
  if (!results.ok()) return from_flight_error(results.status(), where);
  return from_flight_error((*results)->Drain(), where);
}

arrow::Status FlightTransport::submit_task(const std::string& worker_url, const TaskSpec& spec) {
  std::string where = where_of(worker_url, spec.key);
  if (spec.plan == nullptr) return arrow::Status::UnknownError(where, "task has no plan");
  auto plan_bytes = encoder_(spec.plan);
  if (!plan_bytes.ok()) {
    return plan_bytes.status().WithMessage(where,
                                           "cannot encode plan: ", plan_bytes.status().message());
  }
  TaskMessage message{spec.key, spec.task_count, std::move(*plan_bytes), spec.options,
                      spec.work_unit_feeds};
  return run_action(worker_url, kSubmitTaskAction, encode_task_message(message), where);
}

arrow::Result<physical::RecordBatchStreamPtr> FlightTransport::fetch_partition(
    const std::string& worker_url, const TaskKey& key, int partition,
    std::shared_ptr<arrow::Schema> schema) {
  std::string where = "worker " + worker_url + ", task " + key.to_string() + " partition " +
                      std::to_string(partition) + ": ";
  ARROW_ASSIGN_OR_RAISE(auto client, channels_->get_client(worker_url));
  flight::Ticket ticket{encode_partition_ticket(PartitionTicket{key, partition})};
  auto reader = client->DoGet(channels_->call_options(/*control=*/false), ticket);
  if (!reader.ok()) return from_flight_error(reader.status(), where);
  return std::make_unique<FlightPartitionStream>(std::move(client), std::move(*reader),
                                                 std::move(schema), std::move(where));
}

arrow::Result<std::unique_ptr<WorkUnitSink>> FlightTransport::open_work_unit_feed(
    const std::string& worker_url, const TaskKey& key, const std::string& feed_id, int partition) {
  ARROW_ASSIGN_OR_RAISE(auto sink, FlightWorkUnitSink::Open(*channels_, worker_url,
                                                            FeedTicket{key, feed_id, partition}));
  return std::unique_ptr<WorkUnitSink>(std::move(sink));
}

arrow::Status FlightTransport::end_task(const std::string& worker_url, const TaskKey& key) {
  return run_action(worker_url, kEndTaskAction, encode_task_key(key), where_of(worker_url, key));
}

}  // namespace quiver::distributed

namespace quiver::distributed {

arrow::Result<TaskMetrics> FlightTransport::task_metrics(const std::string& worker_url,
                                                         const TaskKey& key) {
  const std::string where = where_of(worker_url, key);
  ARROW_ASSIGN_OR_RAISE(auto client, channels_->get_client(worker_url));
  flight::Action action{std::string(kTaskMetricsAction),
                        arrow::Buffer::FromString(encode_task_key(key))};
  auto results = client->DoAction(channels_->call_options(/*control=*/true), action);
  if (!results.ok()) return from_flight_error(results.status(), where);
  auto first = (*results)->Next();
  if (!first.ok()) return from_flight_error(first.status(), where);
  if (*first == nullptr || (*first)->body == nullptr) {
    return arrow::Status::IOError(where, "the worker sent no metrics");
  }
  ARROW_RETURN_NOT_OK(from_flight_error((*results)->Drain(), where));
  return decode_task_metrics((*first)->body->ToString());
}

}  // namespace quiver::distributed
