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
