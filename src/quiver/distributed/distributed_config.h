#pragma once

#include <arrow/status.h>

#include <cstdint>
#include <string>
#include <vector>

#include "quiver/common/config.h"

namespace quiver::distributed {

/// The `distributed.*` config extension: how the distributed planner splits work and how data
/// travels. Options: bytes_per_partition (16MB), max_tasks_per_stage (0 = number of workers),
/// compression (auto), broadcast_joins (true), broadcast_build_bytes (16MB),
/// partial_reduce_below_shuffles (false),
/// collect_metrics (true). Accessors fall back to the defaults when the extension is not
/// registered on the options.
class DistributedConfig final : public common::ConfigExtension {
 public:
  /// Returns "distributed".
  std::string prefix() const override { return "distributed"; }
  /// Returns the extension's options with their defaults.
  std::vector<common::ConfigEntry> entries() const override;

  /// Returns how many scanned bytes one partition of a leaf should read.
  static int64_t bytes_per_partition(const common::ConfigOptions& options);
  /// Returns the configured cap on tasks per stage (0 = the number of workers).
  static int64_t max_tasks_per_stage(const common::ConfigOptions& options);
  /// Returns the compression codec name for data crossing the network ("auto", "lz4", "zstd",
  /// "none"); "auto" sends plain bodies to readers on the worker's host and lz4 to others.
  static std::string compression(const common::ConfigOptions& options);
  /// Returns an Invalid error naming `distributed.compression` when its value is not one of
  /// "auto", "lz4", "zstd", "none".
  static arrow::Status check_compression(const common::ConfigOptions& options);
  /// Returns the largest build side, in scanned file bytes, for which a partitioned hash join is
  /// planned as a broadcast join (0 = never).
  static int64_t broadcast_build_bytes(const common::ConfigOptions& options);
  /// Returns whether each producer task reduces its partial aggregates again before a shuffle.
  static bool partial_reduce_below_shuffles(const common::ConfigOptions& options);
  /// Returns whether metrics are collected from workers.
  static bool collect_metrics(const common::ConfigOptions& options);
  /// Returns `distributed.broadcast_joins`.
  static bool broadcast_joins(const common::ConfigOptions& options);
};

}  // namespace quiver::distributed
