//! Splits a step condition into tokens, each with the character offset
//! where it starts, so that every later error can point at the bad part.
//!
//! Offsets count characters, not bytes: admins write field labels and
//! strings in Chinese, and the UI underlines by character.

use super::condition::{CompareOp, ConditionError};

/// One token of the condition language.
#[derive(Debug, Clone, PartialEq)]
pub(super) enum Tok {
    Ident(String),
    /// The digits as written, with an optional leading `-` and one `.`.
    Number(String),
    /// A double-quoted string, escapes resolved.
    Str(String),
    LParen,
    RParen,
    Comma,
    Op(CompareOp),
    And,
    Or,
    Not,
    In,
    True,
    False,
    End,
}

/// A token and the character offset where it starts.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Token {
    pub tok: Tok,
    pub pos: usize,
}

impl Tok {
    /// How the token reads in an error message.
    pub fn describe(&self) -> String {
        match self {
            Tok::Ident(name) => format!("\"{name}\""),
            Tok::Number(n) => n.clone(),
            Tok::Str(s) => format!("\"{s}\""),
            Tok::LParen => "\"(\"".into(),
            Tok::RParen => "\")\"".into(),
            Tok::Comma => "\",\"".into(),
            Tok::Op(op) => format!("\"{}\"", op.as_str()),
            Tok::And => "\"and\"".into(),
            Tok::Or => "\"or\"".into(),
            Tok::Not => "\"not\"".into(),
            Tok::In => "\"in\"".into(),
            Tok::True => "true".into(),
            Tok::False => "false".into(),
            Tok::End => "the end of the condition".into(),
        }
    }
}

/// Tokenizes `src`; the last token is always [`Tok::End`].
pub(super) fn lex(src: &str) -> Result<Vec<Token>, ConditionError> {
    let chars: Vec<char> = src.chars().collect();
    let mut tokens = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let start = i;
        let peek = chars.get(i + 1).copied();
        let tok = match c {
            c if c.is_whitespace() => {
                i += 1;
                continue;
            }
            '(' => Tok::LParen,
            ')' => Tok::RParen,
            ',' => Tok::Comma,
            '=' | '!' | '<' | '>' => {
                let (op, width) = match (c, peek) {
                    ('=', Some('=')) => (CompareOp::Eq, 2),
                    ('!', Some('=')) => (CompareOp::Ne, 2),
                    ('>', Some('=')) => (CompareOp::Ge, 2),
                    ('<', Some('=')) => (CompareOp::Le, 2),
                    ('>', _) => (CompareOp::Gt, 1),
                    ('<', _) => (CompareOp::Lt, 1),
                    ('=', _) => return Err(ConditionError::new(start, "use == to compare")),
                    _ => return Err(ConditionError::new(start, "use != or \"not\"")),
                };
                i += width;
                tokens.push(Token { tok: Tok::Op(op), pos: start });
                continue;
            }
            '"' => {
                let (text, end) = lex_string(&chars, start)?;
                i = end;
                tokens.push(Token { tok: Tok::Str(text), pos: start });
                continue;
            }
            '“' | '”' => return Err(ConditionError::new(start, "use straight double quotes \" for strings")),
            c if c.is_ascii_digit() || (c == '-' && peek.is_some_and(|p| p.is_ascii_digit())) => {
                let end = scan_number(&chars, start)?;
                i = end;
                tokens.push(Token { tok: Tok::Number(chars[start..end].iter().collect()), pos: start });
                continue;
            }
            c if c.is_ascii_alphabetic() || c == '_' => {
                let mut end = start;
                while end < chars.len() && (chars[end].is_ascii_alphanumeric() || chars[end] == '_') {
                    end += 1;
                }
                let word: String = chars[start..end].iter().collect();
                i = end;
                tokens.push(Token { tok: keyword(&word).unwrap_or(Tok::Ident(word)), pos: start });
                continue;
            }
            other => return Err(ConditionError::new(start, format!("unexpected character \"{other}\""))),
        };
        tokens.push(Token { tok, pos: start });
        i += 1;
    }
    tokens.push(Token { tok: Tok::End, pos: chars.len() });
    Ok(tokens)
}

