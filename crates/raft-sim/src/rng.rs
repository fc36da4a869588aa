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
    fn fnv_matches_the_published_test_vector() {
        // FNV-1a 64 of "a" is 0xaf63dc4c8601ec8c (Fowler/Noll/Vo test suite).
        assert_eq!(fnv1a64(b"a"), 0xaf63_dc4c_8601_ec8c);
        assert_eq!(fnv1a64(b""), 0xcbf2_9ce4_8422_2325);
    }
}
