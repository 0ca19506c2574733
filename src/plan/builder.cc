// DraftPolicy, BuildPlan and FlagAlerts of plan/plan.h: the explicit rules
// of docs/plan.md over catalog/plan-stages.json and
// catalog/decision-points.json.
#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <set>

#include "assess/frameworks.h"
#include "plan/plan.h"
#include "plan/plan_catalog.h"
#include "store/alert_store.h"

namespace vigil::plan {

namespace {

bool Contains(const std::vector<std::string>& v, std::string_view s) {
  return std::find(v.begin(), v.end(), s) != v.end();
}

void AddUnique(std::vector<std::string>* v, const std::string& s) {
  if (!s.empty() && !Contains(*v, s)) v->push_back(s);
}

// "State, USAID" -> {"State", "USAID"}.
std::vector<std::string> SplitAgencies(std::string_view s) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (start <= s.size()) {
    std::size_t comma = s.find(',', start);
    std::string_view part = s.substr(start, comma == std::string_view::npos ? std::string_view::npos : comma - start);
    while (!part.empty() && part.front() == ' ') part.remove_prefix(1);
    while (!part.empty() && part.back() == ' ') part.remove_suffix(1);
    if (!part.empty()) out.emplace_back(part);
    if (comma == std::string_view::npos) break;
    start = comma + 1;
  }
  return out;
}

std::string JoinStrings(const std::vector<std::string>& v, std::string_view sep) {
  std::string out;
  for (const auto& s : v) {
    if (!out.empty()) out += sep;
    out += s;
  }
  return out;
}

const assess::ReferenceCatalog& Dime() {
  const assess::ReferenceCatalog* d = assess::FindReferenceCatalog("dime");
  assert(d != nullptr);
  return *d;
}

int LevelRank(std::string_view level) {
  if (level == "low") return 0;
  if (level == "medium") return 1;
  if (level == "high") return 2;
  return -1;
}

int LeadTimeRank(std::string_view lt) {
  if (lt == "days") return 0;
  if (lt == "weeks") return 1;
  if (lt == "months") return 2;
  return -1;
}

int ApproachRankOf(std::string_view a) {
  if (a == "suasion") return 0;
  if (a == "compellence") return 1;
  if (a == "intervention") return 2;
  return -1;
}

std::string CostOrder(const std::string& cost) {
  const auto& m = PlanStages().cost_orders;
  auto it = m.find(cost);
  return it == m.end() ? "order of magnitude unknown" : it->second;
}

std::string LeadTimeText(const std::string& lead_time) {
  const auto& m = PlanStages().lead_times;
  auto it = m.find(lead_time);
  return it == m.end() ? "after an unknown lead time" : it->second;
}

int SeverityRank(std::string_view s) {
  int i = 0;
  for (const char* v : store::kAlertSeverities) {
    if (s == v) return i;
    ++i;
  }
  return -1;
}

// The option's tool choice of a tool id, or nullptr.
const options::ToolChoice* ToolOf(const options::OptionPackage& o, std::string_view id) {
  for (const auto& t : o.tools)
    if (t.id == id) return &t;
  return nullptr;
}

// The doing agency of a tool: the first agency of the option's lead agency
// (analyst may have changed it), else of the catalog's.
std::string LeadAgencyOf(const options::ToolChoice* choice, const assess::ReferenceEntry& tool) {
  std::vector<std::string> a = SplitAgencies(choice && !choice->lead_agency.empty() ? choice->lead_agency
                                                                                     : tool.Field("lead_agency"));
  return a.empty() ? "State" : a.front();
}

std::vector<std::string> StagesOf(const options::ToolChoice* choice, const assess::ReferenceEntry& tool) {
  std::vector<std::string> s = choice && !choice->stages.empty() ? choice->stages : tool.List("stages");
  std::sort(s.begin(), s.end(), [](const auto& a, const auto& b) { return StageIndex(a) < StageIndex(b); });
  s.erase(std::unique(s.begin(), s.end()), s.end());
  return s;
}

// Rough order of magnitude of a set of tools (docs/plan.md).
std::string ResourcesOf(const std::vector<const assess::ReferenceEntry*>& tools) {
  const PlanStagesCatalog& c = PlanStages();
  if (tools.empty()) return "staff time of the lead and supporting agencies; no program funds";
  int counts[3] = {0, 0, 0};
  int top = 0, longest = 0;
  for (const auto* t : tools) {
    int r = std::max(0, LevelRank(t->Field("cost")));
    ++counts[r];
    top = std::max(top, r);
    longest = std::max(longest, LeadTimeRank(t->Field("lead_time")));
  }
  std::vector<std::string> parts;
  for (int r = 2; r >= 0; --r)
    if (counts[r] > 0) parts.push_back(fmt::format("{} {}", counts[r], assess::kLevels[r]));
  static const char* const kLeadTimes[] = {"days", "weeks", "months"};
  return fmt::format("{} tool{} ({} cost); order of magnitude {}; longest lead time {}", tools.size(),
                     tools.size() == 1 ? "" : "s", JoinStrings(parts, ", "), c.cost_orders.at(assess::kLevels[top]),
                     kLeadTimes[std::max(0, longest)]);
}

bool HoldsRole(const assess::Actor& a, std::initializer_list<std::string_view> roles) {
  for (const assess::ActorRole* r : a.RolesOn())
    for (std::string_view want : roles)
      if (r->role == want) return true;
  return false;
}

}  // namespace

