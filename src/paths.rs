//! API paths: the guest-space form, and finding the guest space in a URL that
//! `kintone.api.url(path, true)` gave.

/// `path` (such as `/k/v1/records.json`) in the guest space's form when there is one:
/// a guest app answers `GAIA_IL23` through the normal path.
pub fn api_path(path: &str, guest_space_id: Option<u64>) -> String {
    // A prefix, not `replacen`: searching for a string links core's two-way searcher,
    // and a str slice that can panic links its message's formatting (char `Debug` and
    // the Unicode printable tables), about 5 KB gzip of the single file in all.
    match (guest_space_id, path.strip_prefix("/k/v1/")) {
        (Some(space), Some(rest)) => format!("/k/guest/{space}/v1/{rest}"),
        _ => path.to_string(),
    }
}

/// The guest space id in a URL or path such as `https://x.cybozu.com/k/guest/5/v1/records.json`.
pub fn guest_space_in_url(url: &str) -> Option<u64> {
    // Bytes and `get`, not `find("/k/guest/")` and `&url[..]` (see `api_path`).
    const GUEST: &[u8] = b"/k/guest/";
    let at = url.as_bytes().windows(GUEST.len()).position(|window| window == GUEST)?;
    let (digits, _) = url.get(at + GUEST.len()..)?.split_once('/')?;
    digits.parse().ok().filter(|id| *id > 0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn guest_paths() {
        assert_eq!(api_path("/k/v1/records.json", None), "/k/v1/records.json");
        assert_eq!(api_path("/k/v1/records.json", Some(7)), "/k/guest/7/v1/records.json");
        assert_eq!(guest_space_in_url("https://a.cybozu.com/k/guest/12/v1/records.json"), Some(12));
        assert_eq!(guest_space_in_url("/k/guest/3/v1/records"), Some(3));
        assert_eq!(guest_space_in_url("https://a.cybozu.com/k/v1/records.json"), None);
        assert_eq!(guest_space_in_url("/k/guest/x/v1/records.json"), None);
        assert_eq!(guest_space_in_url("/k/guest/0/v1/records.json"), None);
    }
}
