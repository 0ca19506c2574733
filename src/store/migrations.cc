#include "store/migrations.h"

namespace vigil::store {

const std::vector<std::string>& Migrations() {
  static const std::vector<std::string> kMigrations = {
      // 1: reference countries, panel datasets, forecast registry, backtests.
      R"sql(
CREATE TABLE countries (
  gw          INTEGER PRIMARY KEY,
  cow         INTEGER,
  iso3        TEXT,
  name        TEXT NOT NULL,
  region      TEXT NOT NULL,
  first_year  INTEGER NOT NULL,
  last_year   INTEGER
);
CREATE TABLE country_aliases (
  alias_norm  TEXT PRIMARY KEY,          -- CountryTable::NormalizeName of the alias
  gw          INTEGER NOT NULL REFERENCES countries(gw)
);
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);

-- A dataset is a named family of versions; a version is identified by the
-- SHA-256 of its content, so re-importing the same file never duplicates.
CREATE TABLE datasets (
  id           INTEGER PRIMARY KEY,
  name         TEXT NOT NULL,
  version      INTEGER NOT NULL,
  kind         TEXT NOT NULL CHECK (kind IN ('panel')),
  source_path  TEXT NOT NULL,
  sha256       TEXT NOT NULL,
  imported_at  TEXT NOT NULL,
  row_count    INTEGER NOT NULL,
  is_current   INTEGER NOT NULL DEFAULT 0,
  meta         TEXT NOT NULL DEFAULT '{}',   -- JSON: id columns, outcome columns, NA counts
  UNIQUE (name, version),
  UNIQUE (name, sha256)
);
CREATE TABLE panel_columns (
  dataset_id  INTEGER NOT NULL REFERENCES datasets(id) ON DELETE CASCADE,
  position    INTEGER NOT NULL,
  name        TEXT NOT NULL,
  role        TEXT NOT NULL CHECK (role IN ('predictor', 'outcome')),
  na_count    INTEGER NOT NULL,
  PRIMARY KEY (dataset_id, role, position)
);
-- Values of a row are little-endian float64 arrays in column order; NA is NaN.
-- gw is the row's state in vigil's country table, resolved at import.
CREATE TABLE panel_rows (
  dataset_id    INTEGER NOT NULL REFERENCES datasets(id) ON DELETE CASCADE,
  row           INTEGER NOT NULL,
  country_code  INTEGER NOT NULL,
  country_name  TEXT NOT NULL,
  gw            INTEGER REFERENCES countries(gw),
  year          INTEGER NOT NULL,
  predictors    BLOB NOT NULL,
  outcomes      BLOB NOT NULL,
  PRIMARY KEY (dataset_id, row),
  UNIQUE (dataset_id, country_code, year)
) WITHOUT ROWID;  -- rows of a dataset are stored together, in order: a load is one scan

-- Forecast registry: every forecast run, so later runs can be scored.
CREATE TABLE forecast_runs (
  id             INTEGER PRIMARY KEY,
  created_at     TEXT NOT NULL,
  model          TEXT NOT NULL,
  dataset_id     INTEGER NOT NULL REFERENCES datasets(id),
  base_year      INTEGER NOT NULL,        -- data year the forecast is made from
  target_first   INTEGER NOT NULL,        -- onset window first year (base_year + 1)
  target_last    INTEGER NOT NULL,        -- onset window last year (base_year + 2)
  params         TEXT NOT NULL,           -- JSON: model options and chosen hyper-parameters
  vigil_version  TEXT NOT NULL,
  seconds        REAL NOT NULL
);
CREATE TABLE forecasts (
  run_id         INTEGER NOT NULL REFERENCES forecast_runs(id) ON DELETE CASCADE,
  country_code   INTEGER NOT NULL,
  country_name   TEXT NOT NULL,
  gw             INTEGER REFERENCES countries(gw),
  risk           REAL NOT NULL,
  risk_lo        REAL,
  risk_hi        REAL,
  rank           INTEGER NOT NULL,
  triage         TEXT NOT NULL DEFAULT '[]',  -- JSON array of triage group names
  contributions  TEXT NOT NULL DEFAULT '[]',  -- JSON array of {factor, value, effect}
  PRIMARY KEY (run_id, country_code)
);
CREATE INDEX forecasts_by_gw ON forecasts(gw);

CREATE TABLE backtest_runs (
  id          INTEGER PRIMARY KEY,
  created_at  TEXT NOT NULL,
  model       TEXT NOT NULL,
  dataset_id  INTEGER NOT NULL REFERENCES datasets(id),
  params      TEXT NOT NULL,
  summary     TEXT NOT NULL,   -- JSON summary (recall, AUC, Brier ...)
  per_year    TEXT NOT NULL    -- JSON array of per-year rows
);
)sql",
      // 2: conflict events, their import runs and history, quarantined rows,
      // escalation alerts with their evidence.
      R"sql(
-- One run of `vigil import events` over one file.
CREATE TABLE event_imports (
  id           INTEGER PRIMARY KEY,
  started_at   TEXT NOT NULL,
  format       TEXT NOT NULL CHECK (format IN ('ged', 'acled', 'gdelt', 'jsonl')),
  path         TEXT NOT NULL,
  header       TEXT NOT NULL DEFAULT '[]',  -- JSON array: the file's column names (to re-parse quarantined rows)
  read         INTEGER NOT NULL DEFAULT 0,
  stored       INTEGER NOT NULL DEFAULT 0,
  duplicates   INTEGER NOT NULL DEFAULT 0,
  updated      INTEGER NOT NULL DEFAULT 0,
  quarantined  INTEGER NOT NULL DEFAULT 0,
  seconds      REAL
);

-- An event, unique by (source, event_id); dates are days since 1970-01-01;
-- `fingerprint` hashes the normalized content so a re-import can tell an
-- unchanged duplicate from an update. `version` counts updates.
CREATE TABLE events (
  id                  INTEGER PRIMARY KEY,
  source              TEXT NOT NULL,
  event_id            TEXT NOT NULL,
  fingerprint         INTEGER NOT NULL,
  version             INTEGER NOT NULL DEFAULT 1,
  import_id           INTEGER NOT NULL REFERENCES event_imports(id),
  line                INTEGER NOT NULL,          -- line of the record in that import's file
  date_start          INTEGER NOT NULL,
  date_end            INTEGER NOT NULL,
  date_precision      INTEGER NOT NULL DEFAULT 0,
  gw                  INTEGER NOT NULL REFERENCES countries(gw),
  country             TEXT NOT NULL,
  admin1              TEXT NOT NULL DEFAULT '',
  admin2              TEXT NOT NULL DEFAULT '',
  location            TEXT NOT NULL DEFAULT '',
  latitude            REAL,
  longitude           REAL,
  geo_precision       INTEGER NOT NULL DEFAULT 0,
  cell                INTEGER NOT NULL DEFAULT 0,  -- PRIO-GRID gid, 0 without coordinates
  violence            INTEGER NOT NULL CHECK (violence BETWEEN 0 AND 4),
  event_type          TEXT NOT NULL DEFAULT '',
  sub_event_type      TEXT NOT NULL DEFAULT '',
  actor1              TEXT NOT NULL DEFAULT '',
  actor2              TEXT NOT NULL DEFAULT '',
  civilian_targeting  INTEGER NOT NULL DEFAULT 0,
  has_deaths          INTEGER NOT NULL DEFAULT 1,
  deaths_best         INTEGER NOT NULL DEFAULT 0 CHECK (deaths_best >= 0),
  deaths_low          INTEGER NOT NULL DEFAULT 0 CHECK (deaths_low >= 0),
  deaths_high         INTEGER NOT NULL DEFAULT 0 CHECK (deaths_high >= 0),
  deaths_civilians    INTEGER NOT NULL DEFAULT 0 CHECK (deaths_civilians >= 0),
  sources             INTEGER NOT NULL DEFAULT 0,
  notes               TEXT NOT NULL DEFAULT '',
  UNIQUE (source, event_id)
);
CREATE INDEX events_by_country_day ON events(gw, date_start);

-- Earlier versions of updated events: the replaced record as JSON.
CREATE TABLE event_history (
  event_row    INTEGER NOT NULL REFERENCES events(id) ON DELETE CASCADE,
  version      INTEGER NOT NULL,     -- the version this record was
  replaced_at  TEXT NOT NULL,
  import_id    INTEGER NOT NULL REFERENCES event_imports(id),  -- the import that replaced it
  record       TEXT NOT NULL,
  PRIMARY KEY (event_row, version)
);

-- Rows an import could not use, kept with where they came from and why.
CREATE TABLE quarantine (
  id           INTEGER PRIMARY KEY,
  import_id    INTEGER NOT NULL REFERENCES event_imports(id),
  path         TEXT NOT NULL,
  line         INTEGER NOT NULL,
  end_line     INTEGER NOT NULL,
  field        TEXT NOT NULL DEFAULT '',   -- the offending column, '' for whole-record problems
  reason       TEXT NOT NULL,
  raw          BLOB NOT NULL,              -- the record's bytes as read (may be invalid UTF-8)
  status       TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'resolved')),
  resolved_at  TEXT,
  resolution   TEXT                        -- e.g. 'stored as ged/12345 on retry'
);
CREATE INDEX quarantine_by_status ON quarantine(status, id);
-- A re-import finds the open entry of a record it quarantined before.
CREATE INDEX quarantine_by_place ON quarantine(path, line);

