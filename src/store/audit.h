// Tamper-evident audit chains.
//
// Every audit entry vigil writes (case, options, policy, plan and decision
// changes in case_audit; alert triage and quarantine resolution in
// ops_audit) carries `hash` = SHA-256 over its content and the previous
// entry's hash (`prev_hash`), and audit_heads keeps, per chain, the number of
// entries and the last hash. Whoever edits, deletes or inserts an entry
// behind vigil's back (with the sqlite3 shell, say) breaks the chain at that
// entry, and VerifyAudit names it:
//   - an edited entry no longer matches its hash;
//   - a deleted or inserted entry breaks the next entry's prev_hash, or, at
//     the end, no longer matches the head (count and hash);
//   - an edited head no longer matches the last entry.
// Someone who rewrites a whole chain and its head consistently can only be
// caught against a copy of the head taken earlier: ExportAudit writes the
// chains with their heads, and VerifyAgainstExport checks that the store's
// chains still start with what was exported.
//
// The hash covers, length-prefixed in this order: the table name, id,
// case_id (case_audit only), at, who, action, entity, entity_id, before and
// after (each with a NULL marker), and prev_hash. The first entry's prev_hash
// is 64 zeros. docs/audit.md describes the export format.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "store/db.h"

namespace vigil::store {

// The audit tables, each one chain.
inline constexpr const char* kAuditChains[] = {"case_audit", "ops_audit"};

// One entry to append to ops_audit (alert triage, quarantine resolution).
struct OpsAuditEntry {
  std::string who;
  std::string action;  // e.g. "alert.status", "quarantine.resolve"
  std::string entity;  // "alert", "quarantine"
  std::int64_t entity_id = 0;
  nlohmann::json before;  // null: none
  nlohmann::json after;
};

// Appends to case_audit: call inside the transaction of the change.
Status AppendCaseAudit(Db& db, std::int64_t case_id, std::string_view at, std::string_view who,
                       std::string_view action, std::string_view entity, std::int64_t entity_id,
                       const nlohmann::json& before, const nlohmann::json& after);
// Appends to ops_audit (stamped now, UTC): call inside the change's transaction.
Status AppendOpsAudit(Db& db, const OpsAuditEntry& e);

// The schema version that introduced the chains (migration 5).
inline constexpr int kAuditChainsSchema = 5;

// Hashes the entries that have no hash yet (hash NULL), in id order, and
// moves the heads. Db::Open calls it once, when it upgrades a store from
// before the chains; later, an entry without a hash is a broken chain.
Status SealAuditChains(Db& db);

struct ChainReport {
  std::string table;
  std::int64_t entries = 0;
  std::string head;        // the recomputed last hash (64 zeros when empty)
  bool ok = true;
  std::int64_t broken_id = 0;  // the first entry that does not hold (0: the head)
  std::string problem;     // what is wrong, naming table and entry
};

// Walks every chain. Ok even when a chain is broken: see ChainReport::ok.
Result<std::vector<ChainReport>> VerifyAudit(Db& db);

// Writes every chain to `path` (JSON lines: a header with the heads, then
// one line per entry); created with mode `mode`. Returns the reports.
Result<std::vector<ChainReport>> ExportAudit(Db& db, const std::string& path, unsigned mode = 0600);

// Verifies an exported file on its own: every entry's hash and link, and the
// heads its header states.
Result<std::vector<ChainReport>> VerifyAuditExport(const std::string& path);

// Checks that the store's chains still begin with the entries of an earlier
// export (same hashes, in order): catches a chain rewritten with its head.
Result<std::vector<ChainReport>> VerifyAgainstExport(Db& db, const std::string& path);

}  // namespace vigil::store
