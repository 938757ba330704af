#include "quiver/distributed/worker/flight_error.h"

#include <arrow/flight/types.h>

#include <charconv>
#include <string>

namespace quiver::distributed {

namespace {

// Envelope: "quiver-error(<code>,<length>): <message of exactly length bytes>". The length makes
// the message recoverable even when the transport adds text before or after it.
constexpr std::string_view kEnvelopeStart = "quiver-error(";

arrow::flight::FlightStatusCode flight_code_for(arrow::StatusCode code) {
  using arrow::flight::FlightStatusCode;
  switch (code) {
    case arrow::StatusCode::Cancelled:
      return FlightStatusCode::Cancelled;
    case arrow::StatusCode::UnknownError:
      return FlightStatusCode::Internal;
    default:
      return FlightStatusCode::Failed;
  }
}

bool parse_int(std::string_view text, long long* out) {
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), *out);
  return ec == std::errc() && ptr == text.data() + text.size();
}

// Finds an envelope in `message`; returns false when there is none (or it is damaged).
bool parse_envelope(std::string_view message, arrow::StatusCode* code, std::string* text) {
  auto start = message.find(kEnvelopeStart);
  if (start == std::string_view::npos) return false;
  auto rest = message.substr(start + kEnvelopeStart.size());
  auto comma = rest.find(',');
  auto close = rest.find("): ");
  if (comma == std::string_view::npos || close == std::string_view::npos || comma > close) {
    return false;
  }
  long long code_value = 0;
  long long length = 0;
  if (!parse_int(rest.substr(0, comma), &code_value) ||
      !parse_int(rest.substr(comma + 1, close - comma - 1), &length)) {
    return false;
  }
  auto body = rest.substr(close + 3);
  if (length < 0 || static_cast<size_t>(length) > body.size()) return false;
  if (code_value <= 0 || code_value > static_cast<long long>(arrow::StatusCode::AlreadyExists)) {
    return false;
  }
  *code = static_cast<arrow::StatusCode>(code_value);
  *text = std::string(body.substr(0, static_cast<size_t>(length)));
  return true;
}

}  // namespace

arrow::Status to_flight_error(const arrow::Status& status) {
  if (status.ok()) return status;
  std::string envelope = std::string(kEnvelopeStart) +
                         std::to_string(static_cast<int>(status.code())) + "," +
                         std::to_string(status.message().size()) + "): " + status.message();
  return arrow::flight::MakeFlightError(flight_code_for(status.code()), std::move(envelope));
}

arrow::Status from_flight_error(const arrow::Status& status, std::string_view where) {
  if (status.ok()) return status;
  arrow::StatusCode code;
  std::string text;
  if (parse_envelope(status.message(), &code, &text)) {
    return arrow::Status(code, std::string(where) + text);
  }
  return status.WithMessage(std::string(where) + status.message());
}

}  // namespace quiver::distributed
