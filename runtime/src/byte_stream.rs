//! [`ByteStream`]: the body of a streaming payload (`"streaming": true` blobs), in or out.
//!
//! A `ByteStream` is either in memory (built from `Vec<u8>`, [`Bytes`], `&'static [u8]`,
//! `String`, ..., always available, also without features) or, with the `client` feature, a
//! file read lazily in chunks ([`ByteStream::from_path`]) or any
//! `Stream<Item = Result<Bytes, E>>` ([`ByteStream::from_stream`]). With `client` it is
//! itself a [`futures_core::Stream`] of [`Bytes`] chunks, and
//! [`collect`](ByteStream::collect) reads it whole.
//!
//! The sans-IO functions of generated crates only see the in-memory form: `parse_response`
//! wraps the response body it is given, and `serialize_request` sends an in-memory payload
//! and leaves any other out (the client sends it from the stream).

use std::error::Error;
use std::fmt;

use bytes::Bytes;

/// Why reading a [`ByteStream`] failed: an I/O error of its file, an error of the stream it
/// was made from, or a failure of the connection a response body was read from.
#[derive(Debug)]
pub struct ByteStreamError {
    source: Box<dyn Error + Send + Sync + 'static>,
}

impl ByteStreamError {
    /// An error wrapping `source`.
    pub fn new(source: impl Into<Box<dyn Error + Send + Sync + 'static>>) -> Self {
        ByteStreamError {
            source: source.into(),
        }
    }

    /// The underlying error.
    pub fn into_inner(self) -> Box<dyn Error + Send + Sync + 'static> {
        self.source
    }
}

impl fmt::Display for ByteStreamError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "cannot read the byte stream: {}", self.source)
    }
}

impl Error for ByteStreamError {
    fn source(&self) -> Option<&(dyn Error + 'static)> {
        Some(&*self.source)
    }
}

/// A body of bytes that may not be in memory: a streaming payload of an operation.
///
/// ```
/// use botogen_runtime::ByteStream;
///
/// let body = ByteStream::from("hello");
/// assert_eq!(body.content_length(), Some(5));
/// assert_eq!(body.as_bytes().map(|b| &b[..]), Some(&b"hello"[..]));
/// assert_eq!(format!("{body:?}"), "ByteStream { kind: \"in memory\", length: Some(5) }");
/// ```
///
/// `Debug` never prints the contents. A `ByteStream` is `Send` and `Sync`, but not `Clone`
/// (a stream can be read once); [`try_clone`](Self::try_clone) copies the forms that can be
/// read again (in memory, a file not yet read from), which is what lets the client retry a
/// request that sends one.
#[derive(Default)]
pub struct ByteStream {
    inner: Inner,
}

enum Inner {
    Memory(Bytes),
    #[cfg(feature = "client")]
    File(file::FileBody),
    #[cfg(feature = "client")]
    Stream {
        // A `Mutex` only to make the stream `Sync`; it is never locked (`get_mut`).
        stream: std::sync::Mutex<stream::BoxStream>,
        length: Option<u64>,
    },
}

impl Default for Inner {
    fn default() -> Self {
        Inner::Memory(Bytes::new())
    }
}

impl ByteStream {
    /// A stream of `bytes`, in memory.
    pub fn new(bytes: impl Into<Bytes>) -> Self {
        ByteStream {
            inner: Inner::Memory(bytes.into()),
        }
    }

    /// A stream of a copy of `bytes`, in memory.
    pub fn copy_from_slice(bytes: &[u8]) -> Self {
        Self::new(Bytes::copy_from_slice(bytes))
    }

    /// The number of bytes the stream holds, when it is known (in memory, a file, a stream
    /// given a length); the request's `Content-Length` when it is sent.
    pub fn content_length(&self) -> Option<u64> {
        match &self.inner {
            Inner::Memory(bytes) => u64::try_from(bytes.len()).ok(),
            #[cfg(feature = "client")]
            Inner::File(file) => Some(file.length()),
            #[cfg(feature = "client")]
            Inner::Stream { length, .. } => *length,
        }
    }

    /// The bytes, when the stream is in memory.
    pub fn as_bytes(&self) -> Option<&Bytes> {
        match &self.inner {
            Inner::Memory(bytes) => Some(bytes),
            #[cfg(feature = "client")]
            _ => None,
        }
    }

    /// The bytes when the stream is in memory, else the stream itself back.
    ///
    /// # Errors
    ///
    /// The stream, unchanged, when its bytes are not in memory.
    pub fn into_bytes(self) -> Result<Bytes, Self> {
        match self.inner {
            Inner::Memory(bytes) => Ok(bytes),
            #[cfg(feature = "client")]
            inner => Err(ByteStream { inner }),
        }
    }

