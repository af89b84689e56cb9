//! The WebAuthn client for an account service: fetch options, build clientDataJSON
//! with the service's origin as a browser on that origin would, call an
//! [`Authenticator`], post the result.

use std::fmt;

use reqwest::{Method, RequestBuilder};
use serde::de::DeserializeOwned;
use serde_json::{Value, json};
use url::Url;

use crate::attestation::{AttestationError, attestation_object};
use crate::authenticator::{
    Assertion, Attestation, Authenticator, AuthenticatorError, GetAssertionRequest,
    MakeCredentialRequest, RelyingParty, User,
};
use crate::client_data::{Ceremony, ClientData};
use crate::wire::{self, Discovery, Passkey, b64};

/// What went wrong talking to a service or an authenticator.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The service refused; `message` is its own sentence.
    #[error("{message}")]
    Service {
        /// The HTTP status.
        status: u16,
        /// The service's snake_case error code.
        code: String,
        /// The service's explanation.
        message: String,
    },
    /// The service could not be reached.
    #[error("could not reach the account service: {0}")]
    Http(String),
    /// The service answered something this client does not understand.
    #[error("the account service sent an unexpected answer: {0}")]
    Protocol(String),
    /// The options name a relying party that the service's origin may not speak for.
    #[error("the service asked for a passkey for \"{rp_id}\", which {origin} may not use")]
    RpMismatch {
        /// The RP ID in the options.
        rp_id: String,
        /// The service's origin.
        origin: String,
    },
    /// The person refused to link this device on the service (RFC 8628 `access_denied`).
    #[error("the link was refused on the account service")]
    LinkDenied,
    /// The linking code expired before it was approved (RFC 8628 `expired_token`).
    #[error("the linking code expired before it was approved")]
    LinkExpired,
    /// The authenticator did not answer.
    #[error(transparent)]
    Authenticator(#[from] AuthenticatorError),
    /// The authenticator's attestation could not be encoded.
    #[error(transparent)]
    Attestation(#[from] AttestationError),
}

impl From<reqwest::Error> for Error {
    fn from(e: reqwest::Error) -> Self {
        Self::Http(e.without_url().to_string())
    }
}

/// A bearer token from the service. Its Debug output is redacted.
#[derive(Clone, PartialEq, Eq)]
pub struct BearerToken(String);

impl BearerToken {
    /// Wraps a token received elsewhere (a password sign-in, device linking).
    pub fn new(token: impl Into<String>) -> Self {
        Self(token.into())
    }

    /// The token itself, to send or store.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for BearerToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("BearerToken(…)")
    }
}

/// A registration begun with [`Service::begin_registration`]: the request to hand an
/// authenticator, and what [`Service::finish_registration`] needs to complete it.
///
/// It owns its data, so it can go to another thread along with the authenticator call.
pub struct PendingRegistration {
    ceremony_id: String,
    client_data: ClientData,
    request: MakeCredentialRequest,
}

impl PendingRegistration {
    /// authenticatorMakeCredential's input, for the authenticator.
    pub fn request(&self) -> &MakeCredentialRequest {
        &self.request
    }

    /// The clientDataJSON the request's hash is of.
    pub fn client_data(&self) -> &ClientData {
        &self.client_data
    }
}

impl fmt::Debug for PendingRegistration {
    // The ceremony id lets whoever holds the account's token finish the ceremony.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PendingRegistration")
            .field("request", &self.request)
            .finish_non_exhaustive()
    }
}

/// A sign-in's passkey step begun with [`Service::begin_sign_in`]: the request to hand
/// an authenticator, and what [`Service::finish_sign_in`] needs to complete it.
pub struct PendingSignIn {
    mfa_token: String,
    client_data: ClientData,
    request: GetAssertionRequest,
}

impl PendingSignIn {
    /// authenticatorGetAssertion's input, for the authenticator.
    pub fn request(&self) -> &GetAssertionRequest {
        &self.request
    }

    /// The clientDataJSON the request's hash is of.
    pub fn client_data(&self) -> &ClientData {
        &self.client_data
    }
}

impl fmt::Debug for PendingSignIn {
    // The MFA token stands in for the password until the sign-in ends: never shown.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PendingSignIn")
            .field("request", &self.request)
            .finish_non_exhaustive()
    }
}

/// An account service, as found by discovery.
#[derive(Debug, Clone)]
pub struct Service {
    http: reqwest::Client,
    base_url: String,
    api: String,
    discovery: Discovery,
}

impl Service {
    /// Reads `GET {base_url}/.well-known/latchkey` and speaks to the API it names.
    pub async fn discover(base_url: &str) -> Result<Self, Error> {
        let http = reqwest::Client::new();
        let base = base_url.trim_end_matches('/');
        let req = http.get(format!("{base}/.well-known/latchkey"));
        let discovery: Discovery = send(req).await?;
        Self::from_discovery(base_url, discovery)
    }

