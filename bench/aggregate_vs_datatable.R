#!/usr/bin/env Rscript
# Benchmark: unit-month aggregation, `vigil events aggregate` versus R
# data.table on the same GED-format events, measured in the same run, at the
# four levels (country, admin1, cell, actor-pair) and with the same columns:
# events, deaths (best), deaths by violence type, civilian deaths, one-sided
# events and distinct actor pairs. data.table gets its fastest idioms
# (GForce sums over columns derived by reference; distinct pairs by a second
# group-by); deriving those columns is timed, as vigil's is, while parsing the
# month is not (vigil's load from the store is not timed either). vigil's time is
# its "seconds_aggregate" (the events already loaded from the store), best of 3.
#
# usage: Rscript bench/aggregate_vs_datatable.R GED.csv VIGIL_BINARY [DB]
#   GED.csv  e.g. build/bench-data/ged_2000000_seed42.csv (bench/events_vs_fread.sh
#            generates it with vigil-gen-events; synthetic events, not real)
#   DB       a vigil database holding exactly that file's events; without it
#            the file is imported into a temporary database first.
# Measured on the 2-core development machine (2M rows, data.table 1.14.8, 2
# threads): country 0.045 s vs 0.229 s, admin1 0.054 vs 0.294, cell 0.262 vs
# 0.871, actor-pair 0.063 vs 1.000. The run takes about 3 minutes, most of it
# vigil loading 2M events from SQLite for each of its 12 runs.
# Note on civilian deaths: vigil counts best deaths of one-sided events and
# deaths_civilians of others (docs/alerts.md); the data.table side does the same.
suppressMessages(library(data.table))
setDTthreads(0)
args <- commandArgs(TRUE)
if (length(args) < 2) stop("usage: aggregate_vs_datatable.R GED.csv VIGIL_BINARY [DB]")
file <- args[1]; vigil <- args[2]
db <- if (length(args) >= 3) args[3] else tempfile(fileext = ".db")
if (length(args) < 3) {
  cat("importing", file, "into", db, "\n")
  st <- system2(vigil, c("--db", db, "-q", "import", "events", "--format", "ged", shQuote(file)),
                stdout = FALSE)
  if (!(st %in% c(0L, 3L))) stop("vigil import events failed with exit ", st)
}

t_read <- system.time(dt <- fread(file, showProgress = FALSE,
  select = c("country_id", "date_start", "type_of_violence", "side_a", "side_b", "best",
             "deaths_civilians", "adm_1", "priogrid_gid")))[["elapsed"]]
cat(sprintf("fread %d rows in %.2f s (%d threads)\n", nrow(dt), t_read, getDTthreads()))
# Untimed preparation, like vigil's load from the store (which parses dates):
# the month of each event as an integer.
dt[, date_start := as.character(date_start)]
dt[, month := as.integer(substr(date_start, 1, 4)) * 12L + as.integer(substr(date_start, 6, 7)) - 1L]
dt[, date_start := NULL]

best_of_3 <- function(f) min(sapply(1:3, function(i) system.time(f())[["elapsed"]]))

# Timed: derive the per-type columns (by reference), group, count distinct pairs.
dt_aggregate <- function(keys) {
  d <- dt
  d[, `:=`(sb = best * (type_of_violence == 1L), ns = best * (type_of_violence == 2L),
           os = best * (type_of_violence == 3L),
           civ = ifelse(type_of_violence == 3L, pmax(best, deaths_civilians), deaths_civilians),
           ose = as.integer(type_of_violence == 3L))]
  by <- c(keys, "month")
  a <- d[, .(events = .N, deaths = sum(best), sb = sum(sb), ns = sum(ns), os = sum(os),
             civ = sum(civ), ose = sum(ose)), by = by]
  p <- unique(d, by = c(by, "side_a", "side_b"))[, .(actor_pairs = .N), by = by]
  a[p, actor_pairs := i.actor_pairs, on = by]
  a
}

levels <- list(country = "country_id", admin1 = c("country_id", "adm_1"),
               cell = c("country_id", "priogrid_gid"), `actor-pair` = c("country_id", "side_a", "side_b"))
cat(sprintf("%-11s %9s %12s %12s %8s\n", "level", "groups", "data.table s", "vigil s", "ratio"))
for (lvl in names(levels)) {
  groups <- nrow(dt_aggregate(levels[[lvl]]))
  t_dt <- best_of_3(function() dt_aggregate(levels[[lvl]]))
  t_v <- Inf
  rows <- NA
  for (i in 1:3) {
    out <- system2(vigil, c("--db", db, "-q", "--json", "events", "aggregate", "--level", lvl),
                   stdout = TRUE)
    txt <- paste(out, collapse = "\n")
    s <- as.numeric(sub('.*"seconds_aggregate": *([0-9.eE+-]+).*', "\\1", txt))
    t_v <- min(t_v, s)
    rows <- length(gregexpr('"month":', txt)[[1]])
  }
  cat(sprintf("%-11s %9d %12.3f %12.3f %8.2f  (vigil rows %d; goal: ratio vigil/data.table < 1)\n",
              lvl, groups, t_dt, t_v, t_v / t_dt, rows))
}
