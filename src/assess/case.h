// The case file: what an interagency planning team (IPT) knows and thinks
// about one situation (MAPRO Step 1, problem identification and initial
// guidance, and Step 2, situation analysis and assessment).
//
// A case is about one country (a GW code) or a region. It holds
//  - the initial guidance (Tab 1): the planning purpose and level of effort,
//    the IPT's members, lead agency, approving authority and the additional
//    guidance (assumptions, constraints, restraints, coordination with outside
//    actors, intent, timeline, other);
//  - actors, each with a role history in the handbook's typology (an actor's
//    category is a history of dated entries, and several may hold at once:
//    a group can be a victim of one set of crimes and a perpetrator of
//    another);
//  - scores of framework items (see assess/frameworks.h), versioned, with the
//    IPT's majority position and any dissents recorded beside it;
//  - the conflict assessment (Tab 2, ICAF structure) as dated, authored
//    entries per section;
//  - interests, assumptions with their validation status, and critical
//    information requirements (CIRs) with their answers;
//  - evidence links from scores, entries, assumptions and CIRs to stored
//    events, alerts and forecast runs, or to documents, reports and URLs.
//
// Every change goes through CaseRepo, which writes the change and its audit
// row (who, when, what, the entity before and after as JSON) in one SQLite
// transaction: a change that fails writes nothing, not even its audit row.
// The audit log is append-only.
//
// Dates the analyst gives (as-of dates, role periods) are text "YYYY",
// "YYYY-MM" or "YYYY-MM-DD" (so partially known dates can be recorded and
// sort correctly as text); timestamps the store sets are UTC ISO 8601
// "YYYY-MM-DDTHH:MM:SSZ".
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/status.h"
#include "store/db.h"

