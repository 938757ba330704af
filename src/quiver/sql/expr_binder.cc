#include "quiver/sql/expr_binder.h"

#include <arrow/compute/cast.h>
#include <arrow/scalar.h>
#include <pg_query/pg_query.pb.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <set>

#include "quiver/common/error.h"
#include "quiver/functions/aggregate_function.h"
#include "quiver/functions/scalar_function.h"
#include "quiver/logical/expr_type.h"
#include "quiver/sql/ast_location.h"
#include "quiver/sql/interval_literal.h"
#include "quiver/sql/numeric_literal.h"
#include "quiver/sql/query_binder.h"
#include "quiver/sql/sql_type.h"

namespace quiver::sql {

namespace {

using logical::BinaryOp;
using logical::Expr;
using logical::ExprKind;
using logical::ExprPtr;

std::shared_ptr<Expr> make(ExprKind kind, std::vector<ExprPtr> args) {
  auto e = std::make_shared<Expr>();
  e->kind = kind;
  e->args = std::move(args);
  return e;
}

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}

// The last plain name of a qualified name list (`pg_catalog.upper` -> "upper").
std::string last_name(const google::protobuf::RepeatedPtrField<pg_query::Node>& names) {
  std::string out;
  for (const auto& n : names) {
    if (n.has_string()) out = n.string().sval();
  }
  return out;
}

std::string node_kind_name(const pg_query::Node& node) {
  const auto* field = pg_query::Node::descriptor()->FindFieldByNumber(node.node_case());
  return field ? field->name() : "unknown";
}

std::optional<BinaryOp> binary_op(const std::string& op) {
  static const std::pair<const char*, BinaryOp> kOps[] = {
      {"=", BinaryOp::kEq},
      {"<>", BinaryOp::kNotEq},
      {"!=", BinaryOp::kNotEq},
      {"<", BinaryOp::kLt},
      {"<=", BinaryOp::kLtEq},
      {">", BinaryOp::kGt},
      {">=", BinaryOp::kGtEq},
      {"+", BinaryOp::kPlus},
      {"-", BinaryOp::kMinus},
      {"*", BinaryOp::kMultiply},
      {"/", BinaryOp::kDivide},
      {"%", BinaryOp::kModulo},
      {"||", BinaryOp::kStringConcat},
  };
  for (const auto& [text, value] : kOps) {
    if (op == text) return value;
  }
  return std::nullopt;
}

std::vector<std::string> function_names() {
  std::vector<std::string> names = functions::scalar_function_names();
  const auto aggregates = functions::aggregate_function_names();
  names.insert(names.end(), aggregates.begin(), aggregates.end());
  return names;
}

}  // namespace

arrow::Result<ExprPtr> ExprBinder::bind(const pg_query::Node& node) {
  auto result = bind_node(node);
  if (!result.ok()) return context_.at(result.status(), node_location(node));
  return result;
}

arrow::Result<std::vector<ExprPtr>> ExprBinder::bind_list(const pg_query::Node& list_node) {
  std::vector<ExprPtr> out;
  if (!list_node.has_list()) {
    ARROW_ASSIGN_OR_RAISE(auto e, bind(list_node));
    out.push_back(std::move(e));
    return out;
  }
  for (const auto& item : list_node.list().items()) {
    ARROW_ASSIGN_OR_RAISE(auto e, bind(item));
    out.push_back(std::move(e));
  }
  return out;
}

