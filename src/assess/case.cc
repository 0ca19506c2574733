// Case file vocabularies, value helpers and JSON (the repository is in
// case_repo.cc).
#include "assess/case.h"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdlib>

#include "core/vocab.h"
#include "core/event.h"

namespace vigil::assess {

using nlohmann::json;

namespace {

struct SectionInfo {
  const char* id;
  const char* title;
  const char* part;
};
constexpr SectionInfo kSectionInfo[] = {
    {"context", "Context", "diagnosis"},
    {"core-grievances", "Core grievances", "diagnosis"},
    {"sources-of-resilience", "Sources of social and institutional resilience", "diagnosis"},
    {"identity-groups", "Identity groups", "diagnosis"},
    {"social-patterns", "Social patterns", "diagnosis"},
    {"institutional-performance", "Institutional performance", "diagnosis"},
    {"drivers-of-conflict", "Drivers of conflict", "diagnosis"},
    {"mitigating-factors", "Mitigating factors", "diagnosis"},
    {"windows-of-vulnerability", "Windows of vulnerability", "diagnosis"},
    {"windows-of-opportunity", "Windows of opportunity", "diagnosis"},
    {"programs", "Programs", "planning"},
    {"other-actors", "Other actors", "planning"},
    {"capability-gaps", "Host-nation capability gaps", "planning"},
    {"challenges", "Challenges", "planning"},
    {"risks-of-acting", "Risks of acting", "planning"},
    {"risks-of-not-acting", "Risks of not acting", "planning"},
    {"opportunities", "Opportunities", "planning"},
};

bool AllDigits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

json Evidence(const std::vector<EvidenceLink>& links) {
  json a = json::array();
  for (const auto& e : links) a.push_back(ToJson(e));
  return a;
}

json OrNull(double v) { return std::isnan(v) ? json(nullptr) : json(v); }

}  // namespace

std::string_view AssessmentSectionTitle(std::string_view section) {
  for (const auto& s : kSectionInfo) {
    if (section == s.id) return s.title;
  }
  return {};
}
std::string_view AssessmentSectionPart(std::string_view section) {
  for (const auto& s : kSectionInfo) {
    if (section == s.id) return s.part;
  }
  return {};
}

bool IsCaseStatus(std::string_view s) { return In(kCaseStatuses, s); }
bool IsActorKind(std::string_view s) { return In(kActorKinds, s); }
bool IsActorRole(std::string_view s) { return In(kActorRoles, s); }
bool IsConfidence(std::string_view s) { return In(kConfidences, s); }
bool IsPosition(std::string_view s) { return In(kPositions, s); }
bool IsEvidenceKind(std::string_view s) { return In(kEvidenceKinds, s); }
bool IsAssessmentSection(std::string_view s) { return In(kAssessmentSections, s); }
bool IsAssumptionStatus(std::string_view s) { return In(kAssumptionStatuses, s); }
bool IsCirStatus(std::string_view s) { return In(kCirStatuses, s); }

bool IsCaseDate(std::string_view s) {
  auto num = [&](std::size_t pos, std::size_t len, int* out) {
    if (pos + len > s.size() || !AllDigits(s.substr(pos, len))) return false;
    std::from_chars(s.data() + pos, s.data() + pos + len, *out);
    return true;
  };
  int y = 0, m = 1, d = 1;
  if (s.size() != 4 && s.size() != 7 && s.size() != 10) return false;
  if (!num(0, 4, &y) || y < 1) return false;
  if (s.size() >= 7) {
    if (s[4] != '-' || !num(5, 2, &m)) return false;
  }
  if (s.size() == 10) {
    if (s[7] != '-' || !num(8, 2, &d)) return false;
  }
  return IsValidCivil(y, m, d);
}

std::vector<const ActorRole*> Actor::RolesOn(std::string_view date) const {
  std::vector<const ActorRole*> out;
  for (const auto& r : roles) {
    if (date.empty()) {
      if (r.to.empty()) out.push_back(&r);
    } else if (std::string_view(r.from) <= date && (r.to.empty() || std::string_view(r.to) >= date)) {
      out.push_back(&r);
    }
  }
  return out;
}

Result<EvidenceLink> ParseEvidenceLink(std::string_view text) {
  auto colon = text.find(':');
  if (colon == std::string_view::npos) {
    return Status::InvalidArgument(fmt::format(
        "evidence '{}': expected KIND:REF with KIND one of event, alert, forecast, document, report, url",
        text));
  }
  EvidenceLink e;
  e.kind = std::string(text.substr(0, colon));
  e.ref = std::string(text.substr(colon + 1));
  // "url:https://..." keeps everything after the first colon.
  if (!IsEvidenceKind(e.kind)) {
    return Status::InvalidArgument(fmt::format(
        "evidence '{}': unknown kind '{}' (expected event, alert, forecast, document, report or url)", text,
        e.kind));
  }
  if (e.ref.empty()) return Status::InvalidArgument(fmt::format("evidence '{}': empty reference", text));
  if (e.kind == "event" && !AllDigits(e.ref)) {
    auto slash = e.ref.find('/');
    if (slash == std::string::npos || slash == 0 || slash + 1 == e.ref.size()) {
      return Status::InvalidArgument(fmt::format(
          "evidence '{}': an event reference is a stored row id (event:123) or SOURCE/EVENT_ID (event:ged/4567)",
          text));
    }
  } else if ((e.kind == "alert" || e.kind == "forecast") && !AllDigits(e.ref)) {
    return Status::InvalidArgument(fmt::format("evidence '{}': a {} reference is a numeric id, e.g. {}:123", text,
                                               e.kind, e.kind));
  }
  return e;
}

std::string FormatEvidenceLink(const EvidenceLink& e) { return e.kind + ":" + e.ref; }

const Actor* CaseFile::FindActor(std::int64_t id) const {
  for (const auto& a : actors) {
    if (a.id == id) return &a;
  }
  return nullptr;
}

const Score* CaseFile::Majority(std::string_view framework, std::string_view item) const {
  for (const auto& s : scores) {
    if (s.framework == framework && s.item == item && s.position == "majority") return &s;
  }
  return nullptr;
}

std::vector<const Score*> CaseFile::Dissents(std::string_view framework, std::string_view item) const {
  std::vector<const Score*> out;
  for (const auto& s : scores) {
    if (s.framework == framework && s.item == item && s.position == "dissent") out.push_back(&s);
  }
  return out;
}

// ---- JSON ----------------------------------------------------------------------

json ToJson(const Case& c) {
  return {{"id", c.id},           {"slug", c.slug},
          {"title", c.title},     {"gw", c.gw ? json(*c.gw) : json(nullptr)},
          {"region", c.region},   {"scope", c.scope},
          {"purpose", c.purpose}, {"status", c.status},
          {"created_at", c.created_at}, {"created_by", c.created_by},
          {"updated_at", c.updated_at},
          {"revision", c.revision}};
}

json ToJson(const IptMember& m) {
  return {{"id", m.id}, {"name", m.name}, {"organization", m.organization}, {"role", m.role}};
}

json ToJson(const InitialGuidance& g) {
  json ipt = json::array();
  for (const auto& m : g.ipt) ipt.push_back(ToJson(m));
  return {{"objective", g.objective},
          {"level_of_effort", g.level_of_effort},
          {"ipt", ipt},
          {"lead_agency", g.lead_agency},
          {"approving_authority", g.approving_authority},
          {"assumptions", g.assumptions},
          {"constraints", g.constraints},
          {"restraints", g.restraints},
          {"coordination", g.coordination},
          {"intent", g.intent},
          {"timeline", g.timeline},
          {"other", g.other},
          {"updated_at", g.updated_at},
          {"updated_by", g.updated_by}};
}

json ToJson(const ActorRole& r) {
  return {{"id", r.id},     {"role", r.role},     {"from", r.from},
          {"to", r.to.empty() ? json(nullptr) : json(r.to)},
          {"note", r.note}, {"author", r.author}, {"created_at", r.created_at}};
}

json ToJson(const ActorRelation& r) {
  return {{"id", r.id}, {"other_id", r.other_id}, {"kind", r.kind}, {"note", r.note}};
}

json ToJson(const Actor& a) {
  json roles = json::array(), relations = json::array(), current = json::array();
  for (const auto& r : a.roles) roles.push_back(ToJson(r));
  for (const auto& r : a.relations) relations.push_back(ToJson(r));
  for (const ActorRole* r : a.RolesOn()) current.push_back(r->role);
  return {{"id", a.id},
          {"case_id", a.case_id},
          {"name", a.name},
          {"kind", a.kind},
          {"current_roles", current},
          {"motivations", a.motivations},
          {"means", a.means},
          {"capabilities", a.capabilities},
          {"weaknesses", a.weaknesses},
          {"locations", a.locations},
          {"notes", a.notes},
          {"roles", roles},
          {"relations", relations},
          {"created_at", a.created_at},
          {"updated_at", a.updated_at},
          {"revision", a.revision}};
}

json ToJson(const EvidenceLink& e) { return {{"kind", e.kind}, {"ref", e.ref}, {"note", e.note}}; }

json ToJson(const Score& s) {
  return {{"id", s.id},
          {"case_id", s.case_id},
          {"framework", s.framework},
          {"item", s.item},
          {"level", s.level},
          {"confidence", s.confidence},
          {"as_of", s.as_of},
          {"position", s.position},
          {"author", s.author},
          {"rationale", s.rationale},
          {"evidence", Evidence(s.evidence)},
          {"version", s.version},
          {"created_at", s.created_at}};
}

json ToJson(const AssessmentEntry& e) {
  return {{"id", e.id},
          {"section", e.section},
          {"section_title", std::string(AssessmentSectionTitle(e.section))},
          {"part", std::string(AssessmentSectionPart(e.section))},
          {"text", e.text},
          {"as_of", e.as_of},
          {"confidence", e.confidence},
          {"evidence", Evidence(e.evidence)},
          {"author", e.author},
          {"created_at", e.created_at},
          {"updated_at", e.updated_at},
          {"revision", e.revision}};
}

json ToJson(const Interest& i) {
  return {{"id", i.id},
          {"priority", i.priority},
          {"owner", i.owner},
          {"text", i.text},
          {"conflicts_with", i.conflicts_with},
          {"note", i.note},
          {"author", i.author},
          {"created_at", i.created_at},
          {"updated_at", i.updated_at},
          {"revision", i.revision}};
}

json ToJson(const Assumption& a) {
  return {{"id", a.id},
          {"text", a.text},
          {"status", a.status},
          {"as_of", a.as_of},
          {"note", a.note},
          {"evidence", Evidence(a.evidence)},
          {"author", a.author},
          {"created_at", a.created_at},
          {"updated_at", a.updated_at},
          {"revision", a.revision}};
}

json ToJson(const InformationRequirement& r) {
  return {{"id", r.id},
          {"question", r.question},
          {"priority", r.priority},
          {"status", r.status},
          {"answer", r.answer},
          {"answered_at", r.answered_at.empty() ? json(nullptr) : json(r.answered_at)},
          {"evidence", Evidence(r.evidence)},
          {"author", r.author},
          {"created_at", r.created_at},
          {"updated_at", r.updated_at},
          {"revision", r.revision}};
}

json ToJson(const AuditEntry& e) {
  return {{"id", e.id},         {"case_id", e.case_id},     {"at", e.at},
          {"who", e.who},       {"action", e.action},       {"entity", e.entity},
          {"entity_id", e.entity_id}, {"before", e.before}, {"after", e.after}};
}

json ToJson(const CaseLinks& l) {
  json f = json::array(), a = json::array();
  for (const auto& x : l.forecasts) {
    f.push_back({{"run_id", x.run_id},
                 {"created_at", x.created_at},
                 {"model", x.model},
                 {"base_year", x.base_year},
                 {"target_first", x.target_first},
                 {"target_last", x.target_last},
                 {"risk", x.risk},
                 {"risk_lo", OrNull(x.risk_lo)},
                 {"risk_hi", OrNull(x.risk_hi)},
                 {"rank", x.rank},
                 {"countries", x.countries}});
  }
  for (const auto& x : l.alerts) {
    a.push_back({{"id", x.id},
                 {"month", x.month},
                 {"detector", x.detector},
                 {"unit", x.unit},
                 {"severity", x.severity},
                 {"status", x.status},
                 {"score", x.score},
                 {"summary", x.summary}});
  }
  return {{"forecasts", f}, {"alerts", a}};
}

json ToJson(const CaseFile& f) {
  json j = ToJson(f.info);
  j["guidance"] = ToJson(f.guidance);
  json actors = json::array();
  for (const auto& a : f.actors) actors.push_back(ToJson(a));
  j["actors"] = actors;
  // Scores grouped per item: the majority beside its dissents.
  json scores = json::array();
  for (std::size_t i = 0; i < f.scores.size();) {
    const Score& first = f.scores[i];
    json group = {{"framework", first.framework}, {"item", first.item}, {"majority", nullptr}};
    json dissents = json::array();
    for (; i < f.scores.size() && f.scores[i].framework == first.framework && f.scores[i].item == first.item; ++i) {
      if (f.scores[i].position == "majority") {
        group["majority"] = ToJson(f.scores[i]);
      } else {
        dissents.push_back(ToJson(f.scores[i]));
      }
    }
    group["dissents"] = dissents;
    scores.push_back(std::move(group));
  }
  j["scores"] = scores;
  json versions = json::array();
  for (const auto& s : f.score_versions) versions.push_back(ToJson(s));
  j["score_versions"] = versions;
  json assessment = json::array();
  for (const auto& e : f.assessment) assessment.push_back(ToJson(e));
  j["assessment"] = assessment;
  json interests = json::array();
  for (const auto& i : f.interests) interests.push_back(ToJson(i));
  j["interests"] = interests;
  json assumptions = json::array();
  for (const auto& a : f.assumptions) assumptions.push_back(ToJson(a));
  j["assumptions"] = assumptions;
  json cirs = json::array();
  for (const auto& c : f.cirs) cirs.push_back(ToJson(c));
  j["cirs"] = cirs;
  return j;
}

}  // namespace vigil::assess
