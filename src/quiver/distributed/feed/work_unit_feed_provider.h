#pragma once

#include <arrow/result.h>

#include <functional>
#include <optional>
#include <string>

#include "quiver/physical/task_context.h"

namespace quiver::distributed {

/// A pull stream of work units: each call returns the next unit, nullopt at the end of the feed,
/// or an error. Called from one thread at a time.
template <typename T>
using WorkUnitGenerator = std::function<arrow::Result<std::optional<T>>()>;

/// The coordinator side of a work unit feed, in wire form: it discovers work while the query runs
/// and returns, per partition of the leaf that holds the feed, a stream of work-unit descriptors
/// (opaque bytes that a typed WorkUnitFeed encodes and decodes). The partition is the leaf's
/// partition over all tasks: task t of a leaf with N partitions per task owns partitions
/// [t*N, (t+1)*N). `feed` may be called from several threads at once (one per partition); a
/// returned generator should check `context.cancelled()` while it waits for an external system.
class WorkUnitFeedProvider {
 public:
  virtual ~WorkUnitFeedProvider() = default;
  /// Returns the stream of encoded work units of `partition`.
  virtual arrow::Result<WorkUnitGenerator<std::string>> feed(
      int partition, const physical::TaskContext& context) const = 0;
};

}  // namespace quiver::distributed