-- Escalation alerts. `key` identifies what an alert is about (detector,
-- country, unit, first month) so re-running a scan never duplicates it.
CREATE TABLE alerts (
  id             INTEGER PRIMARY KEY,
  key            TEXT NOT NULL UNIQUE,
  detector       TEXT NOT NULL,
  gw             INTEGER NOT NULL REFERENCES countries(gw),
  unit           TEXT NOT NULL DEFAULT '',   -- admin1 / cell / actor pair the alert is about, '' for the country
  month          INTEGER NOT NULL,           -- MonthIndex of the month that triggered it
  as_of          INTEGER NOT NULL,           -- day of the data cut-off of the scan that raised it
  severity       TEXT NOT NULL CHECK (severity IN ('low', 'medium', 'high', 'critical')),
  score          REAL NOT NULL,
  summary        TEXT NOT NULL,
  details        TEXT NOT NULL DEFAULT '{}', -- JSON: detector statistics (baseline, threshold, series)
  status         TEXT NOT NULL DEFAULT 'new' CHECK (status IN ('new', 'acknowledged', 'dismissed')),
  status_reason  TEXT NOT NULL DEFAULT '',
  status_at      TEXT,
  created_at     TEXT NOT NULL
);
CREATE INDEX alerts_by_country ON alerts(gw, month);
-- The events behind an alert.
CREATE TABLE alert_evidence (
  alert_id   INTEGER NOT NULL REFERENCES alerts(id) ON DELETE CASCADE,
  event_row  INTEGER NOT NULL REFERENCES events(id),
  PRIMARY KEY (alert_id, event_row)
) WITHOUT ROWID;
)sql",
      // 3: the case file (MAPRO Steps 1-2): cases and their initial guidance,
      // IPT members, actors with role histories and relations, versioned
      // framework scores with dissents, conflict assessment entries,
      // interests, assumptions, information requirements, evidence links and
      // the append-only audit log.
      R"sql(
