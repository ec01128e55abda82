//! Parser tests: the shapes that must parse, here; the errors, in `tests/errors.rs`;
//! `condition_text`, printing and `quote_string`, in `tests/text.rs`.

mod errors;
mod text;

use super::*;

fn parse(src: &str) -> Query {
    parse_query(src).unwrap_or_else(|e| panic!("{src:?} should parse, got: {e}"))
}

fn condition(src: &str) -> Expr {
    parse(src).condition.unwrap_or_else(|| panic!("{src:?} has no condition"))
}

fn on(field: &str, predicate: Predicate) -> Expr {
    Expr::Condition(Condition { field: field.into(), predicate })
}

fn cmp(field: &str, op: CompareOp, value: Value) -> Expr {
    on(field, Predicate::Compare(op, value))
}

fn s(text: &str) -> Value {
    Value::String(text.into())
}

fn n(text: &str) -> Value {
    Value::Number(text.into())
}

fn call(function: Function, args: Vec<FunctionArg>) -> Value {
    Value::Function(FunctionCall { function, args })
}

fn word(w: &str) -> FunctionArg {
    FunctionArg::Word(w.into())
}

fn key(field: &str, direction: Option<Direction>) -> OrderKey {
    OrderKey { field: field.into(), direction }
}

#[test]
fn empty_and_blank_queries_are_empty() {
    for src in ["", "   ", "\u{3000}\t\r\n "] {
        assert_eq!(parse(src), Query::default(), "{src:?}");
    }
}

#[test]
fn simple_comparison_on_a_system_field() {
    assert_eq!(condition("$id > 100"), cmp("$id", CompareOp::Gt, n("100")));
}

#[test]
fn every_comparison_operator() {
    let cases = [
        ("=", CompareOp::Eq),
        ("!=", CompareOp::Ne),
        (">", CompareOp::Gt),
        ("<", CompareOp::Lt),
        (">=", CompareOp::Ge),
        ("<=", CompareOp::Le),
    ];
    for (text, op) in cases {
        assert_eq!(condition(&format!("a {text} 1")), cmp("a", op, n("1")));
        // Operators need no spaces around them.
        assert_eq!(condition(&format!("a{text}\"x\"")), cmp("a", op, s("x")));
    }
}

#[test]
fn and_binds_tighter_than_or() {
    let expected = Expr::Or(vec![
        cmp("a", CompareOp::Eq, n("1")),
        Expr::And(vec![cmp("b", CompareOp::Eq, n("2")), cmp("c", CompareOp::Eq, n("3"))]),
    ]);
    assert_eq!(condition("a = 1 or b = 2 and c = 3"), expected);

    let expected = Expr::Or(vec![
        Expr::And(vec![cmp("a", CompareOp::Eq, n("1")), cmp("b", CompareOp::Eq, n("2"))]),
        cmp("c", CompareOp::Eq, n("3")),
    ]);
    assert_eq!(condition("a = 1 and b = 2 or c = 3"), expected);
}

#[test]
fn chains_are_flat() {
    let abc = |c| vec![cmp("a", c, n("1")), cmp("b", c, n("2")), cmp("c", c, n("3"))];
    assert_eq!(condition("a = 1 and b = 2 and c = 3"), Expr::And(abc(CompareOp::Eq)));
    assert_eq!(condition("a > 1 or b > 2 or c > 3"), Expr::Or(abc(CompareOp::Gt)));
}

#[test]
fn parentheses_group_and_are_kept() {
    let expected = Expr::And(vec![
        Expr::Paren(Box::new(Expr::Or(vec![
            cmp("a", CompareOp::Eq, s("x")),
            cmp("b", CompareOp::Ne, s("y")),
        ]))),
        cmp("数値", CompareOp::Ge, n("10")),
    ]);
    assert_eq!(condition("(a = \"x\" or b != \"y\") and 数値 >= 10"), expected);
    assert_eq!(
        condition("((a = 1))"),
        Expr::Paren(Box::new(Expr::Paren(Box::new(cmp("a", CompareOp::Eq, n("1"))))))
    );
}

