//! Starting the server, talking to it, and computing TOTP codes independently with
//! totp-rs from the `otpauth://` URI the server gave.

use std::path::{Path, PathBuf};

use account_service::{Config, LocalServer, ManualClock, StartError};
use reqwest::Method;
use serde_json::{Value, json};
use tempfile::TempDir;

/// The start of a 30-second step, far from anything the system clock would say.
pub const T0: i64 = 1_800_000_000;

pub struct Server {
    pub base: String,
    pub clock: ManualClock,
    pub data: PathBuf,
    http: reqwest::Client,
    local: LocalServer,
    _dir: Option<TempDir>,
}

/// An answer: status, JSON body (`Null` if none), `Retry-After` if sent.
#[derive(Debug)]
pub struct Reply {
    pub status: u16,
    pub body: Value,
    pub retry_after: Option<i64>,
}

impl Reply {
    /// The `error` code if the body has one.
    pub fn error_or_none(&self) -> Option<&str> {
        self.body.get("error").and_then(|e| e.as_str())
    }

    /// The body's `error` code, asserting the error shape `{error, message}`.
    pub fn error(&self) -> &str {
        assert!(
            self.body["message"].as_str().is_some_and(|m| !m.is_empty()),
            "error without message: {self:?}"
        );
        self.body["error"]
            .as_str()
            .unwrap_or_else(|| panic!("not an error: {self:?}"))
    }
}

impl Server {
    /// A server on a fresh data file, its clock at [`T0`].
    pub async fn start() -> Self {
        let dir = tempfile::tempdir().unwrap();
        let mut server = Self::start_on(&dir.path().join("accounts.sqlite3"), ManualClock::new(T0))
            .await
            .unwrap();
        server._dir = Some(dir);
        server
    }

    /// A server on `data`; fails if the service refuses to start.
    pub async fn start_on(data: &Path, clock: ManualClock) -> Result<Self, StartError> {
        let mut config = Config::new(data);
        config.clock = clock.clone().into();
        let local = LocalServer::start_with(config)?;
        Ok(Self {
            base: local.base().to_owned(),
            clock,
            data: data.to_owned(),
            http: reqwest::Client::new(),
            local,
            _dir: None,
        })
    }

    /// Stops the server and waits until it has.
    pub async fn stop(self) {
        drop(self.http);
        self.local.stop().unwrap();
    }

    pub fn now(&self) -> i64 {
        self.clock.now()
    }

    pub async fn call(
        &self,
        method: Method,
        path: &str,
        token: Option<&str>,
        body: Option<Value>,
    ) -> Reply {
        let mut req = self.http.request(method, format!("{}{path}", self.base));
        if let Some(token) = token {
            req = req.bearer_auth(token);
        }
        if let Some(body) = body {
            req = req.json(&body);
        }
        let resp = req.send().await.unwrap();
        let status = resp.status().as_u16();
        let retry_after = resp
            .headers()
            .get("retry-after")
            .map(|v| v.to_str().unwrap().parse().unwrap());
        let text = resp.text().await.unwrap();
        let body = if text.is_empty() {
            Value::Null
        } else {
            serde_json::from_str(&text).unwrap_or_else(|e| panic!("not JSON ({e}): {text}"))
        };
        Reply {
            status,
            body,
            retry_after,
        }
    }

    pub async fn get(&self, path: &str, token: Option<&str>) -> Reply {
        self.call(Method::GET, path, token, None).await
    }

    pub async fn post(&self, path: &str, token: Option<&str>, body: Value) -> Reply {
        self.call(Method::POST, path, token, Some(body)).await
    }

    pub async fn put(&self, path: &str, token: Option<&str>, body: Value) -> Reply {
        self.call(Method::PUT, path, token, Some(body)).await
    }

    pub async fn delete(&self, path: &str, token: Option<&str>, body: Option<Value>) -> Reply {
        self.call(Method::DELETE, path, token, body).await
    }

    /// Signs up; returns the user id.
    pub async fn sign_up(&self, email: &str) -> String {
        let r = self
            .post(
                "/api/v1/users",
                None,
                json!({ "email": email, "password": PASSWORD }),
            )
            .await;
        assert_eq!(r.status, 201, "{r:?}");
        r.body["id"].as_str().unwrap().to_owned()
    }

    /// `POST /sessions` with the right password.
    pub async fn sign_in(&self, email: &str) -> Reply {
        let r = self
            .post(
                "/api/v1/sessions",
                None,
                json!({ "email": email, "password": PASSWORD }),
            )
            .await;
        assert_eq!(r.status, 200, "{r:?}");
        r
    }

