#include "report/planning_products.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <iterator>
#include <map>
#include <set>
#include <string_view>

#include "assess/frameworks.h"
#include "options/generator.h"
#include "options/option_repo.h"
#include "report/product_util.h"

namespace vigil::report {

namespace {

using options::OptionPackage;
using product::Doc;
using product::Join;
using product::kNotRecorded;
using product::Render;
using product::Subtitle;
using Rows = std::vector<std::vector<std::string>>;

// ---- Small pieces ---------------------------------------------------------------------

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

bool SameOrg(std::string_view a, std::string_view b) { return !a.empty() && Lower(a) == Lower(b); }

std::string OptionLabel(const OptionPackage& o) { return fmt::format("Option {}: {}", o.number, o.title); }

const OptionPackage* OptionById(const PlanningData& p, std::int64_t id) {
  for (const auto& o : p.options) {
    if (o.id == id) return &o;
  }
  return nullptr;
}

// The option a decision's subject names ("2", "#2", "option-2").
const OptionPackage* OptionBySubject(const PlanningData& p, std::string subject) {
  if (!subject.empty() && subject[0] == '#') subject.erase(0, 1);
  if (subject.rfind("option-", 0) == 0) subject.erase(0, 7);
  for (const auto& o : p.options) {
    if (std::to_string(o.number) == subject) return &o;
  }
  return nullptr;
}

std::string OptionRef(const PlanningData& p, std::int64_t id) {
  const OptionPackage* o = OptionById(p, id);
  return o ? OptionLabel(*o) : fmt::format("option id {} (withdrawn or removed)", id);
}

const OptionPackage* ApprovedOption(const PlanningData& p) {
  if (p.policy) {
    if (const OptionPackage* o = OptionById(p, p.policy->option_id)) return o;
  }
  for (const auto& o : p.options) {
    if (o.status == "approved") return &o;
  }
  return nullptr;
}

std::string Recorded(const plan::Decision& x) {
  if (x.recorded_by.empty() && x.recorded_at.empty()) return kNotRecorded;
  return x.recorded_at.empty() ? x.recorded_by : x.recorded_by + " (" + x.recorded_at + ")";
}

std::string DecisionSubject(const PlanningData& p, const plan::Decision& x) {
  if (x.kind == "option" || x.kind == "options-review") {
    if (const OptionPackage* o = OptionBySubject(p, x.subject)) return OptionLabel(*o);
  }
  if (x.kind == "policy") return "policy statement version " + x.subject;
  if (x.kind == "plan") return "plan revision " + x.subject;
  if (p.plan && x.kind == "decision-point") {
    for (const auto& dp : p.plan->decision_points) {
      if (dp.id == x.subject) return dp.id + ": " + dp.question;
    }
  }
  if (p.plan && x.kind == "branch") {
    for (const auto& b : p.plan->branches) {
      if (b.id == x.subject) return b.id + ": " + b.title;
    }
  }
  return x.subject;
}

// The decisions that `keep` selects, as a table: who decided, when, and who
// recorded them.
template <typename Keep>
void DecisionsWhere(Doc& doc, const PlanningData& p, Keep keep) {
  Rows rows;
  for (const auto& x : p.decisions) {
    if (keep(x)) rows.push_back({x.kind, DecisionSubject(p, x), x.outcome, x.decided_by, x.decided_at, Recorded(x), x.note});
  }
  doc.Table({"Decision", "Subject", "Outcome", "Decided by", "Decided on", "Recorded by", "Note"}, std::move(rows));
}

// Decisions of the given kinds (all when empty).
void DecisionsTable(Doc& doc, const PlanningData& p, std::vector<std::string> kinds) {
  DecisionsWhere(doc, p, [&](const plan::Decision& x) {
    return kinds.empty() || std::find(kinds.begin(), kinds.end(), x.kind) != kinds.end();
  });
}

std::string OpinionText(const options::Opinion& o) {
  return fmt::format("{} ({}): {}", o.author.empty() ? kNotRecorded : o.author,
                     o.created_at.empty() ? kNotRecorded : o.created_at, o.text);
}

// Recommendations beside dissents, one row per option with opinions.
void OpinionsTable(Doc& doc, const PlanningData& p) {
  std::map<std::int64_t, std::pair<std::vector<std::string>, std::vector<std::string>>> by_option;
  std::vector<std::int64_t> order;
  for (const auto& o : p.opinions) {
    if (!by_option.count(o.option_id)) order.push_back(o.option_id);
    auto& slot = by_option[o.option_id];
    (o.position == "dissent" ? slot.second : slot.first).push_back(OpinionText(o));
  }
  Rows rows;
  for (auto id : order) {
    const auto& [rec, dis] = by_option[id];
    rows.push_back({OptionRef(p, id), rec.empty() ? "none recorded" : Join(rec, "\n"),
                    dis.empty() ? "none recorded" : Join(dis, "\n")});
  }
  doc.Table({"Option", "Recommendations", "Dissenting opinions"}, std::move(rows));
}

void ComparisonTable(Doc& doc, const PlanningData& p) {
  if (p.comparison.empty() || p.options.empty()) return doc.Note(kNotRecorded);
  std::vector<std::string> header = {"Criterion"};
  for (const auto& o : p.options) header.push_back(OptionLabel(o));
  Rows rows;
  for (const auto& r : p.comparison) {
    std::vector<std::string> row = {r.label};
    row.insert(row.end(), r.values.begin(), r.values.end());
    row.resize(header.size());
    rows.push_back(std::move(row));
  }
  doc.Table(std::move(header), std::move(rows));
}

std::string Targets(const options::ToolChoice& t) {
  std::vector<std::string> parts;
  if (!t.target_actors.empty()) parts.push_back(Join(t.target_actors, ", "));
  if (!t.target_categories.empty()) parts.push_back("(" + Join(t.target_categories, ", ") + ")");
  return Join(parts, " ");
}

// The concept of an option: its tools by instrument, with targets and reasons.
void ToolsTable(Doc& doc, const OptionPackage& o) {
  Rows rows;
  for (const char* instrument : assess::kInstruments) {
    for (const auto& t : o.tools) {
      if (t.instrument != instrument) continue;
      rows.push_back({t.instrument, t.title.empty() ? t.id : t.title + " (" + t.id + ")", t.approach, t.lead_agency,
                      Targets(t), Join(t.stages, ", "), t.because});
    }
  }
  for (const auto& t : o.tools) {  // tools with an instrument outside the list, if any
    bool known = false;
    for (const char* instrument : assess::kInstruments) known = known || t.instrument == instrument;
    if (!known) {
      rows.push_back({t.instrument, t.title.empty() ? t.id : t.title + " (" + t.id + ")", t.approach, t.lead_agency,
                      Targets(t), Join(t.stages, ", "), t.because});
    }
  }
  doc.Table({"Instrument", "Tool", "Approach", "Lead agency", "Aimed at", "Stages", "Chosen because"}, std::move(rows));
}

void RisksTable(Doc& doc, const OptionPackage& o) {
  Rows rows;
  for (const auto& r : o.risks) {
    rows.push_back({r.title.empty() ? r.id : r.title + " (" + r.id + ")", r.likelihood, r.impact,
                    Join(r.mitigations, "\n"), r.because});
  }
  doc.Table({"Risk", "Likelihood", "Impact", "Mitigations", "Assessed because"}, std::move(rows));
}

std::vector<std::pair<std::string, std::string>> ResourceFields(const options::Resources& r) {
  return {{"Relative cost", r.cost},
          {"Funding", r.funding},
          {"Personnel", r.personnel},
          {"Lead time", r.lead_time},
          {"Note", r.note}};
}

// Which of the option's tools fit each plan stage.
void PhasingTable(Doc& doc, const OptionPackage& o) {
  Rows rows;
  for (const char* stage : assess::kPlanStages) {
    std::vector<std::string> tools;
    for (const auto& t : o.tools) {
      if (std::find(t.stages.begin(), t.stages.end(), stage) != t.stages.end()) {
        tools.push_back(t.title.empty() ? t.id : t.title);
      }
    }
    if (!tools.empty()) rows.push_back({stage, Join(tools, "\n")});
  }
  doc.Table({"Stage", "Tools in use"}, std::move(rows));
}

// Major tasks per organization: the option's tools by lead agency.
void OrganizationTasks(Doc& doc, const OptionPackage& o) {
  std::map<std::string, std::vector<std::string>> by_agency;
  for (const auto& t : o.tools) {
    by_agency[t.lead_agency.empty() ? std::string("lead agency not recorded") : t.lead_agency].push_back(
        t.title.empty() ? t.id : t.title);
  }
  Rows rows;
  for (auto& [agency, tools] : by_agency) rows.push_back({agency, Join(tools, "\n")});
  doc.Table({"Organization", "Major tasks (tools it leads)"}, std::move(rows));
}

std::string SituationValue(const options::Situation& s, const char* variable) {
  const std::string& v = s.Get(variable);
  std::string basis = s.Basis(variable);
  if (v.empty()) return basis.empty() ? "" : "unknown (" + basis + ")";
  return basis.empty() ? v : v + " (" + basis + ")";
}

void SituationFields(Doc& doc, const options::Situation& s) {
  std::vector<std::pair<std::string, std::string>> f;
  const std::pair<const char*, const char*> kLabels[] = {{"host-nation-role", "Host-nation role"},
                                                         {"us-interests", "U.S. interests, will, access, leverage"},
                                                         {"international-support", "International support"},
                                                         {"volatility", "Volatility"}};
  for (const auto& [id, label] : kLabels) f.push_back({label, SituationValue(s, id)});
  if (!s.updated_at.empty()) f.push_back({"Last set by an analyst", s.updated_by + " (" + s.updated_at + ")"});
  doc.Fields(std::move(f));
}

void LoesTable(Doc& doc, std::vector<plan::LineOfEffort> loes, bool with_resources) {
  std::stable_sort(loes.begin(), loes.end(), [](const auto& a, const auto& b) { return a.priority < b.priority; });
  Rows rows;
  for (const auto& l : loes) {
    std::vector<std::string> row = {std::to_string(l.priority), l.title + " (" + l.id + ")", l.lead,
                                    Join(l.supporting, ", "), l.description, Join(l.tools, ", ")};
    if (with_resources) row.push_back(l.resources);
    rows.push_back(std::move(row));
  }
  std::vector<std::string> header = {"Priority", "Line of effort", "Lead", "Supporting", "Description", "Tools"};
  if (with_resources) header.push_back("Resources");
  doc.Table(std::move(header), std::move(rows));
}

const char* ConsiderationTitle(std::string_view category) {
  if (category == "conditions") return "Conditions within the country";
  if (category == "other-actors") return "Behaviour of other regional and international actors";
  if (category == "resources") return "USG and other resources";
  if (category == "strategic-communication") return "Strategic communication";
  return nullptr;
}

void Considerations(Doc& doc, const std::vector<plan::Consideration>& cs) {
  if (cs.empty()) return doc.Note(kNotRecorded);
  for (const char* category : plan::kConsiderationCategories) {
    std::vector<std::string> items;
    for (const auto& c : cs) {
      if (c.category == category) items.push_back(c.text);
    }
    doc.H3(ConsiderationTitle(category));
    doc.List(std::move(items));
  }
  std::vector<std::string> other;
  for (const auto& c : cs) {
    if (!ConsiderationTitle(c.category)) other.push_back(c.category + ": " + c.text);
  }
  if (!other.empty()) {
    doc.H3("Other considerations");
    doc.List(std::move(other));
  }
}

std::vector<const assess::CaseLinks::AlertLink*> OpenAlerts(const CaseProductData& d) {
  std::vector<const assess::CaseLinks::AlertLink*> out;
  for (const auto& a : d.links.alerts) {
    if (a.status != "dismissed") out.push_back(&a);
  }
  return out;
}

void AlertsTable(Doc& doc, const CaseProductData& d, std::size_t limit) {
  if (!d.file.info.gw) {
    return doc.Note("not recorded: the case has no country (regional case), so no stored alerts are linked");
  }
  Rows rows;
  for (const auto* a : OpenAlerts(d)) {
    if (rows.size() >= limit) break;
    rows.push_back({std::to_string(a->id), a->month, a->detector, a->unit.empty() ? "whole country" : a->unit,
                    a->severity, a->status, a->summary});
  }
  doc.Table({"Alert", "Month", "Detector", "Unit", "Severity", "Status", "Summary"}, std::move(rows));
}

void OpenCirs(Doc& doc, const CaseProductData& d) {
  Rows rows;
  for (const auto& r : d.file.cirs) {
    if (r.status == "open") rows.push_back({std::to_string(r.priority), r.question, r.author});
  }
  doc.Table({"Priority", "Open information requirement", "Raised by"}, std::move(rows));
}

void AssumptionsTable(Doc& doc, const CaseProductData& d) {
  Rows rows;
  for (const auto& a : d.file.assumptions) rows.push_back({a.text, a.status, a.as_of, a.note});
  doc.Table({"Assumption", "Status", "As of", "Note"}, std::move(rows));
}

std::string ForecastLine(const CaseProductData& d) {
  if (!d.file.info.gw) return "not recorded (regional case: no country forecast)";
  if (d.links.forecasts.empty()) return "not recorded (no stored forecast run has a row for this country)";
  const auto& fl = d.links.forecasts.front();
  return fmt::format("rank {} of {}, risk {} for {}-{} (run {}, {}, model {})", fl.rank, fl.countries,
                     product::Pct(fl.risk), fl.target_first, fl.target_last, fl.run_id, fl.created_at, fl.model);
}

// Actors currently holding one of the roles, as "name (role)".
Rows ActorsInRoles(const CaseProductData& d, const std::vector<std::string>& roles) {
  Rows rows;
  for (const auto& role : roles) {
    for (const auto& a : d.file.actors) {
      for (const auto* r : a.RolesOn()) {
        if (r->role == role) rows.push_back({a.name, a.kind, role, r->from, r->note});
      }
    }
  }
  return rows;
}

// Paragraphs of a policy statement or plan stage, or the table rows as
// short bullets (the briefing versions).
void TableOrBullets(Doc& doc, bool bullets, std::vector<std::string> header, Rows rows) {
  if (!bullets) return doc.Table(std::move(header), std::move(rows));
  std::vector<std::string> items;
  for (const auto& r : rows) {
    std::vector<std::string> cells;
    for (const auto& c : r) {
      if (!c.empty()) cells.push_back(product::FirstSentence(c));
    }
    items.push_back(Join(cells, " — "));
  }
  doc.List(std::move(items));
}

std::vector<std::string> NextSteps(const CaseProductData& d, const PlanningData& p) {
  std::vector<std::string> steps;
  const OptionPackage* approved = nullptr;
  std::vector<std::string> proposed;
  for (const auto& o : p.options) {
    if (o.status == "approved") approved = &o;
    if (o.status == "proposed") proposed.push_back(std::to_string(o.number));
  }
  if (p.options.empty()) {
    steps.push_back("Generate or add option packages (no option is recorded).");
  } else if (!approved) {
    steps.push_back(fmt::format("Decision needed: choose among the proposed options ({}).", Join(proposed, ", ")));
  }
  if (approved && !p.policy) {
    steps.push_back(fmt::format("Draft the policy statement for {} (approved, not yet stated as policy).",
                                OptionLabel(*approved)));
  }
  if (p.policy && p.policy->status == "draft") {
    steps.push_back(fmt::format("Approve policy statement version {} (a draft).", p.policy->version));
  }
  if (p.policy && p.policy->status == "approved" && !p.plan) {
    steps.push_back(fmt::format("Build the strategic plan from policy statement version {}.", p.policy->version));
  }
  if (p.plan) {
    for (const auto& dp : p.plan->decision_points) {
      if (dp.status == "open" &&
          std::find(dp.stages.begin(), dp.stages.end(), p.plan->current_stage) != dp.stages.end()) {
        steps.push_back(fmt::format("Open decision in stage {}: {} ({}).", p.plan->current_stage, dp.question,
                                    dp.who_decides.empty() ? "who decides: not recorded" : dp.who_decides + " decides"));
      }
    }
  }
  for (const auto& r : d.file.cirs) {
    if (r.status == "open") steps.push_back(fmt::format("Answer information requirement (priority {}): {}", r.priority, r.question));
  }
  return steps;
}

std::string StageTitle(const plan::SyncMatrix& m, const std::string& stage) {
  for (std::size_t i = 0; i < m.stages.size() && i < m.stage_titles.size(); ++i) {
    if (m.stages[i] == stage) return m.stage_titles[i];
  }
  return stage;
}

std::string NextStage(const std::string& stage) {
  int i = plan::StageIndex(stage);
  constexpr int n = static_cast<int>(std::size(assess::kPlanStages));
  return i >= 0 && i + 1 < n ? assess::kPlanStages[i + 1] : "";
}

bool RunsIn(const std::vector<std::string>& stages, const std::string& stage) {
  return std::find(stages.begin(), stages.end(), stage) != stages.end();
}

std::string TaskLabel(const plan::Task& t) { return t.id + " " + t.title; }

std::string LoeTitle(const plan::Plan& pl, const std::string& id) {
  const plan::LineOfEffort* l = pl.FindLoe(id);
  return l ? l->title : id;
}

// The latest status of a LOE or task id, or nullptr.
const plan::StatusEntry* LatestOf(const std::vector<plan::StatusEntry>& current, const std::string& id) {
  for (const auto& s : current) {
    if (s.target == id) return &s;
  }
  return nullptr;
}

void TasksTable(Doc& doc, const plan::Plan& pl, const std::vector<const plan::Task*>& tasks, bool with_agency) {
  Rows rows;
  for (const plan::Task* t : tasks) {
    std::vector<std::string> row = {t->id, t->title, LoeTitle(pl, t->loe)};
    if (with_agency) row.push_back(t->agency);
    row.insert(row.end(), {Join(t->stages, ", "), Join(t->depends_on, ", "), t->resources});
    rows.push_back(std::move(row));
  }
  std::vector<std::string> header = {"Task", "Title", "Line of effort"};
  if (with_agency) header.push_back("Agency");
  header.insert(header.end(), {"Stages", "After", "Resources"});
  doc.Table(std::move(header), std::move(rows));
}

void DecisionPointsTable(Doc& doc, const std::vector<const plan::DecisionPoint*>& dps) {
  Rows rows;
  for (const auto* dp : dps) {
    rows.push_back({dp->id, dp->question, dp->who_decides, Join(dp->stages, ", "), dp->trigger, dp->status});
  }
  doc.Table({"Point", "Decision", "Who decides", "Stages", "Brought up by", "Status"}, std::move(rows));
}

void FlagsTable(Doc& doc, const std::vector<plan::PlanFlag>& flags) {
  Rows rows;
  for (const auto& f : flags) {
    std::vector<std::string> ids;
    for (auto id : f.alert_ids) ids.push_back(std::to_string(id));
    rows.push_back({f.kind, f.id, f.title, Join(ids, ", "), f.reason});
  }
  doc.Table({"Flagged", "Id", "What", "Alerts", "Why"}, std::move(rows));
}

// A product whose subject is not recorded yet: its sections, each saying so.
std::string NothingRecorded(Doc& doc, const std::string& why, std::initializer_list<const char*> sections,
                            ProductFormat f) {
  doc.subtitle.push_back(why);
  for (const char* h : sections) {
    doc.H2(h);
    doc.Note(kNotRecorded);
  }
  return Render(doc, f);
}

}  // namespace

// ---- Loading ----------------------------------------------------------------------------

Result<PlanningData> LoadPlanningData(store::Db& db, const CaseProductData& base) {
  const std::int64_t id = base.file.info.id;
  PlanningData p;
  options::OptionRepo options_repo(db);
  VIGIL_ASSIGN_OR_RETURN(options::Situation set, options_repo.LoadSituation(id));
  p.situation = options::InferSituation(base.file, base.links, set);
  VIGIL_ASSIGN_OR_RETURN(p.options, options_repo.ListOptions(id));
  VIGIL_ASSIGN_OR_RETURN(p.opinions, options_repo.ListOpinions(id));
  p.comparison = options::CompareOptions(p.options, p.opinions);
  plan::PlanRepo plan_repo(db);
  VIGIL_ASSIGN_OR_RETURN(p.decisions, plan_repo.ListDecisions(id));
  VIGIL_ASSIGN_OR_RETURN(p.policy, plan_repo.LatestPolicy(id));
  VIGIL_ASSIGN_OR_RETURN(p.plan, plan_repo.LoadPlan(id));
  VIGIL_ASSIGN_OR_RETURN(p.revisions, plan_repo.PlanRevisions(id));
  VIGIL_ASSIGN_OR_RETURN(p.status_history, plan_repo.StatusHistory(id));
  if (p.plan) p.flags = plan::FlagAlerts(*p.plan, base.links.alerts);
  return p;
}

// ---- Tab 4 ------------------------------------------------------------------------------

std::string PolicyAdvisoryProduct(const CaseProductData& d, const PlanningData& p, ProductFormat f, bool briefing) {
  const auto& file = d.file;
  Doc doc;
  doc.title = std::string(briefing ? "Tab 4 (briefing): Policy Advisory Briefing — " : "Tab 4: Policy Advisory Memorandum — ") +
              file.info.title;
  doc.subtitle = Subtitle(d, "MAPRO Step 3 product");
  const char* kSections[] = {"Overview", "Interests", "Past and existing policies", "Other actors",
                             "Critical issues to address", "Policy options (goals and strategic objectives)",
                             "Analysis, recommendations and dissenting opinions", "Proposed next steps"};
  if (briefing) {
    doc.H2("Purpose of the briefing");
    doc.Para("To acquaint the decision makers with the policy options prepared by the planning team and to obtain "
             "their guidance for further policy formulation and planning.");
    doc.H2("Agenda");
    std::vector<std::string> agenda(std::begin(kSections), std::end(kSections));
    agenda.push_back("Discussion and guidance");
    doc.List(std::move(agenda));
  }
  int n = 0;
  auto section = [&](const char* title) {
    ++n;
    doc.H2(briefing ? std::string(title) : fmt::format("{}. {}", n, title));
  };

  section(kSections[0]);
  {
    int open = static_cast<int>(OpenAlerts(d).size());
    std::string alerts = !file.info.gw ? std::string("not recorded (regional case)")
                                       : fmt::format("{} open (new or acknowledged)", open);
    doc.Fields({{"Case", file.info.title + " (" + file.info.slug + ")"},
                {"Country or region", product::Where(d)},
                {"Structural risk forecast", ForecastLine(d)},
                {"Escalation alerts", alerts}});
    if (!briefing) AlertsTable(doc, d, 5);
    doc.H3("Situational variables");
    SituationFields(doc, p.situation);
  }

  section(kSections[1]);
  {
    Rows rows;
    for (const auto& i : file.interests) rows.push_back({std::to_string(i.priority), i.owner, i.text, i.note});
    TableOrBullets(doc, briefing, {"Priority", "Whose", "Interest", "Note"}, std::move(rows));
  }

  section(kSections[2]);
  doc.H3("From the initial guidance");
  doc.Text(file.guidance.other);
  doc.H3("Decisions recorded on this case");
  DecisionsTable(doc, p, {});

  section(kSections[3]);
  TableOrBullets(doc, briefing, {"Actor", "Kind", "Role", "Since", "Note"},
                 ActorsInRoles(d, {"intervener", "bystander", "positive-actor", "negative-actor", "third-party-enabler"}));

  section(kSections[4]);
  {
    doc.H3("Framework items assessed at the top two levels of their scale");
    Rows rows;
    for (const auto& s : file.scores) {
      if (s.position != "majority") continue;
      const auto* fw = assess::FindFramework(s.framework);
      if (!fw || fw->scale.levels.size() < 2) continue;
      const auto& levels = fw->scale.levels;
      if (s.level != levels.back().id && s.level != levels[levels.size() - 2].id) continue;
      rows.push_back({fw->title, product::ItemTitle(s.framework, s.item), product::LevelLabel(s.framework, s.level),
                      s.as_of, s.rationale});
    }
    TableOrBullets(doc, briefing, {"Framework", "Item", "Level", "As of", "Rationale"}, std::move(rows));
    doc.H3("Open information requirements");
    OpenCirs(doc, d);
    doc.H3("Assumptions found false");
    Rows inval;
    for (const auto& a : file.assumptions) {
      if (a.status == "invalidated") inval.push_back({a.text, a.as_of, a.note});
    }
    TableOrBullets(doc, briefing, {"Assumption", "As of", "Why"}, std::move(inval));
  }

  section(kSections[5]);
  if (p.options.empty()) doc.Note(kNotRecorded);
  for (const auto& o : p.options) {
    doc.H3(OptionLabel(o));
    doc.Fields({{"Approach and role", o.approach + ", " + o.role},
                {"Status", o.status},
                {"Summary", o.summary},
                {"Policy goal", o.policy_goal}});
    doc.Para("Strategic objectives:");
    doc.List(o.objectives);
  }

  section(kSections[6]);
  doc.H3("Comparison of the options");
  ComparisonTable(doc, p);
  doc.H3("Recommendations beside dissenting opinions");
  OpinionsTable(doc, p);

  section(kSections[7]);
  doc.List(NextSteps(d, p));
  if (briefing) {
    doc.H2("Discussion and guidance");
    doc.Note("for the decision makers at the briefing");
  }
  return Render(doc, f);
}

// ---- Tab 5 ------------------------------------------------------------------------------

std::string PolicyStatementProduct(const CaseProductData& d, const PlanningData& p, ProductFormat f) {
  Doc doc;
  doc.title = "Tab 5: Policy Statement — " + d.file.info.title;
  doc.subtitle = Subtitle(d, "MAPRO Step 3 product");
  if (!p.policy) {
    return NothingRecorded(doc, "No policy statement is recorded for this case.",
                           {"1. General", "2. Policy goal", "3. Strategic objectives", "4. Lines of effort",
                            "5. Critical planning considerations"},
                           f);
  }
  const auto& ps = *p.policy;
  doc.subtitle.push_back(fmt::format("Version {}, {}; implements {}; drafted {} by {}.", ps.version, ps.status,
                                     OptionRef(p, ps.option_id), ps.created_at.empty() ? kNotRecorded : ps.created_at,
                                     ps.created_by.empty() ? kNotRecorded : ps.created_by));
  doc.H2("1. General");
  doc.Text(ps.general);
  doc.H2("2. Policy goal");
  doc.Text(ps.goal);
  doc.H2("3. Strategic objectives");
  doc.List(ps.objectives);
  doc.H2("4. Lines of effort");
  LoesTable(doc, ps.loes, false);
  doc.H2("5. Critical planning considerations");
  Considerations(doc, ps.considerations);
  doc.H2("Implementation and approval");
  const plan::Decision* approval = nullptr;
  for (const auto& x : p.decisions) {
    if (x.kind == "policy" && x.subject == std::to_string(ps.version) && x.outcome == "approved") approval = &x;
  }
  doc.Fields({{"Lead official", ps.lead_official},
              {"Status", ps.status},
              {"Approved by", approval ? approval->decided_by : ""},
              {"Approved on", approval ? approval->decided_at : ""},
              {"Approval recorded by", approval ? Recorded(*approval) : ""},
              {"Approval note", approval ? approval->note : ""}});
  doc.H3("Policy decisions");
  DecisionsTable(doc, p, {"policy"});
  return Render(doc, f);
}

// ---- Tabs 6 and 7 -----------------------------------------------------------------------

namespace {

void SituationUpdateShort(Doc& doc, const CaseProductData& d) {
  doc.H2("Situation update");
  doc.H3("Latest escalation alerts");
  AlertsTable(doc, d, 5);
  doc.H3("Open information requirements");
  OpenCirs(doc, d);
}

// The LOEs of the policy statement that implements the option, if any.
void OptionLoes(Doc& doc, const PlanningData& p, const OptionPackage& o) {
  if (p.policy && p.policy->option_id == o.id) return LoesTable(doc, p.policy->loes, false);
  doc.Note("not recorded: no policy statement is drafted for this option");
}

void OptionReview(Doc& doc, const PlanningData& p, const OptionPackage& o, bool decision_brief) {
  doc.H3(OptionLabel(o));
  doc.Fields({{"Status", o.status},
              {"Approach", o.approach},
              {"Role", o.role},
              {"Military approach", o.military_approach.empty() ? "none (no military operation)" : o.military_approach},
              {"Policy goal", o.policy_goal},
              {"Objectives", Join(o.objectives, "; ")},
              {"Rationale", o.rationale}});
  doc.Para(decision_brief ? "Resources:" : "Organization and resources:");
  doc.Fields(ResourceFields(o.resources));
  if (!decision_brief) OrganizationTasks(doc, o);
  doc.Para("Concept (tools by instrument and target):");
  ToolsTable(doc, o);
  doc.Para("Phasing (stages where its tools are used):");
  PhasingTable(doc, o);
  doc.Para("Lines of effort:");
  OptionLoes(doc, p, o);
  if (decision_brief) {
    doc.Para("Major tasks for organizations and partners:");
    if (p.plan && p.policy && p.policy->option_id == o.id) {
      std::map<std::string, std::vector<std::string>> by_agency;
      for (const auto& t : p.plan->tasks) by_agency[t.agency].push_back(TaskLabel(t));
      Rows rows;
      for (auto& [agency, tasks] : by_agency) rows.push_back({agency, Join(tasks, "\n")});
      doc.Table({"Organization", "Plan tasks"}, std::move(rows));
    } else {
      OrganizationTasks(doc, o);
    }
    doc.Para("Escalation triggers (what would call for a stronger option):");
    doc.List(o.escalation_triggers);
  }
}

}  // namespace

std::string OptionsApprovalProduct(const CaseProductData& d, const PlanningData& p, ProductFormat f) {
  const auto& g = d.file.guidance;
  Doc doc;
  doc.title = "Tab 6: Options Approval Briefing — " + d.file.info.title;
  doc.subtitle = Subtitle(d, "MAPRO Step 3 product");
  doc.H2("Purpose of the briefing");
  doc.Para("To obtain the decision makers' approval of the options below for detailed examination by the planning "
           "team.");
  doc.H2("Agenda");
  doc.List({"Situation update", "Review: policy objectives, assumptions, previous guidance, timeline",
            "Options: rationale, organization and resources, concept, phasing, lines of effort",
            "Decisions and guidance"});
  SituationUpdateShort(doc, d);
  doc.H2("Review");
  doc.H3("Policy objectives");
  if (p.policy && !p.policy->objectives.empty()) {
    doc.List(p.policy->objectives);
  } else {
    doc.Fields({{"Planning purpose (initial guidance)", g.objective}, {"Intent", g.intent}});
  }
  doc.H3("Assumptions");
  AssumptionsTable(doc, d);
  doc.H3("Previous guidance");
  doc.Fields({{"Constraints", g.constraints},
              {"Restraints", g.restraints},
              {"Coordination", g.coordination},
              {"Approving authority", g.approving_authority}});
  doc.H3("Timeline");
  doc.Text(g.timeline);
  doc.H2("Options");
  if (p.options.empty()) doc.Note(kNotRecorded);
  for (const auto& o : p.options) OptionReview(doc, p, o, false);
  doc.H2("Options review decisions");
  DecisionsTable(doc, p, {"options-review"});
  return Render(doc, f);
}

std::string OptionsDecisionProduct(const CaseProductData& d, const PlanningData& p, ProductFormat f) {
  Doc doc;
  doc.title = "Tab 7: Options Decision Briefing — " + d.file.info.title;
  doc.subtitle = Subtitle(d, "MAPRO Step 3 product");
  doc.H2("Purpose of the briefing");
  doc.Para("To obtain the decision makers' choice of the option that will carry the policy, with the planning team's "
           "recommendation and every dissenting view.");
  doc.H2("Agenda");
  doc.List({"Situation update", "Review of the options in order", "Analysis of the options",
            "Recommendations and dissenting opinions", "Decisions"});
  SituationUpdateShort(doc, d);
  doc.H2("Review of options");
  if (p.options.empty()) doc.Note(kNotRecorded);
  for (const auto& o : p.options) OptionReview(doc, p, o, true);
  doc.H2("Analysis of options");
  doc.H3("Comparison");
  ComparisonTable(doc, p);
  doc.H3("Advantages and disadvantages");
  {
    Rows rows;
    for (const auto& o : p.options) {
      if (o.advantages.empty() && o.disadvantages.empty()) continue;
      rows.push_back({OptionLabel(o), Join(o.advantages, "\n"), Join(o.disadvantages, "\n")});
    }
    doc.Table({"Option", "Advantages", "Disadvantages"}, std::move(rows));
  }
  for (const auto& o : p.options) {
    doc.H3("Risks of " + OptionLabel(o));
    RisksTable(doc, o);
  }
  doc.H2("Recommendations (with dissenting opinions)");
  OpinionsTable(doc, p);
  doc.H2("Decisions on the options");
  DecisionsTable(doc, p, {"option"});
  return Render(doc, f);
}

// ---- Tab 8 ------------------------------------------------------------------------------

std::string StrategicPlanProduct(const CaseProductData& d, const PlanningData& p, ProductFormat f) {
  Doc doc;
  doc.title = "Tab 8: Strategic Plan — " + d.file.info.title;
  doc.subtitle = Subtitle(d, "MAPRO Step 4 product");
  if (!p.plan) {
    return NothingRecorded(doc, "No plan is recorded for this case.",
                           {"Plan overview", "Situation analysis", "Critical planning considerations", "Lines of effort",
                            "Stages", "Sequencing and linkages", "Tasks for agencies", "Resources per line of effort",
                            "Branch plans", "Decision points", "Risks", "Revision history"},
                           f);
  }
  const plan::Plan& pl = *p.plan;
  const plan::SyncMatrix m = plan::BuildSyncMatrix(pl);
  doc.subtitle.push_back(fmt::format("Plan revision {} (implements policy statement version {}); created {} by {}.",
                                     pl.revision, pl.policy_version, pl.created_at.empty() ? kNotRecorded : pl.created_at,
                                     pl.created_by.empty() ? kNotRecorded : pl.created_by));

  doc.H2("Plan overview");
  doc.Fields({{"Policy goal", pl.goal},
              {"Current stage", StageTitle(m, pl.current_stage)},
              {"Lead official", p.policy ? p.policy->lead_official : ""},
              {"Revision note", pl.note}});
  doc.H3("Strategic objectives");
  doc.List(pl.objectives);

  doc.H2("Situation analysis");
  SituationFields(doc, p.situation);
  {
    std::map<std::string, int> by_role;
    for (const auto& a : d.file.actors) {
      for (const auto* r : a.RolesOn()) ++by_role[r->role];
    }
    std::vector<std::string> roles;
    for (const char* role : assess::kActorRoles) {
      if (by_role.count(role)) roles.push_back(fmt::format("{} {}", by_role[role], role));
    }
    doc.Fields({{"Actors by current role", Join(roles, ", ")},
                {"Structural risk forecast", ForecastLine(d)},
                {"Open escalation alerts", d.file.info.gw ? std::to_string(OpenAlerts(d).size()) : ""}});
  }

  doc.H2("Critical planning considerations");
  if (p.policy) {
    Considerations(doc, p.policy->considerations);
  } else {
    doc.Note(kNotRecorded);
  }

  doc.H2("Lines of effort (by priority)");
  LoesTable(doc, pl.loes, false);

  doc.H2("Stages");
  {
    Rows rows;
    for (const auto& s : pl.stages) {
      rows.push_back({StageTitle(m, s.id) + (s.id == pl.current_stage ? " (current)" : ""), s.objective,
                      Join(s.transition_conditions, "\n")});
    }
    doc.Table({"Stage", "Objective", "Move on when"}, std::move(rows));
  }

  doc.H2("Sequencing and linkages");
  TasksTable(doc, pl, pl.Sequence(), true);

  doc.H2("Tasks for agencies");
  {
    std::vector<std::string> orgs;
    for (const auto& t : pl.tasks) {
      if (std::find(orgs.begin(), orgs.end(), t.agency) == orgs.end()) orgs.push_back(t.agency);
    }
    std::sort(orgs.begin(), orgs.end());
    if (orgs.empty()) doc.Note(kNotRecorded);
    for (const auto& org : orgs) {
      std::vector<const plan::Task*> tasks;
      for (const auto& t : pl.tasks) {
        if (t.agency == org) tasks.push_back(&t);
      }
      doc.H3(org.empty() ? std::string("Agency not recorded") : org);
      TasksTable(doc, pl, tasks, false);
    }
  }

  doc.H2("Resources per line of effort");
  {
    Rows rows;
    for (const auto& l : pl.loes) {
      std::vector<std::string> arrivals;
      for (const auto& t : pl.tasks) {
        if (t.loe == l.id && !t.arrival.empty()) arrivals.push_back(t.id + ": " + t.arrival);
      }
      rows.push_back({l.title, l.lead, l.resources, Join(arrivals, "\n")});
    }
    doc.Table({"Line of effort", "Lead", "Resources (rough order of magnitude)", "Arrivals"}, std::move(rows));
  }

  doc.H2("Synchronization matrix");
  {
    std::vector<std::string> header = {"Group", "Row"};
    header.insert(header.end(), m.stage_titles.begin(), m.stage_titles.end());
    Rows rows;
    for (const auto& r : m.rows) {
      std::vector<std::string> row = {r.group, r.label};
      row.insert(row.end(), r.cells.begin(), r.cells.end());
      row.resize(header.size());
      rows.push_back(std::move(row));
    }
    doc.Table(std::move(header), std::move(rows));
  }

  doc.H2("Branch plans");
  {
    Rows rows;
    for (const auto& b : pl.branches) {
      std::string assumption;
      if (b.assumption_id) {
        assumption = fmt::format("assumption {}", b.assumption_id);
        for (const auto& a : d.file.assumptions) {
          if (a.id == b.assumption_id) assumption = a.text + " (" + a.status + ")";
        }
      }
      rows.push_back({b.id + ": " + b.title, assumption, b.condition, b.response, Join(b.stages, ", "), b.status});
    }
    doc.Table({"Branch plan", "Hedges assumption", "Applies when", "Response", "Stages", "Status"}, std::move(rows));
  }

  doc.H2("Decision points (decisions kept by the approving authorities)");
  {
    std::vector<const plan::DecisionPoint*> dps;
    for (const auto& dp : pl.decision_points) dps.push_back(&dp);
    DecisionPointsTable(doc, dps);
  }

  doc.H2("Risks");
  {
    Rows rows;
    for (const auto& r : pl.risks) rows.push_back({r.text, Join(r.stages, ", "), r.ref});
    doc.Table({"Risk", "Stages", "Reference"}, std::move(rows));
    if (const OptionPackage* o = ApprovedOption(p)) {
      doc.H3("Risks of the chosen option (" + OptionLabel(*o) + ")");
      RisksTable(doc, *o);
    }
  }

  doc.H2("Information requirements");
  {
    Rows rows;
    for (const auto& r : pl.info_requirements) rows.push_back({r.text, Join(r.stages, ", "), r.ref});
    doc.Table({"Requirement", "Stages", "Reference"}, std::move(rows));
  }

  doc.H2("Plan decisions and stage transitions");
  DecisionsTable(doc, p, {"plan", "stage", "decision-point", "branch"});

  doc.H2("Revision history");
  {
    Rows rows;
    for (const auto& r : p.revisions) {
      rows.push_back({std::to_string(r.revision), std::to_string(r.policy_version), r.note, r.created_at, r.created_by});
    }
    doc.Table({"Revision", "Policy version", "Why", "Created", "By"}, std::move(rows));
  }
  return Render(doc, f);
}

// ---- Tab 9 ------------------------------------------------------------------------------

std::vector<std::string> PlanOrganizations(const plan::Plan& p) {
  std::set<std::string> orgs;
  for (const auto& t : p.tasks) {
    if (!t.agency.empty()) orgs.insert(t.agency);
  }
  for (const auto& l : p.loes) {
    if (!l.lead.empty()) orgs.insert(l.lead);
    for (const auto& s : l.supporting) {
      if (!s.empty()) orgs.insert(s);
    }
  }
  return {orgs.begin(), orgs.end()};
}

namespace {

// One organization's backbrief; false when it has no task or LOE in the plan.
bool AppendBackbrief(Doc& doc, const CaseProductData& d, const PlanningData& p, const std::string& org, bool nested) {
  const plan::Plan& pl = *p.plan;
  std::vector<const plan::Task*> own;
  for (const auto* t : pl.Sequence()) {
    if (SameOrg(t->agency, org)) own.push_back(t);
  }
  std::vector<const plan::LineOfEffort*> leads, supports;
  for (const auto& l : pl.loes) {
    if (SameOrg(l.lead, org)) leads.push_back(&l);
    for (const auto& s : l.supporting) {
      if (SameOrg(s, org)) supports.push_back(&l);
    }
  }
  if (own.empty() && leads.empty() && supports.empty()) return false;
  auto h = [&](const std::string& t) { nested ? doc.H3(t) : doc.H2(t); };
  auto sub = [&](const std::string& t) { nested ? doc.Para(t + ":") : doc.H3(t); };
  if (nested) doc.H2("Backbrief: " + org);

  h("Purpose");
  doc.Para(fmt::format("{} confirms its part of the strategic plan (revision {}, current stage {}): its tasks, how "
                       "they fit the stages and lines of effort, and the support it needs from and gives to others.",
                       org, pl.revision, pl.current_stage));

  h("Situation");
  auto entries = [&](std::initializer_list<const char*> sections) {
    std::vector<std::string> items;
    for (const auto& e : d.file.assessment) {
      for (const char* s : sections) {
        if (e.section == s) items.push_back(product::FirstSentence(e.text) + " (" + e.as_of + ")");
      }
    }
    return items;
  };
  sub("Challenges");
  doc.List(entries({"challenges", "capability-gaps"}));
  sub("Opportunities");
  doc.List(entries({"opportunities", "windows-of-opportunity"}));
  sub("Organization");
  {
    std::vector<std::string> lead_titles, support_titles;
    for (const auto* l : leads) lead_titles.push_back(l->title);
    for (const auto* l : supports) support_titles.push_back(l->title + " (lead: " + l->lead + ")");
    doc.Fields({{"Leads", Join(lead_titles, "; ")},
                {"Supports", Join(support_titles, "; ")},
                {"Tasks", std::to_string(own.size())}});
  }

  h("Assumptions");
  AssumptionsTable(doc, d);

  h("Limitations");
  doc.Fields({{"Constraints", d.file.guidance.constraints}, {"Restraints", d.file.guidance.restraints}});

  h("Key tasks");
  TasksTable(doc, pl, own, false);

  h("Mission");
  {
    std::vector<std::string> items;
    if (!pl.goal.empty()) items.push_back("Policy goal: " + pl.goal);
    for (const auto* l : leads) {
      items.push_back("Lead the line of effort " + l->title + (l->description.empty() ? "" : ": " + l->description));
    }
    for (const auto* l : supports) items.push_back("Support the line of effort " + l->title + " (led by " + l->lead + ")");
    doc.List(std::move(items));
  }

  h("Concept by stage and line of effort");
  {
    Rows rows;
    for (const char* stage : assess::kPlanStages) {
      for (const auto& l : pl.loes) {
        std::vector<std::string> tasks;
        for (const auto* t : own) {
          if (t->loe == l.id && RunsIn(t->stages, stage)) tasks.push_back(TaskLabel(*t));
        }
        if (!tasks.empty()) rows.push_back({stage, l.title, Join(tasks, "\n")});
      }
    }
    doc.Table({"Stage", "Line of effort", "Tasks"}, std::move(rows));
  }
  sub("Support required from other organizations");
  {
    Rows rows;
    for (const auto* t : own) {
      for (const auto& dep : t->depends_on) {
        const plan::Task* other = pl.FindTask(dep);
        if (other && !SameOrg(other->agency, org)) {
          rows.push_back({TaskLabel(*t), TaskLabel(*other), other->agency});
        }
      }
    }
    doc.Table({"Our task", "Needs first", "From"}, std::move(rows));
  }
  sub("Support provided to other organizations");
  {
    Rows rows;
    for (const auto& t : pl.tasks) {
      if (SameOrg(t.agency, org)) continue;
      for (const auto& dep : t.depends_on) {
        const plan::Task* mine = pl.FindTask(dep);
        if (mine && SameOrg(mine->agency, org)) rows.push_back({TaskLabel(*mine), TaskLabel(t), t.agency});
      }
    }
    doc.Table({"Our task", "Enables", "For"}, std::move(rows));
  }

  h("Issues");
  {
    const auto current = plan::CurrentStatus(p.status_history);
    Rows rows;
    auto add = [&](const std::string& id, const std::string& what) {
      const plan::StatusEntry* s = LatestOf(current, id);
      if (s && (s->status == "at-risk" || s->status == "setback")) {
        rows.push_back({what, s->status, s->as_of, s->note, s->author});
      }
    };
    for (const auto* l : leads) add(l->id, "LOE " + l->title);
    for (const auto* t : own) add(t->id, "task " + TaskLabel(*t));
    doc.Table({"Item", "Status", "As of", "Note", "By"}, std::move(rows));
  }
  return true;
}

}  // namespace

std::string BackbriefProduct(const CaseProductData& d, const PlanningData& p, ProductFormat f,
                             const std::string& agency) {
  if (!p.plan) return "";
  Doc doc;
  doc.subtitle = Subtitle(d, "MAPRO Step 4 product");
  if (!agency.empty()) {
    doc.title = "Tab 9: Backbrief of " + agency + " — " + d.file.info.title;
    if (!AppendBackbrief(doc, d, p, agency, false)) return "";
    return Render(doc, f);
  }
  doc.title = "Tab 9: Backbriefs — " + d.file.info.title;
  std::set<std::string> leaders;
  for (const auto& t : p.plan->tasks) {
    if (!t.agency.empty()) leaders.insert(t.agency);
  }
  for (const auto& l : p.plan->loes) {
    if (!l.lead.empty()) leaders.insert(l.lead);
  }
  bool any = false;
  for (const auto& org : leaders) any = AppendBackbrief(doc, d, p, org, true) || any;
  if (!any) return "";
  return Render(doc, f);
}

// ---- Tab 10 planning section ----------------------------------------------------------

namespace product {

void AppendPlanningUpdate(Doc& doc, const CaseProductData& d, const PlanningData& p) {
  if (!p.plan) return;
  const plan::Plan& pl = *p.plan;
  auto in = [&](const std::string& date) { return !d.from.empty() && DateInRange(date, d.from, d.to); };
  const auto current = plan::CurrentStatus(p.status_history);
  auto changes = [&](const std::string& id) {
    std::vector<std::string> out;
    for (const auto& s : p.status_history) {
      if (s.target == id && in(s.as_of)) out.push_back(s.as_of + " " + s.status + (s.note.empty() ? "" : ": " + s.note));
    }
    return Join(out, "\n");
  };

  doc.H2(fmt::format("Plan execution (stage {}, plan revision {})", pl.current_stage, pl.revision));
  doc.H3("Lines of effort: status, progress, setbacks");
  {
    Rows rows;
    for (const auto& l : pl.loes) {
      const plan::StatusEntry* s = LatestOf(current, l.id);
      rows.push_back({l.title, l.lead, s ? s->status : "no status recorded", s ? s->as_of : "", s ? s->note : "",
                      changes(l.id)});
    }
    doc.Table({"Line of effort", "Lead", "Status", "As of", "Note", "Changes in the range"}, std::move(rows));
  }
  doc.H3("Tasks with a recorded status");
  {
    Rows rows;
    for (const auto& t : pl.tasks) {
      const plan::StatusEntry* s = LatestOf(current, t.id);
      if (!s) continue;
      rows.push_back({TaskLabel(t), t.agency, s->status, s->as_of, s->note, changes(t.id)});
    }
    doc.Table({"Task", "Agency", "Status", "As of", "Note", "Changes in the range"}, std::move(rows));
  }
  doc.H3("Upcoming decisions");
  {
    const std::string next = NextStage(pl.current_stage);
    std::vector<const plan::DecisionPoint*> dps;
    for (const auto& dp : pl.decision_points) {
      if (dp.status == "open" && (RunsIn(dp.stages, pl.current_stage) || (!next.empty() && RunsIn(dp.stages, next)))) {
        dps.push_back(&dp);
      }
    }
    DecisionPointsTable(doc, dps);
  }
  doc.H3("Issues");
  {
    Rows rows;
    for (const auto& s : current) {
      if (s.status != "at-risk" && s.status != "setback") continue;
      std::string what = s.target;
      if (const plan::LineOfEffort* l = pl.FindLoe(s.target)) what = "LOE " + l->title;
      if (const plan::Task* t = pl.FindTask(s.target)) what = "task " + TaskLabel(*t) + " (" + t->agency + ")";
      rows.push_back({what, s.status, s.as_of, s.note});
    }
    doc.Table({"Item", "Status", "As of", "Note"}, std::move(rows));
  }
  doc.H3("Plan elements flagged by alerts of the country");
  FlagsTable(doc, p.flags);
  for (const auto& fl : p.flags) {
    if (fl.kind == "stage") {
      doc.Para(fmt::format("Suggested stage transition: {} ({}). The decision stays with the approving authority.",
                           fl.title, fl.reason));
    }
  }
  doc.H3("Decisions taken in the range");
  DecisionsWhere(doc, p, [&](const plan::Decision& x) { return in(x.decided_at); });
}

}  // namespace product

std::string PlanningUpdateSection(const CaseProductData& d, const PlanningData& p, ProductFormat f) {
  if (!p.plan) return "";
  Doc doc;
  product::AppendPlanningUpdate(doc, d, p);
  return product::RenderBlocks(doc.blocks, f);
}

}  // namespace vigil::report