namespace vigil::assess {

// ---- Vocabularies -------------------------------------------------------------

// Case statuses: "open" (being worked), "monitoring" (watched, no active
// planning), "closed" (no further work), "archived" (kept for the record).
inline constexpr const char* kCaseStatuses[] = {"open", "monitoring", "closed", "archived"};

// Actor kinds.
inline constexpr const char* kActorKinds[] = {"person", "group", "state", "organization"};

// Actor role categories (the handbook's typology, after Sewall, Raymond and
// Chin's MARO handbook): perpetrators split into architects (who plan and
// direct), facilitators (who organize and enable) and rank-and-file (who carry
// out); victims; interveners (who act directly to stop or prevent); and the
// "others": bystanders (passive), positive actors (who protect, dissuade or
// reconcile), negative actors (who support perpetrators without committing
// the crimes themselves) and, among them, third-party enablers (who supply
// information, money, arms, services or outlets that benefit perpetrators).
inline constexpr const char* kActorRoles[] = {
    "perpetrator-architect", "perpetrator-facilitator", "perpetrator-rank-and-file",
    "victim",                "intervener",              "bystander",
    "positive-actor",        "negative-actor",          "third-party-enabler"};

// Confidence of a score or entry: "low", "medium", "high".
inline constexpr const char* kConfidences[] = {"low", "medium", "high"};

// Score positions: the IPT's "majority" assessment, or a member's "dissent".
inline constexpr const char* kPositions[] = {"majority", "dissent"};

// Evidence link kinds. "event" refs are events.id row ids, "alert" refs
// alerts.id, "forecast" refs forecast_runs.id: all three must exist. An event
// may also be given as "SOURCE/EVENT_ID" (e.g. "ged/4567"): CaseRepo stores
// it as the row id, with "ged/4567" as the note when the note is empty, so
// stored event refs are always row ids. The others are free references:
// "document" (a title or file name), "report" (a citation) and "url".
inline constexpr const char* kEvidenceKinds[] = {"event", "alert", "forecast", "document", "report", "url"};

// Conflict assessment sections (Tab 2, ICAF), in the order a product shows
// them. Part I, conflict diagnosis:
//   "context"                    the setting of the conflict
//   "core-grievances"            grievances at the heart of the conflict
//   "sources-of-resilience"      social and institutional sources of resilience
//   "identity-groups"            groups who believe others threaten them
//   "social-patterns"            patterns that deepen or bridge cleavages
//   "institutional-performance"  how institutions aggravate or resolve conflict
//   "drivers-of-conflict"
//   "mitigating-factors"
//   "windows-of-vulnerability"   moments when violence becomes more likely
//   "windows-of-opportunity"     moments when prevention can work better
// Part II, segue into planning:
//   "programs", "other-actors", "capability-gaps" (of the host nation),
//   "challenges", "risks-of-acting", "risks-of-not-acting", "opportunities".
inline constexpr const char* kAssessmentSections[] = {
    "context",          "core-grievances",     "sources-of-resilience",    "identity-groups",
    "social-patterns",  "institutional-performance", "drivers-of-conflict", "mitigating-factors",
    "windows-of-vulnerability", "windows-of-opportunity", "programs",        "other-actors",
    "capability-gaps",  "challenges",          "risks-of-acting",          "risks-of-not-acting",
    "opportunities"};
// A short English title for a section id ("Core grievances"); "" if unknown.
std::string_view AssessmentSectionTitle(std::string_view section);
// "diagnosis" for Part I sections, "planning" for Part II, "" if unknown.
std::string_view AssessmentSectionPart(std::string_view section);

// Assumption validation statuses.
inline constexpr const char* kAssumptionStatuses[] = {"unvalidated", "validated", "invalidated"};
// Information requirement statuses.
inline constexpr const char* kCirStatuses[] = {"open", "answered"};

bool IsCaseStatus(std::string_view s);
bool IsActorKind(std::string_view s);
bool IsActorRole(std::string_view s);
bool IsConfidence(std::string_view s);
bool IsPosition(std::string_view s);
bool IsEvidenceKind(std::string_view s);
bool IsAssessmentSection(std::string_view s);
bool IsAssumptionStatus(std::string_view s);
bool IsCirStatus(std::string_view s);
// True for "YYYY", "YYYY-MM" and "YYYY-MM-DD" with a real month and day.
bool IsCaseDate(std::string_view s);

// ---- Types --------------------------------------------------------------------

struct Case {
  std::int64_t id = 0;      // set by the store
  std::string slug;         // unique short code, [a-z0-9-], e.g. "car-2013"
  std::string title;        // non-empty
  std::optional<int> gw;    // the country (GW code), or none for a regional case
  std::string region;       // free text, e.g. "Great Lakes"; a case has a gw or a region (or both)
  std::string scope;        // what the case covers (period, places, populations)
  std::string purpose;      // why the case was opened
  std::string status = "open";  // of kCaseStatuses
  std::string created_at, created_by;  // set by the store
  std::string updated_at;              // set by the store on every change to the case file
  int revision = 1;  // set by the store; +1 on every edit of the case or its guidance
};

// One member of the IPT.
struct IptMember {
  std::int64_t id = 0;        // set by the store
  std::string name;           // non-empty
  std::string organization;   // e.g. "DoS/CSO"
  std::string role;           // e.g. "lead planner", "supervisory board"
};

// Step 1 / Tab 1. Every text may be empty (not yet given).
struct InitialGuidance {
  std::string objective;            // the planning purpose: prevent, respond, or both
  std::string level_of_effort;      // e.g. "short situation analysis", "full plan"
  std::vector<IptMember> ipt;       // in the order added
  std::string lead_agency;          // who directs or facilitates the effort
  std::string approving_authority;  // who approves and guides the IPT
  std::string assumptions;          // planning assumptions given with the guidance
  std::string constraints;          // what the IPT must do
  std::string restraints;           // what the IPT must not do
  std::string coordination;         // coordination with outside (non-USG) actors
  std::string intent;
  std::string timeline;
  std::string other;                // e.g. interests, risks, mitigation, resources
  std::string updated_at, updated_by;  // last change, "" if never edited
};

// A period in which an actor held a role.
struct ActorRole {
  std::int64_t id = 0;    // set by the store
  std::string role;       // of kActorRoles
  std::string from;       // IsCaseDate, required
  std::string to;         // IsCaseDate or "" while the role holds
  std::string note;       // why: the evidence or judgement behind the entry
  std::string author;     // set by the store (the repo call's author)
  std::string created_at; // set by the store
};

// A relationship from one actor to another of the same case.
struct ActorRelation {
  std::int64_t id = 0;        // set by the store
  std::int64_t other_id = 0;  // the other actor (same case)
  std::string kind;           // free text, e.g. "commands", "arms", "allied with", "opposes"
  std::string note;
};

struct Actor {
  std::int64_t id = 0;       // set by the store
  std::int64_t case_id = 0;  // set by the store
  std::string name;          // non-empty, unique within the case
  std::string kind = "group";  // of kActorKinds
  std::string motivations, means, capabilities, weaknesses, locations, notes;
  std::vector<ActorRole> roles;          // oldest "from" first
  std::vector<ActorRelation> relations;  // outgoing
  std::string created_at, updated_at;    // set by the store
  int revision = 1;  // set by the store; +1 on every edit of its fields or a role's end

