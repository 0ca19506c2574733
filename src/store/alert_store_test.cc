#include "store/alert_store.h"
#include "store/event_store.h"

#include <gtest/gtest.h>

#include <cmath>
#include <memory>

namespace vigil::store {
namespace {

constexpr int kCar = 482, kSudan = 625;

// A database with two countries and `events` stored events (rows 1..events)
// that alerts can cite as evidence.
std::unique_ptr<Db> MakeDb(int events = 6) {
  auto db = Db::Open(":memory:");
  EXPECT_TRUE(db.ok()) << db.status().ToString();
  EXPECT_TRUE((*db)->Exec("INSERT INTO countries (gw, iso3, name, region, first_year) VALUES "
                          "(482, 'CAF', 'Central African Republic', 'Middle Africa', 1960), "
                          "(625, 'SDN', 'Sudan', 'Northern Africa', 1956);"
                          "INSERT INTO event_imports (id, started_at, format, path) VALUES "
                          "(1, '2026-01-01T00:00:00Z', 'ged', 'x.csv');")
                  .ok());
  for (int i = 1; i <= events; ++i) {
    auto st = (*db)->Prepare("INSERT INTO events (id, source, event_id, fingerprint, import_id, line, "
                             "date_start, date_end, gw, country, violence) VALUES (?, 'ged', ?, 0, 1, ?, "
                             "?, ?, 482, 'CAR', 3)");
    EXPECT_TRUE(st.ok());
    const Day d = DaysFromCivil(2013, 12, i);
    st->Bind(1, i).Bind(2, std::to_string(i)).Bind(3, i + 1).Bind(4, d).Bind(5, d);
    EXPECT_TRUE(st->Run().ok());
  }
  return std::move(db).value();
}

AlertRecord Alert(const std::string& detector, int gw, MonthIndex month, std::vector<std::int64_t> evidence,
                  const std::string& unit = "") {
  AlertRecord a;
  a.detector = detector;
  a.gw = gw;
  a.unit = unit;
  a.month = month;
  a.key = detector + "|" + std::to_string(gw) + "|" + unit + "|" + std::to_string(month);
  a.as_of = DaysFromCivil(2014, 1, 31);
  a.severity = "high";
  a.score = 4.5;
  a.summary = detector + " alert";
  a.details_json = R"({"baseline":2.0})";
  a.evidence = std::move(evidence);
  return a;
}

TEST(AlertStoreTest, SaveIsIdempotentByKeyAndUpdatesContentInPlace) {
  auto db = MakeDb();
  const MonthIndex dec = MakeMonth(2013, 12);
  std::vector<AlertRecord> scan = {Alert("cusum", kCar, dec, {3, 1, 2, 1}),
                                   Alert("new-pair", kCar, dec, {4}, "Seleka -> civilians")};
  auto first = SaveAlerts(*db, scan);
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  EXPECT_EQ(first->created, 2);
  EXPECT_EQ(first->updated, 0);
  ASSERT_EQ(first->ids.size(), 2u);

  auto again = SaveAlerts(*db, scan);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->created, 0);
  EXPECT_EQ(again->unchanged, 2);
  EXPECT_EQ(again->ids, first->ids);
  auto all = ListAlerts(*db, {});
  ASSERT_TRUE(all.ok());
  EXPECT_EQ(all->size(), 2u);

  auto cusum = GetAlert(*db, first->ids[0]);
  ASSERT_TRUE(cusum.ok());
  EXPECT_EQ(cusum->evidence, (std::vector<std::int64_t>{1, 2, 3}));  // sorted, once each
  EXPECT_EQ(cusum->evidence_count, 3);
  EXPECT_EQ(cusum->status, "new");
  EXPECT_FALSE(cusum->created_at.empty());

