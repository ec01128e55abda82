//! The unknown-behaviour switches. Where docs/KINTONE.md says real kintone's answer is
//! unknown, the simulator answers the most likely way by default and each alternative
//! is one command-line flag and one key of `/_sim/behaviour`, so that the library's
//! tests can run under every plausible kintone (scripts/test.sh loops over them).

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// `k = ""` / `k != ""` on NUMBER, CALC, DATE, DATETIME, TIME (and record number,
/// created/updated time): unknown on real kintone.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, clap::ValueEnum)]
#[serde(rename_all = "lowercase")]
pub enum EmptyEquals {
    /// `= ""` finds the empty values, `!= ""` the others (as `= ""` does on text).
    Matches,
    /// `= ""` matches no record, `!= ""` every record.
    Nothing,
    /// 400 `CB_VA01` with `errors.query`, the answer for a value that does not fit the type.
    Refused,
}

/// Every switch. Keys of `/_sim/behaviour` are the camelCase field names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Behaviour {
    pub empty_equals: EmptyEquals,
}

impl Default for Behaviour {
    /// The most likely answers (why: sim/README.md, "Behaviours").
    fn default() -> Behaviour {
        Behaviour { empty_equals: EmptyEquals::Matches }
    }
}

impl Behaviour {
    /// The switches as JSON (`{"emptyEquals":"matches",...}`).
    pub fn to_json(&self) -> Value {
        serde_json::to_value(self).expect("plain enums serialize")
    }

    /// A copy with the keys of `patch` changed; an unknown key or value is an error
    /// that names the known ones.
    pub fn patched(&self, patch: &Value) -> Result<Behaviour, String> {
        let Value::Object(changes) = patch else {
            return Err("expected a JSON object of switches, e.g. {\"emptyEquals\":\"nothing\"}".into());
        };
        let Value::Object(mut all) = self.to_json() else { unreachable!("a struct serializes to an object") };
        for (key, value) in changes {
            if !all.contains_key(key) {
                return Err(format!("unknown behaviour \"{key}\"; the switches are {}", names(&all)));
            }
            all.insert(key.clone(), value.clone());
        }
        serde_json::from_value(Value::Object(all)).map_err(|e| format!("bad behaviour value: {e}"))
    }
}

fn names(all: &Map<String, Value>) -> String {
    all.keys().map(|k| k.as_str()).collect::<Vec<_>>().join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn patches_one_key_and_refuses_unknown_keys_and_values() {
        let b = Behaviour::default().patched(&json!({"emptyEquals": "nothing"})).unwrap();
        assert_eq!(b.empty_equals, EmptyEquals::Nothing);
        let e = b.patched(&json!({"emptyEqual": "nothing"})).unwrap_err();
        assert!(e.contains("emptyEqual") && e.contains("emptyEquals"), "{e}");
        let e = b.patched(&json!({"emptyEquals": "maybe"})).unwrap_err();
        assert!(e.contains("maybe") && e.contains("refused"), "{e}");
    }
}
