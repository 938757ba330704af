// Scalar functions: the registry, argument checking, and each family's values and NULLs.

#include <arrow/array.h>
#include <arrow/compute/api.h>
#include <arrow/json/from_string.h>
#include <arrow/scalar.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <thread>

#include "quiver/functions/scalar_function.h"

namespace quiver::functions {
namespace {

using arrow::Datum;

std::shared_ptr<arrow::Array> arr(const std::shared_ptr<arrow::DataType>& type,
                                  const std::string& json) {
  return arrow::json::ArrayFromJSONString(type, json).ValueOrDie();
}

Datum text(const std::string& v) { return Datum(std::make_shared<arrow::StringScalar>(v)); }
Datum int64(int64_t v) { return Datum(std::make_shared<arrow::Int64Scalar>(v)); }
Datum null_of(const std::shared_ptr<arrow::DataType>& type) {
  return Datum(arrow::MakeNullScalar(type));
}
Datum strings(const std::string& json) { return Datum(arr(arrow::utf8(), json)); }

// Calls `name` after checking its declared return type, and checks the result type matches.
arrow::Result<Datum> call(const std::string& name, const std::vector<Datum>& args,
                          int64_t num_rows = -1) {
  const ScalarFunctionDef* def = find_scalar_function(name);
  if (def == nullptr) return arrow::Status::KeyError("no function ", name);
  DataTypeVector types;
  int64_t rows = 1;
  for (const auto& a : args) {
    types.push_back(a.type());
    if (a.is_array()) rows = a.length();
  }
  ARROW_ASSIGN_OR_RAISE(auto declared, def->return_type(types));
  ARROW_ASSIGN_OR_RAISE(Datum out, def->invoke(args, num_rows < 0 ? rows : num_rows));
  if (!out.type()->Equals(*declared)) {
    return arrow::Status::UnknownError(name, " declared ", declared->ToString(), " but gave ",
                                       out.type()->ToString());
  }
  return out;
}

void expect_array(const std::string& name, const std::vector<Datum>& args,
                  const std::shared_ptr<arrow::DataType>& type, const std::string& json) {
  auto out = call(name, args);
  ASSERT_TRUE(out.ok()) << name << ": " << out.status().ToString();
  ASSERT_TRUE(out->is_array()) << name << " returned a scalar for array input";
  auto expected = arr(type, json);
  EXPECT_TRUE(out->make_array()->Equals(*expected))
      << name << "\n got:      " << out->make_array()->ToString()
      << "\n expected: " << expected->ToString();
}

void expect_scalar(const std::string& name, const std::vector<Datum>& args,
                   const std::string& expected) {
  auto out = call(name, args);
  ASSERT_TRUE(out.ok()) << name << ": " << out.status().ToString();
  ASSERT_TRUE(out->is_scalar()) << name << " returned an array for scalar input";
  EXPECT_EQ(out->scalar()->ToString(), expected) << name;
}

TEST(FunctionRegistryTest, FindsBuiltinsAndRegistersUserFunctions) {
  ASSERT_NE(find_scalar_function("upper"), nullptr);
  EXPECT_EQ(find_scalar_function("no_such_function"), nullptr);
  auto names = scalar_function_names();
  EXPECT_NE(std::find(names.begin(), names.end(), "date_trunc"), names.end());

  ScalarFunctionDef twice;
  twice.name = "test_twice";
  twice.return_type = [](const DataTypeVector&) -> arrow::Result<std::shared_ptr<arrow::DataType>> {
    return arrow::int64();
  };
  twice.invoke = [](const std::vector<Datum>& args, int64_t) -> arrow::Result<Datum> {
    return arrow::compute::CallFunction("multiply", {args[0], Datum(int64_t{2})});
  };
  ASSERT_TRUE(register_scalar_function(twice).ok());
  EXPECT_TRUE(register_scalar_function(twice).IsInvalid());  // the name is taken
  ASSERT_NE(find_scalar_function("test_twice"), nullptr);
  expect_scalar("test_twice", {int64(21)}, "42");
}

TEST(FunctionRegistryTest, ConcurrentLookupsAndRegistrations) {
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([t] {
      for (int i = 0; i < 200; ++i) {
        EXPECT_NE(find_scalar_function("lower"), nullptr);
        if (i % 50 == 0) {
          ScalarFunctionDef def = *find_scalar_function("lower");
          def.name = "test_lower_" + std::to_string(t) + "_" + std::to_string(i);
          EXPECT_TRUE(register_scalar_function(def).ok());
        }
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_NE(find_scalar_function("test_lower_3_150"), nullptr);
}

TEST(FunctionSignatureTest, BadArgumentsNameTheFunctionAndSignature) {
  const auto* upper = find_scalar_function("upper");
  auto st = upper->return_type({arrow::int64()}).status();
  EXPECT_TRUE(st.IsInvalid());
  EXPECT_EQ(st.message(), "upper(Int64) is not supported: upper expects a string");
  EXPECT_TRUE(find_scalar_function("substr")->return_type({arrow::utf8()}).status().IsInvalid());
  EXPECT_TRUE(find_scalar_function("abs")->return_type({arrow::utf8()}).status().IsInvalid());
  EXPECT_TRUE(find_scalar_function("coalesce")
                  ->return_type({arrow::int64(), arrow::boolean()})
                  .status()
                  .IsInvalid());
  EXPECT_TRUE(find_scalar_function("pi")->return_type({arrow::int64()}).status().IsInvalid());
}

TEST(StringFunctionsTest, CaseLengthTrimReverse) {
  auto s = strings(R"(["Hello", "  wörld ", null, ""])");
  expect_array("upper", {s}, arrow::utf8(), R"(["HELLO", "  WÖRLD ", null, ""])");
  expect_array("lower", {s}, arrow::utf8(), R"(["hello", "  wörld ", null, ""])");
  expect_array("length", {s}, arrow::int32(), "[5, 8, null, 0]");
  expect_array("character_length", {s}, arrow::int32(), "[5, 8, null, 0]");
  expect_array("octet_length", {s}, arrow::int32(), "[5, 9, null, 0]");
  expect_array("trim", {s}, arrow::utf8(), R"(["Hello", "wörld", null, ""])");
  expect_array("ltrim", {s}, arrow::utf8(), R"(["Hello", "wörld ", null, ""])");
  expect_array("rtrim", {s}, arrow::utf8(), R"(["Hello", "  wörld", null, ""])");
  expect_array("btrim", {s, text("Ho ")}, arrow::utf8(), R"(["ell", "wörld", null, ""])");
  expect_array("reverse", {s}, arrow::utf8(), R"(["olleH", " dlröw  ", null, ""])");
  expect_array("initcap", {strings(R"(["hello wORLD"])")}, arrow::utf8(), R"(["Hello World"])");
  expect_scalar("upper", {text("abc")}, "ABC");
  expect_scalar("upper", {null_of(arrow::null())}, "null");
}

TEST(StringFunctionsTest, SubstrUsesSqlPositions) {
  auto s = strings(R"(["hello", "wörld", null])");
  expect_array("substr", {s, int64(2), int64(3)}, arrow::utf8(), R"(["ell", "örl", null])");
  expect_array("substring", {s, int64(3)}, arrow::utf8(), R"(["llo", "rld", null])");
  // Start before the string shortens the window, as in PostgreSQL: substr('hello', 0, 3) = 'he'.
  expect_array("substr", {s, int64(0), int64(3)}, arrow::utf8(), R"(["he", "wö", null])");
  expect_array("substr", {s, int64(10)}, arrow::utf8(), R"(["", "", null])");
  expect_array(
      "substr",
      {strings(R"(["hello", "wörld", "abc"])"), Datum(arr(arrow::int64(), "[1, null, 2]"))},
      arrow::utf8(), R"(["hello", null, "bc"])");
  expect_scalar("substr", {text("hello"), int64(2), int64(2)}, "el");
  EXPECT_TRUE(call("substr", {text("hello"), int64(1), int64(-1)}).status().IsInvalid());
}

TEST(StringFunctionsTest, ConcatIgnoresNullsAndConcatWsSkipsThem) {
  auto a = strings(R"(["a", null, "c"])");
  auto b = strings(R"(["x", "y", null])");
  expect_array("concat", {a, b, Datum(arr(arrow::int64(), "[1, 2, 3]"))}, arrow::utf8(),
               R"(["ax1", "y2", "c3"])");
  expect_array("concat_ws", {text("-"), a, b}, arrow::utf8(), R"(["a-x", "y", "c"])");
  expect_scalar("concat", {null_of(arrow::utf8()), text("z")}, "z");
  expect_scalar("concat_ws", {null_of(arrow::utf8()), text("z")}, "null");
}

TEST(StringFunctionsTest, ReplaceAffixesAndPositions) {
  auto s = strings(R"(["banana", "apple", null])");
  expect_array("replace", {s, text("an"), text("AN")}, arrow::utf8(),
               R"(["bANANa", "apple", null])");
  expect_array("starts_with", {s, text("ba")}, arrow::boolean(), "[true, false, null]");
  expect_array("ends_with", {s, text("le")}, arrow::boolean(), "[false, true, null]");
  expect_array("strpos", {s, text("an")}, arrow::int32(), "[2, 0, null]");
  expect_scalar("strpos", {text("wörld"), text("r")}, "3");
  expect_array("left", {s, int64(2)}, arrow::utf8(), R"(["ba", "ap", null])");
  expect_array("left", {s, int64(-2)}, arrow::utf8(), R"(["bana", "app", null])");
  expect_array("right", {s, int64(2)}, arrow::utf8(), R"(["na", "le", null])");
  expect_array("right", {s, int64(-4)}, arrow::utf8(), R"(["na", "e", null])");
}

TEST(StringFunctionsTest, PaddingSplittingAndRegex) {
  auto s = strings(R"(["7", "12345", null])");
  expect_array("lpad", {s, int64(3), text("0")}, arrow::utf8(), R"(["007", "123", null])");
  expect_array("rpad", {s, int64(4)}, arrow::utf8(), R"(["7   ", "1234", null])");
  expect_array("lpad", {s, int64(6), text("ab")}, arrow::utf8(), R"(["ababa7", "a12345", null])");
  auto parts = strings(R"(["a,b,c", "x", null])");
  expect_array("split_part", {parts, text(","), int64(2)}, arrow::utf8(), R"(["b", "", null])");
  expect_array("split_part", {parts, text(","), int64(-1)}, arrow::utf8(), R"(["c", "x", null])");
  EXPECT_TRUE(call("split_part", {parts, text(","), int64(0)}).status().IsInvalid());
  auto words = strings(R"(["foo bar foo", "Foo"])");
  expect_array("regexp_replace", {words, text("fo+"), text("X")}, arrow::utf8(),
               R"(["X bar foo", "Foo"])");
  expect_array("regexp_replace", {words, text("fo+"), text("X"), text("gi")}, arrow::utf8(),
               R"(["X bar X", "X"])");
  expect_array("regexp_like", {words, text("^foo")}, arrow::boolean(), "[true, false]");
  expect_array("repeat", {strings(R"(["ab", null])"), int64(3)}, arrow::utf8(),
               R"(["ababab", null])");
}

TEST(MathFunctionsTest, RoundingAndSigns) {
  auto x = Datum(arr(arrow::float64(), "[2.5, -2.5, 1.234, null]"));
  expect_array("round", {x}, arrow::float64(), "[3, -3, 1, null]");
  expect_array("round", {x, int64(2)}, arrow::float64(), "[2.5, -2.5, 1.23, null]");
  expect_array("floor", {x}, arrow::float64(), "[2, -3, 1, null]");
  expect_array("ceil", {x}, arrow::float64(), "[3, -2, 2, null]");
  expect_array("trunc", {x}, arrow::float64(), "[2, -2, 1, null]");
  expect_array("abs", {x}, arrow::float64(), "[2.5, 2.5, 1.234, null]");
  expect_array("sign", {x}, arrow::float64(), "[1, -1, 1, null]");
  auto ints = Datum(arr(arrow::int32(), "[-3, 0, null]"));
  expect_array("abs", {ints}, arrow::int32(), "[3, 0, null]");
  expect_array("round", {ints}, arrow::float64(), "[-3, 0, null]");
  EXPECT_TRUE(call("abs", {int64(INT64_MIN)}).status().IsInvalid());
}

TEST(MathFunctionsTest, PowersLogsAndConstants) {
  auto x = Datum(arr(arrow::int64(), "[1, 4, 100, null]"));
  expect_array("sqrt", {x}, arrow::float64(), "[1, 2, 10, null]");
  expect_array("log10", {x}, arrow::float64(), "[0, 0.6020599913279624, 2, null]");
  expect_array("power", {x, int64(2)}, arrow::float64(), "[1, 16, 10000, null]");
  expect_array("log2", {Datum(arr(arrow::int64(), "[8]"))}, arrow::float64(), "[3]");
  expect_array("ln", {Datum(arr(arrow::float64(), "[1]"))}, arrow::float64(), "[0]");
  expect_array("exp", {Datum(arr(arrow::float64(), "[0]"))}, arrow::float64(), "[1]");
  auto log = call("log", {int64(2), int64(8)});
  ASSERT_TRUE(log.ok()) << log.status().ToString();
  EXPECT_NEAR(std::static_pointer_cast<arrow::DoubleScalar>(log->scalar())->value, 3.0, 1e-12);
  auto pi = call("pi", {});
  ASSERT_TRUE(pi.ok()) << pi.status().ToString();
  EXPECT_NEAR(std::static_pointer_cast<arrow::DoubleScalar>(pi->scalar())->value, 3.14159265, 1e-8);
  auto r = call("random", {}, 5);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  ASSERT_EQ(r->length(), 5);
  auto values = std::static_pointer_cast<arrow::DoubleArray>(r->make_array());
  for (int64_t i = 0; i < 5; ++i) {
    EXPECT_GE(values->Value(i), 0.0);
    EXPECT_LT(values->Value(i), 1.0);
  }
}

TEST(ConditionalFunctionsTest, CoalesceNullifGreatestLeast) {
  auto a = Datum(arr(arrow::int32(), "[null, 2, null]"));
  auto b = Datum(arr(arrow::int64(), "[1, 5, null]"));
  expect_array("coalesce", {a, b, int64(9)}, arrow::int64(), "[1, 2, 9]");
  expect_array("nullif", {b, int64(5)}, arrow::int64(), "[1, null, null]");
  expect_array("greatest", {a, b}, arrow::int64(), "[1, 5, null]");
  expect_array("least", {a, b}, arrow::int64(), "[1, 2, null]");
  expect_array("greatest", {strings(R"(["a", "z"])"), text("m")}, arrow::utf8(), R"(["m", "z"])");
  expect_scalar("coalesce", {null_of(arrow::null()), text("x")}, "x");
}

TEST(DatetimeFunctionsTest, TruncPartAndConstruction) {
  // 2024-03-15T10:30:45.5Z in microseconds.
  auto ts_type = arrow::timestamp(arrow::TimeUnit::MICRO);
  auto ts = Datum(arr(ts_type, R"(["2024-03-15 10:30:45.500", null])"));
  expect_array("date_trunc", {text("month"), ts}, ts_type, R"(["2024-03-01", null])");
  expect_array("date_trunc", {text("hour"), ts}, ts_type, R"(["2024-03-15 10:00:00", null])");
  expect_array("date_trunc", {text("year"), ts}, ts_type, R"(["2024-01-01", null])");
  expect_array("date_part", {text("year"), ts}, arrow::int64(), "[2024, null]");
  expect_array("date_part", {text("month"), ts}, arrow::int64(), "[3, null]");
  expect_array("date_part", {text("second"), ts}, arrow::int64(), "[45, null]");
  expect_array("date_part", {text("millisecond"), ts}, arrow::int64(), "[45500, null]");
  expect_array("date_part", {text("microsecond"), ts}, arrow::int64(), "[45500000, null]");
  expect_array("date_part", {text("epoch"), ts}, arrow::int64(), "[1710498645, null]");
  expect_array("epoch", {ts}, arrow::float64(), "[1710498645.5, null]");
  expect_array("date_part", {text("dow"), ts}, arrow::int64(), "[5, null]");  // a Friday
  auto dates = Datum(arr(arrow::date32(), "[19797, null]"));                  // 2024-03-15
  expect_array("date_part", {text("doy"), dates}, arrow::int64(), "[75, null]");
  expect_array("date_trunc", {text("month"), dates}, arrow::timestamp(arrow::TimeUnit::NANO),
               R"(["2024-03-01", null])");
  EXPECT_TRUE(call("date_trunc", {text("fortnight"), ts}).status().IsInvalid());
  expect_array("to_date", {strings(R"(["2024-03-15", null])")}, arrow::date32(), "[19797, null]");
  auto bad = call("to_date", {text("2024-13-45")});
  EXPECT_TRUE(bad.status().IsInvalid());
  EXPECT_NE(bad.status().message().find("2024-13-45"), std::string::npos) << bad.status().message();
  expect_scalar("make_date", {int64(2024), int64(3), int64(15)}, "2024-03-15");
  EXPECT_TRUE(call("make_date", {int64(2023), int64(2), int64(29)}).status().IsInvalid());
  auto now = call("now", {});
  ASSERT_TRUE(now.ok());
  EXPECT_TRUE(now->is_scalar());
  auto today = call("current_date", {});
  ASSERT_TRUE(today.ok());
  EXPECT_GT(std::static_pointer_cast<arrow::Date32Scalar>(today->scalar())->value, 19797);
}

}  // namespace
}  // namespace quiver::functions
