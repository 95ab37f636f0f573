// Records: the byte layout of every LMDB key and value (see docs/format.md).
//
// Keys that are scanned in order (story ids, entry refs, sequences) are
// big-endian; values are little-endian fixed fields followed by
// length-prefixed strings. Decoders check every length and return
// Corruption instead of reading past the end.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "newsarc/archive.h"
#include "newsarc/params.h"
#include "newsarc/status.h"

namespace newsarc {

constexpr uint32_t kFormatVersion = 5;

// meta key of the archive's zstd text dictionary (format 4; codec.h).
constexpr std::string_view kDictionaryKey = "dict";

// Appends fixed-width little-endian fields and length-prefixed strings.
class RecordWriter {
 public:
  RecordWriter& U8(uint8_t v);
  RecordWriter& U32(uint32_t v);
  RecordWriter& U64(uint64_t v);
  RecordWriter& F64(double v);
  RecordWriter& Str(std::string_view s);
  RecordWriter& Raw(std::string_view s);
  RecordWriter& Varint(uint64_t v);  // LEB128
  const std::string& data() const { return out_; }

 private:
  std::string out_;
};

// Reads what RecordWriter wrote; every call fails softly past the end.
class RecordReader {
 public:
  explicit RecordReader(std::string_view in) : in_(in) {}
  bool U8(uint8_t* v);
  bool U32(uint32_t* v);
  bool U64(uint64_t* v);
  bool F64(double* v);
  bool Str(std::string* s);
  bool Varint(uint64_t* v);
  std::string_view Rest() const { return in_.substr(pos_); }

 private:
  bool Take(size_t n, const char** p);
  std::string_view in_;
  size_t pos_ = 0;
};

std::string StoryKey(uint64_t story);
uint64_t DecodeStoryKey(std::string_view key);
std::string EntryKey(EntryRef ref);  // 12 bytes: story BE, version BE
EntryRef DecodeEntryKey(std::string_view key);
std::string SequenceKey(uint64_t seq);
std::string HashKey(const Hash128& h);          // 16 bytes BE
std::string KeyOfString(std::string_view key);  // XXH3-128 of a URL/id, as HashKey
// band_runs keys: run u32be, band u16be, then hash and sequence of the
// chunk's first posting, u32be each (14 bytes).
std::string BandChunkKey(uint32_t run, uint32_t band, uint32_t first_hash, uint32_t first_seq = 0);
std::string BandRunPrefix(uint32_t run);
bool DecodeBandChunkKey(std::string_view key, uint32_t* run, uint32_t* band, uint32_t* first_hash,
                        uint32_t* first_seq);

struct StoryRecord {
  uint32_t entries = 0;
  uint64_t first_time = 0;
  uint64_t last_time = 0;
};
std::string EncodeStory(const StoryRecord& s);
Result<StoryRecord> DecodeStory(std::string_view v);

std::string EncodeEntry(const EntryInfo& e);
Result<EntryInfo> DecodeEntry(EntryRef ref, std::string_view v);

// keys table value: the entry last ingested under a key, and its exact key.
struct KeyRecord {
  EntryRef entry;
  Hash128 exact_key;
};
std::string EncodeKeyRecord(const KeyRecord& k);
Result<KeyRecord> DecodeKeyRecord(std::string_view v);

// texts table value: codec and chain depth, for a delta the distance back to
// its reference (same story), then the zstd frame (docs/format.md); the size
// and XXH3-64 checksum that a decoded text must match are in its entry
// record. `frame` points into the decoded value.
constexpr uint8_t kCodecZstdFormat1 = 1;  // format 1: u32 size, frame with magic number
constexpr uint8_t kCodecZstd = 2;         // a frame on its own
constexpr uint8_t kCodecZstdDelta = 3;    // a frame with an earlier version as prefix
constexpr uint8_t kCodecZstdDict = 4;     // a frame with the archive's text dictionary
struct TextRecord {
  uint8_t codec = kCodecZstd;
  uint8_t depth = 0;       // frames below this one in its chain (0: alone), < 32
  uint32_t version = 0;    // the entry's own version
  uint32_t reference = 0;  // version of the same story; deltas only
  std::string_view frame;
};
std::string EncodeText(const TextRecord& t);
Result<TextRecord> DecodeText(std::string_view v, uint32_t version);

// sigs table value: the entry key, then P x u16.
struct SignatureRecord {
  EntryRef entry;
  Signature signature;
};
std::string EncodeSignature(EntryRef entry, const Signature& sig);
Result<SignatureRecord> DecodeSignature(std::string_view v, int num_perms);
// Formats 1-2: P x u32, narrowed to format 3's 16 bits.
Result<Signature> DecodeLegacySignature(std::string_view v, int num_perms);

std::string EncodeParams(const ArchiveParams& p);
Result<ArchiveParams> DecodeParams(std::string_view v);

std::string EncodeSighting(EntryRef entry, uint64_t time, const Article& a);
std::string EncodeReject(uint64_t time, std::string_view input, std::string_view reason);

}  // namespace newsarc
