use super::*;
use crate::error::SeekErrorCode;
use crate::query::Direction;

fn parse(entries: &[(&str, OptionValue)]) -> Result<ReadOptions, SeekError> {
    let entries: Vec<(String, OptionValue)> = entries.iter().map(|(k, v)| (k.to_string(), v.clone())).collect();
    parse_options(&entries)
}

fn app() -> (&'static str, OptionValue) {
    ("app", OptionValue::Number(3.0))
}

fn s(text: &str) -> OptionValue {
    OptionValue::Str(text.into())
}

fn refused(entries: &[(&str, OptionValue)]) -> SeekError {
    parse(entries).expect_err("should be refused")
}

#[test]
fn defaults() {
    let options = parse(&[app()]).unwrap();
    assert_eq!(options.app, ParamValue::Int(3));
    assert_eq!(options.condition, "");
    assert!(options.order_by.is_empty());
    assert_eq!(options.fields, None);
    assert_eq!(options.method, ReadMethod::Auto);
    assert_eq!(options.page_size, 500);
    assert_eq!(options.guest_space_id, None);
}

#[test]
fn unknown_names_are_refused_with_a_suggestion() {
    let error = refused(&[app(), ("pagesize", OptionValue::Number(10.0))]);
    assert_eq!(error.code, SeekErrorCode::InvalidOption);
    assert!(error.message.contains("Unknown option `pagesize`. Did you mean `pageSize`?"), "{}", error.message);
    let error = refused(&[app(), ("contition", s("a = 1"))]);
    assert!(error.message.contains("Did you mean `condition`?"), "{}", error.message);
    let error = refused(&[app(), ("limit", OptionValue::Number(10.0))]);
    assert!(error.message.starts_with("Unknown option `limit`. Known options: app,"), "{}", error.message);
}

#[test]
fn app_and_guest_space_ids() {
    assert_eq!(refused(&[]).message, "`app` is required: pass the app id, e.g. { app: 12 }.");
    assert_eq!(parse(&[("app", s("42"))]).unwrap().app, ParamValue::Str("42".into()));
    for bad in [OptionValue::Number(0.0), OptionValue::Number(1.5), OptionValue::Number(-2.0), s(""), s("0"), s("12a"), OptionValue::Null] {
        let error = refused(&[("app", bad.clone())]);
        assert_eq!(error.code, SeekErrorCode::InvalidOption, "{bad:?}");
        assert!(error.message.starts_with("`app` must be a positive whole number"), "{}", error.message);
    }
    assert_eq!(parse(&[app(), ("guestSpaceId", s("9"))]).unwrap().guest_space_id, Some(9));
    assert_eq!(parse(&[app(), ("guestSpaceId", OptionValue::Null)]).unwrap().guest_space_id, None);
    assert!(refused(&[app(), ("guestSpaceId", s("x"))]).message.starts_with("`guestSpaceId` must be"));
}

#[test]
fn page_size_is_1_to_500() {
    assert_eq!(parse(&[app(), ("pageSize", OptionValue::Number(1.0))]).unwrap().page_size, 1);
    assert_eq!(parse(&[app(), ("pageSize", OptionValue::Number(500.0))]).unwrap().page_size, 500);
    for bad in [OptionValue::Number(0.0), OptionValue::Number(501.0), OptionValue::Number(2.5), s("100")] {
        let error = refused(&[app(), ("pageSize", bad)]);
        assert!(error.message.starts_with("`pageSize` must be a whole number from 1 to 500"), "{}", error.message);
    }
}

#[test]
fn limit_and_offset_are_refused_with_list_view_advice() {
    for (name, text) in [("condition", "a = 1 limit 10"), ("query", "a = 1 order by $id asc offset 5"), ("query", "limit 100")] {
        let error = refused(&[app(), (name, s(text))]);
        assert_eq!(error.code, SeekErrorCode::InvalidQuery, "{text}");
        assert!(error.message.contains("currentView()"), "{}", error.message);
        assert!(error.message.starts_with(&format!("`{name}` holds `limit` or `offset`")), "{}", error.message);
    }
}

#[test]
fn query_and_condition_forms_exclude_each_other() {
    let error = refused(&[app(), ("query", s("a = 1")), ("condition", s("b = 2"))]);
    assert_eq!(error.code, SeekErrorCode::InvalidOption);
    assert!(error.message.starts_with("Give either `query`, or `condition` and `orderBy`, not both"));
    assert_eq!(refused(&[app(), ("query", s("a = 1")), ("orderBy", s("$id"))]).code, SeekErrorCode::InvalidOption);
    let options = parse(&[app(), ("query", s("a = 1 or b = 2 order by $id desc"))]).unwrap();
    assert_eq!(options.condition, "a = 1 or b = 2");
    assert_eq!(options.order_by.len(), 1);
    assert_eq!(options.order_by[0].direction, Some(Direction::Desc));
}

#[test]
fn syntax_errors_name_the_option_and_order_by_belongs_in_order_by() {
    let error = refused(&[app(), ("condition", s("a = \"unterminated"))]);
    assert_eq!(error.code, SeekErrorCode::InvalidQuery);
    assert!(error.message.starts_with("`condition` is not a valid kintone query ("), "{}", error.message);
    let error = refused(&[app(), ("condition", s("a = 1 order by $id"))]);
    assert!(error.message.starts_with("`condition` holds an `order by` clause"), "{}", error.message);
    let error = refused(&[app(), ("orderBy", s("$id sideways"))]);
    assert!(error.message.starts_with("`orderBy` is not a valid kintone query ("), "{}", error.message);
}

#[test]
fn fields_method_and_numeric_options() {
    let list = |items: Vec<OptionValue>| OptionValue::List(items);
    assert_eq!(parse(&[app(), ("fields", list(vec![s("氏名")]))]).unwrap().fields, Some(vec!["氏名".to_string()]));
    assert!(refused(&[app(), ("fields", list(vec![]))]).message.starts_with("`fields` is empty"));
    assert!(refused(&[app(), ("fields", list(vec![s("a"), OptionValue::Number(1.0)]))]).message.starts_with("`fields` must hold field codes"));
    assert!(refused(&[app(), ("fields", s("a"))]).message.starts_with("`fields` must be an array"));
    assert_eq!(parse(&[app(), ("method", s("seek"))]).unwrap().method, ReadMethod::Seek);
    assert!(refused(&[app(), ("method", s("fast"))]).message.starts_with("`method` must be \"auto\""));
    assert!(refused(&[app(), ("concurrency", OptionValue::Number(0.0))]).message.starts_with("`concurrency` must be"));
    assert!(refused(&[app(), ("retries", OptionValue::Number(-1.0))]).message.starts_with("`retries` must be"));
    assert!(refused(&[app(), ("cursorWaitMs", s("1000"))]).message.starts_with("`cursorWaitMs` must be"));
    // The JS-only options are the facade's to check.
    assert!(parse(&[app(), ("signal", OptionValue::Other("object".into())), ("onProgress", OptionValue::Other("function".into()))]).is_ok());
    let refused_kind = |kind: &str| refused(&[app(), ("condition", OptionValue::Other(kind.into()))]).message;
    assert_eq!(refused_kind("function"), "`condition` must be a string, got a function.");
    assert_eq!(refused_kind("object"), "`condition` must be a string, got an object.");
}
