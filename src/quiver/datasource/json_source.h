#pragma once

#include <memory>

#include "quiver/datasource/file_source.h"

namespace quiver::datasource {

/// Newline-delimited JSON files (one object per line), read with arrow::json::StreamingReader.
/// The table schema is inferred from the first file's first block; fields outside it are
/// ignored, missing ones are NULL. Malformed JSON fails with `<path>: line <n>: <what>`.
class JsonSource final : public FileSource {
 public:
  std::string_view file_type() const override { return "json"; }
  std::vector<std::string> extensions() const override { return {".json", ".ndjson", ".jsonl"}; }
  arrow::Result<std::shared_ptr<arrow::Schema>> infer_schema(const FileEntry& file) const override;
  arrow::Result<physical::RecordBatchStreamPtr> open(const FileEntry& file,
                                                     const FileOpenArgs& args) const override;
};

}  // namespace quiver::datasource
