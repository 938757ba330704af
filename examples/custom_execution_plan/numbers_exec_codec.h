#pragma once

#include <arrow/result.h>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "quiver/distributed/codec/physical_extension_codec.h"

namespace quiver::examples {

/// Carries NumbersExec across the wire in a fixed little-endian layout:
/// `u8 with_column, u32 range_count, range_count x (i64 start, i64 end)`, under the name
/// "NumbersExec". Register it on the coordinator and on every worker.
class NumbersExecCodec final : public distributed::codec::PhysicalExtensionCodec {
 public:
  /// The name the encoded node travels under.
  static constexpr const char* kName = "NumbersExec";

  /// Encodes a NumbersExec; nullopt for any other node.
  arrow::Result<std::optional<distributed::codec::EncodedExtension>> try_encode(
      const physical::ExecutionPlan& node) const override;
  /// Rebuilds a NumbersExec from bytes named kName; null for other names. Malformed bytes are an
  /// Invalid error.
  arrow::Result<physical::ExecutionPlanPtr> try_decode(
      const std::string& name, std::string_view bytes,
      std::vector<physical::ExecutionPlanPtr> children) const override;
};

}  // namespace quiver::examples
