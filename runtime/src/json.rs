//! JSON for the AWS `rest-json` and `json` protocols: [`JsonWriter`] builds request bodies and
//! [`JsonReader`] pulls values out of response bodies.
//!
//! Generated code calls these directly, one method per member, instead of going through
//! serde: that keeps the compile time of generated crates down.
//!
//! # Writing
//!
//! [`JsonWriter`] appends compact JSON to a `String`. It tracks a single flag, whether the
//! next value or key needs a `,` before it, so callers just emit keys and values in order:
//!
//! ```
//! use botogen_runtime::json::JsonWriter;
//!
//! let mut w = JsonWriter::new();
//! w.begin_object();
//! w.key("Name");
//! w.string("a \"quoted\" name");
//! w.key("Sizes");
//! w.begin_array();
//! w.i64(1);
//! w.f64(2.5);
//! w.f64(f64::NAN);
//! w.end_array();
//! w.end_object();
//! assert_eq!(w.finish(), r#"{"Name":"a \"quoted\" name","Sizes":[1,2.5,"NaN"]}"#);
//! ```
//!
//! The writer does not check that the calls make well-formed JSON (a key outside an object,
//! a missing value); generated code gets that right by construction.
//!
//! # Reading
//!
//! [`JsonReader`] is a pull parser over bytes. Each value method skips whitespace, checks the
//! kind of the next value and consumes it; [`object`](JsonReader::object) and
//! [`array`](JsonReader::array) hand each member to a callback, which reads the value with
//! the method for the member's type or [`skip`](JsonReader::skip)s it:
//!
//! ```
//! use botogen_runtime::json::{JsonError, JsonReader, read_top_level};
//!
//! #[derive(Default)]
//! struct Item {
//!     name: Option<String>,
//!     size: Option<i64>,
//! }
//!
//! fn read_item(r: &mut JsonReader<'_>) -> Result<Item, JsonError> {
//!     let mut item = Item::default();
//!     r.object(|r, key| {
//!         if r.take_null()? {
//!             return Ok(()); // null means absent
//!         }
//!         match &*key {
//!             "Name" => item.name = Some(r.string()?),
//!             "Size" => item.size = Some(r.i64()?),
//!             _ => r.skip()?,
//!         }
//!         Ok(())
//!     })?;
//!     Ok(item)
//! }
//!
//! let body = br#"{"Name": "x", "Extra": {"deep": [1, "\"}"]}, "Size": 3}"#;
//! let item = read_top_level(body, read_item)?;
//! assert_eq!((item.name.as_deref(), item.size), (Some("x"), Some(3)));
//!
//! let err = read_top_level(br#"{"Size": "3"}"#, read_item).err().unwrap();
//! assert_eq!(err.to_string(), "invalid JSON at byte 9: expected an integer, found a string");
//! # Ok::<(), JsonError>(())
//! ```
//!
//! The design keeps parsing cheap:
//!
//! * it works on bytes; strings are scanned eight bytes at a time for `"`, `\` and control
//!   characters, and UTF-8 is validated once per string with `std::str::from_utf8`;
//! * nothing is allocated except the values returned: keys (and
//!   [`str_cow`](JsonReader::str_cow) strings) are borrowed from the input unless they contain
//!   escapes, numbers are converted straight from the input text;
//! * [`skip`](JsonReader::skip) is iterative and allocation-free, and nesting of arrays and
//!   objects is limited to [`MAX_DEPTH`] for every method, so deep input is an error, never a
//!   stack overflow.
//!
//! Input is strict RFC 8259 JSON with one protocol extension: where a float is expected, the
//! strings `"NaN"`, `"Infinity"` and `"-Infinity"` stand for the special values, as AWS
//! services write them. Timestamps are read leniently (see
//! [`epoch_seconds`](JsonReader::epoch_seconds) and
//! [`timestamp_string`](JsonReader::timestamp_string)).
//!
//! No method panics, whatever the input. After a method returns an error the reader's
//! position is unspecified: report the error and drop the reader.

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::error::Error;
use std::fmt::{self, Write as _};

use crate::blob::{Base64Error, decode_base64, encode_base64};
use crate::datetime::{DateTimeError, Format};
use crate::document::Number;
use crate::{Blob, DateTime, Document};

/// How deeply arrays and objects may nest; deeper input is an error.
///
/// The limit counts every open array and object, whether opened by
/// [`JsonReader::object`]/[`JsonReader::array`] in generated code or inside
/// [`JsonReader::skip`] and [`JsonReader::document`].
pub const MAX_DEPTH: usize = 128;

// `JsonReader::skip` keeps the kinds of open containers in the bits of a `u128`.
const _: () = assert!(MAX_DEPTH <= 128);

// ---------------------------------------------------------------------------------------------
// Writer
// ---------------------------------------------------------------------------------------------

/// Writes compact JSON into a `String`.
///
/// Keys and values are written in call order; commas are inserted automatically. See the
/// [module documentation](self) for an example.
#[derive(Clone, Debug, Default)]
pub struct JsonWriter {
    buf: String,
    /// Whether the next key or value must be preceded by a comma.
    need_comma: bool,
}

impl JsonWriter {
    /// An empty writer.
    pub fn new() -> Self {
        Self::default()
    }

    /// An empty writer whose buffer can hold `bytes` bytes without reallocating.
    pub fn with_capacity(bytes: usize) -> Self {
        JsonWriter {
            buf: String::with_capacity(bytes),
            need_comma: false,
        }
    }

    fn before_value(&mut self) {
        if self.need_comma {
            self.buf.push(',');
        }
    }

    /// Starts an object: writes `{`.
    pub fn begin_object(&mut self) {
        self.before_value();
        self.buf.push('{');
        self.need_comma = false;
    }

    /// Ends an object: writes `}`.
    pub fn end_object(&mut self) {
        self.buf.push('}');
        self.need_comma = true;
    }

    /// Starts an array: writes `[`.
    pub fn begin_array(&mut self) {
        self.before_value();
        self.buf.push('[');
        self.need_comma = false;
    }

    /// Ends an array: writes `]`.
    pub fn end_array(&mut self) {
        self.buf.push(']');
        self.need_comma = true;
    }

    /// Writes an object key and the `:` after it (and a `,` before it unless it is the
    /// first member). The next call must write the member's value.
    pub fn key(&mut self, key: &str) {
        if self.need_comma {
            self.buf.push(',');
        }
        write_escaped(&mut self.buf, key);
        self.buf.push(':');
        self.need_comma = false;
    }

    /// Writes a string value, escaped as RFC 8259 requires: `\"`, `\\`, `\n`, `\r`, `\t`,
    /// `\b`, `\f`, other control characters as `\u00XX`; everything else as is.
    ///
    /// ```
    /// let mut w = botogen_runtime::json::JsonWriter::new();
    /// w.string("tab\there, é/😀\u{1}");
    /// assert_eq!(w.as_str(), r#""tab\there, é/😀\u0001""#);
    /// ```
    pub fn string(&mut self, value: &str) {
        self.before_value();
        write_escaped(&mut self.buf, value);
        self.need_comma = true;
    }

    /// Writes `true` or `false`.
    pub fn bool(&mut self, value: bool) {
        self.before_value();
        self.buf.push_str(if value { "true" } else { "false" });
        self.need_comma = true;
    }

    /// Writes `null`.
    pub fn null(&mut self) {
        self.before_value();
        self.buf.push_str("null");
        self.need_comma = true;
    }

    /// Writes an integer (also for `i8`, `i16` and `i32`, converted with `as i64`).
    pub fn i64(&mut self, value: i64) {
        self.before_value();
        let _ = write!(self.buf, "{value}");
        self.need_comma = true;
    }

    /// Writes a float: finite values as the shortest text that reads back as the same
    /// `f64` (`1.0`, `0.1`, `1e300`), NaN and infinities as the strings `"NaN"`,
    /// `"Infinity"` and `"-Infinity"`, as AWS services expect.
    ///
    /// ```
    /// let mut w = botogen_runtime::json::JsonWriter::new();
    /// w.begin_array();
    /// w.f64(1.0);
    /// w.f64(-0.25);
    /// w.f64(f64::NEG_INFINITY);
    /// w.end_array();
    /// assert_eq!(w.as_str(), r#"[1.0,-0.25,"-Infinity"]"#);
    /// ```
    pub fn f64(&mut self, value: f64) {
        if let Some(special) = special_float_name(value.is_nan(), value.is_infinite(), value > 0.0)
        {
            self.string(special);
        } else {
            self.before_value();
            // `Debug` is the shortest round-trip text, with an exponent for very large or
            // small magnitudes and `.0` on integral values: always valid JSON.
            let _ = write!(self.buf, "{value:?}");
            self.need_comma = true;
        }
    }

    /// Writes a float as [`f64`](Self::f64) does, with the shortest text for the `f32` (so
    /// `0.1f32` is written `0.1`).
    pub fn f32(&mut self, value: f32) {
        if let Some(special) = special_float_name(value.is_nan(), value.is_infinite(), value > 0.0)
        {
            self.string(special);
        } else {
            self.before_value();
            let _ = write!(self.buf, "{value:?}");
            self.need_comma = true;
        }
    }

    /// Writes bytes as a standard base64 string (with padding).
    pub fn blob(&mut self, value: &[u8]) {
        self.before_value();
        self.buf.push('"');
        self.buf.push_str(&encode_base64(value));
        self.buf.push('"');
        self.need_comma = true;
    }

    /// Writes a timestamp as a JSON number of seconds since the Unix epoch: an integer when
    /// whole, else with up to nine fraction digits (`1398796238.123`).
    pub fn epoch_seconds(&mut self, value: &DateTime) {
        self.before_value();
        self.buf.push_str(&value.fmt_epoch_seconds());
        self.need_comma = true;
    }

    /// Writes a timestamp as a JSON string in the given format.
    pub fn timestamp_string(&mut self, value: &DateTime, format: Format) {
        self.string(&value.fmt(format));
    }

    /// Writes a document as compact JSON (object members in key order, non-finite floats as
    /// `null`).
    pub fn document(&mut self, value: &Document) {
        self.before_value();
        let _ = write!(self.buf, "{value}");
        self.need_comma = true;
    }

    /// Writes `json`, which must be one complete, valid JSON value; it is not checked.
    pub fn raw_value(&mut self, json: &str) {
        self.before_value();
        self.buf.push_str(json);
        self.need_comma = true;
    }

    /// The JSON written so far.
    pub fn as_str(&self) -> &str {
        &self.buf
    }

    /// The JSON written, giving up the writer.
    pub fn finish(self) -> String {
        self.buf
    }

    /// The JSON written as bytes, giving up the writer.
    pub fn into_bytes(self) -> Vec<u8> {
        self.buf.into_bytes()
    }
}

/// The AWS spelling of a non-finite float, or `None` for a finite one.
fn special_float_name(nan: bool, infinite: bool, positive: bool) -> Option<&'static str> {
    match (nan, infinite, positive) {
        (true, _, _) => Some("NaN"),
        (false, true, true) => Some("Infinity"),
        (false, true, false) => Some("-Infinity"),
        _ => None,
    }
}

/// Appends `s` as a quoted, escaped JSON string.
fn write_escaped(buf: &mut String, s: &str) {
    let bytes = s.as_bytes();
    buf.reserve(bytes.len() + 2);
    buf.push('"');
    let mut plain_from = 0;
    loop {
        let special = scan_plain(bytes, plain_from);
        // `special` is at an ASCII byte or the end, so both ends are character boundaries.
        buf.push_str(s.get(plain_from..special).unwrap_or_default());
        let Some(&byte) = bytes.get(special) else {
            break;
        };
        match byte {
            b'"' => buf.push_str("\\\""),
            b'\\' => buf.push_str("\\\\"),
            b'\n' => buf.push_str("\\n"),
            b'\r' => buf.push_str("\\r"),
            b'\t' => buf.push_str("\\t"),
            0x08 => buf.push_str("\\b"),
            0x0c => buf.push_str("\\f"),
            _ => {
                buf.push_str("\\u00");
                buf.push(hex_digit(byte >> 4));
                buf.push(hex_digit(byte & 0xf));
            }
        }
        plain_from = special + 1;
    }
    buf.push('"');
}

fn hex_digit(nibble: u8) -> char {
    char::from(
        b"0123456789abcdef"
            .get(usize::from(nibble & 0xf))
            .map_or(b'0', |&b| b),
    )
}

/// The index of the first byte at or after `from` that is `"`, `\` or a control character
/// (below 0x20), or `bytes.len()` if there is none.
///
/// Eight bytes are tested at a time with the usual "has a zero byte" / "has a byte less than
/// n" bit tricks. Those can flag a byte falsely only above a byte that is truly flagged (the
/// false flags come from a borrow out of a lower byte), so the lowest flag is always right.
fn scan_plain(bytes: &[u8], from: usize) -> usize {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGHS: u64 = 0x8080_8080_8080_8080;
    const QUOTES: u64 = ONES * b'"' as u64;
    const BACKSLASHES: u64 = ONES * b'\\' as u64;
    const SPACES: u64 = ONES * 0x20;
    let mut i = from;
    while let Some(chunk) = bytes.get(i..).and_then(<[u8]>::first_chunk::<8>) {
        let word = u64::from_le_bytes(*chunk);
        let quote = word ^ QUOTES;
        let backslash = word ^ BACKSLASHES;
        let found = (quote.wrapping_sub(ONES) & !quote)
            | (backslash.wrapping_sub(ONES) & !backslash)
            | (word.wrapping_sub(SPACES) & !word);
        let found = found & HIGHS;
        if found != 0 {
            return i + (found.trailing_zeros() / 8) as usize;
        }
        i += 8;
    }
    while let Some(&byte) = bytes.get(i) {
        if byte == b'"' || byte == b'\\' || byte < 0x20 {
            return i;
        }
        i += 1;
    }
    bytes.len().max(from)
}

// ---------------------------------------------------------------------------------------------
// Errors
// ---------------------------------------------------------------------------------------------

/// The error from reading JSON: where, and what was wrong.
///
/// Its [`Display`](fmt::Display) text gives the byte offset and what was expected and found,
/// e.g. `invalid JSON at byte 12: expected a number, found a string` or
/// `invalid JSON at byte 3: expected ',' or ']', found `}``. Base64 and timestamp problems
/// carry the underlying error, also available through [`Error::source`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct JsonError {
    /// Boxed, so that the `Result`s passed around on the success path stay small.
    inner: Box<ErrorInner>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
struct ErrorInner {
    offset: usize,
    kind: ErrorKind,
}

