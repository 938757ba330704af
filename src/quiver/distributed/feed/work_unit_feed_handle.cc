#include "quiver/distributed/feed/work_unit_feed_handle.h"

#include <atomic>
#include <cstdint>
#include <random>

#include "quiver/distributed/feed/work_unit_inbox.h"

namespace quiver::distributed {

namespace {

constexpr std::string_view kHandleTag = "QFEED1";

std::string new_feed_id() {
  static std::atomic<uint64_t> counter{0};
  static const uint64_t salt = std::random_device{}();
  return "f" + std::to_string(salt % 1000000) + "-" + std::to_string(counter.fetch_add(1));
}

void put_string(std::string& out, std::string_view s) {
  const auto n = static_cast<uint32_t>(s.size());
  for (int i = 0; i < 4; ++i) out.push_back(static_cast<char>((n >> (8 * i)) & 0xff));
  out.append(s);
}

arrow::Result<std::string> get_string(std::string_view& in) {
  if (in.size() < 4) return arrow::Status::Invalid("malformed work unit feed handle: truncated");
  uint32_t n = 0;
  for (int i = 0; i < 4; ++i) n |= static_cast<uint32_t>(static_cast<uint8_t>(in[i])) << (8 * i);
  in.remove_prefix(4);
  if (in.size() < n) return arrow::Status::Invalid("malformed work unit feed handle: truncated");
  std::string s(in.substr(0, n));
  in.remove_prefix(n);
  return s;
}

}  // namespace

arrow::Status feed_error(const std::string& feed_name, int partition, const arrow::Status& error) {
  return error.WithMessage("work unit feed '", feed_name, "' partition ", partition, ": ",
                           error.message());
}

WorkUnitFeedHandle::WorkUnitFeedHandle(std::shared_ptr<const WorkUnitFeedProvider> provider,
                                       std::string name)
    : id_(new_feed_id()), name_(std::move(name)), provider_(std::move(provider)) {}

arrow::Result<WorkUnitGenerator<std::string>> WorkUnitFeedHandle::open(
    int partition, const std::shared_ptr<physical::TaskContext>& context) const {
  if (auto inbox = work_unit_inbox_of(*context)) {
    auto queue = inbox->queue(id_, partition);
    if (!queue.ok()) return feed_error(name_, partition, queue.status());
    // Closing the queue when the reader is dropped stops the coordinator's pump.
    auto guard = std::shared_ptr<WorkUnitQueue>(queue->get(),
                                                [keep = *queue](WorkUnitQueue* q) { q->close(); });
    std::weak_ptr<physical::TaskContext> weak = context;
    return WorkUnitGenerator<std::string>([guard, weak]() {
      return guard->pop([weak] {
        auto ctx = weak.lock();
        return ctx == nullptr || ctx->cancelled();
      });
    });
  }
  if (provider_ == nullptr) {
    return feed_error(name_, partition,
                      arrow::Status::Invalid("the feed has no provider in this process and its "
                                             "units are not delivered to this task"));
  }
  if (context->distributed().task_count != 1) {
    return feed_error(name_, partition,
                      arrow::Status::Invalid("a task of ", context->distributed().task_count,
                                             " runs without work unit delivery"));
  }
  auto units = provider_->feed(partition, *context);
  if (!units.ok()) return feed_error(name_, partition, units.status());
  return WorkUnitGenerator<std::string>(
      [units = std::move(units).ValueUnsafe(), name = name_,
       partition]() mutable -> arrow::Result<std::optional<std::string>> {
        auto unit = units();
        if (!unit.ok()) return feed_error(name, partition, unit.status());
        return unit;
      });
}

std::string WorkUnitFeedHandle::encode() const {
  std::string out(kHandleTag);
  put_string(out, id_);
  put_string(out, name_);
  return out;
}

arrow::Result<WorkUnitFeedHandle> WorkUnitFeedHandle::decode(std::string_view bytes) {
  if (bytes.substr(0, kHandleTag.size()) != kHandleTag) {
    return arrow::Status::Invalid("malformed work unit feed handle: unknown format tag");
  }
  bytes.remove_prefix(kHandleTag.size());
  WorkUnitFeedHandle handle;
  ARROW_ASSIGN_OR_RAISE(handle.id_, get_string(bytes));
  ARROW_ASSIGN_OR_RAISE(handle.name_, get_string(bytes));
  if (!bytes.empty()) {
    return arrow::Status::Invalid("malformed work unit feed handle: ", bytes.size(),
                                  " trailing bytes");
  }
  return handle;
}

}  // namespace quiver::distributed
