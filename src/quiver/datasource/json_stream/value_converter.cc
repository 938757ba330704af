#include "quiver/datasource/json_stream/value_converter.h"

#include <arrow/array/builder_binary.h>
#include <arrow/array/builder_decimal.h>
#include <arrow/array/builder_nested.h>
#include <arrow/array/builder_primitive.h>
#include <arrow/util/decimal.h>
#include <arrow/util/value_parsing.h>

#include <cmath>
#include <limits>

namespace quiver::datasource::json {

namespace od = simdjson::ondemand;

namespace {

std::string_view type_name(od::json_type t) {
  switch (t) {
    case od::json_type::array:
      return "an array";
    case od::json_type::object:
      return "an object";
    case od::json_type::number:
      return "a number";
    case od::json_type::string:
      return "a string";
    case od::json_type::boolean:
      return "a boolean";
    case od::json_type::null:
      return "null";
  }
  return "a value";
}

std::string_view trim(std::string_view s) {
  while (!s.empty() &&
         (s.back() == ' ' || s.back() == '\n' || s.back() == '\r' || s.back() == '\t')) {
    s.remove_suffix(1);
  }
  return s;
}

#define QJ_GET(expr, dest)                                                     \
  do {                                                                         \
    if (auto qj_err = (expr).get(dest)) return ctx.parse_error(path_, qj_err); \
  } while (false)

/// Reads the JSON type of `value`, appending null for JSON null; returns true when done.
#define QJ_TYPE_OR_NULL(value, type_var) \
  od::json_type type_var;                \
  QJ_GET(value.type(), type_var);        \
  if (type_var == od::json_type::null) return append_null(ctx)

/// Integer columns; under kWiden an integral float is accepted.
template <typename ArrowType>
class IntConverter final : public ValueConverter {
 public:
  using ValueConverter::ValueConverter;
  using CType = typename ArrowType::c_type;
  arrow::Status append(od::value value, ConvertContext& ctx) override {
    QJ_TYPE_OR_NULL(value, t);
    if (t != od::json_type::number)
      return drift(ctx, std::string("expected an integer, found ").append(type_name(t)));
    od::number_type nt;
    QJ_GET(value.get_number_type(), nt);
    auto* b = static_cast<arrow::NumericBuilder<ArrowType>*>(builder_);
    if (nt == od::number_type::floating_point_number) {
      double d;
      QJ_GET(value.get_double(), d);
      if (ctx.drift != DriftPolicy::kWiden || std::trunc(d) != d || !fits(d)) {
        return drift(ctx,
                     "expected an integer, found " + std::string(trim(value.raw_json_token())));
      }
      return b->Append(static_cast<CType>(d));
    }
    if (nt == od::number_type::unsigned_integer) {
      uint64_t u;
      QJ_GET(value.get_uint64(), u);
      if (u > static_cast<uint64_t>(std::numeric_limits<CType>::max()))
        return out_of_range(ctx, value);
      return b->Append(static_cast<CType>(u));
    }
    int64_t i;
    QJ_GET(value.get_int64(), i);
    if constexpr (std::is_signed_v<CType>) {
      if (i < std::numeric_limits<CType>::min() || i > std::numeric_limits<CType>::max())
        return out_of_range(ctx, value);
    } else {
      if (i < 0 || static_cast<uint64_t>(i) > std::numeric_limits<CType>::max())
        return out_of_range(ctx, value);
    }
    return b->Append(static_cast<CType>(i));
  }

