#pragma once

#include <arrow/util/decimal.h>

#include <array>
#include <cstdint>

namespace quiver::physical {

/// A Decimal128's unscaled value as a native 128-bit integer.
using int128 = __int128;

/// 10^0 .. 10^38: every power a Decimal128 precision or scale can need.
inline const std::array<int128, 39>& powers_of_ten() {
  static const std::array<int128, 39> table = [] {
    std::array<int128, 39> t{};
    t[0] = 1;
    for (size_t i = 1; i < t.size(); ++i) t[i] = t[i - 1] * 10;
    return t;
  }();
  return table;
}

/// The unscaled value of `d` as an int128.
inline int128 to_int128(const arrow::Decimal128& d) {
  return static_cast<int128>(
      (static_cast<unsigned __int128>(static_cast<uint64_t>(d.high_bits())) << 64) | d.low_bits());
}

/// The Decimal128 whose unscaled value is `v`.
inline arrow::Decimal128 from_int128(int128 v) {
  return arrow::Decimal128(static_cast<int64_t>(v >> 64), static_cast<uint64_t>(v));
}

}  // namespace quiver::physical
