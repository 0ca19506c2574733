// The synchronization matrix (the handbook's wargaming spreadsheet): stages
// as columns, the plan's objectives, agency actions, actors' expected
// actions, lines of effort, decisions, information requirements, branch
// plans, risks and resource arrivals as rows. Written as CSV (RFC 4180, fields
// quoted by core/csv.h) and XLSX (libxlsxwriter).
#include <fmt/format.h>
#include <xlsxwriter.h>

#include <cstdio>
#include <fstream>
#include <map>
#include <memory>

#include "assess/frameworks.h"
#include "core/csv.h"
#include "plan/plan.h"
#include "plan/plan_catalog.h"

namespace vigil::plan {

namespace {

constexpr std::size_t kStages = std::size(assess::kPlanStages);

bool HasStage(const std::vector<std::string>& stages, std::string_view s) {
  for (const auto& x : stages)
    if (x == s) return true;
  return false;
}

void Append(std::string* cell, const std::string& line) {
  if (line.empty()) return;
  if (!cell->empty()) *cell += "\n";
  *cell += line;
}

SyncRow EmptyRow(std::string group, std::string label = {}) {
  return SyncRow{std::move(group), std::move(label), std::vector<std::string>(kStages)};
}

std::string JoinIds(const std::vector<std::string>& v, std::string_view sep) {
  std::string out;
  for (const auto& s : v) out += (out.empty() ? "" : std::string(sep)) + s;
  return out;
}

}  // namespace

SyncMatrix BuildSyncMatrix(const Plan& p) {
  const PlanStagesCatalog& cat = PlanStages();
  SyncMatrix m;
  for (const char* s : assess::kPlanStages) {
    m.stages.push_back(s);
    const StageInfo* info = cat.Stage(s);
    m.stage_titles.push_back(info ? fmt::format("{} {}", s, info->title) : s);
  }

  // Objectives.
  SyncRow obj = EmptyRow("Objectives");
  for (std::size_t i = 0; i < kStages; ++i)
    for (const auto& st : p.stages)
      if (st.id == m.stages[i]) obj.cells[i] = st.objective;
  m.rows.push_back(std::move(obj));

  // Agency actions: one row per agency, in order of first appearance.
  {
    std::vector<SyncRow> rows;
    std::map<std::string, std::size_t> at;
    for (const Task& t : p.tasks) {
      auto [it, fresh] = at.emplace(t.agency, rows.size());
      if (fresh) rows.push_back(EmptyRow("Agency actions", t.agency));
      for (std::size_t i = 0; i < kStages; ++i)
        if (HasStage(t.stages, m.stages[i])) Append(&rows[it->second].cells[i], t.id + " " + t.title);
    }
    if (rows.empty()) rows.push_back(EmptyRow("Agency actions"));
    for (auto& r : rows) m.rows.push_back(std::move(r));
  }

  // Perpetrators and other actors: one row per actor.
  for (const auto& [group, category] : {std::pair{"Perpetrators", "perpetrators"}, {"Other actors", "other-actors"}}) {
    std::vector<SyncRow> rows;
    std::map<std::string, std::size_t> at;
    for (const ExpectedAction& a : p.expected_actions) {
      if (a.category != category) continue;
      auto [it, fresh] = at.emplace(a.actor, rows.size());
      if (fresh) rows.push_back(EmptyRow(group, a.actor));
      int i = StageIndex(a.stage);
      if (i >= 0) Append(&rows[it->second].cells[i], a.text);
    }
    if (rows.empty()) rows.push_back(EmptyRow(group));
    for (auto& r : rows) m.rows.push_back(std::move(r));
  }

  // Lines of effort: one row per LOE with its tasks per stage.
  {
    std::vector<SyncRow> rows;
    for (const LineOfEffort& l : p.loes) {
      SyncRow r = EmptyRow("Lines of effort", fmt::format("{} {} (lead: {})", l.id, l.title, l.lead));
      for (const Task& t : p.tasks) {
        if (t.loe != l.id) continue;
        for (std::size_t i = 0; i < kStages; ++i)
          if (HasStage(t.stages, m.stages[i])) Append(&r.cells[i], t.id + " " + t.title);
      }
      rows.push_back(std::move(r));
    }
    if (rows.empty()) rows.push_back(EmptyRow("Lines of effort"));
    for (auto& r : rows) m.rows.push_back(std::move(r));
  }

  // One-row groups.
  SyncRow dec = EmptyRow("Decisions");
  for (const DecisionPoint& d : p.decision_points)
    for (std::size_t i = 0; i < kStages; ++i)
      if (HasStage(d.stages, m.stages[i]))
        Append(&dec.cells[i], fmt::format("{} {} ({}){}", d.id, d.question, d.who_decides,
                                          d.status == "decided" ? " [decided]" : ""));
  m.rows.push_back(std::move(dec));

  SyncRow info = EmptyRow("Information requirements");
  for (const StageItem& s : p.info_requirements)
    for (std::size_t i = 0; i < kStages; ++i)
      if (HasStage(s.stages, m.stages[i])) Append(&info.cells[i], s.text);
  m.rows.push_back(std::move(info));

  SyncRow br = EmptyRow("Branch plans");
  for (const BranchPlan& b : p.branches)
    for (std::size_t i = 0; i < kStages; ++i)
      if (HasStage(b.stages, m.stages[i]))
        Append(&br.cells[i], fmt::format("{} {}{}", b.id, b.title, b.status == "active" ? " [active]" : ""));
  m.rows.push_back(std::move(br));

  SyncRow risks = EmptyRow("Risks");
  for (const StageItem& s : p.risks)
    for (std::size_t i = 0; i < kStages; ++i)
      if (HasStage(s.stages, m.stages[i])) Append(&risks.cells[i], s.text);
  m.rows.push_back(std::move(risks));

  SyncRow arr = EmptyRow("Resource arrivals");
  for (const Task& t : p.tasks) {
    if (t.arrival.empty()) continue;
    for (std::size_t i = 0; i < kStages; ++i)
      if (HasStage(t.stages, m.stages[i])) Append(&arr.cells[i], t.id + " " + t.arrival);
  }
  m.rows.push_back(std::move(arr));
  return m;
}

// ---- CSV -------------------------------------------------------------------------------


Status WriteSyncMatrixCsv(const SyncMatrix& m, const std::string& path) {
  std::string text = "group,row";
  for (const auto& s : m.stages) text += "," + CsvField(s);
  text += "\r\n";
  for (const SyncRow& r : m.rows) {
    text += CsvField(r.group) + "," + CsvField(r.label);
    for (const auto& c : r.cells) text += "," + CsvField(c);
    text += "\r\n";
  }
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  if (!out) return Status::IoError(fmt::format("{}: cannot open for writing", path));
  out << text;
  out.close();
  if (!out) return Status::IoError(fmt::format("{}: write failed", path));
  return Status::Ok();
}

// ---- XLSX ------------------------------------------------------------------------------

namespace {

// Collects the first libxlsxwriter error as "<path>: <what>: <lxw message>".
class Xlsx {
 public:
  explicit Xlsx(const std::string& path) : path_(path) {}
  bool ok() const { return error_.empty(); }
  const std::string& error() const { return error_; }
  void Check(lxw_error e, const std::string& what) {
    if (e != LXW_NO_ERROR && error_.empty()) error_ = fmt::format("{}: {}: {}", path_, what, lxw_strerror(e));
  }
  void Fail(const std::string& what) {
    if (error_.empty()) error_ = fmt::format("{}: {}", path_, what);
  }

