//! Interval fuzz: a review interval is spread over a small range around the
//! scheduled one, so cards added together do not stay due together forever.
//!
//! The ranges follow Anki (`rslib/src/scheduler/states/fuzz.rs`). The random
//! factor does not: it is a hash of the card's id and its review count, so
//! the browser and the server (and a replay) pick the same day.

use uuid::Uuid;

/// A number in [0, 1) fixed by the card and how many times it has been
/// reviewed before this answer (splitmix64 of both: integer arithmetic only,
/// so it is the same on every target).
pub fn fuzz_factor(card_id: Uuid, reps: u32) -> f32 {
    let (high, low) = card_id.as_u64_pair();
    let mut z = (high ^ low)
        .wrapping_add(u64::from(reps))
        .wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    // The top 24 bits: exactly representable in an f32.
    ((z ^ (z >> 31)) >> 40) as f32 / (1u64 << 24) as f32
}

/// How many days the interval may move either way: none under 2.5 days,
/// then 15% of the days from 2.5 to 7, 10% from 7 to 20 and 5% beyond.
fn fuzz_delta(interval: f32) -> f32 {
    if interval < 2.5 {
        return 0.0;
    }
    let band = |from: f32, to: f32, share: f32| share * (interval.min(to) - from).max(0.0);
    1.0 + band(2.5, 7.0, 0.15) + band(7.0, 20.0, 0.10) + band(20.0, f32::MAX, 0.05)
}

/// The whole days the fuzzed interval may fall on, within `[minimum, maximum]`.
fn constrained_fuzz_bounds(interval: f32, minimum: u32, maximum: u32) -> (u32, u32) {
    let minimum = minimum.min(maximum);
    let interval = interval.clamp(minimum as f32, maximum as f32);
    let delta = fuzz_delta(interval);
    let lower = ((interval - delta).round() as u32).clamp(minimum, maximum);
    let mut upper = ((interval + delta).round() as u32).clamp(minimum, maximum);
    // Never leave a card without any spread once it is past a couple of days.
    if upper == lower && upper > 2 && upper < maximum {
        upper = lower + 1;
    }
    (lower, upper)
}

/// The interval in whole days, at least `minimum` and at most `maximum`:
/// spread by `factor` when fuzz is on, else just rounded.
pub fn fuzzed_interval(factor: Option<f32>, interval: f32, minimum: u32, maximum: u32) -> u32 {
    match factor {
        Some(factor) => {
            let (lower, upper) = constrained_fuzz_bounds(interval, minimum, maximum);
            // `factor` < 1, so this stays within the bounds.
            (lower as f32 + factor * (1 + upper - lower) as f32).floor() as u32
        }
        None => (interval.round() as u32).clamp(minimum.min(maximum), maximum),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Anki's own expectations for the fuzz range (`fuzz.rs`), at factors
    /// 0, 0.5 and 0.99.
    #[test]
    fn fuzz_ranges_match_anki() {
        let cases: [(f32, u32, u32, [u32; 3]); 8] = [
            (2.5, 1, 1000, [2, 3, 4]),
            (7.0, 1, 1000, [5, 7, 9]),
            (17.0, 1, 1000, [14, 17, 20]),
            (37.0, 1, 1000, [33, 37, 41]),
            (2.0, 3, 1000, [3, 4, 4]),
            (100.0, 101, 1000, [101, 105, 108]),
            (100.0, 1, 99, [92, 96, 99]),
            (100.0, 97, 103, [97, 100, 103]),
        ];
        for (interval, minimum, maximum, expected) in cases {
            let got =
                [0.0, 0.5, 0.99].map(|factor| fuzzed_interval(Some(factor), interval, minimum, maximum));
            assert_eq!(got, expected, "interval {interval} in [{minimum}, {maximum}]");
        }
    }

    #[test]
    fn without_fuzz_the_interval_is_rounded_into_its_bounds() {
        assert_eq!(fuzzed_interval(None, 12.4, 1, 100), 12);
        assert_eq!(fuzzed_interval(None, 0.2, 1, 100), 1);
        assert_eq!(fuzzed_interval(None, 400.0, 1, 365), 365);
    }

    #[test]
    fn the_factor_is_fixed_by_card_and_review_count_and_spread_over_its_range() {
        let card = Uuid::from_u128(0x0123_4567_89ab_cdef_0123_4567_89ab_cdef);
        assert_eq!(fuzz_factor(card, 3), fuzz_factor(card, 3));
        assert_ne!(fuzz_factor(card, 3), fuzz_factor(card, 4));
        let factors: Vec<f32> = (0..1000).map(|reps| fuzz_factor(card, reps)).collect();
        assert!(factors.iter().all(|factor| (0.0..1.0).contains(factor)));
        let mean = factors.iter().sum::<f32>() / factors.len() as f32;
        assert!((mean - 0.5).abs() < 0.05, "mean {mean}");
    }
}
