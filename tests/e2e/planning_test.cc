// End-to-end tests of MAPRO Steps 3-5 on the command line: option packages,
// decisions, the policy statement, the plan, the synchronization matrix (read
// back from the XLSX with python3-openpyxl), execution status, alert flags,
// and the products Tabs 4-9 -- on the fictional demo case and on a second case
// built in the test (on the real UCDP GED events of the Central African
// Republic when the shared data is present).
#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "tests/e2e/e2e_util.h"

namespace vigil {
namespace {

using e2e::CliTest;
using e2e::ParseJson;
using e2e::RunResult;
using nlohmann::json;
namespace fs = std::filesystem;

const std::string kGedCaf = std::string(VIGIL_SHARED_DATA) + "/ucdp/GEDEvent_v23_1_CAF.csv";

// Reads the sheet "Sync matrix" of an XLSX file and a CSV file with python3's
// openpyxl and csv modules; prints {"xlsx": [[cell...]...], "csv": [...]}.
constexpr const char* kReadBack = R"py(
import csv, json, sys
try:
    import openpyxl
except ImportError:
    print("NO-OPENPYXL")
    sys.exit(0)
wb = openpyxl.load_workbook(sys.argv[1])
ws = wb["Sync matrix"]
rows = [["" if v is None else str(v) for v in r] for r in ws.iter_rows(values_only=True)]
with open(sys.argv[2], newline="", encoding="utf-8") as f:
    c = list(csv.reader(f))
print(json.dumps({"xlsx": rows, "csv": c, "sheets": wb.sheetnames}))
)py";

class PlanningE2E : public CliTest {
 protected:
  json Ok(std::vector<std::string> args) {
    args.push_back("--json");
    RunResult r = Run(args);
    EXPECT_EQ(r.exit_code, 0) << "vigil " << ::testing::PrintToString(args) << "\n" << r.err;
    return ParseJson(r);
  }
  std::string Fails(const std::vector<std::string>& args) {
    RunResult r = Run(args);
    EXPECT_EQ(r.exit_code, 1) << "vigil " << ::testing::PrintToString(args) << "\n" << r.out << r.err;
    return r.err;
  }
  std::string Text(const std::vector<std::string>& args) {
    RunResult r = Run(args);
    EXPECT_EQ(r.exit_code, 0) << "vigil " << ::testing::PrintToString(args) << "\n" << r.err;
    return r.out;
  }

  // Tools of the dime catalog that need the host government's consent.
  std::set<std::string> ConsentTools() {
    json cat = Ok({"catalog", "show", "dime"});
    std::set<std::string> out;
    const json& items = cat.contains("items") ? cat["items"] : cat["entries"];
    for (const auto& t : items) {
      bool consent = t.value("requires_host_consent", false);
      if (t.contains("flags") && t["flags"].is_object()) consent = consent || t["flags"].value("requires_host_consent", false);
      if (consent) out.insert(t["id"].get<std::string>());
    }
    return out;
  }

  // The acceptance checks every generated set must pass.
  void CheckOptionSet(const json& options) {
    ASSERT_TRUE(options.is_array());
    ASSERT_GE(options.size(), 2u);
    ASSERT_LE(options.size(), 4u);
    std::set<std::pair<std::string, std::string>> approach_role;
    for (const auto& o : options) {
      SCOPED_TRACE(o.value("title", ""));
      EXPECT_FALSE(o["title"].get<std::string>().empty());
      std::set<std::string> instruments;
      for (const auto& t : o["tools"]) {
        EXPECT_FALSE(t["id"].get<std::string>().empty());
        instruments.insert(t["instrument"].get<std::string>());
        EXPECT_FALSE(t.value("because", "").empty()) << t["id"];
      }
      EXPECT_GE(instruments.size(), 2u) << "tools from at least two instruments";
      ASSERT_FALSE(o["risks"].empty());
      for (const auto& r : o["risks"]) {
        EXPECT_FALSE(r["mitigations"].empty()) << r["id"];
        EXPECT_FALSE(r["likelihood"].get<std::string>().empty());
        EXPECT_FALSE(r["impact"].get<std::string>().empty());
      }
      EXPECT_TRUE(approach_role.insert({o["approach"].get<std::string>(), o["role"].get<std::string>()}).second)
          << "options must differ in approach or role";
    }
  }

