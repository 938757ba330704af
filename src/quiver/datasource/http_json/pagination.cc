#include "quiver/datasource/http_json/pagination.h"

#include <charconv>

#include "quiver/datasource/http_json/link_header.h"
#include "quiver/datasource/http_json/url.h"

namespace quiver::datasource::http_json {

namespace {

using Style = Pagination::Style;

/// Parses a captured total (a number, or a string holding one); nullopt when it is neither.
std::optional<int64_t> as_count(const CapturedValue& value) {
  if (value.kind != CapturedValue::Kind::kNumber && value.kind != CapturedValue::Kind::kString) {
    return std::nullopt;
  }
  int64_t out = 0;
  const char* end = value.text.data() + value.text.size();
  auto [ptr, ec] = std::from_chars(value.text.data(), end, out);
  if (ec != std::errc() || ptr != end) return std::nullopt;
  return out;
}

}  // namespace

arrow::Result<Paginator> Paginator::Make(const Pagination& pagination, std::string first_url) {
  Paginator out;
  out.p_ = pagination;
  auto add_capture = [&](const char* name, const std::string& path, int* index) -> arrow::Status {
    if (path.empty()) return arrow::Status::Invalid("pagination needs ", name);
    ARROW_ASSIGN_OR_RAISE(auto pointer, JsonPointer::Parse(path));
    *index = static_cast<int>(out.captures_.size());
    out.captures_.push_back({name, std::move(pointer)});
    return arrow::Status::OK();
  };
  if (pagination.page_size < 0) return arrow::Status::Invalid("page_size must be >= 0");
  if (pagination.max_pages < 0) return arrow::Status::Invalid("max_pages must be >= 0");
  switch (pagination.style) {
    case Style::kCursor:
      ARROW_RETURN_NOT_OK(add_capture("cursor_path", pagination.cursor_path, &out.cursor_capture_));
      if (pagination.cursor_param.empty()) return arrow::Status::Invalid("cursor_param is empty");
      break;
    case Style::kNextUrl:
      ARROW_RETURN_NOT_OK(
          add_capture("next_url_path", pagination.next_url_path, &out.next_url_capture_));
      break;
    case Style::kOffset:
      if (pagination.offset_param.empty()) return arrow::Status::Invalid("offset_param is empty");
      break;
    case Style::kPageNumber:
      if (pagination.page_param.empty()) return arrow::Status::Invalid("page_param is empty");
      break;
    default:
      break;
  }
  const bool counted = pagination.style == Style::kOffset || pagination.style == Style::kPageNumber;
  if (counted && !pagination.total_path.empty()) {
    ARROW_RETURN_NOT_OK(add_capture("total_path", pagination.total_path, &out.total_capture_));
  }
  out.base_url_ = std::move(first_url);
  out.first_url_ = out.page_url(0, 0);
  out.current_url_ = out.first_url_;
  return out;
}

std::string Paginator::page_url(int64_t page_index, int64_t offset) const {
  std::string url = base_url_;
  if (p_.style == Style::kOffset) {
    url = set_query_param(url, p_.offset_param, std::to_string(offset));
    if (p_.page_size > 0 && !p_.limit_param.empty()) {
      url = set_query_param(url, p_.limit_param, std::to_string(p_.page_size));
    }
  } else if (p_.style == Style::kPageNumber) {
    url = set_query_param(url, p_.page_param, std::to_string(p_.first_page + page_index));
    if (p_.page_size > 0 && !p_.size_param.empty()) {
      url = set_query_param(url, p_.size_param, std::to_string(p_.page_size));
    }
  }
  return url;
}

std::optional<std::string> Paginator::captured_text(const PageOutcome& page, int index) const {
  const auto& value = page.scanner->captured(static_cast<size_t>(index));
  if (!value.has_value() || value->empty()) return std::nullopt;
  return value->text;
}

arrow::Result<std::optional<std::string>> Paginator::style_next(const PageOutcome& page) {
  switch (p_.style) {
    case Style::kNone:
      return std::nullopt;
    case Style::kOffset:
    case Style::kPageNumber: {
      if (p_.page_size > 0 && p_.stop_on_short_page && page.records < p_.page_size) {
        return std::nullopt;
      }
      if (total_capture_ >= 0) {
        const auto& total = page.scanner->captured(static_cast<size_t>(total_capture_));
        if (total.has_value() && !total->empty()) {
          const auto count = as_count(*total);
          if (!count.has_value()) {
            return arrow::Status::Invalid("total_path '", p_.total_path, "' holds '", total->text,
                                          "', not a count");
          }
          if (records_ >= *count) return std::nullopt;
        }
      }
      return page_url(pages_, records_);
    }
    case Style::kCursor: {
      auto cursor = captured_text(page, cursor_capture_);
      if (!cursor.has_value()) return std::nullopt;
      return set_query_param(base_url_, p_.cursor_param, *cursor);
    }
    case Style::kNextUrl: {
      auto next = captured_text(page, next_url_capture_);
      if (!next.has_value()) return std::nullopt;
      return resolve_url(page.url, *next);
    }
    case Style::kLinkHeader: {
      if (!page.link_header.has_value()) return std::nullopt;
      ARROW_ASSIGN_OR_RAISE(auto next, find_link(*page.link_header, "next"));
      if (!next.has_value()) return std::nullopt;
      return resolve_url(page.url, *next);
    }
  }
  return std::nullopt;
}

arrow::Result<std::optional<std::string>> Paginator::next(const PageOutcome& page) {
  ++pages_;
  records_ += page.records;
  if (page.records == 0) return std::nullopt;
  ARROW_ASSIGN_OR_RAISE(auto next, style_next(page));
  if (!next.has_value()) return std::nullopt;
  if (*next == current_url_ || *next == page.url) {
    return arrow::Status::Invalid("the next page's URL is the page's own (", *next,
                                  "): the pagination would loop");
  }
  if (p_.max_pages > 0 && pages_ >= p_.max_pages) {
    capped_ = true;
    return std::nullopt;
  }
  current_url_ = *next;
  return next;
}

}  // namespace quiver::datasource::http_json