    /// A client for the service at `base_url` that described itself as `discovery`.
    pub fn from_discovery(base_url: &str, mut discovery: Discovery) -> Result<Self, Error> {
        let origin = Url::parse(&discovery.origin)
            .map_err(|e| Error::Protocol(format!("its origin is not a URL ({e})")))?;
        // Browsers serialise an origin without path or trailing slash (HTML §7.5).
        discovery.origin = origin.origin().ascii_serialization();
        let api = format!(
            "{}/{}",
            base_url.trim_end_matches('/'),
            discovery.api.trim_matches('/')
        );
        Ok(Self {
            http: reqwest::Client::new(),
            base_url: base_url.trim_end_matches('/').to_owned(),
            api,
            discovery,
        })
    }

    /// What the service said about itself, its origin normalised.
    pub fn discovery(&self) -> &Discovery {
        &self.discovery
    }

    /// The address the service was found at, without a trailing slash.
    pub fn base_url(&self) -> &str {
        &self.base_url
    }

    /// Registers a new passkey made by `authenticator` for the account of `token`:
    /// [`Service::begin_registration`], the authenticator, then
    /// [`Service::finish_registration`].
    ///
    /// The authenticator call blocks (a key waits for a touch): run this where blocking
    /// a thread is fine, such as a multi-threaded runtime or a dedicated thread. A UI
    /// calls the two halves itself and runs the authenticator off its event loop.
    pub async fn register(
        &self,
        authenticator: &dyn Authenticator,
        token: &BearerToken,
        name: &str,
    ) -> Result<Passkey, Error> {
        let pending = self.begin_registration(token).await?;
        let attestation = authenticator.make_credential(pending.request())?;
        self.finish_registration(token, pending, &attestation, name)
            .await
    }

    /// Starts registering a passkey for the account of `token`: fetches the service's
    /// options and builds the request to hand an authenticator.
    pub async fn begin_registration(
        &self,
        token: &BearerToken,
    ) -> Result<PendingRegistration, Error> {
        let req = self.request(Method::POST, "passkeys/registration-options", Some(token));
        let options: wire::RegistrationOptions = send(req.json(&json!({}))).await?;
        let pk = options.public_key;
        let rp_id = pk.rp.id.unwrap_or_else(|| self.discovery.rp_id.clone());
        self.check_rp_id(&rp_id)?;

        // WebAuthn §5.1.3 steps 10–15, 18–20: collect the client data; the authenticator
        // gets only its hash.
        let client_data = ClientData::new(Ceremony::Create, &pk.challenge.0, self.origin());
        let selection = pk.authenticator_selection.unwrap_or_default();
        let mut algorithms: Vec<i64> = pk
            .pub_key_cred_params
            .iter()
            .filter(|p| p.type_ == "public-key")
            .map(|p| p.alg)
            .collect();
        if algorithms.is_empty() {
            // §5.1.3 step 10: an empty list means ES256 and RS256.
            algorithms = vec![-7, -257];
        }
        let request = MakeCredentialRequest {
            client_data_hash: client_data.hash(),
            rp: RelyingParty {
                id: rp_id,
                name: pk.rp.name,
            },
            user: User {
                id: pk.user.id.0,
                name: pk.user.name,
                display_name: pk.user.display_name,
            },
            algorithms,
            exclude_credentials: wire::credential_ids(pk.exclude_credentials.unwrap_or_default()),
            user_verification: selection.user_verification.as_deref() == Some("required"),
            resident_key: selection.require_resident_key
                || selection.resident_key.as_deref() == Some("required"),
        };
        Ok(PendingRegistration {
            ceremony_id: options.ceremony_id,
            client_data,
            request,
        })
    }

    /// Finishes a registration with the authenticator's answer to
    /// [`PendingRegistration::request`], naming the passkey `name`.
    pub async fn finish_registration(
        &self,
        token: &BearerToken,
        pending: PendingRegistration,
        attestation: &Attestation,
        name: &str,
    ) -> Result<Passkey, Error> {
        let object = attestation_object(
            &attestation.fmt,
            &attestation.auth_data,
            &attestation.att_stmt,
        )?;
        // RegistrationResponseJSON (WebAuthn L3 §5.1.8).
        let mut response = json!({
            "clientDataJSON": b64(pending.client_data.json()),
            "attestationObject": b64(&object),
            "authenticatorData": b64(&attestation.auth_data),
        });
        if !attestation.transports.is_empty() {
            response["transports"] = json!(attestation.transports);
        }
        let credential = json!({
            "id": b64(&attestation.credential_id),
            "rawId": b64(&attestation.credential_id),
            "type": "public-key",
            "response": response,
            "clientExtensionResults": {},
        });
        let body =
            json!({ "ceremony_id": pending.ceremony_id, "name": name, "credential": credential });
        send(
            self.request(Method::POST, "passkeys", Some(token))
                .json(&body),
        )
        .await
    }

    /// Answers a sign-in's second-factor step with a passkey on `authenticator`, and
    /// returns the session token the service then issues: [`Service::begin_sign_in`],
    /// the authenticator, then [`Service::finish_sign_in`].
    ///
    /// Blocks while the authenticator waits, as [`Service::register`] does.
    pub async fn sign_in_second_factor(
        &self,
        authenticator: &dyn Authenticator,
        mfa_token: &str,
    ) -> Result<BearerToken, Error> {
        let pending = self.begin_sign_in(mfa_token).await?;
        let assertion = authenticator.get_assertion(pending.request())?;
        self.finish_sign_in(pending, &assertion).await
    }

