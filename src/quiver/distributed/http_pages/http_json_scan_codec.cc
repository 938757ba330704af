#include "quiver/distributed/http_pages/http_json_scan_codec.h"

#include <cstring>
#include <typeinfo>

#include "quiver/distributed/codec/ipc_values.h"
#include "quiver/distributed/http_pages/http_json_scan_exec.h"

namespace quiver::distributed::http_pages {

namespace hj = datasource::http_json;

namespace {

class Writer {
 public:
  void i64(int64_t v) {
    const auto u = static_cast<uint64_t>(v);
    for (int i = 0; i < 8; ++i) out.push_back(static_cast<char>((u >> (8 * i)) & 0xff));
  }
  void f64(double v) {
    int64_t bits = 0;
    std::memcpy(&bits, &v, sizeof(bits));
    i64(bits);
  }
  void str(const std::string& s) {
    i64(static_cast<int64_t>(s.size()));
    out += s;
  }
  std::string out;
};

class Reader {
 public:
  explicit Reader(std::string_view in) : in_(in) {}
  arrow::Result<int64_t> i64() {
    if (in_.size() < 8) return truncated();
    uint64_t v = 0;
    for (int i = 0; i < 8; ++i) v |= static_cast<uint64_t>(static_cast<uint8_t>(in_[i])) << (8 * i);
    in_.remove_prefix(8);
    return static_cast<int64_t>(v);
  }
  arrow::Result<double> f64() {
    ARROW_ASSIGN_OR_RAISE(auto bits, i64());
    double v = 0;
    std::memcpy(&v, &bits, sizeof(v));
    return v;
  }
  arrow::Result<std::string> str() {
    ARROW_ASSIGN_OR_RAISE(auto size, i64());
    if (size < 0 || static_cast<uint64_t>(size) > in_.size()) return truncated();
    std::string out(in_.substr(0, static_cast<size_t>(size)));
    in_.remove_prefix(static_cast<size_t>(size));
    return out;
  }
  std::string_view rest() const { return in_; }

