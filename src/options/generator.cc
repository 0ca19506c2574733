// The option builder (generator.h): the rules of catalog/option_rules.json
// applied to a case file. docs/options.md describes every rule in prose.
#include "options/generator.h"

#include <fmt/format.h>

#include <algorithm>
#include <cstdlib>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <variant>

#include "assess/frameworks.h"
#include "assess/repo_util.h"
#include "core/embedded.h"
#include "core/json_limits.h"
#include "core/vocab.h"
#include "data/countries.h"

namespace vigil::options {

using nlohmann::json;

// A condition of a rule. Every non-empty key must hold (AND); a list key
// holds when the value is one of its entries. Situational variables accept
// "" for "unknown".
struct Condition {
  std::map<std::string, std::vector<std::string>> vars;  // situational variable -> allowed values
  std::vector<std::string> facts;                        // every fact must hold
  std::vector<std::string> approach, role, military_approach;
  std::vector<std::string> instruments, tools;  // any of them in the package
  bool Empty() const {
    return vars.empty() && facts.empty() && approach.empty() && role.empty() && military_approach.empty() &&
           instruments.empty() && tools.empty();
  }
};

struct ScoreThreshold {
  std::string framework, item, min_level;
};

struct RoleRule {
  Condition when;
  std::string role;
};

struct PackageRule {
  std::string id, title, summary, approach, because, goal, escalation;
  std::vector<RoleRule> roles;
  std::vector<Condition> when_any;  // empty: always
  std::vector<std::string> focus, preferred, stages, only_tools;
};

struct MilitaryRule {
  Condition when;
  std::string approach, because;
  std::vector<std::string> tools;
};

struct RiskRule {
  std::string id, likelihood, impact, because;
  Condition when;
};

struct FactorPurposes {
  std::string framework, item;
  std::vector<std::string> purposes;
};

struct ProsCons {
  std::vector<std::string> advantages, disadvantages;
};

struct RuleSet {
  std::string source_name;
  int version = 0;
  // inference
  std::vector<std::string> state_keywords, own_interest_owners, camp_keywords;
  int support_min_actors = 2;
  std::string alert_min_severity;
  int alert_window_months = 6;
  int stanton_urgent_stage = 8;
  std::string stanton_urgent_level;
  std::vector<ScoreThreshold> urgent_scores, killing_under_way;
  // tool scoring
  std::map<std::string, std::string> risk_factor_levels;
  std::vector<FactorPurposes> risk_factor_purposes;
  std::map<std::string, std::string> role_targets;
  std::map<std::string, std::vector<std::string>> stage_fit;
  int w_risk_factor = 0, w_focus = 0, w_target = 0, w_stage = 0, w_same_approach = 0, w_preferred = 0,
      w_military = 0, min_score = 0;
  std::map<std::string, int> w_cost;
  std::map<std::string, int> limits;
  // packages
  std::vector<PackageRule> packages;
  int max_packages = 4;
  std::vector<MilitaryRule> military;
  std::vector<RiskRule> risks;
  std::map<std::string, std::pair<std::string, std::string>> resources;  // cost -> funding, personnel
  std::map<std::string, std::string> force_levels;
  std::map<std::string, std::vector<std::string>> escalation;
  std::map<std::string, std::string> objectives;
  int max_objectives = 4;
  std::map<std::string, ProsCons> approach_pc, role_pc;
};

namespace {

// ---- small helpers ----

bool Contains(const std::vector<std::string>& v, std::string_view s) {
  return std::find(v.begin(), v.end(), s) != v.end();
}

std::string Join(const std::vector<std::string>& v, std::string_view sep) {
  std::string out;
  for (std::size_t i = 0; i < v.size(); ++i) out += (i ? std::string(sep) : "") + v[i];
  return out;
}

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

std::string Trim(std::string_view s) {
  std::size_t b = 0, e = s.size();
  while (b < e && (s[b] == ' ' || s[b] == '\t' || s[b] == '.')) ++b;
  while (e > b && (s[e - 1] == ' ' || s[e - 1] == '\t' || s[e - 1] == '.')) --e;
  return std::string(s.substr(b, e - b));
}

// "a", "a and b", "a, b and c".
std::string NameList(const std::vector<std::string>& names) {
  if (names.empty()) return "";
  if (names.size() == 1) return names[0];
  std::string out;
  for (std::size_t i = 0; i + 1 < names.size(); ++i) out += (i ? ", " : "") + names[i];
  return out + " and " + names.back();
}

const assess::ReferenceCatalog& Catalog(std::string_view id) {
  const assess::ReferenceCatalog* c = assess::FindReferenceCatalog(id);
  assert(c && "embedded reference catalog missing");
  return *c;
}

int SeverityRank(std::string_view s) {
  static const char* kSeverities[] = {"low", "medium", "high", "critical"};
  for (int i = 0; i < 4; ++i) {
    if (s == kSeverities[i]) return i;
  }
  return -1;
}

int LevelRank(std::string_view level) {
  if (level == "low") return 0;
  if (level == "medium") return 1;
  if (level == "high") return 2;
  return -1;
}

int LeadTimeRank(std::string_view t) {
  static const char* kTimes[] = {"days", "weeks", "months", "years"};
  for (int i = 0; i < 4; ++i) {
    if (t == kTimes[i]) return i;
  }
  return -1;
}

// "YYYY-MM" -> months since year 0, or -1.
int MonthIndex(std::string_view m) {
  if (m.size() < 7 || m[4] != '-') return -1;
  int y = std::atoi(std::string(m.substr(0, 4)).c_str());
  int mo = std::atoi(std::string(m.substr(5, 2)).c_str());
  if (y <= 0 || mo < 1 || mo > 12) return -1;
  return y * 12 + mo - 1;
}

std::string FrameworkLabel(std::string_view fw) {
  if (fw == "osapg") return "OSAPG";
  if (fw == "un2014") return "UN 2014";
  if (fw == "stanton") return "Stanton";
  return std::string(fw);
}

// The value of a level on a framework's scale, or -1.
int LevelValue(std::string_view framework, std::string_view level) {
  const assess::Framework* f = assess::FindFramework(framework);
  if (!f) return -1;
  const assess::ScaleLevel* l = f->scale.Find(level);
  return l ? l->value : -1;
}

// The majority score of an item when it reaches min_level, else nullptr.
const assess::Score* Reaches(const assess::CaseFile& file, std::string_view framework, std::string_view item,
                             std::string_view min_level) {
  const assess::Score* s = file.Majority(framework, item);
  if (!s) return nullptr;
  int v = LevelValue(framework, s->level), min = LevelValue(framework, min_level);
  return (v >= 0 && min >= 0 && v >= min) ? s : nullptr;
}

// ---- parsing: every error names the source and the JSON path ----

class Reader {
 public:
  explicit Reader(std::string source) : source_(std::move(source)) {}
  bool failed() const { return !error_.empty(); }
  Status status() const { return Status::InvalidArgument(error_); }

  void Fail(const std::string& path, const std::string& msg) {
    if (error_.empty()) error_ = fmt::format("{}: {}: {}", source_, path, msg);
  }

  const json* Get(const json& j, const std::string& path, const char* key, bool required) {
    if (failed()) return nullptr;
    if (!j.is_object()) {
      Fail(path, fmt::format("must be an object, not {}", j.type_name()));
      return nullptr;
    }
    auto it = j.find(key);
    if (it == j.end()) {
      if (required) Fail(Sub(path, key), "missing");
      return nullptr;
    }
    return &*it;
  }

  static std::string Sub(const std::string& path, std::string_view key) {
    return path.empty() ? std::string(key) : path + "." + std::string(key);
  }

  std::string Str(const json& j, const std::string& path, const char* key, bool required = true) {
    const json* v = Get(j, path, key, required);
    if (!v) return "";
    if (!v->is_string()) {
      Fail(Sub(path, key), fmt::format("must be a string, not {}", v->type_name()));
      return "";
    }
    return v->get<std::string>();
  }

