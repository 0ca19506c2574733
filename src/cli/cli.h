// Shared state and helpers of the vigil command line. Each command lives in
// its own cmd_*.cc file and registers itself with a Register* function below.
// Commands return an exit code; errors are printed by Fail().
#pragma once

#include <CLI/CLI.hpp>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "core/country.h"
#include "core/principal.h"
#include "core/panel.h"
#include "core/progress.h"
#include "core/status.h"
#include "store/db.h"
#include "store/panel_store.h"

namespace vigil::cli {

// Exit codes shared by all commands.
inline constexpr int kExitOk = 0;
inline constexpr int kExitError = 1;  // the command could not do its work
inline constexpr int kExitUsage = 2;  // bad command line
// The work was done but some input rows were quarantined (import events,
// quarantine retry): see `vigil quarantine list`.
inline constexpr int kExitQuarantined = 3;
// Someone changed the record since it was read (a stale version or
// revision); nothing was written: re-read and retry.
inline constexpr int kExitConflict = 4;

struct Context {
  std::string db_path;  // --db, else $VIGIL_DB, else ./var/vigil.db
  bool json = false;    // --json: machine-readable output on stdout
  bool quiet = false;   // --quiet: no progress output
  std::string as_user;  // --as: act as this account (its role and memberships)

  // Who is acting: the account named by --as, else the local operator
  // ("local:<os user>", who may do everything the store's owner can).
  Result<Principal> Who();
  // Who(), if they may do the global `action` (app::Authorize decides).
  Result<Principal> Authorized(std::string_view action);

  // Opens the database on first use (creating and migrating it).
  Result<store::Db*> Db();

  // Progress on stderr: a redrawn bar on a TTY, one line per 10% otherwise.
  ProgressFn Progress(std::string label) const;

 private:
  std::unique_ptr<store::Db> db_;
};

// Prints "vigil: <message>" to stderr and returns kExitError (kExitConflict
// for a stale version, Status::kAborted).
int Fail(const Status& status);
// Prints JSON to stdout (pretty, 2 spaces).
void PrintJson(const nlohmann::json& j);
// Files vigil writes are readable by their owner only (main sets umask
// 077; the store is created 0600 in any case). With the global --shareable
// flag, exported files (reports, CSV, XLSX, charts, audit exports) get mode
// 0644 instead.
void SetShareableExports(bool shareable);
unsigned ExportMode();  // 0600 or 0644
// Gives a written export file its mode (ExportMode); IoError naming the path.
Status FinishExport(const std::string& path);
// Writes `text` to the file at `path` as is (binary), then FinishExport;
// IoError naming the path.
Status WriteTextFile(const std::string& path, const std::string& text);
// Writes JSON to a file, or to stdout when path is "-".
Status WriteJsonFile(const std::string& path, const nlohmann::json& j);

// Loads a stored panel for modelling; NotFound explains how to import one.
struct LoadedPanel {
  Panel panel;
  store::DatasetInfo info;
};
Result<LoadedPanel> LoadPanelForModel(Context& ctx, const std::string& name, std::int64_t version);

// At most n code points of UTF-8 text, "…" marking a cut; never splits a
// multi-byte character.
std::string Clip(const std::string& s, std::size_t n);
// Single-line text (newlines and tabs shown as spaces) for tables.
std::string OneLine(std::string s);

// Bytes from an input file made safe for a terminal or a JSON string: valid
// UTF-8 is kept, each invalid byte becomes "\xNN", control characters other
// than tab and newline become "\r", "\x1b" ... (cmd_quarantine.cc).
std::string PrintableText(std::string_view bytes);
// A quarantine reason for display, "field: reason" unless the reason already
// quotes the field ("negative deaths: 'best' = '-3'"); printable (above).
std::string QuarantineReasonText(std::string_view field, std::string_view reason);

// Every subcommand sets its callback to store its exit code here.
void SetExit(int code);
int ExitCode();

void RegisterCountries(CLI::App& app, Context& ctx);
void RegisterImport(CLI::App& app, Context& ctx);
void RegisterDatasets(CLI::App& app, Context& ctx);
void RegisterBacktest(CLI::App& app, Context& ctx);
void RegisterForecast(CLI::App& app, Context& ctx);
void RegisterForecasts(CLI::App& app, Context& ctx);
// Event monitoring (cmd_events.cc, cmd_events_query.cc, cmd_quarantine.cc, cmd_alerts.cc,
// cmd_watchlist.cc, cmd_backtest_alerts.cc).
void RegisterImportEvents(CLI::App& import_cmd, Context& ctx);  // `import events` under `import`
void RegisterEvents(CLI::App& app, Context& ctx);               // `events aggregate|list`
void RegisterQuarantine(CLI::App& app, Context& ctx);
void RegisterAlerts(CLI::App& app, Context& ctx);
void RegisterWatchlist(CLI::App& app, Context& ctx);
void RegisterBacktestAlerts(CLI::App& app, Context& ctx);
// Case files, MAPRO Steps 1-2 (cmd_case.cc).
void RegisterCase(CLI::App& app, Context& ctx);
// Assessment framework catalogs (cmd_catalog.cc): `catalog list|show`.
void RegisterCatalog(CLI::App& app, Context& ctx);
// Case briefing products (cmd_report.cc): `report CASE --tab 1|2|3|10`.
void RegisterReport(CLI::App& app, Context& ctx);
// The fictional demo case (cmd_demo.cc): `demo load`.
void RegisterDemo(CLI::App& app, Context& ctx);
// Stores a case document in the format of catalog/demo_case.json (case,
// actors, assessment, options, policy, plan) through the repositories;
// errors name `source` and the JSON path. Used by `demo load` and fuzzing.
Status LoadCaseDocument(store::Db& db, std::string_view text, const std::string& source);
// Options, policy, plan and execution, MAPRO Steps 3-5 (cmd_options.cc, cmd_policy.cc, cmd_plan.cc).
void RegisterOptions(CLI::App& app, Context& ctx);
void RegisterPolicy(CLI::App& app, Context& ctx);
void RegisterPlan(CLI::App& app, Context& ctx);
// The escalation simulator (cmd_sim.cc): `sim run|compare|sweep|throughput|epstein`.
void RegisterSim(CLI::App& app, Context& ctx);
// The tamper-evident audit chains (cmd_audit.cc): `audit verify|export`.
void RegisterAudit(CLI::App& app, Context& ctx);
// Accounts and case membership (cmd_user.cc): `user add|list|disable|enable|
// reset-password` and `case member add|list|remove` under `case`.
void RegisterUser(CLI::App& app, Context& ctx);
void RegisterCaseMembers(CLI::App& case_cmd, Context& ctx);
// The team server (cmd_serve.cc): `serve --listen ADDR:PORT`.
void RegisterServe(CLI::App& app, Context& ctx);

}  // namespace vigil::cli

// In a command: binds the value of a Result or prints its error and returns
// kExitError.
#define VIGIL_ASSIGN_OR_RETURN_CLI(lhs, expr) \
  VIGIL_ASSIGN_OR_RETURN_CLI_IMPL(VIGIL_CONCAT(_cli_res_, __LINE__), lhs, expr)
#define VIGIL_ASSIGN_OR_RETURN_CLI_IMPL(tmp, lhs, expr) \
  auto tmp = (expr);                                    \
  if (!tmp.ok()) return ::vigil::cli::Fail(tmp.status()); \
  lhs = std::move(tmp).value()
