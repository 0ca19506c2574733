// Shared pieces of the planning commands (cmd_options.cc, cmd_policy.cc,
// cmd_plan.cc, cmd_report.cc, cmd_demo.cc): resolving CASE, printing a
// change, and the author/decision options every mutating command takes.
#pragma once

#include <CLI/CLI.hpp>
#include <functional>
#include <optional>
#include <string>

#include "assess/case.h"
#include "cli/cli.h"

namespace vigil::cli {

// --author, shared by the subcommands of one command group.
struct AuthorArg {
  std::string author = assess::DefaultAuthor();
};
// Adds --author to a command group.
void AddAuthorOption(CLI::App* cmd, AuthorArg& a);

// Who decided, when, and why: --by (required), --date (default today), --note.
struct DecisionArgs {
  std::string by, date, note;
};
void AddDecisionOptions(CLI::App* cmd, DecisionArgs& d);

// Opens the store and resolves CASE (id or slug), then runs fn.
int WithCaseDb(Context& ctx, const std::string& case_query,
               const std::function<int(store::Db&, const assess::Case&)>& fn);

// A command-line value as an optional edit: nullopt when not given (empty).
template <typename T>
std::optional<T> IfGiven(const T& v) {
  return v.empty() ? std::nullopt : std::optional<T>(v);
}

// Opens the store and resolves who acts (Context::Acting), then runs fn.
int WithActing(Context& ctx, const AuthorArg& au, const std::function<int(store::Db&, const Principal&)>& fn);

// Prints a result: JSON with --json, else the message line.
int PrintDone(Context& ctx, const nlohmann::json& j, const std::string& message);


}  // namespace vigil::cli
