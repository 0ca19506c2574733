#include "assess/frameworks.h"

#include <fmt/format.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <nlohmann/json.hpp>
#include <set>

#include "core/embedded.h"
#include "core/json_limits.h"

namespace vigil::assess {

namespace {

using json = nlohmann::json;

constexpr std::string_view kType = "assessment-framework";
constexpr std::size_t kMaxErrors = 12;

// The keys an item may use for its children, and the kind each gives them.
struct ChildKey {
  const char* key;
  const char* kind;
};
constexpr ChildKey kChildKeys[] = {{"issues", "issue"}, {"indicators", "indicator"}, {"questions", "question"}};

constexpr const char* kCrimes[] = {"common", "genocide", "crimes-against-humanity", "war-crimes"};

// Records the message of the first JSON syntax error (nlohmann's message
// already names line and column).
class SyntaxErrorSax : public nlohmann::json_sax<json> {
 public:
  bool null() override { return true; }
  bool boolean(bool) override { return true; }
  bool number_integer(number_integer_t) override { return true; }
  bool number_unsigned(number_unsigned_t) override { return true; }
  bool number_float(number_float_t, const string_t&) override { return true; }
  bool string(string_t&) override { return true; }
  bool binary(binary_t&) override { return true; }
  bool start_object(std::size_t) override { return true; }
  bool key(string_t&) override { return true; }
  bool end_object() override { return true; }
  bool start_array(std::size_t) override { return true; }
  bool end_array() override { return true; }
  bool parse_error(std::size_t, const std::string&, const nlohmann::detail::exception& ex) override {
    message = ex.what();
    // Drop nlohmann's "[json.exception.parse_error.101] " prefix.
    if (!message.empty() && message[0] == '[') {
      std::size_t close = message.find("] ");
      if (close != std::string::npos) message = message.substr(close + 2);
    }
    return false;
  }
  std::string message;
};

// Stable ids: lower-case letters, digits, '-' and '.', starting with a letter
// or digit.
bool IsValidId(const std::string& id) {
  if (id.empty() || id.size() > 64) return false;
  for (std::size_t i = 0; i < id.size(); ++i) {
    char c = id[i];
    bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || (i > 0 && (c == '-' || c == '.'));
    if (!ok) return false;
  }
  return true;
}

// Collects errors as "path: problem"; reads typed fields of JSON objects.
class Checker {
 public:
  void Fail(const std::string& path, const std::string& what) {
    if (errors_.size() < kMaxErrors) errors_.push_back(path + ": " + what);
    ++count_;
  }
  bool ok() const { return count_ == 0; }
  std::string Message() const {
    std::string m;
    for (const auto& e : errors_) m += (m.empty() ? "" : "; ") + e;
    if (count_ > errors_.size()) m += fmt::format("; and {} more", count_ - errors_.size());
    return m;
  }

  static std::string Join(const std::string& path, const std::string& key) {
    return path.empty() ? key : path + "." + key;
  }

  // Unknown keys are errors: a misspelt field must not silently vanish.
  void OnlyKeys(const json& obj, const std::string& path, std::initializer_list<const char*> keys) {
    for (auto it = obj.begin(); it != obj.end(); ++it) {
      bool known = std::any_of(keys.begin(), keys.end(), [&](const char* k) { return it.key() == k; });
      if (!known) Fail(Join(path, it.key()), "unknown field");
    }
  }

  // A required string; when non_empty, blank strings are errors too.
  bool String(const json& obj, const std::string& path, const char* key, std::string* out,
              bool required = true, bool non_empty = true) {
    auto it = obj.find(key);
    if (it == obj.end()) {
      if (required) Fail(Join(path, key), "missing");
      return false;
    }
    if (!it->is_string()) {
      Fail(Join(path, key), fmt::format("must be a string, not {}", it->type_name()));
      return false;
    }
    *out = it->get<std::string>();
    if (non_empty && out->find_first_not_of(" \t\r\n") == std::string::npos) {
      Fail(Join(path, key), "must not be empty");
      return false;
    }
    return true;
  }

