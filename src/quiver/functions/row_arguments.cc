#include "quiver/functions/row_arguments.h"

#include <arrow/scalar.h>

#include "quiver/functions/signature.h"

namespace quiver::functions {

arrow::Result<TextArgument> TextArgument::make(const arrow::Datum& value) {
  ARROW_ASSIGN_OR_RAISE(arrow::Datum cast, cast_arg(value, arrow::utf8()));
  TextArgument arg;
  if (cast.is_scalar()) {
    const auto& scalar = static_cast<const arrow::StringScalar&>(*cast.scalar());
    arg.scalar_null_ = !scalar.is_valid;
    if (scalar.is_valid) arg.scalar_ = std::string(scalar.view());
  } else {
    arg.array_ = std::static_pointer_cast<arrow::StringArray>(cast.make_array());
  }
  return arg;
}

arrow::Result<IntegerArgument> IntegerArgument::make(const arrow::Datum& value) {
  ARROW_ASSIGN_OR_RAISE(arrow::Datum cast, cast_arg(value, arrow::int64()));
  IntegerArgument arg;
  if (cast.is_scalar()) {
    const auto& scalar = static_cast<const arrow::Int64Scalar&>(*cast.scalar());
    arg.scalar_null_ = !scalar.is_valid;
    arg.scalar_ = scalar.value;
  } else {
    arg.array_ = std::static_pointer_cast<arrow::Int64Array>(cast.make_array());
  }
  return arg;
}

int64_t rows_to_compute(const std::vector<arrow::Datum>& args, int64_t num_rows) {
  return all_scalar(args) ? 1 : num_rows;
}

arrow::Result<arrow::Datum> finish_rows(arrow::ArrayBuilder& builder,
                                        const std::vector<arrow::Datum>& args) {
  ARROW_ASSIGN_OR_RAISE(auto array, builder.Finish());
  if (all_scalar(args) && array->length() == 1) {
    ARROW_ASSIGN_OR_RAISE(auto scalar, array->GetScalar(0));
    return arrow::Datum(scalar);
  }
  return arrow::Datum(array);
}

int64_t utf8_length(std::string_view text) {
  int64_t n = 0;
  for (unsigned char c : text) {
    if ((c & 0xC0) != 0x80) ++n;
  }
  return n;
}

size_t utf8_offset(std::string_view text, int64_t chars) {
  if (chars <= 0) return 0;
  int64_t seen = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    if ((static_cast<unsigned char>(text[i]) & 0xC0) != 0x80) {
      if (seen == chars) return i;
      ++seen;
    }
  }
  return text.size();
}

}  // namespace quiver::functions
