#include "data/event_formats.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <set>

#include "core/embedded.h"
#include "data/countries.h"
#include "data/csv.h"

namespace vigil::data {
namespace {

using ::testing::HasSubstr;
using Kind = EventFileReader::Kind;

const std::string kShared = VIGIL_SHARED_DATA;

std::string WriteFile(const std::string& name, const std::string& content) {
  std::string path = ::testing::TempDir() + "/vigil_events_" + name;
  std::ofstream(path, std::ios::binary) << content;
  return path;
}

struct ReadResult {
  std::vector<Event> events;
  std::vector<std::size_t> lines;
  std::vector<RejectedRow> rejected;
};

ReadResult ReadAll(const std::string& path, EventFormat format) {
  ReadResult out;
  auto reader = EventFileReader::Open(path, format, Countries());
  EXPECT_TRUE(reader.ok()) << reader.status().message();
  if (!reader.ok()) return out;
  Event e;
  RejectedRow r;
  std::size_t line = 0;
  while (true) {
    auto kind = (*reader)->Next(&e, &line, &r);
    EXPECT_TRUE(kind.ok()) << kind.status().message();
    if (!kind.ok() || *kind == Kind::kEnd) break;
    if (*kind == Kind::kEvent) {
      out.events.push_back(e);
      out.lines.push_back(line);
    } else {
      out.rejected.push_back(r);
    }
  }
  EXPECT_EQ((*reader)->bytes_read(), (*reader)->file_size());
  return out;
}

// file's priogrid_gid by id, read independently of the event reader
std::map<std::string, int> PrioGridIds(const std::string& path) {
  std::map<std::string, int> out;
  auto reader = CsvReader::Open(path);
  CsvRecord rec;
  EXPECT_TRUE(*(*reader)->Next(&rec));
  std::size_t id_col = 0, gid_col = 0;
  for (std::size_t i = 0; i < rec.fields.size(); ++i) {
    if (rec.fields[i] == "id") id_col = i;
    if (rec.fields[i] == "priogrid_gid") gid_col = i;
  }
  while (*(*reader)->Next(&rec)) out[rec.fields[id_col]] = std::stoi(rec.fields[gid_col]);
  return out;
}

const Event* Find(const ReadResult& r, const std::string& id) {
  for (const Event& e : r.events) {
    if (e.event_id == id) return &e;
  }
  return nullptr;
}

// ---- Real UCDP GED files -------------------------------------------------------------

TEST(GedReaderTest, RealCentralAfricanRepublicFile) {
  const std::string path = kShared + "/ucdp/GEDEvent_v23_1_CAF.csv";
  if (!std::filesystem::exists(path)) GTEST_SKIP() << "shared data not found: " << path;
  ReadResult r = ReadAll(path, EventFormat::kGed);
  EXPECT_TRUE(r.rejected.empty()) << r.rejected.front().reason;
  ASSERT_EQ(r.events.size(), 1848u);
  std::size_t one_sided = 0;
  auto gids = PrioGridIds(path);
  for (const Event& e : r.events) {
    one_sided += e.violence == Violence::kOneSided;
    EXPECT_EQ(e.gw, 482);
    EXPECT_EQ(e.cell, gids.at(e.event_id)) << e.event_id;
    EXPECT_EQ(e.cell, PrioGridCell(e.latitude, e.longitude));
    EXPECT_EQ(e.civilian_targeting, e.violence == Violence::kOneSided);
  }
  EXPECT_EQ(one_sided, 1076u);  // as the data README says

  const Event* e = Find(r, "36210");
  ASSERT_NE(e, nullptr);
  EXPECT_EQ(r.lines[static_cast<std::size_t>(e - r.events.data())], 2u);
  EXPECT_EQ(e->source, "ged");
  EXPECT_EQ(e->violence, Violence::kStateBased);
  EXPECT_EQ(e->actor1, "Government of Uganda");
  EXPECT_EQ(e->actor2, "LRA");
  EXPECT_EQ(FormatDate(e->date_start), "2009-02-20");  // ISO T form
  EXPECT_EQ(e->date_end, e->date_start);
  EXPECT_EQ(e->geo_precision, 5);
  EXPECT_EQ(e->location, "Central African Republic remote southeast");
  EXPECT_DOUBLE_EQ(e->latitude, 5.399784);
  EXPECT_DOUBLE_EQ(e->longitude, 26.486881);
  EXPECT_EQ(e->cell, 137213);
  EXPECT_EQ(e->deaths_best, 3);
  EXPECT_EQ(e->sources, 0);  // GED's -1: unknown
  EXPECT_EQ(e->country, "Central African Republic");

  // Records after ones with embedded line breaks keep their file line.
  const Event* later = Find(r, "22829");
  ASSERT_NE(later, nullptr);
  EXPECT_EQ(r.lines[static_cast<std::size_t>(later - r.events.data())], 48u);
  const Event* multi = Find(r, "149666");
  ASSERT_NE(multi, nullptr);
  EXPECT_EQ(multi->deaths_best, 3);
  EXPECT_THAT(multi->notes, HasSubstr("Clashes between Uganda army"));
}

TEST(GedReaderTest, RealWorldwideSample) {
  const std::string path = kShared + "/ucdp/GEDEvent_v23_1_sample1000.csv";
  if (!std::filesystem::exists(path)) GTEST_SKIP() << "shared data not found: " << path;
  ReadResult r = ReadAll(path, EventFormat::kGed);
  EXPECT_TRUE(r.rejected.empty()) << r.rejected.front().reason;
  ASSERT_EQ(r.events.size(), 1000u);
  auto gids = PrioGridIds(path);
  std::set<int> states;
  for (const Event& e : r.events) {
    EXPECT_EQ(e.cell, gids.at(e.event_id)) << e.event_id;
    states.insert(e.gw);
    EXPECT_LE(e.notes.size(), 300u);
  }
  EXPECT_EQ(states.size(), 59u);  // the 59 UCDP countries of the sample, each its own state
  EXPECT_TRUE(states.count(340)) << "UCDP's 'Serbia (Yugoslavia)' 345 is Serbia";

  const Event* e = Find(r, "300380");
  ASSERT_NE(e, nullptr);
  EXPECT_EQ(e->gw, 652);
  EXPECT_EQ(FormatDate(e->date_start), "2013-01-03");
  EXPECT_EQ(e->actor1, "Government of Syria");
  EXPECT_EQ(e->actor2, "Syrian insurgents");
  EXPECT_EQ(e->admin1, "Idlib governorate");
  EXPECT_EQ(e->admin2, "Ariha district");
  EXPECT_EQ(e->location, "in the al-Rami village");
  EXPECT_EQ(e->geo_precision, 1);
  EXPECT_EQ(e->sources, 2);
  EXPECT_EQ(e->deaths_best, 2);
  EXPECT_EQ(e->cell, 181154);
  EXPECT_EQ(e->notes, "Thursday 3 January 2013;Abdul Satar Mustafa Hankosh");

  const Event* angola = Find(r, "21300");
  ASSERT_NE(angola, nullptr);
  EXPECT_EQ(FormatDate(angola->date_start), "1989-05-10");
  EXPECT_EQ(FormatDate(angola->date_end), "1989-05-16");
  EXPECT_EQ(angola->date_precision, 3);
  EXPECT_EQ(angola->deaths_high, 14);
  EXPECT_EQ(angola->gw, 540);
}

// ---- Bad GED input (hand-written rows in GED's layout) -----------------------------

const char* const kGedColumns[] = {
    "id", "relid", "year", "active_year", "code_status", "type_of_violence", "conflict_dset_id",
    "conflict_new_id", "conflict_name", "dyad_dset_id", "dyad_new_id", "dyad_name", "side_a_dset_id",
    "side_a_new_id", "side_a", "side_b_dset_id", "side_b_new_id", "side_b", "number_of_sources",
    "source_article", "source_office", "source_date", "source_headline", "source_original", "where_prec",
    "where_coordinates", "where_description", "adm_1", "adm_2", "latitude", "longitude", "geom_wkt",
    "priogrid_gid", "country", "country_id", "region", "event_clarity", "date_prec", "date_start",
    "date_end", "deaths_a", "deaths_b", "deaths_civilians", "deaths_unknown", "best", "high", "low",
    "gwnoa", "gwnob"};

std::string GedHeader() {
  std::string h;
  for (const char* c : kGedColumns) h += std::string(h.empty() ? "" : ",") + "\"" + c + "\"";
  return h + "\n";
}

// One valid GED row (an invented event) with some columns replaced; values
// are written quoted unless they start with '!', which is written as is.
std::string GedRow(const std::string& id, std::map<std::string, std::string> changes = {}) {
  std::map<std::string, std::string> v = {
      {"id", id}, {"relid", "TST-2020-3-1-" + id}, {"year", "2020"}, {"active_year", "1"},
      {"code_status", "Clear"}, {"type_of_violence", "3"}, {"conflict_dset_id", "1"},
      {"conflict_new_id", "1"}, {"conflict_name", "Group A - Civilians"}, {"dyad_dset_id", "1"},
      {"dyad_new_id", "1"}, {"dyad_name", "Group A - Civilians"}, {"side_a_dset_id", "1"},
      {"side_a_new_id", "1"}, {"side_a", "Group A"}, {"side_b_dset_id", "1"}, {"side_b_new_id", "1"},
      {"side_b", "Civilians"}, {"number_of_sources", "2"},
      {"source_article", "\"Outlet,2020-05-02,Villagers \"\"killed\"\"\"\nsecond line"},
      {"source_office", "Outlet"}, {"source_date", "2020-05-02"}, {"source_headline", "Villagers killed"},
      {"source_original", "witness"}, {"where_prec", "1"}, {"where_coordinates", "Village X"},
      {"where_description", "Village X, near the river"}, {"adm_1", "Ouaka prefecture"},
      {"adm_2", "Bambari"}, {"latitude", "5.75"}, {"longitude", "20.67"}, {"geom_wkt", "POINT (20.67 5.75)"},
      {"priogrid_gid", "138202"}, {"country", "Central African Republic"}, {"country_id", "482"},
      {"region", "Africa"}, {"event_clarity", "1"}, {"date_prec", "1"}, {"date_start", "2020-05-01"},
      {"date_end", "2020-05-01 00:00:00.000"}, {"deaths_a", "0"}, {"deaths_b", "0"},
      {"deaths_civilians", "4"}, {"deaths_unknown", "0"}, {"best", "4"}, {"high", "6"}, {"low", "3"},
      {"gwnoa", ""}, {"gwnob", ""}};
  for (auto& [k, val] : changes) v[k] = val;
  std::string row;
  for (const char* c : kGedColumns) {
    if (!row.empty()) row += ',';
    const std::string& x = v[c];
    if (!x.empty() && x[0] == '!') {
      row += x.substr(1);
    } else {
      row += '"';
      for (char ch : x) row += ch == '"' ? std::string("\"\"") : std::string(1, ch);
      row += '"';
    }
  }
  return row + "\n";
}

TEST(GedReaderTest, ValidRowMapsEveryField) {
  ReadResult r = ReadAll(WriteFile("valid.csv", GedHeader() + GedRow("7")), EventFormat::kGed);
  ASSERT_EQ(r.events.size(), 1u);
  const Event& e = r.events[0];
  EXPECT_EQ(e.event_id, "7");
  EXPECT_EQ(e.violence, Violence::kOneSided);
  EXPECT_TRUE(e.civilian_targeting);
  EXPECT_EQ(e.event_type, "3");
  EXPECT_EQ(e.gw, 482);
  EXPECT_EQ(e.deaths_low, 3);
  EXPECT_EQ(e.deaths_best, 4);
  EXPECT_EQ(e.deaths_high, 6);
  EXPECT_EQ(e.deaths_civilians, 4);
  EXPECT_EQ(e.sources, 2);
  EXPECT_EQ(e.cell, PrioGridCell(5.75, 20.67));
  EXPECT_EQ(e.date_end, e.date_start);
  EXPECT_EQ(e.date_precision, 1);
  EXPECT_EQ(e.admin1, "Ouaka prefecture");
}

TEST(GedReaderTest, LowAndHighAreKeptAsPublishedWhenTheyDoNotBracketBest) {
  // As in about 1% of real GED 23.1 events (e.g. CAF 30272: low 8, best 8, high 4).
  ReadResult r = ReadAll(WriteFile("bounds.csv", GedHeader() + GedRow("8", {{"low", "5"}, {"high", "2"}})),
                         EventFormat::kGed);
  ASSERT_EQ(r.events.size(), 1u);
  EXPECT_EQ(r.events[0].deaths_low, 5);
  EXPECT_EQ(r.events[0].deaths_best, 4);
  EXPECT_EQ(r.events[0].deaths_high, 2);
}

TEST(GedReaderTest, EveryKindOfBadRowIsRejectedAndReadingGoesOn) {
  struct Case {
    std::map<std::string, std::string> change;
    std::string field;
    std::string reason;
  };
  const std::vector<Case> cases = {
      {{{"side_a", "Group \xFF"}}, "side_a", "not UTF-8"},
      {{{"date_start", "2020-02-30"}}, "date_start", "impossible date"},
      {{{"date_end", "2020-04-30"}}, "date_end", "end before start"},
      {{{"latitude", "95.5"}}, "latitude", "out of range"},
      {{{"longitude", "east"}}, "longitude", "not a number"},
      {{{"deaths_civilians", "-3"}}, "deaths_civilians", "negative deaths"},
      {{{"best", "2.5"}}, "best", "not a whole number"},
      {{{"best", "5"}}, "best", "is not the sum of deaths_a"},
      {{{"deaths_unknown", "1"}}, "best", "is not the sum of deaths_a"},
      {{{"deaths_b", ""}}, "deaths_b", "missing deaths"},
      {{{"country_id", "999"}, {"country", "Narnia"}}, "country_id", "unknown country"},
      {{{"country_id", "482"}, {"country", "Chad"}}, "country_id", "unknown country"},
      {{{"type_of_violence", "4"}}, "type_of_violence", "unknown violence type"},
      {{{"id", ""}}, "id", "empty id"},
  };
  std::string text = GedHeader();
  for (std::size_t i = 0; i < cases.size(); ++i) {
    text += GedRow(std::to_string(1000 + i), cases[i].change);
    text += GedRow(std::to_string(2000 + i));
  }
  // whole-record problems: a missing column, a stray quote
  std::string short_row = GedRow("3001");
  short_row.erase(short_row.rfind(','));
  text += short_row + "\n" + GedRow("3002");
  std::string quote_row = GedRow("3003", {{"where_coordinates", "!Village \"X"}});
  text += quote_row + GedRow("3004");
  ReadResult r = ReadAll(WriteFile("bad.csv", text), EventFormat::kGed);

  ASSERT_EQ(r.rejected.size(), cases.size() + 2);
  ASSERT_EQ(r.events.size(), cases.size() + 2);
  for (std::size_t i = 0; i < cases.size(); ++i) {
    EXPECT_EQ(r.rejected[i].field, cases[i].field) << i;
    EXPECT_THAT(r.rejected[i].reason, HasSubstr(cases[i].reason)) << i;
    EXPECT_EQ(r.events[i].event_id, std::to_string(2000 + i));
    // each row spans 2 lines (the embedded line break in source_article)
    EXPECT_EQ(r.rejected[i].line, 2 + 4 * i) << i;
    EXPECT_EQ(r.rejected[i].end_line, 3 + 4 * i) << i;
    EXPECT_THAT(r.rejected[i].raw, HasSubstr("TST-2020-3-1-" + std::to_string(1000 + i) + "\""));
    EXPECT_EQ(r.rejected[i].raw.back(), '"');  // without the final line break
  }
  const RejectedRow& column_count = r.rejected[cases.size()];
  EXPECT_EQ(column_count.field, "");
  EXPECT_THAT(column_count.reason, HasSubstr("expected 49 columns as in the header, found 48"));
  const RejectedRow& quote = r.rejected[cases.size() + 1];
  EXPECT_EQ(quote.field, "");
  EXPECT_THAT(quote.reason, HasSubstr("stray quote in field 26"));
  EXPECT_EQ(quote.path, ::testing::TempDir() + "/vigil_events_bad.csv");
  EXPECT_EQ(r.events.back().event_id, "3004");

  // A rejected row, corrected, parses with the file's header.
  std::vector<std::string> header(std::begin(kGedColumns), std::end(kGedColumns));
  std::string fixed = r.rejected[5].raw;
  fixed.replace(fixed.find("\"-3\""), 4, "\"4\"");
  auto e = ParseEventRecord(EventFormat::kGed, header, fixed, Countries());
  ASSERT_TRUE(e.ok()) << e.status().message();
  EXPECT_EQ(e->event_id, "1005");
  EXPECT_EQ(e->deaths_civilians, 4);
  auto again = ParseEventRecord(EventFormat::kGed, header, r.rejected[5].raw, Countries());
  ASSERT_FALSE(again.ok());
  EXPECT_THAT(again.status().message(), HasSubstr("negative deaths"));
}

TEST(GedReaderTest, TruncatedFileRejectsOnlyTheCutRecord) {
  std::string good = GedRow("1");
  std::string cut = GedRow("2");
  cut.resize(cut.find("second line"));  // ends inside the quoted source_article
  ReadResult r = ReadAll(WriteFile("truncated.csv", GedHeader() + good + cut), EventFormat::kGed);
  ASSERT_EQ(r.events.size(), 1u);
  ASSERT_EQ(r.rejected.size(), 1u);
  EXPECT_THAT(r.rejected[0].reason, HasSubstr("unterminated quoted field"));
  EXPECT_EQ(r.rejected[0].line, 4u);
}

TEST(GedReaderTest, ColumnsInAnyOrderAndBlankLines) {
  const std::string text =
      "best,low,high,deaths_civilians,id,type_of_violence,side_a,side_b,country,country_id,latitude,"
      "longitude,date_start,date_end\n"
      "10,8,12,0,1,1,Government of Mali,JNIM,Mali,432,14.5,-4.2,2021-03-04,2021-03-05\n"
      "\n"
      "2,2,2,0,2,2,JNIM,IS Sahel,Mali,432,,,2021-03-06,2021-03-06\n";
  ReadResult r = ReadAll(WriteFile("order.csv", text), EventFormat::kGed);
  ASSERT_TRUE(r.rejected.empty());
  ASSERT_EQ(r.events.size(), 2u);
  EXPECT_EQ(r.events[0].violence, Violence::kStateBased);
  EXPECT_EQ(r.events[0].deaths_high, 12);
  EXPECT_EQ(r.events[1].violence, Violence::kNonState);
  EXPECT_TRUE(std::isnan(r.events[1].latitude));
  EXPECT_EQ(r.events[1].cell, 0);
  EXPECT_EQ(r.lines[1], 4u);
}

TEST(EventReaderTest, WrongFormatIsOneError) {
  // A GDELT export read as GED: its first line is no GED header.
  std::string gdelt_line;
  for (int i = 0; i < 61; ++i) gdelt_line += (i ? "\t" : "") + std::to_string(i);
  std::string gdelt = WriteFile("gdelt_as_ged.csv", gdelt_line + "\n" + gdelt_line + "\n");
  auto r = EventFileReader::Open(gdelt, EventFormat::kGed, Countries());
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Status::Code::kInvalidArgument);
  EXPECT_THAT(r.status().message(), HasSubstr(gdelt));
  EXPECT_THAT(r.status().message(), HasSubstr("not a UCDP GED CSV file"));
  EXPECT_THAT(r.status().message(), HasSubstr("'type_of_violence'"));

