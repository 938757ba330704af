#pragma once

#include <arrow/result.h>
#include <arrow/scalar.h>

#include <memory>

#include "quiver/logical/expr.h"

namespace quiver::sql {

/// Evaluates a constant expression (literals, casts, unary minus, arithmetic and string
/// concatenation over constants) to a scalar, at planning time: table function arguments,
/// LIMIT and OFFSET. Anything else (a column, a function call) is a user error naming `what`.
arrow::Result<std::shared_ptr<arrow::Scalar>> evaluate_constant(const logical::ExprPtr& expr,
                                                                const char* what);

}  // namespace quiver::sql
