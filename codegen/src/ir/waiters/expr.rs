//! The JMESPath subset of botocore's rest-json waiters, compiled at generation time into a
//! typed tree checked against the operation's output shape.
//!
//! Supported: member paths (`a.b.c`, member names as the model spells them), flatten
//! projections (`a[].b`, `a[].b[].c`), `length(x)`, comparisons (`==`, `!=`, and `<`, `<=`,
//! `>`, `>=` on numbers) of a path or `length(...)` with a literal (`'raw string'` or a JSON
//! literal in backticks such as `` `0` ``), `&&`, `||` and parentheses. Anything else
//! (other functions, filters, slices, multi-selects, comparisons of two paths) is rejected
//! with an error naming the construct.
//!
//! Evaluation follows JMESPath: a missing member is `null`, a projection drops `null`s, a
//! flatten splices nested lists, `null == 'x'` is false and `null != 'x'` true. Two
//! simplifications: `length(null)` (an error in JMESPath) evaluates to `null`, which matches
//! nothing, and `null` elements of sparse lists are skipped by projections.

use std::collections::BTreeMap;

use crate::ir::{Scalar, Shape, ShapeKind, Structure};

/// Why an expression cannot be compiled.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ExprError {
    /// The expression is valid JMESPath but outside the supported subset.
    pub unsupported: bool,
    /// What is wrong.
    pub message: String,
}

impl ExprError {
    fn unsupported(message: impl Into<String>) -> Self {
        Self {
            unsupported: true,
            message: message.into(),
        }
    }

    fn invalid(message: impl Into<String>) -> Self {
        Self {
            unsupported: false,
            message: message.into(),
        }
    }
}

/// A compiled, typed expression.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Expr {
    /// The value at a path of the output.
    Path(Path),
    /// A comparison of a value with a literal; `null` or a failed `length` compare as JMESPath
    /// says (see the module documentation). Boolean.
    Compare {
        /// The compared value.
        left: Operand,
        /// The operator, with the literal on the right.
        op: CompareOp,
        /// The literal.
        right: Literal,
    },
    /// `a && b`, both boolean.
    And(Box<Expr>, Box<Expr>),
    /// `a || b`, both boolean.
    Or(Box<Expr>, Box<Expr>),
}

impl Expr {
    /// Whether the expression's value is a boolean (a comparison, `&&`, `||` or a path to a
    /// boolean member).
    pub fn is_boolean(&self) -> bool {
        match self {
            Expr::Path(path) => !path.is_list() && path.value == ValueType::Boolean,
            Expr::Compare { .. } | Expr::And(..) | Expr::Or(..) => true,
        }
    }
}

/// The left side of a comparison.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Operand {
    /// A scalar value at a path.
    Path(Path),
    /// `length(path)`: the number of elements, entries or characters.
    Length(Path),
}

/// Comparison operators.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CompareOp {
    /// `==`
    Eq,
    /// `!=`
    Ne,
    /// `<`
    Lt,
    /// `<=`
    Le,
    /// `>`
    Gt,
    /// `>=`
    Ge,
}

impl CompareOp {
    /// The operator with its operands swapped (`1 < x` is `x > 1`).
    fn flipped(self) -> Self {
        match self {
            CompareOp::Lt => CompareOp::Gt,
            CompareOp::Le => CompareOp::Ge,
            CompareOp::Gt => CompareOp::Lt,
            CompareOp::Ge => CompareOp::Le,
            other => other,
        }
    }

    /// The operator's JMESPath (and Rust) spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            CompareOp::Eq => "==",
            CompareOp::Ne => "!=",
            CompareOp::Lt => "<",
            CompareOp::Le => "<=",
            CompareOp::Gt => ">",
            CompareOp::Ge => ">=",
        }
    }
}

/// A literal value.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Literal {
    /// A string.
    String(String),
    /// An integer.
    Integer(i64),
    /// A boolean.
    Bool(bool),
}