// ---- DraftPolicy ----------------------------------------------------------------

Result<PolicyStatement> DraftPolicy(const assess::CaseFile& file, const options::OptionPackage& approved) {
  if (approved.status != "approved")
    return Status::FailedPrecondition(fmt::format(
        "option {} is '{}', not approved: approve an option first (vigil options approve)", approved.number,
        approved.status));
  const PlanStagesCatalog& cat = PlanStages();
  const assess::ReferenceCatalog& dime = Dime();

  PolicyStatement p;
  p.case_id = file.info.id;
  p.option_id = approved.id;
  p.option_number = approved.number;
  p.status = "draft";
  p.goal = approved.policy_goal;
  p.objectives = approved.objectives;
  {
    std::string g = file.info.purpose.empty() ? file.info.title : file.info.title + ": " + file.info.purpose;
    if (!file.info.scope.empty()) g += " Scope: " + file.info.scope + ".";
    g += fmt::format(" The decision makers approved option {} ({}): {}", approved.number, approved.title,
                     approved.summary.empty() ? approved.rationale : approved.summary);
    p.general = g;
  }

  // Group the option's tools by LOE template.
  std::map<std::string, std::vector<const options::ToolChoice*>> by_template;
  for (const auto& t : approved.tools) {
    const assess::ReferenceEntry* e = dime.Find(t.id);
    if (e == nullptr)
      return Status::InvalidArgument(fmt::format("option {}: unknown tool '{}' (see vigil catalog show dime)",
                                                 approved.number, t.id));
    by_template[cat.TemplateForTool(*e)->id].push_back(&t);
  }
  std::vector<const LoeTemplate*> chosen;
  for (const auto& t : cat.loe_templates)
    if (t.always || by_template.count(t.id)) chosen.push_back(&t);
  // Fewer than four: add the highest-priority templates not yet used.
  std::vector<const LoeTemplate*> by_priority;
  for (const auto& t : cat.loe_templates) by_priority.push_back(&t);
  std::stable_sort(by_priority.begin(), by_priority.end(),
                   [](const LoeTemplate* a, const LoeTemplate* b) { return a->priority < b->priority; });
  for (const LoeTemplate* t : by_priority)
    if (chosen.size() < 4 && std::find(chosen.begin(), chosen.end(), t) == chosen.end()) chosen.push_back(t);
  std::stable_sort(chosen.begin(), chosen.end(),
                   [](const LoeTemplate* a, const LoeTemplate* b) { return a->priority < b->priority; });

  for (std::size_t i = 0; i < chosen.size(); ++i) {
    const LoeTemplate& t = *chosen[i];
    LineOfEffort l;
    l.id = fmt::format("loe-{}", i + 1);
    l.title = t.title;
    l.description = t.description;
    l.priority = static_cast<int>(i) + 1;
    // Lead: the most common (first) lead agency of its tools; ties go to the
    // template's default lead, then to the agency seen first.
    std::map<std::string, int> count;
    std::vector<std::string> order;
    std::vector<const assess::ReferenceEntry*> entries;
    auto it = by_template.find(t.id);
    if (it != by_template.end()) {
      for (const options::ToolChoice* c : it->second) {
        const assess::ReferenceEntry* e = dime.Find(c->id);
        entries.push_back(e);
        l.tools.push_back(c->id);
        std::string lead = LeadAgencyOf(c, *e);
        if (count[lead]++ == 0) order.push_back(lead);
      }
    }
    l.lead = t.lead;
    int best = -1;
    for (const auto& a : order)
      if (count[a] > best || (count[a] == best && a == t.lead)) {
        best = count[a];
        l.lead = a;
      }
    for (const auto& s : t.supporting)
      if (s != l.lead) AddUnique(&l.supporting, s);
    if (it != by_template.end())
      for (const options::ToolChoice* c : it->second)
        for (const auto& a : SplitAgencies(c->lead_agency.empty() ? dime.Find(c->id)->Field("lead_agency")
                                                                  : c->lead_agency))
          if (a != l.lead) AddUnique(&l.supporting, a);
    l.resources = ResourcesOf(entries);
    p.loes.push_back(std::move(l));
  }

  // Critical planning considerations (Tab 5 section 5).
  int conditions = 0;
  for (const auto& e : file.assessment) {
    if (e.section != "drivers-of-conflict" && e.section != "windows-of-vulnerability" &&
        e.section != "capability-gaps")
      continue;
    if (conditions++ == 3) break;
    p.considerations.push_back({"conditions", e.text});
  }
  if (!file.guidance.constraints.empty())
    p.considerations.push_back({"conditions", "Constraints from the initial guidance: " + file.guidance.constraints});
  if (!file.guidance.restraints.empty())
    p.considerations.push_back({"conditions", "Restraints from the initial guidance: " + file.guidance.restraints});
  struct Group {
    std::string_view label;
    std::initializer_list<std::string_view> roles;
  };
  static const Group kGroups[] = {
      {"Other interveners", {"intervener"}},
      {"Bystanders who might be swayed", {"bystander"}},
      {"Enablers and negative actors to be pressed or cut off", {"third-party-enabler", "negative-actor"}},
      {"Positive actors to support", {"positive-actor"}},
  };
  for (const Group& g : kGroups) {
    std::vector<std::string> names;
    for (const auto& a : file.actors)
      if (HoldsRole(a, g.roles)) names.push_back(a.name);
    if (!names.empty())
      p.considerations.push_back({"other-actors", fmt::format("{}: {}.", g.label, JoinStrings(names, ", "))});
  }
  {
    const options::Resources& r = approved.resources;
    std::vector<std::string> parts;
    if (!r.cost.empty()) parts.push_back("relative cost " + r.cost);
    if (!r.funding.empty()) parts.push_back("funding " + r.funding);
    if (!r.personnel.empty()) parts.push_back("personnel " + r.personnel);
    if (!r.lead_time.empty()) parts.push_back("longest lead time " + r.lead_time);
    if (!r.note.empty()) parts.push_back(r.note);
    if (!parts.empty())
      p.considerations.push_back({"resources", "Resources of the approved option: " + JoinStrings(parts, "; ") + "."});
  }
  {
    std::vector<std::string> info;
    // Informational tools that speak to audiences (not those of situation understanding).
    for (const auto& t : approved.tools) {
      const assess::ReferenceEntry* e = dime.Find(t.id);
      if (e->Field("instrument") == "informational" && cat.TemplateForTool(*e)->id != "situation-understanding")
        info.push_back(e->title);
    }
    if (!info.empty())
      p.considerations.push_back(
          {"strategic-communication",
           "One consistent message across agencies, carried by: " + JoinStrings(info, ", ") + "."});
    else
      p.considerations.push_back({"strategic-communication",
                                  "The option has no informational tool: agree how the policy will be explained "
                                  "publicly and who speaks for the government."});
  }
  int rank = ApproachRankOf(approved.approach);
  p.lead_official = rank >= 2   ? "Special Envoy, with the combatant commander for military operations"
                    : rank == 1 ? "Special Envoy"
                                : "Chief of Mission";
  return p;
}