CREATE TABLE cases (
  id          INTEGER PRIMARY KEY,
  slug        TEXT NOT NULL UNIQUE,
  title       TEXT NOT NULL,
  gw          INTEGER REFERENCES countries(gw),
  region      TEXT NOT NULL DEFAULT '',
  scope       TEXT NOT NULL DEFAULT '',
  purpose     TEXT NOT NULL DEFAULT '',
  status      TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'monitoring', 'closed', 'archived')),
  created_at  TEXT NOT NULL,
  created_by  TEXT NOT NULL,
  updated_at  TEXT NOT NULL
);
-- Step 1 initial guidance: one row per case.
CREATE TABLE case_guidance (
  case_id              INTEGER PRIMARY KEY REFERENCES cases(id),
  objective            TEXT NOT NULL DEFAULT '',
  level_of_effort      TEXT NOT NULL DEFAULT '',
  lead_agency          TEXT NOT NULL DEFAULT '',
  approving_authority  TEXT NOT NULL DEFAULT '',
  assumptions          TEXT NOT NULL DEFAULT '',
  constraints          TEXT NOT NULL DEFAULT '',
  restraints           TEXT NOT NULL DEFAULT '',
  coordination         TEXT NOT NULL DEFAULT '',
  intent               TEXT NOT NULL DEFAULT '',
  timeline             TEXT NOT NULL DEFAULT '',
  other                TEXT NOT NULL DEFAULT '',
  updated_at           TEXT NOT NULL DEFAULT '',
  updated_by           TEXT NOT NULL DEFAULT ''
);
CREATE TABLE case_ipt_members (
  id            INTEGER PRIMARY KEY,
  case_id       INTEGER NOT NULL REFERENCES cases(id),
  name          TEXT NOT NULL,
  organization  TEXT NOT NULL DEFAULT '',
  role          TEXT NOT NULL DEFAULT ''
);
CREATE INDEX case_ipt_members_by_case ON case_ipt_members(case_id);

