// Checked reads of JSON values that come from outside vigil (catalog, model,
// tuning and case files; later request bodies).
//
// nlohmann's get<int>() and value(key, 0) convert a JSON float such as 1e25
// to an integer with static_cast, which is undefined behaviour, and throw on
// a value of the wrong type. These read only what the field declares: an
// integer field accepts a JSON integer within the range of its C++ type (or a
// tighter one the caller gives), a number field any finite number, a string
// field a string; anything else is an InvalidArgument naming the field.
#pragma once

#include <nlohmann/json.hpp>

#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include "core/status.h"

namespace vigil {

// The value of `v` if it is a JSON integer within [lo, hi]; nullopt for a
// float, a non-number or an integer out of range. Never converts a float.
inline std::optional<std::int64_t> JsonInteger(const nlohmann::json& v,
                                               std::int64_t lo = std::numeric_limits<std::int64_t>::min(),
                                               std::int64_t hi = std::numeric_limits<std::int64_t>::max()) {
  if (v.is_number_unsigned()) {
    const auto u = v.get<std::uint64_t>();
    if (u > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max())) return std::nullopt;
    const auto s = static_cast<std::int64_t>(u);
    if (s < lo || s > hi) return std::nullopt;
    return s;
  }
  if (!v.is_number_integer()) return std::nullopt;
  const auto s = v.get<std::int64_t>();
  if (s < lo || s > hi) return std::nullopt;
  return s;
}

namespace json_field_detail {

template <typename T>
struct IsVector : std::false_type {};
template <typename T>
struct IsVector<std::vector<T>> : std::true_type {};

template <typename T>
std::string Expected() {
  if constexpr (std::is_same_v<T, bool>) {
    return "true or false";
  } else if constexpr (std::is_integral_v<T>) {
    return "an integer";
  } else if constexpr (std::is_floating_point_v<T>) {
    return "a number";
  } else if constexpr (std::is_same_v<T, std::string>) {
    return "a string";
  } else {
    static_assert(IsVector<T>::value, "JsonAs reads bool, integers, numbers, strings and vectors of them");
    std::string element = Expected<typename T::value_type>();  // "an integer" -> "integers"
    element = element.substr(element.find(' ') + 1);
    return "an array of " + (element == "true or false" ? "true/false values" : element + "s");
  }
}

// Converts `v` to T, or nullopt if it is not a T (see Expected<T>()).
template <typename T>
std::optional<T> Convert(const nlohmann::json& v, std::int64_t lo, std::int64_t hi) {
  if constexpr (std::is_same_v<T, bool>) {
    if (!v.is_boolean()) return std::nullopt;
    return v.get<bool>();
  } else if constexpr (std::is_integral_v<T>) {
    const std::int64_t tlo = std::max<std::int64_t>(lo, std::is_signed_v<T> ? std::numeric_limits<T>::min() : 0);
    const std::int64_t thi =
        static_cast<std::uint64_t>(std::numeric_limits<T>::max()) >
                static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max())
            ? hi
            : std::min<std::int64_t>(hi, static_cast<std::int64_t>(std::numeric_limits<T>::max()));
    auto i = JsonInteger(v, tlo, thi);
    if (!i) return std::nullopt;
    return static_cast<T>(*i);
  } else if constexpr (std::is_floating_point_v<T>) {
    if (!v.is_number()) return std::nullopt;
    const T d = v.get<T>();
    if (!(d - d == 0)) return std::nullopt;  // NaN or infinite
    return d;
  } else if constexpr (std::is_same_v<T, std::string>) {
    if (!v.is_string()) return std::nullopt;
    return v.get<std::string>();
  } else {
    if (!v.is_array()) return std::nullopt;
    T out;
    out.reserve(v.size());
    for (const auto& e : v) {
      auto x = Convert<typename T::value_type>(e, lo, hi);
      if (!x) return std::nullopt;
      out.push_back(std::move(*x));
    }
    return out;
  }
}

}  // namespace json_field_detail

// `v` as a T (bool, an integral type, double, std::string or a std::vector of
// one of them); integers must also lie in [lo, hi]. InvalidArgument
// "WHERE: must be EXPECTED" otherwise.
template <typename T>
Result<T> JsonAs(const nlohmann::json& v, std::string_view where,
                 std::int64_t lo = std::numeric_limits<std::int64_t>::min(),
                 std::int64_t hi = std::numeric_limits<std::int64_t>::max()) {
  auto x = json_field_detail::Convert<T>(v, lo, hi);
  if (x) return std::move(*x);
  std::string expected = json_field_detail::Expected<T>();
  constexpr std::int64_t kMin = std::numeric_limits<std::int64_t>::min();
  constexpr std::int64_t kMax = std::numeric_limits<std::int64_t>::max();
  if (std::is_integral_v<T> && !std::is_same_v<T, bool>) {
    if (lo != kMin && hi != kMax) {
      expected += " in " + std::to_string(lo) + ".." + std::to_string(hi);
    } else if (lo != kMin) {
      expected += " >= " + std::to_string(lo);
    } else if (hi != kMax) {
      expected += " <= " + std::to_string(hi);
    }
  }
  return Status::InvalidArgument(std::string(where) + ": must be " + expected + ", is " +
                                 (v.is_string() || v.is_number() || v.is_boolean() || v.is_null()
                                      ? v.dump().substr(0, 40)
                                      : std::string(v.type_name())));
}

// The field `key` of `obj` as a T, or `def` when `obj` has no such field (or
// it is null). `where` names `obj` in the message: "model.json: triage" gives
// "model.json: triage.top_n: must be an integer, is 2.5"; a top-level object
// is named with a trailing colon, "model.json:" giving "model.json: alpha: ...".
// `obj` must be an object: the caller checks that first.
template <typename T>
Result<T> JsonField(const nlohmann::json& obj, std::string_view key, T def, std::string_view where,
                    std::int64_t lo = std::numeric_limits<std::int64_t>::min(),
                    std::int64_t hi = std::numeric_limits<std::int64_t>::max()) {
  auto it = obj.find(key);
  if (it == obj.end() || it->is_null()) return def;
  std::string at(where);
  if (!at.empty()) at += at.back() == ':' ? " " : ".";
  at += key;
  return JsonAs<T>(*it, at, lo, hi);
}

}  // namespace vigil
