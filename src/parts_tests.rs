use super::*;

fn key(field: &str, descending: bool, numeric: bool) -> SortKey {
    SortKey { field: field.into(), descending, numeric }
}

fn plan(descending_selection: bool, optional_descending: Option<bool>) -> PartPlan {
    PartPlan {
        selections: vec![(key("優先度", descending_selection, false), vec!["高".into(), "中".into()])],
        optional: optional_descending.map(|descending| key("数量", descending, true)),
        rest: vec![key("$id", true, true)],
        probes: vec![],
    }
}

fn described(parts: &[Part]) -> Vec<String> {
    parts.iter().map(|part| format!("{}{}", part.values[0], match part.empty { Some(true) => "∅", Some(false) => "#", None => "" })).collect()
}

#[test]
fn parts_follow_option_order_with_unselected_and_empty_values_as_the_minimum() {
    assert_eq!(described(&parts(&plan(false, None))), ["", "高", "中"]);
    assert_eq!(described(&parts(&plan(true, None))), ["中", "高", ""]);
    assert_eq!(described(&parts(&plan(false, Some(false)))), ["∅", "#", "高∅", "高#", "中∅", "中#"]);
    assert_eq!(described(&parts(&plan(true, Some(true)))), ["中#", "中∅", "高#", "高∅", "#", "∅"]);
}

#[test]
fn a_part_is_selected_by_its_options_and_seeks_on_the_keys_after_them() {
    let plan = plan(false, Some(true));
    let parts = parts(&plan);
    assert_eq!(selection_condition(&plan, &parts[0]).as_deref(), Some("優先度 in (\"\")"));
    assert_eq!(selection_condition(&plan, &parts[2]).as_deref(), Some("優先度 in (\"高\")"));
    let non_empty = parts.iter().find(|part| part.empty == Some(false)).unwrap();
    assert_eq!(part_keys(&plan, non_empty), vec![key("数量", true, true), key("$id", true, true)]);
    let empty = parts.iter().find(|part| part.empty == Some(true)).unwrap();
    assert_eq!(part_keys(&plan, empty), vec![key("$id", true, true)]);
}

#[test]
fn records_compare_with_empty_first_options_by_position_and_numbers_by_value() {
    let plan = plan(false, Some(false));
    let record = |priority: &str, quantity: &str, id: &str| vec![priority.to_string(), quantity.to_string(), id.to_string()];
    assert_eq!(compare_records(&plan, &all_keys(&plan), &record("", "5", "1"), &record("高", "", "2")), Ordering::Less);
    assert_eq!(compare_records(&plan, &all_keys(&plan), &record("中", "", "1"), &record("高", "9", "2")), Ordering::Greater, "中 is after 高 in option order");
    assert_eq!(compare_records(&plan, &all_keys(&plan), &record("高", "", "1"), &record("高", "-9", "2")), Ordering::Less, "empty is below every number");
    assert_eq!(compare_records(&plan, &all_keys(&plan), &record("高", "10", "1"), &record("高", "9", "2")), Ordering::Greater);
    assert_eq!(compare_records(&plan, &all_keys(&plan), &record("高", "9", "1"), &record("高", "9", "2")), Ordering::Greater, "ties: $id desc");
}
