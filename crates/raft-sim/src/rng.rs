//! Per-subsystem PRNGs derived from one master seed.
//!
//! Every subsystem (each node's election timer, the network, each client, the fuzz schedule)
//! draws from its own `ChaCha8Rng`, so adding a draw in one subsystem never shifts the numbers
//! another subsystem sees. That keeps traces stable when code changes in unrelated places.

use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;

/// One round of SplitMix64: a cheap, well-mixed bijection on u64.
pub fn splitmix64(state: &mut u64) -> u64 {
    *state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
    let mut z = *state;
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// FNV-1a over bytes; used for tags and trace hashing (stable across platforms and releases,
/// unlike std's `DefaultHasher`).
pub fn fnv1a64(bytes: &[u8]) -> u64 {
    let mut h = Fnv64::new();
    h.write(bytes);
    h.finish()
}

/// Incremental 64-bit FNV-1a.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Fnv64(u64);

impl Fnv64 {
    const OFFSET: u64 = 0xcbf2_9ce4_8422_2325;
    const PRIME: u64 = 0x0000_0100_0000_01b3;

    pub fn new() -> Self {
        Fnv64(Self::OFFSET)
    }

    pub fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 ^= u64::from(b);
            self.0 = self.0.wrapping_mul(Self::PRIME);
        }
    }

    pub fn write_u64(&mut self, v: u64) {
        self.write(&v.to_le_bytes());
    }

    pub fn finish(&self) -> u64 {
        self.0
    }
}

impl Default for Fnv64 {
    fn default() -> Self {
        Self::new()
    }
}

/// A 64-bit hash fed whole words: the trace hash and the checkers' entry hashes. Each word is
/// folded in by a step that is a bijection of the state for a given word and of the word for a
/// given state (xor, multiply by an odd constant, xor-shift), so one differing word always
/// leaves a differing state, and identical words after it never bring two states together;
/// the multiply carries low bits up and the shift brings high bits down. `finish` runs
/// MurmurHash3's 64-bit finalizer. Defined on integers only, so it is the same natively and in
/// wasm; FNV-1a needs a multiply per byte, this one per eight.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct WordHash(u64);

impl WordHash {
    const SEED: u64 = 0x243f_6a88_85a3_08d3;
    const K: u64 = 0x9e37_79b9_7f4a_7c15;

    pub fn new() -> Self {
        WordHash(Self::SEED)
    }

    #[inline]
    pub fn word(&mut self, w: u64) {
        let h = (self.0 ^ w).wrapping_mul(Self::K);
        self.0 = h ^ (h >> 32);
    }

    /// Bytes as their length, then little-endian words, the last one padded with zeros (the
    /// length keeps two byte strings from ever giving the same words).
    pub fn bytes(&mut self, bytes: &[u8]) {
        self.word(bytes.len() as u64);
        let mut chunks = bytes.chunks_exact(8);
        for c in &mut chunks {
            self.word(u64::from_le_bytes(c.try_into().expect("8 bytes")));
        }
        let rest = chunks.remainder();
        if !rest.is_empty() {
            let mut last = [0u8; 8];
            last[..rest.len()].copy_from_slice(rest);
            self.word(u64::from_le_bytes(last));
        }
    }

    pub fn finish(&self) -> u64 {
        let mut z = self.0;
        z = (z ^ (z >> 33)).wrapping_mul(0xff51_afd7_ed55_8ccd);
        z = (z ^ (z >> 33)).wrapping_mul(0xc4ce_b9fe_1a85_ec53);
        z ^ (z >> 33)
    }
}

impl Default for WordHash {
    fn default() -> Self {
        Self::new()
    }
}

/// As a `std` hasher, for the simulator's few hash sets (`WordHashSet`): std's default,
/// SipHash with random keys, brought its own code into the wasm for no benefit here (the
/// keys are the simulator's own, and only membership is asked, so the order never shows).
impl std::hash::Hasher for WordHash {
    fn write(&mut self, bytes: &[u8]) {
        self.bytes(bytes);
    }

