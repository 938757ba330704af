#include "quiver/distributed/concurrent_calls.h"

#include <algorithm>
#include <atomic>
#include <thread>

namespace quiver::distributed {

std::vector<arrow::Status> run_concurrently(size_t count,
                                            const std::function<arrow::Status(size_t)>& call,
                                            size_t max_threads) {
  std::vector<arrow::Status> statuses(count);
  std::atomic<size_t> next{0};
  auto drain = [&] {
    for (size_t i = next.fetch_add(1); i < count; i = next.fetch_add(1)) statuses[i] = call(i);
  };
  const size_t threads = std::min(count, std::max<size_t>(1, max_threads));
  std::vector<std::thread> helpers;
  for (size_t t = 1; t < threads; ++t) helpers.emplace_back(drain);
  drain();
  for (auto& helper : helpers) helper.join();
  return statuses;
}

}  // namespace quiver::distributed
