//! Recursive-descent parser and type checker for step conditions.
//!
//! Grammar, loosest binding first:
//! ```text
//! or      := and ("or" and)*
//! and     := unary ("and" unary)*
//! unary   := "not" unary | primary
//! primary := "(" or ")" | field op literal | field ["not"] "in" "(" literal ("," literal)* ")"
//!          | boolean-field
//! ```
//! Every constant is converted to its field's type while parsing, so an
//! admin learns at save time, with the offset, that `amount > "10000"` or
//! `type == "maternity"` cannot work, rather than a ticket going wrong later.

use super::condition::{CompareOp, Condition, ConditionError, Literal};
use super::condition_lexer::{Tok, Token, lex};
use super::decimal::{Decimal, DecimalError};
use super::form::{FieldDef, FieldType, FormSchema};
use super::form_input::{parse_date, parse_datetime};

/// Deep enough for any honest condition, shallow enough that a hostile one
/// cannot exhaust the stack.
const MAX_DEPTH: usize = 64;

/// Parses and type-checks `src` against `schema`.
pub(super) fn parse(src: &str, schema: &FormSchema) -> Result<Condition, ConditionError> {
    let tokens = lex(src)?;
    if tokens[0].tok == Tok::End {
        return Err(ConditionError::new(0, "the condition is empty"));
    }
    let mut parser = Parser { tokens, at: 0, depth: 0, schema };
    let condition = parser.or()?;
    let next = parser.peek();
    if next.tok != Tok::End {
        return Err(ConditionError::new(
            next.pos,
            format!("expected \"and\", \"or\" or the end, found {}", next.tok.describe()),
        ));
    }
    Ok(condition)
}

struct Parser<'a> {
    tokens: Vec<Token>,
    at: usize,
    depth: usize,
    schema: &'a FormSchema,
}

