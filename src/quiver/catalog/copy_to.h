#pragma once

#include <arrow/result.h>

#include <memory>

#include "quiver/catalog/data_frame.h"
#include "quiver/sql/statement.h"

namespace quiver::catalog {

class SessionContext;

/// Carries out `COPY (query) TO 'path' (options)` / `COPY table TO ...` (a kCopyTo statement):
/// checks the options (datasource::parse_file_sink_options), runs the plan and writes its
/// batches one by one, as they arrive from the plan's partitions, to a datasource::FileSink, so
/// the result is never held in memory whole. The file appears (replacing an existing one) only
/// when every row was written; on error nothing is left behind. Returns one row, `count`, the
/// number of rows written. On a distributed session the query runs on the workers and this
/// process writes the file.
arrow::Result<std::shared_ptr<DataFrame>> copy_to(const std::shared_ptr<SessionContext>& session,
                                                  const sql::Statement& statement);

}  // namespace quiver::catalog
