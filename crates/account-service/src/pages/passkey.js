// Passkeys on the pages: "Add a passkey" on /account/security and "Use a passkey" at the
// second-factor step of /login. Each form carries its CSRF token and a data-options URL.
// On submit: POST the token there for the server's WebAuthn options (webauthn-rs JSON,
// binary fields as base64url), run the ceremony, put the response (JSON, binary fields as
// base64url without padding) into the form's hidden field and submit the form for real.
// The server checks everything; this file only translates between JSON and ArrayBuffers.
"use strict";

(() => {
  function fromBase64url(text) {
    const b64 = text.replace(/-/g, "+").replace(/_/g, "/");
    const padded = b64 + "=".repeat((4 - (b64.length % 4)) % 4);
    return Uint8Array.from(atob(padded), (c) => c.charCodeAt(0)).buffer;
  }

  function toBase64url(buffer) {
    let binary = "";
    for (const byte of new Uint8Array(buffer)) binary += String.fromCharCode(byte);
    return btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
  }

  const withIds = (list) => (list || []).map((c) => ({ ...c, id: fromBase64url(c.id) }));

  function creationOptions(json) {
    const pk = json.publicKey;
    return {
      ...pk,
      challenge: fromBase64url(pk.challenge),
      user: { ...pk.user, id: fromBase64url(pk.user.id) },
      excludeCredentials: withIds(pk.excludeCredentials),
    };
  }

  function requestOptions(json) {
    const pk = json.publicKey;
    return {
      ...pk,
      challenge: fromBase64url(pk.challenge),
      allowCredentials: withIds(pk.allowCredentials),
    };
  }

  // The WebAuthn Level 3 JSON of a credential, with its `response` fields encoded.
  function credentialJson(credential, response) {
    return {
      id: credential.id,
      rawId: toBase64url(credential.rawId),
      type: credential.type,
      response,
      extensions: credential.getClientExtensionResults(),
    };
  }

  function registrationJson(credential) {
    const r = credential.response;
    return credentialJson(credential, {
      attestationObject: toBase64url(r.attestationObject),
      clientDataJSON: toBase64url(r.clientDataJSON),
      transports: typeof r.getTransports === "function" ? r.getTransports() : [],
    });
  }

  function authenticationJson(credential) {
    const r = credential.response;
    return credentialJson(credential, {
      authenticatorData: toBase64url(r.authenticatorData),
      clientDataJSON: toBase64url(r.clientDataJSON),
      signature: toBase64url(r.signature),
      userHandle: r.userHandle ? toBase64url(r.userHandle) : null,
    });
  }

  // The server's options: JSON on success, {error, message} JSON or an HTML page otherwise.
  async function fetchOptions(form) {
    const response = await fetch(form.dataset.options, {
      method: "POST",
      credentials: "same-origin",
      headers: { Accept: "application/json" },
      body: new URLSearchParams({ csrf: form.elements.csrf.value }),
    });
    const json = await response.json().catch(() => null);
    if (!response.ok || !json || !json.publicKey) {
      throw new Error(
        (json && json.message) || "The server could not start the passkey request. Reload the page and try again.",
      );
    }
    return json;
  }

  function explain(error) {
    if (error && error.name === "NotAllowedError") {
      return "The passkey request was cancelled or timed out. Try again.";
    }
    if (error && error.name === "InvalidStateError") {
      return "This device already holds a passkey for your account.";
    }
    return (error && error.message) || "Something went wrong with the passkey. Try again.";
  }

  function wire(form, ceremony) {
    if (!form) return;
    const error = form.querySelector("[data-passkey-error]");
    const button = form.querySelector("button");
    form.hidden = false;
    for (const note of document.querySelectorAll("[data-passkey-unsupported]")) note.hidden = true;
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      if (!form.reportValidity()) return;
      error.hidden = true;
      button.disabled = true;
      try {
        await ceremony(form, await fetchOptions(form));
        form.submit();
      } catch (e) {
        error.textContent = explain(e);
        error.hidden = false;
        button.disabled = false;
      }
    });
  }

  if (!window.PublicKeyCredential || !navigator.credentials) return;

  wire(document.getElementById("passkey-add"), async (form, json) => {
    const credential = await navigator.credentials.create({ publicKey: creationOptions(json) });
    form.elements.ceremony_id.value = json.ceremony_id;
    form.elements.credential.value = JSON.stringify(registrationJson(credential));
  });

  wire(document.getElementById("passkey-sign-in"), async (form, json) => {
    const credential = await navigator.credentials.get({ publicKey: requestOptions(json) });
    form.elements.passkey.value = JSON.stringify(authenticationJson(credential));
  });
})();
