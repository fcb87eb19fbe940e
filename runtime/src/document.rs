//! Free-form JSON values: the [`Document`] type behind the model's `document` shapes.
//!
//! A [`Document`] is a JSON value. Its [`Display`](fmt::Display) output is compact JSON
//! text, and [`from_json`] (also [`Document::from_json`] and [`str::parse`]) reads JSON text
//! back, with no dependency on a JSON library.
//!
//! ```
//! use botogen_runtime::document::{Document, Number};
//!
//! let doc = Document::from_json(r#"{"name": "x", "sizes": [1, -2, 2.5], "ok": true}"#)?;
//! let object = doc.as_object().unwrap();
//! assert_eq!(object["name"].as_str(), Some("x"));
//! assert_eq!(object["sizes"].as_array().unwrap()[1].as_number(), Some(Number::NegInt(-2)));
//! assert_eq!(doc.to_string(), r#"{"name":"x","ok":true,"sizes":[1,-2,2.5]}"#);
//! # Ok::<(), botogen_runtime::document::DocumentError>(())
//! ```

use std::collections::BTreeMap;
use std::error::Error;
use std::fmt;
use std::str::FromStr;

/// How deeply arrays and objects may nest in JSON text read by [`from_json`].
pub const MAX_DEPTH: usize = 128;

/// A free-form JSON value, for model `document` shapes.
///
/// Objects keep their members sorted by key. [`Display`](fmt::Display) writes compact JSON.
#[derive(Clone, Debug, PartialEq, Default)]
pub enum Document {
    /// JSON `null`.
    #[default]
    Null,
    /// `true` or `false`.
    Bool(bool),
    /// A number.
    Number(Number),
    /// A string.
    String(String),
    /// An array.
    Array(Vec<Document>),
    /// An object.
    Object(BTreeMap<String, Document>),
}

/// A JSON number.
///
/// Integers read from JSON text are [`PosInt`](Number::PosInt) when not negative and
/// [`NegInt`](Number::NegInt) when negative, if they fit; everything else (fractions,
/// exponents, integers too large, and `-0`) is a [`Float`](Number::Float). The `From`
/// conversions follow the same rule, so equal integers compare equal.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Number {
    /// A non-negative integer.
    PosInt(u64),
    /// A negative integer.
    NegInt(i64),
    /// A floating-point number.
    Float(f64),
}

impl Number {
    /// The value as an `f64`, rounding large integers to the nearest `f64`.
    pub fn as_f64(&self) -> f64 {
        match *self {
            Number::PosInt(n) => n as f64,
            Number::NegInt(n) => n as f64,
            Number::Float(f) => f,
        }
    }

    /// The value as an `i64`, if it is an integer in range. A float counts when it is
    /// integral (e.g. `3.0`).
    pub fn as_i64(&self) -> Option<i64> {
        // 2^63: floats in [-2^63, 2^63) convert exactly.
        const LIMIT: f64 = 9_223_372_036_854_775_808.0;
        match *self {
            Number::PosInt(n) => i64::try_from(n).ok(),
            Number::NegInt(n) => Some(n),
            Number::Float(f) if f.fract() == 0.0 && (-LIMIT..LIMIT).contains(&f) => Some(f as i64),
            Number::Float(_) => None,
        }
    }

    /// The value as a `u64`, if it is a non-negative integer in range. A float counts when
    /// it is integral (e.g. `3.0`).
    pub fn as_u64(&self) -> Option<u64> {
        // 2^64: floats in [0, 2^64) convert exactly.
        const LIMIT: f64 = 18_446_744_073_709_551_616.0;
        match *self {
            Number::PosInt(n) => Some(n),
            Number::NegInt(n) => u64::try_from(n).ok(),
            Number::Float(f) if f.fract() == 0.0 && (0.0..LIMIT).contains(&f) => Some(f as u64),
            Number::Float(_) => None,
        }
    }
}

impl From<u64> for Number {
    fn from(n: u64) -> Self {
        Number::PosInt(n)
    }
}

impl From<i64> for Number {
    /// [`PosInt`](Number::PosInt) when `n >= 0`, else [`NegInt`](Number::NegInt).
    fn from(n: i64) -> Self {
        match u64::try_from(n) {
            Ok(n) => Number::PosInt(n),
            Err(_) => Number::NegInt(n),
        }
    }
}

impl From<f64> for Number {
    fn from(f: f64) -> Self {
        Number::Float(f)
    }
}

impl fmt::Display for Number {
    /// Writes the number as JSON; a non-finite float is written as `null`, since JSON has no
    /// spelling for it.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            Number::PosInt(n) => write!(f, "{n}"),
            Number::NegInt(n) => write!(f, "{n}"),
            // `Debug` gives the shortest text that reads back as the same `f64`, with an
            // exponent for very large or small magnitudes (`1e300`), all valid JSON.
            Number::Float(x) if x.is_finite() => write!(f, "{x:?}"),
            Number::Float(_) => f.write_str("null"),
        }
    }
}

