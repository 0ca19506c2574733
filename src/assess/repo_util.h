// Small helpers shared by the repositories that write a case's tables
// (assess::CaseRepo, options::OptionRepo, plan::PlanRepo): the author and
// date checks every mutating call starts with, and the audit row and
// cases.updated_at stamp every change writes in its own transaction.
#pragma once

#include <cstddef>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "core/vocab.h"
#include "core/status.h"
#include "store/db.h"

namespace vigil::assess {

// Today's UTC date, "YYYY-MM-DD".
std::string Today();

// InvalidArgument unless the author is non-empty.
Status CheckAuthor(const std::string& author);

// InvalidArgument naming `field` unless v is a case date (IsCaseDate:
// YYYY, YYYY-MM or YYYY-MM-DD); an empty v is fine when not required.
Status CheckDate(std::string_view field, const std::string& v, bool required);

// Appends a case_audit row (before/after as JSON, NULL for null). Call it
// inside the transaction of the change it records.
Status Audit(store::Db& db, std::int64_t case_id, const std::string& now, const std::string& who,
             std::string_view action, std::string_view entity, std::int64_t entity_id,
             const nlohmann::json& before, const nlohmann::json& after);

// Sets cases.updated_at of a case to now (same transaction as the change).
Status Touch(store::Db& db, std::int64_t case_id, const std::string& now);

}  // namespace vigil::assess
