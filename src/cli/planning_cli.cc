#include "cli/planning_cli.h"

#include <iostream>

namespace vigil::cli {

void AddAuthorOption(CLI::App* cmd, AuthorArg& a) {
  cmd->add_option("--author", a.author, "Who makes the change (default $VIGIL_USER, else $USER)")
      ->capture_default_str();
}

void AddDecisionOptions(CLI::App* cmd, DecisionArgs& d) {
  cmd->add_option("--by", d.by, "Who decided: a person or body (e.g. \"Deputies Committee\")")->required();
  cmd->add_option("--date", d.date, "When it was decided: YYYY-MM-DD (default today)");
  cmd->add_option("--note", d.note, "Conditions, reasons or guidance given with the decision");
}

int WithCaseDb(Context& ctx, const std::string& case_query,
               const std::function<int(store::Db&, const assess::Case&)>& fn) {
  VIGIL_ASSIGN_OR_RETURN_CLI(store::Db * db, ctx.Db());
  assess::CaseRepo repo(*db);
  VIGIL_ASSIGN_OR_RETURN_CLI(assess::Case c, repo.FindCase(case_query));
  return fn(*db, c);
}

int WithActing(Context& ctx, const AuthorArg& au, const std::function<int(store::Db&, const Principal&)>& fn) {
  VIGIL_ASSIGN_OR_RETURN_CLI(store::Db * db, ctx.Db());
  VIGIL_ASSIGN_OR_RETURN_CLI(Principal who, ctx.Acting(au.author));
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
