#pragma once

#include <arrow/result.h>

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "quiver/common/config.h"
#include "quiver/datasource/http_json/http_json_options.h"
#include "quiver/physical/execution_plan.h"

namespace quiver::datasource::http_json {

/// Makes the scan of an HTTP JSON table for a session whose options are `config`: the
/// distributed page scan when that session is distributed and wired for it, or null to keep the
/// single-node JsonStreamExec. `records` is the records' schema, `projection` the parser's
/// projection (as for JsonStreamExec), `display_url` the URL without credentials.
using DistributedHttpScanMaker = std::function<arrow::Result<physical::ExecutionPlanPtr>(
    const HttpJsonSourceOptions& options, std::shared_ptr<arrow::Schema> records,
    std::vector<int> projection, const std::string& display_url,
    const common::ConfigOptions& config)>;

/// Installs the process's maker (the distributed layer does, in enable_distributed_http_pages:
/// the datasource layer cannot depend on it). Thread-safe.
void set_distributed_http_scan_maker(DistributedHttpScanMaker maker);

/// Returns the installed maker, or an empty function. Thread-safe.
DistributedHttpScanMaker distributed_http_scan_maker();

}  // namespace quiver::datasource::http_json
