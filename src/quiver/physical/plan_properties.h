#pragma once

#include <arrow/type.h>

#include <memory>
#include <string>
#include <vector>

#include "quiver/physical/physical_expr.h"

namespace quiver::physical {

/// How a plan's output rows are spread over its partitions.
struct Partitioning {
  enum class Kind { kUnknown, kRoundRobinBatch, kHash };
  Kind kind = Kind::kUnknown;
  int count = 1;
  std::vector<PhysicalExprPtr> exprs;  ///< The hash keys, for kHash.

  /// Returns UnknownPartitioning(n).
  static Partitioning unknown(int n) { return {Kind::kUnknown, n, {}}; }
  /// Returns RoundRobinBatch(n).
  static Partitioning round_robin(int n) { return {Kind::kRoundRobinBatch, n, {}}; }
  /// Returns Hash(exprs, n).
  static Partitioning hash(std::vector<PhysicalExprPtr> keys, int n) {
    return {Kind::kHash, n, std::move(keys)};
  }
  /// Renders as in plans: `Hash([number@0], 16)`, `RoundRobinBatch(16)`, `UnknownPartitioning(1)`.
  std::string to_string() const;
};

/// One sort key: `number@0 ASC NULLS LAST`.
struct PhysicalSortExpr {
  PhysicalExprPtr expr;
  bool ascending = true;
  bool nulls_first = false;
  /// Renders as `number@0 ASC NULLS LAST`.
  std::string to_string() const;
};

/// A lexicographic ordering: sort keys in priority order.
using LexOrdering = std::vector<PhysicalSortExpr>;

/// Renders an ordering as `[a@0 ASC NULLS LAST, b@1 DESC NULLS FIRST]`.
std::string to_string(const LexOrdering& ordering);

/// Returns true when two orderings are the same keys in the same directions.
bool same_ordering(const LexOrdering& a, const LexOrdering& b);

/// Whether a plan's output ends.
enum class Boundedness { kBounded, kUnbounded };

/// When a plan emits rows: as input arrives, only at the end (blocking), or either.
enum class EmissionType { kIncremental, kFinal, kBoth };

/// The properties every ExecutionPlan computes once at construction.
struct PlanProperties {
  std::shared_ptr<arrow::Schema> schema;
  Partitioning partitioning;
  LexOrdering output_ordering;  ///< Empty when the output has no known order.
  /// Lists of output columns (in hashing order) such that output partition p holds only rows
  /// whose hash of those columns (exec/exchange/hash_partitioner.h) modulo the number of
  /// partitions is p; several when equivalent (both keys of a partitioned inner join). Each
  /// operator derives them from its inputs (exec/exchange/hash_partitioned.h); empty when unknown.
  std::vector<std::vector<int>> hash_keys;
  EmissionType emission = EmissionType::kIncremental;
  Boundedness boundedness = Boundedness::kBounded;

  /// Returns the number of output partitions.
  int output_partitions() const { return partitioning.count; }
};

}  // namespace quiver::physical
