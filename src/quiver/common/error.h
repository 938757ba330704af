#pragma once

#include <arrow/status.h>

#include <string>
#include <string_view>
#include <vector>

/// Errors: Quiver uses arrow::Status / arrow::Result everywhere. The status code is the error kind
/// and survives the trip between workers:
///   Invalid          a user error: bad SQL, unknown table/column, type error, bad option value
///   IOError          a file, network or worker could not be read or reached
///   OutOfMemory      a resource limit (the query memory limit) was reached
///   NotImplemented   a feature the engine does not support (yet)
///   Cancelled        the query was cancelled
///   UnknownError     an internal error (a bug): the message says what invariant broke
/// A user error names what was wrong and where: the SQL position, the file and row, the URL.
namespace quiver::common {

/// Returns the candidate closest to `name` by edit distance (case-insensitive), or "" when no
/// candidate is close enough to be a plausible typo.
std::string closest_match(std::string_view name, const std::vector<std::string>& candidates);

/// Formats " (did you mean 'x'?)" for the closest candidate, or "" when there is none.
std::string did_you_mean(std::string_view name, const std::vector<std::string>& candidates);

}  // namespace quiver::common
