//! Every refusal, with its exact character position and the gist of its message.

use super::super::*;

/// Asserts that `src` fails at character `position` (0-based) with a message that
/// contains `needle`.
#[track_caller]
fn fails(src: &str, position: usize, needle: &str) {
    let error = parse_query(src).expect_err(src);
    assert!(error.message.contains(needle), "{src:?}: {:?} does not contain {needle:?}", error.message);
    assert_eq!(error.position, position, "{src:?}: {}", error.message);
}

#[track_caller]
fn order_fails(src: &str, position: usize, needle: &str) {
    let error = parse_order_by(src).expect_err(src);
    assert!(error.message.contains(needle), "{src:?}: {:?} does not contain {needle:?}", error.message);
    assert_eq!(error.position, position, "{src:?}: {}", error.message);
}

#[test]
fn display_is_one_based_and_names_the_problem() {
    let error = parse_query("a = \"x").unwrap_err();
    assert_eq!(error.to_string(), "unterminated string literal starting at character 5");
    let error = parse_query("a =").unwrap_err();
    assert_eq!(error.to_string(), "expected a value after \"=\" but the query ends at character 4");
    let boxed: Box<dyn std::error::Error> = Box::new(error);
    assert!(boxed.to_string().starts_with("expected a value"));
}

#[test]
fn unbalanced_parentheses() {
    fails("(a = 1", 0, "unclosed \"(\"");
    fails("((a = 1)", 0, "unclosed \"(\"");
    fails("(a = 1) and (b = 2", 12, "unclosed \"(\"");
    fails("a = 1)", 5, "unexpected \")\" with no matching \"(\"");
    fails("(a = 1))", 7, "unexpected \")\"");
    fails(")", 0, "expected a condition (a field code or \"(\") but found \")\"");
    fails("()", 1, "expected a condition after \"(\" but found \")\"");
    fails("(a = 1 b = 2)", 7, "expected \"and\", \"or\" or \")\" to close the \"(\" at character 1 but found \"b\"");
}

#[test]
fn missing_values() {
    fails("a =", 3, "expected a value after \"=\" but the query ends");
    fails("a = and b = 1", 4, "expected a value after \"=\" but found \"and\"");
    fails("a >= )", 5, "expected a value after \">=\" but found \")\"");
    fails("a like", 6, "expected a value after \"like\" but the query ends");
    fails("a not like", 10, "expected a value after \"not like\"");
    fails("a = b", 4, "strings need double quotes");
    fails("a = TODAY", 4, "the function TODAY needs parentheses: TODAY()");
    fails("a = 'x'", 4, "unexpected character \"'\"; string literals use double quotes");
}

#[test]
fn string_literal_errors() {
    fails("a = \"x", 4, "unterminated string literal starting");
    fails("a = \"x\\\"", 4, "unterminated string literal starting");
    fails("a = \"x\\", 4, "unterminated string literal starting");
    fails("a = \"x\ty\"", 6, "raw tab inside a string literal; write \\t");
    fails("a = \"x\ny\"", 6, "raw newline inside a string literal; write \\n");
    fails("a = \"x\ry\"", 6, "raw carriage return inside a string literal; write \\r");
    // Positions count characters, not bytes.
    fails("数値（税込） = \"abc", 9, "unterminated string literal");
    fails("日付 = \"今日\t\"", 8, "raw tab");
}

#[test]
fn order_by_errors() {
    fails("order by", 8, "expected a field code after \"order by\" but the query ends");
    fails("a = 1 order by limit 5", 15, "expected a field code after \"order by\" but found \"limit\"");
    fails("order by a,", 11, "expected a field code after \",\" but the query ends");
    fails("order by desc", 9, "expected a field code after \"order by\" but found \"desc\"");
    fails("order by a b", 11, "expected \",\", \"asc\", \"desc\", \"limit\", \"offset\" or the end of the query after a sort key but found \"b\"");
    fails("order by a asc desc", 15, "expected \",\", \"limit\", \"offset\" or the end");
    fails("order by 1", 9, "expected a field code after \"order by\" but found the number 1");
}