impl Document {
    /// Parses JSON text; see [`from_json`].
    ///
    /// # Errors
    ///
    /// When `text` is not valid JSON or nests too deeply.
    pub fn from_json(text: &str) -> Result<Document, DocumentError> {
        from_json(text)
    }

    /// Whether this is [`Document::Null`].
    pub fn is_null(&self) -> bool {
        matches!(self, Document::Null)
    }

    /// The boolean, if this is one.
    pub fn as_bool(&self) -> Option<bool> {
        match *self {
            Document::Bool(b) => Some(b),
            _ => None,
        }
    }

    /// The number, if this is one.
    pub fn as_number(&self) -> Option<Number> {
        match *self {
            Document::Number(n) => Some(n),
            _ => None,
        }
    }

    /// The string, if this is one.
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Document::String(s) => Some(s),
            _ => None,
        }
    }

    /// The elements, if this is an array.
    pub fn as_array(&self) -> Option<&[Document]> {
        match self {
            Document::Array(items) => Some(items),
            _ => None,
        }
    }

    /// The members, if this is an object.
    pub fn as_object(&self) -> Option<&BTreeMap<String, Document>> {
        match self {
            Document::Object(members) => Some(members),
            _ => None,
        }
    }
}

impl From<bool> for Document {
    fn from(b: bool) -> Self {
        Document::Bool(b)
    }
}

impl From<String> for Document {
    fn from(s: String) -> Self {
        Document::String(s)
    }
}

impl From<&str> for Document {
    fn from(s: &str) -> Self {
        Document::String(s.to_owned())
    }
}

impl From<Number> for Document {
    fn from(n: Number) -> Self {
        Document::Number(n)
    }
}

impl From<i64> for Document {
    /// A [`Number::PosInt`] when `n >= 0`, else a [`Number::NegInt`].
    fn from(n: i64) -> Self {
        Document::Number(Number::from(n))
    }
}

impl From<u64> for Document {
    fn from(n: u64) -> Self {
        Document::Number(Number::PosInt(n))
    }
}

impl From<f64> for Document {
    fn from(f: f64) -> Self {
        Document::Number(Number::Float(f))
    }
}

impl From<Vec<Document>> for Document {
    fn from(items: Vec<Document>) -> Self {
        Document::Array(items)
    }
}

impl From<BTreeMap<String, Document>> for Document {
    fn from(members: BTreeMap<String, Document>) -> Self {
        Document::Object(members)
    }
}

impl fmt::Display for Document {
    /// Writes compact JSON text (RFC 8259): no whitespace, object members in key order,
    /// strings escaped (`\u00XX` for control characters), non-finite floats as `null`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Document::Null => f.write_str("null"),
            Document::Bool(b) => f.write_str(if *b { "true" } else { "false" }),
            Document::Number(n) => fmt::Display::fmt(n, f),
            Document::String(s) => write_json_string(f, s),
            Document::Array(items) => {
                f.write_str("[")?;
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        f.write_str(",")?;
                    }
                    fmt::Display::fmt(item, f)?;
                }
                f.write_str("]")
            }
            Document::Object(members) => {
                f.write_str("{")?;
                for (i, (key, value)) in members.iter().enumerate() {
                    if i > 0 {
                        f.write_str(",")?;
                    }
                    write_json_string(f, key)?;
                    f.write_str(":")?;
                    fmt::Display::fmt(value, f)?;
                }
                f.write_str("}")
            }
        }
    }
}

impl FromStr for Document {
    type Err = DocumentError;

    /// Parses JSON text, as [`from_json`] does.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        from_json(s)
    }
}

fn write_json_string(f: &mut fmt::Formatter<'_>, s: &str) -> fmt::Result {
    f.write_str("\"")?;
    let mut plain_from = 0;
    for (i, byte) in s.bytes().enumerate() {
        let escape = match byte {
            b'"' => "\\\"",
            b'\\' => "\\\\",
            b'\n' => "\\n",
            b'\r' => "\\r",
            b'\t' => "\\t",
            0x08 => "\\b",
            0x0c => "\\f",
            0..=0x1f => "",
            _ => continue,
        };
        // `i` is at an ASCII byte, so both ends are character boundaries.
        f.write_str(s.get(plain_from..i).unwrap_or_default())?;
        if escape.is_empty() {
            write!(f, "\\u{byte:04x}")?;
        } else {
            f.write_str(escape)?;
        }
        plain_from = i + 1;
    }
    f.write_str(s.get(plain_from..).unwrap_or_default())?;
    f.write_str("\"")
}

