#include "quiver/datasource/json_stream/schema_inference.h"

#include <arrow/type.h>
#include <simdjson.h>

#include <map>
#include <string>
#include <vector>

#include "quiver/datasource/json_stream/record_splitter.h"

namespace quiver::datasource::json {

namespace {

namespace od = simdjson::ondemand;

enum class Kind { kNull, kBool, kInt, kFloat, kString, kObject, kArray };

/// The inferred type of one value position, merged over the sample.
struct TypeNode {
  Kind kind = Kind::kNull;
  std::vector<std::string> names;  // object fields, in first-seen order
  std::map<std::string, TypeNode> fields;
  std::unique_ptr<TypeNode> element;  // array elements
};

class Inferrer {
 public:
  explicit Inferrer(DriftPolicy drift) : drift_(drift) {}

  arrow::Status merge(TypeNode& node, od::value value, const std::string& path,
                      const JsonRecord& record) {
    od::json_type type;
    if (auto err = value.type().get(type)) return parse_error(record, err);
    Kind kind = Kind::kNull;
    switch (type) {
      case od::json_type::null:
        return arrow::Status::OK();
      case od::json_type::boolean:
        kind = Kind::kBool;
        break;
      case od::json_type::string:
        kind = Kind::kString;
        break;
      case od::json_type::number: {
        od::number_type nt;
        if (auto err = value.get_number_type().get(nt)) return parse_error(record, err);
        kind = nt == od::number_type::floating_point_number ? Kind::kFloat : Kind::kInt;
        break;
      }
      case od::json_type::object:
        kind = Kind::kObject;
        break;
      case od::json_type::array:
        kind = Kind::kArray;
        break;
    }
    ARROW_ASSIGN_OR_RAISE(bool keep, settle(node, kind, path, record));
    if (!keep) return arrow::Status::OK();
    if (kind == Kind::kObject) {
      od::object object;
      if (auto err = value.get_object().get(object)) return parse_error(record, err);
      return merge_object(node, object, path, record);
    }
    if (kind == Kind::kArray) {
      od::array array;
      if (auto err = value.get_array().get(array)) return parse_error(record, err);
      if (!node.element) node.element = std::make_unique<TypeNode>();
      for (auto element : array) {
        od::value v;
        if (auto err = std::move(element).get(v)) return parse_error(record, err);
        ARROW_RETURN_NOT_OK(merge(*node.element, v, path + "[]", record));
      }
    }
    return arrow::Status::OK();
  }

  arrow::Status merge_object(TypeNode& node, od::object object, const std::string& path,
                             const JsonRecord& record) {
    for (auto member : object) {
      od::field field;
      if (auto err = std::move(member).get(field)) return parse_error(record, err);
      std::string_view key;
      if (auto err = field.unescaped_key().get(key)) return parse_error(record, err);
      std::string name(key);
      auto it = node.fields.find(name);
      if (it == node.fields.end()) {
        node.names.push_back(name);
        it = node.fields.emplace(name, TypeNode{}).first;
      }
      ARROW_RETURN_NOT_OK(
          merge(it->second, field.value(), path.empty() ? name : path + "." + name, record));
    }
    return arrow::Status::OK();
  }

 private:
  // Merges `kind` into `node`; returns whether the value should be descended into.
  arrow::Result<bool> settle(TypeNode& node, Kind kind, const std::string& path,
                             const JsonRecord& record) {
    if (node.kind == Kind::kNull || node.kind == kind) {
      node.kind = kind;
      return true;
    }
    if ((node.kind == Kind::kInt && kind == Kind::kFloat) ||
        (node.kind == Kind::kFloat && kind == Kind::kInt)) {
      node.kind = Kind::kFloat;
      return false;
    }
    switch (drift_) {
      case DriftPolicy::kError:
        return arrow::Status::Invalid("JSON schema inference: record ", record.index, " at byte ",
                                      record.offset, ", field '", path, "': ", name(kind),
                                      " where earlier records hold ", name(node.kind));
      case DriftPolicy::kWiden:
        node = TypeNode{};
        node.kind = Kind::kString;
        return false;
      case DriftPolicy::kRaw:
        return false;
    }
    return false;
  }

  static std::string_view name(Kind kind) {
    switch (kind) {
      case Kind::kNull:
        return "null";
      case Kind::kBool:
        return "a boolean";
      case Kind::kInt:
        return "an integer";
      case Kind::kFloat:
        return "a float";
      case Kind::kString:
        return "a string";
      case Kind::kObject:
        return "an object";
      case Kind::kArray:
        return "an array";
    }
    return "a value";
  }

  static arrow::Status parse_error(const JsonRecord& record, simdjson::error_code code) {
    return arrow::Status::Invalid("JSON schema inference: record ", record.index, " at byte ",
                                  record.offset,
                                  ": malformed JSON: ", simdjson::error_message(code));
  }

  DriftPolicy drift_;
};

std::shared_ptr<arrow::DataType> to_arrow(const TypeNode& node) {
  switch (node.kind) {
    case Kind::kBool:
      return arrow::boolean();
    case Kind::kInt:
      return arrow::int64();
    case Kind::kFloat:
      return arrow::float64();
    case Kind::kObject: {
      arrow::FieldVector fields;
      for (const auto& name : node.names)
        fields.push_back(arrow::field(name, to_arrow(node.fields.at(name))));
      return arrow::struct_(std::move(fields));
    }
    case Kind::kArray:
      return arrow::list(node.element ? to_arrow(*node.element) : arrow::utf8());
    case Kind::kNull:
    case Kind::kString:
      return arrow::utf8();
  }
  return arrow::utf8();
}

}  // namespace

arrow::Result<std::shared_ptr<arrow::Schema>> infer_json_schema(ByteChunkStream& input,
                                                                JsonFormat format,
                                                                int64_t sample_records,
                                                                DriftPolicy drift) {
  JsonRecordSplitter splitter(format);
  od::parser parser;
  Inferrer inferrer(drift);
  TypeNode root;
  root.kind = Kind::kObject;
  int64_t seen = 0;
  bool done = false;
  while (!done && seen < sample_records) {
    ARROW_ASSIGN_OR_RAISE(auto chunk, input.next());
    if (chunk == nullptr) {
      ARROW_RETURN_NOT_OK(splitter.finish());
      done = true;
      break;
    }
    splitter.feed(std::string_view(reinterpret_cast<const char*>(chunk->data()),
                                   static_cast<size_t>(chunk->size())));
    JsonRecord record;
    while (seen < sample_records) {
      ARROW_ASSIGN_OR_RAISE(bool found, splitter.next(&record));
      if (!found) break;
      od::document doc;
      od::object object;
      if (auto err =
              parser.iterate(record.text.data(), record.text.size(), record.readable).get(doc);
          err || (err = doc.get_object().get(object))) {
        return arrow::Status::Invalid("JSON schema inference: record ", record.index, " at byte ",
                                      record.offset,
                                      ": malformed JSON: ", simdjson::error_message(err));
      }
      ARROW_RETURN_NOT_OK(inferrer.merge_object(root, object, "", record));
      ++seen;
    }
  }
  arrow::FieldVector fields;
  for (const auto& name : root.names)
    fields.push_back(arrow::field(name, to_arrow(root.fields.at(name))));
  return arrow::schema(std::move(fields));
}

}  // namespace quiver::datasource::json