/// Keywords are matched without regard to case (`AND` reads as `and`);
/// field keys are lowercase, so no key is shadowed beyond the reserved ones.
fn keyword(word: &str) -> Option<Tok> {
    Some(match word.to_ascii_lowercase().as_str() {
        "and" => Tok::And,
        "or" => Tok::Or,
        "not" => Tok::Not,
        "in" => Tok::In,
        "true" => Tok::True,
        "false" => Tok::False,
        _ => return None,
    })
}

/// Reads `"…"` starting at the opening quote; `\"` and `\\` are the escapes.
fn lex_string(chars: &[char], start: usize) -> Result<(String, usize), ConditionError> {
    let mut text = String::new();
    let mut i = start + 1;
    while let Some(&c) = chars.get(i) {
        match c {
            '"' => return Ok((text, i + 1)),
            '\\' => match chars.get(i + 1) {
                Some(&e @ ('"' | '\\')) => {
                    text.push(e);
                    i += 2;
                }
                _ => return Err(ConditionError::new(i, "only \\\" and \\\\ may follow a backslash")),
            },
            _ => {
                text.push(c);
                i += 1;
            }
        }
    }
    Err(ConditionError::new(start, "this string has no closing quote"))
}

/// End offset of the number starting at `start` (`-`? digits (`.` digits)?).
fn scan_number(chars: &[char], start: usize) -> Result<usize, ConditionError> {
    let digits_from = |mut i: usize| {
        while chars.get(i).is_some_and(char::is_ascii_digit) {
            i += 1;
        }
        i
    };
    let mut end = digits_from(if chars[start] == '-' { start + 1 } else { start });
    if chars.get(end) == Some(&'.') {
        let after = digits_from(end + 1);
        if after == end + 1 {
            return Err(ConditionError::new(end, "a decimal point needs digits after it"));
        }
        end = after;
    }
    if chars.get(end).is_some_and(|c| c.is_ascii_alphabetic() || *c == '_' || *c == '.') {
        return Err(ConditionError::new(end, "a number cannot run into letters or a second point"));
    }
    Ok(end)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn toks(src: &str) -> Vec<(Tok, usize)> {
        lex(src).unwrap().into_iter().map(|t| (t.tok, t.pos)).collect()
    }

    fn err(src: &str) -> (usize, String) {
        let e = lex(src).unwrap_err();
        (e.position, e.message)
    }

    #[test]
    fn splits_operators_words_and_literals() {
        assert_eq!(
            toks("amount>=10.5 AND type in (\"a\\\"b\", -3)"),
            vec![
                (Tok::Ident("amount".into()), 0),
                (Tok::Op(CompareOp::Ge), 6),
                (Tok::Number("10.5".into()), 8),
                (Tok::And, 13),
                (Tok::Ident("type".into()), 17),
                (Tok::In, 22),
                (Tok::LParen, 25),
                (Tok::Str("a\"b".into()), 26),
                (Tok::Comma, 32),
                (Tok::Number("-3".into()), 34),
                (Tok::RParen, 36),
                (Tok::End, 37),
            ]
        );
        let ops: Vec<Tok> = lex("== != > >= < <=").unwrap().into_iter().map(|t| t.tok).collect();
        assert_eq!(ops.len(), 7);
        assert_eq!(toks("not true or false")[0], (Tok::Not, 0));
    }

    #[test]
    fn offsets_count_characters() {
        assert_eq!(toks("kind == \"年假\" and x")[3], (Tok::And, 13));
        assert_eq!(err("kind == \"年假\" ? x"), (13, "unexpected character \"?\"".into()));
    }

    #[test]
    fn points_at_bad_tokens() {
        assert_eq!(err("a = 1").0, 2);
        assert_eq!(err("a ! 1").0, 2);
        assert_eq!(err("a == \"open").0, 5);
        assert_eq!(err("a == \"x\\n\"").0, 7);
        assert_eq!(err("a == 1.").0, 6);
        assert_eq!(err("a == 1.2.3").0, 8);
        assert_eq!(err("a == 12abc").0, 7);
        assert_eq!(err("a == “x”").0, 5);
    }
}
