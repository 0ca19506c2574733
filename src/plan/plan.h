// Policy, plan and execution (MAPRO Steps 3-5).
//
// The chain: an approved option (options/option.h) -> a policy statement
// (Tab 5: goal, strategic objectives, 4-10 lines of effort with lead and
// supporting agencies, critical planning considerations), approved by a
// recorded decision -> a strategic plan (Tab 8: the handbook's phases and
// stages IA-IIIB with objectives and transition conditions, tasks per line
// of effort and agency with sequencing and dependencies, branch plans tied
// to assumptions, decision points with who decides, expected actions of
// perpetrators and other actors, information requirements, risks, resources
// per line of effort) -> execution (status per line of effort and task,
// stage transitions, flags raised by monitoring alerts).
//
// Plans are versioned: every change stores a new revision (PlanRepo); task
// and LOE ids ("loe-1", "t-3", "b-1", "dp-2") are stable across revisions so
// that execution status and decisions keep pointing at the same things.
//
// Stage ids are assess::kPlanStages ("IA" ... "IIIB"); their titles, phase,
// default objectives and transition conditions come from
// catalog/plan-stages.json; the decision-point kinds (the handbook's list of
// potential decisions during execution) from catalog/decision-points.json.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "assess/case.h"
#include "core/status.h"
#include "options/option.h"

