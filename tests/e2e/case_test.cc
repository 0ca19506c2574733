// End-to-end tests of `vigil case`: a case file for the Central African
// Republic built on the real UCDP GED events, and bad input that must leave
// nothing behind.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "store/db.h"
#include "tests/e2e/e2e_util.h"

namespace vigil {
namespace {

using e2e::CliTest;
using e2e::ParseJson;
using e2e::RunResult;
using nlohmann::json;
namespace fs = std::filesystem;

const std::string kGedCaf = std::string(VIGIL_SHARED_DATA) + "/ucdp/GEDEvent_v23_1_CAF.csv";

class CaseE2E : public CliTest {
 protected:
  // Runs a command that must succeed with --json and returns its output.
  json Ok(std::vector<std::string> args) {
    args.push_back("--json");
    RunResult r = Run(args);
    EXPECT_EQ(r.exit_code, 0) << "vigil " << ::testing::PrintToString(args) << "\n" << r.err;
    return ParseJson(r);
  }
  // Runs a command that must fail with exit 1; returns stderr.
  std::string Fails(const std::vector<std::string>& args) {
    RunResult r = Run(args);
    EXPECT_EQ(r.exit_code, 1) << "vigil " << ::testing::PrintToString(args) << "\n" << r.out << r.err;
    return r.err;
  }
  std::string GedId(std::int64_t row) {
    auto db = store::Db::Open(db_path_);
    EXPECT_TRUE(db.ok());
    auto st = (*db)->Prepare("SELECT event_id FROM events WHERE id = ?");
    EXPECT_TRUE(st.ok());
    st->Bind(1, row);
    EXPECT_TRUE(*st->Step());
    return st->Text(0);
  }
  // The events.id row and date of the stored CAR event with the most deaths in 2013.
  std::pair<std::int64_t, std::string> DeadliestEvent2013() {
    auto db = store::Db::Open(db_path_);
    EXPECT_TRUE(db.ok());
    auto st = (*db)->Prepare(
        "SELECT id, date(date_start * 86400, 'unixepoch') FROM events WHERE gw = 482 "
        "AND date_start BETWEEN 15706 AND 16070 ORDER BY deaths_best DESC, id LIMIT 1");
    EXPECT_TRUE(st.ok());
    EXPECT_TRUE(*st->Step());
    return {st->Int(0), st->Text(1)};
  }
};

TEST_F(CaseE2E, CarCaseOnGedEvents) {
  if (!fs::exists(kGedCaf)) GTEST_SKIP() << "shared data not found: " << kGedCaf << " (real-data case test skipped)";
  RunResult imp = Run({"import", "events", "--format", "ged", kGedCaf, "-q"});
  ASSERT_TRUE(imp.exit_code == 0 || imp.exit_code == 3) << imp.err;  // 3: a few rows quarantined
  ASSERT_GT(Count("events"), 1800);
  const auto [event_row, event_date] = DeadliestEvent2013();
  const std::string ev = "event:" + std::to_string(event_row);
  // Three analysts: ana opens the case (and so belongs to it), bo and cy join it.
  for (const char* name : {"ana", "bo", "cy"}) AddUser(name, "analyst");

  json c = Ok({"case", "new", "--title", "Central African Republic 2013-2014", "--country", "CAF", "--scope",
               "Whole country, March 2013 onwards", "--purpose", "Prevent mass atrocities after the coup",
               "--as", "ana"});
  EXPECT_EQ(c["gw"], 482);
  EXPECT_EQ(c["status"], "open");
  const std::string slug = c["slug"];
  EXPECT_EQ(slug, "central-african-republic-2013-2014");
  AddMember(slug, "bo", "analyst");
  AddMember(slug, "cy", "analyst");

  Ok({"case", "edit", slug, "--objective", "Prevent and prepare a response", "--lead-agency", "Department of State",
      "--approving-authority", "Under Secretary for Political Affairs", "--as", "ana"});
  Ok({"case", "ipt", "add", slug, "--name", "R. Diallo", "--organization", "USAID Africa Bureau", "--role",
      "planner", "--as", "ana"});

  json seleka = Ok({"case", "actor", "add", slug, "--name", "Seleka", "--kind", "group", "--role",
                    "perpetrator-architect", "--from", "2012-12", "--motivations", "control of the state",
                    "--as", "ana"});
  json ab = Ok({"case", "actor", "add", slug, "--name", "Anti-balaka", "--role", "victim", "--from", "2013-03",
                "--as", "ana"});
  // The role change: from self-defence militia to perpetrator of reprisals.
  json changed = Ok({"case", "actor", "role", slug, "Anti-balaka", "--role", "perpetrator-rank-and-file", "--from",
                     "2013-09", "--replace", "--note", "reprisal killings of Muslim civilians", "--as", "bo"});
  ASSERT_EQ(changed["roles"].size(), 2u);
  EXPECT_EQ(changed["roles"][0]["role"], "victim");
  EXPECT_EQ(changed["roles"][0]["to"], "2013-09");
  EXPECT_EQ(changed["current_roles"], json::array({"perpetrator-rank-and-file"}));
  Ok({"case", "actor", "relate", slug, "Seleka", "--other", "Anti-balaka", "--kind", "opposes", "--as", "ana"});

  // Scores with evidence from the imported events, a second version and a dissent.
  json s1 = Ok({"case", "score", slug, "--framework", "osapg", "--item", "c1", "--level", "high", "--confidence",
                "medium", "--as-of", "2013-06", "--evidence", ev, "--as", "ana"});
  EXPECT_EQ(s1["version"], 1);
  json s2 = Ok({"case", "score", slug, "--framework", "osapg", "--item", "c1", "--level", "severe", "--confidence",
                "high", "--as-of", event_date, "--evidence", ev, "--rationale", "sectarian killings on both sides",
                "--as", "ana"});
  EXPECT_EQ(s2["version"], 2);
  json d = Ok({"case", "score", slug, "--framework", "osapg", "--item", "c1", "--level", "moderate", "--dissent",
               "--rationale", "violence is opportunistic, not yet group-targeted", "--as", "cy"});
  EXPECT_EQ(d["position"], "dissent");
  // The same event by its UCDP id: stored as the row.
  const std::string ged_ref = "event:ged/" + GedId(event_row);
  json un = Ok({"case", "score", slug, "--framework", "un2014", "--item", "rf1", "--level", "strong", "--evidence",
                ged_ref, "--evidence", "url:https://ucdp.uu.se", "--as", "ana"});
  ASSERT_EQ(un["evidence"].size(), 2u);
  EXPECT_EQ(un["evidence"][0]["ref"], std::to_string(event_row));
  EXPECT_EQ(un["evidence"][0]["note"], "ged/" + GedId(event_row));
  Ok({"case", "assessment", "add", slug, "--section", "drivers-of-conflict", "--text",
      "Armed groups mobilize along religious lines", "--as-of", "2013-12", "--evidence", ev, "--as", "bo"});
  json interest1 = Ok({"case", "interest", "add", slug, "--text", "Protect civilians", "--owner", "USG", "--as", "ana"});
  Ok({"case", "interest", "add", slug, "--text", "Support the transition timetable", "--priority", "2",
      "--conflicts-with", std::to_string(interest1["id"].get<std::int64_t>()), "--as", "ana"});
  json as = Ok({"case", "assumption", "add", slug, "--text", "An African-led force deploys by December", "--as", "ana"});
  Ok({"case", "assumption", "set", slug, std::to_string(as["id"].get<std::int64_t>()), "--status", "validated",
      "--as-of", "2013-12-19", "--as", "bo"});
  json q = Ok({"case", "cir", "add", slug, "--question", "Where are anti-balaka groups massing?", "--as", "ana"});
  Ok({"case", "cir", "answer", slug, std::to_string(q["id"].get<std::int64_t>()), "--answer", "Around Bossangoa",
      "--on", "2013-11", "--evidence", ev, "--as", "bo"});

  // Alerts for the country appear among the case's links.
  RunResult scan = Run({"alerts", "scan", "--as-of", "2014-01-31", "-q", "--json"});
  ASSERT_EQ(scan.exit_code, 0) << scan.err;

  json show = Ok({"case", "show", slug});
  EXPECT_EQ(show["title"], "Central African Republic 2013-2014");
  EXPECT_EQ(show["country"], "Central African Republic");
  EXPECT_EQ(show["guidance"]["lead_agency"], "Department of State");
  ASSERT_EQ(show["guidance"]["ipt"].size(), 1u);
  EXPECT_EQ(show["guidance"]["ipt"][0]["organization"], "USAID Africa Bureau");
  ASSERT_EQ(show["actors"].size(), 2u);
  const json& anti = show["actors"][1];
  EXPECT_EQ(anti["name"], "Anti-balaka");
  ASSERT_EQ(anti["roles"].size(), 2u);
  EXPECT_EQ(anti["roles"][1]["role"], "perpetrator-rank-and-file");
  EXPECT_EQ(anti["roles"][1]["author"], "bo");
  EXPECT_EQ(anti["roles"][1]["note"], "reprisal killings of Muslim civilians");
  ASSERT_EQ(show["actors"][0]["relations"].size(), 1u);
  EXPECT_EQ(show["actors"][0]["relations"][0]["other_id"], ab["id"]);

  ASSERT_EQ(show["scores"].size(), 2u);  // osapg c1, un2014 rf1
  const json& c1 = show["scores"][0];
  EXPECT_EQ(c1["framework"], "osapg");
  EXPECT_EQ(c1["item"], "c1");
  EXPECT_EQ(c1["majority"]["level"], "severe");
  EXPECT_EQ(c1["majority"]["version"], 2);
  EXPECT_EQ(c1["majority"]["as_of"], event_date);
  ASSERT_EQ(c1["majority"]["evidence"].size(), 1u);
  EXPECT_EQ(c1["majority"]["evidence"][0]["kind"], "event");
  EXPECT_EQ(c1["majority"]["evidence"][0]["ref"], std::to_string(event_row));
  ASSERT_EQ(c1["dissents"].size(), 1u);
  EXPECT_EQ(c1["dissents"][0]["author"], "cy");
  EXPECT_EQ(c1["dissents"][0]["level"], "moderate");
  EXPECT_EQ(show["scores"][1]["majority"]["evidence"].size(), 2u);
  EXPECT_EQ(show["score_versions"].size(), 4u);
  ASSERT_EQ(show["assessment"].size(), 1u);
  EXPECT_EQ(show["assessment"][0]["section"], "drivers-of-conflict");
  ASSERT_EQ(show["interests"].size(), 2u);
  EXPECT_EQ(show["interests"][0]["conflicts_with"].size(), 1u);
  EXPECT_EQ(show["assumptions"][0]["status"], "validated");
  EXPECT_EQ(show["cirs"][0]["status"], "answered");
  EXPECT_EQ(show["cirs"][0]["evidence"][0]["ref"], std::to_string(event_row));
  EXPECT_GT(show["links"]["alerts"].size(), 0u);

  json list = Ok({"case", "list"});
  ASSERT_EQ(list.size(), 1u);
  EXPECT_EQ(list[0]["slug"], slug);

  json history = Ok({"case", "history", slug});
  // create, 3 members (ana by creating it, bo, cy), edit guidance, ipt, 2 actors, end-role + role,
  // relation, 4 scores, assessment, 2 interests, assumption + status, cir + answer
  ASSERT_EQ(history.size(), 22u);
  EXPECT_EQ(history[0]["action"], "create");
  EXPECT_EQ(history[0]["who"], "ana");
  int dissents = 0, role_changes = 0;
  for (const auto& h : history) {
    EXPECT_FALSE(h["at"].get<std::string>().empty());
    if (h["action"] == "dissent") {
      ++dissents;
      EXPECT_EQ(h["who"], "cy");
      EXPECT_TRUE(h["before"].is_null());
      EXPECT_EQ(h["after"]["level"], "moderate");
    }
    if (h["action"] == "end-role") {
      ++role_changes;
      EXPECT_TRUE(h["before"]["to"].is_null());
      EXPECT_EQ(h["after"]["to"], "2013-09");
    }
    if (h["entity"] == "score" && h["after"]["version"] == 2) {
      EXPECT_EQ(h["before"]["level"], "high");
    }
  }
  EXPECT_EQ(dissents, 1);
  EXPECT_EQ(role_changes, 1);

  // The text forms show the same facts.
  RunResult text = Run({"case", "show", slug});
  ASSERT_EQ(text.exit_code, 0) << text.err;
  EXPECT_NE(text.out.find("DISSENT by cy"), std::string::npos) << text.out;
  EXPECT_NE(text.out.find("role perpetrator-rank-and-file 2013-09 .. now"), std::string::npos) << text.out;
  EXPECT_NE(text.out.find(ev), std::string::npos) << text.out;

  // The briefing products (Tabs 1, 2, 3, 10) carry the entered facts and the dissent.
  auto product = [&](const std::vector<std::string>& extra, const std::string& format) {
    std::vector<std::string> args = {"report", slug, "--format", format};
    args.insert(args.end(), extra.begin(), extra.end());
    RunResult r = Run(args);
    EXPECT_EQ(r.exit_code, 0) << ::testing::PrintToString(args) << "\n" << r.err;
    return r.out;
  };
  for (const std::string format : {"md", "html"}) {
    const std::string tab1 = product({"--tab", "1"}, format);
    EXPECT_NE(tab1.find("Department of State"), std::string::npos) << format;
    EXPECT_NE(tab1.find("USAID Africa Bureau"), std::string::npos) << format;
    EXPECT_NE(tab1.find("Under Secretary for Political Affairs"), std::string::npos) << format;
    const std::string tab2 = product({"--tab", "2"}, format);
    EXPECT_NE(tab2.find("Armed groups mobilize along religious lines"), std::string::npos) << format;
    const std::string tab3 = product({"--tab", "3"}, format);
    EXPECT_NE(tab3.find("Anti-balaka"), std::string::npos) << format;
    EXPECT_NE(tab3.find("reprisal killings of Muslim civilians"), std::string::npos) << format;
    EXPECT_NE(tab3.find("sectarian killings on both sides"), std::string::npos) << format;
    EXPECT_NE(tab3.find("violence is opportunistic, not yet group-targeted"), std::string::npos) << format;
    EXPECT_NE(tab3.find("Protect civilians"), std::string::npos) << format;
    EXPECT_NE(tab3.find("An African-led force deploys by December"), std::string::npos) << format;
    const std::string tab10 = product({"--tab", "10", "--from", "2013-09-01", "--to", "2013-12-31"}, format);
    EXPECT_NE(tab10.find("Anti-balaka"), std::string::npos) << format;       // role change in range
    EXPECT_NE(tab10.find("Around Bossangoa"), std::string::npos) << format;  // CIR answered in range
    EXPECT_NE(tab10.find("Central African Republic"), std::string::npos) << format;
  }
}

// Through the CLI as through the API, the service layer decides: a viewer
// member reads the case but changes nothing in it and cannot scan alerts; an
// analyst who is no member gets the message of a case that does not exist
// and an empty case list.
TEST_F(CaseE2E, RolesDecideWhatEachAccountMayDoFromTheCommandLine) {
  AddUser("ana", "analyst");
  AddUser("vic", "viewer");
  AddUser("out", "analyst");
  json c = Ok({"case", "new", "--title", "Country X", "--region", "West Africa", "--as", "ana"});
  const std::string slug = c["slug"];
  AddMember(slug, "vic", "viewer");
  const auto audit = Count("case_audit");

  EXPECT_EQ(Ok({"case", "show", slug, "--as", "vic"})["title"], "Country X");
  for (const auto& [args, action] : std::vector<std::pair<std::vector<std::string>, std::string>>{
           {{"case", "edit", slug, "--objective", "x"}, "case.edit"},
           {{"case", "actor", "add", slug, "--name", "Militia A"}, "case.assess"},
           {{"case", "score", slug, "--framework", "osapg", "--item", "c1", "--level", "high"}, "case.assess"},
           {{"options", "generate", slug}, "options.edit"},
           {{"policy", "draft", slug}, "policy.edit"},
           {{"alerts", "scan"}, "alerts.scan"}}) {
    std::vector<std::string> as_viewer = args;
    as_viewer.insert(as_viewer.end(), {"--as", "vic"});
    const std::string err = Fails(as_viewer);
    EXPECT_NE(err.find(action + " is not allowed"), std::string::npos) << err;
  }
  EXPECT_EQ(Count("case_audit"), audit) << "refused commands wrote nothing";
  EXPECT_EQ(Count("alerts"), 0);

  EXPECT_EQ(Fails({"case", "show", slug, "--as", "out"}), "vigil: no case '" + slug + "'\n");
  EXPECT_EQ(Fails({"case", "actor", "add", slug, "--name", "Militia A", "--as", "out"}),
            "vigil: no case '" + slug + "'\n");
  EXPECT_TRUE(Ok({"case", "list", "--as", "out"}).empty());
  EXPECT_EQ(Ok({"case", "list", "--as", "vic"}).size(), 1u);
}

TEST_F(CaseE2E, BadInputIsRefusedAndWritesNothing) {
  AddUser("ana", "analyst");
  json c = Ok({"case", "new", "--title", "Country X", "--region", "West Africa", "--as", "ana"});
  const std::string slug = c["slug"];
  Ok({"case", "actor", "add", slug, "--name", "Militia A", "--as", "ana"});
  const auto audit = Count("case_audit"), scores = Count("case_scores"), roles = Count("case_actor_roles");

  EXPECT_NE(Fails({"case", "show", "no-such-case"}).find("no case 'no-such-case'"), std::string::npos);
  EXPECT_NE(Fails({"case", "score", "999", "--framework", "osapg", "--item", "c1", "--level", "high"}).find("no case"),
            std::string::npos);
  EXPECT_NE(Fails({"case", "actor", "role", slug, "Militia B", "--role", "victim", "--from", "2020"})
                .find("no actor 'Militia B'"),
            std::string::npos);
  EXPECT_NE(Fails({"case", "actor", "role", slug, "Militia A", "--role", "warlord", "--from", "2020"}).find("role:"),
            std::string::npos);
  EXPECT_NE(Fails({"case", "actor", "role", slug, "Militia A", "--role", "victim", "--from", "2020-02-30"})
                .find("not a date"),
            std::string::npos);
  EXPECT_NE(Fails({"case", "score", slug, "--framework", "osapg", "--item", "c1", "--level", "extreme"})
                .find("level: 'extreme'"),
            std::string::npos);
  EXPECT_NE(Fails({"case", "score", slug, "--framework", "osapg", "--item", "rf1", "--level", "high"})
                .find("item: 'rf1'"),
            std::string::npos);
  EXPECT_NE(Fails({"case", "score", slug, "--framework", "fog", "--item", "c1", "--level", "high"})
                .find("framework: unknown 'fog'"),
            std::string::npos);
  EXPECT_NE(Fails({"case", "score", slug, "--framework", "osapg", "--item", "c1", "--level", "high", "--evidence",
                   "url:https://example.org", "--evidence", "event:987654"})
                .find("event:987654"),
            std::string::npos);
  EXPECT_NE(Fails({"case", "score", slug, "--framework", "osapg", "--item", "c1", "--level", "high", "--evidence",
                   "alert:1"})
                .find("alert:1"),
            std::string::npos);
  EXPECT_NE(Fails({"case", "score", slug, "--framework", "osapg", "--item", "c1", "--level", "high", "--evidence",
                   "rumour:x"})
                .find("unknown kind 'rumour'"),
            std::string::npos);
  EXPECT_NE(Fails({"case", "score", slug, "--framework", "osapg", "--item", "c1", "--level", "high", "--evidence",
                   "event:ged/1"})
                .find("no stored event has this source and id"),
            std::string::npos);
  EXPECT_NE(Fails({"case", "edit", slug, "--status", "paused"}).find("status: 'paused'"), std::string::npos);
  EXPECT_NE(Fails({"case", "cir", "answer", slug, "42", "--answer", "x"}).find("no information requirement"),
            std::string::npos);
  EXPECT_NE(Fails({"case", "new", "--title", "Nowhere"}).find("country"), std::string::npos);
  EXPECT_NE(Fails({"case", "new", "--title", "Y", "--country", "Atlantis"}).find("unknown country 'Atlantis'"),
            std::string::npos);

  EXPECT_EQ(Count("case_audit"), audit);
  EXPECT_EQ(Count("case_scores"), scores);
  EXPECT_EQ(Count("case_evidence"), 0);
  EXPECT_EQ(Count("case_actor_roles"), roles);
  EXPECT_EQ(Count("cases"), 1);
}

TEST_F(CaseE2E, HelpOnEveryCaseCommand) {
  for (std::vector<std::string> args : std::vector<std::vector<std::string>>{
           {"case"}, {"case", "new"}, {"case", "list"}, {"case", "show"}, {"case", "edit"}, {"case", "history"},
           {"case", "actor", "add"}, {"case", "actor", "role"}, {"case", "score"}, {"case", "assessment", "add"},
           {"case", "interest", "add"}, {"case", "assumption", "set"}, {"case", "cir", "answer"}}) {
    args.push_back("--help");
    RunResult r = Run(args);
    EXPECT_EQ(r.exit_code, 0) << ::testing::PrintToString(args) << r.err;
    EXPECT_NE(r.out.find("Usage"), std::string::npos) << ::testing::PrintToString(args);
  }
}

}  // namespace
}  // namespace vigil
