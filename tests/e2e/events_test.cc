// End-to-end tests of `vigil import events` and `vigil quarantine` on the
// real UCDP GED file of the Central African Republic (1,848 events) and on
// files derived from it.
#include <algorithm>
#include <string>

#include "tests/e2e/e2e_util.h"

namespace vigil::e2e {
namespace {

const std::string kGedCaf = std::string(VIGIL_SHARED_DATA) + "/ucdp/GEDEvent_v23_1_CAF.csv";

#define SKIP_WITHOUT_GED()                                                                  \
  if (!fs::exists(kGedCaf)) {                                                               \
    GTEST_SKIP() << "shared data not found: " << kGedCaf << " (real-data tests skipped)";   \
  }

// The header line and the first record of the CAF file, which is one line:
// event 36210, deaths ",0,3,0,0,3,3,3,500," (a, b, civilians, unknown, best,
// high, low, gwnoa, gwnob).
struct GedSample {
  std::string header;
  std::string first;  // without line break
};
GedSample ReadSample() {
  std::string text = Slurp(kGedCaf);
  GedSample s;
  std::size_t nl = text.find('\n');
  s.header = text.substr(0, nl);
  if (!s.header.empty() && s.header.back() == '\r') s.header.pop_back();
  std::size_t end = text.find('\n', nl + 1);
  s.first = text.substr(nl + 1, end - nl - 1);
  if (!s.first.empty() && s.first.back() == '\r') s.first.pop_back();
  return s;
}

// `record` with its id (first field) replaced.
std::string WithId(const std::string& record, const std::string& id) {
  return id + record.substr(record.find(','));
}
std::string Replace(std::string s, const std::string& from, const std::string& to) {
  std::size_t at = s.find(from);
  EXPECT_NE(at, std::string::npos) << "'" << from << "' not in " << s;
  if (at != std::string::npos) s.replace(at, from.size(), to);
  return s;
}
int Lines(const std::string& s) { return static_cast<int>(std::count(s.begin(), s.end(), '\n')); }

using EventsTest = CliTest;

TEST_F(EventsTest, ImportIsIdempotentAndKeepsHistoryOfUpdates) {
  SKIP_WITHOUT_GED();
  RunResult first = Run({"import", "events", "--format", "ged", kGedCaf, "--json"});
  ASSERT_EQ(first.exit_code, 0) << first.err;
  json j = ParseJson(first);
  EXPECT_EQ(j["read"], 1848);
  EXPECT_EQ(j["stored"], 1848);
  EXPECT_EQ(j["duplicates"], 0);
  EXPECT_EQ(j["revised"], 0);
  EXPECT_EQ(j["quarantined"], 0);
  ASSERT_EQ(j["files"].size(), 1u);
  EXPECT_EQ(j["files"][0]["stored"], 1848);
  EXPECT_GT(j["seconds"].get<double>(), 0.0);
  EXPECT_EQ(Count("events"), 1848);
  EXPECT_EQ(Count("events WHERE gw = 482"), 1848);
  EXPECT_EQ(Count("events WHERE violence = 3"), 1076);  // the README's one-sided count

  RunResult again = Run({"import", "events", "--format", "ged", kGedCaf, "--json"});
  ASSERT_EQ(again.exit_code, 0) << again.err;
  json k = ParseJson(again);
  EXPECT_EQ(k["read"], 1848);
  EXPECT_EQ(k["stored"], 0);
  EXPECT_EQ(k["duplicates"], 1848);
  EXPECT_EQ(k["revised"], 0);
  EXPECT_EQ(Count("events"), 1848);
  EXPECT_EQ(Count("event_history"), 0);
  EXPECT_EQ(Count("event_imports"), 2);

  // A copy in which event 36210 reports 5 deaths instead of 3.
  GedSample s = ReadSample();
  ASSERT_EQ(s.first.rfind("36210,", 0), 0u) << s.first;
  std::string text = Slurp(kGedCaf);
  std::string changed_record = Replace(s.first, ",0,3,0,0,3,3,3,500,", ",0,5,0,0,5,5,5,500,");
  std::string modified = Replace(text, s.first, changed_record);
  std::string path = Write("caf_changed.csv", modified);
  RunResult upd = Run({"import", "events", "--format", "ged", path, "--json"});
  ASSERT_EQ(upd.exit_code, 0) << upd.err;
  json u = ParseJson(upd);
  EXPECT_EQ(u["read"], 1848);
  EXPECT_EQ(u["revised"], 1);
  EXPECT_EQ(u["duplicates"], 1847);
  EXPECT_EQ(u["stored"], 0);
  EXPECT_EQ(Count("events"), 1848);
  EXPECT_EQ(Count("events WHERE event_id = '36210' AND deaths_best = 5 AND version = 2"), 1);
  EXPECT_EQ(Count("event_history"), 1);
  // The history keeps the replaced record (JSON lines format, 3 deaths).
  auto db = store::Db::Open(db_path_);
  ASSERT_TRUE(db.ok());
  auto q = (*db)->Prepare("SELECT h.record, h.version FROM event_history h");
  ASSERT_TRUE(q.ok());
  ASSERT_TRUE(*q->Step());
  json old = json::parse(q->Text(0), nullptr, false);
  ASSERT_FALSE(old.is_discarded()) << q->Text(0);
  EXPECT_EQ(q->Int(1), 1);
  EXPECT_EQ(old.dump().find("36210") != std::string::npos, true) << old.dump();

  // The human-readable summary names the counts.
  RunResult text_run = Run({"import", "events", "--format", "ged", kGedCaf});
  ASSERT_EQ(text_run.exit_code, 0) << text_run.err;
  EXPECT_NE(text_run.out.find("DUPLICATES"), std::string::npos) << text_run.out;
  EXPECT_EQ(Count("events WHERE event_id = '36210' AND deaths_best = 3 AND version = 3"), 1);
}

TEST_F(EventsTest, BadRowsAreQuarantinedListedAndRetried) {
  SKIP_WITHOUT_GED();
  GedSample s = ReadSample();
  // Lines 2-4 good, 5 negative deaths, 6 impossible date, 7 too few columns.
  std::string negative = Replace(WithId(s.first, "900004"), ",0,3,0,0,3,3,3,500,",
                                 ",0,3,0,0,-3,3,3,500,");
  std::string bad_date = Replace(WithId(s.first, "900005"), "2009-02-20T00:00:00,2009-02-20",
                                 "2009-02-30T00:00:00,2009-02-30");
  std::string file = s.header + "\n" + WithId(s.first, "900001") + "\n" +
                     WithId(s.first, "900002") + "\n" + WithId(s.first, "900003") + "\n" +
                     negative + "\n" + bad_date + "\n" + "900006,0,2009\n";
  std::string path = Write("bad.csv", file);

  RunResult r = Run({"import", "events", "--format", "ged", path, "--json"});
  ASSERT_EQ(r.exit_code, 3) << r.out << r.err;
  json j = ParseJson(r);
  EXPECT_EQ(j["read"], 6);
  EXPECT_EQ(j["stored"], 3);
  EXPECT_EQ(j["quarantined"], 3);
  EXPECT_EQ(j["read"].get<int>(), j["stored"].get<int>() + j["duplicates"].get<int>() +
                                      j["revised"].get<int>() + j["quarantined"].get<int>());
  // The first reasons are echoed with file:line, with how to list the rest.
  EXPECT_NE(r.err.find("bad.csv:5"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("vigil quarantine list"), std::string::npos) << r.err;

  RunResult list = Run({"quarantine", "list", "--json"});
  ASSERT_EQ(list.exit_code, 0) << list.err;
  json l = ParseJson(list);
  ASSERT_TRUE(l.is_array());
  ASSERT_EQ(l.size(), 3u);
  EXPECT_EQ(l[0]["line"], 5);
  EXPECT_EQ(l[1]["line"], 6);
  EXPECT_EQ(l[2]["line"], 7);
  EXPECT_EQ(l[0]["status"], "open");
  EXPECT_NE(l[0]["reason"].get<std::string>().find("best"), std::string::npos) << l[0];
  EXPECT_NE(l[1]["reason"].get<std::string>().find("2009-02-30"), std::string::npos) << l[1];
  EXPECT_EQ(l[2]["raw"], "900006,0,2009");
  const std::int64_t negative_id = l[0]["id"];
  const std::int64_t short_id = l[2]["id"];

  // Importing the same file again: the good rows are duplicates, the bad
  // ones are counted again but not listed twice.
  RunResult again = Run({"import", "events", "--format", "ged", path, "--json"});
  ASSERT_EQ(again.exit_code, 3) << again.err;
  EXPECT_EQ(ParseJson(again)["duplicates"], 3);
  EXPECT_EQ(ParseJson(again)["quarantined"], 3);
  EXPECT_EQ(ParseJson(Run({"quarantine", "list", "--json"})).size(), 3u);
  EXPECT_EQ(Count("quarantine"), 3);

  RunResult table = Run({"quarantine", "list"});
  ASSERT_EQ(table.exit_code, 0) << table.err;
  EXPECT_NE(table.out.find("bad.csv:6"), std::string::npos) << table.out;

  RunResult show = Run({"quarantine", "show", std::to_string(negative_id)});
  ASSERT_EQ(show.exit_code, 0) << show.err;
  EXPECT_NE(show.out.find(negative), std::string::npos) << show.out;
  EXPECT_NE(show.out.find(path), std::string::npos) << show.out;

  // Retrying unchanged records fails again: they stay open (exit 3).
  RunResult same = Run({"quarantine", "retry", "--all", "--json"});
  ASSERT_EQ(same.exit_code, 3) << same.out << same.err;
  EXPECT_EQ(ParseJson(same)["open"], 3);

  // A corrected record stores the event and resolves the row.
  std::string corrected = WithId(s.first, "900004");
  RunResult fix = Run({"quarantine", "retry", std::to_string(negative_id), "--fix", corrected,
                       "--json"});
  ASSERT_EQ(fix.exit_code, 0) << fix.out << fix.err;
  json f = ParseJson(fix);
  EXPECT_EQ(f["resolved"], 1);
  EXPECT_EQ(f["results"][0]["result"], "stored");
  EXPECT_EQ(f["results"][0]["event"], "ged/900004");
  EXPECT_EQ(Count("events WHERE event_id = '900004' AND line = 5"), 1);
  EXPECT_EQ(Count("events"), 4);

  // A --fix that is still wrong is reported and changes nothing.
  RunResult still = Run({"quarantine", "retry", std::to_string(short_id), "--fix", "900006,1"});
  EXPECT_EQ(still.exit_code, 3) << still.out << still.err;
  EXPECT_NE(still.out.find("still open"), std::string::npos) << still.out;

  RunResult open = Run({"quarantine", "list", "--json"});
  EXPECT_EQ(ParseJson(open).size(), 2u);
  RunResult resolved = Run({"quarantine", "list", "--status", "resolved", "--json"});
  json rv = ParseJson(resolved);
  ASSERT_EQ(rv.size(), 1u);
  EXPECT_EQ(rv[0]["id"], negative_id);
  EXPECT_NE(rv[0]["resolution"].get<std::string>().find("ged/900004"), std::string::npos);

  // Resolving by hand needs a note and keeps the raw record.
  RunResult hand = Run({"quarantine", "resolve", std::to_string(short_id), "--note",
                        "truncated test row"});
  ASSERT_EQ(hand.exit_code, 0) << hand.err;
  EXPECT_EQ(Count("quarantine WHERE status = 'open'"), 1);
  EXPECT_EQ(Count("quarantine"), 3);

  // Usage errors.
  EXPECT_EQ(Run({"quarantine", "retry"}).exit_code, 2);
  EXPECT_EQ(Run({"quarantine", "retry", "--all", "--fix", "x"}).exit_code, 2);
  EXPECT_EQ(Run({"quarantine", "show", "999"}).exit_code, 1);
}

// The planted faults: rows whose id is not a valid GED id, and
// several distinct rows sharing one id. Each distinct row must stay a row:
// none is merged into another as a "revision".
TEST_F(EventsTest, ConflictingRowsOfOneFileAreAllQuarantinedNotRevised) {
  SKIP_WITHOUT_GED();
  GedSample s = ReadSample();
  const std::string d = ",0,3,0,0,3,3,3,500,";
  auto deaths = [&](const std::string& id, int n) {
    const std::string k = std::to_string(n);
    return Replace(WithId(s.first, id), d, ",0," + k + ",0,0," + k + "," + k + "," + k + ",500,");
  };
  // Line 2 good; lines 3-10: eight distinct rows with id 777 (line 5 repeats
  // line 3 exactly); line 11 id "abc"; line 12 id "-5"; line 13 id "0012";
  // line 14 an empty id; line 15 good.
  std::string file = s.header + "\n" + WithId(s.first, "900001") + "\n";
  const int eight[] = {1, 2, 1, 4, 5, 6, 7, 8};
  for (int n : eight) file += deaths("777", n) + "\n";
  file += WithId(s.first, "abc") + "\n" + WithId(s.first, "-5") + "\n" +
          WithId(s.first, "0012") + "\n" + WithId(s.first, "") + "\n" +
          WithId(s.first, "900002") + "\n";
  std::string path = Write("conflicts.csv", file);

  RunResult r = Run({"import", "events", "--format", "ged", path, "--json"});
  ASSERT_EQ(r.exit_code, 3) << r.out << r.err;
  json j = ParseJson(r);
  EXPECT_EQ(j["read"], 14);
  EXPECT_EQ(j["stored"], 2);
  EXPECT_EQ(j["duplicates"], 0);
  EXPECT_EQ(j["revised"], 0);
  EXPECT_EQ(j["quarantined"], 12);
  EXPECT_EQ(j["conserved"], true);
  EXPECT_EQ(j["conflicting_ids"], 1);
  EXPECT_EQ(Count("events WHERE event_id = '777'"), 0);
  EXPECT_EQ(Count("event_history"), 0);
  EXPECT_EQ(Count("events"), 2);

  auto db = store::Db::Open(db_path_);
  ASSERT_TRUE(db.ok());
  auto q = (*db)->Prepare("SELECT line, field, reason FROM quarantine ORDER BY line");
  ASSERT_TRUE(q.ok());
  std::vector<std::string> reasons;
  while (*q->Step()) {
    reasons.push_back(std::to_string(q->Int(0)) + " " + q->Text(1) + ": " + q->Text(2));
  }
  ASSERT_EQ(reasons.size(), 12u);
  for (int i = 0; i < 8; ++i) {
    EXPECT_EQ(reasons[i].rfind(std::to_string(3 + i) + " id: conflicting rows for id 777 "
                               "(lines 3, 4, 5, 6, 7, 8, 9, 10)", 0), 0u) << reasons[i];
  }
  EXPECT_NE(reasons[8].find("11 id: invalid id: 'id' = 'abc' is not a positive integer"),
            std::string::npos) << reasons[8];
  EXPECT_NE(reasons[9].find("'-5' is not a positive integer"), std::string::npos) << reasons[9];
  EXPECT_NE(reasons[10].find("'0012' is not a positive integer"), std::string::npos) << reasons[10];
  EXPECT_NE(reasons[11].find("empty id: 'id' is empty"), std::string::npos) << reasons[11];

  // The text summary prints and checks the conservation line.
  RunResult t = Run({"import", "events", "--format", "ged", path});
  ASSERT_EQ(t.exit_code, 3) << t.err;
  EXPECT_NE(t.out.find("read 14 = stored 0 + duplicates 2 + revised 0 + quarantined 12"),
            std::string::npos) << t.out;
  EXPECT_NE(t.out.find("1 id(s) appear in several rows"), std::string::npos) << t.out;
  EXPECT_EQ(Count("quarantine"), 12);  // re-running adds no second copy
}

// A revision between two imports stays a version, and `events history`
// shows what changed.
TEST_F(EventsTest, HistoryShowsEachRevisionAndWhatChanged) {
  SKIP_WITHOUT_GED();
  GedSample s = ReadSample();
  std::string v1 = s.header + "\n" + s.first + "\n";
  std::string v2 = s.header + "\n" +
                   Replace(s.first, ",0,3,0,0,3,3,3,500,", ",0,5,0,0,5,5,5,500,") + "\n";
  std::string p1 = Write("r1.csv", v1), p2 = Write("r2.csv", v2);
  ASSERT_EQ(Run({"import", "events", "--format", "ged", p1}).exit_code, 0);
  RunResult up = Run({"import", "events", "--format", "ged", p2, "--json"});
  ASSERT_EQ(up.exit_code, 0) << up.err;
  EXPECT_EQ(ParseJson(up)["revised"], 1);

  RunResult h = Run({"events", "history", "36210", "--json"});
  ASSERT_EQ(h.exit_code, 0) << h.err;
  json j = ParseJson(h);
  EXPECT_EQ(j["source"], "ged");
  ASSERT_EQ(j["versions"].size(), 2u);
  EXPECT_EQ(j["versions"][0]["version"], 1);
  EXPECT_EQ(j["versions"][1]["version"], 2);
  EXPECT_EQ(j["versions"][1]["current"], true);
  EXPECT_NE(j["versions"][1]["stored_by_import"]["path"].get<std::string>().find("r2.csv"),
            std::string::npos);
  bool best_changed = false;
  for (const auto& c : j["versions"][1]["changes"]) {
    if (c["field"] == "deaths_best") {
      best_changed = true;
      EXPECT_EQ(c["from"], 3);
      EXPECT_EQ(c["to"], 5);
    }
  }
  EXPECT_TRUE(best_changed) << j.dump(2);

  RunResult text = Run({"events", "history", "36210"});
  ASSERT_EQ(text.exit_code, 0) << text.err;
  EXPECT_NE(text.out.find("deaths_best: 3 -> 5"), std::string::npos) << text.out;
  RunResult missing = Run({"events", "history", "999999999"});
  EXPECT_EQ(missing.exit_code, 1);
  EXPECT_NE(missing.err.find("no stored event has id '999999999'"), std::string::npos)
      << missing.err;
}

TEST_F(EventsTest, NonUtf8BytesAreShownEscaped) {
  SKIP_WITHOUT_GED();
  GedSample s = ReadSample();
  // An unknown country written in Latin-1: quarantined, bytes kept.
  std::string latin = Replace(WithId(s.first, "900010"), "482,Africa", "999,Africa");
  latin = Replace(latin, "Central African Republic,999", "R\xE9publique Imaginaire,999");
  std::string path = Write("latin1.csv", s.header + "\n" + latin + "\n");
  RunResult r = Run({"import", "events", "--format", "ged", path, "--json"});
  ASSERT_EQ(r.exit_code, 3) << r.out << r.err;
  RunResult list = Run({"quarantine", "list", "--json"});
  ASSERT_EQ(list.exit_code, 0) << list.err;
  json l = ParseJson(list);
  ASSERT_EQ(l.size(), 1u);
  EXPECT_NE(l[0]["raw"].get<std::string>().find("R\\xe9publique"), std::string::npos) << l[0];
  RunResult show = Run({"quarantine", "show", std::to_string(l[0]["id"].get<int>())});
  ASSERT_EQ(show.exit_code, 0) << show.err;
  EXPECT_NE(show.out.find("R\\xe9publique"), std::string::npos) << show.out;
  // The raw bytes themselves are stored unchanged.
  auto db = store::Db::Open(db_path_);
  ASSERT_TRUE(db.ok());
  auto q = (*db)->Prepare("SELECT raw FROM quarantine");
  ASSERT_TRUE(q.ok());
  ASSERT_TRUE(*q->Step());
  auto raw = q->Blob(0);
  EXPECT_EQ(std::string(raw.begin(), raw.end()), latin);
}

TEST_F(EventsTest, WrongFormatAndMissingFileStopWithOneError) {
  SKIP_WITHOUT_GED();
  for (const char* format : {"acled", "gdelt", "jsonl"}) {
    RunResult r = Run({"import", "events", "--format", format, kGedCaf});
    EXPECT_EQ(r.exit_code, 1) << format << ": " << r.out << r.err;
    EXPECT_EQ(Lines(r.err), 1) << format << ": " << r.err;
    EXPECT_NE(r.err.find("GEDEvent_v23_1_CAF.csv"), std::string::npos) << r.err;
  }
  EXPECT_EQ(Count("events"), 0);
  EXPECT_EQ(Count("quarantine"), 0);

  // A missing second file stops before anything is written.
  const std::string missing = (dir_ / "nope.csv").string();
  RunResult m = Run({"import", "events", "--format", "ged", kGedCaf, missing});
  EXPECT_EQ(m.exit_code, 1) << m.err;
  EXPECT_EQ(Lines(m.err), 1) << m.err;
  EXPECT_NE(m.err.find("nope.csv"), std::string::npos) << m.err;
  EXPECT_EQ(Count("events"), 0);

  EXPECT_EQ(Run({"import", "events", "--format", "xml", kGedCaf}).exit_code, 2);
  EXPECT_EQ(Run({"import", "events", kGedCaf}).exit_code, 2);
  RunResult help = Run({"import", "events", "--help"});
  EXPECT_EQ(help.exit_code, 0);
  EXPECT_NE(help.out.find("--format"), std::string::npos);
}

TEST_F(EventsTest, SeveralFilesAreReportedEachAndInTotal) {
  SKIP_WITHOUT_GED();
  const std::string sample = std::string(VIGIL_SHARED_DATA) + "/ucdp/GEDEvent_v23_1_sample1000.csv";
  RunResult r = Run({"import", "events", "--format", "ged", kGedCaf, sample, "--json"});
  ASSERT_TRUE(r.exit_code == 0 || r.exit_code == 3) << r.err;
  json j = ParseJson(r);
  ASSERT_EQ(j["files"].size(), 2u);
  EXPECT_EQ(j["files"][0]["read"], 1848);
  EXPECT_EQ(j["files"][1]["read"].get<int>(), 1000);
  EXPECT_EQ(j["read"], 2848);
  // Events of the sample that are in CAF too are duplicates, not new rows.
  EXPECT_EQ(j["stored"].get<int>() + j["duplicates"].get<int>() + j["revised"].get<int>() +
                j["quarantined"].get<int>(),
            2848);
  EXPECT_EQ(Count("events"), j["stored"].get<int>());
  EXPECT_EQ(r.exit_code, j["quarantined"].get<int>() > 0 ? 3 : 0);
}

}  // namespace
}  // namespace vigil::e2e