    /// Starts a sign-in's passkey step for `mfa_token` (from the password step): fetches
    /// the service's options and builds the request to hand an authenticator.
    pub async fn begin_sign_in(&self, mfa_token: &str) -> Result<PendingSignIn, Error> {
        let body = json!({ "mfa_token": mfa_token });
        let req = self.request(Method::POST, "sessions/mfa/passkey-options", None);
        let options: wire::AssertionOptions = send(req.json(&body)).await?;
        let pk = options.public_key;
        let rp_id = pk.rp_id.unwrap_or_else(|| self.discovery.rp_id.clone());
        self.check_rp_id(&rp_id)?;

        // WebAuthn §5.1.4.3 steps 13–18: client data, then the authenticator.
        let client_data = ClientData::new(Ceremony::Get, &pk.challenge.0, self.origin());
        let request = GetAssertionRequest {
            rp_id,
            client_data_hash: client_data.hash(),
            allow_credentials: wire::credential_ids(pk.allow_credentials),
            user_verification: pk.user_verification.as_deref() == Some("required"),
        };
        Ok(PendingSignIn {
            mfa_token: mfa_token.to_owned(),
            client_data,
            request,
        })
    }

    /// Finishes the passkey step with the authenticator's answer to
    /// [`PendingSignIn::request`]; returns the session token. After a refusal, begin
    /// again: each step has a challenge of its own.
    pub async fn finish_sign_in(
        &self,
        pending: PendingSignIn,
        assertion: &Assertion,
    ) -> Result<BearerToken, Error> {
        // AuthenticationResponseJSON (WebAuthn L3 §5.1.9).
        let mut response = json!({
            "clientDataJSON": b64(pending.client_data.json()),
            "authenticatorData": b64(&assertion.auth_data),
            "signature": b64(&assertion.signature),
        });
        if let Some(handle) = &assertion.user_handle {
            response["userHandle"] = json!(b64(handle));
        }
        let passkey = json!({
            "id": b64(&assertion.credential_id),
            "rawId": b64(&assertion.credential_id),
            "type": "public-key",
            "response": response,
            "clientExtensionResults": {},
        });
        let body = json!({ "mfa_token": pending.mfa_token, "passkey": passkey });
        let req = self.request(Method::POST, "sessions/mfa", None);
        let reply: wire::TokenReply = send(req.json(&body)).await?;
        Ok(BearerToken(reply.token))
    }

    /// The account's passkeys.
    pub async fn list(&self, token: &BearerToken) -> Result<Vec<Passkey>, Error> {
        send(self.request(Method::GET, "passkeys", Some(token))).await
    }

    /// Removes the passkey with the service's id `id`.
    pub async fn remove(&self, token: &BearerToken, id: &str) -> Result<(), Error> {
        let path = format!("passkeys/{id}");
        let _: Option<Value> = send(self.request(Method::DELETE, &path, Some(token))).await?;
        Ok(())
    }

    fn origin(&self) -> &str {
        &self.discovery.origin
    }

    pub(crate) fn request(
        &self,
        method: Method,
        path: &str,
        token: Option<&BearerToken>,
    ) -> RequestBuilder {
        let req = self.http.request(method, format!("{}/{path}", self.api));
        match token {
            Some(token) => req.bearer_auth(token.expose()),
            None => req,
        }
    }

    /// WebAuthn §5.1.3 step 7: the RP ID must be the origin's host or a domain it is in.
    fn check_rp_id(&self, rp_id: &str) -> Result<(), Error> {
        let host = Url::parse(self.origin())
            .ok()
            .and_then(|u| u.host_str().map(str::to_owned))
            .unwrap_or_default();
        if !rp_id.is_empty() && (host == rp_id || host.ends_with(&format!(".{rp_id}"))) {
            Ok(())
        } else {
            Err(Error::RpMismatch {
                rp_id: rp_id.to_owned(),
                origin: self.origin().to_owned(),
            })
        }
    }
}

/// Sends `req`; a success's JSON body becomes `T` (an empty body reads as `null`), an
/// error becomes [`Error::Service`] with the service's own message.
pub(crate) async fn send<T: DeserializeOwned>(req: RequestBuilder) -> Result<T, Error> {
    let resp = req.send().await?;
    let status = resp.status();
    let text = resp.text().await?;
    let body = if text.trim().is_empty() {
        "null"
    } else {
        &text
    };
    if status.is_success() {
        return serde_json::from_str(body).map_err(|e| Error::Protocol(e.to_string()));
    }
    let (code, message) = match serde_json::from_str::<wire::ErrorReply>(body) {
        Ok(e) => {
            let message = e.message.unwrap_or_else(|| e.error.replace('_', " "));
            (e.error, message)
        }
        Err(_) => (
            String::new(),
            format!("the account service answered {status}"),
        ),
    };
    Err(Error::Service {
        status: status.as_u16(),
        code,
        message,
    })
}
