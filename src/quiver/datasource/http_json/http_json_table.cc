#include "quiver/datasource/http_json/http_json_table.h"

#include <algorithm>
#include <cctype>

#include "quiver/datasource/http_json/distributed_scan_hook.h"
#include "quiver/datasource/http_json/header_template.h"
#include "quiver/datasource/json_stream/json_batch_builder.h"
#include "quiver/datasource/json_stream_exec.h"
#include "quiver/exec/projection/projection_exec.h"
#include "quiver/physical/expr/column_expr.h"
#include "quiver/sql/column_list.h"

namespace quiver::datasource::http_json {

namespace {

bool secret_parameter(std::string name) {
  std::transform(name.begin(), name.end(), name.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  for (const char* word : {"key", "token", "secret", "pass", "auth", "sig", "session", "cred"}) {
    if (name.find(word) != std::string::npos) return true;
  }
  return false;
}

// Masks the values of secret-looking parameters in "a=1&api_key=x#frag".
std::string redact_query(std::string_view query) {
  std::string out;
  size_t pos = 0;
  while (pos <= query.size()) {
    size_t end = query.find_first_of("&#", pos);
    if (end == std::string_view::npos) end = query.size();
    const std::string_view pair = query.substr(pos, end - pos);
    const size_t eq = pair.find('=');
    if (eq != std::string_view::npos && secret_parameter(std::string(pair.substr(0, eq)))) {
      out += std::string(pair.substr(0, eq)) + "=***";
    } else {
      out += pair;
    }
    if (end == query.size()) break;
    if (query[end] == '#') {
      out += query.substr(end);
      break;
    }
    out += '&';
    pos = end + 1;
  }
  return out;
}

// Expands `${ENV}` in the URL, the header values and the credentials.
arrow::Status expand_environment(HttpJsonSourceOptions* o) {
  const EnvLookup env = process_env();
  ARROW_ASSIGN_OR_RAISE(o->url, expand_env(o->url, env, "url"));
  ARROW_ASSIGN_OR_RAISE(o->headers, expand_header_values(o->headers, env));
  ARROW_ASSIGN_OR_RAISE(o->auth.token, expand_env(o->auth.token, env, "token"));
  ARROW_ASSIGN_OR_RAISE(o->auth.user, expand_env(o->auth.user, env, "user"));
  ARROW_ASSIGN_OR_RAISE(o->auth.password, expand_env(o->auth.password, env, "password"));
  return arrow::Status::OK();
}

}  // namespace

std::string redact_url(std::string_view url) {
  std::string out;
  size_t authority = 0;
  const size_t scheme_end = url.find("://");
  if (scheme_end != std::string_view::npos) authority = scheme_end + 3;
  const size_t authority_end = std::min(url.find_first_of("/?#", authority), url.size());
  const size_t at = url.substr(0, authority_end).rfind('@');
  out += url.substr(0, authority);
  out += url.substr(
      at != std::string_view::npos && at >= authority ? at + 1 : authority,
      authority_end - (at != std::string_view::npos && at >= authority ? at + 1 : authority));
  const size_t query = url.find('?', authority_end);
  const size_t fragment = url.find('#', authority_end);
  if (query == std::string_view::npos || (fragment != std::string_view::npos && fragment < query)) {
    out += url.substr(authority_end);
    return out;
  }
  out += url.substr(authority_end, query + 1 - authority_end);
  out += redact_query(url.substr(query + 1));
  return out;
}

arrow::Result<std::shared_ptr<HttpJsonTable>> HttpJsonTable::Make(HttpJsonSourceOptions options,
                                                                  HttpRecordStreamOpener opener) {
  if (opener == nullptr) return arrow::Status::Invalid("HttpJsonTable: no stream opener");
  std::shared_ptr<HttpJsonTable> table(new HttpJsonTable());
  // The display shows the URL as written (`${ENV}` unexpanded), without credentials.
  table->display_url_ = redact_url(options.url);
  if (auto status = expand_environment(&options); !status.ok()) {
    return status.WithMessage(table->display_url_, ": ", status.message());
  }
  table->options_ = std::move(options);
  table->opener_ = std::move(opener);
  const auto& o = table->options_;
  // The record stream is NDJSON whatever the pages' layout (`format` is about the bodies).
  table->parse_ = o.parse;
  table->parse_.format = json::JsonFormat::kNdjson;
  if (!o.columns.empty()) {
    auto declared = sql::parse_column_list(sql::join_column_list(o.columns));
    if (!declared.ok()) {
      return arrow::Status::Invalid(table->display_url_,
                                    ": columns: ", declared.status().message());
    }
    table->records_ = std::move(*declared);
  } else {
    auto opener_copy = table->opener_;
    const ByteChunkStreamFactory factory = [opener_copy, &o](int) { return opener_copy(o); };
    auto inferred = JsonStreamExec::infer_schema(factory, table->parse_, o.infer_sample);
    if (!inferred.ok()) {
      return inferred.status().WithMessage("inferring the schema of ", table->display_url_, ": ",
                                           inferred.status().message());
    }
    if ((*inferred)->num_fields() == 0) {
      return arrow::Status::Invalid("inferring the schema of ", table->display_url_,
                                    ": no records in the sample; declare the columns");
    }
    table->records_ = std::move(*inferred);
  }
  auto builder = json::JsonBatchBuilder::Make(table->records_, {}, table->parse_);
  if (!builder.ok()) {
    return builder.status().WithMessage(table->display_url_, ": ", builder.status().message());
  }
  table->schema_ = (*builder)->output_schema();
  return table;
}

arrow::Result<physical::ExecutionPlanPtr> HttpJsonTable::scan(const catalog::ScanArgs& args) const {
  // The parser's projection: indices into the records' fields (the raw column always comes).
  std::vector<int> parsed;
  const int records = records_->num_fields();
  if (args.projection.has_value() && options_.parse.drift != json::DriftPolicy::kRaw) {
    for (int i : *args.projection) {
      if (i < records) parsed.push_back(i);
    }
  }
  physical::ExecutionPlanPtr leaf;
  // A distributed session may scan the pages in parallel on its workers (http_pages).
  if (auto maker = distributed_http_scan_maker(); maker && args.options != nullptr) {
    ARROW_ASSIGN_OR_RAISE(leaf, maker(options_, records_, parsed, display_url_, *args.options));
  }
  if (leaf == nullptr) {
    auto opener = opener_;
    auto options = std::make_shared<const HttpJsonSourceOptions>(options_);
    ByteChunkStreamFactory factory = [opener, options](int) { return opener(*options); };
    ARROW_ASSIGN_OR_RAISE(leaf, JsonStreamExec::Make(records_, std::move(factory), /*partitions=*/1,
                                                     std::move(parsed), options_.parse,
                                                     options_.stream, display_url_));
  }
  if (!args.projection.has_value()) return leaf;
  // Select the wanted columns by name when the leaf's output differs.
  const auto& produced = leaf->schema();
  std::vector<exec::ProjectionExpr> exprs;
  bool same = produced->num_fields() == static_cast<int>(args.projection->size());
  for (size_t k = 0; k < args.projection->size(); ++k) {
    const std::string& name = schema_->field((*args.projection)[k])->name();
    const int index = produced->GetFieldIndex(name);
    if (index < 0) {
      return arrow::Status::UnknownError("HttpJsonTable: column '", name, "' not produced");
    }
    same = same && index == static_cast<int>(k);
    exprs.push_back({physical::make_column(name, index), name});
  }
  if (same) return leaf;
  ARROW_ASSIGN_OR_RAISE(auto projection, exec::ProjectionExec::Make(std::move(exprs), leaf));
  return projection;
}

}  // namespace quiver::datasource::http_json