#[test]
fn limit_and_offset_errors() {
    fails("limit abc", 6, "expected a non-negative integer after \"limit\" but found \"abc\"");
    fails("limit", 5, "expected a non-negative integer after \"limit\" but the query ends");
    fails("limit -1", 6, "found the number -1");
    fails("limit 1.5", 6, "found the number 1.5");
    fails("limit \"10\"", 6, "found the string \"10\"");
    fails("offset x", 7, "expected a non-negative integer after \"offset\"");
    fails("limit 18446744073709551616", 6, "limit 18446744073709551616 is too large");
    fails("limit 5 6", 8, "expected \"offset\" or the end of the query after the limit but found the number 6");
    fails("offset 5 a", 9, "expected the end of the query after the offset but found \"a\"");
}

#[test]
fn clauses_out_of_order_or_repeated() {
    fails("limit 10 order by a", 9, "\"order by\" must come before \"limit\"");
    fails("offset 1 limit 2", 9, "\"limit\" must come before \"offset\"");
    fails("a = 1 offset 1 order by a", 15, "\"order by\" must come before \"offset\"");
    fails("limit 1 limit 2", 8, "\"limit\" given twice");
    fails("order by a order by b", 11, "\"order by\" given twice");
    fails("order by a offset 1 offset 2", 20, "\"offset\" given twice");
}

#[test]
fn missing_connective_or_condition() {
    fails("a = 1 b = 2", 6, "expected \"and\", \"or\", \"order by\", \"limit\", \"offset\" or the end of the query after the condition but found \"b\"");
    fails("a = 1 \"x\"", 6, "but found the string \"x\"");
    fails("a = 1 and", 9, "expected a condition after \"and\" but the query ends");
    fails("a = 1 or or b = 1", 9, "expected a condition after \"or\" but found \"or\"");
    fails("a = 1 and limit 5", 10, "expected a condition after \"and\" but found \"limit\"");
    fails("a = 1 and order by b", 10, "expected a condition after \"and\" but found \"order\"");
    fails("= 1", 0, "expected a condition (a field code or \"(\") but found \"=\"");
    fails("and a = 1", 0, "expected a condition (a field code or \"(\") but found \"and\"");
}

#[test]
fn operator_errors() {
    fails("a == 1", 2, "unknown operator \"==\"");
    fails("日付 == 1", 3, "kintone compares with a single \"=\"");
    fails("a <> 1", 2, "unknown operator \"<>\" (expected =, !=, >, <, >= or <=); write \"!=\"");
    fails("a => 1", 2, "write \">=\"");
    fails("a ! = 1", 2, "unknown operator \"!\"");
    fails("a", 1, "expected an operator (=, !=, >, <, >=, <=, in, not in, like, not like, is empty or is not empty) after the field code \"a\" but the query ends");
    fails("a contains \"x\"", 2, "after the field code \"a\" but found \"contains\"");
    fails("a not = 1", 6, "expected \"in\" or \"like\" after \"not\" but found \"=\"");
    fails("a is 1", 5, "expected \"empty\" or \"not empty\" after \"is\" but found the number 1");
    fails("a is", 4, "expected \"empty\" or \"not empty\" after \"is\" but the query ends");
    fails("a is not null", 9, "expected \"empty\" after \"is not\" but found \"null\"");
}

#[test]
fn list_errors() {
    fails("a in \"x\"", 5, "expected \"(\" and a list of values after \"in\" but found the string \"x\"");
    fails("a not in \"x\"", 9, "after \"not in\"");
    fails("a in ()", 6, "expected a value after \"(\" but found \")\"");
    fails("a in (\"x\",)", 10, "expected a value after \",\" but found \")\"");
    fails("a in (\"x\" \"y\")", 10, "expected \",\" or \")\" in the list after \"in\" but found the string \"y\"");
    fails("a in (\"x\"", 9, "expected \",\" or \")\" in the list after \"in\" but the query ends");
}

