#include "quiver/logical/plan_builder.h"

#include <arrow/status.h>
#include <arrow/type.h>

#include "quiver/catalog/table_provider.h"
#include "quiver/logical/expr_type.h"

namespace quiver::logical {

namespace {

std::shared_ptr<LogicalPlan> node(PlanKind kind, std::vector<LogicalPlanPtr> inputs) {
  auto plan = std::make_shared<LogicalPlan>();
  plan->kind = kind;
  plan->inputs = std::move(inputs);
  return plan;
}

arrow::Status check_input(const LogicalPlanPtr& input, const char* what) {
  if (!input) return arrow::Status::UnknownError(what, " built without an input plan");
  return arrow::Status::OK();
}

arrow::Result<std::vector<QualifiedField>> fields_of(const std::vector<ExprPtr>& exprs,
                                                     const PlanSchema& schema) {
  std::vector<QualifiedField> fields;
  fields.reserve(exprs.size());
  for (const auto& e : exprs) {
    if (e->kind == ExprKind::kWildcard) {
      return arrow::Status::UnknownError("wildcard ", e->to_string(),
                                         " must be expanded before building a plan");
    }
    ARROW_ASSIGN_OR_RAISE(auto f, expr_to_field(*e, schema));
    fields.push_back(std::move(f));
  }
  return fields;
}

}  // namespace

arrow::Result<LogicalPlanPtr> make_table_scan(std::string table_name,
                                              std::shared_ptr<catalog::TableProvider> provider,
                                              std::optional<std::vector<int>> projection,
                                              std::vector<ExprPtr> filters,
                                              std::optional<int64_t> fetch) {
  if (!provider)
    return arrow::Status::UnknownError("table scan of ", table_name, " without a provider");
  const auto table_schema = provider->schema();
  std::vector<QualifiedField> fields;
  if (projection) {
    for (int index : *projection) {
      if (index < 0 || index >= table_schema->num_fields()) {
        return arrow::Status::UnknownError("projection index ", index, " out of range for table ",
                                           table_name);
      }
      fields.push_back(QualifiedField{table_name, table_schema->field(index)});
    }
  } else {
    for (const auto& f : table_schema->fields()) fields.push_back(QualifiedField{table_name, f});
  }
  auto plan = node(PlanKind::kTableScan, {});
  plan->schema = PlanSchema(std::move(fields));
  plan->table_name = std::move(table_name);
  plan->table = std::move(provider);
  plan->projection = std::move(projection);
  plan->scan_filters = std::move(filters);
  plan->scan_fetch = fetch;
  return plan;
}

arrow::Result<LogicalPlanPtr> make_projection(LogicalPlanPtr input, std::vector<ExprPtr> exprs) {
  ARROW_RETURN_NOT_OK(check_input(input, "Projection"));
  for (const auto& e : exprs) {
    if (contains_aggregate(*e)) {
      return arrow::Status::UnknownError("aggregate in a projection: ", e->to_string(),
                                         " (aggregates belong in an Aggregate node)");
    }
  }
  ARROW_ASSIGN_OR_RAISE(auto fields, fields_of(exprs, input->schema));
  auto plan = node(PlanKind::kProjection, {std::move(input)});
  plan->schema = PlanSchema(std::move(fields));
  plan->exprs = std::move(exprs);
  return plan;
}

arrow::Result<LogicalPlanPtr> make_filter(LogicalPlanPtr input, ExprPtr predicate) {
  ARROW_RETURN_NOT_OK(check_input(input, "Filter"));
  if (contains_aggregate(*predicate)) {
    return arrow::Status::Invalid("aggregate functions are not allowed in WHERE: ",
                                  predicate->to_string());
  }
  ARROW_ASSIGN_OR_RAISE(auto type, expr_type(*predicate, input->schema));
  if (type->id() != arrow::Type::BOOL && type->id() != arrow::Type::NA) {
    return arrow::Status::Invalid("a filter predicate must be Boolean, not ",
                                  type_display_name(*type), ": ", predicate->to_string());
  }
  auto plan = node(PlanKind::kFilter, {input});
  plan->schema = input->schema;
  plan->predicate = std::move(predicate);
  return plan;
}

arrow::Result<LogicalPlanPtr> make_aggregate(LogicalPlanPtr input, std::vector<ExprPtr> group_exprs,
                                             std::vector<ExprPtr> aggr_exprs) {
  ARROW_RETURN_NOT_OK(check_input(input, "Aggregate"));
  for (const auto& g : group_exprs) {
    if (contains_aggregate(*g)) {
      return arrow::Status::Invalid("aggregate functions are not allowed in GROUP BY: ",
                                    g->to_string());
    }
  }
  for (const auto& a : aggr_exprs) {
    const auto inner = unalias(a);
    if (inner->kind != ExprKind::kAggregateFunction) {
      return arrow::Status::UnknownError("Aggregate node given a non-aggregate expression: ",
                                         a->to_string());
    }
    for (const auto& arg : inner->args) {
      if (contains_aggregate(*arg)) {
        return arrow::Status::Invalid("aggregate function calls cannot be nested: ",
                                      a->to_string());
      }
    }
  }
  ARROW_ASSIGN_OR_RAISE(auto fields, fields_of(group_exprs, input->schema));
  ARROW_ASSIGN_OR_RAISE(auto aggr_fields, fields_of(aggr_exprs, input->schema));
  fields.insert(fields.end(), aggr_fields.begin(), aggr_fields.end());
  auto plan = node(PlanKind::kAggregate, {std::move(input)});
  plan->schema = PlanSchema(std::move(fields));
  plan->group_exprs = std::move(group_exprs);
  plan->aggr_exprs = std::move(aggr_exprs);
  return plan;
}

arrow::Result<LogicalPlanPtr> make_distinct(LogicalPlanPtr input) {
  ARROW_RETURN_NOT_OK(check_input(input, "Distinct"));
  std::vector<ExprPtr> groups;
  for (const auto& f : input->schema.fields()) groups.push_back(col(f.qualifier, f.field->name()));
  return make_aggregate(std::move(input), std::move(groups), {});
}

arrow::Result<LogicalPlanPtr> make_sort(LogicalPlanPtr input, std::vector<SortExpr> sort_exprs,
                                        std::optional<int64_t> fetch) {
  ARROW_RETURN_NOT_OK(check_input(input, "Sort"));
  for (const auto& s : sort_exprs) {
    ARROW_RETURN_NOT_OK(expr_type(*s.expr, input->schema).status());
  }
  if (fetch && *fetch < 0) return arrow::Status::Invalid("a sort fetch must not be negative");
  auto plan = node(PlanKind::kSort, {input});
  plan->schema = input->schema;
  plan->sort_exprs = std::move(sort_exprs);
  plan->fetch = fetch;
  return plan;
}

arrow::Result<LogicalPlanPtr> make_limit(LogicalPlanPtr input, int64_t skip,
                                         std::optional<int64_t> fetch) {
  ARROW_RETURN_NOT_OK(check_input(input, "Limit"));
  if (skip < 0) return arrow::Status::Invalid("OFFSET must not be negative");
  if (fetch && *fetch < 0) return arrow::Status::Invalid("LIMIT must not be negative");
  auto plan = node(PlanKind::kLimit, {input});
  plan->schema = input->schema;
  plan->skip = skip;
  plan->fetch = fetch;
  return plan;
}

arrow::Result<LogicalPlanPtr> make_union(std::vector<LogicalPlanPtr> inputs) {
  if (inputs.empty()) return arrow::Status::UnknownError("Union built without inputs");
  const PlanSchema& first = inputs[0]->schema;
  const int width = first.num_fields();
  for (size_t i = 1; i < inputs.size(); ++i) {
    if (inputs[i]->schema.num_fields() != width) {
      return arrow::Status::Invalid("each UNION query must have the same number of columns: ",
                                    width, " and ", inputs[i]->schema.num_fields());
    }
  }
  std::vector<QualifiedField> fields;
  for (int c = 0; c < width; ++c) {
    std::vector<std::shared_ptr<arrow::DataType>> types;
    bool nullable = false;
    for (const auto& in : inputs) {
      types.push_back(in->schema.field(c).field->type());
      nullable = nullable || in->schema.field(c).field->nullable();
    }
    auto unified = unify_types(types);
    if (!unified.ok()) {
      return arrow::Status::Invalid("UNION column ", c + 1, " (", first.field(c).field->name(),
                                    "): ", unified.status().message());
    }
    // Like PostgreSQL, a union's columns belong to no table: `ORDER BY a`, not `ORDER BY t.a`.
    const auto& f = first.field(c);
    fields.push_back(
        QualifiedField{std::nullopt, arrow::field(f.field->name(), *unified, nullable)});
  }
  // Inputs whose column types differ from the unified ones read through a casting projection.
  for (auto& in : inputs) {
    bool needs_cast = false;
    std::vector<ExprPtr> exprs;
    for (int c = 0; c < width; ++c) {
      const auto& f = in->schema.field(c);
      ExprPtr column = col(f.qualifier, f.field->name());
      if (f.field->type()->Equals(*fields[c].field->type())) {
        exprs.push_back(column);
      } else {
        needs_cast = true;
        ARROW_ASSIGN_OR_RAISE(auto casted,
                              cast_expr_to(column, fields[c].field->type(), in->schema));
        exprs.push_back(alias(casted, f.field->name()));
      }
    }
    if (needs_cast) {
      ARROW_ASSIGN_OR_RAISE(in, make_projection(in, std::move(exprs)));
    }
  }
  auto plan = node(PlanKind::kUnion, std::move(inputs));
  plan->schema = PlanSchema(std::move(fields));
  return plan;
}

arrow::Result<LogicalPlanPtr> make_values(std::vector<std::vector<ExprPtr>> rows) {
  if (rows.empty()) return arrow::Status::Invalid("VALUES needs at least one row");
  const size_t width = rows[0].size();
  const PlanSchema empty;
  for (size_t r = 0; r < rows.size(); ++r) {
    if (rows[r].size() != width) {
      return arrow::Status::Invalid("VALUES lists must all be the same length: row 1 has ", width,
                                    " values, row ", r + 1, " has ", rows[r].size());
    }
    for (const auto& e : rows[r]) {
      if (!referenced_columns(*e).empty() || contains_aggregate(*e)) {
        return arrow::Status::Invalid("VALUES may only hold constant expressions, not ",
                                      e->to_string());
      }
    }
  }
  std::vector<QualifiedField> fields;
  for (size_t c = 0; c < width; ++c) {
    std::vector<std::shared_ptr<arrow::DataType>> types;
    bool nullable = false;
    for (const auto& row : rows) {
      ARROW_ASSIGN_OR_RAISE(auto t, expr_type(*row[c], empty));
      ARROW_ASSIGN_OR_RAISE(bool n, expr_nullable(*row[c], empty));
      types.push_back(t);
      nullable = nullable || n;
    }
    auto unified = unify_types(types);
    if (!unified.ok()) {
      return arrow::Status::Invalid("VALUES column ", c + 1, ": ", unified.status().message());
    }
    for (auto& row : rows) {
      ARROW_ASSIGN_OR_RAISE(row[c], cast_expr_to(row[c], *unified, empty));
    }
    fields.push_back(QualifiedField{
        std::nullopt, arrow::field("column" + std::to_string(c + 1), *unified, nullable)});
  }
  auto plan = node(PlanKind::kValues, {});
  plan->schema = PlanSchema(std::move(fields));
  plan->values = std::move(rows);
  return plan;
}

arrow::Result<LogicalPlanPtr> make_subquery_alias(LogicalPlanPtr input, std::string alias_name) {
  ARROW_RETURN_NOT_OK(check_input(input, "SubqueryAlias"));
  auto plan = node(PlanKind::kSubqueryAlias, {input});
  plan->schema = input->schema.with_qualifier(alias_name);
  plan->alias = std::move(alias_name);
  return plan;
}

LogicalPlanPtr make_empty_relation(bool produce_one_row) {
  auto plan = node(PlanKind::kEmptyRelation, {});
  plan->produce_one_row = produce_one_row;
  return plan;
}

arrow::Result<LogicalPlanPtr> with_new_inputs(const LogicalPlan& plan,
                                              std::vector<LogicalPlanPtr> inputs) {
  if (inputs.size() != plan.inputs.size()) {
    return arrow::Status::UnknownError("with_new_inputs: ", plan.display(), " has ",
                                       plan.inputs.size(), " inputs, given ", inputs.size());
  }
  switch (plan.kind) {
    case PlanKind::kTableScan:
      return make_table_scan(plan.table_name, plan.table, plan.projection, plan.scan_filters,
                             plan.scan_fetch);
    case PlanKind::kProjection:
      return make_projection(inputs[0], plan.exprs);
    case PlanKind::kFilter:
      return make_filter(inputs[0], plan.predicate);
    case PlanKind::kAggregate:
      return make_aggregate(inputs[0], plan.group_exprs, plan.aggr_exprs);
    case PlanKind::kSort:
      return make_sort(inputs[0], plan.sort_exprs, plan.fetch);
    case PlanKind::kLimit:
      return make_limit(inputs[0], plan.skip, plan.fetch);
    case PlanKind::kUnion:
      return make_union(std::move(inputs));
    case PlanKind::kValues:
      return make_values(plan.values);
    case PlanKind::kSubqueryAlias:
      return make_subquery_alias(inputs[0], plan.alias);
    case PlanKind::kEmptyRelation:
      return make_empty_relation(plan.produce_one_row);
    case PlanKind::kJoin:
      return make_join(inputs[0], inputs[1], plan.join_type, plan.join_on, plan.join_filter,
                       plan.null_aware);
  }
  return arrow::Status::UnknownError("with_new_inputs: unknown plan kind");
}

}  // namespace quiver::logical
