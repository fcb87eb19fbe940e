//! Client-side checking of the `pattern` constraint of model string shapes.
//!
//! AWS models give string shapes a `pattern`: a regular expression in the ECMA-262 style that
//! a valid value must match. The check uses *search* semantics: a value is valid when the
//! expression matches anywhere in it, so `b` accepts `abc`; a pattern that wants the whole
//! value says so itself with `^` and `$`.
//!
//! This module is a small regular-expression engine written for that one job, with no
//! dependencies so that generated crates stay quick to compile. [`Pattern::new`] compiles a
//! pattern and [`Pattern::is_match`] checks a value; [`matches()`] is the one-line form that
//! generated code calls with a per-call-site cache.
//!
//! # Supported syntax
//!
//! * literal characters, and `.`: any character except the ECMAScript line terminators
//!   `\n`, `\r`, U+2028 and U+2029;
//! * escapes `\d \D \w \W \s \S \t \n \r \f \v \0`, `\cX`, `\xHH`, `\x{H..}`, `\uHHHH`,
//!   `\u{H..}`, and an escaped punctuation or other non-alphanumeric character, which stands
//!   for itself (`\.`, `\-`, `\/`, `\\`, `\[`, ...). Two `\uHHHH` escapes that form a UTF-16
//!   surrogate pair denote the one supplementary character they encode, also as the end of a
//!   range in a class (`[\uD800\uDC00-\uDBFF\uDFFF]` is U+10000 to U+10FFFF). A lone
//!   surrogate can never match, because Rust strings cannot hold one;
//! * Unicode properties `\p{..}` and their negations `\P{..}`, also in the one-letter form
//!   `\pL`: the general categories `L Lu Ll N Nd Z Zs Zl Zp P Pc Pd S M C Cc` (also by their
//!   long names such as `Letter`, and with an `Is` prefix such as `IsL`), the binary
//!   properties `IsAlphabetic`, `IsWhitespace`, `IsUppercase`, `IsLowercase`, `IsDigit`, and
//!   the ASCII-only POSIX classes `Lower Upper ASCII Alpha Digit Alnum Punct Graph Print
//!   Blank Cntrl XDigit Space`;
//! * classes `[...]` and `[^...]` holding characters, ranges, escapes and properties; a `-`
//!   first or last, or next to a class escape such as `\w`, is literal, and a `]` right after
//!   the opening `[` or `[^` is literal;
//! * groups `(...)`, `(?:...)` and `(?<name>...)`, alternation `|` with empty alternatives;
//! * quantifiers `*`, `+`, `?`, `{n}`, `{n,}` and `{n,m}`, with or without a lazy `?` (which
//!   does not change whether a value matches). A `{` that does not start a quantifier, and a
//!   lone `}` or `]`, are literal;
//! * anchors `^` and `$` (start and end of the whole value; `$` does not match before a final
//!   newline), `\A` and `\z` (the same), word boundaries `\b` and `\B`;
//! * lookaheads `(?=...)` and `(?!...)`, which may nest.
//!
//! Everything else is rejected with a [`PatternError`] rather than guessed at: backreferences,
//! lookbehinds, inline flags such as `(?i)`, nested classes and class intersections (`[[`,
//! `&&`), unknown escapes and properties, possessive quantifiers, repetition counts above
//! 1000, and patterns whose compiled program would be too large or too deeply nested.
//! A caller that gets an error should skip the check: the service still validates the value.
//!
//! Many model patterns are written for Java's engine rather than ECMAScript's. Where the two
//! read the same text differently, this engine takes Java's reading when it is the only
//! sensible one (a `]` first in a class is literal; `\A`, `\z`, `\x{..}` and the POSIX
//! properties are accepted), and otherwise rejects the pattern (`[]`, `[^]`, `[[`, `\0` followed
//! by a digit).
//!
//! # Approximations
//!
//! Values are matched one Unicode scalar value (`char`) at a time, not one UTF-16 code unit
//! at a time as in JavaScript, so `.` and counted repetitions treat a supplementary character
//! as one character.
//!
//! Unicode properties are computed from `std` rather than from the Unicode tables:
//!
//! * `L` is [`char::is_alphabetic`], which also covers letter numbers (`Nl`) and the
//!   combining vowel signs of many scripts; `Lu` and `Ll` are [`char::is_uppercase`] and
//!   [`char::is_lowercase`], which also cover a few symbols such as circled letters;
//! * `N` is exactly [`char::is_numeric`]; `Nd` is exact in Latin-1 and is the same as `N`
//!   above it (so it also holds the letter and other numbers there);
//! * `Z`, `Zs`, `Zl`, `Zp`, `Pc` and `Cc` are exact; `Pd` is a fixed list of the dashes;
//! * `P` and `S` are exact in Latin-1. Above it, a character that is not a letter, number,
//!   separator, control, known format or private-use character, or known combining mark is
//!   put in `P` or `S` by the block it is in (General Punctuation, arrows, mathematical
//!   operators, emoji, ...); one in no such block counts as both;
//! * `M` is the combining-mark blocks (Combining Diacritical Marks and its supplements, the
//!   variation selectors, the Hebrew and Arabic points) plus, like `P` and `S`, the
//!   unclassified rest; the vowel signs of Indic and other scripts count as `L` instead;
//! * `C` is the controls, a list of the format characters, and the private-use areas;
//!   unassigned code points are not in `C`.
//!
//! `\w`, `\d` and `\b` are ASCII-only as in ECMAScript, and `\s` is the ECMAScript set
//! (Unicode spaces, line terminators and U+FEFF).
//!
//! # Cost
//!
//! Matching simulates the compiled automaton over all its states at once (a Pike VM), so it
//! takes time proportional to the length of the value times the size of the program and is
//! never exponential, whatever the pattern. A lookahead is evaluated by a separate run from
//! the position where it is reached; results are remembered per position, so a pattern with
//! lookaheads costs at most quadratic time in the length of the value.
//!
//! ```
//! use botogen_runtime::pattern::Pattern;
//!
//! let role = Pattern::new(r"^arn:aws[a-zA-Z-]*:iam::\d{12}:role/.+$").unwrap();
//! assert!(role.is_match("arn:aws:iam::123456789012:role/admin"));
//! assert!(!role.is_match("arn:aws:iam::1234:role/admin"));
//!
//! // Search semantics: the pattern may match anywhere in the value.
//! assert!(Pattern::new("b").unwrap().is_match("abc"));
//!
//! // Syntax the engine does not support is an error, not a guess.
//! assert!(Pattern::new(r"(a)\1").is_err());
//! ```

use std::fmt;
use std::sync::OnceLock;

/// The largest count allowed in `{n}`, `{n,}` and `{n,m}`.
const MAX_REPEAT: u32 = 1000;
/// The largest number of instructions a pattern may compile to, over all its programs.
const MAX_INSTS: usize = 50_000;
/// The deepest nesting of groups allowed.
const MAX_DEPTH: usize = 64;

/// A compiled pattern.
///
/// Build one with [`Pattern::new`] and test values with [`Pattern::is_match`]. A `Pattern`
/// is immutable, cheap to share between threads, and can be kept in a `static`.
#[derive(Clone)]
pub struct Pattern {
    source: String,
    /// Program 0 is the pattern itself; the others are the bodies of its lookaheads.
    programs: Vec<Vec<Inst>>,
    classes: Vec<Class>,
    /// Whether every match must begin at the start of the value.
    anchored: bool,
}

impl Pattern {
    /// Compiles `source`.
    ///
    /// Returns an error for syntax this engine does not support, or that is not a valid
    /// pattern, so that the caller can skip checking rather than reject valid input.
    ///
    /// ```
    /// use botogen_runtime::pattern::Pattern;
    ///
    /// assert!(Pattern::new(r"[\w-]+:[0-9a-f-]+").is_ok());
    /// assert!(Pattern::new("(unbalanced").is_err());
    /// assert!(Pattern::new("[z-a]").is_err());
    /// ```
    pub fn new(source: &str) -> Result<Pattern, PatternError> {
        let mut parser = Parser::new(source);
        let node = parser.parse()?;
        let anchored = starts_anchored(&node);
        let mut compiler = Compiler {
            programs: vec![Vec::new()],
            total: 0,
        };
        let mut main = Vec::new();
        compiler
            .compile(&mut main, &node)
            .and_then(|()| compiler.emit(&mut main, Inst::Match).map(drop))
            .map_err(|kind| PatternError { offset: 0, kind })?;
        compiler.programs[0] = main;
        Ok(Pattern {
            source: source.to_owned(),
            programs: compiler.programs,
            classes: parser.classes,
            anchored,
        })
    }

    /// Whether the pattern matches somewhere in `text` (search semantics).
    ///
    /// ```
    /// use botogen_runtime::pattern::Pattern;
    ///
    /// let p = Pattern::new("[a-zA-Z0-9_.:-]+").unwrap();
    /// assert!(p.is_match("my-key"));
    /// assert!(p.is_match("  x  "));
    /// assert!(!p.is_match("  "));
    /// ```
    pub fn is_match(&self, text: &str) -> bool {
        let chars: Vec<char> = text.chars().collect();
        let mut exec = Exec {
            pattern: self,
            text: &chars,
            memo: vec![Vec::new(); self.programs.len()],
        };
        exec.run(0, 0, self.anchored)
    }

    /// The pattern this was compiled from.
    pub fn source(&self) -> &str {
        &self.source
    }
}

impl fmt::Debug for Pattern {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Pattern")
            .field("source", &self.source)
            .finish_non_exhaustive()
    }
}

/// Compiles `source` once into `cache` and reports whether `text` matches it.
///
/// Returns `None` when this engine cannot compile the pattern; the value must then be
/// treated as valid, that is, not checked. Each cache must only ever be used with one
/// `source`: generated code gives every call site its own `static`.
///
/// ```
/// use std::sync::OnceLock;
/// use botogen_runtime::pattern::{matches, Pattern};
///
/// static P: OnceLock<Option<Pattern>> = OnceLock::new();
/// assert_eq!(matches(&P, "^[a-z]+$", "abc"), Some(true));
/// assert_eq!(matches(&P, "^[a-z]+$", "ABC"), Some(false));
///
/// static UNSUPPORTED: OnceLock<Option<Pattern>> = OnceLock::new();
/// assert_eq!(matches(&UNSUPPORTED, "(?<!-)x", "x"), None);
/// ```
pub fn matches(
    cache: &'static OnceLock<Option<Pattern>>,
    source: &'static str,
    text: &str,
) -> Option<bool> {
    cache
        .get_or_init(|| Pattern::new(source).ok())
        .as_ref()
        .map(|pattern| pattern.is_match(text))
}

