//! Waiters (feature `client`): for each waiter of `waiters-2.json`, a `Client` method
//! `wait_until_<name>()` and, in the crate's `src/waiters.rs`, the `<Name>Waiter` builder it
//! returns: the operation input's setters, `min_delay()`/`max_delay()` and
//! `wait(max_wait)`, which polls through the operation's fluent builder and hands the
//! results to `botogen_runtime::waiter`. Acceptors become `Matcher`s; `path` expressions
//! become Rust closures over the output (see [`crate::ir::waiters::expr`]). Nothing is
//! emitted for a model without waiters.
//!
//! A successful poll's HTTP status, for `status` matchers, is the operation's modelled
//! response code (the client reads outputs from any 2xx response).

use proc_macro2::TokenStream;
use quote::quote;

use super::examples::required_member_calls;
use super::structure::setter_param;
use super::tokens::{doc_lines, ident, inline_code, inner_doc_lines, rust_type};
use crate::ir::waiters::{
    AcceptorState, CompareOp, Expr, Literal, Matcher, Operand, Path, Step, SuccessKind, ValueType,
};
use crate::ir::{Member, Operation, Service, ShapeKind, Structure, Waiter};

/// `pub use` of the waiter error in `src/client.rs`, when the model has waiters.
pub fn client_reexport(service: &Service) -> TokenStream {
    if service.waiters.is_empty() {
        return quote!();
    }
    quote!(
        pub use ::botogen_runtime::waiter::WaiterError;
    )
}

/// The `wait_until_*` methods of `Client`.
pub fn client_methods(service: &Service, krate: &str) -> TokenStream {
    let methods = service.waiters.iter().filter_map(|waiter| {
        let op = operation(service, waiter)?;
        let method = ident(&waiter.method);
        let ty = ident(&waiter.type_name);
        let calls = input_structure(service, op)
            .and_then(|s| required_member_calls(service, s, krate))
            .unwrap_or_default();
        let docs = doc_lines(&format!(
            "Waits until {}, polling {}; see [`{}`](crate::waiters::{}).\n\n```no_run\n# async fn example(client: &{krate}::Client) -> Result<(), Box<dyn std::error::Error>> {{\nclient\n    .{}(){calls}\n    .wait(std::time::Duration::from_secs(600))\n    .await?;\n# Ok(())\n# }}\n```",
            what(waiter),
            inline_code(&op.name),
            waiter.type_name,
            waiter.type_name,
            crate::ir::naming::unraw(&waiter.method),
        ));
        Some(quote! {
            #docs
            pub fn #method(&self) -> crate::waiters::#ty {
                crate::waiters::#ty::new(self.config.clone())
            }
        })
    });
    quote!(#(#methods)*)
}

/// `#[cfg(feature = "client")] pub mod waiters;` for `src/lib.rs`, when the model has
/// waiters.
pub fn lib_module(service: &Service) -> TokenStream {
    if service.waiters.is_empty() {
        return quote!();
    }
    quote! {
        #[cfg(feature = "client")]
        pub mod waiters;
    }
}

/// `src/waiters.rs`, or `None` when the model has no waiters.
pub fn waiters_rs(service: &Service) -> Option<TokenStream> {
    if service.waiters.is_empty() {
        return None;
    }
    let docs = inner_doc_lines(
        "Waiters: an operation polled until the resource reaches a state, as the model's `waiters-2.json` describes. Start one from its `Client` method (`wait_until_*`), set the operation's input, then `wait(max_wait).await`.\n\nEach poll's result goes through the waiter's acceptors in order: the first that matches ends the wait successfully, ends it with [`WaiterError::Failure`](crate::client::WaiterError::Failure), or asks for another poll; an error no acceptor expects ends the wait with that error. Polls are spaced by a delay that grows exponentially, with jitter, from the model's delay to [`max_delay`](botogen_runtime::waiter::DEFAULT_MAX_DELAY) (120 s by default), and the wait gives up with [`WaiterError::Exceeded`](crate::client::WaiterError::Exceeded) once `max_wait` would pass.",
    );
    let waiters = service
        .waiters
        .iter()
        .filter_map(|waiter| waiter_type(service, waiter));
    Some(quote! {
        #docs

        #(#waiters)*
    })
}

