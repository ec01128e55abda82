//! `kintone-sim`: prints `kintone-sim listening on http://127.0.0.1:PORT` once ready.

use std::io::Write;
use std::path::PathBuf;

use clap::Parser;
use kintone_sim::{start, Behaviour, Config, EmptyEquals, SeedSpec};

#[derive(Parser, Debug)]
#[command(name = "kintone-sim", about = "A local kintone simulator (127.0.0.1 only)")]
struct Args {
    /// Port on 127.0.0.1 (0: any free port).
    #[arg(long, default_value_t = 0)]
    port: u16,
    /// Records of the generated app (default 1000, or no generated app when --data is given).
    #[arg(long)]
    records: Option<u64>,
    /// Seed of the generated app.
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// A JSON file of apps (format in sim/README.md).
    #[arg(long)]
    data: Option<PathBuf>,
    /// Id of the generated app.
    #[arg(long, default_value_t = 1)]
    app: u64,
    /// Puts the generated app in this guest space.
    #[arg(long)]
    guest_space: Option<u64>,
    /// JS (or CSS) files the list page loads, in order (`--customization a.js b.js`, or repeated).
    #[arg(long = "customization", num_args = 1..)]
    customizations: Vec<PathBuf>,
    /// Milliseconds added to every API request.
    #[arg(long, default_value_t = 0)]
    latency_ms: u64,
    /// An accepted API token; repeat for more.
    #[arg(long = "api-token")]
    api_tokens: Vec<String>,
    /// LOGIN:PASSWORD accepted by X-Cybozu-Authorization; repeat for more. The first is
    /// the user of the page. Default: Administrator:cybozu.
    #[arg(long = "user")]
    users: Vec<String>,
    /// `k = ""` on NUMBER, CALC, DATE, DATETIME, TIME (unknown on real kintone): finds
    /// empty values, matches nothing, or is refused (400 CB_VA01).
    #[arg(long, value_enum, default_value_t = Behaviour::default().empty_equals)]
    empty_equals: EmptyEquals,
    /// Exit when standard input closes (a parent that dies never leaves a simulator behind).
    #[arg(long)]
    exit_on_stdin_close: bool,
}

#[tokio::main]
async fn main() {
    let args = Args::parse();
    let exit_on_stdin_close = args.exit_on_stdin_close;
    let behaviour = Behaviour { empty_equals: args.empty_equals };
    let mut config = Config { api_tokens: args.api_tokens, customizations: args.customizations, latency_ms: args.latency_ms, behaviour, ..Config::default() };
    if !args.users.is_empty() {
        config.users = args
            .users
            .iter()
            .map(|u| match u.split_once(':') {
                Some((l, p)) => (l.to_string(), p.to_string()),
                None => {
                    eprintln!("kintone-sim: --user takes LOGIN:PASSWORD, got {u}");
                    std::process::exit(2)
                }
            })
            .collect();
    }
    for c in &config.customizations {
        if !c.is_file() {
            eprintln!("kintone-sim: customization file {} not found", c.display());
            std::process::exit(2);
        }
    }
    let spec = SeedSpec { records: args.records, seed: Some(args.seed), app: Some(args.app), guest_space_id: args.guest_space, data: args.data, apps: None };
    let server = match start(config, spec, args.port).await {
        Ok(s) => s,
        Err(e) => {
            eprintln!("kintone-sim: {e}");
            std::process::exit(1);
        }
    };
    let mut out = std::io::stdout();
    let _ = writeln!(out, "kintone-sim listening on {}", server.url());
    let _ = out.flush();
    let stdin_closed = async {
        if exit_on_stdin_close {
            let mut sink = tokio::io::sink();
            let _ = tokio::io::copy(&mut tokio::io::stdin(), &mut sink).await;
        } else {
            std::future::pending::<()>().await;
        }
    };
    tokio::select! {
        _ = server.task => {}
        _ = tokio::signal::ctrl_c() => {}
        _ = stdin_closed => {}
    }
}