/// A pattern that this engine cannot compile: invalid syntax, or syntax it does not support.
///
/// It says what the problem is and the byte offset in the pattern where it was found.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PatternError {
    offset: usize,
    kind: ErrorKind,
}

impl PatternError {
    /// The byte offset in the pattern at which the problem was found.
    pub fn offset(&self) -> usize {
        self.offset
    }
}

impl fmt::Display for PatternError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "cannot compile pattern at byte {}: ", self.offset)?;
        match &self.kind {
            ErrorKind::UnclosedGroup => f.write_str("unclosed group `(`"),
            ErrorKind::UnopenedGroup => f.write_str("unmatched `)`"),
            ErrorKind::UnclosedClass => f.write_str("unclosed character class `[`"),
            ErrorKind::TrailingBackslash => f.write_str("pattern ends with `\\`"),
            ErrorKind::NothingToRepeat => f.write_str("quantifier with nothing to repeat"),
            ErrorKind::RepeatedQuantifier => f.write_str(
                "quantifier follows a quantifier (possessive quantifiers are not supported)",
            ),
            ErrorKind::BadQuantifier => f.write_str("malformed `{n,m}` quantifier"),
            ErrorKind::QuantifierOutOfOrder => f.write_str("`{n,m}` quantifier with n > m"),
            ErrorKind::RepeatTooLarge => {
                write!(f, "repetition count above {MAX_REPEAT} is not supported")
            }
            ErrorKind::RangeOutOfOrder => f.write_str("character range is out of order"),
            ErrorKind::Backreference => {
                f.write_str("backreferences and octal escapes are not supported")
            }
            ErrorKind::UnsupportedEscape(c) => write!(f, "escape `\\{c}` is not supported"),
            ErrorKind::BadCodePoint => f.write_str("malformed `\\x` or `\\u` escape"),
            ErrorKind::UnknownProperty(name) => {
                write!(f, "unicode property `{name}` is not supported")
            }
            ErrorKind::UnsupportedGroup => {
                f.write_str("this kind of group (inline flags, lookbehind, ...) is not supported")
            }
            ErrorKind::NestedClass => {
                f.write_str("nested character classes and `&&` intersections are not supported")
            }
            ErrorKind::TooDeep => write!(f, "groups nested more than {MAX_DEPTH} deep"),
            ErrorKind::TooLarge => f.write_str("pattern compiles to too large a program"),
        }
    }
}

impl std::error::Error for PatternError {}

#[derive(Clone, Debug, PartialEq, Eq)]
enum ErrorKind {
    UnclosedGroup,
    UnopenedGroup,
    UnclosedClass,
    TrailingBackslash,
    NothingToRepeat,
    RepeatedQuantifier,
    BadQuantifier,
    QuantifierOutOfOrder,
    RepeatTooLarge,
    RangeOutOfOrder,
    Backreference,
    UnsupportedEscape(char),
    BadCodePoint,
    UnknownProperty(String),
    UnsupportedGroup,
    NestedClass,
    TooDeep,
    TooLarge,
}

// ---------------------------------------------------------------------------------------------
// Syntax tree and parser
// ---------------------------------------------------------------------------------------------

#[derive(Debug)]
enum Node {
    Empty,
    /// One code point (a lone surrogate never matches).
    Literal(u32),
    /// An index into the pattern's classes.
    Class(usize),
    Concat(Vec<Node>),
    Alt(Vec<Node>),
    Repeat {
        node: Box<Node>,
        min: u32,
        max: Option<u32>,
    },
    Assert(Assertion),
    Look {
        negate: bool,
        node: Box<Node>,
    },
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Assertion {
    Start,
    End,
    WordBoundary,
    NotWordBoundary,
}

/// What an escape sequence stands for.
enum Escaped {
    Char(u32),
    Set(Set, bool),
    Assert(Assertion),
}

/// One member of a bracketed class, before ranges are formed.
enum ClassAtom {
    Char(u32),
    Set(Set, bool),
}

struct Parser {
    chars: Vec<(usize, char)>,
    len: usize,
    pos: usize,
    depth: usize,
    classes: Vec<Class>,
}

impl Parser {
    fn new(source: &str) -> Parser {
        Parser {
            chars: source.char_indices().collect(),
            len: source.len(),
            pos: 0,
            depth: 0,
            classes: Vec::new(),
        }
    }

    fn peek(&self) -> Option<char> {
        self.peek_at(0)
    }

    fn peek_at(&self, ahead: usize) -> Option<char> {
        self.chars.get(self.pos + ahead).map(|&(_, c)| c)
    }

    fn bump(&mut self) -> Option<char> {
        let c = self.peek();
        if c.is_some() {
            self.pos += 1;
        }
        c
    }

    fn eat(&mut self, c: char) -> bool {
        if self.peek() == Some(c) {
            self.pos += 1;
            true
        } else {
            false
        }
    }

    fn offset_of(&self, pos: usize) -> usize {
        self.chars.get(pos).map_or(self.len, |&(offset, _)| offset)
    }

    fn error_at(&self, pos: usize, kind: ErrorKind) -> PatternError {
        PatternError {
            offset: self.offset_of(pos),
            kind,
        }
    }

    fn error(&self, kind: ErrorKind) -> PatternError {
        self.error_at(self.pos, kind)
    }

    fn parse(&mut self) -> Result<Node, PatternError> {
        let node = self.parse_alt()?;
        if self.pos < self.chars.len() {
            // parse_alt stops only at the end or at a `)` it did not open.
            return Err(self.error(ErrorKind::UnopenedGroup));
        }
        Ok(node)
    }

    fn parse_alt(&mut self) -> Result<Node, PatternError> {
        let mut branches = vec![self.parse_concat()?];
        while self.eat('|') {
            branches.push(self.parse_concat()?);
        }
        Ok(if branches.len() == 1 {
            branches.pop().unwrap_or(Node::Empty)
        } else {
            Node::Alt(branches)
        })
    }

    fn parse_concat(&mut self) -> Result<Node, PatternError> {
        let mut items = Vec::new();
        while !matches!(self.peek(), None | Some('|' | ')')) {
            let (atom, quantifiable) = self.parse_atom()?;
            items.push(self.parse_quantifier(atom, quantifiable)?);
        }
        Ok(match items.len() {
            0 => Node::Empty,
            1 => items.pop().unwrap_or(Node::Empty),
            _ => Node::Concat(items),
        })
    }

    /// Parses one atom; the flag says whether a quantifier may follow it.
    fn parse_atom(&mut self) -> Result<(Node, bool), PatternError> {
        let start = self.pos;
        let Some(c) = self.bump() else {
            return Err(self.error(ErrorKind::UnclosedGroup));
        };
        Ok(match c {
            '(' => self.parse_group(start)?,
            '[' => (self.parse_class(start)?, true),
            '.' => {
                let class = Class {
                    negated: true,
                    ranges: vec![(0x0A, 0x0A), (0x0D, 0x0D), (0x2028, 0x2029)],
                    sets: Vec::new(),
                };
                (Node::Class(self.add_class(class)), true)
            }
            '^' => (Node::Assert(Assertion::Start), false),
            '$' => (Node::Assert(Assertion::End), false),
            '*' | '+' | '?' => return Err(self.error_at(start, ErrorKind::NothingToRepeat)),
            '{' if self.counted_follows(start) => {
                return Err(self.error_at(start, ErrorKind::NothingToRepeat));
            }
            '\\' => match self.parse_escape(false)? {
                Escaped::Char(c) => (Node::Literal(c), true),
                Escaped::Set(set, negated) => {
                    let class = Class {
                        negated: false,
                        ranges: Vec::new(),
                        sets: vec![(set, negated)],
                    };
                    (Node::Class(self.add_class(class)), true)
                }
                Escaped::Assert(assertion) => (Node::Assert(assertion), false),
            },
            c => (Node::Literal(c as u32), true),
        })
    }

    fn add_class(&mut self, class: Class) -> usize {
        self.classes.push(class);
        self.classes.len() - 1
    }

    /// Whether the `{` at `pos` starts a counted quantifier (it is followed by a digit or a
    /// comma); otherwise it is a literal `{`.
    fn counted_follows(&self, pos: usize) -> bool {
        matches!(self.chars.get(pos + 1), Some((_, '0'..='9' | ',')))
    }

