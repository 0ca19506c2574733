#include "cli/planning_cli.h"

#include <iostream>

#include "app/case_service.h"

namespace vigil::cli {

void AddDecisionOptions(CLI::App* cmd, DecisionArgs& d) {
  cmd->add_option("--by", d.by, "Who decided: a person or body (e.g. \"Deputies Committee\")")->required();
  cmd->add_option("--date", d.date, "When it was decided: YYYY-MM-DD (default today)");
  cmd->add_option("--note", d.note, "Conditions, reasons or guidance given with the decision");
}

int WithCase(Context& ctx, const std::string& case_query, std::string_view action,
             const std::function<int(store::Db&, const Principal&, const assess::Case&)>& fn) {
  return WithActing(ctx, [&](store::Db& db, const Principal& who) {
    VIGIL_ASSIGN_OR_RETURN_CLI(assess::Case c, app::FindCaseFor(db, who, case_query, action));
    return fn(db, who, c);
  });
}

int WithActing(Context& ctx, const std::function<int(store::Db&, const Principal&)>& fn) {
  VIGIL_ASSIGN_OR_RETURN_CLI(store::Db * db, ctx.Db());
  VIGIL_ASSIGN_OR_RETURN_CLI(Principal who, ctx.Who());
  return fn(*db, who);
}

int PrintDone(Context& ctx, const nlohmann::json& j, const std::string& message) {
  if (ctx.json) {
    PrintJson(j);
  } else {
    std::cout << message << "\n";
  }
  return kExitOk;
}


}  // namespace vigil::cli
