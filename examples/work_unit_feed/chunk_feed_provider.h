#pragma once

#include <arrow/result.h>

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "quiver/distributed/feed/work_unit_feed.h"

namespace quiver::examples {

/// One chunk of work: `rows` rows of partition `partition` (the `index`-th chunk of it).
struct Chunk {
  int64_t partition = 0;
  int64_t index = 0;
  int64_t rows = 0;
  bool operator==(const Chunk&) const = default;
};

/// The coordinator side of the `scan(...)` feed: it "discovers" the chunks of each partition
/// while the query runs (sleeping `delay` before each one, as a connector polling an external
/// system would) and hands them out one at a time. A partition it does not know is empty.
class ChunkFeedProvider {
 public:
  /// The feed's unit.
  using WorkUnit = Chunk;

  /// Creates the provider of `partition_chunks` (chunk sizes per partition).
  explicit ChunkFeedProvider(std::vector<std::vector<int64_t>> partition_chunks,
                             std::chrono::milliseconds delay = std::chrono::milliseconds(2))
      : partition_chunks_(std::move(partition_chunks)), delay_(delay) {}

  /// Encodes a chunk as three little-endian int64.
  static std::string encode(const Chunk& chunk);
  /// Decodes what encode() wrote; other input is an Invalid error.
  static arrow::Result<Chunk> decode(std::string_view bytes);
  /// Returns the chunks of `partition`, one per call, then the end.
  arrow::Result<distributed::WorkUnitGenerator<Chunk>> feed(
      int partition, const physical::TaskContext& context) const;

 private:
  std::vector<std::vector<int64_t>> partition_chunks_;
  std::chrono::milliseconds delay_;
};

}  // namespace quiver::examples