    fn parse_group(&mut self, open: usize) -> Result<(Node, bool), PatternError> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err(self.error_at(open, ErrorKind::TooDeep));
        }
        let mut look = None;
        if self.eat('?') {
            match self.bump() {
                Some(':') => {}
                Some('=') => look = Some(false),
                Some('!') => look = Some(true),
                Some('<') if self.peek().is_some_and(|c| c.is_ascii_alphabetic()) => {
                    while self
                        .peek()
                        .is_some_and(|c| c.is_ascii_alphanumeric() || c == '_')
                    {
                        self.pos += 1;
                    }
                    if !self.eat('>') {
                        return Err(self.error_at(open, ErrorKind::UnsupportedGroup));
                    }
                }
                _ => return Err(self.error_at(open, ErrorKind::UnsupportedGroup)),
            }
        }
        let node = self.parse_alt()?;
        if !self.eat(')') {
            return Err(self.error_at(open, ErrorKind::UnclosedGroup));
        }
        self.depth -= 1;
        Ok(match look {
            Some(negate) => (
                Node::Look {
                    negate,
                    node: Box::new(node),
                },
                false,
            ),
            None => (node, true),
        })
    }

    fn parse_quantifier(&mut self, atom: Node, quantifiable: bool) -> Result<Node, PatternError> {
        let start = self.pos;
        let (min, max) = match self.peek() {
            Some('*') => (0, None),
            Some('+') => (1, None),
            Some('?') => (0, Some(1)),
            Some('{') if self.counted_follows(self.pos) => self.parse_counted()?,
            _ => return Ok(atom),
        };
        if !quantifiable {
            return Err(self.error_at(start, ErrorKind::NothingToRepeat));
        }
        if self.pos == start {
            // A one-character quantifier, not yet consumed.
            self.pos += 1;
        }
        // A lazy quantifier matches the same values as a greedy one.
        self.eat('?');
        let next_is_quantifier = match self.peek() {
            Some('*' | '+' | '?') => true,
            Some('{') => self.counted_follows(self.pos),
            _ => false,
        };
        if next_is_quantifier {
            return Err(self.error(ErrorKind::RepeatedQuantifier));
        }
        Ok(Node::Repeat {
            node: Box::new(atom),
            min,
            max,
        })
    }

    /// Parses `{n}`, `{n,}` or `{n,m}` at the current `{`.
    fn parse_counted(&mut self) -> Result<(u32, Option<u32>), PatternError> {
        let open = self.pos;
        self.pos += 1;
        let min = self
            .parse_count()?
            .ok_or_else(|| self.error_at(open, ErrorKind::BadQuantifier))?;
        let max = if self.eat(',') {
            self.parse_count()?
        } else {
            Some(min)
        };
        if !self.eat('}') {
            return Err(self.error_at(open, ErrorKind::BadQuantifier));
        }
        if max.is_some_and(|max| max < min) {
            return Err(self.error_at(open, ErrorKind::QuantifierOutOfOrder));
        }
        Ok((min, max))
    }

    fn parse_count(&mut self) -> Result<Option<u32>, PatternError> {
        let start = self.pos;
        let mut value: u32 = 0;
        while let Some(digit) = self.peek().and_then(|c| c.to_digit(10)) {
            self.pos += 1;
            value = value.saturating_mul(10).saturating_add(digit);
        }
        if self.pos == start {
            return Ok(None);
        }
        if value > MAX_REPEAT {
            return Err(self.error_at(start, ErrorKind::RepeatTooLarge));
        }
        Ok(Some(value))
    }

    /// Parses the escape after a `\` that has been consumed.
    fn parse_escape(&mut self, in_class: bool) -> Result<Escaped, PatternError> {
        let backslash = self.pos - 1;
        let Some(c) = self.bump() else {
            return Err(self.error_at(backslash, ErrorKind::TrailingBackslash));
        };
        let set = |set| Ok(Escaped::Set(set, false));
        let not_set = |set| Ok(Escaped::Set(set, true));
        match c {
            'd' => set(Set::Digit),
            'D' => not_set(Set::Digit),
            'w' => set(Set::Word),
            'W' => not_set(Set::Word),
            's' => set(Set::Space),
            'S' => not_set(Set::Space),
            't' => Ok(Escaped::Char(0x09)),
            'n' => Ok(Escaped::Char(0x0A)),
            'v' => Ok(Escaped::Char(0x0B)),
            'f' => Ok(Escaped::Char(0x0C)),
            'r' => Ok(Escaped::Char(0x0D)),
            '0' if !self.peek().is_some_and(|c| c.is_ascii_digit()) => Ok(Escaped::Char(0)),
            '0'..='9' => Err(self.error_at(backslash, ErrorKind::Backreference)),
            'b' if in_class => Ok(Escaped::Char(0x08)),
            'b' => Ok(Escaped::Assert(Assertion::WordBoundary)),
            'B' if !in_class => Ok(Escaped::Assert(Assertion::NotWordBoundary)),
            'A' if !in_class => Ok(Escaped::Assert(Assertion::Start)),
            'z' if !in_class => Ok(Escaped::Assert(Assertion::End)),
            'c' => match self.peek() {
                Some(letter) if letter.is_ascii_alphabetic() => {
                    self.pos += 1;
                    Ok(Escaped::Char(letter as u32 % 32))
                }
                _ => Err(self.error_at(backslash, ErrorKind::UnsupportedEscape('c'))),
            },
            'x' => self.parse_hex_escape(backslash, 2).map(Escaped::Char),
            'u' => {
                let unit = self.parse_hex_escape(backslash, 4)?;
                if (0xD800..0xDC00).contains(&unit)
                    && self.peek() == Some('\\')
                    && self.peek_at(1) == Some('u')
                {
                    // A high surrogate followed by a low one encodes one character.
                    let save = self.pos;
                    self.pos += 2;
                    match self.parse_hex_escape(save, 4) {
                        Ok(low) if (0xDC00..0xE000).contains(&low) => {
                            return Ok(Escaped::Char(
                                0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00),
                            ));
                        }
                        _ => self.pos = save,
                    }
                }
                Ok(Escaped::Char(unit))
            }
            'p' | 'P' => {
                let set = self.parse_property(backslash)?;
                Ok(Escaped::Set(set, c == 'P'))
            }
            c if c.is_ascii_alphanumeric() => {
                Err(self.error_at(backslash, ErrorKind::UnsupportedEscape(c)))
            }
            c => Ok(Escaped::Char(c as u32)),
        }
    }

    /// Parses the digits of `\xHH`, `\uHHHH` (`digits` of them) or the braced `\x{..}` and
    /// `\u{..}` forms.
    fn parse_hex_escape(&mut self, backslash: usize, digits: usize) -> Result<u32, PatternError> {
        let bad = |parser: &Parser| parser.error_at(backslash, ErrorKind::BadCodePoint);
        let hex = |parser: &Parser, ahead| parser.peek_at(ahead).and_then(|c| c.to_digit(16));
        if self.eat('{') {
            let mut value: u32 = 0;
            let mut count = 0;
            while let Some(digit) = hex(self, 0) {
                self.pos += 1;
                count += 1;
                value = value.saturating_mul(16).saturating_add(digit);
            }
            if count == 0 || !self.eat('}') || value > 0x10FFFF {
                return Err(bad(self));
            }
            return Ok(value);
        }
        let mut value = 0;
        for ahead in 0..digits {
            value = value * 16 + hex(self, ahead).ok_or_else(|| bad(self))?;
        }
        self.pos += digits;
        Ok(value)
    }

    /// Parses the name after `\p` or `\P`: `{Name}` or a single letter.
    fn parse_property(&mut self, backslash: usize) -> Result<Set, PatternError> {
        let name: String = if self.eat('{') {
            let mut name = String::new();
            loop {
                match self.bump() {
                    Some('}') => break name,
                    Some(c) => name.push(c),
                    None => {
                        return Err(
                            self.error_at(backslash, ErrorKind::UnknownProperty(name.clone()))
                        );
                    }
                }
            }
        } else {
            match self.bump() {
                Some(c) if c.is_ascii_alphabetic() => c.to_string(),
                _ => {
                    return Err(self.error_at(backslash, ErrorKind::UnknownProperty(String::new())));
                }
            }
        };
        Set::from_name(&name)
            .ok_or_else(|| self.error_at(backslash, ErrorKind::UnknownProperty(name)))
    }

    /// Parses a bracketed class whose `[` at `open` has been consumed.
    fn parse_class(&mut self, open: usize) -> Result<Node, PatternError> {
        let negated = self.eat('^');
        let mut class = Class {
            negated,
            ranges: Vec::new(),
            sets: Vec::new(),
        };
        let mut first = true;
        loop {
            match self.peek() {
                None => return Err(self.error_at(open, ErrorKind::UnclosedClass)),
                Some(']') if !first => {
                    self.pos += 1;
                    break;
                }
                _ => {}
            }
            first = false;
            let atom_start = self.pos;
            match self.parse_class_atom(open)? {
                ClassAtom::Set(set, negated) => class.sets.push((set, negated)),
                ClassAtom::Char(lo) => {
                    let is_range =
                        self.peek() == Some('-') && !matches!(self.peek_at(1), None | Some(']'));
                    if !is_range {
                        class.ranges.push((lo, lo));
                        continue;
                    }
                    self.pos += 1;
                    match self.parse_class_atom(open)? {
                        ClassAtom::Char(hi) if hi < lo => {
                            return Err(self.error_at(atom_start, ErrorKind::RangeOutOfOrder));
                        }
                        ClassAtom::Char(hi) => class.ranges.push((lo, hi)),
                        ClassAtom::Set(set, negated) => {
                            // `[a-\d]`: not a range, the `-` is literal.
                            class.ranges.push((lo, lo));
                            class.ranges.push(('-' as u32, '-' as u32));
                            class.sets.push((set, negated));
                        }
                    }
                }
            }
        }
        class.normalize();
        Ok(Node::Class(self.add_class(class)))
    }

    fn parse_class_atom(&mut self, open: usize) -> Result<ClassAtom, PatternError> {
        let start = self.pos;
        match self.bump() {
            None => Err(self.error_at(open, ErrorKind::UnclosedClass)),
            Some('\\') => match self.parse_escape(true)? {
                Escaped::Char(c) => Ok(ClassAtom::Char(c)),
                Escaped::Set(set, negated) => Ok(ClassAtom::Set(set, negated)),
                // parse_escape gives no assertions inside a class.
                Escaped::Assert(_) => Err(self.error_at(start, ErrorKind::UnsupportedEscape('b'))),
            },
            Some('[') => Err(self.error_at(start, ErrorKind::NestedClass)),
            Some('&') if self.peek() == Some('&') => {
                Err(self.error_at(start, ErrorKind::NestedClass))
            }
            Some(c) => Ok(ClassAtom::Char(c as u32)),
        }
    }
}

/// Whether every match of `node` must begin at the start of the value.
fn starts_anchored(node: &Node) -> bool {
    match node {
        Node::Assert(Assertion::Start) => true,
        Node::Concat(items) => {
            for item in items {
                if starts_anchored(item) {
                    return true;
                }
                if !matches!(item, Node::Assert(_) | Node::Look { .. } | Node::Empty) {
                    return false;
                }
            }
            false
        }
        Node::Alt(branches) => branches.iter().all(starts_anchored),
        Node::Repeat { node, min, .. } => *min > 0 && starts_anchored(node),
        _ => false,
    }
}

// ---------------------------------------------------------------------------------------------
// Character classes
// ---------------------------------------------------------------------------------------------

#[derive(Clone, Debug)]
struct Class {
    negated: bool,
    /// Inclusive code point ranges, sorted and merged by `normalize`.
    ranges: Vec<(u32, u32)>,
    /// Named sets, each with a flag for negation (`\D`, `\P{L}`).
    sets: Vec<(Set, bool)>,
}

