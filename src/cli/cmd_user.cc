// `vigil user ...` (accounts) and `vigil case member ...` (case membership):
// thin adapters over app/accounts.h and app/case_service.h.
#include <fmt/format.h>

#include <chrono>
#include <iostream>
#include <memory>

#include "app/accounts.h"
#include "app/case_service.h"
#include "cli/cli.h"

namespace vigil::cli {
namespace {

using nlohmann::json;

// One line of standard input without its line end, or a generated password
// (printed once by the caller).
Result<std::string> PasswordFrom(bool from_stdin, bool* generated) {
  *generated = !from_stdin;
  if (!from_stdin) return app::RandomToken();
  std::string line;
  if (!std::getline(std::cin, line)) return Status::InvalidArgument("--password-stdin: no line on standard input");
  while (!line.empty() && (line.back() == '\r' || line.back() == '\n')) line.pop_back();
  return line;
}

struct UserArgs {
  std::string name, role, display_name;
  bool password_stdin = false;
};

int RunAdd(Context& ctx, const UserArgs& a) {
  VIGIL_ASSIGN_OR_RETURN_CLI(Principal who, ctx.Who());
  VIGIL_ASSIGN_OR_RETURN_CLI(store::Db * db, ctx.Db());
  bool generated = false;
  VIGIL_ASSIGN_OR_RETURN_CLI(std::string password, PasswordFrom(a.password_stdin, &generated));
  VIGIL_ASSIGN_OR_RETURN_CLI(app::UserInfo u, app::AddUser(*db, who, {a.name, a.display_name, a.role, password}));
  if (ctx.json) {
    json j = app::ToJson(u);
    if (generated) j["password"] = password;
    PrintJson(j);
  } else {
    std::cout << fmt::format("user {} ({}) added\n", u.username, u.role);
    if (generated) std::cout << "password (shown once; give it to " << u.username << " privately): " << password << "\n";
  }
  return kExitOk;
}

int RunList(Context& ctx) {
  VIGIL_ASSIGN_OR_RETURN_CLI(Principal who, ctx.Who());
  VIGIL_ASSIGN_OR_RETURN_CLI(store::Db * db, ctx.Db());
  VIGIL_ASSIGN_OR_RETURN_CLI(std::vector<app::UserInfo> users, app::ListUsers(*db, who));
  if (ctx.json) {
    json out = json::array();
    for (const auto& u : users) out.push_back(app::ToJson(u));
    PrintJson(out);
    return kExitOk;
  }
  std::cout << fmt::format("{:<24}  {:<18}  {:<8}  {:<20}  {}\n", "username", "role", "status", "created", "name");
  for (const auto& u : users) {
    std::cout << fmt::format("{:<24}  {:<18}  {:<8}  {:<20}  {}\n", u.username, u.role,
                             u.disabled ? "disabled" : "active", u.created_at, OneLine(u.display_name));
  }
  return kExitOk;
}

int RunSetDisabled(Context& ctx, const std::string& name, bool disabled) {
  VIGIL_ASSIGN_OR_RETURN_CLI(Principal who, ctx.Who());
  VIGIL_ASSIGN_OR_RETURN_CLI(store::Db * db, ctx.Db());
  Status st = app::SetUserDisabled(*db, who, name, disabled);
  if (!st.ok()) return Fail(st);
  if (ctx.json) {
    PrintJson({{"username", name}, {"disabled", disabled}});
  } else {
    std::cout << fmt::format("user {} {}\n", name, disabled ? "disabled (sessions and API tokens ended)" : "enabled");
  }
  return kExitOk;
}

int RunResetPassword(Context& ctx, const UserArgs& a) {
  VIGIL_ASSIGN_OR_RETURN_CLI(Principal who, ctx.Who());
  VIGIL_ASSIGN_OR_RETURN_CLI(store::Db * db, ctx.Db());
  bool generated = false;
  VIGIL_ASSIGN_OR_RETURN_CLI(std::string password, PasswordFrom(a.password_stdin, &generated));
  Status st = app::ResetPassword(*db, who, a.name, password);
  if (!st.ok()) return Fail(st);
  if (ctx.json) {
    json j = {{"username", a.name}};
    if (generated) j["password"] = password;
    PrintJson(j);
  } else {
    std::cout << fmt::format("user {}: password set; sessions ended\n", a.name);
    if (generated) std::cout << "password (shown once): " << password << "\n";
  }
  return kExitOk;
}

// `vigil --as NAME user password`: the current password, then the new one,
// one per line on standard input.
int RunChangePassword(Context& ctx) {
  VIGIL_ASSIGN_OR_RETURN_CLI(Principal who, ctx.Who());
  VIGIL_ASSIGN_OR_RETURN_CLI(store::Db * db, ctx.Db());
  bool generated = false;
  VIGIL_ASSIGN_OR_RETURN_CLI(std::string current, PasswordFrom(true, &generated));
  auto next = PasswordFrom(true, &generated);
  if (!next.ok()) return Fail(Status::InvalidArgument("standard input: give the current password, then the new one, "
                                                      "one per line"));
  const auto now = std::chrono::duration_cast<std::chrono::seconds>(
                       std::chrono::system_clock::now().time_since_epoch()).count();
  if (Status st = app::ChangeOwnPassword(*db, who, current, *next, now); !st.ok()) return Fail(st);
  if (ctx.json) {
    PrintJson({{"username", who.username}, {"password", "changed"}});
  } else {
    std::cout << fmt::format("user {}: password changed; every session ended\n", who.username);
  }
  return kExitOk;
}

struct MemberArgs {
  std::string case_query, username, role;
};

int RunMemberList(Context& ctx, const MemberArgs& a) {
  VIGIL_ASSIGN_OR_RETURN_CLI(Principal who, ctx.Who());
  VIGIL_ASSIGN_OR_RETURN_CLI(store::Db * db, ctx.Db());
  VIGIL_ASSIGN_OR_RETURN_CLI(std::vector<app::CaseMember> members, app::ListCaseMembers(*db, who, a.case_query));
  if (ctx.json) {
    json out = json::array();
    for (const auto& m : members) out.push_back(app::ToJson(m));
    PrintJson(out);
    return kExitOk;
  }
  std::cout << fmt::format("{:<24}  {:<18}  {:<20}  {}\n", "username", "case role", "added", "by");
  for (const auto& m : members) {
    std::cout << fmt::format("{:<24}  {:<18}  {:<20}  {}\n", m.username, m.role, m.added_at, m.added_by);
  }
  return kExitOk;
}

int RunMemberAdd(Context& ctx, const MemberArgs& a) {
  VIGIL_ASSIGN_OR_RETURN_CLI(Principal who, ctx.Who());
  VIGIL_ASSIGN_OR_RETURN_CLI(store::Db * db, ctx.Db());
  VIGIL_ASSIGN_OR_RETURN_CLI(app::CaseMember m, app::SetCaseMember(*db, who, a.case_query, a.username, a.role));
  if (ctx.json) {
    PrintJson(app::ToJson(m));
  } else {
    std::cout << fmt::format("case {}: {} is a member as {}\n", a.case_query, m.username, m.role);
  }
  return kExitOk;
}

int RunMemberRemove(Context& ctx, const MemberArgs& a) {
  VIGIL_ASSIGN_OR_RETURN_CLI(Principal who, ctx.Who());
  VIGIL_ASSIGN_OR_RETURN_CLI(store::Db * db, ctx.Db());
  Status st = app::RemoveCaseMember(*db, who, a.case_query, a.username);
  if (!st.ok()) return Fail(st);
  if (ctx.json) {
    PrintJson({{"case", a.case_query}, {"removed", a.username}});
  } else {
    std::cout << fmt::format("case {}: {} removed\n", a.case_query, a.username);
  }
  return kExitOk;
}

}  // namespace

void RegisterUser(CLI::App& app, Context& ctx) {
  auto* cmd = app.add_subcommand("user", "Accounts of the team server (admin; or the store's owner without --as)");
  cmd->require_subcommand(1);
  auto a = std::make_shared<UserArgs>();

  auto* add = cmd->add_subcommand(
      "add", "Create an account; without --password-stdin a strong password is generated and printed once");
  add->add_option("NAME", a->name, "User name: letters, digits, '.', '_', '-'")->required();
  add->add_option("--role", a->role,
                  "viewer, analyst, planner, approver, field_researcher, evidence_custodian or admin")
      ->required();
  add->add_option("--display-name", a->display_name, "Full name shown to colleagues");
  add->add_flag("--password-stdin", a->password_stdin,
                "Read the password (12 to 128 characters) from the first line of standard input");
  add->callback([&ctx, a] { SetExit(RunAdd(ctx, *a)); });

  auto* list = cmd->add_subcommand("list", "Every account with its role and status");
  list->callback([&ctx] { SetExit(RunList(ctx)); });

  auto* disable = cmd->add_subcommand("disable", "Disable an account and end its sessions and API tokens");
  disable->add_option("NAME", a->name, "User name")->required();
  disable->callback([&ctx, a] { SetExit(RunSetDisabled(ctx, a->name, true)); });
  auto* enable = cmd->add_subcommand("enable", "Enable a disabled account");
  enable->add_option("NAME", a->name, "User name")->required();
  enable->callback([&ctx, a] { SetExit(RunSetDisabled(ctx, a->name, false)); });

  auto* reset = cmd->add_subcommand("reset-password", "Set a new password and end the account's sessions");
  reset->add_option("NAME", a->name, "User name")->required();
  reset->add_flag("--password-stdin", a->password_stdin, "Read the password from standard input");
  reset->callback([&ctx, a] { SetExit(RunResetPassword(ctx, *a)); });
  auto* passwd = cmd->add_subcommand(
      "password", "Change your own password (with --as NAME): the current one, then the new one, on standard input");
  passwd->callback([&ctx] { SetExit(RunChangePassword(ctx)); });
}

void RegisterCaseMembers(CLI::App& case_cmd, Context& ctx) {
  auto* cmd = case_cmd.add_subcommand("member", "Accounts that belong to a case (its team) and their role on it");
  cmd->require_subcommand(1);
  auto a = std::make_shared<MemberArgs>();
  auto* list = cmd->add_subcommand("list", "The case's members");
  list->add_option("CASE", a->case_query, "Case id or slug")->required();
  list->callback([&ctx, a] { SetExit(RunMemberList(ctx, *a)); });
  auto* add = cmd->add_subcommand("add", "Make an account a member (or change its role on the case)");
  add->add_option("CASE", a->case_query, "Case id or slug")->required();
  add->add_option("USER", a->username, "User name")->required();
  add->add_option("--role", a->role, "Role on the case: viewer, analyst, planner, approver, field_researcher, "
                                     "evidence_custodian")
      ->required();
  add->callback([&ctx, a] { SetExit(RunMemberAdd(ctx, *a)); });
  auto* remove = cmd->add_subcommand("remove", "Remove a member from the case");
  remove->add_option("CASE", a->case_query, "Case id or slug")->required();
  remove->add_option("USER", a->username, "User name")->required();
  remove->callback([&ctx, a] { SetExit(RunMemberRemove(ctx, *a)); });
}

}  // namespace vigil::cli
