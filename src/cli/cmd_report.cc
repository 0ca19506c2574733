// vigil report CASE --tab 1..10: a case's briefing products (MAPRO Annex D
// Tabs 1-10) as Markdown, self-contained HTML or PDF (printed from the HTML by
// headless Chromium). See report/case_products.h and
// report/planning_products.h.
#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fmt/format.h>
#include <fstream>
#include <iostream>
#include <optional>
#include <string>
#include <vector>

#include "app/case_service.h"
#include "assess/case.h"
#include "cli/cli.h"
#include "data/countries.h"
#include "report/case_products.h"
#include "report/planning_products.h"

extern char** environ;

namespace vigil::cli {

namespace {

namespace fs = std::filesystem;

struct ReportOptions {
  std::string case_query;
  int tab = 0;
  std::string format = "md";
  bool brief = false;
  std::string agency;
  std::string from, to;
  std::string out;
};

// The first of `names` found on $PATH, or "".
std::string FindOnPath(const std::vector<std::string>& names) {
  const char* path = std::getenv("PATH");
  if (!path) return "";
  std::string p = path;
  for (const auto& name : names) {
    std::size_t start = 0;
    while (start <= p.size()) {
      std::size_t end = p.find(':', start);
      if (end == std::string::npos) end = p.size();
      std::string dir = p.substr(start, end - start);
      if (!dir.empty()) {
        fs::path cand = fs::path(dir) / name;
        if (access(cand.c_str(), X_OK) == 0) return cand.string();
      }
      start = end + 1;
    }
  }
  return "";
}

// Prints `html` to the PDF file `out` with headless Chromium.
Status PrintPdf(const std::string& html, const std::string& out) {
  const std::string chromium = FindOnPath({"chromium", "chromium-browser", "google-chrome"});
  if (chromium.empty()) {
    return Status::FailedPrecondition(
        "--format pdf needs headless Chromium ('chromium' on PATH), which is not installed; install it "
        "(e.g. apt-get install chromium) or use --format html and print the page from a browser");
  }
  std::error_code ec;
  fs::path tmp_dir = fs::temp_directory_path(ec);
  if (ec) return Status::IoError("no temporary directory: " + ec.message());
  fs::path html_path = tmp_dir / fmt::format("vigil-report-{}.html", getpid());
  VIGIL_RETURN_IF_ERROR(WriteTextFile(html_path.string(), html));
  fs::path abs_out = fs::absolute(out, ec);
  if (ec) abs_out = out;
  fs::remove(abs_out, ec);
  std::vector<std::string> args = {chromium,
                                   "--headless",
                                   "--no-sandbox",
                                   "--disable-gpu",
                                   "--no-pdf-header-footer",
                                   "--print-to-pdf=" + abs_out.string(),
                                   "file://" + html_path.string()};
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  // Chromium is chatty on stdout and stderr: keep our output clean.
  posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
  posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", O_WRONLY, 0);
  pid_t pid = 0;
  int rc = posix_spawn(&pid, chromium.c_str(), &fa, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&fa);
  if (rc != 0) {
    fs::remove(html_path, ec);
    return Status::IoError(fmt::format("cannot run {}: {}", chromium, std::strerror(rc)));
  }
  int status = 0;
  waitpid(pid, &status, 0);
  fs::remove(html_path, ec);
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0 || !fs::exists(abs_out) || fs::file_size(abs_out, ec) == 0) {
    return Status::IoError(fmt::format("{} did not print {} (exit status {}); try --format html", chromium,
                                       abs_out.string(), WIFEXITED(status) ? WEXITSTATUS(status) : -1));
  }
  return Status::Ok();
}

int RunReport(Context& ctx, const ReportOptions& o) {
  if (o.tab != 10 && (!o.from.empty() || !o.to.empty())) {
    return Fail(Status::InvalidArgument("--from and --to are for --tab 10 (situation update)"));
  }
  if (o.tab == 10 && (o.from.empty() || o.to.empty())) {
    return Fail(Status::InvalidArgument("--tab 10 (situation update) needs --from and --to (YYYY-MM-DD)"));
  }
  if (o.brief && o.tab != 2 && o.tab != 4) {
    return Fail(Status::InvalidArgument("--brief is for --tab 2 (conflict assessment) and --tab 4 (policy advisory)"));
  }
  if (!o.agency.empty() && o.tab != 9) return Fail(Status::InvalidArgument("--agency is for --tab 9 (backbrief)"));
  if (o.format == "pdf" && o.out.empty()) return Fail(Status::InvalidArgument("--format pdf needs --out FILE.pdf"));
  VIGIL_ASSIGN_OR_RETURN_CLI(store::Db * db, ctx.Db());
  VIGIL_ASSIGN_OR_RETURN_CLI(Principal who, ctx.Who());
  VIGIL_ASSIGN_OR_RETURN_CLI(assess::Case c, app::FindCaseFor(*db, who, o.case_query, "case.read"));
  VIGIL_ASSIGN_OR_RETURN_CLI(report::CaseProductData d, report::LoadCaseProductData(*db, c.id, o.from, o.to));
  if (c.gw) {
    const Country* country = data::Countries().ByGw(*c.gw);
    if (country) d.country = country->name;
  }
  const auto f = o.format == "md" ? report::ProductFormat::kMarkdown : report::ProductFormat::kHtml;
  std::optional<report::PlanningData> p;
  if (o.tab >= 4) {
    VIGIL_ASSIGN_OR_RETURN_CLI(p, report::LoadPlanningData(*db, d));
  }
  std::string text;
  switch (o.tab) {
    case 1: text = report::InitialGuidanceProduct(d, f); break;
    case 2: text = report::ConflictAssessmentProduct(d, f, o.brief); break;
    case 3: text = report::SituationAnalysisProduct(d, f); break;
    case 4: text = report::PolicyAdvisoryProduct(d, *p, f, o.brief); break;
    case 5: text = report::PolicyStatementProduct(d, *p, f); break;
    case 6: text = report::OptionsApprovalProduct(d, *p, f); break;
    case 7: text = report::OptionsDecisionProduct(d, *p, f); break;
    case 8: text = report::StrategicPlanProduct(d, *p, f); break;
    case 9:
      if (!p->plan) {
        return Fail(Status::FailedPrecondition(fmt::format(
            "case {} has no plan: a backbrief (Tab 9) answers the plan; run vigil plan create {}", c.slug, c.slug)));
      }
      text = report::BackbriefProduct(d, *p, f, o.agency);
      if (text.empty()) {
        std::string orgs;
        for (const auto& org : report::PlanOrganizations(*p->plan)) orgs += (orgs.empty() ? "" : ", ") + org;
        return Fail(Status::NotFound(
            fmt::format("--agency: the plan gives '{}' no task or line of effort (organizations: {})", o.agency, orgs)));
      }
      break;
    default: text = report::SituationUpdateProduct(d, f, &*p); break;
  }
  if (o.format == "pdf") {
    if (Status s = PrintPdf(text, o.out); !s.ok()) return Fail(s);
  } else if (!o.out.empty()) {
    if (Status s = WriteTextFile(o.out, text); !s.ok()) return Fail(s);
  }
  if (ctx.json) {
    nlohmann::json j = {{"case", c.slug}, {"case_id", c.id}, {"tab", o.tab}, {"format", o.format}, {"brief", o.brief}};
    if (o.tab == 9) j["agency"] = o.agency;
    if (o.tab == 10) {
      j["from"] = o.from;
      j["to"] = o.to;
    }
    if (o.out.empty()) {
      j["content"] = text;
    } else {
      j["out"] = o.out;
      std::error_code ec;
      j["bytes"] = fs::file_size(o.out, ec);
    }
    PrintJson(j);
  } else if (o.out.empty()) {
    std::cout << text;
  } else if (!ctx.quiet) {
    std::cerr << fmt::format("wrote Tab {} of case {} to {}\n", o.tab, c.slug, o.out);
  }
  return kExitOk;
}

}  // namespace