  // The analyst acknowledges it; a later scan finds more evidence and a higher
  // score: content updated, status kept, no duplicate.
  ASSERT_TRUE(SetAlertStatus(*db, {first->ids[0]}, "acknowledged", "").ok());
  scan[0].score = 7.25;
  scan[0].severity = "critical";
  scan[0].summary = "cusum alert, stronger";
  scan[0].details_json = R"({"baseline":2.5})";
  scan[0].evidence = {1, 2, 3, 5};
  scan[0].as_of = DaysFromCivil(2014, 2, 28);
  auto third = SaveAlerts(*db, scan);
  ASSERT_TRUE(third.ok());
  EXPECT_EQ(third->updated, 1);
  EXPECT_EQ(third->unchanged, 1);
  EXPECT_EQ(third->outcomes[0], SaveOutcome::kUpdated);
  EXPECT_EQ(third->ids[0], first->ids[0]);
  auto back = GetAlert(*db, first->ids[0]);
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(back->status, "acknowledged");
  EXPECT_EQ(back->severity, "critical");
  EXPECT_DOUBLE_EQ(back->score, 7.25);
  EXPECT_EQ(back->summary, "cusum alert, stronger");
  EXPECT_EQ(back->details_json, R"({"baseline":2.5})");
  EXPECT_EQ(back->as_of, DaysFromCivil(2014, 2, 28));
  EXPECT_EQ(back->evidence, (std::vector<std::int64_t>{1, 2, 3, 5}));
  EXPECT_EQ(back->created_at, cusum->created_at);

  // Evidence alone changing is an update too.
  scan[0].evidence = {1, 2};
  auto fourth = SaveAlerts(*db, scan);
  ASSERT_TRUE(fourth.ok());
  EXPECT_EQ(fourth->updated, 1);
  EXPECT_EQ(GetAlert(*db, first->ids[0])->evidence, (std::vector<std::int64_t>{1, 2}));
  EXPECT_EQ(ListAlerts(*db, {})->size(), 2u);
}

TEST(AlertStoreTest, BadRecordsStoreNothing) {
  auto db = MakeDb();
  const MonthIndex dec = MakeMonth(2013, 12);
  auto bad_severity = Alert("cusum", kCar, dec, {1});
  bad_severity.severity = "severe";
  auto r = SaveAlerts(*db, {Alert("threshold", kCar, dec, {2}), bad_severity});
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("severe"), std::string::npos);
  EXPECT_TRUE(ListAlerts(*db, {})->empty());

  auto missing_event = SaveAlerts(*db, {Alert("threshold", kCar, dec, {2}), Alert("cusum", kCar, dec, {99})});
  ASSERT_FALSE(missing_event.ok());
  EXPECT_NE(missing_event.status().message().find("event row 99"), std::string::npos);
  EXPECT_TRUE(ListAlerts(*db, {})->empty());  // the transaction rolled back

  auto unknown_country = SaveAlerts(*db, {Alert("cusum", 999, dec, {1})});
  ASSERT_FALSE(unknown_country.ok());
  EXPECT_NE(unknown_country.status().message().find("gw 999"), std::string::npos);

  auto twice = SaveAlerts(*db, {Alert("cusum", kCar, dec, {1}), Alert("cusum", kCar, dec, {2})});
  ASSERT_FALSE(twice.ok());
  EXPECT_NE(twice.status().message().find("twice"), std::string::npos);

  auto nan_score = Alert("cusum", kCar, dec, {1});
  nan_score.score = std::nan("");
  EXPECT_FALSE(SaveAlerts(*db, {nan_score}).ok());
  auto bad_json = Alert("cusum", kCar, dec, {1});
  bad_json.details_json = "{baseline";
  EXPECT_FALSE(SaveAlerts(*db, {bad_json}).ok());
  EXPECT_TRUE(ListAlerts(*db, {})->empty());
}