    fn write_u64(&mut self, w: u64) {
        self.word(w);
    }

    fn write_usize(&mut self, w: usize) {
        self.word(w as u64);
    }

    fn finish(&self) -> u64 {
        WordHash::finish(self)
    }
}

/// A hash set keyed through [`WordHash`].
pub type WordHashSet<T> = std::collections::HashSet<T, std::hash::BuildHasherDefault<WordHash>>;

/// The PRNG of one subsystem: seeded from (master seed, tag, index).
pub fn subsystem_rng(master_seed: u64, tag: &str, index: u64) -> ChaCha8Rng {
    let mut state = master_seed
        ^ fnv1a64(tag.as_bytes()).rotate_left(17)
        ^ index.wrapping_mul(0x2545_F491_4F6C_DD1D);
    let mut seed = [0u8; 32];
    for chunk in seed.chunks_mut(8) {
        chunk.copy_from_slice(&splitmix64(&mut state).to_le_bytes());
    }
    ChaCha8Rng::from_seed(seed)
}

/// A probability in parts per million, drawn as an integer so it is exact on every platform.
pub fn chance_ppm(rng: &mut ChaCha8Rng, ppm: u32) -> bool {
    use rand::Rng;
    if ppm == 0 {
        return false;
    }
    rng.random_range(0..1_000_000u32) < ppm
}

/// A percentage (as validated from JSON) to parts per million.
pub fn pct_to_ppm(pct: f64) -> u32 {
    (pct * 10_000.0).round().clamp(0.0, 1_000_000.0) as u32
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::Rng;

    #[test]
    fn same_master_and_tag_give_the_same_stream() {
        let mut a = subsystem_rng(7, "net", 0);
        let mut b = subsystem_rng(7, "net", 0);
        for _ in 0..100 {
            assert_eq!(a.random::<u64>(), b.random::<u64>());
        }
    }

    #[test]
    fn different_tags_or_indices_give_different_streams() {
        let a: u64 = subsystem_rng(7, "net", 0).random();
        let b: u64 = subsystem_rng(7, "timer", 0).random();
        let c: u64 = subsystem_rng(7, "net", 1).random();
        let d: u64 = subsystem_rng(8, "net", 0).random();
        assert_ne!(a, b);
        assert_ne!(a, c);
        assert_ne!(a, d);
    }

    #[test]
    fn word_hash_tells_apart_one_flipped_bit_a_swap_and_padding() {
        let hash = |words: &[u64]| {
            let mut h = WordHash::new();
            words.iter().for_each(|&w| h.word(w));
            h.finish()
        };
        let base = hash(&[1, 2, 3]);
        assert_eq!(base, hash(&[1, 2, 3]));
        for bit in 0..64 {
            assert_ne!(
                base,
                hash(&[1 ^ (1 << bit), 2, 3]),
                "bit {bit} of the first word"
            );
            assert_ne!(
                base,
                hash(&[1, 2, 3 ^ (1 << bit)]),
                "bit {bit} of the last word"
            );
        }
        assert_ne!(base, hash(&[2, 1, 3]));
        let bytes = |b: &[u8]| {
            let mut h = WordHash::new();
            h.bytes(b);
            h.finish()
        };
        assert_ne!(bytes(b"abc"), bytes(b"abc\0"));
        assert_ne!(bytes(b""), bytes(b"\0"));
        assert_ne!(bytes(b"12345678"), bytes(b"12345679"));
    }

    #[test]
    fn fnv_matches_the_published_test_vector() {
        // FNV-1a 64 of "a" is 0xaf63dc4c8601ec8c (Fowler/Noll/Vo test suite).
        assert_eq!(fnv1a64(b"a"), 0xaf63_dc4c_8601_ec8c);
        assert_eq!(fnv1a64(b""), 0xcbf2_9ce4_8422_2325);
    }
}
