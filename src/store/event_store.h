// Persistence of conflict events (schema v2: events, event_history,
// event_imports, quarantine). The import side is written by EventImport
// below; the query side feeds aggregation, detectors and evidence display.
#pragma once

#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "core/event.h"
#include "core/status.h"
#include "store/db.h"

namespace vigil::store {

// Which stored events to load. Empty `gw` means every country.
struct EventQuery {
  std::vector<int> gw;
  Day first_day = std::numeric_limits<Day>::min();  // date_start >= first_day
  Day last_day = std::numeric_limits<Day>::max();   // date_start <= last_day
  std::string source;                               // "" = every source
};

// Loads matching events column by column (row_id = events.id), ordered by
// (gw, date_start, id).
Result<EventColumns> LoadEventColumns(Db& db, const EventQuery& query);

struct StoredEvent {
  std::int64_t row_id = 0;
  int version = 1;
  Event event;
};
// Loads whole events by row id (the evidence of an alert), in the order given;
// NotFound if one does not exist.
Result<std::vector<StoredEvent>> LoadEventsByRow(Db& db, const std::vector<std::int64_t>& rows);

}  // namespace vigil::store
