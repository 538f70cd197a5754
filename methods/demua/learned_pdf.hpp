#pragma once

// The statistical model a Phi implies (paper 000, eq. 13):
//   f(r) ∝ exp(-∫ zeta(s) ds),  zeta = exp(Phi),
// evaluated by numerical integration, since the network's integral has no closed form.

#include "core/json.hpp"
#include "methods/demua/phi.hpp"

namespace nmfbench::demua {

// -log f(r) = ∫_1^r zeta(s) ds for each r > 0 (the constant fixed by -log f(1) = 0).
// Integrated in u = log s by 8-point Gauss-Legendre on panels of width 1/8.
Array neg_log_density(const Phi& phi, const Array& r);

// The complex density of an observation y (with yhat = 1) implied by Phi, normalised:
//   log p(y) = log f(|y|^2) - log(pi ∫_0^inf f(r) dr),
// at the given magnitudes |y|, beside the unit-variance complex Gaussian log p = -log pi - |y|^2.
// Paper 000 draws it in Figs. 5 and 7.
struct LearnedPdf {
  Signal magnitude, log_pdf, gaussian_log_pdf;
  Json to_json() const;
};
LearnedPdf learned_pdf(const Phi& phi, const Signal& magnitudes);
// 200 magnitudes log-spaced over [1e-3, 1e2]: the range of Figs. 5 and 7 and then some.
Signal default_pdf_magnitudes();

}  // namespace nmfbench::demua
