//! Binary data: the [`Blob`] type behind the model's `blob` shapes, and standard base64.
//!
//! AWS protocols carry blobs as base64 text (RFC 4648, standard alphabet, with padding) in
//! JSON, XML and query bodies and in some headers; [`encode_base64`] and [`decode_base64`]
//! do that conversion without any dependency.
//!
//! ```
//! use botogen_runtime::Blob;
//!
//! let blob = Blob::new("foobar");
//! assert_eq!(blob.to_base64(), "Zm9vYmFy");
//! assert_eq!(Blob::from_base64("Zm9vYmFy")?, blob);
//! # Ok::<(), botogen_runtime::blob::Base64Error>(())
//! ```

use std::error::Error;
use std::fmt;

/// Bytes from a model `blob` shape.
///
/// Its [`Debug`](fmt::Debug) output gives the length and, only for blobs of at most 32 bytes,
/// the bytes in hexadecimal, so large payloads never flood a log:
///
/// ```
/// use botogen_runtime::Blob;
///
/// assert_eq!(format!("{:?}", Blob::new(vec![1, 2, 0xff])), "Blob(3 bytes: [01 02 ff])");
/// assert_eq!(format!("{:?}", Blob::new(vec![0; 1000])), "Blob(1000 bytes)");
/// ```
#[derive(Clone, PartialEq, Eq, Hash, Default)]
pub struct Blob {
    inner: Vec<u8>,
}

impl Blob {
    /// A blob holding `bytes`.
    pub fn new(bytes: impl Into<Vec<u8>>) -> Self {
        Blob {
            inner: bytes.into(),
        }
    }

    /// The bytes, giving up the blob.
    pub fn into_inner(self) -> Vec<u8> {
        self.inner
    }

    /// The number of bytes.
    pub fn len(&self) -> usize {
        self.inner.len()
    }

    /// Whether there are no bytes.
    pub fn is_empty(&self) -> bool {
        self.inner.is_empty()
    }

    /// The bytes in standard base64 with padding; see [`encode_base64`].
    pub fn to_base64(&self) -> String {
        encode_base64(&self.inner)
    }

    /// Decodes standard base64, with or without padding; see [`decode_base64`].
    ///
    /// # Errors
    ///
    /// When `text` is not valid base64.
    pub fn from_base64(text: &str) -> Result<Blob, Base64Error> {
        decode_base64(text).map(Blob::new)
    }
}

impl AsRef<[u8]> for Blob {
    fn as_ref(&self) -> &[u8] {
        &self.inner
    }
}

impl From<Vec<u8>> for Blob {
    fn from(bytes: Vec<u8>) -> Self {
        Blob { inner: bytes }
    }
}

impl From<&[u8]> for Blob {
    fn from(bytes: &[u8]) -> Self {
        Blob {
            inner: bytes.to_vec(),
        }
    }
}

impl From<&str> for Blob {
    fn from(text: &str) -> Self {
        Blob {
            inner: text.as_bytes().to_vec(),
        }
    }
}

impl From<String> for Blob {
    fn from(text: String) -> Self {
        Blob {
            inner: text.into_bytes(),
        }
    }
}

impl From<Blob> for Vec<u8> {
    fn from(blob: Blob) -> Self {
        blob.inner
    }
}

impl fmt::Debug for Blob {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        const MAX_SHOWN: usize = 32;
        let len = self.inner.len();
        write!(f, "Blob({len} byte{}", if len == 1 { "" } else { "s" })?;
        if len > 0 && len <= MAX_SHOWN {
            f.write_str(": [")?;
            for (i, byte) in self.inner.iter().enumerate() {
                if i > 0 {
                    f.write_str(" ")?;
                }
                write!(f, "{byte:02x}")?;
            }
            f.write_str("]")?;
        }
        f.write_str(")")
    }
}

const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/// Marks bytes outside the alphabet in [`DECODE`].
const INVALID: u8 = 0xff;

/// The 6-bit value of each alphabet byte, [`INVALID`] for every other byte.
const DECODE: [u8; 256] = {
    let mut table = [INVALID; 256];
    let mut i = 0;
    while i < ALPHABET.len() {
        table[ALPHABET[i] as usize] = i as u8;
        i += 1;
    }
    table
};

fn encode_char(sextet: u32) -> char {
    char::from(ALPHABET[(sextet & 0x3f) as usize])
}

