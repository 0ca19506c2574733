#include "report/case_products.h"

#include <gtest/gtest.h>

#include <memory>
#include <sstream>
#include <string>

#include "assess/case.h"
#include "store/alert_store.h"
#include "store/db.h"
#include "store/event_store.h"

namespace vigil::report {
namespace {

using assess::CaseRepo;

const char* kAuthor = "test-lead";

class CaseProductsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto db = store::Db::Open(":memory:");
    ASSERT_TRUE(db.ok()) << db.status().ToString();
    db_ = std::move(db).value();
    repo_ = std::make_unique<CaseRepo>(*db_);
  }

  std::int64_t NewCase(const std::string& title, std::optional<int> gw = std::nullopt) {
    assess::Case c;
    c.title = title;
    c.gw = gw;
    if (!gw) c.region = "Test region";
    auto r = repo_->CreateCase(c, kAuthor);
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    return r.ok() ? r.value().id : 0;
  }

  CaseProductData Load(std::int64_t id, const std::string& from = "", const std::string& to = "") {
    auto d = LoadCaseProductData(*db_, id, from, to);
    EXPECT_TRUE(d.ok()) << d.status().ToString();
    return d.ok() ? std::move(d).value() : CaseProductData{};
  }

  assess::Score MakeScore(const std::string& fw, const std::string& item, const std::string& level,
                          const std::string& as_of, const std::string& rationale, bool dissent = false) {
    assess::Score s;
    s.framework = fw;
    s.item = item;
    s.level = level;
    s.as_of = as_of;
    s.rationale = rationale;
    if (dissent) s.position = "dissent";
    return s;
  }

  std::unique_ptr<store::Db> db_;
  std::unique_ptr<CaseRepo> repo_;
};

// The line of `text` containing `needle`, or "".
std::string LineWith(const std::string& text, const std::string& needle) {
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) {
    if (line.find(needle) != std::string::npos) return line;
  }
  return "";
}

TEST(DateInRangeTest, FullAndPartialDates) {
  EXPECT_TRUE(DateInRange("2026-02-10", "2026-01-01", "2026-03-31"));
  EXPECT_TRUE(DateInRange("2026-01-01", "2026-01-01", "2026-03-31"));
  EXPECT_TRUE(DateInRange("2026-03-31", "2026-01-01", "2026-03-31"));
  EXPECT_FALSE(DateInRange("2025-12-31", "2026-01-01", "2026-03-31"));
  EXPECT_FALSE(DateInRange("2026-04-01", "2026-01-01", "2026-03-31"));
  EXPECT_TRUE(DateInRange("2026-02", "2026-01-15", "2026-03-01"));
  EXPECT_TRUE(DateInRange("2026", "2025-06-01", "2026-01-05"));
  EXPECT_FALSE(DateInRange("2025", "2026-01-01", "2026-12-31"));
  EXPECT_TRUE(DateInRange("2026-02-10", "2026", "2026"));
  EXPECT_FALSE(DateInRange("", "2026", "2026"));
}

TEST_F(CaseProductsTest, EmptyCaseSaysNotRecorded) {
  auto id = NewCase("Empty case");
  auto d = Load(id);
  for (auto f : {ProductFormat::kMarkdown, ProductFormat::kHtml}) {
    std::string t1 = InitialGuidanceProduct(d, f);
    EXPECT_NE(t1.find("Lead agency"), std::string::npos);
    EXPECT_NE(t1.find("not recorded"), std::string::npos);
    std::string t2 = ConflictAssessmentProduct(d, f, false);
    EXPECT_NE(t2.find("Core grievances"), std::string::npos);
    EXPECT_NE(t2.find("not recorded"), std::string::npos);
    EXPECT_NE(ConflictAssessmentProduct(d, f, true).find("not recorded"), std::string::npos);
    std::string t3 = SituationAnalysisProduct(d, f);
    EXPECT_NE(t3.find("Interests"), std::string::npos);
    EXPECT_NE(t3.find("not recorded"), std::string::npos);
  }
  // The Markdown of Tab 1: the lead agency section says so right under its heading.
  std::string md = InitialGuidanceProduct(d, ProductFormat::kMarkdown);
  auto pos = md.find("## 3. Lead agency\n\n");
  ASSERT_NE(pos, std::string::npos);
  EXPECT_EQ(md.substr(pos + 19, 14), "_not recorded_");
}