/// A path through the output: member accesses and `[]` steps, typed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Path {
    /// The steps from the output.
    pub steps: Vec<Step>,
    /// The type at the end of the path (of each element, after a projection).
    pub value: ValueType,
}

impl Path {
    /// Whether the path projects (`[]`), so its value is a list of `value`s.
    pub fn is_list(&self) -> bool {
        self.steps.iter().any(|s| matches!(s, Step::Each { .. }))
    }
}

/// One step of a [`Path`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Step {
    /// A member of the current structure.
    Member {
        /// Model name.
        name: String,
        /// Rust field name.
        field: String,
        /// The field is an `Option`.
        optional: bool,
        /// The field is boxed.
        boxed: bool,
    },
    /// The elements of the current list (`[]`); `sparse` lists hold `Option`s.
    Each {
        /// The list's elements are `Option`s.
        sparse: bool,
    },
}

/// What a value is, as far as waiters care.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ValueType {
    /// `String`.
    String,
    /// A generated enum (compared through `as_str()`).
    Enum,
    /// `bool`.
    Boolean,
    /// An integer type.
    Integer,
    /// `f32`/`f64`.
    Float,
    /// A `Vec`.
    List,
    /// A `BTreeMap`.
    Map,
    /// A generated structure.
    Structure,
    /// Anything else (unions, timestamps, blobs, documents).
    Other,
}

impl ValueType {
    /// A word for messages.
    pub fn describe(self) -> &'static str {
        match self {
            ValueType::String => "a string",
            ValueType::Enum => "an enum",
            ValueType::Boolean => "a boolean",
            ValueType::Integer => "an integer",
            ValueType::Float => "a floating-point number",
            ValueType::List => "a list",
            ValueType::Map => "a map",
            ValueType::Structure => "a structure",
            ValueType::Other => "a value of another kind",
        }
    }

    /// Whether a value of this type can equal `literal`.
    pub fn accepts(self, literal: &Literal) -> bool {
        matches!(
            (self, literal),
            (ValueType::String | ValueType::Enum, Literal::String(_))
                | (ValueType::Integer, Literal::Integer(_))
                | (ValueType::Boolean, Literal::Bool(_))
        )
    }
}

/// Compiles `text` against the output structure named `output` (`None`: the operation has
/// no output).
///
/// # Errors
///
/// Syntax outside the supported subset, a member the output does not have, or a comparison
/// whose sides can never be compared.
pub fn compile(
    text: &str,
    output: Option<&str>,
    shapes: &BTreeMap<String, Shape>,
) -> Result<Expr, ExprError> {
    let tokens = lex(text)?;
    let mut parser = Parser { tokens, at: 0 };
    let ast = parser.or()?;
    if let Some(token) = parser.tokens.get(parser.at) {
        return Err(ExprError::unsupported(format!(
            "{} after a complete expression",
            token.describe()
        )));
    }
    let output = output.ok_or_else(|| ExprError::invalid("the operation has no output"))?;
    Checker { shapes }.expr(&ast, output)
}

// ---- lexing ----

#[derive(Clone, Debug, PartialEq)]
enum Token {
    Ident(String),
    RawString(String),
    Json(serde_json::Value),
    Dot,
    Flatten,
    LBracket,
    LParen,
    RParen,
    Comma,
    Compare(CompareOp),
    And,
    Or,
    Other(char),
}

impl Token {
    fn describe(&self) -> String {
        match self {
            Token::Ident(name) => format!("`{name}`"),
            Token::RawString(s) => format!("the literal '{s}'"),
            Token::Json(v) => format!("the literal `{v}`"),
            Token::Dot => "`.`".to_owned(),
            Token::Flatten => "`[]`".to_owned(),
            Token::LBracket => "`[` (filters, indexes and multi-selects)".to_owned(),
            Token::LParen => "`(`".to_owned(),
            Token::RParen => "`)`".to_owned(),
            Token::Comma => "`,`".to_owned(),
            Token::Compare(op) => format!("`{}`", op.as_str()),
            Token::And => "`&&`".to_owned(),
            Token::Or => "`||`".to_owned(),
            Token::Other(c) => format!("`{c}`"),
        }
    }
}

