//! The web pages, driven like a browser: a cookie jar, forms posted with the CSRF token
//! read from the page, redirects followed.

use reqwest::header::HeaderMap;
use serde_json::json;

use crate::support::{PASSWORD, Server};

mod passkeys;

/// A browser: its own cookie jar; follows redirects.
struct Browser<'a> {
    server: &'a Server,
    http: reqwest::Client,
}

/// A page as the browser ended up on it.
struct Visit {
    status: u16,
    /// The path (and query) after redirects.
    path: String,
    headers: HeaderMap,
    html: String,
}

impl Visit {
    fn csrf(&self) -> String {
        between(&self.html, r#"name="csrf" value=""#, "\"")
            .unwrap_or_else(|| panic!("no CSRF field on {}: {}", self.path, self.html))
    }
}

/// The text between the first `start` and the next `end`.
fn between(text: &str, start: &str, end: &str) -> Option<String> {
    let from = text.find(start)? + start.len();
    let len = text[from..].find(end)?;
    Some(text[from..from + len].to_owned())
}

impl<'a> Browser<'a> {
    fn new(server: &'a Server) -> Self {
        let http = reqwest::Client::builder()
            .cookie_store(true)
            .build()
            .unwrap();
        Self { server, http }
    }

    async fn visit(&self, resp: reqwest::Response) -> Visit {
        let status = resp.status().as_u16();
        let url = resp.url().clone();
        let path = match url.query() {
            Some(q) => format!("{}?{q}", url.path()),
            None => url.path().to_owned(),
        };
        let headers = resp.headers().clone();
        Visit {
            status,
            path,
            headers,
            html: resp.text().await.unwrap(),
        }
    }

    async fn get(&self, path: &str) -> Visit {
        let resp = self
            .http
            .get(format!("{}{path}", self.server.base))
            .send()
            .await
            .unwrap();
        self.visit(resp).await
    }

    /// Posts `fields` (the CSRF token is not added).
    async fn post_raw(&self, action: &str, fields: &[(&str, &str)]) -> Visit {
        let resp = self
            .http
            .post(format!("{}{action}", self.server.base))
            .form(fields)
            .send()
            .await
            .unwrap();
        self.visit(resp).await
    }

    /// Posts `fields` with the CSRF token from `page`, as submitting its form would.
    async fn submit(&self, page: &Visit, action: &str, fields: &[(&str, &str)]) -> Visit {
        let csrf = page.csrf();
        let mut all = vec![("csrf", csrf.as_str())];
        all.extend_from_slice(fields);
        self.post_raw(action, &all).await
    }

    async fn sign_up(&self, email: &str) -> Visit {
        let form = self.get("/signup").await;
        let page = self
            .submit(
                &form,
                "/signup",
                &[("email", email), ("password", PASSWORD)],
            )
            .await;
        assert_eq!(
            (page.status, page.path.as_str()),
            (200, "/account/security")
        );
        page
    }

    async fn log_in(&self, email: &str) -> Visit {
        let form = self.get("/login").await;
        self.submit(&form, "/login", &[("email", email), ("password", PASSWORD)])
            .await
    }

