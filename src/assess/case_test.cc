#include "assess/case.h"

#include <gtest/gtest.h>

#include "data/countries.h"
#include "store/country_store.h"
#include "store/db.h"

namespace vigil::assess {
namespace {

constexpr int kCar = 482;  // Central African Republic

ActorRole R(std::string role, std::string from, std::string to = "", std::string note = "") {
  ActorRole r;
  r.role = std::move(role);
  r.from = std::move(from);
  r.to = std::move(to);
  r.note = std::move(note);
  return r;
}

class CaseRepoTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto db = store::Db::Open(":memory:");
    ASSERT_TRUE(db.ok()) << db.status().ToString();
    db_ = std::move(*db);
    ASSERT_TRUE(store::SyncCountries(*db_, data::Countries()).ok());
    repo_ = std::make_unique<CaseRepo>(*db_);
    Case c;
    c.title = "Central African Republic 2013";
    c.gw = kCar;
    c.purpose = "prevent mass atrocities";
    auto created = repo_->CreateCase(c, "ana");
    ASSERT_TRUE(created.ok()) << created.status().ToString();
    case_ = *created;
  }

  std::int64_t Count(const std::string& table) {
    auto st = db_->Prepare("SELECT count(*) FROM " + table);
    EXPECT_TRUE(st.ok());
    EXPECT_TRUE(*st->Step());
    return st->Int(0);
  }

  // One stored event (row id returned) so evidence links have something to point at.
  std::int64_t InsertEvent() {
    EXPECT_TRUE(db_->Exec("INSERT INTO event_imports (started_at, format, path) VALUES ('x', 'ged', 'f.csv')").ok());
    EXPECT_TRUE(db_->Exec("INSERT INTO events (source, event_id, fingerprint, import_id, line, date_start, date_end, "
                          "gw, country, violence) VALUES ('ged', '1', 0, 1, 2, 15706, 15706, 482, 'CAR', 3)")
                    .ok());
    return db_->LastInsertRowId();
  }

  std::unique_ptr<store::Db> db_;
  std::unique_ptr<CaseRepo> repo_;
  Case case_;
};

TEST_F(CaseRepoTest, CreateDerivesUniqueSlugsAndFindsByIdOrSlug) {
  EXPECT_EQ(case_.slug, "central-african-republic-2013");
  EXPECT_EQ(case_.created_by, "ana");
  Case c;
  c.title = "Central African Republic 2013";
  c.gw = kCar;
  auto second = repo_->CreateCase(c, "ana");
  ASSERT_TRUE(second.ok());
  EXPECT_EQ(second->slug, "central-african-republic-2013-2");
  c.slug = second->slug;  // given slugs must be free
  EXPECT_EQ(repo_->CreateCase(c, "ana").status().code(), Status::Code::kAlreadyExists);

  auto by_slug = repo_->FindCase("central-african-republic-2013-2");
  ASSERT_TRUE(by_slug.ok());
  EXPECT_EQ(by_slug->id, second->id);
  auto by_id = repo_->FindCase(std::to_string(case_.id));
  ASSERT_TRUE(by_id.ok());
  EXPECT_EQ(by_id->slug, case_.slug);
  EXPECT_EQ(repo_->FindCase("nope").status().code(), Status::Code::kNotFound);
  EXPECT_EQ(repo_->FindCase("999").status().code(), Status::Code::kNotFound);
}

TEST_F(CaseRepoTest, CreateRejectsBadInputWithoutWriting) {
  const auto cases = Count("cases"), audit = Count("case_audit");
  Case c;
  c.title = "x";
  EXPECT_EQ(repo_->CreateCase(c, "ana").status().code(), Status::Code::kInvalidArgument);  // no country, no region
  c.gw = 99999;
  EXPECT_EQ(repo_->CreateCase(c, "ana").status().code(), Status::Code::kInvalidArgument);  // unknown gw
  c.gw = kCar;
  c.slug = "123";
  EXPECT_EQ(repo_->CreateCase(c, "ana").status().code(), Status::Code::kInvalidArgument);  // numeric slug
  c.slug.clear();
  EXPECT_EQ(repo_->CreateCase(c, "").status().code(), Status::Code::kInvalidArgument);  // no author
  EXPECT_EQ(Count("cases"), cases);
  EXPECT_EQ(Count("case_audit"), audit);
}

