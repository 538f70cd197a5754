#include "core/autodiff/tape.hpp"

namespace nmfbench::ad {

const Array& Var::value() const {
  if (detached_) return *detached_;
  if (!tape_ || id_ < 0) throw Error("autodiff: use of an empty Var");
  return tape_->nodes_[static_cast<std::size_t>(id_)].value;
}

bool Var::requires_grad() const {
  return !detached_ && tape_ && id_ >= 0 &&
         tape_->nodes_[static_cast<std::size_t>(id_)].requires_grad;
}

Var Tape::variable(Array value) {
  nodes_.push_back({std::move(value), Array(), nullptr, true});
  return Var(this, static_cast<int>(nodes_.size() - 1));
}

Var Tape::constant(Array value) {
  return constant(std::make_shared<const Array>(std::move(value)));
}

Var Tape::constant(std::shared_ptr<const Array> value) {
  return Var(this, std::move(value));
}

template <typename Range>
Var Tape::record_from(Array value, const Range& inputs, Backward backward) {
  bool needed = false;
  for (const Var& v : inputs) {
    if (v.tape_ != this) throw Error("autodiff: an operation mixes values of different tapes");
    needed = needed || v.requires_grad();
  }
  if (!recording_ || !needed) return Var(this, std::make_shared<const Array>(std::move(value)));
  nodes_.push_back({std::move(value), Array(), std::move(backward), true});
  return Var(this, static_cast<int>(nodes_.size() - 1));
}

Var Tape::record(Array value, std::initializer_list<Var> inputs, Backward backward) {
  return record_from(std::move(value), inputs, std::move(backward));
}

Var Tape::record(Array value, const std::vector<Var>& inputs, Backward backward) {
  return record_from(std::move(value), inputs, std::move(backward));
}

void Tape::backward(const Var& loss) {
  if (loss.tape_ != this) throw Error("autodiff: backward() of a value from another tape");
  if (loss.rows() != 1 || loss.cols() != 1) {
    throw Error("autodiff: backward() needs a 1x1 loss, got " + std::to_string(loss.rows()) + "x" +
                std::to_string(loss.cols()));
  }
  if (!loss.requires_grad()) throw Error("autodiff: the loss does not depend on any variable");
  accumulate(loss.id_, Array::Ones(1, 1));
  for (int i = loss.id_; i >= 0; --i) {
    Node& node = nodes_[static_cast<std::size_t>(i)];
    if (!node.backward || node.grad.size() == 0) continue;
    // The closure may grow other nodes' gradients but never this node's.
    node.backward(*this, node.value, node.grad);
  }
}

void Tape::accumulate(int id, Array&& g) {
  Node* node = gradient_node(id);
  if (!node) return;
  if (node->grad.size() == 0) {
    node->grad = std::move(g);
  } else {
    node->grad += g;
  }
}

Array* Tape::grad_buffer(int id) {
  Node* node = gradient_node(id);
  if (!node) return nullptr;
  if (node->grad.size() == 0) node->grad = Array::Zero(node->value.rows(), node->value.cols());
  return &node->grad;
}

Array Tape::grad(const Var& v) const {
  if (v.requires_grad()) {
    const Node& node = nodes_[static_cast<std::size_t>(v.id_)];
    if (node.grad.size() != 0) return node.grad;
  }
  return Array::Zero(v.rows(), v.cols());
}

}  // namespace nmfbench::ad
