#include "quiver/sql/ast_location.h"

#include <pg_query/pg_query.pb.h>

namespace quiver::sql {

int node_location(const pg_query::Node& node) {
  switch (node.node_case()) {
    case pg_query::Node::kColumnRef:
      return node.column_ref().location();
    case pg_query::Node::kAConst:
      return node.a_const().location();
    case pg_query::Node::kAExpr:
      return node.a_expr().location();
    case pg_query::Node::kFuncCall:
      return node.func_call().location();
    case pg_query::Node::kTypeCast:
      return node.type_cast().location();
    case pg_query::Node::kBoolExpr:
      return node.bool_expr().location();
    case pg_query::Node::kNullTest:
      return node.null_test().location();
    case pg_query::Node::kBooleanTest:
      return node.boolean_test().location();
    case pg_query::Node::kCaseExpr:
      return node.case_expr().location();
    case pg_query::Node::kSubLink:
      return node.sub_link().location();
    case pg_query::Node::kResTarget:
      return node.res_target().location();
    case pg_query::Node::kSortBy:
      return node.sort_by().location();
    case pg_query::Node::kRangeVar:
      return node.range_var().location();
    case pg_query::Node::kCoalesceExpr:
      return node.coalesce_expr().location();
    case pg_query::Node::kMinMaxExpr:
      return node.min_max_expr().location();
    case pg_query::Node::kSqlvalueFunction:
      return node.sqlvalue_function().location();
    case pg_query::Node::kParamRef:
      return node.param_ref().location();
    case pg_query::Node::kRowExpr:
      return node.row_expr().location();
    case pg_query::Node::kCollateClause:
      return node.collate_clause().location();
    case pg_query::Node::kAArrayExpr:
      return node.a_array_expr().location();
    case pg_query::Node::kGroupingSet:
      return node.grouping_set().location();
    case pg_query::Node::kColumnDef:
      return node.column_def().location();
    case pg_query::Node::kRangeFunction:
      return node.range_function().functions_size() > 0 &&
                     node.range_function().functions(0).has_list() &&
                     node.range_function().functions(0).list().items_size() > 0
                 ? node_location(node.range_function().functions(0).list().items(0))
                 : -1;
    default:
      return -1;
  }
}

}  // namespace quiver::sql
