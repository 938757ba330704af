#pragma once

#include <arrow/result.h>
#include <arrow/status.h>

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "quiver/datasource/json_stream/json_stream_options.h"

namespace quiver::datasource::json {

/// One complete JSON record found by JsonRecordSplitter.
struct JsonRecord {
  /// The record's text (an object, from '{' to its matching '}').
  std::string_view text;
  /// How many bytes may be read from text.data() onwards (at least text.size() + 64, as
  /// simdjson requires padding after the parsed bytes).
  size_t readable = 0;
  /// Byte offset of the record's first byte in the whole stream.
  int64_t offset = 0;
  /// Index of the record in the stream, from 0.
  int64_t index = 0;
};

/// Cuts a stream of byte chunks into complete JSON records, incrementally: a record may straddle
/// any number of chunks; only the bytes of the unfinished record are carried over. It reads NDJSON
/// (objects separated by blanks or newlines; any object layout, not only one per line) and JSON
/// arrays of objects. It finds where records end (string- and escape-aware bracket matching); the
/// record's own syntax is checked later by the parser.
///
/// Usage: feed(chunk), then next() until it returns false (needs more bytes); at the end of the
/// input call finish() to detect a truncated stream. Records returned by next() stay valid until
/// the next feed().
class JsonRecordSplitter {
 public:
  /// Creates a splitter for `format` (kAuto decides on the first non-blank byte).
  explicit JsonRecordSplitter(JsonFormat format) : format_(format) {}

  /// Appends the next chunk of bytes, dropping the bytes of records already returned.
  void feed(std::string_view chunk);
  /// Finds the next complete record: true with `*out` set, false when more bytes are needed, or
  /// an error (naming the byte offset) when the bytes cannot start a record.
  arrow::Result<bool> next(JsonRecord* out);
  /// Checks the end of the input: an error when it ends inside a record or an unclosed array.
  arrow::Status finish() const;

  /// Returns the number of records returned so far.
  int64_t records() const { return records_; }
  /// Returns the bytes currently carried over (the unfinished record and unscanned input).
  size_t buffered_bytes() const { return buf_.size(); }

 private:
  enum class ArrayState { kBeforeOpen, kExpectFirst, kExpectElement, kExpectCommaOrEnd, kDone };

  arrow::Status error_at(size_t pos, std::string_view what) const;
  // Scans the record that starts at rec_start_; true when its end was found.
  bool scan_record();

  JsonFormat format_;
  ArrayState array_state_ = ArrayState::kBeforeOpen;
  std::string buf_;
  size_t pos_ = 0;          // next byte to scan in buf_
  int64_t dropped_ = 0;     // stream offset of buf_[0]
  bool in_record_ = false;  // a record started at rec_start_ and has not ended yet
  size_t rec_start_ = 0;
  int depth_ = 0;
  bool in_string_ = false;
  size_t string_start_ = 0;  // position of the open string's quote in buf_
  int64_t records_ = 0;
};

}  // namespace quiver::datasource::json
