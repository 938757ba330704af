#pragma once

#include <cstdint>
#include <optional>

#include "quiver/logical/logical_plan.h"

namespace quiver::planner {

/// The fraction of rows a filter is assumed to keep when nothing better is known (DataFusion's
/// default selectivity).
inline constexpr double kDefaultFilterSelectivity = 0.2;

/// Returns a rough estimate of how many rows `plan` produces, or nullopt when unknown. Scans
/// start from TableProvider::num_rows; each filter (a Filter node or a filter pushed into the
/// scan) keeps kDefaultFilterSelectivity of its input; limits cap the count; projections,
/// sorts and aliases keep it; an aggregate is bounded by its input (one row without groups);
/// unions add up; a cross join multiplies; other joins are unknown. The physical planner uses it
/// to decide whether a hash join's build side is small enough to collect once.
std::optional<int64_t> estimate_rows(const logical::LogicalPlan& plan);

}  // namespace quiver::planner