  // A GED file read as ACLED, as GDELT, as JSON lines.
  std::string ged = WriteFile("ged.csv", GedHeader() + GedRow("1"));
  auto acled = EventFileReader::Open(ged, EventFormat::kAcled, Countries());
  ASSERT_FALSE(acled.ok());
  EXPECT_THAT(acled.status().message(), HasSubstr("not an ACLED CSV file"));
  EXPECT_THAT(acled.status().message(), HasSubstr("'event_id_cnty'"));
  auto as_gdelt = EventFileReader::Open(ged, EventFormat::kGdelt, Countries());
  ASSERT_FALSE(as_gdelt.ok());
  EXPECT_THAT(as_gdelt.status().message(), HasSubstr("not a GDELT 2.0 event export"));
  EXPECT_THAT(as_gdelt.status().message(), HasSubstr("1 tab-separated columns, not 61"));
  auto as_jsonl = EventFileReader::Open(ged, EventFormat::kJsonl, Countries());
  ASSERT_FALSE(as_jsonl.ok());
  EXPECT_THAT(as_jsonl.status().message(), HasSubstr("not a vigil JSON-lines file"));

  auto empty = EventFileReader::Open(WriteFile("empty.csv", ""), EventFormat::kGed, Countries());
  ASSERT_FALSE(empty.ok());
  EXPECT_THAT(empty.status().message(), HasSubstr("empty file"));
  auto missing = EventFileReader::Open("/nonexistent/ged.csv", EventFormat::kGed, Countries());
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.status().code(), Status::Code::kNotFound);
  // A header only: a valid file without events.
  ReadResult header_only = ReadAll(WriteFile("header.csv", GedHeader()), EventFormat::kGed);
  EXPECT_TRUE(header_only.events.empty() && header_only.rejected.empty());
}

