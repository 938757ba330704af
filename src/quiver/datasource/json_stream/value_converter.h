#pragma once

#include <arrow/array/builder_base.h>
#include <arrow/status.h>
#include <simdjson.h>

#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "quiver/datasource/json_stream/json_stream_options.h"
#include "quiver/datasource/json_stream/record_splitter.h"

namespace quiver::datasource::json {

/// State shared by the converters while one record is converted.
struct ConvertContext {
  DriftPolicy drift = DriftPolicy::kError;
  const JsonRecord* record = nullptr;
  /// Set when a value did not fit under DriftPolicy::kRaw (the record is then kept whole).
  bool drifted = false;

  /// Reports a value that does not fit `path`: under kRaw marks the record as drifted and
  /// returns OK (the caller appends null); otherwise returns the error.
  arrow::Status drift_at(const std::string& path, std::string_view what);
  /// Returns the error for malformed JSON (never a drift).
  arrow::Status parse_error(const std::string& path, simdjson::error_code code) const;
  /// Returns an error naming the record and `path`.
  arrow::Status error(const std::string& path, std::string_view what) const;
};

/// Appends JSON values to one Arrow builder of a given type (a node of a converter tree that
/// mirrors the Arrow type; struct and list nodes own their children's converters).
class ValueConverter {
 public:
  virtual ~ValueConverter() = default;
  /// Appends `value` (null, a value of the column's type, or a drift handled per policy).
  virtual arrow::Status append(simdjson::ondemand::value value, ConvertContext& ctx) = 0;
  /// Appends null (an error for a non-nullable field).
  arrow::Status append_null(ConvertContext& ctx);

  /// Creates the converter for `builder` (whose type is `field`'s), named `path` in errors.
  static arrow::Result<std::unique_ptr<ValueConverter>> Make(const arrow::Field& field,
                                                             arrow::ArrayBuilder* builder,
                                                             std::string path);

 protected:
  ValueConverter(arrow::ArrayBuilder* builder, std::string path, bool nullable)
      : builder_(builder), path_(std::move(path)), nullable_(nullable) {}
  /// Appends null for a drifted value under kRaw, or returns the drift error.
  arrow::Status drift(ConvertContext& ctx, std::string_view what);

  arrow::ArrayBuilder* builder_;
  std::string path_;
  bool nullable_;
};

/// Finds a field's slot by name, trying first the slot after the previous hit (records usually
/// keep their fields in one order).
class FieldLookup {
 public:
  /// Adds `name` with `slot` (-1 = declared but not projected: skipped).
  void add(std::string name, int slot);
  /// Returns the slot of `key`, -1 for a skipped field, -2 for an undeclared one.
  int find(std::string_view key, size_t& hint) const;
  /// Returns the number of names.
  size_t size() const { return names_.size(); }

 private:
  std::vector<std::string> names_;
  std::vector<int> slots_;
  std::unordered_map<std::string_view, size_t> index_;
};

/// Converts the members of a JSON object into one converter per slot (the top level of a record
/// or a struct column). Missing members get null, duplicates and undeclared members are drifts.
class ObjectFiller {
 public:
  /// Creates a filler over `lookup` (slots index `children`), named `path` ("" at top level).
  ObjectFiller(FieldLookup lookup, std::vector<std::unique_ptr<ValueConverter>> children,
               std::string path)
      : lookup_(std::move(lookup)),
        children_(std::move(children)),
        seen_(children_.size(), 0),
        path_(std::move(path)) {}
  /// Converts the members of `object`.
  arrow::Status fill(simdjson::ondemand::object object, ConvertContext& ctx);
  /// Returns the child converters.
  std::vector<std::unique_ptr<ValueConverter>>& children() { return children_; }

 private:
  FieldLookup lookup_;
  std::vector<std::unique_ptr<ValueConverter>> children_;
  std::vector<uint64_t> seen_;
  uint64_t stamp_ = 0;
  std::string path_;
};

}  // namespace quiver::datasource::json