  int Int(const json& j, const std::string& path, const char* key, int min, bool required = true, int def = 0) {
    const json* v = Get(j, path, key, required);
    if (!v) return def;
    if (!v->is_number_integer() || v->get<long long>() < min || v->get<long long>() > 1000000) {
      Fail(Sub(path, key), fmt::format("must be an integer >= {}", min));
      return def;
    }
    return v->get<int>();
  }

  std::vector<std::string> Strs(const json& j, const std::string& path, const char* key, bool required = true) {
    const json* v = Get(j, path, key, required);
    std::vector<std::string> out;
    if (!v) return out;
    if (!v->is_array()) {
      Fail(Sub(path, key), fmt::format("must be an array of strings, not {}", v->type_name()));
      return out;
    }
    for (std::size_t i = 0; i < v->size(); ++i) {
      if (!(*v)[i].is_string()) {
        Fail(fmt::format("{}[{}]", Sub(path, key), i), "must be a string");
        return out;
      }
      out.push_back((*v)[i].get<std::string>());
    }
    return out;
  }

  const json* Arr(const json& j, const std::string& path, const char* key, bool required = true) {
    const json* v = Get(j, path, key, required);
    if (v && !v->is_array()) {
      Fail(Sub(path, key), fmt::format("must be an array, not {}", v->type_name()));
      return nullptr;
    }
    return v;
  }

  const json* Obj(const json& j, const std::string& path, const char* key, bool required = true) {
    const json* v = Get(j, path, key, required);
    if (v && !v->is_object()) {
      Fail(Sub(path, key), fmt::format("must be an object, not {}", v->type_name()));
      return nullptr;
    }
    return v;
  }

  // Each of `values` must be accepted by `ok`, else "path[i]: 'x' <what>".
  template <typename Pred>
  void Check(const std::string& path, const std::vector<std::string>& values, Pred ok, const std::string& what) {
    for (std::size_t i = 0; i < values.size(); ++i) {
      if (!ok(values[i])) Fail(fmt::format("{}[{}]", path, i), fmt::format("'{}' {}", values[i], what));
    }
  }

