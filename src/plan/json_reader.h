// Internal to src/plan: reads typed fields of JSON objects with errors that
// name the JSON path ("loes[2].title: must be a string, not number").
#pragma once

#include <fmt/format.h>

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"

namespace vigil::plan::internal {

// Remembers the first error as "path: problem". A missing optional field
// keeps its default; a missing required one, or a present field of the wrong
// type, is an error.
class JsonReader {
 public:
  using json = nlohmann::json;

  bool ok() const { return error_.empty(); }
  // InvalidArgument "<prefix>: <path>: <problem>" (prefix omitted when empty).
  Status status(const std::string& prefix = {}) const {
    if (ok()) return Status::Ok();
    return Status::InvalidArgument(prefix.empty() ? error_ : prefix + ": " + error_);
  }

  void Fail(const std::string& path, const std::string& problem) {
    if (error_.empty()) error_ = path.empty() ? problem : path + ": " + problem;
  }
  static std::string Join(const std::string& path, std::string_view key) {
    return path.empty() ? std::string(key) : path + "." + std::string(key);
  }

  bool Object(const json& j, const std::string& path) {
    if (j.is_object()) return true;
    Fail(path, fmt::format("must be an object, not {}", j.type_name()));
    return false;
  }
  // Unknown keys are errors (catalog files: catches misspelt fields).
  void OnlyKeys(const json& j, const std::string& path, std::initializer_list<std::string_view> keys) {
    for (auto it = j.begin(); it != j.end(); ++it) {
      bool known = false;
      for (std::string_view k : keys) known = known || it.key() == k;
      if (!known) Fail(Join(path, it.key()), "unknown field");
    }
  }
  // False when absent (and, if required, an error).
  bool Has(const json& j, const std::string& path, std::string_view key, bool required) {
    auto it = j.find(key);
    if (it != j.end() && !it->is_null()) return true;
    if (required) Fail(Join(path, key), "missing");
    return false;
  }
  void String(const json& j, const std::string& path, std::string_view key, std::string* out,
              bool required = false) {
    if (!Has(j, path, key, required)) return;
    const json& v = j.at(key);
    if (!v.is_string()) return Fail(Join(path, key), fmt::format("must be a string, not {}", v.type_name()));
    *out = v.get<std::string>();
    if (required && out->find_first_not_of(" \t\r\n") == std::string::npos) Fail(Join(path, key), "empty");
  }
  template <typename Int>
  void Integer(const json& j, const std::string& path, std::string_view key, Int* out, bool required = false) {
    if (!Has(j, path, key, required)) return;
    const json& v = j.at(key);
    if (!v.is_number_integer())
      return Fail(Join(path, key), fmt::format("must be an integer, not {}", v.type_name()));
    *out = v.get<Int>();
  }
  void Bool(const json& j, const std::string& path, std::string_view key, bool* out, bool required = false) {
    if (!Has(j, path, key, required)) return;
    const json& v = j.at(key);
    if (!v.is_boolean()) return Fail(Join(path, key), fmt::format("must be true or false, not {}", v.type_name()));
    *out = v.get<bool>();
  }
  void Strings(const json& j, const std::string& path, std::string_view key, std::vector<std::string>* out,
               bool required = false) {
    if (!Has(j, path, key, required)) return;
    const json& a = j.at(key);
    if (!a.is_array()) return Fail(Join(path, key), fmt::format("must be an array, not {}", a.type_name()));
    out->clear();
    for (std::size_t i = 0; i < a.size(); ++i) {
      if (!a[i].is_string())
        return Fail(fmt::format("{}[{}]", Join(path, key), i), fmt::format("must be a string, not {}", a[i].type_name()));
      out->push_back(a[i].get<std::string>());
    }
  }
  // Calls each(element, element_path) for every object of the array j[key].
  template <typename F>
  void Array(const json& j, const std::string& path, std::string_view key, F each, bool required = false) {
    if (!Has(j, path, key, required)) return;
    const json& a = j.at(key);
    if (!a.is_array()) return Fail(Join(path, key), fmt::format("must be an array, not {}", a.type_name()));
    for (std::size_t i = 0; i < a.size() && ok(); ++i) {
      std::string p = fmt::format("{}[{}]", Join(path, key), i);
      if (Object(a[i], p)) each(a[i], p);
    }
  }

 private:
  std::string error_;
};

}  // namespace vigil::plan::internal
