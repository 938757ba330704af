#pragma once

#include <arrow/result.h>
#include <arrow/status.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "quiver/datasource/http_json/json_pointer.h"
#include "quiver/datasource/http_json/json_string_lexer.h"
#include "quiver/datasource/json_stream/json_stream_options.h"

namespace quiver::datasource::http_json {

/// A scalar found in a page body at a capture pointer (a cursor, a next URL, a total).
struct CapturedValue {
  enum class Kind { kString, kNumber, kBool, kNull };
  Kind kind = Kind::kNull;
  /// The decoded string, the number's text, "true"/"false" or "null".
  std::string text;
  /// True for a null or an empty string: "no value" for a pagination rule.
  bool empty() const { return kind == Kind::kNull || (kind == Kind::kString && text.empty()); }
};

/// Walks one page body as its chunks arrive: forwards every record (object) of the array at the
/// data pointer as one NDJSON line, and captures the scalars at other pointers wherever they
/// appear (before or after the data). It checks the whole body's JSON syntax (records included)
/// and holds no record bytes: a record's bytes are forwarded as they pass, so the scanner keeps
/// only its container stack, the keys on the way to a pointer and the captured values.
///
/// With data pointer "" the body is the array itself, or NDJSON (objects one after another)
/// when `format` says so or, under kAuto, when its first non-blank byte is not '['; an empty body
/// is then an empty NDJSON page. A data value `null` is an empty page; a missing one, or a value
/// that is not an array, is an error naming the pointer. Elements must be objects.
///
/// Errors name the byte offset in the body ("byte 123: ..."); the caller adds the page.
class EnvelopeScanner {
 public:
  /// A value to capture: its pointer and the option it comes from (named in errors).
  struct Capture {
    std::string name;
    JsonPointer pointer;
  };

  /// Scans for the records at `data_path`, capturing `captures`.
  EnvelopeScanner(JsonPointer data_path, std::vector<Capture> captures, json::JsonFormat format);

  /// Scans the next chunk, appending the record bytes it completes or continues (a record's
  /// end is followed by '\n') to `*out`.
  arrow::Status feed(std::string_view chunk, std::string* out);
  /// Checks the end of the body: an error when it ends inside a value or the data is missing.
  arrow::Status finish();

  /// Returns the records completed so far.
  int64_t records() const { return records_; }
  /// Returns the body bytes scanned so far.
  int64_t bytes() const { return offset_; }
  /// Returns the value captured for capture `i` (the last one, if the pointer occurs twice).
  const std::optional<CapturedValue>& captured(size_t i) const { return captured_[i]; }

 private:
  enum class State {
    kValue,        // a value must start
    kArrayFirst,   // after '[': a value or ']'
    kObjectFirst,  // after '{': a key or '}'
    kObjectKey,    // after ',' in an object: a key
    kColon,        // after a key
    kCommaOrEnd,   // after a container's element
    kString,
    kNumber,
    kLiteral,
    kEnd,  // after the top-level value (NDJSON: another may follow)
  };

  struct Frame {
    bool is_array = false;
    bool is_data = false;   // the array at the data pointer
    bool relevant = false;  // the path to this frame is a prefix of some pointer
    int64_t index = -1;     // current element (arrays)
    std::string key;        // current member key (objects, when relevant)
  };

  arrow::Status error_at(int64_t offset, std::string_view what) const;
  arrow::Status start_value(char c, size_t pos);
  arrow::Status value_done();
  bool path_matches(const JsonPointer& pointer) const;
  bool path_is_prefix(const JsonPointer& pointer) const;
  void push(bool is_array);
  arrow::Status string_byte(char c, size_t pos);

  JsonPointer data_path_;
  std::vector<Capture> captures_;
  std::vector<std::optional<CapturedValue>> captured_;
  json::JsonFormat format_;
  bool ndjson_ = false;

  State state_ = State::kValue;
  std::vector<Frame> frames_;
  bool data_seen_ = false;
  int64_t records_ = 0;
  int64_t offset_ = 0;  // body offset of the current chunk's first byte

  // The record being forwarded: frames_.size() once its '{' was pushed (0 = none).
  size_t record_depth_ = 0;
  size_t record_begin_ = 0;  // its first byte in the current chunk

  // The scalar being read.
  int capture_ = -1;  // the capture it belongs to, -1 = none
  JsonStringLexer string_;
  bool string_is_key_ = false;
  std::string text_;  // the captured string or number text
  int number_state_ = 0;
  const char* literal_ = nullptr;
  size_t literal_pos_ = 0;
};

}  // namespace quiver::datasource::http_json
