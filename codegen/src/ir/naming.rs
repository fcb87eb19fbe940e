//! Rust names for model names: case conversion, keyword escaping and collision settling.
//!
//! Every identifier the emitters print is chosen here, once, while the IR is built. The rules:
//!
//! - Types and enum variants are UpperCamelCase, fields and modules snake_case, using heck's
//!   word splitting on each alphanumeric run of the model name.
//! - Digits that would run together across a separator keep an `_` (`0.5` -> `V0_5`, not `V05`),
//!   and a name that would start with a digit gets a letter in front (`V` for variants and
//!   types, `n` for fields).
//! - Keywords become raw identifiers (`type` -> `r#type`); the few that cannot be raw
//!   (`self`, `Self`, `super`, `crate`) get a suffix instead.
//! - A [`Namespace`] hands out each name once; a second claim on a taken name gets a
//!   deterministic suffix.

use std::collections::BTreeSet;

use heck::{ToSnakeCase, ToUpperCamelCase};

/// Rust keywords of edition 2024, strict and reserved, that can be used as raw identifiers.
const RAW_KEYWORDS: &[&str] = &[
    "abstract", "as", "async", "await", "become", "box", "break", "const", "continue", "do", "dyn",
    "else", "enum", "extern", "false", "final", "fn", "for", "gen", "if", "impl", "in", "let",
    "loop", "macro", "match", "mod", "move", "mut", "override", "priv", "pub", "ref", "return",
    "static", "struct", "trait", "true", "try", "type", "typeof", "unsafe", "unsized", "use",
    "virtual", "where", "while", "yield",
];

/// Keywords that cannot be written as raw identifiers.
const NON_RAW_KEYWORDS: &[&str] = &["self", "Self", "super", "crate", "_"];

/// Type names a generated type must never take: the prelude, std names users import next to
/// SDK types, and the items the generated crate and its runtime define themselves.
pub const RESERVED_TYPE_NAMES: &[&str] = &[
    // std prelude (types, traits and variants)
    "AsMut",
    "AsRef",
    "Box",
    "Clone",
    "Copy",
    "Default",
    "DoubleEndedIterator",
    "Drop",
    "Eq",
    "Err",
    "ExactSizeIterator",
    "Extend",
    "Fn",
    "FnMut",
    "FnOnce",
    "From",
    "FromIterator",
    "Into",
    "IntoIterator",
    "Iterator",
    "None",
    "Ok",
    "Option",
    "Ord",
    "PartialEq",
    "PartialOrd",
    "Result",
    "Send",
    "Sized",
    "Some",
    "String",
    "Sync",
    "ToOwned",
    "ToString",
    "TryFrom",
    "TryInto",
    "Unpin",
    "Vec",
    // std names commonly imported beside SDK types, and derive names
    "Arc",
    "BTreeMap",
    "BTreeSet",
    "Cow",
    "Debug",
    "Display",
    "Duration",
    "Error",
    "Formatter",
    "FromStr",
    "Hash",
    "HashMap",
    "HashSet",
    "Instant",
    "Rc",
    "SystemTime",
    // the generated crate's own items and the runtime's public types
    "Blob",
    "BuildError",
    "Client",
    "Config",
    "DateTime",
    "Document",
    "UnknownValue",
    // keyword
    "Self",
];

/// File names Windows cannot create, whatever the extension; no generated module takes them.
pub const WINDOWS_DEVICE_NAMES: &[&str] = &[
    "con", "prn", "aux", "nul", "com1", "com2", "com3", "com4", "com5", "com6", "com7", "com8",
    "com9", "lpt1", "lpt2", "lpt3", "lpt4", "lpt5", "lpt6", "lpt7", "lpt8", "lpt9",
];

/// A case-insensitive namespace for the files of one directory of the generated crate:
/// Windows device names, `mod`, and `reserved` (a module named like its parent directory
/// trips `clippy::module_inception`) are taken.
pub fn module_namespace(reserved: &[&str]) -> Namespace {
    let mut ns = Namespace::case_insensitive();
    for name in WINDOWS_DEVICE_NAMES
        .iter()
        .chain(["mod"].iter())
        .chain(reserved)
    {
        ns.reserve(name);
    }
    ns
}

/// Method names a builder must not define as setters: its own `build`, and methods of std
/// traits that an inherent method of the same name would hide from callers.
pub const RESERVED_BUILDER_METHODS: &[&str] = &[
    "build",
    "borrow",
    "borrow_mut",
    "clone",
    "clone_from",
    "default",
    "eq",
    "fmt",
    "from",
    "hash",
    "into",
    "ne",
    "to_owned",
    "try_from",
    "try_into",
    "type_id",
];

/// Method names of the client's per-operation fluent builders (and waiters) besides the
/// input's setters; an operation input's member setter must not take one of them.
pub const RESERVED_FLUENT_METHODS: &[&str] = &[
    "as_input",
    "config",
    "input",
    "into_paginator",
    "max_delay",
    "min_delay",
    "new",
    "send",
    "validation",
    "wait",
];

