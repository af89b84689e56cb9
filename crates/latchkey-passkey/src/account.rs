//! The account behind a token (`GET /me`), and the password step of signing in
//! (`POST /sessions`), which may ask for a second factor.

use std::fmt;

use reqwest::Method;
use serde::Deserialize;
use serde_json::json;

use crate::service::{BearerToken, Error, Service, send};

/// `GET /me`: who a token acts for.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[non_exhaustive]
pub struct Me {
    /// The service's id for the account.
    pub id: String,
    /// The account's email address.
    pub email: String,
}

/// The answer to the password step of signing in.
#[derive(Clone, PartialEq, Eq)]
pub enum SignIn {
    /// No second factor is set up: signed in.
    Done(BearerToken),
    /// A second factor is needed; answer it with `mfa_token`, for instance with
    /// [`Service::sign_in_second_factor`].
    SecondFactor {
        /// Stands for the password until the sign-in ends (Debug hides it).
        mfa_token: String,
        /// What the account can answer with: `totp`, `recovery_code`, `passkey`.
        methods: Vec<String>,
    },
}

impl fmt::Debug for SignIn {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Done(token) => f.debug_tuple("Done").field(token).finish(),
            Self::SecondFactor { methods, .. } => f
                .debug_struct("SecondFactor")
                .field("methods", methods)
                .finish_non_exhaustive(),
        }
    }
}

#[derive(Deserialize)]
struct SessionReply {
    #[serde(default)]
    token: Option<String>,
    #[serde(default)]
    mfa_token: Option<String>,
    #[serde(default)]
    methods: Vec<String>,
}

impl Service {
    /// Who `token` acts for.
    pub async fn me(&self, token: &BearerToken) -> Result<Me, Error> {
        send(self.request(Method::GET, "me", Some(token))).await
    }

    /// Signs in with an email address and password.
    pub async fn sign_in(&self, email: &str, password: &str) -> Result<SignIn, Error> {
        let body = json!({ "email": email, "password": password });
        let req = self.request(Method::POST, "sessions", None).json(&body);
        let reply: SessionReply = send(req).await?;
        match (reply.token, reply.mfa_token) {
            (Some(token), _) => Ok(SignIn::Done(BearerToken::new(token))),
            (None, Some(mfa_token)) => Ok(SignIn::SecondFactor {
                mfa_token,
                methods: reply.methods,
            }),
            (None, None) => Err(Error::Protocol(
                "signing in gave neither a token nor a second-factor step".into(),
            )),
        }
    }
}
