//! The crate's one error type. Every variant carries a stable snake_case code
//! that clients (the web UI, bots) match on, and names the HTTP status it maps
//! to. Internal errors keep their cause chain for the logs and never show it
//! to a client.

use std::fmt;

/// A problem with one input field, reported alongside `invalid_input`.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct FieldIssue {
    pub field: String,
    pub code: &'static str,
    pub message: String,
}

impl FieldIssue {
    pub fn new(field: impl Into<String>, code: &'static str, message: impl Into<String>) -> Self {
        Self { field: field.into(), code, message: message.into() }
    }
}

/// Everything that can go wrong in Signoff, as a client should see it.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// 401: no credentials, or credentials that are not (or no longer) valid.
    #[error("{message}")]
    Unauthenticated { code: &'static str, message: String },
    /// 403: authenticated, but this operation is not theirs to do.
    #[error("{message}")]
    Forbidden { code: &'static str, message: String },
    /// 404: the thing does not exist, or the caller may not know it does.
    #[error("{what} not found")]
    NotFound { what: &'static str },
    /// 409: the request lost a race or contradicts the current state.
    #[error("{message}")]
    Conflict { code: &'static str, message: String },
    /// 400/422: the input is wrong; `fields` says where.
    #[error("{message}")]
    Invalid { code: &'static str, message: String, fields: Vec<FieldIssue> },
    /// 429: too many requests of this kind for now.
    #[error("{message}")]
    RateLimited { code: &'static str, message: String },
    /// 503: a dependency (database, bus) is not reachable.
    #[error("service unavailable")]
    Unavailable(#[source] anyhow::Error),
    /// 500: a bug or an unexpected failure; details go to the log only.
    #[error("internal error")]
    Internal(#[source] anyhow::Error),
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    pub fn unauthenticated(code: &'static str, message: impl Into<String>) -> Self {
        Self::Unauthenticated { code, message: message.into() }
    }

    pub fn rate_limited(code: &'static str, message: impl Into<String>) -> Self {
        Self::RateLimited { code, message: message.into() }
    }

    pub fn forbidden(message: impl Into<String>) -> Self {
        Self::Forbidden { code: "forbidden", message: message.into() }
    }

    /// 403 with a code of its own (`not_an_approver`, `not_applicant`…).
    pub fn denied(code: &'static str, message: impl Into<String>) -> Self {
        Self::Forbidden { code, message: message.into() }
    }

    pub fn not_found(what: &'static str) -> Self {
        Self::NotFound { what }
    }

    pub fn conflict(code: &'static str, message: impl Into<String>) -> Self {
        Self::Conflict { code, message: message.into() }
    }

    /// Bad input with a code of its own (`department_cycle`, `proxy_overlap`…).
    pub fn invalid(code: &'static str, message: impl Into<String>) -> Self {
        Self::Invalid { code, message: message.into(), fields: Vec::new() }
    }

    /// Bad input pinned to one field.
    pub fn invalid_field(code: &'static str, field: &str, message: impl Into<String>) -> Self {
        let message = message.into();
        Self::Invalid { code, fields: vec![FieldIssue::new(field, code, message.clone())], message }
    }

    /// Field problems reported together: one keeps its own code, several
    /// are `invalid_input` with each listed.
    pub fn invalid_fields(fields: Vec<FieldIssue>) -> Self {
        match fields.as_slice() {
            [one] => Self::Invalid { code: one.code, message: format!("{}: {}", one.field, one.message), fields },
            many => {
                Self::Invalid { code: "invalid_input", message: format!("{} fields are invalid", many.len()), fields }
            }
        }
    }

    pub fn internal(err: impl Into<anyhow::Error>) -> Self {
        Self::Internal(err.into())
    }

    /// The stable code a client matches on.
    pub fn code(&self) -> &'static str {
        match self {
            Self::Unauthenticated { code, .. }
            | Self::Forbidden { code, .. }
            | Self::Conflict { code, .. }
            | Self::Invalid { code, .. } => code,
            Self::NotFound { .. } => "not_found",
            Self::RateLimited { code, .. } => code,
            Self::Unavailable(_) => "unavailable",
            Self::Internal(_) => "internal",
        }
    }

    /// The HTTP status this error maps to.
    pub fn status(&self) -> u16 {
        match self {
            Self::Unauthenticated { .. } => 401,
            Self::Forbidden { .. } => 403,
            Self::NotFound { .. } => 404,
            Self::Conflict { .. } => 409,
            Self::Invalid { .. } => 422,
            Self::RateLimited { .. } => 429,
            Self::Unavailable(_) => 503,
            Self::Internal(_) => 500,
        }
    }

    /// What a client may read: the message, unless it would leak internals.
    pub fn public_message(&self) -> String {
        self.to_string()
    }

    /// Field issues, when the input was wrong.
    pub fn fields(&self) -> &[FieldIssue] {
        match self {
            Self::Invalid { fields, .. } => fields,
            _ => &[],
        }
    }

    /// Server-side failures, which are logged with their cause chain.
    pub fn is_server_fault(&self) -> bool {
        matches!(self, Self::Internal(_) | Self::Unavailable(_))
    }
}

/// Writes the whole cause chain on one line, for logs.
pub struct Chain<'a>(pub &'a (dyn std::error::Error + 'static));

impl fmt::Display for Chain<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)?;
        let mut source = self.0.source();
        while let Some(cause) = source {
            write!(f, ": {cause}")?;
            source = cause.source();
        }
        Ok(())
    }
}

/// Logs a server fault with its cause chain; client errors are not logged.
pub fn log_if_server_fault(err: &Error) {
    if err.is_server_fault() {
        tracing::error!(code = err.code(), error = %Chain(err), "request failed");
    }
}
