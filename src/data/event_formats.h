// Readers for conflict event files: UCDP GED CSV, ACLED CSV, GDELT 2.0 event
// exports and vigil's own JSON lines (docs/events-jsonl.md). Each reader
// streams the file (memory bounded by the longest record) and turns every
// record into either an Event or a RejectedRow that says why it could not be
// used, so the caller can quarantine it: nothing is silently dropped.
//
// A file in the wrong format (a GED header missing required columns, a
// GDELT file whose first records do not have 61 tab-separated columns, a
// "JSON lines" file whose first line is not a JSON object) fails Open (or
// the first Next) with one InvalidArgument error naming the file, instead
// of thousands of rejected rows.
//
// Formats and what is checked (a failed check rejects the record with the
// column and a reason that names it):
// - ged: UCDP GED CSV, columns in any order, matched by header name. Required:
//   id, type_of_violence, side_a, side_b, country, country_id, latitude,
//   longitude, date_start, date_end, best, low, high, deaths_civilians;
//   optional: date_prec, where_prec, where_description, adm_1, adm_2,
//   number_of_sources (-1 = unknown -> 0), source_headline (first 300 bytes ->
//   notes), deaths_a, deaths_b, deaths_unknown. Checks: column count, quotes,
//   UTF-8 of kept text, dates (date_end >= date_start), coordinates, deaths
//   (whole numbers >= 0; best = deaths_a + deaths_b + deaths_civilians +
//   deaths_unknown when those columns exist), country (country_id is
//   Gleditsch-Ward with UCDP's quirks, see ResolvePanelCountry, and the name
//   must agree), type_of_violence 1/2/3, non-empty id. low and high are kept
//   as published even when they do not bracket best: about 1% of real GED
//   events do that and rejecting them would drop real deaths.
// - acled: ACLED's public export. Required: event_id_cnty, event_date,
//   event_type, actor1, country, latitude, longitude, fatalities; optional:
//   sub_event_type, actor2, inter1, inter2, civilian_targeting, iso, admin1,
//   admin2, location, geo_precision, time_precision, source, notes. Country by
//   `iso` (ISO 3166 numeric, catalog/fips_countries.csv) or name; event_type
//   must be one of ACLED's six (mapping to Violence in event_formats.cc).
// - gdelt: GDELT 2.0 event export, 61 tab-separated columns, no header, no
//   quoting. Every event (any CAMEO code) is kept; has_deaths is false.
//   Country from ActionGeo_CountryCode (FIPS 10-4); without one, from the
//   actors' geographic FIPS codes or CAMEO (ISO alpha-3) country codes. A row
//   whose country vigil cannot resolve (territories such as Hong Kong, rows
//   without any location) is rejected as "unknown country", since every
//   stored event needs a state.
// - jsonl: docs/events-jsonl.md.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/country.h"
#include "core/event.h"
#include "core/status.h"

namespace vigil::data {

enum class EventFormat { kGed, kAcled, kGdelt, kJsonl };
const char* EventFormatName(EventFormat f);  // "ged", "acled", "gdelt", "jsonl"
Result<EventFormat> ParseEventFormat(std::string_view name);

// The column that holds a format's event id ("id", "event_id_cnty",
// "GlobalEventID", "event_id") and, in words, the rule every id must meet
// (one declared rule per format, docs/event-formats.md). A record whose id
// breaks the rule is rejected with field = EventIdField(format).
const char* EventIdField(EventFormat f);
const char* EventIdRule(EventFormat f);

// The rule every column of a CSV format must meet, in the codebook's order
// (empty for JSONL, whose schema is docs/events-jsonl.md). A record that
// breaks one is quarantined with that column and rule, whether or not vigil
// keeps the column. docs/event-formats.md lists the same rules.
struct EventFieldRule {
  std::string column;
  bool required;     // the header must have it (all 61 GDELT columns are positional)
  std::string rule;  // e.g. "integer 1..5, or empty"
};
std::vector<EventFieldRule> EventFieldRules(EventFormat format);

// A record that could not become an Event.
struct RejectedRow {
  std::string path;
  std::size_t line = 0;      // first line of the record
  std::size_t end_line = 0;  // last line (records may span lines)
  std::string field;         // offending column, "" for whole-record problems (column count, quotes)
  std::string reason;        // e.g. "negative deaths: 'deaths_civilians' = '-3'"
  std::string raw;           // the record's bytes as read, without the final line break
};

class EventFileReader {
 public:
  // Opens `path` and checks that it is in `format` (header for CSV formats).
  // `countries` resolves each record's country (GED: gwnoa/country_id and
  // country name; ACLED: country name / iso; GDELT: ActionGeo_CountryCode
  // (FIPS 10-4); jsonl: gw, iso3 or country). NotFound / IoError /
  // InvalidArgument (wrong format) name the file.
  static Result<std::unique_ptr<EventFileReader>> Open(const std::string& path, EventFormat format,
                                                       const CountryTable& countries);
  virtual ~EventFileReader() = default;

  enum class Kind { kEvent, kRejected, kEnd };
  // Reads the next record: kEvent fills *event (and *line), kRejected fills
  // *rejected, kEnd at end of file. An error status only for I/O failures
  // or a wrong format detected on the first records.
  virtual Result<Kind> Next(Event* event, std::size_t* line, RejectedRow* rejected) = 0;

  // The file's column names (empty for GDELT, which has none), stored with
  // the import so quarantined rows can be re-parsed later.
  virtual const std::vector<std::string>& header() const = 0;
  // The bytes of the record Next returned last (without the final line
  // break); valid until the next call of Next.
  virtual std::string_view last_raw() const = 0;
  virtual std::size_t bytes_read() const = 0;
  std::size_t file_size() const { return file_size_; }
  const std::string& path() const { return path_; }
  EventFormat format() const { return format_; }

 protected:
  EventFileReader(std::string path, EventFormat format, std::size_t size)
      : path_(std::move(path)), format_(format), file_size_(size) {}

 private:
  std::string path_;
  EventFormat format_;
  std::size_t file_size_;
};

// Re-parses one stored raw record (e.g. a quarantined row, possibly
// corrected by the user) with the header of the file it came from. Returns
// the Event or InvalidArgument whose message is the rejection reason.
Result<Event> ParseEventRecord(EventFormat format, const std::vector<std::string>& header,
                               std::string_view raw, const CountryTable& countries);

// Hash of an event's normalized content (every Event field). Equal
// fingerprints mean "unchanged duplicate" on re-import.
std::uint64_t EventFingerprint(const Event& e);

// Event <-> one line of vigil's JSON-lines format (docs/events-jsonl.md);
// also the record kept in event_history. EventFromJson validates like the
// jsonl reader and returns InvalidArgument with the reason.
std::string EventToJson(const Event& e);
Result<Event> EventFromJson(std::string_view json_line, const CountryTable& countries);

}  // namespace vigil::data