/// "the waiter `Name` (what the model says it waits for)", for docs.
fn what(waiter: &Waiter) -> String {
    match &waiter.description {
        Some(text) => format!(
            "the waiter {} succeeds ({})",
            inline_code(&waiter.name),
            crate::docs::inline_text(text.trim().trim_end_matches('.'))
        ),
        None => format!("the waiter {} succeeds", inline_code(&waiter.name)),
    }
}

fn operation<'a>(service: &'a Service, waiter: &Waiter) -> Option<&'a Operation> {
    service
        .operations
        .iter()
        .find(|op| op.name == waiter.operation)
}

fn structure<'a>(service: &'a Service, name: Option<&str>) -> Option<&'a Structure> {
    match &service.shape(name?)?.kind {
        ShapeKind::Structure(s) => Some(s),
        _ => None,
    }
}

fn input_structure<'a>(service: &'a Service, op: &Operation) -> Option<&'a Structure> {
    structure(service, op.input.as_deref())
}

/// The operation's fluent builder, as `emit::client` names it.
fn fluent_path(op: &Operation) -> TokenStream {
    let stem = op
        .error_type_name
        .strip_suffix("Error")
        .unwrap_or(&op.error_type_name);
    let fluent = ident(&format!("{}FluentBuilder", crate::ir::naming::unraw(stem)));
    let module = ident(&op.snake_name);
    quote!(crate::operation::#module::#fluent)
}

/// The waiter builder of `waiter`.
fn waiter_type(service: &Service, waiter: &Waiter) -> Option<TokenStream> {
    let op = operation(service, waiter)?;
    let name = ident(&waiter.type_name);
    let fluent = fluent_path(op);
    let module = ident(&op.snake_name);
    let error = ident(&op.error_type_name);
    let error = quote!(crate::operation::#module::#error);
    let output_ty = match op
        .output
        .as_deref()
        .and_then(|o| service.shape(o)?.item.as_ref())
    {
        Some(item) => {
            let ty = ident(&item.type_name);
            quote!(crate::types::#ty)
        }
        None => quote!(()),
    };
    let input = input_structure(service, op);
    let setters = input
        .map(|s| s.members.iter().map(forwarding_setters).collect::<Vec<_>>())
        .unwrap_or_default();
    let lint_allows = input.and_then(|s| super::structure::setter_lint_allows(&s.members));
    let complexity =
        input.and_then(|s| super::tokens::complexity_allow(s.members.iter().map(|m| &m.ty)));
    let delay = waiter.delay;
    let delay_secs = proc_macro2::Literal::u64_unsuffixed(delay);
    let status = proc_macro2::Literal::u16_unsuffixed(op.response_code);
    let acceptors = waiter
        .acceptors
        .iter()
        .map(|a| acceptor(a.state, &a.description, &a.matcher, &output_ty));
    let (ret, finish) = match waiter.success() {
        SuccessKind::Output => (
            output_ty.clone(),
            quote!(.and_then(::botogen_runtime::waiter::Success::into_output)),
        ),
        SuccessKind::Error => (quote!(()), quote!(.map(|_| ()))),
        SuccessKind::Either => (
            quote!(Option<#output_ty>),
            quote!(.map(::botogen_runtime::waiter::Success::output)),
        ),
    };
    let returns = match waiter.success() {
        SuccessKind::Output => "the output of the poll that ended the wait",
        SuccessKind::Error => {
            "nothing: the wait ends successfully on an error (the resource is gone)"
        }
        SuccessKind::Either => {
            "the output of the poll that ended the wait, or `None` when it ended on an expected error"
        }
    };
    let acceptor_docs: Vec<String> = waiter
        .acceptors
        .iter()
        .map(|a| {
            let state = match a.state {
                AcceptorState::Success => "success",
                AcceptorState::Failure => "failure",
                AcceptorState::Retry => "retry",
            };
            format!("- {state}: {}", inline_code(&a.description))
        })
        .collect();
    let doc = doc_lines(&format!(
        "Waits until {}: polls {} until an acceptor ends the wait (the model's `waiters-2.json`, waiter {}).\n\nAcceptors, in order:\n\n{}\n\nThe model's delay between polls is {delay} s; botocore gives up after {} polls.",
        what(waiter),
        inline_code(&op.name),
        inline_code(&waiter.name),
        acceptor_docs.join("\n"),
        waiter.max_attempts,
    ));
    let wait_doc = doc_lines(&format!(
        "Polls until an acceptor ends the wait or `max_wait` would pass, and returns {returns}.\n\n# Errors\n\n[`WaiterError::Failure`](crate::client::WaiterError::Failure) when a failure acceptor matches, [`WaiterError::Operation`](crate::client::WaiterError::Operation) for an error no acceptor expects, [`WaiterError::Exceeded`](crate::client::WaiterError::Exceeded) when `max_wait` passes."
    ));
    let min_doc = format!(
        " The shortest delay between polls; the model's is {delay} s. Delays grow from it exponentially, with jitter."
    );
    Some(quote! {
        #doc
        #[derive(Clone, Debug)]
        #[must_use = "nothing is sent until `wait()` is awaited"]
        pub struct #name {
            builder: #fluent,
            min_delay: ::std::time::Duration,
            max_delay: ::std::time::Duration,
        }

        #lint_allows
        #complexity
        impl #name {
            pub(crate) fn new(config: crate::client::Config) -> Self {
                Self {
                    builder: #fluent::new(config),
                    min_delay: ::std::time::Duration::from_secs(#delay_secs),
                    max_delay: ::botogen_runtime::waiter::DEFAULT_MAX_DELAY,
                }
            }

            #(#setters)*

            /// Whether the input is checked against the model's constraints before each poll
            /// is sent; on by default.
            pub fn validation(mut self, validation: ::botogen_runtime::validate::Validation) -> Self {
                self.builder = self.builder.validation(validation);
                self
            }

            #[doc = #min_doc]
            pub fn min_delay(mut self, delay: ::std::time::Duration) -> Self {
                self.min_delay = delay;
                self
            }

            /// The longest delay between polls; 120 s by default.
            pub fn max_delay(mut self, delay: ::std::time::Duration) -> Self {
                self.max_delay = delay;
                self
            }

            #wait_doc
            pub async fn wait(self, max_wait: ::std::time::Duration) -> Result<#ret, crate::client::WaiterError<#error>> {
                use ::botogen_runtime::waiter::{Acceptor, AcceptorState, Matcher};
                let acceptors = [#(#acceptors),*];
                let delays = ::botogen_runtime::waiter::Delays {
                    min_delay: self.min_delay,
                    max_delay: self.max_delay,
                    max_wait,
                };
                let builder = self.builder;
                ::botogen_runtime::waiter::wait(delays, &acceptors, || {
                    let poll = builder.clone().send();
                    async move {
                        poll.await.map(|output| ::botogen_runtime::waiter::Response {
                            status: #status,
                            output,
                        })
                    }
                })
                .await
                #finish
            }
        }
    })
}

/// The two setters of `m`, forwarding to the fluent builder's.
fn forwarding_setters(m: &Member) -> TokenStream {
    let setter = ident(&m.setter);
    let option_setter = ident(&m.option_setter);
    let plain = crate::ir::naming::unraw(&m.name);
    let doc = format!(" Sets the input's `{plain}`.");
    let option_doc = format!(" Sets or clears the input's `{plain}`.");
    let param = setter_param(m);
    let value_ty = rust_type(&m.ty);
    quote! {
        #[doc = #doc]
        pub fn #setter(mut self, value: #param) -> Self {
            self.builder = self.builder.#setter(value);
            self
        }

        #[doc = #option_doc]
        pub fn #option_setter(mut self, value: Option<#value_ty>) -> Self {
            self.builder = self.builder.#option_setter(value);
            self
        }
    }
}

/// One `Acceptor::new(...)`.
fn acceptor(
    state: AcceptorState,
    description: &str,
    matcher: &Matcher,
    output_ty: &TokenStream,
) -> TokenStream {
    let state = match state {
        AcceptorState::Success => quote!(AcceptorState::Success),
        AcceptorState::Failure => quote!(AcceptorState::Failure),
        AcceptorState::Retry => quote!(AcceptorState::Retry),
    };
    let matcher = match matcher {
        Matcher::Status(status) => {
            let status = proc_macro2::Literal::u16_unsuffixed(*status);
            quote!(Matcher::Status(#status))
        }
        Matcher::ErrorCode(code) => quote!(Matcher::ErrorCode(#code)),
        Matcher::AnyError => quote!(Matcher::AnyError),
        Matcher::NoError => quote!(Matcher::NoError),
        Matcher::Output { expr, expected } => {
            let test = output_test(expr, expected);
            quote!(Matcher::Output(|output: &#output_ty| #test))
        }
        Matcher::All { path, expected } | Matcher::Any { path, expected } => {
            let items = projection(path);
            let each = element_test(path.value, expected);
            let helper = if matches!(matcher, Matcher::All { .. }) {
                quote!(all)
            } else {
                quote!(any)
            };
            quote!(Matcher::Output(|output: &#output_ty| {
                ::botogen_runtime::waiter::#helper(#items, |v| #each)
            }))
        }
    };
    quote!(Acceptor::new(#state, #description, #matcher))
}

/// `path` matcher: the expression's value equals `expected`.
fn output_test(expr: &Expr, expected: &Literal) -> TokenStream {
    match expr {
        Expr::Path(path) => scalar_equals(path, expected, true),
        boolean => {
            let value = boolean_expr(boolean);
            let Literal::Bool(b) = expected else {
                return quote!(false);
            };
            quote!(#value == Some(#b))
        }
    }
}

/// A boolean tested on `v: &T` (an element).
fn element_test(value: ValueType, expected: &Literal) -> TokenStream {
    match (value, expected) {
        (ValueType::String | ValueType::Enum, Literal::String(s)) => quote!(v.as_str() == #s),
        (_, Literal::Bool(true)) => quote!(*v),
        (_, Literal::Bool(false)) => quote!(!*v),
        (_, Literal::Integer(n)) => {
            let n = proc_macro2::Literal::i64_unsuffixed(*n);
            quote!(*v == #n)
        }
        (_, Literal::String(_)) => quote!(false),
    }
}

/// `bool`: whether the scalar at `path` equals (`eq`) or differs from the literal; `null`
/// equals nothing.
fn scalar_equals(path: &Path, literal: &Literal, eq: bool) -> TokenStream {
    let value = scalar(path);
    match (literal, eq) {
        (Literal::String(s), true) => quote!(#value.is_some_and(|v| v.as_str() == #s)),
        (Literal::String(s), false) => quote!(#value.is_none_or(|v| v.as_str() != #s)),
        (Literal::Bool(b), true) => quote!(#value.copied() == Some(#b)),
        (Literal::Bool(b), false) => quote!(#value.copied() != Some(#b)),
        (Literal::Integer(n), eq) => {
            let n = proc_macro2::Literal::i64_unsuffixed(*n);
            if eq {
                quote!(#value.copied() == Some(#n))
            } else {
                quote!(#value.copied() != Some(#n))
            }
        }
    }
}

/// `Option<bool>` for a boolean expression (`None`: JMESPath `null`).
fn boolean_expr(expr: &Expr) -> TokenStream {
    match expr {
        Expr::Path(path) => {
            let value = scalar(path);
            quote!(#value.copied())
        }
        Expr::And(a, b) => {
            let (a, b) = (boolean_expr(a), boolean_expr(b));
            quote!(::botogen_runtime::waiter::and(#a, || #b))
        }
        Expr::Or(a, b) => {
            let (a, b) = (boolean_expr(a), boolean_expr(b));
            quote!(::botogen_runtime::waiter::or(#a, || #b))
        }
        Expr::Compare { left, op, right } => compare(left, *op, right),
    }
}

fn compare(left: &Operand, op: CompareOp, right: &Literal) -> TokenStream {
    let op_tokens = match op {
        CompareOp::Eq => quote!(==),
        CompareOp::Ne => quote!(!=),
        CompareOp::Lt => quote!(<),
        CompareOp::Le => quote!(<=),
        CompareOp::Gt => quote!(>),
        CompareOp::Ge => quote!(>=),
    };
    match left {
        Operand::Path(path) => match op {
            CompareOp::Eq | CompareOp::Ne => {
                let test = scalar_equals(path, right, op == CompareOp::Eq);
                quote!(Some(#test))
            }
            _ => {
                let value = scalar(path);
                let Literal::Integer(n) = right else {
                    return quote!(None);
                };
                let n = proc_macro2::Literal::i64_unsuffixed(*n);
                quote!(#value.map(|v| *v #op_tokens #n))
            }
        },
        Operand::Length(path) => {
            let length = if path.is_list() {
                let items = projection(path);
                quote!(#items.map(Iterator::count))
            } else {
                let value = scalar(path);
                match path.value {
                    ValueType::String => quote!(#value.map(|v| v.chars().count())),
                    _ => quote!(#value.map(|v| v.len())),
                }
            };
            let Literal::Integer(n) = right else {
                return quote!(None);
            };
            // Lengths are never negative: compare in i128 so any literal works.
            let n = proc_macro2::Literal::i128_unsuffixed(i128::from(*n));
            quote!(#length.map(|n| (n as i128) #op_tokens #n))
        }
    }
}

/// `Option<&T>` of the value at a path without projections.
fn scalar(path: &Path) -> TokenStream {
    let (value, optional) = member_chain(quote!(output), false, &path.steps);
    if optional {
        value
    } else {
        quote!(Some(#value))
    }
}

/// Applies member steps to `start` (a `&T`, or an `Option<&T>` when `optional`): the result
/// and whether it is an `Option`.
fn member_chain(start: TokenStream, optional: bool, steps: &[Step]) -> (TokenStream, bool) {
    let mut value = start;
    let mut is_option = optional;
    for step in steps {
        let Step::Member {
            field,
            optional: member_optional,
            ..
        } = step
        else {
            continue;
        };
        let field = ident(field);
        // A boxed member needs no unboxing: field access and methods see through the `Box`.
        value = match (is_option, *member_optional) {
            (false, true) => quote!(#value.#field.as_ref()),
            (false, false) => quote!(&#value.#field),
            (true, true) => quote!(#value.and_then(|v| v.#field.as_ref())),
            (true, false) => quote!(#value.map(|v| &v.#field)),
        };
        is_option |= *member_optional;
    }
    (value, is_option)
}

/// `Option<impl Iterator<Item = &T>>` of a projection (or of a path whose `Each` step was
/// added for a list member); `None` when the list projected first is missing.
fn projection(path: &Path) -> TokenStream {
    let first = path
        .steps
        .iter()
        .position(|s| matches!(s, Step::Each { .. }))
        .unwrap_or(path.steps.len());
    let (base, optional) = member_chain(quote!(output), false, &path.steps[..first]);
    let base = if optional { base } else { quote!(Some(#base)) };
    let mut chain = quote!(list.iter());
    if let Some(Step::Each { sparse: true }) = path.steps.get(first) {
        chain = quote!(#chain.filter_map(Option::as_ref));
    }
    for step in path.steps.iter().skip(first + 1) {
        chain = match step {
            Step::Member {
                field, optional, ..
            } => {
                let field = ident(field);
                if *optional {
                    quote!(#chain.filter_map(|v| v.#field.as_ref()))
                } else {
                    quote!(#chain.map(|v| &v.#field))
                }
            }
            Step::Each { sparse } => {
                let chain = quote!(#chain.flat_map(|v| v.iter()));
                if *sparse {
                    quote!(#chain.filter_map(Option::as_ref))
                } else {
                    chain
                }
            }
        };
    }
    quote!(#base.map(|list| #chain))
}
