//! The service on `127.0.0.1`, in this process, for tests and demos.
//!
//! [`LocalServer`] is how the workspace's tests get a real account service to talk to:
//! it binds a free loopback port, opens a data file (by default a fresh one in a
//! temporary folder), serves from a thread and tokio runtime of its own, and stops
//! gracefully when dropped. Because it owns its runtime it works the same from a plain
//! `#[test]`, from inside a `#[tokio::test]` and from a harness that drives another
//! process. It is not a production entry point: the `account-service` binary (or
//! [`serve`](crate::serve) on a listener you bind) is.
//!
//! ```
//! use account_service::LocalServer;
//! use serde_json::json;
//!
//! let server = LocalServer::start()?;
//! let body = json!({ "email": "ada@example.com", "password": "correct horse battery staple" });
//! let (status, _) = server.post("/api/v1/users", None, &body)?;
//! assert_eq!(status, 201);
//! let (status, session) = server.post("/api/v1/sessions", None, &body)?;
//! assert_eq!(status, 200);
//! assert!(session["token"].is_string());
//! server.stop()?;
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use std::io;
use std::sync::mpsc;
use std::thread::JoinHandle;
use std::time::Duration;

use serde_json::Value;
use tempfile::TempDir;
use tokio::net::TcpListener;
use tokio::runtime::Handle;
use tokio::sync::oneshot;

use crate::{Clock, Config, StartError};

/// How long requests still in flight may take once the server is told to stop; a client
/// that holds one open longer must not hang the test that drops the server.
const GRACE: Duration = Duration::from_secs(5);

/// The account service on `http://127.0.0.1:PORT`, until stopped or dropped. For tests
/// and demos only (see the [module docs](self)).
#[derive(Debug)]
pub struct LocalServer {
    base: String,
    runtime: Handle,
    http: reqwest::Client,
    stop: Option<oneshot::Sender<()>>,
    thread: Option<JoinHandle<Result<(), StartError>>>,
    // Dropped after the thread has been joined (fields drop after `Drop::drop`).
    _dir: Option<TempDir>,
}

/// What the server thread reports once it answers requests (or why it cannot).
type Ready = Result<(String, Handle), StartError>;

impl LocalServer {
    /// A server on a fresh data file in a temporary folder (removed when the server
    /// is), on the system clock, with the defaults of [`Config::new`].
    pub fn start() -> Result<Self, StartError> {
        Self::start_with_clock(Clock::system())
    }

    /// Like [`start`](Self::start), reading the time from `clock` (a
    /// [`ManualClock`](crate::ManualClock) in tests of expiry and lockouts).
    pub fn start_with_clock(clock: impl Into<Clock>) -> Result<Self, StartError> {
        let dir = tempfile::tempdir().map_err(StartError::Local)?;
        let mut config = Config::new(dir.path().join("accounts.sqlite3"));
        config.clock = clock.into();
        Self::launch(config, Some(dir))
    }

    /// A server with `config`, whose data file is the caller's and outlives the server
    /// (to restart on it, or to check what the service refuses to start on).
    pub fn start_with(config: Config) -> Result<Self, StartError> {
        Self::launch(config, None)
    }

    /// Where the service answers: `http://127.0.0.1:PORT`, no trailing slash.
    pub fn base(&self) -> &str {
        &self.base
    }

    /// `POST base + path` with `body` as JSON, and `token` as the bearer token if given:
    /// the status and the JSON answer (`Null` when the answer has none, as a 204 does).
    ///
    /// The request runs on the server's runtime and this blocks until it is answered,
    /// so sync and async callers alike can use it.
    pub fn post(&self, path: &str, token: Option<&str>, body: &Value) -> io::Result<(u16, Value)> {
        let mut request = self.http.post(format!("{}{path}", self.base)).json(body);
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        let (answer, answered) = mpsc::channel();
        self.runtime.spawn(async move {
            let reply = async {
                let reply = request.send().await?;
                let status = reply.status().as_u16();
                let text = reply.text().await?;
                Ok::<_, reqwest::Error>((
                    status,
                    serde_json::from_str(&text).unwrap_or(Value::Null),
                ))
            };
            answer.send(reply.await.map_err(io::Error::other)).ok();
        });
        answered
            .recv()
            .unwrap_or_else(|_| Err(io::Error::other("the account service has stopped")))
    }