fn lex(text: &str) -> Result<Vec<Token>, ExprError> {
    let chars: Vec<char> = text.chars().collect();
    let mut tokens = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let next = chars.get(i + 1).copied();
        match c {
            _ if c.is_whitespace() => i += 1,
            _ if c.is_ascii_alphabetic() || c == '_' => {
                let start = i;
                while i < chars.len() && (chars[i].is_ascii_alphanumeric() || chars[i] == '_') {
                    i += 1;
                }
                tokens.push(Token::Ident(chars[start..i].iter().collect()));
            }
            '"' => {
                let (text, end) = quoted(&chars, i, '"')?;
                let name: String = serde_json::from_str(&format!("\"{text}\""))
                    .map_err(|_| ExprError::invalid(format!("bad quoted identifier \"{text}\"")))?;
                tokens.push(Token::Ident(name));
                i = end;
            }
            '\'' => {
                let (text, end) = quoted(&chars, i, '\'')?;
                tokens.push(Token::RawString(text.replace("\\'", "'")));
                i = end;
            }
            '`' => {
                let (text, end) = quoted(&chars, i, '`')?;
                let value = serde_json::from_str(&text.replace("\\`", "`"))
                    .map_err(|_| ExprError::invalid(format!("`{text}` is not a JSON literal")))?;
                tokens.push(Token::Json(value));
                i = end;
            }
            '.' => {
                tokens.push(Token::Dot);
                i += 1;
            }
            '[' if next == Some(']') => {
                tokens.push(Token::Flatten);
                i += 2;
            }
            '[' => {
                tokens.push(Token::LBracket);
                i += 1;
            }
            '(' => {
                tokens.push(Token::LParen);
                i += 1;
            }
            ')' => {
                tokens.push(Token::RParen);
                i += 1;
            }
            ',' => {
                tokens.push(Token::Comma);
                i += 1;
            }
            '=' if next == Some('=') => {
                tokens.push(Token::Compare(CompareOp::Eq));
                i += 2;
            }
            '!' if next == Some('=') => {
                tokens.push(Token::Compare(CompareOp::Ne));
                i += 2;
            }
            '<' | '>' => {
                let or_equal = next == Some('=');
                tokens.push(Token::Compare(match (c, or_equal) {
                    ('<', false) => CompareOp::Lt,
                    ('<', true) => CompareOp::Le,
                    ('>', false) => CompareOp::Gt,
                    _ => CompareOp::Ge,
                }));
                i += if or_equal { 2 } else { 1 };
            }
            '&' if next == Some('&') => {
                tokens.push(Token::And);
                i += 2;
            }
            '|' if next == Some('|') => {
                tokens.push(Token::Or);
                i += 2;
            }
            _ => {
                tokens.push(Token::Other(c));
                i += 1;
            }
        }
    }
    Ok(tokens)
}

/// The text between the quote at `start` and its closing quote (backslash escapes kept), and
/// the index after the closing quote.
fn quoted(chars: &[char], start: usize, quote: char) -> Result<(String, usize), ExprError> {
    let mut i = start + 1;
    let mut text = String::new();
    while i < chars.len() {
        match chars[i] {
            '\\' if i + 1 < chars.len() => {
                text.push('\\');
                text.push(chars[i + 1]);
                i += 2;
            }
            c if c == quote => return Ok((text, i + 1)),
            c => {
                text.push(c);
                i += 1;
            }
        }
    }
    Err(ExprError::invalid(format!(
        "unterminated {quote}-quoted text"
    )))
}

// ---- parsing ----

/// The untyped syntax tree.
#[derive(Clone, Debug, PartialEq)]
enum Ast {
    Path(Vec<RawStep>),
    Length(Box<Ast>),
    Literal(Literal),
    Compare(Box<Ast>, CompareOp, Box<Ast>),
    And(Box<Ast>, Box<Ast>),
    Or(Box<Ast>, Box<Ast>),
}

