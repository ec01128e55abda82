use super::*;
use crate::options::{parse_options, OptionValue};

fn options(order_by: &str, method: &str) -> ReadOptions {
    parse_options(&[
        ("app".into(), OptionValue::Number(1.0)),
        ("orderBy".into(), OptionValue::Str(order_by.into())),
        ("method".into(), OptionValue::Str(method.into())),
    ])
    .unwrap()
}

fn key(field: &str, descending: bool, numeric: bool) -> SortKey {
    SortKey { field: field.into(), descending, numeric }
}

fn id(descending: bool) -> SortKey {
    key("$id", descending, true)
}

fn field(code: &str, field_type: &str, required: bool) -> FieldInfo {
    FieldInfo { code: code.into(), field_type: field_type.into(), required, options: Vec::new() }
}

fn form() -> Vec<FieldInfo> {
    vec![
        field("レコード番号", "RECORD_NUMBER", false),
        field("作成日時", "CREATED_TIME", false),
        field("数値", "NUMBER", true),
        field("任意数値", "NUMBER", false),
        field("日付", "DATE", true),
        field("文字列", "SINGLE_LINE_TEXT", true),
        FieldInfo { options: vec!["B".into(), "A".into()], ..field("選択", "DROP_DOWN", true) },
        field("選択肢なし", "DROP_DOWN", false),
    ]
}

#[test]
fn id_orders_seek_without_reading_the_form() {
    assert_eq!(plan_without_fields(&options("", "auto")), Some(Plan::Seek { keys: vec![id(false)], probes: vec![] }));
    assert_eq!(plan_without_fields(&options("$id desc", "seek")), Some(Plan::Seek { keys: vec![id(true)], probes: vec![] }));
    // No direction means descending in kintone; keys after `$id` cannot change the order.
    assert_eq!(plan_without_fields(&options("$id, 日付 asc", "auto")), Some(Plan::Seek { keys: vec![id(true)], probes: vec![] }));
    assert_eq!(plan_without_fields(&options("日付 asc", "auto")), None);
}

#[test]
fn cursor_and_offset_methods_keep_the_order_with_id_as_tie_breaker() {
    // Ties come back `$id desc`, as kintone returns them; an empty order is `$id asc`.
    let keys = vec![key("文字列", false, false), id(true)];
    assert_eq!(plan_without_fields(&options("文字列 asc", "cursor")), Some(Plan::Cursor { keys: keys.clone() }));
    assert_eq!(plan_without_fields(&options("文字列 asc", "offset")), Some(Plan::Offset { keys }));
    assert_eq!(plan_without_fields(&options("", "cursor")), Some(Plan::Cursor { keys: vec![id(false)] }));
}

#[test]
fn required_numbers_dates_and_system_times_seek_on_a_compound_key() {
    let plan = plan_with_fields(&options("数値 desc, 日付 asc, 作成日時", "auto"), &form()).unwrap();
    assert_eq!(
        plan,
        Plan::Seek {
            keys: vec![key("数値", true, true), key("日付", false, false), key("作成日時", true, false), id(true)],
            // Created time can never be empty; required fields may be, if made required later.
            probes: vec![key("数値", true, true), key("日付", false, false)],
        }
    );
}

#[test]
fn the_record_number_orders_like_id() {
    let plan = plan_with_fields(&options("日付 asc, レコード番号 desc, 数値 asc", "auto"), &form()).unwrap();
    assert_eq!(plan, Plan::Seek { keys: vec![key("日付", false, false), id(true)], probes: vec![key("日付", false, false)] });
}

#[test]
fn other_keys_take_the_cursor_or_are_refused_by_seek_naming_the_key_and_why() {
    for (order, why) in [
        ("文字列 asc", "a SINGLE_LINE_TEXT field has no exact"),
        ("数値 asc, 選択 desc", "a drop-down after a key that is not one"),
        ("数値 asc, 任意数値 desc", "an optional field after another key"),
        ("選択 asc, 選択肢なし asc", "a DROP_DOWN field has no exact"),
        ("存在しない asc", "not a field of the app's form"),
    ] {
        let auto = plan_with_fields(&options(order, "auto"), &form()).unwrap();
        assert!(matches!(auto, Plan::Cursor { .. }), "{order}: {auto:?}");
        let error = plan_with_fields(&options(order, "seek"), &form()).unwrap_err();
        assert_eq!(error.code, SeekErrorCode::UnsupportedOrder);
        assert!(error.message.contains(why), "{order}: {}", error.message);
    }
}

#[test]
fn drop_downs_and_optional_keys_are_read_in_parts() {
    let plan = plan_with_fields(&options("選択 desc, 任意数値 asc, 日付 desc", "seek"), &form()).unwrap();
    assert_eq!(
        plan,
        Plan::Parts(PartPlan {
            selections: vec![(key("選択", true, false), vec!["B".into(), "A".into()])],
            optional: Some(key("任意数値", false, true)),
            rest: vec![key("日付", true, false), id(true)],
            probes: vec![key("日付", true, false)],
        })
    );
    let plan = plan_with_fields(&options("任意数値 desc", "auto"), &form()).unwrap();
    assert_eq!(plan, Plan::Parts(PartPlan { selections: vec![], optional: Some(key("任意数値", true, true)), rest: vec![id(true)], probes: vec![] }));
}

#[test]
fn clauses() {
    assert_eq!(order_clause(&[key("日付", true, false), id(false)]), "order by 日付 desc, $id asc");
    assert_eq!(and_condition("", None), "");
    assert_eq!(and_condition("a = 1 or b = 2", Some("$id > 3")), "(a = 1 or b = 2) and $id > 3");
    assert_eq!(query_text("", "limit 1"), "limit 1");
}
