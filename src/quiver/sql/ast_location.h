#pragma once

namespace pg_query {
class Node;
}

namespace quiver::sql {

/// Returns the 0-based byte offset of a pg_query AST node in the SQL text, or -1 when the node
/// kind carries no location.
int node_location(const pg_query::Node& node);

}  // namespace quiver::sql