#[derive(Clone, Debug, PartialEq)]
enum RawStep {
    Field(String),
    Flatten,
}

struct Parser {
    tokens: Vec<Token>,
    at: usize,
}

impl Parser {
    fn peek(&self) -> Option<&Token> {
        self.tokens.get(self.at)
    }

    fn next(&mut self) -> Option<Token> {
        let token = self.tokens.get(self.at).cloned();
        self.at += 1;
        token
    }

    fn or(&mut self) -> Result<Ast, ExprError> {
        let mut left = self.and()?;
        while self.peek() == Some(&Token::Or) {
            self.at += 1;
            left = Ast::Or(Box::new(left), Box::new(self.and()?));
        }
        Ok(left)
    }

    fn and(&mut self) -> Result<Ast, ExprError> {
        let mut left = self.comparison()?;
        while self.peek() == Some(&Token::And) {
            self.at += 1;
            left = Ast::And(Box::new(left), Box::new(self.comparison()?));
        }
        Ok(left)
    }

    fn comparison(&mut self) -> Result<Ast, ExprError> {
        let left = self.operand()?;
        if let Some(Token::Compare(op)) = self.peek().cloned() {
            self.at += 1;
            let right = self.operand()?;
            return Ok(Ast::Compare(Box::new(left), op, Box::new(right)));
        }
        Ok(left)
    }

    fn operand(&mut self) -> Result<Ast, ExprError> {
        match self.next() {
            Some(Token::LParen) => {
                let inner = self.or()?;
                self.expect_close()?;
                Ok(inner)
            }
            Some(Token::RawString(s)) => Ok(Ast::Literal(Literal::String(s))),
            Some(Token::Json(value)) => Ok(Ast::Literal(json_literal(&value)?)),
            Some(Token::Ident(name)) if self.peek() == Some(&Token::LParen) => {
                self.at += 1;
                if name != "length" {
                    return Err(ExprError::unsupported(format!(
                        "the JMESPath function `{name}()`"
                    )));
                }
                let argument = self.or()?;
                if self.peek() == Some(&Token::Comma) {
                    return Err(ExprError::invalid("`length()` takes one argument"));
                }
                self.expect_close()?;
                Ok(Ast::Length(Box::new(argument)))
            }
            Some(Token::Ident(name)) => self.path(name),
            Some(token) => Err(ExprError::unsupported(token.describe())),
            None => Err(ExprError::invalid("the expression ends too early")),
        }
    }

    fn expect_close(&mut self) -> Result<(), ExprError> {
        match self.next() {
            Some(Token::RParen) => Ok(()),
            Some(token) => Err(ExprError::invalid(format!(
                "expected `)`, found {}",
                token.describe()
            ))),
            None => Err(ExprError::invalid("missing `)`")),
        }
    }

    fn path(&mut self, first: String) -> Result<Ast, ExprError> {
        let mut steps = vec![RawStep::Field(first)];
        loop {
            match self.peek() {
                Some(Token::Flatten) => {
                    self.at += 1;
                    steps.push(RawStep::Flatten);
                }
                Some(Token::Dot) => {
                    self.at += 1;
                    match self.next() {
                        Some(Token::Ident(name)) => steps.push(RawStep::Field(name)),
                        Some(token) => {
                            return Err(ExprError::unsupported(format!(
                                "{} after `.`",
                                token.describe()
                            )));
                        }
                        None => return Err(ExprError::invalid("the expression ends with `.`")),
                    }
                }
                Some(Token::LBracket) => {
                    return Err(ExprError::unsupported(Token::LBracket.describe()));
                }
                _ => return Ok(Ast::Path(steps)),
            }
        }
    }
}

