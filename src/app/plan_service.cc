#include "app/plan_service.h"

#include "app/case_service.h"
#include "assess/case.h"
#include "options/option_repo.h"
#include "plan/plan_repo.h"
#include "store/db.h"

namespace vigil::app {
namespace {

Result<plan::Plan> LoadOrExplain(plan::PlanRepo& repo, const assess::Case& c, int revision) {
  VIGIL_ASSIGN_OR_RETURN(std::optional<plan::Plan> p, repo.LoadPlan(c.id, revision));
  if (!p) {
    if (revision > 0) return Status::NotFound(fmt::format("case {} has no plan revision {}", c.slug, revision));
    return Status::FailedPrecondition(
        fmt::format("case {} has no plan: a plan implements an approved policy statement", c.slug));
  }
  return std::move(*p);
}

plan::Task* Find(plan::Plan& p, const std::string& id) {
  auto it = std::find_if(p.tasks.begin(), p.tasks.end(), [&](const plan::Task& t) { return t.id == id; });
  return it == p.tasks.end() ? nullptr : &*it;
}

}  // namespace

Result<plan::PolicyStatement> DraftPolicy(store::Db& db, const Principal& who, const std::string& case_ref) {
  VIGIL_ASSIGN_OR_RETURN(assess::Case c, FindCaseFor(db, who, case_ref, "policy.edit"));
  VIGIL_ASSIGN_OR_RETURN(std::vector<options::OptionPackage> all, options::OptionRepo(db).ListOptions(c.id, false));
  auto it = std::find_if(all.begin(), all.end(), [](const auto& o) { return o.status == "approved"; });
  if (it == all.end()) {
    return Status::FailedPrecondition(fmt::format(
        "case {} has no approved option: record the decision with vigil options approve {} OPTION --by WHO",
        c.slug, c.slug));
  }
  VIGIL_ASSIGN_OR_RETURN(assess::CaseFile file, assess::CaseRepo(db).LoadCaseFile(c.id));
  VIGIL_ASSIGN_OR_RETURN(plan::PolicyStatement draft, plan::DraftPolicy(file, *it));
  return plan::PlanRepo(db).SavePolicyDraft(c.id, std::move(draft), who.AuditName());
}

Result<plan::Plan> CreatePlan(store::Db& db, const Principal& who, const std::string& case_ref) {
  VIGIL_ASSIGN_OR_RETURN(assess::Case c, FindCaseFor(db, who, case_ref, "plan.edit"));
  plan::PlanRepo repo(db);
  VIGIL_ASSIGN_OR_RETURN(std::optional<plan::PolicyStatement> policy, repo.ApprovedPolicy(c.id));
  if (!policy) {
    return Status::FailedPrecondition(fmt::format(
        "case {} has no approved policy statement: a plan implements an approved policy; run vigil policy draft "
        "{} and vigil policy approve {} --by WHO first",
        c.slug, c.slug, c.slug));
  }
  VIGIL_ASSIGN_OR_RETURN(options::OptionPackage option,
                         options::OptionRepo(db).FindOption(c.id, std::to_string(policy->option_number)));
  VIGIL_ASSIGN_OR_RETURN(assess::CaseFile file, assess::CaseRepo(db).LoadCaseFile(c.id));
  VIGIL_ASSIGN_OR_RETURN(plan::Plan built, plan::BuildPlan(file, option, *policy));
  return repo.CreatePlan(c.id, std::move(built), who.AuditName());
}

Result<plan::Plan> ReadPlan(store::Db& db, const Principal& who, const std::string& case_ref, int revision) {
  VIGIL_ASSIGN_OR_RETURN(assess::Case c, FindCaseFor(db, who, case_ref, "case.read"));
  plan::PlanRepo repo(db);
  return LoadOrExplain(repo, c, revision);
}

Result<plan::Plan> RevisePlan(store::Db& db, const Principal& who, const std::string& case_ref,
                              std::optional<int> based_on_revision, const std::string& note,
                              const std::function<Status(plan::Plan&)>& change) {
  VIGIL_ASSIGN_OR_RETURN(assess::Case c, FindCaseFor(db, who, case_ref, "plan.edit"));
  plan::PlanRepo repo(db);
  store::Transaction tx(db);
  VIGIL_RETURN_IF_ERROR(tx.Begin());
  VIGIL_ASSIGN_OR_RETURN(plan::Plan p, LoadOrExplain(repo, c, 0));
  if (based_on_revision) {
    if (*based_on_revision < 1) return Status::InvalidArgument("revision: must be the plan's revision (>= 1)");
    p.revision = *based_on_revision;  // SavePlanRevision refuses a stale one
  }
  VIGIL_RETURN_IF_ERROR(change(p));
  VIGIL_ASSIGN_OR_RETURN(plan::Plan stored, repo.SavePlanRevision(c.id, std::move(p), note, who.AuditName()));
  VIGIL_RETURN_IF_ERROR(tx.Commit());
  return stored;
}

Result<plan::Plan> AddTask(store::Db& db, const Principal& who, const std::string& case_ref, plan::Task t,
                           std::optional<int> based_on_revision) {
  const std::string note = "added task " + t.title;
  return RevisePlan(db, who, case_ref, based_on_revision, note, [&t](plan::Plan& p) {
    t.id = NextId(p.tasks, "t");
    p.tasks.push_back(t);
    return Status::Ok();
  });
}

Result<plan::Plan> EditTask(store::Db& db, const Principal& who, const std::string& case_ref,
                            const std::string& task_id, const TaskFields& f,
                            std::optional<int> based_on_revision) {
  // The latest revision is changed (not the one read): a revision since
  // that left this task as it was does not conflict, so the check is on the
  // task, here, instead of on the plan's revision in SavePlanRevision.
  plan::PlanRepo repo(db);
  return RevisePlan(db, who, case_ref, std::nullopt, "edited task " + task_id, [&](plan::Plan& p) -> Status {
    plan::Task* t = Find(p, task_id);
    if (based_on_revision && *based_on_revision != p.revision) {
      if (*based_on_revision < 1 || *based_on_revision > p.revision) {
        return Status::InvalidArgument(
            fmt::format("revision: {} is not a revision of the plan (latest {})", *based_on_revision, p.revision));
      }
      VIGIL_ASSIGN_OR_RETURN(std::optional<plan::Plan> read, repo.LoadPlan(p.case_id, *based_on_revision));
      const plan::Task* was = read ? Find(*read, task_id) : nullptr;
      if (was && (!t || !(*was == *t))) {
        return Status::Aborted(fmt::format(
            "task {}: {} since revision {} (the plan is at revision {}, by {}): someone changed it first; re-read "
            "and retry",
            task_id, t ? "changed" : "removed", *based_on_revision, p.revision, p.created_by));
      }
    }
    if (!t) return Status::NotFound(fmt::format("plan has no task '{}'", task_id));
    if (f.loe) t->loe = *f.loe;
    if (f.title) t->title = *f.title;
    if (f.agency) t->agency = *f.agency;
    if (f.stages) t->stages = *f.stages;
    if (f.depends_on) {
      t->depends_on = *f.depends_on;
    } else if (f.clear_depends_on) {
      t->depends_on.clear();
    }
    for (const auto& d : f.add_depends_on) {
      if (std::find(t->depends_on.begin(), t->depends_on.end(), d) == t->depends_on.end()) t->depends_on.push_back(d);
    }
    if (f.tool) t->tool = *f.tool == "none" ? "" : *f.tool;
    if (f.resources) t->resources = *f.resources;
    if (f.arrival) t->arrival = *f.arrival;
    return Status::Ok();
  });
}

Result<plan::Plan> RemoveTask(store::Db& db, const Principal& who, const std::string& case_ref,
                              const std::string& task_id, std::optional<int> based_on_revision) {
  return RevisePlan(db, who, case_ref, based_on_revision, "removed task " + task_id, [&](plan::Plan& p) {
    plan::Task* t = Find(p, task_id);
    if (!t) return Status::NotFound(fmt::format("plan has no task '{}'", task_id));
    for (const auto& other : p.tasks) {
      if (std::find(other.depends_on.begin(), other.depends_on.end(), task_id) != other.depends_on.end()) {
        return Status::FailedPrecondition(
            fmt::format("task {} depends on {}: remove that dependency first", other.id, task_id));
      }
    }
    p.tasks.erase(p.tasks.begin() + (t - p.tasks.data()));
    return Status::Ok();
  });
}

}  // namespace vigil::app
