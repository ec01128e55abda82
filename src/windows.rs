//! Parallel id windows for a seek on `$id`. A seek's pages depend on each other (each
//! starts after the last id of the one before), so they cannot be read at once. Id
//! windows can: `$id > a and $id <= b` for consecutive ranges, read concurrently and
//! delivered in order. Every record that exists throughout the read has one id and so
//! falls in exactly one window: none is skipped or repeated.
//!
//! The width follows the density of matching ids seen so far, starting with the first
//! page (the ids that `pageSize` records spanned there): a window is made to hold about a
//! page. Where ids are dense, a window then holds at most one page and is complete in one
//! request; where matches thin out, windows widen, so a sparse tail costs few requests;
//! where a window holds more, it is continued by seek inside the window. The last window
//! has no far bound, so records added during the read are read too.

/// One window to read, or the rest of one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Window {
    /// Read ids past this one (exclusive).
    pub after: u64,
    /// Up to this id (inclusive); `None` for the open-ended last window.
    pub until: Option<u64>,
}

/// Hands out windows in reading order.
#[derive(Debug, Clone)]
pub struct WindowPlanner {
    descending: bool,
    page_size: u64,
    /// Ids covered and records found in them so far: the density that sizes windows.
    seen_ids: u64,
    seen_records: u64,
    next_after: u64,
    far_end: u64,
    done: bool,
}

impl WindowPlanner {
    /// Windows after the first page (`first_id` to `last_id`, a full page of `page_size`),
    /// up to `far_end`, the largest id (smallest, descending) that matched at the start.
    pub fn new(descending: bool, first_id: u64, last_id: u64, page_size: u32, far_end: u64) -> Self {
        let page_size = u64::from(page_size);
        let span = first_id.abs_diff(last_id) + 1;
        WindowPlanner { descending, page_size, seen_ids: span, seen_records: page_size, next_after: last_id, far_end, done: false }
    }

    /// A page covered `ids` ids of a window and held `records` records.
    pub fn observe(&mut self, ids: u64, records: u64) {
        self.seen_ids = self.seen_ids.saturating_add(ids);
        self.seen_records = self.seen_records.saturating_add(records);
    }

    /// The ids that hold about a page at the density seen so far (at least a page's worth).
    fn width(&self) -> u64 {
        scale(self.page_size, self.seen_ids, self.seen_records.max(1)).max(self.page_size)
    }

    /// The next window, or `None` once the open-ended one was handed out.
    pub fn next_window(&mut self) -> Option<Window> {
        if self.done {
            return None;
        }
        let after = self.next_after;
        let width = self.width();
        let until = if self.descending {
            after.checked_sub(width).filter(|until| *until > self.far_end && *until > 0)
        } else {
            after.checked_add(width).filter(|until| *until < self.far_end)
        };
        match until {
            // `until` is inclusive, and `after` exclusive: the next window starts at `until`.
            Some(until) => self.next_after = until,
            None => self.done = true,
        }
        Some(Window { after, until })
    }
}

/// `a * b / c` rounded down, `u64::MAX` when larger, without the overflow of `a * b`.
/// Computed in u64 because a u128 division links compiler_builtins' `u128_div_rem`
/// (0.6 KB of the gzipped single file): `b = q * c + m` gives `a * q`, plus
/// `a * m / c` (less than `a`, as `m < c`) built bit by bit of `a`, keeping the quotient
/// and remainder by `c` of `k * m` while `k` grows to `a`.
fn scale(a: u64, b: u64, c: u64) -> u64 {
    let (q, m) = (b / c, b % c);
    let (mut quotient, mut remainder) = (0u64, 0u64);
    for bit in (0..u64::BITS).rev() {
        // k doubles: so do the quotient and the remainder, which stays below c.
        quotient *= 2;
        if remainder >= c - remainder {
            quotient += 1;
            remainder -= c - remainder;
        } else {
            remainder *= 2;
        }
        // k grows by one where `a` has a bit: m is added.
        if a >> bit & 1 == 1 {
            if remainder >= c - m {
                quotient += 1;
                remainder -= c - m;
            } else {
                remainder += m;
            }
        }
    }
    a.checked_mul(q).and_then(|whole| whole.checked_add(quotient)).unwrap_or(u64::MAX)
}