TEST_F(CaseRepoTest, EditCaseAndGuidanceAuditsBeforeAndAfter) {
  ASSERT_TRUE(repo_->EditCase(case_.id, {{"status", "monitoring"}, {"lead-agency", "DoS"}, {"intent", "protect"}}, "bo")
                  .ok());
  auto f = repo_->LoadCaseFile(case_.id);
  ASSERT_TRUE(f.ok());
  EXPECT_EQ(f->info.status, "monitoring");
  EXPECT_EQ(f->guidance.lead_agency, "DoS");
  EXPECT_EQ(f->guidance.updated_by, "bo");
  auto h = repo_->History(case_.id);
  ASSERT_TRUE(h.ok());
  ASSERT_EQ(h->size(), 3u);  // create, edit case, edit guidance
  EXPECT_EQ((*h)[1].entity, "case");
  EXPECT_EQ((*h)[1].before["status"], "open");
  EXPECT_EQ((*h)[1].after["status"], "monitoring");
  EXPECT_EQ((*h)[2].entity, "guidance");
  EXPECT_EQ((*h)[2].before["lead_agency"], "");
  EXPECT_EQ((*h)[2].after["lead_agency"], "DoS");
  EXPECT_EQ((*h)[2].who, "bo");

  // A bad field anywhere in the list: nothing is written.
  EXPECT_EQ(repo_->EditCase(case_.id, {{"title", "new"}, {"colour", "red"}}, "bo").code(),
            Status::Code::kInvalidArgument);
  EXPECT_EQ(repo_->EditCase(case_.id, {{"title", "new"}, {"status", "paused"}}, "bo").code(),
            Status::Code::kInvalidArgument);
  EXPECT_EQ(repo_->FindCase(std::to_string(case_.id))->title, case_.title);
  EXPECT_EQ(repo_->History(case_.id)->size(), 3u);
  // No change: no audit row.
  ASSERT_TRUE(repo_->EditCase(case_.id, {{"status", "monitoring"}}, "bo").ok());
  EXPECT_EQ(repo_->History(case_.id)->size(), 3u);
}

TEST_F(CaseRepoTest, ActorRoleHistory) {
  Actor a;
  a.name = "Seleka";
  a.kind = "group";
  a.motivations = "power";
  a.roles.push_back(R("perpetrator-architect", "2012-12", "", "coalition offensive"));
  auto added = repo_->AddActor(case_.id, a, "ana");
  ASSERT_TRUE(added.ok()) << added.status().ToString();
  ASSERT_EQ(added->roles.size(), 1u);
  EXPECT_EQ(added->roles[0].author, "ana");

  ActorRole change = R("victim", "2014-01-10", "", "reprisals after Djotodia resigned");
  auto role = repo_->AddActorRole(case_.id, added->id, change, /*end_open_roles=*/true, "bo");
  ASSERT_TRUE(role.ok()) << role.status().ToString();
  auto actor = repo_->FindActor(case_.id, "Seleka");
  ASSERT_TRUE(actor.ok());
  ASSERT_EQ(actor->roles.size(), 2u);
  EXPECT_EQ(actor->roles[0].role, "perpetrator-architect");
  EXPECT_EQ(actor->roles[0].to, "2014-01-10");  // ended by the change
  EXPECT_EQ(actor->roles[1].role, "victim");
  EXPECT_EQ(actor->roles[1].author, "bo");
  ASSERT_EQ(actor->RolesOn().size(), 1u);
  EXPECT_EQ(actor->RolesOn()[0]->role, "victim");
  ASSERT_EQ(actor->RolesOn("2013-06").size(), 1u);
  EXPECT_EQ(actor->RolesOn("2013-06")[0]->role, "perpetrator-architect");

  // Overlapping roles are allowed without ending the open ones.
  ASSERT_TRUE(repo_->AddActorRole(case_.id, added->id, R("perpetrator-rank-and-file", "2014-02", "", ""), false, "bo")
                  .ok());
  EXPECT_EQ(repo_->FindActor(case_.id, std::to_string(added->id))->RolesOn().size(), 2u);

  // Audit: actor add, end-role, add role, add role.
  auto h = repo_->History(case_.id);
  ASSERT_TRUE(h.ok());
  ASSERT_EQ(h->size(), 5u);
  EXPECT_EQ((*h)[2].action, "end-role");
  EXPECT_TRUE((*h)[2].before["to"].is_null());
  EXPECT_EQ((*h)[2].after["to"], "2014-01-10");
  EXPECT_EQ((*h)[3].entity, "actor-role");
  EXPECT_TRUE((*h)[3].before.is_null());

  // Bad input: unknown role, bad date, unknown actor, duplicate name.
  const auto roles = Count("case_actor_roles"), audit = Count("case_audit");
  EXPECT_EQ(repo_->AddActorRole(case_.id, added->id, R("villain", "2014", "", ""), false, "bo").status().code(),
            Status::Code::kInvalidArgument);
  EXPECT_EQ(repo_->AddActorRole(case_.id, added->id, R("victim", "2014-13", "", ""), false, "bo").status().code(),
            Status::Code::kInvalidArgument);
  EXPECT_EQ(repo_->AddActorRole(case_.id, added->id, R("victim", "2014-05", "2014-01", ""), false, "bo")
                .status()
                .code(),
            Status::Code::kInvalidArgument);
  EXPECT_EQ(repo_->AddActorRole(case_.id, 9999, R("victim", "2014", "", ""), false, "bo").status().code(),
            Status::Code::kNotFound);
  EXPECT_EQ(repo_->AddActor(case_.id, a, "ana").status().code(), Status::Code::kAlreadyExists);
  EXPECT_EQ(repo_->FindActor(case_.id, "Anti-balaka").status().code(), Status::Code::kNotFound);
  EXPECT_EQ(Count("case_actor_roles"), roles);
  EXPECT_EQ(Count("case_audit"), audit);
}