#[derive(Clone, Debug, PartialEq, Eq)]
enum ErrorKind {
    Expected { what: &'static str, found: Found },
    LeadingZero,
    ControlCharacter(u8),
    InvalidEscape,
    LoneSurrogate,
    InvalidUtf8,
    NotAnInteger,
    OutOfRange(&'static str),
    TooDeep,
    Base64(Base64Error),
    Timestamp(DateTimeError),
    Custom(Box<str>),
}

/// What was found where something else was expected.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Found {
    End,
    String,
    Number,
    Object,
    Array,
    True,
    False,
    Null,
    Char(char),
    Byte(u8),
}

impl Found {
    /// Describes the character at `pos`, for errors inside a token.
    fn char_at(bytes: &[u8], pos: usize) -> Found {
        match Found::at(bytes, pos) {
            Found::End => Found::End,
            Found::Char(c) => Found::Char(c),
            Found::Byte(b) => Found::Byte(b),
            _ => bytes
                .get(pos)
                .map_or(Found::End, |&b| Found::Char(char::from(b))),
        }
    }

    /// Describes the token at `pos`.
    fn at(bytes: &[u8], pos: usize) -> Found {
        let rest = bytes.get(pos..).unwrap_or_default();
        let Some(&first) = rest.first() else {
            return Found::End;
        };
        match first {
            b'"' => Found::String,
            b'{' => Found::Object,
            b'[' => Found::Array,
            b'0'..=b'9' => Found::Number,
            b'-' if rest.get(1).is_some_and(u8::is_ascii_digit) => Found::Number,
            _ if rest.starts_with(b"true") => Found::True,
            _ if rest.starts_with(b"false") => Found::False,
            _ if rest.starts_with(b"null") => Found::Null,
            _ if first.is_ascii() => Found::Char(char::from(first)),
            _ => {
                let head = rest.get(..4).unwrap_or(rest);
                let valid = match std::str::from_utf8(head) {
                    Ok(text) => text,
                    Err(e) => std::str::from_utf8(head.get(..e.valid_up_to()).unwrap_or_default())
                        .unwrap_or_default(),
                };
                valid.chars().next().map_or(Found::Byte(first), Found::Char)
            }
        }
    }
}

impl fmt::Display for Found {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            Found::End => f.write_str("the end of input"),
            Found::String => f.write_str("a string"),
            Found::Number => f.write_str("a number"),
            Found::Object => f.write_str("an object"),
            Found::Array => f.write_str("an array"),
            Found::True => f.write_str("`true`"),
            Found::False => f.write_str("`false`"),
            Found::Null => f.write_str("`null`"),
            Found::Char(c) if c.is_control() => write!(f, "`{}`", c.escape_debug()),
            Found::Char(c) => write!(f, "`{c}`"),
            Found::Byte(b) => write!(f, "the byte 0x{b:02x}"),
        }
    }
}

impl JsonError {
    #[cold]
    fn new(offset: usize, kind: ErrorKind) -> Self {
        JsonError {
            inner: Box::new(ErrorInner { offset, kind }),
        }
    }

    /// An error at byte `offset` of the input with a message of the caller's choosing, for
    /// problems found by code built on [`JsonReader`].
    ///
    /// ```
    /// let err = botogen_runtime::json::JsonError::custom(7, "unknown variant");
    /// assert_eq!(err.to_string(), "invalid JSON at byte 7: unknown variant");
    /// ```
    pub fn custom(offset: usize, message: impl Into<String>) -> Self {
        JsonError::new(offset, ErrorKind::Custom(message.into().into_boxed_str()))
    }

    /// The byte offset in the input where the problem is.
    pub fn offset(&self) -> usize {
        self.inner.offset
    }
}

impl fmt::Display for JsonError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "invalid JSON at byte {}: ", self.inner.offset)?;
        match &self.inner.kind {
            ErrorKind::Expected {
                what,
                found: Found::End,
            } => write!(f, "unexpected end of input, expected {what}"),
            ErrorKind::Expected { what, found } => write!(f, "expected {what}, found {found}"),
            ErrorKind::LeadingZero => f.write_str("leading zeros are not allowed in numbers"),
            ErrorKind::ControlCharacter(byte) => write!(
                f,
                "control character U+{byte:04X} must be escaped in strings"
            ),
            ErrorKind::InvalidEscape => f.write_str("invalid escape sequence in string"),
            ErrorKind::LoneSurrogate => f.write_str("unpaired UTF-16 surrogate in \\u escape"),
            ErrorKind::InvalidUtf8 => f.write_str("invalid UTF-8 in string"),
            ErrorKind::NotAnInteger => {
                f.write_str("expected an integer, found a number with a fraction or exponent")
            }
            ErrorKind::OutOfRange(ty) => write!(f, "number out of range for {ty}"),
            ErrorKind::TooDeep => write!(f, "arrays and objects nested more than {MAX_DEPTH} deep"),
            ErrorKind::Base64(e) => write!(f, "string is not valid base64: {e}"),
            ErrorKind::Timestamp(e) => write!(f, "{e}"),
            ErrorKind::Custom(message) => f.write_str(message),
        }
    }
}

