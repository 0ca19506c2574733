#include "monitor/events/aggregate.h"

#include <gtest/gtest.h>

#include <map>
#include <tuple>

namespace vigil::events {
namespace {

class AggregateTest : public ::testing::Test {
 protected:
  void SetUp() override {
    // gw 500 (Uganda), two admin1 units, two cells; gw 490 one event.
    Add(500, 2020, 1, 3, "North", 100, Violence::kStateBased, "Gov", "Rebels", 10, 2);
    Add(500, 2020, 1, 9, "North", 100, Violence::kOneSided, "Rebels", "Civilians", 7, 7);
    Add(500, 2020, 1, 20, "South", 101, Violence::kNonState, "Rebels", "Militia", 4, 1);
    Add(500, 2020, 1, 21, "South", 101, Violence::kStateBased, "Gov", "Rebels", 6, 0);
    Add(500, 2020, 2, 1, "North", 100, Violence::kOneSided, "Gov", "Civilians", 3, 3);
    Add(500, 2020, 2, 2, "North", 0, Violence::kUnrest, "Rioters", "", 1, 0, /*targeting=*/true);
    Add(490, 2020, 2, 2, "Kivu", 200, Violence::kStateBased, "Gov", "M23", 50, 5);
  }
  void Add(int gw, int y, int m, int d, const char* admin1, int cell, Violence v, const char* a1,
           const char* a2, int best, int civ, bool targeting = false) {
    Event e;
    e.date_start = e.date_end = DaysFromCivil(y, m, d);
    e.gw = gw;
    e.admin1 = admin1;
    e.cell = cell;
    e.violence = v;
    e.actor1 = a1;
    e.actor2 = a2;
    e.deaths_best = best;
    e.deaths_civilians = civ;
    e.civilian_targeting = targeting || v == Violence::kOneSided;
    ev_.Append(e, static_cast<std::int64_t>(ev_.size()) + 1);
  }
  EventColumns ev_;
};

TEST_F(AggregateTest, CountryMonths) {
  auto t = Aggregate(ev_, AggregateLevel::kCountry);
  EXPECT_EQ(t.events_used, 7u);
  ASSERT_EQ(t.rows.size(), 3u);
  const UnitMonth& drc = t.rows[0];
  EXPECT_EQ(drc.gw, 490);
  EXPECT_EQ(drc.deaths, 50);
  EXPECT_EQ(drc.civilian_deaths, 5);
  const UnitMonth& jan = t.rows[1];
  EXPECT_EQ(jan.gw, 500);
  EXPECT_EQ(jan.month, MakeMonth(2020, 1));
  EXPECT_EQ(jan.events, 4);
  EXPECT_EQ(jan.deaths, 27);
  EXPECT_EQ(jan.deaths_state_based, 16);
  EXPECT_EQ(jan.deaths_non_state, 4);
  EXPECT_EQ(jan.deaths_one_sided, 7);
  EXPECT_EQ(jan.civilian_deaths, 2 + 7 + 1 + 0);
  EXPECT_EQ(jan.one_sided_events, 1);
  EXPECT_EQ(jan.actor_pairs, 3);  // Gov-Rebels twice, Rebels-Civilians, Rebels-Militia
  const UnitMonth& feb = t.rows[2];
  EXPECT_EQ(feb.events, 2);
  EXPECT_EQ(feb.deaths, 4);
  EXPECT_EQ(feb.deaths_one_sided, 3);
  EXPECT_EQ(feb.civilian_deaths, 3 + 1);  // the riot targets civilians: its best deaths count
  EXPECT_EQ(feb.one_sided_events, 2);
  EXPECT_EQ(feb.deaths_state_based + feb.deaths_non_state, 0);
}

TEST_F(AggregateTest, HashedPathGivesTheSameTables) {
  AggregateFilter hashed;
  hashed.max_dense_slots = 0;
  for (auto level : {AggregateLevel::kCountry, AggregateLevel::kAdmin1, AggregateLevel::kCell,
                     AggregateLevel::kActorPair}) {
    auto a = Aggregate(ev_, level), b = Aggregate(ev_, level, hashed);
    ASSERT_EQ(a.rows.size(), b.rows.size());
    for (std::size_t i = 0; i < a.rows.size(); ++i) {
      EXPECT_EQ(a.rows[i].gw, b.rows[i].gw);
      EXPECT_EQ(a.rows[i].month, b.rows[i].month);
      EXPECT_EQ(a.rows[i].admin1_id, b.rows[i].admin1_id);
      EXPECT_EQ(a.rows[i].cell, b.rows[i].cell);
      EXPECT_EQ(a.rows[i].actor1_id, b.rows[i].actor1_id);
      EXPECT_EQ(a.rows[i].civilian_deaths, b.rows[i].civilian_deaths);
      EXPECT_EQ(a.rows[i].actor_pairs, b.rows[i].actor_pairs);
    }
  }
}

TEST_F(AggregateTest, Admin1CellAndPairLevels) {
  auto a = Aggregate(ev_, AggregateLevel::kAdmin1);
  ASSERT_EQ(a.rows.size(), 4u);  // Kivu; North Jan, North Feb; South Jan (sorted by name)
  EXPECT_EQ(ev_.strings[a.rows[1].admin1_id], "North");
  EXPECT_EQ(a.rows[1].deaths, 17);
  EXPECT_EQ(ev_.strings[a.rows[3].admin1_id], "South");
  EXPECT_EQ(a.rows[3].deaths, 10);
  EXPECT_EQ(a.rows[3].actor_pairs, 2);

  auto c = Aggregate(ev_, AggregateLevel::kCell);
  ASSERT_EQ(c.rows.size(), 5u);  // 200; 0 Feb; 100 Jan, 100 Feb; 101 Jan
  EXPECT_EQ(c.rows[1].cell, 0);
  EXPECT_EQ(c.rows[2].cell, 100);
  EXPECT_EQ(c.rows[2].events, 2);
  EXPECT_EQ(c.rows[4].cell, 101);
  EXPECT_EQ(c.rows[4].deaths, 10);

  auto p = Aggregate(ev_, AggregateLevel::kActorPair);
  // 490: Gov-M23; 500: Gov-Civilians (Feb), Gov-Rebels (Jan, 2 events), Rebels-Civilians,
  // Rebels-Militia, Rioters-"".
  ASSERT_EQ(p.rows.size(), 6u);
  EXPECT_EQ(ev_.strings[p.rows[2].actor1_id], "Gov");
  EXPECT_EQ(ev_.strings[p.rows[2].actor2_id], "Rebels");
  EXPECT_EQ(p.rows[2].events, 2);
  EXPECT_EQ(p.rows[2].deaths, 16);
  EXPECT_EQ(p.rows[2].actor_pairs, 1);
}

TEST_F(AggregateTest, Filters) {
  AggregateFilter f;
  f.gw = {500};
  f.from = MakeMonth(2020, 2);
  auto t = Aggregate(ev_, AggregateLevel::kCountry, f);
  EXPECT_EQ(t.events_used, 2u);
  ASSERT_EQ(t.rows.size(), 1u);
  EXPECT_EQ(t.rows[0].month, MakeMonth(2020, 2));
  f.to = MakeMonth(2020, 1);
  EXPECT_TRUE(Aggregate(ev_, AggregateLevel::kCountry, f).rows.empty());
  EXPECT_EQ(*ParseAggregateLevel("actor-pair"), AggregateLevel::kActorPair);
  EXPECT_FALSE(ParseAggregateLevel("province").ok());
}

TEST(Aggregate, ManyGroupsMatchASimpleMap) {
  // Enough groups to grow the hash tables several times.
  EventColumns ev;
  std::map<std::tuple<int, int, int>, std::pair<std::int64_t, std::int64_t>> want;  // (gw, cell, month)
  for (int i = 0; i < 200000; ++i) {
    Event e;
    e.gw = 1 + (i * 7) % 900;
    e.cell = 1 + (i * 13) % 5000;
    e.date_start = DaysFromCivil(2000 + i % 20, 1 + (i / 20) % 12, 1 + i % 28);
    e.deaths_best = i % 5;
    e.violence = static_cast<Violence>(i % 5);
    ev.Append(e, i + 1);
    auto& w = want[{e.gw, e.cell, MonthOf(e.date_start)}];
    ++w.first;
    w.second += e.deaths_best;
  }
  auto t = Aggregate(ev, AggregateLevel::kCell);
  ASSERT_EQ(t.rows.size(), want.size());
  // The hash-table path gives the same table.
  AggregateFilter hashed;
  hashed.max_dense_slots = 0;
  auto h = Aggregate(ev, AggregateLevel::kCell, hashed);
  ASSERT_EQ(h.rows.size(), t.rows.size());
  for (std::size_t i = 0; i < h.rows.size(); ++i) {
    ASSERT_EQ(std::make_tuple(h.rows[i].gw, h.rows[i].cell, h.rows[i].month, h.rows[i].events,
                              h.rows[i].deaths, h.rows[i].actor_pairs),
              std::make_tuple(t.rows[i].gw, t.rows[i].cell, t.rows[i].month, t.rows[i].events,
                              t.rows[i].deaths, t.rows[i].actor_pairs));
  }
  std::size_t k = 0;
  for (const auto& [key, w] : want) {  // same order: gw, cell, month
    const UnitMonth& r = t.rows[k++];
    ASSERT_EQ(std::make_tuple(r.gw, r.cell, r.month), key);
    ASSERT_EQ(r.events, w.first);
    ASSERT_EQ(r.deaths, w.second);
  }
}

}  // namespace
}  // namespace vigil::events
