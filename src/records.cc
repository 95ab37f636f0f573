#include "records.h"

#include <xxhash.h>

#include <bit>
#include <cstring>

namespace newsarc {
// Values, signatures and hash inputs are written in host order (docs/format.md).
static_assert(std::endian::native == std::endian::little, "newsarc archives are little-endian");

namespace {

void PutBigEndian(std::string* out, uint64_t v, int bytes) {
  for (int i = bytes - 1; i >= 0; --i) out->push_back(static_cast<char>((v >> (8 * i)) & 0xFF));
}

uint64_t GetBigEndian(std::string_view in, size_t pos, int bytes) {
  uint64_t v = 0;
  for (int i = 0; i < bytes; ++i) v = (v << 8) | static_cast<unsigned char>(in[pos + i]);
  return v;
}

template <typename T>
void AppendLittle(std::string* out, T v) {
  char buf[sizeof(T)];
  std::memcpy(buf, &v, sizeof(T));  // x86 and ARM Linux are little-endian
  out->append(buf, sizeof(T));
}

Status Truncated(const char* what) {
  return Status::Corruption(std::string(what) + " record is truncated");
}

}  // namespace

RecordWriter& RecordWriter::U8(uint8_t v) { return out_.push_back(static_cast<char>(v)), *this; }
RecordWriter& RecordWriter::U32(uint32_t v) { return AppendLittle(&out_, v), *this; }
RecordWriter& RecordWriter::U64(uint64_t v) { return AppendLittle(&out_, v), *this; }
RecordWriter& RecordWriter::F64(double v) { return AppendLittle(&out_, v), *this; }
RecordWriter& RecordWriter::Str(std::string_view s) {
  U32(static_cast<uint32_t>(s.size()));
  return Raw(s);
}
RecordWriter& RecordWriter::Raw(std::string_view s) { return out_.append(s), *this; }
RecordWriter& RecordWriter::Varint(uint64_t v) {
  for (; v >= 0x80; v >>= 7) out_.push_back(static_cast<char>(0x80 | (v & 0x7f)));
  out_.push_back(static_cast<char>(v));
  return *this;
}

bool RecordReader::Take(size_t n, const char** p) {
  if (in_.size() - pos_ < n) return false;
  *p = in_.data() + pos_;
  pos_ += n;
  return true;
}

#define NEWSARC_READ_FIXED(Name, T)         \
  bool RecordReader::Name(T* v) {           \
    const char* p;                          \
    if (!Take(sizeof(T), &p)) return false; \
    std::memcpy(v, p, sizeof(T));           \
    return true;                            \
  }
NEWSARC_READ_FIXED(U8, uint8_t)
NEWSARC_READ_FIXED(U32, uint32_t)
NEWSARC_READ_FIXED(U64, uint64_t)
NEWSARC_READ_FIXED(F64, double)
#undef NEWSARC_READ_FIXED

bool RecordReader::Varint(uint64_t* v) {
  *v = 0;
  for (int shift = 0; shift < 64; shift += 7) {
    uint8_t byte;
    if (!U8(&byte)) return false;
    *v |= uint64_t{byte & 0x7fu} << shift;
    if ((byte & 0x80) == 0) return true;
  }
  return false;  // more than 10 bytes: not a varint this writer made
}

bool RecordReader::Str(std::string* s) {
  uint32_t n;
  const char* p;
  if (!U32(&n) || !Take(n, &p)) return false;
  s->assign(p, n);
  return true;
}

std::string StoryKey(uint64_t story) {
  std::string k;
  PutBigEndian(&k, story, 8);
  return k;
}
uint64_t DecodeStoryKey(std::string_view key) {
  return key.size() < 8 ? 0 : GetBigEndian(key, 0, 8);
}

std::string EntryKey(EntryRef ref) {
  std::string k = StoryKey(ref.story);
  PutBigEndian(&k, ref.version, 4);
  return k;
}
EntryRef DecodeEntryKey(std::string_view key) {
  if (key.size() < 12) return {};
  return {GetBigEndian(key, 0, 8), static_cast<uint32_t>(GetBigEndian(key, 8, 4))};
}

std::string SequenceKey(uint64_t seq) { return StoryKey(seq); }

std::string HashKey(const Hash128& h) {
  std::string k;
  PutBigEndian(&k, h.high, 8);
  PutBigEndian(&k, h.low, 8);
  return k;
}

std::string KeyOfString(std::string_view key) {
  XXH128_hash_t h = XXH3_128bits(key.data(), key.size());
  return HashKey({h.high64, h.low64});
}

std::string BandChunkKey(uint32_t run, uint32_t band, uint32_t first_hash, uint32_t first_seq) {
  std::string k;
  PutBigEndian(&k, run, 4);
  PutBigEndian(&k, band, 2);
  PutBigEndian(&k, first_hash, 4);
  PutBigEndian(&k, first_seq, 4);
  return k;
}

std::string BandRunPrefix(uint32_t run) {
  std::string k;
  PutBigEndian(&k, run, 4);
  return k;
}

bool DecodeBandChunkKey(std::string_view key, uint32_t* run, uint32_t* band, uint32_t* first_hash,
                        uint32_t* first_seq) {
  if (key.size() != 14) return false;
  *run = static_cast<uint32_t>(GetBigEndian(key, 0, 4));
  *band = static_cast<uint32_t>(GetBigEndian(key, 4, 2));
  *first_hash = static_cast<uint32_t>(GetBigEndian(key, 6, 4));
  *first_seq = static_cast<uint32_t>(GetBigEndian(key, 10, 4));
  return true;
}

std::string EncodeStory(const StoryRecord& s) {
  return RecordWriter().U32(s.entries).U64(s.first_time).U64(s.last_time).data();
}

Result<StoryRecord> DecodeStory(std::string_view v) {
  StoryRecord s;
  RecordReader r(v);
  if (!r.U32(&s.entries) || !r.U64(&s.first_time) || !r.U64(&s.last_time)) {
    return Truncated("story");
  }
  return s;
}

std::string EncodeEntry(const EntryInfo& e) {
  RecordWriter w;
  w.U8(static_cast<uint8_t>(e.verdict)).U64(e.of.story).U32(e.of.version).F64(e.similarity);
  w.U64(e.ingest_time).U32(e.raw_size).U32(e.word_count).U64(e.checksum);
  w.U64(e.exact_key.high).U64(e.exact_key.low);
  w.Str(e.key).Str(e.input).Str(e.source).Str(e.title).Str(e.date);
  w.U64(e.seq);  // format 2
  return w.data();
}

Result<EntryInfo> DecodeEntry(EntryRef ref, std::string_view v) {
  EntryInfo e;
  e.ref = ref;
  RecordReader r(v);
  uint8_t verdict;
  bool ok = r.U8(&verdict) && r.U64(&e.of.story) && r.U32(&e.of.version) && r.F64(&e.similarity) &&
            r.U64(&e.ingest_time) && r.U32(&e.raw_size) && r.U32(&e.word_count) &&
            r.U64(&e.checksum) && r.U64(&e.exact_key.high) && r.U64(&e.exact_key.low) &&
            r.Str(&e.key) && r.Str(&e.input) && r.Str(&e.source) && r.Str(&e.title) &&
            r.Str(&e.date);
  if (!ok) return Truncated("entry");
  // Format 1 entries end here; they sort by ingest time instead.
  if (!r.Rest().empty() && !r.U64(&e.seq)) return Truncated("entry");
  if (verdict > static_cast<uint8_t>(Verdict::kVersion)) {
    return Status::Corruption("entry record has an unknown status " + std::to_string(verdict));
  }
  e.verdict = static_cast<Verdict>(verdict);
  return e;
}

std::string EncodeKeyRecord(const KeyRecord& k) {
  return RecordWriter().Raw(EntryKey(k.entry)).U64(k.exact_key.high).U64(k.exact_key.low).data();
}

Result<KeyRecord> DecodeKeyRecord(std::string_view v) {
  if (v.size() != 28) return Truncated("key");
  KeyRecord k;
  k.entry = DecodeEntryKey(v);
  RecordReader r(v.substr(12));
  r.U64(&k.exact_key.high);
  r.U64(&k.exact_key.low);
  return k;
}

// The header is kept small because a delta is often only a few dozen bytes:
// codec in the low 3 bits of the first byte and the chain depth above them,
// the reference as a varint distance back. Size and checksum are in the
// entry record.
std::string EncodeText(const TextRecord& t) {
  RecordWriter w;
  w.U8(static_cast<uint8_t>(t.codec | (t.depth << 3)));
  if (t.codec == kCodecZstdDelta) w.Varint(t.version - t.reference);
  return w.Raw(t.frame).data();
}

Result<TextRecord> DecodeText(std::string_view v, uint32_t version) {
  TextRecord t;
  RecordReader r(v);
  uint8_t head;
  if (!r.U8(&head)) return Truncated("text");
  t.codec = head & 7;
  t.depth = head >> 3;
  t.version = version;
  if (t.codec == kCodecZstdFormat1) {
    // Format 1 repeated the entry's size and checksum here.
    uint32_t size;
    uint64_t checksum;
    if (!r.U32(&size) || !r.U64(&checksum)) return Truncated("text");
  }
  if (t.codec == kCodecZstdDelta) {
    uint64_t distance = 0;
    if (!r.Varint(&distance)) return Truncated("text");
    if (distance == 0 || distance >= version) {
      // version - distance, computed without overflow for any varint.
      std::string ref = distance <= version ? std::to_string(version - distance)
                                            : "-" + std::to_string(distance - version);
      return Status::Corruption("text record refers to version " + ref);
    }
    t.reference = static_cast<uint32_t>(version - distance);
  } else if (t.codec != kCodecZstd && t.codec != kCodecZstdFormat1 && t.codec != kCodecZstdDict) {
    return Status::Corruption("text record has an unknown codec " + std::to_string(t.codec));
  }
  t.frame = r.Rest();
  return t;
}

std::string EncodeSignature(EntryRef entry, const Signature& sig) {
  std::string out = EntryKey(entry);
  out.append(reinterpret_cast<const char*>(sig.data()), sig.size() * sizeof(uint16_t));
  return out;
}

Result<SignatureRecord> DecodeSignature(std::string_view v, int num_perms) {
  if (v.size() != 12 + static_cast<size_t>(num_perms) * sizeof(uint16_t)) {
    return Truncated("signature");
  }
  SignatureRecord rec;
  rec.entry = DecodeEntryKey(v);
  rec.signature.resize(num_perms);
  if (num_perms > 0) std::memcpy(rec.signature.data(), v.data() + 12, v.size() - 12);
  return rec;
}

Result<Signature> DecodeLegacySignature(std::string_view v, int num_perms) {
  if (v.size() != static_cast<size_t>(num_perms) * sizeof(uint32_t)) return Truncated("signature");
  Signature sig(num_perms);
  for (int i = 0; i < num_perms; ++i) {
    uint32_t x;
    std::memcpy(&x, v.data() + 4 * i, 4);
    sig[i] = static_cast<uint16_t>(x);  // format 3 keeps the low 16 bits (minhash.h)
  }
  return sig;
}

std::string EncodeParams(const ArchiveParams& p) {
  return RecordWriter()
      .U32(static_cast<uint32_t>(p.shingle_size))
      .U32(static_cast<uint32_t>(p.num_perms))
      .U64(p.seed)
      .F64(p.near_duplicate_threshold)
      .F64(p.version_threshold)
      .U32(static_cast<uint32_t>(p.bands.bands))
      .U32(static_cast<uint32_t>(p.bands.rows))
      .data();
}

Result<ArchiveParams> DecodeParams(std::string_view v) {
  ArchiveParams p;
  RecordReader r(v);
  uint32_t k, perms, bands, rows;
  if (!r.U32(&k) || !r.U32(&perms) || !r.U64(&p.seed) || !r.F64(&p.near_duplicate_threshold) ||
      !r.F64(&p.version_threshold) || !r.U32(&bands) || !r.U32(&rows)) {
    return Truncated("parameters");
  }
  // Each of bands and rows is at most perms when bands x rows fits; checked
  // here so that Finalize's bands * rows cannot overflow on damaged bytes.
  if (bands > perms || rows > perms) {
    return Status::Corruption("stored parameters are out of range");
  }
  p.shingle_size = static_cast<int>(k);
  p.num_perms = static_cast<int>(perms);
  p.bands = {static_cast<int>(bands), static_cast<int>(rows)};
  ArchiveParams checked = p;
  if (!checked.Finalize().ok()) return Status::Corruption("stored parameters are out of range");
  return p;
}

std::string EncodeSighting(EntryRef entry, uint64_t time, const Article& a) {
  return RecordWriter()
      .Raw(EntryKey(entry))
      .U64(time)
      .Str(a.key)
      .Str(a.meta.source)
      .Str(a.input)
      .data();
}

std::string EncodeReject(uint64_t time, std::string_view input, std::string_view reason) {
  return RecordWriter().U64(time).Str(input).Str(reason).data();
}

}  // namespace newsarc
