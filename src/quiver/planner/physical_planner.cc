#include "quiver/planner/physical_planner.h"

#include <arrow/record_batch.h>

#include <algorithm>

#include "quiver/catalog/table_provider.h"
#include "quiver/exec/aggregate/aggregate_exec.h"
#include "quiver/exec/aggregate/two_phase_aggregate.h"
#include "quiver/exec/exchange/coalesce_partitions_exec.h"
#include "quiver/exec/exchange/hash_partitioned.h"
#include "quiver/exec/exchange/repartition_exec.h"
#include "quiver/exec/filter/filter_exec.h"
#include "quiver/exec/limit/global_limit_exec.h"
#include "quiver/exec/limit/local_limit_exec.h"
#include "quiver/exec/projection/projection_exec.h"
#include "quiver/exec/sort/sort_exec.h"
#include "quiver/exec/sort/sort_preserving_merge_exec.h"
#include "quiver/exec/source/empty_exec.h"
#include "quiver/exec/source/values_exec.h"
#include "quiver/exec/union/union_exec.h"
#include "quiver/physical/expr/column_expr.h"
#include "quiver/planner/expr_planner.h"
#include "quiver/planner/join_planner.h"
#include "quiver/planner/round_robin_spread.h"

namespace quiver::planner {

namespace {

using logical::LogicalPlan;
using logical::PlanKind;
using physical::ExecutionPlanPtr;

/// Plans one logical tree bottom-up with fixed options.
class PhysicalPlanner {
 public:
  explicit PhysicalPlanner(const common::ConfigOptions& options)
      : options_(options), target_partitions_(std::max(1, options.target_partitions())) {}

  arrow::Result<ExecutionPlanPtr> plan(const LogicalPlan& node) {
    switch (node.kind) {
      case PlanKind::kTableScan:
        return plan_table_scan(node);
      case PlanKind::kProjection:
        return plan_projection(node);
      case PlanKind::kFilter:
        return plan_filter(node);
      case PlanKind::kAggregate:
        return plan_aggregate(node);
      case PlanKind::kSort:
        return plan_sort(node);
      case PlanKind::kLimit:
        return plan_limit(node);
      case PlanKind::kUnion:
        return plan_union(node);
      case PlanKind::kValues:
        return plan_values(node);
      case PlanKind::kSubqueryAlias:
        // Only qualifiers change; positions and the data are the input's.
        return plan_input(node);
      case PlanKind::kEmptyRelation:
        return exec::EmptyExec::Make(node.schema.to_arrow(), node.produce_one_row);
      case PlanKind::kJoin: {
        ARROW_ASSIGN_OR_RAISE(auto left, plan_input(node, 0));
        ARROW_ASSIGN_OR_RAISE(auto right, plan_input(node, 1));
        return plan_join(node, std::move(left), std::move(right), options_);
      }
    }
    return arrow::Status::UnknownError("physical planner: unknown logical plan kind");
  }

 private:
  arrow::Result<ExecutionPlanPtr> plan_input(const LogicalPlan& node, size_t i = 0) {
    if (node.inputs.size() <= i || node.inputs[i] == nullptr) {
      return arrow::Status::UnknownError("logical ", node.display(), " has no input ", i);
    }
    return plan(*node.inputs[i]);
  }

  arrow::Result<ExecutionPlanPtr> plan_table_scan(const LogicalPlan& node) {
    if (node.table == nullptr) {
      return arrow::Status::UnknownError("logical scan of '", node.table_name, "' has no table");
    }
    catalog::ScanArgs args;
    args.options = &options_;
    args.projection = node.projection;
    // The optimizer keeps a logical Filter above the scan for every filter the provider does
    // not apply exactly (see LogicalPlan::scan_filters), so none is added here.
    bool all_exact = true;
    if (!node.scan_filters.empty()) {
      auto support = node.table->supports_filters_pushdown(node.scan_filters);
      for (size_t i = 0; i < node.scan_filters.size(); ++i) {
        const auto kind = i < support.size() ? support[i] : catalog::FilterPushdown::kUnsupported;
        if (kind != catalog::FilterPushdown::kUnsupported) {
          args.filters.push_back(node.scan_filters[i]);
        }
        all_exact = all_exact && kind == catalog::FilterPushdown::kExact;
      }
    }
    // A limit is only safe to hand over when the provider applies every filter exactly.
    if (all_exact) args.limit = node.scan_fetch;
    ARROW_ASSIGN_OR_RAISE(auto scan, node.table->scan(args));
    if (scan->schema()->num_fields() != node.schema.num_fields()) {
      return arrow::Status::UnknownError("scan of '", node.table_name, "' returned ",
                                         scan->schema()->num_fields(),
                                         " columns, the plan expects ", node.schema.num_fields());
    }
    return scan;
  }

