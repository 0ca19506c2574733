#include "options/option_repo.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>

#include "options/generator.h"

namespace vigil::options {
namespace {

class OptionRepoTest : public ::testing::Test {
 protected:
  void SetUp() override {
    path_ = ::testing::TempDir() + "vigil_option_repo_test_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name() + ".db";
    Cleanup();
    auto db = store::Db::Open(path_);
    ASSERT_TRUE(db.ok()) << db.status().ToString();
    db_ = std::move(*db);
    cases_ = std::make_unique<assess::CaseRepo>(*db_);
    repo_ = std::make_unique<OptionRepo>(*db_);
    assess::Case c;
    c.title = "Test: Zland";
    c.region = "Zland (test)";
    auto created = cases_->CreateCase(c, "ana");
    ASSERT_TRUE(created.ok()) << created.status().ToString();
    case_id_ = created->id;
    AddActor("Government of Zland", "state", "perpetrator-architect", "Capital, Delta");
    AddActor("Delta Youth League", "group", "perpetrator-rank-and-file", "Delta");
    AddActor("Delta fishers", "group", "victim", "Delta");
    AddActor("Regional Union", "organization", "intervener", "");
    AddActor("UN team", "organization", "positive-actor", "");
    assess::Score s;
    s.framework = "osapg";
    s.item = "c4";
    s.level = "high";
    s.as_of = "2026-01";
    ASSERT_TRUE(cases_->AddScore(case_id_, s, "ana").ok());
  }

  void TearDown() override {
    repo_.reset();
    cases_.reset();
    db_.reset();
    Cleanup();
  }

  void Cleanup() {
    for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(path_ + suffix);
  }

  void AddActor(const std::string& name, const std::string& kind, const std::string& role,
                const std::string& locations) {
    assess::Actor a;
    a.name = name;
    a.kind = kind;
    a.locations = locations;
    assess::ActorRole r;
    r.role = role;
    r.from = "2025-06";
    a.roles.push_back(r);
    auto added = cases_->AddActor(case_id_, a, "ana");
    ASSERT_TRUE(added.ok()) << added.status().ToString();
  }

  std::vector<OptionPackage> Generate() {
    auto file = cases_->LoadCaseFile(case_id_);
    EXPECT_TRUE(file.ok());
    auto set = repo_->LoadSituation(case_id_);
    EXPECT_TRUE(set.ok());
    auto r = GenerateOptions(*file, {}, *set);
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    return r.ok() ? r->options : std::vector<OptionPackage>{};
  }

  std::int64_t Count(const std::string& sql) {
    auto st = db_->Prepare(sql);
    EXPECT_TRUE(st.ok());
    EXPECT_TRUE(*st->Step());
    return st->Int(0);
  }
  std::int64_t AuditRows() { return Count("SELECT count(*) FROM case_audit"); }
  std::int64_t AuditRows(const std::string& entity) {
    return Count("SELECT count(*) FROM case_audit WHERE entity = '" + entity + "'");
  }

