// Every HTML product with hostile text in every free-text field: the demo
// case is loaded, then every text column of the store and every free-text
// string inside its JSON documents gets markup, event handlers and a
// javascript: link appended (by raw SQL, as if typed by a user or imported),
// and every product must show it as text.
#include <sqlite3.h>

#include <regex>
#include <string>
#include <vector>

#include "tests/e2e/e2e_util.h"

namespace vigil::e2e {
namespace {

const std::string kHostile =
    " <script>alert(1)</script>\"><img src=x onerror=alert(2)>'><a href=\"javascript:alert(3)\">x</a>";

class HostileTextTest : public CliTest {};

// Free text in a JSON document: strings that are not identifiers or codes.
bool IsFreeText(const std::string& s) {
  static const std::regex code("^[A-Za-z0-9_.:/+>-]*$");  // also stage moves, IA->IB
  return !std::regex_match(s, code);
}

void Poison(json& j, int* changed) {
  if (j.is_string()) {
    if (IsFreeText(j.get<std::string>())) {
      j = j.get<std::string>() + kHostile;
      ++*changed;
    }
  } else if (j.is_array() || j.is_object()) {
    for (auto& v : j) Poison(v, changed);
  }
}

struct Sqlite {
  sqlite3* db = nullptr;
  explicit Sqlite(const std::string& path) { sqlite3_open(path.c_str(), &db); }
  ~Sqlite() { sqlite3_close(db); }
  std::vector<std::vector<std::string>> Query(const std::string& sql) {
    std::vector<std::vector<std::string>> rows;
    sqlite3_stmt* st = nullptr;
    if (sqlite3_prepare_v2(db, sql.c_str(), -1, &st, nullptr) != SQLITE_OK) return rows;
    while (sqlite3_step(st) == SQLITE_ROW) {
      std::vector<std::string> r;
      for (int i = 0; i < sqlite3_column_count(st); ++i) {
        auto* t = sqlite3_column_text(st, i);
        r.push_back(t ? reinterpret_cast<const char*>(t) : "");
      }
      rows.push_back(r);
    }
    sqlite3_finalize(st);
    return rows;
  }
  bool Exec(const std::string& sql) { return sqlite3_exec(db, sql.c_str(), nullptr, nullptr, nullptr) == SQLITE_OK; }
};

std::string Q(const std::string& s) {
  std::string out = "'";
  for (char c : s) out += c == '\'' ? std::string("''") : std::string(1, c);
  return out + "'";
}

// Products to render: tab and extra arguments.
const std::vector<std::vector<std::string>> kProducts = {
    {"1"}, {"2"}, {"2", "--brief"}, {"3"}, {"4"}, {"4", "--brief"}, {"5"}, {"6"}, {"7"}, {"8"}, {"9"}, {"10"}};

TEST_F(HostileTextTest, EveryHtmlProductEscapesEveryFreeTextField) {
  ASSERT_EQ(Run({"demo", "load"}).exit_code, 0);
  std::vector<bool> rendered_before;
  for (const auto& p : kProducts) {
    std::vector<std::string> args = {"report", "demo-veridia", "--tab"};
    args.insert(args.end(), p.begin(), p.end());
    args.insert(args.end(), {"--format", "html"});
    rendered_before.push_back(Run(args).exit_code == 0);
  }

  int text_cells = 0, json_strings = 0;
  {
    Sqlite s(db_path_);
    ASSERT_NE(s.db, nullptr);
    for (const auto& t : s.Query("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE "
                                 "'sqlite_%' AND name NOT LIKE '%audit%' AND name <> 'countries'")) {
      const std::string table = t[0];
      for (const auto& col : s.Query("SELECT name, type FROM pragma_table_info(" + Q(table) + ")")) {
        if (col[1] != "TEXT") continue;
        const std::string c = col[0];
        if (c == "slug" || c.ends_with("_at") || c == "at" || c.find("date") != std::string::npos ||
            c == "as_of" || c == "status" || c == "kind" || c == "framework" || c == "level" ||
            c == "item" || c == "stage" || c == "position" || c == "owner" || c == "ref" || c == "target") {
          continue;  // codes and dates the schema or the products parse
        }
        for (const auto& row : s.Query("SELECT rowid, " + c + " FROM " + table + " WHERE " + c +
                                       " IS NOT NULL AND " + c + " <> ''")) {
          json j = json::parse(row[1], nullptr, false);
          std::string value;
          if (!j.is_discarded() && (j.is_object() || j.is_array())) {
            int n = 0;
            Poison(j, &n);
            if (n == 0) continue;
            json_strings += n;
            value = j.dump();
          } else if (IsFreeText(row[1])) {
            value = row[1] + kHostile;
            ++text_cells;
          } else {
            continue;
          }
          s.Exec("UPDATE " + table + " SET " + c + " = " + Q(value) + " WHERE rowid = " + row[0]);
        }
      }
    }
  }
  EXPECT_GT(text_cells, 50);
  EXPECT_GT(json_strings, 50);

  const std::regex unescaped_tag("<(script|img)\\b", std::regex::icase);
  const std::regex handler("<[^>]*\\bonerror\\s*=", std::regex::icase);
  const std::regex js_link("(href|src)\\s*=\\s*[\"']?\\s*javascript:", std::regex::icase);
  int checked = 0;
  for (std::size_t i = 0; i < kProducts.size(); ++i) {
    std::vector<std::string> args = {"report", "demo-veridia", "--tab"};
    args.insert(args.end(), kProducts[i].begin(), kProducts[i].end());
    args.insert(args.end(), {"--format", "html"});
    SCOPED_TRACE("tab " + kProducts[i][0] + (kProducts[i].size() > 1 ? " --brief" : ""));
    RunResult r = Run(args);
    if (!rendered_before[i]) continue;
    ASSERT_EQ(r.exit_code, 0) << r.err;
    ++checked;
    EXPECT_NE(r.out.find("&lt;script&gt;alert(1)&lt;/script&gt;"), std::string::npos)
        << "the hostile text is shown, escaped";
    std::smatch m;
    EXPECT_FALSE(std::regex_search(r.out, m, unescaped_tag)) << m.str() << " in " << r.out.substr(0, 2000);
    EXPECT_FALSE(std::regex_search(r.out, m, handler)) << m.str();
    EXPECT_FALSE(std::regex_search(r.out, m, js_link)) << m.str();
  }
  EXPECT_GE(checked, 10);
}

// File names vigil derives from user text come from the case slug, which
// is lower-case letters, digits and '-' only.
TEST_F(HostileTextTest, SlugsFromHostileTitlesCannotLeaveAFolder) {
  RunResult derived = Run({"case", "new", "--title", "../../etc/passwd <script>", "--region", "x", "--json"});
  ASSERT_EQ(derived.exit_code, 0) << derived.err;
  const std::string slug = ParseJson(derived)["slug"];
  EXPECT_TRUE(std::regex_match(slug, std::regex("^[a-z0-9-]+$"))) << slug;
  for (const char* bad : {"../x", "a/b", "..", ".hidden", "a\\b", "A"}) {
    RunResult r = Run({"case", "new", "--title", "t", "--region", "x", "--slug", bad});
    EXPECT_NE(r.exit_code, 0) << bad;
    EXPECT_NE(r.err.find("slug"), std::string::npos) << r.err;
  }
}

}  // namespace
}  // namespace vigil::e2e
