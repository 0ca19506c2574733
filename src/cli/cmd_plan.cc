// vigil plan: the strategic plan (MAPRO Step 4, Tab 8) built from the approved
// policy statement and edited as new revisions (tasks with dependencies,
// branch plans, decision points), the synchronization matrix (XLSX and CSV),
// and execution (Step 5): status of lines of effort and tasks, stage
// transitions, decisions on decision points and branch plans, and the flags
// monitoring alerts raise on the plan.
#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cstdlib>
#include <functional>
#include <iostream>
#include <memory>

#include "app/decision_service.h"
#include "app/plan_service.h"
#include "cli/planning_cli.h"
#include "data/countries.h"
#include "options/option_repo.h"
#include "plan/plan_repo.h"

namespace vigil::cli {

namespace {

using nlohmann::json;
using plan::Plan;
using plan::PlanRepo;

std::string Join(const std::vector<std::string>& v, const char* sep = ", ") {
  std::string out;
  for (const auto& s : v) out += (out.empty() ? "" : sep) + s;
  return out;
}

Result<Plan> CurrentPlan(PlanRepo& repo, const assess::Case& c, int revision = 0) {
  VIGIL_ASSIGN_OR_RETURN(std::optional<Plan> p, repo.LoadPlan(c.id, revision));
  if (!p) {
    if (revision > 0) return Status::NotFound(fmt::format("case {} has no plan revision {}", c.slug, revision));
    return Status::FailedPrecondition(
        fmt::format("case {} has no plan: approve a policy statement and run vigil plan create {}", c.slug, c.slug));
  }
  return *p;
}

void PrintPlan(const Plan& p, const std::vector<plan::StatusEntry>& current) {
  auto status_of = [&](const std::string& id) -> std::string {
    for (const auto& s : current) {
      if (s.target == id) return s.status;
    }
    return "not-started";
  };
  std::cout << fmt::format("Plan revision {} (policy v{}), current stage {}\n", p.revision, p.policy_version,
                           p.current_stage);
  std::cout << "Goal: " << p.goal << "\n";
  std::cout << "Stages:\n";
  for (const auto& s : p.stages) {
    std::cout << fmt::format("  {:<5} {}{}\n", s.id, s.objective, s.id == p.current_stage ? "   <- current" : "");
  }
  std::cout << "Lines of effort and tasks (in sequence):\n";
  auto seq = p.Sequence();
  for (const auto& l : p.loes) {
    std::cout << fmt::format("  {} {} (lead {}) [{}]\n", l.id, l.title, l.lead, status_of(l.id));
    for (const auto* t : seq) {
      if (t->loe != l.id) continue;
      std::cout << fmt::format("      {:<5} {} — {} [{}] {}{}\n", t->id, t->title, t->agency, Join(t->stages, "/"),
                               status_of(t->id),
                               t->depends_on.empty() ? "" : " after " + Join(t->depends_on));
    }
  }
  std::cout << "Branch plans:\n";
  for (const auto& b : p.branches) {
    std::cout << fmt::format("  {:<5} {} [{}]: if {} then {}\n", b.id, b.title, b.status, b.condition, b.response);
  }
  std::cout << "Decision points:\n";
  for (const auto& d : p.decision_points) {
    std::cout << fmt::format("  {:<5} {} (decides: {}; {}) [{}]\n", d.id, d.question, d.who_decides,
                             Join(d.stages, "/"), d.status);
  }
}

// Prints a stored plan revision (what Revise and the task commands return).
int PrintRevision(Context& ctx, const Result<Plan>& stored, const std::string& case_query,
                  const std::string& note) {
  if (!stored.ok()) return Fail(stored.status());
  return PrintDone(ctx, plan::ToJson(*stored),
                   fmt::format("plan of case {}: {} (revision {})", case_query, note, stored->revision));
}

// Loads the current plan, applies fn, stores the next revision (app::RevisePlan).
int Revise(Context& ctx, const std::string& case_query, const std::string& note,
           const std::function<Status(Plan&)>& fn) {
  return WithActing(ctx, [&](store::Db& db, const Principal& who) {
    return PrintRevision(ctx, app::RevisePlan(db, who, case_query, std::nullopt, note, fn), case_query, note);
  });
}

// The revision a task command names with --revision (0: none given).
std::optional<int> BasedOn(int revision) { return revision > 0 ? std::optional<int>(revision) : std::nullopt; }

int RunCreate(Context& ctx, const std::string& case_query) {
  return WithActing(ctx, [&](store::Db& db, const Principal& who) {
    VIGIL_ASSIGN_OR_RETURN_CLI(Plan stored, app::CreatePlan(db, who, case_query));
    if (ctx.json) {
      PrintJson(plan::ToJson(stored));
    } else {
      PrintPlan(stored, {});
      std::cout << fmt::format("\nnext: vigil plan sync-matrix {} --xlsx FILE --csv FILE; vigil report {} --tab 8\n",
                               case_query, case_query);
    }
    return kExitOk;
  });
}

int RunShow(Context& ctx, const std::string& case_query, int revision) {
  return WithCase(ctx, case_query, "case.read", [&](store::Db& db, const Principal& who, const assess::Case& c) {
    PlanRepo repo(db);
    VIGIL_ASSIGN_OR_RETURN_CLI(Plan p, CurrentPlan(repo, c, revision));
    VIGIL_ASSIGN_OR_RETURN_CLI(std::vector<plan::StatusEntry> hist, repo.StatusHistory(c.id));
    auto current = plan::CurrentStatus(hist);
    if (ctx.json) {
      json st = json::array();
      for (const auto& s : current) st.push_back(plan::ToJson(s));
      json j = plan::ToJson(p);
      j["execution_status"] = st;
      PrintJson(j);
    } else {
      PrintPlan(p, current);
    }
    return kExitOk;
  });
}

int RunHistory(Context& ctx, const std::string& case_query) {
  return WithCase(ctx, case_query, "case.read", [&](store::Db& db, const Principal& who, const assess::Case& c) {
    PlanRepo repo(db);
    VIGIL_ASSIGN_OR_RETURN_CLI(std::vector<PlanRepo::RevisionInfo> revs, repo.PlanRevisions(c.id));
    VIGIL_ASSIGN_OR_RETURN_CLI(std::vector<plan::Decision> decisions, repo.ListDecisions(c.id));
    if (ctx.json) {
      json r = json::array();
      for (const auto& x : revs) {
        r.push_back({{"revision", x.revision}, {"policy_version", x.policy_version}, {"note", x.note},
                     {"created_at", x.created_at}, {"created_by", x.created_by}});
      }
      json d = json::array();
      for (const auto& x : decisions) d.push_back(plan::ToJson(x));
      PrintJson({{"case", c.slug}, {"revisions", r}, {"decisions", d}});
      return kExitOk;
    }
    std::cout << "Plan revisions:\n";
    for (const auto& x : revs) {
      std::cout << fmt::format("  r{:<3} {} by {}: {}\n", x.revision, x.created_at, x.created_by, x.note);
    }
    std::cout << "Decisions:\n";
    for (const auto& x : decisions) {
      std::cout << fmt::format("  {} {:<15} {:<10} {:<9} by {}{}\n", x.decided_at, x.kind, x.subject, x.outcome,
                               x.decided_by, x.note.empty() ? "" : " — " + x.note);
    }
    return kExitOk;
  });
}

struct TaskArgs {
  std::string case_query, id, loe, title, agency, tool, resources, arrival;
  std::vector<std::string> stages, after;
  bool clear_after = false;
  int revision = 0;
};

struct BranchArgs {
  std::string case_query, title, condition, response, min_severity = "high";
  std::int64_t assumption = 0;
  std::vector<std::string> stages, watch;
};

struct PointArgs {
  std::string case_query, kind, question, who, trigger, min_severity = "high";
  std::vector<std::string> stages, watch;
};

int RunDecide(Context& ctx, const std::string& case_query, const std::string& id,
              const std::string& outcome, const DecisionArgs& d) {
  return WithActing(ctx, [&](store::Db& db, const Principal& who) {
    VIGIL_ASSIGN_OR_RETURN_CLI(plan::Decision stored, app::DecidePlanPoint(db, who, case_query, id, outcome, d));
    return PrintDone(ctx, plan::ToJson(stored),
                     fmt::format("{} {} {} by {} on {}", stored.kind, id, outcome, stored.decided_by, stored.decided_at));
  });
}

int RunStatus(Context& ctx, const std::array<std::string, 5>& a) {
  return WithActing(ctx, [&](store::Db& db, const Principal& who) {
    plan::StatusEntry s;
    s.target = a[1];
    s.status = a[2];
    s.note = a[3];
    s.as_of = a[4];
    VIGIL_ASSIGN_OR_RETURN_CLI(plan::StatusEntry stored, app::RecordExecutionStatus(db, who, a[0], s));
    return PrintDone(ctx, plan::ToJson(stored),
                     fmt::format("{} of case {}: {} as of {}", stored.target, a[0], stored.status, stored.as_of));
  });
}

int RunStage(Context& ctx, const std::string& case_query, const std::string& to,
             const DecisionArgs& d) {
  return WithActing(ctx, [&](store::Db& db, const Principal& who) {
    VIGIL_ASSIGN_OR_RETURN_CLI(plan::Decision dec, app::TransitionStage(db, who, case_query, to, d));
    return PrintDone(ctx, plan::ToJson(dec),
                     fmt::format("plan of case {} moved {} by {} on {}", case_query, dec.subject, dec.decided_by,
                                 dec.decided_at));
  });
}

int RunCheck(Context& ctx, const std::string& case_query, const std::string& since) {
  return WithCase(ctx, case_query, "case.read", [&](store::Db& db, const Principal& who, const assess::Case& c) {
    PlanRepo repo(db);
    VIGIL_ASSIGN_OR_RETURN_CLI(Plan p, CurrentPlan(repo, c));
    assess::CaseRepo cases(db);
    VIGIL_ASSIGN_OR_RETURN_CLI(assess::CaseLinks links, cases.LoadLinks(c));
    auto flags = plan::FlagAlerts(p, links.alerts, since);
    if (ctx.json) {
      json f = json::array();
      for (const auto& x : flags) f.push_back(plan::ToJson(x));
      PrintJson({{"case", c.slug},
                 {"plan_revision", p.revision},
                 {"current_stage", p.current_stage},
                 {"alerts_considered", links.alerts.size()},
                 {"flags", f}});
      return kExitOk;
    }
    if (!c.gw) {
      std::cout << fmt::format("case {} is regional (no country): no alerts link to it\n", c.slug);
    }
    std::cout << fmt::format("Plan of case {} (revision {}, stage {}); {} alerts of its country considered\n", c.slug,
                             p.revision, p.current_stage, links.alerts.size());
    if (flags.empty()) std::cout << "No decision point, branch plan or stage transition is flagged.\n";
    for (const auto& x : flags) {
      std::cout << fmt::format("  [{}] {} {}: {}\n", x.kind, x.id, x.title, x.reason);
    }
    return kExitOk;
  });
}

int RunSyncMatrix(Context& ctx, const std::string& case_query, const std::string& xlsx, const std::string& csv,
                  int revision) {
  if (xlsx.empty() && csv.empty() && !ctx.json) {
    return Fail(Status::InvalidArgument("sync-matrix: give --xlsx FILE, --csv FILE or --json"));
  }
  return WithCase(ctx, case_query, "case.read", [&](store::Db& db, const Principal& who, const assess::Case& c) {
    PlanRepo repo(db);
    VIGIL_ASSIGN_OR_RETURN_CLI(Plan p, CurrentPlan(repo, c, revision));
    plan::SyncMatrix m = plan::BuildSyncMatrix(p);
    if (!xlsx.empty()) {
      std::string title = fmt::format("{} — synchronization matrix, plan revision {}", c.title, p.revision);
      if (Status s = plan::WriteSyncMatrixXlsx(m, p, title, xlsx); !s.ok()) return Fail(s);
      if (Status s = FinishExport(xlsx); !s.ok()) return Fail(s);
    }
    if (!csv.empty()) {
      if (Status s = plan::WriteSyncMatrixCsv(m, csv); !s.ok()) return Fail(s);
      if (Status s = FinishExport(csv); !s.ok()) return Fail(s);
    }
    if (ctx.json) {
      json j = plan::ToJson(m);
      j["case"] = c.slug;
      j["plan_revision"] = p.revision;
      if (!xlsx.empty()) j["xlsx"] = xlsx;
      if (!csv.empty()) j["csv"] = csv;
      PrintJson(j);
    } else if (!ctx.quiet) {
      std::cerr << fmt::format("synchronization matrix of case {} (plan revision {}): {} rows x {} stages{}{}\n",
                               c.slug, p.revision, m.rows.size(), m.stages.size(),
                               xlsx.empty() ? "" : "; wrote " + xlsx, csv.empty() ? "" : "; wrote " + csv);
    }
    return kExitOk;
  });
}

// --watch and --min-severity: which alerts touch a branch plan or decision
// point (plan check).
void AddWatchOptions(CLI::App* cmd, std::vector<std::string>* watch, std::string* min_severity) {
  cmd->add_option("--watch", *watch, "Alert detector that touches it: threshold, cusum, new-pair, spread");
  cmd->add_option("--min-severity", *min_severity, "Lowest alert severity that touches it")
      ->check(CLI::IsMember({"low", "medium", "high", "critical"}))
      ->capture_default_str();
}

}  // namespace

void RegisterPlan(CLI::App& app, Context& ctx) {
  auto* cmd = app.add_subcommand(
      "plan",
      "The strategic plan (MAPRO Step 4, Tab 8) and its execution (Step 5): build it from the approved policy,\n"
      "edit tasks, branch plans and decision points (each change is a new revision), export the\n"
      "synchronization matrix, record status, stage transitions and decisions, and check it against alerts.\n"
      "CASE is a case id or slug.");
  cmd->require_subcommand(1);

  auto cq = std::make_shared<std::string>();
  auto* create = cmd->add_subcommand("create", "Build the plan from the approved policy statement and its option");
  create->add_option("CASE", *cq, "Case id or slug")->required();
  create->callback([&ctx, cq] { SetExit(RunCreate(ctx, *cq)); });

  auto sq = std::make_shared<std::string>();
  auto sr = std::make_shared<int>(0);
  auto* show = cmd->add_subcommand("show", "Show the plan (latest revision, or --revision N) with execution status");
  show->add_option("CASE", *sq, "Case id or slug")->required();
  show->add_option("--revision", *sr, "Revision to show");
  show->callback([&ctx, sq, sr] { SetExit(RunShow(ctx, *sq, *sr)); });

  auto hq = std::make_shared<std::string>();
  auto* hist = cmd->add_subcommand("history", "Plan revisions and every decision of the case");
  hist->add_option("CASE", *hq, "Case id or slug")->required();
  hist->callback([&ctx, hq] { SetExit(RunHistory(ctx, *hq)); });

  auto* task = cmd->add_subcommand("task", "Add, edit or remove a task (new revision)");
  task->require_subcommand(1);
  auto ta = std::make_shared<TaskArgs>();
  auto* t_add = task->add_subcommand("add", "Add a task to a line of effort");
  t_add->add_option("CASE", ta->case_query, "Case id or slug")->required();
  t_add->add_option("--loe", ta->loe, "Line of effort id (loe-N)")->required();
  t_add->add_option("--title", ta->title, "What is to be done")->required();
  t_add->add_option("--agency", ta->agency, "Who does it: agency or partner")->required();
  t_add->add_option("--stage", ta->stages, "Stage IA..IIIB (repeat)")->required();
  t_add->add_option("--after", ta->after, "Task id that must come first (repeat)");
  t_add->add_option("--tool", ta->tool, "DIME tool id it implements");
  t_add->add_option("--resources", ta->resources, "What it needs");
  t_add->add_option("--arrival", ta->arrival, "Resource arrival it brings (e.g. 'police unit, IIA week 4')");
  t_add->add_option("--revision", ta->revision, "The plan revision you read: refused if it has changed since");
  t_add->callback([&ctx, ta] {
    plan::Task t;
    t.loe = ta->loe;
    t.title = ta->title;
    t.agency = ta->agency;
    t.stages = ta->stages;
    t.depends_on = ta->after;
    t.tool = ta->tool;
    t.resources = ta->resources;
    t.arrival = ta->arrival;
    SetExit(WithActing(ctx, [&](store::Db& db, const Principal& who) {
      return PrintRevision(ctx, app::AddTask(db, who, ta->case_query, std::move(t), BasedOn(ta->revision)),
                           ta->case_query, "added task " + ta->title);
    }));
  });
  auto te = std::make_shared<TaskArgs>();
  auto* t_edit = task->add_subcommand("edit", "Edit a task (dependencies are checked for cycles)");
  t_edit->add_option("CASE", te->case_query, "Case id or slug")->required();
  t_edit->add_option("TASK", te->id, "Task id (t-N)")->required();
  t_edit->add_option("--loe", te->loe, "Line of effort id");
  t_edit->add_option("--title", te->title, "Title");
  t_edit->add_option("--agency", te->agency, "Agency or partner");
  t_edit->add_option("--stage", te->stages, "Stage (repeat; replaces the list)");
  t_edit->add_option("--after", te->after, "Task that must come first (repeat; adds to the list)");
  t_edit->add_flag("--clear-after", te->clear_after, "Remove every dependency first");
  t_edit->add_option("--tool", te->tool, "DIME tool id");
  t_edit->add_option("--resources", te->resources, "What it needs");
  t_edit->add_option("--arrival", te->arrival, "Resource arrival it brings");
  t_edit->add_option("--revision", te->revision,
                     "The plan revision you read: refused if this task has changed since");
  t_edit->callback([&ctx, te] {
    app::TaskFields f;
    f.loe = IfGiven(te->loe);
    f.title = IfGiven(te->title);
    f.agency = IfGiven(te->agency);
    f.tool = IfGiven(te->tool);
    f.resources = IfGiven(te->resources);
    f.arrival = IfGiven(te->arrival);
    f.stages = IfGiven(te->stages);
    f.clear_depends_on = te->clear_after;
    f.add_depends_on = te->after;
    SetExit(WithActing(ctx, [&](store::Db& db, const Principal& who) {
      return PrintRevision(ctx, app::EditTask(db, who, te->case_query, te->id, f, BasedOn(te->revision)),
                           te->case_query, "edited task " + te->id);
    }));
  });
  auto tr = std::make_shared<TaskArgs>();
  auto* t_rm = task->add_subcommand("remove", "Remove a task (fails while other tasks depend on it)");
  t_rm->add_option("CASE", tr->case_query, "Case id or slug")->required();
  t_rm->add_option("TASK", tr->id, "Task id (t-N)")->required();
  t_rm->add_option("--revision", tr->revision, "The plan revision you read: refused if it has changed since");
  t_rm->callback([&ctx, tr] {
    SetExit(WithActing(ctx, [&](store::Db& db, const Principal& who) {
      return PrintRevision(ctx, app::RemoveTask(db, who, tr->case_query, tr->id, BasedOn(tr->revision)),
                           tr->case_query, "removed task " + tr->id);
    }));
  });

  auto ba = std::make_shared<BranchArgs>();
  auto* branch = cmd->add_subcommand("branch", "Add a branch plan (new revision)");
  branch->add_option("CASE", ba->case_query, "Case id or slug")->required();
  branch->add_option("--title", ba->title, "Title")->required();
  branch->add_option("--condition", ba->condition, "When it applies")->required();
  branch->add_option("--response", ba->response, "What changes")->required();
  branch->add_option("--assumption", ba->assumption, "Case assumption id it hedges");
  branch->add_option("--stage", ba->stages, "Stage (repeat)");
  AddWatchOptions(branch, &ba->watch, &ba->min_severity);
  branch->callback([&ctx, ba] {
    SetExit(Revise(ctx, ba->case_query, "added branch plan " + ba->title, [ba](Plan& p) {
      plan::BranchPlan b;
      b.id = app::NextId(p.branches, "b");
      b.title = ba->title;
      b.condition = ba->condition;
      b.response = ba->response;
      b.assumption_id = ba->assumption;
      b.stages = ba->stages;
      b.watch_detectors = ba->watch;
      b.min_severity = ba->min_severity;
      p.branches.push_back(std::move(b));
      return Status::Ok();
    }));
  });

  auto pa = std::make_shared<PointArgs>();
  auto* point = cmd->add_subcommand("decision-point", "Add a decision point (new revision)");
  point->add_option("CASE", pa->case_query, "Case id or slug")->required();
  point->add_option("--kind", pa->kind, "Decision kind (catalog decision-points)")->required();
  point->add_option("--question", pa->question, "The decision to take")->required();
  point->add_option("--who", pa->who, "Who decides")->required();
  point->add_option("--stage", pa->stages, "Stage (repeat)");
  point->add_option("--trigger", pa->trigger, "What brings it up");
  AddWatchOptions(point, &pa->watch, &pa->min_severity);
  point->callback([&ctx, pa] {
    SetExit(Revise(ctx, pa->case_query, "added decision point " + pa->question, [pa](Plan& p) {
      plan::DecisionPoint d;
      d.id = app::NextId(p.decision_points, "dp");
      d.kind = pa->kind;
      d.question = pa->question;
      d.who_decides = pa->who;
      d.stages = pa->stages;
      d.trigger = pa->trigger;
      d.watch_detectors = pa->watch;
      d.min_severity = pa->min_severity;
      p.decision_points.push_back(std::move(d));
      return Status::Ok();
    }));
  });

  auto da = std::make_shared<std::array<std::string, 3>>();
  auto dd = std::make_shared<DecisionArgs>();
  auto* decide = cmd->add_subcommand("decide", "Record a decision on a decision point (dp-N) or branch plan (b-N)");
  decide->add_option("CASE", (*da)[0], "Case id or slug")->required();
  decide->add_option("ID", (*da)[1], "dp-N or b-N")->required();
  decide->add_option("--outcome", (*da)[2], "decided (decision point), activated or deactivated (branch plan)")
      ->required()
      ->check(CLI::IsMember({"decided", "activated", "deactivated", "deferred"}));
  AddDecisionOptions(decide, *dd);
  decide->callback([&ctx, da, dd] { SetExit(RunDecide(ctx, (*da)[0], (*da)[1], (*da)[2], *dd)); });

  auto st = std::make_shared<std::array<std::string, 5>>();
  auto* status = cmd->add_subcommand("status", "Record the status of a line of effort or task (Step 5)");
  status->add_option("CASE", (*st)[0], "Case id or slug")->required();
  status->add_option("TARGET", (*st)[1], "Line of effort (loe-N) or task (t-N)")->required();
  status->add_option("--status", (*st)[2], "not-started, on-track, at-risk, setback or complete")
      ->required()
      ->check(CLI::IsMember({"not-started", "on-track", "at-risk", "setback", "complete"}));
  status->add_option("--note", (*st)[3], "What happened");
  status->add_option("--as-of", (*st)[4], "Date the status holds (default today)");
  status->callback([&ctx, st] { SetExit(RunStatus(ctx, *st)); });

  auto sg = std::make_shared<std::pair<std::string, std::string>>();
  auto sgd = std::make_shared<DecisionArgs>();
  auto* stage = cmd->add_subcommand("stage", "Record the decision moving the plan to another stage");
  stage->add_option("CASE", sg->first, "Case id or slug")->required();
  stage->add_option("--to", sg->second, "Stage IA, IB, IC, IIA, IIB, IIIA or IIIB")->required();
  AddDecisionOptions(stage, *sgd);
  stage->callback([&ctx, sg, sgd] { SetExit(RunStage(ctx, sg->first, sg->second, *sgd)); });

  auto ck = std::make_shared<std::pair<std::string, std::string>>();
  auto* check = cmd->add_subcommand(
      "check", "Flag decision points and branch plans touched by the country's alerts, and suggest a stage transition");
  check->add_option("CASE", ck->first, "Case id or slug")->required();
  check->add_option("--since", ck->second, "Only alerts from this month on (YYYY-MM)");
  check->callback([&ctx, ck] { SetExit(RunCheck(ctx, ck->first, ck->second)); });

  auto sm = std::make_shared<std::array<std::string, 3>>();
  auto smr = std::make_shared<int>(0);
  auto* sync = cmd->add_subcommand(
      "sync-matrix", "Export the synchronization matrix (stages as columns) to XLSX and/or CSV");
  sync->add_option("CASE", (*sm)[0], "Case id or slug")->required();
  sync->add_option("--xlsx", (*sm)[1], "Write the XLSX workbook here");
  sync->add_option("--csv", (*sm)[2], "Write the matrix as CSV here");
  sync->add_option("--revision", *smr, "Plan revision (default: latest)");
  sync->callback([&ctx, sm, smr] { SetExit(RunSyncMatrix(ctx, (*sm)[0], (*sm)[1], (*sm)[2], *smr)); });
}

}  // namespace vigil::cli