namespace vigil::plan {

// ---- Vocabularies ----------------------------------------------------------------

// Policy statement statuses: "draft" (editable), "approved" (frozen, by a
// recorded decision), "superseded" (a later version was approved).
inline constexpr const char* kPolicyStatuses[] = {"draft", "approved", "superseded"};
// Critical planning consideration categories (Tab 5 section 5).
inline constexpr const char* kConsiderationCategories[] = {"conditions", "other-actors", "resources",
                                                           "strategic-communication"};
// Decision kinds recorded in the decisions log:
//  "option"          choose or reject an option package (Tabs 4 and 7)
//  "options-review"  approve options for detailed examination (Tab 6)
//  "policy"          approve a policy statement version (Tab 5)
//  "plan"            approve a plan revision (Tab 8)
//  "stage"           transition the plan to another stage
//  "decision-point"  settle one of the plan's decision points
//  "branch"          activate or stand down a branch plan
inline constexpr const char* kDecisionKinds[] = {"option", "options-review", "policy", "plan",
                                                 "stage",  "decision-point", "branch"};
// Decision outcomes: "approved", "rejected", "deferred", "activated" (branch),
// "deactivated" (branch), "decided" (a decision point settled; the note says how).
inline constexpr const char* kDecisionOutcomes[] = {"approved", "rejected", "deferred",
                                                    "activated", "deactivated", "decided"};
// Execution statuses of a line of effort or task.
inline constexpr const char* kExecutionStatuses[] = {"not-started", "on-track", "at-risk", "setback",
                                                     "complete"};

bool IsConsiderationCategory(std::string_view s);
bool IsDecisionKind(std::string_view s);
bool IsDecisionOutcome(std::string_view s);
bool IsExecutionStatus(std::string_view s);
bool IsStage(std::string_view s);
// Position of a stage in kPlanStages (IA 0 ... IIIB 6), -1 if unknown.
int StageIndex(std::string_view stage);

// ---- Policy (Tab 5) ------------------------------------------------------------

struct LineOfEffort {
  std::string id;            // "loe-1", ...: stable, unique in the plan
  std::string title;         // non-empty, e.g. "Diplomacy and strategic communication"
  std::string lead;          // lead agency, non-empty, e.g. "State"
  std::vector<std::string> supporting;  // supporting agencies
  std::string description;
  int priority = 1;          // 1 = highest
  std::string resources;     // rough order of magnitude for this LOE (Tab 8)
  std::vector<std::string> tools;  // dime tool ids of the approved option it carries
};

struct Consideration {
  std::string category;  // of kConsiderationCategories
  std::string text;      // non-empty
};

struct PolicyStatement {
  std::int64_t id = 0;       // set by the store
  std::int64_t case_id = 0;  // set by the store
  int version = 0;           // set by the store: 1, 2, ...
  std::int64_t option_id = 0;  // the approved option it implements
  int option_number = 0;
  std::string status = "draft";  // of kPolicyStatuses
  std::string general;       // section 1: the situation in brief
  std::string goal;          // non-empty
  std::vector<std::string> objectives;  // >= 1
  std::vector<LineOfEffort> loes;       // 4-10 when approved
  std::vector<Consideration> considerations;
  std::string lead_official;  // who implements the plan (e.g. "Special Envoy")
  std::string created_at, created_by;  // set by the store
};

// Drafts a policy statement from an approved option and the case file: goal
// and objectives from the option, 4-10 lines of effort grouping its tools
// (by the LOE templates of catalog/plan-stages.json "loe_templates", lead =
// the most common lead agency of its tools), considerations from the
// situation, other actors (interveners, bystanders, enablers), the option's
// resources, and strategic communication tools. FailedPrecondition unless
// the option is "approved".
Result<PolicyStatement> DraftPolicy(const assess::CaseFile& file, const options::OptionPackage& approved);
// Checks a statement: goal, >= 1 objective, LOE ids unique and well formed,
// titles and leads non-empty, tools known, categories known; with
// for_approval also 4 <= LOEs <= 10.
Status ValidatePolicy(const PolicyStatement& p, bool for_approval);

// ---- Plan (Tab 8) ----------------------------------------------------------------

struct PlanStage {
  std::string id;      // of kPlanStages
  std::string objective;
  std::vector<std::string> transition_conditions;  // when to move to the next stage
};

struct Task {
  std::string id;       // "t-1", ...: stable, unique in the plan
  std::string loe;      // a LineOfEffort id of the plan
  std::string title;    // non-empty
  std::string agency;   // doing organization: USG agency or partner ("State", "UN", "AU")
  std::vector<std::string> stages;      // stages when it runs, >= 1
  std::vector<std::string> depends_on;  // task ids that must come first (no cycles)
  std::string tool;      // dime tool id it implements, or ""
  std::string resources; // what it needs
  std::string arrival;   // for resource tasks: what arrives when ("two battalions, IIA week 6"), else ""
  bool operator==(const Task&) const = default;
};

struct BranchPlan {
  std::string id;        // "b-1", ...
  std::string title;     // non-empty
  std::int64_t assumption_id = 0;  // the case assumption it hedges, or 0
  std::string condition; // when it applies ("if the assumption proves false", an event)
  std::string response;  // what changes
  std::vector<std::string> stages;
  // Monitoring hooks: alerts of these detectors at or above min_severity for
  // the case's country touch this branch plan (see FlagAlerts).
  std::vector<std::string> watch_detectors;  // "threshold", "cusum", "new-pair", "spread"; empty = none
  std::string min_severity = "high";         // of store::kAlertSeverities
  std::string status = "inactive";           // "inactive" | "active"
};

struct DecisionPoint {
  std::string id;        // "dp-1", ...
  std::string kind;      // catalog/decision-points.json entry id
  std::string question;  // non-empty
  std::string who_decides;  // e.g. "Deputies Committee", "Chief of Mission"
  std::vector<std::string> stages;
  std::string trigger;   // what brings it up
  std::vector<std::string> watch_detectors;  // as BranchPlan
  std::string min_severity = "high";
  std::string status = "open";  // "open" | "decided"
};

// What an actor is expected to do in a stage (perpetrator and other actors'
// rows of the synchronization matrix).
struct ExpectedAction {
  std::string actor;     // actor name of the case
  std::string category;  // "perpetrators" or "other-actors"
  std::string stage;
  std::string text;
};

struct StageItem {  // an information requirement or risk placed in stages
  std::string text;
  std::vector<std::string> stages;
  std::string ref;  // "cir:12", "risk:quagmire", ... or ""
};

struct Plan {
  std::int64_t id = 0;       // set by the store (row of this revision)
  std::int64_t case_id = 0;  // set by the store
  int revision = 0;          // set by the store: 1, 2, ...
  int policy_version = 0;    // the approved policy statement it implements
  std::string goal;
  std::vector<std::string> objectives;
  std::vector<PlanStage> stages;  // all seven, in order
  std::vector<LineOfEffort> loes;
  std::vector<Task> tasks;
  std::vector<BranchPlan> branches;
  std::vector<DecisionPoint> decision_points;
  std::vector<ExpectedAction> expected_actions;
  std::vector<StageItem> info_requirements;
  std::vector<StageItem> risks;
  std::string current_stage = "IA";  // set from the latest "stage" decision
  std::string note;                  // why this revision
  std::string created_at, created_by;  // set by the store

