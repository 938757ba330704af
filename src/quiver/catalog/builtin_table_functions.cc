#include "quiver/catalog/builtin_table_functions.h"

#include <arrow/scalar.h>
#include <arrow/type.h>

#include <string>

#include "quiver/datasource/csv_source.h"
#include "quiver/datasource/http_json/source_options_parser.h"
#include "quiver/datasource/json_source.h"
#include "quiver/datasource/listing_table.h"
#include "quiver/datasource/parquet_source.h"

namespace quiver::catalog {

namespace {

using ScalarVector = std::vector<std::shared_ptr<arrow::Scalar>>;

arrow::Status check_arity(const char* function, const ScalarVector& args, size_t min, size_t max,
                          const char* usage) {
  if (args.size() < min || args.size() > max) {
    return arrow::Status::Invalid(function, " takes ", usage, ", got ", args.size(),
                                  args.size() == 1 ? " argument" : " arguments");
  }
  return arrow::Status::OK();
}

arrow::Result<std::string> string_arg(const char* function, const ScalarVector& args, size_t i,
                                      const char* what) {
  const auto& a = args[i];
  if (a == nullptr || !a->is_valid || !arrow::is_string(a->type->id())) {
    return arrow::Status::Invalid(function, ": argument ", i + 1, " (", what,
                                  ") must be a non-NULL string, got ",
                                  a == nullptr ? std::string("nothing") : a->ToString());
  }
  return std::string(static_cast<const arrow::BaseBinaryScalar&>(*a).view());
}

arrow::Result<bool> bool_arg(const char* function, const ScalarVector& args, size_t i,
                             const char* what) {
  const auto& a = args[i];
  if (a == nullptr || !a->is_valid || a->type->id() != arrow::Type::BOOL) {
    return arrow::Status::Invalid(function, ": argument ", i + 1, " (", what,
                                  ") must be a non-NULL boolean, got ",
                                  a == nullptr ? std::string("nothing") : a->ToString());
  }
  return static_cast<const arrow::BooleanScalar&>(*a).value;
}

}  // namespace

arrow::Result<std::shared_ptr<TableProvider>> ReadParquetFunction::call(
    const ScalarVector& args) const {
  ARROW_RETURN_NOT_OK(check_arity("read_parquet", args, 1, 1, "one argument (a path)"));
  ARROW_ASSIGN_OR_RAISE(auto path, string_arg("read_parquet", args, 0, "path"));
  ARROW_ASSIGN_OR_RAISE(auto table, datasource::ListingTable::Make(
                                        path, std::make_shared<const datasource::ParquetSource>()));
  return table;
}

arrow::Result<std::shared_ptr<TableProvider>> ReadCsvFunction::call(
    const ScalarVector& args) const {
  ARROW_RETURN_NOT_OK(
      check_arity("read_csv", args, 1, 2, "a path and an optional has_header boolean"));
  ARROW_ASSIGN_OR_RAISE(auto path, string_arg("read_csv", args, 0, "path"));
  bool has_header = true;
  if (args.size() > 1) {
    ARROW_ASSIGN_OR_RAISE(has_header, bool_arg("read_csv", args, 1, "has_header"));
  }
  ARROW_ASSIGN_OR_RAISE(auto table,
                        datasource::ListingTable::Make(
                            path, std::make_shared<const datasource::CsvSource>(has_header)));
  return table;
}

arrow::Result<std::shared_ptr<TableProvider>> ReadJsonFunction::call(
    const ScalarVector& args) const {
  ARROW_RETURN_NOT_OK(check_arity("read_json", args, 1, 1, "one argument (a path)"));
  ARROW_ASSIGN_OR_RAISE(auto path, string_arg("read_json", args, 0, "path"));
  ARROW_ASSIGN_OR_RAISE(auto table, datasource::ListingTable::Make(
                                        path, std::make_shared<const datasource::JsonSource>()));
  return table;
}

arrow::Result<std::shared_ptr<TableProvider>> ReadHttpJsonFunction::call_named(
    const ScalarVector& args, const std::vector<NamedArgument>& named) const {
  namespace http = datasource::http_json;
  ARROW_RETURN_NOT_OK(
      check_arity("read_http_json", args, 1, 1, "a URL and named options (key => value)"));
  ARROW_ASSIGN_OR_RAISE(auto url, string_arg("read_http_json", args, 0, "URL"));
  std::vector<http::SourceOption> options;
  options.push_back({"url", url, "argument 1"});
  for (const auto& arg : named) {
    const auto& v = arg.value;
    http::SourceOption option{arg.name, std::string(), ""};
    if (arg.name == "url") {
      return arrow::Status::Invalid("read_http_json: the URL is the first argument, not 'url =>'");
    }
    if (v == nullptr || !v->is_valid) {
      return arrow::Status::Invalid("read_http_json: argument '", arg.name, "' must not be NULL");
    } else if (arrow::is_string(v->type->id())) {
      option.value = std::string(static_cast<const arrow::BaseBinaryScalar&>(*v).view());
    } else if (arrow::is_integer(v->type->id())) {
      ARROW_ASSIGN_OR_RAISE(auto as_int, v->CastTo(arrow::int64()));
      option.value = static_cast<const arrow::Int64Scalar&>(*as_int).value;
    } else if (arrow::is_floating(v->type->id())) {
      ARROW_ASSIGN_OR_RAISE(auto as_double, v->CastTo(arrow::float64()));
      option.value = static_cast<const arrow::DoubleScalar&>(*as_double).value;
    } else if (v->type->id() == arrow::Type::BOOL) {
      option.value = static_cast<const arrow::BooleanScalar&>(*v).value;
    } else {
      return arrow::Status::Invalid("read_http_json: argument '", arg.name,
                                    "' must be a string, an integer or a boolean, got ",
                                    v->type->ToString());
    }
    options.push_back(std::move(option));
  }
  auto parsed = http::parse_http_json_options(options);
  if (!parsed.ok()) {
    return parsed.status().WithMessage("read_http_json: ", parsed.status().message());
  }
  ARROW_ASSIGN_OR_RAISE(auto table, http::HttpJsonTable::Make(std::move(*parsed), opener_));
  return table;
}

}  // namespace quiver::catalog