TEST_F(CaseRepoTest, ScoresAreVersionedWithDissentsBeside) {
  const std::int64_t ev = InsertEvent();
  Score s;
  s.framework = "osapg";
  s.item = "c1";
  s.level = "moderate";
  s.confidence = "medium";
  s.as_of = "2013-03";
  s.evidence.push_back({"event", std::to_string(ev), "massacre"});
  auto v1 = repo_->AddScore(case_.id, s, "ana");
  ASSERT_TRUE(v1.ok()) << v1.status().ToString();
  EXPECT_EQ(v1->version, 1);
  s.level = "high";
  s.as_of = "2013-09";
  auto v2 = repo_->AddScore(case_.id, s, "bo");  // the majority series, whoever records it
  ASSERT_TRUE(v2.ok());
  EXPECT_EQ(v2->version, 2);
  Score d = s;
  d.position = "dissent";
  d.level = "severe";
  d.rationale = "killings already systematic";
  d.evidence.clear();
  auto dissent = repo_->AddScore(case_.id, d, "cy");
  ASSERT_TRUE(dissent.ok());
  EXPECT_EQ(dissent->version, 1);
  auto dissent2 = repo_->AddScore(case_.id, d, "cy");
  ASSERT_TRUE(dissent2.ok());
  EXPECT_EQ(dissent2->version, 2);
  d.level = "high";
  auto other_dissent = repo_->AddScore(case_.id, d, "di");
  ASSERT_TRUE(other_dissent.ok());
  EXPECT_EQ(other_dissent->version, 1);  // each dissenter has a series

  auto f = repo_->LoadCaseFile(case_.id);
  ASSERT_TRUE(f.ok());
  EXPECT_EQ(f->score_versions.size(), 5u);
  ASSERT_EQ(f->scores.size(), 3u);
  const Score* m = f->Majority("osapg", "c1");
  ASSERT_NE(m, nullptr);
  EXPECT_EQ(m->level, "high");
  EXPECT_EQ(m->version, 2);
  EXPECT_EQ(m->author, "bo");
  auto ds = f->Dissents("osapg", "c1");
  ASSERT_EQ(ds.size(), 2u);
  EXPECT_EQ(ds[0]->author, "cy");
  EXPECT_EQ(ds[0]->version, 2);
  EXPECT_EQ(ds[1]->author, "di");
  EXPECT_EQ(f->score_versions[0].evidence.size(), 1u);
  EXPECT_EQ(f->score_versions[0].evidence[0].ref, std::to_string(ev));

  nlohmann::json j = ToJson(*f);
  ASSERT_EQ(j["scores"].size(), 1u);
  EXPECT_EQ(j["scores"][0]["majority"]["level"], "high");
  EXPECT_EQ(j["scores"][0]["dissents"].size(), 2u);

  // The audit row of version 2 keeps version 1 as "before".
  auto h = repo_->History(case_.id);
  ASSERT_TRUE(h.ok());
  EXPECT_EQ((*h)[2].before["level"], "moderate");
  EXPECT_EQ((*h)[2].after["level"], "high");
  EXPECT_EQ((*h)[3].action, "dissent");
}