 private:
  std::string source_, error_;
};

bool IsTool(const std::string& id) { return Catalog("dime").Find(id) != nullptr; }
bool IsRisk(const std::string& id) { return Catalog("dime-risks").Find(id) != nullptr; }
bool IsMilitaryApproach(const std::string& id) { return Catalog("military-approaches").Find(id) != nullptr; }

const std::vector<std::string>& Purposes() {
  static const std::vector<std::string> kPurposes = [] {
    std::set<std::string> all;
    for (const auto& e : Catalog("dime").entries) {
      for (const auto& p : e.List("purposes")) all.insert(p);
    }
    return std::vector<std::string>(all.begin(), all.end());
  }();
  return kPurposes;
}
bool IsPurpose(const std::string& p) { return Contains(Purposes(), p); }

// The facts a condition may require (computed in ComputeFacts).
constexpr const char* kFacts[] = {"killing-under-way", "partner-force",     "victims-in-camps",
                                  "locations-overlap", "locations-distinct"};

// The values allowed for a situational variable (policy-frame catalog).
std::vector<std::string> VariableValues(std::string_view variable) {
  const assess::ReferenceEntry* e = Catalog("policy-frame").Find(variable);
  if (!e || e->group != "variable") return {};
  return e->List("values");
}

// Keys allowed: "vars" (the situational variables and "facts") always; the
// package keys only where `package_keys`.
Condition ReadCondition(Reader& r, const json& j, const std::string& path, bool package_keys) {
  Condition c;
  if (!j.is_object()) {
    r.Fail(path, fmt::format("must be an object, not {}", j.type_name()));
    return c;
  }
  for (const auto& [key, value] : j.items()) {
    const std::string p = Reader::Sub(path, key);
    std::vector<std::string> vals = r.Strs(j, path, key.c_str());
    if (r.failed()) return c;
    if (In(kSituationVariables, key)) {
      std::vector<std::string> allowed = VariableValues(key);
      allowed.push_back("");
      r.Check(p, vals, [&](const std::string& v) { return Contains(allowed, v); },
              fmt::format("is not a value of {} ({}, or \"\" for unknown)", key, Join(VariableValues(key), ", ")));
      c.vars[key] = vals;
    } else if (key == "facts") {
      r.Check(p, vals, [](const std::string& v) { return In(kFacts, v); },
              fmt::format("is not a fact ({})", ListOf(kFacts)));
      c.facts = vals;
    } else if (package_keys && key == "approach") {
      r.Check(p, vals, [](const std::string& v) { return IsApproach(v); },
              fmt::format("is not an approach ({})", ListOf(assess::kApproaches)));
      c.approach = vals;
    } else if (package_keys && key == "role") {
      r.Check(p, vals, [](const std::string& v) { return IsRole(v); },
              fmt::format("is not a role ({})", ListOf(kRoles)));
      c.role = vals;
    } else if (package_keys && key == "military_approach") {
      r.Check(p, vals, IsMilitaryApproach, "is not a military-approaches entry");
      c.military_approach = vals;
    } else if (package_keys && key == "instruments") {
      r.Check(p, vals, [](const std::string& v) { return In(assess::kInstruments, v); },
              fmt::format("is not an instrument ({})", ListOf(assess::kInstruments)));
      c.instruments = vals;
    } else if (package_keys && key == "tools") {
      r.Check(p, vals, IsTool, "is not a dime tool id");
      c.tools = vals;
    } else {
      r.Fail(p, fmt::format("unknown condition key (allowed: {}, facts{})", ListOf(kSituationVariables),
                            package_keys ? ", approach, role, military_approach, instruments, tools" : ""));
    }
    if (r.failed()) return c;
  }
  return c;
}

std::vector<ScoreThreshold> ReadThresholds(Reader& r, const json& j, const std::string& path, const char* key) {
  std::vector<ScoreThreshold> out;
  const json* a = r.Arr(j, path, key);
  if (!a) return out;
  for (std::size_t i = 0; i < a->size() && !r.failed(); ++i) {
    const std::string p = fmt::format("{}[{}]", Reader::Sub(path, key), i);
    ScoreThreshold t{r.Str((*a)[i], p, "framework"), r.Str((*a)[i], p, "item"), r.Str((*a)[i], p, "min_level")};
    if (r.failed()) break;
    const assess::Framework* f = assess::FindFramework(t.framework);
    if (!f) {
      r.Fail(p + ".framework", fmt::format("unknown framework '{}'", t.framework));
    } else if (!f->Find(t.item)) {
      r.Fail(p + ".item", fmt::format("'{}' is not an item of {}", t.item, t.framework));
    } else if (!f->IsValidLevel(t.min_level)) {
      r.Fail(p + ".min_level", fmt::format("'{}' is not a level of {}", t.min_level, t.framework));
    }
    out.push_back(t);
  }
  return out;
}

// Placeholders the templates may use.
constexpr const char* kPlaceholders[] = {"country", "victims", "perpetrators", "supporters", "military_approach"};

void CheckTemplate(Reader& r, const std::string& path, const std::string& text) {
  std::size_t pos = 0;
  while ((pos = text.find('{', pos)) != std::string::npos) {
    std::size_t end = text.find('}', pos);
    if (end == std::string::npos) {
      r.Fail(path, "unclosed '{'");
      return;
    }
    std::string name = text.substr(pos + 1, end - pos - 1);
    if (!In(kPlaceholders, name)) {
      r.Fail(path, fmt::format("unknown placeholder '{{{}}}' (allowed: {})", name, ListOf(kPlaceholders)));
      return;
    }
    pos = end + 1;
  }
}

std::map<std::string, ProsCons> ReadProsCons(Reader& r, const json& j, const std::string& path,
                                             const std::vector<std::string>& keys) {
  std::map<std::string, ProsCons> out;
  for (const auto& k : keys) {
    const json* o = r.Obj(j, path, k.c_str());
    if (!o) break;
    const std::string p = Reader::Sub(path, k);
    out[k] = {r.Strs(*o, p, "advantages"), r.Strs(*o, p, "disadvantages")};
  }
  return out;
}

Result<std::shared_ptr<const RuleSet>> Parse(std::string_view text, const std::string& source) {
  VIGIL_RETURN_IF_ERROR(CheckJsonDepth(text, source));
  json j = json::parse(text, nullptr, false);
  if (j.is_discarded()) return Status::InvalidArgument(fmt::format("{}: not valid JSON", source));
  Reader r(source);
  auto rs = std::make_shared<RuleSet>();
  rs->source_name = source;
  if (!j.is_object()) return Status::InvalidArgument(fmt::format("{}: must be a JSON object", source));
  if (std::string type = r.Str(j, "", "type"); !r.failed() && type != "option-rules") {
    r.Fail("type", fmt::format("is '{}', expected 'option-rules'", type));
  }
  rs->version = r.Int(j, "", "version", 1);

  // inference
  if (const json* inf = r.Obj(j, "", "inference")) {
    const std::string p = "inference";
    rs->state_keywords = r.Strs(*inf, p, "state_keywords");
    rs->own_interest_owners = r.Strs(*inf, p, "own_interest_owners");
    rs->camp_keywords = r.Strs(*inf, p, "camp_keywords");
    for (auto* list : {&rs->state_keywords, &rs->own_interest_owners, &rs->camp_keywords}) {
      for (auto& s : *list) s = Lower(s);
    }
    rs->support_min_actors = r.Int(*inf, p, "support_min_actors", 1);
    rs->alert_min_severity = r.Str(*inf, p, "alert_min_severity");
    if (!r.failed() && SeverityRank(rs->alert_min_severity) < 0) {
      r.Fail(p + ".alert_min_severity",
             fmt::format("'{}' is not one of low, medium, high, critical", rs->alert_min_severity));
    }
    rs->alert_window_months = r.Int(*inf, p, "alert_window_months", 1);
    rs->stanton_urgent_stage = r.Int(*inf, p, "stanton_urgent_stage", 1);
    if (!r.failed() && rs->stanton_urgent_stage > 10) r.Fail(p + ".stanton_urgent_stage", "must be 1-10");
    rs->stanton_urgent_level = r.Str(*inf, p, "stanton_urgent_level");
    if (!r.failed() && LevelValue("stanton", rs->stanton_urgent_level) < 0) {
      r.Fail(p + ".stanton_urgent_level", fmt::format("'{}' is not a level of stanton", rs->stanton_urgent_level));
    }
    rs->urgent_scores = ReadThresholds(r, *inf, p, "urgent_scores");
  }
  if (!r.failed()) rs->killing_under_way = ReadThresholds(r, j, "", "killing_under_way");

  // risk factors -> purposes
  if (const json* lv = r.Obj(j, "", "risk_factor_levels")) {
    for (const auto& [fw, level] : lv->items()) {
      const std::string p = "risk_factor_levels." + fw;
      if (!level.is_string()) {
        r.Fail(p, "must be a string");
      } else if (!assess::FindFramework(fw)) {
        r.Fail(p, fmt::format("unknown framework '{}'", fw));
      } else if (LevelValue(fw, level.get<std::string>()) < 0) {
        r.Fail(p, fmt::format("'{}' is not a level of {}", level.get<std::string>(), fw));
      } else {
        rs->risk_factor_levels[fw] = level.get<std::string>();
      }
    }
  }
  if (const json* a = r.Arr(j, "", "risk_factor_purposes")) {
    for (std::size_t i = 0; i < a->size() && !r.failed(); ++i) {
      const std::string p = fmt::format("risk_factor_purposes[{}]", i);
      FactorPurposes fp{r.Str((*a)[i], p, "framework"), r.Str((*a)[i], p, "item"), r.Strs((*a)[i], p, "purposes")};
      if (r.failed()) break;
      const assess::Framework* f = assess::FindFramework(fp.framework);
      if (!rs->risk_factor_levels.count(fp.framework)) {
        r.Fail(p + ".framework", fmt::format("'{}' has no entry in risk_factor_levels", fp.framework));
      } else if (!f || !f->Find(fp.item)) {
        r.Fail(p + ".item", fmt::format("'{}' is not an item of {}", fp.item, fp.framework));
      }
      r.Check(p + ".purposes", fp.purposes, IsPurpose,
              fmt::format("is not a purpose of the dime catalog ({})", Join(Purposes(), ", ")));
      rs->risk_factor_purposes.push_back(std::move(fp));
    }
  }
  if (const json* rt = r.Obj(j, "", "role_targets")) {
    for (const char* role : assess::kActorRoles) {
      std::string cat = r.Str(*rt, "role_targets", role);
      if (!r.failed() && !In(assess::kActorCategories, cat)) {
        r.Fail(std::string("role_targets.") + role,
               fmt::format("'{}' is not one of {}", cat, ListOf(assess::kActorCategories)));
      }
      rs->role_targets[role] = cat;
    }
    for (const auto& [k, v] : rt->items()) {
      if (!assess::IsActorRole(k)) r.Fail("role_targets." + k, "is not an actor role");
    }
  }
  if (const json* sf = r.Obj(j, "", "stage_fit")) {
    for (const char* v : {"latent", "urgent", ""}) {
      std::string p = std::string("stage_fit.") + (*v ? v : "\"\"");
      rs->stage_fit[v] = r.Strs(*sf, "stage_fit", v);
      r.Check(p, rs->stage_fit[v], [](const std::string& s) { return In(assess::kPlanStages, s); },
              "is not a plan stage");
      if (!r.failed() && rs->stage_fit[v].empty()) r.Fail(p, "must list at least one stage");
    }
  }
  if (const json* sc = r.Obj(j, "", "scoring")) {
    const std::string p = "scoring";
    rs->w_risk_factor = r.Int(*sc, p, "risk_factor", 0);
    rs->w_focus = r.Int(*sc, p, "focus", 0);
    rs->w_target = r.Int(*sc, p, "target", 0);
    rs->w_stage = r.Int(*sc, p, "stage", 0);
    rs->w_same_approach = r.Int(*sc, p, "same_approach", 0);
    rs->w_preferred = r.Int(*sc, p, "preferred", 0);
    rs->w_military = r.Int(*sc, p, "military_approach", 0);
    rs->min_score = r.Int(*sc, p, "min_score", 0);
    if (const json* cost = r.Obj(*sc, p, "cost")) {
      for (const char* l : assess::kLevels) rs->w_cost[l] = r.Int(*cost, p + ".cost", l, -100);
    }
  }
  if (const json* lim = r.Obj(j, "", "limits")) {
    for (const char* inst : assess::kInstruments) rs->limits[inst] = r.Int(*lim, "limits", inst, 0);
  }

  // packages
  if (const json* a = r.Arr(j, "", "packages")) {
    std::set<std::string> ids;
    for (std::size_t i = 0; i < a->size() && !r.failed(); ++i) {
      const json& pj = (*a)[i];
      const std::string p = fmt::format("packages[{}]", i);
      PackageRule pr;
      pr.id = r.Str(pj, p, "id");
      if (!r.failed() && !ids.insert(pr.id).second) r.Fail(p + ".id", fmt::format("'{}' repeats", pr.id));
      pr.title = r.Str(pj, p, "title");
      pr.summary = r.Str(pj, p, "summary");
      pr.approach = r.Str(pj, p, "approach");
      if (!r.failed() && !IsApproach(pr.approach)) {
        r.Fail(p + ".approach",
               fmt::format("'{}' is not one of {}", pr.approach, ListOf(assess::kApproaches)));
      }
      pr.because = r.Str(pj, p, "because");
      pr.goal = r.Str(pj, p, "goal");
      pr.escalation = r.Str(pj, p, "escalation");
      for (auto [field, text] : {std::pair{"title", &pr.title}, {"summary", &pr.summary}, {"goal", &pr.goal}}) {
        if (!r.failed() && text->empty()) r.Fail(p + "." + field, "empty");
        CheckTemplate(r, p + "." + field, *text);
      }
      if (const json* roles = r.Arr(pj, p, "roles")) {
        for (std::size_t k = 0; k < roles->size() && !r.failed(); ++k) {
          const std::string rp = fmt::format("{}.roles[{}]", p, k);
          RoleRule rr;
          rr.role = r.Str((*roles)[k], rp, "role");
          if (!r.failed() && !IsRole(rr.role)) {
            r.Fail(rp + ".role", fmt::format("'{}' is not one of {}", rr.role, ListOf(kRoles)));
          }
          if (const json* w = r.Obj((*roles)[k], rp, "when")) rr.when = ReadCondition(r, *w, rp + ".when", false);
          pr.roles.push_back(std::move(rr));
        }
        if (!r.failed() && (pr.roles.empty() || !pr.roles.back().when.Empty())) {
          r.Fail(p + ".roles", "the last role rule must have an empty \"when\" (the default)");
        }
      }
      if (const json* w = r.Arr(pj, p, "when_any")) {
        for (std::size_t k = 0; k < w->size() && !r.failed(); ++k) {
          pr.when_any.push_back(ReadCondition(r, (*w)[k], fmt::format("{}.when_any[{}]", p, k), false));
        }
      }
      pr.focus = r.Strs(pj, p, "focus");
      r.Check(p + ".focus", pr.focus, IsPurpose, "is not a purpose of the dime catalog");
      pr.preferred = r.Strs(pj, p, "preferred", false);
      r.Check(p + ".preferred", pr.preferred, IsTool, "is not a dime tool id");
      pr.only_tools = r.Strs(pj, p, "only_tools", false);
      r.Check(p + ".only_tools", pr.only_tools, IsTool, "is not a dime tool id");
      pr.stages = r.Strs(pj, p, "stages", false);
      r.Check(p + ".stages", pr.stages, [](const std::string& s) { return In(assess::kPlanStages, s); },
              "is not a plan stage");
      rs->packages.push_back(std::move(pr));
    }
  }
  rs->max_packages = r.Int(j, "", "max_packages", 2);

  if (const json* a = r.Arr(j, "", "military_approaches")) {
    for (std::size_t i = 0; i < a->size() && !r.failed(); ++i) {
      const std::string p = fmt::format("military_approaches[{}]", i);
      MilitaryRule m;
      if (const json* w = r.Obj((*a)[i], p, "when")) m.when = ReadCondition(r, *w, p + ".when", false);
      m.approach = r.Str((*a)[i], p, "approach");
      if (!r.failed() && !IsMilitaryApproach(m.approach)) {
        r.Fail(p + ".approach", fmt::format("'{}' is not a military-approaches entry", m.approach));
      }
      m.because = r.Str((*a)[i], p, "because");
      m.tools = r.Strs((*a)[i], p, "tools");
      r.Check(p + ".tools", m.tools, IsTool, "is not a dime tool id");
      rs->military.push_back(std::move(m));
    }
    if (!r.failed() && (rs->military.empty() || !rs->military.back().when.Empty())) {
      r.Fail("military_approaches", "the last rule must have an empty \"when\" (the default)");
    }
  }

  if (const json* a = r.Arr(j, "", "risks")) {
    for (std::size_t i = 0; i < a->size() && !r.failed(); ++i) {
      const std::string p = fmt::format("risks[{}]", i);
      RiskRule rr;
      rr.id = r.Str((*a)[i], p, "id");
      if (!r.failed() && !IsRisk(rr.id)) {
        r.Fail(p + ".id", fmt::format("'{}' is not a dime-risks entry (see vigil catalog show dime-risks)", rr.id));
      }
      if (const json* w = r.Obj((*a)[i], p, "when")) rr.when = ReadCondition(r, *w, p + ".when", true);
      rr.likelihood = r.Str((*a)[i], p, "likelihood");
      rr.impact = r.Str((*a)[i], p, "impact");
      if (!r.failed() && !IsLevel(rr.likelihood)) r.Fail(p + ".likelihood", "must be low, medium or high");
      if (!r.failed() && !IsLevel(rr.impact)) r.Fail(p + ".impact", "must be low, medium or high");
      rr.because = r.Str((*a)[i], p, "because");
      rs->risks.push_back(std::move(rr));
    }
  }

  if (const json* res = r.Obj(j, "", "resources")) {
    for (const char* l : assess::kLevels) {
      if (const json* o = r.Obj(*res, "resources", l)) {
        const std::string p = std::string("resources.") + l;
        rs->resources[l] = {r.Str(*o, p, "funding"), r.Str(*o, p, "personnel")};
      }
    }
  }
  if (const json* fl = r.Obj(j, "", "force_levels")) {
    for (const char* l : assess::kLevels) rs->force_levels[l] = r.Str(*fl, "force_levels", l);
  }
  if (const json* esc = r.Obj(j, "", "escalation")) {
    for (const auto& [k, v] : esc->items()) {
      rs->escalation[k] = r.Strs(*esc, "escalation", k.c_str());
      for (std::size_t i = 0; i < rs->escalation[k].size(); ++i) {
        CheckTemplate(r, fmt::format("escalation.{}[{}]", k, i), rs->escalation[k][i]);
      }
    }
    for (std::size_t i = 0; i < rs->packages.size() && !r.failed(); ++i) {
      if (!rs->escalation.count(rs->packages[i].escalation)) {
        r.Fail(fmt::format("packages[{}].escalation", i),
               fmt::format("'{}' is not a key of \"escalation\"", rs->packages[i].escalation));
      }
    }
  }
  if (const json* ob = r.Obj(j, "", "objectives")) {
    for (const auto& p : Purposes()) {
      rs->objectives[p] = r.Str(*ob, "objectives", p.c_str());
      CheckTemplate(r, "objectives." + p, rs->objectives[p]);
    }
  }
  rs->max_objectives = r.Int(j, "", "max_objectives", 1);
  if (const json* pc = r.Obj(j, "", "pros_cons")) {
    if (const json* a = r.Obj(*pc, "pros_cons", "approach")) {
      rs->approach_pc = ReadProsCons(r, *a, "pros_cons.approach", {"suasion", "compellence", "intervention"});
    }
    if (const json* ro = r.Obj(*pc, "pros_cons", "role")) {
      rs->role_pc = ReadProsCons(r, *ro, "pros_cons.role", {kRoles[0], kRoles[1], kRoles[2], kRoles[3]});
    }
  }
  if (r.failed()) return r.status();
  if (rs->packages.size() < 2) return Status::InvalidArgument(fmt::format("{}: packages: at least two rules are needed", source));
  return std::shared_ptr<const RuleSet>(std::move(rs));
}

// ---- the case, digested ----

struct ActorRef {
  std::string role;  // the case role that put the actor in the category
  std::string name;
};

struct CaseView {
  std::string country;
  std::map<std::string, std::vector<ActorRef>> by_category;  // category -> actors (by actor id)
  std::vector<std::string> perpetrators, victims, supporters;  // names for templates
  std::map<std::string, std::string> facts;                    // fact -> why it holds
  // purpose -> the strongest risk factor behind it ("OSAPG c3 scored 'high'")
  std::map<std::string, std::string> purpose_factor;
  std::vector<std::string> active_purposes;  // in rule order
};

// The name of a country by GW code (the embedded countries catalog), or "".
std::string CountryName(int gw) {
  const Country* c = data::Countries().ByGw(gw);
  return c ? c->name : "";
}

std::string PlaceName(const assess::Case& c) {
  if (c.gw) {
    std::string name = CountryName(*c.gw);
    if (!name.empty()) return name;
  }
  std::string region = c.region;
  if (auto paren = region.find(" ("); paren != std::string::npos) region = region.substr(0, paren);
  region = Trim(region);
  return region.empty() ? c.title : region;
}

std::vector<std::string> LocationTokens(const std::string& text) {
  std::vector<std::string> out;
  std::string cur;
  std::string lower = Lower(text);
  auto flush = [&] {
    std::string t = Trim(cur);
    if (t.rfind("outskirts of ", 0) == 0) t = t.substr(13);
    if (t.rfind("the ", 0) == 0) t = t.substr(4);
    if (!t.empty() && !Contains(out, t)) out.push_back(t);
    cur.clear();
  };
  for (std::size_t i = 0; i < lower.size(); ++i) {
    if (lower[i] == ',' || lower[i] == ';' || lower[i] == '/') {
      flush();
    } else if (lower.compare(i, 5, " and ") == 0) {
      flush();
      i += 4;
    } else {
      cur += lower[i];
    }
  }
  flush();
  return out;
}

bool IsPerpetratorRole(std::string_view role) { return role.rfind("perpetrator-", 0) == 0; }

// The keyword of rules.state_keywords in an actor's name or notes, or "".
std::string StateKeyword(const assess::Actor& a, const RuleSet& rules) {
  std::string text = Lower(a.name + " " + a.notes);
  for (const auto& k : rules.state_keywords) {
    if (text.find(k) != std::string::npos) return k;
  }
  return "";
}

bool IsStateLike(const assess::Actor& a, const RuleSet& rules) {
  return a.kind == "state" || !StateKeyword(a, rules).empty();
}

std::string ActorKindNote(const assess::Actor& a, const RuleSet& rules) {
  if (a.kind == "state") return "state";
  return fmt::format("{}, marked as the state by '{}'", a.kind, StateKeyword(a, rules));
}

CaseView Digest(const assess::CaseFile& file, const RuleSet& rules) {
  CaseView v;
  v.country = PlaceName(file.info);
  std::vector<std::string> architects, facilitators, rank_and_file;
  std::vector<std::string> perp_places, victim_places;
  for (const auto& a : file.actors) {
    std::set<std::string> cats;
    for (const assess::ActorRole* r : a.RolesOn()) {
      auto it = rules.role_targets.find(r->role);
      if (it == rules.role_targets.end()) continue;
      if (cats.insert(it->second).second) v.by_category[it->second].push_back({r->role, a.name});
      if (r->role == "perpetrator-architect" && !Contains(architects, a.name)) architects.push_back(a.name);
      if (r->role == "perpetrator-facilitator" && !Contains(facilitators, a.name)) facilitators.push_back(a.name);
      if (r->role == "perpetrator-rank-and-file" && !Contains(rank_and_file, a.name)) rank_and_file.push_back(a.name);
      if (r->role == "victim" && !Contains(v.victims, a.name)) v.victims.push_back(a.name);
      if ((r->role == "positive-actor" || r->role == "intervener") && a.kind != "person" && a.kind != "group" &&
          !Contains(v.supporters, a.name)) {
        v.supporters.push_back(a.name);
        if (!v.facts.count("partner-force")) {
          v.facts["partner-force"] = fmt::format("'{}' ({}) holds role {}", a.name, a.kind, r->role);
        }
      }
    }
    const std::vector<const assess::ActorRole*> current = a.RolesOn();
    bool perp = std::any_of(current.begin(), current.end(),
                            [](const assess::ActorRole* r) { return IsPerpetratorRole(r->role); });
    bool victim = std::any_of(current.begin(), current.end(),
                              [](const assess::ActorRole* r) { return r->role == "victim"; });
    if (perp) {
      for (auto& t : LocationTokens(a.locations)) {
        if (!Contains(perp_places, t)) perp_places.push_back(t);
      }
    }
    if (victim) {
      for (auto& t : LocationTokens(a.locations)) {
        if (!Contains(victim_places, t)) victim_places.push_back(t);
      }
      std::string text = Lower(a.locations + " " + a.notes + " " + a.name);
      for (const auto& k : rules.camp_keywords) {
        if (text.find(k) != std::string::npos && !v.facts.count("victims-in-camps")) {
          v.facts["victims-in-camps"] = fmt::format("victim '{}' is recorded at '{}' places", a.name, k);
        }
      }
    }
  }
  // Perpetrator names for templates: architects first, then facilitators,
  // then rank-and-file; at most three.
  for (auto* list : {&architects, &facilitators, &rank_and_file}) {
    for (const auto& n : *list) {
      if (v.perpetrators.size() < 3 && !Contains(v.perpetrators, n)) v.perpetrators.push_back(n);
    }
  }
  if (v.victims.size() > 3) v.victims.resize(3);
  if (v.supporters.size() > 3) v.supporters.resize(3);
  std::vector<std::string> common;
  for (const auto& p : perp_places) {
    if (Contains(victim_places, p)) common.push_back(p);
  }
  if (!common.empty()) {
    v.facts["locations-overlap"] = fmt::format("'{}' is recorded for perpetrators and victims", common[0]);
  } else if (!perp_places.empty() && !victim_places.empty()) {
    v.facts["locations-distinct"] = fmt::format("perpetrators are recorded at {} and victims at {}",
                                                Join(perp_places, ", "), Join(victim_places, ", "));
  }
  for (const auto& t : rules.killing_under_way) {
    if (const assess::Score* s = Reaches(file, t.framework, t.item, t.min_level)) {
      v.facts["killing-under-way"] = fmt::format("{} {} is scored '{}'", FrameworkLabel(t.framework), t.item, s->level);
      break;
    }
  }
  // Active purposes: majority scores at or above the framework's level.
  struct Best {
    double strength = -1;
    std::string text;
  };
  std::map<std::string, Best> best;
  for (const auto& fp : rules.risk_factor_purposes) {
    const assess::Score* s = Reaches(file, fp.framework, fp.item, rules.risk_factor_levels.at(fp.framework));
    if (!s) continue;
    const assess::Framework* f = assess::FindFramework(fp.framework);
    double strength = static_cast<double>(LevelValue(fp.framework, s->level)) /
                      std::max(1, f->scale.levels.back().value);
    for (const auto& p : fp.purposes) {
      if (!Contains(v.active_purposes, p)) v.active_purposes.push_back(p);
      if (strength > best[p].strength) {
        best[p] = {strength, fmt::format("risk factor {} {} scored '{}'", FrameworkLabel(fp.framework), fp.item, s->level)};
      }
    }
  }
  for (const auto& [p, b] : best) v.purpose_factor[p] = b.text;
  return v;
}

std::string Fill(std::string text, const CaseView& v, const std::string& military_title) {
  auto names = [](const std::vector<std::string>& n, const char* fallback) {
    return n.empty() ? std::string(fallback) : NameList(n);
  };
  const std::pair<std::string, std::string> subs[] = {
      {"{country}", v.country},
      {"{victims}", names(v.victims, "the threatened communities")},
      {"{perpetrators}", names(v.perpetrators, "those planning violence")},
      {"{supporters}", names(v.supporters, "regional and UN efforts")},
      {"{military_approach}", military_title.empty() ? "military means" : Lower(military_title)}};
  for (const auto& [key, value] : subs) {
    std::size_t pos = 0;
    while ((pos = text.find(key, pos)) != std::string::npos) {
      text.replace(pos, key.size(), value);
      pos += value.size();
    }
  }
  if (!text.empty() && text[0] >= 'a' && text[0] <= 'z') text[0] = static_cast<char>(text[0] - 'a' + 'A');
  return text;
}

// ---- conditions ----

struct PackageState {
  std::string approach, role, military_approach;
  std::vector<std::string> instruments, tools;
};

bool Holds(const Condition& c, const Situation& s, const CaseView& v, const PackageState* pkg) {
  for (const auto& [var, allowed] : c.vars) {
    if (!Contains(allowed, s.Get(var))) return false;
  }
  for (const auto& f : c.facts) {
    if (!v.facts.count(f)) return false;
  }
  if (!pkg) return true;
  if (!c.approach.empty() && !Contains(c.approach, pkg->approach)) return false;
  if (!c.role.empty() && !Contains(c.role, pkg->role)) return false;
  if (!c.military_approach.empty() && !Contains(c.military_approach, pkg->military_approach)) return false;
  auto any = [](const std::vector<std::string>& want, const std::vector<std::string>& have) {
    return want.empty() || std::any_of(want.begin(), want.end(), [&](const std::string& w) { return Contains(have, w); });
  };
  return any(c.instruments, pkg->instruments) && any(c.tools, pkg->tools);
}

// "international-support is high (inferred: ...); facts: killing-under-way
// (OSAPG c6 is scored 'high')".
std::string Describe(const Condition& c, const Situation& s, const CaseView& v) {
  std::vector<std::string> parts;
  for (const auto& [var, allowed] : c.vars) {
    const std::string& value = s.Get(var);
    parts.push_back(fmt::format("{} is {}", var, value.empty() ? "unknown" : value));
  }
  for (const auto& f : c.facts) {
    auto it = v.facts.find(f);
    parts.push_back(it == v.facts.end() ? fmt::format("no {}", f) : fmt::format("{} ({})", f, it->second));
  }
  return Join(parts, " and ");
}

// ---- tool scoring ----

struct Candidate {
  const assess::ReferenceEntry* tool = nullptr;
  std::size_t index = 0;  // catalog order
  int score = 0;
  ToolChoice choice;
};

std::vector<std::string> FitStages(const PackageRule& pr, const Situation& s, const RuleSet& rules) {
  if (!pr.stages.empty()) return pr.stages;
  auto it = rules.stage_fit.find(s.volatility);
  return it == rules.stage_fit.end() ? rules.stage_fit.at("") : it->second;
}

std::optional<Candidate> Score(const assess::ReferenceEntry& t, std::size_t index, const PackageRule& pr,
                               const std::string& approach, const MilitaryRule* mil,
                               const std::vector<std::string>& fit, const Situation& s, const CaseView& v,
                               const RuleSet& rules) {
  if (!pr.only_tools.empty() && !Contains(pr.only_tools, t.id)) return std::nullopt;
  if (ApproachRank(t.Field("approach")) > ApproachRank(approach)) return std::nullopt;  // hard rule
  if (s.host_nation_role == "adversary" && t.Flag("requires_host_consent")) return std::nullopt;  // hard rule
  Candidate c;
  c.tool = &t;
  c.index = index;
  std::vector<std::string> why;
  int purpose_points = 0;
  // Purposes served against the case's risk factors, then the package focus.
  for (const auto& p : t.List("purposes")) {
    auto it = v.purpose_factor.find(p);
    if (it != v.purpose_factor.end()) {
      purpose_points += rules.w_risk_factor;
      why.push_back(fmt::format("serves {} against {}", p, it->second));
    }
  }
  for (const auto& p : t.List("purposes")) {
    if (Contains(pr.focus, p) && !v.purpose_factor.count(p)) {
      purpose_points += rules.w_focus;
      why.push_back(fmt::format("serves {}, a focus of the {} rule", p, pr.id));
    } else if (Contains(pr.focus, p)) {
      purpose_points += rules.w_focus;
    }
  }
  if (Contains(pr.preferred, t.id)) {
    purpose_points += rules.w_preferred;
    why.push_back(fmt::format("preferred by the {} rule", pr.id));
  }
  if (mil && Contains(mil->tools, t.id)) {
    purpose_points += rules.w_military;
    why.push_back(fmt::format("suits military approach {}", mil->approach));
  }
  if (purpose_points == 0) return std::nullopt;
  // Targets present among the case's actors.
  std::vector<std::string> target_text;
  for (const auto& cat : t.List("targets")) {
    auto it = v.by_category.find(cat);
    if (it == v.by_category.end() || it->second.empty()) continue;
    c.choice.target_categories.push_back(cat);
    for (const auto& a : it->second) {
      if (!Contains(c.choice.target_actors, a.name)) c.choice.target_actors.push_back(a.name);
    }
    std::vector<std::string> named;
    for (std::size_t k = 0; k < it->second.size() && k < 2; ++k) {
      named.push_back(fmt::format("{} '{}'", it->second[k].role, it->second[k].name));
    }
    if (it->second.size() > 2) named.push_back(fmt::format("{} more", it->second.size() - 2));
    target_text.push_back(Join(named, ", "));
  }
  if (c.choice.target_categories.empty()) return std::nullopt;
  int score = purpose_points + rules.w_target * static_cast<int>(c.choice.target_categories.size());
  why.push_back("targets " + Join(target_text, "; "));
  // Stage fit.
  for (const auto& st : t.List("stages")) {
    if (Contains(fit, st)) c.choice.stages.push_back(st);
  }
  if (c.choice.stages.empty()) return std::nullopt;
  score += rules.w_stage;
  why.push_back("fits stage " + Join(c.choice.stages, "/"));
  if (t.Field("approach") == approach) {
    score += rules.w_same_approach;
    why.push_back(fmt::format("{} {} tool like the package", approach == "intervention" ? "an" : "a", approach));
  }
  auto cost = rules.w_cost.find(t.Field("cost"));
  if (cost != rules.w_cost.end()) score += cost->second;
  if (score < rules.min_score) return std::nullopt;
  c.score = score;
  c.choice.id = t.id;
  c.choice.title = t.title;
  c.choice.instrument = t.Field("instrument");
  c.choice.approach = t.Field("approach");
  c.choice.lead_agency = t.Field("lead_agency");
  c.choice.because = fmt::format("chosen because: {} (score {})", Join(why, "; "), score);
  return c;
}

// ---- one package ----

// Builds the package of a rule, or returns why it could not be built.
std::variant<OptionPackage, std::string> Build(const PackageRule& pr, const Situation& s, const CaseView& v,
                                               const RuleSet& rules) {
  OptionPackage o;
  o.approach = pr.approach;
  // Role.
  std::string role_why;
  Condition missed;  // the conditions of the role rules that did not hold
  for (const auto& rr : pr.roles) {
    if (Holds(rr.when, s, v, nullptr)) {
      o.role = rr.role;
      role_why = !rr.when.Empty() ? fmt::format("role {} because {}", rr.role, Describe(rr.when, s, v))
                 : missed.Empty() ? fmt::format("role {} (the {} rule's only role)", rr.role, pr.id)
                                  : fmt::format("role {} by default, since {}", rr.role, Describe(missed, s, v));
      break;
    }
    for (const auto& [var, vals] : rr.when.vars) missed.vars[var] = vals;
    for (const auto& f : rr.when.facts) {
      if (!Contains(missed.facts, f)) missed.facts.push_back(f);
    }
  }
  // Military approach, for intervention packages.
  const MilitaryRule* mil = nullptr;
  std::string mil_title;
  if (pr.approach == "intervention") {
    for (const auto& m : rules.military) {
      if (Holds(m.when, s, v, nullptr)) {
        mil = &m;
        break;
      }
    }
    o.military_approach = mil->approach;
    mil_title = Catalog("military-approaches").Find(mil->approach)->title;
  }
  // Tools.
  const std::vector<std::string> fit = FitStages(pr, s, rules);
  const assess::ReferenceCatalog& dime = Catalog("dime");
  std::vector<Candidate> cands;
  for (std::size_t i = 0; i < dime.entries.size(); ++i) {
    if (auto c = Score(dime.entries[i], i, pr, o.approach, mil, fit, s, v, rules)) cands.push_back(std::move(*c));
  }
  std::stable_sort(cands.begin(), cands.end(), [](const Candidate& a, const Candidate& b) {
    return a.score != b.score ? a.score > b.score : a.index < b.index;
  });
  for (const char* inst : assess::kInstruments) {
    int taken = 0;
    const int limit = rules.limits.at(inst);
    for (const auto& c : cands) {
      if (taken >= limit) break;
      if (c.tool->Field("instrument") != inst) continue;
      o.tools.push_back(c.choice);
      ++taken;
    }
  }
  if (o.Instruments().size() < 2) {
    return fmt::format("no {} package ({}): fewer than two instruments have tools that fit the case", pr.id,
                       o.approach);
  }
  if (std::none_of(o.tools.begin(), o.tools.end(), [&](const ToolChoice& t) {
        return dime.Find(t.id)->Field("approach") == o.approach;
      })) {
    return fmt::format("no {} package: no {} tool fits the case", pr.id, o.approach);
  }
  // Texts.
  o.title = Fill(pr.title, v, mil_title);
  o.summary = Fill(pr.summary, v, mil_title);
  o.policy_goal = Fill(pr.goal, v, mil_title);
  std::vector<std::string> served;
  for (const auto& p : pr.focus) {
    for (const auto& t : o.tools) {
      if (Contains(dime.Find(t.id)->List("purposes"), p) && !Contains(served, p)) served.push_back(p);
    }
  }
  for (const auto& p : v.active_purposes) {
    for (const auto& t : o.tools) {
      if (Contains(dime.Find(t.id)->List("purposes"), p) && !Contains(served, p)) served.push_back(p);
    }
  }
  if (served.empty()) served.push_back(pr.focus.front());
  for (const auto& p : served) {
    if (static_cast<int>(o.objectives.size()) >= rules.max_objectives) break;
    o.objectives.push_back(Fill(rules.objectives.at(p), v, mil_title));
  }
  std::vector<std::string> rationale = {fmt::format("Offered because {}", pr.because)};
  for (const auto& c : pr.when_any) {
    if (Holds(c, s, v, nullptr)) {
      rationale.push_back("the rule fired on " + Describe(c, s, v));
      break;
    }
  }
  rationale.push_back(role_why);
  if (mil) rationale.push_back(fmt::format("military approach {} because {}", mil->approach, mil->because));
  std::vector<std::string> sit;
  for (const char* var : kSituationVariables) {
    sit.push_back(fmt::format("{} {}", var, s.Get(var).empty() ? "unknown" : s.Get(var)));
  }
  rationale.push_back("situation: " + Join(sit, ", "));
  o.rationale = Join(rationale, "; ") + ".";
  // Resources.
  std::string cost = "low", lead = "days";
  for (const auto& t : o.tools) {
    const assess::ReferenceEntry* e = dime.Find(t.id);
    if (LevelRank(e->Field("cost")) > LevelRank(cost)) cost = e->Field("cost");
    if (LeadTimeRank(e->Field("lead_time")) > LeadTimeRank(lead)) lead = e->Field("lead_time");
  }
  std::string force;
  if (mil) {
    force = Catalog("military-approaches").Find(mil->approach)->Field("force_level");
    if (LevelRank(force) > LevelRank(cost)) cost = force;
  }
  o.resources.cost = cost;
  o.resources.funding = rules.resources.at(cost).first;
  o.resources.personnel = rules.resources.at(cost).second;
  if (!force.empty()) o.resources.personnel += "; forces: " + rules.force_levels.at(force);
  o.resources.lead_time = lead;
  o.resources.note = fmt::format(
      "Rough order of magnitude: the cost band of the costliest tool{} in option_rules.json; refine with agency "
      "estimates.",
      force.empty() ? "" : " and the military approach's force level");
  // Risks.
  PackageState st{o.approach, o.role, o.military_approach, o.Instruments(), {}};
  for (const auto& t : o.tools) st.tools.push_back(t.id);
  std::set<std::string> risk_ids;
  for (const auto& rr : rules.risks) {
    if (risk_ids.count(rr.id) || !Holds(rr.when, s, v, &st)) continue;
    risk_ids.insert(rr.id);
    OptionRisk r;
    r.id = rr.id;
    r.likelihood = rr.likelihood;
    r.impact = rr.impact;
    r.mitigations = Catalog("dime-risks").Find(rr.id)->List("mitigations");
    r.because = rr.because;
    o.risks.push_back(std::move(r));
  }
  if (o.risks.empty()) return fmt::format("no {} package: no risk rule applies to it (add one to the rules)", pr.id);
  for (const auto& t : rules.escalation.at(pr.escalation)) o.escalation_triggers.push_back(Fill(t, v, mil_title));
  for (const auto* pc : {&rules.approach_pc.at(o.approach), &rules.role_pc.at(o.role)}) {
    o.advantages.insert(o.advantages.end(), pc->advantages.begin(), pc->advantages.end());
    o.disadvantages.insert(o.disadvantages.end(), pc->disadvantages.begin(), pc->disadvantages.end());
  }
  return o;
}

std::string Month(std::string_view ym) { return std::string(ym.substr(0, 7)); }

}  // namespace

// ---- public ----

const RuleSet& DefaultRules() {
  static const std::shared_ptr<const RuleSet> kRules = [] {
    auto text = catalog::FindEmbedded("option_rules.json");
    if (!text.ok()) {
      fmt::print(stderr, "vigil: {}\n", text.status().ToString());
      std::abort();
    }
    auto parsed = ParseRules(*text, "catalog/option_rules.json");
    if (!parsed.ok()) {
      fmt::print(stderr, "vigil: broken embedded rules: {}\n", parsed.status().ToString());
      std::abort();
    }
    return *parsed;
  }();
  return *kRules;
}

Result<std::shared_ptr<const RuleSet>> ParseRules(std::string_view json_text, const std::string& source_name) {
  return Parse(json_text, source_name);
}

Situation InferSituation(const assess::CaseFile& file, const assess::CaseLinks& links, const Situation& analyst_set,
                         const RuleSet& rules) {
  Situation s;
  s.updated_at = analyst_set.updated_at;
  s.updated_by = analyst_set.updated_by;
  std::map<std::string, std::pair<std::string, std::string>> inferred;  // variable -> value, basis

  // host-nation-role
  {
    std::pair<std::string, std::string> r{"", "unknown: record the government or its forces as an actor (kind "
                                              "state, or named as government, army, police or security forces) "
                                              "with its current role"};
    std::string partner_basis;
    for (const auto& a : file.actors) {
      if (!IsStateLike(a, rules)) continue;
      bool negative = false;
      for (const assess::ActorRole* role : a.RolesOn()) {
        if (IsPerpetratorRole(role->role)) {
          if (r.first != "adversary") {
            r = {"adversary", fmt::format("inferred: actor '{}' ({}) holds role {} since {}", a.name,
                                          ActorKindNote(a, rules), role->role, role->from)};
          }
          negative = true;
        } else if (role->role == "negative-actor" || role->role == "third-party-enabler") {
          negative = true;
        }
      }
      // A foreign state (e.g. an enabler) is not the host: only a state-like
      // actor without negative roles that is not marked foreign counts.
      if (!negative && partner_basis.empty() && !a.RolesOn().empty()) {
        partner_basis = fmt::format("inferred: actor '{}' ({}) holds no perpetrator or negative role", a.name,
                                    ActorKindNote(a, rules));
      }
    }
    if (r.first.empty() && !partner_basis.empty()) r = {"partner", partner_basis};
    inferred["host-nation-role"] = r;
  }

  // volatility
  {
    std::pair<std::string, std::string> r{"", "unknown: score the OSAPG, UN 2014 or Stanton frameworks, or import "
                                              "events so that alerts can be raised for the country"};
    int newest = -1;
    for (const auto& al : links.alerts) newest = std::max(newest, MonthIndex(al.month));
    for (const auto& al : links.alerts) {
      if (al.status == "dismissed" || SeverityRank(al.severity) < SeverityRank(rules.alert_min_severity)) continue;
      int m = MonthIndex(al.month);
      if (m >= 0 && newest - m < rules.alert_window_months) {
        r = {"urgent", fmt::format("inferred: alert {} ({} severity, {}) within the last {} months of stored alerts",
                                   al.id, al.severity, Month(al.month), rules.alert_window_months)};
        break;
      }
    }
    if (r.first.empty()) {
      const int min = LevelValue("stanton", rules.stanton_urgent_level);
      for (const auto& sc : file.scores) {
        if (sc.framework != "stanton" || sc.position != "majority" || sc.item.size() < 2 || sc.item[0] != 's') continue;
        int stage = std::atoi(sc.item.c_str() + 1);
        if (stage >= rules.stanton_urgent_stage && LevelValue("stanton", sc.level) >= min) {
          r = {"urgent", fmt::format("inferred: Stanton {} is scored '{}' (stage {} or later at '{}' or above)",
                                     sc.item, sc.level, rules.stanton_urgent_stage, rules.stanton_urgent_level)};
          break;
        }
      }
    }
    if (r.first.empty()) {
      for (const auto& t : rules.urgent_scores) {
        if (const assess::Score* sc = Reaches(file, t.framework, t.item, t.min_level)) {
          r = {"urgent", fmt::format("inferred: {} {} (a triggering factor) is scored '{}'",
                                     FrameworkLabel(t.framework), t.item, sc->level)};
          break;
        }
      }
    }
    if (r.first.empty()) {
      int n = static_cast<int>(std::count_if(file.scores.begin(), file.scores.end(), [](const assess::Score& sc) {
        return sc.position == "majority" &&
               (sc.framework == "osapg" || sc.framework == "un2014" || sc.framework == "stanton");
      }));
      if (n > 0) {
        r = {"latent", fmt::format("inferred: {} OSAPG/UN 2014/Stanton scores, none at the urgent levels, and no "
                                   "recent alert of {} severity or above",
                                   n, rules.alert_min_severity)};
      }
    }
    inferred["volatility"] = r;
  }

  // us-interests
  {
    std::pair<std::string, std::string> r{"", "unknown: record the U.S. (USG) interests of the case with their "
                                              "priorities"};
    const assess::Interest* own_low = nullptr;
    for (const auto& i : file.interests) {
      std::string owner = Trim(Lower(i.owner));
      if (auto paren = owner.find(" ("); paren != std::string::npos) owner = owner.substr(0, paren);
      if (!Contains(rules.own_interest_owners, owner)) continue;
      if (i.priority == 1) {
        r = {"high", fmt::format("inferred: priority-1 interest of {}: \"{}\"", i.owner, i.text)};
        break;
      }
      if (!own_low) own_low = &i;
    }
    if (r.first.empty() && own_low) {
      r = {"low", fmt::format("inferred: the interests of {} are priority {} or lower", own_low->owner,
                              own_low->priority)};
    }
    inferred["us-interests"] = r;
  }

  // international-support
  {
    std::vector<std::string> names;
    for (const auto& a : file.actors) {
      if (a.kind != "state" && a.kind != "organization") continue;
      for (const assess::ActorRole* role : a.RolesOn()) {
        if (role->role == "intervener" || role->role == "positive-actor") {
          names.push_back("'" + a.name + "'");
          break;
        }
      }
    }
    std::pair<std::string, std::string> r;
    if (file.actors.empty()) {
      r = {"", "unknown: record the states and organizations acting on the situation as actors"};
    } else if (static_cast<int>(names.size()) >= rules.support_min_actors) {
      r = {"high", fmt::format("inferred: {} states or organizations hold the intervener or positive-actor role ({})",
                               names.size(), Join(names, ", "))};
    } else {
      r = {"low", fmt::format("inferred: {} state or organization holds the intervener or positive-actor role{} ({} "
                              "needed for high)",
                              names.size(), names.empty() ? "" : " (" + Join(names, ", ") + ")",
                              rules.support_min_actors)};
    }
    inferred["international-support"] = r;
  }

  for (const char* var : kSituationVariables) {
    const std::string& set = analyst_set.Get(var);
    std::string value, basis;
    if (!set.empty()) {
      value = set;
      basis = analyst_set.Basis(var).empty() ? "analyst" : analyst_set.Basis(var);
    } else {
      value = inferred[var].first;
      basis = inferred[var].second;
    }
    if (std::string_view(var) == "host-nation-role") s.host_nation_role = value;
    if (std::string_view(var) == "us-interests") s.us_interests = value;
    if (std::string_view(var) == "international-support") s.international_support = value;
    if (std::string_view(var) == "volatility") s.volatility = value;
    s.basis.emplace_back(var, basis);
  }
  return s;
}

Result<GenerateResult> GenerateOptions(const assess::CaseFile& file, const assess::CaseLinks& links,
                                       const Situation& analyst_set, const RuleSet& rules) {
  bool perpetrator = false, victim = false;
  for (const auto& a : file.actors) {
    for (const assess::ActorRole* r : a.RolesOn()) {
      perpetrator |= IsPerpetratorRole(r->role);
      victim |= r->role == "victim";
    }
  }
  if (!perpetrator && !victim) {
    return Status::FailedPrecondition(
        "the case has no actor currently holding a perpetrator or victim role, so there is nothing to aim tools "
        "at: record the perpetrators and the groups at risk first (vigil case actor add ... --role "
        "perpetrator-architect|victim)");
  }
  GenerateResult out;
  out.situation = InferSituation(file, links, analyst_set, rules);
  const Situation& s = out.situation;
  CaseView v = Digest(file, rules);
  if (s.host_nation_role == "adversary") {
    std::vector<std::string> excluded;
    for (const auto& e : Catalog("dime").entries) {
      if (e.Flag("requires_host_consent")) excluded.push_back(e.id);
    }
    out.notes.push_back(fmt::format("host nation is an adversary: tools requiring its consent are excluded ({})",
                                    Join(excluded, ", ")));
  }
  if (v.active_purposes.empty()) {
    out.notes.push_back(
        "no risk factor is scored at the rules' levels (OSAPG high, UN 2014 moderate, Stanton evident or above): tools "
        "are chosen by the packages' focus only");
  }
  std::set<std::pair<std::string, std::string>> used;
  for (const auto& pr : rules.packages) {
    bool fires = pr.when_any.empty();
    for (const auto& c : pr.when_any) fires = fires || Holds(c, s, v, nullptr);
    if (!fires) {
      std::vector<std::string> why;
      for (const auto& c : pr.when_any) why.push_back(Describe(c, s, v));
      std::vector<std::string> needed;
      for (const auto& c : pr.when_any) {
        std::vector<std::string> parts;
        for (const auto& [var, vals] : c.vars) parts.push_back(var + " " + Join(vals, "/"));
        for (const auto& f : c.facts) parts.push_back(f);
        needed.push_back(Join(parts, " and "));
      }
      std::vector<std::string> have;
      for (const char* var : kSituationVariables) {
        have.push_back(fmt::format("{} {}", var, s.Get(var).empty() ? "unknown" : s.Get(var)));
      }
      out.notes.push_back(fmt::format("no {} package ({}): it needs {}; the case has {}", pr.id, pr.approach,
                                      Join(needed, ", or "), Join(have, ", ")));
      continue;
    }
    if (static_cast<int>(out.options.size()) >= rules.max_packages) {
      out.notes.push_back(fmt::format("no {} package: the rules allow at most {} packages", pr.id, rules.max_packages));
      continue;
    }
    auto built = Build(pr, s, v, rules);
    if (auto* why = std::get_if<std::string>(&built)) {
      out.notes.push_back(*why);
      continue;
    }
    OptionPackage o = std::move(std::get<OptionPackage>(built));
    if (!used.insert({o.approach, o.role}).second) {
      out.notes.push_back(fmt::format("no {} package: another package already has approach {} and role {}", pr.id,
                                      o.approach, o.role));
      continue;
    }
    Status st = ValidateOption(o);
    if (!st.ok()) {
      return Status::Internal(fmt::format("{}: package {} breaks the option contract: {}", rules.source_name, pr.id,
                                          st.message()));
    }
    out.options.push_back(std::move(o));
  }
  if (out.options.size() < 2) {
    return Status::FailedPrecondition(fmt::format(
        "fewer than two distinguishable packages fit the case ({}); record more actors with their roles and score "
        "the risk frameworks",
        Join(out.notes, "; ")));
  }
  return out;
}

}  // namespace vigil::options