TEST_F(CaseProductsTest, GuidanceFactsAppear) {
  auto id = NewCase("Guidance case");
  ASSERT_TRUE(repo_->EditCase(id, {{"lead-agency", "Office Alpha"}, {"restraints", "No contact with group Z"},
                                   {"timeline", "Report by 2026-05-01"}},
                              kAuthor)
                  .ok());
  assess::IptMember m;
  m.name = "J. Doe";
  m.organization = "Desk B";
  m.role = "analyst";
  ASSERT_TRUE(repo_->AddIptMember(id, m, kAuthor).ok());
  auto d = Load(id);
  for (auto f : {ProductFormat::kMarkdown, ProductFormat::kHtml}) {
    std::string t = InitialGuidanceProduct(d, f);
    for (const char* fact : {"Office Alpha", "No contact with group Z", "Report by 2026-05-01", "J. Doe", "Desk B"}) {
      EXPECT_NE(t.find(fact), std::string::npos) << fact;
    }
  }
  // Intent was not given.
  std::string md = InitialGuidanceProduct(d, ProductFormat::kMarkdown);
  EXPECT_NE(md.find("### Intent\n\n_not recorded_"), std::string::npos);
}

TEST_F(CaseProductsTest, DissentBesideMajority) {
  auto id = NewCase("Scores case");
  ASSERT_TRUE(repo_->AddScore(id, MakeScore("osapg", "c7", "low", "2025-11-01", "No statements of intent found"), "analyst-a").ok());
  ASSERT_TRUE(
      repo_->AddScore(id, MakeScore("osapg", "c7", "high", "2025-11-02", "Broadcast lists show intent", true), "analyst-b")
          .ok());
  ASSERT_TRUE(repo_->AddScore(id, MakeScore("un2014", "rf9", "strong", "2025-11-01", "Exclusion from posts"), "analyst-a").ok());
  auto d = Load(id);
  std::string md = SituationAnalysisProduct(d, ProductFormat::kMarkdown);
  std::string row = LineWith(md, "No statements of intent found");
  ASSERT_FALSE(row.empty()) << md;
  EXPECT_NE(row.find("Broadcast lists show intent"), std::string::npos) << row;
  EXPECT_NE(row.find("analyst-b"), std::string::npos) << row;
  EXPECT_NE(row.find("Low"), std::string::npos);
  EXPECT_NE(row.find("High"), std::string::npos);
  EXPECT_NE(md.find("Exclusion from posts"), std::string::npos);
  // Frameworks without scores are named as not recorded.
  EXPECT_NE(LineWith(md, "Not recorded:").find("stanton"), std::string::npos);
  std::string html = SituationAnalysisProduct(d, ProductFormat::kHtml);
  auto tr = html.find("No statements of intent found");
  ASSERT_NE(tr, std::string::npos);
  auto row_end = html.find("</tr>", tr);
  auto dis = html.find("Broadcast lists show intent", tr);
  EXPECT_LT(dis, row_end) << "the dissent is in the majority's table row";
}

TEST_F(CaseProductsTest, HtmlEscapesCaseText) {
  auto id = NewCase("Case <script>alert(1)</script> & \"quotes\"");
  ASSERT_TRUE(repo_->EditCase(id, {{"intent", "a < b & c > d"}}, kAuthor).ok());
  auto d = Load(id);
  std::string html = InitialGuidanceProduct(d, ProductFormat::kHtml);
  EXPECT_EQ(html.find("<script>"), std::string::npos);
  EXPECT_NE(html.find("&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;quotes&quot;"), std::string::npos);
  EXPECT_NE(html.find("a &lt; b &amp; c &gt; d"), std::string::npos);
  EXPECT_EQ(html.find("http"), std::string::npos) << "self-contained: no external resources";
  // Markdown table cells keep a '|' from splitting the row.
  assess::Interest in;
  in.text = "keep | safe";
  ASSERT_TRUE(repo_->AddInterest(id, in, kAuthor).ok());
  std::string md = SituationAnalysisProduct(Load(id), ProductFormat::kMarkdown);
  EXPECT_NE(md.find("keep \\| safe"), std::string::npos);
}

