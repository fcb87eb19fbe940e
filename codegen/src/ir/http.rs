//! HTTP bindings: where each member travels, and the parsed request URI template.

/// Where a member of a top-level input, output or error structure travels.
///
/// Members of nested structures are always part of their parent's JSON; a binding other than
/// [`HttpBinding::Body`] only takes effect on an operation's input, output or error shape.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum HttpBinding {
    /// A key of the JSON body.
    Body {
        /// The JSON key (`locationName`, else the member name).
        json_name: String,
    },
    /// The whole body (the structure's `payload`).
    Payload,
    /// A `{label}` of the request URI (whether it is greedy is a property of the operation's
    /// [`RequestUri`]).
    Label {
        /// The label's name in the URI template.
        name: String,
    },
    /// A query parameter.
    Query {
        /// The query key.
        name: String,
    },
    /// A map whose entries spread into the query string.
    QueryMap,
    /// A single header.
    Header {
        /// The header name.
        name: String,
    },
    /// A map of all headers starting with `prefix`.
    PrefixHeaders {
        /// The header-name prefix (may be empty: all headers).
        prefix: String,
    },
    /// The HTTP status code of a response.
    StatusCode,
}

/// A parsed `requestUri` template such as `/pools/{PoolId}/items/{Key+}?mode=import`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RequestUri {
    /// The path, as literal text and labels in order.
    pub path: Vec<PathSegment>,
    /// Fixed query parameters after `?`: key and optional value (`?delete` has none).
    pub fixed_query: Vec<(String, Option<String>)>,
}

/// A piece of a request path.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PathSegment {
    /// Text sent as written (may contain `/`).
    Literal(String),
    /// A `{name}` or `{name+}` label.
    Label {
        /// The label's name.
        name: String,
        /// `{name+}`: `/` in the value is kept.
        greedy: bool,
    },
}

impl RequestUri {
    /// Parses a `requestUri`. Errors describe the problem; the caller adds the JSON path.
    pub fn parse(template: &str) -> Result<Self, String> {
        if !template.starts_with('/') {
            return Err(format!("request URI `{template}` does not start with `/`"));
        }
        let (path_part, query_part) = match template.split_once('?') {
            Some((path, query)) => (path, Some(query)),
            None => (template, None),
        };
        let mut path = Vec::new();
        let mut rest = path_part;
        while let Some(open) = rest.find('{') {
            if open > 0 {
                path.push(PathSegment::Literal(rest[..open].to_owned()));
            }
            let after = &rest[open + 1..];
            let close = after
                .find('}')
                .ok_or_else(|| format!("request URI `{template}` has an unclosed `{{`"))?;
            let label = &after[..close];
            let (name, greedy) = match label.strip_suffix('+') {
                Some(name) => (name, true),
                None => (label, false),
            };
            if name.is_empty() || name.contains(['{', '/']) {
                return Err(format!(
                    "request URI `{template}` has an invalid label `{{{label}}}`"
                ));
            }
            path.push(PathSegment::Label {
                name: name.to_owned(),
                greedy,
            });
            rest = &after[close + 1..];
        }
        if rest.contains('}') {
            return Err(format!("request URI `{template}` has an unmatched `}}`"));
        }
        if !rest.is_empty() {
            path.push(PathSegment::Literal(rest.to_owned()));
        }
        let fixed_query = query_part
            .map(|q| {
                q.split('&')
                    .filter(|pair| !pair.is_empty())
                    .map(|pair| match pair.split_once('=') {
                        Some((k, v)) => (k.to_owned(), Some(v.to_owned())),
                        None => (pair.to_owned(), None),
                    })
                    .collect()
            })
            .unwrap_or_default();
        Ok(Self { path, fixed_query })
    }

    /// Names of the labels in the path, in order.
    pub fn labels(&self) -> impl Iterator<Item = (&str, bool)> {
        self.path.iter().filter_map(|segment| match segment {
            PathSegment::Label { name, greedy } => Some((name.as_str(), *greedy)),
            PathSegment::Literal(_) => None,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lit(s: &str) -> PathSegment {
        PathSegment::Literal(s.to_owned())
    }

    fn label(s: &str, greedy: bool) -> PathSegment {
        PathSegment::Label {
            name: s.to_owned(),
            greedy,
        }
    }

    #[test]
    fn parses_labels_greedy_labels_and_fixed_query() {
        let uri = RequestUri::parse("/pools/{PoolId}/objects/{Key+}?mode=import&delete").unwrap();
        assert_eq!(
            uri.path,
            vec![
                lit("/pools/"),
                label("PoolId", false),
                lit("/objects/"),
                label("Key", true)
            ]
        );
        assert_eq!(
            uri.fixed_query,
            vec![
                ("mode".to_owned(), Some("import".to_owned())),
                ("delete".to_owned(), None)
            ]
        );
    }

    #[test]
    fn keeps_trailing_slash_and_root() {
        assert_eq!(
            RequestUri::parse("/backup/plans/").unwrap().path,
            vec![lit("/backup/plans/")]
        );
        assert_eq!(RequestUri::parse("/").unwrap().path, vec![lit("/")]);
    }

    #[test]
    fn rejects_broken_templates() {
        assert!(
            RequestUri::parse("pools")
                .unwrap_err()
                .contains("does not start with `/`")
        );
        assert!(
            RequestUri::parse("/pools/{Id")
                .unwrap_err()
                .contains("unclosed")
        );
        assert!(
            RequestUri::parse("/pools/{}")
                .unwrap_err()
                .contains("invalid label")
        );
        assert!(
            RequestUri::parse("/pools/Id}")
                .unwrap_err()
                .contains("unmatched")
        );
    }
}
