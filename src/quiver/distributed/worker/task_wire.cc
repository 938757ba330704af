#include "quiver/distributed/worker/task_wire.h"

#include <cstdint>

namespace quiver::distributed {

namespace {

constexpr std::string_view kTaskTag = "QTASK2";
constexpr std::string_view kFeedTicketTag = "QFTCK1";
constexpr std::string_view kKeyTag = "QTKEY1";
constexpr std::string_view kTicketTag = "QTICK1";

// Appends fixed-width little-endian integers and length-prefixed strings.
class WireWriter {
 public:
  void put_u32(uint32_t v) {
    for (int i = 0; i < 4; ++i) out_.push_back(static_cast<char>((v >> (8 * i)) & 0xff));
  }
  void put_i32(int v) { put_u32(static_cast<uint32_t>(v)); }
  void put_string(std::string_view s) {
    put_u32(static_cast<uint32_t>(s.size()));
    out_.append(s);
  }
  void put_raw(std::string_view s) { out_.append(s); }
  std::string take() { return std::move(out_); }

 private:
  std::string out_;
};

// Reads what WireWriter wrote, checking every length against the remaining input.
class WireReader {
 public:
  WireReader(std::string_view in, std::string_view what) : in_(in), what_(what) {}
  arrow::Status expect_tag(std::string_view tag) {
    if (in_.substr(0, tag.size()) != tag) {
      return arrow::Status::Invalid("malformed ", what_, ": unknown format tag");
    }
    in_.remove_prefix(tag.size());
    return arrow::Status::OK();
  }
  arrow::Result<uint32_t> get_u32() {
    if (in_.size() < 4) return truncated();
    uint32_t v = 0;
    for (int i = 0; i < 4; ++i) v |= static_cast<uint32_t>(static_cast<uint8_t>(in_[i])) << (8 * i);
    in_.remove_prefix(4);
    return v;
  }
  arrow::Result<int> get_i32() {
    ARROW_ASSIGN_OR_RAISE(auto v, get_u32());
    return static_cast<int>(static_cast<int32_t>(v));
  }
  arrow::Result<std::string> get_string() {
    ARROW_ASSIGN_OR_RAISE(auto n, get_u32());
    if (in_.size() < n) return truncated();
    std::string s(in_.substr(0, n));
    in_.remove_prefix(n);
    return s;
  }
  arrow::Status expect_end() const {
    if (!in_.empty()) {
      return arrow::Status::Invalid("malformed ", what_, ": ", in_.size(), " trailing bytes");
    }
    return arrow::Status::OK();
  }

