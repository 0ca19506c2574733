#include "assess/repo_util.h"

#include <fmt/format.h>

#include <ctime>

#include "assess/case.h"
#include "store/audit.h"
#include "core/event.h"

namespace vigil::assess {

std::string Today() { return FormatDate(static_cast<Day>(std::time(nullptr) / 86400)); }

Status CheckAuthor(const std::string& author) {
  if (author.empty()) return Status::InvalidArgument("author: empty (every change is made by a named account or the local operator)");
  return Status::Ok();
}

Status CheckDate(std::string_view field, const std::string& v, bool required) {
  if (v.empty() && !required) return Status::Ok();
  if (!IsCaseDate(v)) {
    return Status::InvalidArgument(
        fmt::format("{}: '{}' is not a date (expected YYYY, YYYY-MM or YYYY-MM-DD)", field, v));
  }
  return Status::Ok();
}

Status Audit(store::Db& db, std::int64_t case_id, const std::string& now, const std::string& who,
             std::string_view action, std::string_view entity, std::int64_t entity_id,
             const nlohmann::json& before, const nlohmann::json& after) {
  return store::AppendCaseAudit(db, case_id, now, who, action, entity, entity_id, before, after);
}

Status Touch(store::Db& db, std::int64_t case_id, const std::string& now) {
  VIGIL_ASSIGN_OR_RETURN(store::Stmt st, db.Prepare("UPDATE cases SET updated_at = ? WHERE id = ?"));
  st.Bind(1, now).Bind(2, case_id);
  return st.Run();
}

}  // namespace vigil::assess
