#pragma once

#include "methods/demua/phi.hpp"
#include "methods/demua/training.hpp"
#include "methods/demua/unrolled.hpp"
#include "methods/nmf/model_method.hpp"

namespace nmfbench::demua {

struct TrainingOptions {
  int steps = 0;  // Adam steps; 0 leaves Phi at its initial value (the "untrained" rows)
  int batch = 10;
  Real learning_rate = 1e-2;
  Real clip = 1;            // gradient-norm clipping threshold
  int initialisations = 5;  // the fixed random starts training draws from
};

// DeMUA (paper 000): complex-PDF NMF whose zeta = exp(Phi(r)) is trained end to end on the
// SI-SDR loss of the task. Evaluation is the classic task flow with Phi as the model;
// training (train()) unrolls the updates and back-propagates through the last L stacks.
class DemuaMethod final : public nmf::ModelNmfMethod {
 public:
  DemuaMethod(std::unique_ptr<Phi> phi, Eigen::Index components, const Unrolling& unrolling,
              const TrainingOptions& training);

  bool trains_on_split() const override { return training_.steps > 0; }
  void train(Task task, const TrainingSet& data, RunContext& context) override;
  Json save_state() const override;
  void load_state(const Json& state) override;
  Json summary() const override;
  const Phi& phi() const { return *phi_; }

 private:
  const nmf::StatisticalModel& model() const override { return *model_; }
  // One batch's mean loss and gradient; items run in parallel, summed in a fixed order.
  LossAndGradient batch_loss(Task task, const TrainingSet& data, const RandomStream& training_rng,
                             int step);

  std::unique_ptr<Phi> phi_;
  std::unique_ptr<nmf::StatisticalModel> model_;  // Phi's current model, renewed as it changes
  Unrolling unrolling_;
  TrainingOptions training_;
  Json training_log_ = Json::array();
};

}  // namespace nmfbench::demua
