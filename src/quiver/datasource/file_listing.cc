#include "quiver/datasource/file_listing.h"

#include <fnmatch.h>

#include <algorithm>
#include <filesystem>
#include <system_error>

namespace quiver::datasource {

namespace fs = std::filesystem;

namespace {

bool is_hidden(const fs::path& p) {
  const std::string name = p.filename().string();
  return !name.empty() && (name[0] == '.' || name[0] == '_');
}

bool has_extension(const std::string& name, const std::vector<std::string>& extensions) {
  if (extensions.empty()) return true;
  for (const auto& ext : extensions) {
    if (name.size() >= ext.size() && name.compare(name.size() - ext.size(), ext.size(), ext) == 0) {
      return true;
    }
  }
  return false;
}

arrow::Result<FileEntry> entry_for(const fs::path& p) {
  std::error_code ec;
  const auto size = fs::file_size(p, ec);
  if (ec)
    return arrow::Status::IOError("cannot read the size of '", p.string(), "': ", ec.message());
  return FileEntry{p.string(), static_cast<int64_t>(size)};
}

// Walks `dir` recursively (at most `max_depth` directory levels below it; -1 = no limit) and
// keeps the regular files `keep` accepts; hidden entries (and hidden directories' contents)
// are skipped.
template <typename Keep>
arrow::Status walk(const fs::path& dir, Keep keep, std::vector<FileEntry>& out,
                   int max_depth = -1) {
  std::error_code ec;
  fs::recursive_directory_iterator it(dir, fs::directory_options::follow_directory_symlink, ec);
  if (ec)
    return arrow::Status::IOError("cannot list directory '", dir.string(), "': ", ec.message());
  for (; it != fs::recursive_directory_iterator(); it.increment(ec)) {
    if (ec)
      return arrow::Status::IOError("cannot list directory '", dir.string(), "': ", ec.message());
    const fs::path& p = it->path();
    if (is_hidden(p)) {
      if (it->is_directory(ec)) it.disable_recursion_pending();
      continue;
    }
    if (max_depth >= 0 && it.depth() >= max_depth && it->is_directory(ec)) {
      it.disable_recursion_pending();
    }
    if (!it->is_regular_file(ec)) continue;
    if (!keep(p)) continue;
    ARROW_ASSIGN_OR_RAISE(auto entry, entry_for(p));
    out.push_back(std::move(entry));
  }
  return arrow::Status::OK();
}

// Returns the directory part of a glob before its first component with a wildcard.
fs::path glob_base(std::string_view pattern) {
  const size_t wild = pattern.find_first_of("*?[");
  const size_t slash = pattern.rfind('/', wild);
  if (slash == std::string_view::npos) return fs::path(".");
  if (slash == 0) return fs::path("/");
  return fs::path(std::string(pattern.substr(0, slash)));
}

}  // namespace

bool is_glob(std::string_view path) { return path.find_first_of("*?[") != std::string_view::npos; }

arrow::Result<std::vector<FileEntry>> list_files(std::string_view path,
                                                 const std::vector<std::string>& extensions) {
  std::string_view p = path;
  if (p.rfind("file://", 0) == 0) {
    p.remove_prefix(7);
  } else if (p.find("://") != std::string_view::npos) {
    return arrow::Status::NotImplemented("reading from '", path,
                                         "': only local files are supported");
  }
  if (p.empty()) return arrow::Status::Invalid("empty table path");

  std::vector<FileEntry> out;
  if (is_glob(p)) {
    const std::string pattern(p);
    const fs::path base = glob_base(p);
    // `*` does not cross `/`, so the walk goes no deeper than the pattern's remaining levels.
    const std::string_view rest =
        base == fs::path(".") && pattern.rfind("./", 0) != 0 ? p : p.substr(base.string().size());
    int levels = 0;
    for (size_t i = 0; i + 1 < rest.size(); ++i) levels += rest[i] == '/' && i > 0 ? 1 : 0;
    // Paths under "." come out as "./x"; match them without that prefix when the pattern has none.
    const bool strip_dot = base == fs::path(".") && pattern.rfind("./", 0) != 0;
    std::error_code ec;
    if (fs::is_directory(base, ec)) {
      ARROW_RETURN_NOT_OK(walk(
          base,
          [&](const fs::path& f) {
            std::string s = f.string();
            if (strip_dot && s.rfind("./", 0) == 0) s = s.substr(2);
            return fnmatch(pattern.c_str(), s.c_str(), FNM_PATHNAME) == 0;
          },
          out, levels));
    }
    if (strip_dot) {
      for (auto& f : out) {
        if (f.path.rfind("./", 0) == 0) f.path = f.path.substr(2);
      }
    }
    if (out.empty()) return arrow::Status::Invalid("no files match '", path, "'");
  } else {
    const fs::path fp{std::string(p)};
    std::error_code ec;
    const auto status = fs::status(fp, ec);
    if (ec || !fs::exists(status)) {
      return arrow::Status::Invalid("table path '", path, "' does not exist");
    }
    if (fs::is_directory(status)) {
      ARROW_RETURN_NOT_OK(walk(
          fp, [&](const fs::path& f) { return has_extension(f.filename().string(), extensions); },
          out));
    } else {
      ARROW_ASSIGN_OR_RAISE(auto entry, entry_for(fp));
      out.push_back(std::move(entry));
    }
  }
  std::sort(out.begin(), out.end(),
            [](const FileEntry& a, const FileEntry& b) { return a.path < b.path; });
  return out;
}

}  // namespace quiver::datasource