// ---- BuildPlan ----------------------------------------------------------------------

namespace {

struct Builder {
  const assess::CaseFile& file;
  const options::OptionPackage& option;
  const PolicyStatement& policy;
  const PlanStagesCatalog& cat = PlanStages();
  const assess::ReferenceCatalog& dime = Dime();
  Plan plan;
  // Per task: the tool whose rules apply (the tool of an arrival task), and
  // whether it is an arrival task.
  std::vector<const assess::ReferenceEntry*> subject;
  std::vector<bool> arrival;

  void Stages();
  Status Tasks();
  void Dependencies();
  void Branches();
  void DecisionPointsFromCatalog();
  void ExpectedActions();
  void InfoAndRisks();

  // Stages where the plan's tasks run, in order.
  std::vector<std::string> TaskStages(int min_approach = 0, std::string_view instrument = {}) const;
  bool DependsOn(std::size_t a, std::size_t b) const;  // a (transitively) depends on b
};

void Builder::Stages() {
  for (const StageInfo& s : cat.stages) {
    PlanStage ps;
    ps.id = s.id;
    ps.objective = s.objective;
    std::vector<std::string> tools;
    for (const auto& t : option.tools) {
      const assess::ReferenceEntry* e = dime.Find(t.id);
      if (e && Contains(StagesOf(&t, *e), s.id)) tools.push_back(e->title);
    }
    if (!tools.empty()) {
      if (tools.size() > 6) {
        std::size_t more = tools.size() - 5;
        tools.resize(5);
        tools.push_back(fmt::format("{} more", more));
      }
      ps.objective += " Main tools of the plan here: " + JoinStrings(tools, ", ") + ".";
    }
    ps.transition_conditions = s.transition_conditions;
    // The option's escalation triggers are conditions to leave the prevention stages.
    if (s.id == "IB" || s.id == "IC")
      for (const auto& trig : option.escalation_triggers) ps.transition_conditions.push_back("Escalation trigger: " + trig);
    plan.stages.push_back(std::move(ps));
  }
}

Status Builder::Tasks() {
  // Every tool of the option is carried by a LOE: the one that lists it, else
  // the LOE named like its template, else the first LOE.
  std::map<std::string, std::vector<std::string>> tools_of_loe;
  std::set<std::string> carried;
  for (const auto& l : plan.loes)
    for (const auto& t : l.tools) {
      if (carried.insert(t).second) tools_of_loe[l.id].push_back(t);
    }
  for (const auto& t : option.tools) {
    if (carried.count(t.id)) continue;
    const assess::ReferenceEntry* e = dime.Find(t.id);
    if (e == nullptr)
      return Status::InvalidArgument(fmt::format("option {}: unknown tool '{}' (see vigil catalog show dime)",
                                                 option.number, t.id));
    const LoeTemplate* tmpl = cat.TemplateForTool(*e);
    std::string target = plan.loes.front().id;
    for (const auto& l : plan.loes)
      if (l.title == tmpl->title) target = l.id;
    tools_of_loe[target].push_back(t.id);
    carried.insert(t.id);
    for (auto& l : plan.loes)
      if (l.id == target) l.tools.push_back(t.id);
  }
  for (const auto& l : plan.loes) {
    for (const auto& id : tools_of_loe[l.id]) {
      const assess::ReferenceEntry* e = dime.Find(id);
      if (e == nullptr)
        return Status::InvalidArgument(
            fmt::format("policy {}: unknown tool '{}' (see vigil catalog show dime)", l.id, id));
      const options::ToolChoice* choice = ToolOf(option, id);
      std::string agency = LeadAgencyOf(choice, *e);
      std::vector<std::string> stages = StagesOf(choice, *e);
      if (stages.empty()) stages.push_back(cat.stages.front().id);
      std::string cost = e->Field("cost"), lead_time = e->Field("lead_time");
      std::string resources = fmt::format("{} cost ({}), ready {}", cost.empty() ? "unknown" : cost,
                                          CostOrder(cost), LeadTimeText(lead_time));
      if (cat.NeedsArrival(*e)) {
        Task a;
        a.id = fmt::format("t-{}", plan.tasks.size() + 1);
        a.loe = l.id;
        bool military = e->Field("instrument") == "military";
        a.title = fmt::format("{} in place for: {}", military ? "Forces and equipment" : "Personnel and means",
                              e->title);
        a.agency = agency;
        a.stages = {stages.front()};
        a.resources = resources;
        a.arrival = fmt::format("{} for {} arrive {}, by the start of {}",
                                military ? "forces and equipment" : "personnel", e->title,
                                LeadTimeText(lead_time), stages.front());
        plan.tasks.push_back(std::move(a));
        subject.push_back(e);
        arrival.push_back(true);
      }
      Task t;
      t.id = fmt::format("t-{}", plan.tasks.size() + 1);
      t.loe = l.id;
      t.title = e->title;
      if (choice && !choice->target_actors.empty())
        t.title += " (aimed at " + JoinStrings(choice->target_actors, ", ") + ")";
      t.agency = agency;
      t.stages = stages;
      t.tool = id;
      t.resources = resources;
      if (!arrival.empty() && arrival.back() && subject.back() == e) t.depends_on.push_back(plan.tasks.back().id);
      plan.tasks.push_back(std::move(t));
      subject.push_back(e);
      arrival.push_back(false);
    }
  }
  return Status::Ok();
}

bool Builder::DependsOn(std::size_t a, std::size_t b) const {
  std::map<std::string_view, std::size_t> index;
  for (std::size_t k = 0; k < plan.tasks.size(); ++k) index.emplace(plan.tasks[k].id, k);
  std::vector<std::size_t> todo = {a};
  std::vector<bool> seen(plan.tasks.size(), false);
  while (!todo.empty()) {
    std::size_t x = todo.back();
    todo.pop_back();
    if (x == b) return true;
    if (seen[x]) continue;
    seen[x] = true;
    for (const auto& d : plan.tasks[x].depends_on)
      if (auto it = index.find(d); it != index.end()) todo.push_back(it->second);
  }
  return false;
}

void Builder::Dependencies() {
  // Rules in catalog order; an edge "a depends on b" is added when b's tool
  // matches the rule's before, a's matches its after, b starts no later than
  // a ends, and a does not already depend on b (directly or through others)
  // nor b on a (which would close a cycle).
  for (const DependencyRule& rule : cat.dependency_rules) {
    for (std::size_t a = 0; a < plan.tasks.size(); ++a) {
      const assess::ReferenceEntry* ta = subject[a];
      if (!rule.after.Matches(*ta, cat.TemplateForTool(*ta)->id)) continue;
      for (std::size_t b = 0; b < plan.tasks.size(); ++b) {
        const assess::ReferenceEntry* tb = subject[b];
        if (arrival[b] || tb == ta) continue;
        if (!rule.before.Matches(*tb, cat.TemplateForTool(*tb)->id)) continue;
        if (StageIndex(plan.tasks[b].stages.front()) > StageIndex(plan.tasks[a].stages.back())) continue;
        // The tool task of an arrival already waits for the arrival, which
        // carries the rule's edges.
        if (!arrival[a] && a > 0 && arrival[a - 1] && subject[a - 1] == ta) continue;
        if (DependsOn(a, b) || DependsOn(b, a)) continue;
        plan.tasks[a].depends_on.push_back(plan.tasks[b].id);
      }
    }
  }
}

std::vector<std::string> Builder::TaskStages(int min_approach, std::string_view instrument) const {
  std::set<int> idx;
  for (std::size_t i = 0; i < plan.tasks.size(); ++i) {
    if (ApproachRankOf(subject[i]->Field("approach")) < min_approach) continue;
    if (!instrument.empty() && subject[i]->Field("instrument") != instrument) continue;
    for (const auto& s : plan.tasks[i].stages) idx.insert(StageIndex(s));
  }
  std::vector<std::string> out;
  for (int i : idx) out.push_back(assess::kPlanStages[i]);
  return out;
}

void Builder::Branches() {
  std::vector<std::string> stages = TaskStages();
  for (const auto& a : file.assumptions) {
    if (a.status != "unvalidated") continue;
    BranchPlan b;
    b.id = fmt::format("b-{}", plan.branches.size() + 1);
    std::string text = a.text.size() > 70 ? a.text.substr(0, 67) + "..." : a.text;
    b.title = "If the assumption fails: " + text;
    b.assumption_id = a.id;
    b.condition = fmt::format("Assumption {} proves false: {}", a.id, a.text);
    b.response =
        "Reassess the lines of effort that rest on this assumption, bring forward the decision points it affects "
        "and prepare the tools of the next stronger approach.";
    b.stages = stages;
    // A critical alert for the country puts every planning assumption in question.
    b.watch_detectors = {"threshold", "cusum"};
    b.min_severity = "critical";
    plan.branches.push_back(std::move(b));
  }
  // Escalation to a stronger option.
  BranchPlan b;
  b.id = fmt::format("b-{}", plan.branches.size() + 1);
  int rank = ApproachRankOf(option.approach);
  static const char* const kNext[] = {"compellence", "intervention", "intervention"};
  std::string next = kNext[std::clamp(rank, 0, 2)];
  b.title = rank >= 2 ? "Escalation: expand the intervention"
                      : (next == "intervention" ? "Escalation to an intervention option"
                                                : "Escalation to a compellence option");
  b.condition = option.escalation_triggers.empty()
                    ? "Violence against civilians rises despite the plan, or the plan's tools fail to change the "
                      "perpetrators' conduct"
                    : JoinStrings(option.escalation_triggers, "; ");
  std::vector<std::string> suggestions;
  if (rank < 2) {
    // Up to one tool per instrument of the next approach not in the option.
    for (const char* instrument : assess::kInstruments) {
      for (const auto& e : dime.entries) {
        if (e.Field("instrument") != instrument || e.Field("approach") != next || ToolOf(option, e.id)) continue;
        suggestions.push_back(e.title);
        break;
      }
    }
    b.response = fmt::format("Propose a stronger option to the decision makers ({} approach){}.", next,
                             suggestions.empty() ? "" : ", e.g. " + JoinStrings(suggestions, ", "));
  } else {
    // Already intervening: up to three high-cost military intervention tools not yet used.
    for (const auto& e : dime.entries) {
      if (suggestions.size() == 3) break;
      if (e.Field("instrument") == "military" && e.Field("approach") == "intervention" && e.Field("cost") == "high" &&
          !ToolOf(option, e.id))
        suggestions.push_back(e.title);
    }
    b.response = fmt::format("Propose more forces or a broader mandate to the decision makers{}.",
                             suggestions.empty() ? "" : ", e.g. " + JoinStrings(suggestions, ", "));
  }
  for (const char* s : {"IB", "IC", "IIA"}) b.stages.push_back(s);
  b.watch_detectors = {"threshold", "cusum", "new-pair", "spread"};
  b.min_severity = "high";
  plan.branches.push_back(std::move(b));
}

void Builder::DecisionPointsFromCatalog() {
  // Host-nation role: inferred from the case's actors (a state actor holding
  // a perpetrator role makes the host nation an adversary).
  bool adversary = false;
  for (const auto& a : file.actors)
    if (a.kind == "state" &&
        HoldsRole(a, {"perpetrator-architect", "perpetrator-facilitator", "perpetrator-rank-and-file"}))
      adversary = true;
  auto fits = [&](const std::string& cond) {
    if (cond == "always") return true;
    if (cond == "military-approach") return !option.military_approach.empty();
    auto colon = cond.find(':');
    std::string key = cond.substr(0, colon), val = cond.substr(colon + 1);
    if (key == "approach") return option.approach == val;
    if (key == "role") return option.role == val;
    if (key == "tool") return ToolOf(option, val) != nullptr;
    if (key == "host") return val == (adversary ? "adversary" : "partner");
    if (key == "instrument" || key == "loe") {
      for (const auto& t : plan.tasks) {
        if (t.tool.empty()) continue;
        const assess::ReferenceEntry* e = dime.Find(t.tool);
        if (key == "instrument" && e->Field("instrument") == val) return true;
        if (key == "loe" && cat.TemplateForTool(*e)->id == val) return true;
      }
      if (key == "loe")
        for (const auto& l : plan.loes)
          if (const LoeTemplate* t = cat.Template(val); t && t->title == l.title) return true;
    }
    return false;
  };
  for (const DecisionPointKind& k : DecisionPoints().entries) {
    if (!std::any_of(k.fits_when.begin(), k.fits_when.end(), fits)) continue;
    DecisionPoint d;
    d.id = fmt::format("dp-{}", plan.decision_points.size() + 1);
    d.kind = k.id;
    d.question = k.question;
    d.who_decides = k.who_decides;
    d.stages = k.stages;
    d.trigger = k.trigger;
    d.watch_detectors = k.watch_detectors;
    d.min_severity = k.min_severity;
    plan.decision_points.push_back(std::move(d));
  }
}

void Builder::ExpectedActions() {
  for (const auto& a : file.actors) {
    std::vector<const assess::ActorRole*> roles = a.RolesOn();
    for (const char* stage : assess::kPlanStages) {
      std::map<std::string, std::vector<std::string>> texts;  // category -> texts
      for (const assess::ActorRole* r : roles) {
        const ActorExpectation* x = cat.Expectation(r->role);
        if (x == nullptr) continue;
        AddUnique(&texts[x->category], x->by_stage.at(stage));
      }
      for (const char* category : {"perpetrators", "other-actors"}) {
        auto it = texts.find(category);
        if (it == texts.end()) continue;
        plan.expected_actions.push_back({a.name, category, stage, JoinStrings(it->second, "; ")});
      }
    }
  }
}

void Builder::InfoAndRisks() {
  // Open CIRs are needed from the plan's first stage through crisis management.
  std::vector<std::string> all = TaskStages();
  std::vector<std::string> early;
  for (const auto& s : all)
    if (StageIndex(s) <= StageIndex("IC")) early.push_back(s);
  if (early.empty() && !all.empty()) early.push_back(all.front());
  if (early.empty()) early.push_back("IA");
  for (const auto& c : file.cirs) {
    if (c.status != "open") continue;
    plan.info_requirements.push_back({fmt::format("CIR {} (priority {}): {}", c.id, c.priority, c.question), early,
                                      fmt::format("cir:{}", c.id)});
  }
  // Risks sit in the stages of the tools that raise them (docs/plan.md).
  static const std::set<std::string> kForceRisks = {"collateral-damage", "losses", "quagmire",
                                                    "anti-intervener-sentiment"};
  static const std::set<std::string> kCoercionRisks = {"unintended-escalation", "nationalist-resistance",
                                                       "coalition-fissures", "negative-second-order-effects"};
  for (const auto& r : option.risks) {
    std::vector<std::string> stages;
    if (kForceRisks.count(r.id)) stages = TaskStages(1, "military");
    if (stages.empty() && (kForceRisks.count(r.id) || kCoercionRisks.count(r.id))) stages = TaskStages(1);
    if (stages.empty()) stages = all;
    std::string text = fmt::format("{} (likelihood {}, impact {})", r.title.empty() ? r.id : r.title,
                                   r.likelihood.empty() ? "?" : r.likelihood, r.impact.empty() ? "?" : r.impact);
    if (!r.mitigations.empty()) text += "; mitigation: " + JoinStrings(r.mitigations, "; ");
    plan.risks.push_back({text, stages, "risk:" + r.id});
  }
}

}  // namespace

