// vigil case: the case file of MAPRO Steps 1-2 (initial guidance, actors with
// role histories, framework scores with dissents, conflict assessment,
// interests, assumptions, information requirements) and its audit log.
#include <fmt/format.h>

#include <charconv>
#include <cmath>
#include <functional>
#include <iostream>
#include <map>
#include <memory>

#include "app/assess_service.h"
#include "app/case_service.h"
#include "assess/case.h"
#include "assess/frameworks.h"
#include "cli/cli.h"
#include "cli/planning_cli.h"
#include "data/countries.h"

namespace vigil::cli {

namespace {

using assess::CaseRepo;
using nlohmann::json;

std::string CountryLabel(const std::optional<int>& gw) {
  return gw ? data::CountryName(*gw) : "";
}

Result<std::vector<assess::EvidenceLink>> ParseEvidence(const std::vector<std::string>& args) {
  std::vector<assess::EvidenceLink> out;
  for (const auto& a : args) {
    VIGIL_ASSIGN_OR_RETURN(auto e, assess::ParseEvidenceLink(a));
    out.push_back(std::move(e));
  }
  return out;
}

// planning_cli's WithCase (who acts, and CASE if they may do `action` on
// it), with the case repository the case commands write through.
int WithCaseRepo(Context& ctx, const std::string& query, std::string_view action,
                 const std::function<int(CaseRepo&, const Principal&, const assess::Case&)>& fn) {
  return WithCase(ctx, query, action, [&](store::Db& db, const Principal& who, const assess::Case& c) {
    CaseRepo repo(db);
    return fn(repo, who, c);
  });
}

// Prints a changed entity: JSON with --json, else a one-line message.
int Done(Context& ctx, const json& j, const std::string& message) {
  if (ctx.json) {
    PrintJson(j);
  } else {
    std::cout << message << "\n";
  }
  return kExitOk;
}

std::string EvidenceText(const std::vector<assess::EvidenceLink>& ev) {
  if (ev.empty()) return "";
  std::string s = " [evidence:";
  for (const auto& e : ev) s += " " + assess::FormatEvidenceLink(e);
  return s + "]";
}

std::string ItemTitle(const std::string& framework, const std::string& item) {
  if (const auto* f = assess::FindFramework(framework)) {
    if (const auto* i = f->Find(item)) return i->title;
  }
  return "";
}

// ---- new / list / show -------------------------------------------------------

struct NewArgs {
  std::string title, country, region, scope, purpose, slug, status = "open";
};

int RunNew(Context& ctx, const NewArgs& a) {
  assess::Case c;
  c.title = a.title;
  c.region = a.region;
  c.scope = a.scope;
  c.purpose = a.purpose;
  c.slug = a.slug;
  c.status = a.status;
  if (!a.country.empty()) {
    const Country* country = data::ResolveCountry(a.country);
    if (!country) {
      return Fail(Status::InvalidArgument(
          fmt::format("--country: unknown country '{}' (see vigil countries resolve)", a.country)));
    }
    c.gw = country->gw;
  }
  VIGIL_ASSIGN_OR_RETURN_CLI(store::Db * db, ctx.Db());
  VIGIL_ASSIGN_OR_RETURN_CLI(Principal who, ctx.Who());
  VIGIL_ASSIGN_OR_RETURN_CLI(assess::Case created, app::CreateCase(*db, who, c));
  return Done(ctx, assess::ToJson(created),
              fmt::format("case {} created: {} ({}){}", created.id, created.slug, created.title,
                          created.gw ? ", " + CountryLabel(created.gw) : ""));
}

int RunList(Context& ctx) {
  VIGIL_ASSIGN_OR_RETURN_CLI(store::Db * db, ctx.Db());
  VIGIL_ASSIGN_OR_RETURN_CLI(Principal who, ctx.Who());
  VIGIL_ASSIGN_OR_RETURN_CLI(std::vector<app::VisibleCase> visible, app::ListCases(*db, who));
  std::vector<assess::Case> cases;  // oldest first, as the table has always listed them
  for (auto it = visible.rbegin(); it != visible.rend(); ++it) cases.push_back(std::move(it->c));
  if (ctx.json) {
    json out = json::array();
    for (const auto& c : cases) {
      json j = assess::ToJson(c);
      j["country"] = CountryLabel(c.gw);
      out.push_back(std::move(j));
    }
    PrintJson(out);
    return kExitOk;
  }
  if (cases.empty()) {
    std::cout << "(no cases; open one with: vigil case new --title TITLE --country COUNTRY)\n";
    return kExitOk;
  }
  std::cout << fmt::format("{:>4}  {:<28}  {:<10}  {:<24}  {:<20}  {}\n", "id", "slug", "status", "country/region",
                           "updated", "title");
  for (const auto& c : cases) {
    std::string where = c.gw ? CountryLabel(c.gw) : c.region;
    std::cout << fmt::format("{:>4}  {:<28}  {:<10}  {:<24}  {:<20}  {}\n", c.id, Clip(c.slug, 28), c.status,
                             Clip(where, 24),
                             c.updated_at, c.title);
  }
  return kExitOk;
}

void PrintShow(const assess::CaseFile& f, const assess::CaseLinks& links) {
  const auto& c = f.info;
  std::cout << fmt::format("case {} ({}): {}\n", c.id, c.slug, c.title);
  std::cout << fmt::format("status {}; {}{}{}; opened {} by {}, updated {}\n", c.status,
                           c.gw ? CountryLabel(c.gw) : "", c.gw && !c.region.empty() ? ", " : "", c.region,
                           c.created_at, c.created_by, c.updated_at);
  if (!c.scope.empty()) std::cout << "scope: " << c.scope << "\n";
  if (!c.purpose.empty()) std::cout << "purpose: " << c.purpose << "\n";

  const auto& g = f.guidance;
  std::cout << "\nInitial guidance (Tab 1)\n";
  const std::pair<const char*, const std::string*> fields[] = {
      {"objective", &g.objective},       {"level of effort", &g.level_of_effort},
      {"lead agency", &g.lead_agency},   {"approving authority", &g.approving_authority},
      {"assumptions", &g.assumptions},   {"constraints", &g.constraints},
      {"restraints", &g.restraints},     {"coordination", &g.coordination},
      {"intent", &g.intent},             {"timeline", &g.timeline},
      {"other", &g.other}};
  int shown = 0;
  for (const auto& [label, value] : fields) {
    if (value->empty()) continue;
    std::cout << fmt::format("  {}: {}\n", label, *value);
    ++shown;
  }
  if (!g.ipt.empty()) {
    std::cout << "  IPT:\n";
    for (const auto& m : g.ipt) {
      std::cout << fmt::format("    [{}] {}{}{}\n", m.id, m.name, m.organization.empty() ? "" : ", " + m.organization,
                               m.role.empty() ? "" : " (" + m.role + ")");
    }
  }
  if (shown == 0 && g.ipt.empty()) std::cout << "  (none recorded; vigil case edit CASE --objective ...)\n";

  std::cout << fmt::format("\nActors ({})\n", f.actors.size());
  for (const auto& a : f.actors) {
    std::string current;
    for (const auto* r : a.RolesOn()) current += (current.empty() ? "" : ", ") + r->role;
    std::cout << fmt::format("  [{}] {} ({}){}\n", a.id, a.name, a.kind, current.empty() ? "" : ": " + current);
    const std::pair<const char*, const std::string*> afields[] = {
        {"motivations", &a.motivations}, {"means", &a.means},         {"capabilities", &a.capabilities},
        {"weaknesses", &a.weaknesses},   {"locations", &a.locations}, {"notes", &a.notes}};
    for (const auto& [label, value] : afields) {
      if (!value->empty()) std::cout << fmt::format("      {}: {}\n", label, OneLine(*value));
    }
    for (const auto& r : a.roles) {
      std::cout << fmt::format("      role {} {} .. {}{} (by {}){}\n", r.role, r.from, r.to.empty() ? "now" : r.to,
                               "", r.author, r.note.empty() ? "" : ": " + OneLine(r.note));
    }
    for (const auto& rel : a.relations) {
      const auto* other = f.FindActor(rel.other_id);
      std::cout << fmt::format("      {} {}{}\n", rel.kind, other ? other->name : fmt::format("actor {}", rel.other_id),
                               rel.note.empty() ? "" : ": " + OneLine(rel.note));
    }
  }

  std::cout << fmt::format("\nScores ({} current, {} versions)\n", f.scores.size(), f.score_versions.size());
  for (const auto& s : f.scores) {
    std::string title = ItemTitle(s.framework, s.item);
    std::cout << fmt::format("  {} {}{}: {} ({} confidence, as of {}, v{}, {}{}){}{}\n", s.framework, s.item,
                             title.empty() ? "" : " " + title, s.level, s.confidence, s.as_of, s.version,
                             s.position == "dissent" ? "DISSENT by " : "by ", s.author, "",
                             s.rationale.empty() ? "" : ": " + OneLine(s.rationale), EvidenceText(s.evidence));
  }

  std::cout << fmt::format("\nConflict assessment (Tab 2, {} entr{})\n", f.assessment.size(), f.assessment.size() == 1 ? "y" : "ies");
  std::string section;
  for (const auto& e : f.assessment) {
    if (e.section != section) {
      section = e.section;
      std::cout << fmt::format("  {}\n", assess::AssessmentSectionTitle(section));
    }
    std::cout << fmt::format("    [{}] {} ({}, {} confidence, by {}){}\n", e.id, OneLine(e.text), e.as_of,
                             e.confidence, e.author, EvidenceText(e.evidence));
  }

  std::cout << fmt::format("\nInterests ({})\n", f.interests.size());
  for (const auto& i : f.interests) {
    std::string conflicts;
    for (auto id : i.conflicts_with) conflicts += (conflicts.empty() ? "" : ", ") + std::to_string(id);
    std::cout << fmt::format("  [{}] priority {}{}: {}{}{}\n", i.id, i.priority, i.owner.empty() ? "" : " (" + i.owner + ")",
                             OneLine(i.text), conflicts.empty() ? "" : " [conflicts with " + conflicts + "]",
                             i.note.empty() ? "" : " - " + OneLine(i.note));
  }
  std::cout << fmt::format("\nAssumptions ({})\n", f.assumptions.size());
  for (const auto& a : f.assumptions) {
    std::cout << fmt::format("  [{}] {} ({} as of {}){}{}\n", a.id, OneLine(a.text), a.status, a.as_of,
                             a.note.empty() ? "" : ": " + OneLine(a.note), EvidenceText(a.evidence));
  }
  std::cout << fmt::format("\nInformation requirements ({})\n", f.cirs.size());
  for (const auto& r : f.cirs) {
    std::cout << fmt::format("  [{}] P{} {} {}{}{}\n", r.id, r.priority, r.status, OneLine(r.question),
                             r.answer.empty() ? "" : fmt::format(" -> {} ({})", OneLine(r.answer), r.answered_at),
                             EvidenceText(r.evidence));
  }

  if (c.gw) {
    std::cout << fmt::format("\nStored data on {}\n", CountryLabel(c.gw));
    if (links.forecasts.empty()) {
      std::cout << "  no forecast covers it (vigil forecast)\n";
    } else {
      const auto& fc = links.forecasts.front();
      std::cout << fmt::format("  latest forecast (run {}, {}, data {}): risk {:.1f}% of an onset in {}-{}, rank {} of {}\n",
                               fc.run_id, fc.model, fc.base_year, fc.risk * 100, fc.target_first, fc.target_last,
                               fc.rank, fc.countries);
    }
    std::cout << fmt::format("  {} alerts{}\n", links.alerts.size(), links.alerts.empty() ? " (vigil alerts scan)" : ":");
    for (std::size_t i = 0; i < links.alerts.size() && i < 10; ++i) {
      const auto& al = links.alerts[i];
      std::cout << fmt::format("    [{}] {} {} {} ({}){}: {}\n", al.id, al.month, al.detector, al.severity, al.status,
                               al.unit.empty() ? "" : " " + al.unit, al.summary);
    }
    if (links.alerts.size() > 10) std::cout << fmt::format("    ... {} more (vigil alerts list)\n", links.alerts.size() - 10);
  }
}

int RunShow(Context& ctx, const std::string& query) {
  return WithCaseRepo(ctx, query, "case.read", [&](CaseRepo& repo, const Principal& who, const assess::Case& c) {
    VIGIL_ASSIGN_OR_RETURN_CLI(assess::CaseFile f, repo.LoadCaseFile(c.id));
    VIGIL_ASSIGN_OR_RETURN_CLI(assess::CaseLinks links, repo.LoadLinks(c));
    if (ctx.json) {
      json j = assess::ToJson(f);
      j["country"] = CountryLabel(c.gw);
      j["links"] = assess::ToJson(links);
      PrintJson(j);
      return kExitOk;
    }
    PrintShow(f, links);
    return kExitOk;
  });
}

// ---- edit ---------------------------------------------------------------------

// A text option of an edit command: the field it sets and its value.
struct EditOption {
  std::string field;
  std::shared_ptr<std::string> value = std::make_shared<std::string>();
  CLI::Option* opt = nullptr;
};

// --revision N: the revision of the record the user read (vigil case show
// --json); a stale one changes nothing and exits with 4.
CLI::Option* AddRevisionOption(CLI::App* sub, int& into, const char* what) {
  return sub->add_option("--revision", into,
                         fmt::format("The {}'s revision you read (vigil case show --json): if a colleague has changed "
                                     "it since, nothing changes and vigil exits with 4",
                                     what))
      ->check(CLI::PositiveNumber);
}

std::optional<int> RevisionArg(const CLI::Option* opt, int value) {
  return opt->count() > 0 ? std::optional<int>(value) : std::nullopt;
}

int RunEdit(Context& ctx, const std::string& query, const std::vector<EditOption>& opts,
            std::optional<int> revision) {
  assess::FieldEdits edits;
  for (const auto& o : opts) {
    if (o.opt->count() == 0) continue;
    if (o.field == "gw") {
      if (*o.value == "none" || o.value->empty()) {
        edits.emplace_back("gw", "");
        continue;
      }
      const Country* country = data::ResolveCountry(*o.value);
      if (!country) {
        return Fail(Status::InvalidArgument(
            fmt::format("--country: unknown country '{}' (see vigil countries resolve)", *o.value)));
      }
      edits.emplace_back("gw", std::to_string(country->gw));
    } else {
      edits.emplace_back(o.field, *o.value);
    }
  }
  if (edits.empty()) return Fail(Status::InvalidArgument("nothing to edit: give at least one field option (see --help)"));
  return WithActing(ctx, [&](store::Db& db, const Principal& who) {
    VIGIL_ASSIGN_OR_RETURN_CLI(assess::CaseFile f, app::EditCase(db, who, query, edits, revision));
    json j = assess::ToJson(f.info);
    j["guidance"] = assess::ToJson(f.guidance);
    return Done(ctx, j, fmt::format("case {} ({}): {} field{} set", f.info.id, f.info.slug, edits.size(),
                                    edits.size() == 1 ? "" : "s"));
  });
}

// ---- history -------------------------------------------------------------------

int RunHistory(Context& ctx, const std::string& query) {
  return WithCaseRepo(ctx, query, "case.history", [&](CaseRepo& repo, const Principal& who, const assess::Case& c) {
    VIGIL_ASSIGN_OR_RETURN_CLI(std::vector<assess::AuditEntry> h, repo.History(c.id));
    if (ctx.json) {
      json out = json::array();
      for (const auto& e : h) out.push_back(assess::ToJson(e));
      PrintJson(out);
      return kExitOk;
    }
    std::cout << fmt::format("{:>5}  {:<20}  {:<12}  {:<10}  {:<15}  {}\n", "id", "at", "who", "action", "entity", "change");
    for (const auto& e : h) {
      const std::string what = app::ChangeSummary(e);
      std::cout << fmt::format("{:>5}  {:<20}  {:<12}  {:<10}  {:<15}  {}\n", e.id, e.at, e.who, e.action,
                               fmt::format("{} {}", e.entity, e.entity_id), OneLine(what));
    }
    return kExitOk;
  });
}

// ---- IPT members ---------------------------------------------------------------

struct IptArgs {
  std::string case_query, name, organization, role;
  std::int64_t member_id = 0;
};

// ---- actors ------------------------------------------------------------------

struct ActorArgs {
  std::string case_query, actor;
  std::string name, kind = "group", motivations, means, capabilities, weaknesses, locations, notes;
  std::string role, from, to, note;
  bool end_open = false;
  std::int64_t role_id = 0;
  std::string other, relation_kind;
};

json ActorJson(CaseRepo& repo, std::int64_t case_id, std::int64_t actor_id) {
  auto a = repo.FindActor(case_id, std::to_string(actor_id));
  return a.ok() ? assess::ToJson(*a) : json(nullptr);
}

int RunActorAdd(Context& ctx, const ActorArgs& a) {
  if (a.role.empty() != a.from.empty()) {
    return Fail(Status::InvalidArgument("--role and --from go together (the actor's first role and since when)"));
  }
  return WithCaseRepo(ctx, a.case_query, "case.assess", [&](CaseRepo& repo, const Principal& who, const assess::Case& c) {
    assess::Actor actor;
    actor.name = a.name;
    actor.kind = a.kind;
    actor.motivations = a.motivations;
    actor.means = a.means;
    actor.capabilities = a.capabilities;
    actor.weaknesses = a.weaknesses;
    actor.locations = a.locations;
    actor.notes = a.notes;
    if (!a.role.empty()) {
      assess::ActorRole r;
      r.role = a.role;
      r.from = a.from;
      r.to = a.to;
      r.note = a.note;
      actor.roles.push_back(r);
    }
    VIGIL_ASSIGN_OR_RETURN_CLI(store::Db * db, ctx.Db());
    VIGIL_ASSIGN_OR_RETURN_CLI(assess::Actor stored, app::AddActor(*db, who, c.slug, actor));
    return Done(ctx, assess::ToJson(stored),
                fmt::format("actor {} added to case {}: {} ({}){}", stored.id, c.slug, stored.name, stored.kind,
                            a.role.empty() ? "" : ", " + a.role + " from " + a.from));
  });
}

int RunActorRole(Context& ctx, const ActorArgs& a) {
  return WithCaseRepo(ctx, a.case_query, "case.assess", [&](CaseRepo& repo, const Principal& who, const assess::Case& c) {
    VIGIL_ASSIGN_OR_RETURN_CLI(assess::Actor actor, repo.FindActor(c.id, a.actor));
    assess::ActorRole r;
    r.role = a.role;
    r.from = a.from;
    r.to = a.to;
    r.note = a.note;
    VIGIL_ASSIGN_OR_RETURN_CLI(store::Db * db, ctx.Db());
    VIGIL_ASSIGN_OR_RETURN_CLI(assess::ActorRole stored,
                               app::AddActorRole(*db, who, c.slug, std::to_string(actor.id), r, a.end_open));
    return Done(ctx, ActorJson(repo, c.id, actor.id),
                fmt::format("actor {} ({}): role {} from {}{} (entry {}){}", actor.id, actor.name, stored.role,
                            stored.from, stored.to.empty() ? "" : " to " + stored.to, stored.id,
                            a.end_open ? "; its earlier open roles end then" : ""));
  });
}

int RunActorEndRole(Context& ctx, const ActorArgs& a) {
  return WithCaseRepo(ctx, a.case_query, "case.assess", [&](CaseRepo& repo, const Principal& who, const assess::Case& c) {
    VIGIL_ASSIGN_OR_RETURN_CLI(assess::Actor actor, repo.FindActor(c.id, a.actor));
    Status st = repo.EndActorRole(c.id, actor.id, a.role_id, a.to, who.AuditName());
    if (!st.ok()) return Fail(st);
    return Done(ctx, ActorJson(repo, c.id, actor.id),
                fmt::format("actor {} ({}): role entry {} ends {}", actor.id, actor.name, a.role_id, a.to));
  });
}

int RunActorEdit(Context& ctx, const ActorArgs& a, const std::vector<EditOption>& opts,
                 std::optional<int> revision) {
  assess::FieldEdits edits;
  for (const auto& o : opts) {
    if (o.opt->count() > 0) edits.emplace_back(o.field, *o.value);
  }
  if (edits.empty()) return Fail(Status::InvalidArgument("nothing to edit: give at least one field option (see --help)"));
  return WithCaseRepo(ctx, a.case_query, "case.assess", [&](CaseRepo& repo, const Principal& who, const assess::Case& c) {
    VIGIL_ASSIGN_OR_RETURN_CLI(assess::Actor actor, repo.FindActor(c.id, a.actor));
    Status st = repo.EditActor(c.id, actor.id, edits, who.AuditName(), revision);
    if (!st.ok()) return Fail(st);
    return Done(ctx, ActorJson(repo, c.id, actor.id),
                fmt::format("actor {}: {} field{} set", actor.id, edits.size(), edits.size() == 1 ? "" : "s"));
  });
}

int RunActorRelate(Context& ctx, const ActorArgs& a) {
  return WithCaseRepo(ctx, a.case_query, "case.assess", [&](CaseRepo& repo, const Principal& who, const assess::Case& c) {
    VIGIL_ASSIGN_OR_RETURN_CLI(assess::Actor actor, repo.FindActor(c.id, a.actor));
    VIGIL_ASSIGN_OR_RETURN_CLI(assess::Actor other, repo.FindActor(c.id, a.other));
    assess::ActorRelation rel;
    rel.other_id = other.id;
    rel.kind = a.relation_kind;
    rel.note = a.note;
    VIGIL_ASSIGN_OR_RETURN_CLI(assess::ActorRelation stored, repo.AddActorRelation(c.id, actor.id, rel, who.AuditName()));
    return Done(ctx, ActorJson(repo, c.id, actor.id),
                fmt::format("actor {} ({}) {} {} ({}) [relation {}]", actor.id, actor.name, stored.kind, other.id,
                            other.name, stored.id));
  });
}

// ---- scores --------------------------------------------------------------------

struct ScoreArgs {
  std::string case_query, framework, item, level, confidence = "medium", as_of, rationale;
  bool dissent = false;
  std::vector<std::string> evidence;
  int based_on = -1;  // --based-on: the series' version the user read (0: none yet)
};

int RunScore(Context& ctx, const ScoreArgs& a) {
  VIGIL_ASSIGN_OR_RETURN_CLI(auto evidence, ParseEvidence(a.evidence));
  VIGIL_ASSIGN_OR_RETURN_CLI(store::Db * db, ctx.Db());
  VIGIL_ASSIGN_OR_RETURN_CLI(Principal who, ctx.Who());
  assess::Score s;
  s.framework = a.framework;
  s.item = a.item;
  s.level = a.level;
  s.confidence = a.confidence;
  s.as_of = a.as_of;
  s.rationale = a.rationale;
  s.position = a.dissent ? "dissent" : "majority";
  s.evidence = evidence;
  const std::optional<int> based_on = a.based_on >= 0 ? std::optional<int>(a.based_on) : std::nullopt;
  VIGIL_ASSIGN_OR_RETURN_CLI(assess::Score stored, app::RecordScore(*db, who, a.case_query, s, based_on));
  return Done(ctx, assess::ToJson(stored),
              fmt::format("case {}: {} {} = {} ({} confidence, as of {}), {} version {} by {}{}", a.case_query,
                          stored.framework, stored.item, stored.level, stored.confidence, stored.as_of,
                          stored.position, stored.version, stored.author, EvidenceText(stored.evidence)));
}

// ---- assessment -------------------------------------------------------------------

struct AssessArgs {
  std::string case_query, section, text, as_of, confidence = "medium";
  std::int64_t entry_id = 0;
  std::vector<std::string> evidence;
  CLI::Option* evidence_opt = nullptr;
  CLI::Option* as_of_opt = nullptr;
  CLI::Option* confidence_opt = nullptr;
  CLI::Option* text_opt = nullptr;
};

int RunAssessAdd(Context& ctx, const AssessArgs& a) {
  VIGIL_ASSIGN_OR_RETURN_CLI(auto evidence, ParseEvidence(a.evidence));
  return WithCaseRepo(ctx, a.case_query, "case.assess", [&](CaseRepo& repo, const Principal& who, const assess::Case& c) {
    assess::AssessmentEntry e;
    e.section = a.section;
    e.text = a.text;
    e.as_of = a.as_of;
    e.confidence = a.confidence;
    e.evidence = evidence;
    VIGIL_ASSIGN_OR_RETURN_CLI(store::Db * db, ctx.Db());
    VIGIL_ASSIGN_OR_RETURN_CLI(assess::AssessmentEntry stored, app::AddAssessmentEntry(*db, who, c.slug, e));
    return Done(ctx, assess::ToJson(stored),
                fmt::format("case {}: assessment entry {} ({}, as of {})", c.slug, stored.id, stored.section,
                            stored.as_of));
  });
}

int RunAssessEdit(Context& ctx, const AssessArgs& a) {
  std::optional<std::vector<assess::EvidenceLink>> evidence;
  if (a.evidence_opt->count() > 0) {
    VIGIL_ASSIGN_OR_RETURN_CLI(evidence, ParseEvidence(a.evidence));
  }
  return WithCaseRepo(ctx, a.case_query, "case.assess", [&](CaseRepo& repo, const Principal& who, const assess::Case& c) {
    VIGIL_ASSIGN_OR_RETURN_CLI(assess::CaseFile f, repo.LoadCaseFile(c.id));
    const assess::AssessmentEntry* old = nullptr;
    for (const auto& e : f.assessment) {
      if (e.id == a.entry_id) old = &e;
    }
    if (!old) return Fail(Status::NotFound(fmt::format("no assessment entry {} in case {}", a.entry_id, c.slug)));
    Status st = repo.EditAssessmentEntry(c.id, a.entry_id, a.text_opt->count() ? a.text : old->text,
                                         a.as_of_opt->count() ? a.as_of : old->as_of,
                                         a.confidence_opt->count() ? a.confidence : old->confidence, evidence,
                                         who.AuditName());
    if (!st.ok()) return Fail(st);
    VIGIL_ASSIGN_OR_RETURN_CLI(assess::CaseFile after, repo.LoadCaseFile(c.id));
    json j = nullptr;
    for (const auto& e : after.assessment) {
      if (e.id == a.entry_id) j = assess::ToJson(e);
    }
    return Done(ctx, j, fmt::format("case {}: assessment entry {} updated", c.slug, a.entry_id));
  });
}

// ---- interests, assumptions, CIRs ----------------------------------------------

struct InterestArgs {
  std::string case_query, text, owner, note;
  int priority = 1;
  std::vector<std::int64_t> conflicts;
  std::int64_t id = 0;
  CLI::Option *text_opt = nullptr, *owner_opt = nullptr, *note_opt = nullptr, *priority_opt = nullptr,
              *conflicts_opt = nullptr;
};

int RunInterestAdd(Context& ctx, const InterestArgs& a) {
  return WithCaseRepo(ctx, a.case_query, "case.edit", [&](CaseRepo& repo, const Principal& who, const assess::Case& c) {
    assess::Interest i;
    i.text = a.text;
    i.owner = a.owner;
    i.note = a.note;
    i.priority = a.priority;
    i.conflicts_with = a.conflicts;
    VIGIL_ASSIGN_OR_RETURN_CLI(assess::Interest stored, repo.AddInterest(c.id, i, who.AuditName()));
    return Done(ctx, assess::ToJson(stored),
                fmt::format("case {}: interest {} (priority {})", c.slug, stored.id, stored.priority));
  });
}

int RunInterestEdit(Context& ctx, const InterestArgs& a) {
  return WithCaseRepo(ctx, a.case_query, "case.edit", [&](CaseRepo& repo, const Principal& who, const assess::Case& c) {
    VIGIL_ASSIGN_OR_RETURN_CLI(assess::CaseFile f, repo.LoadCaseFile(c.id));
    const assess::Interest* old = nullptr;
    for (const auto& i : f.interests) {
      if (i.id == a.id) old = &i;
    }
    if (!old) return Fail(Status::NotFound(fmt::format("no interest {} in case {}", a.id, c.slug)));
    assess::Interest i = *old;
    if (a.text_opt->count()) i.text = a.text;
    if (a.owner_opt->count()) i.owner = a.owner;
    if (a.note_opt->count()) i.note = a.note;
    if (a.priority_opt->count()) i.priority = a.priority;
    if (a.conflicts_opt->count()) i.conflicts_with = a.conflicts;
    Status st = repo.UpdateInterest(c.id, i, who.AuditName());
    if (!st.ok()) return Fail(st);
    VIGIL_ASSIGN_OR_RETURN_CLI(assess::CaseFile after, repo.LoadCaseFile(c.id));
    json j = nullptr;
    for (const auto& x : after.interests) {
      if (x.id == a.id) j = assess::ToJson(x);
    }
    return Done(ctx, j, fmt::format("case {}: interest {} updated", c.slug, a.id));
  });
}

struct AssumptionArgs {
  std::string case_query, text, status = "unvalidated", as_of, note;
  std::int64_t id = 0;
  std::vector<std::string> evidence;
};

int RunAssumptionAdd(Context& ctx, const AssumptionArgs& a) {
  VIGIL_ASSIGN_OR_RETURN_CLI(auto evidence, ParseEvidence(a.evidence));
  return WithCaseRepo(ctx, a.case_query, "case.edit", [&](CaseRepo& repo, const Principal& who, const assess::Case& c) {
    assess::Assumption x;
    x.text = a.text;
    x.status = a.status;
    x.as_of = a.as_of;
    x.note = a.note;
    x.evidence = evidence;
    VIGIL_ASSIGN_OR_RETURN_CLI(assess::Assumption stored, repo.AddAssumption(c.id, x, who.AuditName()));
    return Done(ctx, assess::ToJson(stored),
                fmt::format("case {}: assumption {} ({})", c.slug, stored.id, stored.status));
  });
}

int RunAssumptionSet(Context& ctx, const AssumptionArgs& a) {
  VIGIL_ASSIGN_OR_RETURN_CLI(auto evidence, ParseEvidence(a.evidence));
  return WithCaseRepo(ctx, a.case_query, "case.edit", [&](CaseRepo& repo, const Principal& who, const assess::Case& c) {
    Status st = repo.SetAssumptionStatus(c.id, a.id, a.status, a.as_of, a.note, evidence, who.AuditName());
    if (!st.ok()) return Fail(st);
    VIGIL_ASSIGN_OR_RETURN_CLI(assess::CaseFile f, repo.LoadCaseFile(c.id));
    json j = nullptr;
    for (const auto& x : f.assumptions) {
      if (x.id == a.id) j = assess::ToJson(x);
    }
    return Done(ctx, j, fmt::format("case {}: assumption {} is {}", c.slug, a.id, a.status));
  });
}

struct CirArgs {
  std::string case_query, question, answer, answered_at;
  int priority = 1;
  std::int64_t id = 0;
  std::vector<std::string> evidence;
};

int RunCirAdd(Context& ctx, const CirArgs& a) {
  VIGIL_ASSIGN_OR_RETURN_CLI(auto evidence, ParseEvidence(a.evidence));
  return WithCaseRepo(ctx, a.case_query, "case.edit", [&](CaseRepo& repo, const Principal& who, const assess::Case& c) {
    assess::InformationRequirement r;
    r.question = a.question;
    r.priority = a.priority;
    r.evidence = evidence;
    VIGIL_ASSIGN_OR_RETURN_CLI(assess::InformationRequirement stored, repo.AddCir(c.id, r, who.AuditName()));
    return Done(ctx, assess::ToJson(stored),
                fmt::format("case {}: information requirement {} (priority {}, open)", c.slug, stored.id,
                            stored.priority));
  });
}

int RunCirAnswer(Context& ctx, const CirArgs& a, bool reopen) {
  VIGIL_ASSIGN_OR_RETURN_CLI(auto evidence, ParseEvidence(a.evidence));
  if (!reopen && a.answer.empty()) return Fail(Status::InvalidArgument("--answer: empty"));
  return WithCaseRepo(ctx, a.case_query, "case.edit", [&](CaseRepo& repo, const Principal& who, const assess::Case& c) {
    Status st = repo.AnswerCir(c.id, a.id, reopen ? "" : a.answer, reopen ? "" : a.answered_at, evidence, who.AuditName());
    if (!st.ok()) return Fail(st);
    VIGIL_ASSIGN_OR_RETURN_CLI(assess::CaseFile f, repo.LoadCaseFile(c.id));
    json j = nullptr;
    for (const auto& x : f.cirs) {
      if (x.id == a.id) j = assess::ToJson(x);
    }
    return Done(ctx, j, fmt::format("case {}: information requirement {} {}", c.slug, a.id,
                                    reopen ? "re-opened" : "answered"));
  });
}

std::string Joined(const char* const* list, std::size_t n) {
  std::string s;
  for (std::size_t i = 0; i < n; ++i) s += (i ? ", " : "") + std::string(list[i]);
  return s;
}
#define VIGIL_JOINED(list) Joined(list, std::size(list))

std::string EvidenceHelp() {
  return "Evidence KIND:REF, repeatable: event:SOURCE/ID (e.g. event:ged/4567) or event:ROW "
         "(a stored event row, as vigil alerts show lists them), alert:ID, "
         "forecast:RUN, document:TEXT, report:TEXT, url:URL";
}

}  // namespace

void RegisterCase(CLI::App& app, Context& ctx) {
  auto* cmd = app.add_subcommand(
      "case",
      "Case files (MAPRO Steps 1-2): open a case on a country or region, record the initial guidance,\n"
      "actors and their roles over time, framework scores with dissents, the conflict assessment,\n"
      "interests, assumptions and information requirements. Every change is kept in an audit log.\n"
      "CASE is a case id or slug.");
  cmd->require_subcommand(1);

  // new
  auto na = std::make_shared<NewArgs>();
  auto* nw = cmd->add_subcommand("new", "Open a case on a country (or a region)");
  nw->add_option("--title", na->title, "Title")->required();
  nw->add_option("--country", na->country, "Country: name, ISO3 or GW code");
  nw->add_option("--region", na->region, "Region (free text) for a regional case or in addition to the country");
  nw->add_option("--scope", na->scope, "What the case covers (period, places, populations)");
  nw->add_option("--purpose", na->purpose, "Why the case is opened");
  nw->add_option("--slug", na->slug, "Short code (default: from the title)");
  nw->add_option("--status", na->status, "open, monitoring, closed or archived")->capture_default_str();
  nw->callback([&ctx, na] { SetExit(RunNew(ctx, *na)); });

  auto* ls = cmd->add_subcommand("list", "List the cases");
  ls->callback([&ctx] { SetExit(RunList(ctx)); });

  auto show_q = std::make_shared<std::string>();
  auto* show = cmd->add_subcommand(
      "show", "Show everything on a case: guidance, actors with role history, scores with dissents beside the\n"
              "majority, assessment, interests, assumptions, information requirements, and the forecasts and\n"
              "alerts stored for its country");
  show->add_option("CASE", *show_q, "Case id or slug")->required();
  show->callback([&ctx, show_q] { SetExit(RunShow(ctx, *show_q)); });

  // edit
  auto edit_q = std::make_shared<std::string>();
  auto edit_opts = std::make_shared<std::vector<EditOption>>();
  auto* edit = cmd->add_subcommand("edit", "Set case fields and initial guidance (Tab 1) fields");
  edit->add_option("CASE", *edit_q, "Case id or slug")->required();
  const std::pair<const char*, const char*> edit_fields[] = {
      {"title", "Title"},
      {"slug", "Short code"},
      {"gw", "Country: name, ISO3 or GW code; 'none' for a regional case (--country)"},
      {"region", "Region"},
      {"scope", "Scope"},
      {"purpose", "Why the case is open"},
      {"status", "open, monitoring, closed or archived"},
      {"objective", "Guidance: the planning purpose (prevent, respond, both)"},
      {"level-of-effort", "Guidance: expected level of effort"},
      {"lead-agency", "Guidance: who directs the effort"},
      {"approving-authority", "Guidance: who approves and guides the IPT"},
      {"assumptions", "Guidance: assumptions"},
      {"constraints", "Guidance: constraints (what must be done)"},
      {"restraints", "Guidance: restraints (what must not be done)"},
      {"coordination", "Guidance: coordination with outside actors"},
      {"intent", "Guidance: intent"},
      {"timeline", "Guidance: timeline"},
      {"other", "Guidance: other (interests, risks, mitigation, resources) (--other-guidance)"},
  };
  for (const auto& [field, help] : edit_fields) {
    EditOption o;
    o.field = field;
    std::string flag = std::string("--") + field;
    if (o.field == "gw") flag = "--country";
    if (o.field == "other") flag = "--other-guidance";
    o.opt = edit->add_option(flag, *o.value, help);
    edit_opts->push_back(o);
  }
  auto edit_rev = std::make_shared<int>(0);
  auto* edit_rev_opt = AddRevisionOption(edit, *edit_rev, "case");
  edit->callback([&ctx, edit_q, edit_opts, edit_rev, edit_rev_opt] {
    SetExit(RunEdit(ctx, *edit_q, *edit_opts, RevisionArg(edit_rev_opt, *edit_rev)));
  });

  auto hist_q = std::make_shared<std::string>();
  auto* hist = cmd->add_subcommand("history", "The case's audit log: who changed what when, before and after");
  hist->add_option("CASE", *hist_q, "Case id or slug")->required();
  hist->callback([&ctx, hist_q] { SetExit(RunHistory(ctx, *hist_q)); });

  // ipt
  auto* ipt = cmd->add_subcommand("ipt", "IPT members of the initial guidance");
  ipt->require_subcommand(1);
  auto ia = std::make_shared<IptArgs>();
  auto* ipt_add = ipt->add_subcommand("add", "Add an IPT member");
  ipt_add->add_option("CASE", ia->case_query, "Case id or slug")->required();
  ipt_add->add_option("--name", ia->name, "Name")->required();
  ipt_add->add_option("--organization", ia->organization, "Organization");
  ipt_add->add_option("--role", ia->role, "Role on the team");
  ipt_add->callback([&ctx, ia] {
    SetExit(WithCaseRepo(ctx, ia->case_query, "case.edit", [&](CaseRepo& repo, const Principal& who, const assess::Case& c) {
      VIGIL_ASSIGN_OR_RETURN_CLI(assess::IptMember m,
                                 repo.AddIptMember(c.id, {0, ia->name, ia->organization, ia->role}, who.AuditName()));
      return Done(ctx, assess::ToJson(m), fmt::format("case {}: IPT member {} ({})", c.slug, m.id, m.name));
    }));
  });
  auto* ipt_rm = ipt->add_subcommand("remove", "Remove an IPT member");
  ipt_rm->add_option("CASE", ia->case_query, "Case id or slug")->required();
  ipt_rm->add_option("MEMBER", ia->member_id, "Member id (see case show)")->required();
  ipt_rm->callback([&ctx, ia] {
    SetExit(WithCaseRepo(ctx, ia->case_query, "case.edit", [&](CaseRepo& repo, const Principal& who, const assess::Case& c) {
      Status st = repo.RemoveIptMember(c.id, ia->member_id, who.AuditName());
      if (!st.ok()) return Fail(st);
      return Done(ctx, json{{"removed", ia->member_id}}, fmt::format("case {}: IPT member {} removed", c.slug, ia->member_id));
    }));
  });

  // actor
  auto* actor = cmd->add_subcommand("actor", "Actors of a case and their roles over time");
  actor->require_subcommand(1);
  const std::string roles_help = "Role: " + VIGIL_JOINED(assess::kActorRoles);
  auto aa = std::make_shared<ActorArgs>();
  auto* a_add = actor->add_subcommand("add", "Add an actor (optionally with its first role)");
  a_add->add_option("CASE", aa->case_query, "Case id or slug")->required();
  a_add->add_option("--name", aa->name, "Name, unique in the case")->required();
  a_add->add_option("--kind", aa->kind, "person, group, state or organization")->capture_default_str();
  a_add->add_option("--motivations", aa->motivations, "Motivations");
  a_add->add_option("--means", aa->means, "Means");
  a_add->add_option("--capabilities", aa->capabilities, "Capabilities");
  a_add->add_option("--weaknesses", aa->weaknesses, "Weaknesses");
  a_add->add_option("--locations", aa->locations, "Locations");
  a_add->add_option("--notes", aa->notes, "Notes");
  a_add->add_option("--role", aa->role, roles_help);
  a_add->add_option("--from", aa->from, "Date the role starts: YYYY, YYYY-MM or YYYY-MM-DD");
  a_add->add_option("--to", aa->to, "Date the role ends (default: still holds)");
  a_add->add_option("--note", aa->note, "Why: evidence or judgement behind the role");
  a_add->callback([&ctx, aa] { SetExit(RunActorAdd(ctx, *aa)); });

  auto ra = std::make_shared<ActorArgs>();
  auto* a_role = actor->add_subcommand(
      "role", "Record a role of an actor for a period. With --replace, roles still open that began\n"
              "earlier end on --from (a change of category); without it roles may overlap.");
  a_role->add_option("CASE", ra->case_query, "Case id or slug")->required();
  a_role->add_option("ACTOR", ra->actor, "Actor id or exact name")->required();
  a_role->add_option("--role", ra->role, roles_help)->required();
  a_role->add_option("--from", ra->from, "Date the role starts: YYYY, YYYY-MM or YYYY-MM-DD")->required();
  a_role->add_option("--to", ra->to, "Date the role ends (default: still holds)");
  a_role->add_option("--note", ra->note, "Why: evidence or judgement behind the change");
  a_role->add_flag("--replace", ra->end_open, "End the actor's open roles on --from");
  a_role->callback([&ctx, ra] { SetExit(RunActorRole(ctx, *ra)); });

  auto ea = std::make_shared<ActorArgs>();
  auto* a_end = actor->add_subcommand("end-role", "End one role entry of an actor");
  a_end->add_option("CASE", ea->case_query, "Case id or slug")->required();
  a_end->add_option("ACTOR", ea->actor, "Actor id or exact name")->required();
  a_end->add_option("ENTRY", ea->role_id, "Role entry id (see case show)")->required();
  a_end->add_option("--to", ea->to, "Date the role ends")->required();
  a_end->callback([&ctx, ea] { SetExit(RunActorEndRole(ctx, *ea)); });

  auto da = std::make_shared<ActorArgs>();
  auto actor_opts = std::make_shared<std::vector<EditOption>>();
  auto* a_edit = actor->add_subcommand("edit", "Set fields of an actor");
  a_edit->add_option("CASE", da->case_query, "Case id or slug")->required();
  a_edit->add_option("ACTOR", da->actor, "Actor id or exact name")->required();
  for (const char* field : {"name", "kind", "motivations", "means", "capabilities", "weaknesses", "locations", "notes"}) {
    EditOption o;
    o.field = field;
    o.opt = a_edit->add_option(std::string("--") + field, *o.value, field);
    actor_opts->push_back(o);
  }
  auto a_rev = std::make_shared<int>(0);
  auto* a_rev_opt = AddRevisionOption(a_edit, *a_rev, "actor");
  a_edit->callback([&ctx, da, actor_opts, a_rev, a_rev_opt] {
    SetExit(RunActorEdit(ctx, *da, *actor_opts, RevisionArg(a_rev_opt, *a_rev)));
  });

  auto la = std::make_shared<ActorArgs>();
  auto* a_rel = actor->add_subcommand("relate", "Record a relationship from one actor to another");
  a_rel->add_option("CASE", la->case_query, "Case id or slug")->required();
  a_rel->add_option("ACTOR", la->actor, "Actor id or exact name")->required();
  a_rel->add_option("--other", la->other, "The other actor (id or exact name)")->required();
  a_rel->add_option("--kind", la->relation_kind, "Relationship, e.g. commands, arms, funds, allied-with, opposes")
      ->required();
  a_rel->add_option("--note", la->note, "Note");
  a_rel->callback([&ctx, la] { SetExit(RunActorRelate(ctx, *la)); });

  // score
  auto sa = std::make_shared<ScoreArgs>();
  auto* score = cmd->add_subcommand(
      "score", "Score a framework item (a new version of the majority score, or of your dissent with --dissent).\n"
               "Frameworks and their items and levels: vigil catalog show NAME");
  score->add_option("CASE", sa->case_query, "Case id or slug")->required();
  score->add_option("--framework", sa->framework, "Framework id, e.g. osapg, un2014, stanton, pmesii, civilian-risks")
      ->required();
  score->add_option("--item", sa->item, "Item id of the framework, e.g. c1 or rf9.2")->required();
  score->add_option("--level", sa->level, "Level id of the framework's scale")->required();
  score->add_option("--confidence", sa->confidence, "low, medium or high")->capture_default_str();
  score->add_option("--as-of", sa->as_of, "Date the assessment holds for (default today)");
  score->add_option("--rationale", sa->rationale, "Why this level");
  score->add_flag("--dissent", sa->dissent, "Record your dissent beside the majority score");
  score->add_option("--evidence", sa->evidence, EvidenceHelp());
  score->add_option("--based-on", sa->based_on,
                    "The version of this score you read (0 if none): refused if someone scored it since");
  score->callback([&ctx, sa] { SetExit(RunScore(ctx, *sa)); });

  // assessment
  auto* assessment = cmd->add_subcommand("assessment", "Conflict assessment entries (Tab 2, ICAF)");
  assessment->require_subcommand(1);
  const std::string sections_help = "Section: " + VIGIL_JOINED(assess::kAssessmentSections);
  auto xa = std::make_shared<AssessArgs>();
  auto* x_add = assessment->add_subcommand("add", "Add a dated, authored entry to a section");
  x_add->add_option("CASE", xa->case_query, "Case id or slug")->required();
  x_add->add_option("--section", xa->section, sections_help)->required();
  x_add->add_option("--text", xa->text, "The finding")->required();
  x_add->add_option("--as-of", xa->as_of, "Date it holds for (default today)");
  x_add->add_option("--confidence", xa->confidence, "low, medium or high")->capture_default_str();
  x_add->add_option("--evidence", xa->evidence, EvidenceHelp());
  x_add->callback([&ctx, xa] { SetExit(RunAssessAdd(ctx, *xa)); });
  auto xe = std::make_shared<AssessArgs>();
  auto* x_edit = assessment->add_subcommand("edit", "Change an entry (the audit log keeps the old text)");
  x_edit->add_option("CASE", xe->case_query, "Case id or slug")->required();
  x_edit->add_option("ENTRY", xe->entry_id, "Entry id (see case show)")->required();
  xe->text_opt = x_edit->add_option("--text", xe->text, "New text");
  xe->as_of_opt = x_edit->add_option("--as-of", xe->as_of, "New date");
  xe->confidence_opt = x_edit->add_option("--confidence", xe->confidence, "low, medium or high");
  xe->evidence_opt = x_edit->add_option("--evidence", xe->evidence, EvidenceHelp() + " (replaces the entry's evidence)");
  x_edit->callback([&ctx, xe] { SetExit(RunAssessEdit(ctx, *xe)); });

  // interest
  auto* interest = cmd->add_subcommand("interest", "Interests at stake, prioritized, with conflicts between them");
  interest->require_subcommand(1);
  auto na_i = std::make_shared<InterestArgs>();
  auto* i_add = interest->add_subcommand("add", "Add an interest");
  i_add->add_option("CASE", na_i->case_query, "Case id or slug")->required();
  i_add->add_option("--text", na_i->text, "The interest")->required();
  i_add->add_option("--priority", na_i->priority, "1 = highest")->capture_default_str();
  i_add->add_option("--owner", na_i->owner, "Whose interest, e.g. USG, AU, host government");
  i_add->add_option("--conflicts-with", na_i->conflicts, "Id of an interest it conflicts with; repeatable");
  i_add->add_option("--note", na_i->note, "How the conflict plays out");
  i_add->callback([&ctx, na_i] { SetExit(RunInterestAdd(ctx, *na_i)); });
  auto ei = std::make_shared<InterestArgs>();
  auto* i_edit = interest->add_subcommand("edit", "Change an interest");
  i_edit->add_option("CASE", ei->case_query, "Case id or slug")->required();
  i_edit->add_option("ID", ei->id, "Interest id")->required();
  ei->text_opt = i_edit->add_option("--text", ei->text, "The interest");
  ei->priority_opt = i_edit->add_option("--priority", ei->priority, "1 = highest");
  ei->owner_opt = i_edit->add_option("--owner", ei->owner, "Whose interest");
  ei->conflicts_opt = i_edit->add_option("--conflicts-with", ei->conflicts, "Conflicting interest ids (replaces the list)");
  ei->note_opt = i_edit->add_option("--note", ei->note, "Note");
  i_edit->callback([&ctx, ei] { SetExit(RunInterestEdit(ctx, *ei)); });

  // assumption
  auto* assumption = cmd->add_subcommand("assumption", "Planning assumptions and their validation status");
  assumption->require_subcommand(1);
  auto ua = std::make_shared<AssumptionArgs>();
  auto* u_add = assumption->add_subcommand("add", "Add an assumption");
  u_add->add_option("CASE", ua->case_query, "Case id or slug")->required();
  u_add->add_option("--text", ua->text, "The assumption")->required();
  u_add->add_option("--status", ua->status, "unvalidated, validated or invalidated")->capture_default_str();
  u_add->add_option("--as-of", ua->as_of, "Date of the status (default today)");
  u_add->add_option("--note", ua->note, "Note");
  u_add->add_option("--evidence", ua->evidence, EvidenceHelp());
  u_add->callback([&ctx, ua] { SetExit(RunAssumptionAdd(ctx, *ua)); });
  auto us = std::make_shared<AssumptionArgs>();
  auto* u_set = assumption->add_subcommand("set", "Validate or invalidate an assumption");
  u_set->add_option("CASE", us->case_query, "Case id or slug")->required();
  u_set->add_option("ID", us->id, "Assumption id")->required();
  u_set->add_option("--status", us->status, "unvalidated, validated or invalidated")->required();
  u_set->add_option("--as-of", us->as_of, "Date of the status (default today)");
  u_set->add_option("--note", us->note, "Why");
  u_set->add_option("--evidence", us->evidence, EvidenceHelp() + " (added)");
  u_set->callback([&ctx, us] { SetExit(RunAssumptionSet(ctx, *us)); });

  // cir
  auto* cir = cmd->add_subcommand("cir", "Critical information requirements (information gaps)");
  cir->require_subcommand(1);
  auto ca = std::make_shared<CirArgs>();
  auto* c_add = cir->add_subcommand("add", "Add an open information requirement");
  c_add->add_option("CASE", ca->case_query, "Case id or slug")->required();
  c_add->add_option("--question", ca->question, "What the IPT needs to know")->required();
  c_add->add_option("--priority", ca->priority, "1 = highest")->capture_default_str();
  c_add->add_option("--evidence", ca->evidence, EvidenceHelp());
  c_add->callback([&ctx, ca] { SetExit(RunCirAdd(ctx, *ca)); });
  auto cn = std::make_shared<CirArgs>();
  auto* c_ans = cir->add_subcommand("answer", "Answer an information requirement");
  c_ans->add_option("CASE", cn->case_query, "Case id or slug")->required();
  c_ans->add_option("ID", cn->id, "Requirement id")->required();
  c_ans->add_option("--answer", cn->answer, "The answer")->required();
  c_ans->add_option("--on", cn->answered_at, "Date answered (default today)");
  c_ans->add_option("--evidence", cn->evidence, EvidenceHelp() + " (added)");
  c_ans->callback([&ctx, cn] { SetExit(RunCirAnswer(ctx, *cn, false)); });
  auto co = std::make_shared<CirArgs>();
  auto* c_re = cir->add_subcommand("reopen", "Re-open an answered requirement");
  c_re->add_option("CASE", co->case_query, "Case id or slug")->required();
  c_re->add_option("ID", co->id, "Requirement id")->required();
  c_re->callback([&ctx, co] { SetExit(RunCirAnswer(ctx, *co, true)); });
}

}  // namespace vigil::cli
