// Option packages (MAPRO Step 3, policy formulation): what the IPT proposes
// to decision makers. An option package pairs a general approach (suasion,
// compellence or intervention) with a U.S. role (bystander, support others,
// lead a multinational effort, act unilaterally) and a set of DIME tools
// aimed at named actors of the case, with its goal, objectives, resources,
// risks and the triggers that would call for a stronger option.
//
// GenerateOptions (generator.h) proposes packages from the case file by the
// explicit rules of catalog/option_rules.json; analysts then add, remove and
// edit tools and options through OptionRepo (option_repo.h). Every tool and
// risk of a generated package carries the reason it was chosen ("because"),
// so the logic is never a black box.
//
// Ids of tools, risks, approaches, roles and military approaches are entry
// ids of the embedded reference catalogs (assess/frameworks.h: "dime",
// "dime-risks", "policy-frame", "military-approaches").
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"

namespace vigil::options {

// Option statuses: "proposed" (put forward, not decided), "approved" (the
// decision maker chose it: the basis of the policy statement), "rejected",
// "withdrawn" (removed by the IPT or superseded by a later generation).
inline constexpr const char* kOptionStatuses[] = {"proposed", "approved", "rejected", "withdrawn"};
// Where an option, tool or risk came from: "generated" by the rules, or
// added/edited by an "analyst".
inline constexpr const char* kOrigins[] = {"generated", "analyst"};
// The roles of the policy-frame catalog (group "role").
inline constexpr const char* kRoles[] = {"bystander", "support-others", "lead-multinational", "unilateral"};

bool IsOptionStatus(std::string_view s);
bool IsRole(std::string_view s);
// "suasion", "compellence", "intervention" (assess::kApproaches).
bool IsApproach(std::string_view s);
// "low", "medium", "high" (assess::kLevels).
bool IsLevel(std::string_view s);
// Approach strength: suasion 0, compellence 1, intervention 2, else -1.
int ApproachRank(std::string_view approach);

// The four situational variables of the handbook's policy frame. Each value
// is "" when neither set by an analyst nor inferable.
struct Situation {
  std::string host_nation_role;       // "partner" | "adversary"
  std::string us_interests;           // "high" | "low": interests, will, access and leverage
  std::string international_support;  // "high" | "low"
  std::string volatility;             // "latent" | "urgent"
  // Per variable ("host-nation-role", "us-interests", "international-support",
  // "volatility"): "analyst" when set by a person, else the inference's reason
  // ("inferred: actor 'Government of X' (state) holds role
  // perpetrator-architect since 2024-03").
  std::vector<std::pair<std::string, std::string>> basis;
  std::string updated_at, updated_by;  // of the analyst's last setting; "" if never set