Result<Plan> BuildPlan(const assess::CaseFile& file, const options::OptionPackage& option,
                       const PolicyStatement& policy) {
  if (policy.status != "approved")
    return Status::FailedPrecondition(fmt::format(
        "policy statement version {} is '{}', not approved: approve it first (vigil policy approve)", policy.version,
        policy.status));
  if (policy.option_id != 0 && option.id != 0 && policy.option_id != option.id)
    return Status::InvalidArgument(fmt::format("policy statement version {} implements option id {}, not option {} (id {})",
                                               policy.version, policy.option_id, option.number, option.id));
  VIGIL_RETURN_IF_ERROR(ValidatePolicy(policy, /*for_approval=*/true));

  Builder b{file, option, policy, PlanStages(), Dime(), Plan{}, {}, {}};
  b.plan.case_id = file.info.id;
  b.plan.policy_version = policy.version;
  b.plan.goal = policy.goal;
  b.plan.objectives = policy.objectives;
  b.plan.loes = policy.loes;
  b.plan.note = fmt::format("built from policy statement version {} (option {})", policy.version, option.number);
  b.Stages();
  VIGIL_RETURN_IF_ERROR(b.Tasks());
  b.Dependencies();
  // Resources per LOE: keep the policy's, else the order of magnitude of its tools.
  for (auto& l : b.plan.loes) {
    if (!l.resources.empty()) continue;
    std::vector<const assess::ReferenceEntry*> entries;
    for (const auto& t : l.tools) entries.push_back(b.dime.Find(t));
    l.resources = ResourcesOf(entries);
  }
  b.Branches();
  b.DecisionPointsFromCatalog();
  b.ExpectedActions();
  b.InfoAndRisks();
  Status st = ValidatePlan(b.plan);
  if (!st.ok()) return Status::Internal("built plan is invalid (a bug): " + st.message());
  return std::move(b.plan);
}

