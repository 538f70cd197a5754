#pragma once

#include "datasets/dataset.hpp"

namespace nmfbench::data {

// IDMT-SMT-GUITAR: files AR_Lick<n>_KN.wav anywhere under the root; splits SID1-1 (n = 1-6)
// and SID1-2 (n = 7-12), as paper 000.
std::unique_ptr<Dataset> make_idmt_guitar(const DatasetOptions& options);

// LibriSpeech: <subset>/<speaker>/<chapter>/<speaker>-<chapter>-<utt>.flac with sex from
// SPEAKERS.TXT. Female and male speakers in ascending id order are paired one to one; the
// first pairs_per_set pairs form set1, the next set2 (paper 000's SID2-1, SID2-2). Each
// speaker's utterances, in order, give train_seconds of training and the next test_seconds
// of test audio. extra: subset ("test-clean"), pairs_per_set (10), train_seconds (20),
// test_seconds (5).
std::unique_ptr<Dataset> make_librispeech(const DatasetOptions& options);

// TIMIT: TRAIN|TEST/DR*/<F|M><speaker>/*.WAV (NIST SPHERE, either letter case); splits train
// and test. Per speaker the first 9 sentences in name order are training audio and the last
// one is mixed (paper 002); female and male speakers in name order are paired one to one.
// extra: pairs (all that can be formed).
std::unique_ptr<Dataset> make_timit(const DatasetOptions& options);

// Any corpus described by a manifest under the root: extra.manifest (manifest.json), JSON or
// CSV (datasets/manifest.hpp has both formats). Paths are relative to the root.
std::unique_ptr<Dataset> make_folder(const DatasetOptions& options);

// CHiME2 track 2: <root>/{isolated,scaled}/{si_tr_s,si_dt_05,si_et_05}/<snr>/wsj0/<set>/
// <speaker>/<utt>.wav with <snr> one of m6dB, m3dB, 0dB, 3dB, 6dB, 9dB; isolated holds the
// noisy binaural mixtures, scaled the clean reverberated speech at the same path. Splits
// train, dev, test; one example per (SNR, utterance), id <snr>/<speaker>/<utt>, with the
// left channel as its mixture, speech and noise (mixture - speech) as its sources and
// {"snr": "-6dB"} as its label. extra: snrs, train_fraction (see speech_in_noise.hpp).
std::unique_ptr<Dataset> make_chime2(const DatasetOptions& options);

}  // namespace nmfbench::data
