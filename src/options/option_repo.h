// Storage of situational variables, option packages and opinions of a case
// (schema v4, tables case_situation, options, option_opinions), with the same
// contract as assess::CaseRepo: every mutating call takes a non-empty author,
// validates first (ValidateOption), then writes the change and its audit row
// (case_audit; entities "situation", "option", "opinion") in one transaction.
// Nothing is written on error.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "assess/case.h"
#include "core/status.h"
#include "options/option.h"
#include "store/db.h"

namespace vigil::options {

class OptionRepo {
 public:
  explicit OptionRepo(store::Db& db) : db_(db) {}

  // The analyst-set situational variables ("" for unset ones; basis
  // "analyst" for set ones).
  Result<Situation> LoadSituation(std::int64_t case_id);
  // Sets variables by policy-frame id ("host-nation-role", "us-interests",
  // "international-support", "volatility"); value "" clears. InvalidArgument
  // for an unknown variable or a value outside the catalog's values.
  Status SetSituation(std::int64_t case_id, const std::vector<std::pair<std::string, std::string>>& values,
                      const std::string& author);

  // Stores freshly generated packages: every "proposed" option of origin
  // "generated" with version 1 (never edited) becomes "withdrawn"; the new
  // ones get the next numbers. Options that are edited, added by analysts or
  // decided are kept. If the newly generated set equals (by ToJson without
  // store fields and status) the latest generation still standing (the
  // unedited generated options not withdrawn, decided or not), nothing is
  // written and those are returned: re-running generate never duplicates.
  Result<std::vector<OptionPackage>> SaveGenerated(std::int64_t case_id, std::vector<OptionPackage> generated,
                                                   const std::string& author);
  // Adds an analyst option (origin "analyst", status "proposed").
  Result<OptionPackage> AddOption(std::int64_t case_id, OptionPackage o, const std::string& author);
  // Replaces an option's content (after ValidateOption); version +1. Only
  // "proposed" options can be edited (FailedPrecondition otherwise). o.version
  // is the version the caller read: Aborted, nothing written, when the option
  // has changed since (0 skips the check).
  Status UpdateOption(std::int64_t case_id, const OptionPackage& o, const std::string& author);
  // Status changes: "withdrawn" from proposed; "approved"/"rejected" are set
  // by plan::PlanRepo::DecideOption together with the decision record.
  Status SetOptionStatus(std::int64_t case_id, std::int64_t option_id, const std::string& status,
                         const std::string& author);
  // All options of the case by number; with include_withdrawn false, without
  // withdrawn ones.
  Result<std::vector<OptionPackage>> ListOptions(std::int64_t case_id, bool include_withdrawn = false);
  // By id or number ("2", "#2" and "option-2" are numbers within the case;
  // a plain number is taken as the number). NotFound otherwise.
  Result<OptionPackage> FindOption(std::int64_t case_id, std::string_view ref);

  Result<Opinion> AddOpinion(std::int64_t case_id, Opinion o, const std::string& author);
  Result<std::vector<Opinion>> ListOpinions(std::int64_t case_id);

 private:
  store::Db& db_;
};

}  // namespace vigil::options
