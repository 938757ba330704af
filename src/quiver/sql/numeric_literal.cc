#include "quiver/sql/numeric_literal.h"

#include <arrow/util/decimal.h>

#include <algorithm>
#include <charconv>
#include <string>

namespace quiver::sql {

arrow::Result<std::shared_ptr<arrow::Scalar>> numeric_literal(std::string_view text) {
  const std::string owned(text);
  if (text.find_first_of(".eE") == std::string_view::npos) {
    int64_t v = 0;
    const auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
    if (ec == std::errc() && ptr == text.data() + text.size()) {
      return std::make_shared<arrow::Int64Scalar>(v);
    }
  }
  const size_t point = text.find('.');
  if (text.find_first_of("eE") == std::string_view::npos) {
    const auto digits =
        std::count_if(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
    const int32_t scale =
        point == std::string_view::npos ? 0 : static_cast<int32_t>(text.size() - point - 1);
    const int32_t precision = std::max<int32_t>({1, static_cast<int32_t>(digits), scale});
    if (precision <= 38) {
      arrow::Decimal128 value;
      int32_t parsed_precision = 0;
      int32_t parsed_scale = 0;
      ARROW_RETURN_NOT_OK(
          arrow::Decimal128::FromString(owned, &value, &parsed_precision, &parsed_scale));
      if (parsed_scale != scale) {
        ARROW_ASSIGN_OR_RAISE(value, value.Rescale(parsed_scale, scale));
      }
      return std::make_shared<arrow::Decimal128Scalar>(value, arrow::decimal128(precision, scale));
    }
  }
  try {
    return std::make_shared<arrow::DoubleScalar>(std::stod(owned));
  } catch (const std::exception&) {
    return arrow::Status::Invalid("invalid numeric constant ", owned);
  }
}

}  // namespace quiver::sql