impl Error for JsonError {
    fn source(&self) -> Option<&(dyn Error + 'static)> {
        match &self.inner.kind {
            ErrorKind::Base64(e) => Some(e),
            ErrorKind::Timestamp(e) => Some(e),
            _ => None,
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Reader
// ---------------------------------------------------------------------------------------------

/// Pulls JSON values from bytes.
///
/// Every method that reads a value first skips whitespace, then checks that the next value
/// has the expected kind and consumes exactly that value. See the
/// [module documentation](self) for an example.
#[derive(Clone, Debug)]
pub struct JsonReader<'a> {
    bytes: &'a [u8],
    /// The longest prefix of `bytes` that is valid UTF-8 (all of it, for valid input).
    text: &'a str,
    pos: usize,
    depth: usize,
}

impl<'a> JsonReader<'a> {
    /// A reader at the start of `bytes`.
    ///
    /// This checks once, up front, how much of `bytes` is valid UTF-8, so strings need no
    /// validation of their own (invalid UTF-8 is reported only if it is inside a string that
    /// is read or skipped; anywhere else it is a syntax error anyway).
    pub fn new(bytes: &'a [u8]) -> Self {
        let text = match std::str::from_utf8(bytes) {
            Ok(text) => text,
            Err(e) => std::str::from_utf8(bytes.get(..e.valid_up_to()).unwrap_or_default())
                .unwrap_or_default(),
        };
        JsonReader {
            bytes,
            text,
            pos: 0,
            depth: 0,
        }
    }

    /// The input from `from` to `to` as a string; both are next to ASCII bytes.
    fn slice(&self, from: usize, to: usize) -> Result<&'a str, JsonError> {
        match self.text.get(from..to) {
            Some(text) => Ok(text),
            None => utf8(self.bytes, from, to),
        }
    }

    /// The byte offset of the reader in the input.
    pub fn offset(&self) -> usize {
        self.pos
    }

    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.pos).copied()
    }

    fn rest(&self) -> &'a [u8] {
        self.bytes.get(self.pos..).unwrap_or_default()
    }

    /// Skips whitespace and returns the next byte.
    #[inline]
    fn peek_value(&mut self) -> Option<u8> {
        match self.peek() {
            Some(byte) if byte > b' ' => Some(byte),
            _ => self.skip_whitespace(),
        }
    }

    fn skip_whitespace(&mut self) -> Option<u8> {
        while let Some(byte) = self.peek() {
            if !matches!(byte, b' ' | b'\n' | b'\r' | b'\t') {
                return Some(byte);
            }
            self.pos += 1;
        }
        None
    }

    fn error(&self, kind: ErrorKind) -> JsonError {
        JsonError::new(self.pos, kind)
    }

    /// "Expected `what`", describing what is at the current position.
    fn expected(&self, what: &'static str) -> JsonError {
        self.error(ErrorKind::Expected {
            what,
            found: Found::at(self.bytes, self.pos),
        })
    }

    /// Consumes the `[` or `{` at the current position, counting the depth.
    fn enter(&mut self) -> Result<(), JsonError> {
        if self.depth >= MAX_DEPTH {
            return Err(self.error(ErrorKind::TooDeep));
        }
        self.depth += 1;
        self.pos += 1;
        Ok(())
    }

    /// Consumes the `]` or `}` at the current position.
    fn leave(&mut self) {
        self.depth = self.depth.saturating_sub(1);
        self.pos += 1;
    }

    /// Consumes `word` if the input continues with it.
    fn eat_literal(&mut self, word: &[u8]) -> bool {
        let found = self.rest().starts_with(word);
        if found {
            self.pos += word.len();
        }
        found
    }

    /// If the next value is `null`, consumes it and returns true; otherwise consumes
    /// nothing (but whitespace) and returns false. Generated code treats `null` as absent.
    ///
    /// ```
    /// let mut r = botogen_runtime::json::JsonReader::new(b"[null, 1]");
    /// let mut seen = Vec::new();
    /// r.array(|r| {
    ///     seen.push(if r.take_null()? { None } else { Some(r.i64()?) });
    ///     Ok(())
    /// })?;
    /// assert_eq!(seen, [None, Some(1)]);
    /// # Ok::<(), botogen_runtime::json::JsonError>(())
    /// ```
    ///
    /// # Errors
    ///
    /// None at present; the `Result` leaves room for stricter checks.
    #[inline]
    pub fn take_null(&mut self) -> Result<bool, JsonError> {
        Ok(self.peek_value() == Some(b'n') && self.eat_literal(b"null"))
    }

    /// Reads an object, calling `on_key(reader, key)` for each member in input order. The
    /// callback must consume exactly the member's value (with a value method or
    /// [`skip`](Self::skip)). Keys are borrowed from the input unless they contain escapes.
    /// Repeated keys are passed on as they come.
    ///
    /// # Errors
    ///
    /// When the next value is not a well-formed object, nesting exceeds [`MAX_DEPTH`], or
    /// the callback fails (its error is returned as is).
    pub fn object(
        &mut self,
        mut on_key: impl FnMut(&mut Self, Cow<'a, str>) -> Result<(), JsonError>,
    ) -> Result<(), JsonError> {
        if self.peek_value() != Some(b'{') {
            return Err(self.expected("an object"));
        }
        self.enter()?;
        if self.peek_value() == Some(b'}') {
            self.leave();
            return Ok(());
        }
        loop {
            if self.peek_value() != Some(b'"') {
                return Err(self.expected("a string key"));
            }
            let key = self.read_string(true)?;
            if self.peek_value() != Some(b':') {
                return Err(self.expected("':' after the key"));
            }
            self.pos += 1;
            on_key(self, key)?;
            match self.peek_value() {
                Some(b',') => self.pos += 1,
                Some(b'}') => break,
                _ => return Err(self.expected("',' or '}'")),
            }
        }
        self.leave();
        Ok(())
    }

    /// Reads an array, calling `on_item(reader)` once per element; the callback must consume
    /// exactly the element.
    ///
    /// # Errors
    ///
    /// When the next value is not a well-formed array, nesting exceeds [`MAX_DEPTH`], or
    /// the callback fails (its error is returned as is).
    pub fn array(
        &mut self,
        mut on_item: impl FnMut(&mut Self) -> Result<(), JsonError>,
    ) -> Result<(), JsonError> {
        if self.peek_value() != Some(b'[') {
            return Err(self.expected("an array"));
        }
        self.enter()?;
        if self.peek_value() == Some(b']') {
            self.leave();
            return Ok(());
        }
        loop {
            on_item(self)?;
            match self.peek_value() {
                Some(b',') => self.pos += 1,
                Some(b']') => break,
                _ => return Err(self.expected("',' or ']'")),
            }
        }
        self.leave();
        Ok(())
    }

    /// Reads a string, decoding every escape (surrogate pairs included).
    ///
    /// # Errors
    ///
    /// When the next value is not a string, or the string has an unescaped control
    /// character, an invalid escape, an unpaired surrogate or invalid UTF-8.
    #[inline]
    pub fn string(&mut self) -> Result<String, JsonError> {
        self.str_cow().map(Cow::into_owned)
    }

    /// Reads a string as [`string`](Self::string) does, borrowing it from the input when it
    /// has no escapes.
    ///
    /// ```
    /// use std::borrow::Cow;
    ///
    /// let mut r = botogen_runtime::json::JsonReader::new(br#"["plain", "\u00e9\n"]"#);
    /// let mut items = Vec::new();
    /// r.array(|r| Ok(items.push(r.str_cow()?)))?;
    /// assert!(matches!(items[0], Cow::Borrowed("plain")));
    /// assert_eq!(items[1], "é\n");
    /// # Ok::<(), botogen_runtime::json::JsonError>(())
    /// ```
    ///
    /// # Errors
    ///
    /// As for [`string`](Self::string).
    #[inline]
    pub fn str_cow(&mut self) -> Result<Cow<'a, str>, JsonError> {
        if self.peek_value() != Some(b'"') {
            return Err(self.expected("a string"));
        }
        self.read_string(true)
    }

    /// Reads `true` or `false`.
    ///
    /// # Errors
    ///
    /// When the next value is not a boolean.
    #[inline]
    pub fn bool(&mut self) -> Result<bool, JsonError> {
        match self.peek_value() {
            Some(b't') if self.eat_literal(b"true") => Ok(true),
            Some(b'f') if self.eat_literal(b"false") => Ok(false),
            _ => Err(self.expected("a boolean")),
        }
    }

    /// Reads an integer literal (no fraction, no exponent) that fits in an `i64`.
    ///
    /// ```
    /// let mut r = botogen_runtime::json::JsonReader::new(b"[-12, 1.0]");
    /// let mut results = Vec::new();
    /// let _ = r.array(|r| {
    ///     results.push(r.i64().map_err(|e| e.to_string()));
    ///     Ok(())
    /// });
    /// assert_eq!(results[0], Ok(-12));
    /// assert_eq!(
    ///     results[1],
    ///     Err("invalid JSON at byte 6: expected an integer, found a number with a fraction or exponent".into()),
    /// );
    /// ```
    ///
    /// # Errors
    ///
    /// When the next value is not a number, has a fraction or exponent, or is out of range.
    #[inline]
    pub fn i64(&mut self) -> Result<i64, JsonError> {
        self.integer("i64").map(|(value, _)| value)
    }

    /// Reads an integer literal that fits in an `i32`.
    ///
    /// # Errors
    ///
    /// As for [`i64`](Self::i64).
    pub fn i32(&mut self) -> Result<i32, JsonError> {
        self.narrow_integer("i32")
    }

    /// Reads an integer literal that fits in an `i16`.
    ///
    /// # Errors
    ///
    /// As for [`i64`](Self::i64).
    pub fn i16(&mut self) -> Result<i16, JsonError> {
        self.narrow_integer("i16")
    }

    /// Reads an integer literal that fits in an `i8`.
    ///
    /// # Errors
    ///
    /// As for [`i64`](Self::i64).
    pub fn i8(&mut self) -> Result<i8, JsonError> {
        self.narrow_integer("i8")
    }

    fn narrow_integer<T: TryFrom<i64>>(&mut self, ty: &'static str) -> Result<T, JsonError> {
        let (value, start) = self.integer(ty)?;
        T::try_from(value).map_err(|_| JsonError::new(start, ErrorKind::OutOfRange(ty)))
    }

    /// Reads an integer literal; returns it and its offset.
    fn integer(&mut self, ty: &'static str) -> Result<(i64, usize), JsonError> {
        if !matches!(self.peek_value(), Some(b'-' | b'0'..=b'9')) {
            return Err(self.expected("an integer"));
        }
        let start = self.pos;
        let number = self.scan_number()?;
        let error = |kind| JsonError::new(start, kind);
        if !number.is_integer() {
            return Err(error(ErrorKind::NotAnInteger));
        }
        match number.to_i64() {
            Some(value) => Ok((value, start)),
            None => Err(error(ErrorKind::OutOfRange(ty))),
        }
    }

    /// Reads a float: any JSON number (rounded to the nearest `f64`), or one of the strings
    /// `"NaN"`, `"Infinity"` and `"-Infinity"`.
    ///
    /// # Errors
    ///
    /// When the next value is neither, or the number is too large for an `f64`.
    pub fn f64(&mut self) -> Result<f64, JsonError> {
        match self.peek_value() {
            Some(b'"') => self.special_float(f64::NAN, f64::INFINITY, f64::NEG_INFINITY),
            Some(b'-' | b'0'..=b'9') => {
                let start = self.pos;
                let number = self.scan_number()?;
                if let Some(value) = number.to_f64_exact() {
                    return Ok(value);
                }
                match number.text.parse::<f64>() {
                    Ok(value) if value.is_finite() => Ok(value),
                    _ => Err(JsonError::new(start, ErrorKind::OutOfRange("f64"))),
                }
            }
            _ => Err(self.expected("a number")),
        }
    }

    /// Reads a float as [`f64`](Self::f64) does, rounding straight to the nearest `f32`.
    ///
    /// # Errors
    ///
    /// When the next value is not a number or special-float string, or the number is too
    /// large for an `f32`.
    pub fn f32(&mut self) -> Result<f32, JsonError> {
        match self.peek_value() {
            Some(b'"') => self.special_float(f32::NAN, f32::INFINITY, f32::NEG_INFINITY),
            Some(b'-' | b'0'..=b'9') => {
                let start = self.pos;
                let number = self.scan_number()?;
                if let Some(value) = number.to_f32_exact() {
                    return Ok(value);
                }
                match number.text.parse::<f32>() {
                    Ok(value) if value.is_finite() => Ok(value),
                    _ => Err(JsonError::new(start, ErrorKind::OutOfRange("f32"))),
                }
            }
            _ => Err(self.expected("a number")),
        }
    }

    /// Reads the string at the current position, which must be one of the special floats.
    fn special_float<F>(&mut self, nan: F, inf: F, neg_inf: F) -> Result<F, JsonError> {
        let start = self.pos;
        match &*self.read_string(true)? {
            "NaN" => Ok(nan),
            "Infinity" => Ok(inf),
            "-Infinity" => Ok(neg_inf),
            _ => Err(JsonError::new(
                start,
                ErrorKind::Expected {
                    what: "a number",
                    found: Found::String,
                },
            )),
        }
    }

    /// Reads a base64 string into a blob.
    ///
    /// # Errors
    ///
    /// When the next value is not a string, or the string is not valid base64 (see
    /// [`decode_base64`]); the error then points at the string and its
    /// [`source`](Error::source) is the [`Base64Error`].
    pub fn blob(&mut self) -> Result<Blob, JsonError> {
        if self.peek_value() != Some(b'"') {
            return Err(self.expected("a base64 string"));
        }
        let start = self.pos;
        let text = self.read_string(true)?;
        decode_base64(&text)
            .map(Blob::new)
            .map_err(|e| JsonError::new(start, ErrorKind::Base64(e)))
    }

    /// Reads a timestamp written as epoch seconds: a JSON number, converted exactly from its
    /// decimal text by [`DateTime::parse_epoch_seconds`].
    ///
    /// Since services are lenient, a string is accepted too: one holding epoch seconds, an
    /// RFC 3339 date-time or an HTTP date.
    ///
    /// ```
    /// let mut r = botogen_runtime::json::JsonReader::new(br#"[1398796238.123, "2014-04-29T18:30:38.123Z"]"#);
    /// let mut times = Vec::new();
    /// r.array(|r| Ok(times.push(r.epoch_seconds()?)))?;
    /// assert_eq!(times[0], times[1]);
    /// assert_eq!(times[0].subsec_nanos(), 123_000_000);
    /// # Ok::<(), botogen_runtime::json::JsonError>(())
    /// ```
    ///
    /// # Errors
    ///
    /// When the next value is neither a number nor a string, or does not hold a valid
    /// timestamp (the [`source`](Error::source) is then the [`DateTimeError`]).
    pub fn epoch_seconds(&mut self) -> Result<DateTime, JsonError> {
        match self.peek_value() {
            Some(b'-' | b'0'..=b'9') => self.epoch_number(),
            Some(b'"') => {
                let start = self.pos;
                let text = self.read_string(true)?;
                let numeric = text
                    .bytes()
                    .all(|b| b.is_ascii_digit() || matches!(b, b'-' | b'+' | b'.' | b'e' | b'E'));
                let preferred = if numeric {
                    Format::EpochSeconds
                } else {
                    Format::DateTime
                };
                parse_timestamp(&text, preferred)
                    .map_err(|e| JsonError::new(start, ErrorKind::Timestamp(e)))
            }
            _ => Err(self.expected("a timestamp")),
        }
    }

    /// Reads a timestamp written as a string in `format`.
    ///
    /// Since services are lenient, a JSON number is accepted too (as epoch seconds), and a
    /// string that is not in `format` but in one of the other [`Format`]s is accepted.
    ///
    /// # Errors
    ///
    /// When the next value is neither a string nor a number, or does not hold a valid
    /// timestamp; the error is then the one for `format` and its
    /// [`source`](Error::source) is the [`DateTimeError`].
    pub fn timestamp_string(&mut self, format: Format) -> Result<DateTime, JsonError> {
        match self.peek_value() {
            Some(b'"') => {
                let start = self.pos;
                let text = self.read_string(true)?;
                parse_timestamp(&text, format)
                    .map_err(|e| JsonError::new(start, ErrorKind::Timestamp(e)))
            }
            Some(b'-' | b'0'..=b'9') => self.epoch_number(),
            _ => Err(self.expected("a timestamp string")),
        }
    }

    /// Reads the number at the current position as epoch seconds.
    fn epoch_number(&mut self) -> Result<DateTime, JsonError> {
        let start = self.pos;
        let number = self.scan_number()?;
        if let Some(time) = number.to_date_time() {
            return Ok(time);
        }
        DateTime::parse_epoch_seconds(number.text)
            .map_err(|e| JsonError::new(start, ErrorKind::Timestamp(e)))
    }

    /// Reads any JSON value as a [`Document`].
    ///
    /// Numbers follow the rules of [`Number`]: integers that fit are
    /// [`PosInt`](Number::PosInt) or [`NegInt`](Number::NegInt), anything else (and `-0`) a
    /// [`Float`](Number::Float). When an object repeats a key, the last value wins.
    ///
    /// # Errors
    ///
    /// When the next value is not valid JSON, nests more than [`MAX_DEPTH`] deep, or has a
    /// number too large for an `f64`.
    pub fn document(&mut self) -> Result<Document, JsonError> {
        match self.peek_value() {
            Some(b'{') => {
                let mut members = BTreeMap::new();
                self.object(|r, key| {
                    let value = r.document()?;
                    members.insert(key.into_owned(), value);
                    Ok(())
                })?;
                Ok(Document::Object(members))
            }
            Some(b'[') => {
                let mut items = Vec::new();
                self.array(|r| {
                    items.push(r.document()?);
                    Ok(())
                })?;
                Ok(Document::Array(items))
            }
            Some(b'"') => self
                .read_string(true)
                .map(|s| Document::String(s.into_owned())),
            Some(b'-' | b'0'..=b'9') => {
                let start = self.pos;
                let number = self.scan_number()?;
                document_number(number.text, number.is_integer())
                    .map(Document::Number)
                    .ok_or(JsonError::new(start, ErrorKind::OutOfRange("f64")))
            }
            Some(b't') if self.eat_literal(b"true") => Ok(Document::Bool(true)),
            Some(b'f') if self.eat_literal(b"false") => Ok(Document::Bool(false)),
            Some(b'n') if self.eat_literal(b"null") => Ok(Document::Null),
            _ => Err(self.expected("a JSON value")),
        }
    }

    /// Skips the next value, whatever it is, checking that it is valid JSON. This is
    /// iterative and allocates nothing.
    ///
    /// # Errors
    ///
    /// When the next value is not valid JSON or nests more than [`MAX_DEPTH`] deep.
    pub fn skip(&mut self) -> Result<(), JsonError> {
        // Bit `i` tells whether the container open at level `i` (counted from where the
        // skipped value starts) is an object.
        let mut objects: u128 = 0;
        let mut level: u32 = 0;
        loop {
            // A value starts here.
            match self.peek_value() {
                Some(b'{') => {
                    self.enter()?;
                    if self.peek_value() == Some(b'}') {
                        self.leave();
                    } else {
                        objects |= 1u128.checked_shl(level).unwrap_or(0);
                        level += 1;
                        self.skip_key()?;
                        continue;
                    }
                }
                Some(b'[') => {
                    self.enter()?;
                    if self.peek_value() == Some(b']') {
                        self.leave();
                    } else {
                        objects &= !1u128.checked_shl(level).unwrap_or(0);
                        level += 1;
                        continue;
                    }
                }
                Some(b'"') => {
                    self.read_string(false)?;
                }
                Some(b'-' | b'0'..=b'9') => {
                    self.scan_number()?;
                }
                Some(b't') if self.eat_literal(b"true") => {}
                Some(b'f') if self.eat_literal(b"false") => {}
                Some(b'n') if self.eat_literal(b"null") => {}
                _ => return Err(self.expected("a JSON value")),
            }
            // A value ended: close the containers that end here, up to the next value.
            loop {
                let Some(inner) = level.checked_sub(1) else {
                    return Ok(());
                };
                let in_object = objects.checked_shr(inner).unwrap_or(0) & 1 == 1;
                match self.peek_value() {
                    Some(b',') => {
                        self.pos += 1;
                        if in_object {
                            self.skip_key()?;
                        }
                        break;
                    }
                    Some(b'}') if in_object => {
                        self.leave();
                        level = inner;
                    }
                    Some(b']') if !in_object => {
                        self.leave();
                        level = inner;
                    }
                    _ if in_object => return Err(self.expected("',' or '}'")),
                    _ => return Err(self.expected("',' or ']'")),
                }
            }
        }
    }

    /// Skips an object key and the `:` after it.
    fn skip_key(&mut self) -> Result<(), JsonError> {
        if self.peek_value() != Some(b'"') {
            return Err(self.expected("a string key"));
        }
        self.read_string(false)?;
        if self.peek_value() != Some(b':') {
            return Err(self.expected("':' after the key"));
        }
        self.pos += 1;
        Ok(())
    }

    /// Checks that only whitespace remains after the top-level value.
    ///
    /// # Errors
    ///
    /// When anything else follows.
    pub fn end(&mut self) -> Result<(), JsonError> {
        match self.peek_value() {
            None => Ok(()),
            Some(_) => Err(self.expected("the end of input")),
        }
    }

    /// Reads the string whose opening quote is at the current position.
    ///
    /// With `decode`, returns the string (borrowed when it has no escapes). Without it, only
    /// validates the string and returns something meaningless, allocating nothing.
    #[inline]
    fn read_string(&mut self, decode: bool) -> Result<Cow<'a, str>, JsonError> {
        let start = self.pos + 1;
        let end = scan_plain(self.bytes, start);
        // The common case: no escapes, valid UTF-8.
        if self.bytes.get(end) == Some(&b'"')
            && let Some(text) = self.text.get(start..end)
        {
            self.pos = end + 1;
            return Ok(Cow::Borrowed(text));
        }
        self.read_string_slow(start, end, decode)
    }

    /// [`read_string`](Self::read_string) past the first run of plain bytes, which ends at
    /// `special`.
    fn read_string_slow(
        &mut self,
        mut plain_from: usize,
        mut special: usize,
        decode: bool,
    ) -> Result<Cow<'a, str>, JsonError> {
        let bytes = self.bytes;
        let mut decoded: Option<String> = None;
        loop {
            let plain = self.slice(plain_from, special)?;
            match bytes.get(special) {
                Some(b'"') => {
                    self.pos = special + 1;
                    return Ok(match decoded {
                        None => Cow::Borrowed(plain),
                        Some(mut text) => {
                            text.push_str(plain);
                            Cow::Owned(text)
                        }
                    });
                }
                Some(b'\\') => {
                    let (c, next) = decode_escape(bytes, special)?;
                    if decode {
                        let text =
                            decoded.get_or_insert_with(|| String::with_capacity(plain.len() + 16));
                        text.push_str(plain);
                        text.push(c);
                    }
                    plain_from = next;
                }
                Some(&byte) => {
                    return Err(JsonError::new(special, ErrorKind::ControlCharacter(byte)));
                }
                None => {
                    return Err(JsonError::new(
                        special,
                        ErrorKind::Expected {
                            what: "'\"' to end the string",
                            found: Found::End,
                        },
                    ));
                }
            }
            special = scan_plain(bytes, plain_from);
        }
    }

    /// Scans the number at the current position (which starts with `-` or a digit) by the
    /// RFC 8259 grammar.
    fn scan_number(&mut self) -> Result<NumberToken<'a>, JsonError> {
        let bytes = self.bytes;
        let start = self.pos;
        let mut i = start;
        let error = |i: usize, what| {
            JsonError::new(
                i,
                ErrorKind::Expected {
                    what,
                    found: Found::char_at(bytes, i),
                },
            )
        };
        let negative = bytes.get(i) == Some(&b'-');
        if negative {
            i += 1;
        }
        // The digits of the integer and fraction parts, as an integer (wrapping: only
        // meaningful for up to 19 digits).
        let mut mantissa: u64 = 0;
        let int_start = i;
        match bytes.get(i) {
            Some(b'0') => {
                i += 1;
                if bytes.get(i).is_some_and(u8::is_ascii_digit) {
                    return Err(JsonError::new(i, ErrorKind::LeadingZero));
                }
            }
            Some(b'1'..=b'9') => {
                while let Some(&byte) = bytes.get(i)
                    && byte.is_ascii_digit()
                {
                    mantissa = mantissa
                        .wrapping_mul(10)
                        .wrapping_add(u64::from(byte - b'0'));
                    i += 1;
                }
            }
            _ => return Err(error(i, "a digit")),
        }
        let int_digits = i - int_start;
        let mut fraction_digits = 0;
        let mut exponent = false;
        if bytes.get(i) == Some(&b'.') {
            i += 1;
            let fraction_start = i;
            while let Some(&byte) = bytes.get(i)
                && byte.is_ascii_digit()
            {
                mantissa = mantissa
                    .wrapping_mul(10)
                    .wrapping_add(u64::from(byte - b'0'));
                i += 1;
            }
            fraction_digits = i - fraction_start;
            if fraction_digits == 0 {
                return Err(error(i, "a digit after '.'"));
            }
        }
        if let Some(b'e' | b'E') = bytes.get(i) {
            exponent = true;
            i += 1;
            if let Some(b'+' | b'-') = bytes.get(i) {
                i += 1;
            }
            let exponent_start = i;
            while bytes.get(i).is_some_and(u8::is_ascii_digit) {
                i += 1;
            }
            if i == exponent_start {
                return Err(error(i, "a digit in the exponent"));
            }
        }
        self.pos = i;
        Ok(NumberToken {
            // ASCII throughout, so this cannot fail.
            text: self.slice(start, i)?,
            negative,
            mantissa,
            int_digits,
            fraction_digits,
            exponent,
        })
    }
}