impl Parser<'_> {
    fn peek(&self) -> &Token {
        &self.tokens[self.at]
    }

    fn next(&mut self) -> Token {
        let token = self.tokens[self.at].clone();
        // `End` is last and is never stepped over, so `peek` stays in bounds.
        if token.tok != Tok::End {
            self.at += 1;
        }
        token
    }

    fn expect(&mut self, tok: Tok, what: &str) -> Result<Token, ConditionError> {
        let token = self.next();
        if token.tok == tok {
            Ok(token)
        } else {
            Err(ConditionError::new(token.pos, format!("expected {what}, found {}", token.tok.describe())))
        }
    }

    fn or(&mut self) -> Result<Condition, ConditionError> {
        let mut parts = vec![self.and()?];
        while self.peek().tok == Tok::Or {
            self.next();
            parts.push(self.and()?);
        }
        Ok(if parts.len() == 1 { parts.remove(0) } else { Condition::Any(parts) })
    }

    fn and(&mut self) -> Result<Condition, ConditionError> {
        let mut parts = vec![self.unary()?];
        while self.peek().tok == Tok::And {
            self.next();
            parts.push(self.unary()?);
        }
        Ok(if parts.len() == 1 { parts.remove(0) } else { Condition::All(parts) })
    }

    fn unary(&mut self) -> Result<Condition, ConditionError> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err(ConditionError::new(self.peek().pos, "the condition is nested too deeply"));
        }
        let result = if self.peek().tok == Tok::Not {
            self.next();
            self.unary().map(|inner| Condition::Not(Box::new(inner)))
        } else {
            self.primary()
        };
        self.depth -= 1;
        result
    }

    fn primary(&mut self) -> Result<Condition, ConditionError> {
        let token = self.next();
        match token.tok {
            Tok::LParen => {
                let inner = self.or()?;
                self.expect(Tok::RParen, "\")\"")?;
                Ok(inner)
            }
            Tok::Ident(name) => self.comparison(&name, token.pos),
            other => Err(ConditionError::new(
                token.pos,
                format!("expected a field name, \"not\" or \"(\", found {}", other.describe()),
            )),
        }
    }

    fn comparison(&mut self, name: &str, pos: usize) -> Result<Condition, ConditionError> {
        let schema = self.schema;
        let field = schema.field(name).ok_or_else(|| ConditionError::new(pos, format!("unknown field \"{name}\"")))?;
        let field_type = field.field_type;
        let next = self.peek().clone();
        match next.tok {
            Tok::Op(op) => {
                self.next();
                if op.is_ordering() && !field_type.is_ordered() {
                    return Err(ConditionError::new(
                        next.pos,
                        format!(
                            "\"{}\" needs a number, money, date or datetime field; \"{name}\" is {}",
                            op.as_str(),
                            field_type.as_str()
                        ),
                    ));
                }
                let value = self.literal(field)?;
                Ok(Condition::Compare { field: name.to_owned(), field_type, op, value })
            }
            Tok::In => {
                self.next();
                self.in_list(field)
            }
            Tok::Not if self.tokens.get(self.at + 1).is_some_and(|t| t.tok == Tok::In) => {
                self.next();
                self.next();
                Ok(Condition::Not(Box::new(self.in_list(field)?)))
            }
            _ if field_type == FieldType::Boolean => {
                let value = Literal::Bool(true);
                Ok(Condition::Compare { field: name.to_owned(), field_type, op: CompareOp::Eq, value })
            }
            other => Err(ConditionError::new(
                next.pos,
                format!("expected a comparison after \"{name}\", found {}", other.describe()),
            )),
        }
    }

    fn in_list(&mut self, field: &FieldDef) -> Result<Condition, ConditionError> {
        self.expect(Tok::LParen, "\"(\" after \"in\"")?;
        let mut values = vec![self.literal(field)?];
        while self.peek().tok == Tok::Comma {
            self.next();
            values.push(self.literal(field)?);
        }
        self.expect(Tok::RParen, "\",\" or \")\"")?;
        Ok(Condition::In { field: field.key.clone(), field_type: field.field_type, values })
    }

    /// Reads one constant and converts it to `field`'s type.
    fn literal(&mut self, field: &FieldDef) -> Result<Literal, ConditionError> {
        let token = self.next();
        let pos = token.pos;
        let key = &field.key;
        let ty = field.field_type;
        let mismatch = |what: &str| {
            ConditionError::new(pos, format!("\"{key}\" is a {} field and cannot be compared with {what}", ty.as_str()))
        };
        let what = match &token.tok {
            Tok::Number(_) => "a number",
            Tok::Str(_) => "a string",
            Tok::True | Tok::False => "true or false",
            other => return Err(ConditionError::new(pos, format!("expected a value, found {}", other.describe()))),
        };
        match (ty, token.tok) {
            (FieldType::Number | FieldType::Money, Tok::Number(text)) => {
                Decimal::parse(&text).map(Literal::Number).map_err(|e| {
                    let message = match e {
                        DecimalError::TooPrecise => "has more than 18 decimals",
                        _ => "is too large",
                    };
                    ConditionError::new(pos, format!("{text} {message}"))
                })
            }
            (FieldType::User | FieldType::Department, Tok::Number(text)) => text
                .parse::<i64>()
                .ok()
                .filter(|id| *id > 0)
                .map(Literal::Id)
                .ok_or_else(|| ConditionError::new(pos, format!("{text} is not a {} id", ty.as_str()))),
            (FieldType::Boolean, Tok::True) => Ok(Literal::Bool(true)),
            (FieldType::Boolean, Tok::False) => Ok(Literal::Bool(false)),
            (FieldType::Text | FieldType::Textarea, Tok::Str(text)) => Ok(Literal::Text(text)),
            (FieldType::Select | FieldType::Multiselect, Tok::Str(text)) => {
                if field.options.contains(&text) {
                    Ok(Literal::Text(text))
                } else {
                    Err(ConditionError::new(pos, format!("\"{text}\" is not an option of \"{key}\"")))
                }
            }
            (FieldType::Date, Tok::Str(text)) => parse_date(&text)
                .map(Literal::Date)
                .ok_or_else(|| ConditionError::new(pos, format!("\"{text}\" is not a date like 2026-03-31"))),
            (FieldType::Datetime, Tok::Str(text)) => parse_datetime(&text).map(Literal::DateTime).ok_or_else(|| {
                ConditionError::new(pos, format!("\"{text}\" is not a time like 2026-03-31T09:00:00+08:00"))
            }),
            _ => Err(mismatch(what)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::condition::tests::schema;
    use super::*;

    fn err(src: &str) -> (usize, String) {
        let e = parse(src, &schema()).unwrap_err();
        (e.position, e.message)
    }

    #[test]
    fn builds_the_expected_tree() {
        let c = parse("not days > 1 or amount == 2 and urgent", &schema()).unwrap();
        let Condition::Any(parts) = c else { panic!("{c:?}") };
        assert!(
            matches!(&parts[0], Condition::Not(inner) if matches!(**inner, Condition::Compare { op: CompareOp::Gt, .. }))
        );
        let Condition::All(rest) = &parts[1] else { panic!() };
        assert_eq!(rest.len(), 2);
        assert_eq!(
            rest[1],
            Condition::Compare {
                field: "urgent".into(),
                field_type: FieldType::Boolean,
                op: CompareOp::Eq,
                value: Literal::Bool(true)
            }
        );
    }

    #[test]
    fn unknown_fields_are_named_with_their_offset() {
        assert_eq!(err("amout > 10000"), (0, "unknown field \"amout\"".into()));
        assert_eq!(err("days > 1 and (kind == \"x\")").0, 14);
    }

    #[test]
    fn constants_must_suit_the_field() {
        assert_eq!(
            err("amount > \"10000\""),
            (9, "\"amount\" is a money field and cannot be compared with a string".into())
        );
        assert_eq!(err("days == true").0, 8);
        assert_eq!(err("urgent == 1").0, 10);
        assert_eq!(err("title == 5").0, 9);
        assert_eq!(err("type == \"maternity\""), (8, "\"maternity\" is not an option of \"type\"".into()));
        assert_eq!(err("tags in (\"hotel\", \"spa\")").0, 18);
        assert_eq!(err("dept == 1.5").0, 8);
        assert_eq!(err("boss == -3").0, 8);
        assert_eq!(err("start > \"2026-02-30\"").0, 8);
        assert_eq!(err("at < \"yesterday\"").0, 5);
        assert_eq!(err("amount > 0.0000000000000000001").0, 9);
    }

    #[test]
    fn ordering_needs_an_ordered_field() {
        let (pos, message) = err("type > \"annual\"");
        assert_eq!(pos, 5);
        assert!(message.contains("\"type\" is select"), "{message}");
        assert_eq!(err("urgent <= true").0, 7);
        assert!(parse("start <= \"2026-01-01\"", &schema()).is_ok());
    }

    #[test]
    fn syntax_errors_point_at_the_bad_token() {
        assert_eq!(err(""), (0, "the condition is empty".into()));
        assert_eq!(err("   ").0, 0);
        assert_eq!(err("amount >"), (8, "expected a value, found the end of the condition".into()));
        assert_eq!(err("(amount > 1"), (11, "expected \")\", found the end of the condition".into()));
        assert_eq!(err("amount > 1 amount").0, 11);
        assert_eq!(err("amount 5").0, 7);
        assert_eq!(err("and amount > 1").0, 0);
        assert_eq!(err("amount > 1 and").0, 14);
        assert_eq!(err("type in \"sick\"").0, 8);
        assert_eq!(err("type in (\"sick\" \"annual\")").0, 16);
        assert_eq!(err("type in ()").0, 9);
        assert_eq!(err("days == 1 or or days == 2").0, 13);
        assert_eq!(err("5 > days").0, 0);
    }

    #[test]
    fn nesting_is_bounded() {
        let deep = format!("{}days > 1{}", "(".repeat(200), ")".repeat(200));
        assert_eq!(err(&deep).1, "the condition is nested too deeply");
        let nots = format!("{}urgent", "not ".repeat(100));
        assert!(parse(&nots, &schema()).is_err());
        let fine = format!("{}days > 1{}", "(".repeat(20), ")".repeat(20));
        assert!(parse(&fine, &schema()).is_ok());
    }
}
