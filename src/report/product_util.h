// Internal to src/report: the small document model that the briefing
// products (case_products.cc, planning_products.cc) are built with, and the
// pieces of text they share. Products are built once as blocks and rendered
// by one of two writers, so both formats carry the same facts and all
// escaping happens in one place. Not part of vigil's public interface.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "assess/case.h"
#include "report/case_products.h"

namespace vigil::report {

struct PlanningData;

namespace product {

inline constexpr const char* kNotRecorded = "not recorded";

struct Block {
  enum Kind { kH2, kH3, kPara, kNote, kList, kFields, kTable };
  Kind kind = kPara;
  std::string text;                            // kH2, kH3, kPara, kNote
  std::vector<std::string> items;              // kList
  std::vector<std::pair<std::string, std::string>> fields;  // kFields: label, value
  std::vector<std::string> header;             // kTable
  std::vector<std::vector<std::string>> rows;  // kTable

  explicit Block(Kind k, std::string t = {}) : kind(k), text(std::move(t)) {}
};

struct Doc {
  std::string title;
  std::vector<std::string> subtitle;  // lines under the title
  std::vector<Block> blocks;

  void H2(std::string t) { blocks.emplace_back(Block::kH2, std::move(t)); }
  void H3(std::string t) { blocks.emplace_back(Block::kH3, std::move(t)); }
  void Para(std::string t) { blocks.emplace_back(Block::kPara, std::move(t)); }
  void Note(std::string t) { blocks.emplace_back(Block::kNote, std::move(t)); }
  // A paragraph, or "not recorded" when empty.
  void Text(const std::string& t);
  // A bulleted list, or "not recorded" when empty.
  void List(std::vector<std::string> items);
  // "Label: value" lines; an empty value shows "not recorded".
  void Fields(std::vector<std::pair<std::string, std::string>> f);
  // A table, or "not recorded" when it has no rows.
  void Table(std::vector<std::string> header, std::vector<std::vector<std::string>> rows);
};

// The whole page: Markdown, or one self-contained HTML document.
std::string Render(const Doc& d, ProductFormat f);
// Only the blocks (no title, no HTML page around them): a section that other
// documents embed.
std::string RenderBlocks(const std::vector<Block>& blocks, ProductFormat f);

// "Country (GW n); region: r" of the case, "" when neither is known.
std::string Where(const CaseProductData& d);
// The two subtitle lines of a product: what it is, the case, its status.
std::vector<std::string> Subtitle(const CaseProductData& d, const std::string& product);
// Evidence links as one line ("event:12 (ged/4567); url:...").
std::string Evidence(const std::vector<assess::EvidenceLink>& ev);
// "3. Title" of a top-level framework item, "Title (id)" of a child, the id
// when unknown.
std::string ItemTitle(const std::string& framework, const std::string& item);
// The scale label of a level ("High"), the id when unknown.
std::string LevelLabel(const std::string& framework, const std::string& level);
// "12.3%", "–" for NaN.
std::string Pct(double p);
// The first n characters of s.
std::string Prefix(const std::string& s, std::size_t n);
// The first sentence of a text (up to ". ", "! ", "? " or a line break).
std::string FirstSentence(const std::string& t);
// The items joined by sep.
std::string Join(const std::vector<std::string>& items, const std::string& sep);

// Appends the planning section of the situation update (Tab 10) to a
// document: defined in planning_products.cc, used by SituationUpdateProduct.
void AppendPlanningUpdate(Doc& doc, const CaseProductData& d, const PlanningData& p);

}  // namespace product
}  // namespace vigil::report
