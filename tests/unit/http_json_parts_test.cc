// The pieces of the paginated HTTP JSON source: JSON pointers, the page-body scanner, URLs and
// the Link header.
#include <gtest/gtest.h>

#include "quiver/datasource/http_json/envelope_scanner.h"
#include "quiver/datasource/http_json/json_pointer.h"
#include "quiver/datasource/http_json/link_header.h"
#include "quiver/datasource/http_json/url.h"

namespace quiver::datasource::http_json {
namespace {

using json::JsonFormat;

JsonPointer ptr(const std::string& text) { return JsonPointer::Parse(text).ValueOrDie(); }

/// The outcome of scanning one body.
struct Scan {
  arrow::Status status;
  std::string ndjson;
  int64_t records = 0;
  std::vector<std::optional<CapturedValue>> captured;
};

/// Scans `body` cut at the positions in `cuts` (ascending).
Scan scan_cut(const std::string& body, const std::string& data_path,
              const std::vector<std::string>& captures, const std::vector<size_t>& cuts,
              JsonFormat format = JsonFormat::kAuto) {
  std::vector<EnvelopeScanner::Capture> list;
  for (const auto& c : captures) list.push_back({"capture", ptr(c)});
  EnvelopeScanner scanner(ptr(data_path), list, format);
  Scan out;
  size_t start = 0;
  std::vector<size_t> ends = cuts;
  ends.push_back(body.size());
  for (size_t end : ends) {
    out.status = scanner.feed(std::string_view(body).substr(start, end - start), &out.ndjson);
    if (!out.status.ok()) return out;
    start = end;
  }
  out.status = scanner.finish();
  out.records = scanner.records();
  for (size_t i = 0; i < captures.size(); ++i) out.captured.push_back(scanner.captured(i));
  return out;
}

Scan scan(const std::string& body, const std::string& data_path,
          const std::vector<std::string>& captures = {}, JsonFormat format = JsonFormat::kAuto) {
  return scan_cut(body, data_path, captures, {}, format);
}

/// Scans `body` cut once at every position and twice at every pair of positions, and checks each
/// gives `expected` (one cut at every byte, the bytes one by one, too).
void expect_same_at_every_cut(const std::string& body, const std::string& data_path,
                              const std::vector<std::string>& captures, const Scan& expected) {
  auto same = [&](const Scan& got, const std::string& where) {
    ASSERT_EQ(got.status.ToString(), expected.status.ToString()) << where;
    if (!expected.status.ok()) return;  // what an error leaves forwarded does not matter
    ASSERT_EQ(got.ndjson, expected.ndjson) << where;
    ASSERT_EQ(got.records, expected.records) << where;
    for (size_t i = 0; i < captures.size(); ++i) {
      ASSERT_EQ(got.captured[i].has_value(), expected.captured[i].has_value()) << where;
      if (got.captured[i]) ASSERT_EQ(got.captured[i]->text, expected.captured[i]->text) << where;
    }
  };
  for (size_t a = 0; a <= body.size(); ++a) {
    same(scan_cut(body, data_path, captures, {a}), "cut at " + std::to_string(a));
    for (size_t b = a; b <= body.size(); b += 3) {
      same(scan_cut(body, data_path, captures, {a, b}),
           "cuts at " + std::to_string(a) + "," + std::to_string(b));
    }
  }
  std::vector<size_t> every;
  for (size_t i = 1; i < body.size(); ++i) every.push_back(i);
  same(scan_cut(body, data_path, captures, every), "byte by byte");
}

TEST(JsonPointerTest, ParsesTokensAndEscapes) {
  auto p = ptr("/a~1b/c~0d/0/~01");
  ASSERT_EQ(p.size(), 4u);
  EXPECT_EQ(p.tokens()[0], "a/b");
  EXPECT_EQ(p.tokens()[1], "c~d");
  EXPECT_EQ(p.tokens()[2], "0");
  EXPECT_EQ(p.tokens()[3], "~1");  // "~01" is '~' then '1', not '/'
  EXPECT_EQ(p.index_at(2), 0);
  EXPECT_EQ(p.index_at(0), -1);
  EXPECT_EQ(ptr("").size(), 0u);
  EXPECT_EQ(ptr("/").tokens()[0], "");
  EXPECT_EQ(ptr("/01").index_at(0), -1);  // leading zero: a key, not an index
}

TEST(JsonPointerTest, RejectsMalformed) {
  auto no_slash = JsonPointer::Parse("data");
  ASSERT_FALSE(no_slash.ok());
  EXPECT_NE(no_slash.status().message().find("'data'"), std::string::npos);
  auto bad_tilde = JsonPointer::Parse("/a~2");
  ASSERT_FALSE(bad_tilde.ok());
  EXPECT_NE(bad_tilde.status().message().find("'~' at position 2"), std::string::npos);
  EXPECT_FALSE(JsonPointer::Parse("/a~").ok());
}

TEST(EnvelopeScannerTest, ForwardsRecordsAndCapturesBeforeAndAfter) {
  const std::string body =
      R"({"meta":{"next":"c2","count":3},"data":[{"id":1,"s":"a]}\"["},)"
      "\n  {\"id\":2,\"n\":{\"x\":[1,{}]}} ,{}],\"after\":\"z\\u00e9\\ud83d\\ude00\"}";
  auto got = scan(body, "/data", {"/meta/next", "/after", "/meta/count", "/missing"});
  ASSERT_TRUE(got.status.ok()) << got.status;
  EXPECT_EQ(got.ndjson, "{\"id\":1,\"s\":\"a]}\\\"[\"}\n{\"id\":2,\"n\":{\"x\":[1,{}]}}\n{}\n");
  EXPECT_EQ(got.records, 3);
  EXPECT_EQ(got.captured[0]->text, "c2");
  EXPECT_EQ(got.captured[1]->text, "z\xC3\xA9\xF0\x9F\x98\x80");
  EXPECT_EQ(got.captured[2]->kind, CapturedValue::Kind::kNumber);
  EXPECT_EQ(got.captured[2]->text, "3");
  EXPECT_FALSE(got.captured[3].has_value());
  expect_same_at_every_cut(body, "/data", {"/meta/next", "/after", "/meta/count", "/missing"}, got);
}

