// File listing and file groups: which files a table path names and how scans split them.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "quiver/datasource/file_group.h"
#include "quiver/datasource/file_listing.h"

namespace quiver::datasource {
namespace {

using ::testing::HasSubstr;

std::vector<std::string> paths(const std::vector<FileEntry>& files) {
  std::vector<std::string> out;
  for (const auto& f : files) out.push_back(f.path);
  return out;
}

TEST(FileListingTest, SingleFileKeepsItsPathAndSize) {
  auto files = list_files("testdata/csv/people.csv");
  ASSERT_TRUE(files.ok()) << files.status().ToString();
  ASSERT_EQ(files->size(), 1u);
  EXPECT_EQ((*files)[0].path, "testdata/csv/people.csv");
  EXPECT_GT((*files)[0].size, 0);
}

TEST(FileListingTest, DirectoryListsItsFilesSorted) {
  auto files = list_files("testdata/csv/orders");
  ASSERT_TRUE(files.ok()) << files.status().ToString();
  EXPECT_EQ(paths(*files), (std::vector<std::string>{"testdata/csv/orders/part-0.csv",
                                                     "testdata/csv/orders/part-1.csv"}));
}

TEST(FileListingTest, DirectoryFiltersByExtension) {
  auto none = list_files("testdata/weather", {".csv"});
  ASSERT_TRUE(none.ok());
  EXPECT_TRUE(none->empty());
  auto parquet = list_files("testdata/weather", {".parquet"});
  ASSERT_TRUE(parquet.ok());
  EXPECT_EQ(parquet->size(), 3u);
}

TEST(FileListingTest, GlobMatchesWithinOneDirectoryLevel) {
  auto files = list_files("testdata/weather/result-00000[02].parquet");
  ASSERT_TRUE(files.ok()) << files.status().ToString();
  EXPECT_EQ(paths(*files), (std::vector<std::string>{"testdata/weather/result-000000.parquet",
                                                     "testdata/weather/result-000002.parquet"}));
  auto all = list_files("testdata/*/*.parquet");
  ASSERT_TRUE(all.ok()) << all.status().ToString();
  // weather has 3 files, bad has truncated and corrupted.
  EXPECT_EQ(all->size(), 5u);
}

TEST(FileListingTest, MissingPathIsAUserErrorNamingIt) {
  auto files = list_files("testdata/no_such_dir/x.parquet");
  ASSERT_FALSE(files.ok());
  EXPECT_TRUE(files.status().IsInvalid());
  EXPECT_THAT(files.status().message(), HasSubstr("testdata/no_such_dir/x.parquet"));

  auto glob = list_files("testdata/weather/*.orc");
  ASSERT_FALSE(glob.ok());
  EXPECT_THAT(glob.status().message(), HasSubstr("no files match 'testdata/weather/*.orc'"));
}

TEST(FileListingTest, RemoteSchemesAreNotImplemented) {
  auto files = list_files("s3://bucket/t.parquet");
  ASSERT_FALSE(files.ok());
  EXPECT_TRUE(files.status().IsNotImplemented());
}

std::vector<FileEntry> sized(const std::vector<int64_t>& sizes) {
  std::vector<FileEntry> out;
  for (size_t i = 0; i < sizes.size(); ++i) out.push_back({"f" + std::to_string(i), sizes[i]});
  return out;
}

std::vector<std::vector<std::string>> names(const std::vector<FileGroup>& groups) {
  std::vector<std::vector<std::string>> out;
  for (const auto& g : groups) out.push_back(paths(g));
  return out;
}

TEST(FileGroupTest, FewerFilesThanPartitionsGivesOneGroupPerFile) {
  auto groups = split_file_groups(sized({10, 20, 30}), 16);
  EXPECT_EQ(names(groups), (std::vector<std::vector<std::string>>{{"f0"}, {"f1"}, {"f2"}}));
}

TEST(FileGroupTest, BalancesBytesAndKeepsOrder) {
  // Four small files weigh as much as the last big one.
  auto groups = split_file_groups(sized({10, 10, 10, 10, 40}), 2);
  EXPECT_EQ(names(groups),
            (std::vector<std::vector<std::string>>{{"f0", "f1", "f2", "f3"}, {"f4"}}));
  auto even = split_file_groups(sized({5, 5, 5, 5, 5, 5}), 3);
  EXPECT_EQ(names(even),
            (std::vector<std::vector<std::string>>{{"f0", "f1"}, {"f2", "f3"}, {"f4", "f5"}}));
  // A huge first file leaves the rest to the other groups, one file each at least.
  auto skewed = split_file_groups(sized({1000, 1, 1, 1}), 3);
  EXPECT_EQ(names(skewed), (std::vector<std::vector<std::string>>{{"f0"}, {"f1"}, {"f2", "f3"}}));
}

TEST(FileGroupTest, OnePartitionTakesEveryFileAndNoFilesGiveNoGroups) {
  auto groups = split_file_groups(sized({1, 2, 3}), 1);
  EXPECT_EQ(names(groups), (std::vector<std::vector<std::string>>{{"f0", "f1", "f2"}}));
  EXPECT_TRUE(split_file_groups({}, 4).empty());
}

TEST(FileGroupTest, DisplayMatchesDataFusion) {
  EXPECT_EQ(display_file_groups(split_file_groups(sized({1, 1}), 1)), "{1 group: [[f0, f1]]}");
  EXPECT_EQ(display_file_groups(split_file_groups(sized({1, 1}), 2)), "{2 groups: [[f0], [f1]]}");
  // At most five groups and five files per group are listed.
  EXPECT_EQ(display_file_groups(split_file_groups(sized({1, 1, 1, 1, 1, 1, 1}), 7)),
            "{7 groups: [[f0], [f1], [f2], [f3], [f4], ...]}");
  EXPECT_EQ(display_file_groups(split_file_groups(sized({1, 1, 1, 1, 1, 1, 1}), 1)),
            "{1 group: [[f0, f1, f2, f3, f4, ...]]}");
}

}  // namespace
}  // namespace quiver::datasource
