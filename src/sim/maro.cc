#include "sim/maro.h"

#include <fmt/format.h>

#include <algorithm>
#include <atomic>
#include <mutex>
#include <chrono>
#include <cmath>
#include <cstdlib>

#include "core/parallel.h"
#include "sim/rng.h"

namespace vigil::sim {

namespace {

enum Type : std::uint8_t { kVictim, kBystander, kRankAndFile, kLeader, kSelfDefence, kIntervener };

struct World {
  const Scenario& s;
  Rng rng;
  int W, H;
  std::vector<std::int32_t> occ;  // agent id per site, -1 empty
  // What stands on each site, for the vision scans: 0 empty, else the
  // agent's type + 1, plus kActiveBit when it is active (kept in step with
  // occ, type and active by Add, Remove, MoveTo and Mark).
  std::vector<std::uint8_t> site;
  static constexpr std::uint8_t kActiveBit = 0x80;
  static constexpr std::uint8_t Code(Type t, bool is_active = false) {
    return static_cast<std::uint8_t>((t + 1) | (is_active ? kActiveBit : 0));
  }
  // Agents (struct of arrays).
  std::vector<std::uint8_t> type, active, fled;
  std::vector<std::int32_t> pos;  // -1: off the grid (dead, detained, left)
  std::vector<float> h, r;
  std::vector<std::int16_t> home_area;  // interveners under safe-areas: their area, else -1
  std::vector<std::int32_t> leaders;    // ids of leaders (alive or not: check pos)
  // State.
  int t = 0;
  bool announced = false, arrived = false, accelerating = false;
  double revenge = 0;
  int band_lo = 0, band_hi = 0;
  std::vector<std::uint8_t> area_guarded;
  int active_perps_prev = 0;
  MaroOutcome out;
  int kills_today = 0;
  // Civilians perceive the situation as it was at the start of the day: per
  // site, the active perpetrators and the interveners within civilian vision.
  std::vector<std::uint16_t> threat_map, guard_map;
  static constexpr int kRiskTable = 256;
  double risk_table[kRiskTable];

  void BuildMaps() {
    std::fill(threat_map.begin(), threat_map.end(), 0);
    std::fill(guard_map.begin(), guard_map.end(), 0);
    const int v = s.civilian_vision;
    for (std::size_t i = 0; i < type.size(); ++i) {
      if (pos[i] < 0) continue;
      std::vector<std::uint16_t>* m = nullptr;
      if ((type[i] == kRankAndFile || type[i] == kLeader) && active[i]) m = &threat_map;
      if (type[i] == kIntervener) m = &guard_map;
      if (!m) continue;
      const int x = X(pos[i]), y = Y(pos[i]);
      for (int yy = std::max(0, y - v); yy <= std::min(H - 1, y + v); ++yy) {
        std::uint16_t* row = m->data() + static_cast<std::size_t>(yy) * W;
        for (int xx = std::max(0, x - v); xx <= std::min(W - 1, x + v); ++xx) ++row[xx];
      }
      (*m)[pos[i]] -= 1;  // not the site itself
    }
  }

  World(const Scenario& sc, std::uint64_t seed) : s(sc), rng(seed), W(sc.width), H(sc.height) {
    occ.assign(static_cast<std::size_t>(W) * H, -1);
    site.assign(occ.size(), 0);
    band_lo = W / 2 - s.buffer_width / 2;
    band_hi = band_lo + s.buffer_width;
    area_guarded.assign(s.safe_areas.size(), 0);
    threat_map.assign(occ.size(), 0);
    guard_map.assign(occ.size(), 0);
    for (int n = 0; n < kRiskTable; ++n) risk_table[n] = 1.0 - std::exp(-s.k * n);
  }

  int X(std::int32_t p) const { return p % W; }
  int Y(std::int32_t p) const { return p / W; }
  bool InArea(std::int32_t p, const SafeArea& a) const {
    return std::abs(X(p) - a.x) <= a.radius && std::abs(Y(p) - a.y) <= a.radius;
  }
  int AreaOf(std::int32_t p) const {
    for (std::size_t i = 0; i < s.safe_areas.size(); ++i) {
      if (InArea(p, s.safe_areas[i])) return static_cast<int>(i);
    }
    return -1;
  }
  bool SafeAreasOpen() const {
    return !s.safe_areas.empty() && (s.safe_areas_open || (s.posture == "safe-areas" && arrived && s.force_size > 0));
  }
  bool SeparationActive() const { return arrived && s.posture == "separation" && s.force_size > 0; }
  bool InBand(int x) const { return x >= band_lo && x < band_hi; }