void RegisterReport(CLI::App& app, Context& ctx) {
  auto o = std::make_shared<ReportOptions>();
  auto* cmd = app.add_subcommand(
      "report",
      "A case's briefing product (MAPRO Annex D): Tab 1 initial guidance, Tab 2 conflict assessment "
      "(--brief: short briefing version), Tab 3 situation analysis and assessment overview, Tab 4 policy "
      "advisory memorandum (--brief: briefing), Tab 5 policy statement, Tab 6 options approval briefing, "
      "Tab 7 options decision briefing, Tab 8 strategic plan, Tab 9 backbrief (--agency ORG, default every "
      "organization), Tab 10 situation update for --from..--to (with plan status when the case has a plan). "
      "Markdown or HTML on stdout (or --out), PDF via headless Chromium.");
  cmd->add_option("case", o->case_query, "Case id or slug (see vigil case list)")->required();
  cmd->add_option("--tab", o->tab, "Product: 1 to 10")->required()->check(CLI::Range(1, 10));
  cmd->add_option("--format", o->format, "md (default), html or pdf (needs --out and chromium)")
      ->check(CLI::IsMember({"md", "html", "pdf"}));
  cmd->add_flag("--brief", o->brief, "Tab 2: the short briefing version; Tab 4: the briefing instead of the memo");
  cmd->add_option("--agency", o->agency, "Tab 9: the organization whose backbrief (default: every one in turn)");
  cmd->add_option("--from", o->from, "Tab 10: first day of the update (YYYY-MM-DD, YYYY-MM or YYYY)");
  cmd->add_option("--to", o->to, "Tab 10: last day of the update (YYYY-MM-DD, YYYY-MM or YYYY)");
  cmd->add_option("--out", o->out, "Write to this file instead of stdout (required for pdf)");
  cmd->callback([&ctx, o] { SetExit(RunReport(ctx, *o)); });
}

}  // namespace vigil::cli
