//! Paging for the list operations (`ListRecords`, `ListDatasets`, `ListIdentityPoolUsage`):
//! `maxResults` items per page and an opaque `nextToken` for the next page.
//!
//! Items are listed in key order (record key, dataset name, identity pool id) and the token
//! names the last key of the page (hex-encoded behind a prefix, so it is opaque to clients
//! but stable: items added or removed between pages do not shift the pages that follow).

use super::error::ApiError;

/// Items per page when the request has no `maxResults`.
pub const DEFAULT_MAX_RESULTS: usize = 100;

/// The largest `maxResults` accepted; larger values (and values below 1) get 400
/// `InvalidParameterException`.
pub const MAX_MAX_RESULTS: usize = 1024;

/// The prefix of every `nextToken`.
const TOKEN_PREFIX: &str = "csp1.";

/// The page size for the request's `maxResults` (already parsed), or the error.
pub(crate) fn page_size(max_results: Option<i64>) -> Result<usize, ApiError> {
    match max_results {
        None => Ok(DEFAULT_MAX_RESULTS),
        Some(n) if n >= 1 && n <= MAX_MAX_RESULTS as i64 => Ok(n as usize),
        Some(n) => Err(ApiError::invalid_parameter(format!(
            "1 validation error detected: Value '{n}' at 'maxResults' failed to satisfy \
             constraint: Member must have value between 1 and {MAX_MAX_RESULTS}"
        ))),
    }
}

/// The token that continues after `key`.
fn encode(key: &str) -> String {
    let mut token = String::from(TOKEN_PREFIX);
    for byte in key.bytes() {
        token.push_str(&format!("{byte:02x}"));
    }
    token
}

/// The key a token continues after.
fn decode(token: &str) -> Option<String> {
    let hex = token.strip_prefix(TOKEN_PREFIX)?;
    if hex.len() % 2 != 0 {
        return None;
    }
    let bytes = (0..hex.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(hex.get(i..i + 2)?, 16).ok())
        .collect::<Option<Vec<u8>>>()?;
    String::from_utf8(bytes).ok()
}

/// One page of `items` (sorted by key, as `(key, item)`): the items after the token's key,
/// at most `size` of them, and the token for the next page if any item is left.
pub(crate) fn page<'a, T>(
    items: impl IntoIterator<Item = (&'a str, T)>,
    next_token: Option<&str>,
    size: usize,
) -> Result<(Vec<T>, Option<String>), ApiError> {
    let after = match next_token {
        None | Some("") => None,
        Some(token) => Some(
            decode(token)
                .ok_or_else(|| ApiError::invalid_parameter("The nextToken is not valid."))?,
        ),
    };
    let mut rest = items
        .into_iter()
        .filter(|(key, _)| after.as_deref().is_none_or(|after| *key > after))
        .peekable();
    let mut page = Vec::new();
    let mut last_key = None;
    while page.len() < size {
        let Some((key, item)) = rest.next() else {
            break;
        };
        last_key = Some(key);
        page.push(item);
    }
    let next = match (rest.peek(), last_key) {
        (Some(_), Some(key)) => Some(encode(key)),
        _ => None,
    };
    Ok((page, next))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pages_through_everything_once() {
        let keys: Vec<String> = (0..25).map(|i| format!("key-{i:02}\u{e9}")).collect();
        let mut token: Option<String> = None;
        let mut seen = Vec::new();
        let mut pages = 0;
        loop {
            let items = keys.iter().map(|k| (k.as_str(), k.clone()));
            let (items, next) = page(items, token.as_deref(), 10).unwrap();
            pages += 1;
            seen.extend(items);
            match next {
                Some(next) => token = Some(next),
                None => break,
            }
        }
        assert_eq!((pages, seen), (3, keys));
    }

    #[test]
    fn exact_fit_has_no_next_token_and_bad_tokens_fail() {
        let items = [("a", 1), ("b", 2)];
        assert_eq!(page(items, None, 2).unwrap(), (vec![1, 2], None));
        assert_eq!(page(items, None, 1).unwrap().1, Some(encode("a")));
        for bad in ["x", "csp1.zz", "csp1.a", "csp1.ff"] {
            assert!(page(items, Some(bad), 1).is_err(), "{bad}");
        }
        assert!(page_size(Some(0)).is_err());
        assert!(page_size(Some(1025)).is_err());
        assert_eq!(page_size(None).unwrap(), DEFAULT_MAX_RESULTS);
    }
}