  std::int32_t Add(Type ty, std::int32_t p) {
    const std::int32_t id = static_cast<std::int32_t>(type.size());
    type.push_back(ty);
    active.push_back(0);
    fled.push_back(0);
    pos.push_back(p);
    h.push_back(rng.UniformF());
    r.push_back(rng.UniformF());
    home_area.push_back(-1);
    occ[p] = id;
    site[p] = Code(ty);
    if (ty == kLeader) leaders.push_back(id);
    return id;
  }
  void Remove(std::int32_t id) {
    occ[pos[id]] = -1;
    site[pos[id]] = 0;
    pos[id] = -1;
  }
  void MoveTo(std::int32_t id, std::int32_t to) {
    occ[pos[id]] = -1;
    occ[to] = id;
    site[to] = site[pos[id]];
    site[pos[id]] = 0;
    pos[id] = to;
  }
  // After a change of type[id] or active[id].
  void Mark(std::int32_t id) { site[pos[id]] = Code(static_cast<Type>(type[id]), active[id] != 0); }

  // Random move: up to four probes of a random site within `radius`.
  template <typename Allowed>
  void RandomMove(std::int32_t id, int radius, Allowed allowed) {
    const int x = X(pos[id]), y = Y(pos[id]);
    for (int probe = 0; probe < 4; ++probe) {
      const int nx = x + rng.Between(-radius, radius), ny = y + rng.Between(-radius, radius);
      if (nx < 0 || ny < 0 || nx >= W || ny >= H) continue;
      const std::int32_t to = ny * W + nx;
      if (occ[to] >= 0 || !allowed(to)) continue;
      MoveTo(id, to);
      return;
    }
  }

  // Visits the sites within Moore radius `radius` of site p (not p itself),
  // row by row, empty ones included: fn(code, site) with the site's code.
  // The callers test for the (mostly rare) codes they want, which costs
  // fewer mispredicted branches than testing occupancy first.
  template <typename Fn>
  void Scan(std::int32_t p, int radius, Fn fn) const {
    const int x = X(p), y = Y(p);
    const int y0 = std::max(0, y - radius), y1 = std::min(H - 1, y + radius);
    const int x0 = std::max(0, x - radius), x1 = std::min(W - 1, x + radius);
    for (int yy = y0; yy <= y1; ++yy) {
      const std::uint8_t* row = site.data() + static_cast<std::size_t>(yy) * W;
      const std::int32_t base = yy * W;
      for (int xx = x0; xx <= x1; ++xx) {
        if (xx != x || yy != y) fn(row[xx], base + xx);
      }
    }
  }

  bool Protected(std::int32_t victim) const {
    const std::int32_t p = pos[victim];
    if (arrived && s.posture == "safe-areas") {
      const int a = AreaOf(p);
      if (a >= 0 && area_guarded[a]) return true;
    }
    if (!arrived || s.protection_radius == 0 || s.posture == "containment") return false;
    bool guarded = false;
    Scan(p, s.protection_radius, [&](std::uint8_t code, std::int32_t) { guarded |= code == Code(kIntervener); });
    return guarded;
  }

  double HateMedia() const {
    return std::min(s.hate_media_max, s.hate_media + s.hate_media_growth * t) * (1.0 - s.counter_media);
  }
  double Capacity() const { return s.capacity * (1.0 - s.sanctions); }

