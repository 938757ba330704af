#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace quiver::datasource::json {

/// How the bytes of a JSON stream are laid out.
enum class JsonFormat {
  kAuto,    ///< an array when the first non-blank byte is '[', NDJSON otherwise
  kNdjson,  ///< one object after another, separated by blanks or newlines
  kArray,   ///< one top-level array whose elements are the records
};

/// What to do with a field the schema does not declare or a value not of its column's type.
enum class DriftPolicy {
  /// Fail, naming the record (index from 0) and its byte offset in the stream. The default.
  kError,
  /// Accept a value that converts to the column's type without loss (an integer into a float
  /// column, an integral float into an integer column, any scalar into a utf8 column as its JSON
  /// text); anything else still fails. Schema inference under this policy also merges types
  /// across the sample (int and float give float64, other conflicts give utf8). Undeclared fields
  /// still fail: a running stream cannot grow columns.
  kWiden,
  /// Keep the whole text of a record that does not fit in an extra utf8 column (`raw_column`);
  /// its fields that do fit are still filled, the rest are null. Records that fit have a null
  /// raw column. Nothing becomes null without its record being kept whole.
  kRaw,
};

/// Flow control of a stream: honoured by JsonStreamExec.
struct StreamConfig {
  /// Rows per output batch (at most; clamped to max_buffered_items / 2).
  int64_t batch_size = 8192;
  /// The most records the producer holds at once (in the batch being built and in batches
  /// waiting for the consumer). When it is reached the producer stops reading its input.
  /// At least 2 (one batch being built plus one waiting).
  int64_t max_buffered_items = 65536;
};

/// Everything that decides how JSON records become Arrow rows.
struct JsonParseOptions {
  /// The byte layout.
  JsonFormat format = JsonFormat::kAuto;
  /// The drift policy (see DriftPolicy).
  DriftPolicy drift = DriftPolicy::kError;
  /// Name of the column that keeps drifting records whole under DriftPolicy::kRaw.
  std::string raw_column = "_raw";
};

}  // namespace quiver::datasource::json
