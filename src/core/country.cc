#include "core/country.h"

#include <algorithm>
#include <cassert>
#include <cctype>
#include <cstdint>
#include <map>

namespace vigil {

namespace {

// ASCII spelling of U+00C0..U+00FF without accents; nullptr drops the
// character (× and ÷).
constexpr const char* kLatin1Fold[64] = {
    "a", "a", "a", "a", "a", "a", "ae", "c",  // À Á Â Ã Ä Å Æ Ç
    "e", "e", "e", "e", "i", "i", "i",  "i",  // È É Ê Ë Ì Í Î Ï
    "d", "n", "o", "o", "o", "o", "o",  nullptr,  // Ð Ñ Ò Ó Ô Õ Ö ×
    "o", "u", "u", "u", "u", "y", "th", "ss",  // Ø Ù Ú Û Ü Ý Þ ß
    "a", "a", "a", "a", "a", "a", "ae", "c",  // à á â ã ä å æ ç
    "e", "e", "e", "e", "i", "i", "i",  "i",  // è é ê ë ì í î ï
    "d", "n", "o", "o", "o", "o", "o",  nullptr,  // ð ñ ò ó ô õ ö ÷
    "o", "u", "u", "u", "u", "y", "th", "y",  // ø ù ú û ü ý þ ÿ
};

// ASCII spelling of U+0100..U+017F (Latin Extended-A).
constexpr const char* kLatinExtAFold[128] = {
    "a",  "a",  "a", "a", "a", "a", "c", "c", "c", "c", "c", "c", "c", "c", "d", "d",  // 0100
    "d",  "d",  "e", "e", "e", "e", "e", "e", "e", "e", "e", "e", "g", "g", "g", "g",  // 0110
    "g",  "g",  "g", "g", "h", "h", "h", "h", "i", "i", "i", "i", "i", "i", "i", "i",  // 0120
    "i",  "i",  "ij", "ij", "j", "j", "k", "k", "k", "l", "l", "l", "l", "l", "l", "l",  // 0130
    "l",  "l",  "l", "n", "n", "n", "n", "n", "n", "n", "n", "n", "o", "o", "o", "o",  // 0140
    "o",  "o",  "oe", "oe", "r", "r", "r", "r", "r", "r", "s", "s", "s", "s", "s", "s",  // 0150
    "s",  "s",  "t", "t", "t", "t", "t", "t", "u", "u", "u", "u", "u", "u", "u", "u",  // 0160
    "u",  "u",  "u", "u", "w", "w", "y", "y", "y", "z", "z", "z", "z", "z", "z", "s",  // 0170
};

// Decodes one code point at s[*i] and advances *i. A byte that does not
// start a valid UTF-8 sequence is read as a Latin-1 character.
char32_t NextCodePoint(std::string_view s, std::size_t* i) {
  const auto b0 = static_cast<unsigned char>(s[*i]);
  auto cont = [&](std::size_t k) {
    return *i + k < s.size() && (static_cast<unsigned char>(s[*i + k]) & 0xC0) == 0x80;
  };
  auto bits = [&](std::size_t k) { return static_cast<char32_t>(s[*i + k] & 0x3F); };
  if (b0 < 0x80) {
    ++*i;
    return b0;
  }
  if (b0 >= 0xC2 && b0 <= 0xDF && cont(1)) {
    char32_t cp = (static_cast<char32_t>(b0 & 0x1F) << 6) | bits(1);
    *i += 2;
    return cp;
  }
  if (b0 >= 0xE0 && b0 <= 0xEF && cont(1) && cont(2)) {
    char32_t cp = (static_cast<char32_t>(b0 & 0x0F) << 12) | (bits(1) << 6) | bits(2);
    if (cp >= 0x800 && (cp < 0xD800 || cp > 0xDFFF)) {
      *i += 3;
      return cp;
    }
  }
  if (b0 >= 0xF0 && b0 <= 0xF4 && cont(1) && cont(2) && cont(3)) {
    char32_t cp = (static_cast<char32_t>(b0 & 0x07) << 18) | (bits(1) << 12) | (bits(2) << 6) |
                  bits(3);
    if (cp >= 0x10000 && cp <= 0x10FFFF) {
      *i += 4;
      return cp;
    }
  }
  ++*i;  // not UTF-8: a Latin-1 byte
  return b0;
}

void AppendUtf8(char32_t cp, std::string* out) {
  if (cp < 0x80) {
    out->push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out->push_back(static_cast<char>(0xC0 | (cp >> 6)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else if (cp < 0x10000) {
    out->push_back(static_cast<char>(0xE0 | (cp >> 12)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else {
    out->push_back(static_cast<char>(0xF0 | (cp >> 18)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  }
}

std::string Quoted(std::string_view s) { return "'" + std::string(s) + "'"; }

}  // namespace

std::string CountryTable::NormalizeName(std::string_view name) {
  std::string out;
  out.reserve(name.size());
  std::size_t i = 0;
  while (i < name.size()) {
    const char32_t cp = NextCodePoint(name, &i);
    if (cp < 0x80) {
      if (cp >= 'A' && cp <= 'Z') {
        out.push_back(static_cast<char>(cp - 'A' + 'a'));
      } else if ((cp >= 'a' && cp <= 'z') || (cp >= '0' && cp <= '9')) {
        out.push_back(static_cast<char>(cp));
      } else if (cp == '&') {
        out += "and";
      }  // other ASCII: spaces, punctuation, controls
    } else if (cp < 0xC0) {
      // C1 controls, no-break space and Latin-1 punctuation and symbols
    } else if (cp < 0x100) {
      if (const char* f = kLatin1Fold[cp - 0xC0]) out += f;
    } else if (cp < 0x180) {
      out += kLatinExtAFold[cp - 0x100];
    } else if (cp == 0x218 || cp == 0x219) {  // Ș ș (Romanian)
      out.push_back('s');
    } else if (cp == 0x21A || cp == 0x21B) {  // Ț ț
      out.push_back('t');
    } else if ((cp >= 0x2B0 && cp <= 0x36F) || (cp >= 0x2000 && cp <= 0x206F) || cp == 0xFEFF) {
      // modifier letters (ʻ ʼ), combining accents, general punctuation, BOM
    } else {
      AppendUtf8(cp, &out);
    }
  }
  return out;
}

Result<CountryTable> CountryTable::Build(std::vector<Country> countries,
                                         const std::vector<std::string>& origins) {
  assert(origins.empty() || origins.size() == countries.size());
  CountryTable t;
  t.countries_ = std::move(countries);
  const auto& cs = t.countries_;

  // "<origin>: column '<col>': " when origins are known.
  auto where = [&](std::size_t i, const char* column) {
    std::string w = origins.empty() ? std::string() : origins[i] + ": ";
    return w + "column '" + column + "': ";
  };
  // "'Name' (gw 123, <origin>)"
  auto label = [&](std::size_t i) {
    std::string l = Quoted(cs[i].name) + " (gw " + std::to_string(cs[i].gw);
    if (!origins.empty()) l += ", " + origins[i];
    return l + ")";
  };

  std::map<int, std::vector<std::size_t>> by_cow;
  for (std::size_t i = 0; i < cs.size(); ++i) {
    const Country& c = cs[i];
    if (c.gw <= 0) {
      return Status::InvalidArgument(where(i, "gw") + "gw code must be positive, not " +
                                     std::to_string(c.gw));
    }
    if (auto [it, fresh] = t.by_gw_.emplace(c.gw, i); !fresh) {
      return Status::InvalidArgument(where(i, "gw") + "duplicate gw code " + std::to_string(c.gw) +
                                     ": " + Quoted(c.name) + " and " + label(it->second));
    }
    if (!c.iso3.empty()) {
      std::string key = c.iso3;
      for (char& ch : key) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
      if (auto [it, fresh] = t.by_iso3_.emplace(key, i); !fresh) {
        return Status::InvalidArgument(where(i, "iso3") + "duplicate ISO3 code " + key + ": " +
                                       Quoted(c.name) + " and " + label(it->second));
      }
    }
    if (c.cow > 0) by_cow[c.cow].push_back(i);

    auto add_key = [&](const std::string& text, const char* column) -> Status {
      std::string key = NormalizeName(text);
      if (key.empty()) {
        return Status::InvalidArgument(where(i, column) + Quoted(text) + " of " + Quoted(c.name) +
                                       " has no letters or digits to match on");
      }
      auto [it, fresh] = t.by_name_.emplace(key, i);
      if (!fresh && it->second != i) {
        return Status::InvalidArgument(where(i, column) + Quoted(text) + " of " + label(i) +
                                       " also names " + label(it->second) + " (both match as " +
                                       Quoted(key) + ")");
      }
      return Status::Ok();
    };
    VIGIL_RETURN_IF_ERROR(add_key(c.name, "name"));
    for (const std::string& a : c.aliases) VIGIL_RETURN_IF_ERROR(add_key(a, "aliases"));
  }

  // Several states can share a COW code; the lookup takes the one that still
  // exists, else the one that ended last.
  for (const auto& [cow, idx] : by_cow) {
    std::size_t best = idx[0];
    auto later = [&](std::size_t a, std::size_t b) {  // does a end after b?
      int ea = cs[a].last_year == 0 ? 1 << 30 : cs[a].last_year;
      int eb = cs[b].last_year == 0 ? 1 << 30 : cs[b].last_year;
      return ea > eb;
    };
    for (std::size_t k = 1; k < idx.size(); ++k) {
      if (later(idx[k], best)) {
        best = idx[k];
      } else if (!later(best, idx[k])) {
        return Status::InvalidArgument(where(idx[k], "cow") + "COW code " + std::to_string(cow) +
                                       " of " + label(idx[k]) + " is also that of " + label(best) +
                                       " and neither ended later, so the code is ambiguous");
      }
    }
    t.by_cow_.emplace(cow, best);
  }
  return t;
}

const Country* CountryTable::ByGw(int gw) const {
  auto it = by_gw_.find(gw);
  return it == by_gw_.end() ? nullptr : &countries_[it->second];
}

const Country* CountryTable::ByCow(int cow) const {
  auto it = by_cow_.find(cow);
  return it == by_cow_.end() ? nullptr : &countries_[it->second];
}

const Country* CountryTable::ByIso3(std::string_view iso3) const {
  if (iso3.empty()) return nullptr;
  std::string key(iso3);
  for (char& ch : key) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
  auto it = by_iso3_.find(key);
  return it == by_iso3_.end() ? nullptr : &countries_[it->second];
}

const Country* CountryTable::ByName(std::string_view name) const {
  std::string key = NormalizeName(name);
  if (key.empty()) return nullptr;
  auto it = by_name_.find(key);
  return it == by_name_.end() ? nullptr : &countries_[it->second];
}

std::vector<std::pair<std::string, int>> CountryTable::NameKeys() const {
  std::vector<std::pair<std::string, int>> keys;
  keys.reserve(by_name_.size());
  for (const auto& [key, i] : by_name_) keys.emplace_back(key, countries_[i].gw);
  std::sort(keys.begin(), keys.end());
  return keys;
}

}  // namespace vigil