TEST(EnvelopeScannerTest, NestedPointerWithEscapesAndIndices) {
  // Keys "a/b" and "c~d" (the first written with an escaped solidus), then element 1 of "r".
  const std::string body =
      R"({"x":{"c~d":[]},"a\/b":{"c~d":{"r":[{"skip":[]},{"rows":[{"k":1},{"k":2}]}]},)"
      R"("cur":null,"c/d":{"rows":[{"wrong":1}]}},"t":true})";
  auto got = scan(body, "/a~1b/c~0d/r/1/rows", {"/a~1b/cur", "/t"});
  ASSERT_TRUE(got.status.ok()) << got.status;
  EXPECT_EQ(got.ndjson, "{\"k\":1}\n{\"k\":2}\n");
  EXPECT_EQ(got.captured[0]->kind, CapturedValue::Kind::kNull);
  EXPECT_TRUE(got.captured[0]->empty());
  EXPECT_EQ(got.captured[1]->kind, CapturedValue::Kind::kBool);
  EXPECT_EQ(got.captured[1]->text, "true");
  expect_same_at_every_cut(body, "/a~1b/c~0d/r/1/rows", {"/a~1b/cur", "/t"}, got);
}

TEST(EnvelopeScannerTest, WholeBodyArrayOrNdjson) {
  auto array = scan(" [ {\"a\":1} , {\"a\":[2]} ]\n", "");
  ASSERT_TRUE(array.status.ok()) << array.status;
  EXPECT_EQ(array.ndjson, "{\"a\":1}\n{\"a\":[2]}\n");
  auto ndjson = scan("{\"a\":1}\n{\"a\":\n2}{\"a\":3}\n", "");
  ASSERT_TRUE(ndjson.status.ok()) << ndjson.status;
  EXPECT_EQ(ndjson.ndjson, "{\"a\":1}\n{\"a\":\n2}\n{\"a\":3}\n");
  EXPECT_EQ(ndjson.records, 3);
  expect_same_at_every_cut("{\"a\":1}\n{\"a\":\n2}{\"a\":3}\n", "", {}, ndjson);
  EXPECT_TRUE(scan("", "").status.ok());  // an empty NDJSON page
  EXPECT_TRUE(scan("[]", "").status.ok());
  EXPECT_FALSE(scan("", "", {}, JsonFormat::kArray).status.ok());
  auto not_array = scan("{\"a\":1}", "", {}, JsonFormat::kArray);
  EXPECT_NE(not_array.status.message().find("holds an object, not an array"), std::string::npos)
      << not_array.status;
}

