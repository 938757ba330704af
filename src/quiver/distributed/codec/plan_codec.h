#pragma once

#include <arrow/result.h>

#include <string>
#include <string_view>

#include "quiver/distributed/codec/physical_extension_codec.h"
#include "quiver/physical/execution_plan.h"

namespace quiver::distributed::codec {

/// Encodes a physical plan as bytes (the `quiver.codec.proto.PlanNode` message of
/// quiver_plan.proto): every built-in node of exec/ and DataSourceExec (file scans and memory
/// sources), every physical expression, with Arrow types, scalars and batches as Arrow IPC bytes.
/// Nodes that are not built in are offered to `extension_codecs` in order. A node or expression
/// no codec knows fails with `NotImplemented: no codec for node X` (or `... expression X`).
arrow::Result<std::string> encode_plan(const physical::ExecutionPlan& plan,
                                       const ExtensionCodecs& extension_codecs = {});

/// Rebuilds a plan from encode_plan's bytes: the result displays like the original
/// (physical::display_plan) and executes to the same rows. User nodes are rebuilt by the
/// extension codec that accepts their name (NotImplemented when none does); malformed bytes are
/// an Invalid error.
arrow::Result<physical::ExecutionPlanPtr> decode_plan(std::string_view bytes,
                                                      const ExtensionCodecs& extension_codecs = {});

}  // namespace quiver::distributed::codec
