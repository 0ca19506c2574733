// Storage of decisions, policy statements, plan revisions and execution status
// (schema v4: decisions, policy_statements, plan_revisions, execution_status),
// with assess::CaseRepo's contract: a non-empty author, validation first, the
// change and its audit row(s) (case_audit; entities "decision", "policy",
// "plan", "status", "option") in one transaction, nothing written on error.
//
// The workflow it enforces (FailedPrecondition with the next step to take
// when out of order):
//   options approve  -> DecideOption(approved): the option becomes "approved",
//                       any other approved option of the case "rejected";
//   policy draft     -> SavePolicyDraft: needs an approved option;
//   policy approve   -> ApprovePolicy: needs a valid draft (4-10 LOEs); the
//                       previous approved version becomes "superseded";
//   plan create      -> CreatePlan: needs an approved policy;
//   plan edits       -> SavePlanRevision: a new revision each time;
//   execution        -> RecordStatus, TransitionStage, decisions on decision
//                       points and branch plans: need a plan.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/status.h"
#include "plan/plan.h"
#include "store/db.h"

namespace vigil::plan {

class PlanRepo {
 public:
  explicit PlanRepo(store::Db& db) : db_(db) {}

  // -- decisions --
  // Approves or rejects (or defers) an option: records the "option"
  // decision and sets the option's status in one transaction. Approving an
  // option that is not "proposed" (or "approved": a no-op error) is
  // FailedPrecondition.
  Result<Decision> DecideOption(std::int64_t case_id, std::int64_t option_id, const std::string& outcome,
                                const std::string& decided_by, const std::string& decided_at,
                                const std::string& note, const std::string& author);
  // Records any other decision (kinds "options-review", "decision-point",
  // "branch"): checks the kind/outcome pair and that the subject exists in the
  // current plan; for "decision-point" sets the point's status to "decided",
  // for "branch" the branch's status, both as a new plan revision.
  Result<Decision> RecordDecision(std::int64_t case_id, Decision d, const std::string& author);
  // Every decision of the case, oldest first.
  Result<std::vector<Decision>> ListDecisions(std::int64_t case_id);

  // -- policy --
  // Stores a new draft version (ValidatePolicy(for_approval=false)).
  // FailedPrecondition unless p.option_id is an approved option of the case.
  Result<PolicyStatement> SavePolicyDraft(std::int64_t case_id, PolicyStatement p, const std::string& author);
  // Approves the latest draft (ValidatePolicy(for_approval=true)) with a
  // "policy" decision.
  Result<PolicyStatement> ApprovePolicy(std::int64_t case_id, const std::string& decided_by,
                                        const std::string& decided_at, const std::string& note,
                                        const std::string& author);
  // The latest version (any status), or the latest approved one.
  Result<std::optional<PolicyStatement>> LatestPolicy(std::int64_t case_id);
  Result<std::optional<PolicyStatement>> ApprovedPolicy(std::int64_t case_id);
  Result<std::vector<PolicyStatement>> PolicyVersions(std::int64_t case_id);

  // -- plan --
  // Stores revision 1 (ValidatePlan). FailedPrecondition without an approved
  // policy ("no approved policy statement: run vigil policy approve") or
  // when a plan exists (use SavePlanRevision).
  Result<Plan> CreatePlan(std::int64_t case_id, Plan p, const std::string& author);
  // Stores the next revision (ValidatePlan) with its note. p.revision is the
  // revision the caller read and changed: Aborted, nothing written, when the
  // plan has been revised since (0 skips the check).
  Result<Plan> SavePlanRevision(std::int64_t case_id, Plan p, const std::string& note, const std::string& author);
  // The latest revision (current_stage set from the stage decisions), or a
  // given revision; nullopt when the case has no plan.
  Result<std::optional<Plan>> LoadPlan(std::int64_t case_id, int revision = 0);
  // Every revision's (revision, note, created_at, created_by), oldest first.
  struct RevisionInfo {
    int revision = 0;
    int policy_version = 0;
    std::string note, created_at, created_by;
  };
  Result<std::vector<RevisionInfo>> PlanRevisions(std::int64_t case_id);

  // -- execution --
  // Records a status of a LOE or task of the current plan revision.
  Result<StatusEntry> RecordStatus(std::int64_t case_id, StatusEntry s, const std::string& author);
  Result<std::vector<StatusEntry>> StatusHistory(std::int64_t case_id);
  // Moves the plan to another stage with a "stage" decision (subject
  // "IB->IC"); InvalidArgument for an unknown stage or the current one.
  Result<Decision> TransitionStage(std::int64_t case_id, const std::string& to_stage,
                                   const std::string& decided_by, const std::string& decided_at,
                                   const std::string& note, const std::string& author);

 private:
  store::Db& db_;
};

}  // namespace vigil::plan
