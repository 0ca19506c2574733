// vigil report CASE --tab 1|2|3|10: a case's briefing products (MAPRO Annex D
// Tabs 1, 2, 3 and 10) as Markdown, self-contained HTML or PDF (printed from
// the HTML by headless Chromium). See report/case_products.h.
#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fmt/format.h>
#include <fstream>
#include <iostream>
#include <string>
#include <vector>

#include "assess/case.h"
#include "cli/cli.h"
#include "data/countries.h"
#include "report/case_products.h"

extern char** environ;

namespace vigil::cli {

namespace {

namespace fs = std::filesystem;

struct ReportOptions {
  std::string case_query;
  int tab = 0;
  std::string format = "md";
  bool brief = false;
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
  if (o.brief && o.tab != 2) return Fail(Status::InvalidArgument("--brief is for --tab 2 (conflict assessment)"));
  if (o.format == "pdf" && o.out.empty()) return Fail(Status::InvalidArgument("--format pdf needs --out FILE.pdf"));
  VIGIL_ASSIGN_OR_RETURN_CLI(store::Db * db, ctx.Db());
  assess::CaseRepo repo(*db);
  VIGIL_ASSIGN_OR_RETURN_CLI(assess::Case c, repo.FindCase(o.case_query));
  VIGIL_ASSIGN_OR_RETURN_CLI(report::CaseProductData d, report::LoadCaseProductData(*db, c.id, o.from, o.to));
  if (c.gw) {
    const Country* country = data::Countries().ByGw(*c.gw);
    if (country) d.country = country->name;
  }
  const auto f = o.format == "md" ? report::ProductFormat::kMarkdown : report::ProductFormat::kHtml;
  std::string text;
  switch (o.tab) {
    case 1: text = report::InitialGuidanceProduct(d, f); break;
    case 2: text = report::ConflictAssessmentProduct(d, f, o.brief); break;
    case 3: text = report::SituationAnalysisProduct(d, f); break;
    default: text = report::SituationUpdateProduct(d, f); break;
  }
  if (o.format == "pdf") {
    if (Status s = PrintPdf(text, o.out); !s.ok()) return Fail(s);
  } else if (!o.out.empty()) {
    if (Status s = WriteTextFile(o.out, text); !s.ok()) return Fail(s);
  }
  if (ctx.json) {
    nlohmann::json j = {{"case", c.slug}, {"case_id", c.id}, {"tab", o.tab}, {"format", o.format}, {"brief", o.brief}};
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
      "(--brief: short briefing version), Tab 3 situation analysis and assessment overview, Tab 10 "
      "situation update for --from..--to. Markdown or HTML on stdout (or --out), PDF via headless Chromium.");
  cmd->add_option("case", o->case_query, "Case id or slug (see vigil case list)")->required();
  cmd->add_option("--tab", o->tab, "Product: 1, 2, 3 or 10")->required()->check(CLI::IsMember({1, 2, 3, 10}));
  cmd->add_option("--format", o->format, "md (default), html or pdf (needs --out and chromium)")
      ->check(CLI::IsMember({"md", "html", "pdf"}));
  cmd->add_flag("--brief", o->brief, "Tab 2: the short briefing version");
  cmd->add_option("--from", o->from, "Tab 10: first day of the update (YYYY-MM-DD, YYYY-MM or YYYY)");
  cmd->add_option("--to", o->to, "Tab 10: last day of the update (YYYY-MM-DD, YYYY-MM or YYYY)");
  cmd->add_option("--out", o->out, "Write to this file instead of stdout (required for pdf)");
  cmd->callback([&ctx, o] { SetExit(RunReport(ctx, *o)); });
}

}  // namespace vigil::cli
