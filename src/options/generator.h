// The option builder: proposes 2-4 distinguishable option packages for a case
// from its assessment, by explicit, documented rules (docs/options.md) kept
// as versioned data in catalog/option_rules.json.
//
// Inputs: the case file (actors and their current roles, framework scores,
// assumptions, CIRs), the stored alerts and forecasts of its country, and the
// situational variables (analyst-set values win; missing ones are inferred by
// InferSituation, each with the reason). Output: packages that differ from
// each other in approach or role, each with tools from at least two
// instruments, each tool with the reason it was chosen ("chosen because ...")
// and the actors it targets, risks with likelihood, impact and mitigations,
// resources, escalation triggers, advantages and disadvantages.
//
// Hard rules (never broken, tested): with a host nation that is an adversary,
// no package contains a tool the dime catalog marks requires_host_consent;
// a package never uses a tool of a stronger approach than its own.
#pragma once

#include <string>
#include <vector>

#include "assess/case.h"
#include "core/status.h"
#include "options/option.h"

namespace vigil::options {

// The rules of catalog/option_rules.json, parsed.
struct RuleSet;
// The embedded rules (parsed on first use; a broken file aborts: its unit
// test checks it).
const RuleSet& DefaultRules();
// Parses a rules file; errors name the file and JSON path.
Result<std::shared_ptr<const RuleSet>> ParseRules(std::string_view json, const std::string& source_name);

// Fills the variables the analyst left empty from the case file and links:
//  host-nation-role: "adversary" when a state actor (or an actor whose name
//    or notes mark it as the government, army, police or security forces)
//    currently holds a perpetrator role, "partner" when the case has a state
//    actor that is not a perpetrator or negative actor;
//  volatility: "urgent" when the country has an alert of severity >= high in
//    the last 6 months of the stored data, a majority Stanton score at stage
//    >= the rules' urgent stage, or an OSAPG/UN triggering-factor score at
//    the highest level; "latent" when it has scores but none of these;
//  us-interests, international-support: from the case's interests (priority-1
//    USG interest -> high) and actors holding the intervener or
//    positive-actor role that are states or organizations (>= 2 -> high).
// Each inferred value gets its basis text; a variable that cannot be inferred
// stays "" with basis "unknown: <what would settle it>".
Situation InferSituation(const assess::CaseFile& file, const assess::CaseLinks& links,
                         const Situation& analyst_set, const RuleSet& rules = DefaultRules());

struct GenerateResult {
  Situation situation;                 // the values used, with their basis
  std::vector<OptionPackage> options;  // 2-4, numbered 0 (the store numbers them)
  std::vector<std::string> notes;      // rules that shaped the set ("no intervention package: volatility latent")
};

// Proposes the packages. FailedPrecondition when the case has no actor
// holding a perpetrator or victim role (nothing to aim tools at) -- the
// message says what to record first.
Result<GenerateResult> GenerateOptions(const assess::CaseFile& file, const assess::CaseLinks& links,
                                       const Situation& analyst_set, const RuleSet& rules = DefaultRules());

}  // namespace vigil::options