/// Parses JSON text (RFC 8259) into a [`Document`].
///
/// Leading and trailing whitespace is allowed; anything else after the value is an error.
/// Integers become [`Number::PosInt`] or [`Number::NegInt`] when they fit, else (like
/// fractions and exponents) [`Number::Float`]; `-0` is `Float(-0.0)`; a number too large
/// for an `f64` is an error. Strings may use every escape, including surrogate pairs, but a
/// lone surrogate is an error (a Rust string cannot hold it). When an object repeats a
/// key, the last value wins. Arrays and objects may nest at most [`MAX_DEPTH`] deep. This
/// never panics, whatever the input.
///
/// # Errors
///
/// A [`DocumentError`] giving the byte offset and what was expected there.
///
/// ```
/// use botogen_runtime::document::from_json;
///
/// let err = from_json(r#"{"a": [1, 2}"#).unwrap_err();
/// assert_eq!(err.offset(), 11);
/// assert_eq!(err.to_string(), "invalid JSON at byte offset 11: expected ',' or ']'");
/// ```
pub fn from_json(text: &str) -> Result<Document, DocumentError> {
    let mut parser = Parser {
        text,
        bytes: text.as_bytes(),
        pos: 0,
        depth: 0,
    };
    let value = parser.value()?;
    parser.skip_whitespace();
    if parser.pos < parser.bytes.len() {
        return Err(parser.error(ErrorKind::TrailingCharacters));
    }
    Ok(value)
}

/// The error from [`from_json`].
///
/// Its [`Display`](fmt::Display) text gives the byte offset and what was wrong, e.g.
/// `invalid JSON at byte offset 11: expected ',' or ']'`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DocumentError {
    kind: ErrorKind,
    offset: usize,
    at_end: bool,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum ErrorKind {
    Expected(&'static str),
    LeadingZero,
    ControlCharacter,
    InvalidEscape,
    LoneSurrogate,
    NumberOutOfRange,
    TooDeep,
    TrailingCharacters,
}

impl DocumentError {
    /// The byte offset in the input where the problem is.
    pub fn offset(&self) -> usize {
        self.offset
    }
}

impl fmt::Display for DocumentError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "invalid JSON at byte offset {}: ", self.offset)?;
        if self.at_end {
            f.write_str("unexpected end of input, ")?;
        }
        match self.kind {
            ErrorKind::Expected(what) => write!(f, "expected {what}"),
            ErrorKind::LeadingZero => f.write_str("leading zeros are not allowed in numbers"),
            ErrorKind::ControlCharacter => {
                f.write_str("control characters must be escaped in strings")
            }
            ErrorKind::InvalidEscape => f.write_str("invalid escape sequence in string"),
            ErrorKind::LoneSurrogate => f.write_str("unpaired UTF-16 surrogate in \\u escape"),
            ErrorKind::NumberOutOfRange => f.write_str("number out of range"),
            ErrorKind::TooDeep => write!(f, "arrays and objects nested more than {MAX_DEPTH} deep"),
            ErrorKind::TrailingCharacters => f.write_str("unexpected characters after the value"),
        }
    }
}

impl Error for DocumentError {}

struct Parser<'a> {
    text: &'a str,
    bytes: &'a [u8],
    pos: usize,
    depth: usize,
}

