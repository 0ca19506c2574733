// libFuzzer harness of the case document (catalog/demo_case.json format)
// loaded through the repositories into an in-memory store.
//
// Opening a store runs every migration, which costs far more than loading a
// document; so the store is migrated once, and each input starts from a
// page-for-page copy of it (SQLite's backup API), as fresh as a new store.
#include <sqlite3.h>

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

#include "cli/cli.h"
#include "store/db.h"

namespace {

std::unique_ptr<vigil::store::Db> OpenOrTrap() {
  auto db = vigil::store::Db::Open(":memory:");
  if (!db.ok()) __builtin_trap();
  return std::move(db).value();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace vigil;
  static const auto pristine = OpenOrTrap();
  static const auto db = OpenOrTrap();
  sqlite3_backup* copy = sqlite3_backup_init(db->handle(), "main", pristine->handle(), "main");
  if (copy == nullptr || sqlite3_backup_step(copy, -1) != SQLITE_DONE || sqlite3_backup_finish(copy) != SQLITE_OK) {
    __builtin_trap();
  }
  const std::string text(reinterpret_cast<const char*>(data), size);
  (void)cli::LoadCaseDocument(*db, text, "fuzz.json");
  return 0;
}
