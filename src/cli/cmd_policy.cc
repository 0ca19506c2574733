// vigil policy: the policy statement (MAPRO Step 3, Tab 5) drafted from the
// approved option, edited as new draft versions (goal, objectives, lines of
// effort with lead and supporting agencies, critical planning
// considerations) and approved by a recorded decision.
#include <fmt/format.h>

#include <algorithm>
#include <iostream>
#include <memory>

#include "app/decision_service.h"
#include "app/plan_service.h"
#include "cli/planning_cli.h"
#include "options/option_repo.h"
#include "plan/plan_repo.h"

namespace vigil::cli {

namespace {

using nlohmann::json;
using plan::PlanRepo;
using plan::PolicyStatement;

void PrintPolicy(const PolicyStatement& p) {
  std::cout << fmt::format("Policy statement v{} [{}] implementing option {}\n", p.version, p.status, p.option_number);
  if (!p.general.empty()) std::cout << "General: " << p.general << "\n";
  std::cout << "Goal: " << p.goal << "\nStrategic objectives:\n";
  for (const auto& o : p.objectives) std::cout << "  - " << o << "\n";
  std::cout << "Lines of effort:\n";
  for (const auto& l : p.loes) {
    std::string sup;
    for (const auto& s : l.supporting) sup += (sup.empty() ? "" : ", ") + s;
    std::cout << fmt::format("  {} {} (lead {}{}; priority {})\n", l.id, l.title, l.lead,
                             sup.empty() ? "" : "; support " + sup, l.priority);
  }
  if (!p.considerations.empty()) std::cout << "Critical planning considerations:\n";
  for (const auto& c : p.considerations) std::cout << fmt::format("  [{}] {}\n", c.category, c.text);
  if (!p.lead_official.empty()) std::cout << "Lead official: " << p.lead_official << "\n";
}

// Loads the latest statement; FailedPrecondition when there is none.
Result<PolicyStatement> Latest(PlanRepo& repo, const assess::Case& c) {
  VIGIL_ASSIGN_OR_RETURN(std::optional<PolicyStatement> p, repo.LatestPolicy(c.id));
  if (!p) {
    return Status::FailedPrecondition(fmt::format(
        "case {} has no policy statement: approve an option (vigil options approve) and run vigil policy draft {}",
        c.slug, c.slug));
  }
  return *p;
}

int RunDraft(Context& ctx, const std::string& case_query) {
  return WithActing(ctx, [&](store::Db& db, const Principal& who) {
    VIGIL_ASSIGN_OR_RETURN_CLI(PolicyStatement stored, app::DraftPolicy(db, who, case_query));
    if (ctx.json) {
      PrintJson(plan::ToJson(stored));
    } else {
      PrintPolicy(stored);
      std::cout << fmt::format("\nnext: edit with vigil policy edit|loe|consideration, then vigil policy approve {} --by WHO\n",
                               case_query);
    }
    return kExitOk;
  });
}

int RunShow(Context& ctx, const std::string& case_query, int version) {
  return WithCase(ctx, case_query, "case.read", [&](store::Db& db, const Principal& who, const assess::Case& c) {
    PlanRepo repo(db);
    PolicyStatement p;
    if (version > 0) {
      VIGIL_ASSIGN_OR_RETURN_CLI(std::vector<PolicyStatement> all, repo.PolicyVersions(c.id));
      auto it = std::find_if(all.begin(), all.end(), [&](const auto& x) { return x.version == version; });
      if (it == all.end()) {
        return Fail(Status::NotFound(fmt::format("case {} has no policy statement version {}", c.slug, version)));
      }
      p = *it;
    } else {
      VIGIL_ASSIGN_OR_RETURN_CLI(p, Latest(repo, c));
    }
    if (ctx.json) {
      PrintJson(plan::ToJson(p));
    } else {
      PrintPolicy(p);
    }
    return kExitOk;
  });
}

int RunHistory(Context& ctx, const std::string& case_query) {
  return WithCase(ctx, case_query, "case.read", [&](store::Db& db, const Principal& who, const assess::Case& c) {
    PlanRepo repo(db);
    VIGIL_ASSIGN_OR_RETURN_CLI(std::vector<PolicyStatement> all, repo.PolicyVersions(c.id));
    if (ctx.json) {
      json out = json::array();
      for (const auto& p : all) out.push_back(plan::ToJson(p));
      PrintJson({{"case", c.slug}, {"versions", out}});
      return kExitOk;
    }
    for (const auto& p : all) {
      std::cout << fmt::format("v{}  {:<10} option {}  {} LOEs  {} by {}\n", p.version, p.status, p.option_number,
                               p.loes.size(), p.created_at, p.created_by);
    }
    return kExitOk;
  });
}

// Loads the latest statement, applies fn, stores it as a new draft version.
int Revise(Context& ctx, const std::string& case_query,
           const std::function<Status(PolicyStatement&)>& fn, const std::string& what) {
  return WithCase(ctx, case_query, "policy.edit", [&](store::Db& db, const Principal& who, const assess::Case& c) {
    PlanRepo repo(db);
    VIGIL_ASSIGN_OR_RETURN_CLI(PolicyStatement p, Latest(repo, c));
    if (Status s = fn(p); !s.ok()) return Fail(s);
    p.status = "draft";
    VIGIL_ASSIGN_OR_RETURN_CLI(PolicyStatement stored, repo.SavePolicyDraft(c.id, std::move(p), who.AuditName()));
    return PrintDone(ctx, plan::ToJson(stored),
                     fmt::format("policy statement of case {}: {} (draft v{})", c.slug, what, stored.version));
  });
}

struct EditArgs {
  std::string case_query, general, goal, lead_official;
  std::vector<std::string> objectives;
};

struct LoeArgs {
  std::string case_query, id, title, lead, description, resources;
  std::vector<std::string> supporting;
  int priority = 0;
};

Status FindLoe(PolicyStatement& p, const std::string& id, plan::LineOfEffort** out) {
  for (auto& l : p.loes) {
    if (l.id == id) {
      *out = &l;
      return Status::Ok();
    }
  }
  return Status::NotFound(fmt::format("policy statement v{} has no line of effort '{}'", p.version, id));
}

int RunApprove(Context& ctx, const std::string& case_query, const DecisionArgs& d) {
  return WithActing(ctx, [&](store::Db& db, const Principal& who) {
    VIGIL_ASSIGN_OR_RETURN_CLI(PolicyStatement p, app::ApprovePolicy(db, who, case_query, d));
    return PrintDone(ctx, plan::ToJson(p),
                     fmt::format("policy statement v{} of case {} approved by {}\nnext: vigil plan create {}",
                                 p.version, case_query, d.by, case_query));
  });
}

}  // namespace

void RegisterPolicy(CLI::App& app, Context& ctx) {
  auto* cmd = app.add_subcommand(
      "policy",
      "The policy statement (MAPRO Step 3, Tab 5): draft it from the approved option, edit it (each edit is a\n"
      "new draft version), approve it with a recorded decision. CASE is a case id or slug.");
  cmd->require_subcommand(1);

  auto dq = std::make_shared<std::string>();
  auto* draft = cmd->add_subcommand("draft", "Draft the policy statement from the case's approved option");
  draft->add_option("CASE", *dq, "Case id or slug")->required();
  draft->callback([&ctx, dq] { SetExit(RunDraft(ctx, *dq)); });

  auto sq = std::make_shared<std::string>();
  auto sv = std::make_shared<int>(0);
  auto* show = cmd->add_subcommand("show", "Show the latest policy statement (or --version N)");
  show->add_option("CASE", *sq, "Case id or slug")->required();
  show->add_option("--version", *sv, "Version to show");
  show->callback([&ctx, sq, sv] { SetExit(RunShow(ctx, *sq, *sv)); });

  auto hq = std::make_shared<std::string>();
  auto* hist = cmd->add_subcommand("history", "Every version of the policy statement with its status");
  hist->add_option("CASE", *hq, "Case id or slug")->required();
  hist->callback([&ctx, hq] { SetExit(RunHistory(ctx, *hq)); });

  auto ea = std::make_shared<EditArgs>();
  auto* edit = cmd->add_subcommand("edit", "Edit the general section, goal, objectives or lead official (new draft)");
  edit->add_option("CASE", ea->case_query, "Case id or slug")->required();
  edit->add_option("--general", ea->general, "Section 1: the situation in brief");
  edit->add_option("--goal", ea->goal, "Policy goal");
  edit->add_option("--objective", ea->objectives, "Strategic objective (repeat; replaces the list)");
  edit->add_option("--lead-official", ea->lead_official, "Who implements the plan");
  edit->callback([&ctx, ea] {
    SetExit(Revise(ctx, ea->case_query, [ea](PolicyStatement& p) {
      if (!ea->general.empty()) p.general = ea->general;
      if (!ea->goal.empty()) p.goal = ea->goal;
      if (!ea->objectives.empty()) p.objectives = ea->objectives;
      if (!ea->lead_official.empty()) p.lead_official = ea->lead_official;
      return Status::Ok();
    }, "edited"));
  });

  auto* loe = cmd->add_subcommand("loe", "Add, edit or remove a line of effort (new draft)");
  loe->require_subcommand(1);
  auto la = std::make_shared<LoeArgs>();
  auto* l_add = loe->add_subcommand("add", "Add a line of effort");
  l_add->add_option("CASE", la->case_query, "Case id or slug")->required();
  l_add->add_option("--title", la->title, "Title")->required();
  l_add->add_option("--lead", la->lead, "Lead agency")->required();
  l_add->add_option("--supporting", la->supporting, "Supporting agency (repeat)");
  l_add->add_option("--description", la->description, "What it covers");
  l_add->add_option("--priority", la->priority, "1 = highest");
  l_add->add_option("--resources", la->resources, "Rough order of magnitude of resources");
  l_add->callback([&ctx, la] {
    SetExit(Revise(ctx, la->case_query, [la](PolicyStatement& p) {
      int next = 1;
      for (const auto& l : p.loes) {
        if (l.id.rfind("loe-", 0) == 0) next = std::max(next, std::atoi(l.id.c_str() + 4) + 1);
      }
      plan::LineOfEffort l;
      l.id = fmt::format("loe-{}", next);
      l.title = la->title;
      l.lead = la->lead;
      l.supporting = la->supporting;
      l.description = la->description;
      l.priority = la->priority > 0 ? la->priority : static_cast<int>(p.loes.size()) + 1;
      l.resources = la->resources;
      p.loes.push_back(std::move(l));
      return Status::Ok();
    }, "added line of effort " + la->title));
  });
  auto le = std::make_shared<LoeArgs>();
  auto* l_edit = loe->add_subcommand("edit", "Edit a line of effort");
  l_edit->add_option("CASE", le->case_query, "Case id or slug")->required();
  l_edit->add_option("LOE", le->id, "Line of effort id (loe-N)")->required();
  l_edit->add_option("--title", le->title, "Title");
  l_edit->add_option("--lead", le->lead, "Lead agency");
  l_edit->add_option("--supporting", le->supporting, "Supporting agency (repeat; replaces the list)");
  l_edit->add_option("--description", le->description, "What it covers");
  l_edit->add_option("--priority", le->priority, "1 = highest");
  l_edit->add_option("--resources", le->resources, "Rough order of magnitude of resources");
  l_edit->callback([&ctx, le] {
    SetExit(Revise(ctx, le->case_query, [le](PolicyStatement& p) {
      plan::LineOfEffort* l = nullptr;
      VIGIL_RETURN_IF_ERROR(FindLoe(p, le->id, &l));
      if (!le->title.empty()) l->title = le->title;
      if (!le->lead.empty()) l->lead = le->lead;
      if (!le->supporting.empty()) l->supporting = le->supporting;
      if (!le->description.empty()) l->description = le->description;
      if (le->priority > 0) l->priority = le->priority;
      if (!le->resources.empty()) l->resources = le->resources;
      return Status::Ok();
    }, "edited " + le->id));
  });
  auto lr = std::make_shared<LoeArgs>();
  auto* l_rm = loe->add_subcommand("remove", "Remove a line of effort");
  l_rm->add_option("CASE", lr->case_query, "Case id or slug")->required();
  l_rm->add_option("LOE", lr->id, "Line of effort id (loe-N)")->required();
  l_rm->callback([&ctx, lr] {
    SetExit(Revise(ctx, lr->case_query, [lr](PolicyStatement& p) {
      plan::LineOfEffort* l = nullptr;
      VIGIL_RETURN_IF_ERROR(FindLoe(p, lr->id, &l));
      p.loes.erase(p.loes.begin() + (l - p.loes.data()));
      return Status::Ok();
    }, "removed " + lr->id));
  });

  auto ca = std::make_shared<std::array<std::string, 3>>();
  auto* cons = cmd->add_subcommand("consideration", "Add a critical planning consideration (new draft)");
  cons->add_option("CASE", (*ca)[0], "Case id or slug")->required();
  cons->add_option("--category", (*ca)[1], "conditions, other-actors, resources or strategic-communication")
      ->required()
      ->check(CLI::IsMember({"conditions", "other-actors", "resources", "strategic-communication"}));
  cons->add_option("--text", (*ca)[2], "The consideration")->required();
  cons->callback([&ctx, ca] {
    SetExit(Revise(ctx, (*ca)[0], [ca](PolicyStatement& p) {
      p.considerations.push_back({(*ca)[1], (*ca)[2]});
      return Status::Ok();
    }, "added a consideration"));
  });

  auto aq = std::make_shared<std::string>();
  auto ad = std::make_shared<DecisionArgs>();
  auto* approve = cmd->add_subcommand("approve", "Record the decision approving the latest draft (needs 4-10 LOEs)");
  approve->add_option("CASE", *aq, "Case id or slug")->required();
  AddDecisionOptions(approve, *ad);
  approve->callback([&ctx, aq, ad] { SetExit(RunApprove(ctx, *aq, *ad)); });
}

}  // namespace vigil::cli