// ---- FlagAlerts ------------------------------------------------------------------------

namespace {

// Months since year 0 of "YYYY-MM", or -1.
int MonthNumber(std::string_view m) {
  if (m.size() < 7 || m[4] != '-') return -1;
  int y = 0, mo = 0;
  for (int i = 0; i < 4; ++i) {
    if (m[i] < '0' || m[i] > '9') return -1;
    y = y * 10 + (m[i] - '0');
  }
  for (int i = 5; i < 7; ++i) {
    if (m[i] < '0' || m[i] > '9') return -1;
    mo = mo * 10 + (m[i] - '0');
  }
  return y * 12 + mo - 1;
}

std::string Describe(const assess::CaseLinks::AlertLink& a) {
  std::string s = fmt::format("alert {} ({}, {}, {})", a.id, a.detector, a.severity, a.month);
  if (!a.summary.empty()) s += ": " + a.summary;
  return s;
}

void Touch(std::vector<PlanFlag>* flags, std::string_view kind, const std::string& id, const std::string& title,
           const assess::CaseLinks::AlertLink& a) {
  for (auto& f : *flags)
    if (f.kind == kind && f.id == id) {
      f.alert_ids.push_back(a.id);
      f.reason += "; " + Describe(a);
      return;
    }
  flags->push_back({std::string(kind), id, title, {a.id}, Describe(a)});
}

}  // namespace