  // Exports the sync matrix and checks the XLSX cells against the CSV and the plan.
  void CheckSyncMatrix(const std::string& slug) {
    const std::string xlsx = (dir_ / "sync.xlsx").string();
    const std::string csv = (dir_ / "sync.csv").string();
    RunResult r = Run({"plan", "sync-matrix", slug, "--xlsx", xlsx, "--csv", csv});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    ASSERT_TRUE(fs::exists(xlsx));
    ASSERT_GT(fs::file_size(xlsx), 1000u);
    EXPECT_EQ(e2e::Slurp(xlsx).substr(0, 2), "PK");
    const std::string script = Write("readback.py", kReadBack);
    std::FILE* p = popen((e2e::ShellQuote(VIGIL_PYTHON3) + " " + e2e::ShellQuote(script) + " " + e2e::ShellQuote(xlsx) + " " +
                          e2e::ShellQuote(csv) + " 2>&1").c_str(), "r");
    ASSERT_NE(p, nullptr);
    std::string out;
    char buf[4096];
    std::size_t n;
    while ((n = std::fread(buf, 1, sizeof buf, p)) > 0) out.append(buf, n);
    pclose(p);
    if (out.rfind("NO-OPENPYXL", 0) == 0) GTEST_SKIP() << "python3-openpyxl missing: XLSX not read back";
    json j = json::parse(out, nullptr, false);
    ASSERT_FALSE(j.is_discarded()) << out;
    const json& x = j["xlsx"];
    const json& c = j["csv"];
    EXPECT_EQ(j["sheets"], json({"Sync matrix", "Plan"}));
    // CSV: header group,row,IA..IIIB. XLSX: title, phases, stage header, then one row per CSV row;
    // column A the group (merged: only on its first row), B the row label, C.. the stages.
    ASSERT_GE(c.size(), 10u);
    ASSERT_EQ(c[0].size(), 9u);
    EXPECT_EQ(c[0][2], "IA");
    EXPECT_EQ(c[0][8], "IIIB");
    ASSERT_EQ(x.size(), c.size() + 2) << "title + phase + stage header + data rows";
    EXPECT_NE(x[1][2].get<std::string>().find("Phase I"), std::string::npos) << x[1];
    EXPECT_NE(x[2][2].get<std::string>().find("IA"), std::string::npos) << x[2];
    std::string last_group;
    std::set<std::string> groups;
    for (std::size_t i = 1; i < c.size(); ++i) {
      const json& xr = x[i + 2];
      ASSERT_GE(xr.size(), 9u);
      if (c[i][0] != last_group) {
        EXPECT_EQ(xr[0], c[i][0]) << "group label on its first row " << i;
        last_group = c[i][0];
      }
      groups.insert(c[i][0].get<std::string>());
      for (std::size_t k = 1; k < 9; ++k) EXPECT_EQ(xr[k], c[i][k]) << "row " << i << " column " << k;
    }
    for (const char* g : {"Objectives", "Agency actions", "Perpetrators", "Lines of effort", "Decisions",
                          "Information requirements", "Branch plans", "Risks", "Resource arrivals"}) {
      EXPECT_TRUE(groups.count(g)) << "sync matrix lacks the row group " << g;
    }
    // Every task appears in its agency's row under each of its stages.
    json plan = Ok({"plan", "show", slug});
    const std::vector<std::string> stages = {"IA", "IB", "IC", "IIA", "IIB", "IIIA", "IIIB"};
    int checked = 0;
    for (const auto& t : plan["tasks"]) {
      const std::string agency = t["agency"];
      const std::string title = t["title"];
      for (const auto& s : t["stages"]) {
        std::size_t col = 2 + (std::find(stages.begin(), stages.end(), s.get<std::string>()) - stages.begin());
        bool found = false;
        for (std::size_t i = 1; i < c.size() && !found; ++i) {
          found = c[i][0] == "Agency actions" && c[i][1] == agency &&
                  c[i][col].get<std::string>().find(title) != std::string::npos;
        }
        EXPECT_TRUE(found) << "task '" << title << "' of " << agency << " not in stage " << s;
        ++checked;
      }
    }
    EXPECT_GT(checked, 5);
  }
};

TEST_F(PlanningE2E, DemoCaseWholeChain) {
  json loaded = Ok({"demo", "load"});
  EXPECT_EQ(loaded["created"], true);
  EXPECT_GE(loaded["options"].get<int>(), 2);
  EXPECT_EQ(loaded["policy_version"], 1);
  EXPECT_GE(loaded["plan_revision"].get<int>(), 2) << "the decision-point decision adds a revision";

  json opts = Ok({"options", "list", "demo-veridia"});
  CheckOptionSet(opts["options"]);
  int approved = 0;
  for (const auto& o : opts["options"]) approved += o["status"] == "approved";
  EXPECT_EQ(approved, 1);

  // The generated set is stable: generating again writes nothing new.
  const std::int64_t options_before = Count("options");
  json again = Ok({"options", "generate", "demo-veridia"});
  EXPECT_EQ(Count("options"), options_before);
  EXPECT_EQ(again["options"].size(), opts["options"].size());

  json policy = Ok({"policy", "show", "demo-veridia"});
  EXPECT_EQ(policy["status"], "approved");
  EXPECT_GE(policy["loes"].size(), 4u);
  EXPECT_LE(policy["loes"].size(), 10u);
  for (const auto& l : policy["loes"]) EXPECT_FALSE(l["lead"].get<std::string>().empty());

  json plan = Ok({"plan", "show", "demo-veridia"});
  EXPECT_EQ(plan["current_stage"], "IB");
  EXPECT_EQ(plan["stages"].size(), 7u);
  EXPECT_FALSE(plan["decision_points"].empty());
  EXPECT_FALSE(plan["branches"].empty());

  CheckSyncMatrix("demo-veridia");

  // Products Tabs 4-9 carry the recorded facts.
  const std::string tab4 = Text({"report", "demo-veridia", "--tab", "4"});
  EXPECT_NE(tab4.find("keep the pressure private"), std::string::npos) << "the dissent is in Tab 4";
  const std::string tab5 = Text({"report", "demo-veridia", "--tab", "5"});
  EXPECT_NE(tab5.find(policy["goal"].get<std::string>()), std::string::npos);
  EXPECT_NE(tab5.find(policy["loes"][0]["lead"].get<std::string>()), std::string::npos);
  EXPECT_NE(tab5.find("Deputies Committee (fictional)"), std::string::npos) << "who approved the policy";
  const std::string tab6 = Text({"report", "demo-veridia", "--tab", "6"});
  EXPECT_NE(tab6.find("Interagency Prevention Board (fictional)"), std::string::npos);
  const std::string tab7 = Text({"report", "demo-veridia", "--tab", "7"});
  EXPECT_NE(tab7.find("2026-02-25"), std::string::npos) << "when the option was approved";
  EXPECT_NE(tab7.find("keep the pressure private"), std::string::npos) << "dissents are presented";
  const std::string tab8 = Text({"report", "demo-veridia", "--tab", "8"});
  EXPECT_NE(tab8.find(plan["decision_points"][0]["who_decides"].get<std::string>()), std::string::npos);
  EXPECT_NE(tab8.find(plan["tasks"][0]["title"].get<std::string>()), std::string::npos);
  const std::string agency = plan["tasks"][0]["agency"];
  const std::string tab9 = Text({"report", "demo-veridia", "--tab", "9", "--agency", agency});
  EXPECT_NE(tab9.find(plan["tasks"][0]["title"].get<std::string>()), std::string::npos);
  EXPECT_NE(Fails({"report", "demo-veridia", "--tab", "9", "--agency", "No Such Agency"}).find("No Such Agency"),
            std::string::npos);
  // Tab 10 gains the plan's execution status.
  const std::string tab10 = Text({"report", "demo-veridia", "--tab", "10", "--from", "2026-03-01", "--to", "2026-03-31"});
  EXPECT_NE(tab10.find("Radio Hillvoice resumed broadcasts"), std::string::npos) << "task setback note in Tab 10";
  // The case's option packages wargamed in the simulator: tools mapped to levers, with reasons.
  const std::string sim_json = (dir_ / "sim.json").string();
  RunResult wargame = Run({"sim", "compare", "default", "--case", "demo-veridia", "--runs", "20", "-q", "--json", sim_json});
  ASSERT_EQ(wargame.exit_code, 0) << wargame.err;
  json sim = json::parse(e2e::Slurp(sim_json));
  ASSERT_EQ(sim["options"].size(), opts["options"].size());
  for (const auto& o : sim["options"]) {
    EXPECT_EQ(o["name"].get<std::string>().rfind("option-", 0), 0u);
    EXPECT_FALSE(o["because"].empty()) << o["name"];
    EXPECT_GT(o["summary"]["runs"].get<int>(), 0);
  }
  for (int tab = 4; tab <= 9; ++tab) {
    RunResult html = Run({"report", "demo-veridia", "--tab", std::to_string(tab), "--format", "html"});
    EXPECT_EQ(html.exit_code, 0) << tab << html.err;
    EXPECT_NE(html.out.find("</html>"), std::string::npos) << tab;
  }
}

TEST_F(PlanningE2E, SecondCaseAdversaryUrgentAndBadInput) {
  const bool real = fs::exists(kGedCaf);
  std::string slug;
  AddUser("ana", "analyst");
  if (real) {
    RunResult imp = Run({"import", "events", "--format", "ged", kGedCaf, "-q"});
    ASSERT_TRUE(imp.exit_code == 0 || imp.exit_code == 3) << imp.err;
    RunResult scan = Run({"alerts", "scan", "-q"});
    ASSERT_EQ(scan.exit_code, 0) << scan.err;
    json c = Ok({"case", "new", "--title", "CAR 2013", "--country", "CAF", "--as", "ana"});
    slug = c["slug"];
  } else {
    json c = Ok({"case", "new", "--title", "Test case", "--region", "Test region (test data)", "--as", "ana"});
    slug = c["slug"];
  }
  // The interagency planning team as accounts, each with its role on the case;
  // ana (an analyst) opened the case and is a member by that.
  for (const auto& [name, role] : std::vector<std::pair<std::string, std::string>>{
           {"bo", "planner"}, {"pia", "planner"}, {"aisha", "approver"}}) {
    AddUser(name, role);
    AddMember(slug, name, role);
  }
  // Generating before any perpetrator or victim is recorded says what to record.
  EXPECT_NE(Fails({"options", "generate", slug}).find("perpetrator"), std::string::npos);
  Ok({"case", "actor", "add", slug, "--name", "Seleka commanders", "--kind", "group", "--role",
      "perpetrator-architect", "--from", "2013-03", "--as", "ana"});
  Ok({"case", "actor", "add", slug, "--name", "Transitional government", "--kind", "state", "--role",
      "perpetrator-facilitator", "--from", "2013-03", "--as", "ana"});
  Ok({"case", "actor", "add", slug, "--name", "Christian and Muslim civilians", "--kind", "group", "--role", "victim",
      "--from", "2013-03", "--as", "ana"});
  Ok({"case", "actor", "add", slug, "--name", "African Union", "--kind", "organization", "--role", "intervener",
      "--from", "2013-07", "--as", "ana"});
  Ok({"case", "assumption", "add", slug, "--text", "Neighbouring states keep their borders open to refugees",
      "--as", "ana"});
  Ok({"options", "situation", slug, "--host-nation", "adversary", "--volatility", "urgent", "--as", "ana"});

  json gen = Ok({"options", "generate", slug, "--as", "ana"});
  EXPECT_EQ(gen["situation"]["variables"]["host-nation-role"], "adversary") << gen["situation"];
  CheckOptionSet(gen["options"]);
  const std::set<std::string> consent = ConsentTools();
  ASSERT_FALSE(consent.empty()) << "the dime catalog marks tools that need host consent";
  bool has_intervention = false;
  for (const auto& o : gen["options"]) {
    has_intervention = has_intervention || o["approach"] == "intervention";
    for (const auto& t : o["tools"]) {
      EXPECT_FALSE(consent.count(t["id"].get<std::string>()))
          << "tool " << t["id"] << " needs host consent but the host is an adversary (option " << o["title"] << ")";
    }
  }
  EXPECT_TRUE(has_intervention) << "urgent volatility brings an intervention package";

  // Analyst edits: unknown tools are refused; a tool is added and removed.
  const std::string first = std::to_string(gen["options"][0]["number"].get<int>());
  EXPECT_NE(Fails({"options", "tool", "add", slug, first, "no-such-tool"}).find("no-such-tool"), std::string::npos);
  json added = Ok({"options", "tool", "add", slug, first, "pressure", "--target", "Seleka commanders", "--as", "bo"});
  (void)added;
  Ok({"options", "dissent", slug, first, "--text", "Too slow for the pace of killing", "--as", "bo"});

  // Workflow order: no policy before an approved option, no plan before an approved policy.
  EXPECT_NE(Fails({"policy", "draft", slug}).find("approved option"), std::string::npos);
  EXPECT_NE(Fails({"plan", "create", slug}).find("approved policy"), std::string::npos);
  // Only the approving authority approves: the analyst and the planner are refused, nothing is recorded.
  for (const char* not_approver : {"ana", "bo"}) {
    std::string refused = Fails({"options", "approve", slug, first, "--by", "Deputies Committee", "--as", not_approver});
    EXPECT_NE(refused.find("options.approve"), std::string::npos) << refused;
  }
  EXPECT_EQ(Count("decisions"), 0);
  Ok({"options", "approve", slug, first, "--by", "Deputies Committee", "--date", "2013-12-01", "--as", "aisha"});
  EXPECT_NE(Fails({"policy", "draft", slug, "--as", "aisha"}).find("policy.edit"), std::string::npos)
      << "the approver approves; planners draft";
  Ok({"policy", "draft", slug, "--as", "pia"});
  EXPECT_NE(Fails({"plan", "create", slug}).find("approved policy"), std::string::npos);
  json pol = Ok({"policy", "approve", slug, "--by", "Deputies Committee", "--date", "2013-12-05", "--as", "aisha"});
  EXPECT_EQ(pol["status"], "approved");
  json plan = Ok({"plan", "create", slug, "--as", "pia"});
  EXPECT_EQ(plan["revision"], 1);
  ASSERT_GE(plan["tasks"].size(), 2u);
  const std::string t1 = plan["tasks"][0]["id"], t2 = plan["tasks"][1]["id"];
  const std::string loe = plan["loes"][0]["id"];

  // Bad plan edits leave the revision unchanged.
  const std::int64_t revisions = Count("plan_revisions");
  EXPECT_NE(Fails({"plan", "task", "add", slug, "--loe", loe, "--title", "x", "--agency", "State", "--stage", "IB",
                   "--tool", "no-such-tool"})
                .find("no-such-tool"),
            std::string::npos);
  Ok({"plan", "task", "edit", slug, t2, "--after", t1, "--as", "pia"});
  std::string cycle = Fails({"plan", "task", "edit", slug, t1, "--after", t2});
  EXPECT_NE(cycle.find("cycle"), std::string::npos) << cycle;
  EXPECT_NE(Fails({"plan", "task", "add", slug, "--loe", "loe-99", "--title", "x", "--agency", "State", "--stage",
                   "IB"}).find("loe-99"),
            std::string::npos);
  EXPECT_EQ(Count("plan_revisions"), revisions + 1) << "only the valid edit stored a revision";

  // Execution: status, stage transition, flags from alerts.
  Ok({"plan", "status", slug, t1, "--status", "at-risk", "--note", "Visas delayed", "--as", "pia"});
  EXPECT_NE(Fails({"plan", "status", slug, "t-999", "--status", "on-track"}).find("t-999"), std::string::npos);
  EXPECT_NE(Fails({"plan", "stage", slug, "--to", "IC", "--by", "Special Envoy", "--as", "pia"}).find("plan.approve"),
            std::string::npos);
  Ok({"plan", "stage", slug, "--to", "IC", "--by", "Special Envoy", "--as", "aisha"});
  json shown = Ok({"plan", "show", slug});
  EXPECT_EQ(shown["current_stage"], "IC");
  // The audit names the accounts that acted, whatever body --by named.
  std::map<std::string, std::set<std::string>> who_did;
  for (const auto& e : Ok({"case", "history", slug})) who_did[e["who"]].insert(e["entity"].get<std::string>());
  EXPECT_TRUE(who_did["aisha"].count("decision")) << "approvals audited under the approver's account";
  EXPECT_TRUE(who_did["pia"].count("plan")) << "the plan audited under the planner who made it";
  EXPECT_FALSE(who_did.count("Deputies Committee"));
  json check = Ok({"plan", "check", slug});
  if (real) {
    EXPECT_GT(check["alerts_considered"].get<int>(), 0) << "CAR has alerts in the GED data";
    EXPECT_FALSE(check["flags"].empty()) << "alerts of CAR touch the plan's decision points or branch plans";
  }
  CheckSyncMatrix(slug);
  for (int tab = 4; tab <= 9; ++tab) {
    RunResult md = Run({"report", slug, "--tab", std::to_string(tab)});
    EXPECT_EQ(md.exit_code, 0) << "tab " << tab << ": " << md.err;
  }
  const std::string tab7 = Text({"report", slug, "--tab", "7"});
  EXPECT_NE(tab7.find("Too slow for the pace of killing"), std::string::npos);
  EXPECT_NE(tab7.find("2013-12-01"), std::string::npos);
  // The audit log recorded the planning changes.
  json hist = Ok({"case", "history", slug});
  std::set<std::string> entities;
  for (const auto& h : hist.is_array() ? hist : hist["entries"]) entities.insert(h["entity"].get<std::string>());
  for (const char* e : {"option", "decision", "policy", "plan", "status"}) EXPECT_TRUE(entities.count(e)) << e;
}

}  // namespace
}  // namespace vigil