  void Deploy() {
    arrived = true;
    if (s.force_size == 0 || s.posture == "containment") return;
    const std::int64_t cells = static_cast<std::int64_t>(W) * H;
    for (int u = 0; u < s.force_size; ++u) {
      int area = -1;
      std::int32_t p = -1;
      for (int probe = 0; probe < 1000 && p < 0; ++probe) {
        std::int32_t c;
        if (s.posture == "safe-areas") {
          area = u % static_cast<int>(s.safe_areas.size());
          const SafeArea& a = s.safe_areas[area];
          const int x = std::clamp(a.x + rng.Between(-a.radius, a.radius), 0, W - 1);
          const int y = std::clamp(a.y + rng.Between(-a.radius, a.radius), 0, H - 1);
          c = y * W + x;
        } else if (s.posture == "separation") {
          c = static_cast<std::int32_t>(rng.Below(static_cast<std::uint32_t>(H))) * W + band_lo +
              static_cast<std::int32_t>(rng.Below(static_cast<std::uint32_t>(s.buffer_width)));
        } else {
          c = static_cast<std::int32_t>(rng.Below(static_cast<std::uint32_t>(cells)));
        }
        if (occ[c] < 0) p = c;
      }
      if (p < 0) {  // crowded: displace whoever is there (civilians step aside)
        for (std::int32_t c = 0; c < cells && p < 0; ++c) {
          if (occ[c] < 0) p = c;
        }
      }
      if (p < 0) break;
      const std::int32_t id = Add(kIntervener, p);
      home_area[id] = static_cast<std::int16_t>(area);
    }
  }

  void Victim(std::int32_t id) {
    if (!fled[id]) {
      const bool threat = threat_map[pos[id]] > 0;
      if (threat && rng.Chance(s.flee_probability)) {
        fled[id] = 1;
        ++out.displaced;
      } else {
        RandomMove(id, s.civilian_mobility, [](std::int32_t) { return true; });
        return;
      }
    }
    // Displaced: toward the nearest open safe area, else the nearest border.
    const std::int32_t p = pos[id];
    const int x = X(p), y = Y(p);
    int tx = x, ty = y;
    if (SafeAreasOpen()) {
      int best = 1 << 30;
      for (const auto& a : s.safe_areas) {
        const int d = std::max(std::abs(a.x - x), std::abs(a.y - y));
        if (d < best) best = d, tx = a.x, ty = a.y;
      }
      if (AreaOf(p) >= 0) {  // arrived: stay inside
        const int area = AreaOf(p);
        RandomMove(id, 1, [&](std::int32_t to) { return AreaOf(to) == area; });
        return;
      }
    } else {
      const int dl = x, dr = W - 1 - x, dt = y, db = H - 1 - y;
      const int m = std::min({dl, dr, dt, db});
      if (m == 0) {  // at the border: leaves as a refugee
        Remove(id);
        ++out.refugees;
        return;
      }
      if (m == dl) tx = 0; else if (m == dr) tx = W - 1; else if (m == dt) ty = 0; else ty = H - 1;
    }
    // Greedy step: the empty site within mobility closest to the target.
    auto score = [&](int px, int py) {
      return std::max(std::abs(tx - px), std::abs(ty - py)) * 4 + std::abs(tx - px) + std::abs(ty - py);
    };
    std::int32_t best_site = -1;
    int best = score(x, y);
    const int mob = s.civilian_mobility;
    for (int dy = -mob; dy <= mob; ++dy) {
      for (int dx = -mob; dx <= mob; ++dx) {
        const int nx = x + dx, ny = y + dy;
        if (nx < 0 || ny < 0 || nx >= W || ny >= H) continue;
        const std::int32_t c = ny * W + nx;
        if (occ[c] >= 0) continue;
        const int d = score(nx, ny);
        if (d < best) best = d, best_site = c;
      }
    }
    if (best_site >= 0) MoveTo(id, best_site);
  }

  // Grievance of a member of the perpetrators' group.
  double Grievance(std::int32_t id, double l_eff, bool intervener_seen) const {
    double g = h[id] * (1.0 - l_eff);
    if (arrived && s.force_size > 0 && (intervener_seen || s.posture == "containment")) {
      g += s.partiality * s.resistance * 0.5;
    }
    return g;
  }
  // 1 - exp(-k floor(num / den)) for num >= 0, den >= 1, from a table.
  double Risk(int num, int den) const {
    const int n = num / den;
    return n < kRiskTable ? risk_table[n] : 1.0 - std::exp(-s.k * n);
  }
  double ArrestRisk(int deterrers, int actives) const {
    double p = Risk(deterrers, actives);
    if (arrived && s.posture == "containment" && s.force_size > 0) {
      const double strikes = s.force_size * s.strike_rate;
      p = std::max(p, 1.0 - std::exp(-strikes / (active_perps_prev + 1.0)));
    }
    return p;
  }

