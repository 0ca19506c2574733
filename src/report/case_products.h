// Briefing products of a case file (MAPRO Annex D): Tab 1 Initial Guidance,
// Tab 2 Conflict Assessment (full, and a short briefing version), Tab 3
// Situation Analysis and Assessment Overview, and Tab 10 Situation Update for
// a date range. Each renders as Markdown or as one self-contained HTML page
// (no external resources; print it to PDF with a browser).
//
// Every statement in a product comes from the case file, its audit log, or
// the stored events, alerts and forecasts of the case's country; a section
// with nothing recorded says "not recorded". Framework item titles and scale
// labels come from the embedded catalogs (assess/frameworks.h).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "assess/case.h"
#include "core/status.h"
#include "store/db.h"

namespace vigil::report {

struct PlanningData;  // planning_products.h

enum class ProductFormat { kMarkdown, kHtml };

// One stored event shown in a situation update.
struct UpdateEvent {
  std::int64_t row_id = 0;
  std::string date;  // "YYYY-MM-DD" (date_start)
  std::string source, event_id, place, actor1, actor2;
  int deaths_best = 0, deaths_civilians = 0;
  bool civilian_targeting = false;
};

// The stored events of the case's country in a date range.
struct RangeEvents {
  bool linked = false;  // false for a regional case (no country): nothing was loaded
  std::int64_t count = 0;
  std::int64_t deaths_best = 0;
  std::int64_t deaths_civilians = 0;
  std::int64_t civilian_targeting = 0;  // events deliberately aimed at civilians
  std::vector<UpdateEvent> deadliest;   // up to kDeadliestEvents, most deaths first
};
inline constexpr int kDeadliestEvents = 10;

// Everything a product shows.
struct CaseProductData {
  assess::CaseFile file;
  assess::CaseLinks links;                // forecasts and alerts of the case's country
  std::vector<assess::AuditEntry> audit;  // the case's audit log, oldest first
  std::string country;                    // name of the case's country, "" if regional or unknown
  // Tab 10 only: the range (IsCaseDate texts, from <= to) and its events.
  std::string from, to;
  RangeEvents events;
};

// Loads a case's file, links and audit log; with a range (both non-empty,
// IsCaseDate, from <= to, else InvalidArgument naming --from/--to) also the
// country's stored events dated in it ("2026" runs to 2026-12-31, "2026-02" to
// 2026-02-28). `country` is left empty (the caller names the country).
Result<CaseProductData> LoadCaseProductData(store::Db& db, std::int64_t case_id, const std::string& from,
                                            const std::string& to);

// Tab 1: the case, its purpose and scope, and the initial guidance.
std::string InitialGuidanceProduct(const CaseProductData& d, ProductFormat f);
// Tab 2: the conflict assessment by ICAF section (Part I diagnosis, Part II
// segue into planning), every entry with date, confidence, author and
// evidence. With `brief`, the short briefing version: the diagnosis sections
// only, each entry cut to its first sentence, without evidence.
std::string ConflictAssessmentProduct(const CaseProductData& d, ProductFormat f, bool brief);
// Tab 3: actors by typology (current roles and role history), framework
// scores per catalog (majority beside dissents), interests with conflicts,
// assumptions, open CIRs, and the country's forecast rank/risk and open
// alerts.
std::string SituationAnalysisProduct(const CaseProductData& d, ProductFormat f);
// Tab 10: what changed in [d.from, d.to]: stored events and alerts of the
// country, score changes (old -> new level), actor role changes, assumption
// status changes, CIRs answered, new assessment entries, and the case-file
// activity of the audit log. A dated item is in the range when its date
// (as_of, role from/to, answered_at; partial dates by their prefix) falls in
// it; audit activity by the UTC date it was recorded. Requires from and to.
// With `planning` (planning_products.h: LoadPlanningData) and a plan, also
// its planning section (PlanningUpdateSection): LOE and task status,
// upcoming decisions, issues, alert flags and a suggested stage transition.
std::string SituationUpdateProduct(const CaseProductData& d, ProductFormat f,
                                   const PlanningData* planning = nullptr);

// True when a (possibly partial) case date overlaps [from, to] (full or
// partial dates): "2026-02" is in [2026-01-15, 2026-03-01].
bool DateInRange(const std::string& date, const std::string& from, const std::string& to);

}  // namespace vigil::report
