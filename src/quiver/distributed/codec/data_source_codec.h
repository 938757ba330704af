#pragma once

#include <arrow/result.h>
#include <arrow/status.h>

#include "quiver/datasource/data_source_exec.h"
#include "quiver_plan/quiver_plan.pb.h"

/// DataSourceExec (file scans and memory sources) to and from its quiver_plan.proto message.
/// Internal to the plan codec.
namespace quiver::distributed::codec {

/// Fills `out` with the scan's source; a source or file format without a codec is
/// NotImplemented naming it.
arrow::Status encode_data_source(const datasource::DataSourceExec& node,
                                 proto::DataSourceExecNode* out);
/// Rebuilds the scan.
arrow::Result<physical::ExecutionPlanPtr> decode_data_source(const proto::DataSourceExecNode& node);

}  // namespace quiver::distributed::codec