impl Class {
    fn normalize(&mut self) {
        self.ranges.sort_unstable();
        let mut merged: Vec<(u32, u32)> = Vec::with_capacity(self.ranges.len());
        for &(lo, hi) in &self.ranges {
            match merged.last_mut() {
                Some(last) if lo <= last.1.saturating_add(1) => last.1 = last.1.max(hi),
                _ => merged.push((lo, hi)),
            }
        }
        self.ranges = merged;
    }

    fn matches(&self, c: char) -> bool {
        let code = c as u32;
        let found = self.ranges.iter().any(|&(lo, hi)| lo <= code && code <= hi)
            || self
                .sets
                .iter()
                .any(|&(set, negated)| set.contains(c) != negated);
        found != self.negated
    }
}

/// A named set of characters: an escape such as `\d` or a property such as `\p{L}`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Set {
    Digit,
    Word,
    Space,
    Letter,
    Uppercase,
    Lowercase,
    Number,
    DecimalNumber,
    Separator,
    SpaceSeparator,
    LineSeparator,
    ParagraphSeparator,
    Punctuation,
    ConnectorPunctuation,
    DashPunctuation,
    Symbol,
    Mark,
    Other,
    Control,
    WhiteSpace,
    Ascii,
    PosixLower,
    PosixUpper,
    PosixAlpha,
    PosixDigit,
    PosixAlnum,
    PosixPunct,
    PosixGraph,
    PosixPrint,
    PosixBlank,
    PosixCntrl,
    PosixXDigit,
    PosixSpace,
}

impl Set {
    fn from_name(name: &str) -> Option<Set> {
        let name = name
            .strip_prefix("gc=")
            .or_else(|| name.strip_prefix("General_Category="))
            .unwrap_or(name);
        // Binary properties, then the POSIX classes, which Java spells without `Is`.
        let set = match name {
            "IsAlphabetic" | "Alphabetic" => Set::Letter,
            "IsWhitespace" | "IsWhite_Space" | "White_Space" => Set::WhiteSpace,
            "IsUppercase" | "Uppercase" => Set::Uppercase,
            "IsLowercase" | "Lowercase" => Set::Lowercase,
            "IsDigit" => Set::DecimalNumber,
            "IsLetter" => Set::Letter,
            "IsControl" => Set::Control,
            "IsPunctuation" => Set::Punctuation,
            "ASCII" => Set::Ascii,
            "Lower" => Set::PosixLower,
            "Upper" => Set::PosixUpper,
            "Alpha" => Set::PosixAlpha,
            "Digit" => Set::PosixDigit,
            "Alnum" => Set::PosixAlnum,
            "Punct" => Set::PosixPunct,
            "Graph" => Set::PosixGraph,
            "Print" => Set::PosixPrint,
            "Blank" => Set::PosixBlank,
            "Cntrl" => Set::PosixCntrl,
            "XDigit" => Set::PosixXDigit,
            "Space" => Set::PosixSpace,
            _ => {
                let category = name.strip_prefix("Is").unwrap_or(name);
                match category {
                    "L" | "Letter" => Set::Letter,
                    "Lu" | "Uppercase_Letter" => Set::Uppercase,
                    "Ll" | "Lowercase_Letter" => Set::Lowercase,
                    "N" | "Number" => Set::Number,
                    "Nd" | "Decimal_Number" => Set::DecimalNumber,
                    "Z" | "Separator" => Set::Separator,
                    "Zs" | "Space_Separator" => Set::SpaceSeparator,
                    "Zl" | "Line_Separator" => Set::LineSeparator,
                    "Zp" | "Paragraph_Separator" => Set::ParagraphSeparator,
                    "P" | "Punctuation" => Set::Punctuation,
                    "Pc" | "Connector_Punctuation" => Set::ConnectorPunctuation,
                    "Pd" | "Dash_Punctuation" => Set::DashPunctuation,
                    "S" | "Symbol" => Set::Symbol,
                    "M" | "Mark" => Set::Mark,
                    "C" | "Other" => Set::Other,
                    "Cc" | "Control" => Set::Control,
                    _ => return None,
                }
            }
        };
        Some(set)
    }

    fn contains(self, c: char) -> bool {
        let code = c as u32;
        match self {
            Set::Digit => c.is_ascii_digit(),
            Set::Word => c.is_ascii_alphanumeric() || c == '_',
            Set::Space => is_ecma_space(c),
            Set::Letter => c.is_alphabetic(),
            Set::Uppercase => c.is_uppercase(),
            Set::Lowercase => c.is_lowercase(),
            Set::Number => c.is_numeric(),
            Set::DecimalNumber => {
                if code <= 0xFF {
                    c.is_ascii_digit()
                } else {
                    c.is_numeric()
                }
            }
            Set::Separator => is_space_separator(c) || code == 0x2028 || code == 0x2029,
            Set::SpaceSeparator => is_space_separator(c),
            Set::LineSeparator => code == 0x2028,
            Set::ParagraphSeparator => code == 0x2029,
            Set::Punctuation => match classify_other(c) {
                Some(Kind::Punctuation | Kind::Unknown) => true,
                Some(_) | None => false,
            },
            Set::ConnectorPunctuation => in_table(CONNECTOR_PUNCTUATION, code),
            Set::DashPunctuation => in_table(DASH_PUNCTUATION, code),
            Set::Symbol => match classify_other(c) {
                Some(Kind::Symbol | Kind::Unknown) => true,
                Some(_) | None => false,
            },
            Set::Mark => match classify_other(c) {
                Some(Kind::Mark | Kind::Unknown) => true,
                Some(_) | None => false,
            },
            Set::Other => c.is_control() || in_table(FORMAT, code) || in_table(PRIVATE_USE, code),
            Set::Control => c.is_control(),
            Set::WhiteSpace => c.is_whitespace(),
            Set::Ascii => c.is_ascii(),
            Set::PosixLower => c.is_ascii_lowercase(),
            Set::PosixUpper => c.is_ascii_uppercase(),
            Set::PosixAlpha => c.is_ascii_alphabetic(),
            Set::PosixDigit => c.is_ascii_digit(),
            Set::PosixAlnum => c.is_ascii_alphanumeric(),
            Set::PosixPunct => c.is_ascii_punctuation(),
            Set::PosixGraph => c.is_ascii_graphic(),
            Set::PosixPrint => c.is_ascii_graphic() || c == ' ',
            Set::PosixBlank => c == ' ' || c == '\t',
            Set::PosixCntrl => c.is_ascii_control(),
            Set::PosixXDigit => c.is_ascii_hexdigit(),
            Set::PosixSpace => matches!(c, ' ' | '\t' | '\n' | '\x0B' | '\x0C' | '\r'),
        }
    }
}

/// ECMAScript `\s`: WhiteSpace and LineTerminator.
fn is_ecma_space(c: char) -> bool {
    matches!(
        c,
        '\t' | '\n' | '\x0B' | '\x0C' | '\r' | '\u{2028}' | '\u{2029}' | '\u{FEFF}'
    ) || is_space_separator(c)
}

/// The general category `Zs`, exactly.
fn is_space_separator(c: char) -> bool {
    matches!(
        c,
        ' ' | '\u{A0}' | '\u{1680}' | '\u{2000}'
            ..='\u{200A}' | '\u{202F}' | '\u{205F}' | '\u{3000}'
    )
}

/// Which of the categories P, S and M a character that is not a letter, number, separator
/// or other (`C`) belongs to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    Punctuation,
    Symbol,
    Mark,
    /// Not a letter, number, separator or known other, in no block we know: any of P, S, M.
    Unknown,
}

/// Classifies a character into P, S or M; `None` when it is a letter, number, separator
/// or other (`C`).
fn classify_other(c: char) -> Option<Kind> {
    let code = c as u32;
    if code <= 0xFF {
        // Latin-1, exactly.
        return if c.is_ascii_punctuation() {
            Some(if "$+<=>^`|~".contains(c) {
                Kind::Symbol
            } else {
                Kind::Punctuation
            })
        } else {
            match code {
                0xA1 | 0xA7 | 0xAB | 0xB6 | 0xB7 | 0xBB | 0xBF => Some(Kind::Punctuation),
                0xA2..=0xA6 | 0xA8 | 0xA9 | 0xAC | 0xAE..=0xB1 | 0xB4 | 0xB8 | 0xD7 | 0xF7 => {
                    Some(Kind::Symbol)
                }
                _ => None,
            }
        };
    }
    if in_table(MARK, code) {
        return Some(Kind::Mark);
    }
    if c.is_alphanumeric()
        || c.is_whitespace()
        || c.is_control()
        || is_space_separator(c)
        || in_table(FORMAT, code)
        || in_table(PRIVATE_USE, code)
    {
        return None;
    }
    if in_table(PUNCTUATION_BLOCKS, code) {
        Some(Kind::Punctuation)
    } else if in_table(SYMBOL_BLOCKS, code) {
        Some(Kind::Symbol)
    } else {
        Some(Kind::Unknown)
    }
}

/// Whether `code` is in one of the sorted, disjoint inclusive ranges of `table`.
fn in_table(table: &[(u32, u32)], code: u32) -> bool {
    table
        .binary_search_by(|&(lo, hi)| {
            if hi < code {
                std::cmp::Ordering::Less
            } else if lo > code {
                std::cmp::Ordering::Greater
            } else {
                std::cmp::Ordering::Equal
            }
        })
        .is_ok()
}

/// The general category `Pc`.
const CONNECTOR_PUNCTUATION: &[(u32, u32)] = &[
    (0x5F, 0x5F),
    (0x203F, 0x2040),
    (0x2054, 0x2054),
    (0xFE33, 0xFE34),
    (0xFE4D, 0xFE4F),
    (0xFF3F, 0xFF3F),
];

