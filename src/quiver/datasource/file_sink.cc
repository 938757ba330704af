#include "quiver/datasource/file_sink.h"

#include <arrow/csv/writer.h>
#include <arrow/io/file.h>
#include <arrow/ipc/writer.h>
#include <parquet/arrow/writer.h>
#include <parquet/properties.h>

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <random>

#include "quiver/shell/column_formatter.h"

namespace quiver::datasource {

namespace {

namespace fs = std::filesystem;

std::string lower(std::string_view text) {
  std::string out(text);
  for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::string upper(std::string_view text) {
  std::string out(text);
  for (auto& c : out) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return out;
}

arrow::Result<SinkFormat> parse_format(std::string_view value) {
  const std::string v = lower(value);
  if (v == "parquet") return SinkFormat::kParquet;
  if (v == "csv") return SinkFormat::kCsv;
  if (v == "json" || v == "ndjson") return SinkFormat::kJson;
  return arrow::Status::Invalid("COPY option FORMAT: unknown format '", value,
                                "'; expected parquet, csv or json");
}

arrow::Result<SinkFormat> format_from_extension(std::string_view path) {
  const std::string ext = lower(fs::path(path).extension().string());
  if (ext == ".parquet") return SinkFormat::kParquet;
  if (ext == ".csv") return SinkFormat::kCsv;
  if (ext == ".json" || ext == ".ndjson" || ext == ".jsonl") return SinkFormat::kJson;
  return arrow::Status::Invalid("COPY TO '", path,
                                "': cannot tell the format from the file extension; give the "
                                "FORMAT option (parquet, csv or json)");
}

arrow::Result<bool> parse_bool(std::string_view name, std::string_view value) {
  const std::string v = lower(value);
  if (v == "true" || v == "on" || v == "1" || v == "yes") return true;
  if (v == "false" || v == "off" || v == "0" || v == "no") return false;
  return arrow::Status::Invalid("COPY option ", name, ": expected true or false, got '", value,
                                "'");
}

arrow::Result<SinkCompression> parse_compression(std::string_view value) {
  const std::string v = lower(value);
  if (v == "snappy") return SinkCompression::kSnappy;
  if (v == "zstd") return SinkCompression::kZstd;
  if (v == "none" || v == "uncompressed") return SinkCompression::kNone;
  return arrow::Status::Invalid("COPY option COMPRESSION: unknown compression '", value,
                                "'; expected snappy, zstd or none");
}

arrow::Status only_for(std::string_view name, SinkFormat format, SinkFormat wanted,
                       const char* wanted_name) {
  if (format == wanted) return arrow::Status::OK();
  return arrow::Status::Invalid("COPY option ", upper(name), " applies to FORMAT ", wanted_name,
                                " only");
}

// A random hex suffix for temporary names.
std::string random_suffix() {
  static thread_local std::mt19937_64 generator{std::random_device{}()};
  constexpr char kHex[] = "0123456789abcdef";
  uint64_t bits = generator();
  std::string out;
  for (int i = 0; i < 12; ++i, bits >>= 4) out += kHex[bits & 0xF];
  return out;
}

class ParquetWriter : public FileSink::Writer {
 public:
  explicit ParquetWriter(std::unique_ptr<parquet::arrow::FileWriter> writer)
      : writer_(std::move(writer)) {}
  arrow::Status write(const arrow::RecordBatch& batch) override {
    return writer_->WriteRecordBatch(batch);
  }
  arrow::Status finish() override { return writer_->Close(); }

 private:
  std::unique_ptr<parquet::arrow::FileWriter> writer_;
};

class CsvWriter : public FileSink::Writer {
 public:
  explicit CsvWriter(std::shared_ptr<arrow::ipc::RecordBatchWriter> writer)
      : writer_(std::move(writer)) {}
  arrow::Status write(const arrow::RecordBatch& batch) override {
    return writer_->WriteRecordBatch(batch);
  }
  arrow::Status finish() override { return writer_->Close(); }

 private:
  std::shared_ptr<arrow::ipc::RecordBatchWriter> writer_;
};

// Newline-delimited JSON, one object per row, values as the CLI's json output writes them.
class JsonWriter : public FileSink::Writer {
 public:
  JsonWriter(const arrow::Schema& schema, arrow::io::OutputStream* stream) : stream_(stream) {
    for (const auto& field : schema.fields()) {
      std::string key;
      shell::append_json_string(field->name(), key);
      keys_.push_back(std::move(key) + ":");
    }
  }
  arrow::Status write(const arrow::RecordBatch& batch) override {
    std::vector<shell::ColumnFormatter> formatters;
    for (int c = 0; c < batch.num_columns(); ++c) {
      ARROW_ASSIGN_OR_RAISE(auto formatter, shell::ColumnFormatter::Make(batch.column(c)));
      formatters.push_back(std::move(formatter));
    }
    std::string text;
    for (int64_t r = 0; r < batch.num_rows(); ++r) {
      text += '{';
      for (size_t c = 0; c < formatters.size(); ++c) {
        if (c > 0) text += ',';
        text += keys_[c];
        formatters[c].append_json(r, text);
      }
      text += "}\n";
    }
    return stream_->Write(text.data(), static_cast<int64_t>(text.size()));
  }
  arrow::Status finish() override { return arrow::Status::OK(); }

 private:
  arrow::io::OutputStream* stream_;
  std::vector<std::string> keys_;
};

arrow::Result<std::unique_ptr<FileSink::Writer>> make_writer(
    const std::shared_ptr<arrow::Schema>& schema, const FileSinkOptions& options,
    const std::shared_ptr<arrow::io::OutputStream>& stream) {
  switch (options.format) {
    case SinkFormat::kParquet: {
      parquet::WriterProperties::Builder properties;
      switch (options.compression) {
        case SinkCompression::kSnappy:
          properties.compression(parquet::Compression::SNAPPY);
          break;
        case SinkCompression::kZstd:
          properties.compression(parquet::Compression::ZSTD);
          break;
        case SinkCompression::kNone:
          properties.compression(parquet::Compression::UNCOMPRESSED);
          break;
      }
      auto arrow_properties = parquet::ArrowWriterProperties::Builder().store_schema()->build();
      ARROW_ASSIGN_OR_RAISE(auto writer, parquet::arrow::FileWriter::Open(
                                             *schema, arrow::default_memory_pool(), stream,
                                             properties.build(), std::move(arrow_properties)));
      return std::make_unique<ParquetWriter>(std::move(writer));
    }
    case SinkFormat::kCsv: {
      auto write_options = arrow::csv::WriteOptions::Defaults();
      write_options.include_header = options.csv_header;
      write_options.delimiter = options.csv_delimiter;
      ARROW_ASSIGN_OR_RAISE(auto writer, arrow::csv::MakeCSVWriter(stream, schema, write_options));
      return std::make_unique<CsvWriter>(std::move(writer));
    }
    case SinkFormat::kJson:
      return std::make_unique<JsonWriter>(*schema, stream.get());
  }
  return arrow::Status::UnknownError("unknown sink format");
}

}  // namespace

arrow::Result<FileSinkOptions> parse_file_sink_options(
    std::string_view path, const std::vector<std::pair<std::string, std::string>>& options) {
  FileSinkOptions out;
  bool has_format = false;
  std::vector<std::string> seen;
  for (const auto& [name, value] : options) {
    const std::string key = lower(name);
    if (std::find(seen.begin(), seen.end(), key) != seen.end()) {
      return arrow::Status::Invalid("COPY option ", upper(key), " is given more than once");
    }
    seen.push_back(key);
    if (key == "format") {
      ARROW_ASSIGN_OR_RAISE(out.format, parse_format(value));
      has_format = true;
    }
  }
  if (!has_format) {
    ARROW_ASSIGN_OR_RAISE(out.format, format_from_extension(path));
  }
  for (const auto& [name, value] : options) {
    const std::string key = lower(name);
    if (key == "format") continue;
    if (key == "header") {
      ARROW_RETURN_NOT_OK(only_for(key, out.format, SinkFormat::kCsv, "csv"));
      ARROW_ASSIGN_OR_RAISE(out.csv_header, parse_bool("HEADER", value));
    } else if (key == "delimiter") {
      ARROW_RETURN_NOT_OK(only_for(key, out.format, SinkFormat::kCsv, "csv"));
      if (value.size() != 1) {
        return arrow::Status::Invalid("COPY option DELIMITER must be a single character, got '",
                                      value, "'");
      }
      out.csv_delimiter = value[0];
    } else if (key == "compression") {
      ARROW_RETURN_NOT_OK(only_for(key, out.format, SinkFormat::kParquet, "parquet"));
      ARROW_ASSIGN_OR_RAISE(out.compression, parse_compression(value));
    } else {
      return arrow::Status::Invalid("COPY option ", upper(key),
                                    " is not supported; expected FORMAT, HEADER, DELIMITER or "
                                    "COMPRESSION");
    }
  }
  return out;
}

FileSink::FileSink(std::string path, std::string temp_path)
    : path_(std::move(path)), temp_path_(std::move(temp_path)) {}

FileSink::~FileSink() { abort(); }

arrow::Result<std::unique_ptr<FileSink>> FileSink::Make(std::string path,
                                                        std::shared_ptr<arrow::Schema> schema,
                                                        const FileSinkOptions& options) {
  const fs::path target(path);
  if (!target.has_filename()) {
    return arrow::Status::Invalid("cannot write '", path, "': the path names no file");
  }
  std::error_code ec;
  if (fs::is_directory(target, ec)) {
    return arrow::Status::Invalid("cannot write '", path, "': it is a directory");
  }
  const fs::path temp =
      target.parent_path() / ("." + target.filename().string() + ".tmp-" + random_suffix());
  std::unique_ptr<FileSink> sink(new FileSink(std::move(path), temp.string()));
  auto stream = arrow::io::FileOutputStream::Open(sink->temp_path_);
  if (!stream.ok()) {
    const std::string dir = target.parent_path().empty() ? "." : target.parent_path().string();
    sink->done_ = true;  // nothing was created
    std::string why = stream.status().message();
    if (const auto& detail = stream.status().detail()) why += " (" + detail->ToString() + ")";
    return arrow::Status::IOError("cannot write '", sink->path_, "': cannot create a file in '",
                                  dir, "': ", why);
  }
  sink->stream_ = std::move(*stream);
  auto writer = make_writer(schema, options, sink->stream_);
  if (!writer.ok()) {
    return writer.status().WithMessage("cannot write '", sink->path_,
                                       "': ", writer.status().message());
  }
  sink->writer_ = std::move(*writer);
  return sink;
}

arrow::Status FileSink::write(const arrow::RecordBatch& batch) {
  if (done_) return arrow::Status::Invalid("cannot write '", path_, "': the sink is closed");
  auto st = writer_->write(batch);
  if (!st.ok()) {
    abort();
    return st.WithMessage("cannot write '", path_, "': ", st.message());
  }
  rows_ += batch.num_rows();
  return arrow::Status::OK();
}

arrow::Result<int64_t> FileSink::commit() {
  if (done_) return arrow::Status::Invalid("cannot write '", path_, "': the sink is closed");
  auto st = writer_->finish();
  if (st.ok()) st = stream_->Close();
  if (st.ok()) {
    std::error_code ec;
    fs::rename(temp_path_, path_, ec);
    if (ec) st = arrow::Status::IOError("cannot rename '", temp_path_, "': ", ec.message());
  }
  if (!st.ok()) {
    abort();
    return st.WithMessage("cannot write '", path_, "': ", st.message());
  }
  done_ = true;
  return rows_;
}

void FileSink::abort() {
  if (done_) return;
  done_ = true;
  writer_.reset();
  if (stream_ != nullptr) (void)stream_->Close();
  std::error_code ec;
  fs::remove(temp_path_, ec);
}

}  // namespace quiver::datasource
