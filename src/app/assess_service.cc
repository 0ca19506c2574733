#include "app/assess_service.h"

#include "app/case_service.h"
#include "store/db.h"

namespace vigil::app {

Result<assess::Score> RecordScore(store::Db& db, const Principal& who, const std::string& case_ref,
                                  assess::Score s, std::optional<int> based_on_version) {
  const bool dissent = s.position == "dissent";
  VIGIL_ASSIGN_OR_RETURN(assess::Case c, FindCaseFor(db, who, case_ref, dissent ? "case.dissent" : "case.assess"));
  return assess::CaseRepo(db).AddScore(c.id, std::move(s), who.AuditName(), based_on_version);
}

Result<assess::Actor> AddActor(store::Db& db, const Principal& who, const std::string& case_ref, assess::Actor a) {
  VIGIL_ASSIGN_OR_RETURN(assess::Case c, FindCaseFor(db, who, case_ref, "case.assess"));
  return assess::CaseRepo(db).AddActor(c.id, std::move(a), who.AuditName());
}

Result<assess::ActorRole> AddActorRole(store::Db& db, const Principal& who, const std::string& case_ref,
                                       const std::string& actor_ref, assess::ActorRole r, bool end_open) {
  VIGIL_ASSIGN_OR_RETURN(assess::Case c, FindCaseFor(db, who, case_ref, "case.assess"));
  assess::CaseRepo repo(db);
  VIGIL_ASSIGN_OR_RETURN(assess::Actor actor, repo.FindActor(c.id, actor_ref));
  return repo.AddActorRole(c.id, actor.id, std::move(r), end_open, who.AuditName());
}

Result<assess::AssessmentEntry> AddAssessmentEntry(store::Db& db, const Principal& who, const std::string& case_ref,
                                                   assess::AssessmentEntry e) {
  VIGIL_ASSIGN_OR_RETURN(assess::Case c, FindCaseFor(db, who, case_ref, "case.assess"));
  return assess::CaseRepo(db).AddAssessmentEntry(c.id, std::move(e), who.AuditName());
}

Result<std::optional<assess::Score>> CurrentScore(store::Db& db, std::int64_t case_id,
                                                  const std::string& framework, const std::string& item,
                                                  const std::string& position, const std::string& dissenter) {
  VIGIL_ASSIGN_OR_RETURN(assess::CaseFile f, assess::CaseRepo(db).LoadCaseFile(case_id));
  for (const auto& s : f.scores) {
    const std::string by = s.position == "dissent" ? s.author : "";
    if (s.framework == framework && s.item == item && s.position == position && by == dissenter) {
      return std::optional<assess::Score>(s);
    }
  }
  return std::optional<assess::Score>();
}

}  // namespace vigil::app