/// Whether `word` is any Rust keyword.
pub fn is_keyword(word: &str) -> bool {
    RAW_KEYWORDS.contains(&word) || NON_RAW_KEYWORDS.contains(&word)
}

/// Splits `name` into alphanumeric runs; everything else separates words.
fn alphanumeric_runs(name: &str) -> impl Iterator<Item = &str> {
    name.split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|run| !run.is_empty())
}

/// Joins converted runs, keeping an `_` where a digit would touch a digit.
fn join_runs(runs: impl Iterator<Item = String>, always_separate: bool) -> String {
    let mut out = String::new();
    for run in runs.filter(|r| !r.is_empty()) {
        let digit_meets_digit = out.ends_with(|c: char| c.is_ascii_digit())
            && run.starts_with(|c: char| c.is_ascii_digit());
        if !out.is_empty() && (always_separate || digit_meets_digit) {
            out.push('_');
        }
        out.push_str(&run);
    }
    out
}

/// UpperCamelCase of a model name, without keyword or collision handling.
///
/// `__listOf__string` -> `ListOfString`, `APNS_SANDBOX` -> `ApnsSandbox`, `0.5` -> `V0_5`,
/// `m5.large` -> `M5Large`, `AWS::DynamoDB::Table` -> `AwsDynamoDbTable`.
pub fn upper_camel(name: &str) -> String {
    let joined = join_runs(
        alphanumeric_runs(name).map(|r| r.to_upper_camel_case()),
        false,
    );
    if joined.is_empty() {
        "Empty".to_owned()
    } else if joined.starts_with(|c: char| c.is_ascii_digit()) {
        format!("V{joined}")
    } else {
        joined
    }
}

/// snake_case of a model name, without keyword or collision handling.
///
/// `IdentityPoolId` -> `identity_pool_id`, `SSEKMSKeyId` -> `ssekms_key_id`,
/// `OtaaV1_1` -> `otaa_v1_1`, `2fa` -> `n2fa`.
pub fn snake(name: &str) -> String {
    let joined = join_runs(alphanumeric_runs(name).map(|r| r.to_snake_case()), true);
    if joined.is_empty() {
        "value".to_owned()
    } else if joined.starts_with(|c: char| c.is_ascii_digit()) {
        format!("n{joined}")
    } else {
        joined
    }
}

/// Makes `word` usable as an identifier: raw for keywords that allow it, `word_` for the
/// ones that do not.
pub fn escape_keyword(word: &str) -> String {
    if RAW_KEYWORDS.contains(&word) {
        format!("r#{word}")
    } else if NON_RAW_KEYWORDS.contains(&word) {
        format!("{word}_")
    } else {
        word.to_owned()
    }
}

/// A module (and file) name: snake_case, with `_` after a keyword rather than `r#` before it,
/// so the module can be named in paths and intra-doc links (`type` -> `type_`).
pub fn module_name(name: &str) -> String {
    let snake = snake(name);
    if is_keyword(&snake) {
        format!("{snake}_")
    } else {
        snake
    }
}

/// The identifier text without a leading `r#`, for messages and derived names.
pub fn unraw(ident: &str) -> &str {
    ident.strip_prefix("r#").unwrap_or(ident)
}

/// A set of names in one scope that hands out each name once.
#[derive(Clone, Debug, Default)]
pub struct Namespace {
    taken: BTreeSet<String>,
    /// Compare names case-insensitively (for file names on case-insensitive file systems).
    case_insensitive: bool,
}

impl Namespace {
    /// An empty namespace comparing names exactly.
    pub fn new() -> Self {
        Self::default()
    }

    /// An empty namespace in which names differing only in case collide.
    pub fn case_insensitive() -> Self {
        Self {
            taken: BTreeSet::new(),
            case_insensitive: true,
        }
    }

    /// A namespace in which `names` are already taken.
    pub fn with_reserved<'a>(names: impl IntoIterator<Item = &'a str>) -> Self {
        let mut ns = Self::new();
        for name in names {
            ns.reserve(name);
        }
        ns
    }

    fn key(&self, name: &str) -> String {
        let name = unraw(name);
        if self.case_insensitive {
            name.to_ascii_lowercase()
        } else {
            name.to_owned()
        }
    }

    /// Whether `name` is taken.
    pub fn is_taken(&self, name: &str) -> bool {
        self.taken.contains(&self.key(name))
    }

    /// Marks `name` as taken without handing it out.
    pub fn reserve(&mut self, name: &str) {
        let key = self.key(name);
        self.taken.insert(key);
    }

    /// Claims `wanted`, or, when it is taken, the first free `{wanted}{sep}2`, `{wanted}{sep}3`, ...
    ///
    /// A raw identifier (`r#type`) keeps its `r#` only while it is unsuffixed. An empty `sep`
    /// becomes `_` after a name ending in a digit, so `Ec2` is followed by `Ec2_2`, not `Ec22`.
    pub fn claim(&mut self, wanted: &str, sep: &str) -> String {
        if !self.is_taken(wanted) {
            self.reserve(wanted);
            return wanted.to_owned();
        }
        let base = unraw(wanted);
        let base = if sep.starts_with('_') {
            base.trim_end_matches('_')
        } else {
            base
        };
        let sep = if sep.is_empty() && base.ends_with(|c: char| c.is_ascii_digit()) {
            "_"
        } else {
            sep
        };
        let mut n = 2u32;
        loop {
            let candidate = format!("{base}{sep}{n}");
            if !self.is_taken(&candidate) {
                self.reserve(&candidate);
                return candidate;
            }
            n += 1;
        }
    }
}

