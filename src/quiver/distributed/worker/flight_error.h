#pragma once

#include <arrow/status.h>

#include <string_view>

namespace quiver::distributed {

/// Wraps a worker-side status as a Flight error whose message carries the status kind and the
/// original text in a self-delimiting envelope, so the client can rebuild the same StatusCode.
/// An OK status stays OK.
arrow::Status to_flight_error(const arrow::Status& status);

/// Rebuilds a status received from a Flight call: an envelope made by to_flight_error gives back
/// the original kind and text; any other error (transport failure, authentication) keeps its own
/// kind. The message is prefixed with `where` (e.g. "worker grpc://h:p, task q/s1/t0: ").
arrow::Status from_flight_error(const arrow::Status& status, std::string_view where);

}  // namespace quiver::distributed