    /// Signs in a user without 2FA; returns the bearer token.
    pub async fn token(&self, email: &str) -> String {
        let r = self.sign_in(email).await;
        r.body["token"]
            .as_str()
            .unwrap_or_else(|| panic!("no token: {r:?}"))
            .to_owned()
    }

    /// Signs in a user with 2FA up to the second step; returns the MFA token.
    pub async fn mfa_token(&self, email: &str) -> String {
        let r = self.sign_in(email).await;
        assert_eq!(r.body["mfa_required"], true, "{r:?}");
        r.body["mfa_token"].as_str().unwrap().to_owned()
    }

    pub async fn second_factor(&self, mfa_token: &str, field: &str, code: &str) -> Reply {
        self.post(
            "/api/v1/sessions/mfa",
            None,
            json!({ "mfa_token": mfa_token, field: code }),
        )
        .await
    }

    /// A whole sign-in: the password step, then `field` (`totp_code`,
    /// `recovery_code`) as the second factor.
    pub async fn sign_in_with(&self, email: &str, field: &str, code: &str) -> Reply {
        let mfa_token = self.mfa_token(email).await;
        self.second_factor(&mfa_token, field, code).await
    }

    /// Signs up `email`, sets up TOTP and confirms it with a code computed here.
    pub async fn user_with_totp(&self, email: &str) -> TotpUser {
        self.sign_up(email).await;
        let token = self.token(email).await;
        let setup = self
            .post("/api/v1/mfa/totp/setup", Some(&token), json!({}))
            .await;
        assert_eq!(setup.status, 200, "{setup:?}");
        let uri = setup.body["otpauth_uri"].as_str().unwrap().to_owned();
        let user = TotpUser {
            email: email.to_owned(),
            token,
            totp: totp_rs::Totp::from_url(&uri).unwrap(),
            recovery_codes: Vec::new(),
        };
        let confirm = self
            .post(
                "/api/v1/mfa/totp/confirm",
                Some(&user.token),
                json!({ "code": user.code_at(self.now()) }),
            )
            .await;
        assert_eq!(confirm.status, 200, "{confirm:?}");
        TotpUser {
            recovery_codes: strings(&confirm.body["recovery_codes"]),
            ..user
        }
    }
}

pub const PASSWORD: &str = "correct horse battery staple";

pub struct TotpUser {
    pub email: String,
    /// The bearer token from before TOTP was on.
    pub token: String,
    pub totp: totp_rs::Totp,
    pub recovery_codes: Vec<String>,
}

impl TotpUser {
    /// The code for time `t`, computed by totp-rs from the otpauth URI.
    pub fn code_at(&self, t: i64) -> String {
        self.totp.generate(u64::try_from(t).unwrap()).to_string()
    }

    /// A 6-digit code that is wrong for every step within ±1 of `t`.
    pub fn wrong_code_at(&self, t: i64) -> String {
        let near: Vec<String> = [-30, 0, 30].iter().map(|d| self.code_at(t + d)).collect();
        ["000000", "111111", "222222", "333333"]
            .iter()
            .find(|c| !near.iter().any(|n| n == *c))
            .unwrap()
            .to_string()
    }
}

pub fn strings(v: &Value) -> Vec<String> {
    v.as_array()
        .unwrap_or_else(|| panic!("not an array: {v}"))
        .iter()
        .map(|s| s.as_str().unwrap().to_owned())
        .collect()
}

/// Sends every (mfa_token, field, code) second factor at once; their statuses.
pub async fn race_second_factors(
    s: &std::sync::Arc<Server>,
    attempts: Vec<(String, &'static str, String)>,
) -> Vec<u16> {
    let mut racers = tokio::task::JoinSet::new();
    for (mfa_token, field, code) in attempts {
        let s = std::sync::Arc::clone(s);
        racers.spawn(async move { s.second_factor(&mfa_token, field, &code).await.status });
    }
    racers.join_all().await
}

/// Exactly one of `statuses` is 200.
pub fn assert_one_in(statuses: &[u16]) {
    assert_eq!(
        statuses.iter().filter(|s| **s == 200).count(),
        1,
        "{statuses:?}"
    );
}

/// Exactly one of `statuses` is 200, and every other is one of `refusals`.
pub fn assert_one_won_others_refused(statuses: &[u16], refusals: &[u16]) {
    assert_one_in(statuses);
    assert!(
        statuses.iter().all(|s| *s == 200 || refusals.contains(s)),
        "{statuses:?}"
    );
}
