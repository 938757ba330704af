#pragma once

#include <arrow/status.h>

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>

namespace quiver::physical {

/// Accounts the memory of one query against a limit (`SET memory_limit`; 0 = unlimited).
/// Operators that hold data without bound (aggregation, sort, join build sides, buffers) reserve
/// through a MemoryReservation before they grow; a reservation past the limit fails with an error
/// naming the operator. Thread-safe.
class QueryMemoryPool {
 public:
  /// Creates a pool with a limit in bytes (0 = unlimited).
  explicit QueryMemoryPool(int64_t limit) : limit_(limit) {}
  /// Reserves `bytes` more for `consumer`; fails with OutOfMemory past the limit.
  arrow::Status grow(const std::string& consumer, int64_t bytes);
  /// Releases `bytes`.
  void shrink(int64_t bytes);
  /// Returns the bytes reserved now.
  int64_t reserved() const { return reserved_.load(); }
  /// Returns the most bytes ever reserved at once.
  int64_t peak() const { return peak_.load(); }
  /// Returns the limit (0 = unlimited).
  int64_t limit() const { return limit_; }

 private:
  const int64_t limit_;
  std::atomic<int64_t> reserved_{0};
  std::atomic<int64_t> peak_{0};
};

/// One operator partition's share of the query pool; releases everything on destruction.
/// Not thread-safe: owned by one stream.
class MemoryReservation {
 public:
  /// Creates an empty reservation for `consumer` (e.g. "AggregateExec[partition 3]").
  MemoryReservation(std::shared_ptr<QueryMemoryPool> pool, std::string consumer);
  ~MemoryReservation();
  MemoryReservation(const MemoryReservation&) = delete;
  MemoryReservation& operator=(const MemoryReservation&) = delete;

  /// Sets the reservation to `bytes`, growing or shrinking the pool.
  arrow::Status resize(int64_t bytes);
  /// Adds `bytes` to the reservation.
  arrow::Status grow(int64_t bytes) { return resize(size_ + bytes); }
  /// Releases everything.
  void free() { (void)resize(0); }
  /// Returns the bytes held.
  int64_t size() const { return size_; }

 private:
  std::shared_ptr<QueryMemoryPool> pool_;
  std::string consumer_;
  int64_t size_ = 0;
};

}  // namespace quiver::physical
