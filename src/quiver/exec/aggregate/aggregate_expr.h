#pragma once

#include <arrow/result.h>
#include <arrow/type.h>

#include <memory>
#include <string>
#include <vector>

#include "quiver/functions/aggregate_function.h"
#include "quiver/physical/physical_expr.h"

namespace quiver::exec {

/// One GROUP BY key of an AggregateExec: an expression over the aggregate's input and the output
/// column name (`number@0 as number`).
struct GroupExpr {
  physical::PhysicalExprPtr expr;
  std::string name;
};

/// One aggregate of an AggregateExec: `count(DISTINCT x) FILTER (WHERE y > 1)`. The arguments
/// and the filter are expressions over the raw input rows (the Partial aggregate's input); modes
/// that read partial states use the state columns instead. `name` is both the display name and
/// the output column name (`count(Int64(1))`); partial state columns are named after it
/// (`avg(x)[sum]`).
struct AggregateExpr {
  std::string function;  ///< lower case, e.g. "count"
  std::vector<physical::PhysicalExprPtr> args;
  bool distinct = false;
  physical::PhysicalExprPtr filter;  ///< may be null
  std::string name;
};

/// An AggregateExpr resolved against the raw input schema: the function, its argument types,
/// result type and partial state fields.
struct BoundAggregate {
  AggregateExpr expr;
  const functions::AggregateFunctionDef* def = nullptr;
  functions::DataTypeVector arg_types;
  std::shared_ptr<arrow::DataType> return_type;
  arrow::FieldVector state_fields;

  /// Resolves `expr` over `raw_input_schema`; an unknown function or bad argument types are user
  /// errors naming the aggregate.
  static arrow::Result<BoundAggregate> Make(AggregateExpr expr,
                                            const arrow::Schema& raw_input_schema);
};

}  // namespace quiver::exec
