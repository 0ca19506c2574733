// Plan operations of the service layer (issue 18): reading the plan and
// revising its tasks without losing a colleague's revision. Authorized once
// here (case.read to read, plan.edit to revise). Every change stores a new
// plan revision (plan::PlanRepo::SavePlanRevision) audited under `who`.
#pragma once

#include <algorithm>
#include <cstdlib>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "core/principal.h"
#include "core/status.h"
#include "plan/plan.h"

namespace vigil::store {
class Db;
}

namespace vigil::app {

// The next free id "prefix-N" among the items' ids ("t", "b", "dp").
template <typename T>
std::string NextId(const std::vector<T>& items, const std::string& prefix) {
  int next = 1;
  for (const auto& i : items) {
    if (i.id.rfind(prefix + "-", 0) == 0) next = std::max(next, std::atoi(i.id.c_str() + prefix.size() + 1) + 1);
  }
  return fmt::format("{}-{}", prefix, next);
}

// policy.edit: drafts a policy statement from the case's approved option and
// case file (plan::DraftPolicy) and stores it as the next draft version.
// FailedPrecondition when no option is approved yet.
Result<plan::PolicyStatement> DraftPolicy(store::Db& db, const Principal& who, const std::string& case_ref);

// plan.edit: builds revision 1 of the plan from the approved policy
// statement and its option (plan::BuildPlan). FailedPrecondition without an
// approved policy, or when the case has a plan already.
Result<plan::Plan> CreatePlan(store::Db& db, const Principal& who, const std::string& case_ref);

// case.read: the latest plan revision (revision 0) or a given one.
// FailedPrecondition when the case has no plan yet, NotFound for an
// unknown revision.
Result<plan::Plan> ReadPlan(store::Db& db, const Principal& who, const std::string& case_ref, int revision = 0);

// plan.edit: loads the latest revision, applies `change`, stores the next
// revision with `note`, in one transaction. based_on_revision is the
// revision the caller read: Aborted, nothing written, when the plan has been
// revised since; nullopt takes the revision read here.
Result<plan::Plan> RevisePlan(store::Db& db, const Principal& who, const std::string& case_ref,
                              std::optional<int> based_on_revision, const std::string& note,
                              const std::function<Status(plan::Plan&)>& change);

// The fields of a task to change; nullopt leaves a field as it is. stages
// replaces the list; depends_on replaces it, else clear_depends_on empties
// it and add_depends_on appends (without repeats). tool "none" clears it.
struct TaskFields {
  std::optional<std::string> loe, title, agency, tool, resources, arrival;
  std::optional<std::vector<std::string>> stages, depends_on;
  bool clear_depends_on = false;
  std::vector<std::string> add_depends_on;
};

// plan.edit: adds task `t` (its id assigned: the next "t-N").
Result<plan::Plan> AddTask(store::Db& db, const Principal& who, const std::string& case_ref, plan::Task t,
                           std::optional<int> based_on_revision);
// plan.edit: edits task `task_id`. A revision of the plan since
// based_on_revision that left this task as it was does not conflict: the
// edit applies to the latest revision. If this task itself was changed (or
// removed) since, Aborted naming the revision: nothing written.
Result<plan::Plan> EditTask(store::Db& db, const Principal& who, const std::string& case_ref,
                            const std::string& task_id, const TaskFields& fields,
                            std::optional<int> based_on_revision);
// plan.edit: removes a task; FailedPrecondition while other tasks depend on it.
Result<plan::Plan> RemoveTask(store::Db& db, const Principal& who, const std::string& case_ref,
                              const std::string& task_id, std::optional<int> based_on_revision);

}  // namespace vigil::app
