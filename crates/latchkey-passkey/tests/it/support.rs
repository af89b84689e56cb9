//! The account service on 127.0.0.1:0 with a fresh data file, and the password half of
//! signing in (which is not this crate's business).

use account_service::{Clock, LocalServer};
use serde_json::{Value, json};

pub const PASSWORD: &str = "correct horse battery staple";

pub struct Server {
    pub base: String,
    local: LocalServer,
}

impl Server {
    pub async fn start() -> Self {
        Self::start_with_clock(Clock::system()).await
    }

    /// A service that reads the time from `clock` (a `ManualClock` in tests of expiry).
    pub async fn start_with_clock(clock: Clock) -> Self {
        let local = LocalServer::start_with_clock(clock).unwrap();
        Self {
            base: local.base().to_owned(),
            local,
        }
    }

    pub async fn stop(self) {
        self.local.stop().unwrap();
    }

    pub async fn sign_up(&self, email: &str) {
        let body = json!({ "email": email, "password": PASSWORD });
        let (status, reply) = self.local.post("/api/v1/users", None, &body).unwrap();
        assert_eq!(status, 201, "{reply}");
    }

    /// `POST /sessions` with the right password: `{token}` or `{mfa_required, …}`.
    pub async fn sign_in(&self, email: &str) -> Value {
        let body = json!({ "email": email, "password": PASSWORD });
        let (status, reply) = self.local.post("/api/v1/sessions", None, &body).unwrap();
        assert_eq!(status, 200, "{reply}");
        reply
    }
}
