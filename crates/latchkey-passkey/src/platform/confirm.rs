//! User verification for the platform authenticator: the vault is unlocked (or there
//! would be no keys to sign with) and the person says yes to what is about to happen.
//! The caller asks: the CLI with a y/N question, the app with a dialog.

use std::fmt;

use passkey_authenticator::{PasskeyAccessor, UiHint, UserCheck, UserValidationMethod};
use passkey_types::Passkey;
use passkey_types::ctap2::Ctap2Error;

/// What the platform authenticator is about to do, for the person to allow or refuse.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Prompt {
    /// Make a new passkey and keep its private key in the vault.
    Register {
        /// The relying party's id, such as `example.com`.
        rp_id: String,
        /// The name the relying party gave itself (may be empty).
        rp_name: String,
        /// The account name, such as an email address.
        user_name: String,
        /// The account's display name.
        user_display_name: String,
    },
    /// Sign in with a passkey already in the vault.
    SignIn {
        /// The relying party's id.
        rp_id: String,
        /// The account name stored with the passkey.
        user_name: String,
        /// The account's display name stored with the passkey.
        user_display_name: String,
    },
}

impl Prompt {
    /// The relying party the passkey is for.
    pub fn rp_id(&self) -> &str {
        match self {
            Prompt::Register { rp_id, .. } | Prompt::SignIn { rp_id, .. } => rp_id,
        }
    }

    /// The account the passkey is for.
    pub fn user_name(&self) -> &str {
        match self {
            Prompt::Register { user_name, .. } | Prompt::SignIn { user_name, .. } => user_name,
        }
    }
}

impl fmt::Display for Prompt {
    /// A question to put to the person as it stands.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Prompt::Register {
                rp_id, user_name, ..
            } => write!(f, "Create a passkey for {user_name} on {rp_id}?"),
            Prompt::SignIn {
                rp_id, user_name, ..
            } => write!(f, "Sign in to {rp_id} as {user_name} with a passkey?"),
        }
    }
}

/// Asks the person whether the platform authenticator may go ahead. Returning `true` is
/// the user verification the authenticator reports to the relying party (the UV flag),
/// so ask only when the vault is unlocked and the person can answer.
///
/// Closures `Fn(&Prompt) -> bool` are `Confirm`s.
pub trait Confirm: Send + Sync {
    /// Whether the person allows `prompt`. Blocks until they answer.
    fn confirm(&self, prompt: &Prompt) -> bool;
}

impl<F> Confirm for F
where
    F: Fn(&Prompt) -> bool + Send + Sync,
{
    fn confirm(&self, prompt: &Prompt) -> bool {
        self(prompt)
    }
}

/// passkey-rs's user-validation hook, answered with [`Confirm`].
pub(super) struct Validator(pub(super) Box<dyn Confirm>);

#[async_trait::async_trait]
impl UserValidationMethod for Validator {
    type PasskeyItem = Passkey;

    async fn check_user<'a>(
        &self,
        hint: UiHint<'a, Passkey>,
        _presence: bool,
        _verification: bool,
    ) -> Result<UserCheck, Ctap2Error> {
        let prompt = match hint {
            // passkey-rs 0.6 only informs about an excluded credential and then makes a
            // new one anyway; CTAP2 makeCredential step 1 says to refuse. Nothing is
            // made, so there is nothing to ask.
            UiHint::InformExcludedCredentialFound(_) => {
                return Err(Ctap2Error::CredentialExcluded);
            }
            // There is nothing to sign with: say so without asking. (CTAP2 asks first so
            // a silent RP cannot probe a roaming key; here the person started the
            // ceremony in Latchkey.)
            UiHint::InformNoCredentialsFound => return Err(Ctap2Error::NoCredentials),
            UiHint::RequestNewCredential(user, rp) => Prompt::Register {
                rp_id: rp.id.clone(),
                rp_name: rp.name.clone().unwrap_or_default(),
                user_name: user.name.clone().unwrap_or_default(),
                user_display_name: user.display_name.clone().unwrap_or_default(),
            },
            UiHint::RequestExistingCredential(passkey) => Prompt::SignIn {
                rp_id: passkey.rp_id().to_owned(),
                user_name: passkey.username().unwrap_or_default().to_owned(),
                user_display_name: passkey.user_display_name().unwrap_or_default().to_owned(),
            },
        };
        if self.0.confirm(&prompt) {
            // The person answered in an unlocked vault: present and verified, whether
            // or not the RP asked for verification.
            Ok(UserCheck {
                presence: true,
                verification: true,
            })
        } else {
            Err(Ctap2Error::OperationDenied)
        }
    }

    fn is_presence_enabled(&self) -> bool {
        true
    }

    fn is_verification_enabled(&self) -> Option<bool> {
        Some(true)
    }
}