#[test]
fn in_and_not_in_lists() {
    assert_eq!(
        condition("ステータス in (\"未着手\", \"進行中\")"),
        on("ステータス", Predicate::In(vec![s("未着手"), s("進行中")]))
    );
    assert_eq!(condition("状態 not in (\"完了\")"), on("状態", Predicate::NotIn(vec![s("完了")])));
    assert_eq!(
        condition("n in (1,-2, 3.5 ,\"x\")"),
        on("n", Predicate::In(vec![n("1"), n("-2"), n("3.5"), s("x")]))
    );
}

#[test]
fn like_and_emptiness() {
    assert_eq!(condition("本文 like \"kintone\""), on("本文", Predicate::Like(s("kintone"))));
    assert_eq!(condition("本文 not like \"x\""), on("本文", Predicate::NotLike(s("x"))));
    assert_eq!(condition("添付 is empty"), on("添付", Predicate::IsEmpty));
    assert_eq!(condition("添付 is not empty"), on("添付", Predicate::IsNotEmpty));
}

#[test]
fn keywords_match_in_any_case() {
    let q = parse("a IN (\"x\") AND b Not Like \"y\" OR c IS NOT EMPTY ORDER BY d DESC LIMIT 5 OFFSET 6");
    let expected = Expr::Or(vec![
        Expr::And(vec![
            on("a", Predicate::In(vec![s("x")])),
            on("b", Predicate::NotLike(s("y"))),
        ]),
        on("c", Predicate::IsNotEmpty),
    ]);
    assert_eq!(q.condition, Some(expected));
    assert_eq!(q.order_by, vec![key("d", Some(Direction::Desc))]);
    assert_eq!((q.limit, q.offset), (Some(5), Some(6)));
}

#[test]
fn functions_in_value_position() {
    assert_eq!(
        condition("作成日時 > FROM_TODAY(-7, DAYS)"),
        cmp("作成日時", CompareOp::Gt, call(Function::FromToday, vec![FunctionArg::Number("-7".into()), word("DAYS")]))
    );
    assert_eq!(
        condition("作成者 in (LOGINUSER())"),
        on("作成者", Predicate::In(vec![call(Function::LoginUser, vec![])]))
    );
    assert_eq!(
        condition("組織 in (PRIMARY_ORGANIZATION(), \"営業部\")"),
        on("組織", Predicate::In(vec![call(Function::PrimaryOrganization, vec![]), s("営業部")]))
    );
}

#[test]
fn every_function_and_its_arguments() {
    let cases: Vec<(&str, Function, Vec<FunctionArg>)> = vec![
        ("NOW()", Function::Now, vec![]),
        ("TODAY()", Function::Today, vec![]),
        ("YESTERDAY()", Function::Yesterday, vec![]),
        ("TOMORROW()", Function::Tomorrow, vec![]),
        ("FROM_TODAY(5,WEEKS)", Function::FromToday, vec![FunctionArg::Number("5".into()), word("WEEKS")]),
        ("FROM_TODAY( 0 , months )", Function::FromToday, vec![FunctionArg::Number("0".into()), word("MONTHS")]),
        ("FROM_TODAY(-1, YEARS)", Function::FromToday, vec![FunctionArg::Number("-1".into()), word("YEARS")]),
        ("THIS_WEEK()", Function::ThisWeek, vec![]),
        ("THIS_WEEK(SUNDAY)", Function::ThisWeek, vec![word("SUNDAY")]),
        ("LAST_WEEK(monday)", Function::LastWeek, vec![word("MONDAY")]),
        ("NEXT_WEEK(SATURDAY)", Function::NextWeek, vec![word("SATURDAY")]),
        ("THIS_MONTH()", Function::ThisMonth, vec![]),
        ("THIS_MONTH(LAST)", Function::ThisMonth, vec![word("LAST")]),
        ("LAST_MONTH(1)", Function::LastMonth, vec![FunctionArg::Number("1".into())]),
        ("NEXT_MONTH(31)", Function::NextMonth, vec![FunctionArg::Number("31".into())]),
        ("THIS_YEAR()", Function::ThisYear, vec![]),
        ("LAST_YEAR()", Function::LastYear, vec![]),
        ("NEXT_YEAR()", Function::NextYear, vec![]),
        // Function names match case-insensitively, like keywords.
        ("today()", Function::Today, vec![]),
    ];
    for (text, function, args) in cases {
        assert_eq!(condition(&format!("d = {text}")), cmp("d", CompareOp::Eq, call(function, args)), "{text}");
    }
    for f in Function::ALL {
        assert_eq!(Function::from_name(f.name()), Some(*f));
    }
}

