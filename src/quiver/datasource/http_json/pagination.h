#pragma once

#include <arrow/result.h>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "quiver/datasource/http_json/envelope_scanner.h"
#include "quiver/datasource/http_json/http_json_options.h"

namespace quiver::datasource::http_json {

/// What a read page tells the paginator.
struct PageOutcome {
  /// The URL that answered (after redirects): relative next links resolve against it.
  std::string url;
  /// Records in the page.
  int64_t records = 0;
  /// The `Link` header, when present.
  std::optional<std::string> link_header;
  /// The scanner that read the body (its captures, in the order of Paginator::captures()).
  const EnvelopeScanner* scanner = nullptr;
};

/// Decides the URL of each page from the options and what the previous pages held, and when to
/// stop (see Pagination for the styles and stop rules).
class Paginator {
 public:
  /// Checks `pagination` (the pointers it needs, non-negative sizes) against `first_url`.
  static arrow::Result<Paginator> Make(const Pagination& pagination, std::string first_url);

  /// Returns the first page's URL (pagination parameters set).
  const std::string& first_url() const { return first_url_; }
  /// Returns the values the page scanner must capture.
  const std::vector<EnvelopeScanner::Capture>& captures() const { return captures_; }
  /// Returns the next page's URL after the page just read (the pages() + 1-th), or nullopt when
  /// the stream ends there. An error for a malformed Link header or a next page equal to the
  /// current one.
  arrow::Result<std::optional<std::string>> next(const PageOutcome& page);

  /// Returns the pages read so far.
  int64_t pages() const { return pages_; }
  /// True when `max_pages` ended the stream while the API had more pages.
  bool capped() const { return capped_; }

 private:
  Paginator() = default;
  std::string page_url(int64_t page_index, int64_t offset) const;
  std::optional<std::string> captured_text(const PageOutcome& page, int index) const;
  arrow::Result<std::optional<std::string>> style_next(const PageOutcome& page);

  Pagination p_;
  std::string base_url_;
  std::string first_url_;
  std::string current_url_;
  std::vector<EnvelopeScanner::Capture> captures_;
  int cursor_capture_ = -1;
  int next_url_capture_ = -1;
  int total_capture_ = -1;
  int64_t pages_ = 0;
  int64_t records_ = 0;
  bool capped_ = false;
};

}  // namespace quiver::datasource::http_json