TEST(AlertStoreTest, StatusChangesAndDismissRequiresAReason) {
  auto db = MakeDb();
  auto saved = SaveAlerts(*db, {Alert("cusum", kCar, MakeMonth(2013, 11), {1}),
                                Alert("threshold", kCar, MakeMonth(2013, 12), {2}),
                                Alert("spread", kSudan, MakeMonth(2013, 12), {})});
  ASSERT_TRUE(saved.ok()) << saved.status().ToString();
  const auto& ids = saved->ids;

  Status no_reason = SetAlertStatus(*db, {ids[0]}, "dismissed", "  ");
  ASSERT_FALSE(no_reason.ok());
  EXPECT_EQ(no_reason.code(), Status::Code::kInvalidArgument);
  EXPECT_NE(no_reason.message().find("reason"), std::string::npos);
  EXPECT_EQ(GetAlert(*db, ids[0])->status, "new");

  ASSERT_TRUE(SetAlertStatus(*db, {ids[0], ids[1]}, "dismissed", "known clashes, reported already").ok());
  auto dismissed = GetAlert(*db, ids[1]);
  EXPECT_EQ(dismissed->status, "dismissed");
  EXPECT_EQ(dismissed->status_reason, "known clashes, reported already");
  EXPECT_FALSE(dismissed->status_at.empty());

  // A missing id changes nothing, not even the ids before it.
  Status missing = SetAlertStatus(*db, {ids[2], 4242}, "acknowledged", "");
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.code(), Status::Code::kNotFound);
  EXPECT_NE(missing.message().find("4242"), std::string::npos);
  EXPECT_EQ(GetAlert(*db, ids[2])->status, "new");
  EXPECT_TRUE(GetAlert(*db, ids[2])->status_at.empty());

  ASSERT_TRUE(SetAlertStatus(*db, {ids[2]}, "acknowledged", "").ok());
  EXPECT_EQ(GetAlert(*db, ids[2])->status, "acknowledged");
  EXPECT_EQ(GetAlert(*db, ids[2])->status_reason, "");
  // Re-opening clears the reason.
  ASSERT_TRUE(SetAlertStatus(*db, {ids[0]}, "new", "").ok());
  EXPECT_EQ(GetAlert(*db, ids[0])->status_reason, "");
  EXPECT_FALSE(SetAlertStatus(*db, {ids[0]}, "closed", "x").ok());

  auto none = GetAlert(*db, 4242);
  ASSERT_FALSE(none.ok());
  EXPECT_EQ(none.status().code(), Status::Code::kNotFound);
}

// A triage names the revision it read; a colleague's triage or a re-scan
// that changes the alert in between makes it stale, and nothing changes.
TEST(AlertStoreTest, ATriageOnAStaleRevisionChangesNothing) {
  auto db = MakeDb();
  std::vector<AlertRecord> scan = {Alert("cusum", kCar, MakeMonth(2013, 12), {1, 2})};
  auto saved = SaveAlerts(*db, scan);
  ASSERT_TRUE(saved.ok()) << saved.status().ToString();
  const std::int64_t id = saved->ids[0];
  EXPECT_EQ(GetAlert(*db, id)->revision, 1);

  // Two analysts read revision 1; the first acknowledges, the second's
  // dismissal is refused and the alert stays as the first left it.
  ASSERT_TRUE(SetAlertStatus(*db, {id}, "acknowledged", "following", "ana", 1).ok());
  EXPECT_EQ(GetAlert(*db, id)->revision, 2);
  Status stale = SetAlertStatus(*db, {id}, "dismissed", "artefact", "bob", 1);
  ASSERT_EQ(stale.code(), Status::Code::kAborted) << stale.ToString();
  EXPECT_NE(stale.message().find("revision 2"), std::string::npos) << stale.message();
  auto now = GetAlert(*db, id);
  EXPECT_EQ(now->status, "acknowledged");
  EXPECT_EQ(now->status_reason, "following");
  EXPECT_EQ(now->revision, 2);

  // An unchanged re-scan keeps the revision; one that changes the content adds one.
  ASSERT_TRUE(SaveAlerts(*db, scan).ok());
  EXPECT_EQ(GetAlert(*db, id)->revision, 2);
  scan[0].severity = "critical";
  ASSERT_TRUE(SaveAlerts(*db, scan).ok());
  EXPECT_EQ(GetAlert(*db, id)->revision, 3);
  EXPECT_EQ(SetAlertStatus(*db, {id}, "dismissed", "artefact", "bob", 2).code(), Status::Code::kAborted);
  EXPECT_TRUE(SetAlertStatus(*db, {id}, "dismissed", "artefact", "bob", 3).ok());

  // A revision names one alert.
  EXPECT_EQ(SetAlertStatus(*db, {id, id}, "new", "", "bob", 4).code(), Status::Code::kInvalidArgument);
}

TEST(AlertStoreTest, CountryEventsOfAMonthAreLimitedAndCounted) {
  auto db = MakeDb(6);  // rows 1..6 on 2013-12-01..06 in the CAR
  std::int64_t total = 0;
  auto some = LoadCountryEvents(*db, kCar, DaysFromCivil(2013, 12, 2), DaysFromCivil(2013, 12, 31), 3, &total);
  ASSERT_TRUE(some.ok()) << some.status().ToString();
  EXPECT_EQ(total, 5);
  ASSERT_EQ(some->size(), 3u);
  EXPECT_EQ((*some)[0].row_id, 2);
  EXPECT_EQ((*some)[2].row_id, 4);
  auto other = LoadCountryEvents(*db, kSudan, DaysFromCivil(2013, 12, 1), DaysFromCivil(2013, 12, 31), 10, &total);
  ASSERT_TRUE(other.ok());
  EXPECT_TRUE(other->empty());
  EXPECT_EQ(total, 0);
}

