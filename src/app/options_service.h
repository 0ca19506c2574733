// Option operations of the service layer (issue 18): editing a proposed
// option package without losing a colleague's edit. Authorized once here
// (options.edit on the case).
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "core/principal.h"
#include "core/status.h"
#include "options/generator.h"
#include "options/option.h"

namespace vigil::store {
class Db;
}

namespace vigil::app {

// The editable text fields of an option; nullopt leaves a field unchanged,
// a list replaces the whole list. military_approach "none" or "" clears it.
struct OptionFields {
  std::optional<std::string> title, summary, approach, role, military_approach, policy_goal, rationale;
  std::optional<std::vector<std::string>> objectives, escalation_triggers, advantages, disadvantages;
};
void ApplyOptionFields(const OptionFields& f, options::OptionPackage& o);

// Loads option `option_ref` (number) of case `case_ref`, applies `change`,
// and stores it as the next version under `who` (ValidateOption, only
// proposed options), in one transaction. based_on_version is the version the
// caller read: Aborted, nothing written, when the option has changed since;
// nullopt takes the version read here (read-modify-write in one call).
// Returns the option as stored.
Result<options::OptionPackage> ModifyOption(store::Db& db, const Principal& who, const std::string& case_ref,
                                            const std::string& option_ref, std::optional<int> based_on_version,
                                            const std::function<Status(options::OptionPackage&)>& change);

// The situational variables of a case: as the analysts set them, and as the
// generator uses them (the analysts' values, else inferred from the case file).
struct SituationView {
  options::Situation analyst, used;
};
// case.read when `values` is empty, else options.edit: sets each
// (variable, value) pair ("" clears one), then returns the view.
Result<SituationView> Situation(store::Db& db, const Principal& who, const std::string& case_ref,
                                const std::vector<std::pair<std::string, std::string>>& values);

// options.edit: generates the option packages of the case from its file and
// situation (options::GenerateOptions, docs/options.md) and stores them
// (re-generating replaces the proposed generated ones); the result holds the
// options as stored.
Result<options::GenerateResult> GenerateOptions(store::Db& db, const Principal& who, const std::string& case_ref);

// options.edit: adds an analyst's own option package as proposed.
Result<options::OptionPackage> AddOption(store::Db& db, const Principal& who, const std::string& case_ref,
                                         options::OptionPackage o);

// The option as stored now (options.edit is not needed: case.read).
Result<options::OptionPackage> ReadOption(store::Db& db, const Principal& who, const std::string& case_ref,
                                          const std::string& option_ref);
// case.read: the options of the case by number (withdrawn ones too when asked).
Result<std::vector<options::OptionPackage>> ListOptions(store::Db& db, const Principal& who,
                                                        const std::string& case_ref, bool include_withdrawn);

}  // namespace vigil::app
