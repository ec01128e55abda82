//! Keyset conditions and their order: what "after this record" means for a list of
//! sort keys, written as kintone query text, and checked on the answers.

use std::cmp::Ordering;

use crate::plan::{SortKey, ID_FIELD};
use crate::query::quote_string;

/// `(k1 > "v1" or (k1 = "v1" and (k2 < "v2" or (k2 = "v2" and $id > 17))))`: the records
/// after `last` (one value per key, `$id` last) in the keys' order. Values are written as
/// string literals; `$id` as a number.
pub fn after_condition(keys: &[SortKey], last: &[String]) -> String {
    let op = |key: &SortKey| if key.descending { '<' } else { '>' };
    let last_index = keys.len() - 1;
    let mut condition = format!("{ID_FIELD} {} {}", op(&keys[last_index]), last[last_index]);
    for index in (0..last_index).rev() {
        let (key, value) = (&keys[index].field, quote_string(&last[index]));
        condition = format!("({key} {} {value} or ({key} = {value} and {condition}))", op(&keys[index]));
    }
    condition
}

/// Compares two key tuples in the keys' order.
pub fn compare_tuples(keys: &[SortKey], a: &[String], b: &[String]) -> Ordering {
    for (index, key) in keys.iter().enumerate() {
        let order = if key.numeric { compare_decimals(&a[index], &b[index]) } else { a[index].cmp(&b[index]) };
        let order = if key.descending { order.reverse() } else { order };
        if order != Ordering::Equal {
            return order;
        }
    }
    Ordering::Equal
}

/// Compares decimal numbers as kintone writes them (`-12.5`, `300`), without parsing
/// floats: float parsing would add kilobytes to the wasm, and exact text is exact.
pub fn compare_decimals(a: &str, b: &str) -> Ordering {
    let (a_negative, a) = split_sign(a);
    let (b_negative, b) = split_sign(b);
    match (a_negative, b_negative) {
        (false, true) => Ordering::Greater,
        (true, false) => Ordering::Less,
        (false, false) => compare_magnitudes(a, b),
        (true, true) => compare_magnitudes(b, a),
    }
}

fn split_sign(text: &str) -> (bool, &str) {
    let text = text.trim();
    match text.strip_prefix('-') {
        // `-0` is zero.
        Some(rest) => (!rest.trim_start_matches(['0', '.']).is_empty(), rest),
        None => (false, text.strip_prefix('+').unwrap_or(text)),
    }
}

fn compare_magnitudes(a: &str, b: &str) -> Ordering {
    let (a_int, a_frac) = a.split_once('.').unwrap_or((a, ""));
    let (b_int, b_frac) = b.split_once('.').unwrap_or((b, ""));
    let (a_int, b_int) = (a_int.trim_start_matches('0'), b_int.trim_start_matches('0'));
    a_int
        .len()
        .cmp(&b_int.len())
        .then_with(|| a_int.cmp(b_int))
        .then_with(|| a_frac.trim_end_matches('0').cmp(b_frac.trim_end_matches('0')))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(field: &str, descending: bool, numeric: bool) -> SortKey {
        SortKey { field: field.into(), descending, numeric }
    }

    #[test]
    fn after_condition_nests_each_key_with_its_own_direction() {
        let keys = [key("日付", false, false), key("数値", true, true), key("$id", false, true)];
        let last = ["2024-01-02".to_string(), "5".to_string(), "17".to_string()];
        assert_eq!(
            after_condition(&keys, &last),
            "(日付 > \"2024-01-02\" or (日付 = \"2024-01-02\" and (数値 < \"5\" or (数値 = \"5\" and $id > 17))))"
        );
        assert_eq!(after_condition(&[key("$id", true, true)], &["9".to_string()]), "$id < 9");
    }

    #[test]
    fn values_are_escaped_string_literals() {
        let keys = [key("k", false, false), key("$id", false, true)];
        let last = ["a \"b\" \\ c".to_string(), "3".to_string()];
        assert_eq!(after_condition(&keys, &last), r#"(k > "a \"b\" \\ c" or (k = "a \"b\" \\ c" and $id > 3))"#);
    }

    #[test]
    fn decimals_compare_by_value() {
        use Ordering::*;
        for (a, b, expected) in [
            ("10", "9", Greater),
            ("-10", "-9", Less),
            ("1.50", "1.5", Equal),
            ("0.1", "0.09", Greater),
            ("-0", "0", Equal),
            ("007", "7", Equal),
            ("-1", "0", Less),
            ("123456789012345678901234567890", "123456789012345678901234567889", Greater),
        ] {
            assert_eq!(compare_decimals(a, b), expected, "{a} vs {b}");
        }
    }

    #[test]
    fn tuples_compare_key_by_key_in_each_direction() {
        let keys = [key("d", true, false), key("$id", false, true)];
        let t = |d: &str, id: &str| [d.to_string(), id.to_string()];
        assert_eq!(compare_tuples(&keys, &t("2024-01-02", "1"), &t("2024-01-01", "9")), Ordering::Less);
        assert_eq!(compare_tuples(&keys, &t("2024-01-01", "10"), &t("2024-01-01", "9")), Ordering::Greater);
    }
}
