// End-to-end: vigil demo load, vigil case list, vigil report --tab 1|2|3|10.
// The demo case is fictional and compiled into vigil: no shared data needed.
#include <cstdlib>

#include "tests/e2e/e2e_util.h"

namespace vigil::e2e {
namespace {

class ReportCli : public CliTest {};

TEST_F(ReportCli, DemoLoadIsIdempotentAndListed) {
  auto first = Run({"demo", "load"});
  ASSERT_EQ(first.exit_code, 0) << first.err;
  EXPECT_NE(first.out.find("loaded demo case 'demo-veridia'"), std::string::npos) << first.out;
  const auto audit_rows = Count("case_audit");
  EXPECT_GT(audit_rows, 50) << "every entity of the demo is written with its audit row";
  const auto actors = Count("case_actors");
  EXPECT_GE(actors, 10);
  EXPECT_LE(actors, 20);

  auto second = Run({"demo", "load"});
  ASSERT_EQ(second.exit_code, 0) << second.err;
  EXPECT_NE(second.out.find("already loaded"), std::string::npos) << second.out;
  EXPECT_EQ(Count("case_audit"), audit_rows) << "a second load writes nothing";
  EXPECT_EQ(Count("case_actors"), actors);

  auto list = Run({"case", "list", "--json"});
  ASSERT_EQ(list.exit_code, 0) << list.err;
  json j = ParseJson(list);
  ASSERT_TRUE(j.is_array());
  ASSERT_EQ(j.size(), 1u);
  EXPECT_EQ(j[0]["slug"], "demo-veridia");
  EXPECT_NE(j[0]["title"].get<std::string>().find("fictional"), std::string::npos);
  EXPECT_TRUE(j[0]["gw"].is_null()) << "the demo is about a fictional country: no GW code";

  auto again = Run({"demo", "load", "--json"});
  ASSERT_EQ(again.exit_code, 0) << again.err;
  EXPECT_EQ(ParseJson(again)["created"], false);
}

TEST_F(ReportCli, ProductsShowTheEnteredFactsAndTheDissent) {
  ASSERT_EQ(Run({"demo", "load"}).exit_code, 0);
  for (std::string format : {"md", "html"}) {
    SCOPED_TRACE(format);
    auto t1 = Run({"report", "demo-veridia", "--tab", "1", "--format", format});
    ASSERT_EQ(t1.exit_code, 0) << t1.err;
    EXPECT_NE(t1.out.find("Initial Guidance"), std::string::npos);
    EXPECT_NE(t1.out.find("Fictional Office of Conflict Prevention"), std::string::npos);
    EXPECT_NE(t1.out.find("demo: R. Lindqvist"), std::string::npos);
    EXPECT_NE(t1.out.find("No contact with the armed Oskari self-defence group"), std::string::npos);

    auto t2 = Run({"report", "demo-veridia", "--tab", "2", "--format", format});
    ASSERT_EQ(t2.exit_code, 0) << t2.err;
    EXPECT_NE(t2.out.find("Oskari families lost land titles in the 2024 revision"), std::string::npos);
    EXPECT_NE(t2.out.find("Organized killings around the vote"), std::string::npos);
    auto brief = Run({"report", "demo-veridia", "--tab", "2", "--brief", "--format", format});
    ASSERT_EQ(brief.exit_code, 0) << brief.err;
    EXPECT_NE(brief.out.find("briefing"), std::string::npos);
    EXPECT_EQ(brief.out.find("Organized killings around the vote"), std::string::npos) << "Part II is not in the brief";

    auto t3 = Run({"report", "demo-veridia", "--tab", "3", "--format", format});
    ASSERT_EQ(t3.exit_code, 0) << t3.err;
    EXPECT_NE(t3.out.find("Vanguard of the Hills"), std::string::npos);
    EXPECT_NE(t3.out.find("third-party-enabler"), std::string::npos);
    // The dissent on OSAPG category 7, beside the majority's rationale.
    auto maj = t3.out.find("no statements of intent to destroy the Oskari found so far");
    auto dis = t3.out.find("read together with the household lists this shows intent");
    ASSERT_NE(maj, std::string::npos);
    ASSERT_NE(dis, std::string::npos);
    EXPECT_GT(dis, maj);
    if (format == "md") {
      EXPECT_GT(t3.out.find('\n', maj), dis) << "md: same table row";
    } else {
      EXPECT_LT(dis, t3.out.find("</tr>", maj)) << "html: same table row";
    }
    EXPECT_NE(t3.out.find("invalidated"), std::string::npos);
    EXPECT_NE(t3.out.find("Who compiled the lists of Oskari households"), std::string::npos);

    auto t10 = Run({"report", "demo-veridia", "--tab", "10", "--from", "2026-01-01", "--to", "2026-03-31", "--format",
                    format});
    ASSERT_EQ(t10.exit_code, 0) << t10.err;
    EXPECT_TRUE(t10.out.find("Moderate -&gt; High") != std::string::npos ||
                t10.out.find("Moderate -> High") != std::string::npos);
    EXPECT_NE(t10.out.find("began: third-party-enabler"), std::string::npos);
    EXPECT_NE(t10.out.find("The army as a whole stays neutral"), std::string::npos);
    EXPECT_NE(t10.out.find("approved by the regional director"), std::string::npos);
  }
}

TEST_F(ReportCli, OutFileJsonAndErrors) {
  ASSERT_EQ(Run({"demo", "load"}).exit_code, 0);
  const std::string out = (dir_ / "tab3.html").string();
  auto r = Run({"report", "demo-veridia", "--tab", "3", "--format", "html", "--out", out});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(r.out.empty());
  std::string html = Slurp(out);
  EXPECT_EQ(html.rfind("<!DOCTYPE html>", 0), 0u);
  EXPECT_NE(html.find("</html>"), std::string::npos);

  auto j = Run({"report", "demo-veridia", "--tab", "1", "--json"});
  ASSERT_EQ(j.exit_code, 0) << j.err;
  json doc = ParseJson(j);
  EXPECT_EQ(doc["tab"], 1);
  EXPECT_NE(doc["content"].get<std::string>().find("Initial Guidance"), std::string::npos);

  auto no_range = Run({"report", "demo-veridia", "--tab", "10"});
  EXPECT_EQ(no_range.exit_code, 1);
  EXPECT_NE(no_range.err.find("--from"), std::string::npos);
  auto bad_date = Run({"report", "demo-veridia", "--tab", "10", "--from", "2026-02-30", "--to", "2026-03-01"});
  EXPECT_EQ(bad_date.exit_code, 1);
  EXPECT_NE(bad_date.err.find("--from"), std::string::npos) << bad_date.err;
  auto bad_tab = Run({"report", "demo-veridia", "--tab", "11"});
  EXPECT_EQ(bad_tab.exit_code, 2);
  auto agency_not_tab9 = Run({"report", "demo-veridia", "--tab", "8", "--agency", "State"});
  EXPECT_EQ(agency_not_tab9.exit_code, 1);
  EXPECT_NE(agency_not_tab9.err.find("--agency"), std::string::npos) << agency_not_tab9.err;
  auto unknown = Run({"report", "no-such-case", "--tab", "1"});
  EXPECT_EQ(unknown.exit_code, 1);
  EXPECT_NE(unknown.err.find("no-such-case"), std::string::npos) << unknown.err;
  auto pdf_no_out = Run({"report", "demo-veridia", "--tab", "1", "--format", "pdf"});
  EXPECT_EQ(pdf_no_out.exit_code, 1);
  EXPECT_NE(pdf_no_out.err.find("--out"), std::string::npos);
}

// PDF: printed by headless Chromium when it is installed; without it (PATH
// emptied), a clear error that names chromium and the html alternative.
TEST_F(ReportCli, PdfWithAndWithoutChromium) {
  ASSERT_EQ(Run({"demo", "load"}).exit_code, 0);
  const std::string pdf = (dir_ / "tab1.pdf").string();
  const std::string err = (dir_ / "nochromium.txt").string();
  std::string cmd = "PATH=/nonexistent " + ShellQuote(VIGIL_BINARY) + " --db " + ShellQuote(db_path_) +
                    " report demo-veridia --tab 1 --format pdf --out " + ShellQuote(pdf) + " 2>" + ShellQuote(err);
  int status = std::system(cmd.c_str());
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 1);
  std::string msg = Slurp(err);
  EXPECT_NE(msg.find("chromium"), std::string::npos) << msg;
  EXPECT_NE(msg.find("--format html"), std::string::npos) << msg;
  EXPECT_FALSE(fs::exists(pdf));

  if (std::system("command -v chromium >/dev/null 2>&1") != 0) {
    GTEST_SKIP() << "chromium is not installed: the PDF printing itself is not tested";
  }
  auto r = Run({"report", "demo-veridia", "--tab", "3", "--format", "pdf", "--out", pdf});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  std::string bytes = Slurp(pdf);
  ASSERT_GT(bytes.size(), 1000u);
  EXPECT_EQ(bytes.rfind("%PDF-", 0), 0u);
}

}  // namespace
}  // namespace vigil::e2e