/// The general category `Pd`.
const DASH_PUNCTUATION: &[(u32, u32)] = &[
    (0x2D, 0x2D),
    (0x58A, 0x58A),
    (0x5BE, 0x5BE),
    (0x1400, 0x1400),
    (0x1806, 0x1806),
    (0x2010, 0x2015),
    (0x2E17, 0x2E17),
    (0x2E1A, 0x2E1A),
    (0x2E3A, 0x2E3B),
    (0x2E40, 0x2E40),
    (0x2E5D, 0x2E5D),
    (0x301C, 0x301C),
    (0x3030, 0x3030),
    (0x30A0, 0x30A0),
    (0xFE31, 0xFE32),
    (0xFE58, 0xFE58),
    (0xFE63, 0xFE63),
    (0xFF0D, 0xFF0D),
    (0x10EAD, 0x10EAD),
];

/// Format characters (`Cf`), most of them.
const FORMAT: &[(u32, u32)] = &[
    (0xAD, 0xAD),
    (0x600, 0x605),
    (0x61C, 0x61C),
    (0x6DD, 0x6DD),
    (0x70F, 0x70F),
    (0x890, 0x891),
    (0x8E2, 0x8E2),
    (0x180E, 0x180E),
    (0x200B, 0x200F),
    (0x202A, 0x202E),
    (0x2060, 0x2064),
    (0x2066, 0x206F),
    (0xFEFF, 0xFEFF),
    (0xFFF9, 0xFFFB),
    (0x110BD, 0x110BD),
    (0x110CD, 0x110CD),
    (0x13430, 0x1343F),
    (0x1BCA0, 0x1BCA3),
    (0x1D173, 0x1D17A),
    (0xE0001, 0xE0001),
    (0xE0020, 0xE007F),
];

/// The private-use areas (`Co`).
const PRIVATE_USE: &[(u32, u32)] = &[(0xE000, 0xF8FF), (0xF0000, 0xFFFFD), (0x100000, 0x10FFFD)];

/// Blocks of combining marks (`M`) outside Latin-1.
const MARK: &[(u32, u32)] = &[
    (0x300, 0x36F),
    (0x483, 0x489),
    (0x591, 0x5BD),
    (0x5BF, 0x5BF),
    (0x5C1, 0x5C2),
    (0x5C4, 0x5C5),
    (0x5C7, 0x5C7),
    (0x610, 0x61A),
    (0x64B, 0x65F),
    (0x670, 0x670),
    (0x6D6, 0x6DC),
    (0x6DF, 0x6E4),
    (0x6E7, 0x6E8),
    (0x6EA, 0x6ED),
    (0x1AB0, 0x1AFF),
    (0x1DC0, 0x1DFF),
    (0x20D0, 0x20FF),
    (0x302A, 0x302F),
    (0x3099, 0x309A),
    (0xFE00, 0xFE0F),
    (0xFE20, 0xFE2F),
    (0xE0100, 0xE01EF),
];

/// Blocks of punctuation (`P`) outside Latin-1; a few symbols in them are misfiled.
const PUNCTUATION_BLOCKS: &[(u32, u32)] = &[
    (0x37E, 0x37E),
    (0x387, 0x387),
    (0x55A, 0x55F),
    (0x589, 0x58A),
    (0x5BE, 0x5BE),
    (0x5C0, 0x5C0),
    (0x5C3, 0x5C3),
    (0x5C6, 0x5C6),
    (0x5F3, 0x5F4),
    (0x609, 0x60A),
    (0x60C, 0x60D),
    (0x61B, 0x61B),
    (0x61D, 0x61F),
    (0x66A, 0x66D),
    (0x6D4, 0x6D4),
    (0x964, 0x965),
    (0x970, 0x970),
    (0xE4F, 0xE4F),
    (0xE5A, 0xE5B),
    (0x2010, 0x2027),
    (0x2030, 0x2043),
    (0x2045, 0x2051),
    (0x2053, 0x205E),
    (0x207D, 0x207E),
    (0x208D, 0x208E),
    (0x2308, 0x230B),
    (0x2329, 0x232A),
    (0x2768, 0x2775),
    (0x27C5, 0x27C6),
    (0x27E6, 0x27EF),
    (0x2983, 0x2998),
    (0x29D8, 0x29DB),
    (0x29FC, 0x29FD),
    (0x2CF9, 0x2CFC),
    (0x2CFE, 0x2CFF),
    (0x2E00, 0x2E7F),
    (0x3001, 0x3003),
    (0x3008, 0x3011),
    (0x3014, 0x301F),
    (0x3030, 0x3030),
    (0x303D, 0x303D),
    (0x30A0, 0x30A0),
    (0x30FB, 0x30FB),
    (0xFD3E, 0xFD3F),
    (0xFE10, 0xFE19),
    (0xFE30, 0xFE52),
    (0xFE54, 0xFE61),
    (0xFE63, 0xFE63),
    (0xFE68, 0xFE68),
    (0xFE6A, 0xFE6B),
    (0xFF01, 0xFF03),
    (0xFF05, 0xFF0A),
    (0xFF0C, 0xFF0F),
    (0xFF1A, 0xFF1B),
    (0xFF1F, 0xFF20),
    (0xFF3B, 0xFF3D),
    (0xFF3F, 0xFF3F),
    (0xFF5B, 0xFF5B),
    (0xFF5D, 0xFF5D),
    (0xFF5F, 0xFF65),
];

/// Blocks of symbols (`S`) outside Latin-1.
const SYMBOL_BLOCKS: &[(u32, u32)] = &[
    (0x2C2, 0x2C5),
    (0x2D2, 0x2DF),
    (0x2E5, 0x2EB),
    (0x2ED, 0x2ED),
    (0x2EF, 0x2FF),
    (0x375, 0x375),
    (0x384, 0x385),
    (0x3F6, 0x3F6),
    (0x482, 0x482),
    (0x58D, 0x58F),
    (0x606, 0x608),
    (0x60B, 0x60B),
    (0x60E, 0x60F),
    (0x6DE, 0x6DE),
    (0x6E9, 0x6E9),
    (0x6FD, 0x6FE),
    (0xE3F, 0xE3F),
    (0x2044, 0x2044),
    (0x2052, 0x2052),
    (0x207A, 0x207C),
    (0x208A, 0x208C),
    (0x20A0, 0x20CF),
    (0x2100, 0x214F),
    (0x2190, 0x2307),
    (0x230C, 0x2328),
    (0x232B, 0x2767),
    (0x2794, 0x27C4),
    (0x27C7, 0x27E5),
    (0x27F0, 0x2982),
    (0x2999, 0x29D7),
    (0x29DC, 0x29FB),
    (0x29FE, 0x2BFF),
    (0x2CE5, 0x2CEA),
    (0x2E80, 0x2FFF),
    (0x3004, 0x3004),
    (0x3012, 0x3013),
    (0x3020, 0x3020),
    (0x3036, 0x3037),
    (0x303E, 0x303F),
    (0x309B, 0x309C),
    (0x3190, 0x3191),
    (0x3196, 0x319F),
    (0x31C0, 0x31EF),
    (0x3200, 0x33FF),
    (0x4DC0, 0x4DFF),
    (0xA490, 0xA4C6),
    (0xA700, 0xA716),
    (0xA720, 0xA721),
    (0xA789, 0xA78A),
    (0xFB29, 0xFB29),
    (0xFDFC, 0xFDFF),
    (0xFE62, 0xFE62),
    (0xFE64, 0xFE66),
    (0xFE69, 0xFE69),
    (0xFF04, 0xFF04),
    (0xFF0B, 0xFF0B),
    (0xFF1C, 0xFF1E),
    (0xFF3E, 0xFF3E),
    (0xFF40, 0xFF40),
    (0xFF5C, 0xFF5C),
    (0xFF5E, 0xFF5E),
    (0xFFE0, 0xFFEE),
    (0xFFFC, 0xFFFD),
    (0x1D000, 0x1D24F),
    (0x1F000, 0x1FAFF),
];

// ---------------------------------------------------------------------------------------------
// Compiler
// ---------------------------------------------------------------------------------------------

#[derive(Clone, Copy, Debug)]
enum Inst {
    /// Consume this code point.
    Char(u32),
    /// Consume a character of this class.
    Class(usize),
    /// Continue at both targets.
    Split(usize, usize),
    Jmp(usize),
    Assert(Assertion),
    /// Continue if the lookahead program matches here (or, if `negate`, does not).
    Look {
        negate: bool,
        program: usize,
    },
    Match,
}

struct Compiler {
    programs: Vec<Vec<Inst>>,
    total: usize,
}

impl Compiler {
    fn emit(&mut self, program: &mut Vec<Inst>, inst: Inst) -> Result<usize, ErrorKind> {
        if self.total >= MAX_INSTS {
            return Err(ErrorKind::TooLarge);
        }
        self.total += 1;
        program.push(inst);
        Ok(program.len() - 1)
    }

    fn compile(&mut self, program: &mut Vec<Inst>, node: &Node) -> Result<(), ErrorKind> {
        match node {
            Node::Empty => {}
            Node::Literal(c) => {
                self.emit(program, Inst::Char(*c))?;
            }
            Node::Class(index) => {
                self.emit(program, Inst::Class(*index))?;
            }
            Node::Concat(items) => {
                for item in items {
                    self.compile(program, item)?;
                }
            }
            Node::Alt(branches) => {
                let mut jumps = Vec::new();
                let (last, rest) = branches.split_last().ok_or(ErrorKind::TooLarge)?;
                for branch in rest {
                    let split = self.emit(program, Inst::Split(0, 0))?;
                    self.compile(program, branch)?;
                    jumps.push(self.emit(program, Inst::Jmp(0))?);
                    program[split] = Inst::Split(split + 1, program.len());
                }
                self.compile(program, last)?;
                let end = program.len();
                for jump in jumps {
                    program[jump] = Inst::Jmp(end);
                }
            }
            Node::Repeat { node, min, max } => {
                for _ in 0..*min {
                    self.compile(program, node)?;
                }
                match max {
                    None => {
                        let split = self.emit(program, Inst::Split(0, 0))?;
                        self.compile(program, node)?;
                        self.emit(program, Inst::Jmp(split))?;
                        program[split] = Inst::Split(split + 1, program.len());
                    }
                    Some(max) => {
                        // (e(e(e)?)?)?: every skip jumps to the end.
                        let mut splits = Vec::new();
                        for _ in *min..*max {
                            splits.push(self.emit(program, Inst::Split(0, 0))?);
                            self.compile(program, node)?;
                        }
                        let end = program.len();
                        for split in splits {
                            program[split] = Inst::Split(split + 1, end);
                        }
                    }
                }
            }
            Node::Assert(assertion) => {
                self.emit(program, Inst::Assert(*assertion))?;
            }
            Node::Look { negate, node } => {
                let mut sub = Vec::new();
                self.compile(&mut sub, node)?;
                self.emit(&mut sub, Inst::Match)?;
                self.programs.push(sub);
                let index = self.programs.len() - 1;
                self.emit(
                    program,
                    Inst::Look {
                        negate: *negate,
                        program: index,
                    },
                )?;
            }
        }
        Ok(())
    }
}

