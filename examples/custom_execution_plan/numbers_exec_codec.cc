#include "custom_execution_plan/numbers_exec_codec.h"

#include <cstdint>
#include <typeinfo>

#include "custom_execution_plan/numbers_exec.h"

namespace quiver::examples {

namespace {

constexpr size_t kHeaderBytes = 1 + 4;
constexpr size_t kRangeBytes = 8 + 8;

void put_u64(std::string* out, uint64_t value, int bytes) {
  for (int i = 0; i < bytes; ++i) out->push_back(static_cast<char>((value >> (8 * i)) & 0xff));
}

uint64_t get_u64(std::string_view in, size_t offset, int bytes) {
  uint64_t value = 0;
  for (int i = 0; i < bytes; ++i) {
    value |= static_cast<uint64_t>(static_cast<uint8_t>(in[offset + i])) << (8 * i);
  }
  return value;
}

}  // namespace

arrow::Result<std::optional<distributed::codec::EncodedExtension>> NumbersExecCodec::try_encode(
    const physical::ExecutionPlan& node) const {
  if (typeid(node) != typeid(NumbersExec)) return std::nullopt;
  const auto& numbers = static_cast<const NumbersExec&>(node);
  distributed::codec::EncodedExtension out{kName, {}};
  out.bytes.push_back(numbers.with_column() ? 1 : 0);
  put_u64(&out.bytes, numbers.ranges_per_task().size(), 4);
  for (const auto& range : numbers.ranges_per_task()) {
    put_u64(&out.bytes, static_cast<uint64_t>(range.start), 8);
    put_u64(&out.bytes, static_cast<uint64_t>(range.end), 8);
  }
  return out;
}

arrow::Result<physical::ExecutionPlanPtr> NumbersExecCodec::try_decode(
    const std::string& name, std::string_view bytes,
    std::vector<physical::ExecutionPlanPtr> children) const {
  if (name != kName) return physical::ExecutionPlanPtr();
  if (!children.empty()) {
    return arrow::Status::Invalid("NumbersExec codec: a leaf takes no children, got ",
                                  children.size());
  }
  if (bytes.size() < kHeaderBytes || static_cast<uint8_t>(bytes[0]) > 1) {
    return arrow::Status::Invalid("NumbersExec codec: malformed header (", bytes.size(), " bytes)");
  }
  const uint64_t count = get_u64(bytes, 1, 4);
  if (bytes.size() != kHeaderBytes + count * kRangeBytes) {
    return arrow::Status::Invalid("NumbersExec codec: expected ", count, " ranges in ",
                                  bytes.size(), " bytes");
  }
  std::vector<NumberRange> ranges;
  for (uint64_t i = 0; i < count; ++i) {
    const size_t offset = kHeaderBytes + i * kRangeBytes;
    ranges.push_back({static_cast<int64_t>(get_u64(bytes, offset, 8)),
                      static_cast<int64_t>(get_u64(bytes, offset + 8, 8))});
  }
  ARROW_ASSIGN_OR_RAISE(auto node, NumbersExec::Make(std::move(ranges), bytes[0] == 1));
  return physical::ExecutionPlanPtr(std::move(node));
}

}  // namespace quiver::examples
