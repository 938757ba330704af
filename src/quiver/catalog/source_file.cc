#include "quiver/catalog/source_file.h"

#include <yaml-cpp/yaml.h>

// toml++ header-only: its parser is compiled here (no link dependency).
#define TOML_HEADER_ONLY 1
#include <toml++/toml.h>

#include <filesystem>
#include <fstream>

namespace quiver::catalog {

namespace {

using datasource::http_json::SourceOption;

std::string lower_extension(const std::string& path) {
  std::string ext = std::filesystem::path(path).extension().string();
  for (auto& c : ext) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return ext;
}

std::string line_of(const toml::node& node) {
  const auto line = node.source().begin.line;
  return line > 0 ? "line " + std::to_string(line) : "";
}

arrow::Status toml_error(const std::string& table, const std::string& key, const toml::node& node,
                         const std::string& message) {
  std::string place = "table '" + table + "': key '" + key + "'";
  if (auto line = line_of(node); !line.empty()) place += " (" + line + ")";
  return arrow::Status::Invalid(place, ": ", message);
}

// Flattens one table's entries into options; `prefix` is "headers." inside the headers table.
arrow::Status flatten_toml(const std::string& table, const toml::table& entries,
                           const std::string& prefix, std::vector<SourceOption>* out) {
  for (const auto& [key_view, node] : entries) {
    const std::string key = prefix + std::string(key_view.str());
    if (const auto* sub = node.as_table()) {
      if (prefix.empty() && key == "headers") {
        ARROW_RETURN_NOT_OK(flatten_toml(table, *sub, "headers.", out));
        continue;
      }
      return toml_error(table, key, node, "expected a value, got a table");
    }
    SourceOption option{key, std::string(), line_of(node)};
    if (const auto* s = node.as_string()) {
      option.value = s->get();
    } else if (const auto* i = node.as_integer()) {
      option.value = i->get();
    } else if (const auto* d = node.as_floating_point()) {
      option.value = d->get();
    } else if (const auto* b = node.as_boolean()) {
      option.value = b->get();
    } else {
      return toml_error(table, key, node,
                        "expected a string, an integer, a float or a boolean, got " +
                            std::string(node.is_array() ? "an array" : "a date or time"));
    }
    out->push_back(std::move(option));
  }
  return arrow::Status::OK();
}

arrow::Result<std::vector<SourceTableSpec>> read_toml(const std::string& path) {
  toml::table root;
  try {
    root = toml::parse_file(path);
  } catch (const toml::parse_error& error) {
    return arrow::Status::Invalid("line ", error.source().begin.line, ", column ",
                                  error.source().begin.column, ": ", error.description());
  }
  std::vector<SourceTableSpec> specs;
  for (const auto& [key, node] : root) {
    if (key.str() != "tables" || !node.is_table()) {
      std::string line = line_of(node);
      return arrow::Status::Invalid("unknown top-level key '", key.str(), "'",
                                    line.empty() ? "" : " (" + line + ")",
                                    ": expected tables as [tables.<name>] sections");
    }
    for (const auto& [name, table] : *node.as_table()) {
      SourceTableSpec spec{std::string(name.str()), line_of(table), {}};
      if (!table.is_table()) {
        return arrow::Status::Invalid("table '", spec.name, "'",
                                      spec.where.empty() ? "" : " (" + spec.where + ")",
                                      ": expected a [tables.", spec.name, "] section");
      }
      ARROW_RETURN_NOT_OK(flatten_toml(spec.name, *table.as_table(), "", &spec.options));
      specs.push_back(std::move(spec));
    }
  }
  return specs;
}

std::string line_of(const YAML::Node& node) {
  const YAML::Mark mark = node.Mark();
  return mark.line >= 0 ? "line " + std::to_string(mark.line + 1) : "";
}

arrow::Status yaml_error(const std::string& table, const std::string& key, const YAML::Node& node,
                         const std::string& message) {
  std::string place = "table '" + table + "': key '" + key + "'";
  if (auto line = line_of(node); !line.empty()) place += " (" + line + ")";
  return arrow::Status::Invalid(place, ": ", message);
}

// Flattens one table's mapping; every scalar is a string (the parser reads numbers from it).
arrow::Status flatten_yaml(const std::string& table, const YAML::Node& entries,
                           const std::string& prefix, std::vector<SourceOption>* out) {
  for (const auto& entry : entries) {
    const std::string key = prefix + entry.first.as<std::string>();
    const YAML::Node& value = entry.second;
    if (value.IsMap()) {
      if (prefix.empty() && key == "headers") {
        ARROW_RETURN_NOT_OK(flatten_yaml(table, value, "headers.", out));
        continue;
      }
      return yaml_error(table, key, value, "expected a value, got a mapping");
    }
    if (value.IsSequence()) return yaml_error(table, key, value, "expected a value, got a list");
    if (value.IsNull()) return yaml_error(table, key, value, "expected a value, got nothing");
    out->push_back(SourceOption{key, value.Scalar(), line_of(value)});
  }
  return arrow::Status::OK();
}

arrow::Result<std::vector<SourceTableSpec>> read_yaml(const std::string& path) {
  YAML::Node root;
  try {
    root = YAML::LoadFile(path);
  } catch (const YAML::Exception& error) {
    return arrow::Status::Invalid("line ", error.mark.line + 1, ", column ", error.mark.column + 1,
                                  ": ", error.msg);
  }
  if (!root.IsMap()) {
    return arrow::Status::Invalid("expected a mapping with a 'tables' key at the top");
  }
  std::vector<SourceTableSpec> specs;
  for (const auto& entry : root) {
    const std::string key = entry.first.as<std::string>();
    if (key != "tables" || !entry.second.IsMap()) {
      return arrow::Status::Invalid("unknown top-level key '", key, "' (", line_of(entry.first),
                                    "): expected a 'tables' mapping of table names");
    }
    for (const auto& table : entry.second) {
      SourceTableSpec spec{table.first.as<std::string>(), line_of(table.first), {}};
      if (!table.second.IsMap()) {
        return arrow::Status::Invalid("table '", spec.name, "' (", spec.where,
                                      "): expected a mapping of options");
      }
      ARROW_RETURN_NOT_OK(flatten_yaml(spec.name, table.second, "", &spec.options));
      specs.push_back(std::move(spec));
    }
  }
  return specs;
}

}  // namespace

arrow::Result<std::vector<SourceTableSpec>> read_source_file(const std::string& path) {
  const std::string ext = lower_extension(path);
  if (ext != ".toml" && ext != ".yaml" && ext != ".yml") {
    return arrow::Status::Invalid("source file '", path,
                                  "': expected a .toml, .yaml or .yml file, got '", ext, "'");
  }
  if (!std::ifstream(path)) {
    return arrow::Status::IOError("source file '", path, "': cannot be read");
  }
  auto specs = ext == ".toml" ? read_toml(path) : read_yaml(path);
  if (!specs.ok()) {
    return specs.status().WithMessage("source file '", path, "': ", specs.status().message());
  }
  if (specs->empty()) {
    return arrow::Status::Invalid(
        "source file '", path, "': no tables (expected ",
        ext == ".toml" ? "[tables.<name>] sections" : "a 'tables' mapping", ")");
  }
  return specs;
}

}  // namespace quiver::catalog