 private:
  static bool fits(double d) {
    return d >= static_cast<double>(std::numeric_limits<CType>::min()) &&
           d <= static_cast<double>(std::numeric_limits<CType>::max());
  }
  arrow::Status out_of_range(ConvertContext& ctx, od::value& value) {
    return drift(ctx, std::string(trim(value.raw_json_token())) + " is out of range for " +
                          builder_->type()->ToString());
  }
};

/// float32/float64 columns (any JSON number).
template <typename ArrowType>
class FloatConverter final : public ValueConverter {
 public:
  using ValueConverter::ValueConverter;
  arrow::Status append(od::value value, ConvertContext& ctx) override {
    QJ_TYPE_OR_NULL(value, t);
    if (t != od::json_type::number)
      return drift(ctx, std::string("expected a number, found ").append(type_name(t)));
    double d;
    QJ_GET(value.get_double(), d);
    return static_cast<arrow::NumericBuilder<ArrowType>*>(builder_)->Append(
        static_cast<typename ArrowType::c_type>(d));
  }
};

class BoolConverter final : public ValueConverter {
 public:
  using ValueConverter::ValueConverter;
  arrow::Status append(od::value value, ConvertContext& ctx) override {
    QJ_TYPE_OR_NULL(value, t);
    if (t != od::json_type::boolean)
      return drift(ctx, std::string("expected a boolean, found ").append(type_name(t)));
    bool v;
    QJ_GET(value.get_bool(), v);
    return static_cast<arrow::BooleanBuilder*>(builder_)->Append(v);
  }
};

/// utf8 / large_utf8; under kWiden any other value is kept as its JSON text.
template <typename BuilderType>
class StringConverter final : public ValueConverter {
 public:
  using ValueConverter::ValueConverter;
  arrow::Status append(od::value value, ConvertContext& ctx) override {
    QJ_TYPE_OR_NULL(value, t);
    auto* b = static_cast<BuilderType*>(builder_);
    std::string_view s;
    if (t == od::json_type::string) {
      QJ_GET(value.get_string(), s);
      return b->Append(s);
    }
    if (ctx.drift != DriftPolicy::kWiden)
      return drift(ctx, std::string("expected a string, found ").append(type_name(t)));
    if (t == od::json_type::object) {
      od::object o;
      QJ_GET(value.get_object(), o);
      QJ_GET(o.raw_json(), s);
    } else if (t == od::json_type::array) {
      od::array a;
      QJ_GET(value.get_array(), a);
      QJ_GET(a.raw_json(), s);
    } else {
      s = value.raw_json_token();
    }
    return b->Append(trim(s));
  }
};

/// date32 from "YYYY-MM-DD".
class Date32Converter final : public ValueConverter {
 public:
  using ValueConverter::ValueConverter;
  arrow::Status append(od::value value, ConvertContext& ctx) override {
    QJ_TYPE_OR_NULL(value, t);
    if (t != od::json_type::string)
      return drift(ctx, std::string("expected a date string, found ").append(type_name(t)));
    std::string_view s;
    QJ_GET(value.get_string(), s);
    int32_t days;
    if (!arrow::internal::ParseValue<arrow::Date32Type>(s.data(), s.size(), &days)) {
      return drift(ctx, "cannot read '" + std::string(s) + "' as a date (YYYY-MM-DD)");
    }
    return static_cast<arrow::Date32Builder*>(builder_)->Append(days);
  }
};

/// timestamp from ISO-8601 strings or integers in the column's unit.
class TimestampConverter final : public ValueConverter {
 public:
  using ValueConverter::ValueConverter;
  arrow::Status append(od::value value, ConvertContext& ctx) override {
    QJ_TYPE_OR_NULL(value, t);
    auto* b = static_cast<arrow::TimestampBuilder*>(builder_);
    const auto& type = static_cast<const arrow::TimestampType&>(*builder_->type());
    if (t == od::json_type::number) {
      int64_t i;
      if (value.get_int64().get(i)) return drift(ctx, "expected an integer timestamp");
      return b->Append(i);
    }
    if (t != od::json_type::string)
      return drift(ctx, std::string("expected a timestamp string, found ").append(type_name(t)));
    std::string_view s;
    QJ_GET(value.get_string(), s);
    int64_t out;
    if (!arrow::internal::ParseTimestampISO8601(s.data(), s.size(), type.unit(), &out)) {
      return drift(ctx, "cannot read '" + std::string(s) + "' as an ISO-8601 timestamp");
    }
    return b->Append(out);
  }
};

/// decimal128 from a number's text or a string, rescaled to the column's scale without loss.
class DecimalConverter final : public ValueConverter {
 public:
  using ValueConverter::ValueConverter;
  arrow::Status append(od::value value, ConvertContext& ctx) override {
    QJ_TYPE_OR_NULL(value, t);
    std::string_view s;
    if (t == od::json_type::number) {
      s = trim(value.raw_json_token());
    } else if (t == od::json_type::string) {
      QJ_GET(value.get_string(), s);
    } else {
      return drift(ctx, std::string("expected a decimal, found ").append(type_name(t)));
    }
    const auto& type = static_cast<const arrow::Decimal128Type&>(*builder_->type());
    arrow::Decimal128 d;
    int32_t precision = 0;
    int32_t scale = 0;
    if (!arrow::Decimal128::FromString(s, &d, &precision, &scale).ok()) {
      return drift(ctx, "cannot read '" + std::string(s) + "' as a decimal");
    }
    auto rescaled = d.Rescale(scale, type.scale());
    if (!rescaled.ok() || !rescaled->FitsInPrecision(type.precision())) {
      return drift(ctx, "'" + std::string(s) + "' does not fit " + type.ToString());
    }
    return static_cast<arrow::Decimal128Builder*>(builder_)->Append(*rescaled);
  }
};

class StructConverter final : public ValueConverter {
 public:
  StructConverter(arrow::ArrayBuilder* builder, std::string path, bool nullable,
                  ObjectFiller filler)
      : ValueConverter(builder, std::move(path), nullable), filler_(std::move(filler)) {}
  arrow::Status append(od::value value, ConvertContext& ctx) override {
    QJ_TYPE_OR_NULL(value, t);
    if (t != od::json_type::object)
      return drift(ctx, std::string("expected an object, found ").append(type_name(t)));
    od::object object;
    QJ_GET(value.get_object(), object);
    ARROW_RETURN_NOT_OK(static_cast<arrow::StructBuilder*>(builder_)->Append());
    return filler_.fill(object, ctx);
  }