TEST(EventReaderTest, FormatNames) {
  for (auto f : {EventFormat::kGed, EventFormat::kAcled, EventFormat::kGdelt, EventFormat::kJsonl}) {
    EXPECT_EQ(*ParseEventFormat(EventFormatName(f)), f);
  }
  EXPECT_FALSE(ParseEventFormat("xlsx").ok());
}

// ---- ACLED (hand-written rows in ACLED's public export layout, not real events) -----

TEST(AcledReaderTest, MapsEventTypesCountriesAndDeaths) {
  const std::string text =
      "event_id_cnty,event_date,year,time_precision,disorder_type,event_type,sub_event_type,actor1,"
      "assoc_actor_1,inter1,actor2,assoc_actor_2,inter2,interaction,civilian_targeting,iso,region,country,"
      "admin1,admin2,admin3,location,latitude,longitude,geo_precision,source,source_scale,notes,fatalities,"
      "tags,timestamp\n"
      // violence against civilians: one-sided, deaths are civilian
      "TST1,2023-01-15,2023,1,Political violence,Violence against civilians,Attack,Militia X,,Identity militia,"
      "Civilians (Test),,Civilians,Identity militia-Civilians,Civilian targeting,566,Western Africa,Nigeria,"
      "Benue,Guma,,Yelwata,7.95,8.51,1,Source A; Source B,National,\"Hand-written test row, \"\"not\"\" real.\","
      "5,,1700000000\n"
      // battle with state forces (text inter codes): state-based
      "TST2,2023-01-16,2023,2,Political violence,Battles,Armed clash,Military Forces of Mali (2021-),,State forces,"
      "JNIM,,Rebel group,State forces-Rebel group,,466,Western Africa,Mali,Mopti,Djenne,,Djenne,13.9,-4.55,2,"
      "Source C,Regional,Test row.,12,,1700000000\n"
      // battle between militias (numeric inter codes of older exports): non-state
      "TST3,2023-01-17,2023,1,Political violence,Battles,Armed clash,Militia X,,4,Militia Y,,4,44,,566,"
      "Western Africa,Nigeria,Plateau,Bokkos,,Bokkos,9.3,9.0,1,Source D,Local,Test row.,3,,1700000000\n"
      // explosion with civilian targeting: one-sided; without: by inter codes
      "TST4,2023-01-18,2023,1,Political violence,Explosions/Remote violence,Remote explosive/landmine/IED,"
      "Militia X,,4,Civilians (Test),,7,47,Civilian targeting,566,Western Africa,Nigeria,Borno,Gwoza,,Gwoza,"
      "11.08,13.69,1,Source E,National,Test row.,2,,1700000000\n"
      "TST5,2023-01-19,2023,1,Political violence,Explosions/Remote violence,Air/drone strike,"
      "Military Forces of Nigeria (2015-2023),,1,Militia X,,4,14,,566,Western Africa,Nigeria,Borno,Gwoza,,"
      "Gwoza,11.08,13.69,1,Source F,National,Test row.,9,,1700000000\n"
      // protests and riots: unrest; strategic developments: unknown
      "TST6,19 January 2023,2023,1,Demonstrations,Protests,Peaceful protest,Protesters (Kenya),,Protesters,,,,"
      "60,,404,Eastern Africa,Kenya,Nairobi,Nairobi,,Nairobi,-1.28,36.82,1,Source G,National,Test row.,0,,"
      "1700000000\n"
      "TST7,2023-01-20,2023,1,Strategic developments,Strategic developments,Looting/property destruction,"
      "Militia X,,4,,,,40,,404,Eastern Africa,Kenya,Nairobi,Nairobi,,Nairobi,-1.28,36.82,1,Source H,"
      "National,Test row.,0,,1700000000\n"
      // country by name when iso is absent; then bad rows
      "TST8,2023-01-21,2023,1,Demonstrations,Riots,Mob violence,Rioters (Kenya),,Rioters,,,,50,,,"
      "Eastern Africa,Kenya,Nairobi,Nairobi,,Nairobi,-1.28,36.82,1,Source I,National,Test row.,1,,1700000000\n"
      "TST9,2023-01-22,2023,1,Political violence,Battles,Armed clash,A,,4,B,,4,44,,999,Nowhere,Narnia,"
      "X,Y,,Z,1,1,1,S,National,Test row.,1,,1700000000\n"
      "TST10,2023-01-23,2023,1,Political violence,Sieges,Siege,A,,4,B,,4,44,,404,Eastern Africa,Kenya,"
      "X,Y,,Z,1,1,1,S,National,Test row.,1,,1700000000\n"
      "TST11,2023-01-24,2023,1,Political violence,Battles,Armed clash,A,,4,B,,4,44,,404,Eastern Africa,Kenya,"
      "X,Y,,Z,1,1,1,S,National,Test row.,-2,,1700000000\n"
      "TST12,2023-01-25,2023,1,Political violence,Battles,Armed clash,A,,4,B,,4,44,,404,Eastern Africa,Mali,"
      "X,Y,,Z,1,1,1,S,National,Test row.,1,,1700000000\n";
  ReadResult r = ReadAll(WriteFile("acled.csv", text), EventFormat::kAcled);
  ASSERT_EQ(r.events.size(), 8u);
  ASSERT_EQ(r.rejected.size(), 4u);
  const auto& e = r.events;
  EXPECT_EQ(e[0].source, "acled");
  EXPECT_EQ(e[0].event_id, "TST1");
  EXPECT_EQ(e[0].violence, Violence::kOneSided);
  EXPECT_TRUE(e[0].civilian_targeting);
  EXPECT_EQ(e[0].deaths_civilians, 5);
  EXPECT_EQ(e[0].deaths_best, 5);
  EXPECT_EQ(e[0].deaths_low, 5);
  EXPECT_EQ(e[0].gw, 475);
  EXPECT_EQ(e[0].sources, 2);
  EXPECT_EQ(e[0].notes, "Hand-written test row, \"not\" real.");
  EXPECT_EQ(e[0].admin1, "Benue");
  EXPECT_EQ(e[0].location, "Yelwata");
  EXPECT_EQ(e[0].cell, PrioGridCell(7.95, 8.51));
  EXPECT_EQ(e[0].event_type, "Violence against civilians");
  EXPECT_EQ(e[0].sub_event_type, "Attack");
  EXPECT_EQ(e[1].violence, Violence::kStateBased);
  EXPECT_EQ(e[1].gw, 432);
  EXPECT_EQ(e[1].date_precision, 3);  // ACLED week -> GED's 3
  EXPECT_EQ(e[1].deaths_civilians, 0);
  EXPECT_EQ(e[2].violence, Violence::kNonState);
  EXPECT_EQ(e[3].violence, Violence::kOneSided);
  EXPECT_EQ(e[3].deaths_civilians, 2);
  EXPECT_EQ(e[4].violence, Violence::kStateBased);
  EXPECT_FALSE(e[4].civilian_targeting);
  EXPECT_EQ(e[5].violence, Violence::kUnrest);
  EXPECT_EQ(FormatDate(e[5].date_start), "2023-01-19");
  EXPECT_EQ(e[5].gw, 501);
  EXPECT_EQ(e[6].violence, Violence::kUnknown);
  EXPECT_EQ(e[7].violence, Violence::kUnrest);
  EXPECT_EQ(e[7].gw, 501);  // by name
  EXPECT_EQ(r.rejected[0].field, "country");
  EXPECT_THAT(r.rejected[0].reason, HasSubstr("unknown country"));
  EXPECT_EQ(r.rejected[1].field, "event_type");
  EXPECT_THAT(r.rejected[1].reason, HasSubstr("unknown violence type"));
  EXPECT_EQ(r.rejected[2].field, "fatalities");
  EXPECT_THAT(r.rejected[2].reason, HasSubstr("negative deaths"));
  EXPECT_EQ(r.rejected[3].field, "country");
  EXPECT_THAT(r.rejected[3].reason, HasSubstr("does not match 'iso'"));
}