std::vector<PlanFlag> FlagAlerts(const Plan& plan, const std::vector<assess::CaseLinks::AlertLink>& alerts,
                                 std::string_view since_month) {
  std::vector<const assess::CaseLinks::AlertLink*> live;
  for (const auto& a : alerts) {
    if (a.status == "dismissed") continue;
    if (!since_month.empty() && a.month < since_month) continue;
    live.push_back(&a);
  }
  std::vector<PlanFlag> flags;
  for (const auto& d : plan.decision_points) {
    if (d.status == "decided") continue;
    for (const auto* a : live)
      if (Contains(d.watch_detectors, a->detector) && SeverityRank(a->severity) >= SeverityRank(d.min_severity))
        Touch(&flags, "decision-point", d.id, d.question, *a);
  }
  for (const auto& b : plan.branches) {
    for (const auto* a : live)
      if (Contains(b.watch_detectors, a->detector) && SeverityRank(a->severity) >= SeverityRank(b.min_severity))
        Touch(&flags, "branch", b.id, b.title, *a);
  }

  // Stage suggestion.
  int cur = StageIndex(plan.current_stage.empty() ? "IA" : plan.current_stage);
  if (cur < 0) cur = 0;
  int high = SeverityRank("high"), critical = SeverityRank("critical");
  int newest = -1;
  for (const auto* a : live) newest = std::max(newest, MonthNumber(a->month));
  std::vector<const assess::CaseLinks::AlertLink*> to_iia, to_ic;
  std::set<int> recent_high_months;
  bool any_critical = false;
  for (const auto* a : live) {
    int sev = SeverityRank(a->severity);
    if (sev < high) continue;
    to_ic.push_back(a);
    int m = MonthNumber(a->month);
    if (sev >= critical) any_critical = true;
    if (m >= 0 && newest - m <= 2) recent_high_months.insert(m);
  }
  bool go_iia = any_critical || recent_high_months.size() >= 2;
  const int kIC = StageIndex("IC"), kIIA = StageIndex("IIA");
  std::string suggest;
  std::vector<const assess::CaseLinks::AlertLink*> why;
  if (cur < kIIA && go_iia) {
    suggest = "IIA";
    for (const auto* a : to_ic) {
      int m = MonthNumber(a->month);
      if (SeverityRank(a->severity) >= critical || (m >= 0 && newest - m <= 2)) why.push_back(a);
    }
  } else if (cur < kIC && !to_ic.empty()) {
    suggest = "IC";
    why = to_ic;
  }
  if (!suggest.empty()) {
    PlanFlag f;
    f.kind = "stage";
    f.id = suggest;
    f.title = fmt::format("{} -> {}", assess::kPlanStages[cur], suggest);
    std::vector<std::string> parts;
    for (const auto* a : why) {
      f.alert_ids.push_back(a->id);
      parts.push_back(Describe(*a));
    }
    std::string rule = suggest == "IIA"
                           ? (any_critical ? "a critical alert before stage IIA"
                                           : "high alerts in 2 or more of the last 3 months before stage IIA")
                           : "a high alert in stage IA or IB";
    f.reason = fmt::format("{} suggests {}: {}", rule, suggest, JoinStrings(parts, "; "));
    flags.push_back(std::move(f));
  }
  return flags;
}

}  // namespace vigil::plan
