#pragma once

#include "core/types.hpp"

namespace nmfbench {

// Scale-invariant SDR in dB, with both signals made zero-mean first (Le Roux, Wisdom, Erdogan
// & Hershey, "SDR - half-baked or well done?", 2019):
//   a = <e, s> / <s, s>,  SI-SDR = 10 log10(|a s|^2 / |a s - e|^2).
// Throws Error if the lengths differ, a signal is not finite, or the reference is silent.
Real si_sdr(const Signal& reference, const Signal& estimate);

// SI-SDR of the estimate minus SI-SDR of the unprocessed mixture, against the same reference.
Real si_sdr_improvement(const Signal& reference, const Signal& estimate, const Signal& mixture);

// Paper 000, eq. (16): M_a(s, e) = |s|^2 |e|^2 / (s^T e)^2 - 1, the SI-SDR-based training
// loss; zero for e proportional to s. Not zero-meaned, exactly as the paper writes it.
Real loss_ma(const Signal& reference, const Signal& estimate);

// Throws Error naming `what` unless both signals are finite, equally long and non-empty.
void check_comparable(const Signal& reference, const Signal& estimate, const std::string& what);

}  // namespace nmfbench