CREATE TABLE case_actors (
  id            INTEGER PRIMARY KEY,
  case_id       INTEGER NOT NULL REFERENCES cases(id),
  name          TEXT NOT NULL,
  kind          TEXT NOT NULL CHECK (kind IN ('person', 'group', 'state', 'organization')),
  motivations   TEXT NOT NULL DEFAULT '',
  means         TEXT NOT NULL DEFAULT '',
  capabilities  TEXT NOT NULL DEFAULT '',
  weaknesses    TEXT NOT NULL DEFAULT '',
  locations     TEXT NOT NULL DEFAULT '',
  notes         TEXT NOT NULL DEFAULT '',
  created_at    TEXT NOT NULL,
  updated_at    TEXT NOT NULL,
  UNIQUE (case_id, name)
);
-- An actor's categories over time; periods may overlap (an actor can hold
-- two roles at once). date_to '' while the role holds.
CREATE TABLE case_actor_roles (
  id          INTEGER PRIMARY KEY,
  actor_id    INTEGER NOT NULL REFERENCES case_actors(id),
  role        TEXT NOT NULL CHECK (role IN ('perpetrator-architect', 'perpetrator-facilitator',
                'perpetrator-rank-and-file', 'victim', 'intervener', 'bystander', 'positive-actor',
                'negative-actor', 'third-party-enabler')),
  date_from   TEXT NOT NULL,
  date_to     TEXT NOT NULL DEFAULT '',
  note        TEXT NOT NULL DEFAULT '',
  author      TEXT NOT NULL,
  created_at  TEXT NOT NULL
);
CREATE INDEX case_actor_roles_by_actor ON case_actor_roles(actor_id);
CREATE TABLE case_actor_relations (
  id        INTEGER PRIMARY KEY,
  actor_id  INTEGER NOT NULL REFERENCES case_actors(id),
  other_id  INTEGER NOT NULL REFERENCES case_actors(id),
  kind      TEXT NOT NULL,
  note      TEXT NOT NULL DEFAULT '',
  CHECK (actor_id <> other_id)
);
CREATE INDEX case_actor_relations_by_actor ON case_actor_relations(actor_id);