TEST(AcledReaderTest, OlderExportWithoutOptionalColumns) {
  // hand-written, in the column subset of older ACLED exports
  const std::string text =
      "event_id_cnty,event_date,event_type,actor1,actor2,country,admin1,location,latitude,longitude,"
      "fatalities,notes\n"
      "OLD1,03 February 2015,Violence against civilians,Militia Z,Civilians,Central African Republic,"
      "Ouaka,Bambari,5.76,20.68,7,Hand-written test row.\n";
  ReadResult r = ReadAll(WriteFile("acled_old.csv", text), EventFormat::kAcled);
  ASSERT_EQ(r.events.size(), 1u);
  EXPECT_EQ(r.events[0].gw, 482);
  EXPECT_EQ(r.events[0].violence, Violence::kOneSided);
  EXPECT_EQ(r.events[0].deaths_civilians, 7);
  EXPECT_EQ(FormatDate(r.events[0].date_start), "2015-02-03");
}

// ---- GDELT (hand-written rows in the GDELT 2.0 event export layout, not real) ------

std::string GdeltRow(std::map<int, std::string> v) {
  std::vector<std::string> cols(61);
  cols[0] = "1001";
  cols[1] = "20230115";
  cols[2] = "202301";
  cols[3] = "2023";
  cols[4] = "2023.0384";
  cols[25] = "1";
  cols[26] = "190";
  cols[27] = "190";
  cols[28] = "19";
  cols[29] = "4";
  cols[30] = "-10.0";
  cols[31] = "6";
  cols[32] = "2";
  cols[33] = "6";
  cols[34] = "-7.5";
  cols[51] = "4";
  cols[52] = "Maiduguri, Borno, Nigeria";
  cols[53] = "NI";
  cols[54] = "NI02";
  cols[55] = "12345";
  cols[56] = "11.8464";
  cols[57] = "13.1603";
  cols[58] = "-2011905";
  cols[59] = "20230115123000";
  cols[60] = "https://example.org/news/\"quoted\"-story";
  for (auto& [k, x] : v) cols[static_cast<std::size_t>(k)] = x;
  std::string row;
  for (std::size_t i = 0; i < cols.size(); ++i) row += (i ? "\t" : "") + cols[i];
  return row + "\n";
}

