//! The language of error messages: kintone answers in the language of the user's
//! setting or `Accept-Language` (English for `en`, Japanese for `ja`, Japanese without
//! the header or for `*`, the simulated users' setting). Each API request runs inside
//! [`scope`], so the errors it builds pick their message with [`t`].

use std::future::Future;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lang {
    Ja,
    En,
}

tokio::task_local! {
    static LANG: Lang;
}

/// The first language of an `Accept-Language` header: English for `en`/`en-US`,
/// Japanese for anything else (the simulator speaks these two).
pub fn from_header(value: Option<&str>) -> Lang {
    let first = value.and_then(|v| v.split(',').next()).map(|t| t.split(';').next().unwrap_or("").trim().to_ascii_lowercase());
    match first {
        Some(tag) if tag == "en" || tag.starts_with("en-") => Lang::En,
        _ => Lang::Ja,
    }
}

/// Runs `f` with `lang` as the language of its messages.
pub async fn scope<F: Future>(lang: Lang, f: F) -> F::Output {
    LANG.scope(lang, f).await
}

pub fn current() -> Lang {
    LANG.try_with(|l| *l).unwrap_or(Lang::Ja)
}

/// The message in the current request's language.
pub fn t(ja: impl Into<String>, en: impl Into<String>) -> String {
    match current() {
        Lang::Ja => ja.into(),
        Lang::En => en.into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn picks_the_first_language() {
        assert_eq!(from_header(Some("en")), Lang::En);
        assert_eq!(from_header(Some("en-US,en;q=0.9,ja;q=0.8")), Lang::En);
        assert_eq!(from_header(Some("ja,en;q=0.5")), Lang::Ja);
        assert_eq!(from_header(Some("*")), Lang::Ja);
        assert_eq!(from_header(None), Lang::Ja);
    }
}
