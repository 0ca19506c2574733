#include "report/product_util.h"

#include <fmt/format.h>

#include <cmath>

#include "assess/frameworks.h"
#include "report/watchlist.h"

namespace vigil::report::product {

void Doc::Text(const std::string& t) {
  if (t.empty()) {
    Note(kNotRecorded);
  } else {
    Para(t);
  }
}

void Doc::List(std::vector<std::string> items) {
  if (items.empty()) return Note(kNotRecorded);
  Block b(Block::kList);
  b.items = std::move(items);
  blocks.push_back(std::move(b));
}

void Doc::Fields(std::vector<std::pair<std::string, std::string>> f) {
  Block b(Block::kFields);
  b.fields = std::move(f);
  blocks.push_back(std::move(b));
}

void Doc::Table(std::vector<std::string> header, std::vector<std::vector<std::string>> rows) {
  if (rows.empty()) return Note(kNotRecorded);
  Block b(Block::kTable);
  b.header = std::move(header);
  b.rows = std::move(rows);
  blocks.push_back(std::move(b));
}

namespace {

std::string MdCell(const std::string& s) {
  if (s.empty()) return "–";
  std::string out;
  for (char c : s) {
    if (c == '|') {
      out += "\\|";
    } else if (c == '\n') {
      out += "<br>";
    } else if (c != '\r') {
      out += c;
    }
  }
  return out;
}

std::string MdText(const std::string& s) {
  std::string out;
  for (char c : s) {
    if (c != '\r') out += c;
  }
  return out;
}

std::string MarkdownBlocks(const std::vector<Block>& blocks) {
  std::string m;
  for (const Block& b : blocks) {
    switch (b.kind) {
      case Block::kH2: m += "## " + MdText(b.text) + "\n\n"; break;
      case Block::kH3: m += "### " + MdText(b.text) + "\n\n"; break;
      case Block::kPara: m += MdText(b.text) + "\n\n"; break;
      case Block::kNote: m += "_" + MdText(b.text) + "_\n\n"; break;
      case Block::kList:
        for (const auto& i : b.items) {
          std::string item = MdText(i);
          std::string indented;
          for (char c : item) indented += c == '\n' ? std::string("\n  ") : std::string(1, c);
          m += "- " + indented + "\n";
        }
        m += "\n";
        break;
      case Block::kFields:
        for (const auto& [k, v] : b.fields) m += "- **" + MdText(k) + ":** " + MdCell(v.empty() ? kNotRecorded : v) + "\n";
        m += "\n";
        break;
      case Block::kTable: {
        m += "|";
        for (const auto& h : b.header) m += " " + MdCell(h) + " |";
        m += "\n|";
        for (std::size_t i = 0; i < b.header.size(); ++i) m += "---|";
        m += "\n";
        for (const auto& r : b.rows) {
          m += "|";
          for (const auto& c : r) m += " " + MdCell(c) + " |";
          m += "\n";
        }
        m += "\n";
        break;
      }
    }
  }
  return m;
}

std::string RenderMarkdown(const Doc& d) {
  std::string m = "# " + MdText(d.title) + "\n\n";
  for (const auto& s : d.subtitle) m += MdText(s) + "  \n";
  if (!d.subtitle.empty()) m += "\n";
  return m + MarkdownBlocks(d.blocks);
}

// Escaped, with line breaks kept.
std::string HtmlText(const std::string& s) {
  std::string e = HtmlEscape(s), out;
  for (char c : e) {
    if (c == '\n') {
      out += "<br>";
    } else if (c != '\r') {
      out += c;
    }
  }
  return out;
}

std::string HtmlBlocks(const std::vector<Block>& blocks) {
  std::string h;
  for (const Block& b : blocks) {
    switch (b.kind) {
      case Block::kH2: h += "<h2>" + HtmlText(b.text) + "</h2>\n"; break;
      case Block::kH3: h += "<h3>" + HtmlText(b.text) + "</h3>\n"; break;
      case Block::kPara: h += "<p>" + HtmlText(b.text) + "</p>\n"; break;
      case Block::kNote: h += "<p class=\"nr\">" + HtmlText(b.text) + "</p>\n"; break;
      case Block::kList:
        h += "<ul>\n";
        for (const auto& i : b.items) h += "<li>" + HtmlText(i) + "</li>\n";
        h += "</ul>\n";
        break;
      case Block::kFields:
        h += "<ul class=\"f\">\n";
        for (const auto& [k, v] : b.fields) {
          h += "<li><b>" + HtmlText(k) + ":</b> " +
               (v.empty() ? std::string("<span class=\"nr\">not recorded</span>") : HtmlText(v)) + "</li>\n";
        }
        h += "</ul>\n";
        break;
      case Block::kTable:
        h += "<table><tr>";
        for (const auto& c : b.header) h += "<th>" + HtmlText(c) + "</th>";
        h += "</tr>\n";
        for (const auto& r : b.rows) {
          h += "<tr>";
          for (const auto& c : r) h += "<td>" + (c.empty() ? std::string("–") : HtmlText(c)) + "</td>";
          h += "</tr>\n";
        }
        h += "</table>\n";
        break;
    }
  }
  return h;
}

std::string RenderHtml(const Doc& d) {
  std::string h = fmt::format(
      "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>{}</title>\n<style>{}"
      "h1{{font-size:22px}} h2{{font-size:17px;margin-top:1.6em;border-bottom:1px solid #bbb}} "
      "h3{{font-size:14px}} .sub{{color:#555}} .nr{{color:#777;font-style:italic}} "
      "td{{vertical-align:top}} ul.f{{list-style:none;padding-left:0}}"
      "@media print{{body{{max-width:none;margin:1cm}}}}</style></head>\n<body>\n<h1>{}</h1>\n",
      HtmlEscape(d.title), ReportCss(), HtmlEscape(d.title));
  if (!d.subtitle.empty()) {
    h += "<p class=\"sub\">";
    for (std::size_t i = 0; i < d.subtitle.size(); ++i) h += (i ? "<br>" : "") + HtmlText(d.subtitle[i]);
    h += "</p>\n";
  }
  h += HtmlBlocks(d.blocks);
  h += "</body></html>\n";
  return h;
}

}  // namespace

std::string Render(const Doc& d, ProductFormat f) {
  return f == ProductFormat::kHtml ? RenderHtml(d) : RenderMarkdown(d);
}

std::string RenderBlocks(const std::vector<Block>& blocks, ProductFormat f) {
  return f == ProductFormat::kHtml ? HtmlBlocks(blocks) : MarkdownBlocks(blocks);
}

std::string Where(const CaseProductData& d) {
  const auto& c = d.file.info;
  std::string s;
  if (c.gw) s = d.country.empty() ? fmt::format("country GW {}", *c.gw) : fmt::format("{} (GW {})", d.country, *c.gw);
  if (!c.region.empty()) s += (s.empty() ? "" : "; ") + std::string("region: ") + c.region;
  return s;
}

std::vector<std::string> Subtitle(const CaseProductData& d, const std::string& product) {
  const auto& c = d.file.info;
  std::vector<std::string> s;
  const std::string where = Where(d);
  s.push_back(where.empty() ? fmt::format("{} — case {}, status {}", product, c.slug, c.status)
                            : fmt::format("{} — case {}; {}; status {}", product, c.slug, where, c.status));
  s.push_back(fmt::format("Case file last changed {}; opened {} by {}.", c.updated_at.empty() ? kNotRecorded : c.updated_at,
                          c.created_at.empty() ? kNotRecorded : c.created_at,
                          c.created_by.empty() ? kNotRecorded : c.created_by));
  return s;
}

std::string Evidence(const std::vector<assess::EvidenceLink>& ev) {
  std::string s;
  for (const auto& e : ev) {
    if (!s.empty()) s += "; ";
    s += assess::FormatEvidenceLink(e);
    if (!e.note.empty()) s += " (" + e.note + ")";
  }
  return s;
}

std::string ItemTitle(const std::string& framework, const std::string& item) {
  const auto* fw = assess::FindFramework(framework);
  const auto* it = fw ? fw->Find(item) : nullptr;
  if (!it) return item;
  return it->number > 0 && it->depth == 0 ? fmt::format("{}. {}", it->number, it->title)
                                          : fmt::format("{} ({})", it->title, it->id);
}

std::string LevelLabel(const std::string& framework, const std::string& level) {
  const auto* fw = assess::FindFramework(framework);
  const auto* l = fw ? fw->scale.Find(level) : nullptr;
  return l ? l->label : level;
}

std::string Pct(double p) { return std::isfinite(p) ? fmt::format("{:.1f}%", 100 * p) : "–"; }

std::string Prefix(const std::string& s, std::size_t n) { return s.size() > n ? s.substr(0, n) : s; }

// The first sentence of a text (up to ". ", "! ", "? " or a line break).
std::string FirstSentence(const std::string& t) {
  for (std::size_t i = 0; i < t.size(); ++i) {
    if (t[i] == '\n') return t.substr(0, i);
    if ((t[i] == '.' || t[i] == '!' || t[i] == '?') && i + 1 < t.size() && t[i + 1] == ' ') return t.substr(0, i + 1);
  }
  return t;
}

std::string Join(const std::vector<std::string>& items, const std::string& sep) {
  std::string s;
  for (const auto& i : items) s += (s.empty() ? "" : sep) + i;
  return s;
}

}  // namespace vigil::report::product