-- Framework scores. A series is (case, framework, item, position, dissenter)
-- with dissenter = '' for the majority position and the author for a
-- dissent; every change adds a version.
CREATE TABLE case_scores (
  id          INTEGER PRIMARY KEY,
  case_id     INTEGER NOT NULL REFERENCES cases(id),
  framework   TEXT NOT NULL,
  item        TEXT NOT NULL,
  position    TEXT NOT NULL CHECK (position IN ('majority', 'dissent')),
  dissenter   TEXT NOT NULL DEFAULT '',
  version     INTEGER NOT NULL CHECK (version >= 1),
  level       TEXT NOT NULL,
  confidence  TEXT NOT NULL CHECK (confidence IN ('low', 'medium', 'high')),
  as_of       TEXT NOT NULL,
  author      TEXT NOT NULL,
  rationale   TEXT NOT NULL DEFAULT '',
  created_at  TEXT NOT NULL,
  UNIQUE (case_id, framework, item, position, dissenter, version)
);

-- ICAF conflict assessment entries.
CREATE TABLE case_assessment (
  id          INTEGER PRIMARY KEY,
  case_id     INTEGER NOT NULL REFERENCES cases(id),
  section     TEXT NOT NULL,
  text        TEXT NOT NULL,
  as_of       TEXT NOT NULL,
  confidence  TEXT NOT NULL CHECK (confidence IN ('low', 'medium', 'high')),
  author      TEXT NOT NULL,
  created_at  TEXT NOT NULL,
  updated_at  TEXT NOT NULL
);
CREATE INDEX case_assessment_by_case ON case_assessment(case_id);

CREATE TABLE case_interests (
  id          INTEGER PRIMARY KEY,
  case_id     INTEGER NOT NULL REFERENCES cases(id),
  priority    INTEGER NOT NULL CHECK (priority >= 1),
  owner       TEXT NOT NULL DEFAULT '',
  text        TEXT NOT NULL,
  note        TEXT NOT NULL DEFAULT '',
  author      TEXT NOT NULL,
  created_at  TEXT NOT NULL,
  updated_at  TEXT NOT NULL
);
-- Conflicts between interests, stored both ways.
CREATE TABLE case_interest_conflicts (
  interest_id  INTEGER NOT NULL REFERENCES case_interests(id),
  other_id     INTEGER NOT NULL REFERENCES case_interests(id),
  PRIMARY KEY (interest_id, other_id),
  CHECK (interest_id <> other_id)
) WITHOUT ROWID;

CREATE TABLE case_assumptions (
  id          INTEGER PRIMARY KEY,
  case_id     INTEGER NOT NULL REFERENCES cases(id),
  text        TEXT NOT NULL,
  status      TEXT NOT NULL CHECK (status IN ('unvalidated', 'validated', 'invalidated')),
  as_of       TEXT NOT NULL,
  note        TEXT NOT NULL DEFAULT '',
  author      TEXT NOT NULL,
  created_at  TEXT NOT NULL,
  updated_at  TEXT NOT NULL
);

CREATE TABLE case_cirs (
  id           INTEGER PRIMARY KEY,
  case_id      INTEGER NOT NULL REFERENCES cases(id),
  question     TEXT NOT NULL,
  priority     INTEGER NOT NULL CHECK (priority >= 1),
  status       TEXT NOT NULL CHECK (status IN ('open', 'answered')),
  answer       TEXT NOT NULL DEFAULT '',
  answered_at  TEXT NOT NULL DEFAULT '',
  author       TEXT NOT NULL,
  created_at   TEXT NOT NULL,
  updated_at   TEXT NOT NULL
);

-- Evidence behind a score version, assessment entry, assumption or CIR.
-- event/alert/forecast links also keep the referenced row, which must exist.
CREATE TABLE case_evidence (
  id            INTEGER PRIMARY KEY,
  case_id       INTEGER NOT NULL REFERENCES cases(id),
  owner         TEXT NOT NULL CHECK (owner IN ('score', 'assessment', 'assumption', 'cir')),
  owner_id      INTEGER NOT NULL,
  kind          TEXT NOT NULL CHECK (kind IN ('event', 'alert', 'forecast', 'document', 'report', 'url')),
  ref           TEXT NOT NULL,
  note          TEXT NOT NULL DEFAULT '',
  event_row     INTEGER REFERENCES events(id),
  alert_id      INTEGER REFERENCES alerts(id),
  forecast_run  INTEGER REFERENCES forecast_runs(id)
);
CREATE INDEX case_evidence_by_owner ON case_evidence(owner, owner_id);
CREATE INDEX case_evidence_by_case ON case_evidence(case_id);

