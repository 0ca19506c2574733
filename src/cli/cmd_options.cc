// vigil options: MAPRO Step 3's option packages. Situational variables,
// generated packages (rules in docs/options.md), analyst edits of options,
// tools and risks, the comparison table, recommendations and dissents, and the
// decisions that approve or reject an option.
#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <fstream>
#include <iostream>
#include <map>
#include <memory>

#include "assess/frameworks.h"
#include "app/decision_service.h"
#include "app/options_service.h"
#include "cli/planning_cli.h"
#include "core/json_limits.h"
#include "options/generator.h"
#include "options/option_repo.h"
#include "plan/plan_repo.h"

namespace vigil::cli {

namespace {

using nlohmann::json;
using options::OptionPackage;
using options::OptionRepo;

std::string InstrumentCounts(const OptionPackage& o) {
  std::map<std::string, int> n;
  for (const auto& t : o.tools) ++n[t.instrument];
  std::string out;
  for (const char* inst : assess::kInstruments) {
    if (!out.empty()) out += "/";
    out += std::to_string(n[inst]);
  }
  return out;
}

std::string HighRisks(const OptionPackage& o) {
  std::string out;
  for (const auto& r : o.risks) {
    if (r.likelihood == "high" || r.impact == "high") out += (out.empty() ? "" : ", ") + r.id;
  }
  return out.empty() ? "-" : out;
}

void PrintOptionTable(const std::vector<OptionPackage>& opts) {
  std::cout << fmt::format("{:>3}  {:<10} {:<12} {:<19} {:<9} {:<6} {:<40} {}\n", "#", "status", "approach", "role",
                           "D/I/M/E", "cost", "title", "high risks");
  for (const auto& o : opts) {
    std::cout << fmt::format("{:>3}  {:<10} {:<12} {:<19} {:<9} {:<6} {:<40} {}\n", o.number, o.status, o.approach,
                             o.role, InstrumentCounts(o), o.resources.cost.empty() ? "-" : o.resources.cost,
                             Clip(OneLine(o.title), 40), HighRisks(o));
  }
}

void PrintOption(const OptionPackage& o) {
  std::cout << fmt::format("Option {}: {}  [{}; {}, v{}]\n", o.number, o.title, o.status, o.origin, o.version);
  if (!o.summary.empty()) std::cout << "  " << o.summary << "\n";
  std::cout << fmt::format("  approach {}, role {}{}\n", o.approach, o.role,
                           o.military_approach.empty() ? "" : ", military approach " + o.military_approach);
  std::cout << "  goal: " << o.policy_goal << "\n  objectives:\n";
  for (const auto& ob : o.objectives) std::cout << "    - " << ob << "\n";
  if (!o.rationale.empty()) std::cout << "  rationale: " << o.rationale << "\n";
  std::cout << "  tools:\n";
  for (const auto& t : o.tools) {
    std::string targets;
    for (const auto& a : t.target_actors) targets += (targets.empty() ? "" : ", ") + a;
    std::cout << fmt::format("    [{}] {} ({}; {}; lead {}){}\n", t.instrument.substr(0, 1), t.title, t.id,
                             t.approach, t.lead_agency.empty() ? "-" : t.lead_agency,
                             targets.empty() ? "" : " -> " + targets);
    if (!t.because.empty()) std::cout << "        because " << t.because << "\n";
  }
  std::cout << fmt::format("  resources: cost {}; {}; {}; lead time {}\n", o.resources.cost, o.resources.funding,
                           o.resources.personnel, o.resources.lead_time);
  std::cout << "  risks:\n";
  for (const auto& r : o.risks) {
    std::cout << fmt::format("    {} (likelihood {}, impact {})\n", r.title, r.likelihood, r.impact);
    for (const auto& m : r.mitigations) std::cout << "        mitigate: " << m << "\n";
  }
  if (!o.escalation_triggers.empty()) {
    std::cout << "  escalate when:\n";
    for (const auto& e : o.escalation_triggers) std::cout << "    - " << e << "\n";
  }
}

// ---- situation -------------------------------------------------------------------

struct SituationArgs {
  std::string case_query;
  std::string host, interests, support, volatility;
  std::vector<std::string> clear;
};

int RunSituation(Context& ctx, const SituationArgs& a) {
  return WithCase(ctx, a.case_query, "case.read", [&](store::Db& db, const Principal& who, const assess::Case& c) {
    std::vector<std::pair<std::string, std::string>> set;
    if (!a.host.empty()) set.emplace_back("host-nation-role", a.host);
    if (!a.interests.empty()) set.emplace_back("us-interests", a.interests);
    if (!a.support.empty()) set.emplace_back("international-support", a.support);
    if (!a.volatility.empty()) set.emplace_back("volatility", a.volatility);
    for (const auto& v : a.clear) set.emplace_back(v, "");
    VIGIL_ASSIGN_OR_RETURN_CLI(app::SituationView v, app::Situation(db, who, c.slug, set));
    if (ctx.json) {
      PrintJson({{"case", c.slug}, {"analyst", options::ToJson(v.analyst)}, {"situation", options::ToJson(v.used)}});
      return kExitOk;
    }
    std::cout << fmt::format("Situational variables of case {}:\n", c.slug);
    for (const char* var : options::kSituationVariables) {
      const std::string& val = v.used.Get(var);
      std::cout << fmt::format("  {:<22} {:<10} {}\n", var, val.empty() ? "unknown" : val, v.used.Basis(var));
    }
    return kExitOk;
  });
}

// ---- generate / list / show / compare -----------------------------------------------

int RunGenerate(Context& ctx, const std::string& case_query) {
  return WithCase(ctx, case_query, "case.read", [&](store::Db& db, const Principal& who, const assess::Case& c) {
    VIGIL_ASSIGN_OR_RETURN_CLI(options::GenerateResult gen, app::GenerateOptions(db, who, c.slug));
    const std::vector<OptionPackage>& saved = gen.options;
    if (ctx.json) {
      json opts = json::array();
      for (const auto& o : saved) opts.push_back(options::ToJson(o));
      PrintJson({{"case", c.slug},
                 {"case_id", c.id},
                 {"situation", options::ToJson(gen.situation)},
                 {"notes", gen.notes},
                 {"options", opts}});
      return kExitOk;
    }
    std::cout << fmt::format("Options for case {} ({} packages; rules in docs/options.md)\n", c.slug, saved.size());
    for (const char* v : options::kSituationVariables) {
      const std::string& val = gen.situation.Get(v);
      std::cout << fmt::format("  {:<22} {:<10} {}\n", v, val.empty() ? "unknown" : val, gen.situation.Basis(v));
    }
    for (const auto& n : gen.notes) std::cout << "  note: " << n << "\n";
    std::cout << "\n";
    PrintOptionTable(saved);
    std::cout << fmt::format("\nSee one in full: vigil options show {} N; compare: vigil options compare {}\n", c.slug,
                             c.slug);
    return kExitOk;
  });
}

int RunList(Context& ctx, const std::string& case_query, bool all) {
  return WithCase(ctx, case_query, "case.read", [&](store::Db& db, const Principal& who, const assess::Case& c) {
    OptionRepo repo(db);
    VIGIL_ASSIGN_OR_RETURN_CLI(std::vector<OptionPackage> opts, repo.ListOptions(c.id, all));
    if (ctx.json) {
      json out = json::array();
      for (const auto& o : opts) out.push_back(options::ToJson(o));
      PrintJson({{"case", c.slug}, {"options", out}});
      return kExitOk;
    }
    if (opts.empty()) {
      std::cout << fmt::format("case {} has no options; propose some with vigil options generate {}\n", c.slug, c.slug);
      return kExitOk;
    }
    PrintOptionTable(opts);
    return kExitOk;
  });
}

int RunShow(Context& ctx, const std::string& case_query, const std::string& ref) {
  return WithCase(ctx, case_query, "case.read", [&](store::Db& db, const Principal& who, const assess::Case& c) {
    OptionRepo repo(db);
    VIGIL_ASSIGN_OR_RETURN_CLI(OptionPackage o, repo.FindOption(c.id, ref));
    if (ctx.json) {
      PrintJson(options::ToJson(o));
    } else {
      PrintOption(o);
    }
    return kExitOk;
  });
}

int RunCompare(Context& ctx, const std::string& case_query, const std::string& csv) {
  return WithCase(ctx, case_query, "case.read", [&](store::Db& db, const Principal& who, const assess::Case& c) {
    OptionRepo repo(db);
    VIGIL_ASSIGN_OR_RETURN_CLI(std::vector<OptionPackage> opts, repo.ListOptions(c.id, false));
    VIGIL_ASSIGN_OR_RETURN_CLI(std::vector<options::Opinion> ops, repo.ListOpinions(c.id));
    if (opts.empty()) {
      return Fail(Status::FailedPrecondition(
          fmt::format("case {} has no options to compare; run vigil options generate {}", c.slug, c.slug)));
    }
    auto rows = options::CompareOptions(opts, ops);
    if (!csv.empty()) {
      auto q = [](const std::string& s) {
        if (s.find_first_of(",\"\n\r") == std::string::npos) return s;
        std::string out = "\"";
        for (char ch : s) out += ch == '"' ? std::string("\"\"") : std::string(1, ch);
        return out + "\"";
      };
      std::string text = "row";
      for (const auto& o : opts) text += "," + q(fmt::format("Option {}: {}", o.number, o.title));
      text += "\n";
      for (const auto& r : rows) {
        text += q(r.label);
        for (const auto& v : r.values) text += "," + q(v);
        text += "\n";
      }
      if (Status s = WriteTextFile(csv, text); !s.ok()) return Fail(s);
    }
    if (ctx.json) {
      json head = json::array();
      for (const auto& o : opts) head.push_back({{"number", o.number}, {"title", o.title}, {"status", o.status}});
      PrintJson({{"case", c.slug}, {"options", head}, {"rows", options::ToJson(rows)}});
      return kExitOk;
    }
    const std::size_t w = 30;
    std::cout << fmt::format("{:<24}", "");
    for (const auto& o : opts) std::cout << fmt::format(" | {:<{}}", Clip(OneLine(fmt::format("{}. {}", o.number, o.title)), w), w);
    std::cout << "\n";
    for (const auto& r : rows) {
      std::cout << fmt::format("{:<24}", Clip(OneLine(r.label), 24));
      for (const auto& v : r.values) std::cout << fmt::format(" | {:<{}}", Clip(OneLine(v), w), w);
      std::cout << "\n";
    }
    if (!csv.empty() && !ctx.quiet) std::cerr << "wrote " << csv << "\n";
    return kExitOk;
  });
}

// ---- add / edit / withdraw --------------------------------------------------------

struct EditArgs {
  std::string case_query, ref;
  std::string title, summary, approach, role, military, goal, rationale;
  std::vector<std::string> objectives, triggers, advantages, disadvantages;
  std::string from_json;
  int version = 0;
};

// The given fields of `a` (empty = unchanged; list options replace the list).
app::OptionFields FieldsOf(const EditArgs& a) {
  app::OptionFields f;
  f.title = IfGiven(a.title);
  f.summary = IfGiven(a.summary);
  f.approach = IfGiven(a.approach);
  f.role = IfGiven(a.role);
  f.military_approach = IfGiven(a.military);
  f.policy_goal = IfGiven(a.goal);
  f.rationale = IfGiven(a.rationale);
  f.objectives = IfGiven(a.objectives);
  f.escalation_triggers = IfGiven(a.triggers);
  f.advantages = IfGiven(a.advantages);
  f.disadvantages = IfGiven(a.disadvantages);
  return f;
}

int RunAdd(Context& ctx, const EditArgs& a) {
  return WithCase(ctx, a.case_query, "case.read", [&](store::Db& db, const Principal& who, const assess::Case& c) {
    OptionPackage o;
    if (!a.from_json.empty()) {
      std::ifstream in(a.from_json, std::ios::binary);
      if (!in) return Fail(Status::IoError(a.from_json + ": cannot open"));
      const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
      if (Status d = CheckJsonDepth(text, a.from_json); !d.ok()) return Fail(d);
      json j = json::parse(text, nullptr, false);
      if (j.is_discarded()) return Fail(Status::InvalidArgument(a.from_json + ": not valid JSON"));
      auto parsed = options::OptionFromJson(j);
      if (!parsed.ok()) return Fail(parsed.status().WithContext(a.from_json));
      o = std::move(parsed).value();
    }
    app::ApplyOptionFields(FieldsOf(a), o);
    VIGIL_ASSIGN_OR_RETURN_CLI(OptionPackage stored, app::AddOption(db, who, c.slug, std::move(o)));
    return PrintDone(ctx, options::ToJson(stored),
                     fmt::format("option {} added to case {}: {}", stored.number, c.slug, stored.title));
  });
}

// Loads an option, applies fn, stores it (version +1): app::ModifyOption.
// version: the option version the user read (0: none given).
int ModifyOption(Context& ctx, const std::string& case_query, const std::string& ref,
                 const std::function<Status(OptionPackage&)>& fn, const std::string& what, int version = 0) {
  return WithActing(ctx, [&](store::Db& db, const Principal& who) {
    VIGIL_ASSIGN_OR_RETURN_CLI(
        OptionPackage stored,
        app::ModifyOption(db, who, case_query, ref, version > 0 ? std::optional<int>(version) : std::nullopt, fn));
    return PrintDone(ctx, options::ToJson(stored), fmt::format("option {} of case {}: {} (version {})",
                                                               stored.number, case_query, what, stored.version));
  });
}

struct ToolArgs {
  std::string case_query, ref, tool;
  std::vector<std::string> targets, categories, stages;
  std::string lead, because;
};

int RunToolAdd(Context& ctx, const ToolArgs& a) {
  VIGIL_ASSIGN_OR_RETURN_CLI(Principal who, ctx.Who());  // named in the default reason
  return ModifyOption(ctx, a.case_query, a.ref, [&](OptionPackage& o) -> Status {
    if (o.FindTool(a.tool)) {
      return Status::AlreadyExists(fmt::format("option {} already has tool '{}'", o.number, a.tool));
    }
    const auto* dime = assess::FindReferenceCatalog("dime");
    const auto* entry = dime ? dime->Find(a.tool) : nullptr;
    if (!entry) {
      return Status::InvalidArgument(
          fmt::format("TOOL: unknown tool '{}' (see vigil catalog show dime)", a.tool));
    }
    options::ToolChoice t;
    t.id = a.tool;
    t.lead_agency = a.lead.empty() ? entry->Field("lead_agency") : a.lead;
    t.target_categories = a.categories.empty() ? entry->List("targets") : a.categories;
    t.target_actors = a.targets;
    t.stages = a.stages.empty() ? entry->List("stages") : a.stages;
    t.because = a.because.empty() ? "added by " + who.AuditName() : a.because;
    t.origin = "analyst";
    o.tools.push_back(std::move(t));
    return Status::Ok();
  }, "added tool " + a.tool);
}

int RunToolRemove(Context& ctx, const ToolArgs& a) {
  return ModifyOption(ctx, a.case_query, a.ref, [&](OptionPackage& o) -> Status {
    auto it = std::find_if(o.tools.begin(), o.tools.end(), [&](const auto& t) { return t.id == a.tool; });
    if (it == o.tools.end()) {
      return Status::NotFound(fmt::format("option {} has no tool '{}'", o.number, a.tool));
    }
    o.tools.erase(it);
    return Status::Ok();
  }, "removed tool " + a.tool);
}

struct RiskArgs {
  std::string case_query, ref, risk, likelihood, impact, because;
  std::vector<std::string> mitigations;
};

int RunRiskAdd(Context& ctx, const RiskArgs& a) {
  VIGIL_ASSIGN_OR_RETURN_CLI(Principal who, ctx.Who());  // named in the default reason
  return ModifyOption(ctx, a.case_query, a.ref, [&](OptionPackage& o) -> Status {
    const auto* risks = assess::FindReferenceCatalog("dime-risks");
    const auto* entry = risks ? risks->Find(a.risk) : nullptr;
    if (!entry) {
      return Status::InvalidArgument(fmt::format("RISK: unknown risk '{}' (see vigil catalog show dime-risks)", a.risk));
    }
    options::OptionRisk r;
    r.id = a.risk;
    r.likelihood = a.likelihood;
    r.impact = a.impact;
    r.mitigations = a.mitigations.empty() ? entry->List("mitigations") : a.mitigations;
    r.because = a.because.empty() ? "added by " + who.AuditName() : a.because;
    r.origin = "analyst";
    auto it = std::find_if(o.risks.begin(), o.risks.end(), [&](const auto& x) { return x.id == a.risk; });
    if (it != o.risks.end()) {
      *it = std::move(r);
    } else {
      o.risks.push_back(std::move(r));
    }
    return Status::Ok();
  }, "set risk " + a.risk);
}

int RunRiskRemove(Context& ctx, const RiskArgs& a) {
  return ModifyOption(ctx, a.case_query, a.ref, [&](OptionPackage& o) -> Status {
    auto it = std::find_if(o.risks.begin(), o.risks.end(), [&](const auto& x) { return x.id == a.risk; });
    if (it == o.risks.end()) return Status::NotFound(fmt::format("option {} has no risk '{}'", o.number, a.risk));
    o.risks.erase(it);
    return Status::Ok();
  }, "removed risk " + a.risk);
}

int RunWithdraw(Context& ctx, const std::string& case_query, const std::string& ref) {
  return WithActing(ctx, [&](store::Db& db, const Principal& who) {
    VIGIL_ASSIGN_OR_RETURN_CLI(OptionPackage o, app::WithdrawOption(db, who, case_query, ref));
    return PrintDone(ctx, options::ToJson(o), fmt::format("option {} of case {} withdrawn", o.number, case_query));
  });
}

// ---- opinions and decisions ---------------------------------------------------------

int RunOpinion(Context& ctx, const std::string& case_query, const std::string& ref,
               const std::string& position, const std::string& text) {
  return WithActing(ctx, [&](store::Db& db, const Principal& who) {
    VIGIL_ASSIGN_OR_RETURN_CLI(options::Opinion stored, app::AddOpinion(db, who, case_query, ref, position, text));
    return PrintDone(ctx, options::ToJson(stored),
                     fmt::format("{} of option {} recorded for {}", position == "recommend" ? "recommendation" : "dissent",
                                 ref, stored.author));
  });
}

int RunDecide(Context& ctx, const std::string& case_query, const std::string& ref,
              const std::string& outcome, const DecisionArgs& d) {
  return WithActing(ctx, [&](store::Db& db, const Principal& who) {
    VIGIL_ASSIGN_OR_RETURN_CLI(plan::Decision dec, app::DecideOption(db, who, case_query, ref, outcome, d));
    return PrintDone(ctx, plan::ToJson(dec),
                     fmt::format("option {} {} by {} on {}", ref, outcome, dec.decided_by, dec.decided_at) +
                         (outcome == "approved" ? fmt::format("\nnext: vigil policy draft {}", case_query) : ""));
  });
}

int RunReview(Context& ctx, const std::string& case_query, const std::string& ref,
              const std::string& outcome, const DecisionArgs& d) {
  return WithActing(ctx, [&](store::Db& db, const Principal& who) {
    VIGIL_ASSIGN_OR_RETURN_CLI(plan::Decision stored, app::ReviewOption(db, who, case_query, ref, outcome, d));
    return PrintDone(ctx, plan::ToJson(stored),
                     fmt::format("option {} {} for detailed planning by {} on {}", stored.subject, outcome,
                                 stored.decided_by, stored.decided_at));
  });
}

}  // namespace

void RegisterOptions(CLI::App& app, Context& ctx) {
  auto* cmd = app.add_subcommand(
      "options",
      "Option packages (MAPRO Step 3): situational variables, generated packages of DIME tools by approach\n"
      "and role (explicit rules, docs/options.md), analyst edits, comparison, recommendations, dissents and\n"
      "decisions. CASE is a case id or slug; OPTION an option number of the case.");
  cmd->require_subcommand(1);

  auto sa = std::make_shared<SituationArgs>();
  auto* sit = cmd->add_subcommand(
      "situation", "Show the four situational variables (set or inferred, with the basis), or set them");
  sit->add_option("CASE", sa->case_query, "Case id or slug")->required();
  sit->add_option("--host-nation", sa->host, "Host-nation government: partner or adversary")
      ->check(CLI::IsMember({"partner", "adversary"}));
  sit->add_option("--us-interests", sa->interests, "U.S. interests, will, access and leverage: high or low")
      ->check(CLI::IsMember({"high", "low"}));
  sit->add_option("--international-support", sa->support, "International support: high or low")
      ->check(CLI::IsMember({"high", "low"}));
  sit->add_option("--volatility", sa->volatility, "Volatility: latent or urgent")
      ->check(CLI::IsMember({"latent", "urgent"}));
  sit->add_option("--clear", sa->clear, "Clear an analyst setting (variable id) so it is inferred again");
  sit->callback([&ctx, sa] { SetExit(RunSituation(ctx, *sa)); });

  auto gen_q = std::make_shared<std::string>();
  auto* gen = cmd->add_subcommand(
      "generate",
      "Propose 2-4 option packages from the case's assessment and situational variables; re-running with\n"
      "unchanged inputs changes nothing, changed inputs withdraw the old unedited generated options");
  gen->add_option("CASE", *gen_q, "Case id or slug")->required();
  gen->callback([&ctx, gen_q] { SetExit(RunGenerate(ctx, *gen_q)); });

  auto ls_q = std::make_shared<std::string>();
  auto ls_all = std::make_shared<bool>(false);
  auto* ls = cmd->add_subcommand("list", "List a case's options");
  ls->add_option("CASE", *ls_q, "Case id or slug")->required();
  ls->add_flag("--all", *ls_all, "Include withdrawn options");
  ls->callback([&ctx, ls_q, ls_all] { SetExit(RunList(ctx, *ls_q, *ls_all)); });

  auto sh = std::make_shared<std::pair<std::string, std::string>>();
  auto* show = cmd->add_subcommand("show", "One option in full: tools with the reasons they were chosen, risks, triggers");
  show->add_option("CASE", sh->first, "Case id or slug")->required();
  show->add_option("OPTION", sh->second, "Option number")->required();
  show->callback([&ctx, sh] { SetExit(RunShow(ctx, sh->first, sh->second)); });

  auto cmp = std::make_shared<std::pair<std::string, std::string>>();
  auto* compare = cmd->add_subcommand("compare", "Comparison table across a case's options");
  compare->add_option("CASE", cmp->first, "Case id or slug")->required();
  compare->add_option("--csv", cmp->second, "Also write the table as CSV to this file");
  compare->callback([&ctx, cmp] { SetExit(RunCompare(ctx, cmp->first, cmp->second)); });

  auto add_edit_options = [](CLI::App* c, EditArgs& a) {
    c->add_option("--title", a.title, "Title");
    c->add_option("--summary", a.summary, "One or two sentences");
    c->add_option("--approach", a.approach, "suasion, compellence or intervention");
    c->add_option("--role", a.role, "bystander, support-others, lead-multinational or unilateral");
    c->add_option("--military-approach", a.military, "A military-approaches id, or 'none'");
    c->add_option("--goal", a.goal, "Policy goal");
    c->add_option("--rationale", a.rationale, "Why this option");
    c->add_option("--objective", a.objectives, "Strategic objective (repeat; replaces the list)");
    c->add_option("--trigger", a.triggers, "Escalation trigger (repeat; replaces the list)");
    c->add_option("--advantage", a.advantages, "Advantage (repeat; replaces the list)");
    c->add_option("--disadvantage", a.disadvantages, "Disadvantage (repeat; replaces the list)");
  };
  auto aa = std::make_shared<EditArgs>();
  auto* add = cmd->add_subcommand("add", "Add an analyst's option (then add tools with vigil options tool add)");
  add->add_option("CASE", aa->case_query, "Case id or slug")->required();
  add_edit_options(add, *aa);
  add->add_option("--from-json", aa->from_json, "Start from an option package in JSON (as options show --json)");
  add->callback([&ctx, aa] { SetExit(RunAdd(ctx, *aa)); });

  auto ea = std::make_shared<EditArgs>();
  auto* edit = cmd->add_subcommand("edit", "Edit a proposed option's fields (a new version; the audit log keeps the old)");
  edit->add_option("CASE", ea->case_query, "Case id or slug")->required();
  edit->add_option("OPTION", ea->ref, "Option number")->required();
  add_edit_options(edit, *ea);
  edit->add_option("--version", ea->version, "The option version you read: refused if it has changed since");
  edit->callback([&ctx, ea] {
    SetExit(ModifyOption(ctx, ea->case_query, ea->ref, [ea](OptionPackage& o) {
      app::ApplyOptionFields(FieldsOf(*ea), o);
      return Status::Ok();
    }, "edited", ea->version));
  });

  auto* tool = cmd->add_subcommand("tool", "Add or remove a DIME tool of an option");
  tool->require_subcommand(1);
  auto ta = std::make_shared<ToolArgs>();
  auto* t_add = tool->add_subcommand("add", "Add a tool (catalog dime) to a proposed option");
  t_add->add_option("CASE", ta->case_query, "Case id or slug")->required();
  t_add->add_option("OPTION", ta->ref, "Option number")->required();
  t_add->add_option("TOOL", ta->tool, "Tool id (vigil catalog show dime)")->required();
  t_add->add_option("--target", ta->targets, "Actor of the case the tool aims at (repeat)");
  t_add->add_option("--category", ta->categories, "Target category (default: the catalog's)");
  t_add->add_option("--stage", ta->stages, "Plan stage IA..IIIB (default: the catalog's)");
  t_add->add_option("--lead", ta->lead, "Lead agency (default: the catalog's)");
  t_add->add_option("--because", ta->because, "Why the tool is added");
  t_add->callback([&ctx, ta] { SetExit(RunToolAdd(ctx, *ta)); });
  auto tr = std::make_shared<ToolArgs>();
  auto* t_rm = tool->add_subcommand("remove", "Remove a tool from a proposed option");
  t_rm->add_option("CASE", tr->case_query, "Case id or slug")->required();
  t_rm->add_option("OPTION", tr->ref, "Option number")->required();
  t_rm->add_option("TOOL", tr->tool, "Tool id")->required();
  t_rm->callback([&ctx, tr] { SetExit(RunToolRemove(ctx, *tr)); });

  auto* risk = cmd->add_subcommand("risk", "Add, re-rate or remove a policy risk of an option");
  risk->require_subcommand(1);
  auto ra = std::make_shared<RiskArgs>();
  auto* r_add = risk->add_subcommand("set", "Add or re-rate a risk (catalog dime-risks) of a proposed option");
  r_add->add_option("CASE", ra->case_query, "Case id or slug")->required();
  r_add->add_option("OPTION", ra->ref, "Option number")->required();
  r_add->add_option("RISK", ra->risk, "Risk id (vigil catalog show dime-risks)")->required();
  r_add->add_option("--likelihood", ra->likelihood, "low, medium or high")->required();
  r_add->add_option("--impact", ra->impact, "low, medium or high")->required();
  r_add->add_option("--mitigation", ra->mitigations, "Mitigation (repeat; default: the catalog's)");
  r_add->add_option("--because", ra->because, "Why");
  r_add->callback([&ctx, ra] { SetExit(RunRiskAdd(ctx, *ra)); });
  auto rr = std::make_shared<RiskArgs>();
  auto* r_rm = risk->add_subcommand("remove", "Remove a risk from a proposed option");
  r_rm->add_option("CASE", rr->case_query, "Case id or slug")->required();
  r_rm->add_option("OPTION", rr->ref, "Option number")->required();
  r_rm->add_option("RISK", rr->risk, "Risk id")->required();
  r_rm->callback([&ctx, rr] { SetExit(RunRiskRemove(ctx, *rr)); });

  auto wd = std::make_shared<std::pair<std::string, std::string>>();
  auto* withdraw = cmd->add_subcommand("withdraw", "Withdraw a proposed option");
  withdraw->add_option("CASE", wd->first, "Case id or slug")->required();
  withdraw->add_option("OPTION", wd->second, "Option number")->required();
  withdraw->callback([&ctx, wd] { SetExit(RunWithdraw(ctx, wd->first, wd->second)); });

  for (const char* position : {"recommend", "dissent"}) {
    auto args = std::make_shared<std::array<std::string, 3>>();
    auto* op = cmd->add_subcommand(position, std::string(position) == "recommend"
                                                 ? "Record your recommendation of an option, with the reasons"
                                                 : "Record your dissent about an option, with the reasons");
    op->add_option("CASE", (*args)[0], "Case id or slug")->required();
    op->add_option("OPTION", (*args)[1], "Option number")->required();
    op->add_option("--text", (*args)[2], "The reasons")->required();
    std::string pos = position;
    op->callback([&ctx, args, pos] { SetExit(RunOpinion(ctx, (*args)[0], (*args)[1], pos, (*args)[2])); });
  }

  for (const char* outcome : {"approve", "reject"}) {
    auto args = std::make_shared<std::pair<std::string, std::string>>();
    auto d = std::make_shared<DecisionArgs>();
    auto* dc = cmd->add_subcommand(outcome, std::string(outcome) == "approve"
                                                ? "Record the decision that approves an option (the basis of the policy)"
                                                : "Record the decision that rejects an option");
    dc->add_option("CASE", args->first, "Case id or slug")->required();
    dc->add_option("OPTION", args->second, "Option number")->required();
    AddDecisionOptions(dc, *d);
    std::string out = std::string(outcome) == "approve" ? "approved" : "rejected";
    dc->callback([&ctx, args, d, out] { SetExit(RunDecide(ctx, args->first, args->second, out, *d)); });
  }

  auto rv = std::make_shared<std::pair<std::string, std::string>>();
  auto rv_out = std::make_shared<std::string>("approved");
  auto rv_d = std::make_shared<DecisionArgs>();
  auto* review = cmd->add_subcommand(
      "review", "Record the options-approval decision (Tab 6): an option approved, rejected or deferred for planning");
  review->add_option("CASE", rv->first, "Case id or slug")->required();
  review->add_option("OPTION", rv->second, "Option number")->required();
  review->add_option("--outcome", *rv_out, "approved, rejected or deferred")
      ->check(CLI::IsMember({"approved", "rejected", "deferred"}))
      ->capture_default_str();
  AddDecisionOptions(review, *rv_d);
  review->callback([&ctx, rv, rv_out, rv_d] { SetExit(RunReview(ctx, rv->first, rv->second, *rv_out, *rv_d)); });
}

}  // namespace vigil::cli
