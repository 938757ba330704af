#include "custom_execution_plan/numbers_table_function.h"

#include <arrow/scalar.h>

#include "custom_execution_plan/numbers_exec.h"

namespace quiver::examples {

std::shared_ptr<arrow::Schema> NumbersTable::schema() const { return NumbersExec::table_schema(); }

arrow::Result<physical::ExecutionPlanPtr> NumbersTable::scan(const catalog::ScanArgs& args) const {
  const bool with_column = !args.projection.has_value() || !args.projection->empty();
  int64_t end = end_;
  if (args.limit && *args.limit < end_ - start_) end = start_ + *args.limit;
  ARROW_ASSIGN_OR_RAISE(auto exec, NumbersExec::Make({NumberRange{start_, end}}, with_column));
  return exec;
}

namespace {

arrow::Result<int64_t> integer_argument(const std::shared_ptr<arrow::Scalar>& arg,
                                        const char* what) {
  if (arg == nullptr || !arg->is_valid) {
    return arrow::Status::Invalid("numbers(start, end): ", what, " must not be NULL");
  }
  if (!arrow::is_integer(arg->type->id())) {
    return arrow::Status::Invalid("numbers(start, end): ", what, " must be an integer, got ",
                                  arg->type->ToString());
  }
  ARROW_ASSIGN_OR_RAISE(auto cast, arg->CastTo(arrow::int64()));
  return std::static_pointer_cast<arrow::Int64Scalar>(cast)->value;
}

}  // namespace

arrow::Result<std::shared_ptr<catalog::TableProvider>> NumbersTableFunction::call(
    const std::vector<std::shared_ptr<arrow::Scalar>>& args) const {
  if (args.size() != 2) {
    return arrow::Status::Invalid("numbers(start, end) takes 2 arguments, got ", args.size());
  }
  ARROW_ASSIGN_OR_RAISE(int64_t start, integer_argument(args[0], "start"));
  ARROW_ASSIGN_OR_RAISE(int64_t end, integer_argument(args[1], "end"));
  if (end < start) {
    return arrow::Status::Invalid("numbers(start, end): end (", end, ") is before start (", start,
                                  ")");
  }
  return std::make_shared<NumbersTable>(start, end);
}

}  // namespace quiver::examples