/// A number literal that follows the JSON grammar, with what the scan learned about it.
#[derive(Debug)]
struct NumberToken<'a> {
    text: &'a str,
    negative: bool,
    /// The integer and fraction digits as one integer; exact when there are at most 19.
    mantissa: u64,
    int_digits: usize,
    fraction_digits: usize,
    exponent: bool,
}

/// Powers of ten that `f64` (and, up to 1e10, `f32`) holds exactly.
const POW10: [f64; 23] = [
    1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16,
    1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
];

impl NumberToken<'_> {
    fn is_integer(&self) -> bool {
        self.fraction_digits == 0 && !self.exponent
    }

    fn digits(&self) -> usize {
        self.int_digits + self.fraction_digits
    }

    /// The value of an integer literal, if it fits an `i64`.
    fn to_i64(&self) -> Option<i64> {
        if self.digits() <= 18 {
            // Below 10^18, so it fits.
            let magnitude = self.mantissa as i64;
            Some(if self.negative { -magnitude } else { magnitude })
        } else {
            parse_integer(self.text)
        }
    }

    /// The value when it can be computed exactly with one correctly rounded division:
    /// at most 15 digits (exact in an `f64`) and no exponent. `None` otherwise.
    fn to_f64_exact(&self) -> Option<f64> {
        if self.exponent || self.digits() > 15 {
            return None;
        }
        let value = self.mantissa as f64 / POW10.get(self.fraction_digits).copied()?;
        Some(if self.negative { -value } else { value })
    }

    /// As [`to_f64_exact`](Self::to_f64_exact), for `f32`: at most 7 digits.
    fn to_f32_exact(&self) -> Option<f32> {
        if self.exponent || self.digits() > 7 {
            return None;
        }
        // At most 7 fraction digits; 1e7 and below are exact in an f32.
        let scale = POW10.get(self.fraction_digits).copied()? as f32;
        let value = self.mantissa as f32 / scale;
        Some(if self.negative { -value } else { value })
    }

    /// The number as epoch seconds when it has no exponent, at most 9 fraction digits and
    /// at most 19 digits in all: converted exactly, as [`DateTime::parse_epoch_seconds`]
    /// does, but quicker. `None` otherwise.
    fn to_date_time(&self) -> Option<DateTime> {
        if self.exponent || self.fraction_digits > 9 || self.digits() > 19 {
            return None;
        }
        let scale = 10u64.pow(self.fraction_digits as u32);
        let secs = i64::try_from(self.mantissa / scale).ok()?;
        let mut nanos = (self.mantissa % scale) as u32;
        for _ in self.fraction_digits..9 {
            nanos *= 10;
        }
        Some(match (self.negative, nanos) {
            (false, _) => DateTime::from_secs_and_nanos(secs, nanos),
            (true, 0) => DateTime::from_secs(-secs),
            (true, _) => DateTime::from_secs_and_nanos(-secs - 1, 1_000_000_000 - nanos),
        })
    }
}

/// `bytes[from..to]` as UTF-8.
fn utf8(bytes: &[u8], from: usize, to: usize) -> Result<&str, JsonError> {
    let slice = bytes.get(from..to).unwrap_or_default();
    std::str::from_utf8(slice)
        .map_err(|e| JsonError::new(from + e.valid_up_to(), ErrorKind::InvalidUtf8))
}

/// Decodes the escape sequence whose backslash is at `at`; returns the character and the
/// offset after the sequence.
fn decode_escape(bytes: &[u8], at: usize) -> Result<(char, usize), JsonError> {
    let error = |kind| JsonError::new(at, kind);
    let c = match bytes.get(at + 1) {
        Some(b'"') => '"',
        Some(b'\\') => '\\',
        Some(b'/') => '/',
        Some(b'b') => '\u{8}',
        Some(b'f') => '\u{c}',
        Some(b'n') => '\n',
        Some(b'r') => '\r',
        Some(b't') => '\t',
        Some(b'u') => {
            let unit = hex4(bytes, at + 2)?;
            let code = match unit {
                0xd800..=0xdbff => {
                    if bytes.get(at + 6..at + 8) != Some(b"\\u") {
                        return Err(error(ErrorKind::LoneSurrogate));
                    }
                    let low = hex4(bytes, at + 8)?;
                    if !(0xdc00..=0xdfff).contains(&low) {
                        return Err(error(ErrorKind::LoneSurrogate));
                    }
                    let code = 0x1_0000 + ((unit - 0xd800) << 10) + (low - 0xdc00);
                    return char::from_u32(code)
                        .map(|c| (c, at + 12))
                        .ok_or_else(|| error(ErrorKind::LoneSurrogate));
                }
                code => code,
            };
            return char::from_u32(code)
                .map(|c| (c, at + 6))
                .ok_or_else(|| error(ErrorKind::LoneSurrogate));
        }
        _ => return Err(error(ErrorKind::InvalidEscape)),
    };
    Ok((c, at + 2))
}

/// The four hex digits at `at`.
fn hex4(bytes: &[u8], at: usize) -> Result<u32, JsonError> {
    let mut value = 0;
    for i in at..at + 4 {
        let digit = bytes
            .get(i)
            .and_then(|&b| char::from(b).to_digit(16))
            .ok_or_else(|| {
                JsonError::new(
                    i,
                    ErrorKind::Expected {
                        what: "four hex digits after \\u",
                        found: Found::char_at(bytes, i),
                    },
                )
            })?;
        value = value * 16 + digit;
    }
    Ok(value)
}

/// The value of an integer literal (`-`? digits, already validated), if it fits an `i64`.
fn parse_integer(text: &str) -> Option<i64> {
    let (negative, digits) = match text.strip_prefix('-') {
        Some(digits) => (true, digits),
        None => (false, text),
    };
    let mut magnitude: u64 = 0;
    for byte in digits.bytes() {
        magnitude = magnitude
            .checked_mul(10)?
            .checked_add(u64::from(byte.wrapping_sub(b'0')))?;
    }
    if negative {
        0i64.checked_sub_unsigned(magnitude)
    } else {
        i64::try_from(magnitude).ok()
    }
}

/// A validated number literal as a document number; `None` when too large for an `f64`.
fn document_number(text: &str, integer: bool) -> Option<Number> {
    if integer {
        if let Some(digits) = text.strip_prefix('-') {
            if let Some(value) = parse_integer(text).filter(|&v| v != 0) {
                return Some(Number::NegInt(value));
            }
            if digits.bytes().all(|b| b == b'0') {
                return Some(Number::Float(-0.0));
            }
        } else if let Ok(value) = text.parse::<u64>() {
            return Some(Number::PosInt(value));
        }
    }
    text.parse::<f64>()
        .ok()
        .filter(|f| f.is_finite())
        .map(Number::Float)
}

/// Parses a timestamp string in `preferred` format, falling back to the other formats; the
/// error is the one for `preferred`.
fn parse_timestamp(text: &str, preferred: Format) -> Result<DateTime, DateTimeError> {
    if preferred == Format::DateTime
        && let Some(time) = common_date_time(text)
    {
        return Ok(time);
    }
    DateTime::parse(text, preferred).or_else(|error| {
        [Format::DateTime, Format::EpochSeconds, Format::HttpDate]
            .into_iter()
            .filter(|&format| format != preferred)
            .find_map(|format| DateTime::parse(text, format).ok())
            .ok_or(error)
    })
}

/// The instant for the common RFC 3339 form `YYYY-MM-DDTHH:MM:SS[.fraction]Z` (with one to
/// nine fraction digits), as [`DateTime::parse_date_time`] gives it, but quicker; `None` for
/// anything else, including every invalid input.
fn common_date_time(text: &str) -> Option<DateTime> {
    let &[
        y0,
        y1,
        y2,
        y3,
        b'-',
        mo0,
        mo1,
        b'-',
        d0,
        d1,
        b'T',
        h0,
        h1,
        b':',
        mi0,
        mi1,
        b':',
        s0,
        s1,
        ref rest @ ..,
    ] = text.as_bytes()
    else {
        return None;
    };
    let digits = |pair: [u8; 2]| -> Option<u32> {
        let [a, b] = pair;
        if a.is_ascii_digit() && b.is_ascii_digit() {
            Some(u32::from(a - b'0') * 10 + u32::from(b - b'0'))
        } else {
            None
        }
    };
    let year = i64::from(digits([y0, y1])? * 100 + digits([y2, y3])?);
    let month = digits([mo0, mo1])?;
    let day = digits([d0, d1])?;
    let hour = digits([h0, h1])?;
    let minute = digits([mi0, mi1])?;
    let second = digits([s0, s1])?;
    let nanos = match rest {
        [b'Z'] => 0,
        [b'.', fraction @ .., b'Z'] if (1..=9).contains(&fraction.len()) => {
            let mut nanos: u32 = 0;
            for &byte in fraction {
                if !byte.is_ascii_digit() {
                    return None;
                }
                nanos = nanos * 10 + u32::from(byte - b'0');
            }
            for _ in fraction.len()..9 {
                nanos *= 10;
            }
            nanos
        }
        _ => return None,
    };
    let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
    let month_days = match month {
        2 if leap => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    };
    if year == 0
        || !(1..=12).contains(&month)
        || day == 0
        || day > month_days
        || hour > 23
        || minute > 59
        || second > 59
    {
        return None;
    }
    // Days since 1970-01-01 (Howard Hinnant's `days_from_civil`).
    let shifted_year = if month <= 2 { year - 1 } else { year }; // >= 0
    let era = shifted_year / 400;
    let year_of_era = shifted_year % 400;
    let shifted_month = i64::from((month + 9) % 12); // March is 0
    let day_of_year = (153 * shifted_month + 2) / 5 + i64::from(day) - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    let days = era * 146_097 + day_of_era - 719_468;
    let seconds = days * 86_400 + i64::from(hour * 3600 + minute * 60 + second);
    Some(DateTime::from_secs_and_nanos(seconds, nanos))
}

/// Parses a whole JSON text into a [`Document`]: [`JsonReader::document`], then
/// [`JsonReader::end`].
///
/// ```
/// let doc = botogen_runtime::json::parse_document(br#" {"a": [1, 2.5, null]} "#)?;
/// assert_eq!(doc.to_string(), r#"{"a":[1,2.5,null]}"#);
/// # Ok::<(), botogen_runtime::json::JsonError>(())
/// ```
///
/// # Errors
///
/// When `bytes` is not one valid JSON value (with optional surrounding whitespace).
pub fn parse_document(bytes: &[u8]) -> Result<Document, JsonError> {
    read_top_level(bytes, JsonReader::document)
}

/// Reads a whole JSON text: calls `read` with a reader at the start of `bytes`, then checks
/// with [`JsonReader::end`] that only whitespace follows.
///
/// An empty body is not special: reading a value from it fails with "unexpected end of
/// input".
///
/// # Errors
///
/// The error from `read`, or from [`JsonReader::end`].
pub fn read_top_level<'a, T>(
    bytes: &'a [u8],
    read: impl FnOnce(&mut JsonReader<'a>) -> Result<T, JsonError>,
) -> Result<T, JsonError> {
    let mut reader = JsonReader::new(bytes);
    let value = read(&mut reader)?;
    reader.end()?;
    Ok(value)
}

/// Reads the members of a response body that is a JSON object, calling `on_key` for each;
/// an empty (or all-whitespace) body has no members. Errors are rendered as text, the form
/// generated response parsers report them in.
///
/// # Errors
///
/// A body that is not a single JSON object, or the callback's error, as text.
pub fn read_object_body<'a>(
    body: &'a [u8],
    on_key: impl FnMut(&mut JsonReader<'a>, Cow<'a, str>) -> Result<(), JsonError>,
) -> Result<(), String> {
    if body.iter().all(u8::is_ascii_whitespace) {
        return Ok(());
    }
    read_top_level(body, |r| r.object(on_key)).map_err(|e| e.to_string())
}

impl<'a> JsonReader<'a> {
    /// `None` for `null`, else the value `read` reads; generated code treats `null` as an
    /// absent member.
    ///
    /// # Errors
    ///
    /// The error from `read`.
    #[inline]
    pub fn optional<T>(
        &mut self,
        read: impl FnOnce(&mut Self) -> Result<T, JsonError>,
    ) -> Result<Option<T>, JsonError> {
        if self.take_null()? {
            Ok(None)
        } else {
            read(self).map(Some)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn object_bodies_and_optional_values() {
        let mut seen = Vec::new();
        read_object_body(br#"{"a": null, "b": "x"}"#, |r, key| {
            seen.push((key.into_owned(), r.optional(JsonReader::string)?));
            Ok(())
        })
        .unwrap();
        assert_eq!(
            seen,
            [
                ("a".to_owned(), None),
                ("b".to_owned(), Some("x".to_owned()))
            ]
        );
        assert_eq!(read_object_body(b"  ", |_, _| Ok(())), Ok(()));
        assert!(
            read_object_body(b"[1]", |_, _| Ok(()))
                .unwrap_err()
                .contains("expected an object")
        );
    }

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

    fn reader(text: &str) -> JsonReader<'_> {
        JsonReader::new(text.as_bytes())
    }