 private:
  static arrow::Status truncated() {
    return arrow::Status::Invalid("HttpJsonScanExec codec: truncated input");
  }
  std::string_view in_;
};

void write_options(Writer& w, const hj::HttpJsonSourceOptions& o) {
  w.str(o.url);
  w.i64(static_cast<int64_t>(o.headers.size()));
  for (const auto& [name, value] : o.headers) {
    w.str(name);
    w.str(value);
  }
  w.i64(static_cast<int64_t>(o.auth.kind));
  w.str(o.auth.token);
  w.str(o.auth.user);
  w.str(o.auth.password);
  w.str(o.data_path);
  w.i64(static_cast<int64_t>(o.pagination.style));
  const auto& c = o.client;
  w.i64(c.connect_timeout_ms);
  w.i64(c.stall_timeout_ms);
  w.i64(c.retry.max_retries);
  w.i64(c.retry.initial_backoff_ms);
  w.f64(c.retry.multiplier);
  w.i64(c.retry.max_backoff_ms);
  w.i64(c.retry.max_retry_after_ms);
  w.i64(c.max_buffered_bytes);
  w.str(c.user_agent);
  w.i64(static_cast<int64_t>(o.parse.format));
  w.i64(static_cast<int64_t>(o.parse.drift));
  w.str(o.parse.raw_column);
  w.i64(o.stream.batch_size);
  w.i64(o.stream.max_buffered_items);
}

arrow::Result<hj::HttpJsonSourceOptions> read_options(Reader& r) {
  hj::HttpJsonSourceOptions o;
  ARROW_ASSIGN_OR_RAISE(o.url, r.str());
  ARROW_ASSIGN_OR_RAISE(auto headers, r.i64());
  for (int64_t i = 0; i < headers; ++i) {
    ARROW_ASSIGN_OR_RAISE(auto name, r.str());
    ARROW_ASSIGN_OR_RAISE(auto value, r.str());
    o.headers.emplace_back(std::move(name), std::move(value));
  }
  ARROW_ASSIGN_OR_RAISE(auto kind, r.i64());
  o.auth.kind = static_cast<hj::HttpAuth::Kind>(kind);
  ARROW_ASSIGN_OR_RAISE(o.auth.token, r.str());
  ARROW_ASSIGN_OR_RAISE(o.auth.user, r.str());
  ARROW_ASSIGN_OR_RAISE(o.auth.password, r.str());
  ARROW_ASSIGN_OR_RAISE(o.data_path, r.str());
  ARROW_ASSIGN_OR_RAISE(auto style, r.i64());
  o.pagination.style = static_cast<hj::Pagination::Style>(style);
  auto& c = o.client;
  ARROW_ASSIGN_OR_RAISE(c.connect_timeout_ms, r.i64());
  ARROW_ASSIGN_OR_RAISE(c.stall_timeout_ms, r.i64());
  ARROW_ASSIGN_OR_RAISE(auto retries, r.i64());
  c.retry.max_retries = static_cast<int>(retries);
  ARROW_ASSIGN_OR_RAISE(c.retry.initial_backoff_ms, r.i64());
  ARROW_ASSIGN_OR_RAISE(c.retry.multiplier, r.f64());
  ARROW_ASSIGN_OR_RAISE(c.retry.max_backoff_ms, r.i64());
  ARROW_ASSIGN_OR_RAISE(c.retry.max_retry_after_ms, r.i64());
  ARROW_ASSIGN_OR_RAISE(c.max_buffered_bytes, r.i64());
  ARROW_ASSIGN_OR_RAISE(c.user_agent, r.str());
  ARROW_ASSIGN_OR_RAISE(auto format, r.i64());
  o.parse.format = static_cast<datasource::json::JsonFormat>(format);
  ARROW_ASSIGN_OR_RAISE(auto drift, r.i64());
  o.parse.drift = static_cast<datasource::json::DriftPolicy>(drift);
  ARROW_ASSIGN_OR_RAISE(o.parse.raw_column, r.str());
  ARROW_ASSIGN_OR_RAISE(o.stream.batch_size, r.i64());
  ARROW_ASSIGN_OR_RAISE(o.stream.max_buffered_items, r.i64());
  return o;
}

}  // namespace

arrow::Result<std::optional<codec::EncodedExtension>> HttpJsonScanCodec::try_encode(
    const physical::ExecutionPlan& node) const {
  if (typeid(node) != typeid(HttpJsonScanExec)) return std::nullopt;
  const auto& scan = static_cast<const HttpJsonScanExec&>(node);
  Writer w;
  write_options(w, scan.options());
  ARROW_ASSIGN_OR_RAISE(auto schema, codec::encode_schema(*scan.declared_schema()));
  w.str(schema);
  w.i64(static_cast<int64_t>(scan.projection().size()));
  for (int column : scan.projection()) w.i64(column);
  w.i64(scan.output_partitions());
  w.str(scan.display_url());
  w.out += scan.feed().to_proto();  // the handle only: the provider stays on the coordinator
  return codec::EncodedExtension{kName, std::move(w.out)};
}

arrow::Result<physical::ExecutionPlanPtr> HttpJsonScanCodec::try_decode(
    const std::string& name, std::string_view bytes,
    std::vector<physical::ExecutionPlanPtr> children) const {
  if (name != kName) return physical::ExecutionPlanPtr();
  if (!children.empty())
    return arrow::Status::Invalid("HttpJsonScanExec codec: a leaf has no input");
  Reader r(bytes);
  ARROW_ASSIGN_OR_RAISE(auto options, read_options(r));
  ARROW_ASSIGN_OR_RAISE(auto schema_bytes, r.str());
  ARROW_ASSIGN_OR_RAISE(auto schema, codec::decode_schema(schema_bytes));
  ARROW_ASSIGN_OR_RAISE(auto columns, r.i64());
  std::vector<int> projection;
  for (int64_t i = 0; i < columns; ++i) {
    ARROW_ASSIGN_OR_RAISE(auto column, r.i64());
    projection.push_back(static_cast<int>(column));
  }
  ARROW_ASSIGN_OR_RAISE(auto partitions, r.i64());
  ARROW_ASSIGN_OR_RAISE(auto display_url, r.str());
  ARROW_ASSIGN_OR_RAISE(auto feed, HttpPageFeed::from_proto(r.rest()));
  ARROW_ASSIGN_OR_RAISE(auto node, HttpJsonScanExec::Make(
                                       std::move(options), std::move(schema), std::move(projection),
                                       static_cast<int>(partitions), std::move(feed),
                                       std::move(display_url), fetchers_ ? fetchers_() : nullptr));
  return physical::ExecutionPlanPtr(std::move(node));
}

std::optional<TaskEstimation> HttpJsonScanTaskEstimator::task_estimation(
    const physical::ExecutionPlan& leaf, const common::ConfigOptions&) const {
  if (dynamic_cast<const HttpJsonScanExec*>(&leaf) == nullptr) return std::nullopt;
  return TaskEstimation::desired(1 << 16);  // the planner caps it at the worker count
}

arrow::Result<physical::ExecutionPlanPtr> HttpJsonScanTaskEstimator::scale_up_leaf_node(
    const physical::ExecutionPlanPtr& leaf, int, const common::ConfigOptions&) const {
  if (dynamic_cast<const HttpJsonScanExec*>(leaf.get()) == nullptr) return nullptr;
  return leaf;
}

}  // namespace quiver::distributed::http_pages