impl Parser<'_> {
    fn error(&self, kind: ErrorKind) -> DocumentError {
        self.error_at(kind, self.pos)
    }

    fn error_at(&self, kind: ErrorKind, offset: usize) -> DocumentError {
        DocumentError {
            kind,
            offset,
            at_end: offset >= self.bytes.len(),
        }
    }

    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.pos).copied()
    }

    fn eat(&mut self, byte: u8) -> bool {
        let found = self.peek() == Some(byte);
        if found {
            self.pos += 1;
        }
        found
    }

    fn skip_whitespace(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\t' | b'\n' | b'\r')) {
            self.pos += 1;
        }
    }

    fn skip_digits(&mut self) -> usize {
        let start = self.pos;
        while self.peek().is_some_and(|b| b.is_ascii_digit()) {
            self.pos += 1;
        }
        self.pos - start
    }

    fn value(&mut self) -> Result<Document, DocumentError> {
        self.skip_whitespace();
        match self.peek() {
            Some(b'n') => self.literal("null", Document::Null),
            Some(b't') => self.literal("true", Document::Bool(true)),
            Some(b'f') => self.literal("false", Document::Bool(false)),
            Some(b'"') => self.string().map(Document::String),
            Some(b'[') => self.array(),
            Some(b'{') => self.object(),
            Some(b'-' | b'0'..=b'9') => self.number().map(Document::Number),
            _ => Err(self.error(ErrorKind::Expected("a JSON value"))),
        }
    }

    fn literal(&mut self, word: &'static str, value: Document) -> Result<Document, DocumentError> {
        let end = self.pos + word.len();
        if self.bytes.get(self.pos..end) == Some(word.as_bytes()) {
            self.pos = end;
            Ok(value)
        } else {
            Err(self.error(ErrorKind::Expected("a JSON value")))
        }
    }

    fn enter(&mut self) -> Result<(), DocumentError> {
        if self.depth >= MAX_DEPTH {
            return Err(self.error(ErrorKind::TooDeep));
        }
        self.depth += 1;
        self.pos += 1; // the '[' or '{'
        Ok(())
    }

    fn array(&mut self) -> Result<Document, DocumentError> {
        self.enter()?;
        let mut items = Vec::new();
        self.skip_whitespace();
        if !self.eat(b']') {
            loop {
                items.push(self.value()?);
                self.skip_whitespace();
                if self.eat(b']') {
                    break;
                }
                if !self.eat(b',') {
                    return Err(self.error(ErrorKind::Expected("',' or ']'")));
                }
            }
        }
        self.depth -= 1;
        Ok(Document::Array(items))
    }

    fn object(&mut self) -> Result<Document, DocumentError> {
        self.enter()?;
        let mut members = BTreeMap::new();
        self.skip_whitespace();
        if !self.eat(b'}') {
            loop {
                self.skip_whitespace();
                if self.peek() != Some(b'"') {
                    return Err(self.error(ErrorKind::Expected("a string key")));
                }
                let key = self.string()?;
                self.skip_whitespace();
                if !self.eat(b':') {
                    return Err(self.error(ErrorKind::Expected("':' after the key")));
                }
                let value = self.value()?;
                members.insert(key, value);
                self.skip_whitespace();
                if self.eat(b'}') {
                    break;
                }
                if !self.eat(b',') {
                    return Err(self.error(ErrorKind::Expected("',' or '}'")));
                }
            }
        }
        self.depth -= 1;
        Ok(Document::Object(members))
    }

    /// A string starting at the opening quote.
    fn string(&mut self) -> Result<String, DocumentError> {
        self.pos += 1; // the opening '"'
        let mut out = String::new();
        loop {
            let start = self.pos;
            while self
                .peek()
                .is_some_and(|b| b != b'"' && b != b'\\' && b >= 0x20)
            {
                self.pos += 1;
            }
            // Both ends are next to ASCII bytes (or the ends of the text), hence character
            // boundaries; `get` cannot fail.
            out.push_str(self.text.get(start..self.pos).unwrap_or_default());
            match self.peek() {
                Some(b'"') => {
                    self.pos += 1;
                    return Ok(out);
                }
                Some(b'\\') => out.push(self.escape()?),
                Some(_) => return Err(self.error(ErrorKind::ControlCharacter)),
                None => return Err(self.error(ErrorKind::Expected("'\"' to end the string"))),
            }
        }
    }

    /// An escape sequence starting at the backslash.
    fn escape(&mut self) -> Result<char, DocumentError> {
        let start = self.pos;
        self.pos += 1; // the '\'
        let simple = match self.peek() {
            Some(b'"') => '"',
            Some(b'\\') => '\\',
            Some(b'/') => '/',
            Some(b'b') => '\u{8}',
            Some(b'f') => '\u{c}',
            Some(b'n') => '\n',
            Some(b'r') => '\r',
            Some(b't') => '\t',
            Some(b'u') => {
                self.pos += 1;
                let unit = self.hex4()?;
                return match unit {
                    0xd800..=0xdbff => {
                        if !(self.eat(b'\\') && self.eat(b'u')) {
                            return Err(self.error_at(ErrorKind::LoneSurrogate, start));
                        }
                        let low = self.hex4()?;
                        if !(0xdc00..=0xdfff).contains(&low) {
                            return Err(self.error_at(ErrorKind::LoneSurrogate, start));
                        }
                        let code = 0x1_0000 + ((unit - 0xd800) << 10) + (low - 0xdc00);
                        char::from_u32(code)
                            .ok_or_else(|| self.error_at(ErrorKind::LoneSurrogate, start))
                    }
                    0xdc00..=0xdfff => Err(self.error_at(ErrorKind::LoneSurrogate, start)),
                    _ => char::from_u32(unit)
                        .ok_or_else(|| self.error_at(ErrorKind::LoneSurrogate, start)),
                };
            }
            _ => return Err(self.error_at(ErrorKind::InvalidEscape, start)),
        };
        self.pos += 1;
        Ok(simple)
    }

    /// Four hex digits.
    fn hex4(&mut self) -> Result<u32, DocumentError> {
        let mut value = 0;
        for _ in 0..4 {
            let digit = self
                .peek()
                .and_then(|b| char::from(b).to_digit(16))
                .ok_or_else(|| self.error(ErrorKind::Expected("four hex digits after \\u")))?;
            value = value * 16 + digit;
            self.pos += 1;
        }
        Ok(value)
    }

    fn number(&mut self) -> Result<Number, DocumentError> {
        let start = self.pos;
        let negative = self.eat(b'-');
        match self.peek() {
            Some(b'0') => {
                self.pos += 1;
                if self.peek().is_some_and(|b| b.is_ascii_digit()) {
                    return Err(self.error(ErrorKind::LeadingZero));
                }
            }
            Some(b'1'..=b'9') => {
                self.skip_digits();
            }
            _ => return Err(self.error(ErrorKind::Expected("a digit"))),
        }
        let mut integer = true;
        if self.eat(b'.') {
            integer = false;
            if self.skip_digits() == 0 {
                return Err(self.error(ErrorKind::Expected("a digit after '.'")));
            }
        }
        if self.eat(b'e') || self.eat(b'E') {
            integer = false;
            if !self.eat(b'+') {
                self.eat(b'-');
            }
            if self.skip_digits() == 0 {
                return Err(self.error(ErrorKind::Expected("a digit in the exponent")));
            }
        }
        // ASCII throughout, so these are character boundaries.
        let text = self.text.get(start..self.pos).unwrap_or_default();
        if integer {
            if !negative {
                if let Ok(n) = text.parse::<u64>() {
                    return Ok(Number::PosInt(n));
                }
            } else if let Ok(n) = text.parse::<i64>()
                && n != 0
            {
                return Ok(Number::NegInt(n));
            }
        }
        match text.parse::<f64>() {
            Ok(f) if f.is_finite() => Ok(Number::Float(f)),
            _ => Err(self.error_at(ErrorKind::NumberOutOfRange, start)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    struct XorShift(u64);

    impl XorShift {
        fn next(&mut self) -> u64 {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            self.0
        }

        fn below(&mut self, n: usize) -> usize {
            (self.next() % n as u64) as usize
        }
    }

    fn parse(text: &str) -> Document {
        match from_json(text) {
            Ok(doc) => doc,
            Err(e) => panic!("{text:?}: {e}"),
        }
    }

    fn parse_err(text: &str) -> DocumentError {
        match from_json(text) {
            Ok(doc) => panic!("{text:?} parsed as {doc:?}"),
            Err(e) => e,
        }
    }

    fn obj<const N: usize>(members: [(&str, Document); N]) -> Document {
        Document::Object(
            members
                .into_iter()
                .map(|(k, v)| (k.to_owned(), v))
                .collect(),
        )
    }

    #[test]
    fn scalars() {
        assert_eq!(parse("null"), Document::Null);
        assert_eq!(parse("true"), Document::Bool(true));
        assert_eq!(parse("false"), Document::Bool(false));
        assert_eq!(parse(" \t\r\n 1 \n"), Document::from(1u64));
        assert_eq!(parse("\"\""), Document::from(""));
        assert_eq!(parse("\"abc\""), Document::from("abc"));
    }

    #[test]
    fn numbers() {
        let n = |text: &str| parse(text).as_number().unwrap();
        assert_eq!(n("0"), Number::PosInt(0));
        assert_eq!(n("18446744073709551615"), Number::PosInt(u64::MAX));
        assert_eq!(
            n("18446744073709551616"),
            Number::Float(18_446_744_073_709_551_616.0)
        );
        assert_eq!(n("-1"), Number::NegInt(-1));
        assert_eq!(n("-9223372036854775808"), Number::NegInt(i64::MIN));
        assert_eq!(
            n("-9223372036854775809"),
            Number::Float(-9_223_372_036_854_775_809.0)
        );
        assert!(matches!(n("-0"), Number::Float(f) if f == 0.0 && f.is_sign_negative()));
        assert_eq!(n("1.5"), Number::Float(1.5));
        assert_eq!(n("-1.5e3"), Number::Float(-1500.0));
        assert_eq!(n("1E2"), Number::Float(100.0));
        assert_eq!(n("1e+2"), Number::Float(100.0));
        assert_eq!(n("1e-2"), Number::Float(0.01));
        assert_eq!(n("0.1"), Number::Float(0.1));
        assert_eq!(n("1e-400"), Number::Float(0.0));
        assert_eq!(n("1.7976931348623157e308"), Number::Float(f64::MAX));
        assert_eq!(n("3.0"), Number::Float(3.0));
        assert!(n("100000000000000000000000000000").as_f64() > 9.9e28);
    }

    #[test]
    fn number_conversions() {
        assert_eq!(Number::PosInt(5).as_i64(), Some(5));
        assert_eq!(Number::PosInt(u64::MAX).as_i64(), None);
        assert_eq!(Number::PosInt(u64::MAX).as_u64(), Some(u64::MAX));
        assert_eq!(Number::NegInt(-5).as_i64(), Some(-5));
        assert_eq!(Number::NegInt(-5).as_u64(), None);
        assert_eq!(Number::Float(3.0).as_i64(), Some(3));
        assert_eq!(Number::Float(3.0).as_u64(), Some(3));
        assert_eq!(Number::Float(-3.0).as_i64(), Some(-3));
        assert_eq!(Number::Float(-3.0).as_u64(), None);
        assert_eq!(Number::Float(3.5).as_i64(), None);
        assert_eq!(Number::Float(3.5).as_u64(), None);
        assert_eq!(Number::Float(f64::NAN).as_i64(), None);
        assert_eq!(Number::Float(f64::INFINITY).as_u64(), None);
        assert_eq!(Number::Float(9_223_372_036_854_775_808.0).as_i64(), None);
        assert_eq!(
            Number::Float(-9_223_372_036_854_775_808.0).as_i64(),
            Some(i64::MIN)
        );
        assert_eq!(Number::Float(18_446_744_073_709_551_616.0).as_u64(), None);
        assert_eq!(
            Number::Float(1e19).as_u64(),
            Some(10_000_000_000_000_000_000)
        );
        assert_eq!(Number::PosInt(3).as_f64(), 3.0);
        assert_eq!(Number::NegInt(-3).as_f64(), -3.0);
        assert_eq!(Number::Float(0.5).as_f64(), 0.5);
        assert_eq!(Number::from(-1i64), Number::NegInt(-1));
        assert_eq!(Number::from(0i64), Number::PosInt(0));
        assert_eq!(Number::from(7u64), Number::PosInt(7));
        assert_eq!(Number::from(0.5), Number::Float(0.5));
    }

    #[test]
    fn strings_and_escapes() {
        assert_eq!(parse(r#""a\"b\\c\/d""#), Document::from("a\"b\\c/d"));
        assert_eq!(parse(r#""\b\f\n\r\t""#), Document::from("\u{8}\u{c}\n\r\t"));
        assert_eq!(parse(r#""\u0041\u00e9\u4e2d""#), Document::from("Aé中"));
        assert_eq!(parse(r#""\u0000""#), Document::from("\0"));
        assert_eq!(parse(r#""\ud83d\ude00""#), Document::from("😀"));
        assert_eq!(parse(r#""\uD83D\uDE00x""#), Document::from("😀x"));
        assert_eq!(parse(r#""\udbff\udfff""#), Document::from("\u{10ffff}"));
        assert_eq!(parse("\"héllo 中 😀\""), Document::from("héllo 中 😀"));
        assert_eq!(parse("\"\u{7f}\""), Document::from("\u{7f}"));
    }

    #[test]
    fn arrays_and_objects() {
        assert_eq!(parse("[]"), Document::Array(vec![]));
        assert_eq!(parse("[ ]"), Document::Array(vec![]));
        assert_eq!(parse("{}"), obj([]));
        assert_eq!(parse(" { } "), obj([]));
        assert_eq!(
            parse(r#"[1, "a", null, [true], {"k": false}]"#),
            Document::Array(vec![
                Document::from(1u64),
                Document::from("a"),
                Document::Null,
                Document::Array(vec![Document::Bool(true)]),
                obj([("k", Document::Bool(false))]),
            ])
        );
        assert_eq!(
            parse(r#"{"b": 1, "a": {"c": []}, "b": 2}"#),
            obj([
                ("a", obj([("c", Document::Array(vec![]))])),
                ("b", Document::from(2u64))
            ])
        );
    }

    #[test]
    fn accessors() {
        let doc = parse(r#"{"s": "x", "b": true, "n": -3, "a": [1], "z": null}"#);
        let members = doc.as_object().unwrap();
        assert_eq!(members["s"].as_str(), Some("x"));
        assert_eq!(members["b"].as_bool(), Some(true));
        assert_eq!(members["n"].as_number().and_then(|n| n.as_i64()), Some(-3));
        assert_eq!(members["a"].as_array().map(<[Document]>::len), Some(1));
        assert!(members["z"].is_null());
        assert!(!members["s"].is_null());
        assert_eq!(members["s"].as_bool(), None);
        assert_eq!(members["b"].as_str(), None);
        assert_eq!(members["s"].as_number(), None);
        assert_eq!(members["s"].as_array(), None);
        assert_eq!(members["s"].as_object(), None);
        assert_eq!(Document::default(), Document::Null);
    }

    #[test]
    fn from_impls() {
        assert_eq!(Document::from(true), Document::Bool(true));
        assert_eq!(
            Document::from(String::from("x")),
            Document::String("x".into())
        );
        assert_eq!(Document::from("x"), Document::String("x".into()));
        assert_eq!(Document::from(5i64), Document::Number(Number::PosInt(5)));
        assert_eq!(Document::from(-5i64), Document::Number(Number::NegInt(-5)));
        assert_eq!(Document::from(5u64), Document::Number(Number::PosInt(5)));
        assert_eq!(Document::from(0.5), Document::Number(Number::Float(0.5)));
        assert_eq!(
            Document::from(Number::PosInt(1)),
            Document::Number(Number::PosInt(1))
        );
        assert_eq!(
            Document::from(vec![Document::Null]),
            Document::Array(vec![Document::Null])
        );
        assert_eq!(
            Document::from(BTreeMap::new()),
            Document::Object(BTreeMap::new())
        );
    }

    #[test]
    fn display_writes_compact_json() {
        let doc = obj([
            (
                "b",
                Document::Array(vec![Document::from(1u64), Document::from(-2i64)]),
            ),
            (
                "a",
                Document::from("x\"y\\z\n\u{1}\u{1f}\u{8}\u{c}\r\t/é😀"),
            ),
            ("c", Document::Null),
            ("d", Document::Bool(false)),
            ("e\n", obj([])),
        ]);
        assert_eq!(
            doc.to_string(),
            r#"{"a":"x\"y\\z\n\u0001\u001f\b\f\r\t/é😀","b":[1,-2],"c":null,"d":false,"e\n":{}}"#
        );
        assert_eq!(parse(&doc.to_string()), doc);
        let float = |f: f64| Document::from(f).to_string();
        assert_eq!(float(1.5), "1.5");
        assert_eq!(float(3.0), "3.0");
        assert_eq!(float(-0.0), "-0.0");
        assert_eq!(float(1e300), "1e300");
        assert_eq!(float(1e-7), "1e-7");
        assert_eq!(float(f64::NAN), "null");
        assert_eq!(float(f64::INFINITY), "null");
        assert_eq!(float(f64::NEG_INFINITY), "null");
        assert_eq!(Document::from(u64::MAX).to_string(), "18446744073709551615");
        assert_eq!(Document::from(i64::MIN).to_string(), "-9223372036854775808");
        assert_eq!(Document::Array(vec![]).to_string(), "[]");
        assert_eq!(Number::Float(0.1).to_string(), "0.1");
        assert_eq!("[1,2]".parse::<Document>().unwrap().to_string(), "[1,2]");
    }

    #[test]
    fn floats_round_trip() {
        let mut rng = XorShift(7);
        for _ in 0..20_000 {
            let f = f64::from_bits(rng.next());
            if !f.is_finite() {
                continue;
            }
            let text = Document::from(f).to_string();
            match parse(&text) {
                Document::Number(Number::Float(back)) => assert_eq!(back.to_bits(), f.to_bits()),
                other => panic!("{text} parsed as {other:?}"),
            }
        }
    }

    #[test]
    fn depth_limit() {
        let ok = format!("{}{}", "[".repeat(MAX_DEPTH), "]".repeat(MAX_DEPTH));
        assert!(from_json(&ok).is_ok());
        let deep = format!("{}{}", "[".repeat(MAX_DEPTH + 1), "]".repeat(MAX_DEPTH + 1));
        let err = parse_err(&deep);
        assert_eq!(err.offset(), MAX_DEPTH);
        assert!(err.to_string().contains("nested more than 128 deep"));
        let objects = format!(
            "{}1{}",
            r#"{"a":"#.repeat(MAX_DEPTH + 1),
            "}".repeat(MAX_DEPTH + 1)
        );
        assert!(parse_err(&objects).to_string().contains("nested"));
        // Far deeper input must fail cleanly, not overflow the stack.
        assert!(from_json(&"[".repeat(1_000_000)).is_err());
        assert!(from_json(&r#"{"a":"#.repeat(100_000)).is_err());
    }

    #[test]
    fn error_messages() {
        let check = |text: &str, offset: usize, message: &str| {
            let err = parse_err(text);
            assert_eq!(err.offset(), offset, "{text:?}: {err}");
            assert_eq!(
                err.to_string(),
                format!("invalid JSON at byte offset {offset}: {message}")
            );
        };
        check("", 0, "unexpected end of input, expected a JSON value");
        check("   ", 3, "unexpected end of input, expected a JSON value");
        check("nul", 0, "expected a JSON value");
        check("[1,]", 3, "expected a JSON value");
        check("[1 2]", 3, "expected ',' or ']'");
        check("[1", 2, "unexpected end of input, expected ',' or ']'");
        check(r#"{"a" 1}"#, 5, "expected ':' after the key");
        check(r#"{"a":1,}"#, 7, "expected a string key");
        check(r#"{a:1}"#, 1, "expected a string key");
        check(r#"{"a":1 "b":2}"#, 7, "expected ',' or '}'");
        check("01", 1, "leading zeros are not allowed in numbers");
        check("-", 1, "unexpected end of input, expected a digit");
        check("-a", 1, "expected a digit");
        check(
            "1.",
            2,
            "unexpected end of input, expected a digit after '.'",
        );
        check("1.e3", 2, "expected a digit after '.'");
        check(
            "1e",
            2,
            "unexpected end of input, expected a digit in the exponent",
        );
        check(
            "1e+",
            3,
            "unexpected end of input, expected a digit in the exponent",
        );
        check("1e999", 0, "number out of range");
        check("[-1e999]", 1, "number out of range");
        check(
            "\"abc",
            4,
            "unexpected end of input, expected '\"' to end the string",
        );
        check(
            "\"a\nb\"",
            2,
            "control characters must be escaped in strings",
        );
        check(r#""\x""#, 1, "invalid escape sequence in string");
        check(r#""\u12""#, 5, "expected four hex digits after \\u");
        check(r#""\ud800""#, 1, "unpaired UTF-16 surrogate in \\u escape");
        check(
            r#""\ud800\n""#,
            1,
            "unpaired UTF-16 surrogate in \\u escape",
        );
        check(
            r#""\ud800\u0041""#,
            1,
            "unpaired UTF-16 surrogate in \\u escape",
        );
        check(r#""\udc00""#, 1, "unpaired UTF-16 surrogate in \\u escape");
        check("1 2", 2, "unexpected characters after the value");
        check("{} x", 3, "unexpected characters after the value");
        check("\u{feff}1", 0, "expected a JSON value");
    }

    #[test]
    fn malformed_inputs() {
        for bad in [
            "",
            " ",
            "[",
            "]",
            "{",
            "}",
            "[}",
            "{]",
            "[[]",
            "{\"a\"}",
            "{\"a\":}",
            "{,}",
            "[,]",
            "[1,,2]",
            "{\"a\":1,,}",
            "tru",
            "truee",
            "True",
            "NULL",
            "nan",
            "NaN",
            "Infinity",
            "-Infinity",
            "+1",
            ".5",
            "1.",
            "-01",
            "00",
            "0x1",
            "1e1.5",
            "'a'",
            "\"\\\"",
            "\"\\u\"",
            "\"\\uzzzz\"",
            "\"\\ud800\\udbff\"",
            "\"\t\"",
            "\"\u{1}\"",
            "[1]]",
            "{}{}",
            "/* */1",
            "// x\n1",
            "\u{a0}1",
            "1\u{a0}",
            "[1,]",
            "{\"a\":1,}",
            "\"",
            "\"\\",
            "\"\\u00",
            "[\"a\",",
            "{\"a\":[",
            "123abc",
            "-",
            "--1",
            "1-",
            "1e+-1",
        ] {
            assert!(from_json(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn random_bytes_never_panic() {
        let mut rng = XorShift(0xDEAD_BEEF_CAFE_F00D);
        for _ in 0..20_000 {
            let len = rng.below(64);
            let bytes: Vec<u8> = (0..len).map(|_| rng.next() as u8).collect();
            let _ = from_json(&String::from_utf8_lossy(&bytes));
        }
        // JSON-flavoured soup reaches deeper into the parser.
        let pieces = [
            "[", "]", "{", "}", ",", ":", "\"", "\\", "\\u", "d83d", "dc00", "0", "1", "-", ".",
            "e", "+", " ", "null", "true", "fals", "\"k\"", "é", "\n", "9", "E",
        ];
        for _ in 0..100_000 {
            let count = rng.below(24);
            let text: String = (0..count)
                .map(|_| pieces[rng.below(pieces.len())])
                .collect();
            if let Ok(doc) = from_json(&text) {
                assert_eq!(parse(&doc.to_string()), doc, "{text:?}");
            }
        }
    }

    fn random_document(rng: &mut XorShift, depth: usize) -> Document {
        let kind = if depth > 4 {
            rng.below(4)
        } else {
            rng.below(6)
        };
        match kind {
            0 => Document::Null,
            1 => Document::Bool(rng.next().is_multiple_of(2)),
            2 => match rng.below(3) {
                0 => Document::from(rng.next()),
                1 => Document::from(rng.next() as i64),
                _ => {
                    let f = f64::from_bits(rng.next());
                    Document::from(if f.is_finite() { f } else { 0.25 })
                }
            },
            3 => {
                let len = rng.below(8);
                let s: String = (0..len)
                    .map(|_| {
                        let candidates = ['a', '"', '\\', '\n', '\u{0}', '\u{1f}', 'é', '😀', '/'];
                        candidates[rng.below(candidates.len())]
                    })
                    .collect();
                Document::String(s)
            }
            4 => Document::Array(
                (0..rng.below(4))
                    .map(|_| random_document(rng, depth + 1))
                    .collect(),
            ),
            _ => Document::Object(
                (0..rng.below(4))
                    .map(|i| (format!("k{i}\u{1}"), random_document(rng, depth + 1)))
                    .collect(),
            ),
        }
    }

    #[test]
    fn random_documents_round_trip() {
        let mut rng = XorShift(42);
        for _ in 0..5000 {
            let doc = random_document(&mut rng, 0);
            let text = doc.to_string();
            assert_eq!(parse(&text), doc, "{text}");
        }
    }

    #[test]
    fn error_traits() {
        fn assert_error<E: Error + Send + Sync + 'static>() {}
        assert_error::<DocumentError>();
    }
}
