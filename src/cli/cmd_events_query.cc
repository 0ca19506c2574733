// vigil events aggregate: monthly series per country, admin1 unit, PRIO-GRID
// cell or actor pair from the stored events (monitor/events/aggregate.h).
// vigil events history ID: every stored version of one event and what each
// revision changed.
#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <chrono>
#include <fstream>
#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include "app/monitor_service.h"
#include "cli/cli.h"
#include "core/csv.h"
#include "data/countries.h"
#include "data/event_formats.h"
#include "monitor/events/aggregate.h"
#include "store/event_store.h"

namespace vigil::cli {

namespace {

struct AggregateArgs {
  std::string level = "country";
  std::vector<std::string> countries;
  std::string from, to, csv, source;
};

struct Column {
  const char* name;
  bool text;
};

// Unit columns of a level.
std::vector<Column> UnitColumns(events::AggregateLevel level) {
  std::vector<Column> c = {{"gw", false}, {"iso3", true}, {"country", true}};
  switch (level) {
    case events::AggregateLevel::kCountry: break;
    case events::AggregateLevel::kAdmin1: c.push_back({"admin1", true}); break;
    case events::AggregateLevel::kCell:
      c.push_back({"cell", false});
      c.push_back({"lat", false});
      c.push_back({"lon", false});
      break;
    case events::AggregateLevel::kActorPair:
      c.push_back({"actor1", true});
      c.push_back({"actor2", true});
      break;
  }
  return c;
}

constexpr const char* kCounts[] = {"events",           "deaths",          "deaths_state_based",
                                   "deaths_non_state", "deaths_one_sided", "civilian_deaths",
                                   "one_sided_events", "actor_pairs"};

std::vector<std::int64_t> Counts(const events::UnitMonth& u) {
  return {u.events,           u.deaths,          u.deaths_state_based, u.deaths_non_state,
          u.deaths_one_sided, u.civilian_deaths, u.one_sided_events,   u.actor_pairs};
}

// Unit fields as text (for the table and CSV) and as JSON.
std::vector<std::string> UnitText(const events::AggregateTable& t, const EventColumns& ev,
                                  const events::UnitMonth& u) {
  const Country* c = data::Countries().ByGw(u.gw);
  std::vector<std::string> v = {std::to_string(u.gw), c ? c->iso3 : "", c ? c->name : ""};
  switch (t.level) {
    case events::AggregateLevel::kCountry: break;
    case events::AggregateLevel::kAdmin1: v.push_back(ev.strings[u.admin1_id]); break;
    case events::AggregateLevel::kCell:
      v.push_back(std::to_string(u.cell));
      if (u.cell > 0) {
        double lat, lon;
        PrioGridCentre(u.cell, &lat, &lon);
        v.push_back(fmt::format("{:.2f}", lat));
        v.push_back(fmt::format("{:.2f}", lon));
      } else {
        v.push_back("");
        v.push_back("");
      }
      break;
    case events::AggregateLevel::kActorPair:
      v.push_back(ev.strings[u.actor1_id]);
      v.push_back(ev.strings[u.actor2_id]);
      break;
  }
  return v;
}

int Run(Context& ctx, const AggregateArgs& a) {
  auto level = events::ParseAggregateLevel(a.level);
  if (!level.ok()) {
    std::cerr << "vigil: " << level.status().message() << "\n";
    return kExitUsage;
  }
  store::EventQuery q;
  q.source = a.source;
  events::AggregateFilter filter;
  VIGIL_ASSIGN_OR_RETURN_CLI(q.gw, data::ResolveCountries(a.countries));
  filter.gw = q.gw;
  if (!a.from.empty()) {
    VIGIL_ASSIGN_OR_RETURN_CLI(filter.from, ParseMonth(a.from));
    q.first_day = FirstDayOfMonth(filter.from);
  }
  if (!a.to.empty()) {
    VIGIL_ASSIGN_OR_RETURN_CLI(filter.to, ParseMonth(a.to));
    q.last_day = LastDayOfMonth(filter.to);
  }
  VIGIL_ASSIGN_OR_RETURN_CLI(store::Db * db, ctx.Db());
  using Clock = std::chrono::steady_clock;
  const auto t0 = Clock::now();
  VIGIL_ASSIGN_OR_RETURN_CLI(EventColumns ev, store::LoadEventColumns(*db, q));
  const auto t1 = Clock::now();
  events::AggregateTable t = events::Aggregate(ev, *level, filter);
  const auto t2 = Clock::now();
  const double load_s = std::chrono::duration<double>(t1 - t0).count();
  const double agg_s = std::chrono::duration<double>(t2 - t1).count();

  const auto units = UnitColumns(*level);
  if (!a.csv.empty()) {
    std::ofstream out(a.csv, std::ios::binary);
    if (!out) return Fail(Status::IoError("cannot write " + a.csv));
    for (const auto& c : units) out << c.name << ",";
    out << "month";
    for (const char* c : kCounts) out << "," << c;
    out << "\n";
    for (const auto& u : t.rows) {
      const auto text = UnitText(t, ev, u);
      for (std::size_t k = 0; k < text.size(); ++k) {  // numeric columns stay numbers
        out << (units[k].text ? CsvField(text[k]) : text[k]) << ",";
      }
      out << FormatMonth(u.month);
      for (auto v : Counts(u)) out << "," << v;
      out << "\n";
    }
    out.close();
    if (!out) return Fail(Status::IoError("error writing " + a.csv));
    if (Status s = FinishExport(a.csv); !s.ok()) return Fail(s);
  }
  if (ctx.json) {
    nlohmann::json rows = nlohmann::json::array();
    for (const auto& u : t.rows) {
      nlohmann::json r;
      const auto text = UnitText(t, ev, u);
      for (std::size_t i = 0; i < units.size(); ++i) {
        if (units[i].text) {
          r[units[i].name] = text[i];
        } else if (std::string_view(units[i].name) == "gw") {
          r["gw"] = u.gw;
        } else if (std::string_view(units[i].name) == "cell") {
          r["cell"] = u.cell;
        } else {
          r[units[i].name] = text[i].empty() ? nlohmann::json() : nlohmann::json(std::stod(text[i]));
        }
      }
      r["month"] = FormatMonth(u.month);
      const auto counts = Counts(u);
      for (std::size_t i = 0; i < counts.size(); ++i) r[kCounts[i]] = counts[i];
      rows.push_back(std::move(r));
    }
    PrintJson({{"level", events::AggregateLevelName(*level)},
               {"events", t.events_used},
               {"rows", rows},
               {"csv", a.csv.empty() ? nlohmann::json() : nlohmann::json(a.csv)},
               {"seconds_load", load_s},
               {"seconds_aggregate", agg_s}});
    return kExitOk;
  }
  if (!a.csv.empty()) {
    std::cout << fmt::format("{} {}-month rows from {} events written to {} (load {:.3f} s, aggregate {:.3f} s)\n",
                             t.rows.size(), events::AggregateLevelName(*level), t.events_used, a.csv,
                             load_s, agg_s);
    return kExitOk;
  }
  // Table: unit columns, month, counts.
  std::vector<std::vector<std::string>> cells;
  std::vector<std::string> head;
  for (const auto& c : units) head.push_back(c.name);
  head.push_back("month");
  for (const char* c : kCounts) head.push_back(c);
  cells.push_back(head);
  for (const auto& u : t.rows) {
    auto row = UnitText(t, ev, u);
    row.push_back(FormatMonth(u.month));
    for (auto v : Counts(u)) row.push_back(std::to_string(v));
    cells.push_back(std::move(row));
  }
  std::vector<std::size_t> w(head.size(), 0);
  for (const auto& r : cells) {
    for (std::size_t i = 0; i < r.size(); ++i) w[i] = std::max(w[i], std::min<std::size_t>(r[i].size(), 40));
  }
  for (const auto& r : cells) {
    std::string line;
    for (std::size_t i = 0; i < r.size(); ++i) {
      std::string s = r[i].size() > 40 ? r[i].substr(0, 39) + "~" : r[i];
      const bool text = i < units.size() && units[i].text;
      line += (i ? "  " : "") + (text ? fmt::format("{:<{}}", s, w[i]) : fmt::format("{:>{}}", s, w[i]));
    }
    while (!line.empty() && line.back() == ' ') line.pop_back();
    std::cout << line << "\n";
  }
  std::cout << fmt::format("{} rows from {} events (load {:.3f} s, aggregate {:.3f} s)\n", t.rows.size(),
                           t.events_used, load_s, agg_s);
  return kExitOk;
}

struct HistoryArgs {
  std::string event_id, source;
};

// Field-by-field differences between two event records (data::EventToJson).
nlohmann::json Changes(const nlohmann::json& before, const nlohmann::json& after) {
  nlohmann::json out = nlohmann::json::array();
  for (const auto& [k, v] : after.items()) {
    auto it = before.find(k);
    if (it == before.end()) {
      out.push_back({{"field", k}, {"from", nullptr}, {"to", v}});
    } else if (*it != v) {
      out.push_back({{"field", k}, {"from", *it}, {"to", v}});
    }
  }
  for (const auto& [k, v] : before.items()) {
    if (!after.contains(k)) out.push_back({{"field", k}, {"from", v}, {"to", nullptr}});
  }
  return out;
}

nlohmann::json ImportJson(store::Db& db, std::int64_t import_id) {
  if (import_id == 0) return nullptr;
  auto info = store::GetEventImport(db, import_id);
  if (!info.ok()) return {{"id", import_id}};
  return {{"id", import_id},
          {"path", PrintableText(info->path)},
          {"format", info->format},
          {"started_at", info->started_at}};
}

std::string ValueText(const nlohmann::json& v) {
  if (v.is_null()) return "(none)";
  return PrintableText(v.is_string() ? v.get<std::string>() : v.dump());
}

int RunHistory(Context& ctx, const HistoryArgs& a) {
  VIGIL_ASSIGN_OR_RETURN_CLI(store::Db * db, ctx.Db());
  std::string source = a.source;
  if (source.empty()) {
    VIGIL_ASSIGN_OR_RETURN_CLI(auto sources, store::FindEventSources(*db, a.event_id));
    if (sources.empty()) {
      return Fail(Status::NotFound("no stored event has id '" + PrintableText(a.event_id) + "'"));
    }
    if (sources.size() > 1) {
      std::string list;
      for (const auto& s : sources) list += (list.empty() ? "" : ", ") + s;
      return Fail(Status::InvalidArgument("id '" + PrintableText(a.event_id) +
                                          "' is stored by several sources (" + list +
                                          "): choose one with --source"));
    }
    source = sources[0];
  }
  VIGIL_ASSIGN_OR_RETURN_CLI(store::StoredEvent current, store::LoadEventById(*db, source, a.event_id));
  VIGIL_ASSIGN_OR_RETURN_CLI(auto history, store::LoadEventHistory(*db, current.row_id));

  // Versions oldest first. History entry i holds version v_i as it was
  // before import_id replaced it, so the import that stored version v_i+1
  // is history[i].import_id; the current version's is events.import_id.
  struct Version {
    int version;
    nlohmann::json record;
    nlohmann::json stored_by;  // null: not recorded (the first version, once replaced)
    std::string replaced_at;
  };
  std::vector<Version> versions;
  for (std::size_t i = 0; i < history.size(); ++i) {
    nlohmann::json rec = nlohmann::json::parse(history[i].record, nullptr, false);
    if (rec.is_discarded()) rec = history[i].record;  // keep what is stored, as text
    nlohmann::json by = i == 0 ? nlohmann::json(nullptr) : ImportJson(*db, history[i - 1].import_id);
    versions.push_back({history[i].version, rec, by, history[i].replaced_at});
  }
  versions.push_back({current.version, nlohmann::json::parse(data::EventToJson(current.event)),
                      ImportJson(*db, current.import_id), ""});

  if (ctx.json) {
    nlohmann::json out = nlohmann::json::array();
    for (std::size_t i = 0; i < versions.size(); ++i) {
      const Version& v = versions[i];
      nlohmann::json j = {{"version", v.version},
                          {"stored_by_import", v.stored_by},
                          {"record", v.record},
                          {"current", i + 1 == versions.size()}};
      if (!v.replaced_at.empty()) j["replaced_at"] = v.replaced_at;
      if (i > 0) j["changes"] = Changes(versions[i - 1].record, v.record);
      out.push_back(j);
    }
    PrintJson({{"source", source}, {"event_id", a.event_id}, {"versions", out}});
    return kExitOk;
  }
  std::cout << fmt::format("{}/{}: {} version(s); current version {}\n", source,
                           PrintableText(a.event_id), versions.size(), current.version);
  for (std::size_t i = 0; i < versions.size(); ++i) {
    const Version& v = versions[i];
    std::string by = "import not recorded";
    if (v.stored_by.is_object()) {
      by = fmt::format("import {}", v.stored_by["id"].get<std::int64_t>());
      if (v.stored_by.contains("path")) {
        by += fmt::format(" ({}, {})", v.stored_by["path"].get<std::string>(),
                          v.stored_by["started_at"].get<std::string>());
      }
    }
    std::cout << fmt::format("version {}{}: stored by {}{}\n", v.version,
                             i + 1 == versions.size() ? " (current)" : "", by,
                             v.replaced_at.empty() ? "" : "; replaced " + v.replaced_at);
    if (i == 0) continue;
    const nlohmann::json changes = Changes(versions[i - 1].record, v.record);
    if (changes.empty()) std::cout << "  no field changed\n";
    for (const auto& c : changes) {
      std::cout << fmt::format("  {}: {} -> {}\n", c["field"].get<std::string>(),
                               ValueText(c["from"]), ValueText(c["to"]));
    }
  }
  return kExitOk;
}

struct ListArgs {
  std::string country, month;
  int limit = 200;
};

// vigil events list: the events of one country-month (app::EventsOfMonth).
int RunList(Context& ctx, const ListArgs& a) {
  const Country* c = data::ResolveCountry(a.country);
  if (!c) {
    return Fail(Status::InvalidArgument("--country '" + PrintableText(a.country) +
                                        "': not a GW or COW code, ISO3 code or country name"));
  }
  auto month = ParseMonth(a.month);
  if (!month.ok()) return Fail(month.status().WithContext("--month"));
  VIGIL_ASSIGN_OR_RETURN_CLI(store::Db * db, ctx.Db());
  VIGIL_ASSIGN_OR_RETURN_CLI(Principal who, ctx.Who());
  VIGIL_ASSIGN_OR_RETURN_CLI(app::MonthEvents m, app::EventsOfMonth(*db, who, c->gw, *month, a.limit));
  if (ctx.json) {
    PrintJson(app::ToJson(m));
    return kExitOk;
  }
  std::cout << fmt::format("{} in {}: {} stored events{}\n", c->name, FormatMonth(m.month), m.total,
                           m.total > static_cast<std::int64_t>(m.events.size())
                               ? fmt::format(" (the first {} shown; --limit)", m.events.size())
                               : "");
  if (m.events.empty()) return kExitOk;
  std::cout << fmt::format("{:<10}  {:<6}  {:<12}  {:<11}  {:<26}  {:<40}  {:>6}  {:>5}\n", "date", "source",
                           "id", "violence", "place", "actors", "deaths", "civil");
  for (const auto& s : m.events) {
    const Event& e = s.event;
    std::string place = e.location;
    if (!e.admin1.empty() && e.admin1 != e.location) place += (place.empty() ? "" : ", ") + e.admin1;
    std::string actors = e.actor1.empty() && e.actor2.empty() ? "" : e.actor1 + " – " + e.actor2;
    std::cout << fmt::format("{:<10}  {:<6}  {:<12}  {:<11}  {:<26}  {:<40}  {:>6}  {:>5}\n",
                             FormatDate(e.date_start), Clip(PrintableText(e.source), 6),
                             Clip(PrintableText(e.event_id), 12), ViolenceName(e.violence),
                             Clip(PrintableText(place), 26), Clip(PrintableText(actors), 40), e.deaths_best,
                             e.deaths_civilians);
  }
  return kExitOk;
}

}  // namespace

void RegisterEvents(CLI::App& app, Context& ctx) {
  auto* events_cmd = app.add_subcommand("events", "Query the stored conflict events");
  events_cmd->require_subcommand(1);
  auto args = std::make_shared<AggregateArgs>();
  auto* agg = events_cmd->add_subcommand(
      "aggregate",
      "Monthly series per unit: events, deaths (best) by violence type, civilian deaths,\n"
      "one-sided / civilian-targeting events and distinct actor pairs");
  agg->add_option("--level", args->level, "country, admin1, cell (PRIO-GRID, per country) or actor-pair")
      ->capture_default_str();
  agg->add_option("--country", args->countries, "Only this country (name, ISO3 or GW code); repeatable");
  agg->add_option("--from", args->from, "First month, YYYY-MM");
  agg->add_option("--to", args->to, "Last month, YYYY-MM");
  agg->add_option("--source", args->source, "Only events of this source (ged, acled, gdelt, ...)");
  agg->add_option("--csv", args->csv, "Write the rows as CSV to FILE");
  agg->callback([&ctx, args] { SetExit(Run(ctx, *args)); });

  auto hargs = std::make_shared<HistoryArgs>();
  auto* hist = events_cmd->add_subcommand(
      "history",
      "Every stored version of one event, oldest first: which import stored it and, for each "
      "revision (the same id changed between two imports, as between GED releases), which "
      "fields changed from what to what");
  hist->add_option("id", hargs->event_id, "The event's id in its source (e.g. GED's id)")->required();
  hist->add_option("--source", hargs->source,
                   "The event's source (ged, acled, gdelt or a JSONL source); needed only when "
                   "several sources use the id");
  hist->callback([&ctx, hargs] { SetExit(RunHistory(ctx, *hargs)); });

  auto largs = std::make_shared<ListArgs>();
  auto* list = events_cmd->add_subcommand(
      "list", "The stored events of one country in one month, by date (what an alert or a chart point rests on)");
  list->add_option("--country", largs->country, "The country (name, ISO3 or GW code)")->required();
  list->add_option("--month", largs->month, "The month, YYYY-MM")->required();
  list->add_option("--limit", largs->limit, "Show at most N events (the total is always given)")
      ->capture_default_str()
      ->check(CLI::Range(1, 10000));
  list->callback([&ctx, largs] { SetExit(RunList(ctx, *largs)); });
}

}  // namespace vigil::cli