  void Bystander(std::int32_t id, double l_eff) {
    RandomMove(id, s.civilian_mobility, [](std::int32_t) { return true; });
    const int interveners = guard_map[pos[id]], actives = 1 + threat_map[pos[id]];
    const double net = Grievance(id, l_eff, interveners > 0) - r[id] * ArrestRisk(interveners, actives);
    if (net > s.recruit_threshold && rng.Chance(s.recruit_probability * Capacity() / std::max(1e-9, s.capacity))) {
      type[id] = kRankAndFile;
      Mark(id);
      ++out.recruited;
    }
  }

  void Perpetrator(std::int32_t id, double l_eff) {
    const bool sep = SeparationActive();
    int mob = static_cast<int>(std::lround(s.perpetrator_mobility * (1.0 - s.no_fly)));
    mob = std::max(1, mob);
    RandomMove(id, mob, [&](std::int32_t to) { return !sep || !InBand(X(to)); });
    const std::int32_t p = pos[id];
    int interveners = 0, actives = 1;
    std::int32_t targets[1025];  // one spare: a slot is written before it is counted
    int nt = 0;
    std::int32_t inter_ids[256];
    int ni = 0;
    const int x = X(p);
    Scan(p, s.perpetrator_vision, [&](std::uint8_t code, std::int32_t c) {
      if (code == Code(kIntervener)) {
        ++interveners;
        if (ni < 256) inter_ids[ni++] = occ[c];
      }
      actives += code == Code(kRankAndFile, true) || code == Code(kLeader, true);
      // Victims (not across the buffer), without a branch: they are common.
      targets[nt] = occ[c];
      nt += code == Code(kVictim) && nt < 1024 && !(sep && ((x < band_lo) != (X(c) < band_lo)));
    });
    double threshold = type[id] == kLeader ? s.leader_threshold : s.rank_and_file_threshold;
    if (type[id] == kRankAndFile && s.command_effect > 0) {
      const int y = Y(p);
      for (std::int32_t l : leaders) {
        if (pos[l] < 0) continue;
        if (std::max(std::abs(X(pos[l]) - x), std::abs(Y(pos[l]) - y)) <= s.command_radius) {
          threshold -= s.command_effect;
          break;
        }
      }
    }
    if (accelerating) threshold -= s.acceleration;
    const double net = Grievance(id, l_eff, interveners > 0) - r[id] * ArrestRisk(interveners, actives);
    active[id] = net > threshold;
    Mark(id);
    if (!active[id]) {
      if (type[id] == kRankAndFile && net < -s.desertion_margin && rng.Chance(s.desertion_probability)) {
        type[id] = kBystander;
        Mark(id);
        ++out.deserted;
      }
      return;
    }
    // Resistance against a partial intervener.
    if (ni > 0 && rng.Chance(s.partiality * s.resistance * 0.2)) {
      if (rng.Chance(0.5 * Capacity())) {
        Remove(inter_ids[rng.Below(static_cast<std::uint32_t>(ni))]);
        ++out.intervener_casualties;
      }
      return;
    }
    if (nt == 0) return;
    double pk = s.kill_probability * Capacity() * (accelerating ? 1.0 + s.acceleration : 1.0);
    if (!rng.Chance(std::min(1.0, pk))) return;
    // A random target that is not protected (a few tries).
    for (int tries = 0; tries < 3; ++tries) {
      const std::int32_t v = targets[rng.Below(static_cast<std::uint32_t>(nt))];
      if (pos[v] < 0 || Protected(v)) continue;
      Remove(v);
      ++out.civilian_deaths;
      ++kills_today;
      return;
    }
  }

