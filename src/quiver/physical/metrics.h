#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>

namespace quiver::physical {

/// Counters one operator accumulates over all its partitions, shown by EXPLAIN ANALYZE as
/// `metrics=[output_rows=10, elapsed_compute=1.20ms]`. Thread-safe.
class MetricsSet {
 public:
  /// Adds to `output_rows`.
  void add_output_rows(int64_t n) { output_rows_ += n; }
  /// Adds nanoseconds of compute time (time spent in this operator, not its inputs).
  void add_elapsed_compute(int64_t ns) { elapsed_compute_ns_ += ns; }
  /// Adds to a named counter (e.g. "spill_count", "row_groups_pruned", "bytes_scanned").
  void add(const std::string& name, int64_t value);
  /// Returns the output row count.
  int64_t output_rows() const { return output_rows_.load(); }
  /// Returns the compute time in nanoseconds.
  int64_t elapsed_compute_ns() const { return elapsed_compute_ns_.load(); }
  /// Returns the named counters.
  std::map<std::string, int64_t> counters() const;
  /// Renders as `output_rows=10, elapsed_compute=1.20ms, ...`.
  std::string to_string() const;

 private:
  std::atomic<int64_t> output_rows_{0};
  std::atomic<int64_t> elapsed_compute_ns_{0};
  mutable std::mutex mutex_;
  std::map<std::string, int64_t> counters_;
};

/// Adds the time between its construction and destruction to a MetricsSet's compute time.
class ScopedTimer {
 public:
  /// Starts timing for `metrics`.
  explicit ScopedTimer(MetricsSet& metrics)
      : metrics_(metrics), start_(std::chrono::steady_clock::now()) {}
  ~ScopedTimer() {
    metrics_.add_elapsed_compute(std::chrono::duration_cast<std::chrono::nanoseconds>(
                                     std::chrono::steady_clock::now() - start_)
                                     .count());
  }
  ScopedTimer(const ScopedTimer&) = delete;
  ScopedTimer& operator=(const ScopedTimer&) = delete;

 private:
  MetricsSet& metrics_;
  std::chrono::steady_clock::time_point start_;
};

}  // namespace quiver::physical
