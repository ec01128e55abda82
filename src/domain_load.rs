//! How many id windows a read may run at once, following the domain's load. Inside a
//! kintone page every user runs the same customization, and they share the domain's
//! concurrency limit (100 requests): a read opens windows only while the domain has
//! ample headroom, as `kintone.api.getConcurrencyLimit()` reports it, re-checks as it
//! goes on, and drops to one window for good at the first 429 `GAIA_TO04`.
//!
//! Sans-IO: the reader asks `wants_sample`, sends the question itself, and hands the
//! answer (or its failure) to `sampled`; nothing here waits or sends.

/// The domain's load, as `kintone.api.getConcurrencyLimit()` answers it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Load {
    /// Requests the domain runs at once at most.
    pub limit: u64,
    /// Requests it runs now (this read's included).
    pub running: u64,
}

/// Windows one read in a page may run at most, however idle the domain: a page is one
/// user, and four windows cut a latency-bound read about fourfold.
pub const MAX_WINDOWS_IN_PAGE: usize = 4;
/// Requests left to the domain's other users: Cybozu's own sample skips work when
/// `running > limit - 20`; below that headroom a read runs one window.
pub const HEADROOM_KEPT: u64 = 20;
/// Spare requests (beyond the headroom kept) that each further window needs, so that
/// several pages checking at the same moment cannot fill the headroom between them.
pub const SPARE_PER_WINDOW: u64 = 10;
/// Window pages between two checks of the load.
pub const PAGES_PER_CHECK: u32 = 8;

/// The windows allowed at `load`, when this read itself runs `own` of the `running`
/// requests: one when the rest of the domain leaves less than the headroom, then one
/// more for every `SPARE_PER_WINDOW` spare requests, up to `max`.
pub fn windows_for(load: Load, own: u64, max: usize) -> usize {
    let others = load.running.saturating_sub(own);
    let spare = load.limit.saturating_sub(HEADROOM_KEPT).saturating_sub(others);
    let allowed = 1 + spare / SPARE_PER_WINDOW;
    usize::try_from(allowed).unwrap_or(usize::MAX).clamp(1, max.max(1))
}

/// The window count of one read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Pace {
    /// The caller's `concurrency` (or the default outside kintone): used as given.
    Fixed(usize),
    /// Follows the domain's load.
    FollowsLoad(LoadPace),
}

impl Pace {
    /// Windows the read may run now.
    pub fn windows(&self) -> usize {
        match self {
            Pace::Fixed(windows) => *windows,
            Pace::FollowsLoad(pace) => pace.windows,
        }
    }

    /// The most windows this read could ever run (whether to plan windows at all).
    pub fn max_windows(&self) -> usize {
        match self {
            Pace::Fixed(windows) => *windows,
            Pace::FollowsLoad(pace) => pace.max,
        }
    }
}

/// The state of a read that follows the domain's load.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoadPace {
    max: usize,
    windows: usize,
    /// A `GAIA_TO04` was seen: one window to the end, whatever the load says later.
    throttled: bool,
    /// The question is out; its answer has not come back.
    asking: bool,
    /// This read's requests in flight when the question went out (counted in `running`).
    own_when_asked: u64,
    /// Window pages since the last answer; `None` before the first question.
    pages_since_check: Option<u32>,
}

impl LoadPace {
    /// A read that may run up to `max` windows; one until the load is known.
    pub fn new(max: usize) -> Self {
        LoadPace { max: max.max(1), windows: 1, throttled: false, asking: false, own_when_asked: 0, pages_since_check: None }
    }

    /// Windows the read may run now.
    pub fn windows(&self) -> usize {
        self.windows
    }

    /// Whether to ask for the load now: once windows start, then every `PAGES_PER_CHECK`
    /// window pages; never while a question is out or after a `GAIA_TO04`.
    pub fn wants_sample(&self) -> bool {
        !self.throttled && !self.asking && self.pages_since_check.is_none_or(|pages| pages >= PAGES_PER_CHECK)
    }

    /// The question went out while `own` requests of this read were in flight.
    pub fn asked(&mut self, own: u64) {
        self.asking = true;
        self.own_when_asked = own;
        self.pages_since_check = Some(0);
    }