// ---------------------------------------------------------------------------------------------
// Matcher (Pike VM)
// ---------------------------------------------------------------------------------------------

/// A set of program counters with constant-time insert, membership and clear.
struct SparseSet {
    dense: Vec<usize>,
    sparse: Vec<usize>,
}

impl SparseSet {
    fn new(capacity: usize) -> SparseSet {
        SparseSet {
            dense: Vec::with_capacity(capacity),
            sparse: vec![0; capacity],
        }
    }

    /// Inserts `value`; false if it was already there.
    fn insert(&mut self, value: usize) -> bool {
        let slot = self.sparse[value];
        if slot < self.dense.len() && self.dense[slot] == value {
            return false;
        }
        self.sparse[value] = self.dense.len();
        self.dense.push(value);
        true
    }

    fn clear(&mut self) {
        self.dense.clear();
    }
}

/// One matching of a pattern against one value.
struct Exec<'p, 't> {
    pattern: &'p Pattern,
    text: &'t [char],
    /// Per program, per position: 0 not yet evaluated, 1 no match, 2 match.
    memo: Vec<Vec<u8>>,
}

impl Exec<'_, '_> {
    /// Runs program `index` from position `from`, either only from there (`anchored`) or
    /// from every later position too; true as soon as any thread reaches `Match`.
    fn run(&mut self, index: usize, from: usize, anchored: bool) -> bool {
        let pattern = self.pattern;
        let program = &pattern.programs[index];
        let mut current = SparseSet::new(program.len());
        let mut next = SparseSet::new(program.len());
        let mut stack = Vec::new();
        let mut pos = from;
        loop {
            if (!anchored || pos == from) && self.add(program, &mut current, &mut stack, 0, pos) {
                return true;
            }
            if current.dense.is_empty() && anchored {
                return false;
            }
            let Some(&c) = self.text.get(pos) else {
                return false;
            };
            for i in 0..current.dense.len() {
                let pc = current.dense[i];
                let advance = match program[pc] {
                    Inst::Char(expected) => c as u32 == expected,
                    Inst::Class(class) => pattern.classes[class].matches(c),
                    _ => false,
                };
                if advance && self.add(program, &mut next, &mut stack, pc + 1, pos + 1) {
                    return true;
                }
            }
            std::mem::swap(&mut current, &mut next);
            next.clear();
            pos += 1;
        }
    }

    /// Adds the thread at `pc` and everything reachable from it without consuming input;
    /// true if that reaches `Match`.
    fn add(
        &mut self,
        program: &[Inst],
        set: &mut SparseSet,
        stack: &mut Vec<usize>,
        pc: usize,
        pos: usize,
    ) -> bool {
        stack.clear();
        stack.push(pc);
        while let Some(pc) = stack.pop() {
            if !set.insert(pc) {
                continue;
            }
            match program[pc] {
                Inst::Match => return true,
                Inst::Char(_) | Inst::Class(_) => {}
                Inst::Jmp(target) => stack.push(target),
                Inst::Split(first, second) => {
                    stack.push(second);
                    stack.push(first);
                }
                Inst::Assert(assertion) => {
                    if self.check(assertion, pos) {
                        stack.push(pc + 1);
                    }
                }
                Inst::Look { negate, program } => {
                    if self.look(program, pos) != negate {
                        stack.push(pc + 1);
                    }
                }
            }
        }
        false
    }

    fn check(&self, assertion: Assertion, pos: usize) -> bool {
        let is_word = |c: Option<&char>| c.is_some_and(|&c| c.is_ascii_alphanumeric() || c == '_');
        match assertion {
            Assertion::Start => pos == 0,
            Assertion::End => pos == self.text.len(),
            Assertion::WordBoundary | Assertion::NotWordBoundary => {
                let before = pos.checked_sub(1).and_then(|i| self.text.get(i));
                let boundary = is_word(before) != is_word(self.text.get(pos));
                boundary == (assertion == Assertion::WordBoundary)
            }
        }
    }