/// Encodes `bytes` as standard base64 (RFC 4648 section 4) with `=` padding.
///
/// ```
/// assert_eq!(botogen_runtime::blob::encode_base64(b"fo"), "Zm8=");
/// ```
pub fn encode_base64(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    let mut chunks = bytes.chunks_exact(3);
    for chunk in &mut chunks {
        if let [a, b, c] = *chunk {
            let n = u32::from(a) << 16 | u32::from(b) << 8 | u32::from(c);
            out.push(encode_char(n >> 18));
            out.push(encode_char(n >> 12));
            out.push(encode_char(n >> 6));
            out.push(encode_char(n));
        }
    }
    match *chunks.remainder() {
        [a] => {
            let n = u32::from(a) << 16;
            out.push(encode_char(n >> 18));
            out.push(encode_char(n >> 12));
            out.push_str("==");
        }
        [a, b] => {
            let n = u32::from(a) << 16 | u32::from(b) << 8;
            out.push(encode_char(n >> 18));
            out.push(encode_char(n >> 12));
            out.push(encode_char(n >> 6));
            out.push('=');
        }
        _ => {}
    }
    out
}

/// Decodes standard base64 (RFC 4648 section 4).
///
/// Padding may be complete (`Zm8=`) or left out entirely (`Zm8`), as some AWS services
/// omit it; partial padding (`Zg=`), padding anywhere but at the end, more than two `=`, a
/// final group of a single character, and any character outside the standard alphabet
/// (whitespace and the URL-safe `-` and `_` included) are errors. Nonzero unused bits in the
/// last character are ignored.
///
/// # Errors
///
/// A [`Base64Error`] saying what was wrong and at which byte offset.
///
/// ```
/// use botogen_runtime::blob::decode_base64;
///
/// assert_eq!(decode_base64("Zm8=")?, b"fo");
/// assert_eq!(decode_base64("Zm8")?, b"fo");
/// let err = decode_base64("Zm9v!A==").unwrap_err();
/// assert_eq!(err.offset(), 4);
/// assert_eq!(err.to_string(), "invalid base64 character '!' at offset 4");
/// # Ok::<(), botogen_runtime::blob::Base64Error>(())
/// ```
pub fn decode_base64(text: &str) -> Result<Vec<u8>, Base64Error> {
    let bytes = text.as_bytes();
    let data_len = bytes
        .iter()
        .rposition(|&b| b != b'=')
        .map_or(0, |last| last + 1);
    let data = bytes.get(..data_len).unwrap_or_default();
    let padding = bytes.len() - data_len;

    let mut out = Vec::with_capacity(data_len / 4 * 3 + 2);
    let mut chunks = data.chunks_exact(4);
    let mut offset = 0;
    for chunk in &mut chunks {
        if let [a, b, c, d] = *chunk {
            let (a, b, c, d) = (
                DECODE[usize::from(a)],
                DECODE[usize::from(b)],
                DECODE[usize::from(c)],
                DECODE[usize::from(d)],
            );
            // Valid values are below 64, INVALID has the top bits set.
            if (a | b | c | d) & 0xc0 != 0 {
                return Err(invalid_char(text, offset, chunk));
            }
            let n = u32::from(a) << 18 | u32::from(b) << 12 | u32::from(c) << 6 | u32::from(d);
            out.extend_from_slice(&[(n >> 16) as u8, (n >> 8) as u8, n as u8]);
        }
        offset += 4;
    }
    let rest = chunks.remainder();
    let mut n = 0u32;
    for (i, &byte) in rest.iter().enumerate() {
        let value = DECODE[usize::from(byte)];
        if value == INVALID {
            return Err(invalid_char(text, offset, rest));
        }
        n |= u32::from(value) << (18 - 6 * i);
    }
    match rest.len() {
        0 => {}
        1 => {
            return Err(Base64Error {
                kind: Base64ErrorKind::DanglingCharacter,
                offset,
            });
        }
        2 => out.push((n >> 16) as u8),
        _ => out.extend_from_slice(&[(n >> 16) as u8, (n >> 8) as u8]),
    }
    if padding > 0 && (padding > 2 || !(data_len + padding).is_multiple_of(4)) {
        return Err(Base64Error {
            kind: Base64ErrorKind::InvalidPadding,
            offset: data_len,
        });
    }
    Ok(out)
}

/// The error for the first invalid byte of `group`, which starts at `offset` of `text`.
fn invalid_char(text: &str, offset: usize, group: &[u8]) -> Base64Error {
    let index = group
        .iter()
        .position(|&b| DECODE[usize::from(b)] == INVALID)
        .unwrap_or(0);
    let offset = offset + index;
    // Every byte before this one is ASCII, so `offset` is on a character boundary.
    let kind = match text.get(offset..).and_then(|rest| rest.chars().next()) {
        Some('=') => Base64ErrorKind::MisplacedPadding,
        Some(c) => Base64ErrorKind::InvalidCharacter(c),
        None => Base64ErrorKind::InvalidPadding,
    };
    Base64Error { kind, offset }
}

