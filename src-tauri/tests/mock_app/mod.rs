//! The app on Tauri's mock runtime, shared by the command test binaries: a fresh folder
//! (vault, settings), a memory keychain, and commands called through the real IPC path.
//! Each binary uses part of it.
#![allow(dead_code)]

use std::sync::Arc;

use latchkey_app::state::{AppState, Keychain};
use latchkey_core::keystore::{KeyStore, KeyStoreError, MemoryKeyStore};
use latchkey_core::vault::KdfParams;
use serde_json::Value;
use tauri::ipc::{CallbackFn, InvokeBody};
use tauri::test::{
    INVOKE_KEY, MockRuntime, get_ipc_response, mock_builder, mock_context, noop_assets,
};
use tauri::webview::InvokeRequest;
use tauri::{App, WebviewWindow, WebviewWindowBuilder};

/// Argon2 costs that keep password tests fast; the real costs are the core's concern.
pub const CHEAP: KdfParams = KdfParams {
    m_kib: 64,
    t: 1,
    p: 1,
};

pub struct MockApp {
    pub app: App<MockRuntime>,
    pub window: WebviewWindow<MockRuntime>,
    pub dir: tempfile::TempDir,
    pub keychain: Arc<MemoryKeyStore>,
}

impl MockApp {
    /// An app over a fresh folder; `keychain` false makes the keychain unavailable.
    /// `configure` adjusts the state before the app starts (a shorter key wait, say).
    pub fn new(keychain: bool, configure: impl FnOnce(AppState) -> AppState) -> Self {
        let dir = tempfile::tempdir().unwrap();
        let store = Arc::new(MemoryKeyStore::new());
        let s = store.clone();
        let open: Keychain = Arc::new(move || match keychain {
            true => Ok(s.clone() as Arc<dyn KeyStore>),
            false => Err(KeyStoreError::Unavailable("test: no keychain".into())),
        });
        let state = AppState::new(
            dir.path().join("vault.latchkey"),
            dir.path().join("settings.json"),
            open,
            CHEAP,
        );
        let app = latchkey_app::builder(mock_builder(), configure(state))
            .build(mock_context(noop_assets()))
            .unwrap();
        let window = WebviewWindowBuilder::new(&app, "main", Default::default())
            .build()
            .unwrap();
        Self {
            app,
            window,
            dir,
            keychain: store,
        }
    }

    pub fn call(&self, cmd: &str, args: Value) -> Result<Value, String> {
        call(&self.window, cmd, args)
    }

    /// Calls `cmd` and expects an answer.
    pub fn ok(&self, cmd: &str, args: Value) -> Value {
        self.call(cmd, args)
            .unwrap_or_else(|e| panic!("{cmd}: {e}"))
    }

    /// Calls `cmd` and expects its error sentence.
    pub fn err(&self, cmd: &str, args: Value) -> String {
        match self.call(cmd, args) {
            Ok(v) => panic!("{cmd} succeeded with {v}"),
            Err(e) => e,
        }
    }

    pub fn vault_path(&self) -> std::path::PathBuf {
        self.dir.path().join("vault.latchkey")
    }

    /// The vault file's bytes now, to check later that a refused change wrote nothing.
    pub fn vault_bytes(&self) -> Vec<u8> {
        std::fs::read(self.vault_path()).unwrap()
    }

    pub fn assert_vault_unchanged(&self, before: &[u8]) {
        assert!(self.vault_bytes() == before, "the vault file was written");
    }
}

/// Calls `cmd` on `window` as the page's `invoke` would (usable from other threads
/// while a command blocks the test's own).
pub fn call(window: &WebviewWindow<MockRuntime>, cmd: &str, args: Value) -> Result<Value, String> {
    let request = InvokeRequest {
        cmd: cmd.into(),
        callback: CallbackFn(0),
        error: CallbackFn(1),
        url: "tauri://localhost".parse().unwrap(),
        body: InvokeBody::Json(args),
        headers: Default::default(),
        invoke_key: INVOKE_KEY.to_string(),
    };
    get_ipc_response(window, request)
        .map(|body| body.deserialize::<Value>().unwrap())
        .map_err(|e| {
            e.as_str()
                .map(str::to_string)
                .unwrap_or_else(|| e.to_string())
        })
}
