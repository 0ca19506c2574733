// vigil sim: the multiparty escalation simulator (src/sim, docs/sim.md).
//   sim run SCENARIO        outcome distributions of a scenario over many runs
//   sim compare SCENARIO    the same for several options (levers), common seeds
//   sim sweep SCENARIO      sensitivity over one or two parameters
//   sim epstein             Epstein's Model I or II, per-step CSV/JSON
//   sim throughput          Model I speed at the classic densities
#include <fmt/format.h>

#include <chrono>
#include <cmath>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <sstream>

#include "app/case_service.h"
#include "assess/case.h"
#include "cli/cli.h"
#include "core/csv.h"
#include "options/option_repo.h"
#include "core/parallel.h"
#include "sim/charts.h"
#include "sim/epstein.h"
#include "sim/levers.h"
#include "sim/maro.h"
#include "sim/rng.h"

namespace vigil::cli {

namespace {

// A swept value as a CSV cell: numbers as numbers, anything else as text.
std::string CsvValue(const nlohmann::json& v) {
  if (v.is_number()) return v.dump();
  return CsvField(v.is_string() ? v.get<std::string>() : v.dump());
}

using nlohmann::json;

struct EnsembleArgs {
  std::string scenario;
  int runs = 200;
  std::uint64_t seed = 1;
  int threads = DefaultThreads();
  std::string json_file, csv_file, svg_file, series_file;
  std::vector<std::string> options;
  std::string case_query;  // compare: the option packages of this case
  std::string param, values, param2, values2;
};

Result<sim::Scenario> LoadScenarioArg(const std::string& arg) {
  if (arg == "default") return sim::DefaultScenario();
  return sim::LoadScenario(arg);
}

double Seconds(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

std::string Dist(const sim::Distribution& d) {
  return fmt::format("{:8.1f} {:8.1f}  {:<14}", d.mean, d.median, fmt::format("[{:.0f}, {:.0f}]", d.p05, d.p95));
}

void PrintSummaryHeader() {
  std::cout << fmt::format("{:<22} {:>35} {:>35} {:>35} {:>6} {:>6}\n", "", "civilian deaths", "displaced",
                           "day killing halted", "P(esc)", "P(halt)");
  std::cout << fmt::format("{:<22} {:>35} {:>35} {:>35}\n", "option", "mean   median  [90% interval]",
                           "mean   median  [90% interval]", "mean   median  [90% interval]");
}
void PrintSummaryRow(const std::string& name, const sim::EnsembleSummary& s) {
  std::cout << fmt::format("{:<22} {:>35} {:>35} {:>35} {:>6.2f} {:>6.2f}\n", name, Dist(s.civilian_deaths),
                           Dist(s.displaced), Dist(s.time_to_halt), s.p_escalation, s.p_halted);
}

std::string OutcomeCsvHeader() {
  return "option,run,civilian_deaths,displaced,refugees,halted,time_to_halt,escalated,peak_weekly_kills,recruited,"
         "deserted,detained,perpetrators_killed,intervener_casualties,steps_run\n";
}
std::string OutcomeCsvRow(const std::string& option, int run, const sim::MaroOutcome& o) {
  return fmt::format("{},{},{},{},{},{},{},{},{},{},{},{},{},{},{}\n", option, run, o.civilian_deaths, o.displaced,
                     o.refugees, o.halted ? 1 : 0, o.time_to_halt, o.escalated ? 1 : 0, o.peak_weekly_kills,
                     o.recruited, o.deserted, o.detained, o.perpetrators_killed, o.intervener_casualties, o.steps_run);
}

// Writes j to `file` (when one is given), then prints it under --json.
Status EmitJson(const Context& ctx, const std::string& file, const json& j) {
  if (!file.empty()) VIGIL_RETURN_IF_ERROR(WriteJsonFile(file, j));
  if (ctx.json) PrintJson(j);
  return Status::Ok();
}

Status WriteOutputs(Context& ctx, const EnsembleArgs& a, const json& j, const std::string& csv,
                    const std::string& svg) {
  if (!a.json_file.empty()) VIGIL_RETURN_IF_ERROR(WriteJsonFile(a.json_file, j));
  if (!a.csv_file.empty()) VIGIL_RETURN_IF_ERROR(WriteTextFile(a.csv_file, csv));
  if (!a.svg_file.empty()) VIGIL_RETURN_IF_ERROR(WriteTextFile(a.svg_file, svg));
  if (ctx.json) PrintJson(j);
  return Status::Ok();
}

int RunRun(Context& ctx, const EnsembleArgs& a) {
  VIGIL_ASSIGN_OR_RETURN_CLI(sim::Scenario s, LoadScenarioArg(a.scenario));
  const auto t0 = std::chrono::steady_clock::now();
  auto outcomes = sim::RunEnsemble(s, a.runs, a.seed, a.threads, ctx.Progress("sim run"));
  auto sum = sim::SummarizeEnsemble(outcomes);
  sum.seconds = Seconds(t0);
  std::vector<sim::MaroStep> series;
  sim::RunMaro(s, sim::StreamKey(a.seed, 0, 0x3A40), &series);  // run 0 again, with its per-day series
  json j = {{"scenario", s.name}, {"seed", a.seed}, {"summary", sim::ToJson(sum)}, {"runs", json::array()}};
  std::string csv = OutcomeCsvHeader();
  for (int i = 0; i < a.runs; ++i) {
    j["runs"].push_back(sim::ToJson(outcomes[i]));
    csv += OutcomeCsvRow(CsvField(s.name), i, outcomes[i]);
  }
  std::vector<double> x;
  sim::Series deaths{"civilian deaths", {}, {}, {}}, displaced{"displaced", {}, {}, {}},
      perps{"active perpetrators", {}, {}, {}};
  for (const auto& st : series) {
    x.push_back(st.step);
    deaths.y.push_back(st.deaths);
    displaced.y.push_back(st.displaced);
    perps.y.push_back(st.active_perpetrators);
  }
  if (!a.series_file.empty()) {
    std::string sc = "step,kills,deaths,displaced,active_perpetrators,perpetrators,bystanders,interveners,self_defence\n";
    for (const auto& st : series) {
      sc += fmt::format("{},{},{},{},{},{},{},{},{}\n", st.step, st.kills, st.deaths, st.displaced,
                        st.active_perpetrators, st.perpetrators, st.bystanders, st.interveners, st.self_defence);
    }
    Status st = WriteTextFile(a.series_file, sc);
    if (!st.ok()) return Fail(st);
  }
  const std::string svg = sim::LineChart(fmt::format("{}: run 0 (seed {})", s.name, a.seed), "day", "people",
                                         x, {deaths, displaced, perps});
  Status st = WriteOutputs(ctx, a, j, csv, svg);
  if (!st.ok()) return Fail(st);
  if (!ctx.json) {
    std::cout << fmt::format("scenario {}: {} runs, seed {}, {:.2f} s ({} threads)\n", s.name, a.runs, a.seed,
                             sum.seconds, a.threads);
    PrintSummaryHeader();
    PrintSummaryRow(s.name, sum);
    std::cout << "P(esc): share of runs with at least " << s.escalation_kills
              << " killings within 7 days; halted: no killing for " << s.halt_window
              << " days (unhalted runs count the last day)\n";
  }
  return kExitOk;
}

int RunCompare(Context& ctx, const EnsembleArgs& a) {
  VIGIL_ASSIGN_OR_RETURN_CLI(sim::Scenario base, LoadScenarioArg(a.scenario));
  std::vector<sim::SimOption> opts;
  std::vector<sim::Scenario> scenarios;
  for (const auto& name : a.options) {
    VIGIL_ASSIGN_OR_RETURN_CLI(sim::SimOption o, sim::ResolveOption(name, base));
    VIGIL_ASSIGN_OR_RETURN_CLI(sim::Scenario s, sim::ApplyOption(base, o));
    opts.push_back(std::move(o));
    scenarios.push_back(std::move(s));
  }
  if (!a.case_query.empty()) {
    // The case's option packages, their tools and military approach mapped to levers.
    VIGIL_ASSIGN_OR_RETURN_CLI(store::Db * db, ctx.Db());
    VIGIL_ASSIGN_OR_RETURN_CLI(Principal who, ctx.Who());
    VIGIL_ASSIGN_OR_RETURN_CLI(assess::Case c, app::FindCaseFor(*db, who, a.case_query, "case.read"));
    options::OptionRepo repo(*db);
    VIGIL_ASSIGN_OR_RETURN_CLI(std::vector<options::OptionPackage> packages, repo.ListOptions(c.id, false));
    if (packages.empty()) {
      return Fail(Status::FailedPrecondition(
          fmt::format("--case: case {} has no options; run vigil options generate {}", c.slug, c.slug)));
    }
    for (const auto& p : packages) {
      sim::SimOption o = sim::OptionFromPackage(p, base);
      o.name = fmt::format("option-{}", p.number);
      if (o.description.empty()) o.description = p.title;
      VIGIL_ASSIGN_OR_RETURN_CLI(sim::Scenario s, sim::ApplyOption(base, o));
      opts.push_back(std::move(o));
      scenarios.push_back(std::move(s));
    }
  }
  if (opts.empty()) return Fail(Status::InvalidArgument("compare: give --option NAME (repeat) and/or --case CASE"));
  const auto t0 = std::chrono::steady_clock::now();
  json j = {{"scenario", base.name}, {"seed", a.seed}, {"runs", a.runs}, {"options", json::array()}};
  std::string csv = OutcomeCsvHeader();
  std::vector<sim::EnsembleSummary> sums;
  std::vector<sim::IntervalBar> bars;
  for (std::size_t k = 0; k < opts.size(); ++k) {
    const auto tk = std::chrono::steady_clock::now();
    // The same seeds for every option (common random numbers).
    auto outcomes = sim::RunEnsemble(scenarios[k], a.runs, a.seed, a.threads, ctx.Progress("sim " + opts[k].name));
    auto sum = sim::SummarizeEnsemble(outcomes);
    sum.seconds = Seconds(tk);
    for (int i = 0; i < a.runs; ++i) csv += OutcomeCsvRow(CsvField(opts[k].name), i, outcomes[i]);
    json settings = json::object();
    for (const auto& [path, v] : opts[k].settings) settings[path] = v;
    j["options"].push_back({{"name", opts[k].name},
                            {"description", opts[k].description},
                            {"settings", settings},
                            {"because", opts[k].because},
                            {"summary", sim::ToJson(sum)}});
    bars.push_back({opts[k].name, sum.civilian_deaths.mean, sum.civilian_deaths.p05, sum.civilian_deaths.p95});
    sums.push_back(sum);
  }
  const double total = Seconds(t0);
  j["seconds"] = total;
  const std::string svg = sim::IntervalBarChart(
      fmt::format("{}: civilian deaths by option ({} runs each)", base.name, a.runs), "civilian deaths", bars);
  Status st = WriteOutputs(ctx, a, j, csv, svg);
  if (!st.ok()) return Fail(st);
  if (!ctx.json) {
    std::cout << fmt::format("scenario {}: {} options x {} runs, seed {}, {:.2f} s ({} threads)\n", base.name,
                             opts.size(), a.runs, a.seed, total, a.threads);
    PrintSummaryHeader();
    for (std::size_t k = 0; k < opts.size(); ++k) PrintSummaryRow(opts[k].name, sums[k]);
  }
  return kExitOk;
}

Result<std::vector<json>> ParseValues(const std::string& text, const std::string& option) {
  std::vector<json> out;
  std::stringstream ss(text);
  std::string item;
  while (std::getline(ss, item, ',')) {
    if (item.empty()) continue;
    json v = json::parse(item, nullptr, false);
    if (v.is_discarded()) v = item;  // a bare word, e.g. a posture
    out.push_back(v);
  }
  if (out.empty()) return Status::InvalidArgument(option + ": no values (give a comma-separated list, e.g. 0,10,20)");
  return out;
}

int RunSweep(Context& ctx, const EnsembleArgs& a) {
  VIGIL_ASSIGN_OR_RETURN_CLI(sim::Scenario base, LoadScenarioArg(a.scenario));
  VIGIL_ASSIGN_OR_RETURN_CLI(auto v1, ParseValues(a.values, "--values"));
  std::vector<json> v2 = {json()};
  if (!a.param2.empty()) {
    if (a.values2.empty()) return Fail(Status::InvalidArgument("--param2 needs --values2"));
    VIGIL_ASSIGN_OR_RETURN_CLI(v2, ParseValues(a.values2, "--values2"));
  }
  // Check every combination before running any.
  std::vector<sim::Scenario> cells;
  for (const auto& y : v2) {
    for (const auto& x : v1) {
      auto s = sim::WithParam(base, sim::LeverPath(a.param), x);
      if (!s.ok()) return Fail(s.status().WithContext("--param " + a.param));
      if (!a.param2.empty()) {
        s = sim::WithParam(*s, sim::LeverPath(a.param2), y);
        if (!s.ok()) return Fail(s.status().WithContext("--param2 " + a.param2));
      }
      cells.push_back(*s);
    }
  }
  const auto t0 = std::chrono::steady_clock::now();
  json j = {{"scenario", base.name}, {"param", sim::LeverPath(a.param)}, {"runs", a.runs}, {"cells", json::array()}};
  if (!a.param2.empty()) j["param2"] = sim::LeverPath(a.param2);
  std::string csv = fmt::format("{},{}mean_deaths,median_deaths,p05_deaths,p95_deaths,mean_displaced,"
                                "mean_time_to_halt,p_escalation,p_halted\n",
                                sim::LeverPath(a.param), a.param2.empty() ? "" : sim::LeverPath(a.param2) + ",");
  std::vector<double> xs;
  bool numeric = true;
  for (const auto& x : v1) numeric = numeric && x.is_number();
  for (std::size_t i = 0; i < v1.size(); ++i) xs.push_back(numeric ? v1[i].get<double>() : static_cast<double>(i));
  std::vector<sim::Series> series;
  if (!ctx.json) {
    std::cout << fmt::format("{:<30} {:<30}\n{:<14} {:<14} {:>33} {:>10} {:>10} {:>6}\n", sim::LeverPath(a.param),
                             a.param2.empty() ? "" : sim::LeverPath(a.param2), "value", a.param2.empty() ? "" : "value2",
                             "deaths: mean median [90%]", "displaced", "halt day", "P(esc)");
  }
  auto progress = ctx.Progress("sim sweep");
  std::size_t c = 0;
  for (std::size_t yi = 0; yi < v2.size(); ++yi) {
    sim::Series se;
    se.name = a.param2.empty() ? "civilian deaths" : fmt::format("{} = {}", a.param2, v2[yi].dump());
    for (std::size_t xi = 0; xi < v1.size(); ++xi, ++c) {
      auto sum = sim::SummarizeEnsemble(sim::RunEnsemble(cells[c], a.runs, a.seed, a.threads));
      if (progress) progress(c + 1, cells.size(), "cells");
      json cell = {{"value", v1[xi]}, {"summary", sim::ToJson(sum)}};
      if (!a.param2.empty()) cell["value2"] = v2[yi];
      j["cells"].push_back(cell);
      csv += fmt::format("{},{}{},{},{},{},{},{},{},{}\n", CsvValue(v1[xi]),
                         a.param2.empty() ? "" : CsvValue(v2[yi]) + ",",
                         sum.civilian_deaths.mean, sum.civilian_deaths.median, sum.civilian_deaths.p05,
                         sum.civilian_deaths.p95, sum.displaced.mean, sum.time_to_halt.mean, sum.p_escalation,
                         sum.p_halted);
      se.y.push_back(sum.civilian_deaths.mean);
      se.lo.push_back(sum.civilian_deaths.p05);
      se.hi.push_back(sum.civilian_deaths.p95);
      if (!ctx.json) {
        std::cout << fmt::format("{:<14} {:<14} {:>35} {:>10.1f} {:>10.1f} {:>6.2f}\n", v1[xi].dump(),
                                 a.param2.empty() ? "" : v2[yi].dump(), Dist(sum.civilian_deaths),
                                 sum.displaced.mean, sum.time_to_halt.mean, sum.p_escalation);
      }
    }
    series.push_back(std::move(se));
  }
  j["seconds"] = Seconds(t0);
  const std::string svg = sim::LineChart(
      fmt::format("{}: civilian deaths over {} (mean, 90% band)", base.name, sim::LeverPath(a.param)),
      numeric ? sim::LeverPath(a.param) : sim::LeverPath(a.param) + " (value index)", "civilian deaths", xs, series);
  Status st = WriteOutputs(ctx, a, j, csv, svg);
  if (!st.ok()) return Fail(st);
  return kExitOk;
}

struct EpsteinArgs {
  sim::EpsteinParams p;
  int threads = 1;
  std::string csv_file, json_file;
  std::vector<std::string> legitimacy_at, legitimacy_ramp;
};

// "STEP:VALUE" and "FROM:TO:VALUE" legitimacy changes (Model I).
Status AddLegitimacyChanges(EpsteinArgs& a) {
  auto fields = [](const std::string& text, std::size_t n, const char* what) -> Result<std::vector<double>> {
    std::vector<double> out;
    std::size_t start = 0;
    for (;;) {
      const std::size_t colon = text.find(':', start);
      const std::string part = text.substr(start, colon == std::string::npos ? std::string::npos : colon - start);
      char* end = nullptr;
      const double v = std::strtod(part.c_str(), &end);
      if (part.empty() || end == nullptr || *end != '\0') break;
      out.push_back(v);
      if (colon == std::string::npos) break;
      start = colon + 1;
    }
    bool whole_steps = out.size() == n;
    for (std::size_t i = 0; i + 1 < out.size(); ++i) whole_steps = whole_steps && out[i] == std::floor(out[i]);
    if (!whole_steps) {
      return Status::InvalidArgument(fmt::format("{} '{}': expected {} (steps are whole numbers)", what, text,
                                                 n == 2 ? "STEP:VALUE" : "FROM:TO:VALUE"));
    }
    return out;
  };
  for (const auto& t : a.legitimacy_at) {
    VIGIL_ASSIGN_OR_RETURN(auto f, fields(t, 2, "--legitimacy-at"));
    a.p.legitimacy_schedule.push_back({static_cast<int>(f[0]), f[1], -1});
  }
  for (const auto& t : a.legitimacy_ramp) {
    VIGIL_ASSIGN_OR_RETURN(auto f, fields(t, 3, "--legitimacy-ramp"));
    VIGIL_RETURN_IF_ERROR(sim::AddLegitimacyRamp(a.p, static_cast<int>(f[0]), static_cast<int>(f[1]), f[2]));
  }
  return Status::Ok();
}

int RunEpsteinCmd(Context& ctx, EpsteinArgs& a) {
  if (Status c = AddLegitimacyChanges(a); !c.ok()) return Fail(c);
  Status v = sim::ValidateEpstein(a.p);
  if (!v.ok()) return Fail(v);
  std::ofstream csv;
  if (!a.csv_file.empty()) {
    csv.open(a.csv_file, std::ios::binary);
    if (!csv) return Fail(Status::IoError(a.csv_file + ": cannot write"));
    csv << sim::EpsteinCsvHeader(a.p.model) << "\n";
  }
  auto progress = ctx.Progress(fmt::format("epstein model {}", a.p.model));
  json steps = json::array();
  const auto t0 = std::chrono::steady_clock::now();
  auto run = sim::RunEpstein(a.p, a.threads, [&](const sim::EpsteinStep& s) {
    if (csv.is_open()) csv << sim::EpsteinCsvRow(s, a.p.model) << "\n";  // streamed as produced
    if (!a.json_file.empty() || ctx.json) {
      steps.push_back({{"step", s.step}, {"quiet", {s.quiet[0], s.quiet[1]}}, {"active", {s.active[0], s.active[1]}},
                       {"jailed", {s.jailed[0], s.jailed[1]}}, {"cops", s.cops}, {"arrests", s.arrests},
                       {"killed", {s.kills[0], s.kills[1]}}, {"births", {s.births[0], s.births[1]}},
                       {"deaths", {s.deaths[0], s.deaths[1]}}, {"legitimacy", {s.legitimacy[0], s.legitimacy[1]}}});
    }
    if (progress && (s.step % 50 == 0 || s.step == a.p.steps)) progress(s.step, a.p.steps, "steps");
  });
  if (!run.ok()) return Fail(run.status());
  const double secs = Seconds(t0);
  if (csv.is_open()) {
    csv.close();
    if (!csv) return Fail(Status::IoError(a.csv_file + ": write failed"));
    if (Status st = FinishExport(a.csv_file); !st.ok()) return Fail(st);
  }
  int peak = 0, peak_step = 0;
  for (const auto& s : run->series) {
    if (s.Active() > peak) peak = s.Active(), peak_step = s.step;
  }
  json j = {{"model", a.p.model}, {"width", a.p.width}, {"height", a.p.height}, {"steps", a.p.steps},
            {"seed", a.p.seed}, {"agents", run->agents}, {"seconds", secs}, {"peak_active", peak},
            {"peak_step", peak_step}, {"series", steps}};
  Status st = EmitJson(ctx, a.json_file, j);
  if (!st.ok()) return Fail(st);
  if (!ctx.json) {
    const auto& last = run->series.empty() ? sim::EpsteinStep() : run->series.back();
    std::cout << fmt::format("Epstein model {}: {}x{}, {} agents, {} steps in {:.2f} s; peak actives {} at step {}\n",
                             a.p.model, a.p.width, a.p.height, run->agents, a.p.steps, secs, peak, peak_step);
    if (a.p.model == 1) {
      std::cout << fmt::format("last step: quiet {}, active {}, jailed {}\n", last.quiet[0], last.active[0],
                               last.jailed[0]);
    } else {
      std::cout << fmt::format("last step: group 0 {} (active {}), group 1 {} (active {}), peacekeepers {}\n",
                               last.Population(0), last.active[0], last.Population(1), last.active[1], last.cops);
    }
  }
  return kExitOk;
}

struct ThroughputArgs {
  int width = 1000, height = 1000, steps = 100, runs = 1, threads = DefaultThreads();
  std::uint64_t seed = 1;
  std::string json_file;
};

int RunThroughput(Context& ctx, const ThroughputArgs& a) {
  sim::EpsteinParams p;  // the classic densities: 0.7 agents, 0.04 cops, vision 7, L 0.82, Jmax 30
  p.width = a.width;
  p.height = a.height;
  p.steps = a.steps;
  p.seed = a.seed;
  Status v = sim::ValidateEpstein(p);
  if (!v.ok()) return Fail(v);
  std::vector<std::int64_t> agents(a.runs);
  const auto t0 = std::chrono::steady_clock::now();
  if (a.runs == 1) {
    auto r = sim::RunEpstein(p, a.threads);
    if (!r.ok()) return Fail(r.status());
    agents[0] = r->agents;
  } else {  // an ensemble: runs in parallel, each on one thread
    ParallelFor(static_cast<std::size_t>(a.runs), a.threads, [&](std::size_t i) {
      sim::EpsteinParams q = p;
      q.seed = sim::StreamKey(a.seed, i);
      auto r = sim::RunEpstein(q, 1);
      agents[i] = r.ok() ? r->agents : 0;
    });
  }
  const double secs = Seconds(t0);
  std::int64_t total = 0;
  for (auto n : agents) total += n;
  const double rate = static_cast<double>(total) * a.steps / std::max(secs, 1e-9);
  json j = {{"model", 1},           {"width", a.width},
            {"height", a.height},   {"runs", a.runs},
            {"threads", a.threads}, {"agents", total},
            {"steps", a.steps},     {"seconds", secs},
            {"agent_steps_per_second", rate}};
  Status st = EmitJson(ctx, a.json_file, j);
  if (!st.ok()) return Fail(st);
  if (!ctx.json) {
    std::cout << fmt::format("Model I {}x{}, {} run(s), {} threads: {} agents x {} steps in {:.3f} s = {:.3g} "
                             "agent-steps/s\n",
                             a.width, a.height, a.runs, a.threads, total, a.steps, secs, rate);
  }
  return kExitOk;
}

void AddEnsembleOptions(CLI::App* cmd, EnsembleArgs& a, int default_runs) {
  a.runs = default_runs;
  cmd->add_option("SCENARIO", a.scenario, "Scenario JSON file (see docs/sim.md), or 'default'")->required();
  cmd->add_option("--runs", a.runs, "Runs per scenario or option")->capture_default_str()->check(CLI::Range(1, 1000000));
  cmd->add_option("--seed", a.seed, "Seed of the ensemble (run i uses a stream derived from it)")->capture_default_str();
  cmd->add_option("--threads", a.threads, "Worker threads (results do not depend on it)")
      ->capture_default_str()
      ->check(CLI::Range(1, 1024));
  cmd->add_option("--json", a.json_file, "Write the results as JSON to FILE ('-' for stdout)");
  cmd->add_option("--csv", a.csv_file, "Write a CSV to FILE");
  cmd->add_option("--svg", a.svg_file, "Write an SVG chart to FILE");
}

}  // namespace

void RegisterSim(CLI::App& app, Context& ctx) {
  auto* sim_cmd = app.add_subcommand(
      "sim",
      "Multiparty escalation simulator for wargaming response options (MARO dynamics):\n"
      "agent-based, grounded in Epstein's civil violence models (docs/sim.md).");
  sim_cmd->require_subcommand(1);

  auto ra = std::make_shared<EnsembleArgs>();
  auto* run = sim_cmd->add_subcommand("run", "Outcome distributions of a scenario: civilian deaths, displaced, day "
                                             "killing halted, probability of escalation");
  AddEnsembleOptions(run, *ra, 200);
  run->add_option("--series", ra->series_file, "Write run 0's per-day series as CSV to FILE");
  run->callback([&ctx, ra] { SetExit(RunRun(ctx, *ra)); });

  auto ca = std::make_shared<EnsembleArgs>();
  auto* cmp = sim_cmd->add_subcommand(
      "compare", "Compare options on a scenario (same seeds for every option). An option is a built-in name\n"
                 "(baseline, no-intervention, rapid-deployment, large-force, safe-areas, separation, containment,\n"
                 "sanctions, counter-media, no-fly) or a JSON file {\"name\", \"levers\": {...}}.");
  AddEnsembleOptions(cmp, *ca, 1000);
  cmp->add_option("--option", ca->options, "Option name or file (repeat)");
  cmp->add_option("--case", ca->case_query,
                  "Also compare a case's option packages (vigil options generate), their DIME tools and military "
                  "approach mapped to levers (docs/sim.md)");
  cmp->callback([&ctx, ca] { SetExit(RunCompare(ctx, *ca)); });

  auto sa = std::make_shared<EnsembleArgs>();
  auto* sweep = sim_cmd->add_subcommand(
      "sweep", "Sensitivity of outcomes to one or two parameters (lever names such as deployment_delay, or\n"
               "scenario paths such as perpetrators.capacity)");
  AddEnsembleOptions(sweep, *sa, 200);
  sweep->add_option("--param", sa->param, "Parameter to vary")->required();
  sweep->add_option("--values", sa->values, "Comma-separated values, e.g. 0,15,30,60")->required();
  sweep->add_option("--param2", sa->param2, "A second parameter (one line per value in the chart)");
  sweep->add_option("--values2", sa->values2, "Values of the second parameter");
  sweep->callback([&ctx, sa] { SetExit(RunSweep(ctx, *sa)); });

  auto ea = std::make_shared<EpsteinArgs>();
  auto* ep = sim_cmd->add_subcommand("epstein", "Run Epstein's Model I (rebellion) or II (inter-group violence with "
                                                "peacekeepers); per-step CSV is streamed");
  ep->add_option("--model", ea->p.model, "1 or 2")->capture_default_str();
  ep->add_option("--width", ea->p.width, "Grid width")->capture_default_str();
  ep->add_option("--height", ea->p.height, "Grid height")->capture_default_str();
  ep->add_option("--steps", ea->p.steps, "Steps")->capture_default_str();
  ep->add_option("--seed", ea->p.seed, "Seed")->capture_default_str();
  ep->add_option("--agent-density", ea->p.agent_density, "Citizens per site")->capture_default_str();
  ep->add_option("--cop-density", ea->p.cop_density, "Cops (peacekeepers) per site")->capture_default_str();
  ep->add_option("--vision", ea->p.agent_vision, "Agent vision")->capture_default_str();
  ep->add_option("--cop-vision", ea->p.cop_vision, "Cop vision")->capture_default_str();
  ep->add_option("--vision-shape", ea->p.vision_shape, "moore or cross")->capture_default_str();
  ep->add_option("--legitimacy", ea->p.legitimacy, "Model I legitimacy L")->capture_default_str();
  auto* lg = ep->add_option("--group-legitimacy", ea->p.legitimacy_groups[0],
                            "Model II: each group's acceptance of the other (both groups)");
  ep->add_option("--legitimacy-at", ea->legitimacy_at,
                 "STEP:VALUE: legitimacy becomes VALUE at the start of STEP (a sudden change; repeatable)");
  ep->add_option("--legitimacy-ramp", ea->legitimacy_ramp,
                 "FROM:TO:VALUE: legitimacy moves linearly from its level at step FROM to VALUE at step TO "
                 "(a gradual change; repeatable)");
  ep->add_option("--max-jail", ea->p.max_jail, "Maximum jail term")->capture_default_str();
  ep->add_option("--birth-rate", ea->p.birth_rate, "Model II birth rate")->capture_default_str();
  ep->add_option("--max-age", ea->p.max_age, "Model II maximum age")->capture_default_str();
  ep->add_option("--threads", ea->threads, "Threads for a split grid")->capture_default_str()->check(CLI::Range(1, 1024));
  ep->add_option("--csv", ea->csv_file, "Stream per-step statistics as CSV to FILE");
  ep->add_option("--json", ea->json_file, "Write the run and its series as JSON to FILE ('-' for stdout)");
  ep->callback([&ctx, ea, lg] {
    if (lg->count() > 0) ea->p.legitimacy_groups[1] = ea->p.legitimacy_groups[0];
    SetExit(RunEpsteinCmd(ctx, *ea));
  });

  auto ta = std::make_shared<ThroughputArgs>();
  auto* tp = sim_cmd->add_subcommand("throughput", "Model I speed at the classic densities (0.7 agents, 0.04 cops, "
                                                   "vision 7, L 0.82, Jmax 30) in agent-steps per second");
  tp->add_option("--width", ta->width, "Grid width")->capture_default_str()->check(CLI::Range(3, 20000));
  tp->add_option("--height", ta->height, "Grid height")->capture_default_str()->check(CLI::Range(3, 20000));
  tp->add_option("--steps", ta->steps, "Steps")->capture_default_str()->check(CLI::Range(1, 10000000));
  tp->add_option("--runs", ta->runs, "Independent runs (an ensemble, in parallel)")
      ->capture_default_str()
      ->check(CLI::Range(1, 100000));
  tp->add_option("--threads", ta->threads, "Threads")->capture_default_str()->check(CLI::Range(1, 1024));
  tp->add_option("--seed", ta->seed, "Seed")->capture_default_str();
  tp->add_option("--json", ta->json_file, "Write {agents, steps, seconds, agent_steps_per_second} to FILE");
  tp->callback([&ctx, ta] { SetExit(RunThroughput(ctx, *ta)); });
}

}  // namespace vigil::cli
