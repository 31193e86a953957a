#pragma once
// Counter-based random numbers (Random123 Philox4x32-10). A draw is a pure function of
// (seed, member, stream, element, step, index): no generator state, so results cannot depend
// on thread scheduling, batch width or how members are split across processes.
#include <Random123/philox.h>

#include <cstdint>

namespace latwin {

// Identifies one draw. stream names the draw site (a parameter or a random call in an
// equation); index counts extra draws a single sample needs (rejection, Poisson).
struct DrawKey {
  std::uint64_t seed = 0;
  std::uint32_t member = 0;
  std::uint32_t stream = 0;
  std::uint32_t element = 0;
  std::uint32_t step = 0;
};

// Four independent 32-bit words for (key, index).
inline r123::Philox4x32::ctr_type random_words(const DrawKey& key, std::uint32_t index) {
  r123::Philox4x32 rng;
  r123::Philox4x32::ctr_type ctr = {{key.member, key.stream, key.element, key.step}};
  // The index is folded into the key's high word together with the seed's high half; the
  // seed's low half and the index's position keep distinct (seed, index) pairs apart.
  r123::Philox4x32::key_type k = {
      {static_cast<std::uint32_t>(key.seed),
       static_cast<std::uint32_t>(key.seed >> 32) ^ (index * 0x9E3779B9u)}};
  return rng(ctr, k);
}

// A double in the open interval (0, 1) from two 32-bit words, 52 random bits.
inline double words_to_unit(std::uint32_t hi, std::uint32_t lo) {
  std::uint64_t bits = (static_cast<std::uint64_t>(hi) << 20) ^ (lo >> 12);
  bits &= (std::uint64_t{1} << 52) - 1;
  // (bits + 0.5) / 2^52 is exact for 52 bits (53 would round the top value up to 1), so it
  // never hits 0 or 1 and quantile functions stay finite.
  return (static_cast<double>(bits) + 0.5) * 0x1.0p-52;
}

// A stream of uniforms in (0, 1) for one draw site: two per Philox call.
class UniformStream {
 public:
  explicit UniformStream(const DrawKey& key) : key_(key) {}
  double next() {
    if (have_ == 0) {
      words_ = random_words(key_, index_++);
      have_ = 2;
    }
    --have_;
    return have_ == 1 ? words_to_unit(words_.v[0], words_.v[1])
                      : words_to_unit(words_.v[2], words_.v[3]);
  }

 private:
  DrawKey key_;
  std::uint32_t index_ = 0;
  r123::Philox4x32::ctr_type words_{};
  int have_ = 0;
};

}  // namespace latwin
