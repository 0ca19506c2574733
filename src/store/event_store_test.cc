#include "store/event_store.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>
#include <functional>
#include <string>

namespace vigil::store {
namespace {

// The store layer does not know the event file formats: tests use their own
// record and fingerprint functions (the CLI passes data::EventToJson and
// data::EventFingerprint).
std::string Record(const Event& e) {
  return e.source + "|" + e.event_id + "|" + std::to_string(e.date_start) + "|" +
         std::to_string(e.gw) + "|" + e.admin1 + "|" + e.actor1 + "|" + e.actor2 + "|" +
         std::to_string(e.deaths_best) + "|" + std::to_string(e.deaths_civilians) + "|" + e.notes;
}
std::uint64_t Fingerprint(const Event& e) { return std::hash<std::string>{}(Record(e)); }

std::unique_ptr<Db> OpenDb() {
  auto db = Db::Open(":memory:");
  EXPECT_TRUE(db.ok()) << db.status().ToString();
  // Events reference the country table (foreign key).
  EXPECT_TRUE((*db)->Exec("INSERT INTO countries (gw, iso3, name, region, first_year) VALUES "
                          "(482, 'CAF', 'Central African Republic', 'Africa', 1960), "
                          "(625, 'SDN', 'Sudan', 'Africa', 1956), "
                          "(490, 'COD', 'DR Congo', 'Africa', 1960)")
                  .ok());
  return std::move(db).value();
}

Event MakeEvent(const std::string& id, int gw, Day day, int deaths, const std::string& admin1 = "",
                const std::string& actor1 = "", const std::string& actor2 = "") {
  Event e;
  e.source = "ged";
  e.event_id = id;
  e.date_start = e.date_end = day;
  e.gw = gw;
  e.country = "somewhere";
  e.admin1 = admin1;
  e.actor1 = actor1;
  e.actor2 = actor2;
  e.latitude = 4.5;
  e.longitude = 18.25;
  e.cell = PrioGridCell(e.latitude, e.longitude);
  e.violence = Violence::kOneSided;
  e.civilian_targeting = true;
  e.deaths_best = e.deaths_low = e.deaths_high = e.deaths_civilians = deaths;
  e.notes = "note " + id;
  return e;
}

std::int64_t Scalar(Db& db, const std::string& sql) {
  auto q = db.Prepare(sql);
  EXPECT_TRUE(q.ok()) << q.status().ToString();
  auto row = q->Step();
  EXPECT_TRUE(row.ok() && *row) << sql;
  return q->Int(0);
}

TEST(EventStoreTest, UpsertCountsDuplicatesAndKeepsHistoryOfUpdates) {
  auto db = OpenDb();
  const Day d = DaysFromCivil(2020, 5, 1);
  {
    auto imp = EventImport::Begin(*db, "ged", "/data/a.csv", {"id", "best"}, Record);
    ASSERT_TRUE(imp.ok()) << imp.status().ToString();
    for (int i = 0; i < 3; ++i) {
      Event e = MakeEvent(std::to_string(100 + i), 482, d + i, i + 1);
      auto r = (*imp)->Add(e, Fingerprint(e), 2 + i);
      ASSERT_TRUE(r.ok()) << r.status().ToString();
      EXPECT_EQ(r->outcome, UpsertOutcome::kStored);
      EXPECT_EQ(r->version, 1);
    }
    auto counts = (*imp)->Finish(0.5);
    ASSERT_TRUE(counts.ok());
    EXPECT_EQ(counts->read, 3);
    EXPECT_EQ(counts->stored, 3);
  }
  // Second import: one unchanged, one changed death count, one new.
  std::int64_t second_id = 0;
  {
    auto imp = EventImport::Begin(*db, "ged", "/data/b.csv", {"id", "best"}, Record);
    ASSERT_TRUE(imp.ok());
    second_id = (*imp)->id();
    Event same = MakeEvent("100", 482, d, 1);
    Event changed = MakeEvent("101", 482, d + 1, 40);
    Event fresh = MakeEvent("200", 625, d + 9, 7);
    auto r1 = (*imp)->Add(same, Fingerprint(same), 2);
    auto r2 = (*imp)->Add(changed, Fingerprint(changed), 3);
    auto r3 = (*imp)->Add(fresh, Fingerprint(fresh), 4);
    ASSERT_TRUE(r1.ok() && r2.ok() && r3.ok());
    EXPECT_EQ(r1->outcome, UpsertOutcome::kDuplicate);
    EXPECT_EQ(r1->version, 1);
    EXPECT_EQ(r2->outcome, UpsertOutcome::kRevised);
    EXPECT_EQ(r2->version, 2);
    EXPECT_EQ(r3->outcome, UpsertOutcome::kStored);
    // The same id again in this import with other content is a conflict,
    // not a revision: refused, nothing written, and the import goes on.
    Event again = MakeEvent("101", 482, d + 1, 41);
    auto r4 = (*imp)->Add(again, Fingerprint(again), 5);
    ASSERT_FALSE(r4.ok());
    EXPECT_EQ(r4.status().code(), Status::Code::kInvalidArgument);
    EXPECT_THAT(r4.status().message(), ::testing::HasSubstr("conflicting rows for id 101 (lines 3, 5)"));
    // ... while an exact repeat is a duplicate.
    auto r5 = (*imp)->Add(changed, Fingerprint(changed), 6);
    ASSERT_TRUE(r5.ok());
    EXPECT_EQ(r5->outcome, UpsertOutcome::kDuplicate);
    ASSERT_TRUE((*imp)->Quarantine({"/data/b.csv", 5, 5, "id", r4.status().message(), "raw"}).ok());
    auto counts = (*imp)->Finish(0.25);
    ASSERT_TRUE(counts.ok()) << counts.status().ToString();
    EXPECT_EQ(counts->read, 5);
    EXPECT_EQ(counts->duplicates, 2);
    EXPECT_EQ(counts->revised, 1);
    EXPECT_EQ(counts->stored, 1);
    EXPECT_EQ(counts->quarantined, 1);
  }
  // A third import (a later release) revises 101 again.
  {
    auto imp = EventImport::Begin(*db, "ged", "/data/c.csv", {"id", "best"}, Record);
    ASSERT_TRUE(imp.ok());
    Event again = MakeEvent("101", 482, d + 1, 41);
    auto r = (*imp)->Add(again, Fingerprint(again), 2);
    ASSERT_TRUE(r.ok()) << r.status().ToString();
    EXPECT_EQ(r->outcome, UpsertOutcome::kRevised);
    EXPECT_EQ(r->version, 3);
    ASSERT_TRUE((*imp)->Finish(0.1).ok());
  }
  EXPECT_EQ(Scalar(*db, "SELECT count(*) FROM events"), 4);

  auto stored = LoadEventById(*db, "ged", "101");
  ASSERT_TRUE(stored.ok()) << stored.status().ToString();
  EXPECT_EQ(stored->version, 3);
  EXPECT_EQ(stored->event.deaths_best, 41);
  EXPECT_EQ(stored->event.notes, "note 101");
  EXPECT_DOUBLE_EQ(stored->event.latitude, 4.5);
  EXPECT_EQ(stored->event.violence, Violence::kOneSided);
  auto history = LoadEventHistory(*db, stored->row_id);
  ASSERT_TRUE(history.ok());
  ASSERT_EQ(history->size(), 2u);
  EXPECT_EQ((*history)[0].version, 1);
  EXPECT_EQ((*history)[0].record, Record(MakeEvent("101", 482, d + 1, 2)));
  EXPECT_EQ((*history)[0].import_id, second_id);
  EXPECT_EQ((*history)[1].version, 2);
  EXPECT_EQ((*history)[1].record, Record(MakeEvent("101", 482, d + 1, 40)));

  auto info = GetEventImport(*db, second_id);
  ASSERT_TRUE(info.ok()) << info.status().ToString();
  EXPECT_EQ(info->format, "ged");
  EXPECT_EQ(info->path, "/data/b.csv");
  EXPECT_EQ(info->header, (std::vector<std::string>{"id", "best"}));
  EXPECT_EQ(info->counts.read, 5);
  EXPECT_EQ(info->counts.revised, 1);
  EXPECT_DOUBLE_EQ(info->seconds, 0.25);
  auto imports = ListEventImports(*db);
  ASSERT_TRUE(imports.ok());
  ASSERT_EQ(imports->size(), 3u);
  EXPECT_EQ((*imports)[1].id, second_id);  // newest first
  EXPECT_EQ(GetEventImport(*db, 999).status().code(), Status::Code::kNotFound);
}

TEST(EventStoreTest, InvalidEventIsRejectedWithoutSideEffectsAndImportContinues) {
  auto db = OpenDb();
  auto imp = EventImport::Begin(*db, "ged", "x.csv", {}, Record);
  ASSERT_TRUE(imp.ok());
  Event unknown_country = MakeEvent("1", 999, 18000, 1);
  auto r = (*imp)->Add(unknown_country, Fingerprint(unknown_country), 2);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Status::Code::kInvalidArgument);
  EXPECT_NE(r.status().message().find("999"), std::string::npos);
  Event negative = MakeEvent("2", 482, 18000, 1);
  negative.deaths_civilians = -3;
  EXPECT_FALSE((*imp)->Add(negative, Fingerprint(negative), 3).ok());
  Event good = MakeEvent("3", 482, 18000, 1);
  ASSERT_TRUE((*imp)->Add(good, Fingerprint(good), 4).ok());
  auto counts = (*imp)->Finish(0);
  ASSERT_TRUE(counts.ok());
  EXPECT_EQ(counts->read, 1);
  EXPECT_EQ(Scalar(*db, "SELECT count(*) FROM events"), 1);

