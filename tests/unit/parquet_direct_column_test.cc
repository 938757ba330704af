// Columns quiver decodes itself (ParquetDecimalColumn, ParquetStringColumn, through
// ParquetSource::open) agree with what was written: dictionary and plain pages, a dictionary that
// falls back to plain within a chunk, nulls, negative decimals of every FLBA width, empty
// strings, batches across row groups.
#include <arrow/api.h>
#include <arrow/io/file.h>
#include <gtest/gtest.h>
#include <parquet/arrow/reader.h>
#include <parquet/arrow/writer.h>

#include <filesystem>
#include <random>

#include "quiver/datasource/parquet_decimal_column.h"
#include "quiver/datasource/parquet_source.h"
#include "quiver/datasource/parquet_string_column.h"

namespace quiver::datasource {
namespace {

std::shared_ptr<arrow::DataType> decimal_type(int precision) {
  return arrow::decimal128(precision, std::min(2, precision - 1));
}

// Random decimals of `precision` (about a fifth null when nullable; few distinct values when
// `distinct` is small, so that the writer keeps its dictionary).
std::shared_ptr<arrow::Array> decimals(int precision, int64_t n, bool nullable, int distinct,
                                       uint32_t seed) {
  std::mt19937_64 rng(seed);
  arrow::Decimal128Builder builder(decimal_type(precision));
  arrow::Decimal128 limit = arrow::Decimal128::GetMaxValue(precision);
  std::vector<arrow::Decimal128> pool;
  for (int i = 0; i < distinct; ++i) {
    arrow::Decimal128 v(static_cast<int64_t>(rng() >> 1), rng());
    auto rem = v % limit;  // |rem| < 10^precision
    pool.push_back(rng() % 2 == 0 ? rem : -rem);
  }
  pool.push_back(limit);
  pool.push_back(-limit);
  pool.push_back(arrow::Decimal128(0));
  for (int64_t i = 0; i < n; ++i) {
    if (nullable && rng() % 5 == 0) {
      EXPECT_TRUE(builder.AppendNull().ok());
    } else {
      EXPECT_TRUE(builder.Append(pool[rng() % pool.size()]).ok());
    }
  }
  return builder.Finish().ValueOrDie();
}

// Random strings (about a fifth null when nullable) from `distinct` values, the empty one too.
std::shared_ptr<arrow::Array> strings(const std::shared_ptr<arrow::DataType>& type, int64_t n,
                                      bool nullable, int distinct, uint32_t seed) {
  std::mt19937_64 rng(seed);
  std::vector<std::string> pool = {""};
  for (int i = 0; i < distinct; ++i) {
    pool.push_back("v" + std::to_string(rng() % 100000) + std::string(rng() % 40, 'x'));
  }
  auto builder = arrow::MakeBuilder(type).ValueOrDie();
  auto& binary = static_cast<arrow::BinaryBuilder&>(*builder);
  for (int64_t i = 0; i < n; ++i) {
    if (nullable && rng() % 5 == 0) {
      EXPECT_TRUE(binary.AppendNull().ok());
    } else {
      EXPECT_TRUE(binary.Append(pool[rng() % pool.size()]).ok());
    }
  }
  return binary.Finish().ValueOrDie();
}

struct Layout {
  bool dictionary;
  int distinct;
  int64_t dictionary_page_limit;
};

// Writes a table with one decimal column per precision (plus an int64 column read by
// parquet::arrow) and returns its path.
std::string write_file(const std::string& name, const Layout& layout, int64_t rows,
                       std::shared_ptr<arrow::Table>* written) {
  std::vector<std::shared_ptr<arrow::Field>> fields;
  std::vector<std::shared_ptr<arrow::Array>> columns;
  arrow::Int64Builder ids;
  for (int64_t i = 0; i < rows; ++i) EXPECT_TRUE(ids.Append(i).ok());
  fields.push_back(arrow::field("id", arrow::int64(), false));
  columns.push_back(ids.Finish().ValueOrDie());
  uint32_t seed = 1;
  for (int precision : {1, 5, 15, 18, 19, 30, 38}) {
    for (bool nullable : {false, true}) {
      fields.push_back(arrow::field("d" + std::to_string(precision) + (nullable ? "n" : ""),
                                    decimal_type(precision), nullable));
      columns.push_back(decimals(precision, rows, nullable, layout.distinct, seed++));
    }
  }
  for (const auto& type : {arrow::utf8(), arrow::binary()}) {
    for (bool nullable : {false, true}) {
      fields.push_back(arrow::field(type->ToString() + (nullable ? "n" : ""), type, nullable));
      columns.push_back(strings(type, rows, nullable, layout.distinct, seed++));
    }
  }
  *written = arrow::Table::Make(arrow::schema(fields), columns);
  auto path = (std::filesystem::temp_directory_path() / name).string();
  auto out = arrow::io::FileOutputStream::Open(path).ValueOrDie();
  parquet::WriterProperties::Builder props;
  props.data_pagesize(512)->dictionary_pagesize_limit(layout.dictionary_page_limit);
  if (!layout.dictionary) props.disable_dictionary();
  auto st = parquet::arrow::WriteTable(**written, arrow::default_memory_pool(), out,
                                       /*chunk_size=*/700, props.build());
  EXPECT_TRUE(st.ok()) << st.ToString();
  EXPECT_TRUE(out->Close().ok());
  return path;
}

// Reads `path` through ParquetSource in batches of `batch_size`, projecting `projection`.
std::shared_ptr<arrow::Table> read(const std::string& path, const arrow::Schema& schema,
                                   std::vector<int> projection, int64_t batch_size) {
  FileOpenArgs args;
  args.table_schema = std::make_shared<arrow::Schema>(schema);
  args.projection = std::move(projection);
  args.batch_size = batch_size;
  auto stream = ParquetSource().open(FileEntry{path, 0}, args);
  EXPECT_TRUE(stream.ok()) << stream.status().ToString();
  auto batches = physical::collect_stream(**stream);
  EXPECT_TRUE(batches.ok()) << batches.status().ToString();
  for (const auto& batch : *batches) EXPECT_LE(batch->num_rows(), batch_size);
  return arrow::Table::FromRecordBatches((*stream)->schema(), *batches).ValueOrDie();
}

void expect_same(const std::string& name, const Layout& layout) {
  std::shared_ptr<arrow::Table> written;
  const auto path = write_file(name, layout, 2500, &written);
  for (int64_t batch_size : {1000, 333, 4096}) {
    std::vector<int> every(static_cast<size_t>(written->num_columns()));
    for (size_t i = 0; i < every.size(); ++i) every[i] = static_cast<int>(i);
    auto all = read(path, *written->schema(), every, batch_size);
    EXPECT_TRUE(all->Equals(*written)) << name << " batch " << batch_size;
    // Only direct columns (no parquet::arrow column), in another order, one of them twice.
    auto some = read(path, *written->schema(), {5, 16, 1, 5, 12}, batch_size);
    auto expected = written->SelectColumns({5, 16, 1, 5, 12}).ValueOrDie();
    EXPECT_TRUE(some->Equals(*expected)) << name << " batch " << batch_size;
  }
  std::filesystem::remove(path);
}

TEST(ParquetDirectColumnTest, DictionaryEncodedChunks) {
  expect_same("quiver_decimal_dict.parquet", {true, 20, 1 << 20});
}

TEST(ParquetDirectColumnTest, PlainChunks) {
  expect_same("quiver_decimal_plain.parquet", {false, 1000, 1 << 20});
}

TEST(ParquetDirectColumnTest, DictionaryFallingBackToPlain) {
  expect_same("quiver_decimal_fallback.parquet", {true, 2000, 256});
}

TEST(ParquetDirectColumnTest, OnlyFlatFixedLengthDecimal128Qualifies) {
  auto flba = parquet::schema::PrimitiveNode::Make("d", parquet::Repetition::OPTIONAL,
                                                   parquet::Type::FIXED_LEN_BYTE_ARRAY,
                                                   parquet::ConvertedType::DECIMAL, 7, 15, 2);
  parquet::ColumnDescriptor descr(flba, 1, 0);
  EXPECT_TRUE(ParquetDecimalColumn::supports(descr, *arrow::decimal128(15, 2)));
  EXPECT_FALSE(ParquetDecimalColumn::supports(descr, *arrow::decimal256(15, 2)));
  parquet::ColumnDescriptor repeated(flba, 1, 1);
  EXPECT_FALSE(ParquetDecimalColumn::supports(repeated, *arrow::decimal128(15, 2)));
  auto int64 =
      parquet::schema::PrimitiveNode::Make("i", parquet::Repetition::REQUIRED, parquet::Type::INT64,
                                           parquet::ConvertedType::DECIMAL, -1, 15, 2);
  EXPECT_FALSE(ParquetDecimalColumn::supports(parquet::ColumnDescriptor(int64, 0, 0),
                                              *arrow::decimal128(15, 2)));
}

TEST(ParquetDirectColumnTest, OnlyFlatByteArraysReadAsStringOrBinaryQualify) {
  auto bytes = parquet::schema::PrimitiveNode::Make("s", parquet::Repetition::OPTIONAL,
                                                    parquet::Type::BYTE_ARRAY);
  parquet::ColumnDescriptor descr(bytes, 1, 0);
  EXPECT_TRUE(ParquetStringColumn::supports(descr, *arrow::utf8()));
  EXPECT_TRUE(ParquetStringColumn::supports(descr, *arrow::binary()));
  EXPECT_FALSE(ParquetStringColumn::supports(descr, *arrow::large_utf8()));
  EXPECT_FALSE(
      ParquetStringColumn::supports(descr, *arrow::dictionary(arrow::int32(), arrow::utf8())));
  EXPECT_FALSE(
      ParquetStringColumn::supports(parquet::ColumnDescriptor(bytes, 2, 1), *arrow::utf8()));
}

}  // namespace
}  // namespace quiver::datasource
