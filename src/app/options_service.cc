#include "app/options_service.h"

#include "app/case_service.h"
#include "assess/case.h"
#include "options/option_repo.h"
#include "store/db.h"

namespace vigil::app {

void ApplyOptionFields(const OptionFields& f, options::OptionPackage& o) {
  if (f.title) o.title = *f.title;
  if (f.summary) o.summary = *f.summary;
  if (f.approach) o.approach = *f.approach;
  if (f.role) o.role = *f.role;
  if (f.military_approach) o.military_approach = *f.military_approach == "none" ? "" : *f.military_approach;
  if (f.policy_goal) o.policy_goal = *f.policy_goal;
  if (f.rationale) o.rationale = *f.rationale;
  if (f.objectives) o.objectives = *f.objectives;
  if (f.escalation_triggers) o.escalation_triggers = *f.escalation_triggers;
  if (f.advantages) o.advantages = *f.advantages;
  if (f.disadvantages) o.disadvantages = *f.disadvantages;
}

Result<options::OptionPackage> ModifyOption(store::Db& db, const Principal& who, const std::string& case_ref,
                                            const std::string& option_ref, std::optional<int> based_on_version,
                                            const std::function<Status(options::OptionPackage&)>& change) {
  VIGIL_ASSIGN_OR_RETURN(assess::Case c, FindCaseFor(db, who, case_ref, "options.edit"));
  options::OptionRepo repo(db);
  store::Transaction tx(db);
  VIGIL_RETURN_IF_ERROR(tx.Begin());
  VIGIL_ASSIGN_OR_RETURN(options::OptionPackage o, repo.FindOption(c.id, option_ref));
  if (based_on_version) {
    if (*based_on_version < 1) return Status::InvalidArgument("version: must be the option's version (>= 1)");
    o.version = *based_on_version;
  }
  VIGIL_RETURN_IF_ERROR(change(o));
  VIGIL_RETURN_IF_ERROR(repo.UpdateOption(c.id, o, who.AuditName()));
  VIGIL_ASSIGN_OR_RETURN(options::OptionPackage stored, repo.FindOption(c.id, std::to_string(o.number)));
  VIGIL_RETURN_IF_ERROR(tx.Commit());
  return stored;
}

namespace {

Result<SituationView> ViewSituation(store::Db& db, const assess::Case& c) {
  assess::CaseRepo cases(db);
  VIGIL_ASSIGN_OR_RETURN(assess::CaseFile file, cases.LoadCaseFile(c.id));
  VIGIL_ASSIGN_OR_RETURN(assess::CaseLinks links, cases.LoadLinks(c));
  SituationView v;
  VIGIL_ASSIGN_OR_RETURN(v.analyst, options::OptionRepo(db).LoadSituation(c.id));
  v.used = options::InferSituation(file, links, v.analyst);
  return v;
}

}  // namespace

Result<SituationView> Situation(store::Db& db, const Principal& who, const std::string& case_ref,
                                const std::vector<std::pair<std::string, std::string>>& values) {
  VIGIL_ASSIGN_OR_RETURN(assess::Case c, FindCaseFor(db, who, case_ref, values.empty() ? "case.read" : "options.edit"));
  if (!values.empty()) VIGIL_RETURN_IF_ERROR(options::OptionRepo(db).SetSituation(c.id, values, who.AuditName()));
  return ViewSituation(db, c);
}

Result<options::GenerateResult> GenerateOptions(store::Db& db, const Principal& who, const std::string& case_ref) {
  VIGIL_ASSIGN_OR_RETURN(assess::Case c, FindCaseFor(db, who, case_ref, "options.edit"));
  assess::CaseRepo cases(db);
  options::OptionRepo repo(db);
  VIGIL_ASSIGN_OR_RETURN(assess::CaseFile file, cases.LoadCaseFile(c.id));
  VIGIL_ASSIGN_OR_RETURN(assess::CaseLinks links, cases.LoadLinks(c));
  VIGIL_ASSIGN_OR_RETURN(options::Situation analyst, repo.LoadSituation(c.id));
  VIGIL_ASSIGN_OR_RETURN(options::GenerateResult gen, options::GenerateOptions(file, links, analyst));
  VIGIL_ASSIGN_OR_RETURN(gen.options, repo.SaveGenerated(c.id, std::move(gen.options), who.AuditName()));
  return gen;
}

Result<options::OptionPackage> AddOption(store::Db& db, const Principal& who, const std::string& case_ref,
                                         options::OptionPackage o) {
  VIGIL_ASSIGN_OR_RETURN(assess::Case c, FindCaseFor(db, who, case_ref, "options.edit"));
  o.origin = "analyst";
  o.status = "proposed";
  return options::OptionRepo(db).AddOption(c.id, std::move(o), who.AuditName());
}

Result<options::OptionPackage> ReadOption(store::Db& db, const Principal& who, const std::string& case_ref,
                                          const std::string& option_ref) {
  VIGIL_ASSIGN_OR_RETURN(assess::Case c, FindCaseFor(db, who, case_ref, "case.read"));
  return options::OptionRepo(db).FindOption(c.id, option_ref);
}

Result<std::vector<options::OptionPackage>> ListOptions(store::Db& db, const Principal& who,
                                                        const std::string& case_ref, bool include_withdrawn) {
  VIGIL_ASSIGN_OR_RETURN(assess::Case c, FindCaseFor(db, who, case_ref, "case.read"));
  return options::OptionRepo(db).ListOptions(c.id, include_withdrawn);
}

}  // namespace vigil::app
