//! Starts the simulator in-process on port 0 and talks to it over HTTP.
#![allow(dead_code)]

use kintone_sim::{start, Config, SeedSpec, Server};
use serde_json::{json, Value};

pub const TOKEN: &str = "test-token";

pub struct Sim {
    pub server: Server,
    pub client: reqwest::Client,
}

pub async fn sim(spec: SeedSpec) -> Sim {
    let config = Config { api_tokens: vec![TOKEN.into()], ..Config::default() };
    let server = start(config, spec, 0).await.expect("simulator starts");
    let client = reqwest::Client::builder().timeout(std::time::Duration::from_secs(30)).build().unwrap();
    Sim { server, client }
}

pub async fn generated(records: u64) -> Sim {
    sim(SeedSpec { records: Some(records), seed: Some(7), ..SeedSpec::default() }).await
}

/// A small app (id 10) with the given fields and records, in the data file's format.
pub async fn inline(fields: Value, records: Value) -> Sim {
    let app = json!({ "id": 10, "name": "test", "fields": fields, "records": records });
    sim(SeedSpec { records: Some(0), apps: Some(vec![app]), ..SeedSpec::default() }).await
}

impl Drop for Sim {
    fn drop(&mut self) {
        self.server.task.abort();
    }
}

impl Sim {
    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.server.url(), path)
    }

    /// GET with query-string parameters and the API token; (status, body).
    pub async fn get(&self, path: &str, params: &[(&str, &str)]) -> (u16, Value) {
        let r = self.client.get(self.url(path)).query(params).header("X-Cybozu-API-Token", TOKEN).send().await.unwrap();
        let status = r.status().as_u16();
        (status, r.json().await.unwrap_or(Value::Null))
    }

    /// A request with a JSON body and the API token.
    pub async fn send(&self, method: &str, path: &str, body: Value) -> (u16, Value) {
        let m = reqwest::Method::from_bytes(method.as_bytes()).unwrap();
        let r = self.client.request(m, self.url(path)).json(&body).header("X-Cybozu-API-Token", TOKEN).send().await.unwrap();
        let status = r.status().as_u16();
        (status, r.json().await.unwrap_or(Value::Null))
    }

    /// POST + X-HTTP-Method-Override: GET.
    pub async fn get_by_post(&self, path: &str, body: Value) -> (u16, Value) {
        let r = self
            .client
            .post(self.url(path))
            .json(&body)
            .header("X-Cybozu-API-Token", TOKEN)
            .header("X-HTTP-Method-Override", "GET")
            .send()
            .await
            .unwrap();
        let status = r.status().as_u16();
        (status, r.json().await.unwrap_or(Value::Null))
    }

    pub async fn control(&self, method: &str, path: &str, body: Value) -> Value {
        let m = reqwest::Method::from_bytes(method.as_bytes()).unwrap();
        let r = self.client.request(m, self.url(path)).json(&body).send().await.unwrap();
        assert!(r.status().is_success(), "{path}: {}", r.status());
        r.json().await.unwrap()
    }

    /// Ids of a records GET of app `app` with `query` (panics on an error answer).
    pub async fn ids(&self, app: u64, query: &str) -> Vec<u64> {
        let (status, body) = self.get("/k/v1/records.json", &[("app", &app.to_string()), ("query", query)]).await;
        assert_eq!(status, 200, "{query}: {body}");
        ids_of(&body)
    }

    /// The error code of a records GET.
    pub async fn error(&self, app: u64, query: &str) -> (u16, String) {
        let (status, body) = self.get("/k/v1/records.json", &[("app", &app.to_string()), ("query", query)]).await;
        (status, body["code"].as_str().unwrap_or("").to_string())
    }
}

pub fn ids_of(body: &Value) -> Vec<u64> {
    body["records"].as_array().unwrap().iter().map(|r| r["$id"]["value"].as_str().unwrap().parse().unwrap()).collect()
}
