//! Paginators: a call repeated with the token each response hands back, as a
//! [`Stream`] of pages ([`Pages`]) or of the items on them ([`Items`]).
//!
//! A generated paginator supplies two functions: `fetch`, which sends the operation with a
//! given token (`None` for the first page), and `next_token`, which reads the token for the
//! next page from an output. Paging stops when a response has no token, an empty token, or
//! the same token that was just sent (a service that repeats a token would otherwise be
//! paged forever), and after the first error, which is yielded as the last item.
//!
//! Both types also offer `next().await`-style methods ([`Pages::next_page`],
//! [`Items::next_item`]) so no stream utilities are needed:
//!
//! ```
//! use botogen_runtime::paginate::Pages;
//! # fn block_on<F: std::future::Future>(f: F) -> F::Output {
//! #     let waker = std::task::Waker::noop();
//! #     let mut cx = std::task::Context::from_waker(&waker);
//! #     let mut f = std::pin::pin!(f);
//! #     loop { if let std::task::Poll::Ready(v) = f.as_mut().poll(&mut cx) { return v; } }
//! # }
//!
//! // A "service" with three pages of numbers, tokens "1" and "2".
//! let fetch = |token: Option<String>| -> botogen_runtime::transport::BoxFuture<'static, Result<(Vec<u32>, Option<String>), String>> {
//!     Box::pin(async move {
//!         Ok(match token.as_deref() {
//!             None => (vec![1, 2], Some("1".to_owned())),
//!             Some("1") => (vec![3], Some("2".to_owned())),
//!             _ => (vec![4, 5], None),
//!         })
//!     })
//! };
//! let pages = Pages::new(fetch, |page: &(Vec<u32>, Option<String>)| page.1.as_deref());
//! let mut items = pages.items(|page| page.0);
//! let mut all = Vec::new();
//! while let Some(item) = block_on(items.next_item()) {
//!     all.push(item?);
//! }
//! assert_eq!(all, [1, 2, 3, 4, 5]);
//! # Ok::<(), String>(())
//! ```

use std::fmt;
use std::future::poll_fn;
use std::pin::Pin;
use std::task::{Context, Poll};

use futures_core::Stream;

use crate::transport::BoxFuture;

/// Sends one page request with the given token (`None` for the first page).
type Fetch<O, E> = Box<dyn FnMut(Option<String>) -> BoxFuture<'static, Result<O, E>> + Send>;

/// Where a [`Pages`] stream is.
enum State<O, E> {
    /// The next request carries this token (`None`: the first page).
    Next(Option<String>),
    /// A request is in flight; it carried `sent`.
    Fetching {
        future: BoxFuture<'static, Result<O, E>>,
        sent: Option<String>,
    },
    /// No more pages.
    Done,
}

/// The pages of a paginated operation, one call each, as a [`Stream`] of
/// `Result<Output, Error>`; see the [module documentation](self).
pub struct Pages<O, E> {
    fetch: Fetch<O, E>,
    next_token: fn(&O) -> Option<&str>,
    state: State<O, E>,
}

impl<O, E> Pages<O, E> {
    /// Pages produced by `fetch`, following the token `next_token` reads from each page.
    pub fn new(
        fetch: impl FnMut(Option<String>) -> BoxFuture<'static, Result<O, E>> + Send + 'static,
        next_token: fn(&O) -> Option<&str>,
    ) -> Self {
        Self {
            fetch: Box::new(fetch),
            next_token,
            state: State::Next(None),
        }
    }

    /// The next page, or `None` after the last page or after an error.
    pub async fn next_page(&mut self) -> Option<Result<O, E>> {
        poll_fn(|cx| self.poll_page(cx)).await
    }

    /// The items on the pages, in order; `items` takes them out of a page.
    pub fn items<T>(self, items: fn(O) -> Vec<T>) -> Items<O, T, E> {
        Items {
            pages: self,
            items,
            current: Vec::new().into_iter(),
        }
    }