arrow::Result<ExprPtr> ExprBinder::bind_node(const pg_query::Node& node) {
  switch (node.node_case()) {
    case pg_query::Node::kColumnRef:
      return bind_column(node.column_ref());
    case pg_query::Node::kAConst:
      return bind_const(node.a_const());
    case pg_query::Node::kTypeCast:
      return bind_type_cast(node);
    case pg_query::Node::kAExpr:
      return bind_a_expr(node.a_expr());
    case pg_query::Node::kFuncCall:
      return bind_function(node.func_call());
    case pg_query::Node::kCaseExpr:
      return bind_case(node.case_expr());
    case pg_query::Node::kBoolExpr: {
      const auto& b = node.bool_expr();
      std::vector<ExprPtr> args;
      for (const auto& a : b.args()) {
        ARROW_ASSIGN_OR_RAISE(auto e, bind(a));
        args.push_back(std::move(e));
      }
      if (b.boolop() == pg_query::NOT_EXPR) {
        // NOT EXISTS / NOT IN (subquery) become the negated subquery forms.
        const auto& arg = args.at(0);
        if (arg->kind == ExprKind::kExists || arg->kind == ExprKind::kInSubquery) {
          auto flipped = std::make_shared<Expr>(*arg);
          flipped->negated = !arg->negated;
          return flipped;
        }
        return make(ExprKind::kNot, {arg});
      }
      const BinaryOp op = b.boolop() == pg_query::AND_EXPR ? BinaryOp::kAnd : BinaryOp::kOr;
      ExprPtr out = args.at(0);
      for (size_t i = 1; i < args.size(); ++i) out = logical::binary(out, op, args[i]);
      return out;
    }
    case pg_query::Node::kNullTest: {
      ARROW_ASSIGN_OR_RAISE(auto arg, bind(node.null_test().arg()));
      auto e = make(ExprKind::kIsNull, {arg});
      e->negated = node.null_test().nulltesttype() == pg_query::IS_NOT_NULL;
      return e;
    }
    case pg_query::Node::kBooleanTest: {
      ARROW_ASSIGN_OR_RAISE(auto arg, bind(node.boolean_test().arg()));
      switch (node.boolean_test().booltesttype()) {
        case pg_query::IS_TRUE:
          return make(ExprKind::kIsTrue, {arg});
        case pg_query::IS_NOT_TRUE: {
          auto e = make(ExprKind::kIsTrue, {arg});
          e->negated = true;
          return e;
        }
        case pg_query::IS_FALSE:
          return make(ExprKind::kIsFalse, {arg});
        case pg_query::IS_NOT_FALSE: {
          auto e = make(ExprKind::kIsFalse, {arg});
          e->negated = true;
          return e;
        }
        case pg_query::IS_UNKNOWN:
          return make(ExprKind::kIsNull, {arg});
        default: {
          auto e = make(ExprKind::kIsNull, {arg});
          e->negated = true;
          return e;
        }
      }
    }
    case pg_query::Node::kCoalesceExpr: {
      std::vector<ExprPtr> args;
      for (const auto& a : node.coalesce_expr().args()) {
        ARROW_ASSIGN_OR_RAISE(auto e, bind(a));
        args.push_back(std::move(e));
      }
      return logical::scalar_function("coalesce", std::move(args));
    }
    case pg_query::Node::kMinMaxExpr: {
      std::vector<ExprPtr> args;
      for (const auto& a : node.min_max_expr().args()) {
        ARROW_ASSIGN_OR_RAISE(auto e, bind(a));
        args.push_back(std::move(e));
      }
      const bool greatest = node.min_max_expr().op() == pg_query::IS_GREATEST;
      return logical::scalar_function(greatest ? "greatest" : "least", std::move(args));
    }
    case pg_query::Node::kSqlvalueFunction: {
      const auto op = node.sqlvalue_function().op();
      if (op == pg_query::SVFOP_CURRENT_DATE) return logical::scalar_function("current_date", {});
      if (op == pg_query::SVFOP_CURRENT_TIMESTAMP || op == pg_query::SVFOP_LOCALTIMESTAMP) {
        return logical::scalar_function("now", {});
      }
      return arrow::Status::NotImplemented("this SQL value function is not supported");
    }
    case pg_query::Node::kSubLink:
      return bind_sub_link(node);
    case pg_query::Node::kAIndirection: {
      // (s).name: a struct's field, as in PostgreSQL's composite types.
      ARROW_ASSIGN_OR_RAISE(auto out, bind(node.a_indirection().arg()));
      for (const auto& step : node.a_indirection().indirection()) {
        if (!step.has_string()) {
          return arrow::Status::NotImplemented("array subscripts and (s).* are not supported");
        }
        out = logical::scalar_function(
            "get_field",
            {out, logical::lit(std::make_shared<arrow::StringScalar>(step.string().sval()))});
      }
      return out;
    }
    case pg_query::Node::kAStar:
      return arrow::Status::Invalid("* is only allowed in the select list and in count(*)");
    case pg_query::Node::kParamRef:
      return arrow::Status::NotImplemented("query parameters ($n) are not supported");
    default:
      return arrow::Status::NotImplemented("expression ", node_kind_name(node),
                                           " is not supported");
  }
}

