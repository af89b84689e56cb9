//! The SQLite database: one file in WAL mode, used through a small pool of connections
//! whose calls run on tokio's blocking threads, never on the async workers.
//!
//! Every write goes through [`Db::write`], a `BEGIN IMMEDIATE` transaction: SQLite lets
//! one writer in at a time (others wait up to the busy timeout), so a read-then-update
//! inside one closure is atomic — this is what makes racing uses of one recovery code or
//! one TOTP step succeed exactly once.

use std::path::Path;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use rusqlite::{Connection, Transaction, TransactionBehavior};
use tokio::sync::{OwnedSemaphorePermit, Semaphore};

use crate::error::{ApiError, StartError};

/// Connections kept open. Writes are serialised by SQLite anyway; a few connections let
/// reads proceed beside a write.
const POOL_SIZE: usize = 4;
const BUSY_TIMEOUT: Duration = Duration::from_secs(10);

#[derive(Clone)]
pub(crate) struct Db(Arc<Pool>);

struct Pool {
    idle: Mutex<Vec<Connection>>,
    /// One permit per idle connection.
    permits: Arc<Semaphore>,
}

/// A connection borrowed from the pool, with its permit. On drop (even after a panic,
/// or when the request that asked for it has gone) the connection goes back first and
/// the permit is released after, so a permit always finds a connection.
struct Lease {
    conn: Option<Connection>,
    pool: Arc<Pool>,
    _permit: OwnedSemaphorePermit,
}

impl Drop for Lease {
    fn drop(&mut self) {
        if let Some(conn) = self.conn.take() {
            self.pool
                .idle
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .push(conn);
        }
    }
}

impl Db {
    /// Opens (creating if needed) the database file and brings its schema up to date.
    pub(crate) fn open(path: &Path) -> Result<Self, StartError> {
        let data_err = |source| StartError::Data {
            path: path.to_owned(),
            source,
        };
        if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
            std::fs::create_dir_all(parent).map_err(data_err)?;
        }
        create_private(path).map_err(data_err)?;
        let mut conns = Vec::with_capacity(POOL_SIZE);
        for _ in 0..POOL_SIZE {
            conns.push(connect(path)?);
        }
        if let Some(first) = conns.first_mut() {
            crate::schema::migrate(first)?;
        }
        Ok(Self(Arc::new(Pool {
            idle: Mutex::new(conns),
            permits: Arc::new(Semaphore::new(POOL_SIZE)),
        })))
    }

    /// Runs `f` on a pooled connection on the blocking pool.
    pub(crate) async fn read<T, F>(&self, f: F) -> Result<T, ApiError>
    where
        F: FnOnce(&Connection) -> Result<T, ApiError> + Send + 'static,
        T: Send + 'static,
    {
        self.call(move |conn| f(conn)).await
    }

    /// Runs `f` in a `BEGIN IMMEDIATE` transaction, committed if `f` returns `Ok`.
    pub(crate) async fn write<T, F>(&self, f: F) -> Result<T, ApiError>
    where
        F: FnOnce(&Transaction<'_>) -> Result<T, ApiError> + Send + 'static,
        T: Send + 'static,
    {
        self.call(move |conn| {
            let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
            let out = f(&tx)?;
            tx.commit()?;
            Ok(out)
        })
        .await
    }

    /// Runs `f` on a connection outside any async context (start-up).
    pub(crate) fn blocking<T>(
        &self,
        f: impl FnOnce(&mut Connection) -> Result<T, StartError>,
    ) -> Result<T, StartError> {
        let mut idle = self.0.idle.lock().unwrap_or_else(PoisonError::into_inner);
        let conn = idle
            .first_mut()
            .ok_or_else(|| StartError::Config("the connection pool is empty".into()))?;
        f(conn)
    }

    async fn call<T, F>(&self, f: F) -> Result<T, ApiError>
    where
        F: FnOnce(&mut Connection) -> Result<T, ApiError> + Send + 'static,
        T: Send + 'static,
    {
        let permit = Arc::clone(&self.0.permits)
            .acquire_owned()
            .await
            .map_err(|_| ApiError::internal())?;
        let conn = self
            .0
            .idle
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .pop();
        let mut lease = Lease {
            conn,
            pool: Arc::clone(&self.0),
            _permit: permit,
        };
        tokio::task::spawn_blocking(move || {
            let conn = lease.conn.as_mut().ok_or_else(ApiError::internal)?;
            f(conn)
        })
        .await
        .map_err(|_| ApiError::internal())?
    }
}

fn connect(path: &Path) -> Result<Connection, StartError> {
    let conn = Connection::open(path)?;
    conn.busy_timeout(BUSY_TIMEOUT)?;
    // journal_mode answers with the mode now in force; WAL persists in the file.
    let _mode: String = conn.pragma_update_and_check(None, "journal_mode", "WAL", |r| r.get(0))?;
    conn.pragma_update(None, "synchronous", "NORMAL")?;
    conn.pragma_update(None, "foreign_keys", "ON")?;
    Ok(conn)
}

/// Makes sure the file exists, created owner-only: it holds password hashes. SQLite
/// gives its -wal and -shm files the same permissions.
fn create_private(path: &Path) -> std::io::Result<()> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(false);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    options.open(path).map(drop)
}
