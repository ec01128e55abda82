//! API paths: the guest-space form, and finding the guest space in a URL that
//! `kintone.api.url(path, true)` gave.

/// `path` (such as `/k/v1/records.json`) in the guest space's form when there is one:
/// a guest app answers `GAIA_IL23` through the normal path.
pub fn api_path(path: &str, guest_space_id: Option<u64>) -> String {
    match guest_space_id {
        Some(space) => path.replacen("/k/v1/", &format!("/k/guest/{space}/v1/"), 1),
        None => path.to_string(),
    }
}

/// The guest space id in a URL or path such as `https://x.cybozu.com/k/guest/5/v1/records.json`.
pub fn guest_space_in_url(url: &str) -> Option<u64> {
    let rest = &url[url.find("/k/guest/")? + "/k/guest/".len()..];
    let digits = &rest[..rest.find('/')?];
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
