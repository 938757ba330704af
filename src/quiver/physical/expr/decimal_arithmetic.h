#pragma once

#include <arrow/datum.h>
#include <arrow/result.h>
#include <arrow/type.h>

#include "quiver/logical/expr.h"

namespace quiver::physical {

/// Evaluates `left op right` (op one of + - * %) on two Decimal128 operands of any precision and
/// scale, producing `out_type` (the type logical::decimal_arithmetic_type gives): operands are
/// rescaled exactly to the result scale for + - %, multiplied exactly for *. A result that does
/// not fit `out_type`'s precision is an Invalid status saying "decimal overflow"; a zero divisor
/// of % is "division by zero". NULL in gives NULL out; two scalars give a scalar, otherwise an
/// array of `length`.
arrow::Result<arrow::Datum> decimal_arithmetic(logical::BinaryOp op, const arrow::Datum& left,
                                               const arrow::Datum& right,
                                               const std::shared_ptr<arrow::DataType>& out_type,
                                               int64_t length);

}  // namespace quiver::physical
