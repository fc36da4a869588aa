//! Per-node clock skew: a node's local clock runs at (1 + ratePpm / 10^6) times simulated time.
//! raft-core only ever sees local time, so a fast clock fires its election timer early and a
//! slow one late, which is what breaks lease reads when the drift bound is exceeded.

/// Maps simulated microseconds to one node's local microseconds, piecewise linear: each change
/// of rate starts a new piece at the current time, so local time never jumps or runs backward.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub struct NodeClock {
    rate_ppm: i64,
    base_sim_us: u64,
    base_local_us: u64,
}

const MILLION: i128 = 1_000_000;

impl NodeClock {
    pub fn rate_ppm(&self) -> i64 {
        self.rate_ppm
    }

    /// Local time at simulated time `sim_us` (which must not precede the last rate change).
    pub fn local_us(&self, sim_us: u64) -> u64 {
        let dt = sim_us.saturating_sub(self.base_sim_us);
        // A true clock (nearly every node, nearly always) needs no 128-bit arithmetic: the
        // formula below gives exactly this when the rate is 0.
        if self.rate_ppm == 0 {
            return self.base_local_us + dt;
        }
        let dt = i128::from(dt);
        let scaled = dt * (MILLION + i128::from(self.rate_ppm)) / MILLION;
        self.base_local_us + scaled as u64
    }

    /// The earliest simulated time at which local time reaches `local_us`.
    pub fn sim_us_for_local(&self, local_us: u64) -> u64 {
        if local_us <= self.base_local_us {
            return self.base_sim_us;
        }
        if self.rate_ppm == 0 {
            return self.base_sim_us + (local_us - self.base_local_us);
        }
        let dl = i128::from(local_us - self.base_local_us);
        let rate = MILLION + i128::from(self.rate_ppm);
        // ceil(dl * 10^6 / rate), then make sure rounding in local_us() agrees.
        let mut dt = (dl * MILLION + rate - 1) / rate;
        while self.local_us(self.base_sim_us + dt as u64) < local_us {
            dt += 1;
        }
        self.base_sim_us + dt as u64
    }

    /// Change the rate at simulated time `now_us`.
    pub fn set_rate(&mut self, now_us: u64, rate_ppm: i64) {
        let local = self.local_us(now_us);
        self.base_sim_us = now_us;
        self.base_local_us = local;
        self.rate_ppm = rate_ppm;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_unskewed_clock_reads_simulated_time() {
        let c = NodeClock::default();
        assert_eq!(c.local_us(123_456), 123_456);
        assert_eq!(c.sim_us_for_local(5_000), 5_000);
    }

    #[test]
    fn a_fast_clock_reaches_a_deadline_early_and_never_runs_backward() {
        let mut c = NodeClock::default();
        c.set_rate(1_000_000, 100_000); // 10% fast from t = 1 s
        assert_eq!(c.local_us(1_000_000), 1_000_000);
        assert_eq!(c.local_us(2_000_000), 2_100_000);
        let t = c.sim_us_for_local(2_100_000);
        assert!(t <= 2_000_000 && c.local_us(t) >= 2_100_000);
        c.set_rate(3_000_000, -200_000);
        assert_eq!(c.local_us(3_000_000), 3_200_000);
        assert_eq!(c.local_us(4_000_000), 4_000_000);
        let mut last = 0;
        for s in (0..5_000_000).step_by(12_345) {
            let l = c.local_us(s.max(3_000_000));
            assert!(l >= last);
            last = l;
        }
    }

    #[test]
    fn a_true_clock_after_skew_agrees_with_the_general_formula() {
        let mut c = NodeClock::default();
        c.set_rate(1_000_000, 250_000);
        c.set_rate(3_000_000, 0);
        let general = |c: &NodeClock, sim_us: u64| {
            let dt = i128::from(sim_us.saturating_sub(c.base_sim_us));
            c.base_local_us + (dt * (MILLION + i128::from(c.rate_ppm)) / MILLION) as u64
        };
        for s in (0..9_000_000).step_by(7_919) {
            assert_eq!(c.local_us(s), general(&c, s), "at {s}");
        }
        for local in [0u64, 1, 3_499_999, 3_500_000, 3_500_001, 8_000_000] {
            let s = c.sim_us_for_local(local);
            assert!(c.local_us(s) >= local);
            assert!(s <= c.base_sim_us || c.local_us(s - 1) < local);
        }
    }

    #[test]
    fn the_inverse_is_the_earliest_time() {
        let mut c = NodeClock::default();
        c.set_rate(0, 333);
        for local in [1u64, 999, 1_000_000, 77_777_777] {
            let s = c.sim_us_for_local(local);
            assert!(c.local_us(s) >= local);
            assert!(s == 0 || c.local_us(s - 1) < local);
        }
    }
}
