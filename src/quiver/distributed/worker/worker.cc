#include "quiver/distributed/worker/worker.h"

#include <arrow/flight/server_middleware.h>
#include <arrow/flight/types.h>
#include <signal.h>

#include <atomic>
#include <chrono>
#include <iostream>
#include <thread>

#include "quiver/distributed/worker/flight_transport.h"
#include "quiver/distributed/worker/local_shortcut_transport.h"

namespace quiver::distributed {

namespace flight = arrow::flight;

namespace {

constexpr char kAuthMiddlewareKey[] = "quiver-bearer-token";

// Set by the SIGINT/SIGTERM handler of serve_until_signal().
std::atomic<bool> stop_signal_received{false};
static_assert(std::atomic<bool>::is_always_lock_free);

// Compares without an early exit, so the time taken does not reveal a matching prefix.
bool same_secret(std::string_view a, std::string_view b) {
  unsigned char diff = a.size() == b.size() ? 0 : 1;
  for (size_t i = 0; i < a.size(); ++i) {
    diff |= static_cast<unsigned char>(a[i] ^ (i < b.size() ? b[i] : 0));
  }
  return diff == 0;
}

// Rejects every call that does not carry `authorization: Bearer <token>`.
class BearerTokenCheck final : public flight::ServerMiddlewareFactory {
 public:
  explicit BearerTokenCheck(std::string token) : expected_("Bearer " + std::move(token)) {}

  arrow::Status StartCall(const flight::CallInfo&, const flight::ServerCallContext& context,
                          std::shared_ptr<flight::ServerMiddleware>*) override {
    const auto& headers = context.incoming_headers();
    auto [begin, end] = headers.equal_range("authorization");
    for (auto it = begin; it != end; ++it) {
      if (same_secret(it->second, expected_)) return arrow::Status::OK();
    }
    return flight::MakeFlightError(flight::FlightStatusCode::Unauthenticated,
                                   "worker requires 'authorization: Bearer <token>' with the "
                                   "cluster's shared token");
  }

 private:
  std::string expected_;
};

}  // namespace

bool is_loopback_host(const std::string& host) {
  return host == "localhost" || host == "::1" || host == "[::1]" || host.rfind("127.", 0) == 0;
}

arrow::Result<std::unique_ptr<Worker>> Worker::start(WorkerOptions options) {
  if (!is_loopback_host(options.host) && options.token.empty()) {
    return arrow::Status::Invalid("worker: binding ", options.host, ":", options.port,
                                  " (not a loopback address) needs a shared token, so that "
                                  "only the cluster can submit tasks");
  }
  if (options.port < 0 || options.port > 65535) {
    return arrow::Status::Invalid("worker: port ", options.port, " is out of range");
  }
  if (!options.service.decoder) {
    return arrow::Status::Invalid("worker: no plan decoder given");
  }
  ARROW_ASSIGN_OR_RAISE(auto location, flight::Location::ForGrpcTcp(options.host, options.port));
  flight::FlightServerOptions server_options(location);
  if (!options.token.empty()) {
    server_options.middleware.emplace_back(kAuthMiddlewareKey,
                                           std::make_shared<BearerTokenCheck>(options.token));
  }
  if (options.service.transport == nullptr) {
    // Boundaries inside this worker's tasks read the stages below from the other workers.
    ChannelOptions channel_options;
    channel_options.token = options.token;
    PlanEncoder encoder = options.service.encoder;
    if (!encoder) {
      encoder = [](const physical::ExecutionPlanPtr&) -> arrow::Result<std::string> {
        return arrow::Status::NotImplemented("this worker has no plan encoder to submit tasks");
      };
    }
    options.service.transport = std::make_shared<FlightTransport>(
        std::move(encoder), std::make_shared<ChannelResolver>(std::move(channel_options)));
  }
  // Reads of this worker's own tasks skip Flight (attached once the URL is known).
  auto shortcut = std::make_shared<LocalShortcutTransport>(std::move(options.service.transport));
  options.service.transport = shortcut;
  auto service = std::make_unique<WorkerService>(std::move(options.service));
  auto st = service->Init(server_options);
  if (!st.ok()) {
    return arrow::Status::IOError("worker: cannot listen on ", options.host, ":", options.port,
                                  ": ", st.message());
  }
  int port = service->port();
  std::string host = options.host.find(':') != std::string::npos && options.host.front() != '['
                         ? "[" + options.host + "]"
                         : options.host;
  std::string url = "grpc://" + host + ":" + std::to_string(port);
  shortcut->attach(url, service.get());
  return std::unique_ptr<Worker>(
      new Worker(std::move(service), std::move(shortcut), std::move(url), port));
}

Worker::~Worker() {
  auto st = stop();
  (void)st;
}

arrow::Status Worker::stop() {
  if (stopped_.exchange(true)) return arrow::Status::OK();
  service_->cancel_all_tasks();
  auto deadline = std::chrono::system_clock::now() + std::chrono::seconds(1);
  ARROW_RETURN_NOT_OK(service_->Shutdown(&deadline));
  return service_->Wait();
}

arrow::Status Worker::serve_until_signal() {
  // The handler only sets a lock-free flag; this thread polls it and then stops the worker
  // (cancelling running tasks first, so open streams cannot hold the shutdown up).
  struct sigaction action {};
  action.sa_handler = [](int) { stop_signal_received.store(true); };
  sigemptyset(&action.sa_mask);
  struct sigaction previous_int {
  }, previous_term{};
  stop_signal_received.store(false);
  if (sigaction(SIGINT, &action, &previous_int) != 0 ||
      sigaction(SIGTERM, &action, &previous_term) != 0) {
    return arrow::Status::IOError("worker: cannot install the SIGINT/SIGTERM handlers");
  }
  serving_.store(true);
  while (!stop_signal_received.load() && !stop_requested_.load()) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  serving_.store(false);
  sigaction(SIGINT, &previous_int, nullptr);
  sigaction(SIGTERM, &previous_term, nullptr);
  return stop();
}

arrow::Status run_worker(const std::string& host, int port, const std::string& token,
                         WorkerServiceOptions service) {
  WorkerOptions options;
  options.host = host;
  options.port = port;
  options.token = token;
  options.service = std::move(service);
  ARROW_ASSIGN_OR_RAISE(auto worker, Worker::start(std::move(options)));
  std::cerr << "quiver worker listening on " << worker->url() << std::endl;
  return worker->serve_until_signal();
}

}  // namespace quiver::distributed
