#include "sim/epstein.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>

namespace vigil::sim {
namespace {

// Outbursts: actives reach `high` after a quiet spell (actives below `low`
// for at least `spell` steps).
struct Episodes {
  int outbursts = 0;
  double quiet_share = 0;
};
Episodes Analyze(const std::vector<EpsteinStep>& s, int burn_in, int low, int high, int spell) {
  Episodes e;
  int quiet_run = 0, quiet = 0, n = 0;
  bool armed = false;
  for (const auto& x : s) {
    if (x.step <= burn_in) continue;
    ++n;
    const int a = x.active[0];
    if (a < low) {
      ++quiet;
      if (++quiet_run >= spell) armed = true;
    } else {
      quiet_run = 0;
    }
    if (a >= high && armed) {
      ++e.outbursts;
      armed = false;
    }
  }
  e.quiet_share = n ? static_cast<double>(quiet) / n : 0;
  return e;
}

TEST(EpsteinTest, ValidationNamesParameterAndRange) {
  EpsteinParams p;
  p.agent_density = 0.8;
  p.cop_density = 0.3;
  Status st = ValidateEpstein(p);
  ASSERT_FALSE(st.ok());
  EXPECT_NE(st.message().find("agent_density + cop_density"), std::string::npos) << st.message();
  EXPECT_NE(st.message().find("at most 1"), std::string::npos);
  p = EpsteinParams();
  p.agent_vision = 40;
  st = ValidateEpstein(p);
  ASSERT_FALSE(st.ok());
  EXPECT_NE(st.message().find("agent_vision"), std::string::npos) << st.message();
  p = EpsteinParams();
  p.vision_shape = "hex";
  EXPECT_FALSE(ValidateEpstein(p).ok());
  p = EpsteinParams();
  p.legitimacy_schedule.push_back({10, 1.5});
  st = ValidateEpstein(p);
  ASSERT_FALSE(st.ok());
  EXPECT_NE(st.message().find("legitimacy_schedule[0].value"), std::string::npos) << st.message();
}

TEST(EpsteinTest, SameSeedSameRunOtherSeedOtherRun) {
  EpsteinParams p;
  p.steps = 60;
  auto a = RunEpstein(p, 1), b = RunEpstein(p, 1);
  p.seed = 2;
  auto c = RunEpstein(p, 1);
  ASSERT_TRUE(a.ok() && b.ok() && c.ok());
  bool same = true, differ = false;
  for (int t = 0; t < 60; ++t) {
    same = same && a->series[t].active[0] == b->series[t].active[0] && a->series[t].jailed[0] == b->series[t].jailed[0];
    differ = differ || a->series[t].active[0] != c->series[t].active[0];
  }
  EXPECT_TRUE(same);
  EXPECT_TRUE(differ);
  EXPECT_EQ(a->agents, 1120 + 64);
}

// A large grid is split into strips; the result must not depend on threads.
TEST(EpsteinTest, SplitRunIdenticalForAnyThreadCount) {
  for (int model : {1, 2}) {
    EpsteinParams p;
    p.model = model;
    p.width = 320;
    p.height = 300;
    p.steps = 6;
    p.legitimacy_groups[0] = p.legitimacy_groups[1] = 0.6;
    EpsteinModel m1(p), m2(p), m3(p);
    EXPECT_GT(m1.blocks(), 2);
    for (int t = 0; t < p.steps; ++t) {
      m1.Step(1);
      m2.Step(2);
      m3.Step(3);
    }
    EXPECT_TRUE(m1.kinds() == m2.kinds()) << "model " << model;
    EXPECT_TRUE(m1.kinds() == m3.kinds()) << "model " << model;
    EXPECT_EQ(m1.Snapshot().jailed[0], m2.Snapshot().jailed[0]);
  }
}

TEST(EpsteinTest, ConservesAgentsInModelI) {
  EpsteinParams p;
  p.steps = 200;
  auto r = RunEpstein(p, 1);
  ASSERT_TRUE(r.ok());
  for (const auto& s : r->series) {
    ASSERT_EQ(s.Population(0), 1120) << "step " << s.step;
    ASSERT_EQ(s.cops, 64);
  }
}

// Epstein's Figs. 3-4: at the classic settings long quiet spells are broken
// by outbursts (punctuated equilibrium); with high legitimacy there are none.
TEST(EpsteinTest, ModelIQuietSpellsBrokenByOutbursts) {
  int with_outbursts = 0;
  std::vector<double> quiet;
  for (int seed = 1; seed <= 10; ++seed) {
    EpsteinParams p;
    p.seed = seed;
    p.steps = 1000;
    p.legitimacy = 0.8;
    auto r = RunEpstein(p, 1);
    ASSERT_TRUE(r.ok());
    Episodes e = Analyze(r->series, 50, 10, 50, 20);
    with_outbursts += e.outbursts >= 1;
    quiet.push_back(e.quiet_share);
  }
  std::sort(quiet.begin(), quiet.end());
  EXPECT_GE(with_outbursts, 7) << "runs with at least one outburst after a quiet spell, of 10";
  EXPECT_GE(quiet[5], 0.8) << "median share of quiet steps";
  // Control: legitimacy 0.95 leaves nobody with grievance above the threshold
  // (H(1-L) <= 0.05 < T), so there is no outburst at all.
  EpsteinParams p;
  p.steps = 500;
  p.legitimacy = 0.95;
  auto r = RunEpstein(p, 1);
  ASSERT_TRUE(r.ok());
  int peak = 0;
  for (const auto& s : r->series) peak = std::max(peak, s.active[0]);
  EXPECT_EQ(peak, 0);
}

// Epstein's Figs. 12-17: without peacekeepers one group is wiped out fast;
// with enough peacekeepers coexistence lasts markedly longer.
TEST(EpsteinTest, ModelIIPeacekeepersDelayCleansing) {
  auto waiting = [](double cops) {
    std::vector<int> t_end;
    for (int seed = 1; seed <= 8; ++seed) {
      EpsteinParams p;
      p.model = 2;
      p.seed = seed;
      p.steps = 300;
      p.cop_density = cops;
      p.legitimacy_groups[0] = p.legitimacy_groups[1] = 0.6;
      auto r = RunEpstein(p, 1);
      EXPECT_TRUE(r.ok());
      int end = p.steps + 1;  // censored: both groups survive
      for (const auto& s : r->series) {
        if (std::min(s.Population(0), s.Population(1)) == 0) {
          end = s.step;
          break;
        }
      }
      t_end.push_back(end);
    }
    std::sort(t_end.begin(), t_end.end());
    return t_end;
  };
  const auto none = waiting(0.0), enough = waiting(0.1);
  EXPECT_LE(none[4], 50) << "median steps to the end of a group without peacekeepers";
  EXPECT_EQ(none.back() <= 300, true) << "every run without peacekeepers ends in cleansing";
  EXPECT_GE(enough[4], 10 * none[4]) << "median waiting time with cop density 0.1";
  EXPECT_GT(enough[4], 300) << "with enough peacekeepers both groups survive 300 steps in most runs";
}

// Epstein's legitimacy crises: a sudden drop in legitimacy sets off an
// outburst where a gradual decline of the same size (or larger) does not,
// because the few agents it turns active at a time are arrested one by one.
// Setting (documented in docs/sim.md): 40x40, cop density 0.06, Jmax 30,
// legitimacy 0.9 for 100 quiet steps; then either a jump to 0.6 (or only to
// 0.65) or a linear decline to 0.6 over the next 200 steps. Outburst: more
// than 50 actives (4.5% of the citizens) within 50 steps of the jump, or at
// any time during the 200-step decline.
TEST(EpsteinTest, SuddenLegitimacyDropSetsOffAnOutburstAGradualOneDoesNot) {
  auto outburst_share = [](double jump_to, bool gradual) {
    int outbursts = 0;
    for (int seed = 1; seed <= 30; ++seed) {
      EpsteinParams p;
      p.seed = seed;
      p.cop_density = 0.06;
      p.legitimacy = 0.9;
      if (gradual) {
        EXPECT_TRUE(AddLegitimacyRamp(p, 100, 300, jump_to).ok());
        p.steps = 300;
      } else {
        p.legitimacy_schedule.push_back({101, jump_to, -1});
        p.steps = 150;
      }
      auto r = RunEpstein(p, 1);
      EXPECT_TRUE(r.ok());
      int before = 0, after = 0;
      for (const auto& s : r->series) {
        int& peak = s.step <= 100 ? before : after;
        peak = std::max(peak, s.active[0]);
      }
      EXPECT_EQ(before, 0) << "quiet at legitimacy 0.9 (seed " << seed << ")";
      outbursts += after > 50;
    }
    return outbursts / 30.0;
  };
  const double sudden = outburst_share(0.6, false), smaller_sudden = outburst_share(0.65, false),
               gradual = outburst_share(0.6, true);
  std::printf("outburst share over 30 seeds: jump to 0.6 %.2f, jump to 0.65 %.2f, decline to 0.6 %.2f\n", sudden,
              smaller_sudden, gradual);
  EXPECT_GE(sudden, 0.8) << "share of runs with an outburst after a jump from 0.9 to 0.6";
  EXPECT_LE(gradual, 0.1) << "share of runs with an outburst during a decline from 0.9 to 0.6 over 200 steps";
  EXPECT_GE(smaller_sudden, 0.4) << "a smaller jump (to 0.65) still sets off outbursts";
  EXPECT_GT(smaller_sudden, gradual + 0.3);
}

TEST(EpsteinTest, LegitimacyRampStartsFromTheLevelInEffect) {
  EpsteinParams p;
  p.legitimacy = 0.8;
  p.legitimacy_schedule.push_back({5, 0.7, -1});
  ASSERT_TRUE(AddLegitimacyRamp(p, 10, 14, 0.5).ok());
  ASSERT_EQ(p.legitimacy_schedule.size(), 5u);
  EXPECT_EQ(p.legitimacy_schedule[1].step, 11);
  EXPECT_DOUBLE_EQ(p.legitimacy_schedule[1].value, 0.65);
  EXPECT_EQ(p.legitimacy_schedule[4].step, 14);
  EXPECT_DOUBLE_EQ(p.legitimacy_schedule[4].value, 0.5);
  EXPECT_FALSE(AddLegitimacyRamp(p, 10, 10, 0.5).ok());
  EXPECT_FALSE(AddLegitimacyRamp(p, 0, 10, 0.5).ok());
  EXPECT_FALSE(AddLegitimacyRamp(p, 1, 10, 1.5).ok());
  EpsteinParams two;
  two.model = 2;
  EXPECT_NE(AddLegitimacyRamp(two, 1, 10, 0.5).message().find("Model I only"), std::string::npos);
  p.steps = 20;
  auto r = RunEpstein(p, 1);
  ASSERT_TRUE(r.ok());
  EXPECT_DOUBLE_EQ(r->series[3].legitimacy[0], 0.8);   // step 4
  EXPECT_DOUBLE_EQ(r->series[9].legitimacy[0], 0.7);   // step 10
  EXPECT_DOUBLE_EQ(r->series[11].legitimacy[0], 0.6);  // step 12
  EXPECT_DOUBLE_EQ(r->series[19].legitimacy[0], 0.5);  // step 20
}

TEST(EpsteinTest, CsvRows) {
  EpsteinStep s;
  s.step = 3;
  s.active[0] = 5;
  EXPECT_EQ(EpsteinCsvHeader(1), "step,legitimacy,quiet,active,jailed,cops,arrests");
  EXPECT_EQ(EpsteinCsvRow(s, 1), "3,0,0,5,0,0,0");
}

}  // namespace
}  // namespace vigil::sim