arrow::Result<ExprPtr> ExprBinder::bind_column(const pg_query::ColumnRef& ref) {
  std::vector<std::string> parts;
  for (const auto& f : ref.fields()) {
    if (f.has_a_star()) {
      return arrow::Status::Invalid("* is only allowed in the select list and in count(*)");
    }
    if (f.has_string()) parts.push_back(f.string().sval());
  }
  if (parts.empty()) return arrow::Status::Invalid("empty column reference");
  logical::Column column;
  column.name = parts.back();
  if (parts.size() >= 2) column.relation = parts[parts.size() - 2];

  const int index = schema_.find(column);
  if (index >= 0) {
    const auto& field = schema_.field(index);
    return logical::col(field.qualifier, field.field->name());
  }
  if (!column.relation && aliases_ != nullptr) {
    for (const auto& [name, expr] : *aliases_) {
      if (name == column.name) return logical::unalias(expr);
    }
  }
  if (!context_.outer_scopes.empty()) {
    auto outer = bind_outer_column(column);
    if (outer.ok()) return outer;
  }
  if (column.relation) {
    std::vector<std::string> qualifiers;
    for (const auto& f : schema_.fields()) {
      if (f.qualifier &&
          std::find(qualifiers.begin(), qualifiers.end(), *f.qualifier) == qualifiers.end()) {
        qualifiers.push_back(*f.qualifier);
      }
    }
    if (std::find(qualifiers.begin(), qualifiers.end(), *column.relation) == qualifiers.end()) {
      return arrow::Status::Invalid("table \"", *column.relation,
                                    "\" is not in the FROM clause (column ", column.flat_name(),
                                    ")", common::did_you_mean(*column.relation, qualifiers));
    }
  }
  return schema_.index_of(column).status();
}

arrow::Result<ExprPtr> ExprBinder::bind_const(const pg_query::A_Const& value) {
  if (value.isnull()) return logical::lit(std::make_shared<arrow::NullScalar>());
  switch (value.val_case()) {
    case pg_query::A_Const::kIval:
      return logical::lit(std::make_shared<arrow::Int64Scalar>(value.ival().ival()));
    case pg_query::A_Const::kFval: {
      ARROW_ASSIGN_OR_RAISE(auto scalar, numeric_literal(value.fval().fval()));
      return logical::lit(std::move(scalar));
    }
    case pg_query::A_Const::kSval:
      return logical::lit(std::make_shared<arrow::StringScalar>(value.sval().sval()));
    case pg_query::A_Const::kBoolval:
      return logical::lit(std::make_shared<arrow::BooleanScalar>(value.boolval().boolval()));
    default:
      return arrow::Status::NotImplemented("bit string constants are not supported");
  }
}

