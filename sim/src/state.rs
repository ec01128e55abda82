//! The simulator's shared state: the domain (apps and users), cursors, sessions, the
//! adjustable clock, and the test controls (latency, faults, statistics).

use std::collections::{BTreeMap, HashMap};
use std::path::PathBuf;
use std::sync::atomic::{AtomicI64, AtomicUsize, Ordering};
use std::sync::{Mutex, RwLock};
use std::time::{SystemTime, UNIX_EPOCH};

use crate::behaviour::Behaviour;
use crate::cursors::Cursors;
use crate::data::{build_domain, SeedSpec};
use crate::faults::Faults;
use crate::model::{App, Users};

/// What the command line (or a test) configures.
#[derive(Debug, Clone)]
pub struct Config {
    /// Accepted `X-Cybozu-API-Token` values (for every app).
    pub api_tokens: Vec<String>,
    /// `login:password` pairs accepted by `X-Cybozu-Authorization`; the first one is
    /// the user of the page's session.
    pub users: Vec<(String, String)>,
    /// JS files the page loads after its own script, in order.
    pub customizations: Vec<PathBuf>,
    /// Added to every `/k/` API request.
    pub latency_ms: u64,
    /// The unknown-behaviour switches at start (and after `/_sim/reset`).
    pub behaviour: Behaviour,
    /// The simulated users' time zone (TODAY() and its relatives).
    pub user_tz: chrono_tz::Tz,
}

impl Default for Config {
    fn default() -> Config {
        Config {
            api_tokens: vec![],
            users: vec![("Administrator".into(), "cybozu".into())],
            customizations: vec![],
            latency_ms: 0,
            behaviour: Behaviour::default(),
            user_tz: chrono_tz::Asia::Tokyo,
        }
    }
}

/// The apps and users of the domain.
#[derive(Debug, Clone, Default)]
pub struct Domain {
    pub apps: BTreeMap<u64, App>,
    pub users: Users,
}

/// Wall clock plus an offset that tests move (`POST /_sim/clock`).
#[derive(Debug, Default)]
pub struct Clock {
    offset_ms: AtomicI64,
}

impl Clock {
    pub fn now_ms(&self) -> i64 {
        let real = SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.as_millis() as i64).unwrap_or(0);
        real + self.offset_ms.load(Ordering::SeqCst)
    }
    pub fn advance(&self, ms: i64) {
        self.offset_ms.fetch_add(ms, Ordering::SeqCst);
    }
    pub fn offset_ms(&self) -> i64 {
        self.offset_ms.load(Ordering::SeqCst)
    }
}

/// A logged-in browser session: the user and its CSRF token.
#[derive(Debug, Clone)]
pub struct Session {
    pub user: u32,
    pub request_token: String,
}

#[derive(Debug, Default, Clone, serde::Serialize)]
pub struct Stats {
    /// `"GET /k/v1/records.json"` -> count (guest paths normalised to `/k/v1/`).
    pub requests: BTreeMap<String, u64>,
    pub total_requests: u64,
    pub peak_concurrency: usize,
}

pub struct Sim {
    pub config: Config,
    pub domain: RwLock<Domain>,
    pub cursors: Mutex<Cursors>,
    /// Cursor creations run one at a time, as kintone serializes them per domain.
    pub cursor_creation: tokio::sync::Mutex<()>,
    pub clock: Clock,
    pub sessions: Mutex<HashMap<String, Session>>,
    pub stats: Mutex<Stats>,
    pub faults: Mutex<Faults>,
    pub latency_ms: AtomicI64,
    /// The unknown-behaviour switches now (`/_sim/behaviour` changes them).
    pub behaviour: RwLock<Behaviour>,
    /// API requests being answered now.
    pub running: AtomicUsize,
    /// API requests "other users" of the domain run now (`POST /_sim/concurrency`): they
    /// count towards the 100-request limit and the `running` the page is told.
    pub others_running: AtomicUsize,
    /// How the data was made, for `POST /_sim/reset` without a body (the data itself is
    /// not kept twice: a million records would double the memory).
    pub seed: Mutex<SeedSpec>,
}

impl Sim {
    pub fn new(config: Config, spec: SeedSpec) -> Result<Sim, String> {
        let mut domain = build_domain(&spec)?;
        for (login, _) in &config.users {
            domain.users.intern(login, None);
        }
        let latency = config.latency_ms as i64;
        Ok(Sim {
            seed: Mutex::new(spec),
            domain: RwLock::new(domain),
            cursors: Mutex::new(Cursors::default()),
            cursor_creation: tokio::sync::Mutex::new(()),
            clock: Clock::default(),
            sessions: Mutex::new(HashMap::new()),
            stats: Mutex::new(Stats::default()),
            faults: Mutex::new(Faults::default()),
            latency_ms: AtomicI64::new(latency),
            behaviour: RwLock::new(config.behaviour),
            running: AtomicUsize::new(0),
            config,
            others_running: AtomicUsize::new(0),
        })
    }

    /// Replaces the data (and forgets cursors, faults and statistics; latency and the
    /// behaviour switches go back to the command line's).
    pub fn reset(&self, spec: Option<SeedSpec>) -> Result<(), String> {
        let spec = spec.unwrap_or_else(|| self.seed.lock().unwrap().clone());
        // Free the old records before building the new ones.
        *self.domain.write().unwrap() = Domain::default();
        let mut domain = build_domain(&spec)?;
        for (login, _) in &self.config.users {
            domain.users.intern(login, None);
        }
        *self.seed.lock().unwrap() = spec;
        *self.domain.write().unwrap() = domain;
        *self.cursors.lock().unwrap() = Cursors::default();
        *self.faults.lock().unwrap() = Faults::default();
        *self.stats.lock().unwrap() = Stats::default();
        self.latency_ms.store(self.config.latency_ms as i64, Ordering::SeqCst);
        *self.behaviour.write().unwrap() = self.config.behaviour;
        self.others_running.store(0, Ordering::SeqCst);
        Ok(())
    }

    pub fn behaviour(&self) -> Behaviour {
        *self.behaviour.read().unwrap()
    }

    pub fn count_request(&self, key: String) {
        let mut s = self.stats.lock().unwrap();
        *s.requests.entry(key).or_default() += 1;
        s.total_requests += 1;
    }
}