    /// The answer: the load, or `None` when the page could not tell (one window then).
    pub fn sampled(&mut self, load: Option<Load>) {
        self.asking = false;
        self.pages_since_check = Some(0);
        if !self.throttled {
            self.windows = load.map_or(1, |load| windows_for(load, self.own_when_asked, self.max));
        }
    }

    /// A window page came back.
    pub fn page_done(&mut self) {
        if let Some(pages) = &mut self.pages_since_check {
            *pages = pages.saturating_add(1);
        }
    }

    /// kintone answered 429 `GAIA_TO04`: the domain is full; one window from now on.
    pub fn throttled(&mut self) {
        self.throttled = true;
        self.windows = 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn load(running: u64) -> Load {
        Load { limit: 100, running }
    }

    #[test]
    fn an_idle_domain_allows_the_most_windows_and_a_busy_one_a_single_window() {
        assert_eq!(windows_for(load(0), 0, 4), 4);
        assert_eq!(windows_for(load(40), 0, 4), 4);
        // Spare beyond the 20 kept: 80 - running; one window more per 10 spare.
        assert_eq!(windows_for(load(55), 0, 4), 3);
        assert_eq!(windows_for(load(65), 0, 4), 2);
        assert_eq!(windows_for(load(71), 0, 4), 1);
        // Cybozu's sample backs off past limit - 20; so does a read, to one window.
        assert_eq!(windows_for(load(81), 0, 4), 1);
        assert_eq!(windows_for(load(100), 0, 4), 1);
        assert_eq!(windows_for(Load { limit: 10, running: 0 }, 0, 4), 1);
        assert_eq!(windows_for(load(0), 0, 2), 2);
    }

    #[test]
    fn the_reads_own_requests_do_not_count_as_load() {
        // 4 of the 66 running are this read's: 62 others leave 18 spare, 2 windows.
        assert_eq!(windows_for(load(66), 4, 4), 2);
        assert_eq!(windows_for(load(66), 0, 4), 2);
        assert_eq!(windows_for(load(70), 4, 4), 2);
        assert_eq!(windows_for(load(70), 0, 4), 2);
        assert_eq!(windows_for(load(74), 4, 4), 2);
        assert_eq!(windows_for(load(74), 0, 4), 1);
        assert_eq!(windows_for(load(3), 4, 4), 4);
    }

    #[test]
    fn one_window_until_the_load_is_known_then_rechecked_every_few_pages() {
        let mut pace = LoadPace::new(4);
        assert_eq!(pace.windows(), 1);
        assert!(pace.wants_sample());
        pace.asked(1);
        assert!(!pace.wants_sample(), "one question at a time");
        pace.page_done();
        pace.sampled(Some(load(1)));
        assert_eq!(pace.windows(), 4);
        for _ in 1..PAGES_PER_CHECK {
            pace.page_done();
            assert!(!pace.wants_sample());
        }
        pace.page_done();
        assert!(pace.wants_sample());
        pace.asked(4);
        pace.sampled(Some(load(90)));
        assert_eq!(pace.windows(), 1, "the domain became busy");
        pace.sampled(Some(load(10)));
        assert_eq!(pace.windows(), 4, "and idle again");
        pace.sampled(None);
        assert_eq!(pace.windows(), 1, "a failed question counts as busy");
    }

    #[test]
    fn a_gaia_to04_drops_to_one_window_for_good() {
        let mut pace = LoadPace::new(4);
        pace.asked(0);
        pace.sampled(Some(load(0)));
        assert_eq!(pace.windows(), 4);
        pace.throttled();
        assert_eq!(pace.windows(), 1);
        for _ in 0..PAGES_PER_CHECK * 2 {
            pace.page_done();
        }
        assert!(!pace.wants_sample(), "no more questions after GAIA_TO04");
        pace.sampled(Some(load(0)));
        assert_eq!(pace.windows(), 1, "an answer already out changes nothing");
    }

    #[test]
    fn a_fixed_pace_is_the_callers_number() {
        assert_eq!(Pace::Fixed(7).windows(), 7);
        assert_eq!(Pace::Fixed(7).max_windows(), 7);
        let pace = Pace::FollowsLoad(LoadPace::new(4));
        assert_eq!((pace.windows(), pace.max_windows()), (1, 4));
    }
}
