#pragma once

#include <arrow/status.h>

#include <cstddef>
#include <functional>
#include <vector>

namespace quiver::distributed {

/// Runs `call(i)` for every `i` in `[0, count)` on up to `max_threads` threads (the calling
/// thread is one of them) and returns the statuses in index order, after every call returned.
/// For the coordinator's round trips to workers (submitting, asking for metrics, ending tasks):
/// made one after another, their latencies add up with the number of tasks.
std::vector<arrow::Status> run_concurrently(size_t count,
                                            const std::function<arrow::Status(size_t)>& call,
                                            size_t max_threads = 16);

}  // namespace quiver::distributed
