#include "quiver/distributed/flight_cluster.h"

#include "quiver/distributed/codec/plan_codec.h"
#include "quiver/distributed/distributed_context.h"
#include "quiver/distributed/worker/flight_transport.h"
#include "quiver/distributed/worker_resolver.h"

namespace quiver::distributed {

PlanEncoder codec_plan_encoder(codec::ExtensionCodecs codecs) {
  return [codecs = std::move(codecs)](
             const physical::ExecutionPlanPtr& plan) -> arrow::Result<std::string> {
    return codec::encode_plan(*plan, codecs);
  };
}

PlanDecoder codec_plan_decoder(codec::ExtensionCodecs codecs) {
  return [codecs = std::move(codecs)](
             std::string_view bytes) -> arrow::Result<physical::ExecutionPlanPtr> {
    return codec::decode_plan(bytes, codecs);
  };
}

arrow::Status enable_flight_distributed(
    catalog::SessionContext& session, std::vector<std::string> worker_urls,
    codec::ExtensionCodecs codecs, std::vector<std::shared_ptr<const TaskEstimator>> estimators,
    ChannelOptions channels) {
  if (worker_urls.empty()) {
    return arrow::Status::Invalid("enable_flight_distributed: the worker list is empty");
  }
  auto transport =
      std::make_shared<FlightTransport>(codec_plan_encoder(std::move(codecs)),
                                        std::make_shared<ChannelResolver>(std::move(channels)));
  return enable_distributed(session, std::make_shared<StaticWorkerResolver>(std::move(worker_urls)),
                            std::move(transport), std::move(estimators));
}

arrow::Result<std::unique_ptr<InProcessCluster>> start_in_process_flight_cluster(
    int n, codec::ExtensionCodecs codecs, std::function<common::ConfigOptions()> make_config) {
  WorkerOptions options;
  options.service.encoder = codec_plan_encoder(codecs);
  options.service.decoder = codec_plan_decoder(std::move(codecs));
  options.service.make_config = std::move(make_config);
  return InProcessCluster::start(n, std::move(options));
}

}  // namespace quiver::distributed
