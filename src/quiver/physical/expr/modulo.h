#pragma once

#include <arrow/datum.h>
#include <arrow/result.h>

namespace quiver::physical {

/// Computes `left % right` with SQL semantics (the sign follows the dividend, NULL in gives NULL
/// out, a zero divisor is the user error "division by zero"). Integers and floating point; the
/// operands are first brought to their common numeric type. Two scalars give a scalar; otherwise
/// an array of `length`.
arrow::Result<arrow::Datum> modulo(const arrow::Datum& left, const arrow::Datum& right,
                                   int64_t length);

}  // namespace quiver::physical