#[test]
fn function_errors() {
    fails("UNKNOWN_FN()", 0, "unknown function \"UNKNOWN_FN\"; kintone's functions are LOGINUSER, PRIMARY_ORGANIZATION, NOW");
    fails("a = UNKNOWN_FN()", 4, "unknown function \"UNKNOWN_FN\"");
    fails("a in (\"x\", NOPE(1))", 11, "unknown function \"NOPE\"");
    fails("TODAY() = 1", 0, "expected a field code but found the function TODAY()");
    fails("d = TODAY(1)", 10, "too many arguments: TODAY takes no arguments");
    fails("d = FROM_TODAY(7)", 16, "too few arguments: FROM_TODAY takes a whole number and DAYS, WEEKS, MONTHS or YEARS");
    fails("d = FROM_TODAY()", 15, "too few arguments");
    fails("d = FROM_TODAY(7, DAYS, 1)", 24, "too many arguments");
    fails("d = FROM_TODAY(1.5, DAYS)", 15, "argument 1 is the number 1.5");
    fails("d = FROM_TODAY(DAYS, 1)", 15, "argument 1 is \"DAYS\"");
    fails("d = FROM_TODAY(1, HOURS)", 18, "argument 2 is \"HOURS\"");
    fails("d = THIS_WEEK(MON)", 14, "THIS_WEEK takes an optional weekday, SUNDAY to SATURDAY, but argument 1 is \"MON\"");
    fails("d = NEXT_WEEK(1)", 14, "argument 1 is the number 1");
    fails("d = THIS_MONTH(FIRST)", 15, "THIS_MONTH takes an optional day of the month or LAST, but argument 1 is \"FIRST\"");
    fails("d = LAST_MONTH(-1)", 15, "argument 1 is the number -1");
    fails("d = THIS_MONTH(\"LAST\")", 15, "argument 1 is the string \"LAST\"");
    fails("d = THIS_MONTH(1, 2)", 18, "too many arguments");
    fails("d = TODAY(", 10, "expected an argument or \")\" in TODAY( but the query ends");
    fails("d = FROM_TODAY(1 DAYS)", 17, "expected \",\" or \")\" in the arguments of FROM_TODAY but found \"DAYS\"");
    fails("d = FROM_TODAY(1,)", 17, "expected an argument or \")\" in FROM_TODAY( but found \")\"");
}

#[test]
fn unexpected_characters_and_malformed_numbers() {
    fails("a = 1 & b = 2", 6, "unexpected character \"&\"");
    fails("テーブル.a = 1", 4, "a table's field is written by its own field code");
    fails("a = 1.", 5, "unexpected character \".\"");
    fails("a\u{a0}= 1", 1, "unexpected character U+00A0; only spaces, tabs, newlines and U+3000 separate words");
    fails("a = - 1", 4, "unexpected character \"-\"; a minus sign must be directly followed by digits");
    fails("a = 1.5x", 4, "malformed number \"1.5x\"");
    fails("a = -5x", 4, "malformed number \"-5x\"");
    fails("a = 1\u{0}", 5, "unexpected character U+0000");
}

#[test]
fn the_first_problem_in_the_text_is_reported() {
    // The syntax error at "b" comes before the unterminated literal.
    fails("a = 1 b \"unterminated", 6, "found \"b\"");
    // The lexer error comes first here.
    fails("a = \"x\ty\" b", 6, "raw tab");
}

#[test]
fn nesting_is_bounded() {
    let deep = |n: usize| format!("{}a = 1{}", "(".repeat(n), ")".repeat(n));
    assert!(parse_query(&deep(100)).is_ok());
    fails(&deep(101), 100, "parentheses nested more than 100 deep");
}

#[test]
fn order_by_alone_errors() {
    order_fails("order by a", 0, "write only the sort keys, without \"order by\"");
    order_fails("a b", 2, "expected \",\", \"asc\", \"desc\" or the end of the query after a sort key but found \"b\"");
    order_fails("a asc desc", 6, "expected \",\" or the end of the query after a sort key but found \"desc\"");
    order_fails("a,", 2, "expected a field code after \",\" but the query ends");
    order_fails(", a", 0, "expected a field code but found \",\"");
    order_fails("asc", 0, "expected a field code but found \"asc\"");
    order_fails("a limit 5", 2, "found \"limit\"");
    order_fails("a = 1", 2, "found \"=\"");
    order_fails("a desc, \"b\"", 8, "expected a field code after \",\" but found the string \"b\"");
}