  // The value of a variable by its policy-frame id; "" if unknown id.
  const std::string& Get(std::string_view variable) const;
  // The basis text of a variable, "" if none.
  std::string Basis(std::string_view variable) const;
};
// The policy-frame variable ids in order.
inline constexpr const char* kSituationVariables[] = {"host-nation-role", "us-interests",
                                                      "international-support", "volatility"};

// One tool of a package, aimed at actors of the case.
struct ToolChoice {
  std::string id;          // dime catalog entry id (validated on every write)
  std::string title;       // copied from the catalog
  std::string instrument;  // copied from the catalog
  std::string approach;    // copied from the catalog
  std::string lead_agency; // catalog default, analyst may change
  std::vector<std::string> target_categories;  // of assess::kActorCategories
  std::vector<std::string> target_actors;      // actor names of the case (may be empty)
  std::vector<std::string> stages;             // plan stages (assess::kPlanStages) where it is used
  std::string because;     // why it is in the package (rules fired, or the analyst's note)
  std::string origin = "generated";  // of kOrigins
};

// A risk of a package (dime-risks catalog entry) as judged for this case.
struct OptionRisk {
  std::string id;          // dime-risks entry id
  std::string title;       // copied from the catalog
  std::string likelihood;  // of kLevels
  std::string impact;      // of kLevels
  std::vector<std::string> mitigations;  // non-empty
  std::string because;
  std::string origin = "generated";
};

// Rough order of magnitude of what a package needs.
struct Resources {
  std::string cost;        // of kLevels, the overall relative cost
  std::string funding;     // e.g. "US$ 10-100 million over 12 months"
  std::string personnel;   // e.g. "special envoy team of 5-10; no U.S. forces"
  std::string lead_time;   // longest tool lead time: "days", "weeks", "months", "years"
  std::string note;
};

struct OptionPackage {
  std::int64_t id = 0;      // set by the store
  std::int64_t case_id = 0; // set by the store
  int number = 0;           // set by the store: 1, 2, ... within the case, never reused
  std::string title;        // non-empty
  std::string summary;      // one or two sentences
  std::string approach;     // of kApproaches: the strongest approach the package uses
  std::string role;         // of kRoles
  std::string military_approach;  // military-approaches entry id, or "" (no military operation)
  std::string policy_goal;        // non-empty
  std::vector<std::string> objectives;  // strategic objectives, >= 1
  std::string rationale;          // why this package, from the situation and assessment
  std::vector<ToolChoice> tools;  // grouped by instrument in kInstruments order
  Resources resources;
  std::vector<OptionRisk> risks;  // includes "inaction" only for a bystander package
  std::vector<std::string> escalation_triggers;  // what would call for a stronger option
  std::vector<std::string> advantages, disadvantages;
  std::string status = "proposed";   // of kOptionStatuses
  std::string origin = "generated";  // of kOrigins
  int version = 0;                   // set by the store: 1 on insert, +1 per edit
  std::string created_at, created_by, updated_at;  // set by the store

  // Instruments used, in kInstruments order, without repeats.
  std::vector<std::string> Instruments() const;
  const ToolChoice* FindTool(std::string_view tool_id) const;
};

// An IPT member's recommendation of an option or dissent from the
// recommendation (Tab 4 section 7, Tab 7 "recommendations, including
// dissenting opinions").
struct Opinion {
  std::int64_t id = 0;         // set by the store
  std::int64_t option_id = 0;  // the option recommended or dissented about
  std::string position;        // "recommend" | "dissent"
  std::string author;          // set by the store
  std::string text;            // non-empty
  std::string created_at;      // set by the store
};
inline constexpr const char* kOpinionPositions[] = {"recommend", "dissent"};

// One row of the comparison table across options.
struct ComparisonRow {
  std::string label;                // e.g. "Approach", "Tools (D/I/M/E)", "Cost", "Highest risk"
  std::vector<std::string> values;  // one per option, in the order given
};
// The comparison table of the given options (rows: approach, role, military
// approach, tools per instrument, host-consent tools, cost, funding,
// personnel, lead time, risks rated high, escalation triggers, status,
// recommendations and dissents).
std::vector<ComparisonRow> CompareOptions(const std::vector<OptionPackage>& options,
                                          const std::vector<Opinion>& opinions);

// Checks an option against the embedded catalogs and vocabularies: title,
// goal, approach, role, military approach, >= 1 objective, every tool id in
// the dime catalog (and copies instrument/approach/title from it), target
// categories, stages, risk ids in dime-risks with levels and mitigations,
// status, origin. On success fills the catalog-derived fields. Errors name
// the field: "tools[2].id: unknown tool 'nofly' (see vigil catalog show dime)".
Status ValidateOption(OptionPackage& o);

nlohmann::json ToJson(const Situation& s);
nlohmann::json ToJson(const ToolChoice& t);
nlohmann::json ToJson(const OptionRisk& r);
nlohmann::json ToJson(const Resources& r);
nlohmann::json ToJson(const OptionPackage& o);
nlohmann::json ToJson(const Opinion& o);
nlohmann::json ToJson(const std::vector<ComparisonRow>& rows);
// Inverse of ToJson(OptionPackage) (store and JSON import); InvalidArgument
// naming the field for a wrong type. Does not validate against catalogs.
Result<OptionPackage> OptionFromJson(const nlohmann::json& j);
Result<Situation> SituationFromJson(const nlohmann::json& j);

}  // namespace vigil::options