TEST(GdeltReaderTest, MapsCameoRootsActorsAndFips) {
  std::string text =
      // 19 fight, a military actor: state-based
      GdeltRow({{0, "1"}, {5, "NGAMIL"}, {6, "NIGERIA"}, {12, "MIL"}, {15, "REB"}, {16, "INSURGENT"},
                {22, "REB"}}) +
      // 19 fight between rebels: non-state
      GdeltRow({{0, "2"}, {6, "MILITANT"}, {12, "REB"}, {15, "REB"}, {16, "REBEL"}, {22, "REB"}}) +
      // 18 assault on civilians: one-sided
      GdeltRow({{0, "3"}, {26, "186"}, {28, "18"}, {6, "GUNMAN"}, {15, "CVL"}, {16, "VILLAGER"}, {22, "CVL"}}) +
      // 20 mass violence with no target type and no GOV/MIL/REB code: one-sided
      GdeltRow({{0, "4"}, {26, "202"}, {28, "20"}, {15, ""}, {16, ""}}) +
      // 18 assault on the police: a state actor -> state-based
      GdeltRow({{0, "5"}, {26, "180"}, {28, "18"}, {15, "NGACOP"}, {16, "POLICE"}, {22, "COP"}}) +
      // 14 protest: unrest; 04 consult: unknown (kept: every GDELT event is stored)
      GdeltRow({{0, "6"}, {26, "141"}, {28, "14"}, {53, "IS"}, {52, "Jerusalem, Israel (general), Israel"},
                {56, "31.7667"}, {57, "35.2333"}}) +
      GdeltRow({{0, "7"}, {26, "040"}, {28, "04"}, {53, "WE"}, {56, ""}, {57, ""}}) +
      // no action location: the actors' countries decide
      GdeltRow({{0, "8"}, {53, ""}, {37, ""}, {7, "KEN"}, {56, ""}, {57, ""}}) +
      // bad rows: unknown FIPS code, impossible date, too few columns
      GdeltRow({{0, "9"}, {53, "XX"}}) + GdeltRow({{0, "10"}, {1, "20230230"}}) + "11\t20230101\tshort\n" +
      GdeltRow({{0, "12"}});
  ReadResult r = ReadAll(WriteFile("gdelt.export.CSV", text), EventFormat::kGdelt);
  ASSERT_EQ(r.events.size(), 9u);
  ASSERT_EQ(r.rejected.size(), 3u);
  const auto& e = r.events;
  EXPECT_EQ(e[0].source, "gdelt");
  EXPECT_EQ(e[0].event_id, "1");
  EXPECT_EQ(e[0].violence, Violence::kStateBased);
  EXPECT_EQ(e[0].gw, 475);
  EXPECT_EQ(e[0].country, "NI");
  EXPECT_EQ(e[0].actor1, "NIGERIA");
  EXPECT_EQ(e[0].actor2, "INSURGENT");
  EXPECT_EQ(e[0].event_type, "190");
  EXPECT_EQ(e[0].sub_event_type, "19");
  EXPECT_EQ(e[0].admin1, "NI02");
  EXPECT_EQ(e[0].location, "Maiduguri, Borno, Nigeria");
  EXPECT_EQ(e[0].cell, PrioGridCell(11.8464, 13.1603));
  EXPECT_EQ(e[0].geo_precision, 1);
  EXPECT_EQ(e[0].sources, 2);
  EXPECT_EQ(e[0].notes, "https://example.org/news/\"quoted\"-story");
  EXPECT_FALSE(e[0].has_deaths);
  EXPECT_EQ(e[0].deaths_best, 0);
  EXPECT_EQ(FormatDate(e[0].date_start), "2023-01-15");
  EXPECT_EQ(e[1].violence, Violence::kNonState);
  EXPECT_EQ(e[2].violence, Violence::kOneSided);
  EXPECT_TRUE(e[2].civilian_targeting);
  EXPECT_EQ(e[3].violence, Violence::kOneSided);
  EXPECT_EQ(e[4].violence, Violence::kStateBased);
  EXPECT_EQ(e[5].violence, Violence::kUnrest);
  EXPECT_EQ(e[5].gw, 666);
  EXPECT_EQ(e[6].violence, Violence::kUnknown);
  EXPECT_EQ(e[6].gw, 666);  // West Bank, filed under Israel as GED does
  EXPECT_EQ(e[6].cell, 0);
  EXPECT_EQ(e[7].gw, 501);
  EXPECT_EQ(e[8].event_id, "12");
  EXPECT_EQ(r.rejected[0].field, "ActionGeo_CountryCode");
  EXPECT_THAT(r.rejected[0].reason, HasSubstr("unknown country"));
  EXPECT_EQ(r.rejected[1].field, "SQLDATE");
  EXPECT_THAT(r.rejected[1].reason, HasSubstr("impossible date"));
  EXPECT_THAT(r.rejected[2].reason, HasSubstr("expected 61 columns, found 3"));
  EXPECT_EQ(r.rejected[2].line, 11u);
  EXPECT_EQ(r.rejected[2].raw, "11\t20230101\tshort");

  auto again = ParseEventRecord(EventFormat::kGdelt, {}, GdeltRow({{0, "77"}}), Countries());
  ASSERT_TRUE(again.ok()) << again.status().message();
  EXPECT_EQ(again->event_id, "77");
}

TEST(GdeltReaderTest, FirstRecordsWithoutSixtyOneColumnsAreOneError) {
  std::string v1;  // a GDELT 1.0 daily file has 57 columns
  for (int i = 0; i < 57; ++i) v1 += (i ? "\t" : "") + std::to_string(i);
  auto r = EventFileReader::Open(WriteFile("gdelt1.CSV", v1 + "\n" + v1 + "\n"), EventFormat::kGdelt,
                                 Countries());
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Status::Code::kInvalidArgument);
  EXPECT_THAT(r.status().message(), HasSubstr("57 tab-separated columns, not 61"));
  EXPECT_THAT(r.status().message(), HasSubstr("GDELT 1.0"));
}

