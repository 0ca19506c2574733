#include "monitor/risk/models.h"

#include "monitor/risk/boost.h"
#include "monitor/risk/elastic_net.h"
#include "monitor/risk/ensemble.h"

namespace vigil::risk {

const std::vector<std::string>& ModelNames() {
  static const std::vector<std::string> kNames = {"elastic-net", "boost", "ensemble"};
  return kNames;
}

Result<ModelFactory> MakeModelFactory(const std::string& name, const ModelSpec& spec) {
  ElasticNetModelOptions en;
  en.alpha = spec.alpha;
  if (name == "elastic-net") {
    return ModelFactory([en] { return std::make_unique<ElasticNetModel>(en); });
  }
  if (name == "boost") {
    return ModelFactory([] { return std::make_unique<BoostModel>(); });
  }
  if (name == "ensemble") {
    EnsembleOptions o;
    o.elastic_net = en;
    o.horizon_years = spec.horizon_years;
    return ModelFactory([o] { return std::make_unique<EnsembleModel>(o); });
  }
  std::string known;
  for (const auto& n : ModelNames()) known += (known.empty() ? "" : ", ") + n;
  return Status::InvalidArgument("unknown model '" + name + "' (known: " + known + ")");
}

}  // namespace vigil::risk
