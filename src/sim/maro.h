// The MARO scenario model: Epstein's civil violence dynamics (epstein.h)
// extended with what makes a mass atrocity response operation different
// (multiparty dynamics, the intervener's illusion of impartiality, and the
// asymmetry between fast escalation and slow decisions and deployments).
//
// Parties on a grid (one agent per site; a step is a day):
// - victims: civilians of the targeted group; they flee when they see an
//   active perpetrator (displacement toward the nearest open safe area or the
//   border; a victim who reaches the border leaves as a refugee);
// - bystanders: civilians of the perpetrators' group; recruited into the
//   rank and file when their grievance net of risk exceeds a threshold;
// - perpetrator leadership and rank and file: Epstein agents whose grievance
//   toward the victim group is H(1-L) with L the acceptance of the victims,
//   lowered by hate media; leaders have a lower threshold and lower the
//   threshold of the rank and file around them; an active perpetrator kills
//   a victim within reach; rank and file desert when deterred;
// - an armed victim self-defence group: fights active perpetrators, and
//   every perpetrator it kills hardens the perpetrators' grievance;
// - the intervener: a force that arrives after a decision delay plus a
//   deployment delay with a posture (area security, safe areas, separation,
//   containment); once intervention is announced (after the decision delay)
//   perpetrators accelerate until the force arrives; perpetrators see the
//   intervener as partial, which raises their grievance and makes them
//   resist (attack interveners, evade arrest).
// Civilians (victims, bystanders) perceive threats and interveners as they
// were at the start of the day; perpetrators, self-defence and interveners
// see the grid as it is when they act.
// Levers (options) change delays, force size and posture, sanctions (lower
// perpetrator capacity), counter hate media, safe areas and a no-fly zone
// (lower perpetrator mobility). All parameters, defaults and ranges are in
// docs/sim.md and in kMaroParams (ParamDocs()).
#pragma once

#include <cstdint>
#include <functional>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "core/progress.h"
#include "core/status.h"

