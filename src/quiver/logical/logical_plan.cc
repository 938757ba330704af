#include "quiver/logical/logical_plan.h"

#include <arrow/type.h>

#include "quiver/catalog/table_provider.h"

namespace quiver::logical {

namespace {

std::string join_exprs(const std::vector<ExprPtr>& exprs) {
  std::string out;
  for (size_t i = 0; i < exprs.size(); ++i) {
    if (i > 0) out += ", ";
    out += exprs[i]->to_string();
  }
  return out;
}

std::string sort_expr_text(const SortExpr& s) {
  return s.expr->to_string() + (s.ascending ? " ASC" : " DESC") +
         (s.nulls_first ? " NULLS FIRST" : " NULLS LAST");
}

const char* join_type_name(JoinType type) {
  switch (type) {
    case JoinType::kInner:
      return "Inner";
    case JoinType::kLeft:
      return "Left";
    case JoinType::kRight:
      return "Right";
    case JoinType::kFull:
      return "Full";
    case JoinType::kLeftSemi:
      return "LeftSemi";
    case JoinType::kLeftAnti:
      return "LeftAnti";
    case JoinType::kCross:
      return "Cross";
  }
  return "?";
}

std::string table_scan_text(const LogicalPlan& plan) {
  std::string out = "TableScan: " + plan.table_name;
  if (plan.projection) {
    out += " projection=[";
    const auto table_schema = plan.table ? plan.table->schema() : nullptr;
    for (size_t i = 0; i < plan.projection->size(); ++i) {
      if (i > 0) out += ", ";
      const int index = (*plan.projection)[i];
      if (table_schema && index >= 0 && index < table_schema->num_fields()) {
        out += table_schema->field(index)->name();
      } else {
        out += "#" + std::to_string(index);
      }
    }
    out += "]";
  }
  const char* sep = plan.projection ? ", " : " ";
  if (!plan.scan_filters.empty()) {
    out += sep + std::string("filters=[") + join_exprs(plan.scan_filters) + "]";
    sep = ", ";
  }
  if (plan.scan_fetch) out += sep + std::string("fetch=") + std::to_string(*plan.scan_fetch);
  return out;
}

void display_into(const LogicalPlan& plan, int depth, std::string* out) {
  out->append(static_cast<size_t>(depth) * 2, ' ');
  out->append(plan.display());
  out->push_back('\n');
  for (const auto& input : plan.inputs) display_into(*input, depth + 1, out);
}

}  // namespace

std::string LogicalPlan::display() const {
  switch (kind) {
    case PlanKind::kTableScan:
      return table_scan_text(*this);
    case PlanKind::kProjection:
      return "Projection: " + join_exprs(exprs);
    case PlanKind::kFilter:
      return "Filter: " + (predicate ? predicate->to_string() : std::string("?"));
    case PlanKind::kAggregate:
      return "Aggregate: groupBy=[[" + join_exprs(group_exprs) + "]], aggr=[[" +
             join_exprs(aggr_exprs) + "]]";
    case PlanKind::kSort: {
      std::string out = "Sort: ";
      for (size_t i = 0; i < sort_exprs.size(); ++i) {
        if (i > 0) out += ", ";
        out += sort_expr_text(sort_exprs[i]);
      }
      if (fetch) out += ", fetch=" + std::to_string(*fetch);
      return out;
    }
    case PlanKind::kLimit:
      return "Limit: skip=" + std::to_string(skip) +
             ", fetch=" + (fetch ? std::to_string(*fetch) : std::string("None"));
    case PlanKind::kUnion:
      return "Union";
    case PlanKind::kValues: {
      std::string out = "Values: ";
      for (size_t i = 0; i < values.size(); ++i) {
        if (i > 0) out += ", ";
        out += "(" + join_exprs(values[i]) + ")";
      }
      return out;
    }
    case PlanKind::kSubqueryAlias:
      return "SubqueryAlias: " + alias;
    case PlanKind::kEmptyRelation:
      return produce_one_row ? "EmptyRelation: rows=1" : "EmptyRelation: rows=0";
    case PlanKind::kJoin: {
      std::string out = std::string(join_type_name(join_type)) + " Join: ";
      for (size_t i = 0; i < join_on.size(); ++i) {
        if (i > 0) out += ", ";
        out += join_on[i].first->to_string() + " = " + join_on[i].second->to_string();
      }
      if (join_filter)
        out += (join_on.empty() ? "Filter: " : " Filter: ") + join_filter->to_string();
      return out;
    }
  }
  return "?";
}

std::string LogicalPlan::display_indent() const {
  std::string out;
  display_into(*this, 0, &out);
  if (!out.empty()) out.pop_back();  // no trailing newline
  return out;
}

}  // namespace quiver::logical
