// vigil demo load: stores the fictional demo case ("Demo: Republic of Veridia
// (fictional)", catalog/demo_case.json, compiled into vigil) through the case
// repository, so its audit log is the real record of the load.
//
// Idempotence: the demo case is identified by its slug. A second load finds
// it and leaves it as it is (exit 0, "already loaded"); nothing is replaced,
// because the case file is append-only by design and analysts may have edited
// the demo since. Use a fresh database (--db) for a pristine demo.
//
// The demo is fictional throughout: its case has a region, not a country, so
// it links to no stored event, alert or forecast, and its evidence links are
// documents and example.org urls marked "(fictional)".
#include <fmt/format.h>

#include <iostream>
#include <map>
#include <string>

#include "assess/case.h"
#include "cli/cli.h"
#include "core/embedded.h"
#include "core/json_field.h"
#include "core/json_limits.h"
#include "options/generator.h"
#include "options/option_repo.h"
#include "plan/plan_repo.h"

namespace vigil::cli {

namespace {

using nlohmann::json;

constexpr const char* kDemoFile = "demo_case.json";

// Field access with errors naming the file and JSON path.
struct Reader {
  std::string where;  // "catalog/demo_case.json: actors[3]"

  Result<std::string> Str(const json& j, const char* key, bool required = false) const {
    auto it = j.find(key);
    if (it == j.end() || it->is_null()) {
      if (required) return Status::InvalidArgument(fmt::format("{}.{}: missing", where, key));
      return std::string();
    }
    if (!it->is_string()) return Status::InvalidArgument(fmt::format("{}.{}: must be a string", where, key));
    return it->get<std::string>();
  }
  Result<std::vector<assess::EvidenceLink>> Evidence(const json& j) const {
    std::vector<assess::EvidenceLink> out;
    auto it = j.find("evidence");
    if (it == j.end()) return out;
    if (!it->is_array()) return Status::InvalidArgument(fmt::format("{}.evidence: must be an array", where));
    for (std::size_t i = 0; i < it->size(); ++i) {
      const json& e = (*it)[i];
      if (!e.is_string()) return Status::InvalidArgument(fmt::format("{}.evidence[{}]: must be a string", where, i));
      auto link = assess::ParseEvidenceLink(e.get<std::string>());
      if (!link.ok()) {
        return Status::InvalidArgument(fmt::format("{}.evidence[{}]: {}", where, i, link.status().message()));
      }
      out.push_back(std::move(link).value());
    }
    return out;
  }
};

Status Prefixed(const Status& s, const std::string& where) {
  return s.ok() ? s : s.WithContext(where);
}

const json& Array(const json& doc, const char* key) {
  static const json kEmpty = json::array();
  auto it = doc.find(key);
  return it != doc.end() && it->is_array() ? *it : kEmpty;
}

struct LoadResult {
  assess::Case info;
  bool created = false;
  int actors = 0, scores = 0, entries = 0, interests = 0, assumptions = 0, cirs = 0;
  int options = 0, decisions = 0, policy_version = 0, plan_revision = 0;
  bool planning_added = false;  // an existing demo case got its Steps 3-5
};

// The option of `opts` that a demo selector ({"approach": ..., "role": ...})
// names: the first with that approach (and role, when given).
Result<const options::OptionPackage*> SelectOption(const std::vector<options::OptionPackage>& opts, const json& sel,
                                                   const std::string& where) {
  const std::string approach = sel.value("approach", "");
  const std::string role = sel.value("role", "");
  for (const auto& o : opts) {
    if (o.approach == approach && (role.empty() || o.role == role)) return &o;
  }
  return Status::FailedPrecondition(fmt::format("{}: no generated option with approach '{}'{}", where, approach,
                                                role.empty() ? "" : " and role '" + role + "'"));
}

// Steps 3-5 of the demo (the "planning" object): situational variables,
// generated options, opinions, the options-review and option decisions, the
// policy statement (drafted from the approved option, edited, approved), the
// plan (built from it) with stage transitions, status entries and decisions.
Status LoadPlanningSteps(store::Db& db, const json& doc, const std::string& source, const std::string& author,
                         LoadResult& out) {
  auto pit = doc.find("planning");
  if (pit == doc.end()) return Status::Ok();
  const json& pl = *pit;
  const std::int64_t id = out.info.id;
  const std::string where = source + ": planning";
  assess::CaseRepo cases(db);
  options::OptionRepo opts(db);
  plan::PlanRepo plans(db);

  std::vector<std::pair<std::string, std::string>> sit;
  const json situation = pl.value("situation", json::object());
  for (const auto& [k, v] : situation.items()) {
    if (!v.is_string()) return Status::InvalidArgument(fmt::format("{}.situation.{}: must be a string", where, k));
    sit.emplace_back(k, v.get<std::string>());
  }
  if (!sit.empty()) VIGIL_RETURN_IF_ERROR(Prefixed(opts.SetSituation(id, sit, author), where + ".situation"));

  VIGIL_ASSIGN_OR_RETURN(assess::CaseFile file, cases.LoadCaseFile(id));
  VIGIL_ASSIGN_OR_RETURN(assess::CaseLinks links, cases.LoadLinks(out.info));
  VIGIL_ASSIGN_OR_RETURN(options::Situation analyst, opts.LoadSituation(id));
  auto gen = options::GenerateOptions(file, links, analyst);
  if (!gen.ok()) return Prefixed(gen.status(), where + ": generating options");
  VIGIL_ASSIGN_OR_RETURN(std::vector<options::OptionPackage> saved,
                         opts.SaveGenerated(id, std::move(gen.value().options), author));
  out.options = static_cast<int>(saved.size());

  const json& ops = Array(pl, "opinions");
  for (std::size_t i = 0; i < ops.size(); ++i) {
    const std::string w = fmt::format("{}.opinions[{}]", where, i);
    VIGIL_ASSIGN_OR_RETURN(const options::OptionPackage* o, SelectOption(saved, ops[i].value("option", json::object()), w));
    options::Opinion op;
    op.option_id = o->id;
    op.position = ops[i].value("position", "");
    op.text = ops[i].value("text", "");
    VIGIL_RETURN_IF_ERROR(Prefixed(opts.AddOpinion(id, op, ops[i].value("author", author)).status(), w));
  }
  const json& rv = Array(pl, "review");
  for (std::size_t i = 0; i < rv.size(); ++i) {
    const std::string w = fmt::format("{}.review[{}]", where, i);
    VIGIL_ASSIGN_OR_RETURN(const options::OptionPackage* o, SelectOption(saved, rv[i].value("option", json::object()), w));
    plan::Decision d;
    d.kind = "options-review";
    d.subject = std::to_string(o->number);
    d.outcome = rv[i].value("outcome", "");
    d.decided_by = rv[i].value("by", "");
    d.decided_at = rv[i].value("date", "");
    d.note = rv[i].value("note", "");
    VIGIL_RETURN_IF_ERROR(Prefixed(plans.RecordDecision(id, d, author).status(), w));
    ++out.decisions;
  }
  if (auto dit = pl.find("decision"); dit != pl.end()) {
    const std::string w = where + ".decision";
    VIGIL_ASSIGN_OR_RETURN(const options::OptionPackage* o, SelectOption(saved, dit->value("option", json::object()), w));
    VIGIL_RETURN_IF_ERROR(Prefixed(plans.DecideOption(id, o->id, "approved", dit->value("by", ""),
                                                      dit->value("date", ""), dit->value("note", ""), author)
                                       .status(),
                                   w));
    ++out.decisions;
    VIGIL_ASSIGN_OR_RETURN(options::OptionPackage approved, opts.FindOption(id, std::to_string(o->number)));

    // Policy statement: drafted from the approved option, then edited, then approved.
    const json& jp = pl.value("policy", json::object());
    auto draft = plan::DraftPolicy(file, approved);
    if (!draft.ok()) return Prefixed(draft.status(), where + ".policy");
    plan::PolicyStatement p = std::move(draft).value();
    if (jp.contains("general")) p.general = jp.value("general", "");
    if (jp.contains("lead_official")) p.lead_official = jp.value("lead_official", "");
    for (const auto& c : Array(jp, "considerations")) p.considerations.push_back({c.value("category", ""), c.value("text", "")});
    VIGIL_RETURN_IF_ERROR(Prefixed(plans.SavePolicyDraft(id, p, author).status(), where + ".policy"));
    if (auto ait = jp.find("approve"); ait != jp.end()) {
      VIGIL_ASSIGN_OR_RETURN(plan::PolicyStatement ap,
                             plans.ApprovePolicy(id, ait->value("by", ""), ait->value("date", ""),
                                                 ait->value("note", ""), author));
      out.policy_version = ap.version;
      ++out.decisions;

      // The plan.
      auto built = plan::BuildPlan(file, approved, ap);
      if (!built.ok()) return Prefixed(built.status(), where + ".plan");
      VIGIL_ASSIGN_OR_RETURN(plan::Plan created, plans.CreatePlan(id, std::move(built).value(), author));
      out.plan_revision = created.revision;
      const json& jl = pl.value("plan", json::object());
      const json& st = Array(jl, "stages");
      for (std::size_t i = 0; i < st.size(); ++i) {
        VIGIL_RETURN_IF_ERROR(Prefixed(plans.TransitionStage(id, st[i].value("to", ""), st[i].value("by", ""),
                                                             st[i].value("date", ""), st[i].value("note", ""), author)
                                           .status(),
                                       fmt::format("{}.plan.stages[{}]", where, i)));
        ++out.decisions;
      }
      const json& ss = Array(jl, "statuses");
      for (std::size_t i = 0; i < ss.size(); ++i) {
        plan::StatusEntry e;
        e.target = ss[i].value("target", "");
        e.status = ss[i].value("status", "");
        e.note = ss[i].value("note", "");
        e.as_of = ss[i].value("as_of", "");
        VIGIL_RETURN_IF_ERROR(Prefixed(plans.RecordStatus(id, e, author).status(), fmt::format("{}.plan.statuses[{}]", where, i)));
      }
      const json& dd = Array(jl, "decisions");
      for (std::size_t i = 0; i < dd.size(); ++i) {
        plan::Decision d;
        const std::string sid = dd[i].value("id", "");
        d.kind = sid.rfind("b-", 0) == 0 ? "branch" : "decision-point";
        d.subject = sid;
        d.outcome = dd[i].value("outcome", "");
        d.decided_by = dd[i].value("by", "");
        d.decided_at = dd[i].value("date", "");
        d.note = dd[i].value("note", "");
        VIGIL_RETURN_IF_ERROR(Prefixed(plans.RecordDecision(id, d, author).status(), fmt::format("{}.plan.decisions[{}]", where, i)));
        ++out.decisions;
      }
      VIGIL_ASSIGN_OR_RETURN(std::optional<plan::Plan> latest, plans.LoadPlan(id));
      if (latest) out.plan_revision = latest->revision;
    }
  }
  return Status::Ok();
}

// LoadPlanningSteps, with a wrong JSON type anywhere in "planning" (a number
// where text belongs) reported as an error naming the file, not a crash.
Status LoadPlanning(store::Db& db, const json& doc, const std::string& source, const std::string& author,
                    LoadResult& out) {
  try {
    return LoadPlanningSteps(db, doc, source, author, out);
  } catch (const json::exception& e) {
    return Status::InvalidArgument(fmt::format("{}: planning: {}", source, e.what()));
  }
}

// Loads the demo case from its JSON text. Not one transaction (each repo call
// is its own, with its audit row): a failure part-way leaves a partial demo
// case, reported as such (RunLoad rehearses in memory first to avoid that).
Result<LoadResult> LoadDemo(store::Db& db, std::string_view text, const std::string& source) {
  VIGIL_RETURN_IF_ERROR(CheckJsonDepth(text, source));
  json doc = json::parse(text, nullptr, false);
  if (doc.is_discarded() || !doc.is_object()) return Status::InvalidArgument(source + ": not a JSON object");
  if (doc.value("type", "") != "demo-case") return Status::InvalidArgument(source + ": type is not 'demo-case'");
  Reader r{source + ": case"};
  const json& jc = doc.value("case", json::object());
  assess::Case c;
  VIGIL_ASSIGN_OR_RETURN(c.slug, r.Str(jc, "slug", true));
  VIGIL_ASSIGN_OR_RETURN(c.title, r.Str(jc, "title", true));
  VIGIL_ASSIGN_OR_RETURN(c.region, r.Str(jc, "region", true));
  VIGIL_ASSIGN_OR_RETURN(c.scope, r.Str(jc, "scope"));
  VIGIL_ASSIGN_OR_RETURN(c.purpose, r.Str(jc, "purpose"));
  VIGIL_ASSIGN_OR_RETURN(std::string status, r.Str(jc, "status"));
  if (!status.empty()) c.status = status;
  Reader top{source};
  VIGIL_ASSIGN_OR_RETURN(std::string author, top.Str(doc, "author", true));

  assess::CaseRepo repo(db);
  LoadResult out;
  if (auto existing = repo.FindCase(c.slug); existing.ok()) {
    out.info = std::move(existing).value();
    // A demo stored by a vigil without Steps 3-5 gets them now (once: a case
    // with options is left as it is).
    options::OptionRepo opts(db);
    VIGIL_ASSIGN_OR_RETURN(auto stored, opts.ListOptions(out.info.id, true));
    if (stored.empty() && doc.contains("planning")) {
      VIGIL_RETURN_IF_ERROR(LoadPlanning(db, doc, source, author, out));
      out.planning_added = true;
    }
    return out;
  } else if (existing.status().code() != Status::Code::kNotFound) {
    return existing.status();
  }
  VIGIL_ASSIGN_OR_RETURN(out.info, repo.CreateCase(c, author));
  out.created = true;
  const std::int64_t id = out.info.id;
  const std::string partial = fmt::format("(the demo case '{}' is partly loaded)", c.slug);

  // Guidance: every key is a guidance field name of CaseRepo::EditCase.
  assess::FieldEdits edits;
  const json guidance = doc.value("guidance", json::object());
  for (const auto& [k, v] : guidance.items()) {
    if (!v.is_string()) return Status::InvalidArgument(fmt::format("{}: guidance.{}: must be a string {}", source, k, partial));
    edits.emplace_back(k, v.get<std::string>());
  }
  VIGIL_RETURN_IF_ERROR(Prefixed(repo.EditCase(id, edits, author), source + ": guidance " + partial));
  const json& ipt = Array(doc, "ipt");
  for (std::size_t i = 0; i < ipt.size(); ++i) {
    Reader ri{fmt::format("{}: ipt[{}]", source, i)};
    assess::IptMember m;
    VIGIL_ASSIGN_OR_RETURN(m.name, ri.Str(ipt[i], "name", true));
    VIGIL_ASSIGN_OR_RETURN(m.organization, ri.Str(ipt[i], "organization"));
    VIGIL_ASSIGN_OR_RETURN(m.role, ri.Str(ipt[i], "role"));
    VIGIL_RETURN_IF_ERROR(Prefixed(repo.AddIptMember(id, m, author).status(), ri.where + " " + partial));
  }

  std::map<std::string, std::int64_t> actor_ids;
  const json& actors = Array(doc, "actors");
  for (std::size_t i = 0; i < actors.size(); ++i) {
    const json& ja = actors[i];
    Reader ra{fmt::format("{}: actors[{}]", source, i)};
    assess::Actor a;
    VIGIL_ASSIGN_OR_RETURN(a.name, ra.Str(ja, "name", true));
    VIGIL_ASSIGN_OR_RETURN(a.kind, ra.Str(ja, "kind", true));
    VIGIL_ASSIGN_OR_RETURN(a.motivations, ra.Str(ja, "motivations"));
    VIGIL_ASSIGN_OR_RETURN(a.means, ra.Str(ja, "means"));
    VIGIL_ASSIGN_OR_RETURN(a.capabilities, ra.Str(ja, "capabilities"));
    VIGIL_ASSIGN_OR_RETURN(a.weaknesses, ra.Str(ja, "weaknesses"));
    VIGIL_ASSIGN_OR_RETURN(a.locations, ra.Str(ja, "locations"));
    VIGIL_ASSIGN_OR_RETURN(a.notes, ra.Str(ja, "notes"));
    const json& roles = Array(ja, "roles");
    for (std::size_t k = 0; k < roles.size(); ++k) {
      Reader rr{fmt::format("{}.roles[{}]", ra.where, k)};
      assess::ActorRole role;
      VIGIL_ASSIGN_OR_RETURN(role.role, rr.Str(roles[k], "role", true));
      VIGIL_ASSIGN_OR_RETURN(role.from, rr.Str(roles[k], "from", true));
      VIGIL_ASSIGN_OR_RETURN(role.to, rr.Str(roles[k], "to"));
      VIGIL_ASSIGN_OR_RETURN(role.note, rr.Str(roles[k], "note"));
      a.roles.push_back(std::move(role));
    }
    auto added = repo.AddActor(id, a, author);
    if (!added.ok()) return Prefixed(added.status(), ra.where + " " + partial);
    actor_ids[a.name] = added.value().id;
    ++out.actors;
  }
  auto actor_id = [&](const std::string& name, const std::string& where) -> Result<std::int64_t> {
    auto it = actor_ids.find(name);
    if (it == actor_ids.end()) {
      return Status::InvalidArgument(fmt::format("{}: no actor '{}' in the demo {}", where, name, partial));
    }
    return it->second;
  };
  const json& changes = Array(doc, "role_changes");
  for (std::size_t i = 0; i < changes.size(); ++i) {
    Reader rc{fmt::format("{}: role_changes[{}]", source, i)};
    VIGIL_ASSIGN_OR_RETURN(std::string name, rc.Str(changes[i], "actor", true));
    VIGIL_ASSIGN_OR_RETURN(std::int64_t aid, actor_id(name, rc.where));
    assess::ActorRole role;
    VIGIL_ASSIGN_OR_RETURN(role.role, rc.Str(changes[i], "role", true));
    VIGIL_ASSIGN_OR_RETURN(role.from, rc.Str(changes[i], "from", true));
    VIGIL_ASSIGN_OR_RETURN(role.note, rc.Str(changes[i], "note"));
    bool end_open = changes[i].value("end_open_roles", false);
    VIGIL_RETURN_IF_ERROR(Prefixed(repo.AddActorRole(id, aid, role, end_open, author).status(), rc.where + " " + partial));
  }
  const json& relations = Array(doc, "relations");
  for (std::size_t i = 0; i < relations.size(); ++i) {
    Reader rl{fmt::format("{}: relations[{}]", source, i)};
    VIGIL_ASSIGN_OR_RETURN(std::string from, rl.Str(relations[i], "from", true));
    VIGIL_ASSIGN_OR_RETURN(std::string to, rl.Str(relations[i], "to", true));
    VIGIL_ASSIGN_OR_RETURN(std::int64_t from_id, actor_id(from, rl.where));
    assess::ActorRelation rel;
    VIGIL_ASSIGN_OR_RETURN(rel.other_id, actor_id(to, rl.where));
    VIGIL_ASSIGN_OR_RETURN(rel.kind, rl.Str(relations[i], "kind", true));
    VIGIL_ASSIGN_OR_RETURN(rel.note, rl.Str(relations[i], "note"));
    VIGIL_RETURN_IF_ERROR(Prefixed(repo.AddActorRelation(id, from_id, rel, author).status(), rl.where + " " + partial));
  }

  const json& scores = Array(doc, "scores");
  for (std::size_t i = 0; i < scores.size(); ++i) {
    const json& js = scores[i];
    Reader rs{fmt::format("{}: scores[{}]", source, i)};
    assess::Score s;
    VIGIL_ASSIGN_OR_RETURN(s.framework, rs.Str(js, "framework", true));
    VIGIL_ASSIGN_OR_RETURN(s.item, rs.Str(js, "item", true));
    VIGIL_ASSIGN_OR_RETURN(s.level, rs.Str(js, "level", true));
    VIGIL_ASSIGN_OR_RETURN(s.confidence, rs.Str(js, "confidence", true));
    VIGIL_ASSIGN_OR_RETURN(s.as_of, rs.Str(js, "as_of", true));
    VIGIL_ASSIGN_OR_RETURN(std::string position, rs.Str(js, "position"));
    if (!position.empty()) s.position = position;
    VIGIL_ASSIGN_OR_RETURN(s.rationale, rs.Str(js, "rationale"));
    VIGIL_ASSIGN_OR_RETURN(s.evidence, rs.Evidence(js));
    VIGIL_ASSIGN_OR_RETURN(std::string by, rs.Str(js, "author"));
    VIGIL_RETURN_IF_ERROR(Prefixed(repo.AddScore(id, s, by.empty() ? author : by).status(), rs.where + " " + partial));
    ++out.scores;
  }

  const json& entries = Array(doc, "assessment");
  for (std::size_t i = 0; i < entries.size(); ++i) {
    Reader re{fmt::format("{}: assessment[{}]", source, i)};
    assess::AssessmentEntry e;
    VIGIL_ASSIGN_OR_RETURN(e.section, re.Str(entries[i], "section", true));
    VIGIL_ASSIGN_OR_RETURN(e.text, re.Str(entries[i], "text", true));
    VIGIL_ASSIGN_OR_RETURN(e.as_of, re.Str(entries[i], "as_of", true));
    VIGIL_ASSIGN_OR_RETURN(e.confidence, re.Str(entries[i], "confidence", true));
    VIGIL_ASSIGN_OR_RETURN(e.evidence, re.Evidence(entries[i]));
    VIGIL_ASSIGN_OR_RETURN(std::string by, re.Str(entries[i], "author"));
    VIGIL_RETURN_IF_ERROR(Prefixed(repo.AddAssessmentEntry(id, e, by.empty() ? author : by).status(), re.where + " " + partial));
    ++out.entries;
  }

  // Interests refer to each other by "key"; conflicts are added once both exist.
  std::map<std::string, assess::Interest> interests;
  const json& ji = Array(doc, "interests");
  for (std::size_t i = 0; i < ji.size(); ++i) {
    Reader ri{fmt::format("{}: interests[{}]", source, i)};
    VIGIL_ASSIGN_OR_RETURN(std::string key, ri.Str(ji[i], "key", true));
    assess::Interest in;
    VIGIL_ASSIGN_OR_RETURN(in.priority, JsonField<int>(ji[i], "priority", 1, ri.where, /*lo=*/1));
    VIGIL_ASSIGN_OR_RETURN(in.owner, ri.Str(ji[i], "owner"));
    VIGIL_ASSIGN_OR_RETURN(in.text, ri.Str(ji[i], "text", true));
    VIGIL_ASSIGN_OR_RETURN(in.note, ri.Str(ji[i], "note"));
    std::vector<std::int64_t> conflicts;
    for (const auto& other : Array(ji[i], "conflicts_with")) {
      auto it = other.is_string() ? interests.find(other.get<std::string>()) : interests.end();
      if (it == interests.end()) {
        return Status::InvalidArgument(fmt::format("{}.conflicts_with: '{}' is not an earlier interest key {}", ri.where,
                                                   other.dump(), partial));
      }
      conflicts.push_back(it->second.id);
    }
    in.conflicts_with = conflicts;
    auto added = repo.AddInterest(id, in, author);
    if (!added.ok()) return Prefixed(added.status(), ri.where + " " + partial);
    interests[key] = added.value();
    ++out.interests;
  }

  const json& ja = Array(doc, "assumptions");
  for (std::size_t i = 0; i < ja.size(); ++i) {
    Reader ra{fmt::format("{}: assumptions[{}]", source, i)};
    assess::Assumption a;
    VIGIL_ASSIGN_OR_RETURN(a.text, ra.Str(ja[i], "text", true));
    VIGIL_ASSIGN_OR_RETURN(a.as_of, ra.Str(ja[i], "as_of", true));
    VIGIL_ASSIGN_OR_RETURN(a.note, ra.Str(ja[i], "note"));
    VIGIL_ASSIGN_OR_RETURN(a.evidence, ra.Evidence(ja[i]));
    auto added = repo.AddAssumption(id, a, author);
    if (!added.ok()) return Prefixed(added.status(), ra.where + " " + partial);
    if (auto u = ja[i].find("update"); u != ja[i].end()) {
      Reader ru{ra.where + ".update"};
      VIGIL_ASSIGN_OR_RETURN(std::string st, ru.Str(*u, "status", true));
      VIGIL_ASSIGN_OR_RETURN(std::string as_of, ru.Str(*u, "as_of", true));
      VIGIL_ASSIGN_OR_RETURN(std::string note, ru.Str(*u, "note"));
      VIGIL_ASSIGN_OR_RETURN(auto ev, ru.Evidence(*u));
      VIGIL_RETURN_IF_ERROR(
          Prefixed(repo.SetAssumptionStatus(id, added.value().id, st, as_of, note, ev, author), ru.where + " " + partial));
    }
    ++out.assumptions;
  }

  const json& jr = Array(doc, "cirs");
  for (std::size_t i = 0; i < jr.size(); ++i) {
    Reader rq{fmt::format("{}: cirs[{}]", source, i)};
    assess::InformationRequirement q;
    VIGIL_ASSIGN_OR_RETURN(q.question, rq.Str(jr[i], "question", true));
    VIGIL_ASSIGN_OR_RETURN(q.priority, JsonField<int>(jr[i], "priority", 1, rq.where, /*lo=*/1));
    auto added = repo.AddCir(id, q, author);
    if (!added.ok()) return Prefixed(added.status(), rq.where + " " + partial);
    VIGIL_ASSIGN_OR_RETURN(std::string answer, rq.Str(jr[i], "answer"));
    if (!answer.empty()) {
      VIGIL_ASSIGN_OR_RETURN(std::string at, rq.Str(jr[i], "answered_at", true));
      VIGIL_ASSIGN_OR_RETURN(auto ev, rq.Evidence(jr[i]));
      VIGIL_RETURN_IF_ERROR(Prefixed(repo.AnswerCir(id, added.value().id, answer, at, ev, author), rq.where + " " + partial));
    }
    ++out.cirs;
  }
  VIGIL_RETURN_IF_ERROR(LoadPlanning(db, doc, source, author, out));
  VIGIL_ASSIGN_OR_RETURN(out.info, repo.FindCase(c.slug));
  return out;
}

int RunLoad(Context& ctx) {
  auto text = catalog::FindEmbedded(kDemoFile);
  if (!text.ok()) return Fail(text.status());
  // Loading the demo opens a case: with --as, only a role that may open cases.
  if (auto who = ctx.Authorized("case.create"); !who.ok()) return Fail(who.status());
  VIGIL_ASSIGN_OR_RETURN_CLI(store::Db * db, ctx.Db());
  const std::string source = std::string("catalog/") + kDemoFile;
  // A rehearsal in a scratch in-memory database first: any problem of the
  // demo file shows up there, so the real database never keeps a partial demo.
  {
    VIGIL_ASSIGN_OR_RETURN_CLI(auto scratch, store::Db::Open(":memory:"));
    VIGIL_ASSIGN_OR_RETURN_CLI(LoadResult rehearsal, LoadDemo(*scratch, text.value(), source));
    (void)rehearsal;
  }
  VIGIL_ASSIGN_OR_RETURN_CLI(LoadResult r, LoadDemo(*db, text.value(), source));
  if (ctx.json) {
    PrintJson({{"case", assess::ToJson(r.info)},
               {"created", r.created},
               {"planning_added", r.planning_added},
               {"actors", r.actors},
               {"scores", r.scores},
               {"assessment_entries", r.entries},
               {"interests", r.interests},
               {"assumptions", r.assumptions},
               {"cirs", r.cirs},
               {"options", r.options},
               {"decisions", r.decisions},
               {"policy_version", r.policy_version},
               {"plan_revision", r.plan_revision}});
    return kExitOk;
  }
  if (!r.created) {
    if (r.planning_added) {
      std::cout << fmt::format("demo case '{}' (id {}) was loaded before; added its Steps 3-5: {} generated options, "
                               "{} decisions, policy statement v{}, plan revision {}.\n",
                               r.info.slug, r.info.id, r.options, r.decisions, r.policy_version, r.plan_revision);
      return kExitOk;
    }
    std::cout << fmt::format("demo case '{}' (id {}) is already loaded; left as it is. Use a fresh --db for a pristine "
                             "copy.\n",
                             r.info.slug, r.info.id);
    return kExitOk;
  }
  std::cout << fmt::format(
      "loaded demo case '{}' (id {}): {}\n{} actors, {} score versions, {} conflict assessment entries, {} interests, "
      "{} assumptions, {} information requirements; {} generated options, {} decisions, policy statement v{}, plan "
      "revision {}. Everything in it is fictional.\n"
      "Try: vigil report {} --tab 3 --format html --out tab3.html; vigil plan show {}\n",
      r.info.slug, r.info.id, r.info.title, r.actors, r.scores, r.entries, r.interests, r.assumptions, r.cirs,
      r.options, r.decisions, r.policy_version, r.plan_revision, r.info.slug, r.info.slug);
  return kExitOk;
}

}  // namespace

Status LoadCaseDocument(store::Db& db, std::string_view text, const std::string& source) {
  return LoadDemo(db, text, source).status();
}

void RegisterDemo(CLI::App& app, Context& ctx) {
  auto* demo = app.add_subcommand("demo", "The fictional demo case (Republic of Veridia)");
  demo->require_subcommand(1);
  auto* load = demo->add_subcommand(
      "load",
      "Store the fictional demo case 'demo-veridia' through the case repository (with its audit log). "
      "A second load leaves the stored case as it is and says so.");
  load->callback([&ctx] { SetExit(RunLoad(ctx)); });
}

}  // namespace vigil::cli
