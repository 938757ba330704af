#pragma once

// A session with the numbers(start, end) example and the weather Parquet files, run either
// single-node or over in-process workers.

#include <arrow/table.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <memory>
#include <string>
#include <vector>

#include "custom_execution_plan/numbers_config.h"
#include "custom_execution_plan/numbers_exec_codec.h"
#include "custom_execution_plan/numbers_table_function.h"
#include "custom_execution_plan/numbers_task_estimator.h"
#include "quiver/catalog/session_context.h"
#include "quiver/distributed/distributed_context.h"
#include "quiver/distributed/flight_cluster.h"
#include "quiver/distributed/in_process_transport.h"
#include "quiver/distributed/worker_resolver.h"
#include "quiver/physical/execution_plan.h"

namespace quiver::distributed::testing {

/// A session and, when distributed, its in-process transport.
struct TestSession {
  std::shared_ptr<catalog::SessionContext> session;
  std::shared_ptr<InProcessTransport> transport;
};

/// Returns a single-node session with numbers(...) and the weather table.
inline std::shared_ptr<catalog::SessionContext> numbers_weather_session(int target_partitions) {
  auto session = catalog::SessionContext::Make();
  EXPECT_TRUE(session->register_config_extension(examples::NumbersConfig{}).ok());
  EXPECT_TRUE(
      session
          ->register_table_function("numbers", std::make_shared<examples::NumbersTableFunction>())
          .ok());
  EXPECT_TRUE(session->register_parquet("weather", "testdata/weather").ok());
  EXPECT_TRUE(
      session->set_option("execution.target_partitions", std::to_string(target_partitions)).ok());
  return session;
}

/// Returns the codecs that carry NumbersExec over the wire.
inline codec::ExtensionCodecs numbers_codecs() {
  return {std::make_shared<examples::NumbersExecCodec>()};
}

/// Returns numbers_weather_session(target_partitions), distributed over the Flight workers at
/// `urls` when there are any.
inline std::shared_ptr<catalog::SessionContext> flight_numbers_session(
    const std::vector<std::string>& urls, int target_partitions = 16,
    ChannelOptions channels = {}) {
  auto session = numbers_weather_session(target_partitions);
  if (!urls.empty()) {
    auto st = enable_flight_distributed(*session, urls, numbers_codecs(),
                                        {std::make_shared<examples::NumbersTaskEstimator>()},
                                        std::move(channels));
    EXPECT_TRUE(st.ok()) << st.ToString();
  }
  return session;
}

/// Returns numbers_weather_session(target_partitions); with `workers` > 0 it runs distributed
/// over that many in-process workers.
inline TestSession make_session(int workers, int target_partitions = 16) {
  TestSession out;
  out.session = numbers_weather_session(target_partitions);
  auto& session = *out.session;
  if (workers > 0) {
    auto urls = in_process_worker_urls(workers);
    out.transport = InProcessTransport::Make(urls, session.options_snapshot());
    auto st =
        enable_distributed(session, std::make_shared<StaticWorkerResolver>(urls), out.transport,
                           {std::make_shared<examples::NumbersTaskEstimator>()});
    EXPECT_TRUE(st.ok()) << st.ToString();
  }
  return out;
}

/// Runs `sql` and returns its rows as one chunk.
inline std::shared_ptr<arrow::Table> run(catalog::SessionContext& session, const std::string& sql) {
  auto df = session.sql(sql);
  EXPECT_TRUE(df.ok()) << df.status().ToString();
  if (!df.ok()) return nullptr;
  auto table = (*df)->collect();
  EXPECT_TRUE(table.ok()) << table.status().ToString();
  if (!table.ok()) return nullptr;
  return (*table)->CombineChunks().ValueOrDie();
}

/// Returns the physical plan of `sql` as display_plan text (the single-node form, with the
/// distributed nodes the planner inserted), failing the test when planning fails.
inline std::string plan_text(catalog::SessionContext& session, const std::string& sql) {
  auto df = session.sql(sql);
  EXPECT_TRUE(df.ok()) << df.status().ToString();
  if (!df.ok()) return "";
  auto plan = (*df)->physical_plan();
  EXPECT_TRUE(plan.ok()) << plan.status().ToString();
  if (!plan.ok()) return "";
  return physical::display_plan(**plan);
}

/// Returns the table's rows as `v1|v2|` text lines, sorted when `sort` (for results without a
/// defined order).
inline std::vector<std::string> rows_of(const std::shared_ptr<arrow::Table>& table, bool sort) {
  std::vector<std::string> rows;
  if (table == nullptr) return rows;
  for (int64_t r = 0; r < table->num_rows(); ++r) {
    std::string row;
    for (const auto& column : table->columns()) {
      row += column->GetScalar(r).ValueOrDie()->ToString() + "|";
    }
    rows.push_back(row);
  }
  if (sort) std::sort(rows.begin(), rows.end());
  return rows;
}

}  // namespace quiver::distributed::testing
