#include "quiver/distributed/distributed_config.h"

namespace quiver::distributed {

namespace {

constexpr int64_t kDefaultBytesPerPartition = 16 * 1024 * 1024;

bool registered(const common::ConfigOptions& options, const char* key) {
  return options.get(key).ok();
}

}  // namespace

std::vector<common::ConfigEntry> DistributedConfig::entries() const {
  using common::ConfigType;
  return {
      {"distributed.bytes_per_partition", ConfigType::kBytes, "16MB",
       "Scanned bytes one partition of a distributed leaf should read; the file-scan estimator "
       "derives a leaf's task count from it."},
      {"distributed.max_tasks_per_stage", ConfigType::kInt, "0",
       "Upper bound on the tasks of one stage (0 = the number of workers)."},
      {"distributed.compression", ConfigType::kString, "auto",
       "Compression of Arrow IPC data between workers: auto (none to a reader on the same "
       "host, lz4 to others), lz4, zstd or none."},
      {"distributed.broadcast_joins", ConfigType::kBool, "true",
       "Whether a small join build side is broadcast to every task."},
      {"distributed.broadcast_build_bytes", ConfigType::kBytes, "16MB",
       "Largest build side (the bytes of the files it scans) for which a partitioned hash join "
       "becomes a broadcast join (0 = never)."},
      {"distributed.partial_reduce_below_shuffles", ConfigType::kBool, "false",
       "Whether each task reduces its partial aggregates again (PartialReduce over its gathered "
       "partitions) before they are shuffled."},
      {"distributed.collect_metrics", ConfigType::kBool, "true",
       "Whether workers send their operators' metrics back to the coordinator."},
  };
}

int64_t DistributedConfig::bytes_per_partition(const common::ConfigOptions& options) {
  if (!registered(options, "distributed.bytes_per_partition")) return kDefaultBytesPerPartition;
  const int64_t value = options.get_int("distributed.bytes_per_partition");
  return value > 0 ? value : kDefaultBytesPerPartition;
}

int64_t DistributedConfig::max_tasks_per_stage(const common::ConfigOptions& options) {
  return options.get_int("distributed.max_tasks_per_stage");
}

std::string DistributedConfig::compression(const common::ConfigOptions& options) {
  if (!registered(options, "distributed.compression")) return "auto";
  return options.get_string("distributed.compression");
}

arrow::Status DistributedConfig::check_compression(const common::ConfigOptions& options) {
  const std::string value = compression(options);
  if (value == "auto" || value == "lz4" || value == "zstd" || value == "none") {
    return arrow::Status::OK();
  }
  return arrow::Status::Invalid(
      "option distributed.compression must be 'auto', 'lz4', 'zstd' or 'none', "
      "not '",
      value, "'");
}

int64_t DistributedConfig::broadcast_build_bytes(const common::ConfigOptions& options) {
  if (!registered(options, "distributed.broadcast_build_bytes")) return kDefaultBytesPerPartition;
  return options.get_int("distributed.broadcast_build_bytes");
}

bool DistributedConfig::partial_reduce_below_shuffles(const common::ConfigOptions& options) {
  if (!registered(options, "distributed.partial_reduce_below_shuffles")) return false;
  return options.get_bool("distributed.partial_reduce_below_shuffles");
}

bool DistributedConfig::collect_metrics(const common::ConfigOptions& options) {
  if (!registered(options, "distributed.collect_metrics")) return true;
  return options.get_bool("distributed.collect_metrics");
}

bool DistributedConfig::broadcast_joins(const common::ConfigOptions& options) {
  if (!registered(options, "distributed.broadcast_joins")) return true;
  return options.get_bool("distributed.broadcast_joins");
}

}  // namespace quiver::distributed