  bool Id(const json& obj, const std::string& path, const char* key, std::string* out) {
    if (!String(obj, path, key, out)) return false;
    if (!IsValidId(*out)) {
      Fail(Join(path, key), fmt::format("'{}' is not a valid id (lower-case letters, digits, '-' "
                                        "and '.', at most 64 characters)",
                                        *out));
      return false;
    }
    return true;
  }

  bool Int(const json& obj, const std::string& path, const char* key, int* out, int min, int max,
           bool required = true) {
    auto it = obj.find(key);
    if (it == obj.end()) {
      if (required) Fail(Join(path, key), "missing");
      return false;
    }
    if (!it->is_number_integer()) {
      Fail(Join(path, key), fmt::format("must be an integer, not {}", it->type_name()));
      return false;
    }
    auto v = it->get<std::int64_t>();
    if (v < min || v > max) {
      Fail(Join(path, key), fmt::format("{} is outside {}..{}", v, min, max));
      return false;
    }
    *out = static_cast<int>(v);
    return true;
  }

  const json* Array(const json& obj, const std::string& path, const char* key, bool required = true) {
    auto it = obj.find(key);
    if (it == obj.end()) {
      if (required) Fail(Join(path, key), "missing");
      return nullptr;
    }
    if (!it->is_array()) {
      Fail(Join(path, key), fmt::format("must be an array, not {}", it->type_name()));
      return nullptr;
    }
    return &*it;
  }

