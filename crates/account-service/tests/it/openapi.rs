//! `docs/account-service.openapi.yaml` stays in step with the router: every documented
//! operation is served (answers something other than the fallback 404/405).

use reqwest::Method;
use serde_json::json;

use crate::support::Server;

fn documented_operations() -> Vec<(Method, String)> {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../docs/account-service.openapi.yaml"
    );
    let text = std::fs::read_to_string(path).unwrap();
    let mut ops = Vec::new();
    let mut current = None;
    for line in text.lines() {
        if let Some(p) = line.strip_prefix("  /").and_then(|l| l.strip_suffix(':')) {
            current = Some(format!("/{p}"));
            continue;
        }
        if !line.starts_with("  ") {
            current = None;
            continue;
        }
        let method = line
            .strip_prefix("    ")
            .and_then(|l| l.strip_suffix(':'))
            .filter(|m| ["get", "post", "put", "delete"].contains(m))
            .and_then(|m| m.to_uppercase().parse::<Method>().ok());
        if let (Some(p), Some(method)) = (&current, method) {
            ops.push((method, p.replace("{id}", "some-id")));
        }
    }
    ops
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_documented_operation_is_served() {
    let ops = documented_operations();
    assert!(ops.len() >= 19, "the document was not read: {ops:?}");
    let s = Server::start().await;
    for (method, path) in ops {
        let r = s.call(method.clone(), &path, None, Some(json!({}))).await;
        let code = r.error_or_none();
        assert!(
            !(matches!(r.status, 404 | 405)
                && matches!(code, Some("not_found" | "method_not_allowed"))),
            "{method} {path} is documented but not served: {r:?}"
        );
    }
    s.stop().await;
}
