// COPY ... TO: atomic file writing (datasource::FileSink) and the statement's errors.

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <random>
#include <string>
#include <vector>

#include "exec_fixtures.h"
#include "quiver/catalog/session_context.h"
#include "quiver/catalog/table_provider.h"
#include "quiver/datasource/file_sink.h"

namespace quiver::catalog {
namespace {

namespace fs = std::filesystem;
using exec::testing::int64_schema;
using exec::testing::int64s;
using exec::testing::TestSourceExec;

/// A table of one Int64 column `v` whose scan serves `batches` batches and then fails.
class FailingTable : public TableProvider {
 public:
  explicit FailingTable(int batches) : batches_(batches) {}
  std::shared_ptr<arrow::Schema> schema() const override { return int64_schema({"v"}); }
  arrow::Result<physical::ExecutionPlanPtr> scan(const ScanArgs&) const override {
    std::vector<std::shared_ptr<arrow::RecordBatch>> batches;
    for (int i = 0; i < batches_ + 1; ++i) {
      batches.push_back(arrow::RecordBatch::Make(schema(), 3, {int64s({i, i + 1, i + 2})}));
    }
    auto source = std::make_shared<TestSourceExec>(
        schema(), std::vector<std::vector<std::shared_ptr<arrow::RecordBatch>>>{batches});
    source->fail_at(0, batches_, arrow::Status::IOError("the source went away"));
    return source;
  }

 private:
  int batches_;
};

class CopyToTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::random_device seed;
    dir_ = fs::temp_directory_path() / ("quiver_copy_to_test_" + std::to_string(seed()));
    fs::create_directories(dir_);
    session_ = SessionContext::Make();
    ASSERT_TRUE(session_->set_option("execution.target_partitions", "1").ok());
  }
  void TearDown() override {
    std::error_code ec;
    fs::remove_all(dir_, ec);
  }

  arrow::Result<std::shared_ptr<arrow::Table>> run(const std::string& sql) {
    ARROW_ASSIGN_OR_RAISE(auto frame, session_->sql(sql));
    return frame->collect();
  }

  /// Returns the names of the files in the test directory (hidden ones included).
  std::vector<std::string> files() const {
    std::vector<std::string> out;
    for (const auto& entry : fs::directory_iterator(dir_)) {
      out.push_back(entry.path().filename().string());
    }
    std::sort(out.begin(), out.end());
    return out;
  }

  std::string path(const std::string& name) const { return (dir_ / name).string(); }

  fs::path dir_;
  std::shared_ptr<SessionContext> session_;
};

TEST_F(CopyToTest, WritesAndCountsRows) {
  auto result =
      run("COPY (SELECT * FROM (VALUES (1), (2), (3)) AS t(a)) TO '" + path("out.csv") + "'");
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  ASSERT_EQ((*result)->num_rows(), 1);
  EXPECT_EQ((*result)->schema()->field(0)->name(), "count");
  EXPECT_EQ((*result)->column(0)->GetScalar(0).ValueOrDie()->ToString(), "3");
  EXPECT_EQ(files(), std::vector<std::string>{"out.csv"});
  std::ifstream in(path("out.csv"));
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  EXPECT_EQ(text, "\"a\"\n1\n2\n3\n");
}

TEST_F(CopyToTest, FailureInTheMiddleLeavesNoFile) {
  ASSERT_TRUE(session_->register_table("failing", std::make_shared<FailingTable>(2)).ok());
  for (const char* name : {"out.parquet", "out.csv", "out.json"}) {
    auto result = run("COPY failing TO '" + path(name) + "'");
    ASSERT_FALSE(result.ok()) << name;
    EXPECT_NE(result.status().message().find("the source went away"), std::string::npos)
        << result.status().ToString();
    EXPECT_TRUE(files().empty()) << name << ": " << files().front();
  }
}

TEST_F(CopyToTest, FailureKeepsTheExistingFile) {
  ASSERT_TRUE(run("COPY (SELECT 1 AS a) TO '" + path("out.parquet") + "'").ok());
  const auto size = fs::file_size(path("out.parquet"));
  ASSERT_TRUE(session_->register_table("failing", std::make_shared<FailingTable>(1)).ok());
  ASSERT_FALSE(run("COPY failing TO '" + path("out.parquet") + "'").ok());
  EXPECT_EQ(files(), std::vector<std::string>{"out.parquet"});
  EXPECT_EQ(fs::file_size(path("out.parquet")), size);
}