    /// Stops the server, waits until it has, and says whether it served without error.
    pub fn stop(mut self) -> Result<(), StartError> {
        self.shut_down()
    }

    fn launch(config: Config, dir: Option<TempDir>) -> Result<Self, StartError> {
        let http = reqwest::Client::builder()
            .build()
            .map_err(|e| StartError::Local(io::Error::other(e)))?;
        let (ready, readied) = mpsc::channel::<Ready>();
        let (stop, stopped) = oneshot::channel();
        let thread = std::thread::Builder::new()
            .name("account-service".to_owned())
            .spawn(move || run(config, &ready, stopped))
            .map_err(StartError::Local)?;
        let (base, runtime) = match readied.recv() {
            Ok(Ok(started)) => started,
            Ok(Err(e)) => {
                thread.join().ok();
                return Err(e);
            }
            // The thread ended without a word: it panicked.
            Err(_) => return Err(joined(thread).err().unwrap_or_else(thread_died)),
        };
        Ok(Self {
            base,
            runtime,
            http,
            stop: Some(stop),
            thread: Some(thread),
            _dir: dir,
        })
    }

    fn shut_down(&mut self) -> Result<(), StartError> {
        if let Some(stop) = self.stop.take() {
            stop.send(()).ok();
        }
        self.thread.take().map_or(Ok(()), joined)
    }
}

impl Drop for LocalServer {
    /// Stops the server and waits for its thread; an error it ends with is dropped
    /// (call [`LocalServer::stop`] to see it).
    fn drop(&mut self) {
        self.shut_down().ok();
    }
}

/// The server thread: binds, opens the data, reports, then serves until `stop`.
fn run(
    config: Config,
    ready: &mpsc::Sender<Ready>,
    stop: oneshot::Receiver<()>,
) -> Result<(), StartError> {
    // Two workers, so handlers race as they do in the binary (tests of races rely on it).
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build();
    let runtime = match runtime {
        Ok(runtime) => runtime,
        Err(e) => {
            ready.send(Err(StartError::Local(e))).ok();
            return Ok(());
        }
    };
    runtime.block_on(async move {
        let data = config.data.display().to_string();
        let started = async {
            let listener = TcpListener::bind("127.0.0.1:0")
                .await
                .map_err(StartError::Local)?;
            let base = format!(
                "http://{}",
                listener.local_addr().map_err(StartError::Local)?
            );
            let state = crate::open_off_thread(config).await?;
            Ok((listener, base, state))
        };
        let (listener, base, state) = match started.await {
            Ok(started) => started,
            Err(e) => {
                ready.send(Err(e)).ok();
                return Ok(());
            }
        };
        ready.send(Ok((base, Handle::current()))).ok();
        let (drain, drained) = oneshot::channel::<()>();
        let serving = crate::serve_opened(state, &data, listener, async {
            drained.await.ok();
        });
        let mut serving = std::pin::pin!(serving);
        tokio::select! {
            served = &mut serving => return served,
            // Told to stop, or the LocalServer is gone without saying so.
            _ = stop => {}
        }
        drain.send(()).ok();
        tokio::time::timeout(GRACE, serving).await.unwrap_or(Ok(()))
    })
}

/// The thread's result, a panic turned into an error.
fn joined(thread: JoinHandle<Result<(), StartError>>) -> Result<(), StartError> {
    thread.join().unwrap_or_else(|_| Err(thread_died()))
}

fn thread_died() -> StartError {
    StartError::Local(io::Error::other("the service thread panicked"))
}