  // Roles holding on `date` (IsCaseDate; compared as text: from <= date and
  // (to empty or to >= date)); with an empty date, the roles without an end.
  std::vector<const ActorRole*> RolesOn(std::string_view date = {}) const;
};

struct EvidenceLink {
  std::string kind;  // of kEvidenceKinds
  std::string ref;   // "123" for event/alert/forecast; free text otherwise
  std::string note;
};
// Parses "KIND:REF" (the CLI's --evidence), e.g. "event:123",
// "event:ged/4567", "url:https://...", "document:Panel report 2013".
// InvalidArgument for an unknown kind, an empty ref, a non-numeric ref of an
// alert/forecast, or an event ref that is neither a number nor SOURCE/ID.
Result<EvidenceLink> ParseEvidenceLink(std::string_view text);
// "KIND:REF".
std::string FormatEvidenceLink(const EvidenceLink& e);

// One version of a score of one framework item.
//
// Identity of a score series: (case, framework, item, position, and for a
// dissent its author). Each AddScore on a series adds a version (1, 2, ...);
// older versions are kept. There is at most one majority series per item and
// one dissent series per dissenting author.
struct Score {
  std::int64_t id = 0;       // set by the store
  std::int64_t case_id = 0;  // set by the store
  std::string framework;     // a FindFramework id, e.g. "osapg"
  std::string item;          // an item id of that framework, e.g. "c1" (top level or child)
  std::string level;         // a level id of the framework's scale
  std::string confidence = "medium";  // of kConfidences
  std::string as_of;         // IsCaseDate: when the assessment holds; default: today
  std::string position = "majority";  // of kPositions
  std::string author;        // set by the store (the repo call's author)
  std::string rationale;
  std::vector<EvidenceLink> evidence;
  int version = 0;           // set by the store
  std::string created_at;    // set by the store
};

// One dated, authored entry of the conflict assessment.
struct AssessmentEntry {
  std::int64_t id = 0;  // set by the store
  std::string section;  // of kAssessmentSections
  std::string text;     // non-empty
  std::string as_of;    // IsCaseDate; default: today
  std::string confidence = "medium";
  std::vector<EvidenceLink> evidence;
  std::string author;   // set by the store
  std::string created_at, updated_at;  // set by the store
  int revision = 1;  // set by the store; +1 on every edit
};

struct Interest {
  std::int64_t id = 0;   // set by the store
  int priority = 1;      // 1 = highest; >= 1
  std::string owner;     // whose interest, e.g. "USG", "AU", "host government"
  std::string text;      // non-empty
  std::vector<std::int64_t> conflicts_with;  // ids of other interests of the case
  std::string note;      // how the conflict plays out
  std::string author, created_at, updated_at;  // set by the store
  int revision = 1;  // set by the store; +1 on every edit
};

struct Assumption {
  std::int64_t id = 0;  // set by the store
  std::string text;     // non-empty
  std::string status = "unvalidated";  // of kAssumptionStatuses
  std::string as_of;    // IsCaseDate of the last status; default: today
  std::string note;     // why validated/invalidated
  std::vector<EvidenceLink> evidence;
  std::string author, created_at, updated_at;  // set by the store
  int revision = 1;  // set by the store; +1 on every edit
};

// A critical information requirement (an information gap to close).
struct InformationRequirement {
  std::int64_t id = 0;   // set by the store
  std::string question;  // non-empty
  int priority = 1;      // 1 = highest; >= 1
  std::string status = "open";  // of kCirStatuses
  std::string answer;    // non-empty when answered
  std::string answered_at;  // IsCaseDate when answered, else ""
  std::vector<EvidenceLink> evidence;
  std::string author, created_at, updated_at;  // set by the store
  int revision = 1;  // set by the store; +1 on every edit
};

// One row of the append-only audit log.
struct AuditEntry {
  std::int64_t id = 0;
  std::int64_t case_id = 0;
  std::string at;      // UTC ISO 8601
  std::string who;
  std::string action;  // e.g. "create", "edit", "add", "role", "score", "answer"
  std::string entity;  // "case", "guidance", "ipt-member", "actor", "actor-role",
                       // "actor-relation", "score", "assessment", "interest",
                       // "assumption", "cir"
  std::int64_t entity_id = 0;
  nlohmann::json before;  // null when created
  nlohmann::json after;   // null when removed
};

// Everything recorded on one case.
struct CaseFile {
  Case info;
  InitialGuidance guidance;
  std::vector<Actor> actors;                     // by id
  std::vector<Score> scores;                     // current versions: the latest of each series,
                                                 // by framework, item, majority first, then dissents by author
  std::vector<Score> score_versions;             // every version, oldest first (by id)
  std::vector<AssessmentEntry> assessment;       // by section order, then as_of, then id
  std::vector<Interest> interests;               // by priority, then id
  std::vector<Assumption> assumptions;           // by id
  std::vector<InformationRequirement> cirs;      // by status (open first), priority, id

