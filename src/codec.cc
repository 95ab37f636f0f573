#include "codec.h"

#define ZDICT_STATIC_LINKING_ONLY  // ZDICT_trainFromBuffer_fastCover
#include <zdict.h>
#include <zstd.h>

#include <algorithm>
#include <bit>
#include <memory>
#include <string_view>

namespace newsarc {
namespace {

constexpr int kLevel = 3;  // zstd's default: fast, and texts are small
// Deltas are small, so a slower level that finds longer matches into the
// reference pays: on the fixtures it makes a light edit's delta 12% smaller
// than level 3. Level 6 gives the same sizes as 9 (20-revision chain: equal;
// Wikipedia chain: 0.4% larger; Reuters light edits: equal) at a quarter of
// the time, which matters where most articles are copies (1M benchmark).
constexpr int kDeltaLevel = 6;
// Articles are at most a few MB, so reference + text fit in 2^27 bytes,
// which every zstd decoder accepts without raising its window limit.
constexpr int kMaxWindowLog = 27;

// Dictionary training (fastCover with fixed parameters, no search: about
// 7 ms for 1,000 Reuters articles, against 100 ms for ZDICT_trainFromBuffer,
// for a dictionary within 2% as good). 64 KiB: 110 KiB gains another 2%.
constexpr size_t kDictionaryBytes = 64 << 10;
constexpr size_t kMinSamples = 100;
constexpr size_t kMinSampleBytes = 4 * kDictionaryBytes;

// ZSTD_MAGICNUMBER, little-endian, as it starts every zstd frame.
constexpr std::string_view kMagic("\x28\xb5\x2f\xfd", 4);

struct CCtxDeleter {
  void operator()(ZSTD_CCtx* c) const { ZSTD_freeCCtx(c); }
};
struct DCtxDeleter {
  void operator()(ZSTD_DCtx* c) const { ZSTD_freeDCtx(c); }
};

ZSTD_CCtx* ThreadCCtx() {
  thread_local std::unique_ptr<ZSTD_CCtx, CCtxDeleter> cctx(ZSTD_createCCtx());
  return cctx.get();
}

ZSTD_DCtx* ThreadDCtx() {
  thread_local std::unique_ptr<ZSTD_DCtx, DCtxDeleter> dctx(ZSTD_createDCtx());
  return dctx.get();
}

// The window must span the reference and the text so that matches can
// reach the start of the reference.
int WindowLogFor(size_t bytes) {
  int log = std::bit_width(std::max<size_t>(bytes, 1) - 1);
  return std::clamp(log, ZSTD_cParam_getBounds(ZSTD_c_windowLog).lowerBound, kMaxWindowLog);
}

// Compresses with the context's parameters and drops the magic number.
std::string Compress(ZSTD_CCtx* cctx, std::string_view raw) {
  ZSTD_CCtx_setParameter(cctx, ZSTD_c_contentSizeFlag, 0);
  // A per-thread buffer of ZSTD_compressBound bytes, neither allocated nor
  // zeroed for each text: the result is copied out once, at its size.
  thread_local std::vector<char> buffer;
  buffer.resize(std::max(buffer.size(), ZSTD_compressBound(raw.size())));
  size_t n = ZSTD_compress2(cctx, buffer.data(), buffer.size(), raw.data(), raw.size());
  ZSTD_CCtx_reset(cctx, ZSTD_reset_session_and_parameters);
  // Compression into a buffer of ZSTD_compressBound bytes cannot fail; an
  // empty result would only make callers store the text another way.
  if (ZSTD_isError(n) || n < kMagic.size()) return {};
  return std::string(buffer.data() + kMagic.size(), n - kMagic.size());
}

}  // namespace

std::optional<std::string> TextDictionary::Train(const std::vector<std::string_view>& samples) {
  std::string joined;
  std::vector<size_t> sizes;
  for (std::string_view s : samples) {
    joined.append(s);
    sizes.push_back(s.size());
  }
  if (samples.size() < kMinSamples || joined.size() < kMinSampleBytes) return std::nullopt;
  ZDICT_fastCover_params_t params{};
  params.k = 200;
  params.d = 8;
  params.f = 18;
  params.accel = 4;
  params.zParams.compressionLevel = kLevel;
  std::string dict(kDictionaryBytes, '\0');
  size_t n = ZDICT_trainFromBuffer_fastCover(dict.data(), dict.size(), joined.data(), sizes.data(),
                                             static_cast<unsigned>(sizes.size()), params);
  if (ZDICT_isError(n)) return std::nullopt;  // e.g. samples with too little in common
  dict.resize(n);
  return dict;
}

Result<std::shared_ptr<const TextDictionary>> TextDictionary::Load(std::string bytes) {
  if (ZDICT_getDictID(bytes.data(), bytes.size()) == 0) {
    return Status::Corruption("the text dictionary is not a zstd dictionary");
  }
  auto dict = std::make_shared<TextDictionary>(std::move(bytes));
  dict->ddict_ = ZSTD_createDDict(dict->bytes_.data(), dict->bytes_.size());
  if (dict->ddict_ == nullptr) return Status::Corruption("the text dictionary is damaged");
  return std::shared_ptr<const TextDictionary>(std::move(dict));
}

TextDictionary::~TextDictionary() {
  ZSTD_freeDDict(ddict_);
  ZSTD_freeCDict(cdict_);
}

ZSTD_CDict* TextDictionary::cdict() const {
  std::call_once(cdict_once_,
                 [&] { cdict_ = ZSTD_createCDict(bytes_.data(), bytes_.size(), kLevel); });
  return cdict_;
}

std::string CompressText(std::string_view raw, const TextDictionary* dict) {
  ZSTD_CCtx* cctx = ThreadCCtx();
  ZSTD_CCtx_setParameter(cctx, ZSTD_c_compressionLevel, kLevel);
  if (dict != nullptr && dict->cdict() != nullptr) {
    // The record says which dictionary: the frame need not repeat its id.
    ZSTD_CCtx_setParameter(cctx, ZSTD_c_dictIDFlag, 0);
    ZSTD_CCtx_refCDict(cctx, dict->cdict());
  }
  return Compress(cctx, raw);
}

std::string CompressDelta(std::string_view raw, std::string_view reference) {
  ZSTD_CCtx* cctx = ThreadCCtx();
  ZSTD_CCtx_setParameter(cctx, ZSTD_c_compressionLevel, kDeltaLevel);
  ZSTD_CCtx_setParameter(cctx, ZSTD_c_windowLog, WindowLogFor(raw.size() + reference.size()));
  ZSTD_CCtx_refPrefix(cctx, reference.data(), reference.size());
  return Compress(cctx, raw);
}

Result<std::string> DecompressText(std::string_view stored, size_t raw_size,
                                   std::string_view reference, bool has_magic,
                                   const TextDictionary* dict) {
  std::string frame;
  if (!has_magic) {
    frame.reserve(kMagic.size() + stored.size());
    frame.append(kMagic).append(stored);
    stored = frame;
  }
  ZSTD_DCtx* dctx = ThreadDCtx();
  ZSTD_DCtx_reset(dctx, ZSTD_reset_session_and_parameters);
  ZSTD_DCtx_setParameter(dctx, ZSTD_d_windowLogMax, kMaxWindowLog);
  if (!reference.empty()) ZSTD_DCtx_refPrefix(dctx, reference.data(), reference.size());
  if (dict != nullptr) ZSTD_DCtx_refDDict(dctx, dict->ddict());
  std::string out(raw_size, '\0');
  size_t n = ZSTD_decompressDCtx(dctx, out.data(), out.size(), stored.data(), stored.size());
  if (ZSTD_isError(n)) return Status::Corruption(std::string("zstd: ") + ZSTD_getErrorName(n));
  if (n != raw_size) return Status::Corruption("decompressed size does not match");
  return out;
}

}  // namespace newsarc