arrow::Result<ExprPtr> ExprBinder::bind_type_cast(const pg_query::Node& node) {
  const auto& tc = node.type_cast();
  ARROW_ASSIGN_OR_RAISE(auto arg, bind(tc.arg()));
  if (is_interval_type_name(tc.type_name())) return bind_interval_cast(tc.type_name(), arg);
  auto type = arrow_type_from_sql(tc.type_name());
  if (!type.ok()) return context_.at(type.status(), tc.type_name().location());
  // Typed literals (`DATE '2020-01-01'`, `'...'::timestamp`) become literals of that type.
  if (arg->kind == ExprKind::kLiteral && arg->literal->is_valid &&
      logical::is_string_type(*arg->literal->type) && logical::is_temporal_type(**type)) {
    auto folded = arrow::compute::Cast(arrow::Datum(arg->literal), *type);
    if (!folded.ok()) {
      return arrow::Status::Invalid("invalid input for type ", logical::type_display_name(**type),
                                    ": ", arg->to_string());
    }
    return logical::lit(folded->scalar());
  }
  return logical::cast(arg, *type);
}

arrow::Result<ExprPtr> ExprBinder::bind_a_expr(const pg_query::A_Expr& a) {
  const std::string op = last_name(a.name());
  switch (a.kind()) {
    case pg_query::AEXPR_OP: {
      if (!a.has_lexpr()) {
        ARROW_ASSIGN_OR_RAISE(auto operand, bind(a.rexpr()));
        if (op == "-") return make(ExprKind::kNegative, {operand});
        if (op == "+") return operand;
        return arrow::Status::NotImplemented("prefix operator ", op, " is not supported");
      }
      const auto bop = binary_op(op);
      if (!bop) return arrow::Status::NotImplemented("operator ", op, " is not supported");
      ARROW_ASSIGN_OR_RAISE(auto left, bind(a.lexpr()));
      ARROW_ASSIGN_OR_RAISE(auto right, bind(a.rexpr()));
      return logical::binary(left, *bop, right);
    }
    case pg_query::AEXPR_DISTINCT:
    case pg_query::AEXPR_NOT_DISTINCT: {
      ARROW_ASSIGN_OR_RAISE(auto left, bind(a.lexpr()));
      ARROW_ASSIGN_OR_RAISE(auto right, bind(a.rexpr()));
      return logical::binary(left,
                             a.kind() == pg_query::AEXPR_DISTINCT ? BinaryOp::kIsDistinctFrom
                                                                  : BinaryOp::kIsNotDistinctFrom,
                             right);
    }
    case pg_query::AEXPR_IN: {
      if (a.rexpr().has_sub_link()) return bind_sub_link(a.rexpr());
      ARROW_ASSIGN_OR_RAISE(auto left, bind(a.lexpr()));
      ARROW_ASSIGN_OR_RAISE(auto items, bind_list(a.rexpr()));
      items.insert(items.begin(), left);
      auto e = make(ExprKind::kInList, std::move(items));
      e->negated = op == "<>";
      return e;
    }
    case pg_query::AEXPR_LIKE:
    case pg_query::AEXPR_ILIKE: {
      if (a.rexpr().has_func_call()) {
        return arrow::Status::NotImplemented("LIKE ... ESCAPE is not supported");
      }
      ARROW_ASSIGN_OR_RAISE(auto left, bind(a.lexpr()));
      ARROW_ASSIGN_OR_RAISE(auto right, bind(a.rexpr()));
      auto e = make(ExprKind::kLike, {left, right});
      e->negated = !op.empty() && op[0] == '!';
      e->case_insensitive = a.kind() == pg_query::AEXPR_ILIKE;
      return e;
    }
    case pg_query::AEXPR_BETWEEN:
    case pg_query::AEXPR_NOT_BETWEEN: {
      ARROW_ASSIGN_OR_RAISE(auto subject, bind(a.lexpr()));
      ARROW_ASSIGN_OR_RAISE(auto bounds, bind_list(a.rexpr()));
      if (bounds.size() != 2) return arrow::Status::Invalid("BETWEEN needs two bounds");
      auto e = make(ExprKind::kBetween, {subject, bounds[0], bounds[1]});
      e->negated = a.kind() == pg_query::AEXPR_NOT_BETWEEN;
      return e;
    }
    case pg_query::AEXPR_NULLIF: {
      ARROW_ASSIGN_OR_RAISE(auto left, bind(a.lexpr()));
      ARROW_ASSIGN_OR_RAISE(auto right, bind(a.rexpr()));
      if (functions::find_scalar_function("nullif") != nullptr) {
        return logical::scalar_function("nullif", {left, right});
      }
      auto e = make(ExprKind::kCase, {});
      e->when_then.emplace_back(logical::binary(left, BinaryOp::kEq, right),
                                logical::lit(std::make_shared<arrow::NullScalar>()));
      e->case_else = left;
      return e;
    }
    case pg_query::AEXPR_OP_ANY:
    case pg_query::AEXPR_OP_ALL:
      return arrow::Status::NotImplemented("ANY/ALL comparisons are not supported yet");
    case pg_query::AEXPR_SIMILAR:
      return arrow::Status::NotImplemented("SIMILAR TO is not supported");
    default:
      return arrow::Status::NotImplemented("BETWEEN SYMMETRIC is not supported");
  }
}

