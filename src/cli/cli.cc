#include "cli/cli.h"

#include <sys/stat.h>

#include <cerrno>
#include <cstring>

#include <pwd.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <memory>
#include <mutex>

#include "app/access.h"
#include "app/accounts.h"
#include "data/countries.h"
#include "store/country_store.h"

namespace vigil::cli {

namespace {
int g_exit = kExitOk;
}

void SetExit(int code) { g_exit = code; }
int ExitCode() { return g_exit; }

Result<store::Db*> Context::Db() {
  if (!db_) {
    VIGIL_ASSIGN_OR_RETURN(auto db, store::Db::Open(db_path));
    // Every command sees the reference country table (a no-op when unchanged).
    VIGIL_RETURN_IF_ERROR(store::SyncCountries(*db, data::Countries()));
    db_ = std::move(db);
  }
  return db_.get();
}

Result<Principal> Context::Who() {
  if (as_user.empty()) {
    const struct passwd* pw = getpwuid(geteuid());
    return Principal{0, std::string("local:") + (pw && pw->pw_name ? pw->pw_name : std::to_string(geteuid())), "",
                     true};
  }
  VIGIL_ASSIGN_OR_RETURN(store::Db * db, Db());
  auto p = app::PrincipalOf(*db, as_user);
  if (!p.ok()) return p.status().WithContext("--as");
  return p;
}


Result<Principal> Context::Authorized(std::string_view action) {
  VIGIL_ASSIGN_OR_RETURN(Principal who, Who());
  VIGIL_ASSIGN_OR_RETURN(store::Db * db, Db());
  VIGIL_RETURN_IF_ERROR(app::Authorize(*db, who, action));
  return who;
}

ProgressFn Context::Progress(std::string label) const {
  if (quiet) return nullptr;
  bool tty = isatty(STDERR_FILENO);
  auto last_decile = std::make_shared<int>(-1);
  auto mu = std::make_shared<std::mutex>();
  return [label, tty, last_decile, mu](std::size_t done, std::size_t total, std::string_view what) {
    std::lock_guard<std::mutex> lock(*mu);
    if (total == 0) return;
    double frac = static_cast<double>(done) / static_cast<double>(total);
    if (tty) {
      constexpr int kWidth = 30;
      int filled = static_cast<int>(frac * kWidth);
      std::string bar(filled, '#');
      bar.resize(kWidth, '.');
      std::fprintf(stderr, "\r%s [%s] %zu/%zu %.*s\033[K", label.c_str(), bar.c_str(), done, total,
                   static_cast<int>(what.size()), what.data());
      if (done == total) std::fputc('\n', stderr);
    } else {
      int decile = static_cast<int>(frac * 10);
      if (decile == *last_decile && done != total) return;
      *last_decile = decile;
      std::fprintf(stderr, "%s: %zu/%zu %.*s\n", label.c_str(), done, total,
                   static_cast<int>(what.size()), what.data());
    }
    std::fflush(stderr);
  };
}

Result<LoadedPanel> LoadPanelForModel(Context& ctx, const std::string& name, std::int64_t version) {
  VIGIL_ASSIGN_OR_RETURN(store::Db * db, ctx.Db());
  auto info = store::GetDataset(*db, name, version);
  if (!info.ok()) {
    if (info.status().code() != Status::Code::kNotFound) return info.status();
    return Status::NotFound(info.status().message() + " (database " + ctx.db_path +
                            "); import a panel first: vigil import panel FILE --name " + name);
  }
  VIGIL_ASSIGN_OR_RETURN(Panel panel, store::LoadPanel(*db, name, info->version));
  return LoadedPanel{std::move(panel), std::move(*info)};
}

int Fail(const Status& status) {
  std::cerr << "vigil: " << status.message() << "\n";
  return status.code() == Status::Code::kAborted ? kExitConflict : kExitError;
}

void PrintJson(const nlohmann::json& j) { std::cout << j.dump(2) << "\n"; }

Status WriteJsonFile(const std::string& path, const nlohmann::json& j) {
  if (path == "-") {
    PrintJson(j);
    return Status::Ok();
  }
  return WriteTextFile(path, j.dump(2) + "\n");
}

namespace {
bool g_shareable = false;
}  // namespace

void SetShareableExports(bool shareable) { g_shareable = shareable; }
unsigned ExportMode() { return g_shareable ? 0644 : 0600; }

Status FinishExport(const std::string& path) {
  if (::chmod(path.c_str(), static_cast<mode_t>(ExportMode())) != 0) {
    return Status::IoError("cannot set the mode of " + path + ": " + std::strerror(errno));
  }
  return Status::Ok();
}

Status WriteTextFile(const std::string& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary);
  if (!out) return Status::IoError("cannot write " + path);
  out << text;
  out.close();
  if (!out) return Status::IoError("error writing " + path);
  return FinishExport(path);
}

std::string Clip(const std::string& s, std::size_t n) {
  if (n == 0) return "";
  std::size_t points = 0;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if ((static_cast<unsigned char>(s[i]) & 0xC0) == 0x80) continue;  // continuation byte
    if (points == n - 1) {
      std::size_t rest = 0;
      for (std::size_t k = i; k < s.size(); ++k) rest += (static_cast<unsigned char>(s[k]) & 0xC0) != 0x80;
      return rest > 1 ? s.substr(0, i) + "…" : s;
    }
    ++points;
  }
  return s;
}

std::string OneLine(std::string s) {
  for (auto& ch : s) {
    if (ch == '\n' || ch == '\r' || ch == '\t') ch = ' ';
  }
  return s;
}

}  // namespace vigil::cli