fn json_literal(value: &serde_json::Value) -> Result<Literal, ExprError> {
    match value {
        serde_json::Value::String(s) => Ok(Literal::String(s.clone())),
        serde_json::Value::Bool(b) => Ok(Literal::Bool(*b)),
        serde_json::Value::Number(n) => n
            .as_i64()
            .map(Literal::Integer)
            .ok_or_else(|| ExprError::unsupported(format!("the non-integer literal `{n}`"))),
        other => Err(ExprError::unsupported(format!("the literal `{other}`"))),
    }
}

// ---- type checking ----

struct Checker<'a> {
    shapes: &'a BTreeMap<String, Shape>,
}

impl Checker<'_> {
    fn expr(&self, ast: &Ast, output: &str) -> Result<Expr, ExprError> {
        match ast {
            Ast::Path(steps) => Ok(Expr::Path(self.path(steps, output)?)),
            Ast::Literal(_) => Err(ExprError::unsupported(
                "a literal on its own (it does not depend on the output)",
            )),
            Ast::Length(_) => Err(ExprError::unsupported(
                "`length()` outside a comparison with a number",
            )),
            Ast::And(a, b) | Ast::Or(a, b) => {
                let word = if matches!(ast, Ast::And(..)) {
                    "&&"
                } else {
                    "||"
                };
                let a = self.boolean(a, output, word)?;
                let b = self.boolean(b, output, word)?;
                Ok(if word == "&&" {
                    Expr::And(Box::new(a), Box::new(b))
                } else {
                    Expr::Or(Box::new(a), Box::new(b))
                })
            }
            Ast::Compare(left, op, right) => self.compare(left, *op, right, output),
        }
    }

    fn boolean(&self, ast: &Ast, output: &str, word: &str) -> Result<Expr, ExprError> {
        let expr = self.expr(ast, output)?;
        if expr.is_boolean() {
            Ok(expr)
        } else {
            Err(ExprError::unsupported(format!(
                "an operand of `{word}` that is not a boolean"
            )))
        }
    }

    fn compare(
        &self,
        left: &Ast,
        op: CompareOp,
        right: &Ast,
        output: &str,
    ) -> Result<Expr, ExprError> {
        let (value, op, literal) = match (left, right) {
            (_, Ast::Literal(literal)) => (left, op, literal),
            (Ast::Literal(literal), _) => (right, op.flipped(), literal),
            _ => {
                return Err(ExprError::unsupported(
                    "a comparison without a literal on one side",
                ));
            }
        };
        let left = match value {
            Ast::Path(steps) => {
                let path = self.path(steps, output)?;
                if path.is_list() {
                    return Err(ExprError::unsupported(
                        "a comparison of a projection (a list) with a literal",
                    ));
                }
                if !path.value.accepts(literal) {
                    return Err(ExprError::invalid(format!(
                        "{} is compared with {}, which it can never equal",
                        path.value.describe(),
                        describe_literal(literal)
                    )));
                }
                let ordered = !matches!(op, CompareOp::Eq | CompareOp::Ne);
                if ordered && path.value != ValueType::Integer {
                    return Err(ExprError::unsupported(format!(
                        "`{}` on {}",
                        op.as_str(),
                        path.value.describe()
                    )));
                }
                Operand::Path(path)
            }
            Ast::Length(inner) => {
                let Ast::Path(steps) = inner.as_ref() else {
                    return Err(ExprError::unsupported(
                        "`length()` of something other than a path",
                    ));
                };
                let path = self.path(steps, output)?;
                if !path.is_list()
                    && !matches!(
                        path.value,
                        ValueType::List | ValueType::Map | ValueType::String
                    )
                {
                    return Err(ExprError::invalid(format!(
                        "`length()` of {}",
                        path.value.describe()
                    )));
                }
                if !matches!(literal, Literal::Integer(_)) {
                    return Err(ExprError::invalid(format!(
                        "a length is compared with {}",
                        describe_literal(literal)
                    )));
                }
                Operand::Length(path)
            }
            _ => {
                return Err(ExprError::unsupported(
                    "a comparison of something other than a path or `length()`",
                ));
            }
        };
        Ok(Expr::Compare {
            left,
            op,
            right: literal.clone(),
        })
    }

    /// Types `steps` from the structure named `output`.
    fn path(&self, steps: &[RawStep], output: &str) -> Result<Path, ExprError> {
        let mut typed = Vec::new();
        let mut shape = output.to_owned();
        let mut projected = false;
        let mut spelled = String::new();
        for step in steps {
            let kind = &self
                .shapes
                .get(&shape)
                .ok_or_else(|| ExprError::invalid(format!("no shape `{shape}`")))?
                .kind;
            match step {
                RawStep::Field(name) => {
                    let ShapeKind::Structure(structure) = kind else {
                        return Err(ExprError::unsupported(format!(
                            "`.{name}` on `{spelled}`, {} rather than a structure",
                            kind_word(kind)
                        )));
                    };
                    let member = member(structure, name).ok_or_else(|| {
                        ExprError::invalid(format!(
                            "`{name}` is not a member of `{shape}`{}",
                            if spelled.is_empty() {
                                String::new()
                            } else {
                                format!(" (the shape of `{spelled}`)")
                            }
                        ))
                    })?;
                    typed.push(Step::Member {
                        name: member.name.clone(),
                        field: member.field.clone(),
                        optional: member.optional,
                        boxed: member.boxed,
                    });
                    shape = member.target.clone();
                    if !spelled.is_empty() {
                        spelled.push('.');
                    }
                    spelled.push_str(name);
                }
                RawStep::Flatten => {
                    match kind {
                        ShapeKind::List(list) => {
                            typed.push(Step::Each {
                                sparse: list.sparse,
                            });
                            shape = list.member.clone();
                            // Flattening a list of lists splices the inner lists.
                            if let Some(ShapeKind::List(inner)) =
                                self.shapes.get(&shape).map(|s| &s.kind)
                            {
                                typed.push(Step::Each {
                                    sparse: inner.sparse,
                                });
                                shape = inner.member.clone();
                            }
                        }
                        // Flattening a projection of non-lists changes nothing.
                        _ if projected => {}
                        _ => {
                            return Err(ExprError::invalid(format!(
                                "`[]` on `{spelled}`, {} rather than a list",
                                kind_word(kind)
                            )));
                        }
                    }
                    projected = true;
                    spelled.push_str("[]");
                }
            }
        }
        let shape_def = self
            .shapes
            .get(&shape)
            .ok_or_else(|| ExprError::invalid(format!("no shape `{shape}`")))?;
        Ok(Path {
            steps: typed,
            value: value_type(&shape_def.kind),
        })
    }
}

