#include "work_unit_feed/chunk_feed_provider.h"

#include <thread>

namespace quiver::examples {

namespace {

void put_i64(std::string* out, int64_t value) {
  const auto v = static_cast<uint64_t>(value);
  for (int i = 0; i < 8; ++i) out->push_back(static_cast<char>((v >> (8 * i)) & 0xff));
}

int64_t get_i64(std::string_view in, size_t offset) {
  uint64_t v = 0;
  for (int i = 0; i < 8; ++i) {
    v |= static_cast<uint64_t>(static_cast<uint8_t>(in[offset + i])) << (8 * i);
  }
  return static_cast<int64_t>(v);
}

}  // namespace

std::string ChunkFeedProvider::encode(const Chunk& chunk) {
  std::string out;
  put_i64(&out, chunk.partition);
  put_i64(&out, chunk.index);
  put_i64(&out, chunk.rows);
  return out;
}

arrow::Result<Chunk> ChunkFeedProvider::decode(std::string_view bytes) {
  if (bytes.size() != 24) {
    return arrow::Status::Invalid("a chunk is 24 bytes, got ", bytes.size());
  }
  return Chunk{get_i64(bytes, 0), get_i64(bytes, 8), get_i64(bytes, 16)};
}

arrow::Result<distributed::WorkUnitGenerator<Chunk>> ChunkFeedProvider::feed(
    int partition, const physical::TaskContext& context) const {
  std::vector<int64_t> chunks;
  if (partition >= 0 && partition < static_cast<int>(partition_chunks_.size())) {
    chunks = partition_chunks_[static_cast<size_t>(partition)];
  }
  size_t next = 0;
  const auto delay = delay_;
  const physical::TaskContext* ctx = &context;
  return distributed::WorkUnitGenerator<Chunk>(
      [=]() mutable -> arrow::Result<std::optional<Chunk>> {
        if (next >= chunks.size()) return std::nullopt;
        std::this_thread::sleep_for(delay);  // "discovering" the next chunk
        if (ctx->cancelled()) return arrow::Status::Cancelled("the query was cancelled");
        Chunk chunk{partition, static_cast<int64_t>(next), chunks[next]};
        ++next;
        return chunk;
      });
}

}  // namespace quiver::examples
