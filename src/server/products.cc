#include "server/products.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstring>
#include <ctime>
#include <filesystem>

namespace vigil::server {
namespace {

constexpr std::int64_t kMaxProductBytes = 64LL << 20;

struct Type {
  const char* ext;
  const char* content_type;
  bool attachment;
};
constexpr Type kTypes[] = {
    {".html", "text/html; charset=utf-8", false},
    {".svg", "image/svg+xml", false},
    {".pdf", "application/pdf", false},
    {".txt", "text/plain; charset=utf-8", false},
    {".json", "application/json", false},
    {".md", "text/markdown; charset=utf-8", true},
    {".csv", "text/csv; charset=utf-8", true},
    {".xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", true},
};

std::string Utc(std::time_t t) {
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

Status NoProduct(const std::string& name) {
  return Status::NotFound("no product '" + name.substr(0, 100) + "'");
}

}  // namespace

bool ProductType(const std::string& name, ProductFile* out) {
  if (name.empty() || name.size() > 200 || name[0] == '.') return false;
  for (unsigned char c : name) {
    if (!std::isalnum(c) && c != '.' && c != '-' && c != '_') return false;
  }
  for (const Type& t : kTypes) {
    const std::size_t n = std::strlen(t.ext);
    if (name.size() > n && name.compare(name.size() - n, n, t.ext) == 0) {
      out->name = name;
      out->content_type = t.content_type;
      out->attachment = t.attachment;
      return true;
    }
  }
  return false;
}

Result<std::vector<ProductFile>> ListProducts(const std::string& dir) {
  if (dir.empty()) return Status::FailedPrecondition("this server publishes no products (vigil serve --products DIR)");
  std::error_code ec;
  std::filesystem::directory_iterator it(dir, ec);
  if (ec) return Status::NotFound("products: cannot read the products directory");
  std::vector<ProductFile> out;
  for (const auto& entry : it) {
    ProductFile p;
    if (!ProductType(entry.path().filename().string(), &p)) continue;
    struct stat st {};
    if (lstat(entry.path().c_str(), &st) != 0 || !S_ISREG(st.st_mode)) continue;
    p.bytes = st.st_size;
    p.modified = Utc(st.st_mtime);
    out.push_back(std::move(p));
  }
  std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.name < b.name; });
  return out;
}

Result<std::pair<ProductFile, std::string>> ReadProduct(const std::string& dir, const std::string& name) {
  if (dir.empty()) return Status::FailedPrecondition("this server publishes no products (vigil serve --products DIR)");
  ProductFile p;
  if (!ProductType(name, &p)) return NoProduct(name);
  // O_NOFOLLOW: a symbolic link planted in the directory is not followed.
  const std::string path = dir + "/" + name;
  const int fd = open(path.c_str(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK);
  if (fd < 0) return NoProduct(name);
  struct stat st {};
  if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || st.st_size > kMaxProductBytes) {
    close(fd);
    return NoProduct(name);
  }
  std::string body(static_cast<std::size_t>(st.st_size), '\0');
  std::size_t done = 0;
  while (done < body.size()) {
    const ssize_t n = read(fd, body.data() + done, body.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    done += static_cast<std::size_t>(n);
  }
  close(fd);
  body.resize(done);
  p.bytes = static_cast<std::int64_t>(done);
  p.modified = Utc(st.st_mtime);
  return std::make_pair(std::move(p), std::move(body));
}

}  // namespace vigil::server