TEST_F(CaseProductsTest, ConflictAssessmentFullAndBrief) {
  auto id = NewCase("ICAF case");
  assess::AssessmentEntry e;
  e.section = "core-grievances";
  e.text = "Land was taken in 2024. A second sentence with detail.";
  e.as_of = "2025-10-01";
  e.evidence = {{"document", "Field report 9", ""}};
  ASSERT_TRUE(repo_->AddAssessmentEntry(id, e, kAuthor).ok());
  e.section = "opportunities";
  e.text = "Budget talks in March.";
  e.evidence.clear();
  ASSERT_TRUE(repo_->AddAssessmentEntry(id, e, kAuthor).ok());
  auto d = Load(id);
  std::string full = ConflictAssessmentProduct(d, ProductFormat::kMarkdown, false);
  EXPECT_EQ(full.rfind("# Tab 2: Conflict Assessment — ICAF case\n", 0), 0u) << full;
  EXPECT_NE(full.find("A second sentence with detail."), std::string::npos);
  EXPECT_NE(full.find("document:Field report 9"), std::string::npos);
  EXPECT_NE(full.find("Budget talks in March."), std::string::npos);
  EXPECT_NE(full.find("Part II"), std::string::npos);
  std::string brief = ConflictAssessmentProduct(d, ProductFormat::kMarkdown, true);
  EXPECT_EQ(brief.rfind("# Tab 2 (briefing): Conflict Assessment — ICAF case\n", 0), 0u) << brief;
  EXPECT_NE(brief.find("Land was taken in 2024."), std::string::npos);
  EXPECT_EQ(brief.find("A second sentence"), std::string::npos);
  EXPECT_EQ(brief.find("## Part II"), std::string::npos);
  EXPECT_EQ(brief.find("Field report 9"), std::string::npos);
}

TEST_F(CaseProductsTest, SituationUpdateShowsChangesInRangeOnly) {
  auto id = NewCase("Update case");
  ASSERT_TRUE(repo_->AddScore(id, MakeScore("osapg", "c2", "moderate", "2025-11-20", "before"), kAuthor).ok());
  ASSERT_TRUE(repo_->AddScore(id, MakeScore("osapg", "c2", "high", "2026-02-20", "commander replaced"), kAuthor).ok());
  ASSERT_TRUE(repo_->AddScore(id, MakeScore("osapg", "c3", "low", "2025-06-01", "old score outside"), kAuthor).ok());
  assess::Actor a;
  a.name = "Mining Co";
  a.kind = "organization";
  a.roles = {{0, "bystander", "2024-01", "", "", "", ""}};
  auto actor = repo_->AddActor(id, a, kAuthor);
  ASSERT_TRUE(actor.ok());
  assess::ActorRole change;
  change.role = "third-party-enabler";
  change.from = "2026-02";
  change.note = "pays the militia";
  ASSERT_TRUE(repo_->AddActorRole(id, actor.value().id, change, true, kAuthor).ok());
  assess::Assumption as;
  as.text = "Army stays neutral";
  as.as_of = "2025-11-20";
  auto stored = repo_->AddAssumption(id, as, kAuthor);
  ASSERT_TRUE(stored.ok());
  ASSERT_TRUE(repo_->SetAssumptionStatus(id, stored.value().id, "invalidated", "2026-02-21", "brigade confined", {}, kAuthor).ok());
  assess::InformationRequirement q;
  q.question = "Who pays?";
  auto cir = repo_->AddCir(id, q, kAuthor);
  ASSERT_TRUE(cir.ok());
  ASSERT_TRUE(repo_->AnswerCir(id, cir.value().id, "The head office", "2026-03-10", {}, kAuthor).ok());
  q.question = "Still open question?";
  ASSERT_TRUE(repo_->AddCir(id, q, kAuthor).ok());

  auto d = Load(id, "2026-01-01", "2026-03-31");
  std::string md = SituationUpdateProduct(d, ProductFormat::kMarkdown);
  EXPECT_NE(LineWith(md, "commander replaced").find("Moderate -> High"), std::string::npos) << md;
  EXPECT_EQ(md.find("old score outside"), std::string::npos);
  EXPECT_NE(LineWith(md, "began: third-party-enabler").find("Mining Co"), std::string::npos);
  EXPECT_NE(LineWith(md, "ended: bystander").find("2026-02"), std::string::npos);
  EXPECT_NE(LineWith(md, "Army stays neutral").find("unvalidated -> invalidated"), std::string::npos);
  EXPECT_NE(LineWith(md, "Who pays?").find("The head office"), std::string::npos);
  EXPECT_EQ(md.find("Still open question?"), std::string::npos);
  EXPECT_NE(md.find("regional case"), std::string::npos);

  // A range before all of it: every section says not recorded.
  auto early = Load(id, "2020-01-01", "2020-12-31");
  std::string e = SituationUpdateProduct(early, ProductFormat::kMarkdown);
  EXPECT_EQ(e.find("commander replaced"), std::string::npos);
  EXPECT_EQ(e.find("Mining Co"), std::string::npos);
  EXPECT_EQ(e.find("|"), std::string::npos) << "no table at all: " << e;
}

