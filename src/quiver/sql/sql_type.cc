#include "quiver/sql/sql_type.h"

#include <arrow/status.h>
#include <pg_query/pg_query.pb.h>

#include <string>
#include <vector>

namespace quiver::sql {

namespace {

arrow::Result<std::vector<int>> type_modifiers(const pg_query::TypeName& name) {
  std::vector<int> mods;
  for (const auto& m : name.typmods()) {
    if (m.has_a_const() && m.a_const().has_ival()) {
      mods.push_back(m.a_const().ival().ival());
    } else {
      return arrow::Status::Invalid("type modifiers must be integer constants");
    }
  }
  return mods;
}

}  // namespace

arrow::Result<std::shared_ptr<arrow::DataType>> arrow_type_from_sql(
    const pg_query::TypeName& name) {
  std::string type;
  for (const auto& part : name.names()) {
    if (!part.has_string()) continue;
    const std::string& s = part.string().sval();
    if (s == "pg_catalog") continue;
    type += type.empty() ? s : "." + s;
  }
  if (name.array_bounds_size() > 0) {
    return arrow::Status::NotImplemented("array type ", type, "[] is not supported yet");
  }
  ARROW_ASSIGN_OR_RAISE(auto mods, type_modifiers(name));
  if (type == "int4" || type == "int" || type == "integer") return arrow::int32();
  if (type == "int8" || type == "bigint") return arrow::int64();
  if (type == "int2" || type == "smallint") return arrow::int16();
  if (type == "tinyint") return arrow::int8();
  if (type == "float4" || type == "real") return arrow::float32();
  if (type == "float8" || type == "double" || type == "float") return arrow::float64();
  if (type == "text" || type == "varchar" || type == "bpchar" || type == "char" ||
      type == "string") {
    return arrow::utf8();
  }
  if (type == "bool" || type == "boolean") return arrow::boolean();
  if (type == "date") return arrow::date32();
  if (type == "timestamp") return arrow::timestamp(arrow::TimeUnit::MICRO);
  if (type == "timestamptz") return arrow::timestamp(arrow::TimeUnit::MICRO, "UTC");
  if (type == "bytea") return arrow::binary();
  if (type == "numeric" || type == "decimal") {
    const int precision = mods.empty() ? 38 : mods[0];
    const int scale = mods.size() > 1 ? mods[1] : (mods.empty() ? 10 : 0);
    if (precision < 1 || precision > 38 || scale < 0 || scale > precision) {
      return arrow::Status::Invalid("bad DECIMAL(", precision, ", ", scale,
                                    "): precision must be 1..38 and scale 0..precision");
    }
    return arrow::decimal128(precision, scale);
  }
  if (type == "interval") return arrow::month_day_nano_interval();
  return arrow::Status::Invalid("unknown type \"", type, "\"");
}

}  // namespace quiver::sql
