// The planning catalogs the plan builder starts from (embedded, versioned
// data under catalog/):
//
//  catalog/plan-stages.json      ("type": "plan-stages") the seven stages
//      of the three phases with default objectives and transition
//      conditions, the candidate lines of effort ("loe_templates") with the
//      tools they carry and their default lead and supporting agencies, the
//      task dependency rules, which tools need a resource arrival task, the
//      rough cost orders of magnitude, tool lead times in words, and the
//      expected actions of each actor role per stage;
//  catalog/decision-points.json  ("type": "decision-points") the decisions
//      likely during execution, each with who decides, stages, the
//      conditions under which it fits an option, and the monitoring
//      detectors whose alerts bring it up.
//
// docs/plan.md describes how BuildPlan uses them.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "assess/frameworks.h"
#include "core/status.h"

namespace vigil::plan {

struct StageInfo {
  std::string id;           // of assess::kPlanStages
  std::string phase;        // "I", "II", "III"
  std::string phase_title;  // "Prevention", ...
  std::string title;        // "Steady-state engagement"
  std::string objective;
  std::vector<std::string> transition_conditions;  // to the next stage (>= 1)
};

struct LoeTemplate {
  std::string id;  // e.g. "situation-understanding"
  std::string title;
  std::string description;
  int priority = 1;     // order of the LOEs in a policy statement (1 first)
  bool always = false;  // every policy statement has it, even without tools
  std::string lead;
  std::vector<std::string> supporting;
  // A tool belongs to the template that lists it in `tools`; otherwise to the
  // first template (file order) whose instruments contain the tool's
  // instrument and, if purposes is non-empty, shares a purpose with it.
  std::vector<std::string> tools, instruments, purposes;
};

// Selects tasks by the tool they implement and its LOE template: every
// non-empty list must contain the tool's value (lists are any-of, keys
// all-of). An empty selector selects nothing.
struct TaskSelector {
  std::vector<std::string> tools, loes, approaches, instruments, purposes;
  bool Empty() const;
  bool Matches(const assess::ReferenceEntry& tool, std::string_view loe_template) const;
};

struct DependencyRule {
  std::string id;
  std::string description;
  TaskSelector before;  // these tasks come first ...
  TaskSelector after;   // ... and these depend on them
};

struct ActorExpectation {
  std::string role;      // of assess::kActorRoles
  std::string category;  // "perpetrators" or "other-actors"
  std::map<std::string, std::string> by_stage;  // every stage of kPlanStages
};

struct PlanStagesCatalog {
  int version = 0;
  std::string title, source, license_note, description;
  std::vector<std::pair<std::string, std::string>> phases;  // (id, title)
  std::vector<StageInfo> stages;                            // kPlanStages order
  std::vector<LoeTemplate> loe_templates;                   // file order
  std::vector<DependencyRule> dependency_rules;
  // Tools needing a resource arrival task: instrument in `instruments` and
  // approach in `approaches`, or listed in `tools`; never those in `except`.
  std::vector<std::string> arrival_instruments, arrival_approaches, arrival_tools, arrival_except;
  std::map<std::string, std::string> cost_orders;  // cost level -> "US$ 10-100 million"
  std::map<std::string, std::string> lead_times;   // lead time -> "within days of the decision"
  std::vector<ActorExpectation> actor_expectations;

  const StageInfo* Stage(std::string_view id) const;
  const LoeTemplate* Template(std::string_view id) const;
  // The template a dime tool belongs to (parsing checks every tool has one).
  const LoeTemplate* TemplateForTool(const assess::ReferenceEntry& tool) const;
  bool NeedsArrival(const assess::ReferenceEntry& tool) const;
  const ActorExpectation* Expectation(std::string_view role) const;
};

struct DecisionPointKind {
  std::string id;
  std::string title;
  std::string question;
  std::string description;
  std::string who_decides;
  std::vector<std::string> stages;
  std::string trigger;
  // Any one suffices: "always", "approach:ID", "role:ID", "tool:ID",
  // "instrument:ID", "loe:ID" (LOE template), "host:partner",
  // "host:adversary", "military-approach".
  std::vector<std::string> fits_when;
  std::vector<std::string> watch_detectors;
  std::string min_severity = "high";
};

struct DecisionPointCatalog {
  int version = 0;
  std::string title, source, license_note, description;
  std::vector<DecisionPointKind> entries;  // the 13 kinds, file order

  const DecisionPointKind* Find(std::string_view id) const;
};

// Parse and validate the catalogs; errors start with source_name and name
// the JSON path ("catalog/plan-stages.json: stages[2].objective: missing").
// Checks: types, required fields, the seven stages in order with phases I-III
// and >= 1 transition condition, unique template ids, known tool ids,
// instruments, approaches, purposes and LOE template ids in templates, rules
// and arrivals, every dime tool belonging to a template, cost orders for
// every cost level and texts for every lead time, expectations for every
// stage of known roles; for decision points: 13 unique entries, known
// stages, detectors, severities and fit conditions.
Result<PlanStagesCatalog> ParsePlanStages(std::string_view json, const std::string& source_name);
Result<DecisionPointCatalog> ParseDecisionPoints(std::string_view json, const std::string& source_name);

// The embedded catalogs, parsed on first use; a broken one aborts with the
// parse error (plan_catalog_test.cc checks them).
const PlanStagesCatalog& PlanStages();
const DecisionPointCatalog& DecisionPoints();

// Monitoring detector names (docs/alerts.md).
inline constexpr const char* kDetectors[] = {"threshold", "cusum", "new-pair", "spread"};
bool IsDetector(std::string_view d);

}  // namespace vigil::plan
