#pragma once

#include <arrow/result.h>

#include <optional>
#include <string>
#include <string_view>

namespace quiver::datasource::http_json {

/// Finds the target of the first link whose `rel` holds the relation type `relation` (compared
/// case-insensitively; `rel` may list several types separated by spaces) in a `Link` header value
/// (RFC 8288: `<uri>; rel="next"; title="a, b", <uri2>; rel=last`). Commas and semicolons inside
/// quoted strings and inside `<...>` do not split. The target is returned as written (a URI
/// reference: resolve it against the page's URL). nullopt when no link has the relation; an
/// error naming the position when the value is malformed.
arrow::Result<std::optional<std::string>> find_link(std::string_view header,
                                                    std::string_view relation);

}  // namespace quiver::datasource::http_json
