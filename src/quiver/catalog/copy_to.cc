#include "quiver/catalog/copy_to.h"

#include <arrow/builder.h>
#include <arrow/table.h>

#include "quiver/catalog/session_context.h"
#include "quiver/datasource/file_sink.h"

namespace quiver::catalog {

arrow::Result<std::shared_ptr<DataFrame>> copy_to(const std::shared_ptr<SessionContext>& session,
                                                  const sql::Statement& statement) {
  if (statement.plan == nullptr) return arrow::Status::UnknownError("COPY without a query");
  const std::string& path = statement.value;
  ARROW_ASSIGN_OR_RAISE(auto options, datasource::parse_file_sink_options(path, statement.options));
  DataFrame frame(session, statement.plan);
  ARROW_ASSIGN_OR_RAISE(auto stream, frame.execute_stream());
  auto sink = datasource::FileSink::Make(path, stream->schema(), options);
  if (!sink.ok()) return sink.status().WithMessage("COPY TO: ", sink.status().message());
  while (true) {
    // On an error the sink's destructor removes its temporary file.
    ARROW_ASSIGN_OR_RAISE(auto batch, stream->next());
    if (batch == nullptr) break;
    auto st = (*sink)->write(*batch);
    if (!st.ok()) return st.WithMessage("COPY TO: ", st.message());
  }
  stream.reset();  // ends the query (and its distributed tasks) before the file appears
  auto rows = (*sink)->commit();
  if (!rows.ok()) return rows.status().WithMessage("COPY TO: ", rows.status().message());

  arrow::UInt64Builder count;
  ARROW_RETURN_NOT_OK(count.Append(static_cast<uint64_t>(*rows)));
  std::shared_ptr<arrow::Array> array;
  ARROW_RETURN_NOT_OK(count.Finish(&array));
  return std::make_shared<DataFrame>(
      arrow::Table::Make(arrow::schema({arrow::field("count", arrow::uint64(), false)}), {array}));
}

}  // namespace quiver::catalog