-- Append-only audit log: every change to a case, written in the same
-- transaction as the change. Triggers refuse updates and deletes.
CREATE TABLE case_audit (
  id         INTEGER PRIMARY KEY,
  case_id    INTEGER NOT NULL REFERENCES cases(id),
  at         TEXT NOT NULL,
  who        TEXT NOT NULL,
  action     TEXT NOT NULL,
  entity     TEXT NOT NULL,
  entity_id  INTEGER NOT NULL,
  before     TEXT,   -- JSON, NULL when the entity was created
  after      TEXT    -- JSON, NULL when the entity was removed
);
CREATE INDEX case_audit_by_case ON case_audit(case_id, id);
CREATE TRIGGER case_audit_no_update BEFORE UPDATE ON case_audit
BEGIN SELECT RAISE(ABORT, 'case_audit is append-only'); END;
CREATE TRIGGER case_audit_no_delete BEFORE DELETE ON case_audit
BEGIN SELECT RAISE(ABORT, 'case_audit is append-only'); END;
)sql",
      // 4: options, policy, plan and execution (issue 5): situational
      // variables, option packages with opinions, the decisions log, policy
      // statement versions, plan revisions and execution status. Packages,
      // statements and plans are JSON documents validated by their modules
      // (options/option.h, plan/plan.h); every change is audited in case_audit.
      R"sql(
CREATE TABLE case_situation (
  case_id     INTEGER PRIMARY KEY REFERENCES cases(id),
  doc         TEXT NOT NULL,          -- JSON {"host-nation-role": "...", ...}
  updated_at  TEXT NOT NULL,
  updated_by  TEXT NOT NULL
);

CREATE TABLE options (
  id          INTEGER PRIMARY KEY,
  case_id     INTEGER NOT NULL REFERENCES cases(id),
  number      INTEGER NOT NULL CHECK (number >= 1),
  status      TEXT NOT NULL CHECK (status IN ('proposed', 'approved', 'rejected', 'withdrawn')),
  origin      TEXT NOT NULL CHECK (origin IN ('generated', 'analyst')),
  version     INTEGER NOT NULL CHECK (version >= 1),
  doc         TEXT NOT NULL,          -- JSON of the package (options::ToJson)
  created_at  TEXT NOT NULL,
  created_by  TEXT NOT NULL,
  updated_at  TEXT NOT NULL,
  UNIQUE (case_id, number)
);

CREATE TABLE option_opinions (
  id          INTEGER PRIMARY KEY,
  case_id     INTEGER NOT NULL REFERENCES cases(id),
  option_id   INTEGER NOT NULL REFERENCES options(id),
  position    TEXT NOT NULL CHECK (position IN ('recommend', 'dissent')),
  author      TEXT NOT NULL,
  text        TEXT NOT NULL CHECK (text <> ''),
  created_at  TEXT NOT NULL
);
CREATE INDEX option_opinions_by_case ON option_opinions(case_id, id);

CREATE TABLE decisions (
  id           INTEGER PRIMARY KEY,
  case_id      INTEGER NOT NULL REFERENCES cases(id),
  kind         TEXT NOT NULL CHECK (kind IN ('option', 'options-review', 'policy', 'plan', 'stage',
                                             'decision-point', 'branch')),
  subject      TEXT NOT NULL,
  outcome      TEXT NOT NULL CHECK (outcome IN ('approved', 'rejected', 'deferred', 'activated',
                                                'deactivated', 'decided')),
  decided_by   TEXT NOT NULL CHECK (decided_by <> ''),
  decided_at   TEXT NOT NULL,
  note         TEXT NOT NULL DEFAULT '',
  recorded_by  TEXT NOT NULL,
  recorded_at  TEXT NOT NULL
);
CREATE INDEX decisions_by_case ON decisions(case_id, id);