TEST_F(CaseProductsTest, RangeIsValidated) {
  auto id = NewCase("Range case");
  EXPECT_FALSE(LoadCaseProductData(*db_, id, "2026-01-01", "").ok());
  EXPECT_FALSE(LoadCaseProductData(*db_, id, "2026-13-01", "2026-12-01").ok());
  auto r = LoadCaseProductData(*db_, id, "2026-03-01", "2026-01-01");
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("--to"), std::string::npos);
  EXPECT_FALSE(LoadCaseProductData(*db_, 999, "", "").ok());
}

TEST_F(CaseProductsTest, CountryCaseLinksEventsAndAlertsOfTheRange) {
  ASSERT_TRUE(db_->Exec("INSERT INTO countries (gw, cow, iso3, name, region, first_year) "
                        "VALUES (482, 482, 'CAF', 'Central African Republic', 'Africa', 1960)")
                  .ok());
  auto imp = store::EventImport::Begin(*db_, "jsonl", "test.jsonl", {"x"}, [](const Event& e) { return e.event_id; });
  ASSERT_TRUE(imp.ok()) << imp.status().ToString();
  auto add = [&](const std::string& id, int y, int m, int d, int deaths, const std::string& place) {
    Event e;
    e.source = "test";
    e.event_id = id;
    e.date_start = e.date_end = DaysFromCivil(y, m, d);
    e.gw = 482;
    e.location = place;
    e.actor1 = "Group A";
    e.actor2 = "Civilians";
    e.deaths_best = deaths;
    e.deaths_civilians = deaths;
    e.civilian_targeting = true;
    auto r = imp.value()->Add(e, std::hash<std::string>{}(id), 1);
    ASSERT_TRUE(r.ok()) << r.status().ToString();
  };
  add("e1", 2026, 1, 5, 3, "Town One");
  add("e2", 2026, 2, 9, 12, "Town Two");
  add("e3", 2025, 12, 30, 50, "Outside Town");
  ASSERT_TRUE(imp.value()->Finish(0).ok());
  store::AlertRecord al;
  al.key = "spike|482||2026-02";
  al.detector = "spike";
  al.gw = 482;
  al.month = 2026 * 12 + 1;
  al.as_of = DaysFromCivil(2026, 2, 28);
  al.severity = "high";
  al.score = 4;
  al.summary = "fatalities spike in February";
  ASSERT_TRUE(store::SaveAlerts(*db_, {al}).ok());

  auto id = NewCase("Country case", 482);
  auto d = Load(id, "2026-01-01", "2026-03-31");
  d.country = "Central African Republic";
  EXPECT_EQ(d.events.count, 2);
  EXPECT_EQ(d.events.deaths_best, 15);
  ASSERT_EQ(d.events.deadliest.size(), 2u);
  EXPECT_EQ(d.events.deadliest[0].place, "Town Two");
  std::string md = SituationUpdateProduct(d, ProductFormat::kMarkdown);
  EXPECT_NE(md.find("2 stored events dated in the range: 15 deaths"), std::string::npos) << md;
  EXPECT_NE(md.find("Town Two"), std::string::npos);
  EXPECT_EQ(md.find("Outside Town"), std::string::npos);
  EXPECT_NE(md.find("fatalities spike in February"), std::string::npos);
  EXPECT_NE(md.find("Central African Republic (GW 482)"), std::string::npos);
  std::string tab3 = SituationAnalysisProduct(d, ProductFormat::kMarkdown);
  EXPECT_NE(tab3.find("fatalities spike in February"), std::string::npos);
  EXPECT_NE(tab3.find("Forecast: not recorded"), std::string::npos);
  // Outside the alert's month: not in the update.
  auto later = Load(id, "2026-04-01", "2026-05-31");
  EXPECT_EQ(SituationUpdateProduct(later, ProductFormat::kMarkdown).find("fatalities spike"), std::string::npos);
}

}  // namespace
}  // namespace vigil::report
