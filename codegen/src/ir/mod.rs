//! The resolved view of a model that the emitters read.
//!
//! [`Service::from_model`] validates a parsed [`crate::model::ServiceModel`] and lowers it:
//! every shape reference is resolved, every Rust name is chosen (see [`naming`]), recursive
//! members are marked for boxing, HTTP bindings are decided per member, documentation is
//! converted to Markdown, and everything is stored in sorted order so output never depends on
//! hashing. Emitters never look at the raw model.

mod event_streams;
mod http;
mod lower;
pub mod naming;
mod paginate;
mod recursion;
mod types;
pub mod waiters;

pub use http::{HttpBinding, PathSegment, RequestUri};
pub use paginate::Paginator;
pub use types::*;
pub use waiters::Waiter;