TEST(AlertStoreTest, ListFiltersByStatusCountryMonthAndDetector) {
  auto db = MakeDb();
  auto saved = SaveAlerts(*db, {Alert("cusum", kCar, MakeMonth(2013, 3), {1}),
                                Alert("threshold", kCar, MakeMonth(2013, 12), {2, 3}),
                                Alert("cusum", kSudan, MakeMonth(2013, 12), {}),
                                Alert("spread", kSudan, MakeMonth(2014, 1), {4})});
  ASSERT_TRUE(saved.ok()) << saved.status().ToString();
  ASSERT_TRUE(SetAlertStatus(*db, {saved->ids[1]}, "acknowledged", "").ok());
  ASSERT_TRUE(SetAlertStatus(*db, {saved->ids[3]}, "dismissed", "duplicate report").ok());

  auto all = ListAlerts(*db, {});
  ASSERT_TRUE(all.ok());
  ASSERT_EQ(all->size(), 4u);
  EXPECT_EQ((*all)[0].month, MakeMonth(2014, 1));  // newest month first
  EXPECT_EQ((*all)[1].gw, kCar);                   // then by country
  EXPECT_EQ((*all)[1].evidence_count, 2);
  EXPECT_TRUE((*all)[1].evidence.empty());  // lists carry counts, not rows

  AlertFilter open;
  open.statuses = {"new", "acknowledged"};
  EXPECT_EQ(ListAlerts(*db, open)->size(), 3u);
  AlertFilter car;
  car.gw = {kCar};
  EXPECT_EQ(ListAlerts(*db, car)->size(), 2u);
  AlertFilter since;
  since.since = MakeMonth(2013, 12);
  EXPECT_EQ(ListAlerts(*db, since)->size(), 3u);
  since.until = MakeMonth(2013, 12);
  EXPECT_EQ(ListAlerts(*db, since)->size(), 2u);
  AlertFilter cusum;
  cusum.detectors = {"cusum"};
  cusum.gw = {kSudan, kCar};
  cusum.statuses = {"new"};
  auto c = ListAlerts(*db, cusum);
  ASSERT_EQ(c->size(), 2u);
  for (const auto& a : *c) EXPECT_EQ(a.detector, "cusum");
  AlertFilter bad;
  bad.statuses = {"open"};  // the CLI expands "open"; the store takes stored statuses only
  EXPECT_FALSE(ListAlerts(*db, bad).ok());
}

TEST(AlertStoreTest, LatestEventDayAndAlertCutOff) {
  auto empty = Db::Open(":memory:");
  ASSERT_TRUE(empty.ok());
  EXPECT_FALSE(LatestEventDay(**empty, DaysFromCivil(2030, 1, 1))->has_value());
  EXPECT_FALSE(LatestAlertAsOf(**empty)->has_value());

  auto db = MakeDb(6);  // events on 2013-12-01 .. 2013-12-06
  EXPECT_EQ(LatestEventDay(*db, DaysFromCivil(2030, 1, 1))->value(), DaysFromCivil(2013, 12, 6));
  EXPECT_EQ(LatestEventDay(*db, DaysFromCivil(2013, 12, 3))->value(), DaysFromCivil(2013, 12, 3));
  EXPECT_FALSE(LatestEventDay(*db, DaysFromCivil(2013, 11, 30))->has_value());
  auto a = Alert("cusum", kCar, MakeMonth(2013, 12), {1});
  auto b = Alert("threshold", kCar, MakeMonth(2013, 11), {1});
  b.as_of = DaysFromCivil(2014, 3, 1);
  ASSERT_TRUE(SaveAlerts(*db, {a, b}).ok());
  EXPECT_EQ(LatestAlertAsOf(*db)->value(), DaysFromCivil(2014, 3, 1));
  EXPECT_EQ(SeverityLevel("critical"), 3);
  EXPECT_EQ(SeverityLevel("low"), 0);
  EXPECT_EQ(SeverityLevel("urgent"), -1);
}

}  // namespace
}  // namespace vigil::store
