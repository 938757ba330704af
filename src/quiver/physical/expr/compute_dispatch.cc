#include "quiver/physical/expr/compute_dispatch.h"

#include <arrow/array.h>
#include <arrow/array/util.h>
#include <arrow/compute/cast.h>
#include <arrow/compute/registry.h>

namespace quiver::physical {

namespace {

arrow::Result<std::pair<const arrow::compute::Kernel*, std::vector<arrow::TypeHolder>>> dispatch(
    const std::string& function, const std::vector<std::shared_ptr<arrow::DataType>>& arg_types) {
  ARROW_ASSIGN_OR_RAISE(auto func, arrow::compute::GetFunctionRegistry()->GetFunction(function));
  std::vector<arrow::TypeHolder> types;
  types.reserve(arg_types.size());
  for (const auto& t : arg_types) types.emplace_back(t);
  ARROW_ASSIGN_OR_RAISE(const arrow::compute::Kernel* kernel, func->DispatchBest(&types));
  return std::make_pair(kernel, std::move(types));
}

}  // namespace

arrow::Result<std::shared_ptr<arrow::DataType>> resolve_output_type(
    const std::string& function, const std::vector<std::shared_ptr<arrow::DataType>>& arg_types) {
  ARROW_ASSIGN_OR_RAISE(auto found, dispatch(function, arg_types));
  arrow::compute::KernelContext ctx(arrow::compute::default_exec_context(), found.first);
  ARROW_ASSIGN_OR_RAISE(arrow::TypeHolder out,
                        found.first->signature->out_type().Resolve(&ctx, found.second));
  return out.GetSharedPtr();
}

arrow::Result<std::vector<std::shared_ptr<arrow::DataType>>> resolve_input_types(
    const std::string& function, const std::vector<std::shared_ptr<arrow::DataType>>& arg_types) {
  ARROW_ASSIGN_OR_RAISE(auto found, dispatch(function, arg_types));
  std::vector<std::shared_ptr<arrow::DataType>> out;
  out.reserve(found.second.size());
  for (const auto& t : found.second) out.push_back(t.GetSharedPtr());
  return out;
}

arrow::Result<arrow::Datum> cast_to(const arrow::Datum& value,
                                    const std::shared_ptr<arrow::DataType>& type) {
  if (value.type()->Equals(*type)) return value;
  return arrow::compute::Cast(value, arrow::compute::CastOptions::Safe(type));
}

bool is_string_type(const arrow::DataType& type) {
  return type.id() == arrow::Type::STRING || type.id() == arrow::Type::LARGE_STRING ||
         type.id() == arrow::Type::STRING_VIEW;
}

arrow::Result<std::shared_ptr<arrow::BooleanArray>> true_mask(const arrow::Datum& value,
                                                              int64_t length) {
  arrow::Datum filled = value;
  if (is_null_type(value.type())) {
    ARROW_ASSIGN_OR_RAISE(filled, cast_to(value, arrow::boolean()));
  }
  if (filled.type()->id() != arrow::Type::BOOL) {
    return arrow::Status::Invalid("expected a Boolean condition, got ", filled.type()->ToString());
  }
  ARROW_ASSIGN_OR_RAISE(filled,
                        arrow::compute::CallFunction("coalesce", {filled, arrow::Datum(false)}));
  std::shared_ptr<arrow::Array> array;
  if (filled.is_scalar()) {
    ARROW_ASSIGN_OR_RAISE(array, arrow::MakeArrayFromScalar(*filled.scalar(), length));
  } else {
    array = filled.make_array();
  }
  return std::static_pointer_cast<arrow::BooleanArray>(array);
}

}  // namespace quiver::physical
