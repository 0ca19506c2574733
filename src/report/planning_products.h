// Policy and planning products of a case (MAPRO Annex D Tabs 4-9), and the
// planning part of the situation update (Tab 10):
//   Tab 4  Policy Advisory Memorandum (memo, or the briefing version)
//   Tab 5  Policy Statement
//   Tab 6  Options Approval Briefing
//   Tab 7  Options Decision Briefing
//   Tab 8  Strategic Plan
//   Tab 9  Backbrief (one organization's, or every lead agency's in turn)
// Markdown or one self-contained HTML page, like case_products.h. Every
// statement comes from the case file, its options, decisions, policy
// statement, plan and execution status; a section with nothing recorded says
// "not recorded". Decisions are shown with who decided, when, and who
// recorded them; recommendations beside dissenting opinions.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/status.h"
#include "options/option.h"
#include "plan/plan.h"
#include "plan/plan_repo.h"
#include "report/case_products.h"
#include "store/db.h"

namespace vigil::report {

struct PlanningData {
  options::Situation situation;                // analyst-set merged with inferred (options::InferSituation)
  std::vector<options::OptionPackage> options; // not withdrawn, by number
  std::vector<options::Opinion> opinions;
  std::vector<options::ComparisonRow> comparison;  // options::CompareOptions(options, opinions)
  std::vector<plan::Decision> decisions;       // oldest first
  std::optional<plan::PolicyStatement> policy; // the latest version (draft or approved)
  std::optional<plan::Plan> plan;              // the latest revision
  std::vector<plan::PlanRepo::RevisionInfo> revisions;  // every plan revision, oldest first
  std::vector<plan::StatusEntry> status_history;  // oldest first
  std::vector<plan::PlanFlag> flags;           // plan::FlagAlerts(plan, links.alerts)
};

// Loads the planning data of a case (OptionRepo, PlanRepo), with the
// situation inferred from `base` (its file and links) where not set.
Result<PlanningData> LoadPlanningData(store::Db& db, const CaseProductData& base);

// Tab 4. Memo sections: overview (case, country, forecast rank, open alerts,
// situational variables with their basis), interests, past policies (the
// guidance's "other" and the case's decisions so far), other actors
// (interveners, bystanders, positive and negative actors, enablers), critical
// issues (risk factors scored at the top two levels of their scale, open
// CIRs, invalidated assumptions), policy options (goal and objectives of
// each), analysis / recommendations / dissenting opinions (comparison table,
// opinions), proposed next steps. With `briefing`, the briefing version:
// purpose, agenda, the same content as short bullets.
std::string PolicyAdvisoryProduct(const CaseProductData& d, const PlanningData& p, ProductFormat f,
                                  bool briefing);
// Tab 5: general, goal, objectives, LOEs with lead and supporting agencies,
// critical planning considerations by category, status and the approving
// decision. Uses p.policy; "not recorded" without one.
std::string PolicyStatementProduct(const CaseProductData& d, const PlanningData& p, ProductFormat f);
// Tab 6: purpose, situation update (latest alerts, open CIRs), review
// (policy objectives, assumptions, guidance, timeline) and per option its
// rationale, organization/resources, concept (tools by instrument and
// target), phasing (stages its tools fit), LOEs; decisions of kind
// "options-review".
std::string OptionsApprovalProduct(const CaseProductData& d, const PlanningData& p, ProductFormat f);
// Tab 7: review of options (rationale, resources, concept, phasing, LOEs,
// major tasks per organization), analysis (comparison table, advantages and
// disadvantages, risks), recommendations with dissents, and the "option"
// decisions (who approved what, when).
std::string OptionsDecisionProduct(const CaseProductData& d, const PlanningData& p, ProductFormat f);
// Tab 8: plan overview (goal, objectives, LOEs by priority, current stage),
// situation analysis summary, critical planning considerations, stages with
// objectives and transition conditions, sequencing (tasks in dependency
// order), tasks for agencies, resources per LOE, branch plans, decision
// points with who decides (what remains in Washington), risks, revision
// history.
std::string StrategicPlanProduct(const CaseProductData& d, const PlanningData& p, ProductFormat f);
// Tab 9: the backbrief of one organization (`agency`, matched
// case-insensitively against task agencies and LOE leads/supporters): its
// situation, assumptions, limitations, key tasks, mission, concept by stage
// and LOE, support required from and provided to other organizations
// (dependencies across agencies), issues (its tasks at risk or in setback).
// With an empty agency, every organization that leads a LOE or task in turn.
// NotFound-style text ("no tasks for <agency>") is an error: returns "".
std::string BackbriefProduct(const CaseProductData& d, const PlanningData& p, ProductFormat f,
                             const std::string& agency);
// The organizations with tasks or LOEs in the plan, sorted.
std::vector<std::string> PlanOrganizations(const plan::Plan& p);

// Tab 10's planning section: current stage, LOE and task status (latest
// entry each, with notes; changes within [d.from, d.to]), upcoming decisions
// (open decision points of the current and next stage), issues (at-risk and
// setback items, flags raised by alerts, suggested stage transitions), and
// decisions taken in the range. Empty string when the case has no plan.
// SituationUpdateProduct(d, f, &p) includes it (case_products.h gains an
// optional `const PlanningData* planning = nullptr` parameter).
std::string PlanningUpdateSection(const CaseProductData& d, const PlanningData& p, ProductFormat f);

}  // namespace vigil::report