  arrow::Result<ExecutionPlanPtr> plan_projection(const LogicalPlan& node) {
    ARROW_ASSIGN_OR_RAISE(auto input, plan_input(node));
    const auto& input_schema = node.inputs[0]->schema;
    std::vector<exec::ProjectionExpr> exprs;
    for (size_t i = 0; i < node.exprs.size(); ++i) {
      ARROW_ASSIGN_OR_RAISE(auto expr, create_physical_expr(*node.exprs[i], input_schema));
      exprs.push_back({std::move(expr), output_name(node, static_cast<int>(i))});
    }
    return exec::ProjectionExec::Make(std::move(exprs), std::move(input));
  }

  arrow::Result<ExecutionPlanPtr> plan_filter(const LogicalPlan& node) {
    ARROW_ASSIGN_OR_RAISE(auto input, plan_input(node));
    ARROW_ASSIGN_OR_RAISE(auto predicate,
                          create_physical_expr(*node.predicate, node.inputs[0]->schema));
    return exec::FilterExec::Make(std::move(predicate), std::move(input));
  }

  // Two-phase when there is parallelism to use:
  //   groups:    FinalPartitioned <- Repartition(Hash) <- Partial <- [RoundRobin]
  //   no groups: Final <- Coalesce <- Partial          (Single over a single partition)
  arrow::Result<ExecutionPlanPtr> plan_aggregate(const LogicalPlan& node) {
    ARROW_ASSIGN_OR_RAISE(auto input, plan_input(node));
    const auto& input_schema = node.inputs[0]->schema;
    const int num_groups = static_cast<int>(node.group_exprs.size());
    std::vector<exec::GroupExpr> groups;
    for (int i = 0; i < num_groups; ++i) {
      ARROW_ASSIGN_OR_RAISE(
          auto expr, create_physical_expr(*node.group_exprs[static_cast<size_t>(i)], input_schema));
      groups.push_back({std::move(expr), output_name(node, i)});
    }
    std::vector<exec::AggregateExpr> aggregates;
    for (size_t k = 0; k < node.aggr_exprs.size(); ++k) {
      const logical::ExprPtr call = logical::unalias(node.aggr_exprs[k]);
      if (call->kind != logical::ExprKind::kAggregateFunction) {
        return arrow::Status::UnknownError("aggregate expression ", call->to_string(),
                                           " is not an aggregate function call");
      }
      exec::AggregateExpr aggregate;
      aggregate.function = call->name;
      aggregate.distinct = call->distinct;
      for (const auto& arg : call->args) {
        ARROW_ASSIGN_OR_RAISE(auto expr, create_physical_expr(*arg, input_schema));
        aggregate.args.push_back(std::move(expr));
      }
      if (call->filter != nullptr) {
        ARROW_ASSIGN_OR_RAISE(aggregate.filter, create_physical_expr(*call->filter, input_schema));
      }
      aggregate.name = output_name(node, num_groups + static_cast<int>(k));
      aggregates.push_back(std::move(aggregate));
    }

    const int p = target_partitions_;
    const int n = input->output_partitions();
    const bool two_phase = p > 1 && options_.get_bool("optimizer.repartition_aggregations");
    std::vector<physical::PhysicalExprPtr> group_keys;
    for (const auto& g : groups) group_keys.push_back(g.expr);
    if (two_phase && num_groups > 0 && n >= p &&
        exec::hash_partitioned_within(*input, group_keys)) {
      // Every group lies in one input partition already (TPC-H q13: counting orders per
      // customer above a join partitioned on c_custkey): one phase, no repartition.
      return exec::AggregateExec::Make(exec::AggregateMode::kSinglePartitioned, std::move(groups),
                                       std::move(aggregates), std::move(input));
    }
    if (two_phase && num_groups > 0) {
      ARROW_ASSIGN_OR_RAISE(input, spread_round_robin(std::move(input), p));
      return exec::two_phase_aggregate(std::move(groups), std::move(aggregates), std::move(input),
                                       p);
    }
    if (two_phase && n > 1) {
      auto raw_schema = input->schema();
      ARROW_ASSIGN_OR_RAISE(
          auto partial, exec::AggregateExec::Make(exec::AggregateMode::kPartial, groups, aggregates,
                                                  std::move(input)));
      ARROW_ASSIGN_OR_RAISE(auto merged, exec::CoalescePartitionsExec::Make(std::move(partial)));
      return exec::AggregateExec::Make(exec::AggregateMode::kFinal, {}, std::move(aggregates),
                                       std::move(merged), std::move(raw_schema));
    }
    if (n > 1) {
      ARROW_ASSIGN_OR_RAISE(input, exec::CoalescePartitionsExec::Make(std::move(input)));
    }
    return exec::AggregateExec::Make(exec::AggregateMode::kSingle, std::move(groups),
                                     std::move(aggregates), std::move(input));
  }

