#pragma once

#include <arrow/buffer.h>
#include <arrow/flight/server.h>

#include <atomic>
#include <cstdint>
#include <memory>
#include <string_view>

namespace quiver::distributed {

/// How many record batches a worker has sent, by the compression found in their IPC bodies as
/// they leave for the network. Thread-safe.
struct WireCodecCounts {
  std::atomic<int64_t> none{0};
  std::atomic<int64_t> lz4{0};
  std::atomic<int64_t> zstd{0};
};

/// Returns the codec of one serialized IPC body buffer: "lz4" or "zstd" when it holds the 8-byte
/// uncompressed length followed by an LZ4 frame or a Zstandard frame (their magic numbers), else
/// "none". Buffers too short to hold a frame header are "".
std::string_view body_buffer_codec(const arrow::Buffer& buffer);

/// Wraps a Flight data stream so that every record batch it sends is counted in `counts` under
/// the codec of its first body buffer that holds data.
std::unique_ptr<arrow::flight::FlightDataStream> count_wire_codecs(
    std::unique_ptr<arrow::flight::FlightDataStream> inner,
    std::shared_ptr<WireCodecCounts> counts);

}  // namespace quiver::distributed