namespace {

// PostgreSQL spells some calls with keywords and rewrites them to functions of its own:
// EXTRACT(YEAR FROM d) -> extract('year', d), POSITION(a IN b) -> position(b, a). When the
// engine does not register those names, they map to its equivalents.
std::string engine_function_name(std::string name) {
  static const std::pair<const char*, const char*> kEquivalents[] = {
      {"extract", "date_part"},
      {"position", "strpos"},
  };
  if (functions::find_scalar_function(name) != nullptr) return name;
  for (const auto& [pg_name, engine_name] : kEquivalents) {
    if (name == pg_name) return engine_name;
  }
  return name;
}

}  // namespace

arrow::Result<ExprPtr> ExprBinder::bind_function(const pg_query::FuncCall& call) {
  const std::string name = engine_function_name(lower(last_name(call.funcname())));
  if (call.has_over()) {
    return arrow::Status::NotImplemented("window functions are not supported yet: ", name,
                                         "(...) OVER (...)");
  }
  if (call.agg_order_size() > 0 || call.agg_within_group()) {
    return arrow::Status::NotImplemented("ORDER BY inside an aggregate call is not supported");
  }
  if (call.func_variadic()) return arrow::Status::NotImplemented("VARIADIC is not supported");

  const auto* aggregate = functions::find_aggregate_function(name);
  if (aggregate == nullptr) {
    if (functions::find_scalar_function(name) == nullptr) {
      return arrow::Status::Invalid("function ", name, "() does not exist",
                                    common::did_you_mean(name, function_names()));
    }
    if (call.agg_star() || call.agg_distinct() || call.has_agg_filter()) {
      return arrow::Status::Invalid(call.agg_star() ? "* argument" : "DISTINCT or FILTER",
                                    " given, but ", name, "() is not an aggregate function");
    }
    std::vector<ExprPtr> args;
    for (const auto& a : call.args()) {
      ARROW_ASSIGN_OR_RAISE(auto e, bind(a));
      args.push_back(std::move(e));
    }
    return logical::scalar_function(name, std::move(args));
  }

  if (!forbidden_aggregate_clause_.empty()) {
    return arrow::Status::Invalid("aggregate functions are not allowed in ",
                                  forbidden_aggregate_clause_, ": ", name, "(...)");
  }
  if (aggregate_depth_ > 0) {
    return arrow::Status::Invalid("aggregate function calls cannot be nested: ", name, "(...)");
  }
  std::vector<ExprPtr> args;
  ++aggregate_depth_;
  if (call.agg_star()) {
    if (name != "count") {
      --aggregate_depth_;
      return arrow::Status::Invalid("* argument is only valid for count, not ", name, "()");
    }
    ++count_star_;
    args.push_back(logical::lit(std::make_shared<arrow::Int64Scalar>(1)));
  }
  for (const auto& a : call.args()) {
    auto e = bind(a);
    if (!e.ok()) {
      --aggregate_depth_;
      return e.status();
    }
    args.push_back(*std::move(e));
  }
  ExprPtr filter;
  if (call.has_agg_filter()) {
    auto f = bind(call.agg_filter());
    if (!f.ok()) {
      --aggregate_depth_;
      return f.status();
    }
    filter = *f;
  }
  --aggregate_depth_;
  auto e = std::const_pointer_cast<Expr>(
      logical::aggregate_function(name, std::move(args), call.agg_distinct()));
  e->filter = std::move(filter);
  return e;
}

