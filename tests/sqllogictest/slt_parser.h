// Parses sqllogictest (.slt) files in the dialect used by Apache DataFusion's test suite.
#pragma once

#include <arrow/result.h>

#include <string>
#include <string_view>
#include <vector>

namespace quiver::slt {

/// How a query's rendered rows are ordered before they are compared.
enum class SortMode { kNoSort, kRowSort, kValueSort };

/// What a record asks the runner to do.
enum class RecordKind { kStatement, kQuery, kHalt };

/// One `skipif <engine>` or `onlyif <engine>` line that guards the next record.
struct Condition {
  bool only_if = false;  ///< true for `onlyif`, false for `skipif`.
  std::string engine;
};

/// One executable unit of an .slt file.
struct Record {
  RecordKind kind = RecordKind::kStatement;
  int line = 0;  ///< 1-based line of the record's header (`statement ...`, `query ...`).
  std::vector<Condition> conditions;
  std::string sql;  ///< SQL lines joined by '\n'.
  bool expect_error = false;
  std::string error_regex;  ///< Searched in the error message; empty matches any error.
  /// Expected error text given after `----` for error records (empty if none).
  std::string expected_error;
  std::string types;  ///< One letter per result column (queries only).
  SortMode sort_mode = SortMode::kNoSort;
  std::string label;
  std::vector<std::string> expected;  ///< Expected result lines, trailing whitespace removed.
};

/// Parses the text of an .slt file; errors name `path:line`.
arrow::Result<std::vector<Record>> parse_slt(std::string_view text, std::string_view path);

/// Reads and parses an .slt file from disk.
arrow::Result<std::vector<Record>> parse_slt_file(const std::string& path);

/// Returns true if the record's skipif/onlyif conditions let `engine` run it.
bool should_run(const Record& record, std::string_view engine);

}  // namespace quiver::slt
