// vigil-case-products: times the case briefing products (report/case_products.h)
// on a large synthetic case file in an in-memory database.
//
// The case is invented for the benchmark (200 actors with role histories,
// 2,000 score versions across every framework with dissents, 100 conflict
// assessment entries, 20 interests, 30 assumptions with status changes, 30
// CIRs); it is never stored anywhere. Prints the seconds to build the case,
// to load it (LoadCaseProductData with a Tab 10 range), and to render Tabs 1,
// 2 (full and brief), 3 and 10 as Markdown and HTML.
//
// usage: vigil-case-products [ACTORS [SCORES]]   (default 200 2000)
#include <fmt/format.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "assess/case.h"
#include "assess/frameworks.h"
#include "report/case_products.h"
#include "store/db.h"

namespace {

using namespace vigil;
using Clock = std::chrono::steady_clock;

double Since(Clock::time_point t) { return std::chrono::duration<double>(Clock::now() - t).count(); }

void Check(const Status& s, const char* what) {
  if (!s.ok()) {
    std::fprintf(stderr, "vigil-case-products: %s: %s\n", what, s.ToString().c_str());
    std::exit(1);
  }
}

// A date in 2024-01-01 .. 2026-12-28, spread by i.
std::string DateOf(int i) { return fmt::format("{}-{:02d}-{:02d}", 2024 + (i / 12) % 3, 1 + i % 12, 1 + (i * 7) % 28); }

}  // namespace

