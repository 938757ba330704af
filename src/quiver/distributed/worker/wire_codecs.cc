#include "quiver/distributed/worker/wire_codecs.h"

#include <arrow/ipc/message.h>

#include <cstring>

namespace quiver::distributed {

namespace flight = arrow::flight;

namespace {

constexpr uint8_t kLz4FrameMagic[4] = {0x04, 0x22, 0x4D, 0x18};
constexpr uint8_t kZstdFrameMagic[4] = {0x28, 0xB5, 0x2F, 0xFD};

class CountingStream final : public flight::FlightDataStream {
 public:
  CountingStream(std::unique_ptr<flight::FlightDataStream> inner,
                 std::shared_ptr<WireCodecCounts> counts)
      : inner_(std::move(inner)), counts_(std::move(counts)) {}
  std::shared_ptr<arrow::Schema> schema() override { return inner_->schema(); }
  arrow::Result<flight::FlightPayload> GetSchemaPayload() override {
    return inner_->GetSchemaPayload();
  }
  arrow::Result<flight::FlightPayload> Next() override {
    ARROW_ASSIGN_OR_RAISE(auto payload, inner_->Next());
    if (payload.ipc_message.metadata != nullptr &&
        payload.ipc_message.type == arrow::ipc::MessageType::RECORD_BATCH) {
      count(payload.ipc_message);
    }
    return payload;
  }
  arrow::Status Close() override { return inner_->Close(); }

 private:
  void count(const arrow::ipc::IpcPayload& message) {
    for (const auto& buffer : message.body_buffers) {
      if (buffer == nullptr) continue;
      const std::string_view codec = body_buffer_codec(*buffer);
      if (codec.empty()) continue;
      (codec == "lz4" ? counts_->lz4 : codec == "zstd" ? counts_->zstd : counts_->none)++;
      return;
    }
  }

  std::unique_ptr<flight::FlightDataStream> inner_;
  std::shared_ptr<WireCodecCounts> counts_;
};

}  // namespace

std::string_view body_buffer_codec(const arrow::Buffer& buffer) {
  if (buffer.size() < 12) return "";
  const uint8_t* frame = buffer.data() + 8;
  if (std::memcmp(frame, kLz4FrameMagic, 4) == 0) return "lz4";
  if (std::memcmp(frame, kZstdFrameMagic, 4) == 0) return "zstd";
  return "none";
}

std::unique_ptr<flight::FlightDataStream> count_wire_codecs(
    std::unique_ptr<flight::FlightDataStream> inner, std::shared_ptr<WireCodecCounts> counts) {
  return std::make_unique<CountingStream>(std::move(inner), std::move(counts));
}

}  // namespace quiver::distributed