/// The error from decoding invalid base64.
///
/// Its [`Display`](fmt::Display) text says what was wrong and at which byte offset of the
/// input, e.g. `invalid base64 character '!' at offset 4`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Base64Error {
    kind: Base64ErrorKind,
    offset: usize,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Base64ErrorKind {
    InvalidCharacter(char),
    MisplacedPadding,
    InvalidPadding,
    DanglingCharacter,
}

impl Base64Error {
    /// The byte offset in the input where the problem is.
    pub fn offset(&self) -> usize {
        self.offset
    }
}

impl fmt::Display for Base64Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let offset = self.offset;
        match self.kind {
            Base64ErrorKind::InvalidCharacter(c) => {
                write!(f, "invalid base64 character {c:?} at offset {offset}")
            }
            Base64ErrorKind::MisplacedPadding => {
                write!(
                    f,
                    "invalid base64: padding '=' before the end, at offset {offset}"
                )
            }
            Base64ErrorKind::InvalidPadding => write!(
                f,
                "invalid base64 padding at offset {offset}: \
                 the '=' must complete the last group of four characters"
            ),
            Base64ErrorKind::DanglingCharacter => write!(
                f,
                "invalid base64 length: a lone character at offset {offset} ends the input"
            ),
        }
    }
}

impl Error for Base64Error {}

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
    }

    fn decode_err(text: &str) -> Base64Error {
        match decode_base64(text) {
            Ok(bytes) => panic!("{text:?} decoded to {bytes:?}"),
            Err(e) => e,
        }
    }

    const RFC4648: [(&str, &str); 7] = [
        ("", ""),
        ("f", "Zg=="),
        ("fo", "Zm8="),
        ("foo", "Zm9v"),
        ("foob", "Zm9vYg=="),
        ("fooba", "Zm9vYmE="),
        ("foobar", "Zm9vYmFy"),
    ];

    #[test]
    fn rfc4648_vectors() {
        for (plain, encoded) in RFC4648 {
            assert_eq!(encode_base64(plain.as_bytes()), encoded);
            assert_eq!(decode_base64(encoded).unwrap(), plain.as_bytes());
            let unpadded = encoded.trim_end_matches('=');
            assert_eq!(decode_base64(unpadded).unwrap(), plain.as_bytes());
            assert_eq!(Blob::from(plain).to_base64(), encoded);
            assert_eq!(Blob::from_base64(encoded).unwrap(), Blob::from(plain));
        }
    }

    #[test]
    fn all_byte_values() {
        let bytes: Vec<u8> = (0..=255).collect();
        let encoded = encode_base64(&bytes);
        assert!(encoded.starts_with("AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8g"));
        assert!(encoded.ends_with("+fr7/P3+/w=="));
        assert_eq!(decode_base64(&encoded).unwrap(), bytes);
        assert_eq!(encode_base64(&[0xfb, 0xff]), "+/8=");
    }

    #[test]
    fn random_round_trips() {
        let mut rng = XorShift(0x2545_F491_4F6C_DD1D);
        for _ in 0..3000 {
            let len = (rng.next() % 300) as usize;
            let bytes: Vec<u8> = (0..len).map(|_| rng.next() as u8).collect();
            let encoded = encode_base64(&bytes);
            assert_eq!(encoded.len(), len.div_ceil(3) * 4);
            assert!(
                encoded
                    .bytes()
                    .all(|b| DECODE[usize::from(b)] != INVALID || b == b'=')
            );
            assert_eq!(decode_base64(&encoded).unwrap(), bytes);
            assert_eq!(decode_base64(encoded.trim_end_matches('=')).unwrap(), bytes);
        }
    }

    #[test]
    fn invalid_characters() {
        let err = decode_err("Zm9v!A==");
        assert_eq!(err.offset(), 4);
        assert_eq!(err.to_string(), "invalid base64 character '!' at offset 4");
        assert_eq!(decode_err("Zm 9v").offset(), 2);
        assert_eq!(
            decode_err("Zm9v\nYmFy").to_string(),
            "invalid base64 character '\\n' at offset 4"
        );
        assert_eq!(decode_err("Zm9-").offset(), 3);
        assert_eq!(decode_err("Zm9_").offset(), 3);
        assert_eq!(
            decode_err("Zm9vé").to_string(),
            "invalid base64 character 'é' at offset 4"
        );
        assert_eq!(decode_err("éZm9").offset(), 0);
        assert_eq!(decode_err("Zm9vYm\u{0}y").offset(), 6);
        assert_eq!(decode_err(" Zm9v").offset(), 0);
        assert_eq!(decode_err("Zm9v ").offset(), 4);
    }

    #[test]
    fn invalid_padding() {
        let err = decode_err("Zg==Zg==");
        assert_eq!(err.offset(), 2);
        assert_eq!(
            err.to_string(),
            "invalid base64: padding '=' before the end, at offset 2"
        );
        assert_eq!(decode_err("Zg=").offset(), 2);
        assert!(
            decode_err("Zg=")
                .to_string()
                .starts_with("invalid base64 padding at offset 2")
        );
        assert_eq!(decode_err("Zg===").offset(), 2);
        assert_eq!(decode_err("Zm8==").offset(), 3);
        assert_eq!(decode_err("Zm9v=").offset(), 4);
        assert_eq!(decode_err("Zm9v====").offset(), 4);
        assert_eq!(decode_err("=").offset(), 0);
        assert_eq!(decode_err("==").offset(), 0);
        assert_eq!(decode_err("====").offset(), 0);
        assert_eq!(decode_err("Z=g=").offset(), 1);
        assert_eq!(decode_err("Zm=v").offset(), 2);
    }

    #[test]
    fn dangling_character() {
        let err = decode_err("Zm9vY");
        assert_eq!(err.offset(), 4);
        assert_eq!(
            err.to_string(),
            "invalid base64 length: a lone character at offset 4 ends the input"
        );
        assert_eq!(decode_err("Z").offset(), 0);
        assert_eq!(decode_err("Z===").offset(), 0);
    }

    #[test]
    fn unused_bits_are_ignored() {
        assert_eq!(decode_base64("Zh==").unwrap(), b"f");
        assert_eq!(decode_base64("Zm9=").unwrap(), b"fo");
    }

    #[test]
    fn random_garbage_never_panics() {
        let mut rng = XorShift(99);
        let alphabet = "AZaz09+/=-_ \né\u{0}";
        let chars: Vec<char> = alphabet.chars().collect();
        for _ in 0..50_000 {
            let len = (rng.next() % 12) as usize;
            let text: String = (0..len)
                .map(|_| chars[(rng.next() % chars.len() as u64) as usize])
                .collect();
            if let Ok(bytes) = decode_base64(&text) {
                // Whatever decodes re-encodes to the same data (less padding and unused bits).
                assert_eq!(decode_base64(&encode_base64(&bytes)).unwrap(), bytes);
            }
        }
    }

    #[test]
    fn blob_api() {
        let blob = Blob::new(vec![1, 2, 3]);
        assert_eq!(blob.len(), 3);
        assert!(!blob.is_empty());
        assert_eq!(blob.as_ref(), &[1, 2, 3]);
        assert_eq!(blob.clone().into_inner(), vec![1, 2, 3]);
        assert_eq!(Vec::from(blob.clone()), vec![1, 2, 3]);
        assert_eq!(Blob::from(&[1u8, 2, 3][..]), blob);
        assert_eq!(Blob::from(vec![1u8, 2, 3]), blob);
        assert_eq!(Blob::from("abc"), Blob::new(b"abc".to_vec()));
        assert_eq!(Blob::from(String::from("abc")), Blob::new("abc"));
        assert!(Blob::default().is_empty());
        assert_eq!(Blob::default().len(), 0);
    }

    #[test]
    fn debug_output() {
        assert_eq!(format!("{:?}", Blob::default()), "Blob(0 bytes)");
        assert_eq!(format!("{:?}", Blob::new(vec![7])), "Blob(1 byte: [07])");
        assert_eq!(
            format!("{:?}", Blob::new(vec![1, 2, 3])),
            "Blob(3 bytes: [01 02 03])"
        );
        let shown = format!("{:?}", Blob::new(vec![0xab; 32]));
        assert_eq!(
            shown,
            format!("Blob(32 bytes: [{}])", vec!["ab"; 32].join(" "))
        );
        assert_eq!(format!("{:?}", Blob::new(vec![0; 33])), "Blob(33 bytes)");
        assert_eq!(
            format!("{:?}", Blob::new(vec![0; 10 << 20])),
            "Blob(10485760 bytes)"
        );
    }

    #[test]
    fn error_traits() {
        fn assert_error<E: Error + Send + Sync + 'static>() {}
        assert_error::<Base64Error>();
    }
}
