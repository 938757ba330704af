#include "quiver/datasource/json_stream/record_splitter.h"

#include <array>

namespace quiver::datasource::json {

namespace {

constexpr size_t kPadding = 64;  // SIMDJSON_PADDING

/// The bytes that matter outside strings: quotes and brackets.
constexpr auto kStructural = [] {
  std::array<bool, 256> table{};
  for (unsigned char c : {'"', '{', '}', '[', ']'}) table[c] = true;
  return table;
}();

bool is_blank(char c) { return c == ' ' || c == '\n' || c == '\r' || c == '\t'; }

std::string describe(char c) {
  if (c >= 0x20 && c < 0x7f) return std::string("'") + c + "'";
  return "byte " + std::to_string(static_cast<unsigned char>(c));
}

}  // namespace

void JsonRecordSplitter::feed(std::string_view chunk) {
  const size_t keep_from = in_record_ ? rec_start_ : pos_;
  if (keep_from > 0) {
    buf_.erase(0, keep_from);
    dropped_ += static_cast<int64_t>(keep_from);
    pos_ -= keep_from;
    if (in_record_) {
      rec_start_ = 0;
      string_start_ -= keep_from;
    }
  }
  if (buf_.capacity() < buf_.size() + chunk.size() + kPadding) {
    buf_.reserve(2 * (buf_.size() + chunk.size()) + kPadding);
  }
  buf_.append(chunk);
}

arrow::Status JsonRecordSplitter::error_at(size_t pos, std::string_view what) const {
  return arrow::Status::Invalid("JSON stream: record ", records_, " at byte ",
                                dropped_ + static_cast<int64_t>(pos), ": ", what);
}

bool JsonRecordSplitter::scan_record() {
  const char* data = buf_.data();
  const size_t size = buf_.size();
  size_t p = pos_;
  while (p < size) {
    if (in_string_) {
      // The closing quote is the next '"' preceded by an even number of backslashes (counted
      // back to the opening quote, which is in the buffer since the record is kept whole).
      while (p < size && data[p] != '"') ++p;  // strings are short: a plain loop beats memchr
      if (p == size) break;
      size_t backslashes = 0;
      while (p - backslashes > string_start_ + 1 && data[p - backslashes - 1] == '\\') {
        ++backslashes;
      }
      ++p;
      if (backslashes % 2 == 0) in_string_ = false;
      continue;
    }
    while (p < size && !kStructural[static_cast<unsigned char>(data[p])]) ++p;
    if (p == size) break;
    const char c = data[p++];
    if (c == '"') {
      in_string_ = true;
      string_start_ = p - 1;
    } else if (c == '{' || c == '[') {
      ++depth_;
    } else if ((c == '}' || c == ']') && --depth_ == 0) {
      pos_ = p;
      return true;
    }
  }
  pos_ = p;
  return false;
}

arrow::Result<bool> JsonRecordSplitter::next(JsonRecord* out) {
  if (!in_record_) {
    while (true) {
      while (pos_ < buf_.size() && is_blank(buf_[pos_])) ++pos_;
      if (pos_ == buf_.size()) return false;
      const char c = buf_[pos_];
      if (format_ == JsonFormat::kAuto)
        format_ = c == '[' ? JsonFormat::kArray : JsonFormat::kNdjson;
      if (format_ == JsonFormat::kNdjson) break;
      switch (array_state_) {
        case ArrayState::kBeforeOpen:
          if (c != '[')
            return error_at(pos_, "expected '[' to open the array, found " + describe(c));
          array_state_ = ArrayState::kExpectFirst;
          ++pos_;
          continue;
        case ArrayState::kExpectCommaOrEnd:
          if (c == ',') {
            array_state_ = ArrayState::kExpectElement;
          } else if (c == ']') {
            array_state_ = ArrayState::kDone;
          } else {
            return error_at(pos_,
                            "expected ',' or ']' after an array element, found " + describe(c));
          }
          ++pos_;
          continue;
        case ArrayState::kExpectFirst:
          if (c == ']') {
            array_state_ = ArrayState::kDone;
            ++pos_;
            continue;
          }
          break;
        case ArrayState::kExpectElement:
          break;
        case ArrayState::kDone:
          return error_at(pos_, "unexpected " + describe(c) + " after the closing ']'");
      }
      break;
    }
    const char c = buf_[pos_];
    if (c != '{') return error_at(pos_, "expected a JSON object, found " + describe(c));
    in_record_ = true;
    rec_start_ = pos_;
    depth_ = 0;
    in_string_ = false;
  }
  if (!scan_record()) return false;
  in_record_ = false;
  if (format_ == JsonFormat::kArray) array_state_ = ArrayState::kExpectCommaOrEnd;
  out->text = std::string_view(buf_.data() + rec_start_, pos_ - rec_start_);
  out->readable = buf_.capacity() - rec_start_;
  out->offset = dropped_ + static_cast<int64_t>(rec_start_);
  out->index = records_++;
  return true;
}

arrow::Status JsonRecordSplitter::finish() const {
  if (in_record_) {
    return arrow::Status::Invalid("JSON stream: record ", records_, " at byte ",
                                  dropped_ + static_cast<int64_t>(rec_start_),
                                  ": the input ends inside the record");
  }
  for (size_t p = pos_; p < buf_.size(); ++p) {
    if (!is_blank(buf_[p])) return error_at(p, "unexpected trailing bytes");
  }
  if (format_ == JsonFormat::kArray && array_state_ != ArrayState::kDone) {
    return error_at(buf_.size(), "the input ends before the array's closing ']'");
  }
  return arrow::Status::OK();
}

}  // namespace quiver::datasource::json
