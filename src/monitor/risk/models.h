// The risk models vigil offers, by name, for the backtest and forecast
// commands:
//   elastic-net  EWP's model: elastic-net logit (glmnet-equivalent), alpha
//                from the model spec, lambda.min of 10-fold CV;
//   boost        gradient-boosted trees (XGBoost);
//   ensemble     a calibrated combination of elastic-net and boost whose
//                weights and calibration are learned inside each fit on an
//                out-of-time split of the training years only.
#pragma once

#include <string>
#include <vector>

#include "core/status.h"
#include "monitor/risk/backtest.h"
#include "monitor/risk/design.h"

namespace vigil::risk {

const std::vector<std::string>& ModelNames();

// InvalidArgument naming the known models if `name` is unknown.
Result<ModelFactory> MakeModelFactory(const std::string& name, const ModelSpec& spec);

}  // namespace vigil::risk