// catalog/fips_countries.csv: every row names a state of countries.csv by its
// gw code and exact name; codes are well formed and unique.
TEST(FipsCatalogTest, RowsMatchTheCountryTable) {
  auto text = catalog::FindEmbedded("fips_countries.csv");
  ASSERT_TRUE(text.ok());
  auto reader = CsvReader::FromString(std::string(*text), "fips_countries.csv");
  CsvRecord rec;
  ASSERT_TRUE(*reader->Next(&rec));
  ASSERT_EQ(rec.fields, (std::vector<std::string>{"gw", "fips", "iso_numeric", "name", "note"}));
  std::set<std::string> fips;
  std::set<int> iso, states;
  std::size_t rows = 0;
  while (true) {
    auto got = reader->Next(&rec);
    ASSERT_TRUE(got.ok()) << got.status().message();
    if (!*got) break;
    ++rows;
    ASSERT_EQ(rec.fields.size(), 5u) << rec.line;
    const Country* c = Countries().ByGw(std::stoi(rec.fields[0]));
    ASSERT_NE(c, nullptr) << rec.line;
    EXPECT_EQ(c->name, rec.fields[3]) << rec.line;
    states.insert(c->gw);
    if (!rec.fields[1].empty()) {
      EXPECT_EQ(rec.fields[1].size(), 2u) << rec.line;
      EXPECT_TRUE(std::all_of(rec.fields[1].begin(), rec.fields[1].end(), ::isupper)) << rec.line;
      EXPECT_TRUE(fips.insert(rec.fields[1]).second) << "repeated FIPS code " << rec.fields[1];
    }
    if (!rec.fields[2].empty()) {
      int n = std::stoi(rec.fields[2]);
      EXPECT_TRUE(n > 0 && n < 1000) << rec.line;
      EXPECT_TRUE(iso.insert(n).second) << "repeated ISO numeric code " << n;
    }
    EXPECT_FALSE(rec.fields[1].empty() && rec.fields[2].empty()) << rec.line;
  }
  EXPECT_EQ(rows, 202u);
  EXPECT_EQ(states.size(), 199u);  // all of countries.csv but Zanzibar, Tibet, South Vietnam
  // spot checks of codes that differ from ISO: FIPS 'NI' is Nigeria, 'NG' Niger, 'SU' Sudan, 'OD' South Sudan
  EXPECT_TRUE(fips.count("NI") && fips.count("NG") && fips.count("OD"));
}

// ---- JSON lines and fingerprints -------------------------------------------------------

Event SampleEvent() {
  Event e;
  e.source = "ngo-monitor";
  e.event_id = "2024-0001";
  e.date_start = *ParseDate("2024-03-01");
  e.date_end = *ParseDate("2024-03-02");
  e.date_precision = 2;
  e.gw = 625;
  e.country = "Sudan";
  e.admin1 = "West Darfur";
  e.admin2 = "El Geneina";
  e.location = "Ardamata camp — \"sector 4\"";
  e.latitude = 13.4527;
  e.longitude = 22.4472;
  e.geo_precision = 2;
  e.cell = PrioGridCell(e.latitude, e.longitude);
  e.violence = Violence::kOneSided;
  e.event_type = "attack";
  e.sub_event_type = "shelling";
  e.actor1 = "Armed group A";
  e.actor2 = "Civilians";
  e.civilian_targeting = true;
  e.has_deaths = true;
  e.deaths_best = 40;
  e.deaths_low = 30;
  e.deaths_high = 55;
  e.deaths_civilians = 38;
  e.sources = 3;
  e.notes = "Invented test event; line\nbreak and unicode: é";
  return e;
}

bool SameEvent(const Event& a, const Event& b) { return EventToJson(a) == EventToJson(b); }

TEST(JsonlTest, RoundTrip) {
  Event e = SampleEvent();
  std::string line = EventToJson(e);
  EXPECT_EQ(line.find('\n'), std::string::npos);
  auto back = EventFromJson(line, Countries());
  ASSERT_TRUE(back.ok()) << back.status().message();
  EXPECT_TRUE(SameEvent(e, *back));
  EXPECT_EQ(EventFingerprint(e), EventFingerprint(*back));

  Event no_coords = e;
  no_coords.latitude = no_coords.longitude = std::numeric_limits<double>::quiet_NaN();
  no_coords.cell = 0;
  no_coords.has_deaths = false;
  no_coords.deaths_best = no_coords.deaths_low = no_coords.deaths_high = no_coords.deaths_civilians = 0;
  auto back2 = EventFromJson(EventToJson(no_coords), Countries());
  ASSERT_TRUE(back2.ok()) << back2.status().message();
  EXPECT_TRUE(std::isnan(back2->latitude));
  EXPECT_EQ(EventFingerprint(no_coords), EventFingerprint(*back2));

  // real GED events survive the round trip too
  const std::string path = kShared + "/ucdp/GEDEvent_v23_1_sample1000.csv";
  if (std::filesystem::exists(path)) {
    ReadResult r = ReadAll(path, EventFormat::kGed);
    for (const Event& g : r.events) {
      auto j = EventFromJson(EventToJson(g), Countries());
      ASSERT_TRUE(j.ok()) << g.event_id << ": " << j.status().message();
      ASSERT_EQ(EventFingerprint(g), EventFingerprint(*j)) << g.event_id;
    }
  }
}

TEST(JsonlTest, MinimalRecordsAndErrors) {
  auto min = EventFromJson(
      R"({"source":"x","event_id":"1","date_start":"2024-01-05","iso3":"SDN","violence":"one-sided"})",
      Countries());
  ASSERT_TRUE(min.ok()) << min.status().message();
  EXPECT_EQ(min->gw, 625);
  EXPECT_EQ(min->country, "Sudan");
  EXPECT_EQ(min->date_end, min->date_start);
  EXPECT_FALSE(min->has_deaths);
  EXPECT_TRUE(min->civilian_targeting);
  auto by_name = EventFromJson(
      R"j({"source":"x","event_id":"1","date_start":"2024-01-05","country":"DR Congo (Zaire)","violence":3,"deaths_best":2})j",
      Countries());
  ASSERT_TRUE(by_name.ok()) << by_name.status().message();
  EXPECT_EQ(by_name->gw, 490);
  EXPECT_TRUE(by_name->has_deaths);
  EXPECT_EQ(by_name->deaths_high, 2);

  struct Bad {
    const char* json;
    const char* message;
  };
  const Bad bad[] = {
      {R"({"event_id":"1","date_start":"2024-01-05","gw":625,"violence":3})", "'source': missing"},
      {R"({"source":"x","event_id":"","date_start":"2024-01-05","gw":625,"violence":3})", "'event_id': empty id"},
      {R"({"source":"x","event_id":"1","date_start":"2024-02-30","gw":625,"violence":3})", "'date_start': impossible"},
      {R"({"source":"x","event_id":"1","date_start":"2024-01-05","gw":999,"violence":3})", "'gw': unknown country"},
      {R"({"source":"x","event_id":"1","date_start":"2024-01-05","violence":3})", "'country': missing"},
      {R"({"source":"x","event_id":"1","date_start":"2024-01-05","gw":625,"iso3":"TCD","violence":3})", "does not match"},
      {R"({"source":"x","event_id":"1","date_start":"2024-01-05","gw":625,"violence":"genocide"})", "'violence'"},
      {R"({"source":"x","event_id":"1","date_start":"2024-01-05","gw":625,"violence":3,"deaths_best":-1})", "negative deaths"},
      {R"({"source":"x","event_id":"1","date_start":"2024-01-05","gw":625,"violence":3,"deaths_best":1.5})", "not a whole number"},
      {R"({"source":"x","event_id":"1","date_start":"2024-01-05","gw":625,"violence":3,"latitude":91,"longitude":0})", "'latitude': out of range"},
      {R"({"source":"x","event_id":"1","date_start":"2024-01-05","gw":625,"violence":3,"colour":"red"})", "'colour': unknown field"},
      {R"({"source":"x",)", "not valid JSON"},
      {"[1,2]", "not a JSON object"},
  };
  for (const Bad& b : bad) {
    auto r = EventFromJson(b.json, Countries());
    ASSERT_FALSE(r.ok()) << b.json;
    EXPECT_THAT(r.status().message(), HasSubstr(b.message)) << b.json;
  }
}

