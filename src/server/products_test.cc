#include "server/products.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

namespace vigil::server {
namespace {

namespace fs = std::filesystem;

class ProductsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::path(::testing::TempDir()) / "vigil_products_test";
    fs::remove_all(dir_);
    fs::create_directories(dir_ / "sub.html");
    Write("watchlist.html", "<html>w</html>");
    Write("demo-sync-matrix.xlsx", "PK");
    Write("backtest.csv", "a,b\n");
    Write(".hidden.html", "x");
    Write("notes.exe", "x");
    std::ofstream(dir_.parent_path() / "vigil_products_secret.html") << "secret";
    fs::create_symlink(dir_.parent_path() / "vigil_products_secret.html", dir_ / "link.html");
  }
  void TearDown() override {
    fs::remove_all(dir_);
    fs::remove(dir_.parent_path() / "vigil_products_secret.html");
  }
  void Write(const std::string& name, const std::string& content) { std::ofstream(dir_ / name) << content; }
  fs::path dir_;
};

TEST_F(ProductsTest, OnlyPlainRegularFilesOfAProductTypeAreListed) {
  auto list = ListProducts(dir_.string());
  ASSERT_TRUE(list.ok()) << list.status().ToString();
  std::vector<std::string> names;
  for (const auto& p : *list) names.push_back(p.name);
  EXPECT_EQ(names, (std::vector<std::string>{"backtest.csv", "demo-sync-matrix.xlsx", "watchlist.html"}));
  EXPECT_TRUE((*list)[0].attachment);
  EXPECT_FALSE((*list)[2].attachment);
  EXPECT_EQ((*list)[2].bytes, 14);
  EXPECT_EQ((*list)[2].content_type, "text/html; charset=utf-8");
  EXPECT_EQ(ListProducts("").status().code(), Status::Code::kFailedPrecondition);
}

TEST_F(ProductsTest, ReadingRefusesLinksTraversalAndOtherNamesAlike) {
  auto w = ReadProduct(dir_.string(), "watchlist.html");
  ASSERT_TRUE(w.ok()) << w.status().ToString();
  EXPECT_EQ(w->second, "<html>w</html>");
  for (const char* name : {"link.html", "../vigil_products_secret.html", "..%2Fvigil_products_secret.html",
                           ".hidden.html", "notes.exe", "sub.html", "missing.html", ""}) {
    auto r = ReadProduct(dir_.string(), name);
    EXPECT_EQ(r.status().code(), Status::Code::kNotFound) << name;
  }
}

}  // namespace
}  // namespace vigil::server