 private:
  std::vector<std::string> errors_;
  std::size_t count_ = 0;
};

void ParseScale(const json& j, Checker& c, Scale* scale) {
  const std::string path = "scale";
  if (!j.is_object()) {
    c.Fail(path, j.is_null() ? "missing" : "must be an object");
    return;
  }
  c.OnlyKeys(j, path, {"question", "levels"});
  c.String(j, path, "question", &scale->question);
  const json* levels = c.Array(j, path, "levels");
  if (!levels) return;
  if (levels->size() < 2) c.Fail(path + ".levels", "needs at least two levels");
  std::map<std::string, std::size_t> seen;
  for (std::size_t i = 0; i < levels->size(); ++i) {
    const json& lj = (*levels)[i];
    const std::string lp = fmt::format("scale.levels[{}]", i);
    if (!lj.is_object()) {
      c.Fail(lp, "must be an object");
      continue;
    }
    c.OnlyKeys(lj, lp, {"id", "value", "label", "meaning"});
    ScaleLevel level;
    bool id_ok = c.Id(lj, lp, "id", &level.id);
    bool value_ok = c.Int(lj, lp, "value", &level.value, -1000, 1000);
    c.String(lj, lp, "label", &level.label);
    c.String(lj, lp, "meaning", &level.meaning);
    if (id_ok) {
      auto [it, fresh] = seen.emplace(level.id, i);
      if (!fresh) c.Fail(lp + ".id", fmt::format("duplicate level id '{}' (also scale.levels[{}])", level.id, it->second));
    }
    if (value_ok && !scale->levels.empty() && level.value <= scale->levels.back().value) {
      c.Fail(lp + ".value", fmt::format("{} must be greater than the previous level's {} (levels go "
                                        "from lowest to highest)",
                                        level.value, scale->levels.back().value));
    }
    scale->levels.push_back(std::move(level));
  }
}

// Parses the items array into fw->items (top-level item, then its children).
void ParseItems(const json& items, Checker& c, Framework* fw) {
  std::map<std::string, std::string> seen;  // id -> path of first use
  auto note_id = [&](const std::string& id, const std::string& path) {
    auto [it, fresh] = seen.emplace(id, path);
    if (!fresh) c.Fail(path + ".id", fmt::format("duplicate item id '{}' (first used at {})", id, it->second));
  };
  if (items.empty()) c.Fail("items", "must not be empty");
  for (std::size_t i = 0; i < items.size(); ++i) {
    const json& ij = items[i];
    const std::string ip = fmt::format("items[{}]", i);
    if (!ij.is_object()) {
      c.Fail(ip, "must be an object");
      continue;
    }
    c.OnlyKeys(ij, ip, {"id", "number", "title", "description", "crime", "group", "issues", "indicators", "questions"});
    FrameworkItem item;
    item.kind = fw->item_kind;
    item.depth = 0;
    if (c.Id(ij, ip, "id", &item.id)) note_id(item.id, ip);
    if (c.Int(ij, ip, "number", &item.number, 1, 10000, /*required=*/false) &&
        item.number != static_cast<int>(i) + 1) {
      c.Fail(ip + ".number", fmt::format("is {} but the item is number {} in the list (items follow "
                                         "the source's numbering)",
                                         item.number, i + 1));
    }
    c.String(ij, ip, "title", &item.title);
    c.String(ij, ip, "description", &item.description);
    if (c.String(ij, ip, "crime", &item.crime, /*required=*/false) &&
        std::none_of(std::begin(kCrimes), std::end(kCrimes), [&](const char* k) { return item.crime == k; })) {
      c.Fail(ip + ".crime", fmt::format("'{}' is not one of common, genocide, crimes-against-humanity, "
                                        "war-crimes",
                                        item.crime));
    }
    if (c.String(ij, ip, "group", &item.group, /*required=*/false) && !IsValidId(item.group)) {
      c.Fail(ip + ".group", fmt::format("'{}' is not a valid id", item.group));
    }

    const ChildKey* child_key = nullptr;
    for (const ChildKey& k : kChildKeys) {
      if (!ij.contains(k.key)) continue;
      if (child_key) {
        c.Fail(ip, fmt::format("has both '{}' and '{}'; an item has one kind of children", child_key->key, k.key));
        continue;
      }
      child_key = &k;
    }
    std::vector<FrameworkItem> children;
    if (child_key) {
      const json* arr = c.Array(ij, ip, child_key->key);
      if (arr && arr->empty()) c.Fail(Checker::Join(ip, child_key->key), "must not be empty (leave it out instead)");
      for (std::size_t k = 0; arr && k < arr->size(); ++k) {
        const json& cj = (*arr)[k];
        const std::string cp = fmt::format("{}.{}[{}]", ip, child_key->key, k);
        if (!cj.is_object()) {
          c.Fail(cp, "must be an object");
          continue;
        }
        c.OnlyKeys(cj, cp, {"id", "title", "description"});
        FrameworkItem child;
        child.kind = child_key->kind;
        child.depth = 1;
        child.parent_id = item.id;
        if (c.Id(cj, cp, "id", &child.id)) {
          note_id(child.id, cp);
          if (!item.id.empty() && child.id.rfind(item.id + ".", 0) != 0) {
            c.Fail(cp + ".id", fmt::format("'{}' must start with its parent's id and a dot ('{}.')", child.id, item.id));
          }
        }
        c.String(cj, cp, "title", &child.title);
        c.String(cj, cp, "description", &child.description, /*required=*/false, /*non_empty=*/false);
        item.children.push_back(child.id);
        children.push_back(std::move(child));
      }
    }
    fw->items.push_back(std::move(item));
    for (auto& ch : children) fw->items.push_back(std::move(ch));
  }
}

// The structure the known frameworks must have, whatever the file says.
void CheckKnownStructure(const Framework& fw, Checker& c) {
  std::vector<const FrameworkItem*> top = fw.TopLevel();
  auto need_count = [&](std::size_t n, const char* what) {
    if (top.size() != n) c.Fail("items", fmt::format("{} has {} {}, found {}", fw.id, n, what, top.size()));
  };
  if (fw.id == "osapg") {
    need_count(8, "categories");
  } else if (fw.id == "stanton") {
    need_count(10, "stages");
  } else if (fw.id == "un2014") {
    need_count(14, "risk factors");
    for (std::size_t i = 0; i < top.size() && i < 14; ++i) {
      const char* want = i < 8 ? "common" : i < 10 ? "genocide" : i < 12 ? "crimes-against-humanity" : "war-crimes";
      if (top[i]->crime != want) {
        c.Fail(fmt::format("items[{}].crime", i),
               fmt::format("risk factor {} must be tagged '{}' (1-8 common, 9-10 genocide, 11-12 crimes "
                           "against humanity, 13-14 war crimes), found '{}'",
                           i + 1, want, top[i]->crime));
      }
    }
  } else if (fw.id == "civilian-risks") {
    static const char* kGrave[] = {"killing-maiming", "recruitment-use", "sexual-violence-children",
                                   "abduction", "attacks-schools-hospitals", "denial-humanitarian-access"};
    for (const char* id : kGrave) {
      const FrameworkItem* it = fw.Find(id);
      if (!it || it->depth != 0) {
        c.Fail("items", fmt::format("civilian-risks must list the grave violation '{}' as a top-level item", id));
      } else if (it->group != "grave-violation") {
        c.Fail("items", fmt::format("'{}' must have group 'grave-violation', found '{}'", id, it->group));
      }
    }
    for (const char* id : {"crsv", "cultural-heritage"}) {
      if (!fw.Find(id)) c.Fail("items", fmt::format("civilian-risks must list '{}'", id));
    }
  } else if (fw.id == "pmesii") {
    for (const char* id : {"geographic", "political", "military-security", "economic", "social", "information",
                           "infrastructure"}) {
      const FrameworkItem* it = fw.Find(id);
      if (!it || it->depth != 0) c.Fail("items", fmt::format("pmesii must list the variable '{}'", id));
    }
  }
  if (fw.id != "un2014") {
    for (std::size_t i = 0; i < top.size(); ++i) {
      if (!top[i]->crime.empty()) c.Fail(fmt::format("items[{}].crime", i), "only un2014 tags items with a crime");
    }
  }
}

}  // namespace

const ScaleLevel* Scale::Find(std::string_view level_id) const {
  for (const ScaleLevel& l : levels) {
    if (l.id == level_id) return &l;
  }
  return nullptr;
}

const FrameworkItem* Framework::Find(std::string_view item_id) const {
  for (const FrameworkItem& it : items) {
    if (it.id == item_id) return &it;
  }
  return nullptr;
}

bool Framework::IsValidLevel(std::string_view level_id) const { return scale.Find(level_id) != nullptr; }

std::vector<const FrameworkItem*> Framework::TopLevel() const {
  std::vector<const FrameworkItem*> out;
  for (const FrameworkItem& it : items) {
    if (it.depth == 0) out.push_back(&it);
  }
  return out;
}

std::vector<const FrameworkItem*> Framework::ChildrenOf(std::string_view item_id) const {
  std::vector<const FrameworkItem*> out;
  for (const FrameworkItem& it : items) {
    if (it.depth > 0 && it.parent_id == item_id) out.push_back(&it);
  }
  return out;
}

namespace {

// The catalog text as a JSON object, or InvalidArgument naming the source
// (with line and column for a syntax error).
Result<json> ParseCatalogObject(std::string_view text, const std::string& source_name) {
  VIGIL_RETURN_IF_ERROR(CheckJsonDepth(text, source_name));
  json j = json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded()) {
    SyntaxErrorSax sax;
    json::sax_parse(text, &sax);
    return Status::InvalidArgument(
        fmt::format("{}: not valid JSON: {}", source_name, sax.message.empty() ? "syntax error" : sax.message));
  }
  if (!j.is_object()) {
    return Status::InvalidArgument(fmt::format("{}: must be a JSON object, not {}", source_name, j.type_name()));
  }
  return j;
}

// Parses every embedded catalog/*.json whose "type" is `type`, sorted by id.
// A broken embedded catalog, or one whose id is not its file name, stops
// vigil: the shipped catalogs are validated by tests.
template <typename T>
std::vector<T> LoadEmbeddedCatalogs(std::string_view type,
                                    Result<T> (*parse)(std::string_view, const std::string&)) {
  std::vector<T> out;
  for (const catalog::EmbeddedFile& f : catalog::EmbeddedFiles()) {
    if (f.name.size() < 5 || f.name.substr(f.name.size() - 5) != ".json") continue;
    json j = json::parse(f.content, nullptr, /*allow_exceptions=*/false);
    if (j.is_discarded() || !j.is_object() || j.value("type", "") != type) continue;
    const std::string source = "catalog/" + std::string(f.name);
    Result<T> parsed = parse(f.content, source);
    std::string problem;
    if (!parsed.ok()) {
      problem = parsed.status().message();
    } else if (parsed->id + ".json" != f.name) {
      problem = fmt::format("{}: id '{}' does not match the file name", source, parsed->id);
    }
    if (!problem.empty()) {
      std::fprintf(stderr, "vigil: broken embedded catalog: %s\n", problem.c_str());
      std::abort();
    }
    out.push_back(std::move(parsed).value());
  }
  std::sort(out.begin(), out.end(), [](const T& a, const T& b) { return a.id < b.id; });
  return out;
}

}  // namespace