  arrow::Result<ExecutionPlanPtr> plan_sort(const LogicalPlan& node) {
    ARROW_ASSIGN_OR_RAISE(auto input, plan_input(node));
    physical::LexOrdering ordering;
    for (const auto& key : node.sort_exprs) {
      ARROW_ASSIGN_OR_RAISE(auto expr, create_physical_expr(*key.expr, node.inputs[0]->schema));
      ordering.push_back({std::move(expr), key.ascending, key.nulls_first});
    }
    if (input->output_partitions() > 1) {
      ARROW_ASSIGN_OR_RAISE(auto sorted,
                            exec::SortExec::Make(ordering, std::move(input),
                                                 /*preserve_partitioning=*/true, node.fetch));
      return exec::SortPreservingMergeExec::Make(std::move(ordering), std::move(sorted),
                                                 node.fetch);
    }
    return exec::SortExec::Make(std::move(ordering), std::move(input),
                                /*preserve_partitioning=*/false, node.fetch);
  }

  arrow::Result<ExecutionPlanPtr> plan_limit(const LogicalPlan& node) {
    ARROW_ASSIGN_OR_RAISE(auto input, plan_input(node));
    if (input->output_partitions() > 1) {
      if (node.fetch.has_value()) {
        ARROW_ASSIGN_OR_RAISE(
            input, exec::LocalLimitExec::Make(std::move(input), node.skip + *node.fetch));
      }
      ARROW_ASSIGN_OR_RAISE(input, exec::CoalescePartitionsExec::Make(std::move(input)));
    }
    return exec::GlobalLimitExec::Make(std::move(input), node.skip, node.fetch);
  }

  arrow::Result<ExecutionPlanPtr> plan_union(const LogicalPlan& node) {
    std::vector<ExecutionPlanPtr> inputs;
    for (size_t i = 0; i < node.inputs.size(); ++i) {
      ARROW_ASSIGN_OR_RAISE(auto input, plan_input(node, i));
      inputs.push_back(std::move(input));
    }
    return exec::UnionExec::Make(std::move(inputs), node.schema.to_arrow());
  }

  // Evaluates each constant expression over a one-row batch without columns.
  arrow::Result<ExecutionPlanPtr> plan_values(const LogicalPlan& node) {
    auto one_row = arrow::RecordBatch::Make(arrow::schema({}), 1,
                                            std::vector<std::shared_ptr<arrow::Array>>{});
    const logical::PlanSchema no_columns;
    std::vector<std::vector<std::shared_ptr<arrow::Scalar>>> rows;
    for (const auto& row : node.values) {
      std::vector<std::shared_ptr<arrow::Scalar>> values;
      for (const auto& e : row) {
        ARROW_ASSIGN_OR_RAISE(auto expr, create_physical_expr(*e, no_columns));
        ARROW_ASSIGN_OR_RAISE(arrow::Datum value, expr->evaluate(*one_row));
        if (value.is_scalar()) {
          values.push_back(value.scalar());
        } else if (value.is_array() && value.length() == 1) {
          ARROW_ASSIGN_OR_RAISE(auto scalar, value.make_array()->GetScalar(0));
          values.push_back(std::move(scalar));
        } else {
          return arrow::Status::UnknownError("VALUES expression ", e->to_string(),
                                             " did not evaluate to one value");
        }
      }
      rows.push_back(std::move(values));
    }
    return exec::ValuesExec::from_rows(node.schema.to_arrow(), rows);
  }

  static std::string output_name(const LogicalPlan& node, int i) {
    return node.schema.field(i).field->name();
  }

  const common::ConfigOptions& options_;
  const int target_partitions_;
};

}  // namespace

arrow::Result<physical::ExecutionPlanPtr> create_physical_plan(
    const logical::LogicalPlanPtr& plan, const common::ConfigOptions& options) {
  if (plan == nullptr) return arrow::Status::UnknownError("create_physical_plan: null plan");
  return PhysicalPlanner(options).plan(*plan);
}

}  // namespace quiver::planner