TEST_F(CaseRepoTest, EventEvidenceBySourceIdIsStoredAsTheRow) {
  const std::int64_t row = InsertEvent();
  Score s;
  s.framework = "osapg";
  s.item = "c2";
  s.level = "low";
  s.evidence = {{"event", "ged/1", ""}};
  auto stored = repo_->AddScore(case_.id, s, "ana");
  ASSERT_TRUE(stored.ok()) << stored.status().ToString();
  ASSERT_EQ(stored->evidence.size(), 1u);
  EXPECT_EQ(stored->evidence[0].ref, std::to_string(row));
  EXPECT_EQ(stored->evidence[0].note, "ged/1");
  auto f = repo_->LoadCaseFile(case_.id);
  ASSERT_TRUE(f.ok());
  EXPECT_EQ(f->scores[0].evidence[0].ref, std::to_string(row));
  s.evidence = {{"event", "ged/2", ""}};
  EXPECT_EQ(repo_->AddScore(case_.id, s, "ana").status().code(), Status::Code::kNotFound);
  s.evidence = {{"event", "acled/1", ""}};
  EXPECT_EQ(repo_->AddScore(case_.id, s, "ana").status().code(), Status::Code::kNotFound);
  EXPECT_EQ(Count("case_scores"), 1);
}

TEST_F(CaseRepoTest, BadScoresWriteNothing) {
  const auto scores = Count("case_scores"), evidence = Count("case_evidence"), audit = Count("case_audit");
  Score s;
  s.framework = "osapg";
  s.item = "c1";
  s.level = "high";
  Score bad = s;
  bad.framework = "nope";
  EXPECT_EQ(repo_->AddScore(case_.id, bad, "ana").status().code(), Status::Code::kInvalidArgument);
  bad = s;
  bad.item = "c99";
  EXPECT_EQ(repo_->AddScore(case_.id, bad, "ana").status().code(), Status::Code::kInvalidArgument);
  bad = s;
  bad.level = "strong";  // a un2014 level, not osapg
  EXPECT_EQ(repo_->AddScore(case_.id, bad, "ana").status().code(), Status::Code::kInvalidArgument);
  bad = s;
  bad.confidence = "sure";
  EXPECT_EQ(repo_->AddScore(case_.id, bad, "ana").status().code(), Status::Code::kInvalidArgument);
  bad = s;
  bad.as_of = "2013-02-30";
  EXPECT_EQ(repo_->AddScore(case_.id, bad, "ana").status().code(), Status::Code::kInvalidArgument);
  bad = s;
  bad.evidence = {{"url", "https://example.org", ""}, {"event", "424242", ""}};  // second link dangles
  auto r = repo_->AddScore(case_.id, bad, "ana");
  EXPECT_EQ(r.status().code(), Status::Code::kNotFound);
  EXPECT_NE(r.status().message().find("event:424242"), std::string::npos) << r.status().message();
  bad.evidence = {{"alert", "1", ""}};
  EXPECT_EQ(repo_->AddScore(case_.id, bad, "ana").status().code(), Status::Code::kNotFound);
  bad.evidence = {{"forecast", "1", ""}};
  EXPECT_EQ(repo_->AddScore(case_.id, bad, "ana").status().code(), Status::Code::kNotFound);
  EXPECT_EQ(repo_->AddScore(case_.id + 100, s, "ana").status().code(), Status::Code::kNotFound);
  EXPECT_EQ(Count("case_scores"), scores);
  EXPECT_EQ(Count("case_evidence"), evidence);
  EXPECT_EQ(Count("case_audit"), audit);
}