Result<Framework> ParseFramework(std::string_view text, const std::string& source_name) {
  VIGIL_ASSIGN_OR_RETURN(json j, ParseCatalogObject(text, source_name));
  Checker c;
  Framework fw;
  std::string type;
  if (c.String(j, "", "type", &type) && type != kType) {
    c.Fail("type", fmt::format("is '{}', expected '{}'", type, kType));
  }
  c.OnlyKeys(j, "", {"type", "id", "version", "title", "source", "license_note", "description", "item_kind", "scale", "items"});
  c.Id(j, "", "id", &fw.id);
  c.Int(j, "", "version", &fw.version, 1, 1000000);
  c.String(j, "", "title", &fw.title);
  c.String(j, "", "source", &fw.source);
  c.String(j, "", "license_note", &fw.license_note);
  c.String(j, "", "description", &fw.description);
  if (c.String(j, "", "item_kind", &fw.item_kind) && !IsValidId(fw.item_kind)) {
    c.Fail("item_kind", fmt::format("'{}' is not a valid id", fw.item_kind));
  }
  ParseScale(j.contains("scale") ? j["scale"] : json(), c, &fw.scale);
  if (const json* items = c.Array(j, "", "items")) ParseItems(*items, c, &fw);
  if (c.ok()) CheckKnownStructure(fw, c);
  if (!c.ok()) return Status::InvalidArgument(source_name + ": " + c.Message());
  return fw;
}

