#include "report/case_products.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <set>
#include <string_view>

#include "assess/frameworks.h"
#include "core/event.h"
#include "report/product_util.h"
#include "store/event_store.h"

namespace vigil::report {

namespace {

using assess::Actor;
using assess::ActorRole;
using assess::AuditEntry;
using assess::CaseFile;
using assess::EvidenceLink;
using assess::Score;
using nlohmann::json;
using product::Doc;
using product::Evidence;
using product::FirstSentence;
using product::ItemTitle;
using product::kNotRecorded;
using product::LevelLabel;
using product::Pct;
using product::Prefix;
using product::Render;
using product::Subtitle;
using product::Where;

// ---- Shared pieces -------------------------------------------------------------------

std::string RoleText(const ActorRole& r) {
  std::string s = fmt::format("{} from {} {}", r.role, r.from, r.to.empty() ? "(holds)" : "to " + r.to);
  if (!r.note.empty()) s += ": " + r.note;
  return s;
}

// A heading for a role of the typology.
std::string RoleTitle(std::string_view role) {
  static const std::pair<const char*, const char*> kTitles[] = {
      {"perpetrator-architect", "Perpetrators: architects (plan and direct)"},
      {"perpetrator-facilitator", "Perpetrators: facilitators (organize and enable)"},
      {"perpetrator-rank-and-file", "Perpetrators: rank and file (carry out)"},
      {"victim", "Victims"},
      {"intervener", "Interveners"},
      {"bystander", "Bystanders"},
      {"positive-actor", "Positive actors"},
      {"negative-actor", "Negative actors"},
      {"third-party-enabler", "Third-party enablers"}};
  for (const auto& [id, title] : kTitles) {
    if (role == id) return std::string(title) + " [" + id + "]";
  }
  return std::string(role);
}


std::string ScoreText(const Score& s, bool with_rationale) {
  std::string t = fmt::format("{} (confidence {}, as of {}, {}, v{})", LevelLabel(s.framework, s.level), s.confidence,
                              s.as_of, s.author, s.version);
  if (with_rationale && !s.rationale.empty()) t += ": " + s.rationale;
  return t;
}


// Compares two dates on their common prefix ("2026" == "2026-03-01").
int PrefixCompare(const std::string& a, const std::string& b) {
  std::size_t n = std::min(a.size(), b.size());
  return a.compare(0, n, b, 0, n);
}

std::string SeriesKey(const Score& s) {
  return s.framework + "|" + s.item + "|" + s.position + "|" + (s.position == "dissent" ? s.author : "");
}

std::string ActorName(const CaseFile& f, std::int64_t id) {
  const Actor* a = f.FindActor(id);
  return a ? a->name : fmt::format("actor {}", id);
}


Result<Day> RangeDay(const std::string& date, bool end, const char* option) {
  if (!assess::IsCaseDate(date)) {
    return Status::InvalidArgument(fmt::format("{}: '{}' is not a date (YYYY, YYYY-MM or YYYY-MM-DD)", option, date));
  }
  int y = std::stoi(date.substr(0, 4));
  int m = date.size() >= 7 ? std::stoi(date.substr(5, 2)) : (end ? 12 : 1);
  int dd = 1;
  if (date.size() == 10) {
    dd = std::stoi(date.substr(8, 2));
  } else if (end) {
    dd = 31;
    while (!IsValidCivil(y, m, dd)) --dd;
  }
  return DaysFromCivil(y, m, dd);
}

}  // namespace

bool DateInRange(const std::string& date, const std::string& from, const std::string& to) {
  if (date.empty()) return false;
  return PrefixCompare(date, from) >= 0 && PrefixCompare(date, to) <= 0;
}

Result<CaseProductData> LoadCaseProductData(store::Db& db, std::int64_t case_id, const std::string& from,
                                            const std::string& to) {
  CaseProductData d;
  assess::CaseRepo repo(db);
  VIGIL_ASSIGN_OR_RETURN(d.file, repo.LoadCaseFile(case_id));
  VIGIL_ASSIGN_OR_RETURN(d.links, repo.LoadLinks(d.file.info));
  VIGIL_ASSIGN_OR_RETURN(d.audit, repo.History(case_id));
  if (from.empty() && to.empty()) return d;
  if (from.empty() || to.empty()) {
    return Status::InvalidArgument("a situation update needs both --from and --to");
  }
  VIGIL_ASSIGN_OR_RETURN(Day first, RangeDay(from, false, "--from"));
  VIGIL_ASSIGN_OR_RETURN(Day last, RangeDay(to, true, "--to"));
  if (last < first) return Status::InvalidArgument(fmt::format("--to {} is before --from {}", to, from));
  d.from = from;
  d.to = to;
  if (!d.file.info.gw) return d;
  d.events.linked = true;
  store::EventQuery q;
  q.gw = {*d.file.info.gw};
  q.first_day = first;
  q.last_day = last;
  VIGIL_ASSIGN_OR_RETURN(EventColumns cols, store::LoadEventColumns(db, q));
  std::vector<std::size_t> order;
  for (std::size_t i = 0; i < cols.size(); ++i) {
    ++d.events.count;
    d.events.deaths_best += cols.deaths_best[i];
    d.events.deaths_civilians += cols.deaths_civilians[i];
    d.events.civilian_targeting += cols.civilian_targeting[i] ? 1 : 0;
    order.push_back(i);
  }
  std::size_t k = std::min<std::size_t>(order.size(), kDeadliestEvents);
  std::partial_sort(order.begin(), order.begin() + static_cast<std::ptrdiff_t>(k), order.end(),
                    [&](std::size_t a, std::size_t b) {
                      if (cols.deaths_best[a] != cols.deaths_best[b]) return cols.deaths_best[a] > cols.deaths_best[b];
                      return cols.day[a] != cols.day[b] ? cols.day[a] < cols.day[b] : cols.row_id[a] < cols.row_id[b];
                    });
  std::vector<std::int64_t> rows;
  for (std::size_t i = 0; i < k; ++i) rows.push_back(cols.row_id[order[i]]);
  VIGIL_ASSIGN_OR_RETURN(auto events, store::LoadEventsByRow(db, rows));
  for (const auto& se : events) {
    const Event& e = se.event;
    UpdateEvent u;
    u.row_id = se.row_id;
    u.date = FormatDate(e.date_start);
    u.source = e.source;
    u.event_id = e.event_id;
    u.place = !e.location.empty() ? e.location : e.admin1;
    if (!e.admin1.empty() && u.place != e.admin1) u.place += ", " + e.admin1;
    u.actor1 = e.actor1;
    u.actor2 = e.actor2;
    u.deaths_best = e.deaths_best;
    u.deaths_civilians = e.deaths_civilians;
    u.civilian_targeting = e.civilian_targeting;
    d.events.deadliest.push_back(std::move(u));
  }
  return d;
}

// ---- Tab 1 ------------------------------------------------------------------------

std::string InitialGuidanceProduct(const CaseProductData& d, ProductFormat f) {
  const auto& c = d.file.info;
  const auto& g = d.file.guidance;
  Doc doc;
  doc.title = "Tab 1: Initial Guidance — " + c.title;
  doc.subtitle = Subtitle(d, "MAPRO Step 1 product");
  doc.subtitle.push_back(g.updated_at.empty() ? std::string("Guidance: not recorded as edited.")
                                              : fmt::format("Guidance last changed {} by {}.", g.updated_at, g.updated_by));
  doc.H2("Problem and scope");
  doc.Fields({{"Why the case was opened", c.purpose}, {"Scope", c.scope}, {"Country or region", Where(d)}});
  doc.H2("1. Purpose of planning and level of effort");
  doc.Fields({{"Planning purpose", g.objective}, {"Level of effort", g.level_of_effort}});
  doc.H2("2. Interagency planning team and organizations");
  std::vector<std::vector<std::string>> ipt;
  for (const auto& m : g.ipt) ipt.push_back({m.name, m.organization, m.role});
  doc.Table({"Member", "Organization", "Role"}, std::move(ipt));
  doc.H2("3. Lead agency");
  doc.Text(g.lead_agency);
  doc.H2("4. Approving authority");
  doc.Text(g.approving_authority);
  doc.H2("5. Additional guidance");
  doc.H3("Assumptions");
  doc.Text(g.assumptions);
  doc.H3("Constraints (what the team must do)");
  doc.Text(g.constraints);
  doc.H3("Restraints (what the team must not do)");
  doc.Text(g.restraints);
  doc.H3("Coordination with outside actors");
  doc.Text(g.coordination);
  doc.H3("Intent");
  doc.Text(g.intent);
  doc.H3("Timeline");
  doc.Text(g.timeline);
  doc.H3("Other guidance");
  doc.Text(g.other);
  return Render(doc, f);
}

// ---- Tab 2 ------------------------------------------------------------------------

std::string ConflictAssessmentProduct(const CaseProductData& d, ProductFormat f, bool brief) {
  const auto& c = d.file.info;
  Doc doc;
  doc.title = std::string(brief ? "Tab 2 (briefing): Conflict Assessment — " : "Tab 2: Conflict Assessment — ") + c.title;
  doc.subtitle = Subtitle(d, "MAPRO Step 2 product (ICAF structure)");
  if (brief) {
    doc.subtitle.push_back("Short version: the diagnosis sections, each entry cut to its first sentence; "
                           "the full Tab 2 carries the whole entries, Part II and the evidence.");
  }
  const char* parts[][2] = {{"diagnosis", "Part I: Conflict diagnosis"}, {"planning", "Part II: Segue into planning"}};
  for (const auto& part : parts) {
    if (brief && std::string_view(part[0]) == "planning") continue;
    doc.H2(part[1]);
    for (const char* section : assess::kAssessmentSections) {
      if (assess::AssessmentSectionPart(section) != part[0]) continue;
      std::vector<const assess::AssessmentEntry*> entries;
      for (const auto& e : d.file.assessment) {
        if (e.section == section) entries.push_back(&e);
      }
      if (brief && entries.empty()) continue;
      doc.H3(std::string(assess::AssessmentSectionTitle(section)));
      std::vector<std::string> items;
      for (const auto* e : entries) {
        if (brief) {
          items.push_back(fmt::format("{} ({}, confidence {})", FirstSentence(e->text), e->as_of, e->confidence));
        } else {
          std::string s = fmt::format("{}\n[as of {}, confidence {}, {}]", e->text, e->as_of, e->confidence, e->author);
          if (!e->evidence.empty()) s += "\nEvidence: " + Evidence(e->evidence);
          items.push_back(std::move(s));
        }
      }
      doc.List(std::move(items));
    }
  }
  if (brief) {
    bool any = false;
    for (const auto& e : d.file.assessment) any = any || assess::AssessmentSectionPart(e.section) == "diagnosis";
    if (!any) doc.Note(kNotRecorded);
  }
  return Render(doc, f);
}

// ---- Tab 3 ------------------------------------------------------------------------

std::string SituationAnalysisProduct(const CaseProductData& d, ProductFormat f) {
  const auto& file = d.file;
  const auto& c = file.info;
  Doc doc;
  doc.title = "Tab 3: Situation Analysis and Assessment Overview — " + c.title;
  doc.subtitle = Subtitle(d, "MAPRO Step 2 product");

  // Actors by typology.
  doc.H2("Actors by typology (current roles)");
  if (file.actors.empty()) doc.Note(kNotRecorded);
  std::set<std::int64_t> with_role;
  for (const char* role : assess::kActorRoles) {
    std::vector<std::vector<std::string>> rows;
    for (const auto& a : file.actors) {
      for (const ActorRole* r : a.RolesOn()) {
        if (r->role != role) continue;
        with_role.insert(a.id);
        std::string history;
        for (const auto& h : a.roles) history += (history.empty() ? "" : "\n") + RoleText(h);
        std::string profile;
        auto add = [&](const char* k, const std::string& v) {
          if (!v.empty()) profile += (profile.empty() ? "" : "\n") + std::string(k) + ": " + v;
        };
        add("motivations", a.motivations);
        add("means", a.means);
        add("capabilities", a.capabilities);
        add("weaknesses", a.weaknesses);
        add("locations", a.locations);
        std::string relations;
        for (const auto& rel : a.relations) {
          relations += (relations.empty() ? "" : "\n") + rel.kind + " " + ActorName(file, rel.other_id) +
                       (rel.note.empty() ? "" : " (" + rel.note + ")");
        }
        rows.push_back({a.name, a.kind, r->from, history, profile, relations});
      }
    }
    if (rows.empty()) continue;
    doc.H3(RoleTitle(role));
    doc.Table({"Actor", "Kind", "In this role since", "Role history", "Profile", "Relations"}, std::move(rows));
  }
  std::vector<std::string> no_role;
  for (const auto& a : file.actors) {
    if (with_role.count(a.id)) continue;
    std::string history;
    for (const auto& h : a.roles) history += (history.empty() ? "" : "; ") + RoleText(h);
    no_role.push_back(a.name + " (" + a.kind + "): no current role" + (history.empty() ? "" : "; history: " + history));
  }
  if (!no_role.empty()) {
    doc.H3("Actors without a current role");
    doc.List(std::move(no_role));
  }

  // Scores per framework, majority beside dissents.
  doc.H2("Framework assessments");
  std::map<std::string, std::map<std::string, std::pair<const Score*, std::vector<const Score*>>>> by_fw;
  for (const auto& s : file.scores) {
    auto& slot = by_fw[s.framework][s.item];
    if (s.position == "majority") {
      slot.first = &s;
    } else {
      slot.second.push_back(&s);
    }
  }
  std::vector<std::string> unscored;
  for (const auto& fw : assess::Frameworks()) {
    auto it = by_fw.find(fw.id);
    if (it == by_fw.end()) {
      unscored.push_back(fw.title + " (" + fw.id + ")");
      continue;
    }
    doc.H3(fw.title + " (" + fw.id + ")");
    std::vector<std::vector<std::string>> rows;
    for (const auto& item : fw.items) {
      auto s = it->second.find(item.id);
      if (s == it->second.end()) continue;
      const auto& [maj, dissents] = s->second;
      std::string dis;
      for (const Score* x : dissents) dis += (dis.empty() ? "" : "\n") + ScoreText(*x, true);
      std::vector<EvidenceLink> ev;
      if (maj) ev = maj->evidence;
      for (const Score* x : dissents) ev.insert(ev.end(), x->evidence.begin(), x->evidence.end());
      rows.push_back({ItemTitle(fw.id, item.id), maj ? ScoreText(*maj, false) : "no majority score recorded",
                      maj ? maj->rationale : "", dis.empty() ? "none" : dis, Evidence(ev)});
    }
    doc.Table({"Item", "Majority assessment", "Rationale", "Dissenting assessments", "Evidence"}, std::move(rows));
  }
  for (const auto& [fw_id, items] : by_fw) {
    if (!assess::FindFramework(fw_id)) doc.Note(fmt::format("{} scores on framework '{}', not in this build's catalogs",
                                                            items.size(), fw_id));
  }
  if (!unscored.empty()) {
    std::string s;
    for (const auto& u : unscored) s += (s.empty() ? "" : ", ") + u;
    doc.Note("Not recorded: " + s + ".");
  }

  // Interests.
  doc.H2("Interests");
  std::map<std::int64_t, const assess::Interest*> interests;
  for (const auto& i : file.interests) interests[i.id] = &i;
  std::vector<std::vector<std::string>> irows;
  for (const auto& i : file.interests) {
    std::string conflicts;
    for (auto id : i.conflicts_with) {
      auto o = interests.find(id);
      conflicts += (conflicts.empty() ? "" : "\n") +
                   (o == interests.end() ? fmt::format("interest {}", id) : o->second->owner + ": " + o->second->text);
    }
    irows.push_back({std::to_string(i.priority), i.owner, i.text, conflicts.empty() ? "none recorded" : conflicts, i.note});
  }
  doc.Table({"Priority", "Whose", "Interest", "Conflicts with", "Note"}, std::move(irows));

  // Assumptions.
  doc.H2("Assumptions");
  std::vector<std::vector<std::string>> arows;
  for (const auto& a : file.assumptions) arows.push_back({a.text, a.status, a.as_of, a.note, Evidence(a.evidence)});
  doc.Table({"Assumption", "Status", "As of", "Note", "Evidence"}, std::move(arows));

  // Open CIRs.
  doc.H2("Open critical information requirements");
  std::vector<std::vector<std::string>> crows;
  for (const auto& r : file.cirs) {
    if (r.status == "open") crows.push_back({std::to_string(r.priority), r.question, r.author, Evidence(r.evidence)});
  }
  doc.Table({"Priority", "Question", "Raised by", "Evidence so far"}, std::move(crows));

  // Country links.
  doc.H2("Structural risk and escalation alerts of the country");
  if (!c.gw) {
    doc.Note("not recorded: the case has no country (regional case), so no stored forecast or alert is linked");
  } else {
    if (d.links.forecasts.empty()) {
      doc.Note("Forecast: not recorded (no stored forecast run has a row for this country)");
    } else {
      const auto& fl = d.links.forecasts.front();
      std::string interval = std::isfinite(fl.risk_lo) ? fmt::format(" ({}-{})", Pct(fl.risk_lo), Pct(fl.risk_hi)) : "";
      doc.Para(fmt::format("Latest forecast (run {}, {}, model {}, data year {}): risk of a new mass killing in {}-{} "
                           "{}{}, rank {} of {}.",
                           fl.run_id, fl.created_at, fl.model, fl.base_year, fl.target_first, fl.target_last,
                           Pct(fl.risk), interval, fl.rank, fl.countries));
    }
    std::vector<std::vector<std::string>> al;
    for (const auto& a : d.links.alerts) {
      if (a.status == "dismissed") continue;
      al.push_back({std::to_string(a.id), a.month, a.detector, a.unit.empty() ? "whole country" : a.unit, a.severity,
                    a.status, a.summary});
    }
    doc.H3("Open alerts (new or acknowledged)");
    doc.Table({"Alert", "Month", "Detector", "Unit", "Severity", "Status", "Summary"}, std::move(al));
  }
  return Render(doc, f);
}

// ---- Tab 10 -----------------------------------------------------------------------

std::string SituationUpdateProduct(const CaseProductData& d, ProductFormat f, const PlanningData* planning) {
  const auto& file = d.file;
  const auto& c = file.info;
  Doc doc;
  doc.title = fmt::format("Tab 10: Situation Update {} to {} — {}", d.from, d.to, c.title);
  doc.subtitle = Subtitle(d, "MAPRO situation update");
  auto in = [&](const std::string& date) { return DateInRange(date, d.from, d.to); };

  doc.H2("Conflict events of the country");
  if (!d.events.linked) {
    doc.Note("not recorded: the case has no country (regional case), so no stored events are linked");
  } else if (d.events.count == 0) {
    doc.Note("not recorded: no stored events of the country are dated in the range");
  } else {
    doc.Para(fmt::format("{} stored events dated in the range: {} deaths (best estimate), {} of them civilians; "
                         "{} events deliberately targeted civilians.",
                         d.events.count, d.events.deaths_best, d.events.deaths_civilians, d.events.civilian_targeting));
    std::vector<std::vector<std::string>> rows;
    for (const auto& e : d.events.deadliest) {
      rows.push_back({e.date, e.place, e.actor1, e.actor2, std::to_string(e.deaths_best), std::to_string(e.deaths_civilians),
                      fmt::format("event:{} ({} {})", e.row_id, e.source, e.event_id)});
    }
    doc.H3("Deadliest events");
    doc.Table({"Date", "Place", "Side A", "Side B", "Deaths", "Civilian deaths", "Reference"}, std::move(rows));
  }

  doc.H2("Escalation alerts of the country");
  if (!c.gw) {
    doc.Note("not recorded: the case has no country (regional case), so no stored alerts are linked");
  } else {
    std::vector<std::vector<std::string>> rows;
    for (const auto& a : d.links.alerts) {
      if (!DateInRange(a.month, Prefix(d.from, 7), Prefix(d.to, 7))) continue;
      rows.push_back({std::to_string(a.id), a.month, a.detector, a.unit.empty() ? "whole country" : a.unit, a.severity,
                      a.status, a.summary});
    }
    doc.Table({"Alert", "Month", "Detector", "Unit", "Severity", "Status", "Summary"}, std::move(rows));
  }

  doc.H2("Changed assessments");
  {
    std::map<std::string, const Score*> last;  // previous version of each series
    std::vector<std::vector<std::string>> rows;
    for (const auto& s : file.score_versions) {  // oldest first
      const std::string key = SeriesKey(s);
      const Score* prev = last.count(key) ? last[key] : nullptr;
      last[key] = &s;
      if (!in(s.as_of)) continue;
      std::string change = prev ? fmt::format("{} -> {}", LevelLabel(s.framework, prev->level), LevelLabel(s.framework, s.level))
                                : "new: " + LevelLabel(s.framework, s.level);
      if (prev && prev->level == s.level) change = "unchanged level " + LevelLabel(s.framework, s.level) + " (re-assessed)";
      rows.push_back({s.framework, ItemTitle(s.framework, s.item), s.position, change, s.as_of, s.author, s.rationale});
    }
    doc.Table({"Framework", "Item", "Position", "Level", "As of", "By", "Rationale"}, std::move(rows));
  }

  doc.H2("Actor role changes");
  {
    std::vector<std::vector<std::string>> rows;
    for (const auto& a : file.actors) {
      for (const auto& r : a.roles) {
        if (in(r.from)) rows.push_back({a.name, "began: " + r.role, r.from, r.note});
        if (!r.to.empty() && in(r.to)) rows.push_back({a.name, "ended: " + r.role, r.to, r.note});
      }
    }
    std::stable_sort(rows.begin(), rows.end(), [](const auto& x, const auto& y) { return x[2] < y[2]; });
    doc.Table({"Actor", "Change", "Date", "Note"}, std::move(rows));
  }

  doc.H2("Assumptions whose status changed");
  {
    std::vector<std::vector<std::string>> rows;
    for (const AuditEntry& e : d.audit) {
      if (e.entity != "assumption" || e.action != "status" || !e.after.is_object()) continue;
      const std::string as_of = e.after.value("as_of", "");
      if (!in(as_of)) continue;
      const std::string before = e.before.is_object() ? e.before.value("status", "") : "";
      const std::string after = e.after.value("status", "");
      rows.push_back({e.after.value("text", ""), before.empty() ? after : before + " -> " + after, as_of,
                      e.after.value("note", ""), e.who});
    }
    doc.Table({"Assumption", "Status", "As of", "Why", "By"}, std::move(rows));
  }

  doc.H2("Information requirements answered");
  {
    std::vector<std::vector<std::string>> rows;
    for (const auto& r : file.cirs) {
      if (r.status == "answered" && in(r.answered_at)) {
        rows.push_back({r.question, r.answer, r.answered_at, Evidence(r.evidence)});
      }
    }
    doc.Table({"Question", "Answer", "Answered", "Evidence"}, std::move(rows));
  }

  doc.H2("New conflict assessment entries");
  {
    std::vector<std::vector<std::string>> rows;
    for (const auto& e : file.assessment) {
      if (in(e.as_of)) {
        rows.push_back({std::string(assess::AssessmentSectionTitle(e.section)), e.text, e.as_of, e.confidence, e.author});
      }
    }
    doc.Table({"Section", "Entry", "As of", "Confidence", "By"}, std::move(rows));
  }

  doc.H2("Case file activity recorded in the range (audit log)");
  {
    std::map<std::pair<std::string, std::string>, std::pair<int, std::set<std::string>>> counts;
    int total = 0;
    for (const AuditEntry& e : d.audit) {
      if (!in(Prefix(e.at, 10))) continue;
      auto& slot = counts[{e.entity, e.action}];
      ++slot.first;
      slot.second.insert(e.who);
      ++total;
    }
    std::vector<std::vector<std::string>> rows;
    for (const auto& [k, v] : counts) {
      std::string who;
      for (const auto& w : v.second) who += (who.empty() ? "" : ", ") + w;
      rows.push_back({k.first, k.second, std::to_string(v.first), who});
    }
    if (total > 0) doc.Para(fmt::format("{} changes recorded between {} and {} (UTC).", total, d.from, d.to));
    doc.Table({"Entity", "Action", "Changes", "By"}, std::move(rows));
  }
  if (planning) product::AppendPlanningUpdate(doc, d, *planning);
  return Render(doc, f);
}

}  // namespace vigil::report