 private:
  arrow::Status truncated() const {
    return arrow::Status::Invalid("malformed ", what_, ": truncated");
  }
  std::string_view in_;
  std::string_view what_;
};

void put_key(WireWriter& w, const TaskKey& key) {
  w.put_string(key.query_id);
  w.put_i32(key.stage);
  w.put_i32(key.task);
}

arrow::Result<TaskKey> get_key(WireReader& r) {
  TaskKey key;
  ARROW_ASSIGN_OR_RAISE(key.query_id, r.get_string());
  ARROW_ASSIGN_OR_RAISE(key.stage, r.get_i32());
  ARROW_ASSIGN_OR_RAISE(key.task, r.get_i32());
  return key;
}

}  // namespace

std::string encode_task_message(const TaskMessage& message) {
  WireWriter w;
  w.put_raw(kTaskTag);
  put_key(w, message.key);
  w.put_i32(message.task_count);
  w.put_u32(static_cast<uint32_t>(message.options.size()));
  for (const auto& [k, v] : message.options) {
    w.put_string(k);
    w.put_string(v);
  }
  w.put_string(message.plan_bytes);
  w.put_u32(static_cast<uint32_t>(message.work_unit_feeds.size()));
  for (const auto& feed : message.work_unit_feeds) w.put_string(feed);
  return w.take();
}

arrow::Result<TaskMessage> decode_task_message(std::string_view bytes) {
  WireReader r(bytes, "task message");
  ARROW_RETURN_NOT_OK(r.expect_tag(kTaskTag));
  TaskMessage message;
  ARROW_ASSIGN_OR_RAISE(message.key, get_key(r));
  ARROW_ASSIGN_OR_RAISE(message.task_count, r.get_i32());
  ARROW_ASSIGN_OR_RAISE(auto n_options, r.get_u32());
  for (uint32_t i = 0; i < n_options; ++i) {
    ARROW_ASSIGN_OR_RAISE(auto k, r.get_string());
    ARROW_ASSIGN_OR_RAISE(auto v, r.get_string());
    message.options[std::move(k)] = std::move(v);
  }
  ARROW_ASSIGN_OR_RAISE(message.plan_bytes, r.get_string());
  ARROW_ASSIGN_OR_RAISE(auto n_feeds, r.get_u32());
  for (uint32_t i = 0; i < n_feeds; ++i) {
    ARROW_ASSIGN_OR_RAISE(auto feed, r.get_string());
    message.work_unit_feeds.push_back(std::move(feed));
  }
  ARROW_RETURN_NOT_OK(r.expect_end());
  if (message.task_count < 1 || message.key.task < 0 || message.key.task >= message.task_count) {
    return arrow::Status::Invalid("malformed task message: task ", message.key.task, " of ",
                                  message.task_count);
  }
  return message;
}

std::string encode_feed_ticket(const FeedTicket& ticket) {
  WireWriter w;
  w.put_raw(kFeedTicketTag);
  put_key(w, ticket.key);
  w.put_string(ticket.feed_id);
  w.put_i32(ticket.partition);
  return w.take();
}

arrow::Result<FeedTicket> decode_feed_ticket(std::string_view bytes) {
  WireReader r(bytes, "work unit feed ticket");
  ARROW_RETURN_NOT_OK(r.expect_tag(kFeedTicketTag));
  FeedTicket ticket;
  ARROW_ASSIGN_OR_RAISE(ticket.key, get_key(r));
  ARROW_ASSIGN_OR_RAISE(ticket.feed_id, r.get_string());
  ARROW_ASSIGN_OR_RAISE(ticket.partition, r.get_i32());
  ARROW_RETURN_NOT_OK(r.expect_end());
  return ticket;
}

std::string encode_feed_message(const FeedMessage& message) {
  std::string out(1, static_cast<char>(message.kind));
  if (message.kind == FeedMessage::Kind::kUnit) {
    out += message.unit;
  } else if (message.kind == FeedMessage::Kind::kError) {
    out.push_back(static_cast<char>(message.error.code()));
    out += message.error.message();
  }
  return out;
}

arrow::Result<FeedMessage> decode_feed_message(std::string_view bytes) {
  if (bytes.empty()) return arrow::Status::Invalid("malformed work unit message: empty");
  FeedMessage message;
  message.kind = static_cast<FeedMessage::Kind>(bytes[0]);
  bytes.remove_prefix(1);
  switch (message.kind) {
    case FeedMessage::Kind::kUnit:
      message.unit = std::string(bytes);
      return message;
    case FeedMessage::Kind::kEnd:
      return message;
    case FeedMessage::Kind::kError: {
      if (bytes.empty()) return arrow::Status::Invalid("malformed work unit message: no code");
      auto code = static_cast<arrow::StatusCode>(static_cast<unsigned char>(bytes[0]));
      if (code == arrow::StatusCode::OK) code = arrow::StatusCode::UnknownError;
      message.error = arrow::Status(code, std::string(bytes.substr(1)));
      return message;
    }
  }
  return arrow::Status::Invalid("malformed work unit message: unknown kind");
}

std::string encode_task_key(const TaskKey& key) {
  WireWriter w;
  w.put_raw(kKeyTag);
  put_key(w, key);
  return w.take();
}

arrow::Result<TaskKey> decode_task_key(std::string_view bytes) {
  WireReader r(bytes, "task key");
  ARROW_RETURN_NOT_OK(r.expect_tag(kKeyTag));
  ARROW_ASSIGN_OR_RAISE(auto key, get_key(r));
  ARROW_RETURN_NOT_OK(r.expect_end());
  return key;
}

std::string encode_partition_ticket(const PartitionTicket& ticket) {
  WireWriter w;
  w.put_raw(kTicketTag);
  put_key(w, ticket.key);
  w.put_i32(ticket.partition);
  return w.take();
}

arrow::Result<PartitionTicket> decode_partition_ticket(std::string_view bytes) {
  WireReader r(bytes, "partition ticket");
  ARROW_RETURN_NOT_OK(r.expect_tag(kTicketTag));
  PartitionTicket ticket;
  ARROW_ASSIGN_OR_RAISE(ticket.key, get_key(r));
  ARROW_ASSIGN_OR_RAISE(ticket.partition, r.get_i32());
  ARROW_RETURN_NOT_OK(r.expect_end());
  return ticket;
}

}  // namespace quiver::distributed
