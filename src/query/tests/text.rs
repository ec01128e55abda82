//! `condition_text` exactness, canonical printing and `quote_string` round trips.

use super::super::*;
use super::parse;

#[test]
fn condition_text_is_the_exact_trimmed_source() {
    let cases = [
        ("a = 1", "a = 1"),
        ("  a = 1  ", "a = 1"),
        ("\u{3000}a = 1\u{3000}", "a = 1"),
        ("\t\r\na = 1\r\n", "a = 1"),
        ("\u{3000}a = 1\u{3000}order by b", "a = 1"),
        ("(a = 1 or b = 2)\n\torder by $id", "(a = 1 or b = 2)"),
        // Inner spacing, case and literals stay as written.
        ("a   =   \"x  \"   limit 5", "a   =   \"x  \""),
        ("A = 1 AND b = 2 ORDER BY c", "A = 1 AND b = 2"),
        ("a = \"x\u{3000}\"\u{3000}", "a = \"x\u{3000}\""),
        ("t = \"a\\\\\" offset 1", "t = \"a\\\\\""),
        ("d>FROM_TODAY( -7 ,DAYS )limit 1", "d>FROM_TODAY( -7 ,DAYS )"),
        ("数値（税込） > 5\u{3000}", "数値（税込） > 5"),
        ("order by a", ""),
        ("limit 5", ""),
        ("", ""),
    ];
    for (src, text) in cases {
        assert_eq!(parse(src).condition_text, text, "{src:?}");
    }
}

#[test]
fn condition_text_reparses_in_parentheses() {
    // The reader sends `(condition_text) and ...`; that must mean the same condition.
    for src in ["a = 1 or b = 2", "x in (\"(\", \")\") ORDER BY y", "c is not empty\u{3000}limit 3"] {
        let q = parse(src);
        let wrapped = parse(&format!("({}) and $id > 5", q.condition_text));
        let expected = Expr::And(vec![
            Expr::Paren(Box::new(q.condition.clone().unwrap())),
            Expr::Condition(Condition {
                field: "$id".into(),
                predicate: Predicate::Compare(CompareOp::Gt, Value::Number("5".into())),
            }),
        ]);
        assert_eq!(wrapped.condition, Some(expected), "{src:?}");
    }
}

#[test]
fn display_prints_canonical_text() {
    let q = parse("a=1 OR (b=\"x\" AND c IN (\"y\",today(),-2.5)) And d Not Like \"z\" ORDER BY e, f DESC LIMIT 5 OFFSET 0");
    assert_eq!(
        q.to_string(),
        "a = 1 or (b = \"x\" and c in (\"y\", TODAY(), -2.5)) and d not like \"z\" order by e, f desc limit 5 offset 0"
    );
    let q = parse("d >= from_today( -7 , days ) or e = THIS_MONTH(last) or f is empty or g not in (LOGINUSER())");
    assert_eq!(
        q.condition.unwrap().to_string(),
        "d >= FROM_TODAY(-7, DAYS) or e = THIS_MONTH(LAST) or f is empty or g not in (LOGINUSER())"
    );
    assert_eq!(parse("").to_string(), "");
    assert_eq!(parse("order by $id asc").to_string(), "order by $id asc");
}

#[test]
fn display_round_trips() {
    let sources = [
        "a = 1 or b = 2 and c = 3",
        "((a = 1 or b = 2)) and (c = 3)",
        "t = \"q\\\"uote\\\\ tab\\t nl\\n\" and u like \"\"",
        "x not in (\"a\", 1, NOW()) or y is not empty order by x asc, y limit 1 offset 2",
    ];
    for src in sources {
        let q = parse(src);
        let again = parse(&q.to_string());
        assert_eq!(
            (again.condition, again.order_by, again.limit, again.offset),
            (q.condition, q.order_by, q.limit, q.offset),
            "{src:?}"
        );
    }
}

#[test]
fn display_parenthesises_hand_built_trees() {
    let c = |f: &str| {
        Expr::Condition(Condition { field: f.into(), predicate: Predicate::IsEmpty })
    };
    let tree = Expr::And(vec![Expr::Or(vec![c("a"), c("b")]), c("c")]);
    assert_eq!(tree.to_string(), "(a is empty or b is empty) and c is empty");
    let tree = Expr::Or(vec![Expr::Or(vec![c("a"), c("b")]), Expr::And(vec![c("c"), c("d")])]);
    assert_eq!(tree.to_string(), "(a is empty or b is empty) or c is empty and d is empty");
}

#[test]
fn quote_string_round_trips_through_the_parser() {
    let values = [
        "",
        "plain",
        "say \"hi\"",
        "back\\slash",
        "trailing\\",
        "\\\"",
        "tab\there",
        "new\nline",
        "crlf\r\n",
        "日本語\u{3000}全角（）",
        "\") or $id > 0 or (a = \"",
        "emoji 🎉",
    ];
    for value in values {
        let quoted = quote_string(value);
        assert!(!quoted.contains(['\t', '\n', '\r']), "{quoted:?} holds a raw control character");
        let q = parse(&format!("t = {quoted} or u in ({quoted}, {quoted})"));
        let v = Value::String(value.into());
        let expected = Expr::Or(vec![
            Expr::Condition(Condition { field: "t".into(), predicate: Predicate::Compare(CompareOp::Eq, v.clone()) }),
            Expr::Condition(Condition { field: "u".into(), predicate: Predicate::In(vec![v.clone(), v]) }),
        ]);
        assert_eq!(q.condition, Some(expected), "{value:?}");
    }
}
