// Epstein's civil violence models (J. M. Epstein, "Modeling civil violence:
// An agent-based computational approach", PNAS 99 suppl. 3, 2002), the
// validation baselines of the escalation simulator.
//
// Model I (rebellion against a central authority). Agents have hardship H and
// risk aversion R, both U(0,1); legitimacy L is global. Grievance G = H(1-L).
// An agent inspects the lattice positions north, south, east and west of it up
// to its vision v (von Neumann cross, 4v sites) and estimates its arrest
// probability P = 1 - exp(-k * floor(C / A)) with C the cops and A the active
// agents in vision, A counting the agent itself; net risk N = R * P. The agent
// is active when G - N > T. Cops arrest one random active agent within their
// vision; the arrested agent leaves the lattice for a jail term drawn
// uniformly from 0..Jmax. Every agent and cop first moves to a random empty
// site within its vision, then acts.
//
// Model II (inter-group violence). Two groups; legitimacy is each group's
// acceptance of the other group (one value per group). An agent that would
// be active kills a random member of the other group within its vision (and
// is active only when there is one to kill). In P, A counts the active agents
// of the agent's own group. Cops act as peacekeepers and arrest actives of
// both groups. Agents age one step per activation and die at a maximum age
// drawn uniformly from 0..max_age; each step an agent gives birth with
// probability birth_rate to an agent of its own group (fresh H, R, maximum
// age) on a random empty site within its vision.
//
// Activation is random and asynchronous as in Epstein: every step, each
// agent present at the start of the step acts once, in random order. Grids
// of at least 65,536 sites are split into horizontal strips of at least 4v
// rows (an agent moves up to v sites and then acts up to v sites further); strips of one parity cannot interact within a phase, so they run in
// parallel; the order within a strip is random and the parity that goes first
// is drawn every step. Every random stream is keyed by (seed, step, strip), so
// results are identical for any thread count.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "core/status.h"

namespace vigil::sim {

struct EpsteinParams {
  int model = 1;  // 1 or 2
  int width = 40, height = 40;
  bool torus = true;
  double agent_density = 0.7;  // citizens per site at the start
  double cop_density = 0.04;   // cops (peacekeepers) per site
  int agent_vision = 7, cop_vision = 7;
  // "moore" (default): the (2v+1)^2 - 1 sites of the square of radius v
  // (v <= 15), as in the NetLogo and Mesa reproductions, under which the
  // classic densities give Epstein's punctuated equilibrium; "cross": the 4v
  // sites north, south, east and west (v <= 20), the paper's wording, under
  // which the same densities give a steady low level of actives instead.
  std::string vision_shape = "moore";
  double legitimacy = 0.82;  // Model I; Model II uses legitimacy_groups
  double legitimacy_groups[2] = {0.8, 0.8};
  double k = 2.3;
  double threshold = 0.1;
  int max_jail = 30;
  bool floor_ratio = true;  // floor(C/A) as published; false: C/A unrounded
  // Model II only.
  double group1_share = 0.5;
  double birth_rate = 0.05;
  int max_age = 200;
  int steps = 500;
  std::uint64_t seed = 1;

  // Step-wise changes: at the start of step `step` set the value.
  struct LegitimacyChange {
    int step;
    double value;
    int group = -1;  // Model II: 0 or 1; -1 both (and Model I)
  };
  std::vector<LegitimacyChange> legitimacy_schedule;
  struct CopChange {
    int step;
    double density;
  };
  std::vector<CopChange> cop_schedule;
};

// Checks ranges; InvalidArgument naming the parameter and the allowed range.
Status ValidateEpstein(const EpsteinParams& p);

// Appends to p.legitimacy_schedule a linear ramp: from the level in effect
// at step `from` (p.legitimacy or the last change scheduled before `from`)
// to `value` at step `to`, one change per step from `from` + 1 on (Epstein's
// gradual legitimacy decline). InvalidArgument unless p.model is 1,
// 1 <= from < to and value is in [0, 1].
Status AddLegitimacyRamp(EpsteinParams& p, int from, int to, double value);

struct EpsteinStep {
  int step = 0;
  int quiet[2] = {0, 0}, active[2] = {0, 0}, jailed[2] = {0, 0};
  int cops = 0;
  int arrests = 0;
  int kills[2] = {0, 0};   // Model II: members of group g killed by the other group
  int births[2] = {0, 0};
  int deaths[2] = {0, 0};  // natural deaths (age)
  double legitimacy[2] = {0, 0};
  int Population(int g) const { return quiet[g] + active[g] + jailed[g]; }
  int Active() const { return active[0] + active[1]; }
};

class EpsteinModel {
 public:
  explicit EpsteinModel(const EpsteinParams& p);  // p must validate
  // One step on up to `threads` threads; returns its statistics.
  EpsteinStep Step(int threads);
  // The statistics of the current state without stepping (step 0 at start).
  EpsteinStep Snapshot() const;
  std::int64_t Agents() const;  // citizens (on the lattice or jailed) + cops
  int step() const { return step_; }
  int blocks() const { return static_cast<int>(block_rows_.size()) - 1; }
  // Cell kinds, for tests: 0 empty, 1 cop, 2 + 2*group + active.
  const std::vector<std::uint8_t>& kinds() const { return kind_; }