    /// A second stream of the same bytes, when it can be made without reading this one: in
    /// memory, or a file not yet read from. `None` for other streams.
    pub fn try_clone(&self) -> Option<Self> {
        let inner = match &self.inner {
            Inner::Memory(bytes) => Inner::Memory(bytes.clone()),
            #[cfg(feature = "client")]
            Inner::File(file) => Inner::File(file.try_clone()?),
            #[cfg(feature = "client")]
            Inner::Stream { .. } => return None,
        };
        Some(ByteStream { inner })
    }

    fn kind(&self) -> &'static str {
        match &self.inner {
            Inner::Memory(_) => "in memory",
            #[cfg(feature = "client")]
            Inner::File(_) => "file",
            #[cfg(feature = "client")]
            Inner::Stream { .. } => "stream",
        }
    }
}

impl fmt::Debug for ByteStream {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ByteStream")
            .field("kind", &self.kind())
            .field("length", &self.content_length())
            .finish()
    }
}

impl From<Bytes> for ByteStream {
    fn from(bytes: Bytes) -> Self {
        Self::new(bytes)
    }
}

impl From<Vec<u8>> for ByteStream {
    fn from(bytes: Vec<u8>) -> Self {
        Self::new(bytes)
    }
}

impl From<&'static [u8]> for ByteStream {
    fn from(bytes: &'static [u8]) -> Self {
        Self::new(bytes)
    }
}

impl<const N: usize> From<&'static [u8; N]> for ByteStream {
    fn from(bytes: &'static [u8; N]) -> Self {
        Self::new(&bytes[..])
    }
}

impl From<String> for ByteStream {
    fn from(text: String) -> Self {
        Self::new(text)
    }
}

impl From<&'static str> for ByteStream {
    fn from(text: &'static str) -> Self {
        Self::new(text)
    }
}

impl From<crate::Blob> for ByteStream {
    fn from(blob: crate::Blob) -> Self {
        Self::new(blob.into_inner())
    }
}

#[cfg(feature = "client")]
mod stream {
    use std::pin::Pin;
    use std::task::{Context, Poll};

    use bytes::Bytes;
    use futures_core::Stream;

    use super::{ByteStream, ByteStreamError, Inner};

    pub(super) type BoxStream =
        Pin<Box<dyn Stream<Item = Result<Bytes, ByteStreamError>> + Send + 'static>>;

    /// Adapts a caller's stream, mapping its errors.
    struct MapErr<S>(S);

    impl<S, E> Stream for MapErr<S>
    where
        S: Stream<Item = Result<Bytes, E>> + Unpin,
        E: Into<Box<dyn std::error::Error + Send + Sync + 'static>>,
    {
        type Item = Result<Bytes, ByteStreamError>;

        fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
            Pin::new(&mut self.0)
                .poll_next(cx)
                .map(|item| item.map(|chunk| chunk.map_err(ByteStreamError::new)))
        }
    }

    /// An iterator of chunks as a stream.
    struct Chunks<I>(Box<I>);

    impl<I> Stream for Chunks<I>
    where
        I: Iterator,
        I::Item: Into<Bytes>,
    {
        type Item = Result<Bytes, ByteStreamError>;

        fn poll_next(mut self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<Option<Self::Item>> {
            Poll::Ready(self.0.next().map(|chunk| Ok(chunk.into())))
        }
    }

    impl ByteStream {
        /// A stream of the chunks `stream` yields, length unknown (sent with chunked
        /// transfer encoding, where the service accepts that).
        pub fn from_stream<S, E>(stream: S) -> Self
        where
            S: Stream<Item = Result<Bytes, E>> + Send + 'static,
            E: Into<Box<dyn std::error::Error + Send + Sync + 'static>>,
        {
            Self::from_boxed(Box::pin(MapErr(Box::pin(stream))), None)
        }

        /// A stream of the chunks `stream` yields, `length` bytes in all (sent as the
        /// `Content-Length`; a stream that yields another number of bytes fails the request).
        pub fn from_stream_with_length<S, E>(stream: S, length: u64) -> Self
        where
            S: Stream<Item = Result<Bytes, E>> + Send + 'static,
            E: Into<Box<dyn std::error::Error + Send + Sync + 'static>>,
        {
            Self::from_boxed(Box::pin(MapErr(Box::pin(stream))), Some(length))
        }

        /// A stream of `chunks`, each taken from the iterator only when the stream is read
        /// that far (handy in tests, with `ReplayClient::with_body_stream`); length unknown.
        pub fn from_chunks<I>(chunks: I) -> Self
        where
            I: IntoIterator,
            I::IntoIter: Send + 'static,
            I::Item: Into<Bytes>,
        {
            Self::from_boxed(Box::pin(Chunks(Box::new(chunks.into_iter()))), None)
        }

        pub(crate) fn from_boxed(stream: BoxStream, length: Option<u64>) -> Self {
            ByteStream {
                inner: Inner::Stream {
                    stream: std::sync::Mutex::new(stream),
                    length,
                },
            }
        }

        /// The next chunk, `None` at the end; empty chunks are skipped.
        pub async fn next_chunk(&mut self) -> Option<Result<Bytes, ByteStreamError>> {
            std::future::poll_fn(|cx| Pin::new(&mut *self).poll_next(cx)).await
        }

        /// Reads the whole stream into memory.
        ///
        /// # Errors
        ///
        /// The first error reading the stream gave.
        pub async fn collect(mut self) -> Result<Bytes, ByteStreamError> {
            if let Inner::Memory(bytes) = &mut self.inner {
                return Ok(std::mem::take(bytes));
            }
            let capacity = self
                .content_length()
                .and_then(|n| usize::try_from(n).ok())
                .unwrap_or(0)
                .min(64 * 1024 * 1024);
            let mut out = Vec::with_capacity(capacity);
            while let Some(chunk) = self.next_chunk().await {
                out.extend_from_slice(&chunk?);
            }
            Ok(Bytes::from(out))
        }
    }

    impl Stream for ByteStream {
        type Item = Result<Bytes, ByteStreamError>;

        fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
            loop {
                let polled = match &mut self.inner {
                    Inner::Memory(bytes) => {
                        return Poll::Ready((!bytes.is_empty()).then(|| Ok(std::mem::take(bytes))));
                    }
                    Inner::File(file) => Poll::Ready(file.read_chunk()),
                    Inner::Stream { stream, .. } => match stream.get_mut() {
                        Ok(stream) => stream.as_mut().poll_next(cx),
                        Err(poisoned) => poisoned.into_inner().as_mut().poll_next(cx),
                    },
                };
                match polled {
                    Poll::Ready(Some(Ok(chunk))) if chunk.is_empty() => continue,
                    other => return other,
                }
            }
        }

        fn size_hint(&self) -> (usize, Option<usize>) {
            match &self.inner {
                Inner::Memory(bytes) => {
                    let n = usize::from(!bytes.is_empty());
                    (n, Some(n))
                }
                _ => (0, None),
            }
        }
    }
}