  auto bad_format = EventImport::Begin(*db, "csv", "x.csv", {}, Record);
  ASSERT_FALSE(bad_format.ok());
  EXPECT_EQ(bad_format.status().code(), Status::Code::kInvalidArgument);
}

TEST(EventStoreTest, AbandonedImportKeepsCommittedBatchesWithTheirCounts) {
  auto db = OpenDb();
  std::int64_t id = 0;
  {
    EventImportOptions opt;
    opt.commit_every = 2;
    auto imp = EventImport::Begin(*db, "ged", "big.csv", {}, Record, opt);
    ASSERT_TRUE(imp.ok());
    id = (*imp)->id();
    for (int i = 0; i < 5; ++i) {
      Event e = MakeEvent(std::to_string(i), 482, 18000 + i, 1);
      ASSERT_TRUE((*imp)->Add(e, Fingerprint(e), 2 + i).ok());
    }
    // Destroyed without Finish (e.g. a read error): the fifth row is lost.
  }
  EXPECT_EQ(Scalar(*db, "SELECT count(*) FROM events"), 4);
  auto info = GetEventImport(*db, id);
  ASSERT_TRUE(info.ok());
  EXPECT_EQ(info->counts.read, 4);
  EXPECT_EQ(info->counts.stored, 4);
  EXPECT_TRUE(std::isnan(info->seconds));  // never finished
  // Re-running is idempotent: the committed rows are duplicates.
  auto imp = EventImport::Begin(*db, "ged", "big.csv", {}, Record);
  ASSERT_TRUE(imp.ok());
  for (int i = 0; i < 5; ++i) {
    Event e = MakeEvent(std::to_string(i), 482, 18000 + i, 1);
    ASSERT_TRUE((*imp)->Add(e, Fingerprint(e), 2 + i).ok());
  }
  auto counts = (*imp)->Finish(1);
  ASSERT_TRUE(counts.ok());
  EXPECT_EQ(counts->duplicates, 4);
  EXPECT_EQ(counts->stored, 1);
  EXPECT_EQ(Scalar(*db, "SELECT count(*) FROM events"), 5);
}

TEST(EventStoreTest, QuarantineListShowResolveAndRetry) {
  auto db = OpenDb();
  std::int64_t import_id = 0;
  std::vector<std::int64_t> ids;
  {
    auto imp = EventImport::Begin(*db, "acled", "/in/acled.csv", {"event_id_cnty", "fatalities"},
                                  Record);
    ASSERT_TRUE(imp.ok());
    import_id = (*imp)->id();
    const std::string latin1 = std::string("X1,caf\xE9,-3");  // not UTF-8
    for (int i = 0; i < 3; ++i) {
      QuarantinedRow row{"/in/acled.csv", 10 + i, 11 + i, "fatalities",
                         "negative deaths: 'fatalities' = '-3'", latin1};
      auto q = (*imp)->Quarantine(row);
      ASSERT_TRUE(q.ok()) << q.status().ToString();
      ids.push_back(*q);
    }
    Event e = MakeEvent("ok", 482, 18000, 1);
    ASSERT_TRUE((*imp)->Add(e, Fingerprint(e), 2).ok());
    auto counts = (*imp)->Finish(0);
    ASSERT_TRUE(counts.ok());
    EXPECT_EQ(counts->read, 4);
    EXPECT_EQ(counts->quarantined, 3);
  }
  auto one = GetQuarantine(*db, ids[1]);
  ASSERT_TRUE(one.ok()) << one.status().ToString();
  EXPECT_EQ(one->import_id, import_id);
  EXPECT_EQ(one->format, "acled");
  EXPECT_EQ(one->line, 11);
  EXPECT_EQ(one->end_line, 12);
  EXPECT_EQ(one->field, "fatalities");
  EXPECT_EQ(one->raw, std::string("X1,caf\xE9,-3"));  // bytes kept exactly
  EXPECT_EQ(one->status, "open");
  EXPECT_EQ(GetQuarantine(*db, 999).status().code(), Status::Code::kNotFound);

  // Resolve by hand; a second resolve is refused.
  ASSERT_TRUE(ResolveQuarantine(*db, ids[0], "not an event: a header repeated mid-file").ok());
  EXPECT_EQ(ResolveQuarantine(*db, ids[0], "again").code(), Status::Code::kFailedPrecondition);
  EXPECT_EQ(ResolveQuarantine(*db, 999, "x").code(), Status::Code::kNotFound);

  // A failed retry records the new reason and keeps the row open.
  ASSERT_TRUE(UpdateQuarantineReason(*db, ids[2], "country", "unknown country 'Atlantis'").ok());
  EXPECT_EQ(UpdateQuarantineReason(*db, ids[0], "x", "y").code(), Status::Code::kNotFound);

  // A successful retry stores the event and resolves the row together.
  Event fixed = MakeEvent("X1", 482, 18001, 3);
  fixed.source = "acled";
  auto r = StoreQuarantinedEvent(*db, ids[1], fixed, Fingerprint(fixed), Record,
                                 "retried with a corrected record");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->outcome, UpsertOutcome::kStored);
  auto stored = LoadEventById(*db, "acled", "X1");
  ASSERT_TRUE(stored.ok());
  EXPECT_EQ(stored->event.deaths_best, 3);
  EXPECT_EQ(Scalar(*db, "SELECT import_id FROM events WHERE event_id = 'X1'"), import_id);
  EXPECT_EQ(Scalar(*db, "SELECT line FROM events WHERE event_id = 'X1'"), 11);
  auto resolved = GetQuarantine(*db, ids[1]);
  ASSERT_TRUE(resolved.ok());
  EXPECT_EQ(resolved->status, "resolved");
  EXPECT_FALSE(resolved->resolved_at.empty());
  EXPECT_EQ(resolved->resolution, "retried with a corrected record: stored as acled/X1");
  EXPECT_EQ(StoreQuarantinedEvent(*db, ids[1], fixed, Fingerprint(fixed), Record, "").status().code(),
            Status::Code::kFailedPrecondition);
  // An event the store cannot take leaves the row open and changes nothing.
  Event bad = MakeEvent("X2", 999, 18001, 3);
  EXPECT_FALSE(StoreQuarantinedEvent(*db, ids[2], bad, Fingerprint(bad), Record, "").ok());
  EXPECT_EQ(GetQuarantine(*db, ids[2])->status, "open");

