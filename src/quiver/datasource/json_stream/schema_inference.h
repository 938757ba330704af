#pragma once

#include <arrow/result.h>
#include <arrow/type_fwd.h>

#include <cstdint>
#include <memory>

#include "quiver/datasource/json_stream/json_batch_reader.h"
#include "quiver/datasource/json_stream/json_stream_options.h"

namespace quiver::datasource::json {

/// Infers a schema from the first `sample_records` records of `input` (which it consumes).
///
/// Fields appear in the order first seen; objects become structs, arrays lists, integers int64,
/// other numbers float64, strings utf8 (dates, timestamps and decimals only when declared), and a
/// field seen only as null utf8. All fields are nullable. An integer field that also holds
/// floats becomes float64. Other conflicts (a string here, a number there) depend on `drift`:
/// kError fails naming the field and the record, kWiden makes the field utf8 (values kept as
/// their JSON text), kRaw keeps the first type seen (the records that disagree go to the raw
/// column when read).
arrow::Result<std::shared_ptr<arrow::Schema>> infer_json_schema(ByteChunkStream& input,
                                                                JsonFormat format,
                                                                int64_t sample_records,
                                                                DriftPolicy drift);

}  // namespace quiver::datasource::json