TEST(EnvelopeScannerTest, NullDataIsAnEmptyPageMissingIsAnError) {
  auto null_data = scan(R"({"data":null,"next":null})", "/data", {"/next"});
  ASSERT_TRUE(null_data.status.ok()) << null_data.status;
  EXPECT_EQ(null_data.records, 0);
  auto empty = scan(R"({"data":[]})", "/data");
  ASSERT_TRUE(empty.status.ok());
  EXPECT_EQ(empty.records, 0);
  auto missing = scan(R"({"items":[{"a":1}]})", "/data");
  EXPECT_EQ(missing.status.message().find("no data_path '/data' in the body"), 0u)
      << missing.status;
  auto wrong = scan(R"({"data":{"a":1}})", "/data");
  EXPECT_EQ(wrong.status.message(),
            "byte 8: data_path '/data' holds an object, not an array of records");
  auto scalar_element = scan(R"({"data":[{"a":1},2]})", "/data");
  EXPECT_EQ(scalar_element.status.message(),
            "byte 17: record 1 of data_path '/data' is a number, not an object");
  auto twice = scan(R"({"data":[],"data":[]})", "/data");
  EXPECT_NE(twice.status.message().find("occurs twice"), std::string::npos);
  auto container_capture = scan(R"({"data":[],"next":{"a":1}})", "/data", {"/next"});
  EXPECT_NE(container_capture.status.message().find("'/next' holds an object"), std::string::npos);
  auto empty_body = scan("  ", "/data");
  EXPECT_NE(empty_body.status.message().find("the body is empty"), std::string::npos);
}

TEST(EnvelopeScannerTest, MalformedJsonNamesTheByteOffset) {
  struct Case {
    std::string body;
    std::string message;
  };
  const std::vector<Case> cases = {
      {R"({"data":[{"a":1}],"x":tru})", "byte 25: malformed literal true, found '}'"},
      {R"({"data":[{"a":1}] "x":1})",
       "byte 18: expected ',' or '}' after an object member, found '\"'"},
      {R"({"data":[{"a" 1}]})", "byte 14: expected ':' after an object key, found '1'"},
      {R"({"data":[{"a":01}]})", "byte 15: expected ',' or '}' after an object member, found '1'"},
      {R"({"data":[{"a":1.}]})", "byte 16: malformed number, found '}'"},
      {R"({"data":[{"a":"\q"}]})", "byte 16: invalid escape '\\q' in a string"},
      {R"({"data":[{"a":1}]} x)",
       "byte 19: unexpected bytes after the body's JSON value, found 'x'"},
      {R"({"data":[{"a":1},{"b":)", "byte 22: the body ends inside record 1"},
      {R"({"data":[{"a":1}],"n":"ab)", "byte 25: the body ends inside a JSON value"},
      {"{\"data\":[{\"a\":\"x\ty\"}]}", "byte 16: control character byte 9 inside a string"},
      {R"({"data":[{"a":[1,]}]})", "byte 17: expected a JSON value, found ']'"},
  };
  for (const auto& c : cases) {
    auto got = scan(c.body, "/data");
    EXPECT_EQ(got.status.message(), c.message) << c.body;
    expect_same_at_every_cut(c.body, "/data", {}, got);
  }
}