 private:
  std::string path_;
  std::string error_;
};

std::string CellName(lxw_row_t row, lxw_col_t col) {
  std::string letters;
  for (int c = static_cast<int>(col) + 1; c > 0; c = (c - 1) / 26) letters.insert(letters.begin(), 'A' + (c - 1) % 26);
  return fmt::format("{}{}", letters, row + 1);
}

// A text cell's content: neutralised when a spreadsheet would run it as a
// formula (core/csv.h; libxlsxwriter writes strings as strings, but a
// colleague who saves the sheet as CSV would get the formula back), and cut
// to the 32,767 characters an Excel cell holds.
std::string Clip(const std::string& text) {
  const std::string s = SpreadsheetText(text);
  constexpr std::size_t kMax = 32767;  // Excel's limit per cell
  if (s.size() <= kMax) return s;
  std::size_t cut = kMax - 20;
  while (cut > 0 && (static_cast<unsigned char>(s[cut]) & 0xC0) == 0x80) --cut;  // UTF-8 boundary
  return s.substr(0, cut) + " ... (cut)";
}

void Write(Xlsx& x, lxw_worksheet* ws, lxw_row_t row, lxw_col_t col, const std::string& text, lxw_format* f) {
  if (!x.ok()) return;
  if (text.empty())
    x.Check(worksheet_write_blank(ws, row, col, f), "cell " + CellName(row, col));
  else
    x.Check(worksheet_write_string(ws, row, col, Clip(text).c_str(), f), "cell " + CellName(row, col));
}

void Merge(Xlsx& x, lxw_worksheet* ws, lxw_row_t r1, lxw_col_t c1, lxw_row_t r2, lxw_col_t c2,
           const std::string& text, lxw_format* f) {
  if (!x.ok()) return;
  if (r1 == r2 && c1 == c2) return Write(x, ws, r1, c1, text, f);
  x.Check(worksheet_merge_range(ws, r1, c1, r2, c2, Clip(text).c_str(), f),
          "merge " + CellName(r1, c1) + ":" + CellName(r2, c2));
}

}  // namespace

Status WriteSyncMatrixXlsx(const SyncMatrix& m, const Plan& p, const std::string& title, const std::string& path) {
  const PlanStagesCatalog& cat = PlanStages();
  {
    // Fail early with our message (libxlsxwriter would print its own to
    // stderr when it cannot create the file at close).
    std::ofstream probe(path, std::ios::binary | std::ios::trunc);
    if (!probe) return Status::IoError(fmt::format("{}: cannot open for writing", path));
  }
  lxw_workbook* wb = workbook_new(path.c_str());
  if (wb == nullptr) {
    std::remove(path.c_str());
    return Status::IoError(fmt::format("{}: cannot create the workbook", path));
  }
  Xlsx x(path);

  lxw_format* title_f = workbook_add_format(wb);
  lxw_format* head_f = workbook_add_format(wb);
  lxw_format* group_f = workbook_add_format(wb);
  lxw_format* label_f = workbook_add_format(wb);
  lxw_format* cell_f = workbook_add_format(wb);
  if (!title_f || !head_f || !group_f || !label_f || !cell_f) x.Fail("cannot create cell formats");
  if (x.ok()) {
    format_set_bold(title_f);
    format_set_font_size(title_f, 14);
    format_set_bold(head_f);
    format_set_align(head_f, LXW_ALIGN_CENTER);
    format_set_align(head_f, LXW_ALIGN_VERTICAL_CENTER);
    format_set_text_wrap(head_f);
    format_set_bg_color(head_f, 0xD9E1F2);
    format_set_border(head_f, LXW_BORDER_THIN);
    format_set_bold(group_f);
    format_set_text_wrap(group_f);
    format_set_align(group_f, LXW_ALIGN_VERTICAL_TOP);
    format_set_bg_color(group_f, 0xF2F2F2);
    format_set_border(group_f, LXW_BORDER_THIN);
    format_set_text_wrap(label_f);
    format_set_italic(label_f);
    format_set_align(label_f, LXW_ALIGN_VERTICAL_TOP);
    format_set_border(label_f, LXW_BORDER_THIN);
    format_set_text_wrap(cell_f);
    format_set_align(cell_f, LXW_ALIGN_VERTICAL_TOP);
    format_set_border(cell_f, LXW_BORDER_THIN);
  }

  // Sheet 1: the matrix. Row 0 title, row 1 phases, row 2 stages, then data;
  // column A group (merged down over its rows), B row label, C.. stages.
  lxw_worksheet* ws = x.ok() ? workbook_add_worksheet(wb, "Sync matrix") : nullptr;
  if (x.ok() && ws == nullptr) x.Fail("cannot add the sheet 'Sync matrix'");
  const lxw_col_t last_col = static_cast<lxw_col_t>(1 + m.stages.size());
  if (x.ok()) {
    x.Check(worksheet_set_column(ws, 0, 0, 18, nullptr), "column A width");
    x.Check(worksheet_set_column(ws, 1, 1, 26, nullptr), "column B width");
    x.Check(worksheet_set_column(ws, 2, last_col, 34, nullptr), "stage column widths");
    Merge(x, ws, 0, 0, 0, last_col, title, title_f);
    Merge(x, ws, 1, 0, 1, 1, "Phase", head_f);
    // Phase headers merged over their stages.
    std::size_t i = 0;
    while (x.ok() && i < m.stages.size()) {
      const StageInfo* s = cat.Stage(m.stages[i]);
      std::string phase = s ? s->phase : "";
      std::size_t j = i;
      while (j + 1 < m.stages.size() && cat.Stage(m.stages[j + 1]) && cat.Stage(m.stages[j + 1])->phase == phase) ++j;
      std::string text = s ? fmt::format("Phase {}: {}", s->phase, s->phase_title) : "";
      Merge(x, ws, 1, static_cast<lxw_col_t>(2 + i), 1, static_cast<lxw_col_t>(2 + j), text, head_f);
      i = j + 1;
    }
    Write(x, ws, 2, 0, "Group", head_f);
    Write(x, ws, 2, 1, "Row", head_f);
    for (std::size_t k = 0; k < m.stages.size(); ++k)
      Write(x, ws, 2, static_cast<lxw_col_t>(2 + k), k < m.stage_titles.size() ? m.stage_titles[k] : m.stages[k],
            head_f);
    x.Check(worksheet_set_row(ws, 2, 32, nullptr), "row 3 height");
    lxw_row_t row = 3;
    std::size_t r = 0;
    while (x.ok() && r < m.rows.size()) {
      std::size_t end = r;
      while (end + 1 < m.rows.size() && m.rows[end + 1].group == m.rows[r].group) ++end;
      Merge(x, ws, row, 0, static_cast<lxw_row_t>(row + (end - r)), 0, m.rows[r].group, group_f);
      for (std::size_t k = r; k <= end && x.ok(); ++k, ++row) {
        Write(x, ws, row, 1, m.rows[k].label, label_f);
        std::size_t lines = 1;
        for (std::size_t c = 0; c < m.rows[k].cells.size(); ++c) {
          const std::string& cell = m.rows[k].cells[c];
          Write(x, ws, row, static_cast<lxw_col_t>(2 + c), cell, cell_f);
          // Rough height: wrapped lines at ~40 characters per line of a 34-wide column.
          std::size_t n = 0, run = 0;
          for (char ch : cell) {
            if (ch == '\n' || ++run > 40) {
              ++n;
              run = 0;
            }
          }
          lines = std::max(lines, n + 1);
        }
        x.Check(worksheet_set_row(ws, row, std::min<double>(409, 15.0 * lines), nullptr),
                fmt::format("row {} height", row + 1));
      }
      r = end + 1;
    }
    if (x.ok()) worksheet_freeze_panes(ws, 3, 2);
  }

  // Sheet 2: the tasks.
  lxw_worksheet* ps = x.ok() ? workbook_add_worksheet(wb, "Plan") : nullptr;
  if (x.ok() && ps == nullptr) x.Fail("cannot add the sheet 'Plan'");
  if (x.ok()) {
    static const char* const kHead[] = {"id", "LOE", "title", "agency", "stages", "depends on", "tool", "resources",
                                        "arrival"};
    static const double kWidth[] = {8, 30, 44, 18, 18, 18, 26, 40, 40};
    for (lxw_col_t c = 0; c < std::size(kHead); ++c) {
      x.Check(worksheet_set_column(ps, c, c, kWidth[c], nullptr), "Plan column width");
      Write(x, ps, 0, c, kHead[c], head_f);
    }
    lxw_row_t row = 1;
    for (const Task& t : p.tasks) {
      if (!x.ok()) break;
      const LineOfEffort* l = p.FindLoe(t.loe);
      std::string cells[] = {t.id, l ? l->id + " " + l->title : t.loe, t.title, t.agency, JoinIds(t.stages, ", "),
                             JoinIds(t.depends_on, ", "), t.tool, t.resources, t.arrival};
      for (lxw_col_t c = 0; c < std::size(cells); ++c) Write(x, ps, row, c, cells[c], cell_f);
      ++row;
    }
    if (x.ok()) worksheet_freeze_panes(ps, 1, 0);
  }

  lxw_error closed = workbook_close(wb);  // writes the file and frees the workbook
  if (x.ok()) x.Check(closed, "writing the file");
  if (!x.ok()) {
    std::remove(path.c_str());
    return Status::IoError(x.error());
  }
  return Status::Ok();
}

}  // namespace vigil::plan