  const Actor* FindActor(std::int64_t id) const;
  // The current majority score and the current dissents of an item.
  const Score* Majority(std::string_view framework, std::string_view item) const;
  std::vector<const Score*> Dissents(std::string_view framework, std::string_view item) const;
};

// Stored data about the case's country (empty for a regional case).
struct CaseLinks {
  struct ForecastLink {
    std::int64_t run_id = 0;
    std::string created_at, model;
    int base_year = 0, target_first = 0, target_last = 0;
    double risk = 0;
    double risk_lo = 0, risk_hi = 0;  // NaN without an interval
    int rank = 0;
    int countries = 0;  // rows in the run (rank is out of this)
  };
  struct AlertLink {
    std::int64_t id = 0;
    std::string month;  // "YYYY-MM"
    std::string detector, unit, severity, status, summary;
    double score = 0;
  };
  std::vector<ForecastLink> forecasts;  // the country's row of every forecast run, newest run first
  std::vector<AlertLink> alerts;        // the country's alerts, newest month first
};

// ---- JSON (for --json output, audit rows and products) ----------------------

nlohmann::json ToJson(const Case& c);
nlohmann::json ToJson(const InitialGuidance& g);
nlohmann::json ToJson(const IptMember& m);
nlohmann::json ToJson(const ActorRole& r);
nlohmann::json ToJson(const ActorRelation& r);
nlohmann::json ToJson(const Actor& a);
nlohmann::json ToJson(const EvidenceLink& e);
nlohmann::json ToJson(const Score& s);
nlohmann::json ToJson(const AssessmentEntry& e);
nlohmann::json ToJson(const Interest& i);
nlohmann::json ToJson(const Assumption& a);
nlohmann::json ToJson(const InformationRequirement& r);
nlohmann::json ToJson(const AuditEntry& e);
nlohmann::json ToJson(const CaseLinks& l);
// The whole case file; scores grouped per item as
// {"framework", "item", "majority": {...} or null, "dissents": [...]},
// plus "score_versions" with every version.
nlohmann::json ToJson(const CaseFile& f);

// ---- Repository -----------------------------------------------------------------

// A field edit: name and new value as text. Case fields: "title", "slug",
// "gw" (a GW code, or "" for none), "region", "scope", "purpose", "status".
// Guidance fields: "objective", "level-of-effort", "lead-agency",
// "approving-authority", "assumptions", "constraints", "restraints",
// "coordination", "intent", "timeline", "other". Actor fields: "name",
// "kind", "motivations", "means", "capabilities", "weaknesses", "locations",
// "notes".
using FieldEdits = std::vector<std::pair<std::string, std::string>>;

// Case file storage over a migrated store::Db (schema version >= 3). The Db
// must have its countries synced (store::SyncCountries) for cases with a gw.
//
// Every mutating call takes the author (non-empty, else InvalidArgument),
// validates everything first, then writes the change and its audit row(s) in
// one transaction: on any error nothing is written. Errors: NotFound for an
// unknown case, actor, entry or evidence row; InvalidArgument for bad input
// (messages name the field); AlreadyExists for a duplicate slug or actor
// name. Every successful change also sets the case's updated_at.
class CaseRepo {
 public:
  explicit CaseRepo(store::Db& db) : db_(db) {}

  // -- cases --
  // Creates a case (id, timestamps and created_by set; slug derived from the
  // title, or the gw, when empty; "-2", "-3" ... appended if taken when
  // derived, AlreadyExists when given). Requires a title and a gw or a region.
  Result<Case> CreateCase(Case c, const std::string& author);
  // Every case, by id.
  Result<std::vector<Case>> ListCases();
  // By numeric id or slug; NotFound naming the query.
  Result<Case> FindCase(std::string_view id_or_slug);
  Result<CaseFile> LoadCaseFile(std::int64_t case_id);
  // Case and guidance field edits (see FieldEdits), all in one transaction
  // with one audit row per entity changed ("case", "guidance"). Unknown field
  // or bad value: InvalidArgument, nothing written. Edits that change nothing
  // write nothing and return OK.
  //
  // The edits of this section take the revision of the record the caller
  // read (based_on_revision; nullopt: no check, the read and the write are
  // one transaction). When the record is at another revision now, Aborted
  // naming both, and nothing is written. Each edit that changes something
  // adds one to the record's revision (for a case, also a guidance edit; for
  // an actor, also ending one of its roles).
  Status EditCase(std::int64_t case_id, const FieldEdits& edits, const std::string& author,
                  std::optional<int> based_on_revision = std::nullopt);
  Result<IptMember> AddIptMember(std::int64_t case_id, IptMember m, const std::string& author);
  Status RemoveIptMember(std::int64_t case_id, std::int64_t member_id, const std::string& author);