    async fn log_out(&self) -> Visit {
        let page = self.get("/account/security").await;
        self.submit(&page, "/logout", &[]).await
    }
}

/// The code for `secret` (base32, as shown on the page) at time `t`, by totp-rs.
fn code_for(secret: &str, t: i64) -> String {
    let bytes = data_encoding::BASE32_NOPAD
        .decode(secret.as_bytes())
        .unwrap();
    let totp = totp_rs::Builder::new()
        .with_algorithm(totp_rs::Algorithm::SHA1)
        .with_digits(6)
        .with_step_duration(30)
        .with_secret(bytes)
        .build()
        .unwrap();
    totp.generate(u64::try_from(t).unwrap()).to_string()
}

/// Decodes the inline SVG QR code on a page: its path is a list of dark rectangles
/// (`M{x} {y}h{w}v{h}H{x}V{y}`), drawn here into a bitmap and read with rqrr.
fn decode_qr(html: &str) -> String {
    let svg = between(html, "<svg", "</svg>").unwrap();
    let size: usize = between(&svg, r#"width=""#, "\"").unwrap().parse().unwrap();
    let path = between(&svg, r##"<path fill="#111827" d=""##, "\"").unwrap();
    let mut dark = vec![false; size * size];
    for rect in path.split('M').filter(|r| !r.is_empty()) {
        let n: Vec<usize> = rect
            .split(|c: char| !c.is_ascii_digit())
            .filter(|t| !t.is_empty())
            .map(|t| t.parse().unwrap())
            .collect();
        let (x, y, w, h) = (n[0], n[1], n[2], n[3]);
        for row in y..y + h {
            for col in x..x + w {
                dark[row * size + col] = true;
            }
        }
    }
    let mut img = rqrr::PreparedImage::prepare_from_greyscale(size, size, |x, y| {
        if dark[y * size + x] { 0 } else { 255 }
    });
    let grids = img.detect_grids();
    assert_eq!(grids.len(), 1, "one QR code");
    grids[0].decode().unwrap().1
}

/// A 6-digit code that is wrong for every step within ±1 of `t`.
fn wrong_code(secret: &str, t: i64) -> String {
    let near: Vec<String> = [-30, 0, 30]
        .iter()
        .map(|d| code_for(secret, t + d))
        .collect();
    ["000000", "111111", "222222", "333333"]
        .into_iter()
        .find(|c| !near.iter().any(|n| n == c))
        .unwrap()
        .to_owned()
}

fn recovery_codes(html: &str) -> Vec<String> {
    html.split("<li><code>")
        .skip(1)
        .filter_map(|rest| rest.split_once("</code>").map(|(c, _)| c.to_owned()))
        .collect()
}

/// Signs up and turns on TOTP through the pages; returns the secret and the codes.
async fn set_up_totp(s: &Server, b: &Browser<'_>, email: &str) -> (String, Vec<String>) {
    let security = b.sign_up(email).await;
    let setup = b.submit(&security, "/account/security/totp", &[]).await;
    assert_eq!(
        (setup.status, setup.path.as_str()),
        (200, "/account/security/totp")
    );
    let secret = between(&setup.html, r#"<code class="secret">"#, "</code>")
        .unwrap()
        .replace(' ', "");
    let code = code_for(&secret, s.now());
    let done = b
        .submit(&setup, "/account/security/totp/confirm", &[("code", &code)])
        .await;
    assert_eq!(done.status, 200, "{}", done.html);
    (secret, recovery_codes(&done.html))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn signs_up_logs_out_and_logs_in_through_the_forms() {
    let s = Server::start().await;
    let b = Browser::new(&s);
    let page = b.sign_up("ada@example.com").await;
    assert!(page.html.contains("ada@example.com"));
    assert!(page.html.contains("Set up two-factor authentication"));

    let out = b.log_out().await;
    assert_eq!(out.path, "/login");
    let gone = b.get("/account/security").await;
    assert_eq!(gone.path, "/login?next=%2Faccount%2Fsecurity");

    let form = b.get("/login").await;
    let wrong = b
        .submit(
            &form,
            "/login",
            &[
                ("email", "ada@example.com"),
                ("password", "not the password"),
            ],
        )
        .await;
    assert_eq!(wrong.status, 401);
    assert!(wrong.html.contains("Wrong email or password."));

    let back = b.log_in("ada@example.com").await;
    assert_eq!(
        (back.status, back.path.as_str()),
        (200, "/account/security")
    );
    assert!(back.html.contains("ada@example.com"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn refuses_posts_without_the_sessions_csrf_token_or_from_another_origin() {
    let s = Server::start().await;
    let b = Browser::new(&s);
    let page = b.sign_up("bo@example.com").await;

    let none = b.post_raw("/account/security/totp", &[]).await;
    assert_eq!(none.status, 403);
    let wrong = b
        .post_raw(
            "/account/security/totp",
            &[("csrf", "AAAAAAAAAAAAAAAAAAAA")],
        )
        .await;
    assert_eq!(wrong.status, 403);
    // A token from before signing in (bound to the pre-session cookie) is not this
    // session's.
    let anonymous = Browser::new(&s).get("/login").await;
    let stale = b
        .post_raw("/account/security/totp", &[("csrf", &anonymous.csrf())])
        .await;
    assert_eq!(stale.status, 403);
    let cross = b
        .http
        .post(format!("{}/account/security/totp", s.base))
        .header("origin", "https://evil.example")
        .form(&[("csrf", page.csrf())])
        .send()
        .await
        .unwrap();
    assert_eq!(cross.status(), 403);
    // Nothing was started; the same form with its token works.
    assert_eq!(
        b.get("/account/security/totp").await.path,
        "/account/security"
    );
    let ok = b.submit(&page, "/account/security/totp", &[]).await;
    assert_eq!(
        (ok.status, ok.path.as_str()),
        (200, "/account/security/totp")
    );

    // The sign-in form is protected too.
    let fresh = Browser::new(&s);
    let refused = fresh
        .post_raw(
            "/login",
            &[("email", "bo@example.com"), ("password", PASSWORD)],
        )
        .await;
    assert_eq!(refused.status, 403);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sets_up_totp_shows_recovery_codes_once_then_asks_for_a_second_factor() {
    let s = Server::start().await;
    let b = Browser::new(&s);
    let security = b.sign_up("cy@example.com").await;
    let setup = b.submit(&security, "/account/security/totp", &[]).await;
    assert_eq!(setup.headers["cache-control"], "no-store");
    let shown = between(&setup.html, r#"<code class="secret">"#, "</code>").unwrap();
    assert!(shown.split(' ').all(|g| g.len() == 4), "{shown}");
    let secret = shown.replace(' ', "");
    assert_eq!(secret.len(), 32);
    // The QR code holds the otpauth URI of that same secret.
    let uri = decode_qr(&setup.html);
    assert!(
        uri.starts_with("otpauth://totp/Latchkey%20Demo:cy%40example.com?"),
        "{uri}"
    );
    assert!(uri.contains(&format!("secret={secret}&")), "{uri}");

    // A wrong code keeps the setup page (same secret) with a message.
    let wrong = b
        .submit(
            &setup,
            "/account/security/totp/confirm",
            &[("code", &wrong_code(&secret, s.now()))],
        )
        .await;
    assert_eq!(wrong.status, 400);
    assert!(wrong.html.contains(&shown));
    assert!(wrong.html.contains("That code does not match."));

    s.clock.advance(30);
    let done = b
        .submit(
            &setup,
            "/account/security/totp/confirm",
            &[("code", &code_for(&secret, s.now()))],
        )
        .await;
    assert_eq!(done.status, 200, "{}", done.html);
    assert_eq!(done.headers["cache-control"], "no-store");
    let codes = recovery_codes(&done.html);
    assert_eq!(codes.len(), 10);
    assert!(done.html.contains("Download .txt"));
    let download = between(&done.html, r#"href="data:text/plain;charset=utf-8,"#, "\"").unwrap();
    assert!(
        codes
            .iter()
            .all(|c| download.contains(&c.replace('-', "%2D")))
    );

    // Shown once: the page afterwards has only the count.
    let after = b.get("/account/security").await;
    assert!(codes.iter().all(|c| !after.html.contains(c.as_str())));
    assert!(after.html.contains("<strong>10</strong> of 10 remaining"));
    let again = b
        .submit(
            &after,
            "/account/security/totp/confirm",
            &[("code", &code_for(&secret, s.now() + 30))],
        )
        .await;
    assert_eq!(again.status, 409);
    assert!(codes.iter().all(|c| !again.html.contains(c.as_str())));

    // Signing in now asks for a second factor.
    b.log_out().await;
    let step = b.log_in("cy@example.com").await;
    assert!(
        step.path.starts_with("/login/second-factor"),
        "{}",
        step.path
    );
    assert_eq!(
        b.get("/account/security").await.path,
        "/login?next=%2Faccount%2Fsecurity"
    );
    let step = b.get("/login/second-factor").await;
    // Cy has an authenticator app and recovery codes, and no passkey to offer.
    assert!(step.html.contains("Use a recovery code instead"));
    assert!(!step.html.contains("passkey-sign-in"), "{}", step.html);
    s.clock.advance(30);
    let bad = b
        .submit(
            &step,
            "/login/second-factor",
            &[("method", "totp"), ("code", "12345")],
        )
        .await;
    assert_eq!(bad.status, 401);
    let ok = b
        .submit(
            &step,
            "/login/second-factor",
            &[("method", "totp"), ("code", &code_for(&secret, s.now()))],
        )
        .await;
    assert_eq!((ok.status, ok.path.as_str()), (200, "/account/security"));

    // A recovery code works once, through the same step.
    b.log_out().await;
    b.log_in("cy@example.com").await;
    let step = b.get("/login/second-factor?method=recovery_code").await;
    assert!(step.html.contains("Recovery code"));
    let ok = b
        .submit(
            &step,
            "/login/second-factor",
            &[("method", "recovery_code"), ("code", &codes[0])],
        )
        .await;
    assert_eq!(ok.path, "/account/security");
    assert!(ok.html.contains("<strong>9</strong> of 10 remaining"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn regenerates_recovery_codes_and_turns_two_factor_off() {
    let s = Server::start().await;
    let b = Browser::new(&s);
    let (secret, old) = set_up_totp(&s, &b, "di@example.com").await;

    let page = b.get("/account/security").await;
    let fresh = b
        .submit(&page, "/account/security/recovery-codes", &[])
        .await;
    let new = recovery_codes(&fresh.html);
    assert_eq!(new.len(), 10);
    assert!(new.iter().all(|c| !old.contains(c)));

    // Old codes stop working at once; a wrong code keeps 2FA on.
    let page = b.get("/account/security").await;
    let refused = b
        .submit(&page, "/account/security/disable", &[("code", &old[1])])
        .await;
    assert_eq!(refused.status, 403);
    assert!(refused.html.contains("still on"));

    s.clock.advance(30);
    let off = b
        .submit(
            &page,
            "/account/security/disable",
            &[("code", &code_for(&secret, s.now()))],
        )
        .await;
    assert_eq!(off.path, "/account/security?done=disabled");
    assert!(off.html.contains("Two-factor authentication is off."));
    b.log_out().await;
    assert_eq!(b.log_in("di@example.com").await.path, "/account/security");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn link_page_approves_a_device_code_from_the_api() {
    let s = Server::start().await;
    s.sign_up("ed@example.com").await;
    let code = s
        .post(
            "/api/v1/device/code",
            None,
            json!({ "client_id": "latchkey" }),
        )
        .await
        .body;
    let user_code = code["user_code"].as_str().unwrap();
    let complete = code["verification_uri_complete"].as_str().unwrap();
    assert_eq!(code["verification_uri"], "http://localhost:8088/link");
    let path = complete.strip_prefix("http://localhost:8088").unwrap();

    // Not signed in: the sign-in page, which comes back to the code.
    let b = Browser::new(&s);
    let login = b.get(path).await;
    assert!(login.path.starts_with("/login?next="), "{}", login.path);
    let next = between(&login.html, r#"name="next" value=""#, "\"").unwrap();
    let page = b
        .submit(
            &login,
            "/login",
            &[
                ("email", "ed@example.com"),
                ("password", PASSWORD),
                ("next", &next),
            ],
        )
        .await;
    assert_eq!(page.path, format!("/link?user_code={user_code}"));
    assert!(page.html.contains("Latchkey desktop app"));
    assert!(page.html.contains(user_code));

    let poll = json!({
        "device_code": code["device_code"],
        "grant_type": "urn:ietf:params:oauth:grant-type:device_code",
    });
    let r = s.post("/api/v1/device/token", None, poll.clone()).await;
    assert_eq!(r.error(), "authorization_pending");

    let done = b
        .submit(&page, "/link/approve", &[("user_code", user_code)])
        .await;
    assert_eq!(done.status, 200);
    assert!(done.html.contains("Device linked"));
    s.clock.advance(10);
    let r = s.post("/api/v1/device/token", None, poll).await;
    assert_eq!(r.status, 200, "{r:?}");
    let me = s.get("/api/v1/me", r.body["access_token"].as_str()).await;
    assert_eq!(me.body["email"], "ed@example.com");

    // A code typed by hand that nobody is waiting with.
    let typed = b.get("/link?user_code=bcdf+ghjk").await;
    assert!(typed.html.contains("BCDF-GHJK"));
    let missing = b
        .submit(&typed, "/link/deny", &[("user_code", "BCDF-GHJK")])
        .await;
    assert_eq!(missing.status, 404);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn team_page_refuses_a_member_without_two_factor_when_required() {
    let s = Server::start().await;
    let admin = Browser::new(&s);
    admin.sign_up("fay@example.com").await;
    s.sign_up("gus@example.com").await;
    let admin_token = s.token("fay@example.com").await;
    let team = s
        .post(
            "/api/v1/teams",
            Some(&admin_token),
            json!({ "name": "Ops <team>" }),
        )
        .await;
    let id = team.body["id"].as_str().unwrap().to_owned();
    let added = s
        .post(
            &format!("/api/v1/teams/{id}/members"),
            Some(&admin_token),
            json!({ "email": "gus@example.com" }),
        )
        .await;
    assert_eq!(added.status, 201);

    let member = Browser::new(&s);
    member.log_in("gus@example.com").await;
    let open = member.get(&format!("/teams/{id}")).await;
    assert_eq!(open.status, 200);
    assert!(open.html.contains("Ops &lt;team&gt;"));
    assert!(
        !open.html.contains("require_2fa"),
        "a member sees no settings"
    );

    let page = admin.get(&format!("/teams/{id}")).await;
    assert!(
        page.html
            .contains("Require two-factor authentication for all members")
    );
    admin
        .submit(
            &page,
            &format!("/teams/{id}/settings"),
            &[("require_2fa", "on")],
        )
        .await;
    assert_eq!(
        s.get(&format!("/api/v1/teams/{id}"), Some(&admin_token))
            .await
            .error(),
        "team_requires_2fa"
    );

    let refused = member.get(&format!("/teams/{id}")).await;
    assert_eq!(refused.status, 403);
    assert!(
        refused
            .html
            .contains("requires every member to use two-factor")
    );
    assert!(refused.html.contains(r#"href="/account/security""#));
    assert!(!refused.html.contains("gus@example.com</td>"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pages_send_security_headers_and_careful_cookies() {
    let s = Server::start().await;
    let plain = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let r = plain.get(format!("{}/login", s.base)).send().await.unwrap();
    let h = r.headers().clone();
    let csp = h["content-security-policy"].to_str().unwrap();
    for part in [
        "default-src 'self'",
        "img-src 'self' data:",
        "style-src 'self'",
        "frame-ancestors 'none'",
    ] {
        assert!(csp.contains(part), "{csp}");
    }
    assert_eq!(h["x-frame-options"], "DENY");
    assert_eq!(h["referrer-policy"], "same-origin");
    assert_eq!(h["cache-control"], "no-store");
    assert_eq!(h["content-type"], "text/html; charset=utf-8");
    let pre = h["set-cookie"].to_str().unwrap();
    assert!(pre.starts_with("lk_pre="), "{pre}");
    assert!(pre.contains("HttpOnly; SameSite=Lax; Path=/"), "{pre}");
    assert!(!pre.contains("Secure"), "http origin: {pre}");

    // The session cookie, set by signing in.
    s.sign_up("hal@example.com").await;
    let html = r.text().await.unwrap();
    let csrf = between(&html, r#"name="csrf" value=""#, "\"").unwrap();
    let cookie = pre.split(';').next().unwrap().to_owned();
    let r = plain
        .post(format!("{}/login", s.base))
        .header("cookie", cookie)
        .form(&[
            ("csrf", csrf.as_str()),
            ("email", "hal@example.com"),
            ("password", PASSWORD),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 303);
    let session = r
        .headers()
        .get_all("set-cookie")
        .iter()
        .map(|v| v.to_str().unwrap())
        .find(|v| v.starts_with("lk_session="))
        .unwrap();
    assert!(
        session.contains("HttpOnly; SameSite=Lax; Path=/; Max-Age="),
        "{session}"
    );

    let css = plain
        .get(format!("{}/static/style.css", s.base))
        .send()
        .await
        .unwrap();
    assert_eq!(css.status(), 200);
    assert_eq!(css.headers()["content-type"], "text/css; charset=utf-8");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn second_factor_page_locks_after_five_wrong_codes_like_the_api() {
    let s = Server::start().await;
    let b = Browser::new(&s);
    let (secret, _) = set_up_totp(&s, &b, "ivy@example.com").await;
    b.log_out().await;
    b.log_in("ivy@example.com").await;
    let step = b.get("/login/second-factor").await;
    // Cy has an authenticator app and recovery codes, and no passkey to offer.
    assert!(step.html.contains("Use a recovery code instead"));
    assert!(!step.html.contains("passkey-sign-in"), "{}", step.html);
    s.clock.advance(30);
    let wrong = wrong_code(&secret, s.now());
    for _ in 0..4 {
        let r = b
            .submit(
                &step,
                "/login/second-factor",
                &[("method", "totp"), ("code", &wrong)],
            )
            .await;
        assert_eq!(r.status, 401);
    }
    let locked = b
        .submit(
            &step,
            "/login/second-factor",
            &[("method", "totp"), ("code", &wrong)],
        )
        .await;
    assert_eq!(locked.status, 429);
    assert_eq!(locked.headers["retry-after"], "300");
    assert!(locked.html.contains("try again in 5 minute(s)"));
    // Locked even with the right code, as through the API.
    let right = b
        .submit(
            &step,
            "/login/second-factor",
            &[("method", "totp"), ("code", &code_for(&secret, s.now()))],
        )
        .await;
    assert_eq!(right.status, 429);
    assert_eq!(
        b.get("/account/security").await.path,
        "/login?next=%2Faccount%2Fsecurity"
    );
}