    /// Reads the whole of `text` with `read`.
    fn read<'a, T>(
        text: &'a str,
        read: impl FnOnce(&mut JsonReader<'a>) -> Result<T, JsonError>,
    ) -> Result<T, JsonError> {
        read_top_level(text.as_bytes(), read)
    }

    /// The error message (with offset) from reading `text` with `read`.
    fn err<'a, T: fmt::Debug>(
        text: &'a str,
        read: impl FnOnce(&mut JsonReader<'a>) -> Result<T, JsonError>,
    ) -> String {
        match read_top_level(text.as_bytes(), read) {
            Ok(value) => panic!("{text:?} read as {value:?}"),
            Err(e) => e.to_string(),
        }
    }

    fn msg(offset: usize, message: &str) -> String {
        format!("invalid JSON at byte {offset}: {message}")
    }

    fn doc(text: &str) -> Document {
        match Document::from_json(text) {
            Ok(d) => d,
            Err(e) => panic!("{text:?}: {e}"),
        }
    }

    // ----- writer -----

    #[test]
    fn writer_every_value_kind() {
        let mut w = JsonWriter::with_capacity(64);
        w.begin_array();
        w.string("s");
        w.bool(true);
        w.bool(false);
        w.null();
        w.i64(0);
        w.i64(-42);
        w.i64(i64::MIN);
        w.i64(i64::MAX);
        w.i64(i64::from(i32::MIN));
        w.f64(1.5);
        w.f64(3.0);
        w.f64(-0.0);
        w.f64(1e300);
        w.f64(1e-7);
        w.f32(0.1);
        w.blob(b"foobar");
        w.epoch_seconds(&DateTime::from_secs_and_nanos(1_398_796_238, 123_000_000));
        w.epoch_seconds(&DateTime::from_secs(-5));
        w.raw_value("{\"raw\":[1]}");
        w.document(&doc(r#"{"b":[1,-2,2.5],"a":null}"#));
        w.end_array();
        assert_eq!(
            w.as_str(),
            r#"["s",true,false,null,0,-42,-9223372036854775808,9223372036854775807,-2147483648,1.5,3.0,-0.0,1e300,1e-7,0.1,"Zm9vYmFy",1398796238.123,-5,{"raw":[1]},{"a":null,"b":[1,-2,2.5]}]"#
        );
        let text = w.as_str().to_owned();
        assert_eq!(w.clone().finish(), text);
        assert_eq!(w.into_bytes(), text.into_bytes());
        assert_eq!(JsonWriter::new().finish(), "");
        assert_eq!(JsonWriter::default().as_str(), "");
    }

    #[test]
    fn writer_escapes_strings() {
        let all_controls: String = (0u8..0x20).map(char::from).collect();
        let mut w = JsonWriter::new();
        w.string(&all_controls);
        assert_eq!(
            w.finish(),
            concat!(
                r#""\u0000\u0001\u0002\u0003\u0004\u0005\u0006\u0007\b\t\n\u000b\f\r\u000e\u000f"#,
                r#"\u0010\u0011\u0012\u0013\u0014\u0015\u0016\u0017\u0018\u0019\u001a\u001b\u001c\u001d\u001e\u001f""#
            )
        );
        let mut w = JsonWriter::new();
        w.string("q\"b\\s/é中😀\u{7f}\u{2028}");
        assert_eq!(w.as_str(), "\"q\\\"b\\\\s/é中😀\u{7f}\u{2028}\"");
        let mut w = JsonWriter::new();
        w.string("");
        w.begin_object();
        w.key("k\"\n");
        w.string("a long string without anything special in it at all");
        w.end_object();
        assert_eq!(
            w.as_str(),
            r#""",{"k\"\n":"a long string without anything special in it at all"}"#
        );
        // Escapes at every alignment, against a simple reference.
        for len in 0..40 {
            for special in ['"', '\\', '\u{1}', '\n'] {
                for at in 0..len {
                    let s: String = (0..len)
                        .map(|i| if i == at { special } else { 'x' })
                        .collect();
                    let mut w = JsonWriter::new();
                    w.string(&s);
                    assert_eq!(w.as_str(), Document::from(s.as_str()).to_string());
                }
            }
        }
    }

    #[test]
    fn writer_commas_in_nested_structures() {
        let mut w = JsonWriter::new();
        w.begin_object();
        w.key("a");
        w.begin_array();
        w.i64(1);
        w.begin_object();
        w.key("b");
        w.begin_array();
        w.end_array();
        w.key("c");
        w.null();
        w.end_object();
        w.begin_array();
        w.begin_array();
        w.end_array();
        w.begin_object();
        w.end_object();
        w.end_array();
        w.string("x");
        w.end_array();
        w.key("d");
        w.begin_object();
        w.end_object();
        w.key("e");
        w.begin_object();
        w.key("f");
        w.begin_object();
        w.key("g");
        w.bool(true);
        w.end_object();
        w.key("h");
        w.i64(2);
        w.end_object();
        w.key("i");
        w.i64(3);
        w.end_object();
        let text = w.finish();
        assert_eq!(
            text,
            r#"{"a":[1,{"b":[],"c":null},[[],{}],"x"],"d":{},"e":{"f":{"g":true},"h":2},"i":3}"#
        );
        assert!(parse_document(text.as_bytes()).is_ok());

        let mut w = JsonWriter::new();
        w.begin_array();
        for i in 0..3 {
            w.begin_object();
            w.key("n");
            w.i64(i);
            w.end_object();
        }
        w.begin_array();
        w.raw_value("1");
        w.raw_value("2");
        w.end_array();
        w.document(&Document::Null);
        w.blob(b"");
        w.end_array();
        assert_eq!(w.as_str(), r#"[{"n":0},{"n":1},{"n":2},[1,2],null,""]"#);
    }

    #[test]
    fn writer_special_floats() {
        let mut w = JsonWriter::new();
        w.begin_array();
        w.f64(f64::NAN);
        w.f64(f64::INFINITY);
        w.f64(f64::NEG_INFINITY);
        w.f32(f32::NAN);
        w.f32(f32::INFINITY);
        w.f32(f32::NEG_INFINITY);
        w.end_array();
        let text = w.finish();
        assert_eq!(
            text,
            r#"["NaN","Infinity","-Infinity","NaN","Infinity","-Infinity"]"#
        );
        let mut r = reader(&text);
        let mut floats = Vec::new();
        r.array(|r| {
            floats.push(r.f64()?);
            Ok(())
        })
        .unwrap();
        assert!(floats[0].is_nan());
        assert_eq!(floats[1..3], [f64::INFINITY, f64::NEG_INFINITY]);
    }

    #[test]
    fn writer_f32_formatting() {
        let f32_text = |v: f32| {
            let mut w = JsonWriter::new();
            w.f32(v);
            w.finish()
        };
        assert_eq!(f32_text(0.1), "0.1");
        assert_eq!(f32_text(1.0), "1.0");
        assert_eq!(f32_text(-2.5), "-2.5");
        assert_eq!(f32_text(16_777_216.0), "16777216.0");
        assert_eq!(f32_text(f32::MAX), "3.4028235e38");
        assert_eq!(f32_text(f32::MIN_POSITIVE), "1.1754944e-38");
        let mut rng = XorShift(11);
        for _ in 0..20_000 {
            let v = f32::from_bits(rng.next() as u32);
            if !v.is_finite() {
                continue;
            }
            let text = f32_text(v);
            let back = read(&text, JsonReader::f32).unwrap();
            assert_eq!(back.to_bits(), v.to_bits(), "{text}");
            assert!(parse_document(text.as_bytes()).is_ok(), "{text}");
        }
    }

    #[test]
    fn writer_f64_round_trips() {
        let mut rng = XorShift(12);
        for _ in 0..20_000 {
            let v = f64::from_bits(rng.next());
            let mut w = JsonWriter::new();
            w.f64(v);
            let text = w.finish();
            let back = read(&text, JsonReader::f64).unwrap();
            if v.is_nan() {
                assert!(back.is_nan());
            } else {
                assert_eq!(back.to_bits(), v.to_bits(), "{text}");
            }
        }
    }

    #[test]
    fn writer_blob_and_timestamps() {
        let t = DateTime::from_secs_and_nanos(1_404_129_600, 500_000_000);
        let mut w = JsonWriter::new();
        w.begin_object();
        w.key("b");
        w.blob(&[0xfb, 0xff]);
        w.key("e");
        w.epoch_seconds(&t);
        w.key("d");
        w.timestamp_string(&t, Format::DateTime);
        w.key("h");
        w.timestamp_string(&t, Format::HttpDate);
        w.key("s");
        w.timestamp_string(&t, Format::EpochSeconds);
        w.end_object();
        let text = w.finish();
        assert_eq!(
            text,
            r#"{"b":"+/8=","e":1404129600.5,"d":"2014-06-30T12:00:00.5Z","h":"Mon, 30 Jun 2014 12:00:00 GMT","s":"1404129600.5"}"#
        );
        read(&text, |r| {
            r.object(|r, key| {
                match &*key {
                    "b" => assert_eq!(r.blob()?, Blob::new(vec![0xfb, 0xff])),
                    "e" => assert_eq!(r.epoch_seconds()?, t),
                    "d" => assert_eq!(r.timestamp_string(Format::DateTime)?, t),
                    "h" => assert_eq!(
                        r.timestamp_string(Format::HttpDate)?,
                        DateTime::from_secs(t.secs())
                    ),
                    "s" => assert_eq!(r.timestamp_string(Format::EpochSeconds)?, t),
                    other => panic!("{other}"),
                }
                Ok(())
            })
        })
        .unwrap();
    }

    #[test]
    fn writer_document_round_trip() {
        let text = r#"{"a":[1,-2,2.5,-0.0,1e300,18446744073709551615],"b":{"c":"x\"\n\u0001é😀","d":[],"e":{}},"f":true,"g":null}"#;
        let document = doc(text);
        let mut w = JsonWriter::new();
        w.document(&document);
        assert_eq!(w.as_str(), text);
        assert_eq!(parse_document(w.as_str().as_bytes()).unwrap(), document);
        let mut w = JsonWriter::new();
        w.document(&Document::from(f64::NAN));
        assert_eq!(w.as_str(), "null");
    }

    /// A random value written with the writer, and the same value as a document.
    fn random_value(rng: &mut XorShift, w: &mut JsonWriter, depth: usize) -> Document {
        let kinds = if depth > 4 { 5 } else { 7 };
        match rng.below(kinds) {
            0 => {
                w.null();
                Document::Null
            }
            1 => {
                let b = rng.next().is_multiple_of(2);
                w.bool(b);
                Document::Bool(b)
            }
            2 => {
                let n = (rng.next() as i64) >> rng.below(64);
                w.i64(n);
                Document::from(n)
            }
            3 => {
                let f = f64::from_bits(rng.next());
                let f = if f.is_finite() { f } else { 0.5 };
                w.f64(f);
                Document::from(f)
            }
            4 => {
                let chars = ['a', '"', '\\', '\n', '\u{0}', '\u{1f}', 'é', '😀', '/', ' '];
                let s: String = (0..rng.below(12))
                    .map(|_| chars[rng.below(chars.len())])
                    .collect();
                w.string(&s);
                Document::String(s)
            }
            5 => {
                w.begin_array();
                let items = (0..rng.below(4))
                    .map(|_| random_value(rng, w, depth + 1))
                    .collect();
                w.end_array();
                Document::Array(items)
            }
            _ => {
                w.begin_object();
                let mut members = BTreeMap::new();
                for i in 0..rng.below(4) {
                    let key = format!("k{i}\u{1}\"");
                    w.key(&key);
                    members.insert(key, random_value(rng, w, depth + 1));
                }
                w.end_object();
                Document::Object(members)
            }
        }
    }

    #[test]
    fn writer_output_reads_back() {
        let mut rng = XorShift(0x1234_5678);
        for _ in 0..5000 {
            let mut w = JsonWriter::new();
            let expected = random_value(&mut rng, &mut w, 0);
            let text = w.finish();
            let back = parse_document(text.as_bytes()).unwrap();
            // Integral floats are written with `.0` and read back as floats, like the
            // document parser does, so the documents agree exactly.
            assert_eq!(back, doc(&text), "{text}");
            assert_eq!(back.to_string(), expected.to_string(), "{text}");
            read(&text, JsonReader::skip).unwrap();
        }
    }

    #[test]
    fn writer_typed_values_read_back() {
        let mut rng = XorShift(99);
        for _ in 0..2000 {
            let s: String = (0..rng.below(20))
                .map(|_| char::from_u32(rng.next() as u32 % 0x11_0000).unwrap_or('\u{fffd}'))
                .collect();
            let n = rng.next() as i64;
            let small = rng.next() as i32;
            let f = f64::from_bits(rng.next());
            let bytes: Vec<u8> = (0..rng.below(20)).map(|_| rng.next() as u8).collect();
            let t = DateTime::from_secs_and_nanos(
                (rng.next() % 315_000_000_000) as i64 - 62_000_000_000,
                (rng.next() % 1_000_000_000) as u32,
            );
            let mut w = JsonWriter::new();
            w.begin_object();
            w.key(&s);
            w.string(&s);
            w.key("n");
            w.i64(n);
            w.key("small");
            w.i64(i64::from(small));
            w.key("f");
            w.f64(f);
            w.key("bytes");
            w.blob(&bytes);
            w.key("t");
            w.epoch_seconds(&t);
            w.key("iso");
            w.timestamp_string(&t, Format::DateTime);
            w.end_object();
            let text = w.finish();
            let mut seen = 0;
            read(&text, |r| {
                r.object(|r, key| {
                    seen += 1;
                    match &*key {
                        "n" => assert_eq!(r.i64()?, n),
                        "small" => assert_eq!(r.i32()?, small),
                        "f" => {
                            let back = r.f64()?;
                            assert!(back.to_bits() == f.to_bits() || (f.is_nan() && back.is_nan()));
                        }
                        "bytes" => assert_eq!(r.blob()?.into_inner(), bytes),
                        "t" => assert_eq!(r.epoch_seconds()?, t),
                        "iso" => assert_eq!(r.timestamp_string(Format::DateTime)?, t),
                        k => {
                            assert_eq!(k, s);
                            assert_eq!(r.string()?, s);
                        }
                    }
                    Ok(())
                })
            })
            .unwrap();
            assert_eq!(seen, 7);
        }
    }

    // ----- reader: strings -----

    #[test]
    fn read_strings_and_escapes() {
        let s = |text: &str| read(text, JsonReader::string).unwrap();
        assert_eq!(s(r#""""#), "");
        assert_eq!(s(r#"  "plain"  "#), "plain");
        assert_eq!(s(r#""a\"b\\c\/d""#), "a\"b\\c/d");
        assert_eq!(s(r#""\b\f\n\r\t""#), "\u{8}\u{c}\n\r\t");
        assert_eq!(s(r#""\u0041\u00e9\u4E2D\u0000""#), "Aé中\0");
        assert_eq!(s(r#""\ud83d\ude00""#), "😀");
        assert_eq!(s(r#""x\uD83D\uDE00y""#), "x😀y");
        assert_eq!(s(r#""\udbff\udfff""#), "\u{10ffff}");
        assert_eq!(s(r#""\ud800\udc00""#), "\u{10000}");
        assert_eq!(s("\"héllo 中 😀 \u{7f}\""), "héllo 中 😀 \u{7f}");
        assert_eq!(s(r#""\\\\\\""#), "\\\\\\");
        assert_eq!(
            s(&format!("\"{}\\n{}\"", "a".repeat(100), "b".repeat(100))),
            format!("{}\n{}", "a".repeat(100), "b".repeat(100))
        );

        let cow = |text: &'static str| read(text, JsonReader::str_cow).unwrap();
        assert!(matches!(cow(r#""abc""#), Cow::Borrowed("abc")));
        assert!(matches!(cow("\"é😀\""), Cow::Borrowed("é😀")));
        assert!(matches!(cow(r#""a\nb""#), Cow::Owned(ref s) if s == "a\nb"));
    }

    #[test]
    fn read_string_errors() {
        let e = |text: &str| err(text, JsonReader::string);
        assert_eq!(e(""), msg(0, "unexpected end of input, expected a string"));
        assert_eq!(
            e("   "),
            msg(3, "unexpected end of input, expected a string")
        );
        assert_eq!(e("1"), msg(0, "expected a string, found a number"));
        assert_eq!(e("{}"), msg(0, "expected a string, found an object"));
        assert_eq!(e("[]"), msg(0, "expected a string, found an array"));
        assert_eq!(e("null"), msg(0, "expected a string, found `null`"));
        assert_eq!(e("true"), msg(0, "expected a string, found `true`"));
        assert_eq!(e(" false"), msg(1, "expected a string, found `false`"));
        assert_eq!(e("'a'"), msg(0, "expected a string, found `'`"));
        assert_eq!(e("é"), msg(0, "expected a string, found `é`"));
        assert_eq!(e("\u{1}"), msg(0, "expected a string, found `\\u{1}`"));
        assert_eq!(
            e("\"abc"),
            msg(
                4,
                "unexpected end of input, expected '\"' to end the string"
            )
        );
        assert_eq!(
            e("\"a\nb\""),
            msg(2, "control character U+000A must be escaped in strings")
        );
        assert_eq!(
            e("\"a\tb\""),
            msg(2, "control character U+0009 must be escaped in strings")
        );
        assert_eq!(e(r#""\x""#), msg(1, "invalid escape sequence in string"));
        assert_eq!(
            e(r#""\U0041""#),
            msg(1, "invalid escape sequence in string")
        );
        assert_eq!(e("\"\\"), msg(1, "invalid escape sequence in string"));
        assert_eq!(
            e(r#""\u12""#),
            msg(5, "expected four hex digits after \\u, found `\"`")
        );
        assert_eq!(
            e(r#""\u"#),
            msg(
                3,
                "unexpected end of input, expected four hex digits after \\u"
            )
        );
        assert_eq!(
            e(r#""\uzzzz""#),
            msg(3, "expected four hex digits after \\u, found `z`")
        );
        for lone in [
            r#""\ud800""#,
            r#""\ud800x""#,
            r#""\ud800\n""#,
            r#""\ud800\u0041""#,
            r#""\ud800\ud800""#,
            r#""\udc00""#,
            r#""\udfff\ud800""#,
        ] {
            assert_eq!(
                e(lone),
                msg(1, "unpaired UTF-16 surrogate in \\u escape"),
                "{lone}"
            );
        }
        assert_eq!(
            e(r#""\ud800\u00"#),
            msg(
                11,
                "unexpected end of input, expected four hex digits after \\u"
            )
        );
        // Invalid UTF-8, in plain and escaped strings and in keys.
        let bytes_err = |bytes: &[u8]| {
            read_top_level(bytes, JsonReader::string)
                .unwrap_err()
                .to_string()
        };
        assert_eq!(bytes_err(b"\"ab\xff\""), msg(3, "invalid UTF-8 in string"));
        assert_eq!(bytes_err(b"\"\\n\xc3\""), msg(3, "invalid UTF-8 in string"));
        assert_eq!(
            bytes_err(b"\"\xed\xa0\x80\""),
            msg(1, "invalid UTF-8 in string")
        );
        let mut r = JsonReader::new(b"{\"\xff\": 1}");
        assert_eq!(
            r.object(|r, _| r.skip()).unwrap_err().to_string(),
            msg(2, "invalid UTF-8 in string")
        );
        assert_eq!(
            read_top_level(b"[\"\xc3\xa9\", \"\xc3\"]", JsonReader::skip)
                .unwrap_err()
                .offset(),
            8
        );
        assert_eq!(
            read_top_level(b"\xff", JsonReader::string)
                .unwrap_err()
                .to_string(),
            msg(0, "expected a string, found the byte 0xff")
        );
    }

    #[test]
    fn scan_plain_matches_reference() {
        let mut rng = XorShift(5);
        let alphabet = b"ab\"\\\x01\x1f \x7f\x80\xff";
        for _ in 0..20_000 {
            let bytes: Vec<u8> = (0..rng.below(40))
                .map(|_| alphabet[rng.below(alphabet.len())])
                .collect();
            let from = rng.below(bytes.len() + 2);
            let expected = bytes
                .iter()
                .enumerate()
                .skip(from)
                .find(|&(_, &b)| b == b'"' || b == b'\\' || b < 0x20)
                .map_or(bytes.len().max(from), |(i, _)| i);
            assert_eq!(scan_plain(&bytes, from), expected, "{bytes:?} from {from}");
        }
    }

    // ----- reader: numbers, booleans, null -----

    #[test]
    fn read_integers() {
        let i = |text: &str| read(text, JsonReader::i64).unwrap();
        assert_eq!(i("0"), 0);
        assert_eq!(i("-0"), 0);
        assert_eq!(i(" 42 "), 42);
        assert_eq!(i("-42"), -42);
        assert_eq!(i("9223372036854775807"), i64::MAX);
        assert_eq!(i("-9223372036854775808"), i64::MIN);
        assert_eq!(read("2147483647", JsonReader::i32).unwrap(), i32::MAX);
        assert_eq!(read("-2147483648", JsonReader::i32).unwrap(), i32::MIN);
        assert_eq!(read("32767", JsonReader::i16).unwrap(), i16::MAX);
        assert_eq!(read("-32768", JsonReader::i16).unwrap(), i16::MIN);
        assert_eq!(read("127", JsonReader::i8).unwrap(), i8::MAX);
        assert_eq!(read("-128", JsonReader::i8).unwrap(), i8::MIN);

        let e = |text: &str| err(text, JsonReader::i64);
        assert_eq!(
            e(""),
            msg(0, "unexpected end of input, expected an integer")
        );
        assert_eq!(e("\"1\""), msg(0, "expected an integer, found a string"));
        assert_eq!(e("true"), msg(0, "expected an integer, found `true`"));
        assert_eq!(e("+1"), msg(0, "expected an integer, found `+`"));
        assert_eq!(e(".5"), msg(0, "expected an integer, found `.`"));
        let fraction = "expected an integer, found a number with a fraction or exponent";
        assert_eq!(e("1.0"), msg(0, fraction));
        assert_eq!(e(" 1e2"), msg(1, fraction));
        assert_eq!(e("1E2"), msg(0, fraction));
        assert_eq!(
            e("9223372036854775808"),
            msg(0, "number out of range for i64")
        );
        assert_eq!(
            e("-9223372036854775809"),
            msg(0, "number out of range for i64")
        );
        assert_eq!(
            e("99999999999999999999999"),
            msg(0, "number out of range for i64")
        );
        assert_eq!(e("01"), msg(1, "leading zeros are not allowed in numbers"));
        assert_eq!(e("-01"), msg(2, "leading zeros are not allowed in numbers"));
        assert_eq!(e("-"), msg(1, "unexpected end of input, expected a digit"));
        assert_eq!(e("-a"), msg(1, "expected a digit, found `a`"));
        assert_eq!(e("1a"), msg(1, "expected the end of input, found `a`"));
        assert_eq!(
            err("2147483648", JsonReader::i32),
            msg(0, "number out of range for i32")
        );
        assert_eq!(
            err(" -2147483649", JsonReader::i32),
            msg(1, "number out of range for i32")
        );
        assert_eq!(
            err("32768", JsonReader::i16),
            msg(0, "number out of range for i16")
        );
        assert_eq!(
            err("-129", JsonReader::i8),
            msg(0, "number out of range for i8")
        );
        assert_eq!(err("1.5", JsonReader::i8), msg(0, fraction));
    }

    #[test]
    fn read_floats() {
        let f = |text: &str| read(text, JsonReader::f64).unwrap();
        assert_eq!(f("0"), 0.0);
        assert!(f("-0").is_sign_negative());
        assert!(f("-0.0").is_sign_negative());
        assert!(f("-0e5").is_sign_negative());
        assert_eq!(f("1"), 1.0);
        assert_eq!(f("-12.5"), -12.5);
        assert_eq!(f("1e2"), 100.0);
        assert_eq!(f("1E+2"), 100.0);
        assert_eq!(f("1e-2"), 0.01);
        assert_eq!(f("0.1"), 0.1);
        assert_eq!(f("123456789012345"), 123_456_789_012_345.0);
        assert_eq!(f("9007199254740993"), 9_007_199_254_740_992.0);
        assert_eq!(f("18446744073709551616"), 18_446_744_073_709_551_616.0);
        assert_eq!(f("1.7976931348623157e308"), f64::MAX);
        assert_eq!(f("1e-400"), 0.0);
        assert!(f("\"NaN\"").is_nan());
        assert_eq!(f("\"Infinity\""), f64::INFINITY);
        assert_eq!(f(" \"-Infinity\" "), f64::NEG_INFINITY);
        let g = |text: &str| read(text, JsonReader::f32).unwrap();
        assert_eq!(g("0.1"), 0.1f32);
        assert_eq!(g("16777217"), 16_777_216.0);
        assert_eq!(g("3.4028235e38"), f32::MAX);
        assert!(g("-0").is_sign_negative());
        assert!(g("\"NaN\"").is_nan());
        assert_eq!(g("\"-Infinity\""), f32::NEG_INFINITY);
        // Rounded once, straight to f32 (through f64 this would round to 1.0 + 2^-23).
        assert_eq!(g("1.000000059604644775390625000001"), 1.000_000_1_f32);

        let e = |text: &str| err(text, JsonReader::f64);
        assert_eq!(e(""), msg(0, "unexpected end of input, expected a number"));
        assert_eq!(e("\"nan\""), msg(0, "expected a number, found a string"));
        assert_eq!(e("\"1.5\""), msg(0, "expected a number, found a string"));
        assert_eq!(e("NaN"), msg(0, "expected a number, found `N`"));
        assert_eq!(e("-Infinity"), msg(1, "expected a digit, found `I`"));
        assert_eq!(e("1e999"), msg(0, "number out of range for f64"));
        assert_eq!(e("-1e999"), msg(0, "number out of range for f64"));
        assert_eq!(
            err("1e39", JsonReader::f32),
            msg(0, "number out of range for f32")
        );
        assert_eq!(
            err("[]", JsonReader::f32),
            msg(0, "expected a number, found an array")
        );
        assert_eq!(
            e("1."),
            msg(2, "unexpected end of input, expected a digit after '.'")
        );
        assert_eq!(e("1.e3"), msg(2, "expected a digit after '.', found `e`"));
        assert_eq!(
            e("1e"),
            msg(
                2,
                "unexpected end of input, expected a digit in the exponent"
            )
        );
        assert_eq!(
            e("1e+"),
            msg(
                3,
                "unexpected end of input, expected a digit in the exponent"
            )
        );
        assert_eq!(
            e("1e+-1"),
            msg(3, "expected a digit in the exponent, found `-`")
        );
        assert_eq!(e("00"), msg(1, "leading zeros are not allowed in numbers"));
        assert_eq!(e("1.5.5"), msg(3, "expected the end of input, found `.`"));
        assert_eq!(e("0x1"), msg(1, "expected the end of input, found `x`"));
    }

    #[test]
    fn float_parsing_matches_std() {
        let mut rng = XorShift(77);
        for _ in 0..20_000 {
            let int = rng.next() >> rng.below(64);
            let text = match rng.below(4) {
                0 => format!("{int}"),
                1 => format!("-{int}"),
                2 => format!("{}.{}", int % 100_000, rng.next() % 1_000_000),
                _ => format!("{}e{}", int % 1000, rng.below(700) as i64 - 350),
            };
            let expected: f64 = text.parse().unwrap();
            match read(&text, JsonReader::f64) {
                Ok(value) => assert_eq!(value.to_bits(), expected.to_bits(), "{text}"),
                Err(_) => assert!(!expected.is_finite(), "{text}"),
            }
            let expected32: f32 = text.parse().unwrap();
            if let Ok(value) = read(&text, JsonReader::f32) {
                assert_eq!(value.to_bits(), expected32.to_bits(), "{text}");
            }
        }
    }

    /// The fast epoch-seconds conversion of a whole number literal.
    fn plain_epoch_seconds(text: &str) -> Option<DateTime> {
        let mut r = reader(text);
        let number = r.scan_number().ok()?;
        assert_eq!(r.offset(), text.len(), "{text}");
        number.to_date_time()
    }

    #[test]
    fn plain_epoch_seconds_matches_exact_parser() {
        let mut rng = XorShift(31);
        for _ in 0..50_000 {
            let whole = rng.next() >> rng.below(64);
            let fraction = rng.next() % 1_000_000_000;
            let width = 1 + rng.below(9);
            let text = match rng.below(5) {
                0 => format!("{whole}"),
                1 => format!("-{whole}"),
                2 => format!("{whole}.{:0width$}", fraction % 10u64.pow(width as u32)),
                3 => format!(
                    "-{}.{:0width$}",
                    whole % 100,
                    fraction % 10u64.pow(width as u32)
                ),
                _ => format!("{}.{fraction}", whole % 1_000_000_000_000_000_000),
            };
            let exact = DateTime::parse_epoch_seconds(&text).ok();
            if let Some(fast) = plain_epoch_seconds(&text) {
                assert_eq!(Some(fast), exact, "{text}");
            }
            assert_eq!(read(&text, JsonReader::epoch_seconds).ok(), exact, "{text}");
        }
        for text in [
            "0",
            "-0",
            "-0.0",
            "0.000000001",
            "-0.000000001",
            "9999999999.999999999",
            "-9999999999.999999999",
            "-922337203685.4775808",
        ] {
            assert_eq!(
                plain_epoch_seconds(text),
                DateTime::parse_epoch_seconds(text).ok(),
                "{text}"
            );
        }
        for text in [
            "999999999999999999.999999999",
            "-9223372036854775809",
            "-9223372036854775808",
        ] {
            assert_eq!(plain_epoch_seconds(text), None, "{text}");
            assert_eq!(
                read(text, JsonReader::epoch_seconds).ok(),
                DateTime::parse_epoch_seconds(text).ok()
            );
        }
        assert_eq!(plain_epoch_seconds("1e3"), None);
        assert_eq!(plain_epoch_seconds("1.0000000001"), None);
        assert_eq!(plain_epoch_seconds("12345678901234567890"), None);
        assert_eq!(plain_epoch_seconds("9223372036854775808"), None);
        assert_eq!(
            plain_epoch_seconds("9223372036854775807"),
            Some(DateTime::from_secs(i64::MAX))
        );
    }

    #[test]
    fn common_date_time_matches_full_parser() {
        let mut rng = XorShift(41);
        for _ in 0..50_000 {
            let text = format!(
                "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}{}Z",
                rng.below(10_001),
                rng.below(14),
                rng.below(33),
                rng.below(25),
                rng.below(61),
                rng.below(61),
                match rng.below(3) {
                    0 => String::new(),
                    _ => format!(".{}", &format!("{:011}", rng.next())[..rng.below(11)]),
                }
            );
            let full = DateTime::parse_date_time(&text).ok();
            match common_date_time(&text) {
                Some(fast) => assert_eq!(Some(fast), full, "{text}"),
                None => assert!(
                    full.is_none() || text.contains(".Z") || text.len() > 30,
                    "{text}"
                ),
            }
            assert_eq!(
                read(&format!("\"{text}\""), |r| r
                    .timestamp_string(Format::DateTime))
                .ok(),
                full.or_else(|| DateTime::parse_http_date(&text).ok()),
                "{text}"
            );
        }
        for text in [
            "0001-01-01T00:00:00Z",
            "9999-12-31T23:59:59.999999999Z",
            "2000-02-29T12:00:00Z",
            "1900-02-28T00:00:00.5Z",
            "1969-12-31T23:59:59.1Z",
        ] {
            assert_eq!(
                common_date_time(text),
                DateTime::parse_date_time(text).ok(),
                "{text}"
            );
            assert!(common_date_time(text).is_some(), "{text}");
        }
        for text in [
            "1900-02-29T00:00:00Z",
            "2014-04-01t00:00:00Z",
            "2014-04-01T00:00:00z",
            "2014-04-01T00:00:00+01:00",
            "2014-04-01T00:00:60Z",
            "2014-04-01T00:00:00.Z",
            "2014-04-01T00:00:00.1234567891Z",
            "2014-04-01T00:00:00.12a4Z",
            "2014-04-01T00:00:00",
            "+014-04-01T00:00:00Z",
        ] {
            assert_eq!(common_date_time(text), None, "{text}");
        }
    }

    #[test]
    fn read_bool_and_null() {
        assert!(read("true", JsonReader::bool).unwrap());
        assert!(!read(" false ", JsonReader::bool).unwrap());
        let e = |text: &str| err(text, JsonReader::bool);
        assert_eq!(e("tru"), msg(0, "expected a boolean, found `t`"));
        assert_eq!(e("True"), msg(0, "expected a boolean, found `T`"));
        assert_eq!(e("\"true\""), msg(0, "expected a boolean, found a string"));
        assert_eq!(e("null"), msg(0, "expected a boolean, found `null`"));
        assert_eq!(e("1"), msg(0, "expected a boolean, found a number"));
        assert_eq!(e(""), msg(0, "unexpected end of input, expected a boolean"));
        assert_eq!(e("truee"), msg(4, "expected the end of input, found `e`"));

        let mut r = reader("  null");
        assert!(r.take_null().unwrap());
        assert_eq!(r.offset(), 6);
        r.end().unwrap();
        let mut r = reader(" nul");
        assert!(!r.take_null().unwrap());
        assert_eq!(r.offset(), 1);
        let mut r = reader(" 1");
        assert!(!r.take_null().unwrap());
        assert_eq!(r.i64().unwrap(), 1);
        let mut r = reader("");
        assert!(!r.take_null().unwrap());
        let mut r = reader("\"null\"");
        assert!(!r.take_null().unwrap());
        assert_eq!(r.string().unwrap(), "null");
    }

    // ----- reader: objects and arrays -----

    #[test]
    fn read_objects_skipping_unknown_members() {
        let text = r#" {
            "s": "x",
            "unknownString": "with \"escaped\" quotes, \\ and } ] , :",
            "unknownNumber": -1.5e-3,
            "unknownTrue": true, "unknownFalse": false, "unknownNull": null,
            "unknownArray": [1, [2, [3, {"a": "]"}]], [], {}],
            "unknownObject": {"a": {"b": {"c": [{}, {"d": null}]}}, "e": "}"},
            "n": 7,
            "emptyObject": {}, "emptyArray": [ ],
            "s": "y",
            "k\u00e9y": 1
        } "#;
        let mut keys = Vec::new();
        let mut strings = Vec::new();
        let mut numbers = Vec::new();
        read(text, |r| {
            r.object(|r, key| {
                keys.push(key.clone().into_owned());
                match &*key {
                    "s" => strings.push(r.string()?),
                    "n" => numbers.push(r.i64()?),
                    "kéy" => {
                        assert!(matches!(key, Cow::Owned(_)));
                        numbers.push(r.i64()?);
                    }
                    _ => {
                        assert!(matches!(key, Cow::Borrowed(_)));
                        r.skip()?;
                    }
                }
                Ok(())
            })
        })
        .unwrap();
        assert_eq!(strings, ["x", "y"]);
        assert_eq!(numbers, [7, 1]);
        assert_eq!(keys.len(), 13);
        assert_eq!(keys[12], "kéy");
        // Every kind of value skips cleanly at top level too.
        for value in [
            "1",
            "-0.5e+7",
            "\"a\\\"b\"",
            "true",
            "false",
            "null",
            "[]",
            "{}",
            "[[[]]]",
            r#"{"a":[{"b":{}}]}"#,
            " [ 1 , { \"a\" : [ ] } ] ",
        ] {
            read(value, JsonReader::skip).unwrap_or_else(|e| panic!("{value}: {e}"));
        }
    }

    #[test]
    fn read_arrays() {
        let mut items = Vec::new();
        read(" [ 1 , 2,3 ] ", |r| {
            r.array(|r| {
                items.push(r.i64()?);
                Ok(())
            })
        })
        .unwrap();
        assert_eq!(items, [1, 2, 3]);
        let mut count = 0;
        read("[]", |r| {
            r.array(|_| {
                count += 1;
                Ok(())
            })
        })
        .unwrap();
        assert_eq!(count, 0);
        let mut nested = Vec::new();
        read(r#"[[1, 2], [], [3]]"#, |r| {
            r.array(|r| {
                let mut inner = Vec::new();
                r.array(|r| {
                    inner.push(r.i32()?);
                    Ok(())
                })?;
                nested.push(inner);
                Ok(())
            })
        })
        .unwrap();
        assert_eq!(nested, [vec![1, 2], vec![], vec![3]]);
        // Maps: objects with arbitrary keys.
        let mut map = Vec::new();
        read(r#"{"a": [1], "b": null}"#, |r| {
            r.object(|r, key| {
                let value = if r.take_null()? {
                    None
                } else {
                    Some(r.document()?)
                };
                map.push((key, value));
                Ok(())
            })
        })
        .unwrap();
        assert_eq!(map.len(), 2);
        assert_eq!(map[1], (Cow::Borrowed("b"), None));
    }

    #[test]
    fn object_and_array_errors() {
        let obj = |text: &str| err(text, |r| r.object(|r, _| r.skip()));
        let arr = |text: &str| err(text, |r| r.array(JsonReader::skip));
        assert_eq!(obj("[]"), msg(0, "expected an object, found an array"));
        assert_eq!(
            obj(""),
            msg(0, "unexpected end of input, expected an object")
        );
        assert_eq!(
            obj("{"),
            msg(1, "unexpected end of input, expected a string key")
        );
        assert_eq!(obj("{a:1}"), msg(1, "expected a string key, found `a`"));
        assert_eq!(
            obj(r#"{"a":1,}"#),
            msg(7, "expected a string key, found `}`")
        );
        assert_eq!(
            obj(r#"{"a" 1}"#),
            msg(5, "expected ':' after the key, found a number")
        );
        assert_eq!(
            obj(r#"{"a"}"#),
            msg(4, "expected ':' after the key, found `}`")
        );
        assert_eq!(obj(r#"{"a":}"#), msg(5, "expected a JSON value, found `}`"));
        assert_eq!(
            obj(r#"{"a":1 "b":2}"#),
            msg(7, "expected ',' or '}', found a string")
        );
        assert_eq!(obj(r#"{"a":1]"#), msg(6, "expected ',' or '}', found `]`"));
        assert_eq!(
            obj(r#"{"a":1"#),
            msg(6, "unexpected end of input, expected ',' or '}'")
        );
        assert_eq!(obj("{}}"), msg(2, "expected the end of input, found `}`"));
        assert_eq!(arr("{}"), msg(0, "expected an array, found an object"));
        assert_eq!(
            arr("["),
            msg(1, "unexpected end of input, expected a JSON value")
        );
        assert_eq!(arr("[1,]"), msg(3, "expected a JSON value, found `]`"));
        assert_eq!(arr("[,1]"), msg(1, "expected a JSON value, found `,`"));
        assert_eq!(arr("[1 2]"), msg(3, "expected ',' or ']', found a number"));
        assert_eq!(arr("[1}"), msg(2, "expected ',' or ']', found `}`"));
        assert_eq!(
            arr("[1"),
            msg(2, "unexpected end of input, expected ',' or ']'")
        );
        // A callback that does not consume its value is caught.
        assert_eq!(
            err(r#"{"a": 1}"#, |r| r.object(|_, _| Ok(()))),
            msg(6, "expected ',' or '}', found a number")
        );
        assert_eq!(
            err("[1]", |r| r.array(|_| Ok(()))),
            msg(1, "expected ',' or ']', found a number")
        );
        // A callback's own error comes through unchanged.
        assert_eq!(
            err(r#"{"a": 1}"#, |r| r
                .object(|r, _| Err(JsonError::custom(r.offset(), "nope")))),
            msg(5, "nope")
        );
    }

    #[test]
    fn skip_errors() {
        let e = |text: &str| err(text, JsonReader::skip);
        assert_eq!(
            e(""),
            msg(0, "unexpected end of input, expected a JSON value")
        );
        assert_eq!(e("nul"), msg(0, "expected a JSON value, found `n`"));
        assert_eq!(e("[1,]"), msg(3, "expected a JSON value, found `]`"));
        assert_eq!(e("[1 2]"), msg(3, "expected ',' or ']', found a number"));
        assert_eq!(e("[}"), msg(1, "expected a JSON value, found `}`"));
        assert_eq!(e("{]"), msg(1, "expected a string key, found `]`"));
        assert_eq!(e(r#"{"a":1]"#), msg(6, "expected ',' or '}', found `]`"));
        assert_eq!(e(r#"[{"a":1]]"#), msg(7, "expected ',' or '}', found `]`"));
        assert_eq!(e(r#"{"a":[1}"#), msg(7, "expected ',' or ']', found `}`"));
        assert_eq!(
            e(r#"{"a":1,"b"}"#),
            msg(10, "expected ':' after the key, found `}`")
        );
        assert_eq!(
            e(r#"{"a":1,2:3}"#),
            msg(7, "expected a string key, found a number")
        );
        assert_eq!(e(r#"["\q"]"#), msg(2, "invalid escape sequence in string"));
        assert_eq!(
            e(r#"["\ud800"]"#),
            msg(2, "unpaired UTF-16 surrogate in \\u escape")
        );
        assert_eq!(
            e("[01]"),
            msg(2, "leading zeros are not allowed in numbers")
        );
        assert_eq!(
            e("[[[["),
            msg(4, "unexpected end of input, expected a JSON value")
        );
        assert_eq!(e("[[]]]"), msg(4, "expected the end of input, found `]`"));
        assert_eq!(e("[1]x"), msg(3, "expected the end of input, found `x`"));
    }

    #[test]
    fn depth_limit() {
        let nested = |depth: usize| format!("{}{}", "[".repeat(depth), "]".repeat(depth));
        let too_deep = msg(MAX_DEPTH, "arrays and objects nested more than 128 deep");
        // Exactly MAX_DEPTH is fine, one more is not: skip, document and array.
        read(&nested(MAX_DEPTH), JsonReader::skip).unwrap();
        read(&nested(MAX_DEPTH), JsonReader::document).unwrap();
        assert_eq!(err(&nested(MAX_DEPTH + 1), JsonReader::skip), too_deep);
        assert_eq!(err(&nested(MAX_DEPTH + 1), JsonReader::document), too_deep);
        let objects = format!(
            "{}1{}",
            r#"{"a":"#.repeat(MAX_DEPTH + 1),
            "}".repeat(MAX_DEPTH + 1)
        );
        assert!(err(&objects, JsonReader::skip).contains("nested more than 128 deep"));
        assert!(err(&objects, JsonReader::document).contains("nested more than 128 deep"));
        let ok_objects = format!("{}1{}", r#"{"a":"#.repeat(MAX_DEPTH), "}".repeat(MAX_DEPTH));
        read(&ok_objects, JsonReader::skip).unwrap();
        // Far deeper input fails cleanly, without overflowing the stack.
        let deep = "[".repeat(10_000);
        assert_eq!(err(&deep, JsonReader::skip), too_deep);
        assert_eq!(err(&deep, JsonReader::document), too_deep);
        assert_eq!(err(&nested(100_000), JsonReader::skip), too_deep);
        assert!(parse_document(r#"{"a":"#.repeat(100_000).as_bytes()).is_err());
        // The limit counts levels opened by callers, too.
        fn recurse(r: &mut JsonReader<'_>) -> Result<(), JsonError> {
            r.array(recurse)
        }
        assert_eq!(err(&deep, recurse), too_deep);
        let mut r = reader(&deep);
        let mut levels = 0;
        fn open(r: &mut JsonReader<'_>, levels: &mut usize) -> Result<(), JsonError> {
            *levels += 1;
            if *levels == 100 {
                r.skip()
            } else {
                r.array(|r| open(r, levels))
            }
        }
        let e = open(&mut r, &mut levels).unwrap_err();
        assert_eq!(e.offset(), MAX_DEPTH);
        // Depth is released when containers close.
        let many = format!("[{}]", vec![nested(MAX_DEPTH - 1); 50].join(","));
        read(&many, JsonReader::skip).unwrap();
        read(&many, JsonReader::document).unwrap();
        read(&many, |r| r.array(JsonReader::skip)).unwrap();
    }

    #[test]
    fn end_rejects_trailing_data() {
        let mut r = reader(" 1 \n\t\r ");
        assert_eq!(r.i64().unwrap(), 1);
        r.end().unwrap();
        assert_eq!(
            err("1 2", JsonReader::i64),
            msg(2, "expected the end of input, found a number")
        );
        assert_eq!(
            err("{} x", JsonReader::skip),
            msg(3, "expected the end of input, found `x`")
        );
        assert_eq!(
            err("\"a\"\"b\"", JsonReader::string),
            msg(3, "expected the end of input, found a string")
        );
        assert_eq!(
            err("null,", JsonReader::document),
            msg(4, "expected the end of input, found `,`")
        );
        assert_eq!(
            err("1\u{a0}", JsonReader::i64),
            msg(1, "expected the end of input, found `\u{a0}`")
        );
        assert_eq!(
            err("1\0", JsonReader::i64),
            msg(1, "expected the end of input, found `\\0`")
        );
        let mut r = reader("");
        r.end().unwrap();
    }

    // ----- reader: blobs, timestamps, documents -----

    #[test]
    fn read_blobs() {
        assert_eq!(
            read(r#""Zm9vYmFy""#, JsonReader::blob).unwrap(),
            Blob::from("foobar")
        );
        assert_eq!(read(r#""""#, JsonReader::blob).unwrap(), Blob::default());
        assert_eq!(
            read(r#""Zm8""#, JsonReader::blob).unwrap(),
            Blob::from("fo")
        );
        assert_eq!(
            read(r#""+\/8=""#, JsonReader::blob).unwrap(),
            Blob::new(vec![0xfb, 0xff])
        );
        let e = read_top_level(br#" "Zm9v!A==""#, JsonReader::blob).unwrap_err();
        assert_eq!(e.offset(), 1);
        assert_eq!(
            e.to_string(),
            msg(
                1,
                "string is not valid base64: invalid base64 character '!' at offset 4"
            )
        );
        assert!(e.source().is_some_and(|s| s.is::<Base64Error>()));
        assert_eq!(
            err("1", JsonReader::blob),
            msg(0, "expected a base64 string, found a number")
        );
        assert!(err(r#""Zg=""#, JsonReader::blob).contains("base64 padding"));
    }

    #[test]
    fn read_timestamps() {
        let t = DateTime::from_secs_and_nanos(1_398_796_238, 123_000_000);
        let epoch = |text: &str| read(text, JsonReader::epoch_seconds).unwrap();
        assert_eq!(epoch("1398796238.123"), t);
        assert_eq!(epoch("1.398796238123E9"), t);
        assert_eq!(epoch("1398796238"), DateTime::from_secs(1_398_796_238));
        assert_eq!(
            epoch("-1.5"),
            DateTime::from_secs_and_nanos(-2, 500_000_000)
        );
        assert_eq!(epoch(r#""1398796238.123""#), t);
        assert_eq!(epoch(r#""2014-04-29T18:30:38.123Z""#), t);
        assert_eq!(epoch(r#""Tue, 29 Apr 2014 18:30:38.123 GMT""#), t);
        assert_eq!(
            epoch("1398796238.1234567891"),
            DateTime::from_secs_and_nanos(1_398_796_238, 123_456_789)
        );

        let e = read_top_level(b"1e30", JsonReader::epoch_seconds).unwrap_err();
        assert_eq!(
            e.to_string(),
            msg(
                0,
                "invalid epoch-seconds timestamp \"1e30\": timestamp out of range"
            )
        );
        assert!(e.source().is_some_and(|s| s.is::<DateTimeError>()));
        assert_eq!(
            err(r#""2014-13-01T00:00:00Z""#, JsonReader::epoch_seconds),
            msg(
                0,
                "invalid date-time \"2014-13-01T00:00:00Z\": month out of range"
            )
        );
        assert_eq!(
            err(r#""12abc""#, JsonReader::epoch_seconds),
            msg(0, "invalid date-time \"12abc\": expected a four-digit year")
        );
        assert!(
            err(r#""1.2.3""#, JsonReader::epoch_seconds)
                .contains("invalid epoch-seconds timestamp")
        );
        assert_eq!(
            err("true", JsonReader::epoch_seconds),
            msg(0, "expected a timestamp, found `true`")
        );
        assert_eq!(
            err("01", JsonReader::epoch_seconds),
            msg(1, "leading zeros are not allowed in numbers")
        );

        let ts = |text: &str, format| read(text, |r| r.timestamp_string(format)).unwrap();
        assert_eq!(ts(r#""2014-04-29T18:30:38.123Z""#, Format::DateTime), t);
        assert_eq!(
            ts(r#""Tue, 29 Apr 2014 18:30:38.123 GMT""#, Format::HttpDate),
            t
        );
        assert_eq!(ts(r#""1398796238.123""#, Format::EpochSeconds), t);
        // Lenient: numbers and the other formats.
        assert_eq!(ts("1398796238.123", Format::DateTime), t);
        assert_eq!(ts("1398796238.123", Format::HttpDate), t);
        assert_eq!(ts(r#""2014-04-29T18:30:38.123Z""#, Format::HttpDate), t);
        assert_eq!(ts(r#""1398796238.123""#, Format::DateTime), t);
        assert_eq!(
            ts(r#""2014-04-29T18:30:38.123\u005a""#, Format::DateTime),
            t
        );
        assert_eq!(
            err(r#""2014-04-29""#, |r| r.timestamp_string(Format::DateTime)),
            msg(
                0,
                "invalid date-time \"2014-04-29\": expected 'T' between the date and the time"
            )
        );
        assert!(
            err(r#""nope""#, |r| r.timestamp_string(Format::HttpDate))
                .starts_with(&msg(0, "invalid HTTP date \"nope\""))
        );
        assert_eq!(
            err("[]", |r| r.timestamp_string(Format::DateTime)),
            msg(0, "expected a timestamp string, found an array")
        );
    }

    #[test]
    fn read_documents() {
        for text in [
            "null",
            "true",
            "false",
            "0",
            "-0",
            "-1",
            "1.5",
            "1e2",
            "18446744073709551615",
            "18446744073709551616",
            "-9223372036854775808",
            "-9223372036854775809",
            "-0.0",
            r#""a\nb""#,
            "[]",
            "{}",
            r#"{"b": 1, "a": {"c": [1, "x", null, true]}, "b": 2}"#,
            r#"[1, [2, [3]], {"k": {"l": []}}]"#,
        ] {
            assert_eq!(parse_document(text.as_bytes()), Ok(doc(text)), "{text}");
        }
        assert_eq!(
            parse_document(b"-0").unwrap(),
            Document::Number(Number::Float(-0.0))
        );
        assert_eq!(
            parse_document(b"-5").unwrap(),
            Document::Number(Number::NegInt(-5))
        );
        assert_eq!(
            parse_document(b"5").unwrap(),
            Document::Number(Number::PosInt(5))
        );
        assert_eq!(
            parse_document(b"1e999").unwrap_err().to_string(),
            msg(0, "number out of range for f64")
        );
        assert_eq!(
            parse_document(b"").unwrap_err().to_string(),
            msg(0, "unexpected end of input, expected a JSON value")
        );
        assert_eq!(
            parse_document(b"[1] [2]").unwrap_err().to_string(),
            msg(4, "expected the end of input, found an array")
        );
        assert_eq!(
            parse_document(b"{\"a\":NaN}").unwrap_err().to_string(),
            msg(5, "expected a JSON value, found `N`")
        );
    }

    /// Random valid JSON (as text) for the consistency and mutation tests.
    fn random_json(rng: &mut XorShift, out: &mut String, depth: usize) {
        let ws = [" ", "", "", "\n", "\t ", "\r\n"];
        out.push_str(ws[rng.below(ws.len())]);
        let kinds = if depth > 5 { 6 } else { 8 };
        match rng.below(kinds) {
            0 => out.push_str("null"),
            1 => out.push_str(if rng.next().is_multiple_of(2) {
                "true"
            } else {
                "false"
            }),
            2 => out.push_str(&((rng.next() as i64) >> rng.below(64)).to_string()),
            3 => out.push_str(&format!("{:?}", f64::from_bits(rng.next()) % 1e10)),
            4 => {
                let numbers = [
                    "-0",
                    "0.5e-3",
                    "1E+2",
                    "-12.25",
                    "1e400",
                    "123456789012345678901",
                    "\"NaN\"",
                ];
                out.push_str(numbers[rng.below(numbers.len())]);
            }
            5 => {
                let pieces = [
                    "a",
                    "\\\"",
                    "\\\\",
                    "\\n",
                    "\\u00e9",
                    "\\ud83d\\ude00",
                    "é",
                    "😀",
                    "/",
                    "\\/",
                    " ",
                ];
                out.push('"');
                for _ in 0..rng.below(6) {
                    out.push_str(pieces[rng.below(pieces.len())]);
                }
                out.push('"');
            }
            6 => {
                out.push('[');
                for i in 0..rng.below(4) {
                    if i > 0 {
                        out.push(',');
                    }
                    random_json(rng, out, depth + 1);
                }
                out.push_str(ws[rng.below(ws.len())]);
                out.push(']');
            }
            _ => {
                out.push('{');
                for i in 0..rng.below(4) {
                    if i > 0 {
                        out.push(',');
                    }
                    out.push_str(ws[rng.below(ws.len())]);
                    out.push_str(["\"a\"", "\"b\"", "\"k\\u00e9\"", "\"\""][rng.below(4)]);
                    out.push_str(ws[rng.below(ws.len())]);
                    out.push(':');
                    random_json(rng, out, depth + 1);
                }
                out.push_str(ws[rng.below(ws.len())]);
                out.push('}');
            }
        }
        out.push_str(ws[rng.below(ws.len())]);
    }

    /// Runs every reader method on `bytes`; checks that `skip` and `document` agree with
    /// each other and with the document module's parser.
    fn exercise(bytes: &[u8]) {
        let skipped = read_top_level(bytes, JsonReader::skip);
        let parsed = parse_document(bytes);
        // `skip` does not check number ranges, `document` does.
        if let Err(e) = &skipped {
            assert!(
                parsed.is_err(),
                "{:?}: skip failed with {e}, document did not",
                String::from_utf8_lossy(bytes)
            );
        }
        if let Ok(text) = std::str::from_utf8(bytes) {
            match (&parsed, Document::from_json(text)) {
                (Ok(a), Ok(b)) => assert_eq!(*a, b, "{text:?}"),
                (Err(_), Err(_)) => {}
                (a, b) => panic!("{text:?}: json {a:?}, document {b:?}"),
            }
        }
        let _ = read_top_level(bytes, JsonReader::string);
        let _ = read_top_level(bytes, JsonReader::str_cow);
        let _ = read_top_level(bytes, JsonReader::bool);
        let _ = read_top_level(bytes, JsonReader::i64);
        let _ = read_top_level(bytes, JsonReader::i32);
        let _ = read_top_level(bytes, JsonReader::i16);
        let _ = read_top_level(bytes, JsonReader::i8);
        let _ = read_top_level(bytes, JsonReader::f64);
        let _ = read_top_level(bytes, JsonReader::f32);
        let _ = read_top_level(bytes, JsonReader::blob);
        let _ = read_top_level(bytes, JsonReader::epoch_seconds);
        let _ = read_top_level(bytes, |r| r.timestamp_string(Format::DateTime));
        let _ = read_top_level(bytes, |r| r.timestamp_string(Format::HttpDate));
        let _ = read_top_level(bytes, |r| {
            r.take_null()?;
            r.skip()
        });
        // A typed reader, as generated code would write it.
        let _ = read_top_level(bytes, |r| {
            r.object(|r, key| {
                if r.take_null()? {
                    return Ok(());
                }
                match &*key {
                    "a" => r.array(|r| r.f64().map(drop)),
                    "b" => r.string().map(drop),
                    _ => r.skip(),
                }
            })
        });
        let _ = read_top_level(bytes, |r| r.array(|r| r.object(|r, _| r.skip())));
    }

    #[test]
    fn random_bytes_never_panic() {
        let mut rng = XorShift(0xDEAD_BEEF_CAFE_F00D);
        for _ in 0..20_000 {
            let bytes: Vec<u8> = (0..rng.below(48)).map(|_| rng.next() as u8).collect();
            exercise(&bytes);
        }
        let pieces: [&[u8]; 30] = [
            b"[",
            b"]",
            b"{",
            b"}",
            b",",
            b":",
            b"\"",
            b"\\",
            b"\\u",
            b"d83d",
            b"dc00",
            b"0",
            b"1",
            b"-",
            b".",
            b"e",
            b"+",
            b" ",
            b"null",
            b"true",
            b"fals",
            b"\"k\"",
            "é".as_bytes(),
            b"\n",
            b"9",
            b"E",
            b"\xff",
            b"\"NaN\"",
            b"\x01",
            b"\"2014-04-29T18:30:38Z\"",
        ];
        for _ in 0..50_000 {
            let bytes: Vec<u8> = (0..rng.below(24))
                .flat_map(|_| pieces[rng.below(pieces.len())].iter().copied())
                .collect();
            exercise(&bytes);
        }
    }

    #[test]
    fn mutated_valid_json_never_panics() {
        let mut rng = XorShift(0xC0FF_EE00_1234_5678);
        let alphabet = b"[]{},:\"\\u0123456789-+.eEntrufals \n\xc3\xa9\xff\x00";
        for _ in 0..20_000 {
            let mut text = String::new();
            random_json(&mut rng, &mut text, 0);
            exercise(text.as_bytes());
            let mut bytes = text.into_bytes();
            for _ in 0..1 + rng.below(3) {
                if bytes.is_empty() {
                    break;
                }
                let i = rng.below(bytes.len());
                match rng.below(4) {
                    0 => bytes[i] = alphabet[rng.below(alphabet.len())],
                    1 => {
                        bytes.remove(i);
                    }
                    2 => bytes.insert(i, alphabet[rng.below(alphabet.len())]),
                    _ => bytes.truncate(i),
                }
            }
            exercise(&bytes);
        }
    }

    #[test]
    fn error_traits() {
        fn assert_error<E: Error + Send + Sync + 'static>() {}
        assert_error::<JsonError>();
        let e = JsonError::custom(3, String::from("custom"));
        assert_eq!(e.offset(), 3);
        assert!(e.source().is_none());
        assert_eq!(e.clone(), e);
    }
}