CREATE TABLE policy_statements (
  id          INTEGER PRIMARY KEY,
  case_id     INTEGER NOT NULL REFERENCES cases(id),
  version     INTEGER NOT NULL CHECK (version >= 1),
  option_id   INTEGER NOT NULL REFERENCES options(id),
  status      TEXT NOT NULL CHECK (status IN ('draft', 'approved', 'superseded')),
  doc         TEXT NOT NULL,          -- JSON (plan::ToJson(PolicyStatement))
  created_at  TEXT NOT NULL,
  created_by  TEXT NOT NULL,
  UNIQUE (case_id, version)
);

CREATE TABLE plan_revisions (
  id              INTEGER PRIMARY KEY,
  case_id         INTEGER NOT NULL REFERENCES cases(id),
  revision        INTEGER NOT NULL CHECK (revision >= 1),
  policy_version  INTEGER NOT NULL,
  doc             TEXT NOT NULL,      -- JSON (plan::ToJson(Plan))
  note            TEXT NOT NULL DEFAULT '',
  created_at      TEXT NOT NULL,
  created_by      TEXT NOT NULL,
  UNIQUE (case_id, revision)
);
-- Revisions are history: never changed once written.
CREATE TRIGGER plan_revisions_no_update BEFORE UPDATE ON plan_revisions
BEGIN SELECT RAISE(ABORT, 'plan_revisions are immutable; store a new revision'); END;

CREATE TABLE execution_status (
  id             INTEGER PRIMARY KEY,
  case_id        INTEGER NOT NULL REFERENCES cases(id),
  plan_revision  INTEGER NOT NULL,
  target         TEXT NOT NULL,        -- a LOE or task id of the plan
  status         TEXT NOT NULL CHECK (status IN ('not-started', 'on-track', 'at-risk', 'setback',
                                                 'complete')),
  note           TEXT NOT NULL DEFAULT '',
  as_of          TEXT NOT NULL,
  author         TEXT NOT NULL,
  created_at     TEXT NOT NULL
);
CREATE INDEX execution_status_by_case ON execution_status(case_id, id);
)sql",
      // 5: tamper-evident audit (issue 17, store/audit.h). Every audit entry
      // carries prev_hash and hash (SHA-256 over its content and prev_hash);
      // audit_heads keeps each chain's length and last hash. Entries of an
      // older store are hashed once by SealAuditChains (the only update the
      // trigger allows: of an entry not yet hashed). ops_audit records alert
      // triage and quarantine resolution.
      R"sql(
ALTER TABLE case_audit ADD COLUMN prev_hash TEXT;
ALTER TABLE case_audit ADD COLUMN hash TEXT;
DROP TRIGGER case_audit_no_update;
CREATE TRIGGER case_audit_no_update BEFORE UPDATE ON case_audit WHEN OLD.hash IS NOT NULL
BEGIN SELECT RAISE(ABORT, 'case_audit is append-only'); END;
CREATE TABLE ops_audit (
  id         INTEGER PRIMARY KEY,
  at         TEXT NOT NULL,
  who        TEXT NOT NULL,
  action     TEXT NOT NULL,
  entity     TEXT NOT NULL,
  entity_id  INTEGER NOT NULL,
  before     TEXT,
  after      TEXT,
  prev_hash  TEXT,
  hash       TEXT
);
CREATE TRIGGER ops_audit_no_update BEFORE UPDATE ON ops_audit WHEN OLD.hash IS NOT NULL
BEGIN SELECT RAISE(ABORT, 'ops_audit is append-only'); END;
CREATE TRIGGER ops_audit_no_delete BEFORE DELETE ON ops_audit
BEGIN SELECT RAISE(ABORT, 'ops_audit is append-only'); END;
CREATE TABLE audit_heads (
  chain    TEXT PRIMARY KEY,
  entries  INTEGER NOT NULL,
  head     TEXT NOT NULL
);
)sql",
      // 6: accounts, sessions and case membership (issue 18, app/accounts.h).
      // Roles are data (catalog/access_policy.json), checked by the service
      // layer, not here. Secrets are never stored: passwords as argon2id
      // strings (libsodium crypto_pwhash_str), session, CSRF and API tokens
      // as SHA-256 hex. Times in sessions and throttles are Unix seconds.
      R"sql(