// A change that fails inside its transaction (here: the database refuses the
// audit row) leaves neither the change nor any audit row behind.
TEST_F(CaseRepoTest, FailedWriteRollsBackChangeAndAudit) {
  ASSERT_TRUE(db_->Exec("CREATE TRIGGER fail_audit BEFORE INSERT ON case_audit WHEN NEW.entity = 'score' "
                        "BEGIN SELECT RAISE(ABORT, 'injected failure'); END")
                  .ok());
  const auto scores = Count("case_scores"), audit = Count("case_audit");
  Score s;
  s.framework = "un2014";
  s.item = "rf1";
  s.level = "strong";
  s.evidence = {{"document", "Panel of experts report", ""}};
  auto r = repo_->AddScore(case_.id, s, "ana");
  EXPECT_FALSE(r.ok());
  EXPECT_EQ(Count("case_scores"), scores);
  EXPECT_EQ(Count("case_evidence"), 0);
  EXPECT_EQ(Count("case_audit"), audit);
  // The repository still works afterwards.
  ASSERT_TRUE(db_->Exec("DROP TRIGGER fail_audit").ok());
  EXPECT_TRUE(repo_->AddScore(case_.id, s, "ana").ok());
  EXPECT_EQ(Count("case_audit"), audit + 1);
}

TEST_F(CaseRepoTest, AuditLogIsAppendOnly) {
  EXPECT_FALSE(db_->Exec("UPDATE case_audit SET who = 'mallory'").ok());
  EXPECT_FALSE(db_->Exec("DELETE FROM case_audit").ok());
  EXPECT_EQ(Count("case_audit"), 1);
}

TEST_F(CaseRepoTest, AssessmentInterestsAssumptionsCirs) {
  AssessmentEntry e;
  e.section = "drivers-of-conflict";
  e.text = "Armed groups recruit along religious lines";
  e.as_of = "2013-10";
  ASSERT_TRUE(repo_->AddAssessmentEntry(case_.id, e, "ana").ok());
  e.section = "context";
  e.text = "Coup of March 2013";
  auto ctx = repo_->AddAssessmentEntry(case_.id, e, "ana");
  ASSERT_TRUE(ctx.ok());
  e.section = "grievances";
  EXPECT_EQ(repo_->AddAssessmentEntry(case_.id, e, "ana").status().code(), Status::Code::kInvalidArgument);
  ASSERT_TRUE(repo_->EditAssessmentEntry(case_.id, ctx->id, "Seleka coup of 24 March 2013", "2013-03-24", "high",
                                         std::nullopt, "bo")
                  .ok());

  Interest i1;
  i1.text = "Protect civilians";
  i1.owner = "USG";
  auto a = repo_->AddInterest(case_.id, i1, "ana");
  ASSERT_TRUE(a.ok());
  Interest i2;
  i2.text = "Keep the transition on schedule";
  i2.priority = 2;
  i2.conflicts_with = {a->id};
  auto b = repo_->AddInterest(case_.id, i2, "ana");
  ASSERT_TRUE(b.ok());
  i2.conflicts_with = {999};
  EXPECT_EQ(repo_->AddInterest(case_.id, i2, "ana").status().code(), Status::Code::kNotFound);

  Assumption as;
  as.text = "MISCA deploys by December";
  auto asr = repo_->AddAssumption(case_.id, as, "ana");
  ASSERT_TRUE(asr.ok());
  ASSERT_TRUE(repo_->SetAssumptionStatus(case_.id, asr->id, "validated", "2013-12-19", "deployed",
                                         {{"url", "https://example.org/misca", ""}}, "bo")
                  .ok());
  EXPECT_EQ(repo_->SetAssumptionStatus(case_.id, asr->id, "maybe", "", "", {}, "bo").code(),
            Status::Code::kInvalidArgument);

  InformationRequirement q;
  q.question = "Where are the anti-balaka massing?";
  auto qr = repo_->AddCir(case_.id, q, "ana");
  ASSERT_TRUE(qr.ok());
  EXPECT_EQ(repo_->AnswerCir(case_.id, qr->id + 50, "x", "", {}, "bo").code(), Status::Code::kNotFound);
  ASSERT_TRUE(repo_->AnswerCir(case_.id, qr->id, "Around Bossangoa", "2013-11", {}, "bo").ok());

  auto f = repo_->LoadCaseFile(case_.id);
  ASSERT_TRUE(f.ok());
  ASSERT_EQ(f->assessment.size(), 2u);
  EXPECT_EQ(f->assessment[0].section, "context");  // section order, not insertion order
  EXPECT_EQ(f->assessment[0].text, "Seleka coup of 24 March 2013");
  EXPECT_EQ(f->assessment[0].confidence, "high");
  ASSERT_EQ(f->interests.size(), 2u);
  EXPECT_EQ(f->interests[0].conflicts_with, std::vector<std::int64_t>{b->id});  // symmetric
  EXPECT_EQ(f->interests[1].conflicts_with, std::vector<std::int64_t>{a->id});
  ASSERT_EQ(f->assumptions.size(), 1u);
  EXPECT_EQ(f->assumptions[0].status, "validated");
  EXPECT_EQ(f->assumptions[0].evidence.size(), 1u);
  ASSERT_EQ(f->cirs.size(), 1u);
  EXPECT_EQ(f->cirs[0].status, "answered");
  EXPECT_EQ(f->cirs[0].answered_at, "2013-11");

  auto h = repo_->History(case_.id);
  ASSERT_TRUE(h.ok());
  // create + 2 entries + edit + 2 interests + assumption + status + cir + answer
  EXPECT_EQ(h->size(), 10u);
  EXPECT_EQ(h->back().action, "answer");
  EXPECT_EQ(h->back().before["status"], "open");
}