TEST(UrlTest, ResolvesReferencesPerRfc3986) {
  // RFC 3986, section 5.4.1 (normal examples) and 5.4.2 (abnormal ones).
  const std::string base = "http://a/b/c/d;p?q";
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"g:h", "g:h"},
      {"g", "http://a/b/c/g"},
      {"./g", "http://a/b/c/g"},
      {"g/", "http://a/b/c/g/"},
      {"/g", "http://a/g"},
      {"//g", "http://g"},
      {"?y", "http://a/b/c/d;p?y"},
      {"g?y", "http://a/b/c/g?y"},
      {"#s", "http://a/b/c/d;p?q#s"},
      {"g#s", "http://a/b/c/g#s"},
      {";x", "http://a/b/c/;x"},
      {"", "http://a/b/c/d;p?q"},
      {".", "http://a/b/c/"},
      {"./", "http://a/b/c/"},
      {"..", "http://a/b/"},
      {"../", "http://a/b/"},
      {"../g", "http://a/b/g"},
      {"../..", "http://a/"},
      {"../../g", "http://a/g"},
      {"../../../g", "http://a/g"},
      {"/./g", "http://a/g"},
      {"/../g", "http://a/g"},
      {"g.", "http://a/b/c/g."},
      {"..g", "http://a/b/c/..g"},
      {"./../g", "http://a/b/g"},
      {"g/./h", "http://a/b/c/g/h"},
      {"g/../h", "http://a/b/c/h"},
  };
  for (const auto& [ref, want] : cases) EXPECT_EQ(resolve_url(base, ref), want) << ref;
  EXPECT_EQ(resolve_url("https://api.x.com", "items?page=2"), "https://api.x.com/items?page=2");
}

TEST(UrlTest, SetsQueryParameters) {
  EXPECT_EQ(set_query_param("http://h/p", "page", "2"), "http://h/p?page=2");
  EXPECT_EQ(set_query_param("http://h/p?a=1&page=1&b=2#f", "page", "3"),
            "http://h/p?a=1&page=3&b=2#f");
  EXPECT_EQ(set_query_param("http://h/p?page=1&page=9&x", "page", "2"), "http://h/p?page=2&x");
  EXPECT_EQ(set_query_param("http://h/p?a%5Bb%5D=1", "a[b]", "x y&z=/é"),
            "http://h/p?a%5Bb%5D=x%20y%26z%3D%2F%C3%A9");
  EXPECT_EQ(set_query_param("http://h/p?", "c", "a+b"), "http://h/p?c=a%2Bb");
}

TEST(LinkHeaderTest, FindsTheNextLink) {
  auto next = [](const std::string& header) {
    auto result = find_link(header, "next");
    EXPECT_TRUE(result.ok()) << result.status();
    return result.ok() ? result->value_or("<none>") : "<error>";
  };
  EXPECT_EQ(next(R"(<https://h/p?page=2>; rel="next", <https://h/p?page=9>; rel="last")"),
            "https://h/p?page=2");
  EXPECT_EQ(next(R"(<https://h/p?page=1>; rel="prev", <https://h/p?page=3>; rel=next)"),
            "https://h/p?page=3");
  // A quoted comma and semicolon do not split; rel lists several types; case-insensitive.
  EXPECT_EQ(next(R"(<https://h/a,b>; title="x, <y>; rel=next", <https://h/c>; REL="last NeXt")"),
            "https://h/c");
  EXPECT_EQ(next(R"(<https://h/a>; rel="nextpage", <https://h/b>;rel="prev")"), "<none>");
  EXPECT_EQ(next(R"(<https://h/a>; rel="prev"; rel="next")"), "<none>");  // first rel counts
  EXPECT_EQ(next(R"(, <p2>;rel=next ,)"), "p2");
  EXPECT_EQ(next(""), "<none>");
  EXPECT_FALSE(find_link("https://h/p; rel=next", "next").ok());
  EXPECT_FALSE(find_link(R"(<https://h/p>; title="open)", "next").ok());
}

}  // namespace
}  // namespace quiver::datasource::http_json
