#pragma once

#include <arrow/result.h>
#include <arrow/type.h>

#include <memory>

namespace pg_query {
class TypeName;
}

namespace quiver::sql {

/// Returns the Arrow type for a SQL type name: int/integer/int4 -> int32, bigint/int8 -> int64,
/// smallint/int2 -> int16, real/float4 -> float32, double precision/float8/float/double ->
/// float64, text/varchar/char/string -> utf8, boolean -> bool, date -> date32, timestamp ->
/// timestamp(us), timestamptz -> timestamp(us, UTC), decimal(p,s)/numeric -> decimal128(p,s).
/// Unknown names are a user error; arrays and intervals are not supported yet.
arrow::Result<std::shared_ptr<arrow::DataType>> arrow_type_from_sql(const pg_query::TypeName& name);

}  // namespace quiver::sql