  QuarantineFilter open;
  auto list = ListQuarantine(*db, open);
  ASSERT_TRUE(list.ok());
  ASSERT_EQ(list->size(), 1u);
  EXPECT_EQ((*list)[0].id, ids[2]);
  EXPECT_EQ((*list)[0].field, "country");
  EXPECT_EQ((*list)[0].reason, "unknown country 'Atlantis'");
  QuarantineFilter all{"all", 0, 0};
  EXPECT_EQ(ListQuarantine(*db, all)->size(), 3u);
  EXPECT_EQ(*CountQuarantine(*db, all), 3);
  QuarantineFilter resolved_only{"resolved", import_id, 1};
  auto limited = ListQuarantine(*db, resolved_only);
  ASSERT_TRUE(limited.ok());
  ASSERT_EQ(limited->size(), 1u);
  EXPECT_EQ((*limited)[0].id, ids[0]);  // by id
  EXPECT_EQ(*CountQuarantine(*db, resolved_only), 2);  // the limit does not apply
  QuarantineFilter other_import{"all", import_id + 1, 0};
  EXPECT_TRUE(ListQuarantine(*db, other_import)->empty());
  QuarantineFilter bad_status{"closed", 0, 0};
  EXPECT_EQ(ListQuarantine(*db, bad_status).status().code(), Status::Code::kInvalidArgument);
}

