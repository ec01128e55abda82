//! An order read in parts, each part by seek: one part per option of the leading
//! drop-downs (kintone sorts them by option order, unselected first), and for a key that
//! may be empty, its empty and its non-empty records (empty sorts as the minimum: first
//! ascending, last descending). Concatenated in the order's own sequence, the parts are
//! the order. This module says what the parts are and where a record belongs; the
//! reader (`reader::parts`) reads them.

use std::cmp::Ordering;

use crate::keyset::compare_decimals;
use crate::plan::{PartPlan, SortKey};
use crate::query::quote_string;
use crate::transport::Answer;

/// One part of the order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Part {
    /// For each selection key, the option the part holds (`""`: unselected).
    pub values: Vec<String>,
    /// For the key that may be empty: `Some(true)` in its empty part, `Some(false)` in
    /// its non-empty part; `None` when the order has no such key.
    pub empty: Option<bool>,
}

/// The parts in the order's sequence.
pub fn parts(plan: &PartPlan) -> Vec<Part> {
    let mut combos: Vec<Vec<String>> = vec![Vec::new()];
    for (key, options) in &plan.selections {
        // Unselected sorts first ascending, so last descending.
        let mut values = vec![String::new()];
        values.extend_from_slice(options);
        if key.descending {
            values.reverse();
        }
        let mut next = Vec::with_capacity(combos.len() * values.len());
        for combo in &combos {
            for value in &values {
                let mut combo = combo.clone();
                combo.push(value.clone());
                next.push(combo);
            }
        }
        combos = next;
    }
    let mut parts = Vec::new();
    for values in combos {
        match &plan.optional {
            None => parts.push(Part { values, empty: None }),
            Some(key) => {
                for empty in [!key.descending, key.descending] {
                    parts.push(Part { values: values.clone(), empty: Some(empty) });
                }
            }
        }
    }
    parts
}

/// `k1 in ("A") and k2 in ("")`: the condition of a part's selection values, if any.
pub fn selection_condition(plan: &PartPlan, part: &Part) -> Option<String> {
    let mut condition = String::new();
    for ((key, _), value) in plan.selections.iter().zip(&part.values) {
        if !condition.is_empty() {
            condition.push_str(" and ");
        }
        condition.push_str(&key.field);
        condition.push_str(" in (");
        condition.push_str(&quote_string(value));
        condition.push(')');
    }
    (!condition.is_empty()).then_some(condition)
}

/// `a and b`, either of which may be absent.
pub fn both(a: Option<String>, b: Option<String>) -> Option<String> {
    match (a, b) {
        (Some(a), Some(b)) => Some(format!("{a} and {b}")),
        (a, b) => a.or(b),
    }
}

/// The seek keys inside a part: the key that may be empty (in its non-empty part) and
/// the keys after it, `$id` last.
pub fn part_keys(plan: &PartPlan, part: &Part) -> Vec<SortKey> {
    let mut keys = Vec::with_capacity(plan.rest.len() + 1);
    if let (Some(key), Some(false)) = (&plan.optional, part.empty) {
        keys.push(key.clone());
    }
    keys.extend(plan.rest.iter().cloned());
    keys
}

/// Whether the record at `index` has no value in `field`.
pub fn is_empty_at<A: Answer>(answer: &A, index: usize, field: &str) -> bool {
    answer.record_value(index, field).is_none_or(|value| value.is_empty())
}

/// The part the record at `index` belongs to, or `None` when one of its selection
/// values is none of the options the form listed (an option added during the read).
pub fn part_of<A: Answer>(plan: &PartPlan, parts: &[Part], answer: &A, index: usize) -> Option<usize> {
    let mut values = Vec::with_capacity(plan.selections.len());
    for (key, options) in &plan.selections {
        let value = answer.record_value(index, &key.field).unwrap_or_default();
        if !value.is_empty() && !options.contains(&value) {
            return None;
        }
        values.push(value);
    }
    let empty = plan.optional.as_ref().map(|key| is_empty_at(answer, index, &key.field));
    parts.iter().position(|part| part.values == values && part.empty == empty)
}

/// Every key of the order, `$id` last: selections, the key that may be empty, the rest.
pub fn all_keys(plan: &PartPlan) -> Vec<SortKey> {
    let mut keys = Vec::new();
    for (key, _) in &plan.selections {
        keys.push(key.clone());
    }
    keys.extend(plan.optional.iter().cloned());
    keys.extend(plan.rest.iter().cloned());
    keys
}

/// Compares two records' values of every key (`keys`: `all_keys(plan)`, `$id` last, built
/// once by the caller, as this runs for every comparison of a sort) as kintone orders
/// them: empty values first, options by their position, numbers by value.
pub fn compare_records(plan: &PartPlan, keys: &[SortKey], a: &[String], b: &[String]) -> Ordering {
    for (index, key) in keys.iter().enumerate() {
        let (x, y) = (&a[index], &b[index]);
        let order = match (x.is_empty(), y.is_empty()) {
            (true, true) => Ordering::Equal,
            (true, false) => Ordering::Less,
            (false, true) => Ordering::Greater,
            (false, false) => match plan.selections.get(index) {
                Some((_, options)) => rank(options, x).cmp(&rank(options, y)),
                None if key.numeric => compare_decimals(x, y),
                None => x.cmp(y),
            },
        };
        let order = if key.descending { order.reverse() } else { order };
        if order != Ordering::Equal {
            return order;
        }
    }
    Ordering::Equal
}

fn rank(options: &[String], value: &str) -> usize {
    options.iter().position(|option| option == value).unwrap_or(options.len())
}

#[cfg(test)]
#[path = "parts_tests.rs"]
mod tests;
