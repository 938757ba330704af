#include "quiver/physical/memory_pool.h"

#include "quiver/common/config.h"

namespace quiver::physical {

arrow::Status QueryMemoryPool::grow(const std::string& consumer, int64_t bytes) {
  const int64_t now = reserved_.fetch_add(bytes) + bytes;
  if (limit_ > 0 && now > limit_) {
    reserved_.fetch_sub(bytes);
    return arrow::Status::OutOfMemory(
        "Resources exhausted: ", consumer, " could not reserve ", common::format_bytes(bytes),
        ": the query memory limit of ", common::format_bytes(limit_), " is reached (",
        common::format_bytes(now - bytes), " in use); raise it with SET memory_limit");
  }
  int64_t peak = peak_.load();
  while (now > peak && !peak_.compare_exchange_weak(peak, now)) {
  }
  return arrow::Status::OK();
}

void QueryMemoryPool::shrink(int64_t bytes) { reserved_.fetch_sub(bytes); }

MemoryReservation::MemoryReservation(std::shared_ptr<QueryMemoryPool> pool, std::string consumer)
    : pool_(std::move(pool)), consumer_(std::move(consumer)) {}

MemoryReservation::~MemoryReservation() { free(); }

arrow::Status MemoryReservation::resize(int64_t bytes) {
  if (pool_ == nullptr) {
    size_ = bytes;
    return arrow::Status::OK();
  }
  if (bytes > size_) {
    ARROW_RETURN_NOT_OK(pool_->grow(consumer_, bytes - size_));
  } else if (bytes < size_) {
    pool_->shrink(size_ - bytes);
  }
  size_ = bytes;
  return arrow::Status::OK();
}

}  // namespace quiver::physical
