// Vocabularies, JSON, plan queries, validation and execution status of
// plan/plan.h. Drafting and building live in builder.cc, the
// synchronization matrix in sync_matrix.cc.
#include "plan/plan.h"

#include <fmt/format.h>

#include <algorithm>
#include <functional>
#include <map>
#include <set>
#include <utility>

#include "core/vocab.h"
#include "assess/frameworks.h"
#include "plan/json_reader.h"
#include "plan/plan_catalog.h"
#include "store/alert_store.h"

namespace vigil::plan {

using nlohmann::json;

namespace {

json Strings(const std::vector<std::string>& v) {
  json a = json::array();
  for (const auto& s : v) a.push_back(s);
  return a;
}

using Reader = internal::JsonReader;

LineOfEffort LoeFrom(Reader& r, const json& j, const std::string& p) {
  LineOfEffort l;
  r.String(j, p, "id", &l.id);
  r.String(j, p, "title", &l.title);
  r.String(j, p, "lead", &l.lead);
  r.Strings(j, p, "supporting", &l.supporting);
  r.String(j, p, "description", &l.description);
  r.Integer(j, p, "priority", &l.priority);
  r.String(j, p, "resources", &l.resources);
  r.Strings(j, p, "tools", &l.tools);
  return l;
}

json ToJson(const PlanStage& s) {
  return {{"id", s.id}, {"objective", s.objective}, {"transition_conditions", Strings(s.transition_conditions)}};
}
json ToJson(const Task& t) {
  return {{"id", t.id},       {"loe", t.loe},       {"title", t.title},
          {"agency", t.agency}, {"stages", Strings(t.stages)}, {"depends_on", Strings(t.depends_on)},
          {"tool", t.tool},   {"resources", t.resources}, {"arrival", t.arrival}};
}
json ToJson(const BranchPlan& b) {
  return {{"id", b.id},
          {"title", b.title},
          {"assumption_id", b.assumption_id},
          {"condition", b.condition},
          {"response", b.response},
          {"stages", Strings(b.stages)},
          {"watch_detectors", Strings(b.watch_detectors)},
          {"min_severity", b.min_severity},
          {"status", b.status}};
}
json ToJson(const DecisionPoint& d) {
  return {{"id", d.id},
          {"kind", d.kind},
          {"question", d.question},
          {"who_decides", d.who_decides},
          {"stages", Strings(d.stages)},
          {"trigger", d.trigger},
          {"watch_detectors", Strings(d.watch_detectors)},
          {"min_severity", d.min_severity},
          {"status", d.status}};
}
json ToJson(const ExpectedAction& a) {
  return {{"actor", a.actor}, {"category", a.category}, {"stage", a.stage}, {"text", a.text}};
}
json ToJson(const StageItem& s) { return {{"text", s.text}, {"stages", Strings(s.stages)}, {"ref", s.ref}}; }

StageItem StageItemFrom(Reader& r, const json& j, const std::string& p) {
  StageItem s;
  r.String(j, p, "text", &s.text);
  r.Strings(j, p, "stages", &s.stages);
  r.String(j, p, "ref", &s.ref);
  return s;
}

}  // namespace

// ---- Vocabularies ----------------------------------------------------------------

bool IsConsiderationCategory(std::string_view s) { return In(kConsiderationCategories, s); }
bool IsDecisionKind(std::string_view s) { return In(kDecisionKinds, s); }
bool IsDecisionOutcome(std::string_view s) { return In(kDecisionOutcomes, s); }
bool IsExecutionStatus(std::string_view s) { return In(kExecutionStatuses, s); }
bool IsStage(std::string_view s) { return StageIndex(s) >= 0; }
int StageIndex(std::string_view stage) {
  int i = 0;
  for (const char* s : assess::kPlanStages) {
    if (stage == s) return i;
    ++i;
  }
  return -1;
}

// ---- Plan queries ----------------------------------------------------------------

const Task* Plan::FindTask(std::string_view id) const {
  for (const Task& t : tasks)
    if (t.id == id) return &t;
  return nullptr;
}

const LineOfEffort* Plan::FindLoe(std::string_view id) const {
  for (const LineOfEffort& l : loes)
    if (l.id == id) return &l;
  return nullptr;
}

std::vector<const Task*> Plan::Sequence() const {
  // Kahn's algorithm; among the ready tasks the one stored first goes next.
  // Dependencies on unknown ids are ignored; tasks on a cycle (ValidatePlan
  // rejects those) follow the others in stored order.
  std::map<std::string_view, std::size_t> index;
  for (std::size_t i = 0; i < tasks.size(); ++i) index.emplace(tasks[i].id, i);
  std::vector<int> pending(tasks.size(), 0);
  std::vector<std::vector<std::size_t>> dependents(tasks.size());
  for (std::size_t i = 0; i < tasks.size(); ++i) {
    std::set<std::size_t> seen;
    for (const std::string& d : tasks[i].depends_on) {
      auto it = index.find(d);
      if (it == index.end() || it->second == i || !seen.insert(it->second).second) continue;
      ++pending[i];
      dependents[it->second].push_back(i);
    }
  }
  std::set<std::size_t> ready;
  for (std::size_t i = 0; i < tasks.size(); ++i)
    if (pending[i] == 0) ready.insert(i);
  std::vector<const Task*> out;
  std::vector<bool> done(tasks.size(), false);
  while (!ready.empty()) {
    std::size_t i = *ready.begin();
    ready.erase(ready.begin());
    out.push_back(&tasks[i]);
    done[i] = true;
    for (std::size_t d : dependents[i])
      if (--pending[d] == 0) ready.insert(d);
  }
  for (std::size_t i = 0; i < tasks.size(); ++i)
    if (!done[i]) out.push_back(&tasks[i]);
  return out;
}

// ---- Execution ---------------------------------------------------------------------

std::vector<StatusEntry> CurrentStatus(const std::vector<StatusEntry>& history) {
  // The latest entry per target: the greatest as_of, ties to the one recorded
  // later (higher id, or later in the history). Targets keep the order in
  // which they first appear.
  std::vector<StatusEntry> out;
  std::map<std::string, std::size_t> at;
  for (const StatusEntry& s : history) {
    auto it = at.find(s.target);
    if (it == at.end()) {
      at.emplace(s.target, out.size());
      out.push_back(s);
      continue;
    }
    StatusEntry& cur = out[it->second];
    if (s.as_of > cur.as_of || (s.as_of == cur.as_of && (s.id >= cur.id))) cur = s;
  }
  return out;
}

// ---- Validation --------------------------------------------------------------------

namespace {

// "loe-3", "t-12": prefix, hyphen, a positive number without leading zeros.
bool WellFormedId(std::string_view id, std::string_view prefix) {
  if (id.size() <= prefix.size() + 1 || id.substr(0, prefix.size()) != prefix || id[prefix.size()] != '-')
    return false;
  std::string_view num = id.substr(prefix.size() + 1);
  if (num[0] == '0') return false;
  return std::all_of(num.begin(), num.end(), [](char c) { return c >= '0' && c <= '9'; });
}

bool Blank(std::string_view s) {
  return std::all_of(s.begin(), s.end(), [](char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; });
}

Status CheckStages(const std::vector<std::string>& stages, const std::string& path, bool need_one) {
  if (need_one && stages.empty()) return Status::InvalidArgument(path + ": needs at least one stage");
  for (std::size_t i = 0; i < stages.size(); ++i)
    if (!IsStage(stages[i]))
      return Status::InvalidArgument(fmt::format("{}[{}]: unknown stage '{}' (one of {})", path, i, stages[i],
                                                 ListOf(assess::kPlanStages)));
  return Status::Ok();
}

Status CheckTool(const std::string& tool, const std::string& path) {
  const assess::ReferenceCatalog* dime = assess::FindReferenceCatalog("dime");
  if (dime == nullptr) return Status::Internal("the dime catalog is not embedded");
  if (dime->Find(tool) == nullptr)
    return Status::InvalidArgument(
        fmt::format("{}: unknown tool '{}' (see vigil catalog show dime)", path, tool));
  return Status::Ok();
}

Status CheckLoes(const std::vector<LineOfEffort>& loes) {
  std::set<std::string> ids;
  for (std::size_t i = 0; i < loes.size(); ++i) {
    const LineOfEffort& l = loes[i];
    std::string p = fmt::format("loes[{}]", i);
    if (!WellFormedId(l.id, "loe"))
      return Status::InvalidArgument(fmt::format("{}.id: '{}' is not of the form loe-N", p, l.id));
    if (!ids.insert(l.id).second) return Status::InvalidArgument(fmt::format("{}.id: duplicate id '{}'", p, l.id));
    if (Blank(l.title)) return Status::InvalidArgument(p + ".title: missing");
    if (Blank(l.lead)) return Status::InvalidArgument(p + ".lead: missing (the lead agency)");
    if (l.priority < 1) return Status::InvalidArgument(fmt::format("{}.priority: {} is not >= 1", p, l.priority));
    for (std::size_t k = 0; k < l.supporting.size(); ++k)
      if (Blank(l.supporting[k])) return Status::InvalidArgument(fmt::format("{}.supporting[{}]: empty", p, k));
    for (std::size_t k = 0; k < l.tools.size(); ++k)
      VIGIL_RETURN_IF_ERROR(CheckTool(l.tools[k], fmt::format("{}.tools[{}]", p, k)));
  }
  return Status::Ok();
}

Status CheckWatch(const std::vector<std::string>& detectors, const std::string& severity, const std::string& p) {
  for (std::size_t i = 0; i < detectors.size(); ++i)
    if (!IsDetector(detectors[i]))
      return Status::InvalidArgument(fmt::format(
          "{}.watch_detectors[{}]: unknown detector '{}' (one of threshold, cusum, new-pair, spread)", p, i,
          detectors[i]));
  if (!In(store::kAlertSeverities, severity))
    return Status::InvalidArgument(fmt::format("{}.min_severity: '{}' is not one of {}", p, severity,
                                               ListOf(store::kAlertSeverities)));
  return Status::Ok();
}

}  // namespace

Status ValidatePolicy(const PolicyStatement& p, bool for_approval) {
  if (!In(kPolicyStatuses, p.status))
    return Status::InvalidArgument(fmt::format("status: '{}' is not one of {}", p.status, ListOf(kPolicyStatuses)));
  if (Blank(p.goal)) return Status::InvalidArgument("goal: missing");
  if (p.objectives.empty()) return Status::InvalidArgument("objectives: needs at least one strategic objective");
  for (std::size_t i = 0; i < p.objectives.size(); ++i)
    if (Blank(p.objectives[i])) return Status::InvalidArgument(fmt::format("objectives[{}]: empty", i));
  VIGIL_RETURN_IF_ERROR(CheckLoes(p.loes));
  for (std::size_t i = 0; i < p.considerations.size(); ++i) {
    const Consideration& c = p.considerations[i];
    if (!IsConsiderationCategory(c.category))
      return Status::InvalidArgument(fmt::format("considerations[{}].category: '{}' is not one of {}", i, c.category,
                                                 ListOf(kConsiderationCategories)));
    if (Blank(c.text)) return Status::InvalidArgument(fmt::format("considerations[{}].text: missing", i));
  }
  if (for_approval && (p.loes.size() < 4 || p.loes.size() > 10))
    return Status::InvalidArgument(
        fmt::format("loes: a policy statement for approval needs 4 to 10 lines of effort, not {}", p.loes.size()));
  return Status::Ok();
}

Status ValidatePlan(const Plan& p) {
  if (!p.current_stage.empty() && !IsStage(p.current_stage))
    return Status::InvalidArgument(fmt::format("current_stage: unknown stage '{}' (one of {})", p.current_stage,
                                               ListOf(assess::kPlanStages)));
  for (std::size_t i = 0; i < p.objectives.size(); ++i)
    if (Blank(p.objectives[i])) return Status::InvalidArgument(fmt::format("objectives[{}]: empty", i));
  {
    std::set<std::string> seen;
    for (std::size_t i = 0; i < p.stages.size(); ++i) {
      const PlanStage& s = p.stages[i];
      if (!IsStage(s.id))
        return Status::InvalidArgument(fmt::format("stages[{}].id: unknown stage '{}' (one of {})", i, s.id,
                                                   ListOf(assess::kPlanStages)));
      if (!seen.insert(s.id).second)
        return Status::InvalidArgument(fmt::format("stages[{}].id: stage '{}' is listed twice", i, s.id));
    }
  }
  VIGIL_RETURN_IF_ERROR(CheckLoes(p.loes));

  // Tasks: ids, fields, then dependencies.
  std::map<std::string, std::size_t> task_index;
  for (std::size_t i = 0; i < p.tasks.size(); ++i) {
    const Task& t = p.tasks[i];
    std::string path = fmt::format("tasks[{}]", i);
    if (!WellFormedId(t.id, "t"))
      return Status::InvalidArgument(fmt::format("{}.id: '{}' is not of the form t-N", path, t.id));
    if (!task_index.emplace(t.id, i).second)
      return Status::InvalidArgument(fmt::format("{}.id: duplicate id '{}'", path, t.id));
    if (p.FindLoe(t.loe) == nullptr)
      return Status::InvalidArgument(fmt::format("{}.loe: unknown line of effort '{}' of task {}", path, t.loe, t.id));
    if (Blank(t.title)) return Status::InvalidArgument(fmt::format("{}.title: missing (task {})", path, t.id));
    if (Blank(t.agency)) return Status::InvalidArgument(fmt::format("{}.agency: missing (task {})", path, t.id));
    VIGIL_RETURN_IF_ERROR(CheckStages(t.stages, path + ".stages", true));
    if (!t.tool.empty()) VIGIL_RETURN_IF_ERROR(CheckTool(t.tool, path + ".tool"));
  }
  for (std::size_t i = 0; i < p.tasks.size(); ++i) {
    const Task& t = p.tasks[i];
    for (std::size_t k = 0; k < t.depends_on.size(); ++k) {
      const std::string& d = t.depends_on[k];
      if (d == t.id)
        return Status::InvalidArgument(fmt::format("tasks[{}].depends_on[{}]: task {} depends on itself", i, k, t.id));
      if (!task_index.count(d))
        return Status::InvalidArgument(
            fmt::format("tasks[{}].depends_on[{}]: unknown task '{}' (task {})", i, k, d, t.id));
    }
  }
  // Cycle detection: depth-first search with colours; on a back edge the
  // cycle is the stack from the target back to it.
  {
    std::vector<int> colour(p.tasks.size(), 0);  // 0 new, 1 on stack, 2 done
    std::vector<std::size_t> stack;
    std::vector<std::size_t> cycle;
    std::function<bool(std::size_t)> visit = [&](std::size_t i) -> bool {
      colour[i] = 1;
      stack.push_back(i);
      for (const std::string& d : p.tasks[i].depends_on) {
        std::size_t j = task_index.at(d);
        if (colour[j] == 1) {
          auto from = std::find(stack.begin(), stack.end(), j);
          cycle.assign(from, stack.end());
          cycle.push_back(j);
          return true;
        }
        if (colour[j] == 0 && visit(j)) return true;
      }
      stack.pop_back();
      colour[i] = 2;
      return false;
    };
    for (std::size_t i = 0; i < p.tasks.size(); ++i) {
      if (colour[i] != 0 || !visit(i)) continue;
      // The DFS follows "depends on" edges; print the cycle in that direction.
      std::string names;
      for (std::size_t k : cycle) {
        if (!names.empty()) names += " -> ";
        names += p.tasks[k].id;
      }
      return Status::InvalidArgument("tasks: dependency cycle " + names + " (each depends on the next)");
    }
  }

  std::set<std::string> ids;
  for (std::size_t i = 0; i < p.branches.size(); ++i) {
    const BranchPlan& b = p.branches[i];
    std::string path = fmt::format("branches[{}]", i);
    if (!WellFormedId(b.id, "b"))
      return Status::InvalidArgument(fmt::format("{}.id: '{}' is not of the form b-N", path, b.id));
    if (!ids.insert(b.id).second) return Status::InvalidArgument(fmt::format("{}.id: duplicate id '{}'", path, b.id));
    if (Blank(b.title)) return Status::InvalidArgument(path + ".title: missing");
    if (b.assumption_id < 0) return Status::InvalidArgument(path + ".assumption_id: must be >= 0");
    VIGIL_RETURN_IF_ERROR(CheckStages(b.stages, path + ".stages", false));
    VIGIL_RETURN_IF_ERROR(CheckWatch(b.watch_detectors, b.min_severity, path));
    if (b.status != "inactive" && b.status != "active")
      return Status::InvalidArgument(fmt::format("{}.status: '{}' is not one of inactive, active", path, b.status));
  }
  for (std::size_t i = 0; i < p.decision_points.size(); ++i) {
    const DecisionPoint& d = p.decision_points[i];
    std::string path = fmt::format("decision_points[{}]", i);
    if (!WellFormedId(d.id, "dp"))
      return Status::InvalidArgument(fmt::format("{}.id: '{}' is not of the form dp-N", path, d.id));
    if (!ids.insert(d.id).second) return Status::InvalidArgument(fmt::format("{}.id: duplicate id '{}'", path, d.id));
    if (!d.kind.empty() && DecisionPoints().Find(d.kind) == nullptr)
      return Status::InvalidArgument(fmt::format(
          "{}.kind: unknown decision-point kind '{}' (see catalog/decision-points.json)", path, d.kind));
    if (Blank(d.question)) return Status::InvalidArgument(path + ".question: missing");
    if (Blank(d.who_decides)) return Status::InvalidArgument(path + ".who_decides: missing");
    VIGIL_RETURN_IF_ERROR(CheckStages(d.stages, path + ".stages", false));
    VIGIL_RETURN_IF_ERROR(CheckWatch(d.watch_detectors, d.min_severity, path));
    if (d.status != "open" && d.status != "decided")
      return Status::InvalidArgument(fmt::format("{}.status: '{}' is not one of open, decided", path, d.status));
  }
  for (std::size_t i = 0; i < p.expected_actions.size(); ++i) {
    const ExpectedAction& a = p.expected_actions[i];
    std::string path = fmt::format("expected_actions[{}]", i);
    if (Blank(a.actor)) return Status::InvalidArgument(path + ".actor: missing");
    if (a.category != "perpetrators" && a.category != "other-actors")
      return Status::InvalidArgument(
          fmt::format("{}.category: '{}' is not one of perpetrators, other-actors", path, a.category));
    if (!IsStage(a.stage))
      return Status::InvalidArgument(fmt::format("{}.stage: unknown stage '{}' (one of {})", path, a.stage,
                                                 ListOf(assess::kPlanStages)));
    if (Blank(a.text)) return Status::InvalidArgument(path + ".text: missing");
  }
  for (const auto& [name, items] : {std::pair{"info_requirements", &p.info_requirements}, std::pair{"risks", &p.risks}}) {
    for (std::size_t i = 0; i < items->size(); ++i) {
      std::string path = fmt::format("{}[{}]", name, i);
      if (Blank((*items)[i].text)) return Status::InvalidArgument(path + ".text: missing");
      VIGIL_RETURN_IF_ERROR(CheckStages((*items)[i].stages, path + ".stages", false));
    }
  }
  return Status::Ok();
}

// ---- JSON ---------------------------------------------------------------------------

json ToJson(const LineOfEffort& l) {
  return {{"id", l.id},
          {"title", l.title},
          {"lead", l.lead},
          {"supporting", Strings(l.supporting)},
          {"description", l.description},
          {"priority", l.priority},
          {"resources", l.resources},
          {"tools", Strings(l.tools)}};
}

json ToJson(const PolicyStatement& p) {
  json loes = json::array(), cons = json::array();
  for (const auto& l : p.loes) loes.push_back(ToJson(l));
  for (const auto& c : p.considerations) cons.push_back({{"category", c.category}, {"text", c.text}});
  return {{"id", p.id},
          {"case_id", p.case_id},
          {"version", p.version},
          {"option_id", p.option_id},
          {"option_number", p.option_number},
          {"status", p.status},
          {"general", p.general},
          {"goal", p.goal},
          {"objectives", Strings(p.objectives)},
          {"loes", loes},
          {"considerations", cons},
          {"lead_official", p.lead_official},
          {"created_at", p.created_at},
          {"created_by", p.created_by}};
}

json ToJson(const Plan& p) {
  auto arr = [](const auto& v) {
    json a = json::array();
    for (const auto& x : v) a.push_back(ToJson(x));
    return a;
  };
  return {{"id", p.id},
          {"case_id", p.case_id},
          {"revision", p.revision},
          {"policy_version", p.policy_version},
          {"goal", p.goal},
          {"objectives", Strings(p.objectives)},
          {"stages", arr(p.stages)},
          {"loes", arr(p.loes)},
          {"tasks", arr(p.tasks)},
          {"branches", arr(p.branches)},
          {"decision_points", arr(p.decision_points)},
          {"expected_actions", arr(p.expected_actions)},
          {"info_requirements", arr(p.info_requirements)},
          {"risks", arr(p.risks)},
          {"current_stage", p.current_stage},
          {"note", p.note},
          {"created_at", p.created_at},
          {"created_by", p.created_by}};
}

json ToJson(const Decision& d) {
  return {{"id", d.id},           {"case_id", d.case_id},         {"kind", d.kind},
          {"subject", d.subject}, {"outcome", d.outcome},         {"decided_by", d.decided_by},
          {"decided_at", d.decided_at}, {"note", d.note},         {"recorded_by", d.recorded_by},
          {"recorded_at", d.recorded_at}};
}

json ToJson(const StatusEntry& s) {
  return {{"id", s.id},         {"plan_revision", s.plan_revision}, {"target", s.target},
          {"status", s.status}, {"note", s.note},                   {"as_of", s.as_of},
          {"author", s.author}, {"created_at", s.created_at}};
}

json ToJson(const PlanFlag& f) {
  json ids = json::array();
  for (auto id : f.alert_ids) ids.push_back(id);
  return {{"kind", f.kind}, {"id", f.id}, {"title", f.title}, {"alert_ids", ids}, {"reason", f.reason}};
}

json ToJson(const SyncMatrix& m) {
  json rows = json::array();
  for (const SyncRow& r : m.rows) rows.push_back({{"group", r.group}, {"label", r.label}, {"cells", Strings(r.cells)}});
  return {{"stages", Strings(m.stages)}, {"stage_titles", Strings(m.stage_titles)}, {"rows", rows}};
}

Result<PolicyStatement> PolicyFromJson(const json& j) {
  Reader r;
  PolicyStatement p;
  if (!r.Object(j, "policy statement")) return r.status();
  r.Integer(j, "", "id", &p.id);
  r.Integer(j, "", "case_id", &p.case_id);
  r.Integer(j, "", "version", &p.version);
  r.Integer(j, "", "option_id", &p.option_id);
  r.Integer(j, "", "option_number", &p.option_number);
  r.String(j, "", "status", &p.status);
  r.String(j, "", "general", &p.general);
  r.String(j, "", "goal", &p.goal);
  r.Strings(j, "", "objectives", &p.objectives);
  r.Array(j, "", "loes", [&](const json& e, const std::string& path) { p.loes.push_back(LoeFrom(r, e, path)); });
  r.Array(j, "", "considerations", [&](const json& e, const std::string& path) {
    Consideration c;
    r.String(e, path, "category", &c.category);
    r.String(e, path, "text", &c.text);
    p.considerations.push_back(std::move(c));
  });
  r.String(j, "", "lead_official", &p.lead_official);
  r.String(j, "", "created_at", &p.created_at);
  r.String(j, "", "created_by", &p.created_by);
  if (!r.ok()) return r.status();
  return p;
}

Result<Plan> PlanFromJson(const json& j) {
  Reader r;
  Plan p;
  if (!r.Object(j, "plan")) return r.status();
  r.Integer(j, "", "id", &p.id);
  r.Integer(j, "", "case_id", &p.case_id);
  r.Integer(j, "", "revision", &p.revision);
  r.Integer(j, "", "policy_version", &p.policy_version);
  r.String(j, "", "goal", &p.goal);
  r.Strings(j, "", "objectives", &p.objectives);
  r.Array(j, "", "stages", [&](const json& e, const std::string& path) {
    PlanStage s;
    r.String(e, path, "id", &s.id);
    r.String(e, path, "objective", &s.objective);
    r.Strings(e, path, "transition_conditions", &s.transition_conditions);
    p.stages.push_back(std::move(s));
  });
  r.Array(j, "", "loes", [&](const json& e, const std::string& path) { p.loes.push_back(LoeFrom(r, e, path)); });
  r.Array(j, "", "tasks", [&](const json& e, const std::string& path) {
    Task t;
    r.String(e, path, "id", &t.id);
    r.String(e, path, "loe", &t.loe);
    r.String(e, path, "title", &t.title);
    r.String(e, path, "agency", &t.agency);
    r.Strings(e, path, "stages", &t.stages);
    r.Strings(e, path, "depends_on", &t.depends_on);
    r.String(e, path, "tool", &t.tool);
    r.String(e, path, "resources", &t.resources);
    r.String(e, path, "arrival", &t.arrival);
    p.tasks.push_back(std::move(t));
  });
  r.Array(j, "", "branches", [&](const json& e, const std::string& path) {
    BranchPlan b;
    r.String(e, path, "id", &b.id);
    r.String(e, path, "title", &b.title);
    r.Integer(e, path, "assumption_id", &b.assumption_id);
    r.String(e, path, "condition", &b.condition);
    r.String(e, path, "response", &b.response);
    r.Strings(e, path, "stages", &b.stages);
    r.Strings(e, path, "watch_detectors", &b.watch_detectors);
    r.String(e, path, "min_severity", &b.min_severity);
    r.String(e, path, "status", &b.status);
    p.branches.push_back(std::move(b));
  });
  r.Array(j, "", "decision_points", [&](const json& e, const std::string& path) {
    DecisionPoint d;
    r.String(e, path, "id", &d.id);
    r.String(e, path, "kind", &d.kind);
    r.String(e, path, "question", &d.question);
    r.String(e, path, "who_decides", &d.who_decides);
    r.Strings(e, path, "stages", &d.stages);
    r.String(e, path, "trigger", &d.trigger);
    r.Strings(e, path, "watch_detectors", &d.watch_detectors);
    r.String(e, path, "min_severity", &d.min_severity);
    r.String(e, path, "status", &d.status);
    p.decision_points.push_back(std::move(d));
  });
  r.Array(j, "", "expected_actions", [&](const json& e, const std::string& path) {
    ExpectedAction a;
    r.String(e, path, "actor", &a.actor);
    r.String(e, path, "category", &a.category);
    r.String(e, path, "stage", &a.stage);
    r.String(e, path, "text", &a.text);
    p.expected_actions.push_back(std::move(a));
  });
  r.Array(j, "", "info_requirements",
          [&](const json& e, const std::string& path) { p.info_requirements.push_back(StageItemFrom(r, e, path)); });
  r.Array(j, "", "risks", [&](const json& e, const std::string& path) { p.risks.push_back(StageItemFrom(r, e, path)); });
  r.String(j, "", "current_stage", &p.current_stage);
  r.String(j, "", "note", &p.note);
  r.String(j, "", "created_at", &p.created_at);
  r.String(j, "", "created_by", &p.created_by);
  if (!r.ok()) return r.status();
  return p;
}

}  // namespace vigil::plan
