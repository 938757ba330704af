#include "work_unit_feed/scan_table_function.h"

#include <arrow/scalar.h>

#include <charconv>

#include "work_unit_feed/remote_scan_exec.h"

namespace quiver::examples {

std::shared_ptr<arrow::Schema> ScanTable::schema() const { return RemoteScanExec::table_schema(); }

arrow::Result<physical::ExecutionPlanPtr> ScanTable::scan(const catalog::ScanArgs& args) const {
  std::vector<int> projection = {0, 1};
  if (args.projection.has_value()) projection = *args.projection;
  ChunkFeed feed(std::make_shared<ChunkFeedProvider>(chunks_), "chunks");
  ARROW_ASSIGN_OR_RAISE(
      auto exec, RemoteScanExec::Make(chunks_, static_cast<int>(chunks_.size()), task_count_, 1,
                                      std::move(feed), std::move(projection)));
  return exec;
}

namespace {

constexpr const char* kUsage = "scan(task_count, 'chunks_p0', 'chunks_p1', ...)";

arrow::Result<std::vector<int64_t>> parse_chunks(const std::string& text, size_t argument) {
  std::vector<int64_t> chunks;
  if (text.empty()) return chunks;
  size_t start = 0;
  while (start <= text.size()) {
    size_t end = text.find(',', start);
    if (end == std::string::npos) end = text.size();
    int64_t value = 0;
    const char* first = text.data() + start;
    const char* last = text.data() + end;
    auto [ptr, ec] = std::from_chars(first, last, value);
    if (ec != std::errc() || ptr != last || value < 0) {
      return arrow::Status::Invalid(kUsage, ": argument ", argument + 1, " ('", text,
                                    "') must be comma-separated non-negative chunk sizes");
    }
    chunks.push_back(value);
    start = end + 1;
  }
  return chunks;
}

}  // namespace

arrow::Result<std::shared_ptr<catalog::TableProvider>> ScanTableFunction::call(
    const std::vector<std::shared_ptr<arrow::Scalar>>& args) const {
  if (args.size() < 2) {
    return arrow::Status::Invalid(kUsage, " takes a task count and at least one partition, got ",
                                  args.size(), " arguments");
  }
  if (args[0] == nullptr || !args[0]->is_valid || !arrow::is_integer(args[0]->type->id())) {
    return arrow::Status::Invalid(kUsage, ": task_count must be an integer");
  }
  ARROW_ASSIGN_OR_RAISE(auto cast, args[0]->CastTo(arrow::int64()));
  const int64_t tasks = std::static_pointer_cast<arrow::Int64Scalar>(cast)->value;
  if (tasks < 1 || tasks > 1024) {
    return arrow::Status::Invalid(kUsage, ": task_count must be between 1 and 1024, got ", tasks);
  }
  std::vector<std::vector<int64_t>> chunks;
  for (size_t i = 1; i < args.size(); ++i) {
    const auto& arg = args[i];
    if (arg == nullptr || !arg->is_valid || !arrow::is_base_binary_like(arg->type->id())) {
      return arrow::Status::Invalid(kUsage, ": argument ", i + 1,
                                    " must be a string such as '3,1'");
    }
    ARROW_ASSIGN_OR_RAISE(auto list, parse_chunks(arg->ToString(), i));
    chunks.push_back(std::move(list));
  }
  const auto partitions = static_cast<int64_t>(chunks.size());
  if (partitions % tasks != 0) {
    return arrow::Status::Invalid(kUsage, ": the ", partitions,
                                  " partition arguments are not a multiple of the task count ",
                                  tasks);
  }
  return std::make_shared<ScanTable>(static_cast<int>(tasks), std::move(chunks));
}

}  // namespace quiver::examples
