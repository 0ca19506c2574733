// Shared helpers of the end-to-end CLI tests: run the built vigil binary
// (VIGIL_BINARY) against a temporary database and capture what it prints.
#pragma once

#include <gtest/gtest.h>
#include <sys/wait.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "store/db.h"

namespace vigil::e2e {

namespace fs = std::filesystem;
using nlohmann::json;

inline const std::string kRealFile =
    std::string(VIGIL_SHARED_DATA) + "/ewp-2025/prepared2024predictors-2025-09-03.csv";

inline constexpr const char* kTestPassword = "correct horse battery staple";

struct RunResult {
  int exit_code = -1;
  std::string out, err;
};

inline std::string ShellQuote(const std::string& s) {
  std::string q = "'";
  for (char c : s) q += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return q + "'";
}

inline std::string Slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// A temporary directory and database per test.
class CliTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    dir_ = fs::path(::testing::TempDir()) / (std::string("vigil_e2e_") + info->test_suite_name() + "_" + info->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    db_path_ = (dir_ / "vigil.db").string();
  }
  void TearDown() override { fs::remove_all(dir_); }

  RunResult Run(const std::vector<std::string>& args) {
    std::string cmd = ShellQuote(VIGIL_BINARY) + " --db " + ShellQuote(db_path_);
    for (const auto& a : args) cmd += " " + ShellQuote(a);
    const std::string err_path = (dir_ / "stderr.txt").string();
    cmd += " 2>" + ShellQuote(err_path);
    RunResult r;
    std::FILE* p = popen(cmd.c_str(), "r");
    if (!p) {
      ADD_FAILURE() << "cannot run " << cmd;
      return r;
    }
    char buf[4096];
    std::size_t n;
    while ((n = std::fread(buf, 1, sizeof buf, p)) > 0) r.out.append(buf, n);
    int status = pclose(p);
    r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    r.err = Slurp(err_path);
    return r;
  }

  // Creates an account with `role` (its password read from standard input).
  void AddUser(const std::string& name, const std::string& role) {
    const std::string cmd = ShellQuote(VIGIL_BINARY) + " --db " + ShellQuote(db_path_) + " user add " +
                            ShellQuote(name) + " --role " + ShellQuote(role) + " --password-stdin >/dev/null";
    std::FILE* p = popen(cmd.c_str(), "w");
    ASSERT_NE(p, nullptr);
    std::fputs(kTestPassword, p);
    ASSERT_EQ(pclose(p), 0) << "user add " << name;
  }
  // Makes account `name` a member of case `slug` with `role` on it.
  void AddMember(const std::string& slug, const std::string& name, const std::string& role) {
    RunResult r = Run({"case", "member", "add", slug, name, "--role", role});
    ASSERT_EQ(r.exit_code, 0) << "case member add " << slug << " " << name << ": " << r.err;
  }

  std::string Write(const std::string& name, const std::string& content) {
    std::string path = (dir_ / name).string();
    std::ofstream(path, std::ios::binary) << content;
    return path;
  }

  // Rows in a table of the test database (0 if the database was never made).
  std::int64_t Count(const std::string& table) {
    if (!fs::exists(db_path_)) return 0;
    auto db = store::Db::Open(db_path_);
    EXPECT_TRUE(db.ok()) << db.status().ToString();
    auto st = (*db)->Prepare("SELECT count(*) FROM " + table);
    EXPECT_TRUE(st.ok());
    EXPECT_TRUE(*st->Step());
    return st->Int(0);
  }

  fs::path dir_;
  std::string db_path_;
};

#define SKIP_WITHOUT_REAL_DATA()                                                         \
  if (!fs::exists(kRealFile)) {                                                          \
    GTEST_SKIP() << "shared data not found: " << kRealFile << " (real-data tests skipped)"; \
  }

inline json ParseJson(const RunResult& r) {
  json j = json::parse(r.out, nullptr, /*allow_exceptions=*/false);
  EXPECT_FALSE(j.is_discarded()) << "not JSON: " << r.out << "\nstderr: " << r.err;
  return j;
}

}  // namespace vigil::e2e