const std::vector<Framework>& Frameworks() {
  static const std::vector<Framework> kFrameworks = LoadEmbeddedCatalogs<Framework>(kType, &ParseFramework);
  return kFrameworks;
}

const Framework* FindFramework(std::string_view id) {
  for (const Framework& fw : Frameworks()) {
    if (fw.id == id) return &fw;
  }
  return nullptr;
}

// ---------------------------------------------------------------------------
// Reference catalogs.

namespace {

constexpr std::string_view kReferenceType = "reference-catalog";

enum class AttrKind { kText, kEnum, kTextList, kEnumList, kFlag };

struct AttrSpec {
  const char* key;
  AttrKind kind;
  std::vector<std::string> allowed;  // kEnum, kEnumList
  bool required = true;
};

struct CatalogSpec {
  const char* id;
  const char* entry_kind;
  std::vector<std::string> groups;  // empty: entries have no group
  std::vector<AttrSpec> attrs;
};

std::vector<std::string> Vocab(const char* const* begin, const char* const* end) { return {begin, end}; }

const std::vector<CatalogSpec>& CatalogSpecs() {
  static const std::vector<CatalogSpec> kSpecs = [] {
    auto levels = Vocab(std::begin(kLevels), std::end(kLevels));
    std::vector<CatalogSpec> v;
    v.push_back({"dime",
                 "tool",
                 {},
                 {{"instrument", AttrKind::kEnum, Vocab(std::begin(kInstruments), std::end(kInstruments))},
                  {"approach", AttrKind::kEnum, Vocab(std::begin(kApproaches), std::end(kApproaches))},
                  {"effect", AttrKind::kEnum, {"incentive", "disincentive", "both"}},
                  {"lead_agency", AttrKind::kText, {}},
                  {"cost", AttrKind::kEnum, levels},
                  {"risk", AttrKind::kEnum, levels},
                  {"sovereignty_intrusion", AttrKind::kEnum, levels},
                  {"lead_time", AttrKind::kEnum, {"days", "weeks", "months"}},
                  {"stages", AttrKind::kEnumList, Vocab(std::begin(kPlanStages), std::end(kPlanStages))},
                  {"targets", AttrKind::kEnumList, Vocab(std::begin(kActorCategories), std::end(kActorCategories))},
                  {"purposes", AttrKind::kEnumList,
                   {"mitigate-conditions", "expose", "establish-credibility", "protect-victims",
                    "dissuade-stop-punish", "diminish-motive-capability", "build-resolve", "sway-bystanders"}},
                  {"requires_host_consent", AttrKind::kFlag, {}}}});
    v.push_back({"dime-risks", "risk", {"policy-risk", "inaction"}, {{"mitigations", AttrKind::kTextList, {}}}});
    v.push_back({"cross-cutting", "consideration", {}, {{"questions", AttrKind::kTextList, {}}}});
    v.push_back({"military-approaches",
                 "approach",
                 {},
                 {{"force_level", AttrKind::kEnum, levels},
                  {"risk", AttrKind::kEnum, levels},
                  {"suited_when", AttrKind::kTextList, {}}}});
    v.push_back({"policy-frame",
                 "element",
                 {"variable", "role", "guideline"},
                 {{"values", AttrKind::kEnumList, {"partner", "adversary", "high", "low", "latent", "urgent"},
                   /*required=*/false}}});
    return v;
  }();
  return kSpecs;
}

std::string JoinWords(const std::vector<std::string>& words) {
  std::string out;
  for (const auto& w : words) out += (out.empty() ? "" : ", ") + w;
  return out;
}

bool Contains(const std::vector<std::string>& v, const std::string& s) {
  return std::find(v.begin(), v.end(), s) != v.end();
}

void ParseAttr(const json& ej, const std::string& ep, const AttrSpec& a, Checker& c, ReferenceEntry* e) {
  auto it = ej.find(a.key);
  if (it == ej.end()) {
    if (a.required) c.Fail(Checker::Join(ep, a.key), "missing");
    return;
  }
  const std::string path = Checker::Join(ep, a.key);
  switch (a.kind) {
    case AttrKind::kText:
    case AttrKind::kEnum: {
      std::string value;
      if (!c.String(ej, ep, a.key, &value)) return;
      if (a.kind == AttrKind::kEnum && !Contains(a.allowed, value)) {
        c.Fail(path, fmt::format("'{}' is not one of {}", value, JoinWords(a.allowed)));
        return;
      }
      e->fields[a.key] = value;
      return;
    }
    case AttrKind::kFlag:
      if (!it->is_boolean()) {
        c.Fail(path, fmt::format("must be true or false, not {}", it->type_name()));
        return;
      }
      e->flags[a.key] = it->get<bool>();
      return;
    case AttrKind::kTextList:
    case AttrKind::kEnumList: {
      if (!it->is_array()) {
        c.Fail(path, fmt::format("must be an array, not {}", it->type_name()));
        return;
      }
      if (it->empty()) c.Fail(path, "must not be empty");
      std::vector<std::string> values;
      for (std::size_t k = 0; k < it->size(); ++k) {
        const json& vj = (*it)[k];
        const std::string vp = fmt::format("{}[{}]", path, k);
        if (!vj.is_string() || vj.get<std::string>().find_first_not_of(" \t\r\n") == std::string::npos) {
          c.Fail(vp, "must be a non-empty string");
          continue;
        }
        std::string value = vj.get<std::string>();
        if (a.kind == AttrKind::kEnumList && !Contains(a.allowed, value)) {
          c.Fail(vp, fmt::format("'{}' is not one of {}", value, JoinWords(a.allowed)));
          continue;
        }
        if (Contains(values, value)) {
          c.Fail(vp, fmt::format("'{}' is listed twice", value));
          continue;
        }
        values.push_back(std::move(value));
      }
      e->lists[a.key] = std::move(values);
      return;
    }
  }
}

// The counts and ids the known catalogs must have, whatever the file says.
void CheckReferenceStructure(const ReferenceCatalog& rc, Checker& c) {
  auto need_ids = [&](std::initializer_list<const char*> ids, const char* group) {
    for (const char* id : ids) {
      const ReferenceEntry* e = rc.Find(id);
      if (!e) {
        c.Fail("entries", fmt::format("{} must list '{}'", rc.id, id));
      } else if (group && e->group != group) {
        c.Fail("entries", fmt::format("'{}' must have group '{}', found '{}'", id, group, e->group));
      }
    }
  };
  auto need_count = [&](std::size_t have, std::size_t want, const std::string& what) {
    if (have != want) c.Fail("entries", fmt::format("{} has {} {}, found {}", rc.id, want, what, have));
  };
  if (rc.id == "dime") {
    for (const char* ins : kInstruments) {
      if (rc.Where("instrument", ins).empty()) c.Fail("entries", fmt::format("dime has no {} tool", ins));
    }
    for (const char* ap : kApproaches) {
      if (rc.Where("approach", ap).empty()) c.Fail("entries", fmt::format("dime has no {} tool", ap));
    }
  } else if (rc.id == "dime-risks") {
    need_count(rc.InGroup("policy-risk").size(), 11, "policy risks");
    need_count(rc.InGroup("inaction").size(), 1, "risk of inaction");
    need_ids({"inaction"}, "inaction");
  } else if (rc.id == "cross-cutting") {
    need_count(rc.entries.size(), 8, "cross-cutting considerations");
  } else if (rc.id == "military-approaches") {
    need_count(rc.entries.size(), 7, "military approaches");
    need_ids({"area-security", "clear-hold-build", "separation", "safe-areas", "partner-enabling", "containment",
              "defeat-adversaries"},
             nullptr);
  } else if (rc.id == "policy-frame") {
    need_count(rc.InGroup("variable").size(), 4, "situational variables");
    need_count(rc.InGroup("role").size(), 4, "roles");
    need_count(rc.InGroup("guideline").size(), 6, "guidelines");
    need_ids({"host-nation-role", "us-interests", "international-support", "volatility"}, "variable");
    need_ids({"bystander", "support-others", "lead-multinational", "unilateral"}, "role");
    for (std::size_t i = 0; i < rc.entries.size(); ++i) {
      const ReferenceEntry& e = rc.entries[i];
      bool has_values = e.lists.count("values") > 0;
      if (e.group == "variable" && e.List("values").size() < 2) {
        c.Fail(fmt::format("entries[{}].values", i), "a situational variable needs at least two values");
      } else if (e.group != "variable" && has_values) {
        c.Fail(fmt::format("entries[{}].values", i), "only situational variables have values");
      }
    }
  }
}

}  // namespace

