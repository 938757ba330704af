#include "quiver/datasource/http_json/http_stream_opener.h"

#include "quiver/datasource/http_json/http_record_stream.h"

namespace quiver::datasource::http_json {

HttpRecordStreamOpener default_record_stream_opener() {
  return [](const HttpJsonSourceOptions& options)
             -> arrow::Result<std::unique_ptr<json::ByteChunkStream>> {
    // One fetcher per stream: each source has its own client options (timeouts, retries).
    ARROW_ASSIGN_OR_RAISE(auto fetcher, make_curl_fetcher(options.client));
    return open_http_record_stream(options, std::move(fetcher));
  };
}

}  // namespace quiver::datasource::http_json