namespace vigil::sim {

struct SafeArea {
  int x = 0, y = 0, radius = 3;  // a square of side 2*radius+1 centred on (x, y)
};

struct Scenario {
  std::string name = "default";
  std::string description;
  int width = 40, height = 40;
  int steps = 180;
  std::string layout = "mixed";  // "mixed" | "separated" (perpetrator group west, victims east)
  // Population densities (agents per site); their sum is at most 1.
  double victim_density = 0.30, bystander_density = 0.25, perpetrator_density = 0.01, leader_density = 0.004,
         self_defence_density = 0.01;
  // Vision (Moore radius, sites) and movement range.
  int civilian_vision = 3, perpetrator_vision = 3, intervener_vision = 4;
  int perpetrator_mobility = 3;  // sites moved per step (no-fly lowers it)
  int civilian_mobility = 2;
  // Epstein constants.
  double k = 2.3;
  // Perpetrators.
  double legitimacy = 0.6;               // acceptance of the victim group by the perpetrators' group
  double leader_threshold = 0.0, rank_and_file_threshold = 0.2;
  int command_radius = 4;
  double command_effect = 0.1;           // threshold lowering near a leader
  double kill_probability = 0.05;        // per active perpetrator and step, times capacity
  double capacity = 1.0;                 // arms, money, logistics (sanctions lower it)
  double desertion_margin = 0.35, desertion_probability = 0.05;
  // Bystanders.
  double recruit_threshold = 0.3, recruit_probability = 0.01;
  // Hate media.
  double hate_media = 0.1, hate_media_growth = 0.004, hate_media_max = 0.8;
  // Self-defence group.
  double self_defence_threshold = 0.1, self_defence_lethality = 0.15, revenge_effect = 0.01;
  // Victims.
  double flee_probability = 0.05;
  // Intervener.
  int decision_delay = 20, deployment_delay = 30;
  int force_size = 40;
  std::string posture = "area-security";  // area-security | safe-areas | separation | containment
  double partiality = 0.5;     // how partial the perpetrators perceive the intervener, 0..1
  double resistance = 0.5;     // how strongly perceived partiality turns into resistance, 0..1
  double acceleration = 0.3;   // perpetrator speed-up between announcement and arrival
  double arrest_probability = 0.6;
  double strike_rate = 0.05;   // containment: per unit and step, chance of striking an active perpetrator
  int protection_radius = 1;   // civilians this close to an intervener cannot be attacked
  int buffer_width = 4;        // separation: width of the buffer band (columns) in the middle
  std::vector<SafeArea> safe_areas;
  // Levers.
  double sanctions = 0.0;      // fraction of perpetrator capacity removed, 0..1
  double counter_media = 0.0;  // fraction of hate-media effect removed, 0..1
  double no_fly = 0.0;         // fraction of perpetrator mobility removed, 0..1
  bool safe_areas_open = false;  // safe areas attract fleeing victims even without the safe-areas posture
  // Outcomes.
  int halt_window = 14;        // killing has halted after this many days without a killing
  int escalation_kills = 15;   // escalation: this many killings within 7 days
};

// The built-in default scenario (the defaults above plus two safe areas at
// (10, 30) and (30, 10), radius 3); scenarios/default.json spells it out.
Scenario DefaultScenario();

// Documentation of one scenario parameter (JSON key, allowed range, default
// and meaning), the source of docs/sim.md and of error messages.
struct ParamDoc {
  std::string key;       // JSON path, e.g. "intervention.deployment_delay"
  std::string range;     // e.g. "0..3650"
  std::string default_value;
  std::string meaning;
};
const std::vector<ParamDoc>& ParamDocs();

// Scenario JSON: an object with optional keys as in ParamDocs (unknown keys
// are errors naming the key and the allowed ones). Errors name `source`.
Result<Scenario> ScenarioFromJson(const nlohmann::json& j, const std::string& source);
Result<Scenario> LoadScenario(const std::string& path);
// Reads and parses a JSON file (scenario or option): NotFound when it cannot
// be opened, InvalidArgument naming the path and byte of a syntax error.
Result<nlohmann::json> ReadJsonFile(const std::string& path, const std::string& what);
nlohmann::json ScenarioToJson(const Scenario& s);
// Range checks across fields (densities summing above 1, negative delays,
// safe areas off the grid ...).
Status ValidateScenario(const Scenario& s);

struct MaroStep {
  int step = 0;
  int kills = 0;              // victims killed this step
  int deaths = 0;             // cumulative victims killed
  int displaced = 0;          // cumulative victims displaced (fled)
  int active_perpetrators = 0, perpetrators = 0, bystanders = 0, interveners = 0, self_defence = 0;
};

struct MaroOutcome {
  int civilian_deaths = 0;
  int displaced = 0;
  int refugees = 0;           // displaced who left across the border
  bool halted = false;
  int time_to_halt = 0;       // day killing halted (steps when not halted: censored)
  bool escalated = false;
  int peak_weekly_kills = 0;
  int recruited = 0, deserted = 0, detained = 0, perpetrators_killed = 0;
  int intervener_casualties = 0;
  int steps_run = 0;
  std::int64_t agent_steps = 0;
};

// One run; `series` (may be null) receives every step.
MaroOutcome RunMaro(const Scenario& s, std::uint64_t seed, std::vector<MaroStep>* series = nullptr);

struct Distribution {
  double mean = 0, median = 0, p05 = 0, p95 = 0, min = 0, max = 0;
};
Distribution Summarize(std::vector<double> values);

struct EnsembleSummary {
  int runs = 0;
  Distribution civilian_deaths, displaced, time_to_halt, peak_weekly_kills, intervener_casualties;
  double p_escalation = 0;  // share of runs that escalated
  double p_halted = 0;      // share of runs in which killing halted
  std::int64_t agent_steps = 0;
  double seconds = 0;
};
// Runs `runs` runs (run i seeded from (seed, i)) on up to `threads` threads;
// the outcomes are identical for any thread count.
std::vector<MaroOutcome> RunEnsemble(const Scenario& s, int runs, std::uint64_t seed, int threads,
                                     const ProgressFn& progress = nullptr);
EnsembleSummary SummarizeEnsemble(const std::vector<MaroOutcome>& outcomes);
nlohmann::json ToJson(const Distribution& d);
nlohmann::json ToJson(const EnsembleSummary& s);
nlohmann::json ToJson(const MaroOutcome& o);

// Sets a numeric/string/bool scenario parameter by its JSON path
// ("intervention.deployment_delay"); InvalidArgument for unknown paths or
// values out of range.
Result<Scenario> WithParam(const Scenario& s, const std::string& path, const nlohmann::json& value);

}  // namespace vigil::sim