arrow::Result<ExprPtr> ExprBinder::bind_case(const pg_query::CaseExpr& c) {
  auto e = make(ExprKind::kCase, {});
  if (c.has_arg()) {
    ARROW_ASSIGN_OR_RAISE(e->case_operand, bind(c.arg()));
  }
  for (const auto& w : c.args()) {
    if (!w.has_case_when()) return arrow::Status::UnknownError("CASE without WHEN node");
    ARROW_ASSIGN_OR_RAISE(auto when, bind(w.case_when().expr()));
    ARROW_ASSIGN_OR_RAISE(auto then, bind(w.case_when().result()));
    e->when_then.emplace_back(std::move(when), std::move(then));
  }
  if (c.has_defresult()) {
    ARROW_ASSIGN_OR_RAISE(e->case_else, bind(c.defresult()));
  }
  return e;
}

arrow::Result<ExprPtr> ExprBinder::bind_outer_column(const logical::Column& column) const {
  const auto& scopes = context_.outer_scopes;
  for (auto it = scopes.rbegin(); it != scopes.rend(); ++it) {
    const int index = (*it)->find(column);
    if (index < 0) continue;
    const auto& field = (*it)->field(index);
    return logical::outer_col(logical::Column{field.qualifier, field.field->name()},
                              field.field->type());
  }
  return arrow::Status::Invalid("column ", column.flat_name(), " is in no enclosing query");
}

arrow::Result<ExprPtr> ExprBinder::bind_sub_link(const pg_query::Node& node) {
  const auto& link = node.sub_link();
  // The subquery sees this binder's columns as its innermost outer scope.
  BindContext inner{context_.provider, context_.sql, context_.outer_scopes, context_.ctes};
  inner.outer_scopes.push_back(&schema_);
  QueryBinder binder(inner);
  ARROW_ASSIGN_OR_RAISE(auto plan, binder.bind_query(link.subselect()));
  const int columns = plan->schema.num_fields();
  switch (link.sub_link_type()) {
    case pg_query::EXISTS_SUBLINK: {
      auto e = make(ExprKind::kExists, {});
      e->subquery = plan;
      return e;
    }
    case pg_query::EXPR_SUBLINK: {
      if (columns != 1) {
        return arrow::Status::Invalid("a scalar subquery must return exactly one column, not ",
                                      columns);
      }
      auto e = make(ExprKind::kScalarSubquery, {});
      e->subquery = plan;
      return e;
    }
    case pg_query::ANY_SUBLINK: {
      const std::string op = last_name(link.oper_name());
      if (!op.empty() && op != "=") {
        return arrow::Status::NotImplemented("comparison ", op,
                                             " ANY (subquery) is not supported; only IN / = ANY");
      }
      if (link.testexpr().has_row_expr()) {
        return arrow::Status::NotImplemented("row values IN (subquery) are not supported");
      }
      if (columns != 1) {
        return arrow::Status::Invalid(
            "a subquery on the right of IN must return exactly one "
            "column, not ",
            columns);
      }
      ARROW_ASSIGN_OR_RAISE(auto left, bind(link.testexpr()));
      auto e = make(ExprKind::kInSubquery, {left});
      e->subquery = plan;
      return e;
    }
    case pg_query::ALL_SUBLINK:
      return arrow::Status::NotImplemented("ALL (subquery) comparisons are not supported");
    case pg_query::ARRAY_SUBLINK:
      return arrow::Status::NotImplemented("ARRAY (subquery) is not supported");
    default:
      return arrow::Status::NotImplemented("this kind of subquery is not supported");
  }
}

}  // namespace quiver::sql
