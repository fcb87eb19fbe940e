use super::*;

#[test]
fn in_memory_forms() {
    let body = ByteStream::from(vec![1, 2, 3]);
    assert_eq!(body.content_length(), Some(3));
    assert_eq!(body.as_bytes().map(|b| b.to_vec()), Some(vec![1, 2, 3]));
    assert_eq!(
        ByteStream::from("ab").into_bytes().ok(),
        Some(Bytes::from("ab"))
    );
    assert_eq!(
        ByteStream::from(String::from("x")).content_length(),
        Some(1)
    );
    assert_eq!(ByteStream::from(&b"xyz"[..]).content_length(), Some(3));
    assert_eq!(ByteStream::default().content_length(), Some(0));
    assert!(ByteStream::from(b"q").try_clone().is_some());
    let debug = format!("{:?}", ByteStream::from("secret"));
    assert!(!debug.contains("secret"), "{debug}");
}

#[cfg(feature = "client")]
mod client {
    use std::future::Future;
    use std::pin::{Pin, pin};
    use std::sync::Arc;
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::task::{Context, Poll, Waker};

    use bytes::Bytes;
    use futures_core::Stream;

    use super::super::ByteStream;

    fn block_on<F: Future>(f: F) -> F::Output {
        let mut f = pin!(f);
        let mut cx = Context::from_waker(Waker::noop());
        loop {
            if let Poll::Ready(output) = f.as_mut().poll(&mut cx) {
                return output;
            }
            std::thread::yield_now();
        }
    }

    /// Yields `chunks` one per poll, counting how many it produced.
    struct Counted {
        chunks: Vec<&'static str>,
        produced: Arc<AtomicUsize>,
    }

    impl Stream for Counted {
        type Item = Result<Bytes, std::io::Error>;
        fn poll_next(self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<Option<Self::Item>> {
            let n = self.produced.load(Ordering::SeqCst);
            let next = self.chunks.get(n).copied();
            if next.is_some() {
                self.produced.store(n + 1, Ordering::SeqCst);
            }
            Poll::Ready(next.map(|c| Ok(Bytes::from(c))))
        }
    }

    #[test]
    fn streams_are_read_chunk_by_chunk() {
        let produced = Arc::new(AtomicUsize::new(0));
        let mut body = ByteStream::from_stream(Counted {
            chunks: vec!["ab", "", "cd", "e"],
            produced: Arc::clone(&produced),
        });
        assert_eq!(body.content_length(), None);
        assert!(body.try_clone().is_none());
        assert!(body.as_bytes().is_none());
        let first = block_on(body.next_chunk()).unwrap().unwrap();
        assert_eq!(first, "ab");
        assert_eq!(produced.load(Ordering::SeqCst), 1);
        // The empty chunk is skipped.
        assert_eq!(block_on(body.collect()).unwrap(), "cde");
        assert_eq!(produced.load(Ordering::SeqCst), 4);
    }

    #[test]
    fn stream_errors_surface() {
        struct Failing;
        impl Stream for Failing {
            type Item = Result<Bytes, std::io::Error>;
            fn poll_next(self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<Option<Self::Item>> {
                Poll::Ready(Some(Err(std::io::Error::other("boom"))))
            }
        }
        let error =
            block_on(ByteStream::from_stream_with_length(Failing, 3).collect()).unwrap_err();
        assert!(error.to_string().contains("boom"), "{error}");
    }

    #[test]
    fn files_are_read_lazily_in_chunks() {
        let dir = std::env::temp_dir().join(format!("botogen-bytestream-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("body.bin");
        let data: Vec<u8> = (0..200_000u32).map(|i| (i % 251) as u8).collect();
        std::fs::write(&path, &data).unwrap();
        let mut body = ByteStream::from_path(&path).unwrap();
        assert_eq!(body.content_length(), Some(200_000));
        let copy = body.try_clone().unwrap();
        let first = block_on(body.next_chunk()).unwrap().unwrap();
        assert_eq!(first.len(), 64 * 1024);
        assert!(
            body.try_clone().is_none(),
            "a file being read cannot be cloned"
        );
        let rest = block_on(body.collect()).unwrap();
        assert_eq!([&first[..], &rest[..]].concat(), data);
        assert_eq!(block_on(copy.collect()).unwrap(), data);
        assert!(format!("{:?}", ByteStream::from_path(&path).unwrap()).contains("file"));
        // A file that shrinks after the stream was made fails the read.
        let shrunk = ByteStream::from_path(&path).unwrap();
        std::fs::write(&path, b"short").unwrap();
        assert!(block_on(shrunk.collect()).is_err());
        assert!(ByteStream::from_path(&dir).is_err());
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
