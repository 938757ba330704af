// Math functions on Arrow compute kernels. Integer inputs of the floating-point functions are
// computed in Float64; decimals stay decimals in round, floor, ceil (exact, one integer digit
// wider), trunc and abs.

#include <arrow/array.h>
#include <arrow/builder.h>
#include <arrow/compute/api.h>
#include <arrow/scalar.h>

#include <algorithm>
#include <numbers>
#include <random>

#include "quiver/functions/builtin_functions.h"
#include "quiver/functions/signature.h"
#include "quiver/physical/expr/decimal_rounding.h"

namespace quiver::functions {

namespace {

using arrow::Datum;
using arrow::compute::CallFunction;

constexpr const char* kOneNumber = "a number";

arrow::Status check_numbers(std::string_view name, const DataTypeVector& types, size_t min_args,
                            size_t max_args, std::string_view expected) {
  ARROW_RETURN_NOT_OK(check_arity(name, types, min_args, max_args, expected));
  for (const auto& t : types) {
    if (!fits_numeric(*t)) return unsupported_call(name, types, expected);
  }
  return arrow::Status::OK();
}

// Float64 for integers and floats (and NULL), the decimal type itself for decimals.
std::shared_ptr<arrow::DataType> float_or_decimal(const arrow::DataType& type) {
  if (arrow::is_decimal(type.id())) return type.GetSharedPtr();
  return arrow::float64();
}

// A one-argument function computed in Float64 (sqrt, exp, ln, ...).
ScalarFunctionDef float_unary(std::string name, std::string kernel) {
  ScalarFunctionDef def;
  def.name = name;
  def.return_type =
      [name](const DataTypeVector& types) -> arrow::Result<std::shared_ptr<arrow::DataType>> {
    ARROW_RETURN_NOT_OK(check_numbers(name, types, 1, 1, kOneNumber));
    return arrow::float64();
  };
  def.invoke = [kernel](const std::vector<Datum>& args, int64_t) -> arrow::Result<Datum> {
    ARROW_ASSIGN_OR_RAISE(Datum x, cast_arg(args[0], arrow::float64()));
    return CallFunction(kernel, {x});
  };
  return def;
}

// The type of round, floor and ceil: Float64 for integers and floats; for decimal(p, s),
// decimal(p + 1, s) (at most 38) since rounding can carry into a new integer digit (9.96 to 10).
std::shared_ptr<arrow::DataType> rounded_type(const arrow::DataType& type) {
  if (type.id() == arrow::Type::DECIMAL128) {
    const auto& d = static_cast<const arrow::DecimalType&>(type);
    return arrow::decimal128(std::min(d.precision() + 1, 38), d.scale());
  }
  return float_or_decimal(type);
}

// Rounds a Decimal128 `x` exactly to `digits` (see physical::decimal_round), naming `name` in
// the error of a value that does not fit.
arrow::Result<Datum> round_decimal(std::string_view name, const Datum& x, int64_t digits,
                                   physical::DecimalRounding mode) {
  const auto clamped = static_cast<int32_t>(std::clamp<int64_t>(digits, -100, 100));
  auto result = physical::decimal_round(x, clamped, mode, rounded_type(*x.type()));
  if (!result.ok()) return result.status().WithMessage(name, ": ", result.status().message());
  return result;
}

// floor, ceil, trunc: Float64 for integers and floats; floor and ceil of decimals are exact
// (rounded_type), trunc keeps the decimal type (it never adds a digit).
ScalarFunctionDef rounding_unary(std::string name, std::string kernel) {
  ScalarFunctionDef def;
  def.name = name;
  def.return_type =
      [name](const DataTypeVector& types) -> arrow::Result<std::shared_ptr<arrow::DataType>> {
    ARROW_RETURN_NOT_OK(check_numbers(name, types, 1, 1, kOneNumber));
    if (name == "trunc") return float_or_decimal(*types[0]);
    return rounded_type(*types[0]);
  };
  def.invoke = [name, kernel](const std::vector<Datum>& args, int64_t) -> arrow::Result<Datum> {
    ARROW_ASSIGN_OR_RAISE(Datum x, cast_arg(args[0], float_or_decimal(*args[0].type())));
    if (kernel != "trunc" && x.type()->id() == arrow::Type::DECIMAL128) {
      return round_decimal(
          name, x, 0,
          kernel == "floor" ? physical::DecimalRounding::kFloor : physical::DecimalRounding::kCeil);
    }
    return CallFunction(kernel, {x});
  };
  return def;
}

ScalarFunctionDef abs_function() {
  ScalarFunctionDef def;
  def.name = "abs";
  def.return_type =
      [](const DataTypeVector& types) -> arrow::Result<std::shared_ptr<arrow::DataType>> {
    ARROW_RETURN_NOT_OK(check_numbers("abs", types, 1, 1, kOneNumber));
    return types[0];
  };
  def.invoke = [](const std::vector<Datum>& args, int64_t) -> arrow::Result<Datum> {
    if (args[0].type()->id() == arrow::Type::NA) return args[0];
    auto result = CallFunction("abs_checked", {args[0]});
    if (!result.ok() && result.status().IsInvalid()) {
      return arrow::Status::Invalid("integer overflow in abs");
    }
    return result;
  };
  return def;
}

ScalarFunctionDef round_function() {
  ScalarFunctionDef def;
  def.name = "round";
  def.return_type =
      [](const DataTypeVector& types) -> arrow::Result<std::shared_ptr<arrow::DataType>> {
    constexpr const char* kExpected = "a number and optional integer digits";
    ARROW_RETURN_NOT_OK(check_numbers("round", types, 1, 2, kExpected));
    if (types.size() == 2 && !fits_integer(*types[1])) {
      return unsupported_call("round", types, kExpected);
    }
    return rounded_type(*types[0]);
  };
  def.invoke = [](const std::vector<Datum>& args, int64_t num_rows) -> arrow::Result<Datum> {
    auto type = float_or_decimal(*args[0].type());
    ARROW_ASSIGN_OR_RAISE(Datum x, cast_arg(args[0], type));
    int64_t digits = 0;
    if (args.size() == 2) {
      ARROW_ASSIGN_OR_RAISE(auto d, constant_integer("round", "digit count", args[1]));
      if (!d) return null_result(rounded_type(*type), x.is_scalar(), num_rows);
      digits = *d;
    }
    if (x.type()->id() == arrow::Type::DECIMAL128) {
      return round_decimal("round", x, digits, physical::DecimalRounding::kHalfAwayFromZero);
    }
    // Halves round away from zero, as in PostgreSQL's numeric round.
    arrow::compute::RoundOptions options(digits, arrow::compute::RoundMode::HALF_TOWARDS_INFINITY);
    return CallFunction("round", {x}, &options);
  };
  return def;
}

ScalarFunctionDef power_function(std::string name) {
  ScalarFunctionDef def;
  def.name = name;
  def.return_type =
      [name](const DataTypeVector& types) -> arrow::Result<std::shared_ptr<arrow::DataType>> {
    ARROW_RETURN_NOT_OK(check_numbers(name, types, 2, 2, "two numbers"));
    return arrow::float64();
  };
  def.invoke = [](const std::vector<Datum>& args, int64_t) -> arrow::Result<Datum> {
    ARROW_ASSIGN_OR_RAISE(Datum base, cast_arg(args[0], arrow::float64()));
    ARROW_ASSIGN_OR_RAISE(Datum exponent, cast_arg(args[1], arrow::float64()));
    return CallFunction("power", {base, exponent});
  };
  return def;
}

// log(x) is log10(x); log(b, x) is the logarithm of x in base b.
ScalarFunctionDef log_function() {
  ScalarFunctionDef def;
  def.name = "log";
  def.return_type =
      [](const DataTypeVector& types) -> arrow::Result<std::shared_ptr<arrow::DataType>> {
    ARROW_RETURN_NOT_OK(check_numbers("log", types, 1, 2, "a number, or a base and a number"));
    return arrow::float64();
  };
  def.invoke = [](const std::vector<Datum>& args, int64_t) -> arrow::Result<Datum> {
    ARROW_ASSIGN_OR_RAISE(Datum x, cast_arg(args.back(), arrow::float64()));
    if (args.size() == 1) return CallFunction("log10", {x});
    ARROW_ASSIGN_OR_RAISE(Datum base, cast_arg(args[0], arrow::float64()));
    ARROW_ASSIGN_OR_RAISE(Datum ln_x, CallFunction("ln", {x}));
    ARROW_ASSIGN_OR_RAISE(Datum ln_base, CallFunction("ln", {base}));
    return CallFunction("divide", {ln_x, ln_base});
  };
  return def;
}

ScalarFunctionDef atan2_function() {
  ScalarFunctionDef def;
  def.name = "atan2";
  def.return_type =
      [](const DataTypeVector& types) -> arrow::Result<std::shared_ptr<arrow::DataType>> {
    ARROW_RETURN_NOT_OK(check_numbers("atan2", types, 2, 2, "two numbers"));
    return arrow::float64();
  };
  def.invoke = [](const std::vector<Datum>& args, int64_t) -> arrow::Result<Datum> {
    ARROW_ASSIGN_OR_RAISE(Datum y, cast_arg(args[0], arrow::float64()));
    ARROW_ASSIGN_OR_RAISE(Datum x, cast_arg(args[1], arrow::float64()));
    return CallFunction("atan2", {y, x});
  };
  return def;
}

ScalarFunctionDef pi_function() {
  ScalarFunctionDef def;
  def.name = "pi";
  def.return_type =
      [](const DataTypeVector& types) -> arrow::Result<std::shared_ptr<arrow::DataType>> {
    ARROW_RETURN_NOT_OK(check_arity("pi", types, 0, 0, "no arguments"));
    return arrow::float64();
  };
  def.invoke = [](const std::vector<Datum>&, int64_t) -> arrow::Result<Datum> {
    return Datum(std::make_shared<arrow::DoubleScalar>(std::numbers::pi));
  };
  return def;
}

// random(): a uniform value in [0, 1) per row.
ScalarFunctionDef random_function() {
  ScalarFunctionDef def;
  def.name = "random";
  def.return_type =
      [](const DataTypeVector& types) -> arrow::Result<std::shared_ptr<arrow::DataType>> {
    ARROW_RETURN_NOT_OK(check_arity("random", types, 0, 0, "no arguments"));
    return arrow::float64();
  };
  def.invoke = [](const std::vector<Datum>&, int64_t num_rows) -> arrow::Result<Datum> {
    thread_local std::mt19937_64 engine{std::random_device{}()};
    std::uniform_real_distribution<double> uniform(0.0, 1.0);
    arrow::DoubleBuilder builder;
    ARROW_RETURN_NOT_OK(builder.Reserve(num_rows));
    for (int64_t i = 0; i < num_rows; ++i) builder.UnsafeAppend(uniform(engine));
    ARROW_ASSIGN_OR_RAISE(auto out, builder.Finish());
    return Datum(out);
  };
  return def;
}

}  // namespace

std::vector<ScalarFunctionDef> math_functions() {
  std::vector<ScalarFunctionDef> out;
  out.push_back(abs_function());
  out.push_back(round_function());
  out.push_back(rounding_unary("floor", "floor"));
  out.push_back(rounding_unary("ceil", "ceil"));
  out.push_back(rounding_unary("ceiling", "ceil"));
  out.push_back(rounding_unary("trunc", "trunc"));
  out.push_back(float_unary("sqrt", "sqrt"));
  out.push_back(float_unary("exp", "exp"));
  out.push_back(float_unary("ln", "ln"));
  out.push_back(float_unary("log10", "log10"));
  out.push_back(float_unary("log2", "log2"));
  out.push_back(float_unary("sign", "sign"));
  out.push_back(float_unary("signum", "sign"));
  out.push_back(float_unary("sin", "sin"));
  out.push_back(float_unary("cos", "cos"));
  out.push_back(float_unary("tan", "tan"));
  out.push_back(float_unary("asin", "asin"));
  out.push_back(float_unary("acos", "acos"));
  out.push_back(float_unary("atan", "atan"));
  out.push_back(log_function());
  out.push_back(atan2_function());
  out.push_back(power_function("power"));
  out.push_back(power_function("pow"));
  out.push_back(pi_function());
  out.push_back(random_function());
  return out;
}

}  // namespace quiver::functions