TEST_F(CaseRepoTest, LinksListTheCountrysAlerts) {
  const std::int64_t ev = InsertEvent();
  ASSERT_TRUE(db_->Exec("INSERT INTO alerts (key, detector, gw, month, as_of, severity, score, summary, created_at) "
                        "VALUES ('k', 'threshold', 482, 24160, 15900, 'high', 4.5, 'spike', 'now')")
                  .ok());
  (void)ev;
  auto links = repo_->LoadLinks(case_);
  ASSERT_TRUE(links.ok());
  ASSERT_EQ(links->alerts.size(), 1u);
  EXPECT_EQ(links->alerts[0].month, "2013-05");
  EXPECT_TRUE(links->forecasts.empty());
}

TEST(CaseValues, DatesAndEvidenceParsing) {
  EXPECT_TRUE(IsCaseDate("2013"));
  EXPECT_TRUE(IsCaseDate("2013-03"));
  EXPECT_TRUE(IsCaseDate("2012-02-29"));
  EXPECT_FALSE(IsCaseDate("2013-02-29"));
  EXPECT_FALSE(IsCaseDate("2013-3"));
  EXPECT_FALSE(IsCaseDate("13-03-2013"));
  EXPECT_FALSE(IsCaseDate(""));
  auto e = ParseEvidenceLink("url:https://example.org/a:b");
  ASSERT_TRUE(e.ok());
  EXPECT_EQ(e->kind, "url");
  EXPECT_EQ(e->ref, "https://example.org/a:b");
  EXPECT_FALSE(ParseEvidenceLink("event:abc").ok());
  EXPECT_TRUE(ParseEvidenceLink("event:ged/4567").ok());
  EXPECT_FALSE(ParseEvidenceLink("event:ged/").ok());
  EXPECT_FALSE(ParseEvidenceLink("alert:ged/1").ok());
  EXPECT_FALSE(ParseEvidenceLink("tweet:1").ok());
  EXPECT_FALSE(ParseEvidenceLink("event").ok());
  EXPECT_FALSE(ParseEvidenceLink("document:").ok());
}