TEST(JsonlTest, ReaderKeepsGoodLinesAndRejectsBadOnes) {
  Event e = SampleEvent();
  Event f = e;
  f.event_id = "2024-0002";
  std::string text = EventToJson(e) + "\n\n" + R"({"source":"x","event_id":"1","date_start":"2024-01-05","gw":625,"violence":3,"deaths_best":-4})" +
                     "\n{broken\n" + EventToJson(f) + "\n";
  ReadResult r = ReadAll(WriteFile("events.jsonl", text), EventFormat::kJsonl);
  ASSERT_EQ(r.events.size(), 2u);
  ASSERT_EQ(r.rejected.size(), 2u);
  EXPECT_TRUE(SameEvent(r.events[0], e));
  EXPECT_EQ(r.lines[1], 5u);
  EXPECT_EQ(r.rejected[0].line, 3u);
  EXPECT_EQ(r.rejected[0].field, "deaths_best");
  EXPECT_THAT(r.rejected[0].reason, HasSubstr("negative deaths"));
  EXPECT_EQ(r.rejected[1].line, 4u);
  EXPECT_EQ(r.rejected[1].raw, "{broken");
  EXPECT_THAT(r.rejected[1].reason, HasSubstr("not valid JSON"));
}

TEST(FingerprintTest, ChangesWhenAnyFieldChanges) {
  const Event base = SampleEvent();
  const std::uint64_t h = EventFingerprint(base);
  EXPECT_EQ(h, EventFingerprint(SampleEvent()));
  std::vector<std::function<void(Event&)>> changes = {
      [](Event& e) { e.source = "ged"; },           [](Event& e) { e.event_id += "x"; },
      [](Event& e) { e.date_start -= 1; },          [](Event& e) { e.date_end += 1; },
      [](Event& e) { e.date_precision = 1; },       [](Event& e) { e.gw = 626; },
      [](Event& e) { e.country = "Sudan "; },       [](Event& e) { e.admin1 = ""; },
      [](Event& e) { e.admin2 = "x"; },             [](Event& e) { e.location += "."; },
      [](Event& e) { e.latitude += 1e-6; },         [](Event& e) { e.longitude = std::nan(""); },
      [](Event& e) { e.geo_precision = 3; },        [](Event& e) { e.cell += 1; },
      [](Event& e) { e.violence = Violence::kNonState; },
      [](Event& e) { e.event_type = ""; },          [](Event& e) { e.sub_event_type = "x"; },
      [](Event& e) { e.actor1 = "Armed group B"; }, [](Event& e) { e.actor2 = "civilians"; },
      [](Event& e) { e.civilian_targeting = false; }, [](Event& e) { e.has_deaths = false; },
      [](Event& e) { e.deaths_best += 1; },         [](Event& e) { e.deaths_low -= 1; },
      [](Event& e) { e.deaths_high += 1; },         [](Event& e) { e.deaths_civilians += 1; },
      [](Event& e) { e.sources = 4; },              [](Event& e) { e.notes.clear(); },
      // a byte moving between two adjacent strings changes the hash too
      [](Event& e) { e.admin1 = "West Darfu"; e.admin2 = "rEl Geneina"; },
  };
  std::set<std::uint64_t> seen = {h};
  for (std::size_t i = 0; i < changes.size(); ++i) {
    Event e = base;
    changes[i](e);
    EXPECT_TRUE(seen.insert(EventFingerprint(e)).second) << "change " << i;
  }
  Event nan1 = base, nan2 = base;
  nan1.latitude = std::nan("1");
  nan2.latitude = -std::nan("2");
  EXPECT_EQ(EventFingerprint(nan1), EventFingerprint(nan2));
}

// The id rule of each format (EventIdRule), applied before any other check.
TEST(EventIdRuleTest, EachFormatAcceptsItsIdsAndNamesTheRuleBroken) {
  EXPECT_STREQ(EventIdField(EventFormat::kGed), "id");
  EXPECT_STREQ(EventIdField(EventFormat::kAcled), "event_id_cnty");
  EXPECT_STREQ(EventIdField(EventFormat::kGdelt), "GlobalEventID");
  EXPECT_STREQ(EventIdField(EventFormat::kJsonl), "event_id");

  // GED: a positive integer.
  std::string ged = GedHeader();
  const std::vector<std::string> ged_bad = {"abc", "-5", "0", "0012", "1.5", "12 3", "1234567890123456789"};
  ged += GedRow("1") + GedRow("999999999999999999");
  for (const auto& id : ged_bad) ged += GedRow(id);
  ReadResult r = ReadAll(WriteFile("ids.csv", ged), EventFormat::kGed);
  ASSERT_EQ(r.events.size(), 2u);
  ASSERT_EQ(r.rejected.size(), ged_bad.size());
  for (std::size_t i = 0; i < ged_bad.size(); ++i) {
    EXPECT_EQ(r.rejected[i].field, "id");
    EXPECT_EQ(r.rejected[i].reason, "invalid id: 'id' = '" + ged_bad[i] + "' is not " +
                                        EventIdRule(EventFormat::kGed));
  }

  // GDELT: a positive integer.
  ReadResult g = ReadAll(WriteFile("ids.tsv", GdeltRow({{0, "1001"}}) + GdeltRow({{0, "x1"}}) +
                                                  GdeltRow({{0, ""}})),
                         EventFormat::kGdelt);
  ASSERT_EQ(g.events.size(), 1u);
  ASSERT_EQ(g.rejected.size(), 2u);
  EXPECT_THAT(g.rejected[0].reason, HasSubstr("invalid id: 'GlobalEventID' = 'x1'"));
  EXPECT_THAT(g.rejected[1].reason, HasSubstr("empty id: 'GlobalEventID' is empty"));

  // ACLED: a country prefix plus digits.
  const std::vector<std::string> header = {"event_id_cnty", "event_date", "event_type", "actor1",
                                           "actor2", "inter1", "inter2", "iso", "country",
                                           "latitude", "longitude", "fatalities"};
  auto acled = [&](const std::string& id) {
    return ParseEventRecord(EventFormat::kAcled, header,
                            id + ",2023-01-16,Battles,Military Forces of Mali (2021-),JNIM,1,2,466,"
                                 "Mali,13.9,-4.55,12",
                            Countries());
  };
  for (const char* ok : {"MLI12", "SD1", "DRCA123456789012"}) {
    auto e = acled(ok);
    EXPECT_TRUE(e.ok()) << ok << ": " << e.status().message();
  }
  for (const char* bad : {"12345", "mli12", "MLI", "M1", "MALIA1", "MLI12a", "MLI-12"}) {
    auto e = acled(bad);
    ASSERT_FALSE(e.ok()) << bad;
    EXPECT_THAT(e.status().message(), HasSubstr("invalid id: 'event_id_cnty'")) << bad;
  }

  // JSONL: 1-128 bytes, no control characters, no edge spaces.
  auto jsonl = [&](const std::string& id_json) {
    return EventFromJson(R"({"source":"x","event_id":)" + id_json +
                             R"(,"date_start":"2024-01-05","gw":625,"violence":3})",
                         Countries());
  };
  EXPECT_TRUE(jsonl(R"("2024-0001")").ok());
  EXPECT_TRUE(jsonl("\"" + std::string(128, 'a') + "\"").ok());
  for (const std::string& bad : {std::string(R"(" x")"), std::string(R"("x ")"),
                                 std::string(R"("a\tb")"), "\"" + std::string(129, 'a') + "\""}) {
    auto e = jsonl(bad);
    ASSERT_FALSE(e.ok()) << bad;
    EXPECT_THAT(e.status().message(), HasSubstr("invalid id")) << bad;
  }
}