#[cfg(feature = "client")]
mod file {
    use std::fs::File;
    use std::io::{self, Read};
    use std::path::{Path, PathBuf};

    use bytes::Bytes;

    use super::{ByteStream, ByteStreamError, Inner};

    /// Bytes read from the file per chunk.
    const CHUNK: u64 = 64 * 1024;

    /// A file read in chunks of [`CHUNK`] bytes, opened on the first read.
    pub(super) struct FileBody {
        path: PathBuf,
        length: u64,
        read: u64,
        file: Option<File>,
        failed: bool,
    }

    impl FileBody {
        pub(super) fn length(&self) -> u64 {
            self.length
        }

        pub(super) fn try_clone(&self) -> Option<FileBody> {
            (self.read == 0 && self.file.is_none() && !self.failed).then(|| FileBody {
                path: self.path.clone(),
                length: self.length,
                read: 0,
                file: None,
                failed: false,
            })
        }

        /// The next chunk (synchronous file I/O of at most [`CHUNK`] bytes).
        pub(super) fn read_chunk(&mut self) -> Option<Result<Bytes, ByteStreamError>> {
            if self.failed || self.read >= self.length {
                return None;
            }
            let outcome = self.try_read_chunk();
            if outcome.is_err() {
                self.failed = true;
            }
            Some(outcome.map_err(ByteStreamError::new))
        }

        fn try_read_chunk(&mut self) -> io::Result<Bytes> {
            let file = match &mut self.file {
                Some(file) => file,
                None => self.file.insert(File::open(&self.path)?),
            };
            let want = CHUNK.min(self.length - self.read);
            let mut buffer = Vec::with_capacity(usize::try_from(want).unwrap_or(0));
            file.take(want).read_to_end(&mut buffer)?;
            if buffer.is_empty() {
                return Err(io::Error::new(
                    io::ErrorKind::UnexpectedEof,
                    format!(
                        "{} ended after {} of its {} bytes",
                        self.path.display(),
                        self.read,
                        self.length
                    ),
                ));
            }
            self.read += buffer.len() as u64;
            Ok(Bytes::from(buffer))
        }
    }

    impl ByteStream {
        /// The contents of the file at `path`, read in chunks of 64 KiB when the stream is
        /// read (not now), with the file's current size as the known length. Reads are
        /// ordinary blocking file I/O, one chunk per poll. Only that many bytes are sent even
        /// if the file grows; a file that shrinks fails the read.
        ///
        /// # Errors
        ///
        /// The file's metadata cannot be read, or it is not a file.
        pub fn from_path(path: impl AsRef<Path>) -> io::Result<Self> {
            let path = path.as_ref().to_path_buf();
            let metadata = std::fs::metadata(&path)?;
            if !metadata.is_file() {
                return Err(io::Error::new(
                    io::ErrorKind::InvalidInput,
                    format!("{} is not a file", path.display()),
                ));
            }
            Ok(ByteStream {
                inner: Inner::File(FileBody {
                    path,
                    length: metadata.len(),
                    read: 0,
                    file: None,
                    failed: false,
                }),
            })
        }
    }
}

#[cfg(test)]
mod tests;
