//! The account service on 127.0.0.1:0 with a fresh data file, and the password half of
//! signing in (which is not this crate's business).

use account_service::{Clock, Config};
use serde_json::{Value, json};
use tempfile::TempDir;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

pub const PASSWORD: &str = "correct horse battery staple";

pub struct Server {
    pub base: String,
    http: reqwest::Client,
    stop: oneshot::Sender<()>,
    task: JoinHandle<Result<(), account_service::StartError>>,
    _dir: TempDir,
}

impl Server {
    pub async fn start() -> Self {
        Self::start_with_clock(Clock::system()).await
    }

    /// A service that reads the time from `clock` (a `ManualClock` in tests of expiry).
    pub async fn start_with_clock(clock: Clock) -> Self {
        let dir = tempfile::tempdir().unwrap();
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        let mut config = Config::new(dir.path().join("accounts.sqlite3"));
        config.clock = clock;
        let (stop, stopped) = oneshot::channel::<()>();
        let task = tokio::spawn(account_service::serve_with_shutdown(
            config,
            listener,
            async {
                stopped.await.ok();
            },
        ));
        Self {
            base,
            http: reqwest::Client::new(),
            stop,
            task,
            _dir: dir,
        }
    }

    pub async fn stop(self) {
        self.stop.send(()).ok();
        self.task.await.unwrap().unwrap();
    }

    async fn post(&self, path: &str, body: Value) -> (u16, Value) {
        let r = self
            .http
            .post(format!("{}{path}", self.base))
            .json(&body)
            .send()
            .await
            .unwrap();
        (r.status().as_u16(), r.json().await.unwrap())
    }

    pub async fn sign_up(&self, email: &str) {
        let body = json!({ "email": email, "password": PASSWORD });
        let (status, reply) = self.post("/api/v1/users", body).await;
        assert_eq!(status, 201, "{reply}");
    }

    /// `POST /sessions` with the right password: `{token}` or `{mfa_required, …}`.
    pub async fn sign_in(&self, email: &str) -> Value {
        let body = json!({ "email": email, "password": PASSWORD });
        let (status, reply) = self.post("/api/v1/sessions", body).await;
        assert_eq!(status, 200, "{reply}");
        reply
    }
}