CREATE TABLE users (
  id             INTEGER PRIMARY KEY,
  username       TEXT NOT NULL UNIQUE COLLATE NOCASE,
  display_name   TEXT NOT NULL DEFAULT '',
  role           TEXT NOT NULL,
  password_hash  TEXT NOT NULL,
  disabled       INTEGER NOT NULL DEFAULT 0 CHECK (disabled IN (0, 1)),
  revision       INTEGER NOT NULL DEFAULT 1,
  created_at     TEXT NOT NULL,
  created_by     TEXT NOT NULL,
  updated_at     TEXT NOT NULL
);
CREATE TABLE sessions (
  id          INTEGER PRIMARY KEY,
  token_hash  TEXT NOT NULL UNIQUE,
  csrf_hash   TEXT NOT NULL,
  user_id     INTEGER NOT NULL REFERENCES users(id),
  created_at  INTEGER NOT NULL,
  last_seen   INTEGER NOT NULL,
  expires_at  INTEGER NOT NULL,
  revoked     INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX sessions_by_user ON sessions(user_id);
CREATE TABLE api_tokens (
  id          INTEGER PRIMARY KEY,
  user_id     INTEGER NOT NULL REFERENCES users(id),
  name        TEXT NOT NULL,
  token_hash  TEXT NOT NULL UNIQUE,
  created_at  INTEGER NOT NULL,
  last_used   INTEGER,
  revoked     INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE login_throttle (
  key           TEXT PRIMARY KEY,   -- 'user:<name>' or 'client:<address>'
  failures      INTEGER NOT NULL,
  last_failure  INTEGER NOT NULL,
  locked_until  INTEGER NOT NULL DEFAULT 0
) WITHOUT ROWID;
CREATE TABLE case_members (
  case_id   INTEGER NOT NULL REFERENCES cases(id),
  user_id   INTEGER NOT NULL REFERENCES users(id),
  role      TEXT NOT NULL,
  added_at  TEXT NOT NULL,
  added_by  TEXT NOT NULL,
  PRIMARY KEY (case_id, user_id)
) WITHOUT ROWID;
CREATE INDEX case_members_by_user ON case_members(user_id);
)sql",
      // 7: alerts carry a revision (issue 18, no lost updates): a triage
      // names the revision it read; a scan that updates an alert's content
      // and every status change add one.
      R"sql(
ALTER TABLE alerts ADD COLUMN revision INTEGER NOT NULL DEFAULT 1;
)sql",
      // 8: the editable records of a case file carry a revision (issue 18,
      // no lost updates): an edit names the revision it read and fails,
      // writing nothing, when a colleague has changed the record since. The
      // case's revision covers its initial guidance too.
      R"sql(
ALTER TABLE cases ADD COLUMN revision INTEGER NOT NULL DEFAULT 1;
ALTER TABLE case_actors ADD COLUMN revision INTEGER NOT NULL DEFAULT 1;
ALTER TABLE case_assessment ADD COLUMN revision INTEGER NOT NULL DEFAULT 1;
ALTER TABLE case_interests ADD COLUMN revision INTEGER NOT NULL DEFAULT 1;
ALTER TABLE case_assumptions ADD COLUMN revision INTEGER NOT NULL DEFAULT 1;
ALTER TABLE case_cirs ADD COLUMN revision INTEGER NOT NULL DEFAULT 1;
)sql",
  };
  return kMigrations;
}

}  // namespace vigil::store
