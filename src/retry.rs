//! How long to wait before trying again: jittered exponential backoff, so that many
//! clients that failed together do not retry together.

/// First pause before retrying a failed page.
pub const RETRY_FIRST_MS: u64 = 300;
/// Longest pause between two attempts at a page.
pub const RETRY_LONGEST_MS: u64 = 5_000;
/// First pause while all 10 cursors of the domain are taken.
pub const CURSOR_WAIT_FIRST_MS: u64 = 1_000;
/// Longest pause between two attempts to create a cursor.
pub const CURSOR_WAIT_LONGEST_MS: u64 = 8_000;

/// The pause before attempt `attempt + 1` (attempt 1 = the first retry): `first`
/// doubled per attempt up to `longest`, then scaled by a random factor in [0.5, 1).
pub fn backoff_ms(attempt: u32, first: u64, longest: u64, random: f64) -> u64 {
    let doubled = first.saturating_mul(1u64 << attempt.saturating_sub(1).min(20));
    let ceiling = doubled.min(longest);
    let factor = 0.5 + random.clamp(0.0, 1.0) / 2.0;
    ((ceiling as f64) * factor) as u64
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn doubles_up_to_the_ceiling_with_jitter_in_the_upper_half() {
        assert_eq!(backoff_ms(1, 300, 5000, 0.0), 150);
        assert_eq!(backoff_ms(1, 300, 5000, 0.999_999), 299);
        assert_eq!(backoff_ms(2, 300, 5000, 0.0), 300);
        assert_eq!(backoff_ms(3, 300, 5000, 0.0), 600);
        assert_eq!(backoff_ms(10, 300, 5000, 0.0), 2500);
        assert_eq!(backoff_ms(64, 300, 5000, 0.0), 2500);
    }
}
