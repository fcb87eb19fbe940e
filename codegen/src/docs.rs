//! Conversion of the HTML documentation fragments found in botocore models
//! into CommonMark that rustdoc renders without warnings.
//!
//! The conversion runs in three stages:
//!
//! 1. A small tokenizer splits the input into text, start tags, end tags and
//!    comments. It is lenient like a browser: a `<` that does not open
//!    well-formed markup is plain text, and tag names and attributes are
//!    case-insensitive with `"`, `'` or no quotes around values.
//! 2. A tree builder nests the tokens into elements. Unclosed elements close
//!    at the end of the input, stray end tags are ignored, a new `<p>`, `<li>`,
//!    `<dt>` or `<dd>` implicitly closes the previous one, and tags that are
//!    not known HTML/AWS markup (placeholders such as `<region>`) are kept as
//!    literal text.
//! 3. A renderer turns the tree into a list of Markdown blocks (paragraphs,
//!    fenced code, block quotes, lists) and serializes them to lines.
//!
//! Inline text is escaped so that it renders literally: rustdoc must never
//! see an intra-doc link, an HTML tag, a bare URL (these become `<...>`
//! autolinks) or an indented code block, and no code block is ever emitted
//! without the `text` info string, so the output never creates a doctest.

use std::fmt::Write as _;

/// Element nesting depth beyond which start tags no longer open elements.
///
/// Keeps the recursive renderer far away from stack exhaustion on hostile input.
const MAX_DEPTH: usize = 64;

/// Converts an AWS documentation HTML fragment into CommonMark for rustdoc.
///
/// The result has no leading or trailing blank lines and is empty when the
/// input contains no visible text. It never panics, whatever the input.
#[must_use]
pub fn html_to_markdown(html: &str) -> String {
    let tree = parse(html);
    let mut blocks = Vec::new();
    render_blocks(&tree, &mut blocks);
    blocks_to_lines(&blocks, false).join("\n")
}

// ---------------------------------------------------------------------------
// Tokenizer
// ---------------------------------------------------------------------------

/// One lexical unit of the HTML input; `raw` is the exact source markup.
#[derive(Debug, PartialEq)]
enum Token<'a> {
    Text(&'a str),
    Start {
        name: String,
        attrs: Vec<(String, String)>,
        self_closing: bool,
        raw: &'a str,
    },
    End {
        name: String,
        raw: &'a str,
    },
    /// A comment, doctype or processing instruction; it renders as nothing.
    Comment,
}

/// Splits HTML source into [`Token`]s.
struct Tokenizer<'a> {
    src: &'a str,
    pos: usize,
}

impl<'a> Tokenizer<'a> {
    fn new(src: &'a str) -> Self {
        Self { src, pos: 0 }
    }
}

impl<'a> Iterator for Tokenizer<'a> {
    type Item = Token<'a>;

    fn next(&mut self) -> Option<Token<'a>> {
        let rest = &self.src[self.pos..];
        if rest.is_empty() {
            return None;
        }
        if rest.starts_with('<')
            && let Some((token, len)) = markup(rest)
        {
            self.pos += len;
            return Some(token);
        }
        // Plain text runs up to the next `<`; a `<` that failed to open markup
        // is part of the text.
        let skip = usize::from(rest.starts_with('<'));
        let end = rest[skip..].find('<').map_or(rest.len(), |i| i + skip);
        self.pos += end;
        Some(Token::Text(&rest[..end]))
    }
}

/// Parses the markup at the start of `rest` (which starts with `<`).
///
/// Returns the token and its length in bytes, or `None` when the `<` does not
/// start well-formed markup and must be treated as text.
fn markup(rest: &str) -> Option<(Token<'_>, usize)> {
    if let Some(body) = rest.strip_prefix("<!--") {
        let len = body.find("-->").map_or(rest.len(), |i| i + 7);
        return Some((Token::Comment, len));
    }
    match *rest.as_bytes().get(1)? {
        b'!' | b'?' => Some((Token::Comment, rest.find('>')? + 1)),
        b'/' if rest.as_bytes().get(2)?.is_ascii_alphabetic() => {
            let name_end = 2 + name_length(&rest[2..]);
            let end = rest.find('>')?;
            let name = rest[2..name_end].to_ascii_lowercase();
            let raw = &rest[..=end];
            Some((Token::End { name, raw }, end + 1))
        }
        first if first.is_ascii_alphabetic() => start_tag(rest),
        _ => None,
    }
}

/// Length of the tag name at the start of `s` (ASCII letters, digits, `-_:.`).
fn name_length(s: &str) -> usize {
    s.bytes()
        .take_while(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b':' | b'.'))
        .count()
}

/// Parses a start tag such as `<a href="x" target=_blank>` at the start of `rest`.
fn start_tag(rest: &str) -> Option<(Token<'_>, usize)> {
    let bytes = rest.as_bytes();
    let name_end = 1 + name_length(&rest[1..]);
    let name = rest[1..name_end].to_ascii_lowercase();
    let mut attrs = Vec::new();
    let mut i = name_end;
    let skip_spaces = |mut i: usize| {
        while bytes.get(i).is_some_and(u8::is_ascii_whitespace) {
            i += 1;
        }
        i
    };
    loop {
        while bytes
            .get(i)
            .is_some_and(|b| b.is_ascii_whitespace() || *b == b'/')
        {
            i += 1;
        }
        if *bytes.get(i)? == b'>' {
            break;
        }
        let attr_start = i;
        while bytes
            .get(i)
            .is_some_and(|b| !b.is_ascii_whitespace() && !matches!(b, b'=' | b'>' | b'/'))
        {
            i += 1;
        }
        let attr_name = rest[attr_start..i].to_ascii_lowercase();
        i = skip_spaces(i);
        let mut value = String::new();
        if bytes.get(i) == Some(&b'=') {
            i = skip_spaces(i + 1);
            let quote = *bytes.get(i)?;
            if quote == b'"' || quote == b'\'' {
                let close = i + 1 + rest[i + 1..].find(char::from(quote))?;
                value = decode_entities(&rest[i + 1..close]);
                i = close + 1;
            } else {
                let value_start = i;
                while bytes
                    .get(i)
                    .is_some_and(|b| !b.is_ascii_whitespace() && *b != b'>')
                {
                    i += 1;
                }
                value = decode_entities(&rest[value_start..i]);
            }
        }
        attrs.push((attr_name, value));
    }
    let self_closing = bytes[i - 1] == b'/';
    let raw = &rest[..=i];
    let token = Token::Start {
        name,
        attrs,
        self_closing,
        raw,
    };
    Some((token, i + 1))
}