 private:
  ObjectFiller filler_;
};

class ListConverter final : public ValueConverter {
 public:
  ListConverter(arrow::ArrayBuilder* builder, std::string path, bool nullable,
                std::unique_ptr<ValueConverter> element)
      : ValueConverter(builder, std::move(path), nullable), element_(std::move(element)) {}
  arrow::Status append(od::value value, ConvertContext& ctx) override {
    QJ_TYPE_OR_NULL(value, t);
    if (t != od::json_type::array)
      return drift(ctx, std::string("expected an array, found ").append(type_name(t)));
    od::array array;
    QJ_GET(value.get_array(), array);
    ARROW_RETURN_NOT_OK(static_cast<arrow::ListBuilder*>(builder_)->Append());
    for (auto element : array) {
      od::value v;
      QJ_GET(std::move(element), v);
      ARROW_RETURN_NOT_OK(element_->append(v, ctx));
    }
    return arrow::Status::OK();
  }

 private:
  std::unique_ptr<ValueConverter> element_;
};

}  // namespace

arrow::Status ConvertContext::error(const std::string& path, std::string_view what) const {
  return arrow::Status::Invalid("JSON stream: record ", record->index, " at byte ", record->offset,
                                path.empty() ? "" : ", field '", path, path.empty() ? "" : "'",
                                ": ", what);
}

arrow::Status ConvertContext::drift_at(const std::string& path, std::string_view what) {
  if (drift == DriftPolicy::kRaw) {
    drifted = true;
    return arrow::Status::OK();
  }
  return error(path, what);
}

arrow::Status ConvertContext::parse_error(const std::string& path,
                                          simdjson::error_code code) const {
  return error(path, std::string("malformed JSON: ") + simdjson::error_message(code));
}

arrow::Status ValueConverter::append_null(ConvertContext& ctx) {
  if (!nullable_) return ctx.error(path_, "null in a non-nullable field");
  return builder_->AppendNull();
}

arrow::Status ValueConverter::drift(ConvertContext& ctx, std::string_view what) {
  ARROW_RETURN_NOT_OK(ctx.drift_at(path_, what));
  return append_null(ctx);
}

void FieldLookup::add(std::string name, int slot) {
  names_.push_back(std::move(name));
  slots_.push_back(slot);
  index_.clear();  // names_ may have moved: rebuild the views
  for (size_t i = 0; i < names_.size(); ++i) index_.emplace(names_[i], i);
}

int FieldLookup::find(std::string_view key, size_t& hint) const {
  if (hint < names_.size() && names_[hint] == key) return slots_[hint++];
  auto it = index_.find(key);
  if (it == index_.end()) return -2;
  hint = it->second + 1;
  return slots_[it->second];
}

arrow::Status ObjectFiller::fill(od::object object, ConvertContext& ctx) {
  ++stamp_;
  size_t hint = 0;
  for (auto member : object) {
    od::field field;
    if (auto err = std::move(member).get(field)) return ctx.parse_error(path_, err);
    std::string_view key;
    if (auto err = field.unescaped_key().get(key)) return ctx.parse_error(path_, err);
    const int slot = lookup_.find(key, hint);
    if (slot == -1) continue;  // declared, not projected: the parser skips the value
    if (slot == -2) {
      ARROW_RETURN_NOT_OK(
          ctx.drift_at(path_.empty() ? std::string(key) : path_ + "." + std::string(key),
                       "field not in the schema"));
      continue;
    }
    auto& child = children_[static_cast<size_t>(slot)];
    if (seen_[static_cast<size_t>(slot)] == stamp_) {
      ARROW_RETURN_NOT_OK(ctx.drift_at(
          path_.empty() ? std::string(key) : path_ + "." + std::string(key), "duplicate field"));
      continue;
    }
    seen_[static_cast<size_t>(slot)] = stamp_;
    ARROW_RETURN_NOT_OK(child->append(field.value(), ctx));
  }
  for (size_t i = 0; i < children_.size(); ++i) {
    if (seen_[i] != stamp_) ARROW_RETURN_NOT_OK(children_[i]->append_null(ctx));
  }
  return arrow::Status::OK();
}

arrow::Result<std::unique_ptr<ValueConverter>> ValueConverter::Make(const arrow::Field& field,
                                                                    arrow::ArrayBuilder* builder,
                                                                    std::string path) {
  const bool nullable = field.nullable();
  std::unique_ptr<ValueConverter> out;
  switch (field.type()->id()) {
#define QJ_INT(ID, T)                                                          \
  case arrow::Type::ID:                                                        \
    out.reset(new IntConverter<arrow::T>(builder, std::move(path), nullable)); \
    break;
    QJ_INT(INT8, Int8Type)
    QJ_INT(INT16, Int16Type)
    QJ_INT(INT32, Int32Type)
    QJ_INT(INT64, Int64Type)
    QJ_INT(UINT8, UInt8Type)
    QJ_INT(UINT16, UInt16Type)
    QJ_INT(UINT32, UInt32Type)
    QJ_INT(UINT64, UInt64Type)
#undef QJ_INT
    case arrow::Type::FLOAT:
      out.reset(new FloatConverter<arrow::FloatType>(builder, std::move(path), nullable));
      break;
    case arrow::Type::DOUBLE:
      out.reset(new FloatConverter<arrow::DoubleType>(builder, std::move(path), nullable));
      break;
    case arrow::Type::BOOL:
      out.reset(new BoolConverter(builder, std::move(path), nullable));
      break;
    case arrow::Type::STRING:
      out.reset(new StringConverter<arrow::StringBuilder>(builder, std::move(path), nullable));
      break;
    case arrow::Type::LARGE_STRING:
      out.reset(new StringConverter<arrow::LargeStringBuilder>(builder, std::move(path), nullable));
      break;
    case arrow::Type::DATE32:
      out.reset(new Date32Converter(builder, std::move(path), nullable));
      break;
    case arrow::Type::TIMESTAMP:
      out.reset(new TimestampConverter(builder, std::move(path), nullable));
      break;
    case arrow::Type::DECIMAL128:
      out.reset(new DecimalConverter(builder, std::move(path), nullable));
      break;
    case arrow::Type::STRUCT: {
      auto* sb = static_cast<arrow::StructBuilder*>(builder);
      FieldLookup lookup;
      std::vector<std::unique_ptr<ValueConverter>> children;
      const auto& type = *field.type();
      for (int i = 0; i < type.num_fields(); ++i) {
        const auto& child = *type.field(i);
        lookup.add(child.name(), i);
        ARROW_ASSIGN_OR_RAISE(auto conv,
                              Make(child, sb->child_builder(i).get(), path + "." + child.name()));
        children.push_back(std::move(conv));
      }
      ObjectFiller filler(std::move(lookup), std::move(children), path);
      out.reset(new StructConverter(builder, std::move(path), nullable, std::move(filler)));
      break;
    }
    case arrow::Type::LIST: {
      auto* lb = static_cast<arrow::ListBuilder*>(builder);
      const auto& element = *field.type()->field(0);
      ARROW_ASSIGN_OR_RAISE(auto conv, Make(element, lb->value_builder(), path + "[]"));
      out.reset(new ListConverter(builder, std::move(path), nullable, std::move(conv)));
      break;
    }
    default:
      return arrow::Status::NotImplemented("JSON stream: field '", path, "' has type ",
                                           field.type()->ToString(),
                                           ", which JSON records cannot fill yet");
  }
  return out;
}

}  // namespace quiver::datasource::json
