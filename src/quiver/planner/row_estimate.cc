#include "quiver/planner/row_estimate.h"

#include <algorithm>
#include <cmath>

#include "quiver/catalog/table_provider.h"

namespace quiver::planner {

namespace {

int64_t apply_selectivity(int64_t rows, size_t filters) {
  double out = static_cast<double>(rows);
  for (size_t i = 0; i < filters; ++i) out *= kDefaultFilterSelectivity;
  return static_cast<int64_t>(std::ceil(out));
}

std::optional<int64_t> input_rows(const logical::LogicalPlan& plan) {
  if (plan.inputs.empty() || plan.inputs[0] == nullptr) return std::nullopt;
  return estimate_rows(*plan.inputs[0]);
}

}  // namespace

std::optional<int64_t> estimate_rows(const logical::LogicalPlan& plan) {
  using logical::PlanKind;
  switch (plan.kind) {
    case PlanKind::kTableScan: {
      if (plan.table == nullptr) return std::nullopt;
      auto rows = plan.table->num_rows();
      if (!rows) return std::nullopt;
      int64_t out = apply_selectivity(*rows, plan.scan_filters.size());
      if (plan.scan_fetch) out = std::min(out, *plan.scan_fetch);
      return out;
    }
    case PlanKind::kFilter: {
      auto rows = input_rows(plan);
      if (!rows) return std::nullopt;
      return apply_selectivity(*rows, 1);
    }
    case PlanKind::kProjection:
    case PlanKind::kSubqueryAlias:
      return input_rows(plan);
    case PlanKind::kSort:
    case PlanKind::kLimit: {
      auto rows = input_rows(plan);
      if (plan.fetch) {
        const int64_t cap = plan.fetch.value();
        if (!rows) return cap;
        return std::max<int64_t>(0, std::min(*rows - plan.skip, cap));
      }
      if (!rows) return std::nullopt;
      return std::max<int64_t>(0, *rows - plan.skip);
    }
    case PlanKind::kAggregate:
      if (plan.group_exprs.empty()) return 1;
      return input_rows(plan);
    case PlanKind::kUnion: {
      int64_t total = 0;
      for (const auto& input : plan.inputs) {
        auto rows = estimate_rows(*input);
        if (!rows) return std::nullopt;
        total += *rows;
      }
      return total;
    }
    case PlanKind::kValues:
      return static_cast<int64_t>(plan.values.size());
    case PlanKind::kEmptyRelation:
      return plan.produce_one_row ? 1 : 0;
    case PlanKind::kJoin: {
      if (plan.join_type != logical::JoinType::kCross) return std::nullopt;
      auto left = estimate_rows(*plan.inputs[0]);
      auto right = estimate_rows(*plan.inputs[1]);
      if (!left || !right) return std::nullopt;
      if (*right != 0 && *left > INT64_MAX / *right) return INT64_MAX;
      return *left * *right;
    }
  }
  return std::nullopt;
}

}  // namespace quiver::planner