TEST(EventStoreTest, ReimportDoesNotDuplicateOpenQuarantineEntries) {
  auto db = OpenDb();
  const QuarantinedRow bad{"/in/monthly.csv", 7, 7, "best", "negative deaths: 'best' = '-1'",
                           "42,x,-1"};
  auto first = EventImport::Begin(*db, "ged", "/in/monthly.csv", {}, Record);
  ASSERT_TRUE(first.ok());
  auto q1 = (*first)->Quarantine(bad);
  ASSERT_TRUE(q1.ok());
  ASSERT_TRUE((*first)->Finish(0).ok());

  auto second = EventImport::Begin(*db, "ged", "/in/monthly.csv", {}, Record);
  ASSERT_TRUE(second.ok());
  const std::int64_t second_id = (*second)->id();
  QuarantinedRow again = bad;
  again.reason = "negative deaths: 'best' = '-1' (newer wording)";
  auto q2 = (*second)->Quarantine(again);
  ASSERT_TRUE(q2.ok());
  EXPECT_EQ(*q2, *q1);  // the same entry
  QuarantinedRow other = bad;
  other.raw = "42,x,-2";  // the file changed at that line: a new entry
  auto q3 = (*second)->Quarantine(other);
  ASSERT_TRUE(q3.ok());
  EXPECT_NE(*q3, *q1);
  auto counts = (*second)->Finish(0);
  ASSERT_TRUE(counts.ok());
  EXPECT_EQ(counts->quarantined, 2);  // still counted in this import
  EXPECT_EQ(counts->read, 2);
  EXPECT_EQ(Scalar(*db, "SELECT count(*) FROM quarantine"), 2);
  auto moved = GetQuarantine(*db, *q1);
  ASSERT_TRUE(moved.ok());
  EXPECT_EQ(moved->import_id, second_id);
  EXPECT_EQ(moved->reason, again.reason);

  // Once resolved, the record quarantined again is a new open entry.
  ASSERT_TRUE(ResolveQuarantine(*db, *q1, "checked by hand").ok());
  auto third = EventImport::Begin(*db, "ged", "/in/monthly.csv", {}, Record);
  ASSERT_TRUE(third.ok());
  auto q4 = (*third)->Quarantine(bad);
  ASSERT_TRUE(q4.ok());
  EXPECT_NE(*q4, *q1);
  ASSERT_TRUE((*third)->Finish(0).ok());
  EXPECT_EQ(Scalar(*db, "SELECT count(*) FROM quarantine"), 3);
}

