// Assessment frameworks: the analysis catalogs a case is scored against.
//
// Each framework is a versioned JSON file under catalog/ (compiled into the
// binary) whose top-level "type" is "assessment-framework": the OSAPG analysis
// framework ("osapg"), the UN Framework of Analysis for Atrocity Crimes 2014
// ("un2014"), Stanton's ten stages of genocide ("stanton"), the GPMESII
// operational variables ("pmesii") and the risks to civilians
// ("civilian-risks"). A framework has a tree of items (categories, risk
// factors, stages, variables, risks) whose children are issues, indicators or
// guiding questions, and one ordinal scale: a score on any item of the
// framework is one of the scale's level ids. The file format is described in
// catalog/README.md and catalog/schema/*.schema.json.
//
// Item ids and level ids are stable: stored scores refer to them. Changing
// their meaning requires raising the framework's "version".
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"

namespace vigil::assess {

// One level of a framework's scale.
struct ScaleLevel {
  std::string id;       // stored with a score, e.g. "high"; unique in the scale
  int value = 0;        // ordinal value; strictly increasing in scale order
  std::string label;    // short label for tables and products, e.g. "High"
  std::string meaning;  // what choosing this level asserts
};

// The scale every score on a framework uses.
struct Scale {
  std::string question;             // what a level rates, e.g. "How strongly is ... present?"
  std::vector<ScaleLevel> levels;   // lowest first; at least two

  // The level with this id, or nullptr.
  const ScaleLevel* Find(std::string_view level_id) const;
};

struct FrameworkItem {
  std::string id;           // unique within the framework, e.g. "rf9" or "rf9.2"
  std::string kind;         // "category", "risk-factor", "stage", "variable", "risk" (top
                            // level) or "issue", "indicator", "question" (children)
  int number = 0;           // position as the source numbers it (1-based), 0 if none
  std::string title;        // non-empty
  std::string description;  // may be empty for children
  std::string parent_id;    // empty for a top-level item
  int depth = 0;            // 0 top level, 1 child
  std::string crime;        // un2014 only: "common", "genocide", "crimes-against-humanity"
                            // or "war-crimes"; empty elsewhere
  std::string group;        // optional grouping, e.g. "grave-violation" in civilian-risks
  std::vector<std::string> children;  // ids of the direct children, in order
};

struct Framework {
  std::string id;            // e.g. "un2014"; the catalog file is catalog/<id>.json
  int version = 0;           // raised whenever an item or level changes meaning
  std::string title;
  std::string source;        // the public document paraphrased, with its year
  std::string license_note;  // how the text relates to the source (own words)
  std::string description;   // what the framework is for and how to score it
  std::string item_kind;     // kind of the top-level items, e.g. "risk-factor"
  Scale scale;
  // Every item, top-level items in order each followed by its children.
  std::vector<FrameworkItem> items;

