// Assessment operations of the service layer (issue 18): scoring framework
// items. Authorized once here (case.assess for the majority score,
// case.dissent for one's own dissent), so the CLI and the API agree.
#pragma once

#include <optional>
#include <string>

#include "assess/case.h"
#include "core/principal.h"
#include "core/status.h"

namespace vigil::store {
class Db;
}

namespace vigil::app {

// Records the next version of a score series of case `case_ref` (id or
// slug) under `who` (assess::CaseRepo::AddScore validates). A dissent is the
// caller's own series. based_on_version is the series' version the caller
// read (0 when there was none): when someone has scored the series since,
// Aborted and nothing is written. nullopt skips the check (the local CLI
// scoring without reading first).
Result<assess::Score> RecordScore(store::Db& db, const Principal& who, const std::string& case_ref,
                                  assess::Score s, std::optional<int> based_on_version);

// case.assess: adds an actor (with its first roles, if any) to the case.
Result<assess::Actor> AddActor(store::Db& db, const Principal& who, const std::string& case_ref, assess::Actor a);
// case.assess: a new typology role of actor `actor_ref` (id or name) from
// r.from; end_open ends the roles still open at r.from (a role change).
// Returns the role entry as stored.
Result<assess::ActorRole> AddActorRole(store::Db& db, const Principal& who, const std::string& case_ref,
                                       const std::string& actor_ref, assess::ActorRole r, bool end_open);
// case.assess: a dated, sourced entry of the conflict assessment (Tab 2).
Result<assess::AssessmentEntry> AddAssessmentEntry(store::Db& db, const Principal& who, const std::string& case_ref,
                                                   assess::AssessmentEntry e);

// The current version of a score series (the one RecordScore would follow),
// or nullopt; dissenter is "" for the majority series.
Result<std::optional<assess::Score>> CurrentScore(store::Db& db, std::int64_t case_id,
                                                  const std::string& framework, const std::string& item,
                                                  const std::string& position, const std::string& dissenter);

}  // namespace vigil::app
