// Decisions and opinions in the service layer (issue 18): the approving
// authority's approvals of options, policy and plan, and the team's
// recommendations and dissents. Each call authorizes once (app::FindCaseFor
// with the action named below), writes in one transaction (the repository's)
// and is audited under `who`; the CLI and the HTTP API only translate.
//
// A decision names who decided (`by`: a person or body such as "Deputies
// Committee", default the account recording it), when (`date`, default
// today) and why (`note`). Whoever records it must hold the approver role on
// the case; the audit keeps that account's name, whatever `by` says.
#pragma once

#include <string>

#include "core/principal.h"
#include "core/status.h"
#include "options/option.h"
#include "plan/plan.h"

namespace vigil::store {
class Db;
}

namespace vigil::app {

struct DecisionInput {
  std::string by, date, note;
};

// options.approve: approves or rejects option `option_ref` (its number):
// outcome "approved" or "rejected"; only a proposed option can be decided.
Result<plan::Decision> DecideOption(store::Db& db, const Principal& who, const std::string& case_ref,
                                    const std::string& option_ref, const std::string& outcome,
                                    const DecisionInput& d);
// options.approve: the options-approval decision (Tab 6): an option
// "approved", "rejected" or "deferred" for detailed planning (decision kind
// "options-review"; the option's own status is left as it is).
Result<plan::Decision> ReviewOption(store::Db& db, const Principal& who, const std::string& case_ref,
                                    const std::string& option_ref, const std::string& outcome,
                                    const DecisionInput& d);
// case.dissent: a member's recommendation ("recommend") or dissent
// ("dissent") on an option, recorded beside the decision, never instead of it.
Result<options::Opinion> AddOpinion(store::Db& db, const Principal& who, const std::string& case_ref,
                                    const std::string& option_ref, const std::string& position,
                                    const std::string& text);
// options.edit: withdraws a proposed option. Returns it as stored.
Result<options::OptionPackage> WithdrawOption(store::Db& db, const Principal& who, const std::string& case_ref,
                                              const std::string& option_ref);

// case.read: the latest policy statement (draft or approved);
// FailedPrecondition when the case has none yet.
Result<plan::PolicyStatement> ReadPolicy(store::Db& db, const Principal& who, const std::string& case_ref);
// policy.approve: approves the latest policy draft.
Result<plan::PolicyStatement> ApprovePolicy(store::Db& db, const Principal& who, const std::string& case_ref,
                                            const DecisionInput& d);

// plan.approve: decides a decision point ("dp-N") or a branch ("b-N") of
// the plan with `outcome` (plan::RecordDecision checks the pair).
Result<plan::Decision> DecidePlanPoint(store::Db& db, const Principal& who, const std::string& case_ref,
                                       const std::string& point_id, const std::string& outcome,
                                       const DecisionInput& d);
// plan.approve: moves the plan to stage `to` (IA..IIIB).
Result<plan::Decision> TransitionStage(store::Db& db, const Principal& who, const std::string& case_ref,
                                       const std::string& to, const DecisionInput& d);
// plan.execution: records the status of a line of effort or task.
Result<plan::StatusEntry> RecordExecutionStatus(store::Db& db, const Principal& who, const std::string& case_ref,
                                                plan::StatusEntry s);

// case.read: every decision of the case, oldest first.
Result<std::vector<plan::Decision>> ListDecisions(store::Db& db, const Principal& who, const std::string& case_ref);

}  // namespace vigil::app
