#include "quiver/shell/column_formatter.h"

#include <arrow/array.h>
#include <arrow/compute/cast.h>
#include <arrow/extension_type.h>
#include <arrow/scalar.h>
#include <arrow/type.h>

namespace quiver::shell {

namespace {

void append_hex(std::string_view bytes, std::string& out) {
  static constexpr char kDigits[] = "0123456789abcdef";
  for (const char c : bytes) {
    const auto b = static_cast<unsigned char>(c);
    out += kDigits[b >> 4];
    out += kDigits[b & 0x0F];
  }
}

std::string_view binary_view(const arrow::Array& array, int64_t i) {
  switch (array.type_id()) {
    case arrow::Type::BINARY:
      return static_cast<const arrow::BinaryArray&>(array).GetView(i);
    case arrow::Type::LARGE_BINARY:
      return static_cast<const arrow::LargeBinaryArray&>(array).GetView(i);
    case arrow::Type::FIXED_SIZE_BINARY:
      return static_cast<const arrow::FixedSizeBinaryArray&>(array).GetView(i);
    case arrow::Type::BINARY_VIEW:
      return static_cast<const arrow::BinaryViewArray&>(array).GetView(i);
    default:
      return {};
  }
}

// Returns whether cast text reads as a JSON number (Arrow spells NaN and infinities in letters).
bool is_json_number(std::string_view text) {
  if (!text.empty() && text.front() == '-') text.remove_prefix(1);
  return !text.empty() && text.front() >= '0' && text.front() <= '9';
}

}  // namespace

arrow::Result<ColumnFormatter> ColumnFormatter::Make(std::shared_ptr<arrow::Array> array) {
  ColumnFormatter formatter;
  ARROW_RETURN_NOT_OK(formatter.init(std::move(array)));
  return formatter;
}

arrow::Status ColumnFormatter::init(std::shared_ptr<arrow::Array> array) {
  if (array->type_id() == arrow::Type::EXTENSION) {
    array = static_cast<const arrow::ExtensionArray&>(*array).storage();
  }
  if (array->type_id() == arrow::Type::DICTIONARY) {
    const auto& dict_type = static_cast<const arrow::DictionaryType&>(*array->type());
    auto decoded = arrow::compute::Cast(*array, dict_type.value_type());
    if (decoded.ok()) array = *decoded;
  }
  array_ = array;
  switch (array->type_id()) {
    case arrow::Type::NA:
      kind_ = Kind::kNull;
      return arrow::Status::OK();
    case arrow::Type::STRING:
    case arrow::Type::LARGE_STRING:
      kind_ = Kind::kText;
      text_ = array;
      return arrow::Status::OK();
    case arrow::Type::BINARY:
    case arrow::Type::LARGE_BINARY:
    case arrow::Type::FIXED_SIZE_BINARY:
    case arrow::Type::BINARY_VIEW:
      kind_ = Kind::kBinary;
      return arrow::Status::OK();
    case arrow::Type::LIST:
    case arrow::Type::LARGE_LIST:
    case arrow::Type::FIXED_SIZE_LIST: {
      kind_ = Kind::kList;
      std::shared_ptr<arrow::Array> values =
          array->type_id() == arrow::Type::FIXED_SIZE_LIST
              ? static_cast<const arrow::FixedSizeListArray&>(*array).values()
          : array->type_id() == arrow::Type::LIST
              ? static_cast<const arrow::ListArray&>(*array).values()
              : static_cast<const arrow::LargeListArray&>(*array).values();
      ARROW_ASSIGN_OR_RAISE(auto child, Make(std::move(values)));
      children_.push_back(std::move(child));
      return arrow::Status::OK();
    }
    case arrow::Type::MAP: {
      kind_ = Kind::kMap;
      const auto& map = static_cast<const arrow::MapArray&>(*array);
      ARROW_ASSIGN_OR_RAISE(auto keys, Make(map.keys()));
      ARROW_ASSIGN_OR_RAISE(auto items, Make(map.items()));
      children_.push_back(std::move(keys));
      children_.push_back(std::move(items));
      return arrow::Status::OK();
    }
    case arrow::Type::STRUCT: {
      kind_ = Kind::kStruct;
      const auto& st = static_cast<const arrow::StructArray&>(*array);
      for (int f = 0; f < st.num_fields(); ++f) {
        ARROW_ASSIGN_OR_RAISE(auto child, Make(st.field(f)));
        children_.push_back(std::move(child));
        field_names_.push_back(st.struct_type()->field(f)->name());
      }
      return arrow::Status::OK();
    }
    default:
      break;
  }
  const arrow::DataType& type = *array->type();
  if (arrow::is_integer(type.id()) || arrow::is_floating(type.id()) ||
      arrow::is_decimal(type.id())) {
    kind_ = Kind::kNumber;
  } else if (type.id() == arrow::Type::BOOL) {
    kind_ = Kind::kBool;
  } else {
    kind_ = Kind::kText;
  }
  auto cast = arrow::compute::Cast(*array, arrow::utf8());
  if (!cast.ok()) cast = arrow::compute::Cast(*array, arrow::large_utf8());
  if (cast.ok()) {
    text_ = *cast;
  } else {
    kind_ = Kind::kScalar;  // no cast kernel for this type: fall back to Scalar::ToString
  }
  return arrow::Status::OK();
}

bool ColumnFormatter::is_null(int64_t i) const { return kind_ == Kind::kNull || array_->IsNull(i); }

std::string_view ColumnFormatter::cast_text(int64_t i) const {
  if (text_->type_id() == arrow::Type::LARGE_STRING) {
    return static_cast<const arrow::LargeStringArray&>(*text_).GetView(i);
  }
  return static_cast<const arrow::StringArray&>(*text_).GetView(i);
}

void ColumnFormatter::list_range(int64_t i, int64_t& begin, int64_t& end) const {
  switch (array_->type_id()) {
    case arrow::Type::LARGE_LIST: {
      const auto& list = static_cast<const arrow::LargeListArray&>(*array_);
      begin = list.value_offset(i);
      end = begin + list.value_length(i);
      return;
    }
    case arrow::Type::FIXED_SIZE_LIST: {
      const auto& list = static_cast<const arrow::FixedSizeListArray&>(*array_);
      begin = list.value_offset(i);
      end = begin + list.value_length(i);
      return;
    }
    default: {  // LIST and MAP (a MapArray is a ListArray)
      const auto& list = static_cast<const arrow::ListArray&>(*array_);
      begin = list.value_offset(i);
      end = begin + list.value_length(i);
      return;
    }
  }
}

std::string ColumnFormatter::text(int64_t i, std::string_view null_text) const {
  if (is_null(i)) return std::string(null_text);
  std::string out;
  append_text(i, out);
  return out;
}

void ColumnFormatter::append_text(int64_t i, std::string& out) const {
  if (is_null(i)) {
    out += "NULL";
    return;
  }
  int64_t begin = 0;
  int64_t end = 0;
  switch (kind_) {
    case Kind::kText:
    case Kind::kNumber:
    case Kind::kBool:
      out += cast_text(i);
      return;
    case Kind::kBinary:
      append_hex(binary_view(*array_, i), out);
      return;
    case Kind::kNull:
      out += "NULL";
      return;
    case Kind::kList:
      list_range(i, begin, end);
      out += '[';
      for (int64_t k = begin; k < end; ++k) {
        if (k > begin) out += ", ";
        children_[0].append_text(k, out);
      }
      out += ']';
      return;
    case Kind::kMap:
      list_range(i, begin, end);
      out += '{';
      for (int64_t k = begin; k < end; ++k) {
        if (k > begin) out += ", ";
        children_[0].append_text(k, out);
        out += ": ";
        children_[1].append_text(k, out);
      }
      out += '}';
      return;
    case Kind::kStruct:
      out += '{';
      for (size_t f = 0; f < children_.size(); ++f) {
        if (f > 0) out += ", ";
        out += field_names_[f];
        out += ": ";
        children_[f].append_text(i, out);
      }
      out += '}';
      return;
    case Kind::kScalar: {
      auto scalar = array_->GetScalar(i);
      out += scalar.ok() ? (*scalar)->ToString() : std::string("?");
      return;
    }
  }
}

void ColumnFormatter::append_json(int64_t i, std::string& out) const {
  if (is_null(i)) {
    out += "null";
    return;
  }
  int64_t begin = 0;
  int64_t end = 0;
  switch (kind_) {
    case Kind::kNumber: {
      const std::string_view number = cast_text(i);
      out += is_json_number(number) ? number : std::string_view("null");
      return;
    }
    case Kind::kBool:
      out += cast_text(i);
      return;
    case Kind::kList:
      list_range(i, begin, end);
      out += '[';
      for (int64_t k = begin; k < end; ++k) {
        if (k > begin) out += ',';
        children_[0].append_json(k, out);
      }
      out += ']';
      return;
    case Kind::kMap:
      list_range(i, begin, end);
      out += '{';
      for (int64_t k = begin; k < end; ++k) {
        if (k > begin) out += ',';
        append_json_string(children_[0].text(k), out);
        out += ':';
        children_[1].append_json(k, out);
      }
      out += '}';
      return;
    case Kind::kStruct:
      out += '{';
      for (size_t f = 0; f < children_.size(); ++f) {
        if (f > 0) out += ',';
        append_json_string(field_names_[f], out);
        out += ':';
        children_[f].append_json(i, out);
      }
      out += '}';
      return;
    default: {
      std::string text;
      append_text(i, text);
      append_json_string(text, out);
      return;
    }
  }
}

void append_json_string(std::string_view text, std::string& out) {
  static constexpr char kHex[] = "0123456789abcdef";
  out += '"';
  for (const char c : text) {
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      case '\b':
        out += "\\b";
        break;
      case '\f':
        out += "\\f";
        break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          out += "\\u00";
          out += kHex[(c >> 4) & 0x0F];
          out += kHex[c & 0x0F];
        } else {
          out += c;
        }
    }
  }
  out += '"';
}

}  // namespace quiver::shell