  std::string path_;
  std::unique_ptr<store::Db> db_;
  std::unique_ptr<assess::CaseRepo> cases_;
  std::unique_ptr<OptionRepo> repo_;
  std::int64_t case_id_ = 0;
};

TEST_F(OptionRepoTest, Situation) {
  auto empty = repo_->LoadSituation(case_id_);
  ASSERT_TRUE(empty.ok());
  EXPECT_EQ(empty->host_nation_role, "");
  EXPECT_TRUE(empty->basis.empty());
  const auto audit0 = AuditRows();

  ASSERT_TRUE(repo_->SetSituation(case_id_, {{"volatility", "urgent"}, {"us-interests", "high"}}, "ana").ok());
  auto s = repo_->LoadSituation(case_id_);
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(s->volatility, "urgent");
  EXPECT_EQ(s->us_interests, "high");
  EXPECT_EQ(s->Basis("volatility"), "analyst");
  EXPECT_EQ(s->Basis("host-nation-role"), "");
  EXPECT_EQ(s->updated_by, "ana");
  EXPECT_EQ(AuditRows("situation"), 1);

  // Unchanged: nothing written.
  ASSERT_TRUE(repo_->SetSituation(case_id_, {{"volatility", "urgent"}}, "bo").ok());
  EXPECT_EQ(AuditRows(), audit0 + 1);

  // Errors write nothing.
  Status bad = repo_->SetSituation(case_id_, {{"us-interests", "low"}, {"volatility", "boiling"}}, "ana");
  EXPECT_EQ(bad.code(), Status::Code::kInvalidArgument);
  EXPECT_NE(bad.message().find("volatility: 'boiling' is not one of latent, urgent"), std::string::npos)
      << bad.message();
  bad = repo_->SetSituation(case_id_, {{"mood", "calm"}}, "ana");
  EXPECT_NE(bad.message().find("unknown situational variable 'mood'"), std::string::npos);
  EXPECT_EQ(repo_->SetSituation(case_id_, {{"volatility", "latent"}}, "").code(), Status::Code::kInvalidArgument);
  EXPECT_EQ(repo_->SetSituation(999, {{"volatility", "latent"}}, "ana").code(), Status::Code::kNotFound);
  EXPECT_EQ(AuditRows(), audit0 + 1);
  EXPECT_EQ(repo_->LoadSituation(case_id_)->us_interests, "high");

  // "" clears.
  ASSERT_TRUE(repo_->SetSituation(case_id_, {{"us-interests", ""}}, "ana").ok());
  EXPECT_EQ(repo_->LoadSituation(case_id_)->us_interests, "");
  EXPECT_EQ(AuditRows("situation"), 2);
}

TEST_F(OptionRepoTest, SaveGeneratedIsIdempotent) {
  std::vector<OptionPackage> gen = Generate();
  ASSERT_GE(gen.size(), 2u);
  auto saved = repo_->SaveGenerated(case_id_, gen, "ana");
  ASSERT_TRUE(saved.ok()) << saved.status().ToString();
  ASSERT_EQ(saved->size(), gen.size());
  for (std::size_t i = 0; i < saved->size(); ++i) {
    EXPECT_EQ((*saved)[i].number, static_cast<int>(i + 1));
    EXPECT_EQ((*saved)[i].version, 1);
    EXPECT_EQ((*saved)[i].status, "proposed");
    EXPECT_EQ((*saved)[i].origin, "generated");
    EXPECT_EQ((*saved)[i].created_by, "ana");
    EXPECT_GT((*saved)[i].id, 0);
  }
  EXPECT_EQ(AuditRows("option"), static_cast<std::int64_t>(gen.size()));
  const auto audit = AuditRows();
  const auto rows = Count("SELECT count(*) FROM options");

  // The same content again: nothing written, the stored ones returned.
  auto again = repo_->SaveGenerated(case_id_, Generate(), "bo");
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(AuditRows(), audit);
  EXPECT_EQ(Count("SELECT count(*) FROM options"), rows);
  ASSERT_EQ(again->size(), saved->size());
  for (std::size_t i = 0; i < saved->size(); ++i) EXPECT_EQ((*again)[i].id, (*saved)[i].id);

  // Stored documents read back equal to what was saved.
  auto listed = repo_->ListOptions(case_id_);
  ASSERT_TRUE(listed.ok());
  ASSERT_EQ(listed->size(), saved->size());
  for (std::size_t i = 0; i < saved->size(); ++i) EXPECT_EQ(ToJson((*listed)[i]), ToJson((*saved)[i]));
}

TEST_F(OptionRepoTest, EditBumpsVersionAndRegenerationWithdrawsOnlyUneditedOnes) {
  auto saved = repo_->SaveGenerated(case_id_, Generate(), "ana");
  ASSERT_TRUE(saved.ok());
  ASSERT_GE(saved->size(), 2u);
  OptionPackage edited = (*saved)[0];
  edited.title = "Persuasion, as the IPT sees it";
  edited.tools.erase(edited.tools.end() - 1);
  ASSERT_TRUE(repo_->UpdateOption(case_id_, edited, "bo").ok());
  auto e = repo_->FindOption(case_id_, "#1");
  ASSERT_TRUE(e.ok());
  EXPECT_EQ(e->version, 2);
  EXPECT_EQ(e->title, "Persuasion, as the IPT sees it");
  EXPECT_EQ(e->tools.size(), (*saved)[0].tools.size() - 1);
  EXPECT_EQ(AuditRows("option"), static_cast<std::int64_t>(saved->size()) + 1);
  // The same content again writes nothing.
  const auto audit = AuditRows();
  ASSERT_TRUE(repo_->UpdateOption(case_id_, *e, "bo").ok());
  EXPECT_EQ(AuditRows(), audit);
  EXPECT_EQ(repo_->FindOption(case_id_, "1")->version, 2);

  // A new situation changes the generated set: the unedited generated
  // options are withdrawn, the edited one stays, numbers continue.
  ASSERT_TRUE(repo_->SetSituation(case_id_, {{"volatility", "urgent"}, {"international-support", "high"}}, "ana").ok());
  auto second = repo_->SaveGenerated(case_id_, Generate(), "ana");
  ASSERT_TRUE(second.ok()) << second.status().ToString();
  auto all = repo_->ListOptions(case_id_, true);
  ASSERT_TRUE(all.ok());
  ASSERT_EQ(all->size(), saved->size() + second->size());
  EXPECT_EQ((*all)[0].status, "proposed");  // edited
  for (std::size_t i = 1; i < saved->size(); ++i) EXPECT_EQ((*all)[i].status, "withdrawn") << i;
  EXPECT_EQ(second->front().number, static_cast<int>(saved->size()) + 1);
  auto visible = repo_->ListOptions(case_id_);
  ASSERT_TRUE(visible.ok());
  EXPECT_EQ(visible->size(), 1 + second->size());
  EXPECT_GE(Count("SELECT count(*) FROM case_audit WHERE entity = 'option' AND action = 'withdraw'"),
            static_cast<std::int64_t>(saved->size()) - 1);

  // A withdrawn option cannot be edited.
  OptionPackage w = (*all)[1];
  w.title = "x";
  EXPECT_EQ(repo_->UpdateOption(case_id_, w, "bo").code(), Status::Code::kFailedPrecondition);
}

TEST_F(OptionRepoTest, AnalystOptionsStatusesFindAndOpinions) {
  auto saved = repo_->SaveGenerated(case_id_, Generate(), "ana");
  ASSERT_TRUE(saved.ok());
  OptionPackage mine = (*saved)[0];
  mine.title = "Quiet diplomacy only";
  mine.origin = "generated";  // AddOption makes it an analyst's option
  auto added = repo_->AddOption(case_id_, mine, "cy");
  ASSERT_TRUE(added.ok()) << added.status().ToString();
  EXPECT_EQ(added->origin, "analyst");
  EXPECT_EQ(added->number, static_cast<int>(saved->size()) + 1);

  EXPECT_EQ(repo_->FindOption(case_id_, "option-" + std::to_string(added->number))->id, added->id);
  EXPECT_EQ(repo_->FindOption(case_id_, "id:" + std::to_string(added->id))->number, added->number);
  EXPECT_EQ(repo_->FindOption(case_id_, "#99").status().code(), Status::Code::kNotFound);
  EXPECT_EQ(repo_->FindOption(case_id_, "best").status().code(), Status::Code::kInvalidArgument);

  // Analyst options survive regeneration.
  ASSERT_TRUE(repo_->SetSituation(case_id_, {{"volatility", "urgent"}}, "ana").ok());
  ASSERT_TRUE(repo_->SaveGenerated(case_id_, Generate(), "ana").ok());
  EXPECT_EQ(repo_->FindOption(case_id_, "id:" + std::to_string(added->id))->status, "proposed");

  // Statuses.
  EXPECT_EQ(repo_->SetOptionStatus(case_id_, added->id, "approved", "cy").code(), Status::Code::kFailedPrecondition);
  EXPECT_EQ(repo_->SetOptionStatus(case_id_, added->id, "done", "cy").code(), Status::Code::kInvalidArgument);
  ASSERT_TRUE(repo_->SetOptionStatus(case_id_, added->id, "withdrawn", "cy").ok());
  EXPECT_EQ(repo_->FindOption(case_id_, "id:" + std::to_string(added->id))->status, "withdrawn");
  ASSERT_TRUE(repo_->SetOptionStatus(case_id_, added->id, "proposed", "cy").ok());

  // Opinions.
  Opinion rec;
  rec.option_id = added->id;
  rec.position = "recommend";
  rec.text = "Cheapest option that can still work.";
  auto r1 = repo_->AddOpinion(case_id_, rec, "cy");
  ASSERT_TRUE(r1.ok()) << r1.status().ToString();
  EXPECT_EQ(r1->author, "cy");
  Opinion dis = rec;
  dis.position = "dissent";
  dis.text = "Too weak for an urgent situation.";
  ASSERT_TRUE(repo_->AddOpinion(case_id_, dis, "dee").ok());
  auto ops = repo_->ListOpinions(case_id_);
  ASSERT_TRUE(ops.ok());
  ASSERT_EQ(ops->size(), 2u);
  EXPECT_EQ((*ops)[1].position, "dissent");
  EXPECT_EQ(AuditRows("opinion"), 2);
  auto listed = repo_->ListOptions(case_id_);
  auto rows = CompareOptions(*listed, *ops);
  bool found = false;
  for (const auto& row : rows) {
    if (row.label == "Dissents") found = std::find(row.values.begin(), row.values.end(), "dee") != row.values.end();
  }
  EXPECT_TRUE(found);
}

TEST_F(OptionRepoTest, NothingWrittenOnError) {
  auto saved = repo_->SaveGenerated(case_id_, Generate(), "ana");
  ASSERT_TRUE(saved.ok());
  const auto audit = AuditRows();
  const auto rows = Count("SELECT count(*) FROM options");
  const std::string updated = cases_->FindCase(std::to_string(case_id_))->updated_at;

  OptionPackage bad = (*saved)[0];
  bad.tools[0].id = "nofly";
  Status st = repo_->AddOption(case_id_, bad, "cy").status();
  EXPECT_EQ(st.code(), Status::Code::kInvalidArgument);
  EXPECT_EQ(st.message(), "tools[0].id: unknown tool 'nofly' (see vigil catalog show dime)");
  EXPECT_EQ(repo_->UpdateOption(case_id_, bad, "cy").code(), Status::Code::kInvalidArgument);
  std::vector<OptionPackage> gen = Generate();
  gen.back().risks.front().mitigations.clear();
  st = repo_->SaveGenerated(case_id_, gen, "ana").status();
  EXPECT_EQ(st.code(), Status::Code::kInvalidArgument);
  EXPECT_NE(st.message().find("risks[0].mitigations"), std::string::npos) << st.message();
  EXPECT_EQ(repo_->AddOption(case_id_, (*saved)[0], "").status().code(), Status::Code::kInvalidArgument);
  EXPECT_EQ(repo_->AddOption(12345, (*saved)[0], "cy").status().code(), Status::Code::kNotFound);
  Opinion o;
  o.option_id = 424242;
  o.position = "recommend";
  o.text = "x";
  EXPECT_EQ(repo_->AddOpinion(case_id_, o, "cy").status().code(), Status::Code::kNotFound);
  o.option_id = (*saved)[0].id;
  o.position = "maybe";
  EXPECT_EQ(repo_->AddOpinion(case_id_, o, "cy").status().code(), Status::Code::kInvalidArgument);
  o.position = "dissent";
  o.text.clear();
  EXPECT_EQ(repo_->AddOpinion(case_id_, o, "cy").status().code(), Status::Code::kInvalidArgument);

  EXPECT_EQ(AuditRows(), audit);
  EXPECT_EQ(Count("SELECT count(*) FROM options"), rows);
  EXPECT_EQ(Count("SELECT count(*) FROM option_opinions"), 0);
  EXPECT_EQ(cases_->FindCase(std::to_string(case_id_))->updated_at, updated);
  auto again = repo_->ListOptions(case_id_);
  ASSERT_TRUE(again.ok());
  for (std::size_t i = 0; i < saved->size(); ++i) EXPECT_EQ(ToJson((*again)[i]), ToJson((*saved)[i]));
}

}  // namespace
}  // namespace vigil::options