  void SelfDefence(std::int32_t id) {
    RandomMove(id, s.civilian_mobility, [](std::int32_t) { return true; });
    std::int32_t targets[512];
    int nt = 0, friends = 1, perps = 0;
    Scan(pos[id], s.civilian_vision, [&](std::uint8_t code, std::int32_t c) {
      const std::uint8_t plain = code & static_cast<std::uint8_t>(~kActiveBit);
      if (plain == Code(kRankAndFile) || plain == Code(kLeader)) {
        ++perps;
        if ((code & kActiveBit) && nt < 512) targets[nt++] = occ[c];
      }
      friends += plain == Code(kSelfDefence) || plain == Code(kIntervener);
    });
    if (nt == 0) {
      active[id] = 0;
      Mark(id);
      return;
    }
    const double risk = Risk(perps, friends);
    active[id] = h[id] - r[id] * risk > s.self_defence_threshold;
    Mark(id);
    if (active[id] && rng.Chance(s.self_defence_lethality)) {
      Remove(targets[rng.Below(static_cast<std::uint32_t>(nt))]);
      ++out.perpetrators_killed;
      revenge += s.revenge_effect;
    }
  }

  void Intervener(std::int32_t id) {
    const int area = home_area[id];
    if (area >= 0) {
      RandomMove(id, s.intervener_vision, [&](std::int32_t to) { return InArea(to, s.safe_areas[area]); });
    } else if (s.posture == "separation") {
      RandomMove(id, s.intervener_vision, [&](std::int32_t to) { return InBand(X(to)); });
    } else {
      RandomMove(id, s.intervener_vision, [](std::int32_t) { return true; });
    }
    std::int32_t targets[1024];
    int nt = 0;
    Scan(pos[id], s.intervener_vision, [&](std::uint8_t code, std::int32_t c) {
      if ((code == Code(kRankAndFile, true) || code == Code(kLeader, true)) && nt < 1024) targets[nt++] = occ[c];
    });
    if (nt == 0) return;
    if (rng.Chance(s.arrest_probability * (1.0 - 0.5 * s.partiality * s.resistance))) {
      Remove(targets[rng.Below(static_cast<std::uint32_t>(nt))]);
      ++out.detained;
    }
  }