    /// Whether lookahead program `index` matches at `pos`, remembered per position.
    fn look(&mut self, index: usize, pos: usize) -> bool {
        if self.memo[index].is_empty() {
            self.memo[index] = vec![0; self.text.len() + 1];
        }
        match self.memo[index][pos] {
            1 => false,
            2 => true,
            _ => {
                let found = self.run(index, pos, true);
                self.memo[index][pos] = if found { 2 } else { 1 };
                found
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Compiles `source`, panicking with the error if it is not supported.
    fn pattern(source: &str) -> Pattern {
        match Pattern::new(source) {
            Ok(pattern) => pattern,
            Err(err) => panic!("{source:?}: {err}"),
        }
    }

    /// Asserts that `source` matches every value in `yes` and none in `no`.
    fn check(source: &str, yes: &[&str], no: &[&str]) {
        let pattern = pattern(source);
        for value in yes {
            assert!(pattern.is_match(value), "{source:?} should match {value:?}");
        }
        for value in no {
            assert!(
                !pattern.is_match(value),
                "{source:?} should not match {value:?}"
            );
        }
    }

    fn rejects(source: &str) -> PatternError {
        match Pattern::new(source) {
            Ok(_) => panic!("{source:?} should be rejected"),
            Err(err) => err,
        }
    }

    #[test]
    fn literals_use_search_semantics() {
        check("b", &["b", "abc", "bbb"], &["", "a", "ac", "B"]);
        check("abc", &["abc", "xxabcxx"], &["ab", "acb", "a bc"]);
        check("", &["", "anything"], &[]);
        check("é中😀", &["xé中😀y"], &["é中", "😀"]);
    }

    #[test]
    fn dot_matches_anything_but_line_terminators() {
        check(
            "^.$",
            &["a", " ", "\t", "é", "😀", "\0"],
            &["", "ab", "\n", "\r"],
        );
        check("^.$", &[], &["\u{2028}", "\u{2029}"]);
        check("a.c", &["abc", "a.c", "a c"], &["ac", "a\nc", "a\rc"]);
    }

    #[test]
    fn class_escapes() {
        check(r"^\d+$", &["0", "0123456789"], &["", "a", "١", "1a"]);
        check(r"^\D$", &["a", "-", " "], &["5"]);
        check(r"^\w+$", &["abc_XYZ_09"], &["a-b", "é", " "]);
        check(r"^\W$", &["-", "é", " "], &["a", "_", "7"]);
        check(
            r"^\s+$",
            &[
                " ",
                "\t\n\r\x0B\x0C",
                "\u{A0}\u{2003}\u{3000}\u{FEFF}\u{2028}",
            ],
            &["", "a", " a"],
        );
        check(r"^\S+$", &["abc", "é"], &["a b", "\t", "\u{A0}"]);
        check(r".*\S.*", &["  x  ", "x"], &["", "   ", "\t\n"]);
        check(r"^[\s\S]*$", &["", "anything\nat all\r\n😀"], &[]);
    }

    #[test]
    fn character_escapes() {
        check(r"^\t\n\r\f\v$", &["\t\n\r\x0C\x0B"], &["tnrfv"]);
        check(r"^a\0b$", &["a\0b"], &["a0b", "ab"]);
        check(r"^\x41\x7e$", &["A~"], &["x41"]);
        check(r"^\u00e9\u4E2D$", &["é中"], &["e中"]);
        check(r"^\u{1F600}\x{60}$", &["😀`"], &["u"]);
        check(r"^\cJ\cm$", &["\n\r"], &["cJcm"]);
        check(
            r"^\.\-\/\\\[\]\(\)\{\}\*\+\?\|\^\$\ $",
            &[r".-/\[](){}*+?|^$ "],
            &["a-/\\[](){}*+?|^$ "],
        );
        check(r"^\é$", &["é"], &["\\é"]);
    }

    #[test]
    fn surrogate_pairs_denote_one_character() {
        check(r"^\uD83D\uDE00$", &["😀"], &["", "\u{1F601}"]);
        check(
            r"^[\uD800\uDC00-\uDBFF\uDFFF]+$",
            &["😀", "\u{10000}\u{10FFFF}"],
            &["a", "\u{FFFF}", "😀a"],
        );
        // A lone surrogate can never match.
        check(r"\uD800", &[], &["", "\u{10000}", "a"]);
        check(r"^[\uD800a]$", &["a"], &["\u{10000}"]);
        check(r"^[\uD800-\uDFFF]$", &[], &["\u{D7FF}", "\u{E000}", "😀"]);
        // The XML character range, as written in models.
        check(
            r"^[\u0020-\uD7FF\uE000-\uFFFD\uD800\uDC00-\uDBFF\uDFFF\r\n\t]*$",
            &["", "plain text\n\tok", "\u{E000}\u{FFFD}😀"],
            &["\u{0}", "\u{1F}", "\u{FFFE}", "a\u{FFFF}"],
        );
    }

    #[test]
    fn unicode_properties() {
        check(r"^\p{L}+$", &["abcÉ", "中文", "Ж"], &["1", "_", " ", "😀"]);
        check(r"^\pL$", &["a"], &["1"]);
        check(r"^\p{Lu}$", &["A", "É", "Ж"], &["a", "1", "中"]);
        check(r"^\p{Ll}$", &["a", "é", "ж"], &["A", "1"]);
        check(r"^\p{N}+$", &["123", "١٢٣", "½", "Ⅻ", "²"], &["a", "-"]);
        check(r"^\p{Nd}+$", &["123", "١٢٣"], &["²", "½", "a"]);
        check(
            r"^\p{Z}+$",
            &[" ", "\u{A0}", "\u{3000}", "\u{2028}", "\u{2029}"],
            &["\t", "\n", "a", "\u{FEFF}"],
        );
        check(r"^\p{Zs}$", &[" ", "\u{2009}"], &["\u{2028}", "\t"]);
        check(
            r"^\p{P}+$",
            &["!\"#%&'()*,-./:;?@[\\]_{}", "¡§«¿", "—“”…", "。、"],
            &["$", "+", "<", "a", "1", " ", "©"],
        );
        check(r"^\p{Pd}$", &["-", "—", "–"], &["_", "."]);
        check(r"^\p{Pc}$", &["_", "‿"], &["-"]);
        check(
            r"^\p{S}+$",
            &["$+<=>^`|~", "¢£©®±×÷", "€→∑😀"],
            &["!", "a", "1", " ", "—"],
        );
        check(
            r"^\p{M}$",
            &["\u{301}", "\u{20DD}", "\u{FE0F}"],
            &["a", "!"],
        );
        check(
            r"^\p{C}$",
            &["\0", "\u{7F}", "\u{200B}", "\u{E000}"],
            &["a", " "],
        );
        check(r"^\p{Cc}$", &["\0", "\n", "\u{9F}"], &["\u{200B}", "a"]);
        check(r"^\P{L}+$", &["123 !"], &["a", "1a"]);
        check(
            r"^\P{C}*$",
            &["", "normal text é 😀"],
            &["a\u{0}b", "tab\t"],
        );
        check(r"^\P{M}$", &["a"], &["\u{301}"]);
        check(r"^\p{IsAlphabetic}+$", &["abc", "中"], &["1"]);
        check(r"^\p{IsWhitespace}$", &[" ", "\t", "\u{85}"], &["a"]);
        check(r"^\p{IsL}\p{IsLu}$", &["aB"], &["ab"]);
        check(r"^\p{Letter}\p{gc=N}$", &["a1"], &["11"]);
    }

    #[test]
    fn posix_properties_are_ascii() {
        check(r"^\p{Alpha}+$", &["abcXYZ"], &["é", "1"]);
        check(r"^\p{Alnum}+$", &["abc123"], &["é", "_"]);
        check(r"^\p{Digit}\p{XDigit}$", &["0f", "9A"], &["0g", "a0"]);
        check(r"^\p{Upper}\p{Lower}$", &["Ab"], &["aB", "Éé"]);
        check(r"^\p{Punct}+$", &["!$+-_~"], &["a", "—"]);
        check(r"^\p{ASCII}+$", &["\0 ~\u{7F}"], &["é"]);
        check(r"^\p{Graph}+$", &["a!~"], &[" ", "é"]);
        check(r"^\p{Print}+$", &["a b!"], &["\t", "é"]);
        check(r"^\p{Blank}+$", &[" \t"], &["\n"]);
        check(r"^\p{Cntrl}+$", &["\0\u{1F}\u{7F}"], &[" ", "\u{85}"]);
        check(r"^\p{Space}+$", &[" \t\n\x0B\x0C\r"], &["\u{A0}"]);
    }

    #[test]
    fn bracketed_classes() {
        check("^[abc]$", &["a", "b", "c"], &["d", "", "ab"]);
        check("^[a-cx-z]+$", &["abcxyz"], &["d", "w"]);
        check("^[^a-c]$", &["d", "é", "\n"], &["a", "c", ""]);
        check("^[-a]+$", &["-a-"], &["b"]);
        check("^[a-]+$", &["-a-"], &["b"]);
        check("^[^-]$", &["a"], &["-"]);
        check("^[]a]+$", &["]a]"], &["b"]);
        check("^[^]a]$", &["b"], &["]", "a"]);
        check(r"^[\]\[\\\-]+$", &[r"][\-"], &["a"]);
        check(r"^[\w.-]+$", &["a.b-c_d"], &["a b"]);
        check(r"^[\w-.]+$", &["a.b-c_d"], &["a b", "a,b"]);
        check(r"^[\d\s]+$", &["1 2\t3"], &["a"]);
        check(r"^[^\d\s]+$", &["abc"], &["a1", "a b"]);
        check(r"^[\D]$", &["a"], &["1"]);
        check(r"^[^\D]$", &["1"], &["a"]);
        check(r"^[\p{L}\p{N}]+$", &["abc123中"], &["a-b"]);
        check(r"^[^\p{L}]+$", &["123"], &["a"]);
        check(r"^[\P{L}]$", &["1"], &["a"]);
        check(r"^[\b]$", &["\u{8}"], &["b"]);
        check(r"^[\x41-\x43]+$", &["ABC"], &["D"]);
        check(r"^[.]$", &["."], &["a"]);
        check(r"^[$^*+?(){}|]+$", &["$^*+?(){}|"], &["a"]);
        check("^[a-a]$", &["a"], &["b"]);
        // `+-=` is a range, as written in a real model.
        check(r"^[+-=]+$", &["+,-./09:;<="], &["a", ">"]);
        check(r"^[--/]+$", &["-./"], &[","]);
        check(r"^[a-\d]+$", &["a-5"], &["b"]);
    }

    #[test]
    fn groups_and_alternation() {
        check("^(ab)+$", &["ab", "abab"], &["", "aba"]);
        check("^(?:ab|cd)+$", &["abcd", "cdab"], &["ac"]);
        check("^(?<name>x|y)z$", &["xz", "yz"], &["zz"]);
        check("^(a|b|c)$", &["a", "b", "c"], &["d", "ab"]);
        check("^(|a)$", &["", "a"], &["b"]);
        check("^(a|)$", &["", "a"], &["b"]);
        check("^a||b$", &["xyz"], &[]);
        check("cat|dog", &["hotdog", "catalog"], &["cow"]);
        check("^((a)(b(c)))$", &["abc"], &["ab"]);
        check("^()$", &[""], &["a"]);
        check("(arn:(aws[a-zA-Z-]*)?:[a-z0-9-.]+:.*)|()", &["", "x"], &[]);
    }

    #[test]
    fn quantifiers() {
        check("^a*$", &["", "a", "aaaa"], &["b", "ab"]);
        check("^a+$", &["a", "aaa"], &["", "b"]);
        check("^a?$", &["", "a"], &["aa"]);
        check("^a{3}$", &["aaa"], &["aa", "aaaa"]);
        check("^a{2,}$", &["aa", "aaaaaaa"], &["a"]);
        check("^a{2,4}$", &["aa", "aaa", "aaaa"], &["a", "aaaaa"]);
        check("^a{0}b$", &["b"], &["ab"]);
        check("^a{0,0}b$", &["b"], &["ab"]);
        check("^a{0,2}$", &["", "a", "aa"], &["aaa"]);
        check("^(ab){2}$", &["abab"], &["ab", "ababab"]);
        check("^a*?$", &["", "aaa"], &["b"]);
        check(
            "^a+?b??c{1,2}?d{2}?e{1,}?$",
            &["acdde", "aabccddee"],
            &["abcde"],
        );
        check("^(a*)*b$", &["b", "aab"], &["aa"]);
        check("^(a?){3}a{3}$", &["aaa", "aaaaaa"], &["aa", "aaaaaaa"]);
        check(
            r"^\d+(\.\d+)?$",
            &["1", "12.5", "0.001"],
            &["1.", ".5", "1.2.3", "a"],
        );
    }

    #[test]
    fn literal_braces_and_brackets() {
        check("^a{$", &["a{"], &["a"]);
        check("^{}$", &["{}"], &["{"]);
        check("^a{x}$", &["a{x}"], &["ax"]);
        check("^a}]$", &["a}]"], &["a"]);
        check(r"^\{\d+\}$", &["{12}"], &["12"]);
    }

    #[test]
    fn anchors() {
        check("^abc", &["abc", "abcdef"], &["xabc"]);
        check("abc$", &["abc", "xabc"], &["abcx", "abc\n"]);
        check("^$", &[""], &["a", "\n"]);
        check(r"\Aab\z", &["ab"], &["xab", "abx"]);
        check("a^b", &[], &["ab", "a^b"]);
        check("(^a|b)c", &["ac", "xbc"], &["xac"]);
        check("^a|b$", &["ax", "xb"], &["xa", "bx"]);
    }

    #[test]
    fn word_boundaries() {
        check(
            r"\bcat\b",
            &["cat", "a cat.", "(cat)"],
            &["concat", "cats", "cat_"],
        );
        check(r"\Bcat\B", &["concatenate"], &["cat", "a cat"]);
        check(r"^\b$", &[], &[""]);
        check(r"^\B$", &[""], &[]);
        check(r"\bé", &[], &["é"]);
    }

    #[test]
    fn lookaheads() {
        check("^(?!aws:)[a-z:]+$", &["foo:bar", "aw:s"], &["aws:foo", ""]);
        check(
            "^(?=.*[0-9])(?=.*[a-z])[a-z0-9]{4,}$",
            &["abc1", "1abc"],
            &["abcd", "1234", "a1"],
        );
        check("a(?=b)", &["ab", "cab"], &["a", "ac"]);
        check("a(?!b)", &["a", "ac", "aba"], &["ab"]);
        check("^(?=(?!x)).", &["a"], &["x"]);
        check("^(?=a(?=b))ab$", &["ab"], &["ac"]);
        check(
            "(?!rule-)(?![-])(?!.*[-]$)(?!.*[-]{2})[a-z0-9-]+",
            &["my-rule", "rule"],
            &[""],
        );
        check(
            "^(?!rule-)(?![-])(?!.*[-]$)(?!.*[-]{2})[a-z0-9-]+$",
            &["my-rule"],
            &["rule-a", "-a", "a-", "a--b"],
        );
        check("(?=.{1,5}$)x", &["abcx", "x", "abcdex"], &["xabcde", ""]);
        check("^(?=.{1,5}$)x", &["x", "xabcd"], &["xabcde", "ax"]);
        check("^(?!\\s)[\\s\\S]*$", &["a ", ""], &[" a"]);
    }

    #[test]
    fn example_model_patterns() {
        check(
            r"[\w-]+:[0-9a-f-]+",
            &["us-east-1:0c2f7fa0-0000-4000-8000-000000000000", "a:0"],
            &["us-east-1", "us-east-1:", ":abc", "x:XYZ"],
        );
        check(
            r"[a-zA-Z0-9_.:-]+",
            &["my_dataset:1.0", "  a  "],
            &["", " ", "!!!"],
        );
        check(
            r"arn:aws:iam::\d+:role/.*",
            &["arn:aws:iam::123456789012:role/x", "arn:aws:iam::1:role/"],
            &["arn:aws:iam::role/x", "arn:aws:iam::12a:user/x"],
        );
        check(
            r"arn:aws:sns:[-0-9a-z]+:\d+:app/[A-Z_]+/[a-zA-Z0-9_.-]+",
            &["arn:aws:sns:us-east-1:123456789012:app/GCM/my-app"],
            &[
                "arn:aws:sns:us-east-1:123456789012:app/gcm/my-app",
                "arn:aws:sns::1:app/GCM/a",
            ],
        );
        check(
            r"^[a-zA-Z0-9-]{1,63}$",
            &["a", "my-bucket-1", &"a".repeat(63)],
            &["", &"a".repeat(64), "my_bucket", " a"],
        );
        check(
            r"^arn:aws[a-zA-Z-]*:iam::\d{12}:role/.+$",
            &[
                "arn:aws:iam::123456789012:role/x",
                "arn:aws-cn:iam::123456789012:role/a/b",
            ],
            &[
                "arn:aws:iam::12345678901:role/x",
                "arn:aws:iam::123456789012:role/",
                "xarn:aws:iam::123456789012:role/x",
                "arn:aws:iam::123456789012:role/x\n",
            ],
        );
        check(
            r"[\p{L}\p{Z}\p{N}_.:/=+\-@]*",
            &["", "anything", "!!!"],
            &[],
        );
        check(
            r"^([\p{L}\p{Z}\p{N}_.:/=+\-@]*)$",
            &["", "Project: Alpha/Beta = 1+2 @team_x-y", "Größe 中文 ١٢"],
            &["a!b", "tab\there", "a,b", "semi;"],
        );
        check(
            r"^(?!aws:)[a-zA-Z+-=._:/]+$",
            &["Name", "my:key", "k=v", "0123"],
            &["aws:createdBy", "", "a b", "a@b", "a>b"],
        );
        check(
            r"[\u0020-\uD7FF\uE000-\uFFFD\uD800\uDC00-\uDBFF\uDFFF\r\n\t]*",
            &["", "\u{0}"],
            &[],
        );
        check(r"^[\s\S]*$", &["", "x\ny", "\u{0}"], &[]);
        check(
            r"(arn:(aws[a-zA-Z-]*)?:[a-z0-9-.]+:.*)|()",
            &["", "arn:aws:s3:::bucket", "not an arn"],
            &[],
        );
        check(
            r"^(arn:(aws[a-zA-Z-]*)?:[a-z0-9-.]+:.*)$|^()$",
            &["", "arn:aws:s3:::bucket", "arn::kms:x"],
            &["not an arn", "arn:aws:S3:x", " "],
        );
        check(r"^\d+(\.\d+)?$", &["42", "3.14"], &["", "3.", "-1", "1e5"]);
        check(r".*\S.*", &["x", " x "], &["", " \t\n"]);
        check(r"[^\x00]*", &["", "\u{0}"], &[]);
        check(r"^[^\x00]*$", &["", "abc"], &["a\u{0}b"]);
    }

    #[test]
    fn unsupported_or_invalid_syntax_is_an_error() {
        for source in [
            r"(a)\1",
            r"\2",
            r"\01",
            "(ab",
            "((a)",
            "ab)",
            ")",
            "[z-a]",
            r"[\x43-\x41]",
            "a{3,1}",
            "a{1001}",
            "a{1,1001}",
            "a{,3}",
            "a{3",
            "a{3,x}",
            "*a",
            "+",
            "?",
            "a|*",
            "(*)",
            "{3}",
            "a**",
            "a*+",
            "a++",
            "a??*",
            "a{2}{3}",
            "^*",
            "$+",
            r"\b+",
            "(?=a)*",
            "(?<=a)b",
            "(?<!a)b",
            "(?i)abc",
            "(?s).*",
            "(?<name",
            "(?P<n>a)",
            "[abc",
            "[",
            "[]",
            "[^]",
            "[a-",
            r"[\]",
            r"[[:alnum:]]",
            "[a&&b]",
            "abc\\",
            r"\k<name>",
            r"\q",
            r"\Z",
            r"\c1",
            r"\x4",
            r"\xZZ",
            r"\u12",
            r"\u{110000}",
            r"\u{}",
            r"\p{Greek}",
            r"\p{all}",
            r"\p{L",
            r"\p",
            r"\p1",
            r"[\B]",
        ] {
            let _ = rejects(source);
        }
    }

    #[test]
    fn errors_report_their_position() {
        let err = rejects(r"abc\1");
        assert_eq!(err.offset(), 3);
        assert_eq!(
            err.to_string(),
            "cannot compile pattern at byte 3: backreferences and octal escapes are not supported"
        );
        assert_eq!(rejects("ab(cd").offset(), 2);
        assert_eq!(rejects("é[z-a]").offset(), 3);
        assert!(rejects("a{3,1}").to_string().contains("n > m"));
        assert!(rejects(r"\p{Greek}").to_string().contains("`Greek`"));
        let boxed: Box<dyn std::error::Error> = Box::new(rejects("("));
        assert!(
            boxed
                .to_string()
                .starts_with("cannot compile pattern at byte 0")
        );
    }

    #[test]
    fn size_and_depth_limits_are_errors() {
        assert_eq!(rejects("(a{1000}){1000}").kind, ErrorKind::TooLarge);
        assert_eq!(rejects("((a{1000}){1000}){1000}").kind, ErrorKind::TooLarge);
        let deep = format!("{}a{}", "(".repeat(100), ")".repeat(100));
        assert_eq!(rejects(&deep).kind, ErrorKind::TooDeep);
        let ok = format!("{}a{}", "(".repeat(MAX_DEPTH), ")".repeat(MAX_DEPTH));
        check(&ok, &["a"], &["b"]);
        check("^a{1000}$", &[&"a".repeat(1000)], &[&"a".repeat(999)]);
    }

    #[test]
    fn source_and_debug() {
        let p = pattern("^a+$");
        assert_eq!(p.source(), "^a+$");
        assert_eq!(format!("{p:?}"), "Pattern { source: \"^a+$\", .. }");
        let clone = p.clone();
        assert!(clone.is_match("aa"));
        fn shareable<T: Send + Sync + 'static>() {}
        shareable::<Pattern>();
        shareable::<PatternError>();
    }

    #[test]
    fn matches_caches_the_compiled_pattern() {
        static P: OnceLock<Option<Pattern>> = OnceLock::new();
        assert_eq!(matches(&P, "^[a-z]+$", "abc"), Some(true));
        assert_eq!(matches(&P, "^[a-z]+$", "a1"), Some(false));
        assert_eq!(
            P.get().and_then(Option::as_ref).map(Pattern::source),
            Some("^[a-z]+$")
        );

        static BAD: OnceLock<Option<Pattern>> = OnceLock::new();
        assert_eq!(matches(&BAD, r"(a)\1", "aa"), None);
        assert!(matches!(BAD.get(), Some(None)));
    }

    #[test]
    fn adversarial_inputs_take_linear_time() {
        let many_a = "a".repeat(5_000);
        assert!(!pattern("(a*)*b").is_match(&many_a));
        assert!(!pattern("^(a|a)*b$").is_match(&many_a));
        assert!(!pattern("(a+)+$b").is_match(&many_a));
        assert!(!pattern("(x+x+)+y").is_match(&"x".repeat(5_000)));
        assert!(!pattern("^(a?){100}a{100}$").is_match(&"a".repeat(99)));
        assert!(pattern("^(a?){100}a{100}$").is_match(&"a".repeat(100)));
        assert!(!pattern(r"^(\w+\s?)*$").is_match(&format!("{}!", "word ".repeat(1_000))));
        assert!(!pattern("(?=a*b)a").is_match(&"a".repeat(2_000)));
        assert!(pattern("(?!a*b)a").is_match(&"a".repeat(2_000)));
        let long = pattern(r"^[\p{L}\p{N}]{0,1000}$");
        assert!(long.is_match(&"x".repeat(1_000)));
        assert!(!long.is_match(&"x".repeat(1_001)));
    }

    /// A small deterministic xorshift generator, so the fuzz test is reproducible.
    struct XorShift(u64);

    impl XorShift {
        fn next(&mut self) -> u64 {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            self.0
        }

        fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
            items[(self.next() % items.len() as u64) as usize]
        }
    }

    #[test]
    fn random_patterns_never_panic() {
        const TOKENS: &[&str] = &[
            "a",
            "b",
            "-",
            ".",
            "^",
            "$",
            "|",
            "(",
            ")",
            "(?:",
            "(?=",
            "(?!",
            "(?<",
            "[",
            "[^",
            "]",
            "*",
            "+",
            "?",
            "{",
            "}",
            "{2}",
            "{1,3}",
            "{0,}",
            "{3,1}",
            ",",
            "\\",
            "\\d",
            "\\w",
            "\\s",
            "\\b",
            "\\B",
            "\\1",
            "\\x4",
            "\\x41",
            "\\u",
            "\\uD800",
            "\\uDC00",
            "\\u{1F600}",
            "\\p{L}",
            "\\P{N}",
            "\\p{",
            "\\pL",
            "é",
            "😀",
            "0",
            "9",
            "z",
            "&&",
            "\\",
            "\\-",
            "\\]",
            " ",
        ];
        const TEXT: &[&str] = &[
            "a", "b", "-", "0", "9", " ", "\n", "é", "😀", "ab", "_", "z",
        ];
        let mut rng = XorShift(0x9E37_79B9_7F4A_7C15);
        let mut compiled = 0;
        for _ in 0..20_000 {
            let len = (rng.next() % 16) as usize;
            let source: String = (0..len).map(|_| rng.pick(TOKENS)).collect();
            let Ok(pattern) = Pattern::new(&source) else {
                continue;
            };
            compiled += 1;
            for _ in 0..4 {
                let len = (rng.next() % 10) as usize;
                let text: String = (0..len).map(|_| rng.pick(TEXT)).collect();
                let _ = pattern.is_match(&text);
            }
        }
        // The alphabet is meant to exercise both outcomes.
        assert!(compiled > 2_000, "only {compiled} random patterns compiled");
    }
}
