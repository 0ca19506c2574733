// vigil audit verify [--file EXPORT | --against EXPORT]: walks the audit
// chains (store/audit.h) and names the first entry edited, deleted or
// inserted behind vigil's back. vigil audit export --out FILE: writes the
// chains with their head hashes so that a copy can be checked later.
#include <fmt/format.h>

#include <iostream>
#include <memory>

#include "cli/cli.h"
#include "store/audit.h"

namespace vigil::cli {

namespace {

struct AuditArgs {
  std::string file, against, out;
};

nlohmann::json ReportsJson(const std::vector<store::ChainReport>& reports) {
  nlohmann::json chains = nlohmann::json::array();
  for (const auto& r : reports) {
    nlohmann::json c = {{"table", r.table}, {"entries", r.entries}, {"head", r.head}, {"ok", r.ok}};
    if (!r.ok) {
      c["broken_entry"] = r.broken_id == 0 ? nlohmann::json(nullptr) : nlohmann::json(r.broken_id);
      c["problem"] = r.problem;
    }
    chains.push_back(c);
  }
  return chains;
}

bool AllOk(const std::vector<store::ChainReport>& reports) {
  for (const auto& r : reports) {
    if (!r.ok) return false;
  }
  return true;
}

// Prints the reports; returns the exit status (0 all hold, 1 one is broken).
int Print(Context& ctx, const std::vector<store::ChainReport>& reports, const std::string& what) {
  const bool ok = AllOk(reports);
  if (ctx.json) {
    PrintJson({{"ok", ok}, {"checked", what}, {"chains", ReportsJson(reports)}});
  } else {
    for (const auto& r : reports) {
      if (r.ok) {
        std::cout << fmt::format("{}: {} entries, chain holds, head {}\n", r.table, r.entries, r.head);
      } else {
        std::cout << fmt::format("{}: BROKEN: {}\n", r.table, r.problem);
      }
    }
  }
  if (!ok) {
    for (const auto& r : reports) {
      if (!r.ok) std::cerr << "vigil: audit chain broken in " << what << ": " << r.problem << "\n";
    }
  }
  return ok ? kExitOk : kExitError;
}

int RunVerify(Context& ctx, const AuditArgs& a) {
  if (!a.file.empty()) {
    VIGIL_ASSIGN_OR_RETURN_CLI(auto reports, store::VerifyAuditExport(a.file));
    return Print(ctx, reports, PrintableText(a.file));
  }
  VIGIL_ASSIGN_OR_RETURN_CLI(store::Db * db, ctx.Db());
  if (!a.against.empty()) {
    VIGIL_ASSIGN_OR_RETURN_CLI(auto reports, store::VerifyAgainstExport(*db, a.against));
    return Print(ctx, reports, ctx.db_path + " against " + PrintableText(a.against));
  }
  VIGIL_ASSIGN_OR_RETURN_CLI(auto reports, store::VerifyAudit(*db));
  return Print(ctx, reports, ctx.db_path);
}

int RunExport(Context& ctx, const AuditArgs& a) {
  VIGIL_ASSIGN_OR_RETURN_CLI(store::Db * db, ctx.Db());
  VIGIL_ASSIGN_OR_RETURN_CLI(auto reports,
                             store::ExportAudit(*db, a.out, ExportMode()));
  const bool ok = AllOk(reports);
  if (ctx.json) {
    PrintJson({{"out", PrintableText(a.out)}, {"ok", ok}, {"chains", ReportsJson(reports)}});
  } else {
    std::cout << fmt::format("Wrote the audit chains of {} to {}\n", ctx.db_path, PrintableText(a.out));
    for (const auto& r : reports) {
      std::cout << fmt::format("  {}: {} entries, head {}{}\n", r.table, r.entries, r.head,
                               r.ok ? "" : " (BROKEN: " + r.problem + ")");
    }
    std::cout << "Keep the head hashes apart from the store; check later with: vigil audit verify "
                 "--against FILE\n";
  }
  if (!ok) std::cerr << "vigil: exported, but a chain does not hold: see above\n";
  return ok ? kExitOk : kExitError;
}

}  // namespace

void RegisterAudit(CLI::App& app, Context& ctx) {
  auto* audit = app.add_subcommand(
      "audit",
      "The tamper-evident audit chains: every change to a case, its options, policy, plan and "
      "decisions (case_audit), and every alert triage and quarantine resolution (ops_audit), "
      "each entry hashed with the one before it");
  audit->require_subcommand(1);
  auto args = std::make_shared<AuditArgs>();
  auto* verify = audit->add_subcommand(
      "verify",
      "Walk every chain and name the first entry that was edited, deleted or inserted outside "
      "vigil. Exit status 0: every chain holds; 1: one does not (table and entry named)");
  verify->add_option("--file", args->file, "Verify an exported copy (vigil audit export) instead of the store");
  verify->add_option("--against", args->against,
                     "Also check that the store's chains still begin with the entries of this "
                     "earlier export (catches a chain rewritten together with its head)");
  verify->callback([&ctx, args] { SetExit(RunVerify(ctx, *args)); });
  auto* exp = audit->add_subcommand(
      "export", "Write every chain with its head hashes (JSON lines, docs/audit.md), readable by "
                "the owner only unless the global --shareable");
  exp->add_option("--out", args->out, "The file to write")->required();
  exp->callback([&ctx, args] { SetExit(RunExport(ctx, *args)); });
}

}  // namespace vigil::cli
