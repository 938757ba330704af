#include "quiver/datasource/http_json/source_options_parser.h"

#include <algorithm>
#include <charconv>
#include <functional>
#include <map>
#include <set>

#include "quiver/common/error.h"
#include "quiver/sql/column_list.h"

namespace quiver::datasource::http_json {

namespace {

using Style = Pagination::Style;

constexpr std::string_view kHeaderPrefix = "headers.";

// The value of one option, checked against the type its key expects.
class ValueReader {
 public:
  explicit ValueReader(const SourceOption& option) : option_(option) {}

  arrow::Result<std::string> string() const {
    if (const auto* s = std::get_if<std::string>(&option_.value)) return *s;
    return wrong("a string");
  }
  arrow::Result<int64_t> integer(int64_t min) const {
    int64_t value = 0;
    if (const auto* i = std::get_if<int64_t>(&option_.value)) {
      value = *i;
    } else if (const auto* s = std::get_if<std::string>(&option_.value)) {
      const char* end = s->data() + s->size();
      auto [ptr, ec] = std::from_chars(s->data(), end, value);
      if (s->empty() || ec != std::errc() || ptr != end) return wrong("an integer");
    } else {
      return wrong("an integer");
    }
    if (value < min) {
      return arrow::Status::Invalid(label(), ": must be at least ", min, ", got ", value);
    }
    return value;
  }
  arrow::Result<bool> boolean() const {
    if (const auto* b = std::get_if<bool>(&option_.value)) return *b;
    if (const auto* s = std::get_if<std::string>(&option_.value)) {
      if (*s == "true") return true;
      if (*s == "false") return false;
    }
    return wrong("a boolean (true or false)");
  }
  // One of `names` (case-insensitive); returns its index.
  arrow::Result<size_t> choice(const std::vector<std::string>& names) const {
    auto text = std::get_if<std::string>(&option_.value);
    std::string lower = text == nullptr ? "" : *text;
    std::transform(lower.begin(), lower.end(), lower.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    for (size_t i = 0; i < names.size(); ++i) {
      if (text != nullptr && names[i] == lower) return i;
    }
    std::string expected = "one of ";
    for (size_t i = 0; i < names.size(); ++i) expected += (i > 0 ? ", " : "") + names[i];
    return wrong(expected);
  }

  // "option 'key' (line 3)".
  std::string label() const {
    std::string out = "option '" + option_.key + "'";
    if (!option_.where.empty()) out += " (" + option_.where + ")";
    return out;
  }

 private:
  arrow::Status wrong(const std::string& expected) const {
    return arrow::Status::Invalid(label(), ": expected ", expected, ", got ", describe());
  }
  std::string describe() const {
    if (const auto* s = std::get_if<std::string>(&option_.value)) return "'" + *s + "'";
    if (const auto* i = std::get_if<int64_t>(&option_.value))
      return "integer " + std::to_string(*i);
    if (const auto* d = std::get_if<double>(&option_.value)) return "float " + std::to_string(*d);
    return std::get<bool>(option_.value) ? "boolean true" : "boolean false";
  }

  const SourceOption& option_;
};

using Setter = std::function<arrow::Status(const ValueReader&, HttpJsonSourceOptions&)>;

// A key: how its value is applied, and the pagination styles it belongs to (empty = any).
struct KeySpec {
  Setter set;
  std::vector<Style> styles;
};

Setter set_string(std::string HttpJsonSourceOptions::*member) {
  return [member](const ValueReader& v, HttpJsonSourceOptions& o) -> arrow::Status {
    ARROW_ASSIGN_OR_RAISE(o.*member, v.string());
    return arrow::Status::OK();
  };
}

template <typename Get>
Setter set_string_at(Get get) {
  return [get](const ValueReader& v, HttpJsonSourceOptions& o) -> arrow::Status {
    ARROW_ASSIGN_OR_RAISE(get(o), v.string());
    return arrow::Status::OK();
  };
}

template <typename Get>
Setter set_integer_at(Get get, int64_t min) {
  return [get, min](const ValueReader& v, HttpJsonSourceOptions& o) -> arrow::Status {
    ARROW_ASSIGN_OR_RAISE(auto value, v.integer(min));
    get(o) = static_cast<std::remove_reference_t<decltype(get(o))>>(value);
    return arrow::Status::OK();
  };
}

const std::vector<std::string> kStyleNames = {"none",   "offset", "page",
                                              "cursor", "link",   "next_url"};
const std::vector<Style> kStyles = {Style::kNone,   Style::kOffset,     Style::kPageNumber,
                                    Style::kCursor, Style::kLinkHeader, Style::kNextUrl};

std::string style_name(Style style) {
  for (size_t i = 0; i < kStyles.size(); ++i) {
    if (kStyles[i] == style) return kStyleNames[i];
  }
  return "?";
}

const std::map<std::string, KeySpec>& key_specs() {
  using O = HttpJsonSourceOptions;
  static const std::map<std::string, KeySpec> specs = {
      {"url", {set_string(&O::url), {}}},
      {"data_path", {set_string(&O::data_path), {}}},
      {"format",
       {[](const ValueReader& v, O& o) -> arrow::Status {
          ARROW_ASSIGN_OR_RAISE(auto i, v.choice({"auto", "ndjson", "array"}));
          o.parse.format = std::vector<json::JsonFormat>{
              json::JsonFormat::kAuto, json::JsonFormat::kNdjson, json::JsonFormat::kArray}[i];
          return arrow::Status::OK();
        },
        {}}},
      {"auth",
       {[](const ValueReader& v, O& o) -> arrow::Status {
          ARROW_ASSIGN_OR_RAISE(auto i, v.choice({"none", "bearer", "basic"}));
          o.auth.kind = std::vector<HttpAuth::Kind>{HttpAuth::Kind::kNone, HttpAuth::Kind::kBearer,
                                                    HttpAuth::Kind::kBasic}[i];
          return arrow::Status::OK();
        },
        {}}},
      {"token", {set_string_at([](O& o) -> std::string& { return o.auth.token; }), {}}},
      {"user", {set_string_at([](O& o) -> std::string& { return o.auth.user; }), {}}},
      {"password", {set_string_at([](O& o) -> std::string& { return o.auth.password; }), {}}},
      {"pagination",
       {[](const ValueReader& v, O& o) -> arrow::Status {
          ARROW_ASSIGN_OR_RAISE(auto i, v.choice(kStyleNames));
          o.pagination.style = kStyles[i];
          return arrow::Status::OK();
        },
        {}}},
      {"page_size",
       {set_integer_at([](O& o) -> int64_t& { return o.pagination.page_size; }, 0),
        {Style::kOffset, Style::kPageNumber}}},
      {"max_pages",
       {set_integer_at([](O& o) -> int64_t& { return o.pagination.max_pages; }, 0), {}}},
      {"offset_param",
       {set_string_at([](O& o) -> std::string& { return o.pagination.offset_param; }),
        {Style::kOffset}}},
      {"limit_param",
       {set_string_at([](O& o) -> std::string& { return o.pagination.limit_param; }),
        {Style::kOffset}}},
      {"page_param",
       {set_string_at([](O& o) -> std::string& { return o.pagination.page_param; }),
        {Style::kPageNumber}}},
      {"size_param",
       {set_string_at([](O& o) -> std::string& { return o.pagination.size_param; }),
        {Style::kPageNumber}}},
      {"first_page",
       {set_integer_at([](O& o) -> int64_t& { return o.pagination.first_page; }, 0),
        {Style::kPageNumber}}},
      {"stop_on_short_page",
       {[](const ValueReader& v, O& o) -> arrow::Status {
          ARROW_ASSIGN_OR_RAISE(o.pagination.stop_on_short_page, v.boolean());
          return arrow::Status::OK();
        },
        {Style::kOffset, Style::kPageNumber}}},
      {"cursor_path",
       {set_string_at([](O& o) -> std::string& { return o.pagination.cursor_path; }),
        {Style::kCursor}}},
      {"cursor_param",
       {set_string_at([](O& o) -> std::string& { return o.pagination.cursor_param; }),
        {Style::kCursor}}},
      {"next_url_path",
       {set_string_at([](O& o) -> std::string& { return o.pagination.next_url_path; }),
        {Style::kNextUrl}}},
      {"total_path",
       {set_string_at([](O& o) -> std::string& { return o.pagination.total_path; }),
        {Style::kOffset, Style::kPageNumber}}},
      {"connect_timeout_ms",
       {set_integer_at([](O& o) -> int64_t& { return o.client.connect_timeout_ms; }, 1), {}}},
      {"stall_timeout_ms",
       {set_integer_at([](O& o) -> int64_t& { return o.client.stall_timeout_ms; }, 1), {}}},
      {"max_retries",
       {set_integer_at([](O& o) -> int& { return o.client.retry.max_retries; }, 0), {}}},
      {"initial_backoff_ms",
       {set_integer_at([](O& o) -> int64_t& { return o.client.retry.initial_backoff_ms; }, 0), {}}},
      {"max_backoff_ms",
       {set_integer_at([](O& o) -> int64_t& { return o.client.retry.max_backoff_ms; }, 0), {}}},
      {"max_retry_after_ms",
       {set_integer_at([](O& o) -> int64_t& { return o.client.retry.max_retry_after_ms; }, 0), {}}},
      {"columns",
       {[](const ValueReader& v, O& o) -> arrow::Status {
          ARROW_ASSIGN_OR_RAISE(auto text, v.string());
          auto columns = sql::split_column_list(text);
          if (!columns.ok()) {
            return arrow::Status::Invalid(v.label(), ": ", columns.status().message());
          }
          o.columns = std::move(*columns);
          return arrow::Status::OK();
        },
        {}}},
      {"drift",
       {[](const ValueReader& v, O& o) -> arrow::Status {
          ARROW_ASSIGN_OR_RAISE(auto i, v.choice({"error", "widen", "raw"}));
          o.parse.drift = std::vector<json::DriftPolicy>{
              json::DriftPolicy::kError, json::DriftPolicy::kWiden, json::DriftPolicy::kRaw}[i];
          return arrow::Status::OK();
        },
        {}}},
      {"raw_column", {set_string_at([](O& o) -> std::string& { return o.parse.raw_column; }), {}}},
      {"infer_sample", {set_integer_at([](O& o) -> int64_t& { return o.infer_sample; }, 1), {}}},
      {"batch_size", {set_integer_at([](O& o) -> int64_t& { return o.stream.batch_size; }, 1), {}}},
      {"max_buffered_items",
       {set_integer_at([](O& o) -> int64_t& { return o.stream.max_buffered_items; }, 1), {}}},
  };
  return specs;
}

std::string styles_text(const std::vector<Style>& styles) {
  std::string out;
  for (size_t i = 0; i < styles.size(); ++i) {
    out += (i == 0                   ? ""
            : i + 1 == styles.size() ? " or "
                                     : ", ") +
           ("'" + style_name(styles[i]) + "'");
  }
  return out;
}

// Checks the combinations no single key can: required keys, auth, pagination parameters.
arrow::Status check_combinations(const std::map<std::string, const SourceOption*>& given,
                                 HttpJsonSourceOptions& o) {
  const auto has = [&](const std::string& key) { return given.count(key) > 0; };
  if (!has("url") || o.url.empty()) {
    return arrow::Status::Invalid("option 'url' is required");
  }
  if (o.url.rfind("http://", 0) != 0 && o.url.rfind("https://", 0) != 0 &&
      o.url.rfind("${", 0) != 0) {
    return arrow::Status::Invalid(ValueReader(*given.at("url")).label(),
                                  ": expected an http:// or https:// URL, got '", o.url, "'");
  }
  // Auth: implied by the credentials when `auth` is not given.
  if (!has("auth")) {
    if (has("token")) o.auth.kind = HttpAuth::Kind::kBearer;
    if (has("user") || has("password")) o.auth.kind = HttpAuth::Kind::kBasic;
  }
  const bool bearer = o.auth.kind == HttpAuth::Kind::kBearer;
  const bool basic = o.auth.kind == HttpAuth::Kind::kBasic;
  if (has("token") && !bearer) {
    return arrow::Status::Invalid(ValueReader(*given.at("token")).label(),
                                  ": applies to auth 'bearer' only");
  }
  for (const char* key : {"user", "password"}) {
    if (has(key) && !basic) {
      return arrow::Status::Invalid(ValueReader(*given.at(key)).label(),
                                    ": applies to auth 'basic' only");
    }
  }
  if (bearer && o.auth.token.empty()) {
    return arrow::Status::Invalid("auth 'bearer' needs option 'token'");
  }
  if (basic && o.auth.user.empty()) {
    return arrow::Status::Invalid("auth 'basic' needs option 'user' (and 'password')");
  }
  // Pagination parameters belong to their style.
  const Style style = o.pagination.style;
  for (const auto& [key, option] : given) {
    auto spec = key_specs().find(key);
    if (spec == key_specs().end() || spec->second.styles.empty()) continue;
    const auto& styles = spec->second.styles;
    if (std::find(styles.begin(), styles.end(), style) == styles.end()) {
      return arrow::Status::Invalid(ValueReader(*option).label(), ": applies to pagination ",
                                    styles_text(styles), ", not '", style_name(style), "'");
    }
  }
  if (style == Style::kCursor && o.pagination.cursor_path.empty()) {
    return arrow::Status::Invalid("pagination 'cursor' needs option 'cursor_path'");
  }
  if (style == Style::kNextUrl && o.pagination.next_url_path.empty()) {
    return arrow::Status::Invalid("pagination 'next_url' needs option 'next_url_path'");
  }
  if (style == Style::kOffset && o.pagination.page_size < 1) {
    return arrow::Status::Invalid("pagination 'offset' needs a page_size of at least 1");
  }
  if (has("raw_column") && o.parse.drift != json::DriftPolicy::kRaw) {
    return arrow::Status::Invalid(ValueReader(*given.at("raw_column")).label(),
                                  ": applies to drift 'raw' only");
  }
  return arrow::Status::OK();
}

}  // namespace

std::vector<std::string> http_json_option_keys() {
  std::vector<std::string> keys;
  for (const auto& [key, spec] : key_specs()) keys.push_back(key);
  keys.push_back("headers.*");
  std::sort(keys.begin(), keys.end());
  return keys;
}

arrow::Result<HttpJsonSourceOptions> parse_http_json_options(
    const std::vector<SourceOption>& options) {
  HttpJsonSourceOptions out;
  std::map<std::string, const SourceOption*> given;
  std::set<std::string> header_names;
  for (const auto& option : options) {
    const ValueReader value(option);
    if (given.count(option.key) > 0) {
      return arrow::Status::Invalid(value.label(), " is given more than once");
    }
    given.emplace(option.key, &option);
    if (option.key.rfind(kHeaderPrefix, 0) == 0) {
      std::string name = option.key.substr(kHeaderPrefix.size());
      if (name.empty()) return arrow::Status::Invalid(value.label(), ": the header name is empty");
      std::string lower = name;
      std::transform(lower.begin(), lower.end(), lower.begin(),
                     [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
      if (!header_names.insert(lower).second) {
        return arrow::Status::Invalid(value.label(), ": header '", name,
                                      "' is given more than once");
      }
      ARROW_ASSIGN_OR_RAISE(auto text, value.string());
      out.headers.emplace_back(std::move(name), std::move(text));
      continue;
    }
    auto spec = key_specs().find(option.key);
    if (spec == key_specs().end()) {
      std::string valid;
      for (const auto& key : http_json_option_keys()) valid += (valid.empty() ? "" : ", ") + key;
      return arrow::Status::Invalid("unknown option '", option.key, "'",
                                    common::did_you_mean(option.key, http_json_option_keys()),
                                    "; valid options: ", valid);
    }
    ARROW_RETURN_NOT_OK(spec->second.set(value, out));
  }
  ARROW_RETURN_NOT_OK(check_combinations(given, out));
  return out;
}

}  // namespace quiver::datasource::http_json
