// Options and set-up shared by the commands that fit risk models (backtest,
// forecast): which model, dataset, specification, threads and seed.
#pragma once

#include <CLI/CLI.hpp>
#include <string>

#include "cli/cli.h"
#include "core/parallel.h"
#include "monitor/risk/backtest.h"
#include "monitor/risk/design.h"

namespace vigil::cli {

struct ModelArgs {
  std::string model = "elastic-net";
  std::string dataset = "ewp";
  long long version = 0;   // 0: the current version
  std::string spec_file;   // empty: the embedded EWP 2025 specification
  int threads = DefaultThreads();
  unsigned long long seed = 90035;
};

// Adds --model, --dataset, --version, --spec, --threads and --seed to cmd.
void AddModelOptions(CLI::App* cmd, ModelArgs* args);

struct ModelInputs {
  risk::ModelSpec spec;
  LoadedPanel loaded;
  risk::ModelFactory factory;
};

// Loads the specification and the stored panel and builds the model factory.
Result<ModelInputs> PrepareModel(Context& ctx, const ModelArgs& args);

}  // namespace vigil::cli