fn member<'a>(structure: &'a Structure, name: &str) -> Option<&'a crate::ir::Member> {
    structure.members.iter().find(|m| m.name == name)
}

fn describe_literal(literal: &Literal) -> String {
    match literal {
        Literal::String(s) => format!("the string '{s}'"),
        Literal::Integer(n) => format!("the number {n}"),
        Literal::Bool(b) => format!("the boolean {b}"),
    }
}

fn kind_word(kind: &ShapeKind) -> &'static str {
    value_type(kind).describe()
}

/// The waiter view of a shape.
pub fn value_type(kind: &ShapeKind) -> ValueType {
    match kind {
        ShapeKind::Scalar(Scalar::String) => ValueType::String,
        ShapeKind::Scalar(Scalar::Boolean) => ValueType::Boolean,
        ShapeKind::Scalar(Scalar::Byte | Scalar::Short | Scalar::Integer | Scalar::Long) => {
            ValueType::Integer
        }
        ShapeKind::Scalar(Scalar::Float | Scalar::Double) => ValueType::Float,
        ShapeKind::Scalar(_) | ShapeKind::Union(_) => ValueType::Other,
        ShapeKind::Enum(_) => ValueType::Enum,
        ShapeKind::Structure(_) => ValueType::Structure,
        ShapeKind::List(_) => ValueType::List,
        ShapeKind::Map(_) => ValueType::Map,
    }
}

#[cfg(test)]
mod tests;
