//! `--keyword-case lower`: a query whose keywords are not all lowercase is refused.
//! The core's parser takes keywords in any case, so this looks at the text itself:
//! every bare word outside string literals that is a keyword in another case.

const KEYWORDS: &[&str] = &["and", "or", "order", "by", "asc", "desc", "limit", "offset", "in", "not", "like", "is", "empty"];

/// The first keyword written in upper or mixed case (`AND`, `Order`), if any.
pub fn non_lowercase_keyword(query: &str) -> Option<String> {
    let mut word = String::new();
    let mut in_string = false;
    let mut escaped = false;
    let mut found = None;
    let mut end_word = |word: &mut String| {
        if found.is_none() && KEYWORDS.contains(&word.to_ascii_lowercase().as_str()) && word.chars().any(|c| c.is_ascii_uppercase()) {
            found = Some(word.clone());
        }
        word.clear();
    };
    for c in query.chars() {
        if in_string {
            match (escaped, c) {
                (true, _) => escaped = false,
                (false, '\\') => escaped = true,
                (false, '"') => in_string = false,
                _ => {}
            }
            continue;
        }
        if c == '"' {
            end_word(&mut word);
            in_string = true;
        } else if c.is_whitespace() || "(),=!<>".contains(c) {
            end_word(&mut word);
        } else {
            word.push(c);
        }
    }
    end_word(&mut word);
    found
}

#[cfg(test)]
mod tests {
    use super::non_lowercase_keyword;

    #[test]
    fn finds_keywords_in_other_cases_outside_strings() {
        assert_eq!(non_lowercase_keyword("a = 1 and b in (\"AND\") order by $id asc limit 5"), None);
        assert_eq!(non_lowercase_keyword("a = 1 AND b = 2"), Some("AND".into()));
        assert_eq!(non_lowercase_keyword("order by $id Asc"), Some("Asc".into()));
        assert_eq!(non_lowercase_keyword("a not like \"x \\\" OR\""), None);
        assert_eq!(non_lowercase_keyword("メモ IS EMPTY"), Some("IS".into()));
        assert_eq!(non_lowercase_keyword("日付 = TODAY()"), None, "functions are upper case");
    }
}
