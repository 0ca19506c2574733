// End-to-end tests of `vigil sim`: run, compare, sweep, epstein, throughput,
// and the errors for bad scenarios and options.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <utility>
#include <vector>

#include "tests/e2e/e2e_util.h"

namespace vigil::e2e {
namespace {

const std::string kScenario = std::string(VIGIL_SOURCE_DIR) + "/scenarios/default.json";

class SimTest : public CliTest {};

TEST_F(SimTest, RunPrintsDistributionsAndWritesFiles) {
  const std::string js = (dir_ / "run.json").string(), csv = (dir_ / "run.csv").string(),
                    svg = (dir_ / "run.svg").string(), series = (dir_ / "series.csv").string();
  RunResult r = Run({"-q", "sim", "run", kScenario, "--runs", "30", "--seed", "4", "--json", js, "--csv", csv, "--svg",
                     svg, "--series", series});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("civilian deaths"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("30 runs"), std::string::npos);
  json j = json::parse(Slurp(js));
  EXPECT_EQ(j["summary"]["runs"], 30);
  EXPECT_EQ(j["runs"].size(), 30u);
  const double mean = j["summary"]["civilian_deaths"]["mean"];
  EXPECT_LE(j["summary"]["civilian_deaths"]["p05"].get<double>(), mean);
  EXPECT_GE(j["summary"]["civilian_deaths"]["p95"].get<double>(), mean);
  const std::string csv_text = Slurp(csv);
  EXPECT_EQ(std::count(csv_text.begin(), csv_text.end(), '\n'), 31);
  EXPECT_NE(Slurp(svg).find("<svg"), std::string::npos);
  EXPECT_NE(Slurp(series).find("step,kills,deaths"), std::string::npos);
  // Same seed, any thread count: the same numbers.
  RunResult a = Run({"--json", "sim", "run", "default", "--runs", "20", "--threads", "1"});
  RunResult b = Run({"--json", "sim", "run", "default", "--runs", "20", "--threads", "2"});
  ASSERT_EQ(a.exit_code, 0) << a.err;
  json ja = json::parse(a.out), jb = json::parse(b.out);
  EXPECT_EQ(ja["runs"], jb["runs"]);
}

TEST_F(SimTest, CompareOptionsAndOptionFiles) {
  const std::string opt = Write("fast.json", R"({"type": "sim-option", "name": "fast", "levers": {"deployment_delay": 3, "decision_delay": 2}})");
  const std::string svg = (dir_ / "cmp.svg").string();
  RunResult r = Run({"--json", "sim", "compare", kScenario, "--option", "baseline", "--option", "sanctions", "--option",
                     opt, "--runs", "40", "--svg", svg});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  json j = json::parse(r.out);
  ASSERT_EQ(j["options"].size(), 3u);
  EXPECT_EQ(j["options"][2]["name"], "fast");
  EXPECT_EQ(j["options"][2]["settings"]["intervention.deployment_delay"], 3);
  const double base = j["options"][0]["summary"]["civilian_deaths"]["mean"];
  const double fast = j["options"][2]["summary"]["civilian_deaths"]["mean"];
  EXPECT_LT(fast, base) << "an earlier force lowers deaths";
  EXPECT_NE(Slurp(svg).find("fast"), std::string::npos);
  RunResult bad = Run({"sim", "compare", kScenario, "--option", "teleport"});
  EXPECT_EQ(bad.exit_code, 1);
  EXPECT_NE(bad.err.find("neither a built-in option"), std::string::npos) << bad.err;
  const std::string neg = Write("neg.json", R"({"levers": {"deployment_delay": -4}})");
  bad = Run({"sim", "compare", kScenario, "--option", neg, "--runs", "2"});
  EXPECT_EQ(bad.exit_code, 1);
  EXPECT_NE(bad.err.find("intervention.deployment_delay = -4: allowed integer 0..3650"), std::string::npos) << bad.err;
}

TEST_F(SimTest, SweepOneAndTwoParameters) {
  const std::string csv = (dir_ / "sweep.csv").string();
  RunResult r = Run({"-q", "sim", "sweep", kScenario, "--param", "deployment_delay", "--values", "0,30,90", "--runs",
                     "20", "--csv", csv});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const std::string text = Slurp(csv);
  EXPECT_EQ(text.rfind("intervention.deployment_delay,mean_deaths", 0), 0u) << text;
  EXPECT_EQ(std::count(text.begin(), text.end(), '\n'), 4);
  r = Run({"--json", "sim", "sweep", kScenario, "--param", "levers.sanctions", "--values", "0,0.5", "--param2",
           "posture", "--values2", "area-security,containment", "--runs", "10"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(json::parse(r.out)["cells"].size(), 4u);
  r = Run({"sim", "sweep", kScenario, "--param", "levers.sanctions", "--values", "0,1.5"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("levers.sanctions = 1.5"), std::string::npos) << r.err;
}

TEST_F(SimTest, BadScenariosNameTheParameter) {
  struct Case {
    std::string text, want;
  } cases[] = {
      {R"({"population": {"victim_density": 0.7, "bystander_density": 0.5}})", "densities sum to"},
      {R"({"intervention": {"decision_delay": -1}})", "intervention.decision_delay = -1: allowed integer 0..3650"},
      {R"({"intervention": {"warp": 1}})", "intervention.warp: unknown parameter"},
      {R"({"grid": {"width": 40,)", "not valid JSON"},
  };
  for (const auto& c : cases) {
    const std::string f = Write("bad.json", c.text);
    RunResult r = Run({"sim", "run", f, "--runs", "2"});
    EXPECT_EQ(r.exit_code, 1) << c.text;
    EXPECT_NE(r.err.find(c.want), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("bad.json"), std::string::npos) << r.err;
  }
  RunResult r = Run({"sim", "run", (dir_ / "missing.json").string()});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("cannot open"), std::string::npos);
  r = Run({"sim", "run", kScenario, "--runs", "0"});
  EXPECT_EQ(r.exit_code, 2);
}

TEST_F(SimTest, EpsteinStreamsCsvAndThroughputReports) {
  const std::string csv = (dir_ / "m1.csv").string();
  RunResult r = Run({"-q", "sim", "epstein", "--model", "1", "--steps", "50", "--csv", csv});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const std::string text = Slurp(csv);
  EXPECT_EQ(text.rfind("step,legitimacy,quiet,active,jailed,cops,arrests\n1,0.82,", 0), 0u) << text.substr(0, 80);
  EXPECT_EQ(std::count(text.begin(), text.end(), '\n'), 51);
  r = Run({"--json", "sim", "epstein", "--model", "2", "--steps", "30", "--group-legitimacy", "0.6"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(json::parse(r.out)["series"].size(), 30u);
  // Legitimacy changes: a jump and a ramp, and malformed ones.
  r = Run({"--json", "sim", "epstein", "--steps", "30", "--legitimacy", "0.9", "--legitimacy-at", "5:0.7",
           "--legitimacy-ramp", "10:20:0.5"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  json lj = json::parse(r.out);
  EXPECT_DOUBLE_EQ(lj["series"][3]["legitimacy"][0].get<double>(), 0.9);   // step 4
  EXPECT_DOUBLE_EQ(lj["series"][4]["legitimacy"][0].get<double>(), 0.7);   // step 5
  EXPECT_NEAR(lj["series"][14]["legitimacy"][0].get<double>(), 0.6, 1e-12);  // step 15: halfway down the ramp
  EXPECT_DOUBLE_EQ(lj["series"][29]["legitimacy"][0].get<double>(), 0.5);
  // Bad changes and densities: exit 1 with a message naming what is wrong.
  const std::vector<std::pair<std::vector<std::string>, std::string>> bad = {
      {{"--legitimacy-at", "5"}, "--legitimacy-at '5': expected STEP:VALUE"},
      {{"--legitimacy-at", "5.5:0.7"}, "steps are whole numbers"},
      {{"--legitimacy-ramp", "20:10:0.5"}, "needs 1 <= from < to"},
      {{"--legitimacy-at", "5:1.5"}, "legitimacy_schedule[0].value = 1.5: allowed range 0 to 1"},
      {{"--agent-density", "0.9", "--cop-density", "0.2"}, "agent_density + cop_density"},
  };
  for (const auto& [args, message] : bad) {
    std::vector<std::string> a = {"sim", "epstein"};
    a.insert(a.end(), args.begin(), args.end());
    r = Run(a);
    EXPECT_EQ(r.exit_code, 1) << message;
    EXPECT_NE(r.err.find(message), std::string::npos) << r.err;
  }
  const std::string js = (dir_ / "tp.json").string();
  r = Run({"-q", "sim", "throughput", "--width", "100", "--height", "100", "--steps", "20", "--threads", "2", "--json",
           js});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  json j = json::parse(Slurp(js));
  EXPECT_EQ(j["agents"], 7400);
  EXPECT_EQ(j["steps"], 20);
  EXPECT_GT(j["agent_steps_per_second"].get<double>(), 0);
  EXPECT_GT(j["seconds"].get<double>(), 0);
}

// The window masks are built with AVX-512, AVX2 or SSE2 depending on the
// processor; every version must give the same runs (VIGIL_SIM_ISA caps it).
TEST_F(SimTest, EpsteinRunsAreTheSameWithEveryInstructionSet) {
  const std::vector<std::vector<std::string>> cases = {
      {"--model", "1", "--steps", "60"},
      {"--model", "2", "--steps", "60"},
      {"--model", "1", "--vision", "10", "--cop-vision", "9", "--steps", "40"},  // 32-site slots
      {"--model", "2", "--vision", "12", "--steps", "40"},
      {"--model", "1", "--width", "17", "--height", "20", "--vision", "9", "--steps", "40"},  // self-overlapping
      {"--model", "1", "--width", "300", "--height", "300", "--steps", "5", "--threads", "2"},
  };
  for (const auto& args : cases) {
    std::string first;
    for (const char* isa : {"base", "avx2", "avx512"}) {
      ASSERT_EQ(setenv("VIGIL_SIM_ISA", isa, 1), 0);
      const std::string csv = (dir_ / (std::string(isa) + ".csv")).string();
      std::vector<std::string> a = {"-q", "sim", "epstein", "--csv", csv};
      a.insert(a.end(), args.begin(), args.end());
      RunResult r = Run(a);
      ASSERT_EQ(r.exit_code, 0) << r.err;
      const std::string text = Slurp(csv);
      if (first.empty()) {
        first = text;
        EXPECT_GT(std::count(text.begin(), text.end(), '\n'), 5);
      } else {
        EXPECT_EQ(text, first) << isa << " differs from base for " << ::testing::PrintToString(args);
      }
    }
  }
  unsetenv("VIGIL_SIM_ISA");
}

}  // namespace
}  // namespace vigil::e2e
