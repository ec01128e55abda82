//! `like` as kintone's word search (docs/KINTONE.md: "a word search over a full-text
//! index, not a substring match"), approximated from kintone's help on search:
//!
//! - Latin letters and digits form words; spaces and punctuation separate them. A
//!   keyword matches whole words only (`cy` does not find `cybozu`). Case is ignored
//!   (assumed), full-width letters and digits equal half-width ones.
//! - Japanese (kana and kanji) is indexed by pairs of characters: a keyword of two or
//!   more characters matches anywhere inside a Japanese run (`日本` and `本語` find
//!   `日本語`); a one-character keyword only finds a one-character run (`日` does not).
//!   Katakana and hiragana widths are not folded (an approximation: kintone folds
//!   half-width kana).
//! - Several keywords separated by spaces must all match (assumed).
//!
//! Under `--like-match substring` it is the old case-insensitive substring match.

use crate::behaviour::LikeMatch;

#[derive(Debug, Clone, PartialEq)]
enum Token {
    Latin(String),
    Japanese(Vec<char>),
}

fn is_japanese(c: char) -> bool {
    matches!(c as u32,
        0x3040..=0x30FF   // hiragana, katakana
        | 0x3400..=0x4DBF // CJK extension A
        | 0x4E00..=0x9FFF // CJK unified ideographs
        | 0xF900..=0xFAFF // compatibility ideographs
        | 0xFF66..=0xFF9F // half-width katakana
        | 0x3005 | 0x3006) // 々 〆
}

/// Full-width ASCII letters and digits to half-width, then lowercase.
fn fold(c: char) -> char {
    let c = match c as u32 {
        0xFF10..=0xFF19 | 0xFF21..=0xFF3A | 0xFF41..=0xFF5A => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
        _ => c,
    };
    c.to_lowercase().next().unwrap_or(c)
}

fn tokens(text: &str) -> Vec<Token> {
    let mut out = Vec::new();
    let mut latin = String::new();
    let mut japanese = Vec::new();
    for c in text.chars().map(fold) {
        if is_japanese(c) {
            if !latin.is_empty() {
                out.push(Token::Latin(std::mem::take(&mut latin)));
            }
            japanese.push(c);
        } else if c.is_alphanumeric() {
            if !japanese.is_empty() {
                out.push(Token::Japanese(std::mem::take(&mut japanese)));
            }
            latin.push(c);
        } else {
            // A space or punctuation ends a word.
            if !latin.is_empty() {
                out.push(Token::Latin(std::mem::take(&mut latin)));
            }
            if !japanese.is_empty() {
                out.push(Token::Japanese(std::mem::take(&mut japanese)));
            }
        }
    }
    if !latin.is_empty() {
        out.push(Token::Latin(latin));
    }
    if !japanese.is_empty() {
        out.push(Token::Japanese(japanese));
    }
    out
}

fn contains(hay: &[char], needle: &[char]) -> bool {
    needle.len() <= hay.len() && hay.windows(needle.len()).any(|w| w == needle)
}

/// Whether keyword token `k` (at `index` of `count`) matches text token `t`: inside a
/// phrase the first Japanese token may end a run and the last may start one.
fn token_matches(k: &Token, t: &Token, index: usize, count: usize) -> bool {
    match (k, t) {
        (Token::Latin(a), Token::Latin(b)) => a == b,
        (Token::Japanese(a), Token::Japanese(b)) => {
            if count == 1 {
                if a.len() == 1 { b == a } else { contains(b, a) }
            } else if index == 0 {
                b.ends_with(a)
            } else if index + 1 == count {
                b.starts_with(a)
            } else {
                a == b
            }
        }
        _ => false,
    }
}

/// A compiled `like` operand.
#[derive(Debug, Clone)]
pub struct LikePattern {
    mode: LikeMatch,
    /// The keywords (separated by spaces), each a phrase of tokens.
    keywords: Vec<Vec<Token>>,
    /// For `substring`: the lowercased operand.
    lowered: String,
}

impl LikePattern {
    pub fn new(operand: &str, mode: LikeMatch) -> LikePattern {
        let keywords = operand.split_whitespace().map(tokens).filter(|t| !t.is_empty()).collect();
        LikePattern { mode, keywords, lowered: operand.to_lowercase() }
    }

    /// Whether the text (of a field; empty text included) matches. An operand with no
    /// word (`""`, only punctuation) matches every value.
    pub fn matches(&self, text: &str) -> bool {
        match self.mode {
            LikeMatch::Substring => text.to_lowercase().contains(self.lowered.as_str()),
            LikeMatch::Words => {
                if self.keywords.is_empty() {
                    return true;
                }
                let words = tokens(text);
                self.keywords.iter().all(|phrase| {
                    let n = phrase.len();
                    n <= words.len() && words.windows(n).any(|w| phrase.iter().zip(w).enumerate().all(|(i, (k, t))| token_matches(k, t, i, n)))
                })
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(op: &str, text: &str) -> bool {
        LikePattern::new(op, LikeMatch::Words).matches(text)
    }

    #[test]
    fn latin_matches_whole_words_only() {
        assert!(words("foobar", "hogefuga1 foobar"));
        assert!(words("HOGEFUGA1", "hogefuga1 foobar"));
        assert!(!words("hoge", "hogefuga1 foobar"));
        assert!(!words("1", "hogefuga1 foobar"));
        assert!(!words("fooba", "hogefuga1 foobar"));
        assert!(words("moved", "Deadline moved; see the mail"));
        assert!(words("deadline moved", "Deadline moved; see the mail"), "two keywords, both present");
        assert!(!words("deadline gone", "Deadline moved; see the mail"));
        assert!(words("example", "Example Inc."));
        assert!(words("ｅｘａｍｐｌｅ", "Example Inc."), "full-width letters fold");
        assert!(words("e-mail", "send an e-mail now"), "a phrase of two words");
        assert!(!words("mail-e", "send an e-mail now"));
    }

    #[test]
    fn japanese_by_the_two_character_rule() {
        assert!(words("日本", "日本語"));
        assert!(words("本語", "日本語"));
        assert!(words("日本語", "日本語"));
        assert!(!words("日", "日本語"), "one character does not find a longer run");
        assert!(words("森", "森 さん"), "one character finds a one-character run");
        assert!(words("株式会社", "株式会社サイボウズ商事"));
        assert!(words("サイボウズ", "株式会社サイボウズ商事"));
        assert!(words("example inc", "Example Inc."));
        assert!(!words("商事x", "株式会社サイボウズ商事"));
    }

    #[test]
    fn empty_operand_matches_everything_and_substring_mode_is_the_old_match() {
        assert!(words("", ""));
        assert!(words("", "abc"));
        let sub = LikePattern::new("oge", LikeMatch::Substring);
        assert!(sub.matches("HOGE"));
        assert!(!words("oge", "HOGE"));
    }
}
