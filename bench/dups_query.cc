// In-process `dups` latency: what `newsarc dups STORY` does after the process
// has started and the archive is open (GetEntry + GetSignature + FindSimilar
// + GetEntry per match), timed per query without process start-up.
//
// Built by bench/run.sh against build-release/libnewsarc_lib.a:
//   dups_query ARCHIVE QUERIES SEED
// Prints one JSON object: open_ms, queries, median_us, p99_us, mean_us,
// max_us, matches_mean.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <random>
#include <vector>

#include "newsarc/archive.h"

using Clock = std::chrono::steady_clock;

int main(int argc, char** argv) {
  if (argc != 4) {
    std::fprintf(stderr, "usage: dups_query ARCHIVE QUERIES SEED\n");
    return 2;
  }
  size_t queries = std::strtoull(argv[2], nullptr, 10);
  std::mt19937_64 rng(std::strtoull(argv[3], nullptr, 10));

  auto t0 = Clock::now();
  auto opened = newsarc::Archive::Open(argv[1]);
  if (!opened.ok()) {
    std::fprintf(stderr, "dups_query: %s\n", opened.status().message().c_str());
    return 1;
  }
  newsarc::Archive& a = *opened.value();
  double open_ms = std::chrono::duration<double, std::milli>(Clock::now() - t0).count();
  auto stats = a.Stats();
  if (!stats.ok() || stats->stories == 0) return 1;
  std::uniform_int_distribution<uint64_t> pick(1, stats->stories);
  double threshold = a.params().version_threshold;

  std::vector<double> us;
  us.reserve(queries);
  size_t matches = 0;
  for (size_t i = 0; i < queries; ++i) {
    uint64_t story = pick(rng);
    auto start = Clock::now();
    auto entry = a.GetEntry({story, 0});
    if (!entry.ok()) return 1;
    auto sig = a.GetSignature(entry->ref);
    if (!sig.ok()) return 1;
    auto found = a.FindSimilar(sig.value(), threshold, story);
    if (!found.ok()) return 1;
    for (const auto& m : found.value()) {
      auto info = a.GetEntry(m.entry);
      if (!info.ok()) return 1;
    }
    us.push_back(std::chrono::duration<double, std::micro>(Clock::now() - start).count());
    matches += found->size();
  }
  std::sort(us.begin(), us.end());
  double sum = 0;
  for (double x : us) sum += x;
  auto q = [&](double p) {
    return us[std::min(us.size() - 1, static_cast<size_t>(p * us.size()))];
  };
  std::printf(
      "{\"open_ms\": %.3f, \"queries\": %zu, \"median_us\": %.1f, \"p99_us\": %.1f, "
      "\"mean_us\": %.1f, \"max_us\": %.1f, \"matches_mean\": %.2f}\n",
      open_ms, us.size(), q(0.5), q(0.99), sum / us.size(), us.back(),
      static_cast<double>(matches) / us.size());
  return 0;
}