const std::string& ReferenceEntry::Field(std::string_view key) const {
  static const std::string kEmpty;
  auto it = fields.find(std::string(key));
  return it == fields.end() ? kEmpty : it->second;
}

const std::vector<std::string>& ReferenceEntry::List(std::string_view key) const {
  static const std::vector<std::string> kEmpty;
  auto it = lists.find(std::string(key));
  return it == lists.end() ? kEmpty : it->second;
}

bool ReferenceEntry::Flag(std::string_view key) const {
  auto it = flags.find(std::string(key));
  return it != flags.end() && it->second;
}

const ReferenceEntry* ReferenceCatalog::Find(std::string_view entry_id) const {
  for (const ReferenceEntry& e : entries) {
    if (e.id == entry_id) return &e;
  }
  return nullptr;
}

std::vector<const ReferenceEntry*> ReferenceCatalog::InGroup(std::string_view group) const {
  std::vector<const ReferenceEntry*> out;
  for (const ReferenceEntry& e : entries) {
    if (e.group == group) out.push_back(&e);
  }
  return out;
}

std::vector<const ReferenceEntry*> ReferenceCatalog::Where(std::string_view key, std::string_view value) const {
  std::vector<const ReferenceEntry*> out;
  for (const ReferenceEntry& e : entries) {
    if (e.Field(key) == value) out.push_back(&e);
  }
  return out;
}

