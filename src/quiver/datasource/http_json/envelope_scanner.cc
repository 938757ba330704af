#include "quiver/datasource/http_json/envelope_scanner.h"

#include <utility>

namespace quiver::datasource::http_json {

namespace {

bool is_blank(char c) { return c == ' ' || c == '\n' || c == '\r' || c == '\t'; }
bool is_digit(char c) { return c >= '0' && c <= '9'; }

std::string describe(char c) {
  if (c >= 0x20 && c < 0x7f) return std::string("'") + c + "'";
  return "byte " + std::to_string(static_cast<unsigned char>(c));
}

/// What a value starting with `c` is, for messages.
std::string kind_of(char c) {
  switch (c) {
    case '{':
      return "an object";
    case '[':
      return "an array";
    case '"':
      return "a string";
    case 't':
    case 'f':
      return "a boolean";
    case 'n':
      return "null";
    default:
      return "a number";
  }
}

std::string pointer_name(const JsonPointer& pointer) {
  return pointer.text().empty() ? std::string("\"\" (the whole body)") : "'" + pointer.text() + "'";
}

// Number grammar states (RFC 8259): which may end the number.
enum NumberState { kAfterMinus, kZero, kInt, kAfterDot, kFrac, kAfterE, kAfterESign, kExp };
bool number_may_end(int state) {
  return state == kZero || state == kInt || state == kFrac || state == kExp;
}

}  // namespace

EnvelopeScanner::EnvelopeScanner(JsonPointer data_path, std::vector<Capture> captures,
                                 json::JsonFormat format)
    : data_path_(std::move(data_path)),
      captures_(std::move(captures)),
      captured_(captures_.size()),
      format_(format) {}

arrow::Status EnvelopeScanner::error_at(int64_t offset, std::string_view what) const {
  return arrow::Status::Invalid("byte ", offset, ": ", what);
}

bool EnvelopeScanner::path_is_prefix(const JsonPointer& pointer) const {
  if (pointer.size() < frames_.size()) return false;
  for (size_t i = 0; i < frames_.size(); ++i) {
    const Frame& frame = frames_[i];
    if (frame.is_array ? frame.index != pointer.index_at(i) : frame.key != pointer.tokens()[i]) {
      return false;
    }
  }
  return true;
}

bool EnvelopeScanner::path_matches(const JsonPointer& pointer) const {
  return pointer.size() == frames_.size() && path_is_prefix(pointer);
}

void EnvelopeScanner::push(bool is_array) {
  Frame frame;
  frame.is_array = is_array;
  if (record_depth_ == 0 && (frames_.empty() || frames_.back().relevant)) {
    auto leads_to = [&](const JsonPointer& p) {
      return p.size() > frames_.size() && path_is_prefix(p);
    };
    frame.relevant = !ndjson_ && leads_to(data_path_);
    for (const auto& capture : captures_)
      frame.relevant = frame.relevant || leads_to(capture.pointer);
  }
  frames_.push_back(std::move(frame));
}

arrow::Status EnvelopeScanner::start_value(char c, size_t pos) {
  const int64_t at = offset_ + static_cast<int64_t>(pos);
  if (!frames_.empty() && frames_.back().is_array) ++frames_.back().index;
  if (frames_.empty() && data_path_.size() == 0 && !data_seen_ && !ndjson_) {
    ndjson_ =
        format_ == json::JsonFormat::kNdjson || (format_ == json::JsonFormat::kAuto && c != '[');
  }
  const bool is_record = frames_.empty() ? ndjson_ : frames_.back().is_data;
  if (is_record) {
    if (c != '{') {
      const int64_t index = frames_.empty() ? records_ : frames_.back().index;
      return error_at(at, "record " + std::to_string(index) + " of data_path " +
                              pointer_name(data_path_) + " is " + kind_of(c) + ", not an object");
    }
    push(false);
    record_depth_ = frames_.size();
    record_begin_ = pos;
    state_ = State::kObjectFirst;
    return arrow::Status::OK();
  }
  const bool relevant = record_depth_ == 0 && (frames_.empty() || frames_.back().relevant);
  if (relevant && !ndjson_ && path_matches(data_path_)) {
    if (data_seen_) return error_at(at, "data_path " + pointer_name(data_path_) + " occurs twice");
    data_seen_ = true;
    if (c == '[') {
      push(true);
      frames_.back().is_data = true;
      frames_.back().relevant = false;
      state_ = State::kArrayFirst;
      return arrow::Status::OK();
    }
    if (c != 'n') {
      return error_at(at, "data_path " + pointer_name(data_path_) + " holds " + kind_of(c) +
                              ", not an array of records");
    }
    // null: an empty page, read as a literal below.
  } else if (relevant) {
    for (size_t i = 0; i < captures_.size(); ++i) {
      if (!path_matches(captures_[i].pointer)) continue;
      if (c == '{' || c == '[') {
        return error_at(at, captures_[i].name + " '" + captures_[i].pointer.text() + "' holds " +
                                kind_of(c) + ", not a string or number");
      }
      capture_ = static_cast<int>(i);
    }
  }
  text_.clear();
  switch (c) {
    case '{':
      push(false);
      state_ = State::kObjectFirst;
      return arrow::Status::OK();
    case '[':
      push(true);
      state_ = State::kArrayFirst;
      return arrow::Status::OK();
    case '"':
      string_.start(capture_ >= 0);
      string_is_key_ = false;
      state_ = State::kString;
      return arrow::Status::OK();
    case 't':
      literal_ = "true";
      break;
    case 'f':
      literal_ = "false";
      break;
    case 'n':
      literal_ = "null";
      break;
    default:
      if (c != '-' && !is_digit(c))
        return error_at(at, "expected a JSON value, found " + describe(c));
      number_state_ = c == '-' ? kAfterMinus : c == '0' ? kZero : kInt;
      if (capture_ >= 0) text_.push_back(c);
      state_ = State::kNumber;
      return arrow::Status::OK();
  }
  literal_pos_ = 1;
  state_ = State::kLiteral;
  return arrow::Status::OK();
}

arrow::Status EnvelopeScanner::value_done() {
  if (capture_ >= 0) {
    CapturedValue value;
    if (state_ == State::kString) {
      value.kind = CapturedValue::Kind::kString;
    } else if (state_ == State::kNumber) {
      value.kind = CapturedValue::Kind::kNumber;
    } else {
      value.kind = literal_[0] == 'n' ? CapturedValue::Kind::kNull : CapturedValue::Kind::kBool;
      text_ = literal_;
    }
    value.text = std::move(text_);
    text_.clear();
    captured_[capture_] = std::move(value);
    capture_ = -1;
  }
  state_ = frames_.empty() ? State::kEnd : State::kCommaOrEnd;
  return arrow::Status::OK();
}

arrow::Status EnvelopeScanner::string_byte(char c, size_t pos) {
  switch (string_.feed(c)) {
    case JsonStringLexer::Step::kMore:
      return arrow::Status::OK();
    case JsonStringLexer::Step::kError:
      return error_at(offset_ + static_cast<int64_t>(pos), string_.error());
    case JsonStringLexer::Step::kClosed:
      break;
  }
  if (string_is_key_) {
    if (string_.keep()) frames_.back().key = std::move(string_.value());
    state_ = State::kColon;
    return arrow::Status::OK();
  }
  if (string_.keep()) text_ = std::move(string_.value());
  return value_done();
}

arrow::Status EnvelopeScanner::feed(std::string_view chunk, std::string* out) {
  const char* data = chunk.data();
  const size_t size = chunk.size();
  size_t p = 0;
  // Closes the innermost container at `p` (its '}' or ']').
  auto close = [&]() -> arrow::Status {
    frames_.pop_back();
    if (record_depth_ != 0 && frames_.size() + 1 == record_depth_) {
      out->append(data + record_begin_, p + 1 - record_begin_);
      out->push_back('\n');
      ++records_;
      record_depth_ = 0;
    }
    return value_done();
  };
  auto error = [&](std::string_view what) {
    return error_at(offset_ + static_cast<int64_t>(p),
                    std::string(what) + ", found " + describe(data[p]));
  };
  while (p < size) {
    const char c = data[p];
    switch (state_) {
      case State::kString:
        if (string_.plain() && !string_.keep()) {
          // Most bytes are inside strings that are not kept: skip to the next special byte.
          while (p < size && data[p] != '"' && data[p] != '\\' &&
                 static_cast<unsigned char>(data[p]) >= 0x20) {
            ++p;
          }
          if (p == size) continue;
        }
        ARROW_RETURN_NOT_OK(string_byte(data[p], p));
        ++p;
        continue;
      case State::kNumber: {
        if (capture_ < 0 &&
            (number_state_ == kInt || number_state_ == kFrac || number_state_ == kExp)) {
          const size_t from = p;
          while (p < size && is_digit(data[p])) ++p;  // more digits change nothing: skip them
          if (p != from) continue;
        }
        int next = -1;
        switch (number_state_) {
          case kAfterMinus:
            next = c == '0' ? kZero : is_digit(c) ? kInt : -1;
            break;
          case kZero:
          case kInt:
          case kFrac:
            if (is_digit(c) && number_state_ != kZero) {
              next = number_state_;
            } else if (c == '.' && number_state_ != kFrac) {
              next = kAfterDot;
            } else if (c == 'e' || c == 'E') {
              next = kAfterE;
            }
            break;
          case kAfterDot:
            next = is_digit(c) ? kFrac : -1;
            break;
          case kAfterE:
            next = (c == '+' || c == '-') ? kAfterESign : is_digit(c) ? kExp : -1;
            break;
          case kAfterESign:
          case kExp:
            next = is_digit(c) ? kExp : -1;
            break;
        }
        if (next >= 0) {
          number_state_ = next;
          if (capture_ >= 0) text_.push_back(c);
          ++p;
        } else if (number_may_end(number_state_)) {
          ARROW_RETURN_NOT_OK(value_done());  // `c` is read again in the next state
        } else {
          return error("malformed number");
        }
        continue;
      }
      case State::kLiteral:
        if (c != literal_[literal_pos_]) return error(std::string("malformed literal ") + literal_);
        ++p;
        if (literal_[++literal_pos_] == '\0') ARROW_RETURN_NOT_OK(value_done());
        continue;
      default:
        break;
    }
    if (is_blank(c)) {
      ++p;
      continue;
    }
    switch (state_) {
      case State::kValue:
        ARROW_RETURN_NOT_OK(start_value(c, p));
        break;
      case State::kArrayFirst:
        if (c == ']') {
          ARROW_RETURN_NOT_OK(close());
        } else {
          ARROW_RETURN_NOT_OK(start_value(c, p));
        }
        break;
      case State::kObjectFirst:
      case State::kObjectKey:
        if (c == '}' && state_ == State::kObjectFirst) {
          ARROW_RETURN_NOT_OK(close());
        } else if (c == '"') {
          string_.start(frames_.back().relevant);
          string_is_key_ = true;
          state_ = State::kString;
        } else {
          return error("expected an object key");
        }
        break;
      case State::kColon:
        if (c != ':') return error("expected ':' after an object key");
        state_ = State::kValue;
        break;
      case State::kCommaOrEnd:
        if (c == ',') {
          state_ = frames_.back().is_array ? State::kValue : State::kObjectKey;
        } else if (c == (frames_.back().is_array ? ']' : '}')) {
          ARROW_RETURN_NOT_OK(close());
        } else {
          return error(frames_.back().is_array ? "expected ',' or ']' after an array element"
                                               : "expected ',' or '}' after an object member");
        }
        break;
      case State::kEnd:
        if (!ndjson_) return error("unexpected bytes after the body's JSON value");
        ARROW_RETURN_NOT_OK(start_value(c, p));
        break;
      default:
        break;
    }
    ++p;
  }
  if (record_depth_ != 0) {
    out->append(data + record_begin_, size - record_begin_);
    record_begin_ = 0;
  }
  offset_ += static_cast<int64_t>(size);
  return arrow::Status::OK();
}

arrow::Status EnvelopeScanner::finish() {
  if (state_ == State::kNumber && frames_.empty() && number_may_end(number_state_)) {
    ARROW_RETURN_NOT_OK(value_done());
  }
  const bool nothing = state_ == State::kValue && frames_.empty();
  if (nothing) {
    if (data_path_.size() == 0 && format_ != json::JsonFormat::kArray) return arrow::Status::OK();
    return error_at(offset_,
                    "the body is empty (no array at data_path " + pointer_name(data_path_) + ")");
  }
  if (state_ != State::kEnd) {
    if (record_depth_ != 0) {
      return error_at(offset_, "the body ends inside record " + std::to_string(records_));
    }
    return error_at(offset_, "the body ends inside a JSON value");
  }
  if (!data_seen_ && !ndjson_) {
    return arrow::Status::Invalid("no data_path ", pointer_name(data_path_),
                                  " in the body (a missing array is an error; an empty page "
                                  "is [] or null)");
  }
  return arrow::Status::OK();
}

}  // namespace quiver::datasource::http_json