    /// Every page until the last, or the first error.
    ///
    /// # Errors
    ///
    /// The first error a page request returned.
    pub async fn collect_pages(mut self) -> Result<Vec<O>, E> {
        let mut pages = Vec::new();
        while let Some(page) = self.next_page().await {
            pages.push(page?);
        }
        Ok(pages)
    }

    fn poll_page(&mut self, cx: &mut Context<'_>) -> Poll<Option<Result<O, E>>> {
        loop {
            match &mut self.state {
                State::Done => return Poll::Ready(None),
                State::Next(token) => {
                    let sent = token.take();
                    let future = (self.fetch)(sent.clone());
                    self.state = State::Fetching { future, sent };
                }
                State::Fetching { future, sent } => {
                    let outcome = match future.as_mut().poll(cx) {
                        Poll::Pending => return Poll::Pending,
                        Poll::Ready(outcome) => outcome,
                    };
                    self.state = match &outcome {
                        Err(_) => State::Done,
                        Ok(page) => match (self.next_token)(page) {
                            Some(next) if !next.is_empty() && Some(next) != sent.as_deref() => {
                                State::Next(Some(next.to_owned()))
                            }
                            _ => State::Done,
                        },
                    };
                    return Poll::Ready(Some(outcome));
                }
            }
        }
    }
}

impl<O, E> Stream for Pages<O, E> {
    type Item = Result<O, E>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.get_mut().poll_page(cx)
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        match self.state {
            State::Done => (0, Some(0)),
            _ => (1, None),
        }
    }
}

impl<O, E> fmt::Debug for Pages<O, E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let state = match &self.state {
            State::Next(None) => "first page next",
            State::Next(Some(_)) => "next page next",
            State::Fetching { .. } => "fetching",
            State::Done => "done",
        };
        f.debug_struct("Pages").field("state", &state).finish()
    }
}

/// The items on the pages of a paginated operation, as a [`Stream`] of
/// `Result<Item, Error>`; made by [`Pages::items`].
pub struct Items<O, T, E> {
    pages: Pages<O, E>,
    items: fn(O) -> Vec<T>,
    current: std::vec::IntoIter<T>,
}

impl<O, T, E> Items<O, T, E> {
    /// The next item, or `None` after the last one or after an error.
    pub async fn next_item(&mut self) -> Option<Result<T, E>> {
        poll_fn(|cx| self.poll_item(cx)).await
    }

    /// Every item until the last, or the first error.
    ///
    /// # Errors
    ///
    /// The first error a page request returned.
    pub async fn collect_items(mut self) -> Result<Vec<T>, E> {
        let mut items = Vec::new();
        while let Some(item) = self.next_item().await {
            items.push(item?);
        }
        Ok(items)
    }

    fn poll_item(&mut self, cx: &mut Context<'_>) -> Poll<Option<Result<T, E>>> {
        loop {
            if let Some(item) = self.current.next() {
                return Poll::Ready(Some(Ok(item)));
            }
            match self.pages.poll_page(cx) {
                Poll::Pending => return Poll::Pending,
                Poll::Ready(None) => return Poll::Ready(None),
                Poll::Ready(Some(Err(e))) => return Poll::Ready(Some(Err(e))),
                Poll::Ready(Some(Ok(page))) => self.current = (self.items)(page).into_iter(),
            }
        }
    }
}

// Nothing is pinned structurally: items and pages are moved freely.
impl<O, T, E> Unpin for Items<O, T, E> {}

impl<O, T, E> Stream for Items<O, T, E> {
    type Item = Result<T, E>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.get_mut().poll_item(cx)
    }
}

