#pragma once

#include <arrow/datum.h>
#include <arrow/result.h>

#include <optional>

#include "quiver/logical/expr.h"

namespace quiver::physical {

/// Evaluates the ordering comparison `left op right` (= != < <= > >=) natively on 128-bit
/// integers when both operands are Decimal128 of the same scale (any precisions) and at least one
/// is an array of `length`; returns nullopt otherwise (the caller uses Arrow's kernel, which
/// calls an out-of-line Decimal128 operator per value). NULL in gives NULL out.
arrow::Result<std::optional<arrow::Datum>> compare_decimals(logical::BinaryOp op,
                                                            const arrow::Datum& left,
                                                            const arrow::Datum& right,
                                                            int64_t length);

}  // namespace quiver::physical