  // -- actors --
  // Adds an actor with its initial roles (a.roles; each needs a role and a
  // from date) and no relations.
  Result<Actor> AddActor(std::int64_t case_id, Actor a, const std::string& author);
  Status EditActor(std::int64_t case_id, std::int64_t actor_id, const FieldEdits& edits,
                   const std::string& author, std::optional<int> based_on_revision = std::nullopt);
  // By numeric id or exact name within the case; NotFound otherwise.
  Result<Actor> FindActor(std::int64_t case_id, std::string_view id_or_name);
  // Adds a role entry. With end_open_roles, every role of the actor still
  // holding (no "to") and starting on or before role.from ends on role.from:
  // a change of category. InvalidArgument if to < from.
  Result<ActorRole> AddActorRole(std::int64_t case_id, std::int64_t actor_id, ActorRole role,
                                 bool end_open_roles, const std::string& author);
  // Ends a role entry on `to` (>= its from). NotFound for an unknown entry.
  Status EndActorRole(std::int64_t case_id, std::int64_t actor_id, std::int64_t role_id,
                      const std::string& to, const std::string& author,
                      std::optional<int> based_on_revision = std::nullopt);
  // A relation from actor_id to rel.other_id (both of the case, distinct).
  Result<ActorRelation> AddActorRelation(std::int64_t case_id, std::int64_t actor_id,
                                         ActorRelation rel, const std::string& author);

  // -- scores --
  // Validates framework, item and level against the embedded catalogs
  // (FindFramework), the confidence, as_of (default today), position and
  // evidence (event/alert/forecast refs must exist), then stores the next
  // version of the score's series (see Score). Returns it as stored. With
  // based_on_version (the series' version the caller read, 0 for none yet),
  // Aborted when the series has moved on since: nothing is written.
  Result<Score> AddScore(std::int64_t case_id, Score s, const std::string& author,
                         std::optional<int> based_on_version = std::nullopt);

  // -- conflict assessment --
  Result<AssessmentEntry> AddAssessmentEntry(std::int64_t case_id, AssessmentEntry e,
                                             const std::string& author);
  // Replaces text, as_of, confidence and (when `evidence` is given) evidence
  // of an entry; the audit row keeps the old content.
  Status EditAssessmentEntry(std::int64_t case_id, std::int64_t entry_id, const std::string& text,
                             const std::string& as_of, const std::string& confidence,
                             const std::optional<std::vector<EvidenceLink>>& evidence,
                             const std::string& author, std::optional<int> based_on_revision = std::nullopt);

  // -- interests, assumptions, CIRs --
  // conflicts_with must name other interests of the case; conflicts are
  // stored symmetrically (a conflicts with b <=> b conflicts with a).
  Result<Interest> AddInterest(std::int64_t case_id, Interest i, const std::string& author);
  // Replaces priority, owner, text, note and conflicts of an interest.
  Status UpdateInterest(std::int64_t case_id, const Interest& i, const std::string& author,
                        std::optional<int> based_on_revision = std::nullopt);
  Result<Assumption> AddAssumption(std::int64_t case_id, Assumption a, const std::string& author);
  // Sets the validation status (with its date, note and added evidence).
  Status SetAssumptionStatus(std::int64_t case_id, std::int64_t assumption_id, const std::string& status,
                             const std::string& as_of, const std::string& note,
                             const std::vector<EvidenceLink>& add_evidence, const std::string& author,
                             std::optional<int> based_on_revision = std::nullopt);
  Result<InformationRequirement> AddCir(std::int64_t case_id, InformationRequirement r,
                                        const std::string& author);
  // Answers a CIR (answer non-empty; date default today) adding evidence, or
  // re-opens it with an empty answer.
  Status AnswerCir(std::int64_t case_id, std::int64_t cir_id, const std::string& answer,
                   const std::string& answered_at, const std::vector<EvidenceLink>& add_evidence,
                   const std::string& author, std::optional<int> based_on_revision = std::nullopt);

  // -- audit and links --
  // The case's audit rows, oldest first.
  Result<std::vector<AuditEntry>> History(std::int64_t case_id);
  // Forecast rows and alerts stored for the case's country.
  Result<CaseLinks> LoadLinks(const Case& c);

 private:
  store::Db& db_;
};

}  // namespace vigil::assess
