#include "assess/frameworks.h"

#include <fmt/format.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <nlohmann/json.hpp>
#include <set>

#include "core/embedded.h"

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

Result<Framework> ParseFramework(std::string_view text, const std::string& source_name) {
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
  static const std::vector<Framework> kFrameworks = [] {
    std::vector<Framework> out;
    for (const catalog::EmbeddedFile& f : catalog::EmbeddedFiles()) {
      if (f.name.size() < 5 || f.name.substr(f.name.size() - 5) != ".json") continue;
      json j = json::parse(f.content, nullptr, /*allow_exceptions=*/false);
      if (j.is_discarded() || !j.is_object() || j.value("type", "") != kType) continue;
      const std::string source = "catalog/" + std::string(f.name);
      Result<Framework> fw = ParseFramework(f.content, source);
      std::string problem;
      if (!fw.ok()) {
        problem = fw.status().message();
      } else if (fw->id + ".json" != f.name) {
        problem = fmt::format("{}: id '{}' does not match the file name", source, fw->id);
      } else if (std::any_of(out.begin(), out.end(), [&](const Framework& o) { return o.id == fw->id; })) {
        problem = fmt::format("{}: framework id '{}' used twice", source, fw->id);
      }
      if (!problem.empty()) {
        std::fprintf(stderr, "vigil: broken embedded catalog: %s\n", problem.c_str());
        std::abort();
      }
      out.push_back(std::move(fw).value());
    }
    std::sort(out.begin(), out.end(), [](const Framework& a, const Framework& b) { return a.id < b.id; });
    return out;
  }();
  return kFrameworks;
}

const Framework* FindFramework(std::string_view id) {
  for (const Framework& fw : Frameworks()) {
    if (fw.id == id) return &fw;
  }
  return nullptr;
}

}  // namespace vigil::assess