#[test]
fn escapes_in_string_literals_are_decoded() {
    assert_eq!(condition(r#"title = "say \"hi\" \\ bye""#), cmp("title", CompareOp::Eq, s("say \"hi\" \\ bye")));
    assert_eq!(condition(r#"t = "a\tb\nc\rd""#), cmp("t", CompareOp::Eq, s("a\tb\nc\rd")));
    // Unknown escapes keep the character after the backslash.
    assert_eq!(condition(r#"t = "\a\'\é""#), cmp("t", CompareOp::Eq, s("a'é")));
    assert_eq!(condition(r#"t = """#), cmp("t", CompareOp::Eq, s("")));
    // Operators, parentheses and keywords inside literals are just text.
    assert_eq!(condition(r#"t = "(a = 1) or order by""#), cmp("t", CompareOp::Eq, s("(a = 1) or order by")));
}

#[test]
fn numbers_keep_their_text() {
    for text in ["0", "10", "-5", "3.14", "-0.50", "007", "12345678901234567890123"] {
        assert_eq!(condition(&format!("x = {text}")), cmp("x", CompareOp::Eq, n(text)));
    }
}

#[test]
fn whole_query_with_every_clause() {
    let q = parse("日付 = TODAY() order by 日付 desc, $id asc limit 100 offset 200");
    assert_eq!(q.condition, Some(cmp("日付", CompareOp::Eq, call(Function::Today, vec![]))));
    assert_eq!(q.condition_text, "日付 = TODAY()");
    assert_eq!(q.order_by, vec![key("日付", Some(Direction::Desc)), key("$id", Some(Direction::Asc))]);
    assert_eq!(q.limit, Some(100));
    assert_eq!(q.offset, Some(200));
}

#[test]
fn clauses_without_a_condition() {
    let q = parse("order by $id");
    assert_eq!((q.condition, q.condition_text.as_str()), (None, ""));
    assert_eq!(q.order_by, vec![key("$id", None)]);
    assert_eq!(parse("limit 0").limit, Some(0));
    assert_eq!(parse("offset 10").offset, Some(10));
    assert_eq!(parse("limit 1 offset 2").offset, Some(2));
    assert_eq!(parse("a = 1 offset 3").offset, Some(3));
    assert_eq!(parse("order by a, b limit 3").order_by, vec![key("a", None), key("b", None)]);
    assert_eq!(parse(&format!("limit {}", u64::MAX)).limit, Some(u64::MAX));
}

#[test]
fn separators_include_newlines_tabs_and_ideographic_space() {
    assert_eq!(condition("文字列\u{3000}=\u{3000}\"a\""), cmp("文字列", CompareOp::Eq, s("a")));
    let q = parse("a = \"1\"\norder by b");
    assert_eq!(q.condition, Some(cmp("a", CompareOp::Eq, s("1"))));
    assert_eq!(q.order_by, vec![key("b", None)]);
    assert_eq!(condition("a\t=\r\n1"), cmp("a", CompareOp::Eq, n("1")));
}

#[test]
fn field_codes_are_generous() {
    assert_eq!(condition("数値（税込） > 5"), cmp("数値（税込）", CompareOp::Gt, n("5")));
    for field in ["$revision", "文字列__1行_", "ｶﾅ・＿Ａ", "field_1", "2024年度", "Ünïcödé", "order", "by"] {
        assert_eq!(condition(&format!("{field} = 1")), cmp(field, CompareOp::Eq, n("1")), "{field}");
    }
}

#[test]
fn order_by_alone() {
    assert_eq!(parse_order_by(""), Ok(vec![]));
    assert_eq!(parse_order_by(" \u{3000}\n"), Ok(vec![]));
    assert_eq!(
        parse_order_by("日付 desc, $id asc"),
        Ok(vec![key("日付", Some(Direction::Desc)), key("$id", Some(Direction::Asc))])
    );
    assert_eq!(
        parse_order_by("a,b DESC ,\u{3000}c Asc"),
        Ok(vec![key("a", None), key("b", Some(Direction::Desc)), key("c", Some(Direction::Asc))])
    );
    // Alone, `limit` is a field code like any other: nothing follows the keys.
    assert_eq!(parse_order_by("limit"), Ok(vec![key("limit", None)]));
}
