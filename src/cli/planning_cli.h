// Shared pieces of the planning commands (cmd_options.cc, cmd_policy.cc,
// cmd_plan.cc, cmd_case.cc): resolving who acts and CASE, printing a change,
// and the decision options. Who acts is Context::Who (the local operator, or
// the account named by --as); the audit records that name, never free text.
#pragma once

#include <CLI/CLI.hpp>
#include <functional>
#include <optional>
#include <string>

#include "app/decision_service.h"
#include "assess/case.h"
#include "cli/cli.h"

namespace vigil::cli {

// Who decided, when, and why: --by (required), --date (default today), --note.
using DecisionArgs = app::DecisionInput;
void AddDecisionOptions(CLI::App* cmd, DecisionArgs& d);

// Opens the store, resolves who acts and CASE (id or slug) if they may do
// `action` on it (app::FindCaseFor: the service layer decides), then runs fn.
int WithCase(Context& ctx, const std::string& case_query, std::string_view action,
             const std::function<int(store::Db&, const Principal&, const assess::Case&)>& fn);

// A command-line value as an optional edit: nullopt when not given (empty).
template <typename T>
std::optional<T> IfGiven(const T& v) {
  return v.empty() ? std::nullopt : std::optional<T>(v);
}

// Opens the store and resolves who acts (Context::Who), then runs fn.
int WithActing(Context& ctx, const std::function<int(store::Db&, const Principal&)>& fn);

// Prints a result: JSON with --json, else the message line.
int PrintDone(Context& ctx, const nlohmann::json& j, const std::string& message);


}  // namespace vigil::cli