TEST(EventStoreTest, LoadEventColumnsOrdersFiltersAndInterns) {
  auto db = OpenDb();
  auto imp = EventImport::Begin(*db, "ged", "x.csv", {}, Record);
  ASSERT_TRUE(imp.ok());
  // Stored out of order: (gw, day) order must come from the load.
  std::vector<Event> events = {
      MakeEvent("a", 625, 18010, 5, "Darfur", "RSF", "Civilians"),
      MakeEvent("b", 482, 18020, 1, "Ouaka", "UPC", "Civilians"),
      MakeEvent("c", 482, 18000, 2, "Ouaka", "FPRC", "Civilians"),
      MakeEvent("d", 625, 18010, 3, "Darfur", "RSF", "Civilians"),
      MakeEvent("e", 490, 17000, 9, "", "", ""),
  };
  events[4].violence = Violence::kStateBased;
  events[4].civilian_targeting = false;
  events[4].deaths_civilians = 0;
  events[4].latitude = events[4].longitude = std::nan("");
  events[4].cell = 0;
  for (std::size_t i = 0; i < events.size(); ++i) {
    ASSERT_TRUE((*imp)->Add(events[i], Fingerprint(events[i]), 2 + i).ok());
  }
  Event other = MakeEvent("a", 482, 18005, 4, "Ouaka", "UPC", "Civilians");
  other.source = "acled";
  ASSERT_TRUE((*imp)->Add(other, Fingerprint(other), 9).ok());
  ASSERT_TRUE((*imp)->Finish(0).ok());

  auto cols = LoadEventColumns(*db, {});
  ASSERT_TRUE(cols.ok()) << cols.status().ToString();
  ASSERT_EQ(cols->size(), 6u);
  ASSERT_EQ(cols->row_id.size(), 6u);
  ASSERT_EQ(cols->deaths_civilians.size(), 6u);
  EXPECT_EQ(cols->gw, (std::vector<std::int32_t>{482, 482, 482, 490, 625, 625}));
  EXPECT_EQ(cols->day, (std::vector<Day>{18000, 18005, 18020, 17000, 18010, 18010}));
  EXPECT_EQ(cols->deaths_best, (std::vector<std::int32_t>{2, 4, 1, 9, 5, 3}));
  EXPECT_LT(cols->row_id[4], cols->row_id[5]);  // ties by id
  EXPECT_EQ(cols->strings[cols->admin1_id[0]], "Ouaka");
  EXPECT_EQ(cols->admin1_id[0], cols->admin1_id[1]);  // interned once
  EXPECT_EQ(cols->strings[cols->actor1_id[4]], "RSF");
  EXPECT_EQ(cols->admin1_id[3], 0u);  // "" is id 0
  EXPECT_EQ(cols->cell[3], 0);
  EXPECT_EQ(cols->cell[0], PrioGridCell(4.5, 18.25));
  EXPECT_EQ(cols->violence[3], Violence::kStateBased);
  EXPECT_EQ(cols->civilian_targeting[0], 1);
  EXPECT_EQ(cols->civilian_targeting[3], 0);

  EventQuery q;
  q.gw = {625, 490};
  q.first_day = 17500;
  auto some = LoadEventColumns(*db, q);
  ASSERT_TRUE(some.ok());
  EXPECT_EQ(some->gw, (std::vector<std::int32_t>{625, 625}));
  EventQuery by_source;
  by_source.source = "acled";
  by_source.last_day = 18005;
  auto acled = LoadEventColumns(*db, by_source);
  ASSERT_TRUE(acled.ok());
  ASSERT_EQ(acled->size(), 1u);
  EXPECT_EQ(acled->deaths_best[0], 4);

  // Whole events by row id, in the order asked.
  auto rows = LoadEventsByRow(*db, {cols->row_id[4], cols->row_id[0]});
  ASSERT_TRUE(rows.ok()) << rows.status().ToString();
  ASSERT_EQ(rows->size(), 2u);
  EXPECT_EQ((*rows)[0].event.event_id, "a");
  EXPECT_EQ((*rows)[0].event.admin1, "Darfur");
  EXPECT_EQ((*rows)[1].event.event_id, "c");
  EXPECT_EQ((*rows)[1].version, 1);
  auto missing = LoadEventsByRow(*db, {cols->row_id[0], 12345});
  EXPECT_EQ(missing.status().code(), Status::Code::kNotFound);
  auto nan_row = LoadEventsByRow(*db, {cols->row_id[3]});
  ASSERT_TRUE(nan_row.ok());
  EXPECT_TRUE(std::isnan((*nan_row)[0].event.latitude));
}

}  // namespace
}  // namespace vigil::store
