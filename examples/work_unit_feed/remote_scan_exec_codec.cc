#include "work_unit_feed/remote_scan_exec_codec.h"

#include <cstdint>
#include <typeinfo>

#include "work_unit_feed/remote_scan_exec.h"

namespace quiver::examples {

namespace {

void put_u32(std::string* out, uint32_t value) {
  for (int i = 0; i < 4; ++i) out->push_back(static_cast<char>((value >> (8 * i)) & 0xff));
}

// Reads a little-endian u32 at the front of `in`.
arrow::Result<uint32_t> take_u32(std::string_view& in) {
  if (in.size() < 4) return arrow::Status::Invalid("RemoteScanExec codec: truncated input");
  uint32_t value = 0;
  for (int i = 0; i < 4; ++i) {
    value |= static_cast<uint32_t>(static_cast<uint8_t>(in[i])) << (8 * i);
  }
  in.remove_prefix(4);
  return value;
}

}  // namespace

arrow::Result<std::optional<distributed::codec::EncodedExtension>> RemoteScanExecCodec::try_encode(
    const physical::ExecutionPlan& node) const {
  if (typeid(node) != typeid(RemoteScanExec)) return std::nullopt;
  const auto& scan = static_cast<const RemoteScanExec&>(node);
  distributed::codec::EncodedExtension out{kName, {}};
  put_u32(&out.bytes, static_cast<uint32_t>(scan.partitions()));
  put_u32(&out.bytes, static_cast<uint32_t>(scan.requested_tasks()));
  put_u32(&out.bytes, static_cast<uint32_t>(scan.tasks()));
  put_u32(&out.bytes, static_cast<uint32_t>(scan.projection().size()));
  for (int column : scan.projection()) put_u32(&out.bytes, static_cast<uint32_t>(column));
  out.bytes += scan.feed().to_proto();  // the handle only: the provider stays here
  return out;
}

arrow::Result<physical::ExecutionPlanPtr> RemoteScanExecCodec::try_decode(
    const std::string& name, std::string_view bytes,
    std::vector<physical::ExecutionPlanPtr> children) const {
  if (name != kName) return physical::ExecutionPlanPtr();
  if (!children.empty()) return arrow::Status::Invalid("RemoteScanExec codec: a leaf has no input");
  ARROW_ASSIGN_OR_RAISE(auto partitions, take_u32(bytes));
  ARROW_ASSIGN_OR_RAISE(auto requested, take_u32(bytes));
  ARROW_ASSIGN_OR_RAISE(auto tasks, take_u32(bytes));
  ARROW_ASSIGN_OR_RAISE(auto columns, take_u32(bytes));
  if (columns > 2) return arrow::Status::Invalid("RemoteScanExec codec: ", columns, " columns");
  std::vector<int> projection;
  for (uint32_t i = 0; i < columns; ++i) {
    ARROW_ASSIGN_OR_RAISE(auto column, take_u32(bytes));
    projection.push_back(static_cast<int>(column));
  }
  ARROW_ASSIGN_OR_RAISE(auto feed, ChunkFeed::from_proto(bytes));
  ARROW_ASSIGN_OR_RAISE(
      auto node,
      RemoteScanExec::Make(std::vector<std::vector<int64_t>>(partitions),
                           static_cast<int>(partitions), static_cast<int>(requested),
                           static_cast<int>(tasks), std::move(feed), std::move(projection)));
  return physical::ExecutionPlanPtr(std::move(node));
}

}  // namespace quiver::examples