  void Strikes() {
    std::vector<std::int32_t> act;
    for (std::size_t i = 0; i < type.size(); ++i) {
      if (pos[i] >= 0 && (type[i] == kRankAndFile || type[i] == kLeader) && active[i]) {
        act.push_back(static_cast<std::int32_t>(i));
      }
    }
    for (int u = 0; u < s.force_size && !act.empty(); ++u) {
      if (!rng.Chance(s.strike_rate)) continue;
      const std::uint32_t j = rng.Below(static_cast<std::uint32_t>(act.size()));
      Remove(act[j]);
      ++out.perpetrators_killed;
      act[j] = act.back();
      act.pop_back();
    }
  }
};

}  // namespace

MaroOutcome RunMaro(const Scenario& s, std::uint64_t seed, std::vector<MaroStep>* series) {
  World w(s, Rng(seed).Next());
  const std::int64_t cells = static_cast<std::int64_t>(s.width) * s.height;
  // Placement.
  std::vector<std::int32_t> west, east, all(cells);
  for (std::int32_t c = 0; c < cells; ++c) {
    all[c] = c;
    (c % s.width < s.width / 2 ? west : east).push_back(c);
  }
  auto shuffle = [&](std::vector<std::int32_t>& v) {
    for (std::size_t i = v.size(); i > 1; --i) std::swap(v[i - 1], v[w.rng.Below(static_cast<std::uint32_t>(i))]);
  };
  shuffle(all);
  shuffle(west);
  shuffle(east);
  const bool separated = s.layout == "separated";
  std::size_t wi = 0, ei = 0, ai = 0;
  auto place = [&](Type ty, double density, bool perp_side) {
    const std::int64_t n = std::llround(density * cells);
    for (std::int64_t i = 0; i < n; ++i) {
      std::int32_t c = -1;
      if (separated) {
        auto& v = perp_side ? west : east;
        auto& k = perp_side ? wi : ei;
        while (k < v.size() && w.occ[v[k]] >= 0) ++k;
        if (k < v.size()) c = v[k++];
      }
      if (c < 0) {
        while (ai < all.size() && w.occ[all[ai]] >= 0) ++ai;
        if (ai >= all.size()) return;
        c = all[ai++];
      }
      w.Add(ty, c);
    }
  };
  place(kLeader, s.leader_density, true);
  place(kRankAndFile, s.perpetrator_density, true);
  place(kSelfDefence, s.self_defence_density, false);
  place(kVictim, s.victim_density, false);
  place(kBystander, s.bystander_density, true);

  const bool intervention = s.force_size > 0;
  const int t_announce = s.decision_delay, t_arrive = s.decision_delay + s.deployment_delay;
  std::vector<int> daily;
  daily.reserve(s.steps);
  std::vector<std::int32_t> order;
  int last_kill = -1;
  for (w.t = 1; w.t <= s.steps; ++w.t) {
    if (intervention && w.t >= t_announce) w.announced = true;
    if (intervention && !w.arrived && w.t >= t_arrive) w.Deploy();
    w.accelerating = w.announced && !w.arrived;
    w.kills_today = 0;
    if (w.arrived && s.posture == "safe-areas") {
      std::fill(w.area_guarded.begin(), w.area_guarded.end(), 0);
      for (std::size_t i = 0; i < w.type.size(); ++i) {
        if (w.type[i] == kIntervener && w.pos[i] >= 0 && w.home_area[i] >= 0) w.area_guarded[w.home_area[i]] = 1;
      }
    }
    if (w.arrived && s.posture == "containment" && intervention) w.Strikes();
    w.BuildMaps();
    const double l_eff = std::clamp(s.legitimacy - w.revenge, 0.0, 1.0) * (1.0 - w.HateMedia());
    order.clear();
    for (std::size_t i = 0; i < w.type.size(); ++i) {
      if (w.pos[i] >= 0) order.push_back(static_cast<std::int32_t>(i));
    }
    for (std::size_t i = order.size(); i > 1; --i) std::swap(order[i - 1], order[w.rng.Below(static_cast<std::uint32_t>(i))]);
    w.out.agent_steps += static_cast<std::int64_t>(order.size());
    for (std::int32_t id : order) {
      if (w.pos[id] < 0) continue;
      switch (w.type[id]) {
        case kVictim: w.Victim(id); break;
        case kBystander: w.Bystander(id, l_eff); break;
        case kRankAndFile:
        case kLeader: w.Perpetrator(id, l_eff); break;
        case kSelfDefence: w.SelfDefence(id); break;
        case kIntervener: w.Intervener(id); break;
      }
    }
    int active_perps = 0, perps = 0, bystanders = 0, interveners = 0, sd = 0, victims_left = 0;
    for (std::size_t i = 0; i < w.type.size(); ++i) {
      if (w.pos[i] < 0) continue;
      switch (w.type[i]) {
        case kRankAndFile:
        case kLeader:
          ++perps;
          active_perps += w.active[i];
          break;
        case kBystander: ++bystanders; break;
        case kIntervener: ++interveners; break;
        case kSelfDefence: ++sd; break;
        case kVictim: victims_left += !w.fled[i]; break;
      }
    }
    w.active_perps_prev = active_perps;
    daily.push_back(w.kills_today);
    if (w.kills_today > 0) last_kill = w.t;
    if (series) {
      MaroStep st;
      st.step = w.t;
      st.kills = w.kills_today;
      st.deaths = w.out.civilian_deaths;
      st.displaced = w.out.displaced;
      st.active_perpetrators = active_perps;
      st.perpetrators = perps;
      st.bystanders = bystanders;
      st.interveners = interveners;
      st.self_defence = sd;
      series->push_back(st);
    }
    w.out.steps_run = w.t;
    // Nothing left to happen: no victim who has not fled and no active perpetrator.
    if (victims_left == 0 && active_perps == 0 && w.t - last_kill >= s.halt_window) break;
  }
  MaroOutcome o = w.out;
  int week = 0;
  for (std::size_t i = 0; i < daily.size(); ++i) {
    week += daily[i];
    if (i >= 7) week -= daily[i - 7];
    o.peak_weekly_kills = std::max(o.peak_weekly_kills, week);
  }
  o.escalated = o.peak_weekly_kills >= s.escalation_kills;
  if (last_kill < 0) {
    o.halted = true;
    o.time_to_halt = 0;
  } else if (o.steps_run - last_kill >= s.halt_window || o.steps_run < s.steps) {
    o.halted = true;
    o.time_to_halt = last_kill;
  } else {
    o.halted = false;
    o.time_to_halt = o.steps_run;
  }
  return o;
}

Distribution Summarize(std::vector<double> v) {
  Distribution d;
  if (v.empty()) return d;
  std::sort(v.begin(), v.end());
  double sum = 0;
  for (double x : v) sum += x;
  d.mean = sum / v.size();
  auto q = [&](double p) {  // linear interpolation (R type 7)
    const double h = (v.size() - 1) * p;
    const std::size_t lo = static_cast<std::size_t>(std::floor(h));
    const std::size_t hi = std::min(v.size() - 1, lo + 1);
    return v[lo] + (h - lo) * (v[hi] - v[lo]);
  };
  d.median = q(0.5);
  d.p05 = q(0.05);
  d.p95 = q(0.95);
  d.min = v.front();
  d.max = v.back();
  return d;
}

std::vector<MaroOutcome> RunEnsemble(const Scenario& s, int runs, std::uint64_t seed, int threads,
                                     const ProgressFn& progress) {
  std::vector<MaroOutcome> out(runs);
  std::atomic<int> done{0};
  std::mutex mu;
  ParallelFor(static_cast<std::size_t>(runs), threads, [&](std::size_t i) {
    out[i] = RunMaro(s, StreamKey(seed, i, 0x3A40));
    const int d = ++done;
    if (progress && (d % std::max(1, runs / 20) == 0 || d == runs)) {
      std::lock_guard<std::mutex> lock(mu);
      progress(static_cast<std::size_t>(d), static_cast<std::size_t>(runs), "runs");
    }
  });
  return out;
}

EnsembleSummary SummarizeEnsemble(const std::vector<MaroOutcome>& o) {
  EnsembleSummary s;
  s.runs = static_cast<int>(o.size());
  std::vector<double> deaths, displaced, halt, peak, cas;
  int esc = 0, halted = 0;
  for (const auto& x : o) {
    deaths.push_back(x.civilian_deaths);
    displaced.push_back(x.displaced);
    halt.push_back(x.time_to_halt);
    peak.push_back(x.peak_weekly_kills);
    cas.push_back(x.intervener_casualties);
    esc += x.escalated;
    halted += x.halted;
    s.agent_steps += x.agent_steps;
  }
  s.civilian_deaths = Summarize(deaths);
  s.displaced = Summarize(displaced);
  s.time_to_halt = Summarize(halt);
  s.peak_weekly_kills = Summarize(peak);
  s.intervener_casualties = Summarize(cas);
  if (!o.empty()) {
    s.p_escalation = static_cast<double>(esc) / o.size();
    s.p_halted = static_cast<double>(halted) / o.size();
  }
  return s;
}

nlohmann::json ToJson(const Distribution& d) {
  return {{"mean", d.mean}, {"median", d.median}, {"p05", d.p05}, {"p95", d.p95}, {"min", d.min}, {"max", d.max}};
}

nlohmann::json ToJson(const EnsembleSummary& s) {
  return {{"runs", s.runs},
          {"civilian_deaths", ToJson(s.civilian_deaths)},
          {"displaced", ToJson(s.displaced)},
          {"time_to_halt", ToJson(s.time_to_halt)},
          {"peak_weekly_kills", ToJson(s.peak_weekly_kills)},
          {"intervener_casualties", ToJson(s.intervener_casualties)},
          {"p_escalation", s.p_escalation},
          {"p_halted", s.p_halted},
          {"agent_steps", s.agent_steps},
          {"seconds", s.seconds}};
}

nlohmann::json ToJson(const MaroOutcome& o) {
  return {{"civilian_deaths", o.civilian_deaths}, {"displaced", o.displaced},
          {"refugees", o.refugees},               {"halted", o.halted},
          {"time_to_halt", o.time_to_halt},       {"escalated", o.escalated},
          {"peak_weekly_kills", o.peak_weekly_kills}, {"recruited", o.recruited},
          {"deserted", o.deserted},               {"detained", o.detained},
          {"perpetrators_killed", o.perpetrators_killed}, {"intervener_casualties", o.intervener_casualties},
          {"steps_run", o.steps_run}};
}

}  // namespace vigil::sim