Result<ReferenceCatalog> ParseReferenceCatalog(std::string_view text, const std::string& source_name) {
  VIGIL_ASSIGN_OR_RETURN(json j, ParseCatalogObject(text, source_name));
  Checker c;
  ReferenceCatalog rc;
  std::string type;
  if (c.String(j, "", "type", &type) && type != kReferenceType) {
    c.Fail("type", fmt::format("is '{}', expected '{}'", type, kReferenceType));
  }
  c.OnlyKeys(j, "", {"type", "id", "version", "title", "source", "license_note", "description", "entry_kind", "entries"});
  c.Id(j, "", "id", &rc.id);
  c.Int(j, "", "version", &rc.version, 1, 1000000);
  c.String(j, "", "title", &rc.title);
  c.String(j, "", "source", &rc.source);
  c.String(j, "", "license_note", &rc.license_note);
  c.String(j, "", "description", &rc.description);
  c.String(j, "", "entry_kind", &rc.entry_kind);
  const CatalogSpec* spec = nullptr;
  if (!rc.id.empty()) {
    for (const CatalogSpec& s : CatalogSpecs()) {
      if (rc.id == s.id) spec = &s;
    }
    if (!spec) {
      std::vector<std::string> known;
      for (const CatalogSpec& s : CatalogSpecs()) known.push_back(s.id);
      c.Fail("id", fmt::format("'{}' is not a known reference catalog ({})", rc.id, JoinWords(known)));
    } else if (!rc.entry_kind.empty() && rc.entry_kind != spec->entry_kind) {
      c.Fail("entry_kind", fmt::format("is '{}', expected '{}' for {}", rc.entry_kind, spec->entry_kind, rc.id));
    }
  }
  const json* entries = c.Array(j, "", "entries");
  if (entries && entries->empty()) c.Fail("entries", "must not be empty");
  std::map<std::string, std::size_t> seen;
  for (std::size_t i = 0; entries && spec && i < entries->size(); ++i) {
    const json& ej = (*entries)[i];
    const std::string ep = fmt::format("entries[{}]", i);
    if (!ej.is_object()) {
      c.Fail(ep, "must be an object");
      continue;
    }
    for (auto it = ej.begin(); it != ej.end(); ++it) {
      const std::string& k = it.key();
      bool known = k == "id" || k == "title" || k == "description" || (k == "group" && !spec->groups.empty()) ||
                   std::any_of(spec->attrs.begin(), spec->attrs.end(), [&](const AttrSpec& a) { return k == a.key; });
      if (!known) c.Fail(Checker::Join(ep, k), fmt::format("unknown field for a {} entry", rc.id));
    }
    ReferenceEntry e;
    if (c.Id(ej, ep, "id", &e.id)) {
      auto [it, fresh] = seen.emplace(e.id, i);
      if (!fresh) c.Fail(ep + ".id", fmt::format("duplicate entry id '{}' (also entries[{}])", e.id, it->second));
    }
    c.String(ej, ep, "title", &e.title);
    c.String(ej, ep, "description", &e.description);
    if (!spec->groups.empty() && c.String(ej, ep, "group", &e.group) && !Contains(spec->groups, e.group)) {
      c.Fail(ep + ".group", fmt::format("'{}' is not one of {}", e.group, JoinWords(spec->groups)));
    }
    for (const AttrSpec& a : spec->attrs) ParseAttr(ej, ep, a, c, &e);
    rc.entries.push_back(std::move(e));
  }
  if (c.ok()) CheckReferenceStructure(rc, c);
  if (!c.ok()) return Status::InvalidArgument(source_name + ": " + c.Message());
  return rc;
}

const std::vector<ReferenceCatalog>& ReferenceCatalogs() {
  static const std::vector<ReferenceCatalog> kCatalogs =
      LoadEmbeddedCatalogs<ReferenceCatalog>(kReferenceType, &ParseReferenceCatalog);
  return kCatalogs;
}

const ReferenceCatalog* FindReferenceCatalog(std::string_view id) {
  for (const ReferenceCatalog& rc : ReferenceCatalogs()) {
    if (rc.id == id) return &rc;
  }
  return nullptr;
}

}  // namespace vigil::assess
