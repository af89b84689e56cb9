//! Linking this desktop to an account on a service: the OAuth 2.0 Device Authorization
//! Grant (RFC 8628). Latchkey asks for a code pair, shows the user code, and polls while
//! the person, signed in on the service in a browser, approves it.
//!
//! ```no_run
//! # async fn demo() -> Result<(), latchkey_passkey::Error> {
//! use latchkey_passkey::Service;
//!
//! let service = Service::discover("https://accounts.example.com").await?;
//! let auth = service.start_link("Latchkey on laptop").await?;
//! println!("Enter {} at {}", auth.user_code, auth.verification_uri);
//! let token = service
//!     .wait_for_link(&auth, tokio::time::sleep)
//!     .await?;
//! let me = service.me(&token).await?;
//! let linked = service.linked_service(&token, &me, 1_700_000_000);
//! # Ok(()) }
//! ```

use std::fmt;
use std::future::Future;
use std::time::Duration;

use latchkey_core::passkeys::{Holder, LinkedService, ServicePasskey};
use reqwest::Method;
use serde::Deserialize;
use serde_json::json;
use uuid::Uuid;
use zeroize::Zeroizing;

use crate::account::Me;
use crate::authenticator::Attestation;
use crate::service::{BearerToken, Error, Service, send};
use crate::wire::Passkey;

/// The account service knows Latchkey by this client id.
const CLIENT_ID: &str = "latchkey";
const GRANT_TYPE: &str = "urn:ietf:params:oauth:grant-type:device_code";
/// §3.2: "If no value is provided, clients MUST use 5 as the default."
const DEFAULT_INTERVAL: u64 = 5;
/// §3.5: `slow_down` adds 5 seconds to the interval, for this and later requests.
const SLOW_DOWN_STEP: u64 = 5;

/// The device authorization response (RFC 8628 §3.2): what to show the person, and the
/// device code to poll with, which stays hidden (Debug redacts it).
#[derive(Clone)]
#[non_exhaustive]
pub struct DeviceAuthorization {
    /// The code the person types on the service's page, such as `WDJB-MJHT`.
    pub user_code: String,
    /// The page where the person enters the code.
    pub verification_uri: String,
    /// The same page with the code filled in, to open in a browser or show as a QR code.
    pub verification_uri_complete: Option<String>,
    /// The least time to wait between polls.
    pub interval: Duration,
    /// How long the codes live.
    pub expires_in: Duration,
    device_code: String,
}

impl fmt::Debug for DeviceAuthorization {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("DeviceAuthorization")
            .field("user_code", &self.user_code)
            .field("verification_uri", &self.verification_uri)
            .field("interval", &self.interval)
            .field("expires_in", &self.expires_in)
            .finish_non_exhaustive()
    }
}

/// One poll's answer (RFC 8628 §3.5).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LinkPoll {
    /// Not approved yet (`authorization_pending`): poll again after the interval.
    Pending,
    /// Polled too soon (`slow_down`): add 5 seconds to the interval from now on.
    SlowDown,
    /// Approved: the token to act as the person.
    Linked(BearerToken),
    /// The person refused (`access_denied`).
    Denied,
    /// The codes expired before approval (`expired_token`).
    Expired,
}

#[derive(Deserialize)]
struct CodeReply {
    device_code: String,
    user_code: String,
    verification_uri: String,
    #[serde(default)]
    verification_uri_complete: Option<String>,
    expires_in: u64,
    #[serde(default)]
    interval: Option<u64>,
}

#[derive(Deserialize)]
struct TokenReply {
    access_token: String,
    token_type: String,
}

impl Service {
    /// Asks the service for a device code and a user code (§3.1). `client_name` is how
    /// this desktop introduces itself; the service may show it on its approval page.
    pub async fn start_link(&self, client_name: &str) -> Result<DeviceAuthorization, Error> {
        let body = json!({ "client_id": CLIENT_ID, "client_name": client_name });
        let req = self.request(Method::POST, "device/code", None).json(&body);
        let reply: CodeReply = send(req).await?;
        Ok(DeviceAuthorization {
            user_code: reply.user_code,
            verification_uri: reply.verification_uri,
            verification_uri_complete: reply.verification_uri_complete,
            interval: Duration::from_secs(reply.interval.unwrap_or(DEFAULT_INTERVAL)),
            expires_in: Duration::from_secs(reply.expires_in),
            device_code: reply.device_code,
        })
    }