int main(int argc, char** argv) {
  const int n_actors = argc > 1 ? std::atoi(argv[1]) : 200;
  const int n_scores = argc > 2 ? std::atoi(argv[2]) : 2000;
  auto opened = store::Db::Open(":memory:");
  Check(opened.status(), "open");
  auto db = std::move(opened).value();
  assess::CaseRepo repo(*db);
  const std::string me = "bench";

  auto t0 = Clock::now();
  assess::Case c;
  c.title = "Synthetic benchmark case (invented)";
  c.region = "Synthetic region";
  c.scope = "Invented for the benchmark";
  auto created = repo.CreateCase(c, me);
  Check(created.status(), "create case");
  const std::int64_t id = created.value().id;
  Check(repo.EditCase(id,
                      {{"objective", "Benchmark"}, {"lead-agency", "Bench office"}, {"intent", "Time the products"},
                       {"timeline", "Now"}},
                      me),
        "guidance");
  for (int i = 0; i < 8; ++i) {
    assess::IptMember m;
    m.name = fmt::format("member {}", i);
    m.organization = fmt::format("org {}", i % 3);
    Check(repo.AddIptMember(id, m, me).status(), "ipt");
  }
  const int n_roles = static_cast<int>(std::size(assess::kActorRoles));
  std::vector<std::int64_t> actor_ids;
  for (int i = 0; i < n_actors; ++i) {
    assess::Actor a;
    a.name = fmt::format("actor {}", i);
    a.kind = assess::kActorKinds[i % 4];
    a.motivations = fmt::format("motive {}", i);
    a.means = "means";
    assess::ActorRole r;
    r.role = assess::kActorRoles[i % n_roles];
    r.from = DateOf(i);
    r.note = "initial role";
    a.roles.push_back(r);
    auto added = repo.AddActor(id, a, me);
    Check(added.status(), "actor");
    actor_ids.push_back(added.value().id);
    if (i % 3 == 0) {  // a change of category
      assess::ActorRole change;
      change.role = assess::kActorRoles[(i + 4) % n_roles];
      change.from = DateOf(i + 13);
      if (change.from < r.from) change.from = r.from;
      change.note = "changed role";
      Check(repo.AddActorRole(id, added.value().id, change, true, me).status(), "role");
    }
    if (i > 0 && i % 2 == 0) {
      assess::ActorRelation rel;
      rel.other_id = actor_ids[static_cast<std::size_t>(i / 2)];
      rel.kind = "supports";
      Check(repo.AddActorRelation(id, added.value().id, rel, me).status(), "relation");
    }
  }
  std::vector<std::pair<const assess::Framework*, const assess::FrameworkItem*>> items;
  for (const auto& fw : assess::Frameworks()) {
    for (const auto& it : fw.items) items.emplace_back(&fw, &it);
  }
  for (int i = 0; i < n_scores; ++i) {
    const auto& [fw, it] = items[static_cast<std::size_t>(i) % items.size()];
    assess::Score s;
    s.framework = fw->id;
    s.item = it->id;
    s.level = fw->scale.levels[static_cast<std::size_t>(i / 7) % fw->scale.levels.size()].id;
    s.as_of = DateOf(i);
    s.rationale = fmt::format("rationale {} for {}", i, it->id);
    s.evidence = {{"document", fmt::format("report {}", i % 50), ""}};
    std::string author = me;
    if (i % 5 == 4) {
      s.position = "dissent";
      author = fmt::format("dissenter {}", i % 3);
    }
    Check(repo.AddScore(id, s, author).status(), "score");
  }
  for (int i = 0; i < 100; ++i) {
    assess::AssessmentEntry e;
    e.section = assess::kAssessmentSections[static_cast<std::size_t>(i) % std::size(assess::kAssessmentSections)];
    e.text = fmt::format("Entry {}. A second sentence of entry {}.", i, i);
    e.as_of = DateOf(i);
    Check(repo.AddAssessmentEntry(id, e, me).status(), "assessment");
  }
  std::vector<std::int64_t> interest_ids;
  for (int i = 0; i < 20; ++i) {
    assess::Interest in;
    in.priority = 1 + i % 3;
    in.owner = fmt::format("owner {}", i % 4);
    in.text = fmt::format("interest {}", i);
    if (i % 4 == 3) in.conflicts_with = {interest_ids[static_cast<std::size_t>(i - 1)]};
    auto added = repo.AddInterest(id, in, me);
    Check(added.status(), "interest");
    interest_ids.push_back(added.value().id);
  }
  for (int i = 0; i < 30; ++i) {
    assess::Assumption a;
    a.text = fmt::format("assumption {}", i);
    a.as_of = DateOf(i);
    auto added = repo.AddAssumption(id, a, me);
    Check(added.status(), "assumption");
    if (i % 2 == 0) {
      Check(repo.SetAssumptionStatus(id, added.value().id, i % 4 == 0 ? "validated" : "invalidated", DateOf(i + 5),
                                     "checked", {}, me),
            "assumption status");
    }
  }
  for (int i = 0; i < 30; ++i) {
    assess::InformationRequirement q;
    q.question = fmt::format("question {}?", i);
    q.priority = 1 + i % 3;
    auto added = repo.AddCir(id, q, me);
    Check(added.status(), "cir");
    if (i % 3 == 0) Check(repo.AnswerCir(id, added.value().id, "answer", DateOf(i + 2), {}, me), "answer");
  }
  const double build_s = Since(t0);

  auto t1 = Clock::now();
  auto loaded = report::LoadCaseProductData(*db, id, "2025-01-01", "2025-12-31");
  Check(loaded.status(), "load");
  const report::CaseProductData& d = loaded.value();
  const double load_s = Since(t1);

  auto t2 = Clock::now();
  std::size_t bytes = 0;
  for (auto f : {report::ProductFormat::kMarkdown, report::ProductFormat::kHtml}) {
    bytes += report::InitialGuidanceProduct(d, f).size();
    bytes += report::ConflictAssessmentProduct(d, f, false).size();
    bytes += report::ConflictAssessmentProduct(d, f, true).size();
    bytes += report::SituationAnalysisProduct(d, f).size();
    bytes += report::SituationUpdateProduct(d, f).size();
  }
  const double render_s = Since(t2);

  std::printf("case: %d actors, %zu current scores (%zu versions), %zu audit rows (synthetic, in memory)\n", n_actors,
              d.file.scores.size(), d.file.score_versions.size(), d.audit.size());
  std::printf("build the case through CaseRepo: %.3f s\n", build_s);
  std::printf("load (case file, links, audit log): %.4f s\n", load_s);
  std::printf("render Tabs 1, 2, 2-brief, 3, 10 as md and html (10 products, %.1f MB): %.4f s\n", bytes / 1e6, render_s);
  std::printf("load + render: %.4f s (goal: well under 1 s)\n", load_s + render_s);
  return 0;
}
