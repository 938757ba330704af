#pragma once

#include <arrow/buffer.h>
#include <arrow/datum.h>
#include <arrow/status.h>

#include <cstdint>
#include <cstring>
#include <memory>

#include "quiver/physical/expr/decimal_int128.h"

namespace quiver::physical {

/// One side of a binary Decimal128 kernel: an array's unscaled values (stride 1) or one scalar's
/// value repeated (stride 0), read as native int128.
struct DecimalOperand {
  const uint8_t* data = nullptr;  ///< 16 little-endian bytes per value
  int64_t stride = 1;
  int128 scalar = 0;  ///< the value a scalar side points `data` at
  /// Returns row i's unscaled value.
  int128 at(int64_t i) const {
    int128 v;
    std::memcpy(&v, data + 16 * stride * i, 16);
    return v;
  }
};

/// Both sides of a binary Decimal128 kernel over `length` rows and their combined validity.
/// Not copyable: a scalar side's `data` points into the struct itself.
struct DecimalOperands {
  DecimalOperands() = default;
  DecimalOperands(const DecimalOperands&) = delete;
  DecimalOperands& operator=(const DecimalOperands&) = delete;

  DecimalOperand sides[2];
  /// The AND of the array sides' validity bitmaps at offset 0; null when no row is NULL.
  std::shared_ptr<arrow::Buffer> validity;
  /// True when a side is a NULL scalar: every result is NULL and the rest is left unset.
  bool null_scalar = false;
};

/// Reads `left` and `right` (Decimal128 arrays or scalars; an array has `length` rows) into
/// `out`.
arrow::Status read_decimal_operands(const arrow::Datum& left, const arrow::Datum& right,
                                    int64_t length, DecimalOperands* out);

}  // namespace quiver::physical
