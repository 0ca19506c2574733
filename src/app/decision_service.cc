#include "app/decision_service.h"

#include <fmt/format.h>

#include "app/case_service.h"
#include "options/option_repo.h"
#include "plan/plan_repo.h"
#include "store/db.h"

namespace vigil::app {
namespace {

// `by` as given, else the account recording the decision.
const std::string& DecidedBy(const Principal& who, const DecisionInput& d) {
  return d.by.empty() ? who.AuditName() : d.by;
}

Result<plan::Decision> Record(store::Db& db, const Principal& who, const assess::Case& c, std::string kind,
                              std::string subject, std::string outcome, const DecisionInput& d) {
  plan::Decision dec;
  dec.kind = std::move(kind);
  dec.subject = std::move(subject);
  dec.outcome = std::move(outcome);
  dec.decided_by = DecidedBy(who, d);
  dec.decided_at = d.date;
  dec.note = d.note;
  return plan::PlanRepo(db).RecordDecision(c.id, std::move(dec), who.AuditName());
}

}  // namespace

Result<plan::Decision> DecideOption(store::Db& db, const Principal& who, const std::string& case_ref,
                                    const std::string& option_ref, const std::string& outcome,
                                    const DecisionInput& d) {
  if (outcome != "approved" && outcome != "rejected") {
    return Status::InvalidArgument("outcome: must be approved or rejected");
  }
  VIGIL_ASSIGN_OR_RETURN(assess::Case c, FindCaseFor(db, who, case_ref, "options.approve"));
  VIGIL_ASSIGN_OR_RETURN(options::OptionPackage o, options::OptionRepo(db).FindOption(c.id, option_ref));
  return plan::PlanRepo(db).DecideOption(c.id, o.id, outcome, DecidedBy(who, d), d.date, d.note, who.AuditName());
}

Result<plan::Decision> ReviewOption(store::Db& db, const Principal& who, const std::string& case_ref,
                                    const std::string& option_ref, const std::string& outcome,
                                    const DecisionInput& d) {
  if (outcome != "approved" && outcome != "rejected" && outcome != "deferred") {
    return Status::InvalidArgument("outcome: must be approved, rejected or deferred");
  }
  VIGIL_ASSIGN_OR_RETURN(assess::Case c, FindCaseFor(db, who, case_ref, "options.approve"));
  VIGIL_ASSIGN_OR_RETURN(options::OptionPackage o, options::OptionRepo(db).FindOption(c.id, option_ref));
  return Record(db, who, c, "options-review", std::to_string(o.number), outcome, d);
}

Result<options::Opinion> AddOpinion(store::Db& db, const Principal& who, const std::string& case_ref,
                                    const std::string& option_ref, const std::string& position,
                                    const std::string& text) {
  VIGIL_ASSIGN_OR_RETURN(assess::Case c, FindCaseFor(db, who, case_ref, "case.dissent"));
  options::OptionRepo repo(db);
  VIGIL_ASSIGN_OR_RETURN(options::OptionPackage o, repo.FindOption(c.id, option_ref));
  options::Opinion op;
  op.option_id = o.id;
  op.position = position;
  op.text = text;
  return repo.AddOpinion(c.id, std::move(op), who.AuditName());
}

Result<options::OptionPackage> WithdrawOption(store::Db& db, const Principal& who, const std::string& case_ref,
                                              const std::string& option_ref) {
  VIGIL_ASSIGN_OR_RETURN(assess::Case c, FindCaseFor(db, who, case_ref, "options.edit"));
  options::OptionRepo repo(db);
  VIGIL_ASSIGN_OR_RETURN(options::OptionPackage o, repo.FindOption(c.id, option_ref));
  VIGIL_RETURN_IF_ERROR(repo.SetOptionStatus(c.id, o.id, "withdrawn", who.AuditName()));
  return repo.FindOption(c.id, std::to_string(o.number));
}

Result<plan::PolicyStatement> ReadPolicy(store::Db& db, const Principal& who, const std::string& case_ref) {
  VIGIL_ASSIGN_OR_RETURN(assess::Case c, FindCaseFor(db, who, case_ref, "case.read"));
  VIGIL_ASSIGN_OR_RETURN(std::optional<plan::PolicyStatement> p, plan::PlanRepo(db).LatestPolicy(c.id));
  if (!p) {
    return Status::FailedPrecondition(
        fmt::format("case {} has no policy statement: one is drafted from an approved option", c.slug));
  }
  return std::move(*p);
}

Result<plan::PolicyStatement> ApprovePolicy(store::Db& db, const Principal& who, const std::string& case_ref,
                                            const DecisionInput& d) {
  VIGIL_ASSIGN_OR_RETURN(assess::Case c, FindCaseFor(db, who, case_ref, "policy.approve"));
  return plan::PlanRepo(db).ApprovePolicy(c.id, DecidedBy(who, d), d.date, d.note, who.AuditName());
}

Result<plan::Decision> DecidePlanPoint(store::Db& db, const Principal& who, const std::string& case_ref,
                                       const std::string& point_id, const std::string& outcome,
                                       const DecisionInput& d) {
  VIGIL_ASSIGN_OR_RETURN(assess::Case c, FindCaseFor(db, who, case_ref, "plan.approve"));
  return Record(db, who, c, point_id.rfind("b-", 0) == 0 ? "branch" : "decision-point", point_id, outcome, d);
}

Result<plan::Decision> TransitionStage(store::Db& db, const Principal& who, const std::string& case_ref,
                                       const std::string& to, const DecisionInput& d) {
  VIGIL_ASSIGN_OR_RETURN(assess::Case c, FindCaseFor(db, who, case_ref, "plan.approve"));
  return plan::PlanRepo(db).TransitionStage(c.id, to, DecidedBy(who, d), d.date, d.note, who.AuditName());
}

Result<plan::StatusEntry> RecordExecutionStatus(store::Db& db, const Principal& who, const std::string& case_ref,
                                                plan::StatusEntry s) {
  VIGIL_ASSIGN_OR_RETURN(assess::Case c, FindCaseFor(db, who, case_ref, "plan.execution"));
  return plan::PlanRepo(db).RecordStatus(c.id, std::move(s), who.AuditName());
}

Result<std::vector<plan::Decision>> ListDecisions(store::Db& db, const Principal& who, const std::string& case_ref) {
  VIGIL_ASSIGN_OR_RETURN(assess::Case c, FindCaseFor(db, who, case_ref, "case.read"));
  return plan::PlanRepo(db).ListDecisions(c.id);
}

}  // namespace vigil::app
