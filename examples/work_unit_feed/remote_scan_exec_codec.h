#pragma once

#include "quiver/distributed/codec/physical_extension_codec.h"

namespace quiver::examples {

/// Carries RemoteScanExec across the wire under the name "RemoteScanExec": its partition count,
/// task counts, projection and the feed's handle (WorkUnitFeed::to_proto) only. The chunks stay
/// on the coordinator; the worker's node receives them through the feed. Register it on the
/// coordinator and on every worker.
class RemoteScanExecCodec final : public distributed::codec::PhysicalExtensionCodec {
 public:
  /// The name the encoded node travels under.
  static constexpr const char* kName = "RemoteScanExec";

  /// Encodes a RemoteScanExec; nullopt for any other node.
  arrow::Result<std::optional<distributed::codec::EncodedExtension>> try_encode(
      const physical::ExecutionPlan& node) const override;
  /// Rebuilds a RemoteScanExec (without a provider) from bytes named kName; null for other names.
  arrow::Result<physical::ExecutionPlanPtr> try_decode(
      const std::string& name, std::string_view bytes,
      std::vector<physical::ExecutionPlanPtr> children) const override;
};

}  // namespace quiver::examples
