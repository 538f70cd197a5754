#pragma once

#include "methods/demua/phi.hpp"
#include "methods/demua/training.hpp"
#include "methods/demua/unrolled.hpp"
#include "methods/nmf/model_method.hpp"
#include "methods/training_loop.hpp"

namespace nmfbench::demua {

// DeMUA (paper 000): complex-PDF NMF whose zeta = exp(Phi(r)) is trained end to end on the
// SI-SDR loss of the task. Evaluation is the classic task flow with Phi as the model;
// training (train(), on the shared loop) unrolls the updates and back-propagates through the
// last L stacks. With no training steps Phi stays at its initial value: the paper's
// untrained rows.
class DemuaMethod final : public nmf::ModelNmfMethod, private Trainable {
 public:
  DemuaMethod(const PhiOptions& phi, Eigen::Index components, const Unrolling& unrolling,
              const TrainingOptions& training, int initialisations);

  void train(Task task, const TrainingData& data, RunContext& context) override;
  Json save_state() const override;
  void load_state(const Json& state) override;
  Json summary() const override;
  const Phi& phi() const { return *phi_; }

 private:
  const nmf::StatisticalModel& model() const override { return *model_; }
  ParameterSet& parameters() override { return phi_->parameters(); }
  // A batch's mean loss and gradient; items run in parallel, summed in a fixed order.
  Real loss(const TrainingSet& data, const std::vector<BatchItem>& batch, bool gradient) override;
  void parameters_changed() override { model_ = phi_->model(); }
  // The network's weights are too many to log: only t's nu and GGD's beta are shown.
  Json describe() const override {
    const Json phi = phi_->describe();
    return phi.empty() ? Json::object() : Json{{"phi", phi}};
  }

  PhiOptions phi_options_;
  std::unique_ptr<Phi> phi_;
  std::unique_ptr<nmf::StatisticalModel> model_;  // Phi's current model, renewed as it changes
  Unrolling unrolling_;
  TrainingOptions training_;
  int initialisations_;  // the fixed random starts training draws from
  // Set by train(): the task trained for and the stream of the training starts.
  Task task_ = Task::denoise;
  RandomStream training_rng_{0, "demua/training"};
  Json training_log_ = Json::array();
};

}  // namespace nmfbench::demua