TEST_F(CopyToTest, UnknownFormatIsAnError) {
  auto result = run("COPY (SELECT 1 AS a) TO '" + path("out.xlsx") + "'");
  ASSERT_FALSE(result.ok());
  EXPECT_NE(result.status().message().find("FORMAT option"), std::string::npos)
      << result.status().ToString();
  result = run("COPY (SELECT 1 AS a) TO '" + path("out.csv") + "' (FORMAT avro)");
  ASSERT_FALSE(result.ok());
  EXPECT_NE(result.status().message().find("unknown format 'avro'"), std::string::npos)
      << result.status().ToString();
  EXPECT_TRUE(files().empty());
}

TEST_F(CopyToTest, UnwritableDirectoryErrorNamesThePath) {
  // A directory that is a plain file (permissions do not stop root, which the tests may run as).
  std::ofstream(path("plain")) << "x";
  const std::string target = path("plain") + "/out.csv";
  auto result = run("COPY (SELECT 1 AS a) TO '" + target + "'");
  ASSERT_FALSE(result.ok());
  EXPECT_NE(result.status().message().find("'" + target + "'"), std::string::npos)
      << result.status().ToString();
  const std::string missing = path("missing") + "/out.csv";
  result = run("COPY (SELECT 1 AS a) TO '" + missing + "'");
  ASSERT_FALSE(result.ok());
  EXPECT_NE(result.status().message().find("'" + missing + "'"), std::string::npos)
      << result.status().ToString();
  EXPECT_EQ(files(), std::vector<std::string>{"plain"});
}

TEST_F(CopyToTest, SinkWritesToATemporaryFileUntilCommit) {
  auto schema = int64_schema({"v"});
  auto batch = arrow::RecordBatch::Make(schema, 2, {int64s({1, 2})});
  datasource::FileSinkOptions options;
  options.format = datasource::SinkFormat::kJson;
  {
    auto sink = datasource::FileSink::Make(path("a.json"), schema, options);
    ASSERT_TRUE(sink.ok()) << sink.status().ToString();
    ASSERT_TRUE((*sink)->write(*batch).ok());
    EXPECT_TRUE(fs::exists((*sink)->temp_path()));
    EXPECT_EQ(fs::path((*sink)->temp_path()).parent_path(), dir_);
    EXPECT_FALSE(fs::exists(path("a.json")));
  }  // dropped without commit
  EXPECT_TRUE(files().empty());

  auto sink = datasource::FileSink::Make(path("a.json"), schema, options);
  ASSERT_TRUE(sink.ok());
  ASSERT_TRUE((*sink)->write(*batch).ok());
  ASSERT_TRUE((*sink)->write(*batch).ok());
  auto rows = (*sink)->commit();
  ASSERT_TRUE(rows.ok()) << rows.status().ToString();
  EXPECT_EQ(*rows, 4);
  EXPECT_EQ(files(), std::vector<std::string>{"a.json"});
  std::ifstream in(path("a.json"));
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  EXPECT_EQ(text, "{\"v\":1}\n{\"v\":2}\n{\"v\":1}\n{\"v\":2}\n");
}

TEST(FileSinkOptionsTest, InfersTheFormatAndChecksOptions) {
  using datasource::parse_file_sink_options;
  using datasource::SinkFormat;
  EXPECT_EQ(parse_file_sink_options("a.PARQUET", {})->format, SinkFormat::kParquet);
  EXPECT_EQ(parse_file_sink_options("a.csv", {})->format, SinkFormat::kCsv);
  EXPECT_EQ(parse_file_sink_options("a.ndjson", {})->format, SinkFormat::kJson);
  EXPECT_EQ(parse_file_sink_options("a", {{"FORMAT", "json"}})->format, SinkFormat::kJson);
  auto csv = parse_file_sink_options("a.csv", {{"header", "false"}, {"delimiter", ";"}});
  ASSERT_TRUE(csv.ok());
  EXPECT_FALSE(csv->csv_header);
  EXPECT_EQ(csv->csv_delimiter, ';');
  auto zstd = parse_file_sink_options("a.parquet", {{"compression", "ZSTD"}});
  ASSERT_TRUE(zstd.ok());
  EXPECT_EQ(zstd->compression, datasource::SinkCompression::kZstd);
  EXPECT_FALSE(parse_file_sink_options("a", {}).ok());
  EXPECT_FALSE(parse_file_sink_options("a.csv", {{"header", "maybe"}}).ok());
  EXPECT_FALSE(parse_file_sink_options("a.csv", {{"format", "csv"}, {"FORMAT", "csv"}}).ok());
}

}  // namespace
}  // namespace quiver::catalog