/// Decodes HTML character references; unknown or malformed ones stay literal.
///
/// Non-breaking spaces and the Unicode line/paragraph separators become plain
/// spaces, which the renderer then collapses like any other whitespace.
fn decode_entities(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        rest = &rest[amp..];
        match character_reference(rest) {
            Some((decoded, len)) => {
                out.push(match decoded {
                    '\u{a0}' | '\u{2028}' | '\u{2029}' => ' ',
                    c => c,
                });
                rest = &rest[len..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// Parses the character reference at the start of `s` (which starts with `&`).
///
/// Returns the character and the length of the reference in bytes.
fn character_reference(s: &str) -> Option<(char, usize)> {
    let body = &s[1..];
    if let Some(numeric) = body.strip_prefix('#') {
        let (digits, radix, prefix) = match numeric.strip_prefix(['x', 'X']) {
            Some(hex) => (hex, 16, 3),
            None => (numeric, 10, 2),
        };
        let count = digits
            .bytes()
            .take_while(|b| char::from(*b).is_digit(radix))
            .count();
        if count == 0 {
            return None;
        }
        let value = u32::from_str_radix(&digits[..count.min(8)], radix).unwrap_or(u32::MAX);
        let decoded = match char::from_u32(value) {
            Some('\0') | None => char::REPLACEMENT_CHARACTER,
            Some(c) => c,
        };
        let semicolon = usize::from(digits[count..].starts_with(';'));
        return Some((decoded, prefix + count + semicolon));
    }
    let name_len = body.bytes().take_while(u8::is_ascii_alphanumeric).count();
    if name_len == 0 || !body[name_len..].starts_with(';') {
        return None;
    }
    let name = &body[..name_len];
    let decoded = named_entity(name).or_else(|| named_entity(&name.to_ascii_lowercase()))?;
    Some((decoded, name_len + 2))
}

/// The named character references that plausibly occur in AWS documentation.
fn named_entity(name: &str) -> Option<char> {
    Some(match name {
        "amp" => '&',
        "lt" => '<',
        "gt" => '>',
        "quot" => '"',
        "apos" => '\'',
        "nbsp" => '\u{a0}',
        "ndash" => '\u{2013}',
        "mdash" => '\u{2014}',
        "hellip" => '\u{2026}',
        "lsquo" => '\u{2018}',
        "rsquo" => '\u{2019}',
        "ldquo" => '\u{201c}',
        "rdquo" => '\u{201d}',
        "laquo" => '\u{ab}',
        "raquo" => '\u{bb}',
        "bull" => '\u{2022}',
        "middot" => '\u{b7}',
        "copy" => '\u{a9}',
        "reg" => '\u{ae}',
        "trade" => '\u{2122}',
        "deg" => '\u{b0}',
        "plusmn" => '\u{b1}',
        "times" => '\u{d7}',
        "divide" => '\u{f7}',
        "micro" => '\u{b5}',
        "para" => '\u{b6}',
        "sect" => '\u{a7}',
        "cent" => '\u{a2}',
        "pound" => '\u{a3}',
        "euro" => '\u{20ac}',
        "yen" => '\u{a5}',
        "larr" => '\u{2190}',
        "rarr" => '\u{2192}',
        "uarr" => '\u{2191}',
        "darr" => '\u{2193}',
        "harr" => '\u{2194}',
        "le" => '\u{2264}',
        "ge" => '\u{2265}',
        "ne" => '\u{2260}',
        "minus" => '\u{2212}',
        "infin" => '\u{221e}',
        "ensp" | "emsp" | "thinsp" => ' ',
        _ => return None,
    })
}

// ---------------------------------------------------------------------------
// Tree
// ---------------------------------------------------------------------------

/// How an element renders; every recognised tag name maps to one kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Paragraph,
    /// A generic block container such as `div`.
    Section,
    Heading,
    /// AWS `note`/`important`: a block quote with a bold label.
    Admonition(&'static str),
    Quote,
    List {
        ordered: bool,
    },
    Item,
    DefList,
    Term,
    Definition,
    Pre,
    Row,
    Cell {
        header: bool,
    },
    /// `hr`: ends the current paragraph.
    Rule,
    Code,
    Bold,
    Italic,
    Link,
    Break,
    /// Markup without rendering of its own (`span`, `zonbook`, ...): only the
    /// children are rendered.
    Transparent,
    /// Elements rendered as nothing, content included (`fullname`, `examples`).
    Dropped,
    /// Void elements rendered as nothing (`img`, `wbr`, ...).
    Ignored,
}

impl Kind {
    /// Elements that never have children.
    fn is_void(self) -> bool {
        matches!(self, Kind::Break | Kind::Rule | Kind::Ignored)
    }

    /// Block containers whose content may hold paragraphs of its own, so that
    /// a new block inside them does not close a paragraph around them.
    fn contains_paragraphs(self) -> bool {
        matches!(
            self,
            Kind::Item
                | Kind::Term
                | Kind::Definition
                | Kind::Admonition(_)
                | Kind::Quote
                | Kind::Section
                | Kind::Cell { .. }
                | Kind::List { .. }
                | Kind::DefList
        )
    }

    /// Elements that live inside a paragraph rather than starting a block.
    fn is_inline(self) -> bool {
        matches!(
            self,
            Kind::Code
                | Kind::Bold
                | Kind::Italic
                | Kind::Link
                | Kind::Break
                | Kind::Dropped
                | Kind::Ignored
        )
    }
}

/// Maps a lower-case tag name to its kind; `None` for unknown tags, whose
/// markup is shown as literal text.
fn classify(name: &str) -> Option<Kind> {
    Some(match name {
        "p" => Kind::Paragraph,
        "div" | "section" | "article" | "header" | "footer" | "main" | "center" | "figure"
        | "table" | "thead" | "tbody" | "tfoot" | "caption" => Kind::Section,
        "h1" | "h2" | "h3" | "h4" | "h5" | "h6" => Kind::Heading,
        "note" => Kind::Admonition("Note"),
        "important" => Kind::Admonition("Important"),
        "blockquote" => Kind::Quote,
        "ul" => Kind::List { ordered: false },
        "ol" => Kind::List { ordered: true },
        "li" => Kind::Item,
        "dl" => Kind::DefList,
        "dt" => Kind::Term,
        "dd" => Kind::Definition,
        "pre" => Kind::Pre,
        "tr" => Kind::Row,
        "td" => Kind::Cell { header: false },
        "th" => Kind::Cell { header: true },
        "hr" => Kind::Rule,
        "code" | "kbd" | "samp" | "tt" => Kind::Code,
        "b" | "strong" => Kind::Bold,
        "i" | "em" | "cite" | "dfn" | "var" | "replaceable" => Kind::Italic,
        "a" | "link" => Kind::Link,
        "br" => Kind::Break,
        "span" | "u" | "sup" | "sub" | "small" | "big" | "font" | "abbr" | "mark" | "q" | "s"
        | "strike" | "del" | "ins" | "label" | "nobr" | "zonbook" | "xhtml" | "html" | "body" => {
            Kind::Transparent
        }
        "fullname" | "examples" | "script" | "style" | "head" | "title" => Kind::Dropped,
        "img" | "wbr" | "meta" | "input" | "col" | "area" | "embed" | "source" | "track"
        | "param" | "base" => Kind::Ignored,
        _ => return None,
    })
}

#[derive(Debug)]
enum Node {
    /// Text with character references already decoded.
    Text(String),
    Element(Element),
}

#[derive(Debug)]
struct Element {
    kind: Kind,
    name: String,
    attrs: Vec<(String, String)>,
    children: Vec<Node>,
}

impl Element {
    fn new(kind: Kind, name: String, attrs: Vec<(String, String)>) -> Self {
        Self {
            kind,
            name,
            attrs,
            children: Vec::new(),
        }
    }

    fn attr(&self, name: &str) -> Option<&str> {
        self.attrs
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }
}

/// Builds the element tree of an HTML fragment, leniently.
fn parse(html: &str) -> Vec<Node> {
    let mut stack = vec![Element::new(Kind::Section, String::new(), Vec::new())];
    for token in Tokenizer::new(html) {
        match token {
            Token::Comment => {}
            Token::Text(raw) => push_child(&mut stack, Node::Text(decode_entities(raw))),
            Token::Start {
                name,
                attrs,
                self_closing,
                raw,
            } => match classify(&name) {
                None => push_child(&mut stack, Node::Text(decode_entities(raw))),
                Some(kind) => {
                    close_implied(&mut stack, kind);
                    let element = Element::new(kind, name, attrs);
                    if self_closing || kind.is_void() || stack.len() > MAX_DEPTH {
                        push_child(&mut stack, Node::Element(element));
                    } else {
                        stack.push(element);
                    }
                }
            },
            Token::End { name, raw } => match classify(&name) {
                None => push_child(&mut stack, Node::Text(decode_entities(raw))),
                // Browsers treat `</br>` like `<br>`.
                Some(Kind::Break) => {
                    let element = Element::new(Kind::Break, name, Vec::new());
                    push_child(&mut stack, Node::Element(element));
                }
                Some(_) => {
                    if let Some(index) = stack.iter().rposition(|e| e.name == name)
                        && index > 0
                    {
                        close_to(&mut stack, index);
                    }
                }
            },
        }
    }
    close_to(&mut stack, 1);
    stack.pop().map(|root| root.children).unwrap_or_default()
}

/// Appends `node` to the innermost open element.
fn push_child(stack: &mut [Element], node: Node) {
    if let Some(top) = stack.last_mut() {
        top.children.push(node);
    }
}

/// Closes the open elements at `index` and above, attaching each to its parent.
fn close_to(stack: &mut Vec<Element>, index: usize) {
    while stack.len() > index.max(1) {
        if let Some(element) = stack.pop() {
            push_child(stack, Node::Element(element));
        }
    }
}

/// A predicate on element kinds.
type KindTest = fn(Kind) -> bool;

/// Applies HTML's implied end tags before an element of `kind` opens: a block
/// closes an open `p`, `li` closes the previous item of its list, `dt`/`dd`
/// close the previous term or definition of their list, and links never nest.
///
/// The innermost open element matching the target is closed, unless an open
/// boundary element is found first.
fn close_implied(stack: &mut Vec<Element>, kind: Kind) {
    let (is_target, is_boundary): (KindTest, KindTest) = match kind {
        Kind::Paragraph
        | Kind::Heading
        | Kind::List { .. }
        | Kind::DefList
        | Kind::Pre
        | Kind::Quote
        | Kind::Admonition(_)
        | Kind::Section => (|k| k == Kind::Paragraph, Kind::contains_paragraphs),
        Kind::Item => (|k| k == Kind::Item, |k| matches!(k, Kind::List { .. })),
        Kind::Link => (|k| k == Kind::Link, |k| !k.is_inline()),
        Kind::Term | Kind::Definition => (
            |k| matches!(k, Kind::Term | Kind::Definition),
            |k| k == Kind::DefList,
        ),
        _ => return,
    };
    for index in (1..stack.len()).rev() {
        let open = stack[index].kind;
        if is_target(open) {
            close_to(stack, index);
            return;
        }
        if is_boundary(open) {
            return;
        }
    }
}

// ---------------------------------------------------------------------------
// Inline rendering
// ---------------------------------------------------------------------------

/// Inline context inherited by nested inline elements.
#[derive(Debug, Default, Clone, Copy)]
struct Style {
    bold: bool,
    italic: bool,
    /// Inside link text, where links and autolinks are not allowed.
    link: bool,
}

/// Positions of a pair of emphasis markers whose closing marker is only
/// valid CommonMark if the next character is not alphanumeric (the content
/// ends with punctuation, e.g. `**(x)**`).
#[derive(Debug)]
struct FragileEmphasis {
    open: usize,
    close: usize,
    len: usize,
}

/// Rendered inline content of an element, before it is wrapped by its parent.
struct Fragment {
    text: String,
    leading_space: bool,
    trailing_space: bool,
    ends_with_delimiter: bool,
}

/// Accumulates the Markdown of one paragraph (or of one inline element),
/// collapsing whitespace the way HTML does.
///
/// Hard line breaks are stored as `\n` and turned into Markdown breaks when
/// the paragraph is finished.
#[derive(Debug, Default)]
struct Inline {
    buf: String,
    style: Style,
    /// Whitespace was seen after the last content and not yet emitted.
    pending_space: bool,
    /// Whitespace was seen before any content.
    leading_space: bool,
    /// `buf` ends with an emphasis or code-span delimiter we emitted.
    ends_with_delimiter: bool,
    fragile: Option<FragileEmphasis>,
}

impl Inline {
    fn new(style: Style) -> Self {
        Self {
            style,
            ..Self::default()
        }
    }

    fn push_space(&mut self) {
        if self.buf.is_empty() {
            self.leading_space = true;
        } else {
            self.pending_space = true;
        }
    }

    fn push_break(&mut self) {
        if !self.buf.is_empty() && !self.buf.ends_with('\n') {
            self.buf.push('\n');
        }
        self.pending_space = false;
        self.ends_with_delimiter = false;
        self.fragile = None;
    }

    /// Appends already-escaped Markdown, emitting a pending space first and
    /// keeping adjacent pieces from fusing into different syntax.
    fn push_raw(&mut self, piece: &str, ends_with_delimiter: bool) {
        let Some(first) = piece.chars().next() else {
            return;
        };
        let at_line_start = self.buf.is_empty() || self.buf.ends_with('\n');
        if self.pending_space && !at_line_start {
            self.buf.push(' ');
        } else if !at_line_start {
            if let Some(fragile) = self.fragile.take()
                && is_word_char(first)
            {
                self.buf
                    .replace_range(fragile.close..fragile.close + fragile.len, "");
                self.buf
                    .replace_range(fragile.open..fragile.open + fragile.len, "");
            }
            // `**a****b**` or `` `a``b` `` would not parse as intended.
            if self.ends_with_delimiter && matches!(first, '*' | '`') {
                self.buf.push(' ');
            }
            // `!` followed by a link would make an image.
            if first == '[' && self.buf.ends_with('!') {
                self.buf.pop();
                self.buf.push_str("\\!");
            }
        }
        self.pending_space = false;
        self.fragile = None;
        self.buf.push_str(piece);
        self.ends_with_delimiter = ends_with_delimiter;
    }

    /// Appends text, collapsing whitespace, escaping Markdown syntax and
    /// turning bare URLs into autolinks.
    fn push_text(&mut self, text: &str) {
        for (i, word) in text.split(char::is_whitespace).enumerate() {
            if i > 0 {
                self.push_space();
            }
            if !word.is_empty() {
                self.push_word(word);
            }
        }
    }

    fn push_word(&mut self, mut word: &str) {
        if !self.style.link {
            while let Some((start, end)) = find_url(word) {
                self.push_raw(&escape_text(&word[..start]), false);
                self.push_raw(&format!("<{}>", encode_url(&word[start..end], true)), false);
                word = &word[end..];
            }
        }
        self.push_raw(&escape_text(word), false);
    }

    fn push_node(&mut self, node: &Node) {
        let element = match node {
            Node::Text(text) => return self.push_text(text),
            Node::Element(element) => element,
        };
        match element.kind {
            Kind::Code => self.push_code(&plain_text(&element.children, " ")),
            Kind::Bold if !self.style.bold => {
                let style = Style {
                    bold: true,
                    ..self.style
                };
                self.push_emphasis("**", &element.children, style);
            }
            Kind::Italic if !self.style.italic => {
                let style = Style {
                    italic: true,
                    ..self.style
                };
                self.push_emphasis("*", &element.children, style);
            }
            Kind::Link => self.push_link(element),
            Kind::Break | Kind::Rule => self.push_break(),
            Kind::Dropped | Kind::Ignored => {}
            Kind::Bold | Kind::Italic | Kind::Transparent => self.push_nodes(&element.children),
            // A block inside inline markup is flattened into the text.
            _ => {
                self.push_space();
                self.push_nodes(&element.children);
                self.push_space();
            }
        }
    }

    fn push_nodes(&mut self, nodes: &[Node]) {
        for node in nodes {
            self.push_node(node);
        }
    }

    /// Renders `nodes` into a separate fragment with the given style.
    fn fragment(nodes: &[Node], style: Style) -> Fragment {
        let mut inner = Inline::new(style);
        inner.push_nodes(nodes);
        inner.into_fragment()
    }

    /// Appends a fragment, keeping its surrounding whitespace outside.
    fn push_fragment(&mut self, fragment: &Fragment, wrapped: Option<(&str, &str)>) {
        if fragment.leading_space {
            self.push_space();
        }
        match wrapped {
            Some((before, after)) => {
                self.push_raw(&format!("{before}{}{after}", fragment.text), false);
            }
            None => self.push_raw(&fragment.text, fragment.ends_with_delimiter),
        }
        if fragment.trailing_space {
            self.push_space();
        }
    }

    fn push_emphasis(&mut self, marker: &str, nodes: &[Node], style: Style) {
        let fragment = Self::fragment(nodes, style);
        let text = &fragment.text;
        // An opening marker between a letter and punctuation is not
        // left-flanking and would show literally: drop the emphasis instead.
        let adjacent_to_word = !fragment.leading_space
            && !self.pending_space
            && self
                .buf
                .chars()
                .next_back()
                .is_some_and(char::is_alphanumeric);
        if text.is_empty() || (adjacent_to_word && starts_with_punctuation(text)) {
            return self.push_fragment(&fragment, None);
        }
        if fragment.leading_space {
            self.push_space();
        }
        self.push_raw(&format!("{marker}{text}{marker}"), true);
        if ends_with_punctuation(text) {
            let end = self.buf.len();
            self.fragile = Some(FragileEmphasis {
                open: end - text.len() - 2 * marker.len(),
                close: end - marker.len(),
                len: marker.len(),
            });
        }
        if fragment.trailing_space {
            self.push_space();
        }
    }

    /// Appends a code span; `text` is the element's raw text content.
    fn push_code(&mut self, text: &str) {
        let code = text.split_whitespace().collect::<Vec<_>>().join(" ");
        if text.starts_with(char::is_whitespace) {
            self.push_space();
        }
        if !code.is_empty() {
            self.push_raw(&code_span(&code), true);
        }
        if text.ends_with(char::is_whitespace) {
            self.push_space();
        }
    }

    fn push_link(&mut self, element: &Element) {
        let href = element.attr("href").map(str::trim).unwrap_or_default();
        if self.style.link || !is_absolute_url(href) {
            return self.push_nodes(&element.children);
        }
        let style = Style {
            link: true,
            ..self.style
        };
        let fragment = Self::fragment(&element.children, style);
        let label = plain_text(&element.children, " ");
        if fragment.text.is_empty() || label.trim() == href {
            let autolink = Fragment {
                text: format!("<{}>", encode_url(href, true)),
                ends_with_delimiter: false,
                ..fragment
            };
            self.push_fragment(&autolink, None);
        } else {
            let destination = format!("]({})", encode_url(href, false));
            self.push_fragment(&fragment, Some(("[", &destination)));
        }
    }

    fn into_fragment(mut self) -> Fragment {
        // A trailing break inside inline markup would split its delimiters.
        let trailing_break = self.buf.ends_with('\n');
        while self.buf.ends_with('\n') {
            self.buf.pop();
        }
        Fragment {
            text: self.buf,
            leading_space: self.leading_space,
            trailing_space: self.pending_space || trailing_break,
            ends_with_delimiter: self.ends_with_delimiter && !trailing_break,
        }
    }

    /// Finishes the paragraph: trims lines, escapes line-start syntax and
    /// joins the lines with hard breaks. `None` if nothing visible remains.
    fn into_paragraph(self) -> Option<String> {
        let lines: Vec<String> = self
            .buf
            .split('\n')
            .map(|line| line.trim_matches(' '))
            .filter(|line| !line.is_empty())
            .map(escape_line_start)
            .collect();
        (!lines.is_empty()).then(|| lines.join("\\\n"))
    }
}

/// Whether a character directly after a closing emphasis marker prevents it
/// from closing when the emphasised text ends with punctuation.
fn is_word_char(c: char) -> bool {
    c.is_alphanumeric()
}

/// Punctuation in the CommonMark sense (approximated for non-ASCII).
fn is_punctuation(c: char) -> bool {
    !c.is_alphanumeric() && !c.is_whitespace()
}

/// Whether emphasised Markdown starts with punctuation, looking through any
/// nested emphasis markers (which merge into one delimiter run).
fn starts_with_punctuation(text: &str) -> bool {
    text.trim_start_matches('*')
        .chars()
        .next()
        .is_some_and(is_punctuation)
}

/// Whether emphasised Markdown ends with punctuation (see `starts_with_punctuation`).
fn ends_with_punctuation(text: &str) -> bool {
    text.trim_end_matches('*')
        .chars()
        .next_back()
        .is_some_and(is_punctuation)
}

/// The text content of `nodes` (tags removed), with `br` replaced by `line_break`.
fn plain_text(nodes: &[Node], line_break: &str) -> String {
    let mut out = String::new();
    collect_text(nodes, line_break, &mut out);
    out
}

fn collect_text(nodes: &[Node], line_break: &str, out: &mut String) {
    for node in nodes {
        match node {
            Node::Text(text) => out.push_str(text),
            Node::Element(element) => match element.kind {
                Kind::Break => out.push_str(line_break),
                Kind::Dropped | Kind::Ignored => {}
                _ => collect_text(&element.children, line_break, out),
            },
        }
    }
}

/// Wraps (trimmed, non-empty) code in a backtick fence longer than any
/// backtick run it contains.
fn code_span(code: &str) -> String {
    let fence = "`".repeat(longest_run(code, '`') + 1);
    let pad = if code.starts_with('`') || code.ends_with('`') {
        " "
    } else {
        ""
    };
    format!("{fence}{pad}{code}{pad}{fence}")
}

fn longest_run(text: &str, c: char) -> usize {
    let mut longest = 0;
    let mut current = 0;
    for ch in text.chars() {
        current = if ch == c { current + 1 } else { 0 };
        longest = longest.max(current);
    }
    longest
}

/// Model text (a name, a code, a message) for the middle of a Markdown line: whitespace
/// and control characters collapse to single spaces, and Markdown-significant characters are
/// escaped, so the text shows as written and can never start a block or a doctest.
#[must_use]
pub fn inline_text(text: &str) -> String {
    escape_text(&single_line(text))
}

/// Model text as an inline code span (for patterns, codes and messages): on one line, with a
/// backtick fence longer than any run of backticks inside. Empty text gives `""`.
#[must_use]
pub fn inline_code(text: &str) -> String {
    let text = single_line(text);
    if text.is_empty() {
        String::new()
    } else {
        code_span(&text)
    }
}

/// `text` with every run of whitespace or control characters replaced by one space, trimmed.
fn single_line(text: &str) -> String {
    text.split(|c: char| c.is_whitespace() || c.is_control())
        .filter(|word| !word.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// Escapes the characters of plain text that Markdown would interpret.
fn escape_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    let chars: Vec<char> = text.chars().collect();
    for (i, &c) in chars.iter().enumerate() {
        let before = i.checked_sub(1).map(|j| chars[j]);
        let after = chars.get(i + 1).copied();
        let escape = match c {
            '\\' | '`' | '*' | '[' | ']' | '<' | '>' | '|' | '~' | '^' => true,
            // Intraword underscores never start emphasis.
            '_' => {
                !(before.is_some_and(char::is_alphanumeric)
                    && after.is_some_and(char::is_alphanumeric))
            }
            // rustdoc's smart punctuation would turn `--` into a dash.
            '-' => after == Some('-'),
            // Only `&` that could start a character reference needs escaping.
            '&' => after.is_some_and(|a| a.is_ascii_alphanumeric() || a == '#'),
            _ => false,
        };
        if escape {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// Escapes a leading character that would start a heading, list, block quote
/// or setext underline.
fn escape_line_start(line: &str) -> String {
    if line.starts_with(['#', '+', '-', '=']) {
        return format!("\\{line}");
    }
    let digits = line.bytes().take_while(u8::is_ascii_digit).count();
    let rest = &line[digits..];
    if (1..=9).contains(&digits)
        && rest.starts_with(['.', ')'])
        && (rest.len() == 1 || rest[1..].starts_with(' '))
    {
        return format!("{}\\{rest}", &line[..digits]);
    }
    line.to_owned()
}

/// Whether `url` can be a link destination: an `http(s)` URL, or a `mailto:`
/// URL that rustdoc cannot mistake for an item path (such as `mailto:admin`).
fn is_absolute_url(url: &str) -> bool {
    let lower = url.to_ascii_lowercase();
    let has_rest = |scheme: &str| lower.len() > scheme.len() && lower.starts_with(scheme);
    if has_rest("http://") || has_rest("https://") {
        return true;
    }
    // rustdoc resolves destinations made only of these characters as paths.
    let path_like = |c: char| c.is_alphanumeric() || ":_<>, !*&;@".contains(c);
    has_rest("mailto:") && !url.chars().all(path_like)
}

/// Percent-encodes the characters of `url` that may not appear in a Markdown
/// link destination, or with `autolink` in a `<...>` autolink (where the
/// URL is displayed, so parentheses and backslashes stay readable).
fn encode_url(url: &str, autolink: bool) -> String {
    let mut out = String::with_capacity(url.len());
    for c in url.chars() {
        let reserved = match c {
            '<' | '>' => true,
            '(' | ')' | '\\' | '`' => !autolink,
            _ => c.is_whitespace() || c.is_control(),
        };
        if reserved {
            let mut bytes = [0; 4];
            for byte in c.encode_utf8(&mut bytes).bytes() {
                // Writing to a `String` cannot fail.
                let _ = write!(out, "%{byte:02X}");
            }
        } else {
            out.push(c);
        }
    }
    out
}

/// Finds the first bare `http://` or `https://` URL in a whitespace-free
/// word, returning its byte range without trailing punctuation.
fn find_url(word: &str) -> Option<(usize, usize)> {
    let bytes = word.as_bytes();
    let mut from = 0;
    while from < bytes.len() {
        let start = (from..bytes.len()).find(|&i| {
            let tail = &bytes[i..];
            let scheme = [&b"http://"[..], b"https://"]
                .iter()
                .any(|s| tail.len() >= s.len() && tail[..s.len()].eq_ignore_ascii_case(s));
            scheme && (i == 0 || !bytes[i - 1].is_ascii_alphanumeric())
        })?;
        let scheme_len = if bytes[start + 4].eq_ignore_ascii_case(&b's') {
            8
        } else {
            7
        };
        let mut end = word[start..]
            .find(['<', '>', '"', '`'])
            .map_or(word.len(), |i| start + i);
        while let Some(last) = word[start..end].chars().next_back() {
            let url = &word[start..end];
            let unbalanced =
                |open: char, close: char| url.matches(close).count() > url.matches(open).count();
            let trim = match last {
                '.' | ',' | ':' | ';' | '!' | '?' | '\'' | '*' | '_' | '~' => true,
                ')' => unbalanced('(', ')'),
                ']' => unbalanced('[', ']'),
                '}' => unbalanced('{', '}'),
                _ => false,
            };
            if !trim {
                break;
            }
            end -= last.len_utf8();
        }
        if end > start + scheme_len {
            return Some((start, end));
        }
        from = start + scheme_len;
    }
    None
}

// ---------------------------------------------------------------------------
// Block rendering
// ---------------------------------------------------------------------------

/// A Markdown block, before serialization to lines.
#[derive(Debug)]
enum Block {
    /// Finished inline Markdown; lines are separated by hard breaks.
    Paragraph(String),
    /// The verbatim content of a `text` fenced code block.
    Code(String),
    Quote(Vec<Block>),
    /// `start` is `None` for bullet lists.
    List {
        start: Option<u64>,
        items: Vec<Vec<Block>>,
    },
}

/// Renders a sequence of sibling nodes as blocks; loose text becomes paragraphs.
fn render_blocks<'n>(nodes: impl IntoIterator<Item = &'n Node>, out: &mut Vec<Block>) {
    let mut inline = Inline::default();
    for node in nodes {
        flow(node, &mut inline, out);
    }
    flush(&mut inline, out);
}

/// Renders one node in block context: inline content goes to the current
/// paragraph, block elements end it.
fn flow(node: &Node, inline: &mut Inline, out: &mut Vec<Block>) {
    let element = match node {
        Node::Element(element) if !element.kind.is_inline() => element,
        _ => return inline.push_node(node),
    };
    match element.kind {
        Kind::Transparent => {
            for child in &element.children {
                flow(child, inline, out);
            }
        }
        Kind::Rule => flush(inline, out),
        _ => {
            flush(inline, out);
            render_block(element, out);
        }
    }
}

/// Ends the current paragraph, emitting it if it has visible content.
fn flush(inline: &mut Inline, out: &mut Vec<Block>) {
    if let Some(paragraph) = std::mem::take(inline).into_paragraph() {
        out.push(Block::Paragraph(paragraph));
    }
}

/// Renders a block-level element.
fn render_block(element: &Element, out: &mut Vec<Block>) {
    match element.kind {
        Kind::Heading | Kind::Term => {
            let mut inline = Inline::default();
            inline.push_emphasis("**", &element.children, bold());
            flush(&mut inline, out);
        }
        Kind::Admonition(label) => {
            let mut blocks = Vec::new();
            render_blocks(&element.children, &mut blocks);
            if blocks.is_empty() {
                return;
            }
            let label = format!("**{label}:**");
            match blocks.first_mut() {
                Some(Block::Paragraph(text)) => *text = format!("{label} {text}"),
                _ => blocks.insert(0, Block::Paragraph(label)),
            }
            out.push(Block::Quote(blocks));
        }
        Kind::Quote => {
            let mut blocks = Vec::new();
            render_blocks(&element.children, &mut blocks);
            if !blocks.is_empty() {
                out.push(Block::Quote(blocks));
            }
        }
        Kind::List { ordered } => render_list(element, ordered, out),
        // A list item outside any list.
        Kind::Item => {
            let mut item = Vec::new();
            render_blocks(&element.children, &mut item);
            if !item.is_empty() {
                out.push(Block::List {
                    start: None,
                    items: vec![item],
                });
            }
        }
        Kind::Pre => {
            if let Some(code) = code_block(element) {
                out.push(Block::Code(code));
            }
        }
        Kind::Row => render_row(element, out),
        _ => render_blocks(&element.children, out),
    }
}

/// The style of text inside a top-level bold span.
fn bold() -> Style {
    Style {
        bold: true,
        ..Style::default()
    }
}

/// Renders `ul`/`ol`; content between items joins the preceding item.
fn render_list(element: &Element, ordered: bool, out: &mut Vec<Block>) {
    let mut items: Vec<Vec<Block>> = Vec::new();
    let mut stray: Vec<&Node> = Vec::new();
    let flush_stray = |stray: &mut Vec<&Node>, items: &mut Vec<Vec<Block>>| {
        let mut blocks = Vec::new();
        render_blocks(stray.drain(..), &mut blocks);
        match items.last_mut() {
            _ if blocks.is_empty() => {}
            Some(last) => last.extend(blocks),
            None => items.push(blocks),
        }
    };
    for child in &element.children {
        match child {
            Node::Element(item) if item.kind == Kind::Item => {
                flush_stray(&mut stray, &mut items);
                let mut blocks = Vec::new();
                render_blocks(&item.children, &mut blocks);
                if !blocks.is_empty() {
                    items.push(blocks);
                }
            }
            _ => stray.push(child),
        }
    }
    flush_stray(&mut stray, &mut items);
    if items.is_empty() {
        return;
    }
    // CommonMark list numbers have at most nine digits.
    let start = ordered.then(|| {
        element
            .attr("start")
            .and_then(|s| s.trim().parse::<u64>().ok())
            .unwrap_or(1)
            .min(999_000_000)
    });
    out.push(Block::List { start, items });
}

/// Renders a table row as one paragraph with `|`-separated cells.
fn render_row(element: &Element, out: &mut Vec<Block>) {
    let mut inline = Inline::default();
    let mut first = true;
    for child in &element.children {
        match child {
            Node::Element(cell) if matches!(cell.kind, Kind::Cell { .. }) => {
                if !first {
                    inline.push_space();
                    inline.push_raw("\\|", false);
                    inline.push_space();
                }
                first = false;
                if cell.kind == (Kind::Cell { header: true }) {
                    inline.push_emphasis("**", &cell.children, bold());
                } else {
                    inline.push_nodes(&cell.children);
                }
            }
            _ => inline.push_node(child),
        }
    }
    flush(&mut inline, out);
}

/// The content of a `pre` element: verbatim text without trailing spaces
/// and without leading or trailing blank lines. `None` if it is blank.
fn code_block(element: &Element) -> Option<String> {
    let text = plain_text(&element.children, "\n")
        .replace("\r\n", "\n")
        .replace('\r', "\n")
        .replace('\t', "    ");
    // Other control characters would make the generated file binary to git and grep.
    let text: String = text
        .chars()
        .map(|c| if c.is_control() && c != '\n' { ' ' } else { c })
        .collect();
    let lines: Vec<&str> = text.lines().map(str::trim_end).collect();
    let first = lines.iter().position(|line| !line.is_empty())?;
    let last = lines.iter().rposition(|line| !line.is_empty())?;
    Some(lines[first..=last].join("\n"))
}

// ---------------------------------------------------------------------------
// Serialization
// ---------------------------------------------------------------------------

/// What separates two consecutive blocks.
enum Separator {
    BlankLine,
    /// The blocks follow each other on consecutive lines.
    Newline,
    /// The second paragraph continues the first after a hard line break.
    HardBreak,
}

/// Serializes blocks to lines. `compact` (inside list items) avoids blank
/// lines where CommonMark allows it, so that lists stay tight.
fn blocks_to_lines(blocks: &[Block], compact: bool) -> Vec<String> {
    let mut lines = Vec::new();
    for (i, block) in blocks.iter().enumerate() {
        if let Some(previous) = i.checked_sub(1).map(|j| &blocks[j]) {
            match separator(previous, block, compact) {
                Separator::BlankLine => lines.push(String::new()),
                Separator::Newline => {}
                Separator::HardBreak => {
                    if let Some(line) = lines.last_mut() {
                        line.push('\\');
                    }
                }
            }
        }
        block_lines(block, &mut lines);
    }
    lines
}

/// How to separate two consecutive blocks; see `blocks_to_lines`.
fn separator(previous: &Block, next: &Block, compact: bool) -> Separator {
    if !compact {
        return Separator::BlankLine;
    }
    match (previous, next) {
        (Block::Paragraph(_), Block::Paragraph(_)) => Separator::HardBreak,
        // Only a list starting at 1 may interrupt a paragraph.
        (Block::Paragraph(_), Block::List { start: Some(n), .. }) if *n != 1 => {
            Separator::BlankLine
        }
        (Block::Paragraph(_) | Block::Code(_), _) => Separator::Newline,
        // Anything after a quote or list would be a lazy continuation line.
        _ => Separator::BlankLine,
    }
}

/// Appends the lines of one block; nested blocks get their `> ` or list-item prefix.
fn block_lines(block: &Block, lines: &mut Vec<String>) {
    match block {
        Block::Paragraph(text) => lines.extend(text.split('\n').map(str::to_owned)),
        Block::Code(code) => {
            let fence = "`".repeat(3.max(longest_run(code, '`') + 1));
            lines.push(format!("{fence}text"));
            lines.extend(code.split('\n').map(str::to_owned));
            lines.push(fence);
        }
        Block::Quote(blocks) => {
            for line in blocks_to_lines(blocks, false) {
                lines.push(if line.is_empty() {
                    ">".to_owned()
                } else {
                    format!("> {line}")
                });
            }
        }
        Block::List { start, items } => {
            for (i, item) in items.iter().enumerate() {
                let previous_ends_with_quote = i
                    .checked_sub(1)
                    .and_then(|j| items[j].last())
                    .is_some_and(|b| matches!(b, Block::Quote(_)));
                if previous_ends_with_quote {
                    lines.push(String::new());
                }
                let marker = match start {
                    Some(n) => format!("{}. ", n + i as u64),
                    None => "- ".to_owned(),
                };
                let indent = " ".repeat(marker.len());
                for (j, line) in blocks_to_lines(item, true).into_iter().enumerate() {
                    lines.push(match j {
                        0 => format!("{marker}{line}"),
                        _ if line.is_empty() => line,
                        _ => format!("{indent}{line}"),
                    });
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::html_to_markdown as md;
    use super::{html_to_markdown, inline_code, inline_text};

    /// Asserts that the conversion of `html` is exactly `expected`.
    #[track_caller]
    fn check(html: &str, expected: &str) {
        assert_eq!(md(html), expected, "input: {html:?}");
    }

    /// Removes code spans from a line so that only ordinary text remains.
    fn strip_code_spans(line: &str) -> String {
        let chars: Vec<char> = line.chars().collect();
        let mut out = String::new();
        let mut i = 0;
        while i < chars.len() {
            match chars[i] {
                '\\' => {
                    out.extend(&chars[i..(i + 2).min(chars.len())]);
                    i += 2;
                }
                '`' => {
                    let run = chars[i..].iter().take_while(|&&c| c == '`').count();
                    let fence: String = "`".repeat(run);
                    let rest: String = chars[i + run..].iter().collect();
                    // Find the matching closing run of exactly the same length.
                    let mut search = 0;
                    let close = loop {
                        match rest[search..].find(&fence) {
                            None => break None,
                            Some(at) => {
                                let at = search + at;
                                let after = rest[at + run..].starts_with('`');
                                let before = rest[..at].ends_with('`');
                                if !after && !before {
                                    break Some(at);
                                }
                                search = at + rest[at..].chars().take_while(|&c| c == '`').count();
                            }
                        }
                    };
                    match close {
                        Some(at) => {
                            i += run + rest[..at + run].chars().count();
                        }
                        None => panic!("unterminated code span in {line:?}"),
                    }
                }
                c => {
                    out.push(c);
                    i += 1;
                }
            }
        }
        out
    }

    /// Checks the structural invariants every conversion must satisfy.
    #[track_caller]
    fn check_invariants(html: &str) {
        let out = md(html);
        assert_eq!(
            out.trim(),
            out.trim_matches(' '),
            "leading/trailing blank line for {html:?}"
        );
        assert!(
            !out.contains("\n\n\n"),
            "double blank line for {html:?}: {out:?}"
        );
        let mut fence: Option<String> = None;
        // Content columns of the list items enclosing the current line.
        let mut columns: Vec<usize> = Vec::new();
        for line in out.lines() {
            assert!(
                !line.ends_with([' ', '\t']),
                "trailing whitespace in {line:?} for {html:?}"
            );
            let content = line.trim_start_matches([' ', '>']);
            if let Some(open) = &fence {
                if content == open {
                    fence = None;
                }
                continue;
            }
            if content.starts_with("```") {
                fence = Some(content.trim_end_matches("text").to_owned());
                continue;
            }
            if line.is_empty() {
                continue;
            }
            assert!(
                !line.starts_with('\t'),
                "tab-indented line {line:?} for {html:?}"
            );
            let indent = line.len() - line.trim_start_matches(' ').len();
            while columns.last().is_some_and(|&c| c > indent) {
                columns.pop();
            }
            assert!(
                indent == 0 || columns.last() == Some(&indent),
                "unexpected indentation in {line:?} for {html:?}:\n{out}"
            );
            let body = &line[indent..];
            let digits = body.bytes().take_while(u8::is_ascii_digit).count();
            if body.starts_with("- ") {
                columns.push(indent + 2);
            } else if digits > 0 && body[digits..].starts_with(". ") {
                columns.push(indent + digits + 2);
            }
            // Every `<` outside code is escaped or opens an autolink.
            let text = strip_code_spans(line);
            let mut rest = text.as_str();
            while let Some(at) = rest.find('<') {
                let backslashes = rest[..at].chars().rev().take_while(|&c| c == '\\').count();
                let tail = &rest[at..];
                let autolink = (tail.starts_with("<http://")
                    || tail.starts_with("<https://")
                    || tail.starts_with("<mailto:"))
                    && tail
                        .find('>')
                        .is_some_and(|end| !tail[1..end].contains([' ', '<']));
                assert!(
                    backslashes % 2 == 1 || autolink,
                    "unescaped `<` in {line:?} for {html:?}"
                );
                rest = &rest[at + 1..];
            }
        }
        assert!(fence.is_none(), "unclosed fence for {html:?}: {out}");
    }

    #[test]
    fn empty_and_tag_only_inputs_give_nothing() {
        check("", "");
        check("  \n\t ", "");
        check(
            "<p> </p><ul><li></li></ul><b> </b><note></note><code> </code>",
            "",
        );
        check("<!-- comment --><br/><br>", "");
    }

    #[test]
    fn paragraphs() {
        check(
            "<p>Initiates a bulk publish of all existing datasets for an Identity Pool to the \
             configured stream. </p><p>This API can only be called with developer credentials.</p>",
            "Initiates a bulk publish of all existing datasets for an Identity Pool to the \
             configured stream.\n\nThis API can only be called with developer credentials.",
        );
    }

    #[test]
    fn whitespace_collapses_like_html() {
        check("<p>a \n\t  b\r\n c</p>", "a b c");
        check("  lead  <b> bold </b>  trail  ", "lead **bold** trail");
    }

    #[test]
    fn loose_text_is_its_own_paragraph() {
        check(
            "Status, valid values are: <p>NOT_STARTED - none</p> <p>DONE</p> after",
            "Status, valid values are:\n\nNOT_STARTED - none\n\nDONE\n\nafter",
        );
    }

    #[test]
    fn markdown_characters_are_escaped() {
        check(
            r"a\b `c` *d* _e_ [f] <g> h|i ~j~ k^l",
            r"a\\b \`c\` \*d\* \_e\_ \[f\] \<g\> h\|i \~j\~ k\^l",
        );
        check("snake_case_name", "snake_case_name");
        check("use --dry-run, not ---", r"use \--dry-run, not \-\--");
        check("&amp;lt; &amp;#39; a &amp; b", r"\&lt; \&#39; a & b");
    }

    #[test]
    fn line_starts_are_escaped() {
        check("# one", r"\# one");
        check("- two", r"\- two");
        check("+ three", r"\+ three");
        check("=", r"\=");
        check("1. four", r"1\. four");
        check("12) five", r"12\) five");
        check("1.5 GB", "1.5 GB");
        check("a<br>- b<br>2. c", "a\\\n\\- b\\\n2\\. c");
    }

    #[test]
    fn inline_helpers_keep_model_text_on_one_line() {
        assert_eq!(
            inline_code("^a\n\n    assert!(false);\n$"),
            "`^a assert!(false); $`"
        );
        assert_eq!(inline_code("a`b"), "``a`b``");
        assert_eq!(inline_code(" \t\u{0}"), "");
        assert_eq!(
            inline_text("AWS [Beta] <Service>\n\n    x"),
            "AWS \\[Beta\\] \\<Service\\> x"
        );
    }

    #[test]
    fn pre_blocks_expand_tabs_and_drop_control_characters() {
        let md = html_to_markdown("<pre>\n    indented\n\tline\u{0}end\n</pre>");
        assert_eq!(md, "```text\n    indented\n    line end\n```");
    }

    #[test]
    fn code_spans() {
        check("Use <code>ListRecords</code>.", "Use `ListRecords`.");
        check("<code>a`b</code>", "``a`b``");
        check("<code>`x`</code>", "`` `x` ``");
        check("x<code></code>y", "xy");
        check("<code>&lt;p&gt; *a*  <b>b</b>\n c</code>", "`<p> *a* b c`");
        check("a<code> b </code>c", "a `b` c");
        check("<code>a</code><code>b</code>", "`a` `b`");
    }

    #[test]
    fn links() {
        check(
            r#"See <a href="https://docs.aws.amazon.com/x.html">the <i>guide</i></a>."#,
            "See [the *guide*](https://docs.aws.amazon.com/x.html).",
        );
        check(
            r#"<a href="https://e.com/a b(c)\d">x</a>"#,
            "[x](https://e.com/a%20b%28c%29%5Cd)",
        );
        check(r#"<a href="/relative/path.html">Relative</a>"#, "Relative");
        check(r##"<a href="#anchor">Anchor</a>"##, "Anchor");
        check("<a>NoHref</a>", "NoHref");
        check(r#"<a href="https://e.com/x"></a>"#, "<https://e.com/x>");
        check(
            r#"<a href="https://e.com/x">https://e.com/x</a>"#,
            "<https://e.com/x>",
        );
        check(
            r#"<a href="mailto:a@b.com">mail us</a>"#,
            "[mail us](mailto:a@b.com)",
        );
        check(r#"<a href="mailto:admin">admin</a>"#, "admin");
        check(
            r#"<a href="https://a.com">x <a href="https://b.com">y</a></a>"#,
            "[x](https://a.com) [y](https://b.com)",
        );
        check(
            r#"<A HREF='https://e.com'> spaced </A>!"#,
            "[spaced](https://e.com) !",
        );
        check(
            r#"Hi!<a href="https://e.com">x</a>"#,
            r"Hi\![x](https://e.com)",
        );
    }

    #[test]
    fn emphasis() {
        check("<b>bold</b> <strong>strong</strong>", "**bold** **strong**");
        check("<i>it</i> <em>em</em>", "*it* *em*");
        check("a<b> b </b>c", "a **b** c");
        check("a<b> </b>c <i></i>d", "a c d");
        check("<i><i>x</i></i> <b><b>y</b></b>", "*x* **y**");
        check("<b><i>both</i></b>", "***both***");
        check("<b>a</b><b>b</b>", "**a** **b**");
    }

    #[test]
    fn emphasis_that_cannot_flank_is_dropped() {
        // `**(x)**y` would not parse as strong emphasis.
        check("<b>(x)</b>y", "(x)y");
        check("x<b>(y)</b>", "x(y)");
        check("<b>(x)</b> y", "**(x)** y");
        check("<b><code>Name</code></b>: value", "**`Name`**: value");
    }

    #[test]
    fn unordered_lists() {
        check(
            "<ul> <li> <p><code>APNS</code> - Apple</p> </li> <li> <p><code>GCM</code> - Google</p> </li> </ul>",
            "- `APNS` - Apple\n- `GCM` - Google",
        );
        check(
            "<p>Before</p><ul><li>a<ul><li>b<ul><li>c</li></ul></li></ul></li><li>d</li></ul><p>After</p>",
            "Before\n\n- a\n  - b\n    - c\n- d\n\nAfter",
        );
    }

    #[test]
    fn ordered_lists() {
        check(
            "<ol><li>one</li><li>two<ol><li>x</li></ol></li><li>three</li></ol>",
            "1. one\n2. two\n   1. x\n3. three",
        );
        check(r#"<ol start="3"><li>c</li><li>d</li></ol>"#, "3. c\n4. d");
        check(
            "<ol><li><p>one</p><ol start=5><li>e</li></ol></li></ol>",
            "1. one\n\n   5. e",
        );
    }

    #[test]
    fn list_items_stay_compact() {
        check(
            "<ul><li><p>First.</p><p>Second.</p></li><li>next</li></ul>",
            "- First.\\\n  Second.\n- next",
        );
        check("<ul><li>a</li>stray<li>b</li></ul>", "- a\\\n  stray\n- b");
        check("<li>orphan</li>", "- orphan");
        check("<ul><li>a<li>b</ul>", "- a\n- b");
    }

    #[test]
    fn definition_lists() {
        check(
            "<dl><dt>Equals</dt><dd><p>The value of <code>Name</code> equals.</p></dd><dt>Exists</dt><dd>Present.</dd></dl>",
            "**Equals**\n\nThe value of `Name` equals.\n\n**Exists**\n\nPresent.",
        );
    }

    #[test]
    fn line_breaks() {
        check("a<br>b<br/>c</br>d", "a\\\nb\\\nc\\\nd");
        check("a<br><br> <br>b<br>", "a\\\nb");
        check("<b>a<br></b>b", "**a** b");
    }

    #[test]
    fn headings_become_bold_paragraphs() {
        check("<h2>Title <code>x</code></h2>text", "**Title `x`**\n\ntext");
        check("<h1></h1>", "");
    }

    #[test]
    fn notes_and_important() {
        check(
            "<note> <p>Only one.</p> <p>Second.</p> </note>",
            "> **Note:** Only one.\n>\n> Second.",
        );
        check("<important>Careful</important>", "> **Important:** Careful");
        check("<note><ul><li>a</li></ul></note>", "> **Note:**\n>\n> - a");
        check(
            "<ul><li>x<note>n</note></li><li>y</li></ul>",
            "- x\n  > **Note:** n\n\n- y",
        );
    }

    #[test]
    fn preformatted_blocks() {
        check(
            "<pre>\n  {\n    &quot;a&quot;: &lt;1&gt;   \n  }\n</pre>",
            "```text\n  {\n    \"a\": <1>\n  }\n```",
        );
        check("<pre><code>x ``` y</code></pre>", "````text\nx ``` y\n````");
        check("<pre>  </pre>", "");
        check(
            "<ul><li>a<pre>b\n  c</pre></li></ul>",
            "- a\n  ```text\n  b\n    c\n  ```",
        );
    }

    #[test]
    fn dropped_elements() {
        check(
            "<fullname>Amazon Cognito Sync</fullname><p>Text</p>",
            "Text",
        );
        check("<examples><p>ex</p></examples>kept", "kept");
    }

    #[test]
    fn unknown_tags_are_literal_text() {
        check(
            "arn:aws:iam::<account>:role/* in <region>",
            r"arn:aws:iam::\<account\>:role/\* in \<region\>",
        );
        check(
            "<function-name></function-name>",
            r"\<function-name\>\</function-name\>",
        );
        check("<code>arn:<uuid></code>", "`arn:<uuid>`");
    }

    #[test]
    fn transparent_wrappers() {
        check("<zonbook><p>a</p></zonbook><xhtml>b</xhtml>", "a\n\nb");
        check("<div>a</div><span>b</span>", "a\n\nb");
        check("s3://<replaceable>bucket</replaceable>/", r"s3://*bucket*/");
        check(
            r#"<link linkend="x">Campaign</link> resource"#,
            "Campaign resource",
        );
    }

    #[test]
    fn entities() {
        check(
            "&gt; &lt; &amp; &quot; &apos; a&nbsp;b &#39; &#x41;&#X42; c&#x2028;d",
            r#"\> \< & " ' a b ' AB c d"#,
        );
        check("&unknown; &#xZZ; &# & x", r"\&unknown; \&#xZZ; \&# & x");
        check(
            "&#0; &#x110000; &#99999999999;",
            "\u{fffd} \u{fffd} \u{fffd}",
        );
        check("&AMP; &mdash;", "& \u{2014}");
    }

    #[test]
    fn malformed_markup_is_lenient() {
        check("<p>unclosed <b>bold", "unclosed **bold**");
        check("</p></b>text</ul>", "text");
        check("<P CLASS=x>Upper</P>", "Upper");
        check("a < b > c", r"a \< b \> c");
        check("x <a href=\"unterminated", r#"x \<a href="unterminated"#);
        check("1 <2 and <", r"1 \<2 and \<");
        check("<p>a<p>b", "a\n\nb");
        check("<!doctype html><?xml x?>ok", "ok");
    }

    #[test]
    fn brackets_do_not_become_intra_doc_links() {
        check("[Required] The name.", r"\[Required\] The name.");
        check("Set [Foo](Bar) or [^1]", r"Set \[Foo\](Bar) or \[\^1\]");
    }

    #[test]
    fn bare_urls_become_autolinks() {
        check(
            "See https://docs.aws.amazon.com/foo_bar/index.html.",
            "See <https://docs.aws.amazon.com/foo_bar/index.html>.",
        );
        check("(http://x.com/a_(b))", "(<http://x.com/a_(b)>)");
        check("url:https://x.com, next", "url:<https://x.com>, next");
        check("'https://x.com/a?b=1&c=2'", "'<https://x.com/a?b=1&c=2>'");
        check("https:// alone", "https:// alone");
        check("<code>https://x.com</code>", "`https://x.com`");
    }

    #[test]
    fn table_rows() {
        check(
            "<table><tr><th>Key</th><th>Value</th></tr><tr><td>a</td><td>1</td></tr></table>",
            "**Key** \\| **Value**\n\n a \\| 1"
                .replace("\n\n ", "\n\n")
                .as_str(),
        );
    }

    #[test]
    fn deep_nesting_does_not_overflow() {
        for tag in ["b", "ul", "li", "note", "p", "a href=https://x.com", "code"] {
            let name = tag.split(' ').next().unwrap_or(tag);
            let html = format!(
                "{}x{}",
                format!("<{tag}>").repeat(50_000),
                format!("</{name}>").repeat(50_000)
            );
            check_invariants(&html);
        }
        check_invariants(&"<ul><li>".repeat(200));
    }

    #[test]
    fn realistic_aws_snippet() {
        check(
            "<p>Gets a bucket.</p> <note> <p>Use <code>ListBuckets</code> to list them. See \
             <a href=\"https://docs.aws.amazon.com/AmazonS3/latest/userguide/index.html\">User Guide</a>.</p> \
             </note> <p>The following operations are related:</p> <ul> <li> <p> \
             <a href=\"https://docs.aws.amazon.com/AmazonS3/latest/API/API_CreateBucket.html\">CreateBucket</a> \
             </p> </li> <li> <p>Values: <code>1</code> | <code>2</code></p> </li> </ul>",
            "Gets a bucket.\n\n\
             > **Note:** Use `ListBuckets` to list them. See \
             [User Guide](https://docs.aws.amazon.com/AmazonS3/latest/userguide/index.html).\n\n\
             The following operations are related:\n\n\
             - [CreateBucket](https://docs.aws.amazon.com/AmazonS3/latest/API/API_CreateBucket.html)\n\
             - Values: `1` \\| `2`",
        );
    }

    /// A tiny deterministic pseudo-random generator (xorshift64).
    struct Rng(u64);

    impl Rng {
        fn next(&mut self, bound: usize) -> usize {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            (self.0 % bound as u64) as usize
        }
    }

    #[test]
    fn awkward_inputs_never_break_invariants() {
        const TEMPLATES: &[&str] = &[
            "<p>Initiates a <b>bulk</b> publish.</p><p>Second <i>one</i>.</p>",
            "<note> <p>Note <code>x`y</code> text</p> </note>",
            "<ul> <li> <p><code>APNS</code> - Apple</p> <ol><li>n</li></ol></li> </ul>",
            "[Required] arn:aws:iam::<account>:role/* see https://x.com/a_(b).",
            "<pre>  code\n\tmore &lt;x&gt;\n</pre>",
            "<dl><dt>t</dt><dd>d<br>e</dd></dl><h2>h</h2>",
            "<a href=\"https://e.com/(x)\">l <b>b</b></a> <a href='/rel'>r</a>",
            "& &# &#x &#xZZ; &#x2028; &amp; &nbsp; < <<< >> </ <a <b",
            "héllo — ünïcødé 日本語 🎉 \u{2028}",
            "- 1. # + = ` * _ \\ | ~ ^ ! [ ]",
            "<table><tr><td>a</td><th>b</th></tr></table><important>i</important>",
            "    indented text\n\n\ttabbed",
        ];
        let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
        for template in TEMPLATES {
            check_invariants(template);
        }
        for _ in 0..20_000 {
            let mut html = String::new();
            for _ in 0..=rng.next(4) {
                let template = TEMPLATES[rng.next(TEMPLATES.len())];
                let a = rng.next(template.len() + 1);
                let b = a + rng.next(template.len() + 1 - a);
                // Slices that split a multibyte character are skipped.
                html.push_str(template.get(a..b).unwrap_or_default());
            }
            check_invariants(&html);
        }
    }
}