  const Task* FindTask(std::string_view id) const;
  const LineOfEffort* FindLoe(std::string_view id) const;
  // Tasks in an order that respects depends_on (ties by id order as stored).
  std::vector<const Task*> Sequence() const;
};

// Builds the first plan revision from an approved policy, its option and the
// case file: stage objectives and transition conditions from the catalog
// (adapted to the case), one or more tasks per option tool in its LOE (agency
// = tool lead agency; stages = tool stages; standard dependencies, e.g.
// assessment before action, see docs/plan.md), a branch plan per
// unvalidated assumption plus an escalation branch to a stronger option,
// decision points from catalog/decision-points.json that fit the option,
// expected actions of perpetrator and other actors from their roles, the
// case's open CIRs and the option's risks placed in stages.
// FailedPrecondition unless the policy is "approved".
Result<Plan> BuildPlan(const assess::CaseFile& file, const options::OptionPackage& option,
                       const PolicyStatement& policy);
// Checks a plan: unique ids, known LOEs/stages/tools/detectors/severities,
// >= 1 stage per task, dependencies that exist and form no cycle
// (InvalidArgument naming the cycle: "tasks: dependency cycle t-3 -> t-5 -> t-3").
Status ValidatePlan(const Plan& p);

// ---- Decisions and execution (Step 5) --------------------------------------------

struct Decision {
  std::int64_t id = 0;   // set by the store
  std::int64_t case_id = 0;
  std::string kind;      // of kDecisionKinds
  std::string subject;   // option number, policy version, plan revision, "IB->IC", "dp-2", "b-1"
  std::string outcome;   // of kDecisionOutcomes
  std::string decided_by;  // who decided (person or body), non-empty
  std::string decided_at;  // assess::IsCaseDate; default today
  std::string note;
  std::string recorded_by, recorded_at;  // set by the store
};

struct StatusEntry {
  std::int64_t id = 0;        // set by the store
  int plan_revision = 0;      // revision current when recorded
  std::string target;         // a LOE or task id of the plan
  std::string status;         // of kExecutionStatuses
  std::string note;
  std::string as_of;          // IsCaseDate; default today
  std::string author, created_at;  // set by the store
};

// A plan element that a monitoring alert touches.
struct PlanFlag {
  std::string kind;       // "decision-point", "branch" or "stage"
  std::string id;         // dp/branch id, or the suggested stage for "stage"
  std::string title;      // question, branch title, or "IB -> IC"
  std::vector<std::int64_t> alert_ids;
  std::string reason;     // "alert 812 (cusum, high, 2025-03): ..."
};

// Flags the decision points and branch plans whose watch conditions an alert
// of the case's country meets (alerts with status "dismissed" are ignored),
// and suggests a stage transition when alerts show the situation has moved
// past the current stage (rules in docs/plan.md: a high alert in IA/IB
// suggests IC; a critical alert, or high alerts in 2+ months of the last 3,
// before IIA suggests IIA). Alerts before since_month ("YYYY-MM", or "" for
// all) are ignored.
std::vector<PlanFlag> FlagAlerts(const Plan& plan, const std::vector<assess::CaseLinks::AlertLink>& alerts,
                                 std::string_view since_month = {});

// The latest status of each LOE and task with an entry (by target id).
std::vector<StatusEntry> CurrentStatus(const std::vector<StatusEntry>& history);

// ---- Synchronization matrix (Figure 10) -----------------------------------------

struct SyncRow {
  std::string group;   // "Objectives", "Agency actions", "Perpetrators", "Other actors",
                       // "Lines of effort", "Decisions", "Information requirements",
                       // "Branch plans", "Risks", "Resource arrivals"
  std::string label;   // row label: agency, actor, LOE title, or "" for one-row groups
  std::vector<std::string> cells;  // one per stage in kPlanStages order; lines joined by "\n"
};
struct SyncMatrix {
  std::vector<std::string> stages;        // column ids, kPlanStages order
  std::vector<std::string> stage_titles;  // "IA Steady-state engagement", ...
  std::vector<SyncRow> rows;              // groups in the order above
};
SyncMatrix BuildSyncMatrix(const Plan& p);
// CSV: header "group,row,IA,...,IIIB", RFC 4180 quoting.
Status WriteSyncMatrixCsv(const SyncMatrix& m, const std::string& path);
// XLSX (libxlsxwriter): one sheet "Sync matrix" with phase and stage header
// rows, group labels merged down, wrapped cells, frozen panes; a second sheet
// "Plan" listing tasks with dependencies. Errors name the path.
Status WriteSyncMatrixXlsx(const SyncMatrix& m, const Plan& p, const std::string& title, const std::string& path);

// ---- JSON -----------------------------------------------------------------------

nlohmann::json ToJson(const LineOfEffort& l);
nlohmann::json ToJson(const PolicyStatement& p);
nlohmann::json ToJson(const Plan& p);
nlohmann::json ToJson(const Decision& d);
nlohmann::json ToJson(const StatusEntry& s);
nlohmann::json ToJson(const PlanFlag& f);
nlohmann::json ToJson(const SyncMatrix& m);
Result<PolicyStatement> PolicyFromJson(const nlohmann::json& j);
Result<Plan> PlanFromJson(const nlohmann::json& j);

}  // namespace vigil::plan