    /// Asks once whether the person has approved (§3.4). Waiting between polls is the
    /// caller's business; [`Service::wait_for_link`] does it.
    pub async fn poll_link(&self, auth: &DeviceAuthorization) -> Result<LinkPoll, Error> {
        let body = json!({ "device_code": auth.device_code, "grant_type": GRANT_TYPE });
        let req = self.request(Method::POST, "device/token", None).json(&body);
        match send::<TokenReply>(req).await {
            Ok(reply) if reply.token_type.eq_ignore_ascii_case("bearer") => {
                Ok(LinkPoll::Linked(BearerToken::new(reply.access_token)))
            }
            Ok(reply) => Err(Error::Protocol(format!(
                "the service issued a {} token, not a bearer token",
                reply.token_type
            ))),
            // §3.5's error codes, in RFC 6749 §5.2 error responses (HTTP 400).
            Err(Error::Service {
                status: 400, code, ..
            }) if is_poll_state(&code) => Ok(match code.as_str() {
                "authorization_pending" => LinkPoll::Pending,
                "slow_down" => LinkPoll::SlowDown,
                "access_denied" => LinkPoll::Denied,
                _ => LinkPoll::Expired,
            }),
            Err(e) => Err(e),
        }
    }

    /// Polls until the person approves, refuses, or the codes expire, and returns the
    /// token. `sleep(d)` waits `d` between polls (`tokio::time::sleep` in an app; tests
    /// move a clock). To cancel, drop the future.
    ///
    /// §3.5: it waits `interval` before each poll, and after `slow_down` adds 5 seconds
    /// to the interval for every later poll. It gives up on its own once it has waited
    /// `expires_in`, in case the service never says `expired_token`.
    pub async fn wait_for_link<S, F>(
        &self,
        auth: &DeviceAuthorization,
        mut sleep: S,
    ) -> Result<BearerToken, Error>
    where
        S: FnMut(Duration) -> F,
        F: Future<Output = ()>,
    {
        let mut interval = auth.interval;
        let mut waited = Duration::ZERO;
        loop {
            if waited >= auth.expires_in {
                return Err(Error::LinkExpired);
            }
            sleep(interval).await;
            waited += interval;
            match self.poll_link(auth).await? {
                LinkPoll::Pending => {}
                LinkPoll::SlowDown => interval += Duration::from_secs(SLOW_DOWN_STEP),
                LinkPoll::Linked(token) => return Ok(token),
                LinkPoll::Denied => return Err(Error::LinkDenied),
                LinkPoll::Expired => return Err(Error::LinkExpired),
            }
        }
    }

    /// The vault's record of a link to this service as `me`, made at `now` (Unix
    /// seconds), holding `token`.
    pub fn linked_service(&self, token: &BearerToken, me: &Me, now: i64) -> LinkedService {
        let discovery = self.discovery();
        LinkedService {
            id: Uuid::new_v4(),
            base_url: self.base_url().to_owned(),
            origin: discovery.origin.clone(),
            rp_id: discovery.rp_id.clone(),
            account: me.email.clone(),
            token: Zeroizing::new(token.expose().to_owned()),
            account_id: None,
            linked_at: now,
            passkeys: Vec::new(),
        }
    }
}

fn is_poll_state(code: &str) -> bool {
    matches!(
        code,
        "authorization_pending" | "slow_down" | "access_denied" | "expired_token"
    )
}

/// How Latchkey names this computer to a service, for a link and for a passkey kept on
/// it: "Latchkey on HOSTNAME" (or "Latchkey on this computer" when the host has no name).
pub fn this_computer() -> String {
    let host = std::fs::read_to_string("/proc/sys/kernel/hostname")
        .or_else(|_| std::fs::read_to_string("/etc/hostname"))
        .ok()
        .or_else(|| std::env::var("COMPUTERNAME").ok())
        .map(|s| s.trim().to_owned())
        .filter(|s| !s.is_empty())
        .unwrap_or_else(|| "this computer".into());
    format!("Latchkey on {host}")
}

/// The vault's record of a passkey just registered: the service's answer `passkey`, the
/// authenticator's `attestation`, and which authenticator holds it.
pub fn service_passkey(
    passkey: &Passkey,
    attestation: &Attestation,
    holder: Holder,
) -> ServicePasskey {
    ServicePasskey {
        id: passkey.id.clone(),
        credential_id: attestation.credential_id.clone(),
        name: passkey.name.clone(),
        holder,
        created_at: passkey.created_at,
    }
}
