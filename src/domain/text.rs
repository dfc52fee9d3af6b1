//! What free text people type may contain. One rule for titles, names,
//! comments, form text fields and search strings, so a client cannot smuggle
//! a NUL into a database, reverse the reading order of a rejection reason
//! shown to someone else (bidi overrides: "Trojan Source"), or file a ticket
//! whose title renders as nothing.

/// Why a piece of text was refused; the caller turns it into its own field
/// error with a stable code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TextProblem {
    /// NUL or another control character (line breaks and tabs are allowed
    /// in multi-line text only).
    Control,
    /// A bidirectional override or isolate (U+202A–U+202E, U+2066–U+2069).
    Bidi,
    /// Nothing visible: only spaces and zero-width characters.
    Invisible,
}

impl TextProblem {
    pub fn describe(self) -> &'static str {
        match self {
            TextProblem::Control => "contains a control character",
            TextProblem::Bidi => "contains a bidirectional override character",
            TextProblem::Invisible => "has no visible characters",
        }
    }
}

fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// Characters that render as nothing. Whitespace is judged separately.
fn is_invisible(c: char) -> bool {
    c.is_whitespace()
        || matches!(
            c,
            '\u{00AD}'
                | '\u{034F}'
                | '\u{115F}'
                | '\u{1160}'
                | '\u{180E}'
                | '\u{200B}'..='\u{200F}'
                | '\u{2060}'..='\u{2064}'
                | '\u{3164}'
                | '\u{FEFF}'
                | '\u{FFA0}'
        )
}

/// Checks one line of text (a title, a name, a search string).
pub fn check_line(s: &str) -> Result<(), TextProblem> {
    check(s, false)
}

/// Checks multi-line text (a comment, a textarea): line breaks and tabs pass.
pub fn check_block(s: &str) -> Result<(), TextProblem> {
    check(s, true)
}

fn check(s: &str, multiline: bool) -> Result<(), TextProblem> {
    for c in s.chars() {
        if c.is_control() && !(multiline && matches!(c, '\n' | '\r' | '\t')) {
            return Err(TextProblem::Control);
        }
        if is_bidi_control(c) {
            return Err(TextProblem::Bidi);
        }
    }
    if !s.is_empty() && s.chars().all(is_invisible) {
        return Err(TextProblem::Invisible);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ordinary_text_passes() {
        assert_eq!(check_line("年假申请 3 天"), Ok(()));
        assert_eq!(check_block("first line\nsecond\tline"), Ok(()));
        // A zero-width joiner inside an emoji sequence is fine when something shows.
        assert_eq!(check_line("👩\u{200D}💻 laptop"), Ok(()));
        assert_eq!(check_line(""), Ok(()));
    }

    #[test]
    fn refusals() {
        assert_eq!(check_line("a\0b"), Err(TextProblem::Control));
        assert_eq!(check_line("a\nb"), Err(TextProblem::Control));
        assert_eq!(check_block("a\0b"), Err(TextProblem::Control));
        assert_eq!(check_line("approve \u{202E}txt.exe"), Err(TextProblem::Bidi));
        assert_eq!(check_block("x\u{2066}y"), Err(TextProblem::Bidi));
        assert_eq!(check_line("\u{200B}\u{200B}"), Err(TextProblem::Invisible));
        assert_eq!(check_line(" \u{3164} \u{FEFF}"), Err(TextProblem::Invisible));
    }
}
