#pragma once

#include <arrow/result.h>
#include <arrow/status.h>

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "quiver/catalog/session_context.h"
#include "quiver/common/config.h"
#include "quiver/distributed/codec/physical_extension_codec.h"
#include "quiver/distributed/task_estimator.h"
#include "quiver/distributed/worker/channel_resolver.h"
#include "quiver/distributed/worker/in_process_cluster.h"
#include "quiver/distributed/worker/task_wire.h"

namespace quiver::distributed {

/// Returns a PlanEncoder that writes stage plans with the plan codec and `codecs`.
PlanEncoder codec_plan_encoder(codec::ExtensionCodecs codecs = {});

/// Returns a PlanDecoder that reads stage plans with the plan codec and `codecs`.
PlanDecoder codec_plan_decoder(codec::ExtensionCodecs codecs = {});

/// Makes a session run its queries over the Flight workers at `worker_urls`: a
/// StaticWorkerResolver over the URLs and a FlightTransport that encodes stage plans with the
/// plan codec and `codecs` (register the same codecs on the workers), then enable_distributed
/// with `estimators`. `channels` sets the token and timeouts of the connections.
arrow::Status enable_flight_distributed(
    catalog::SessionContext& session, std::vector<std::string> worker_urls,
    codec::ExtensionCodecs codecs = {},
    std::vector<std::shared_ptr<const TaskEstimator>> estimators = {},
    ChannelOptions channels = {});

/// Starts `n` Flight workers in this process on free loopback ports. They decode stage plans
/// with the plan codec and `codecs`, start each task's options from `make_config` (register the
/// config extensions the coordinator uses there; unset = the built-in options), and read the
/// stages below theirs from each other over Flight.
arrow::Result<std::unique_ptr<InProcessCluster>> start_in_process_flight_cluster(
    int n, codec::ExtensionCodecs codecs = {},
    std::function<common::ConfigOptions()> make_config = {});

}  // namespace quiver::distributed