 private:
  struct Jailed {
    float h, r;
    std::uint16_t age, max_age;
    std::uint8_t group;
    std::int32_t term;
    std::int32_t pos;
  };
  struct BlockOut {
    int arrests = 0, kills[2] = {0, 0}, births[2] = {0, 0}, deaths[2] = {0, 0};
    std::vector<Jailed> jailed;
    std::vector<std::int32_t> order;
  };
  int Neighbors(std::int32_t pos, int v, std::int32_t* out) const;
  struct Window;
  void BuildWindow(std::int32_t pos, int v, Window& w, int k0, int nk) const;
  void Look(std::int32_t pos, int v, Window& w, int k0) const;
  std::int32_t EmptyInVision(std::int32_t pos, int v, class Rng& rng) const;
  void GatherRows(int v, const Window& w, std::uint8_t (*buf)[32]) const;
  static void MaskAndCount(int v, int k0, int nk, Window& w);
  // pos / W_ without a division instruction.
  int RowOf(std::int32_t pos) const {
    int y = static_cast<int>(pos * inv_w_);
    y -= y * W_ > pos;
    y += (y + 1) * W_ <= pos;
    return y;
  }
  int Count(const Window& w, int cat) const;
  void MoveAndLook(std::int32_t from, std::int32_t to, int v, Window& w, int k0);
  std::int32_t Pick(const Window& w, int cat, std::uint32_t r) const;
  bool moore_ = false;
  // The window packer and bit selector of this processor (see epstein.cc).
  void (*pack_)(const std::uint8_t*, long, int, int, int, int, int, std::uint64_t (*)[16]) = nullptr;
  int (*select_)(std::uint64_t, std::uint32_t) = nullptr;
  void MoveCell(std::int32_t from, std::int32_t to);
  // A uniformly drawn empty site among sites[0..n) (one draw, only if there
  // is one), or -1.
  std::int32_t RandomEmpty(const std::int32_t* sites, int n, class Rng& rng) const;
  void RunBlock(int block, std::uint64_t key, BlockOut& out);
  void Citizen(std::int32_t pos, class Rng& rng, BlockOut& out);
  void Cop(std::int32_t pos, class Rng& rng, BlockOut& out);
  void PlaceNewAgent(std::int32_t pos, int group, class Rng& rng);
  void SerialPhase(class Rng& rng);

  EpsteinParams p_;
  int W_, H_, vmax_;
  double inv_w_;
  int step_ = 0;
  double L_[2];
  std::vector<std::int32_t> wrapx_, wrapy_;  // padded by vmax_ on each side; -1 off a bounded grid
  std::vector<std::uint8_t> kind_, stamp_;
  struct Traits {
    float h = 0, r = 0;  // hardship, risk aversion
  };
  std::vector<Traits> hr_;
  std::vector<std::uint16_t> age_, max_age_;  // Model II
  std::vector<Jailed> jail_;
  std::vector<int> block_rows_;  // block b covers rows [block_rows_[b], block_rows_[b+1])
  std::vector<BlockOut> outs_;
  double ptable_[64];
  int arrests_ = 0, kills_[2] = {0, 0}, births_[2] = {0, 0}, deaths_[2] = {0, 0};
};

// Runs a whole simulation; `on_step` (may be null) sees every step's
// statistics as it is produced (for streaming to CSV/JSON).
struct EpsteinRun {
  std::vector<EpsteinStep> series;  // steps 1..p.steps
  std::int64_t agents = 0;
};
Result<EpsteinRun> RunEpstein(const EpsteinParams& p, int threads,
                              const std::function<void(const EpsteinStep&)>& on_step = nullptr);

// CSV header and row of a step ("step,quiet,active,jailed,..."); `model` 1 or 2.
std::string EpsteinCsvHeader(int model);
std::string EpsteinCsvRow(const EpsteinStep& s, int model);

}  // namespace vigil::sim
