// vigil: atrocity early warning and response planning workbench.
#include <sys/stat.h>

#include <cstdlib>
#include <iostream>

#include "cli/cli.h"

int main(int argc, char** argv) {
  using namespace vigil::cli;
  // Private by default: the store, its WAL and SHM files, exports and the
  // folders vigil creates are readable by their owner only.
  ::umask(077);
  CLI::App app{
      "vigil: atrocity early warning and response planning.\n"
      "Step 0 (routine monitoring): import a country-year panel, backtest and forecast\n"
      "the risk of a new mass killing; import conflict events and raise escalation alerts."};
  app.require_subcommand(1);
  app.set_version_flag("--version", "vigil 0.1.0");

  Context ctx;
  const char* env_db = std::getenv("VIGIL_DB");
  ctx.db_path = env_db && *env_db ? env_db : "./var/vigil.db";
  app.add_option("--db", ctx.db_path, "SQLite database (env VIGIL_DB, default ./var/vigil.db)");
  app.add_flag("--json", ctx.json, "Machine-readable JSON output on stdout");
  app.add_flag("-q,--quiet", ctx.quiet, "No progress output");
  app.add_option("--as", ctx.as_user,
                 "Act as this account, with its role and case memberships (user, case member and serve "
                 "commands); without it the store's owner acts as local:<os user>");
  app.add_flag_callback("--shareable", [] { SetShareableExports(true); },
                        "Create exported files (reports, CSV, XLSX, charts, audit exports) readable "
                        "by everyone (0644) instead of by their owner only (0600); the store stays "
                        "0600");

  // Options of the top level (--db, --json, --quiet) may also follow a subcommand.
  app.fallthrough();
  RegisterImport(app, ctx);
  RegisterDatasets(app, ctx);
  RegisterCountries(app, ctx);
  RegisterBacktest(app, ctx);
  RegisterForecast(app, ctx);
  RegisterForecasts(app, ctx);
  RegisterEvents(app, ctx);
  RegisterQuarantine(app, ctx);
  RegisterAlerts(app, ctx);
  RegisterWatchlist(app, ctx);
  RegisterBacktestAlerts(app, ctx);
  RegisterCase(app, ctx);
  RegisterCatalog(app, ctx);
  RegisterReport(app, ctx);
  RegisterDemo(app, ctx);
  RegisterOptions(app, ctx);
  RegisterPolicy(app, ctx);
  RegisterPlan(app, ctx);
  RegisterSim(app, ctx);
  RegisterAudit(app, ctx);
  RegisterUser(app, ctx);
  RegisterServe(app, ctx);
  RegisterCaseMembers(*app.get_subcommand("case"), ctx);

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    int code = app.exit(e);
    return code == 0 ? kExitOk : kExitUsage;
  }
  return ExitCode();
}