// Values that break their column's rule, in columns vigil keeps and in ones
// it does not, are rejected naming the column and the rule.
TEST(FieldRulesTest, EveryColumnsRuleIsChecked) {
  struct Case {
    std::map<std::string, std::string> change;
    std::string field, reason;
  };
  const std::vector<Case> ged = {
      {{{"year", "20x0"}}, "year", "not an integer: 'year' = '20x0'"},
      {{{"priogrid_gid", "0"}}, "priogrid_gid", "out of range 1..259200"},
      {{{"event_clarity", "3"}}, "event_clarity", "is not one of 1, 2"},
      {{{"active_year", "yes"}}, "active_year", "is not one of 0, 1, true, false"},
      {{{"gwnoa", "482;483"}}, "gwnoa", "not a list of codes 0..999"},
      {{{"where_prec", "0"}}, "where_prec", "out of range 1..7"},
      {{{"number_of_sources", "-2"}}, "number_of_sources", "out of range -1..1000000000"},
      {{{"source_article", "caf\xC3("}}, "source_article", "not UTF-8"},
      {{{"conflict_dset_id", "x"}}, "conflict_dset_id", "not an integer"},
  };
  std::string text = GedHeader() + GedRow("1", {{"gwnoa", "482, 483"}, {"active_year", "TRUE"}});
  for (std::size_t i = 0; i < ged.size(); ++i) text += GedRow(std::to_string(10 + i), ged[i].change);
  ReadResult r = ReadAll(WriteFile("rules.csv", text), EventFormat::kGed);
  ASSERT_EQ(r.events.size(), 1u);
  ASSERT_EQ(r.rejected.size(), ged.size());
  for (std::size_t i = 0; i < ged.size(); ++i) {
    EXPECT_EQ(r.rejected[i].field, ged[i].field) << i;
    EXPECT_THAT(r.rejected[i].reason, HasSubstr(ged[i].reason)) << i;
  }

  const std::vector<std::pair<std::map<int, std::string>, std::string>> gdelt = {
      {{{29, "5"}}, "'QuadClass' = '5'"},         {{{30, "11"}}, "'GoldsteinScale' = '11'"},
      {{{28, "21"}}, "'EventRootCode' = '21'"},   {{{31, "-1"}}, "'NumMentions' = '-1'"},
      {{{59, "today"}}, "'DATEADDED' = 'today'"}, {{{25, "2"}}, "'IsRootEvent' = '2'"},
      {{{40, "91"}}, "'Actor1Geo_Lat' = '91'"},
  };
  std::string tsv = GdeltRow({});
  for (std::size_t i = 0; i < gdelt.size(); ++i) {
    auto change = gdelt[i].first;
    change[0] = std::to_string(2000 + i);
    tsv += GdeltRow(change);
  }
  ReadResult g = ReadAll(WriteFile("rules.tsv", tsv), EventFormat::kGdelt);
  ASSERT_EQ(g.events.size(), 1u);
  ASSERT_EQ(g.rejected.size(), gdelt.size());
  for (std::size_t i = 0; i < gdelt.size(); ++i) {
    EXPECT_THAT(g.rejected[i].reason, HasSubstr(gdelt[i].second)) << i;
  }

  const std::vector<std::string> header = {"event_id_cnty", "event_date", "event_type", "actor1",
                                           "country", "latitude", "longitude", "fatalities",
                                           "iso", "civilian_targeting", "timestamp"};
  auto acled = [&](const std::string& tail) {
    return ParseEventRecord(EventFormat::kAcled, header,
                            "MLI1,2023-01-16,battles,Military Forces of Mali (2021-),Mali,13.9,"
                            "-4.55,12," + tail,
                            Countries());
  };
  EXPECT_TRUE(acled("466,,1700000000").ok());
  EXPECT_THAT(acled("4660,,1").status().message(), HasSubstr("'iso' = '4660'"));
  EXPECT_THAT(acled("466,yes,1").status().message(), HasSubstr("'civilian_targeting' = 'yes'"));
  EXPECT_THAT(acled("466,,soon").status().message(), HasSubstr("'timestamp' = 'soon'"));
}

// docs/event-formats.md shows each format's rules as EventFieldRules states them.
TEST(FieldRulesTest, DocumentationListsEveryRule) {
  std::ifstream in(std::string(VIGIL_SOURCE_DIR) + "/docs/event-formats.md");
  ASSERT_TRUE(in) << "docs/event-formats.md missing";
  std::string doc((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  std::string expected;
  for (EventFormat f : {EventFormat::kGed, EventFormat::kAcled, EventFormat::kGdelt}) {
    const auto rules = EventFieldRules(f);
    EXPECT_FALSE(rules.empty());
    expected += std::string("\n### ") + EventFormatName(f) + "\n\n| column | required | rule |\n|---|---|---|\n";
    std::string table;
    for (const auto& r : rules) {
      table += "| `" + r.column + "` | " + (r.required ? "yes" : "no") + " | " + r.rule + " |\n";
    }
    expected += table;
    EXPECT_NE(doc.find(table), std::string::npos) << "docs/event-formats.md lacks the " << EventFormatName(f)
                                                  << " table; expected:\n" << table;
  }
  EXPECT_TRUE(EventFieldRules(EventFormat::kJsonl).empty());
  EXPECT_EQ(EventFieldRules(EventFormat::kGdelt).size(), 61u);
}

// JSON nested a million levels deep is a rejected line, not a crash.
TEST(JsonlTest, DeeplyNestedLineIsRejected) {
  const std::string good = R"({"source":"x","event_id":"1","date_start":"2024-01-05","gw":625,"violence":3})";
  const std::string deep = R"({"source":)" + std::string(1000000, '[') + std::string(1000000, ']') + "}";
  ReadResult r = ReadAll(WriteFile("deep.jsonl", good + "\n" + deep + "\n"), EventFormat::kJsonl);
  ASSERT_EQ(r.events.size(), 1u);
  ASSERT_EQ(r.rejected.size(), 1u);
  EXPECT_THAT(r.rejected[0].reason, HasSubstr("nested deeper than 64 levels"));
  auto first = EventFileReader::Open(WriteFile("deep1.jsonl", deep + "\n"), EventFormat::kJsonl, Countries());
  ASSERT_FALSE(first.ok());
  EXPECT_THAT(first.status().message(), HasSubstr("not a vigil JSON-lines file"));
}

// Found by fuzz_acled and fuzz_gdelt: one coordinate without the other was
// accepted, and the stored record then failed to read back.
TEST(FieldRulesTest, OneCoordinateWithoutTheOtherIsRejected) {
  ReadResult r = ReadAll(WriteFile("halfpoint.csv", GedHeader() + GedRow("1", {{"latitude", ""}}) +
                                                        GedRow("2", {{"latitude", ""}, {"longitude", ""}})),
                         EventFormat::kGed);
  ASSERT_EQ(r.events.size(), 1u);
  ASSERT_EQ(r.rejected.size(), 1u);
  EXPECT_EQ(r.rejected[0].field, "latitude");
  EXPECT_EQ(r.rejected[0].reason, "missing coordinate: 'latitude' is empty while 'longitude' is given");
  ReadResult g = ReadAll(WriteFile("halfpoint.tsv", GdeltRow({{57, ""}})), EventFormat::kGdelt);
  ASSERT_EQ(g.rejected.size(), 1u);
  EXPECT_EQ(g.rejected[0].field, "ActionGeo_Long");
  // Every accepted event reads back from its stored record.
  auto back = EventFromJson(EventToJson(r.events[0]), Countries());
  EXPECT_TRUE(back.ok()) << back.status().message();
}

}  // namespace
}  // namespace vigil::data