  // The item with this id (top level or child), or nullptr.
  const FrameworkItem* Find(std::string_view item_id) const;
  // True if level_id is a level of this framework's scale.
  bool IsValidLevel(std::string_view level_id) const;
  // Top-level items, in order.
  std::vector<const FrameworkItem*> TopLevel() const;
  // Children of an item, in order (empty for an unknown id).
  std::vector<const FrameworkItem*> ChildrenOf(std::string_view item_id) const;
};

// Parses and validates one framework catalog. source_name (e.g.
// "catalog/un2014.json") starts every error message, followed by the JSON
// path of the offending field ("items[3].indicators[1].title: missing").
// Checks: JSON syntax, required fields and their types, non-empty titles,
// unique item ids, unique and strictly increasing scale levels, and the
// structure the known frameworks must have (osapg: 8 categories; un2014: 14
// risk factors, 8 common, 2 each for genocide, crimes against humanity and
// war crimes, in that order; stanton: 10 stages; civilian-risks: the six
// grave violations against children).
Result<Framework> ParseFramework(std::string_view json, const std::string& source_name);

// Every framework embedded in the binary, sorted by id, parsed on first use.
// A broken embedded catalog is a build defect (frameworks_test.cc checks
// them): it aborts with the parse error.
const std::vector<Framework>& Frameworks();

// The embedded framework with this id, or nullptr.
const Framework* FindFramework(std::string_view id);

// ---------------------------------------------------------------------------
// Reference catalogs: the policy toolbox the options and plans draw from.
//
// A reference catalog is a versioned JSON file under catalog/ whose top-level
// "type" is "reference-catalog". Unlike a framework it has no scale and is not
// scored: it is a flat list of entries (tools, risks, considerations,
// approaches, frame elements), each with id, title, description, an optional
// group, and typed attributes that depend on the catalog. The known catalogs
// and their attributes (catalog/README.md and catalog/schema/ give the same
// rules):
//   dime                 the DIME toolbox (MAPRO handbook Part III, Figure 14):
//                        instrument, approach, effect, lead_agency, cost, risk,
//                        sovereignty_intrusion, lead_time (strings); stages,
//                        targets, purposes (lists); requires_host_consent (flag)
//   dime-risks           the eleven policy risks (group "policy-risk") and the
//                        risk of inaction (group "inaction"); mitigations (list)
//   cross-cutting        the eight cross-cutting considerations; questions (list)
//   military-approaches  the seven military approaches; force_level, risk
//                        (strings); suited_when (list)
//   policy-frame         four situational variables (group "variable", with
//                        their "values"), four roles (group "role") and six
//                        guidelines (group "guideline")
// An unknown catalog id, attribute or enumerated value is an error. Entry ids
// are stable: options and plans store them.

// The vocabularies of the dime catalog, in their usual order.
inline constexpr const char* kInstruments[] = {"diplomatic", "informational", "military", "economic"};
inline constexpr const char* kApproaches[] = {"suasion", "compellence", "intervention"};
inline constexpr const char* kActorCategories[] = {"perpetrators", "enablers", "bystanders", "victims",
                                                   "positive-actors"};
inline constexpr const char* kPlanStages[] = {"IA", "IB", "IC", "IIA", "IIB", "IIIA", "IIIB"};
inline constexpr const char* kLevels[] = {"low", "medium", "high"};

struct ReferenceEntry {
  std::string id;           // unique within the catalog
  std::string title;        // non-empty
  std::string description;  // non-empty
  std::string group;        // e.g. "policy-risk", "role"; empty if the catalog has no groups
  std::map<std::string, std::string> fields;              // e.g. "instrument" -> "military"
  std::map<std::string, std::vector<std::string>> lists;  // e.g. "targets" -> {"perpetrators"}
  std::map<std::string, bool> flags;                      // e.g. "requires_host_consent"

  // The attribute's value, or "" when the entry has none.
  const std::string& Field(std::string_view key) const;
  // The list attribute, or an empty list.
  const std::vector<std::string>& List(std::string_view key) const;
  // The flag, false when absent.
  bool Flag(std::string_view key) const;
};

struct ReferenceCatalog {
  std::string id;            // e.g. "dime"; the file is catalog/<id>.json
  int version = 0;           // raised whenever an entry changes meaning
  std::string title;
  std::string source;
  std::string license_note;
  std::string description;
  std::string entry_kind;    // e.g. "tool", "risk"
  std::vector<ReferenceEntry> entries;  // in file order

  // The entry with this id, or nullptr.
  const ReferenceEntry* Find(std::string_view entry_id) const;
  // Entries whose group is this, in order.
  std::vector<const ReferenceEntry*> InGroup(std::string_view group) const;
  // Entries whose string attribute key equals value, in order.
  std::vector<const ReferenceEntry*> Where(std::string_view key, std::string_view value) const;
};

// Parses and validates one reference catalog; errors start with source_name
// and name the JSON path ("entries[4].approach: 'persuasion' is not one of
// suasion, compellence, intervention"). Checks JSON syntax, required fields
// and types, unique valid ids, the attributes the catalog id allows, their
// enumerated values, and the required structure (counts and ids listed
// above; dime: every instrument and every approach has tools).
Result<ReferenceCatalog> ParseReferenceCatalog(std::string_view json, const std::string& source_name);

// Every reference catalog embedded in the binary, sorted by id, parsed on
// first use; a broken one aborts (frameworks_test.cc checks them).
const std::vector<ReferenceCatalog>& ReferenceCatalogs();

// The embedded reference catalog with this id, or nullptr.
const ReferenceCatalog* FindReferenceCatalog(std::string_view id);

}  // namespace vigil::assess