/// `$id > a and $id <= b` (ascending) or `$id < a and $id >= b` (descending); the far
/// bound left out for the open-ended window.
pub fn window_condition(window: &Window, descending: bool) -> String {
    let (near, far) = if descending { ('<', ">=") } else { ('>', "<=") };
    match window.until {
        Some(until) => format!("$id {near} {} and $id {far} {until}", window.after),
        None => format!("$id {near} {}", window.after),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn windows(mut planner: WindowPlanner) -> Vec<Window> {
        std::iter::from_fn(|| planner.next_window()).take(100).collect()
    }

    #[test]
    fn ascending_windows_are_page_wide_where_ids_are_dense_and_the_last_is_open() {
        let planned = windows(WindowPlanner::new(false, 1, 500, 500, 1600));
        assert_eq!(planned, [
            Window { after: 500, until: Some(1000) },
            Window { after: 1000, until: Some(1500) },
            Window { after: 1500, until: None },
        ]);
        assert_eq!(window_condition(&planned[0], false), "$id > 500 and $id <= 1000");
        assert_eq!(window_condition(&planned[2], false), "$id > 1500");
    }

    #[test]
    fn sparse_ids_widen_the_windows() {
        // 500 records spanned ids 10..=2009: windows 2000 ids wide.
        let planned = windows(WindowPlanner::new(false, 10, 2009, 500, 7000));
        assert_eq!(planned[0], Window { after: 2009, until: Some(4009) });
        assert_eq!(planned.len(), 3);
    }

    #[test]
    fn descending_windows_go_down_and_the_last_reaches_the_bottom() {
        let planned = windows(WindowPlanner::new(true, 1600, 1101, 500, 1));
        assert_eq!(planned, [
            Window { after: 1101, until: Some(601) },
            Window { after: 601, until: Some(101) },
            Window { after: 101, until: None },
        ]);
        assert_eq!(window_condition(&planned[0], true), "$id < 1101 and $id >= 601");
    }

    #[test]
    fn windows_widen_where_matches_thin_out() {
        let mut planner = WindowPlanner::new(false, 1, 500, 500, 1_000_000);
        assert_eq!(planner.next_window(), Some(Window { after: 500, until: Some(1000) }));
        // That window held 1 record in its 500 ids: 501 records in 1,000 ids so far.
        planner.observe(500, 1);
        assert_eq!(planner.next_window(), Some(Window { after: 1000, until: Some(1998) }));
        planner.observe(998, 0);
        let next = planner.next_window().unwrap();
        // 501 records in 1,998 ids: each empty window about doubles the next one.
        assert_eq!(next.until.unwrap() - next.after, 1994);
    }

    #[test]
    fn scale_is_the_exact_product_over_the_divisor_saturated() {
        let values = [0, 1, 2, 3, 7, 499, 500, 501, 4096, u64::from(u32::MAX), 1 << 40, (1 << 53) + 1, u64::MAX / 3, u64::MAX - 1, u64::MAX];
        for a in values {
            for b in values {
                for c in values.into_iter().filter(|c| *c > 0) {
                    let wide = u128::from(a) * u128::from(b) / u128::from(c);
                    assert_eq!(scale(a, b, c), u64::try_from(wide).unwrap_or(u64::MAX), "{a} * {b} / {c}");
                }
            }
        }
    }

    #[test]
    fn a_far_end_within_the_first_width_leaves_one_open_window() {
        assert_eq!(windows(WindowPlanner::new(false, 1, 500, 500, 700)), [Window { after: 500, until: None }]);
    }
}
