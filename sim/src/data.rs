//! Where the data comes from: a generated app, apps from a JSON file, or apps given
//! inline to `POST /_sim/reset`. The file format is described in sim/README.md.

use std::path::PathBuf;

use serde::Deserialize;
use serde_json::Value;

use crate::generate;
use crate::model::{App, Field, FieldType, Record, Users};
use crate::state::Domain;
use crate::values::{empty_value, parse_value};

/// How to build the domain. Every part is optional; with none, one generated app (id 1)
/// of 1,000 records.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct SeedSpec {
    /// Records of the generated app (0: no generated app).
    pub records: Option<u64>,
    /// Seed of the generated app.
    pub seed: Option<u64>,
    /// Id of the generated app (default 1).
    pub app: Option<u64>,
    /// Puts the generated app in this guest space.
    pub guest_space_id: Option<u64>,
    /// A JSON file of apps.
    pub data: Option<PathBuf>,
    /// Apps given inline, in the file's format (`{"apps": [...]}`'s array).
    pub apps: Option<Vec<Value>>,
}

pub fn build_domain(spec: &SeedSpec) -> Result<Domain, String> {
    let mut domain = Domain { users: generate::users(), ..Domain::default() };
    let n = spec.records.unwrap_or(if spec.data.is_some() || spec.apps.is_some() { 0 } else { 1000 });
    if n > 0 {
        let mut app = generate::generate(spec.app.unwrap_or(1), n, spec.seed.unwrap_or(1), &domain.users);
        app.guest_space = spec.guest_space_id;
        domain.apps.insert(app.id, app);
    }
    let mut apps: Vec<Value> = vec![];
    if let Some(path) = &spec.data {
        let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
        let file: Value = serde_json::from_str(&text).map_err(|e| format!("{}: {e}", path.display()))?;
        for u in file.get("users").and_then(Value::as_array).into_iter().flatten() {
            if let Some(code) = u.get("code").and_then(Value::as_str) {
                domain.users.intern(code, u.get("name").and_then(Value::as_str));
            }
        }
        apps.extend(file.get("apps").and_then(Value::as_array).cloned().ok_or("the data file has no \"apps\" array")?);
    }
    apps.extend(spec.apps.iter().flatten().cloned());
    for a in &apps {
        let app = load_app(a, &mut domain.users)?;
        domain.apps.insert(app.id, app);
    }
    Ok(domain)
}

fn parse_field(v: &Value) -> Result<Field, String> {
    let code = v.get("code").and_then(Value::as_str).ok_or("a field has no \"code\"")?;
    let tname = v.get("type").and_then(Value::as_str).ok_or_else(|| format!("field {code} has no \"type\""))?;
    let ftype = FieldType::from_name(tname).ok_or_else(|| format!("field {code}: unknown type {tname}"))?;
    let mut f = Field::new(code, ftype);
    if let Some(label) = v.get("label").and_then(Value::as_str) {
        f.label = label.into();
    }
    f.required = v.get("required").and_then(Value::as_bool).unwrap_or(false);
    f.options = v.get("options").and_then(Value::as_array).into_iter().flatten().filter_map(|o| o.as_str().map(str::to_string)).collect();
    f.sub_fields = v.get("fields").and_then(Value::as_array).into_iter().flatten().map(parse_field).collect::<Result<_, _>>()?;
    Ok(f)
}

fn load_app(v: &Value, users: &mut Users) -> Result<App, String> {
    let id = v.get("id").and_then(Value::as_u64).ok_or("an app has no numeric \"id\"")?;
    let name = v.get("name").and_then(Value::as_str).unwrap_or("app");
    let fields = v.get("fields").and_then(Value::as_array).into_iter().flatten().map(parse_field).collect::<Result<Vec<_>, _>>()?;
    let mut app = App::new(id, name, fields);
    app.guest_space = v.get("guestSpaceId").and_then(Value::as_u64);
    let mut next_row = 1u64;
    for (i, r) in v.get("records").and_then(Value::as_array).into_iter().flatten().enumerate() {
        let rid = r.get("$id").map(|x| x.get("value").unwrap_or(x)).and_then(|x| x.as_u64().or_else(|| x.as_str()?.parse().ok()));
        let rid = rid.unwrap_or(i as u64 + 1);
        let revision = r.get("$revision").map(|x| x.get("value").unwrap_or(x)).and_then(|x| x.as_u64().or_else(|| x.as_str()?.parse().ok())).unwrap_or(1);
        let values = app
            .fields
            .iter()
            .map(|f| match r.get(&f.code) {
                Some(x) => parse_value(f, x, users, &mut next_row),
                None => Ok(default_system_value(f, users)),
            })
            .collect::<Result<Vec<_>, String>>()
            .map_err(|e| format!("app {id}, record {rid}: {e}"))?;
        app.records.push(Record { id: rid, revision, values: values.into() });
    }
    app.records.sort_by_key(|r| r.id);
    app.records.dedup_by_key(|r| r.id);
    app.next_id = app.records.last().map_or(1, |r| r.id + 1);
    app.next_row_id = next_row.max(1_000_000);
    Ok(app)
}

/// System fields missing from a data file: Administrator, 2020-01-01.
fn default_system_value(f: &Field, users: &mut Users) -> crate::model::Val {
    use crate::model::Val;
    match f.ftype {
        FieldType::Creator | FieldType::Modifier => Val::User(users.intern("Administrator", None)),
        FieldType::CreatedTime | FieldType::UpdatedTime => Val::DateTime(1_577_836_800),
        _ => empty_value(f),
    }
}
