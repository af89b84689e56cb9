//! Errors: [`StartError`] when the service cannot start, and the HTTP error answer
//! `{"error": code, "message": text}` that every endpoint uses.

use std::borrow::Cow;
use std::path::PathBuf;

use axum::Json;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};

/// Why the service could not start. No message contains a secret.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum StartError {
    /// The configuration is unusable (for example an origin that is not http(s)).
    #[error("invalid configuration: {0}")]
    Config(String),
    /// The data folder or file could not be created or opened.
    #[error("cannot open the data file {path}")]
    Data {
        /// The data file.
        path: PathBuf,
        /// What the file system said.
        #[source]
        source: std::io::Error,
    },
    /// SQLite failed while opening or migrating the database.
    #[error("database error while opening the data file")]
    Database(#[from] rusqlite::Error),
    /// The database was written by a newer version of the service.
    #[error("the data file has schema version {found}; this build knows up to {supported}")]
    SchemaTooNew {
        /// The version in the file.
        found: i64,
        /// The newest version this build knows.
        supported: i64,
    },
    /// The server key file could not be read or created.
    #[error("cannot read or create the server key file {path}")]
    KeyFile {
        /// The key file.
        path: PathBuf,
        /// What the file system said.
        #[source]
        source: std::io::Error,
    },
    /// The key file exists but does not hold a key.
    #[error("the server key file {path} is damaged (expected one base64 line of 32 bytes)")]
    KeyDamaged {
        /// The key file.
        path: PathBuf,
    },
    /// The database holds secrets sealed under a key that is not the key file's
    /// (or the key file is missing): starting would make every TOTP secret unreadable.
    #[error(
        "the server key file {path} is missing or is not this database's key; restore the original key file (without it the stored TOTP secrets cannot be read)"
    )]
    KeyMismatch {
        /// The key file.
        path: PathBuf,
    },
    /// The operating system's random number generator failed.
    #[error("the system random number generator failed")]
    Random,
    /// Serving HTTP failed (accepting connections).
    #[error("serving HTTP failed")]
    Serve(#[source] std::io::Error),
    /// A [`LocalServer`](crate::LocalServer) could not get its temporary folder, port,
    /// thread or runtime.
    #[error("cannot start the service in this process")]
    Local(#[source] std::io::Error),
}

/// An error answer: a real HTTP status, a stable snake_case code the client may branch
/// on, and a sentence for people. Never holds a secret.
#[derive(Debug)]
pub(crate) struct ApiError {
    status: StatusCode,
    code: &'static str,
    message: Cow<'static, str>,
    retry_after: Option<i64>,
}

impl ApiError {
    pub(crate) fn new(
        status: StatusCode,
        code: &'static str,
        message: impl Into<Cow<'static, str>>,
    ) -> Self {
        Self {
            status,
            code,
            message: message.into(),
            retry_after: None,
        }
    }

    pub(crate) fn bad_request(code: &'static str, message: impl Into<Cow<'static, str>>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, code, message)
    }

    pub(crate) fn unauthorized(code: &'static str, message: impl Into<Cow<'static, str>>) -> Self {
        Self::new(StatusCode::UNAUTHORIZED, code, message)
    }

    pub(crate) fn forbidden(code: &'static str, message: impl Into<Cow<'static, str>>) -> Self {
        Self::new(StatusCode::FORBIDDEN, code, message)
    }

    pub(crate) fn not_found(code: &'static str, message: impl Into<Cow<'static, str>>) -> Self {
        Self::new(StatusCode::NOT_FOUND, code, message)
    }

    pub(crate) fn conflict(code: &'static str, message: impl Into<Cow<'static, str>>) -> Self {
        Self::new(StatusCode::CONFLICT, code, message)
    }

    /// 429 with `Retry-After: seconds`.
    pub(crate) fn locked_out(retry_after: i64) -> Self {
        Self {
            retry_after: Some(retry_after.max(1)),
            ..Self::new(
                StatusCode::TOO_MANY_REQUESTS,
                "too_many_attempts",
                "Too many wrong codes. Wait before trying again.",
            )
        }
    }

    /// The HTTP status (the web pages reuse it).
    pub(crate) fn status(&self) -> StatusCode {
        self.status
    }

    /// The stable snake_case code.
    pub(crate) fn code(&self) -> &'static str {
        self.code
    }

    /// The sentence for people.
    pub(crate) fn message(&self) -> &str {
        &self.message
    }

    /// Seconds to wait, for 429 answers.
    pub(crate) fn retry_after(&self) -> Option<i64> {
        self.retry_after
    }

    pub(crate) fn internal() -> Self {
        Self::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "internal",
            "Something went wrong on the server.",
        )
    }
}

impl From<rusqlite::Error> for ApiError {
    fn from(e: rusqlite::Error) -> Self {
        // SQLite errors name the statement's problem, never the bound values.
        tracing::error!(error = %e, "database error");
        Self::internal()
    }
}

#[derive(serde::Serialize)]
struct Body<'a> {
    error: &'a str,
    message: &'a str,
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let body = Body {
            error: self.code,
            message: &self.message,
        };
        let mut response = (self.status, Json(body)).into_response();
        if let Some(seconds) = self.retry_after {
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from(seconds));
        }
        response
    }
}
