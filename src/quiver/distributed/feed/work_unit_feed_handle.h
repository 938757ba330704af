#pragma once

#include <arrow/result.h>

#include <memory>
#include <string>
#include <string_view>

#include "quiver/distributed/feed/work_unit_feed_provider.h"

namespace quiver::distributed {

/// What a leaf node holds of a work unit feed: a process-unique id, a name for messages, and, on
/// the coordinator, the provider. Only the id and the name cross the wire (`encode`); a handle
/// decoded on a worker has no provider and reads the units the coordinator streams to its task.
///
/// Copies share the provider. Thread-safe (immutable).
class WorkUnitFeedHandle {
 public:
  /// Creates a handle with a new id around `provider` (not null); `name` appears in errors.
  WorkUnitFeedHandle(std::shared_ptr<const WorkUnitFeedProvider> provider, std::string name);

  /// Returns the id (unique in this process, kept across the wire).
  const std::string& id() const { return id_; }
  /// Returns the name given at creation.
  const std::string& name() const { return name_; }
  /// Returns the provider, or null in a handle decoded from the wire.
  const std::shared_ptr<const WorkUnitFeedProvider>& provider() const { return provider_; }
  /// Renders as "work unit feed 'NAME'" for messages.
  std::string describe() const { return "work unit feed '" + name_ + "'"; }

  /// Opens the encoded units of local partition `partition` of the running task: the units the
  /// coordinator streams to the task (when the task runs on a worker or in-process transport),
  /// else, in a single-task run on the coordinator, the provider's own stream. The returned
  /// generator blocks until a unit arrives, returns nullopt at end-of-feed, an error naming the
  /// feed and partition when the provider failed, Cancelled when the task is ended. Dropping it
  /// tells the coordinator to stop pulling the provider for this partition.
  arrow::Result<WorkUnitGenerator<std::string>> open(
      int partition, const std::shared_ptr<physical::TaskContext>& context) const;

  /// Encodes the id and the name (never the provider).
  std::string encode() const;
  /// Decodes what encode() wrote into a handle without a provider; malformed bytes are Invalid.
  static arrow::Result<WorkUnitFeedHandle> decode(std::string_view bytes);

 private:
  WorkUnitFeedHandle() = default;
  std::string id_;
  std::string name_;
  std::shared_ptr<const WorkUnitFeedProvider> provider_;
};

/// Returns `error` with its message prefixed by "work unit feed 'NAME' partition P: ".
arrow::Status feed_error(const std::string& feed_name, int partition, const arrow::Status& error);

}  // namespace quiver::distributed
