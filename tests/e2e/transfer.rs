//! Importing another app's export from Settings: the real Aegis fixture (encrypted)
//! chosen in the file picker, its password, the preview, and the accounts listed once
//! the person adds them.

use std::path::Path;

use crate::harness::{App, Desktop, STEP, e2e, eventually};

#[test]
fn imports_an_encrypted_aegis_export_after_a_preview() {
    e2e(async || {
        let app = App::launch(Desktop::start(), "transfer").await;
        app.find("#search").await;
        let fixture = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../crates/latchkey-core/tests/fixtures/import/aegis_encrypted.json")
            .canonicalize()
            .unwrap();

        app.click("#settings-button").await;
        app.find("#import-start").await;
        app.find("#import-file")
            .await
            .send_keys(fixture.to_str().unwrap())
            .await
            .unwrap();
        app.find("#import-password")
            .await
            .send_keys("test")
            .await
            .unwrap();
        app.click("#import-open").await;
        app.find("#import-confirm").await;
        let listed = app
            .eval("return document.querySelectorAll('#import-new li').length")
            .await;
        assert_eq!(listed, 7, "the preview lists the fixture's 7 accounts");
        app.eval("document.getElementById('transfer-title').scrollIntoView()")
            .await;
        app.shot("transfer-preview").await;
        assert!(
            app.rows().await.is_empty(),
            "nothing is added before the person confirms"
        );

        app.click("#import-confirm").await;
        let said = app.text(".notice[role=status]").await;
        assert_eq!(said.trim(), "Added 7 accounts.");
        app.click("[aria-label='Close']").await;
        app.gone("[role=dialog]").await;
        eventually("the 7 imported accounts listed", STEP, async || {
            (app.rows().await.len() == 7).then_some(())
        })
        .await;
        app.shot("transfer-imported").await;
        app.close().await;
    });
}
