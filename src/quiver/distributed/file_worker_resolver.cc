#include "quiver/distributed/file_worker_resolver.h"

#include <fstream>
#include <sstream>
#include <system_error>

namespace quiver::distributed {

namespace {

std::string trim(const std::string& text) {
  const char* spaces = " \t\r\n";
  const size_t begin = text.find_first_not_of(spaces);
  if (begin == std::string::npos) return "";
  const size_t end = text.find_last_not_of(spaces);
  return text.substr(begin, end - begin + 1);
}

}  // namespace

std::vector<std::string> parse_worker_list(const std::string& text) {
  std::vector<std::string> urls;
  std::istringstream lines(text);
  std::string line;
  while (std::getline(lines, line)) {
    line = trim(line);
    if (line.empty() || line.front() == '#') continue;
    urls.push_back(line);
  }
  return urls;
}

arrow::Result<std::vector<std::string>> FileWorkerResolver::worker_urls() const {
  namespace fs = std::filesystem;
  std::error_code error;
  const fs::file_time_type modified = fs::last_write_time(path_, error);
  if (error) {
    return arrow::Status::Invalid("cannot read the worker list '", path_, "': ", error.message());
  }
  const std::uintmax_t size = fs::file_size(path_, error);
  if (error) {
    return arrow::Status::Invalid("cannot read the worker list '", path_, "': ", error.message());
  }
  std::lock_guard<std::mutex> lock(mutex_);
  if (!loaded_ || modified != modified_ || size != size_) {
    std::ifstream input(path_);
    if (!input) return arrow::Status::Invalid("cannot open the worker list '", path_, "'");
    std::ostringstream text;
    text << input.rdbuf();
    urls_ = parse_worker_list(text.str());
    modified_ = modified;
    size_ = size;
    loaded_ = true;
  }
  if (urls_.empty()) {
    return arrow::Status::Invalid("the worker list '", path_, "' names no worker URL");
  }
  return urls_;
}

}  // namespace quiver::distributed
