#include "plan/plan_repo.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <map>

#include "assess/case.h"
#include "options/option.h"
#include "options/option_repo.h"
#include "store/db.h"

namespace vigil::plan {
namespace {

using Code = Status::Code;

LineOfEffort Loe(int n, std::string lead = "State") {
  LineOfEffort l;
  l.id = "loe-" + std::to_string(n);
  l.title = "Line of effort " + std::to_string(n);
  l.lead = std::move(lead);
  l.priority = n;
  return l;
}

PolicyStatement Policy(int loes) {
  PolicyStatement p;
  p.goal = "Prevent mass killing of civilians in the north";
  p.objectives = {"Armed groups stop attacks on villages", "Displaced people reach safety"};
  for (int i = 1; i <= loes; ++i) p.loes.push_back(Loe(i));
  p.considerations.push_back({"resources", "Funding for monitors is not yet appropriated"});
  p.lead_official = "Special Envoy";
  return p;
}

Task MakeTask(std::string id, std::string loe, std::vector<std::string> depends_on = {}) {
  Task t;
  t.id = std::move(id);
  t.loe = std::move(loe);
  t.title = "Task " + t.id;
  t.agency = "State";
  t.stages = {"IA", "IB"};
  t.depends_on = std::move(depends_on);
  return t;
}

Plan MakePlan() {
  Plan p;
  p.goal = "Prevent mass killing of civilians in the north";
  p.objectives = {"Armed groups stop attacks on villages"};
  for (int i = 1; i <= 4; ++i) p.loes.push_back(Loe(i));
  p.tasks = {MakeTask("t-1", "loe-1"), MakeTask("t-2", "loe-1", {"t-1"}), MakeTask("t-3", "loe-2")};
  BranchPlan b;
  b.id = "b-1";
  b.title = "Host government blocks monitors";
  b.condition = "if the assumption of consent proves false";
  b.response = "move monitoring to neighbouring states";
  b.stages = {"IB", "IC"};
  p.branches.push_back(b);
  DecisionPoint d;
  d.id = "dp-1";
  d.kind = "additional-resources";
  d.question = "Send more ceasefire monitors and funding?";
  d.who_decides = "Deputies Committee";
  d.stages = {"IB"};
  p.decision_points.push_back(d);
  p.note = "first plan";
  return p;
}

// The store fields and current stage aside, is the content of two plans equal?
nlohmann::json Content(const Plan& p) {
  nlohmann::json j = ToJson(p);
  for (const char* k : {"id", "case_id", "revision", "policy_version", "current_stage", "note", "created_at",
                        "created_by"})
    j.erase(k);
  return j;
}

class PlanRepoTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("vigil_plan_repo_test_" + std::to_string(::getpid()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    auto db = store::Db::Open((dir_ / "vigil.db").string());
    ASSERT_TRUE(db.ok()) << db.status().ToString();
    db_ = std::move(*db);
    assess::CaseRepo cases(*db_);
    assess::Case c;
    c.title = "Demo: Republic of Veridia (fictional)";
    c.slug = "veridia";
    c.region = "Veridia";
    auto created = cases.CreateCase(c, "ana");
    ASSERT_TRUE(created.ok()) << created.status().ToString();
    case_ = *created;
    repo_ = std::make_unique<PlanRepo>(*db_);
  }
  void TearDown() override {
    repo_.reset();
    db_.reset();
    std::filesystem::remove_all(dir_);
  }

  // Inserts an option package the way OptionRepo stores it; returns its id.
  std::int64_t AddOption(int number, const std::string& status = "proposed") {
    options::OptionPackage o;
    o.case_id = case_.id;
    o.number = number;
    o.title = "Option " + std::to_string(number);
    o.approach = "suasion";
    o.role = "lead-multinational";
    o.policy_goal = "Prevent mass killing";
    o.objectives = {"Stop attacks"};
    o.status = status;
    o.version = 1;
    auto st = db_->Prepare(
        "INSERT INTO options (case_id, number, status, origin, version, doc, created_at, created_by, updated_at) "
        "VALUES (?, ?, ?, 'generated', 1, ?, '2026-01-01T00:00:00Z', 'ana', '2026-01-01T00:00:00Z')");
    EXPECT_TRUE(st.ok());
    st->Bind(1, case_.id).Bind(2, number).Bind(3, status).Bind(4, options::ToJson(o).dump());
    EXPECT_TRUE(st->Run().ok());
    return db_->LastInsertRowId();
  }

  std::string OptionStatus(std::int64_t id) {
    auto st = db_->Prepare("SELECT status, doc FROM options WHERE id = ?");
    EXPECT_TRUE(st.ok());
    st->Bind(1, id);
    EXPECT_TRUE(*st->Step());
    // Column and document agree.
    EXPECT_EQ(nlohmann::json::parse(st->Text(1)).at("status"), st->Text(0));
    return st->Text(0);
  }

  std::int64_t Count(const std::string& table) {
    auto st = db_->Prepare("SELECT count(*) FROM " + table);
    EXPECT_TRUE(st.ok());
    EXPECT_TRUE(*st->Step());
    return st->Int(0);
  }

  // Row counts of every table PlanRepo writes, the statuses it changes, and
  // the case's updated_at: equal snapshots mean nothing was written.
  std::map<std::string, std::string> Snapshot() {
    std::map<std::string, std::string> out;
    for (const char* t : {"options", "decisions", "policy_statements", "plan_revisions", "execution_status",
                          "case_audit", "cases"})
      out[t] = std::to_string(Count(t));
    for (const char* q : {"SELECT group_concat(status) FROM (SELECT status FROM options ORDER BY id)",
                          "SELECT group_concat(status) FROM (SELECT status FROM policy_statements ORDER BY id)",
                          "SELECT group_concat(updated_at) FROM cases"}) {
      auto st = db_->Prepare(q);
      EXPECT_TRUE(st.ok());
      EXPECT_TRUE(*st->Step());
      out[q] = st->Text(0);
    }
    return out;
  }

  // Option 1 approved, policy version 1 (4 LOEs) approved, plan revision 1.
  void Chain() {
    const std::int64_t opt = AddOption(1);
    ASSERT_TRUE(repo_->DecideOption(case_.id, opt, "approved", "Principals Committee", "2026-03-01", "", "ana").ok());
    ASSERT_TRUE(repo_->SavePolicyDraft(case_.id, Policy(4), "ana").ok());
    ASSERT_TRUE(repo_->ApprovePolicy(case_.id, "Principals Committee", "2026-03-05", "", "ana").ok());
    auto plan = repo_->CreatePlan(case_.id, MakePlan(), "ana");
    ASSERT_TRUE(plan.ok()) << plan.status().ToString();
  }

  std::filesystem::path dir_;
  std::unique_ptr<store::Db> db_;
  std::unique_ptr<PlanRepo> repo_;
  assess::Case case_;
};

// ---- preconditions -------------------------------------------------------------

TEST_F(PlanRepoTest, PlanBeforeApprovedPolicyIsRefused) {
  auto before = Snapshot();
  auto r = repo_->CreatePlan(case_.id, MakePlan(), "ana");
  EXPECT_EQ(r.status().code(), Code::kFailedPrecondition);
  EXPECT_NE(r.status().message().find("no approved policy statement for case 'veridia'"), std::string::npos)
      << r.status().message();
  EXPECT_NE(r.status().message().find("vigil policy approve"), std::string::npos);
  EXPECT_EQ(Snapshot(), before);

  // A draft is not enough.
  const std::int64_t opt = AddOption(1);
  ASSERT_TRUE(repo_->DecideOption(case_.id, opt, "approved", "PC", "", "", "ana").ok());
  ASSERT_TRUE(repo_->SavePolicyDraft(case_.id, Policy(4), "ana").ok());
  before = Snapshot();
  EXPECT_EQ(repo_->CreatePlan(case_.id, MakePlan(), "ana").status().code(), Code::kFailedPrecondition);
  EXPECT_EQ(Snapshot(), before);
  auto none = repo_->LoadPlan(case_.id);
  ASSERT_TRUE(none.ok());
  EXPECT_FALSE(none->has_value());
}

TEST_F(PlanRepoTest, PolicyBeforeApprovedOptionIsRefused) {
  const std::int64_t opt = AddOption(1);
  PolicyStatement p = Policy(4);
  p.option_id = opt;
  auto before = Snapshot();
  auto r = repo_->SavePolicyDraft(case_.id, p, "ana");
  EXPECT_EQ(r.status().code(), Code::kFailedPrecondition);
  EXPECT_NE(r.status().message().find("no approved option"), std::string::npos) << r.status().message();
  EXPECT_NE(r.status().message().find("vigil options approve"), std::string::npos);
  EXPECT_EQ(Snapshot(), before);
  // ApprovePolicy without any statement says what to do first.
  auto a = repo_->ApprovePolicy(case_.id, "PC", "", "", "ana");
  EXPECT_EQ(a.status().code(), Code::kFailedPrecondition);
  EXPECT_NE(a.status().message().find("vigil policy draft"), std::string::npos);

  // With option 2 approved, a draft naming option 1 is refused too.
  const std::int64_t opt2 = AddOption(2);
  ASSERT_TRUE(repo_->DecideOption(case_.id, opt2, "approved", "PC", "", "", "ana").ok());
  before = Snapshot();
  r = repo_->SavePolicyDraft(case_.id, p, "ana");
  EXPECT_EQ(r.status().code(), Code::kFailedPrecondition);
  EXPECT_NE(r.status().message().find("option 1"), std::string::npos) << r.status().message();
  EXPECT_EQ(Snapshot(), before);
  // Bad content: InvalidArgument naming the field, before any precondition.
  PolicyStatement bad = Policy(4);
  bad.goal = "";
  EXPECT_EQ(repo_->SavePolicyDraft(case_.id, bad, "ana").status().code(), Code::kInvalidArgument);
  EXPECT_EQ(repo_->SavePolicyDraft(case_.id, Policy(4), "").status().code(), Code::kInvalidArgument);
  EXPECT_EQ(Snapshot(), before);
}

TEST_F(PlanRepoTest, OnlyProposedOptionsCanBeDecided) {
  const std::int64_t withdrawn = AddOption(1, "withdrawn");
  const std::int64_t proposed = AddOption(2);
  auto before = Snapshot();
  auto r = repo_->DecideOption(case_.id, withdrawn, "approved", "PC", "2026-03-01", "", "ana");
  EXPECT_EQ(r.status().code(), Code::kFailedPrecondition);
  EXPECT_NE(r.status().message().find("option 1 of case 'veridia' is withdrawn"), std::string::npos)
      << r.status().message();
  EXPECT_EQ(repo_->DecideOption(case_.id, 999, "approved", "PC", "", "", "ana").status().code(), Code::kNotFound);
  EXPECT_EQ(repo_->DecideOption(case_.id, proposed, "activated", "PC", "", "", "ana").status().code(),
            Code::kInvalidArgument);
  EXPECT_EQ(repo_->DecideOption(case_.id, proposed, "approved", "", "", "", "ana").status().code(),
            Code::kInvalidArgument);
  EXPECT_EQ(repo_->DecideOption(case_.id, proposed, "approved", "PC", "2026-13-01", "", "ana").status().code(),
            Code::kInvalidArgument);
  EXPECT_EQ(repo_->DecideOption(case_.id, proposed, "approved", "PC", "", "", "").status().code(),
            Code::kInvalidArgument);
  EXPECT_EQ(repo_->DecideOption(case_.id + 1, proposed, "approved", "PC", "", "", "ana").status().code(),
            Code::kNotFound);
  EXPECT_EQ(Snapshot(), before);

  ASSERT_TRUE(repo_->DecideOption(case_.id, proposed, "approved", "PC", "", "", "ana").ok());
  before = Snapshot();
  r = repo_->DecideOption(case_.id, proposed, "approved", "PC", "", "", "ana");
  EXPECT_EQ(r.status().code(), Code::kFailedPrecondition);
  EXPECT_NE(r.status().message().find("already approved"), std::string::npos) << r.status().message();
  EXPECT_EQ(Snapshot(), before);
}

TEST_F(PlanRepoTest, StatusNeedsAPlanAKnownTargetAndStatus) {
  StatusEntry s;
  s.target = "t-1";
  s.status = "on-track";
  EXPECT_EQ(repo_->RecordStatus(case_.id, s, "ana").status().code(), Code::kFailedPrecondition);
  Chain();
  auto before = Snapshot();
  s.target = "t-99";
  auto r = repo_->RecordStatus(case_.id, s, "ana");
  EXPECT_EQ(r.status().code(), Code::kNotFound);
  EXPECT_NE(r.status().message().find("'t-99'"), std::string::npos) << r.status().message();
  s.target = "t-1";
  s.status = "fine";
  r = repo_->RecordStatus(case_.id, s, "ana");
  EXPECT_EQ(r.status().code(), Code::kInvalidArgument);
  EXPECT_NE(r.status().message().find("on-track"), std::string::npos) << r.status().message();
  s.status = "at-risk";
  s.as_of = "March";
  EXPECT_EQ(repo_->RecordStatus(case_.id, s, "ana").status().code(), Code::kInvalidArgument);
  EXPECT_EQ(Snapshot(), before);

  s.as_of = "";
  s.note = "militia roadblocks";
  auto ok = repo_->RecordStatus(case_.id, s, "ana");
  ASSERT_TRUE(ok.ok()) << ok.status().ToString();
  EXPECT_EQ(ok->plan_revision, 1);
  EXPECT_FALSE(ok->as_of.empty());
  s.target = "loe-2";
  s.status = "setback";
  s.as_of = "2026-04-01";
  ASSERT_TRUE(repo_->RecordStatus(case_.id, s, "ana").ok());
  auto history = repo_->StatusHistory(case_.id);
  ASSERT_TRUE(history.ok());
  ASSERT_EQ(history->size(), 2u);
  EXPECT_EQ((*history)[0].target, "t-1");
  EXPECT_EQ((*history)[0].status, "at-risk");
  EXPECT_EQ((*history)[0].author, "ana");
  EXPECT_EQ((*history)[1].target, "loe-2");
}

TEST_F(PlanRepoTest, StageTransitionsAreChecked) {
  EXPECT_EQ(repo_->TransitionStage(case_.id, "IB", "NSC", "", "", "ana").status().code(),
            Code::kFailedPrecondition);
  Chain();
  auto before = Snapshot();
  auto r = repo_->TransitionStage(case_.id, "IA", "NSC", "", "", "ana");
  EXPECT_EQ(r.status().code(), Code::kInvalidArgument);
  EXPECT_NE(r.status().message().find("already in stage IA"), std::string::npos) << r.status().message();
  EXPECT_EQ(repo_->TransitionStage(case_.id, "IV", "NSC", "", "", "ana").status().code(), Code::kInvalidArgument);
  EXPECT_EQ(repo_->TransitionStage(case_.id, "IB", "", "", "", "ana").status().code(), Code::kInvalidArgument);
  EXPECT_EQ(Snapshot(), before);
}

// ---- happy paths ---------------------------------------------------------------

TEST_F(PlanRepoTest, ApprovalChain) {
  const std::int64_t o1 = AddOption(1);
  const std::int64_t o2 = AddOption(2);
  auto d1 = repo_->DecideOption(case_.id, o1, "approved", "Principals Committee", "2026-03-01", "best fit", "ana");
  ASSERT_TRUE(d1.ok()) << d1.status().ToString();
  EXPECT_EQ(d1->kind, "option");
  EXPECT_EQ(d1->subject, "1");
  EXPECT_EQ(d1->recorded_by, "ana");
  EXPECT_EQ(OptionStatus(o1), "approved");

  // Approving option 2 rejects option 1 with its own decision.
  ASSERT_TRUE(repo_->DecideOption(case_.id, o2, "approved", "Principals Committee", "2026-03-02", "", "ana").ok());
  EXPECT_EQ(OptionStatus(o1), "rejected");
  EXPECT_EQ(OptionStatus(o2), "approved");
  auto decisions = repo_->ListDecisions(case_.id);
  ASSERT_TRUE(decisions.ok());
  ASSERT_EQ(decisions->size(), 3u);
  EXPECT_EQ((*decisions)[1].subject, "1");
  EXPECT_EQ((*decisions)[1].outcome, "rejected");
  EXPECT_EQ((*decisions)[2].subject, "2");
  EXPECT_EQ((*decisions)[2].outcome, "approved");

  // Draft v1 with 3 LOEs: fine as a draft, not for approval.
  auto v1 = repo_->SavePolicyDraft(case_.id, Policy(3), "ana");
  ASSERT_TRUE(v1.ok()) << v1.status().ToString();
  EXPECT_EQ(v1->version, 1);
  EXPECT_EQ(v1->option_id, o2);
  EXPECT_EQ(v1->option_number, 2);
  EXPECT_EQ(v1->status, "draft");
  auto before = Snapshot();
  auto bad = repo_->ApprovePolicy(case_.id, "PC", "2026-03-05", "", "ana");
  EXPECT_EQ(bad.status().code(), Code::kInvalidArgument);
  EXPECT_NE(bad.status().message().find("4 to 10"), std::string::npos) << bad.status().message();
  EXPECT_EQ(Snapshot(), before);

  ASSERT_TRUE(repo_->SavePolicyDraft(case_.id, Policy(4), "ana").ok());
  auto v2 = repo_->ApprovePolicy(case_.id, "Principals Committee", "2026-03-05", "", "ana");
  ASSERT_TRUE(v2.ok()) << v2.status().ToString();
  EXPECT_EQ(v2->version, 2);
  EXPECT_EQ(v2->status, "approved");
  EXPECT_EQ(repo_->ApprovePolicy(case_.id, "PC", "", "", "ana").status().code(), Code::kFailedPrecondition);

  ASSERT_TRUE(repo_->SavePolicyDraft(case_.id, Policy(5), "bo").ok());
  ASSERT_TRUE(repo_->ApprovePolicy(case_.id, "Principals Committee", "2026-03-09", "", "ana").ok());
  auto versions = repo_->PolicyVersions(case_.id);
  ASSERT_TRUE(versions.ok());
  ASSERT_EQ(versions->size(), 3u);
  EXPECT_EQ((*versions)[0].status, "superseded");
  EXPECT_EQ((*versions)[1].status, "superseded");
  EXPECT_EQ((*versions)[2].status, "approved");
  EXPECT_EQ((*versions)[2].loes.size(), 5u);
  EXPECT_EQ((*versions)[2].created_by, "bo");
  auto approved = repo_->ApprovedPolicy(case_.id);
  ASSERT_TRUE(approved.ok());
  ASSERT_TRUE(approved->has_value());
  EXPECT_EQ((*approved)->version, 3);
  auto latest = repo_->LatestPolicy(case_.id);
  ASSERT_TRUE(latest.ok() && latest->has_value());
  EXPECT_EQ((*latest)->version, 3);

  auto plan = repo_->CreatePlan(case_.id, MakePlan(), "ana");
  ASSERT_TRUE(plan.ok()) << plan.status().ToString();
  EXPECT_EQ(plan->revision, 1);
  EXPECT_EQ(plan->policy_version, 3);
  EXPECT_EQ(plan->current_stage, "IA");
  before = Snapshot();
  auto again = repo_->CreatePlan(case_.id, MakePlan(), "ana");
  EXPECT_EQ(again.status().code(), Code::kFailedPrecondition);
  EXPECT_NE(again.status().message().find("already has a plan"), std::string::npos);
  EXPECT_EQ(Snapshot(), before);

  decisions = repo_->ListDecisions(case_.id);
  ASSERT_TRUE(decisions.ok());
  ASSERT_EQ(decisions->size(), 5u);
  EXPECT_EQ((*decisions)[3].kind, "policy");
  EXPECT_EQ((*decisions)[3].subject, "2");
  EXPECT_EQ((*decisions)[4].subject, "3");
  EXPECT_EQ((*decisions)[4].decided_at, "2026-03-09");
}

TEST_F(PlanRepoTest, OptionRepoSeesDecidedStatuses) {
  options::OptionRepo opts(*db_);
  options::OptionPackage o;
  o.title = "Envoy-led diplomacy";
  o.approach = "suasion";
  o.role = "lead-multinational";
  o.policy_goal = "Prevent mass killing";
  o.objectives = {"Stop attacks"};
  auto a = opts.AddOption(case_.id, o, "ana");
  ASSERT_TRUE(a.ok()) << a.status().ToString();
  o.title = "Sanctions and an arms embargo";
  o.approach = "compellence";
  auto b = opts.AddOption(case_.id, o, "ana");
  ASSERT_TRUE(b.ok()) << b.status().ToString();
  ASSERT_TRUE(repo_->DecideOption(case_.id, a->id, "approved", "PC", "", "", "ana").ok());
  ASSERT_TRUE(repo_->DecideOption(case_.id, b->id, "rejected", "PC", "", "", "ana").ok());
  auto list = opts.ListOptions(case_.id);
  ASSERT_TRUE(list.ok()) << list.status().ToString();
  ASSERT_EQ(list->size(), 2u);
  EXPECT_EQ((*list)[0].status, "approved");
  EXPECT_EQ((*list)[0].title, "Envoy-led diplomacy");
  EXPECT_EQ((*list)[1].status, "rejected");
  // A decided option is no longer editable by OptionRepo.
  EXPECT_EQ(opts.UpdateOption(case_.id, (*list)[1], "ana").code(), Code::kFailedPrecondition);
  auto p = repo_->SavePolicyDraft(case_.id, Policy(4), "ana");
  ASSERT_TRUE(p.ok()) << p.status().ToString();
  EXPECT_EQ(p->option_number, a->number);
}

TEST_F(PlanRepoTest, PolicyOfARejectedOptionCannotBeApproved) {
  const std::int64_t o1 = AddOption(1);
  const std::int64_t o2 = AddOption(2);
  ASSERT_TRUE(repo_->DecideOption(case_.id, o1, "approved", "PC", "", "", "ana").ok());
  ASSERT_TRUE(repo_->SavePolicyDraft(case_.id, Policy(4), "ana").ok());
  ASSERT_TRUE(repo_->DecideOption(case_.id, o2, "approved", "PC", "", "changed course", "ana").ok());
  auto before = Snapshot();
  auto r = repo_->ApprovePolicy(case_.id, "PC", "", "", "ana");
  EXPECT_EQ(r.status().code(), Code::kFailedPrecondition);
  EXPECT_NE(r.status().message().find("option 1, which is rejected"), std::string::npos) << r.status().message();
  EXPECT_EQ(Snapshot(), before);
}

TEST_F(PlanRepoTest, PlanOfAPolicyWhoseOptionWasRejectedIsRefused) {
  const std::int64_t o1 = AddOption(1);
  const std::int64_t o2 = AddOption(2);
  ASSERT_TRUE(repo_->DecideOption(case_.id, o1, "approved", "PC", "", "", "ana").ok());
  ASSERT_TRUE(repo_->SavePolicyDraft(case_.id, Policy(4), "ana").ok());
  ASSERT_TRUE(repo_->ApprovePolicy(case_.id, "PC", "", "", "ana").ok());
  ASSERT_TRUE(repo_->DecideOption(case_.id, o2, "approved", "PC", "", "changed course", "ana").ok());
  auto before = Snapshot();
  auto r = repo_->CreatePlan(case_.id, MakePlan(), "ana");
  EXPECT_EQ(r.status().code(), Code::kFailedPrecondition);
  EXPECT_NE(r.status().message().find("vigil policy draft veridia"), std::string::npos) << r.status().message();
  EXPECT_EQ(Snapshot(), before);
  // A statement for option 2, approved, supersedes version 1 and unblocks the plan.
  ASSERT_TRUE(repo_->SavePolicyDraft(case_.id, Policy(4), "ana").ok());
  ASSERT_TRUE(repo_->ApprovePolicy(case_.id, "PC", "", "", "ana").ok());
  auto plan = repo_->CreatePlan(case_.id, MakePlan(), "ana");
  ASSERT_TRUE(plan.ok()) << plan.status().ToString();
  EXPECT_EQ(plan->policy_version, 2);
}

TEST_F(PlanRepoTest, PlanRevisionsIncreaseAndOldOnesLoadUnchanged) {
  Chain();
  auto r1 = repo_->LoadPlan(case_.id);
  ASSERT_TRUE(r1.ok() && r1->has_value());
  const Plan first = **r1;
  EXPECT_EQ(first.revision, 1);
  EXPECT_EQ(first.note, "first plan");
  EXPECT_EQ(Content(first), Content(MakePlan()));

  Plan edit = first;
  edit.tasks.push_back(MakeTask("t-4", "loe-3", {"t-3"}));
  auto r2 = repo_->SavePlanRevision(case_.id, edit, "add the envoy's visit", "bo");
  ASSERT_TRUE(r2.ok()) << r2.status().ToString();
  EXPECT_EQ(r2->revision, 2);
  edit.tasks.erase(edit.tasks.begin() + 2);  // t-3 goes; t-4 still needs it
  auto before = Snapshot();
  EXPECT_EQ(repo_->SavePlanRevision(case_.id, edit, "drop t-3", "bo").status().code(), Code::kInvalidArgument);
  edit = r2.value();
  edit.tasks[0].depends_on = {"t-2"};  // t-1 <-> t-2
  auto cyc = repo_->SavePlanRevision(case_.id, edit, "cycle", "bo");
  EXPECT_EQ(cyc.status().code(), Code::kInvalidArgument);
  EXPECT_NE(cyc.status().message().find("cycle"), std::string::npos) << cyc.status().message();
  edit.tasks[0].depends_on.clear();
  edit.policy_version = 7;
  EXPECT_EQ(repo_->SavePlanRevision(case_.id, edit, "", "bo").status().code(), Code::kFailedPrecondition);
  EXPECT_EQ(Snapshot(), before);
  edit.policy_version = 0;  // keeps the previous revision's
  edit.goal = "Protect civilians in the north";
  auto r3 = repo_->SavePlanRevision(case_.id, edit, "sharper goal", "ana");
  ASSERT_TRUE(r3.ok()) << r3.status().ToString();
  EXPECT_EQ(r3->revision, 3);
  EXPECT_EQ(r3->policy_version, 1);

  auto infos = repo_->PlanRevisions(case_.id);
  ASSERT_TRUE(infos.ok());
  ASSERT_EQ(infos->size(), 3u);
  EXPECT_EQ((*infos)[1].revision, 2);
  EXPECT_EQ((*infos)[1].note, "add the envoy's visit");
  EXPECT_EQ((*infos)[1].created_by, "bo");
  EXPECT_EQ((*infos)[2].note, "sharper goal");

  auto old = repo_->LoadPlan(case_.id, 1);
  ASSERT_TRUE(old.ok() && old->has_value());
  EXPECT_EQ(ToJson(**old), ToJson(first));
  auto mid = repo_->LoadPlan(case_.id, 2);
  ASSERT_TRUE(mid.ok() && mid->has_value());
  EXPECT_EQ((*mid)->tasks.size(), 4u);
  EXPECT_EQ((*mid)->goal, first.goal);
  auto latest = repo_->LoadPlan(case_.id);
  ASSERT_TRUE(latest.ok() && latest->has_value());
  EXPECT_EQ((*latest)->revision, 3);
  EXPECT_EQ((*latest)->goal, "Protect civilians in the north");
  EXPECT_EQ(repo_->LoadPlan(case_.id, 9).status().code(), Code::kNotFound);

  // Stored revisions are immutable.
  EXPECT_FALSE(db_->Exec("UPDATE plan_revisions SET note = 'x' WHERE revision = 1").ok());
}

TEST_F(PlanRepoTest, CurrentStageFollowsStageDecisions) {
  Chain();
  auto d = repo_->TransitionStage(case_.id, "IB", "Deputies Committee", "2026-04-01", "rhetoric escalates", "ana");
  ASSERT_TRUE(d.ok()) << d.status().ToString();
  EXPECT_EQ(d->kind, "stage");
  EXPECT_EQ(d->subject, "IA->IB");
  EXPECT_EQ(d->outcome, "approved");
  auto p = repo_->LoadPlan(case_.id);
  ASSERT_TRUE(p.ok() && p->has_value());
  EXPECT_EQ((*p)->current_stage, "IB");
  EXPECT_EQ((*p)->revision, 1);  // a transition is a decision, not a revision

  d = repo_->TransitionStage(case_.id, "IC", "Deputies Committee", "2026-05-01", "", "ana");
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(d->subject, "IB->IC");
  // Revisions saved now carry the stage; back to IB is allowed (de-escalation).
  auto r2 = repo_->SavePlanRevision(case_.id, MakePlan(), "after IC", "ana");
  ASSERT_TRUE(r2.ok());
  EXPECT_EQ(r2->current_stage, "IC");
  d = repo_->TransitionStage(case_.id, "IB", "Deputies Committee", "2026-06-01", "", "ana");
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(d->subject, "IC->IB");
  p = repo_->LoadPlan(case_.id);
  ASSERT_TRUE(p.ok() && p->has_value());
  EXPECT_EQ((*p)->current_stage, "IB");
  auto old = repo_->LoadPlan(case_.id, 1);
  ASSERT_TRUE(old.ok() && old->has_value());
  EXPECT_EQ((*old)->current_stage, "IA");  // as stored
}

TEST_F(PlanRepoTest, DecisionPointAndBranchDecisionsStoreRevisions) {
  Chain();
  Decision d;
  d.kind = "decision-point";
  d.subject = "dp-1";
  d.outcome = "decided";
  d.decided_by = "Deputies Committee";
  d.decided_at = "2026-04-02";
  d.note = "twenty more monitors";
  auto r = repo_->RecordDecision(case_.id, d, "ana");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_GT(r->id, 0);
  auto p = repo_->LoadPlan(case_.id);
  ASSERT_TRUE(p.ok() && p->has_value());
  EXPECT_EQ((*p)->revision, 2);
  EXPECT_EQ((*p)->decision_points[0].status, "decided");
  EXPECT_NE((*p)->note.find("twenty more monitors"), std::string::npos) << (*p)->note;
  auto old = repo_->LoadPlan(case_.id, 1);
  ASSERT_TRUE(old.ok() && old->has_value());
  EXPECT_EQ((*old)->decision_points[0].status, "open");

  auto before = Snapshot();
  auto again = repo_->RecordDecision(case_.id, d, "ana");
  EXPECT_EQ(again.status().code(), Code::kFailedPrecondition);
  d.subject = "dp-9";
  EXPECT_EQ(repo_->RecordDecision(case_.id, d, "ana").status().code(), Code::kNotFound);
  d.subject = "dp-1";
  d.outcome = "activated";
  EXPECT_EQ(repo_->RecordDecision(case_.id, d, "ana").status().code(), Code::kInvalidArgument);
  d.kind = "option";
  d.outcome = "approved";
  EXPECT_EQ(repo_->RecordDecision(case_.id, d, "ana").status().code(), Code::kInvalidArgument);
  d.kind = "stage";
  EXPECT_EQ(repo_->RecordDecision(case_.id, d, "ana").status().code(), Code::kInvalidArgument);
  d.kind = "vote";
  EXPECT_EQ(repo_->RecordDecision(case_.id, d, "ana").status().code(), Code::kInvalidArgument);
  EXPECT_EQ(Snapshot(), before);

  Decision b;
  b.kind = "branch";
  b.subject = "b-1";
  b.outcome = "deferred";
  b.decided_by = "Chief of Mission";
  ASSERT_TRUE(repo_->RecordDecision(case_.id, b, "ana").ok());
  auto infos = repo_->PlanRevisions(case_.id);
  ASSERT_TRUE(infos.ok());
  EXPECT_EQ(infos->size(), 2u);  // deferring changes nothing in the plan
  b.outcome = "deactivated";
  EXPECT_EQ(repo_->RecordDecision(case_.id, b, "ana").status().code(), Code::kFailedPrecondition);
  b.outcome = "activated";
  auto act = repo_->RecordDecision(case_.id, b, "ana");
  ASSERT_TRUE(act.ok()) << act.status().ToString();
  EXPECT_FALSE(act->decided_at.empty());  // today by default
  p = repo_->LoadPlan(case_.id);
  ASSERT_TRUE(p.ok() && p->has_value());
  EXPECT_EQ((*p)->revision, 3);
  EXPECT_EQ((*p)->branches[0].status, "active");
  EXPECT_EQ((*p)->decision_points[0].status, "decided");  // carried over

  auto decisions = repo_->ListDecisions(case_.id);
  ASSERT_TRUE(decisions.ok());
  ASSERT_FALSE(decisions->empty());
  EXPECT_EQ(decisions->back().kind, "branch");
  EXPECT_EQ(decisions->back().outcome, "activated");
}

TEST_F(PlanRepoTest, ReviewPolicyAndPlanDecisionsCheckTheirSubjects) {
  AddOption(1);
  AddOption(2, "withdrawn");
  AddOption(3);
  Decision d;
  d.kind = "options-review";
  d.outcome = "approved";
  d.decided_by = "Deputies Committee";
  auto all = repo_->RecordDecision(case_.id, d, "ana");
  ASSERT_TRUE(all.ok()) << all.status().ToString();
  EXPECT_EQ(all->subject, "1,3");  // every proposed option
  d.subject = "#3";
  auto one = repo_->RecordDecision(case_.id, d, "ana");
  ASSERT_TRUE(one.ok());
  EXPECT_EQ(one->subject, "3");
  auto before = Snapshot();
  d.subject = "2";
  EXPECT_EQ(repo_->RecordDecision(case_.id, d, "ana").status().code(), Code::kFailedPrecondition);
  d.subject = "7";
  EXPECT_EQ(repo_->RecordDecision(case_.id, d, "ana").status().code(), Code::kNotFound);
  d.subject = "two";
  EXPECT_EQ(repo_->RecordDecision(case_.id, d, "ana").status().code(), Code::kInvalidArgument);

  Decision plan;
  plan.kind = "plan";
  plan.outcome = "approved";
  plan.decided_by = "Deputies Committee";
  EXPECT_EQ(repo_->RecordDecision(case_.id, plan, "ana").status().code(), Code::kFailedPrecondition);
  Decision policy;
  policy.kind = "policy";
  policy.outcome = "rejected";
  policy.decided_by = "PC";
  EXPECT_EQ(repo_->RecordDecision(case_.id, policy, "ana").status().code(), Code::kFailedPrecondition);
  policy.outcome = "approved";  // that is ApprovePolicy's job
  EXPECT_EQ(repo_->RecordDecision(case_.id, policy, "ana").status().code(), Code::kInvalidArgument);
  EXPECT_EQ(Snapshot(), before);
}

TEST_F(PlanRepoTest, AuditRowsAreWritten) {
  Chain();
  StatusEntry s;
  s.target = "loe-1";
  s.status = "on-track";
  ASSERT_TRUE(repo_->RecordStatus(case_.id, s, "bo").ok());
  ASSERT_TRUE(repo_->TransitionStage(case_.id, "IB", "NSC", "", "", "bo").ok());
  assess::CaseRepo cases(*db_);
  auto history = cases.History(case_.id);
  ASSERT_TRUE(history.ok());
  std::map<std::string, int> by_entity;
  for (const auto& e : *history) by_entity[e.entity + ":" + e.action]++;
  EXPECT_EQ(by_entity["option:status"], 1);
  EXPECT_EQ(by_entity["decision:add"], 3);  // option, policy, stage
  EXPECT_EQ(by_entity["policy:add"], 1);
  EXPECT_EQ(by_entity["policy:status"], 1);
  EXPECT_EQ(by_entity["plan:add"], 1);
  EXPECT_EQ(by_entity["status:add"], 1);
  for (const auto& e : *history) {
    if (e.entity == "option" && e.action == "status") {
      EXPECT_EQ(e.before.at("status"), "proposed");
      EXPECT_EQ(e.after.at("status"), "approved");
      EXPECT_EQ(e.who, "ana");
    }
    if (e.entity == "status") {
      EXPECT_TRUE(e.before.is_null());
      EXPECT_EQ(e.after.at("target"), "loe-1");
      EXPECT_EQ(e.who, "bo");
    }
  }
  // A plan revision's audit row keeps the revision it replaced.
  Decision d;
  d.kind = "decision-point";
  d.subject = "dp-1";
  d.outcome = "decided";
  d.decided_by = "Deputies Committee";
  ASSERT_TRUE(repo_->RecordDecision(case_.id, d, "ana").ok());
  history = cases.History(case_.id);
  ASSERT_TRUE(history.ok());
  const auto& last_plan = *std::find_if(history->rbegin(), history->rend(),
                                        [](const assess::AuditEntry& e) { return e.entity == "plan"; });
  EXPECT_EQ(last_plan.before.at("revision"), 1);
  EXPECT_EQ(last_plan.after.at("revision"), 2);
}

TEST_F(PlanRepoTest, AFailureLateInTheTransactionWritesNothing) {
  const std::int64_t o1 = AddOption(1);
  const std::int64_t o2 = AddOption(2);
  ASSERT_TRUE(repo_->DecideOption(case_.id, o1, "approved", "PC", "", "", "ana").ok());
  ASSERT_TRUE(repo_->SavePolicyDraft(case_.id, Policy(4), "ana").ok());
  ASSERT_TRUE(repo_->ApprovePolicy(case_.id, "PC", "", "", "ana").ok());
  ASSERT_TRUE(repo_->CreatePlan(case_.id, MakePlan(), "ana").ok());
  // Decisions can no longer be stored: every change that records one must
  // leave no trace of its other writes (option statuses, plan revisions, audit).
  ASSERT_TRUE(db_->Exec("CREATE TRIGGER no_decisions BEFORE INSERT ON decisions "
                        "BEGIN SELECT RAISE(ABORT, 'decisions refused by the test'); END;")
                  .ok());
  auto before = Snapshot();
  EXPECT_FALSE(repo_->DecideOption(case_.id, o2, "approved", "PC", "", "", "ana").ok());
  EXPECT_EQ(OptionStatus(o1), "approved");
  Decision d;
  d.kind = "decision-point";
  d.subject = "dp-1";
  d.outcome = "decided";
  d.decided_by = "Deputies Committee";
  EXPECT_FALSE(repo_->RecordDecision(case_.id, d, "ana").ok());
  EXPECT_EQ(Snapshot(), before);
  ASSERT_TRUE(repo_->SavePolicyDraft(case_.id, Policy(4), "ana").ok());
  before = Snapshot();
  EXPECT_FALSE(repo_->ApprovePolicy(case_.id, "PC", "", "", "ana").ok());
  EXPECT_EQ(Snapshot(), before);
}

}  // namespace
}  // namespace vigil::plan
