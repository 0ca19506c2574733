#include "cli/model_args.h"

#include "monitor/risk/models.h"

namespace vigil::cli {

void AddModelOptions(CLI::App* cmd, ModelArgs* args) {
  cmd->add_option("--model", args->model, "Model: elastic-net | boost | ensemble")
      ->capture_default_str()
      ->check(CLI::IsMember(risk::ModelNames()));
  cmd->add_option("--dataset", args->dataset, "Stored panel dataset name")->capture_default_str();
  cmd->add_option("--version", args->version, "Dataset version (default: current)");
  cmd->add_option("--spec", args->spec_file,
                  "Model specification JSON (predictors, outcome, changes, window_max; default: EWP 2025)");
  cmd->add_option("--threads", args->threads, "Threads (training years or refits in parallel)")
      ->capture_default_str();
  cmd->add_option("--seed", args->seed, "Seed for folds and sampling (EWP: 90035)")->capture_default_str();
}

Result<ModelInputs> PrepareModel(Context& ctx, const ModelArgs& args) {
  ModelInputs in;
  in.spec = risk::DefaultModelSpec();
  if (!args.spec_file.empty()) {
    VIGIL_ASSIGN_OR_RETURN(in.spec, risk::LoadModelSpec(args.spec_file));
  }
  VIGIL_ASSIGN_OR_RETURN(in.loaded, LoadPanelForModel(ctx, args.dataset, args.version));
  VIGIL_ASSIGN_OR_RETURN(in.factory, risk::MakeModelFactory(args.model, in.spec));
  return in;
}

}  // namespace vigil::cli