/// Claims a name for each of `wanted` (`(name, canonical)` pairs) and returns them in the same
/// order. Canonical names (the model name already is the wanted Rust name) are served first,
/// the rest in model order, so an item whose model name is canonical keeps its Rust name when
/// a model update adds a look-alike anywhere.
pub fn claim_in_order(ns: &mut Namespace, wanted: &[(String, bool)], sep: &str) -> Vec<String> {
    let mut names = vec![String::new(); wanted.len()];
    for canonical_pass in [true, false] {
        for (i, (name, canonical)) in wanted.iter().enumerate() {
            if *canonical == canonical_pass {
                names[i] = ns.claim(name, sep);
            }
        }
    }
    names
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn upper_camel_handles_botocore_names() {
        let cases = [
            ("__listOf__string", "ListOfString"),
            ("__string", "String"),
            ("APNS_SANDBOX", "ApnsSandbox"),
            ("APNS", "Apns"),
            ("replace", "Replace"),
            ("0.5", "V0_5"),
            ("1.6", "V1_6"),
            ("5m", "V5m"),
            ("m5.large", "M5Large"),
            ("AWS::DynamoDB::Table", "AwsDynamoDbTable"),
            ("application/json", "ApplicationJson"),
            ("IPv6Address", "IPv6Address"),
            ("SELF", "Self"),
            ("", "Empty"),
            ("---", "Empty"),
        ];
        for (input, expected) in cases {
            assert_eq!(upper_camel(input), expected, "upper_camel({input:?})");
        }
    }

    #[test]
    fn snake_handles_botocore_names() {
        let cases = [
            ("IdentityPoolId", "identity_pool_id"),
            ("SSEKMSKeyId", "ssekms_key_id"),
            ("OtaaV1_1", "otaa_v1_1"),
            ("error_description", "error_description"),
            ("nextToken", "next_token"),
            ("type", "type"),
            ("2fa", "n2fa"),
            ("", "value"),
        ];
        for (input, expected) in cases {
            assert_eq!(snake(input), expected, "snake({input:?})");
        }
    }

    #[test]
    fn keywords_are_escaped() {
        assert_eq!(escape_keyword("type"), "r#type");
        assert_eq!(escape_keyword("match"), "r#match");
        assert_eq!(escape_keyword("gen"), "r#gen");
        assert_eq!(escape_keyword("self"), "self_");
        assert_eq!(escape_keyword("Self"), "Self_");
        assert_eq!(escape_keyword("crate"), "crate_");
        assert_eq!(escape_keyword("records"), "records");
        assert_eq!(unraw("r#type"), "type");
        assert_eq!(module_name("Type"), "type_");
        assert_eq!(module_name("ListRecords"), "list_records");
    }

    #[test]
    fn namespace_suffixes_deterministically() {
        let mut ns = Namespace::with_reserved(["Result"]);
        assert_eq!(ns.claim("Record", ""), "Record");
        assert_eq!(ns.claim("Record", ""), "Record2");
        assert_eq!(ns.claim("Record", ""), "Record3");
        assert_eq!(ns.claim("Result", ""), "Result2");
        let mut fields = Namespace::new();
        assert_eq!(fields.claim("r#type", "_"), "r#type");
        assert_eq!(fields.claim("r#type", "_"), "type_2");
        assert_eq!(fields.claim("self_", "_"), "self_");
        assert_eq!(fields.claim("self_", "_"), "self_2");
    }

    #[test]
    fn canonical_names_are_served_first() {
        let mut ns = Namespace::new();
        let wanted = [("GetFoo".to_owned(), false), ("GetFoo".to_owned(), true)];
        assert_eq!(claim_in_order(&mut ns, &wanted, ""), ["GetFoo2", "GetFoo"]);
        let mut types = Namespace::new();
        assert_eq!(types.claim("Ec2", ""), "Ec2");
        assert_eq!(types.claim("Ec2", ""), "Ec2_2");
    }

    #[test]
    fn case_insensitive_namespace_collides_on_case() {
        let mut files = Namespace::case_insensitive();
        assert_eq!(files.claim("record", "_"), "record");
        assert!(files.is_taken("RECORD"));
        assert_eq!(files.claim("Record", "_"), "Record_2");
    }
}