// Issue 18, no lost updates: every editable record of the case file carries a
// revision; an edit that names a stale one is refused and writes nothing.
TEST_F(CaseRepoTest, EditsNamingAStaleRevisionAreRefusedAndWriteNothing) {
  EXPECT_EQ(case_.revision, 1);
  ASSERT_TRUE(repo_->EditCase(case_.id, {{"scope", "2012-2014"}}, "ana", 1).ok());
  // A guidance edit moves the case's revision too.
  ASSERT_TRUE(repo_->EditCase(case_.id, {{"objective", "protect civilians"}}, "bo", 2).ok());
  const std::int64_t audits = Count("case_audit");
  Status stale = repo_->EditCase(case_.id, {{"title", "CAR"}}, "ana", 1);
  EXPECT_EQ(stale.code(), Status::Code::kAborted) << stale.ToString();
  EXPECT_NE(stale.message().find("revision 3, not 1"), std::string::npos) << stale.message();
  auto f = repo_->LoadCaseFile(case_.id);
  ASSERT_TRUE(f.ok());
  EXPECT_EQ(f->info.revision, 3);
  EXPECT_EQ(f->info.title, "Central African Republic 2013");
  EXPECT_EQ(f->guidance.objective, "protect civilians");
  EXPECT_EQ(Count("case_audit"), audits);

  Actor a;
  a.name = "Seleka";
  auto actor = repo_->AddActor(case_.id, a, "ana");
  ASSERT_TRUE(actor.ok()) << actor.status().ToString();
  EXPECT_EQ(actor->revision, 1);
  ASSERT_TRUE(repo_->EditActor(case_.id, actor->id, {{"means", "looted arms"}}, "ana", 1).ok());
  EXPECT_EQ(repo_->EditActor(case_.id, actor->id, {{"means", "none"}}, "bo", 1).code(), Status::Code::kAborted);
  auto role = repo_->AddActorRole(case_.id, actor->id, {0, "perpetrator-architect", "2013-03-24", "", "", "", ""}, false, "ana");
  ASSERT_TRUE(role.ok()) << role.status().ToString();
  EXPECT_EQ(repo_->EndActorRole(case_.id, actor->id, role->id, "2014-01-10", "bo", 1).code(),
            Status::Code::kAborted);
  ASSERT_TRUE(repo_->EndActorRole(case_.id, actor->id, role->id, "2014-01-10", "bo", 2).ok());
  auto after = repo_->FindActor(case_.id, "Seleka");
  ASSERT_TRUE(after.ok());
  EXPECT_EQ(after->revision, 3);
  EXPECT_EQ(after->means, "looted arms");

  AssessmentEntry e;
  e.section = "drivers-of-conflict";
  e.text = "arms flows from the north";
  auto entry = repo_->AddAssessmentEntry(case_.id, e, "ana");
  ASSERT_TRUE(entry.ok()) << entry.status().ToString();
  ASSERT_TRUE(repo_->EditAssessmentEntry(case_.id, entry->id, "arms flows", entry->as_of, "high", std::nullopt,
                                         "ana", 1)
                  .ok());
  EXPECT_EQ(repo_->EditAssessmentEntry(case_.id, entry->id, "x", entry->as_of, "low", std::nullopt, "bo", 1).code(),
            Status::Code::kAborted);

  Interest in;
  in.text = "regional stability";
  auto interest = repo_->AddInterest(case_.id, in, "ana");
  ASSERT_TRUE(interest.ok());
  Interest changed = *interest;
  changed.priority = 2;
  ASSERT_TRUE(repo_->UpdateInterest(case_.id, changed, "ana", 1).ok());
  EXPECT_EQ(repo_->UpdateInterest(case_.id, changed, "bo", 1).code(), Status::Code::kAborted);

  Assumption as;
  as.text = "the AU mission stays";
  auto assumption = repo_->AddAssumption(case_.id, as, "ana");
  ASSERT_TRUE(assumption.ok());
  ASSERT_TRUE(repo_->SetAssumptionStatus(case_.id, assumption->id, "validated", "", "", {}, "ana", 1).ok());
  EXPECT_EQ(repo_->SetAssumptionStatus(case_.id, assumption->id, "invalidated", "", "", {}, "bo", 1).code(),
            Status::Code::kAborted);

  InformationRequirement q;
  q.question = "who arms the anti-balaka?";
  auto cir = repo_->AddCir(case_.id, q, "ana");
  ASSERT_TRUE(cir.ok());
  ASSERT_TRUE(repo_->AnswerCir(case_.id, cir->id, "local networks", "", {}, "ana", 1).ok());
  EXPECT_EQ(repo_->AnswerCir(case_.id, cir->id, "", "", {}, "bo", 1).code(), Status::Code::kAborted);

  auto file = repo_->LoadCaseFile(case_.id);
  ASSERT_TRUE(file.ok());
  EXPECT_EQ(file->assessment.at(0).revision, 2);
  EXPECT_EQ(file->interests.at(0).revision, 2);
  EXPECT_EQ(file->assumptions.at(0).status, "validated");
  EXPECT_EQ(file->cirs.at(0).status, "answered");
}

}  // namespace
}  // namespace vigil::assess