impl<O, T, E> fmt::Debug for Items<O, T, E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Items")
            .field("pages", &self.pages)
            .field("buffered", &self.current.len())
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use std::future::Future;
    use std::sync::{Arc, Mutex};
    use std::task::Waker;

    use super::*;

    fn block_on<F: Future>(future: F) -> F::Output {
        let mut cx = Context::from_waker(Waker::noop());
        let mut future = std::pin::pin!(future);
        loop {
            if let Poll::Ready(value) = future.as_mut().poll(&mut cx) {
                return value;
            }
        }
    }

    type Page = (Vec<u32>, Option<String>);
    type TokenLog = Arc<Mutex<Vec<Option<String>>>>;

    /// Pages from a script: each call takes the next entry; the tokens sent are logged.
    fn scripted(script: Vec<Result<Page, String>>) -> (Pages<Page, String>, TokenLog) {
        let sent = Arc::new(Mutex::new(Vec::new()));
        let log = Arc::clone(&sent);
        let mut script = script.into_iter();
        let fetch = move |token: Option<String>| -> BoxFuture<'static, Result<Page, String>> {
            log.lock().unwrap().push(token);
            let next = script
                .next()
                .unwrap_or_else(|| Err("called too often".to_owned()));
            Box::pin(async move { next })
        };
        (Pages::new(fetch, |page: &Page| page.1.as_deref()), sent)
    }

    fn page(items: &[u32], token: Option<&str>) -> Result<Page, String> {
        Ok((items.to_vec(), token.map(str::to_owned)))
    }

    #[test]
    fn follows_tokens_until_none() {
        let (pages, sent) = scripted(vec![
            page(&[1], Some("a")),
            page(&[2, 3], Some("b")),
            page(&[], None),
        ]);
        let items = block_on(pages.items(|p| p.0).collect_items()).unwrap();
        assert_eq!(items, [1, 2, 3]);
        assert_eq!(
            *sent.lock().unwrap(),
            [None, Some("a".to_owned()), Some("b".to_owned())]
        );
    }

    #[test]
    fn stops_on_empty_or_repeated_token() {
        let (pages, sent) = scripted(vec![page(&[1], Some(""))]);
        assert_eq!(block_on(pages.collect_pages()).unwrap().len(), 1);
        assert_eq!(sent.lock().unwrap().len(), 1);

        let (pages, sent) = scripted(vec![page(&[1], Some("x")), page(&[2], Some("x"))]);
        assert_eq!(block_on(pages.collect_pages()).unwrap().len(), 2);
        assert_eq!(sent.lock().unwrap().len(), 2);
    }

    #[test]
    fn an_error_ends_the_stream() {
        let (mut pages, sent) = scripted(vec![
            page(&[1], Some("a")),
            Err("boom".to_owned()),
            page(&[9], None),
        ]);
        assert!(block_on(pages.next_page()).unwrap().is_ok());
        assert_eq!(block_on(pages.next_page()).unwrap().unwrap_err(), "boom");
        assert!(block_on(pages.next_page()).is_none());
        assert_eq!(sent.lock().unwrap().len(), 2);
        assert_eq!(pages.size_hint(), (0, Some(0)));
    }

    #[test]
    fn items_stream_yields_the_error_after_earlier_items() {
        let (pages, _) = scripted(vec![page(&[1, 2], Some("a")), Err("late".to_owned())]);
        let mut items = pages.items(|p| p.0);
        assert_eq!(block_on(items.next_item()), Some(Ok(1)));
        assert_eq!(block_on(items.next_item()), Some(Ok(2)));
        assert_eq!(block_on(items.next_item()), Some(Err("late".to_owned())));
        assert_eq!(block_on(items.next_item()), None);
    }

    #[test]
    fn works_as_a_stream() {
        let (mut pages, _) = scripted(vec![page(&[1], Some("a")), page(&[2], None)]);
        let mut cx = Context::from_waker(Waker::noop());
        let mut seen = Vec::new();
        while let Poll::Ready(Some(page)) = Pin::new(&mut pages).poll_next(&mut cx) {
            seen.extend(page.unwrap().0);
        }
        assert_eq!(seen, [1, 2]);
        assert!(format!("{pages:?}").contains("done"));
    }
}
