//! The router and the listener (127.0.0.1 only).

use std::net::SocketAddr;
use std::sync::Arc;

use axum::routing::{any, get};
use axum::Router;
use tokio::net::TcpListener;
use tokio::task::JoinHandle;

use crate::data::SeedSpec;
use crate::state::{Config, Sim};
use crate::{api, controls, page};

pub fn router(sim: Arc<Sim>) -> Router {
    Router::new()
        .route("/k/v1/{*rest}", any(api::handle))
        .route("/k/guest/{space}/v1/{*rest}", any(api::handle))
        .route("/k/static/kintone-sim.js", get(page::shim))
        .route("/k/customization/{index}/{name}", get(page::customization))
        .route("/k/{app}/", get(page::list_page))
        .route("/k/m/{app}/", get(page::mobile_list_page))
        .route("/k/guest/{space}/{app}/", get(page::guest_list_page))
        .merge(controls::routes())
        .with_state(sim)
}

/// A running simulator.
pub struct Server {
    pub addr: SocketAddr,
    pub sim: Arc<Sim>,
    pub task: JoinHandle<()>,
}

impl Server {
    /// `http://127.0.0.1:PORT`
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }
}

/// Builds the data and listens on 127.0.0.1:`port` (0: any free port).
pub async fn start(config: Config, spec: SeedSpec, port: u16) -> Result<Server, String> {
    let sim = Arc::new(tokio::task::spawn_blocking(move || Sim::new(config, spec)).await.map_err(|e| e.to_string())??);
    let listener = TcpListener::bind(("127.0.0.1", port)).await.map_err(|e| format!("listen on 127.0.0.1:{port}: {e}"))?;
    let addr = listener.local_addr().map_err(|e| e.to_string())?;
    let app = router(sim.clone());
    let task = tokio::spawn(async move {
        let _ = axum::serve(listener, app).await;
    });
    Ok(Server { addr, sim, task })
}
