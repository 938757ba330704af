#pragma once

#include <arrow/result.h>

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "quiver/physical/execution_plan.h"

namespace quiver::distributed::codec {

/// A user node in wire form: the name of the codec kind that wrote it and its bytes. The node's
/// children are not part of `bytes`; the plan codec encodes them and hands them back on decode.
struct EncodedExtension {
  std::string name;
  std::string bytes;
};

/// Teaches the plan codec how a user ExecutionPlan node crosses the wire. Register the same codec
/// on the coordinator (for encode_plan) and on every worker (for decode_plan). Implementations
/// are stateless or immutable, and are called from any thread.
class PhysicalExtensionCodec {
 public:
  virtual ~PhysicalExtensionCodec() = default;

  /// Encodes `node` when this codec knows its type (its children are encoded by the plan codec),
  /// or returns nullopt so the next codec is asked. An error means the node is this codec's but
  /// could not be encoded.
  virtual arrow::Result<std::optional<EncodedExtension>> try_encode(
      const physical::ExecutionPlan& node) const = 0;

  /// Rebuilds a node from what try_encode produced, over its decoded `children`; returns null
  /// when `name` is not this codec's (the next codec is asked). Malformed bytes are an error.
  virtual arrow::Result<physical::ExecutionPlanPtr> try_decode(
      const std::string& name, std::string_view bytes,
      std::vector<physical::ExecutionPlanPtr> children) const = 0;
};

/// The codecs of user nodes, asked in order.
using ExtensionCodecs = std::vector<std::shared_ptr<const PhysicalExtensionCodec>>;

}  // namespace quiver::distributed::codec
