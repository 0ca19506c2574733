// vigil-gen-events: writes a synthetic UCDP GED 23.1-format CSV for scale
// tests and benchmarks. The events are invented (the file says nothing true
// about any conflict); their shape follows real GED rows: the official 49
// column header, a country mix with Gleditsch-Ward codes, UCDP's country
// names and coordinates inside each country's box, admin names, actor pairs,
// violence types ~45% state-based / 20% non-state / 35% one-sided,
// heavy-tailed deaths with low <= best <= high, source fields with commas,
// doubled quotes and embedded line breaks, the three date forms GED files use,
// and rows of about 600 bytes.
//
// usage: vigil-gen-events --rows N --seed S [--bad-every K] --out FILE
// With --bad-every K every K-th row is malformed in one of 13 ways, in turn:
// wrong column count, stray quote, non-UTF-8 byte, impossible date, end
// before start, latitude out of range, negative deaths, non-integer deaths,
// best not the sum of its parts, missing deaths, unknown country, unknown
// violence type, empty id.
// Prints a JSON summary {rows, bad_rows, bytes} on stdout.
#include <fmt/format.h>

#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <iterator>
#include <string>
#include <string_view>
#include <vector>

namespace {

struct Rng {  // xoshiro256** seeded by splitmix64 (public-domain algorithms)
  std::uint64_t s[4];
  explicit Rng(std::uint64_t seed) {
    for (auto& x : s) {
      seed += 0x9E3779B97F4A7C15ULL;
      std::uint64_t z = seed;
      z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
      z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
      x = z ^ (z >> 31);
    }
  }
  static std::uint64_t Rotl(std::uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
  std::uint64_t Next() {
    std::uint64_t r = Rotl(s[1] * 5, 7) * 9, t = s[1] << 17;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = Rotl(s[3], 45);
    return r;
  }
  double Uniform() { return static_cast<double>(Next() >> 11) * 0x1.0p-53; }
  int Int(int n) { return static_cast<int>(Uniform() * n); }
  template <typename T>
  const T& Pick(const std::vector<T>& v) { return v[static_cast<std::size_t>(Int(static_cast<int>(v.size())))]; }
};

struct CountryMix {
  int gw;
  const char* code;  // UCDP's three-letter prefix of relid
  const char* name;  // as UCDP writes it
  const char* region;
  double weight;
  double lat0, lat1, lon0, lon1;
  std::vector<const char*> adm1;
  const char* government;
  std::vector<const char*> groups;
};

const std::vector<CountryMix>& Mix() {
  static const std::vector<CountryMix> kMix = {
      {652, "SYR", "Syria", "Middle East", 14, 32.6, 36.9, 36.0, 41.9,
       {"Idlib governorate", "Aleppo governorate", "Homs governorate", "Dar'a governorate", "Hama governorate"},
       "Government of Syria", {"Syrian insurgents", "IS", "HTS", "SDF"}},
      {700, "AFG", "Afghanistan", "Asia", 12, 30.5, 37.5, 61.5, 70.8,
       {"Nangarhar province", "Helmand province", "Kandahar province", "Kunduz province", "Ghazni province"},
       "Government of Afghanistan", {"Taleban", "IS", "Hizb-i Islami-yi Afghanistan"}},
      {750, "IND", "India", "Asia", 5, 20.0, 33.0, 74.0, 88.0,
       {"Jammu and Kashmir state", "Chhattisgarh state", "Manipur state", "Assam state"},
       "Government of India", {"Kashmir insurgents", "CPI-Maoist", "PLA"}},
      {70, "MEX", "Mexico", "Americas", 5, 17.0, 30.5, -114.0, -91.0,
       {"Guerrero state", "Michoacán state", "Chihuahua state", "Tamaulipas state", "Sinaloa state"},
       "Government of Mexico", {"Sinaloa Cartel", "CJNG", "Los Zetas", "Gulf Cartel"}},
      {490, "DRC", "DR Congo (Zaire)", "Africa", 7, -8.0, 3.0, 18.0, 29.5,
       {"Nord-Kivu province", "Sud-Kivu province", "Ituri province", "Kasaï-Central province"},
       "Government of DR Congo (Zaire)", {"CODECO", "ADF", "M23", "Mai-Mai Yakutumba"}},
      {475, "NIG", "Nigeria", "Africa", 6, 5.0, 13.0, 4.0, 13.5,
       {"Borno state", "Zamfara state", "Kaduna state", "Benue state", "Plateau state"},
       "Government of Nigeria", {"IS", "Jama'atu Ahlis Sunna Lidda'awati wal-Jihad", "Fulani", "Berom"}},
      {520, "SOM", "Somalia", "Africa", 5, -1.0, 10.0, 42.0, 49.5,
       {"Banaadir region", "Shabeellaha Hoose region", "Gedo region"}, "Government of Somalia",
       {"Al-Shabaab", "Marehan", "Hawadle"}},
      {645, "IRQ", "Iraq", "Middle East", 6, 30.5, 36.5, 40.0, 47.0,
       {"Ninawa governorate", "Al Anbar governorate", "Baghdad governorate", "Diyala governorate"},
       "Government of Iraq", {"IS", "Mahdi Army"}},
      {770, "PAK", "Pakistan", "Asia", 5, 25.0, 35.5, 62.5, 74.5,
       {"Khyber Pakhtunkhwa province", "Balochistan province", "Sindh province"}, "Government of Pakistan",
       {"TTP", "BLA"}},
      {100, "COL", "Colombia", "Americas", 3, 0.5, 10.5, -77.5, -70.5,
       {"Cauca department", "Antioquia department", "Norte de Santander department"},
       "Government of Colombia", {"FARC", "ELN", "Clan del Golfo"}},
      {369, "UKR", "Ukraine", "Europe", 5, 46.5, 50.5, 30.5, 39.5,
       {"Donetsk oblast", "Luhansk oblast", "Kharkiv oblast"}, "Government of Ukraine", {"DPR", "LPR"}},
      {625, "SUD", "Sudan", "Africa", 4, 10.0, 19.5, 22.5, 35.5,
       {"West Darfur state", "North Darfur state", "Khartoum state"}, "Government of Sudan",
       {"RSF", "SLM/A", "JEM"}},
      {775, "MYA", "Myanmar (Burma)", "Asia", 4, 16.5, 26.5, 93.0, 99.5,
       {"Kachin state", "Shan state", "Rakhine state", "Sagaing region"}, "Government of Myanmar (Burma)",
       {"KIO", "AA", "PDF"}},
      {482, "CAR", "Central African Republic", "Africa", 3, 3.5, 9.5, 15.5, 26.5,
       {"Ouaka prefecture", "Haute-Kotto prefecture", "Ouham prefecture"},
       "Government of Central African Republic", {"UPC", "3R", "Anti-balaka", "Ex-Séléka"}},
      {530, "ETH", "Ethiopia", "Africa", 3, 4.5, 14.0, 35.0, 43.5,
       {"Tigray region", "Amhara region", "Oromia region"}, "Government of Ethiopia", {"TPLF", "OLA", "Fano"}},
      {432, "MLI", "Mali", "Africa", 3, 12.0, 20.0, -10.0, 3.5,
       {"Mopti region", "Gao region", "Ségou region"}, "Government of Mali",
       {"JNIM", "IS Sahel", "Dan Na Ambassagou"}},
      {439, "BFA", "Burkina Faso", "Africa", 3, 10.0, 15.0, -5.0, 2.0,
       {"Sahel region", "Est region", "Centre-Nord region"}, "Government of Burkina Faso", {"JNIM", "IS Sahel"}},
      {840, "PHI", "Philippines", "Asia", 2, 5.5, 18.0, 118.5, 126.0,
       {"Maguindanao province", "Sulu province", "Negros Oriental province"}, "Government of Philippines",
       {"CPP", "ASG", "BIFM"}},
      {678, "YEM", "Yemen (North Yemen)", "Middle East", 3, 13.0, 17.0, 43.5, 49.5,
       {"Ta'izz governorate", "Al Hudaydah governorate", "Ma'rib governorate"},
       "Government of Yemen (North Yemen)", {"AQAP", "Ansarallah", "STC"}},
      {666, "ISR", "Israel", "Middle East", 1, 31.3, 32.5, 34.3, 35.5, {"Gaza Strip", "West Bank"},
       "Government of Israel", {"Hamas", "PIJ"}},
      {140, "BRA", "Brazil", "Americas", 1, -24.0, -3.0, -55.0, -36.0,
       {"Rio de Janeiro state", "Bahia state", "Pará state"}, "Government of Brazil",
       {"Comando Vermelho", "PCC"}},
      {471, "CAO", "Cameroon", "Africa", 1, 3.0, 11.5, 9.5, 15.5,
       {"Nord-Ouest region", "Sud-Ouest region", "Extrême-Nord region"}, "Government of Cameroon",
       {"Ambazonia insurgents", "IS"}},
      {626, "SSD", "South Sudan", "Africa", 2, 4.0, 11.5, 25.0, 34.5,
       {"Jonglei state", "Unity state", "Upper Nile state"}, "Government of South Sudan",
       {"SPLM/A-IO", "Dinka", "Nuer"}},
  };
  return kMix;
}

const std::vector<const char*>& Outlets() {
  static const std::vector<const char*> k = {
      "Reuters News",    "Agence France Presse", "BBC Monitoring Middle East", "Xinhua News Agency",
      "Associated Press", "Radio Okapi",          "All Africa",                 "SOHR",
      "The New York Times", "Al Jazeera",         "ACLED",                      "Human Rights Watch"};
  return k;
}

const std::vector<const char*>& Words() {
  static const std::vector<const char*> k = {
      "attack",   "village",  "militants", "killed",  "army",    "clashes", "near",    "town",
      "civilians", "market",  "convoy",    "district", "police", "forces",  "fighters", "bomb",
      "raid",     "checkpoint", "displaced", "reported", "rebels", "local", "officials", "says"};
  return k;
}

constexpr const char* kHeader =
    "\"id\",\"relid\",\"year\",\"active_year\",\"code_status\",\"type_of_violence\",\"conflict_dset_id\","
    "\"conflict_new_id\",\"conflict_name\",\"dyad_dset_id\",\"dyad_new_id\",\"dyad_name\",\"side_a_dset_id\","
    "\"side_a_new_id\",\"side_a\",\"side_b_dset_id\",\"side_b_new_id\",\"side_b\",\"number_of_sources\","
    "\"source_article\",\"source_office\",\"source_date\",\"source_headline\",\"source_original\","
    "\"where_prec\",\"where_coordinates\",\"where_description\",\"adm_1\",\"adm_2\",\"latitude\","
    "\"longitude\",\"geom_wkt\",\"priogrid_gid\",\"country\",\"country_id\",\"region\",\"event_clarity\","
    "\"date_prec\",\"date_start\",\"date_end\",\"deaths_a\",\"deaths_b\",\"deaths_civilians\","
    "\"deaths_unknown\",\"best\",\"high\",\"low\",\"gwnoa\",\"gwnob\"\n";

// Howard Hinnant's civil_from_days (public domain).
void Civil(int z, int* y, int* m, int* d) {
  z += 719468;
  const int era = (z >= 0 ? z : z - 146096) / 146097;
  const unsigned doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  *d = static_cast<int>(doy - (153 * mp + 2) / 5 + 1);
  *m = static_cast<int>(mp < 10 ? mp + 3 : mp - 9);
  *y = static_cast<int>(yoe) + era * 400 + (*m <= 2);
}

std::string Sentence(Rng& rng, int words) {
  std::string s;
  for (int i = 0; i < words; ++i) {
    if (i) s += ' ';
    s += rng.Pick(Words());
  }
  s[0] = static_cast<char>(s[0] - 'a' + 'A');
  return s;
}

// A CSV field quoted with doubled inner quotes.
void PutQuoted(std::string& out, std::string_view v) {
  out += '"';
  for (char c : v) {
    if (c == '"') out += '"';
    out += c;
  }
  out += '"';
}

int Usage() {
  std::fprintf(stderr, "usage: vigil-gen-events --rows N --seed S [--bad-every K] --out FILE\n");
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  long long rows = -1, seed = 1, bad_every = 0;
  std::string out_path;
  for (int i = 1; i < argc; ++i) {
    std::string_view a = argv[i];
    if (a == "--help" || a == "-h") {
      std::printf("vigil-gen-events --rows N --seed S [--bad-every K] --out FILE\n"
                  "Writes N synthetic UCDP GED 23.1-format events (invented, not real) to FILE;\n"
                  "with --bad-every K every K-th row is malformed (13 kinds in turn).\n");
      return 0;
    }
    if (i + 1 >= argc) return Usage();
    const char* v = argv[++i];
    if (a == "--rows") {
      rows = std::atoll(v);
    } else if (a == "--seed") {
      seed = std::atoll(v);
    } else if (a == "--bad-every") {
      bad_every = std::atoll(v);
    } else if (a == "--out") {
      out_path = v;
    } else {
      return Usage();
    }
  }
  if (rows < 0 || out_path.empty() || bad_every < 0) return Usage();
  std::FILE* out = std::fopen(out_path.c_str(), "wb");
  if (!out) {
    std::fprintf(stderr, "vigil-gen-events: cannot write %s: %s\n", out_path.c_str(), std::strerror(errno));
    return 1;
  }

  Rng rng(static_cast<std::uint64_t>(seed));
  const auto& mix = Mix();
  std::vector<double> cumulative;
  double total = 0;
  for (const auto& c : mix) cumulative.push_back(total += c.weight);

  std::string buf;
  buf.reserve(1 << 22);
  buf += kHeader;
  long long bad_rows = 0, bytes = 0;
  const int kFirstDay = 7305;   // 1990-01-01
  const int kLastDay = 19722;   // 2023-12-31
  std::string row, article, headline, where;
  for (long long r = 1; r <= rows; ++r) {
    double pick = rng.Uniform() * total;
    std::size_t ci = 0;
    while (ci + 1 < mix.size() && cumulative[ci] < pick) ++ci;
    const CountryMix& c = mix[ci];
    double u = rng.Uniform();
    int type = u < 0.45 ? 1 : u < 0.65 ? 2 : 3;
    std::string side_a, side_b;
    int side_a_id = 100 + static_cast<int>(ci) * 10, side_b_id;
    if (type == 1) {
      side_a = c.government;
      side_b = rng.Pick(c.groups);
      side_b_id = 5000 + static_cast<int>(ci) * 10 + rng.Int(5);
    } else if (type == 2) {
      int a = rng.Int(static_cast<int>(c.groups.size()));
      int b = (a + 1 + rng.Int(static_cast<int>(c.groups.size()) - 1)) % static_cast<int>(c.groups.size());
      if (c.groups.size() == 1) b = a;
      side_a = c.groups[static_cast<std::size_t>(a)];
      side_b = c.groups[static_cast<std::size_t>(b)];
      side_a_id = 5000 + static_cast<int>(ci) * 10 + a;
      side_b_id = 5000 + static_cast<int>(ci) * 10 + b;
    } else {
      side_a = rng.Uniform() < 0.3 ? c.government : rng.Pick(c.groups);
      side_b = "Civilians";
      side_b_id = 1;
    }
    const int conflict_id = 200 + static_cast<int>(ci) * 7 + type;
    const int dyad_id = 700 + static_cast<int>(ci) * 31 + side_b_id % 97;
    int day0 = kFirstDay + rng.Int(kLastDay - kFirstDay);
    int date_prec = rng.Uniform() < 0.8 ? 1 : 1 + rng.Int(5);
    int span = date_prec == 1 ? 0 : date_prec == 2 ? 1 + rng.Int(5) : date_prec == 3 ? 7 : date_prec == 4 ? 20 : 60;
    int day1 = std::min(day0 + span, kLastDay);
    int y0, m0, d0, y1, m1, d1;
    Civil(day0, &y0, &m0, &d0);
    Civil(day1, &y1, &m1, &d1);
    double lat = c.lat0 + rng.Uniform() * (c.lat1 - c.lat0);
    double lon = c.lon0 + rng.Uniform() * (c.lon1 - c.lon0);
    lat = std::round(lat * 1e6) / 1e6;
    lon = std::round(lon * 1e6) / 1e6;
    int gid = static_cast<int>(std::floor((lat + 90) / 0.5)) * 720 + static_cast<int>(std::floor((lon + 180) / 0.5)) + 1;
    // Heavy-tailed deaths: Pareto(alpha 1.1) with a share of zero-death events.
    int best = rng.Uniform() < 0.12 ? 0 : std::min(20000, static_cast<int>(std::floor(std::pow(rng.Uniform() + 1e-9, -1 / 1.1))));
    int low = best - static_cast<int>(best * 0.3 * rng.Uniform());
    int high = best + static_cast<int>(best * rng.Uniform()) + (rng.Uniform() < 0.2 ? 2 : 0);
    int civ = 0, da = 0, db = 0;
    if (type == 3) {
      civ = best;
    } else {
      civ = rng.Uniform() < 0.15 ? static_cast<int>(best * 0.3 * rng.Uniform()) : 0;
      da = static_cast<int>((best - civ) * 0.4 * rng.Uniform());
      db = static_cast<int>((best - civ - da) * rng.Uniform());
    }
    int unknown = best - civ - da - db;
    int nsrc = rng.Uniform() < 0.3 ? -1 : 1 + rng.Int(5);
    const std::string adm1 = rng.Pick(c.adm1);
    const std::string place = std::string(rng.Pick(Words())) + "a " + rng.Pick(Words()) + "i";

    // Source fields: "Outlet,date,Headline" entries separated by ';', the
    // headline quoted with doubled quotes; some contain a line break.
    int narticles = nsrc < 2 ? 1 : 1 + (nsrc > 3);  // GED rows cite one or two articles in full
    article.clear();
    std::string offices, dates, headlines;
    for (int a = 0; a < narticles; ++a) {
      const char* outlet = rng.Pick(Outlets());
      headline = Sentence(rng, 4 + rng.Int(6));
      if (rng.Uniform() < 0.2) headline += ": \"" + Sentence(rng, 3) + "\"";
      if (a) {
        article += ";";
        offices += ";";
        dates += ";";
        headlines += ";";
      }
      article += fmt::format("\"{},{:04d}-{:02d}-{:02d},{}\"", outlet, y1, m1, d1, headline);
      if (rng.Uniform() < 0.05) article += "\n" + Sentence(rng, 4);
      offices += outlet;
      dates += fmt::format("{:04d}-{:02d}-{:02d}", y1, m1, d1);
      headlines += headline;
    }
    where = fmt::format("{} {} ({} km {} of {})", place, rng.Uniform() < 0.5 ? "village" : "town",
                        1 + rng.Int(40), rng.Uniform() < 0.5 ? "north" : "south-east", adm1);
    if (rng.Uniform() < 0.03) where += "\nlocation approximate";

    auto date = [&](int y, int m, int d, int form) {
      switch (form) {
        case 0: return fmt::format("{:04d}-{:02d}-{:02d}", y, m, d);
        case 1: return fmt::format("{:04d}-{:02d}-{:02d} 00:00:00.000", y, m, d);
        default: return fmt::format("{:04d}-{:02d}-{:02d}T00:00:00", y, m, d);
      }
    };
    int form = rng.Int(3);
    std::string id = std::to_string(r);
    std::string s_date_start = date(y0, m0, d0, form), s_date_end = date(y1, m1, d1, form);
    std::string s_lat = fmt::format("{}", lat), s_country_id = std::to_string(c.gw);
    std::string s_type = std::to_string(type), s_best = std::to_string(best), s_low = std::to_string(low),
                s_high = std::to_string(high), s_civ = std::to_string(civ);
    std::string country_name = c.name;
    bool drop_column = false, stray_quote = false;
    if (bad_every > 0 && r % bad_every == 0) {
      ++bad_rows;
      switch ((r / bad_every - 1) % 13) {
        case 0: drop_column = true; break;
        case 1: stray_quote = true; break;
        case 2: side_a += "\xFF"; break;
        case 3: s_date_start = fmt::format("{:04d}-02-30", y0); break;
        case 4: s_date_end = date(y0 - 1, m0, 1, form); break;
        case 5: s_lat = "95.5"; break;
        case 6: s_civ = "-3"; break;
        case 7: s_best = "2.5"; break;
        case 8: s_best = std::to_string(best + 5); break;  // not the sum of its parts
        case 9: s_civ.clear(); break;                        // missing deaths
        case 10: s_country_id = "999", country_name = "Narnia"; break;
        case 11: s_type = "4"; break;
        case 12: id.clear(); break;
      }
    }

    std::string conflict_name = type == 1 ? std::string(c.name) + ": Government" : side_a + " - " + side_b;
    row.clear();
    row += id;
    row += fmt::format(",\"{}-{}-{}-{}-{}.{}\",{},{},\"Clear\",{},{},{},", c.code, y0, type, dyad_id, r % 997,
                       r % 20, y0, r % 10 ? 1 : 0, s_type, conflict_id, conflict_id);
    PutQuoted(row, conflict_name);
    row += fmt::format(",{},{},", dyad_id, dyad_id);
    PutQuoted(row, side_a + " - " + side_b);
    row += fmt::format(",{},{},", side_a_id, side_a_id);
    PutQuoted(row, side_a);
    row += fmt::format(",{},{},", side_b_id, side_b_id);
    PutQuoted(row, side_b);
    row += fmt::format(",{},", nsrc);
    PutQuoted(row, article);
    row += ',';
    PutQuoted(row, offices);
    row += ',';
    PutQuoted(row, dates);
    row += ',';
    PutQuoted(row, headlines);
    row += ',';
    PutQuoted(row, r % 2 ? "Ministry of Defence" : "local sources");
    row += fmt::format(",{},", 1 + r % 6);
    if (stray_quote) {
      row += place + " \"village";
    } else {
      PutQuoted(row, place + " village");
    }
    row += ',';
    PutQuoted(row, where);
    row += ',';
    PutQuoted(row, adm1);
    row += ",";
    if (r % 2) PutQuoted(row, std::string(Words()[static_cast<std::size_t>(r % 24)]) + " district");
    row += fmt::format(",{},{},\"POINT ({} {})\",{},", s_lat, lon, lon, lat, gid);
    PutQuoted(row, country_name);
    row += fmt::format(",{},\"{}\",{},{},{},{},{},{},{},{},{},{},{},{},", s_country_id, c.region, 1 + r % 2,
                       date_prec, s_date_start, s_date_end, da, db, s_civ, unknown, s_best, s_high, s_low, c.gw);
    if (drop_column) row.pop_back();  // 48 columns: the trailing empty gwnob is gone
    row += '\n';
    buf += row;
    if (buf.size() > (1 << 22) - 4096) {
      bytes += static_cast<long long>(buf.size());
      if (std::fwrite(buf.data(), 1, buf.size(), out) != buf.size()) {
        std::fprintf(stderr, "vigil-gen-events: write failed: %s\n", std::strerror(errno));
        return 1;
      }
      buf.clear();
    }
  }
  bytes += static_cast<long long>(buf.size());
  if (std::fwrite(buf.data(), 1, buf.size(), out) != buf.size() || std::fclose(out) != 0) {
    std::fprintf(stderr, "vigil-gen-events: write failed: %s\n", std::strerror(errno));
    return 1;
  }
  std::printf("{\"rows\": %lld, \"bad_rows\": %lld, \"bytes\": %lld}\n", rows, bad_rows, bytes);
  return 0;
}
