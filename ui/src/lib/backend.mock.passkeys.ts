// The mock's passkey side (re-exported by ./backend.mock.ts): a fake account
// service to link to, a fake YubiKey with a PIN and a fingerprint reader, and
// the prompts an authenticator raises while it works. Tests drive it through
// `mock.passkeys`; the sentences are the ones the Rust commands say.
import type {
  AuthenticatorChoice,
  AuthenticatorEvent,
  FingerprintView,
  KeyPasskeyView,
  KeySlotView,
  LinkStart,
  PromptAnswer,
  SecurityKeyInfo,
  SecurityKeyView,
  ServicePasskeyView,
  ServiceView,
} from "./types";

const KEY_ID = "/dev/hidraw3";
const PRODUCT = "YubiKey 5 NFC";
const AAGUID = "2fc0579f811347eab116bb5a8db9202a";
const MAX_RETRIES = 8;

interface PendingLink {
  url: string;
  approved: boolean;
  settle?: { resolve: (s: ServiceView) => void; reject: (e: Error) => void };
}

interface Waiter {
  resolve: (a: PromptAnswer | null) => void;
  reject: (e: Error) => void;
}

function freshKey() {
  return {
    plugged: true,
    pin: "123456" as string | null,
    retries: MAX_RETRIES,
    passkeys: [] as KeyPasskeyView[],
    fingerprints: [] as FingerprintView[],
    /** The next operation sees the key pulled out after the touch. */
    removeMidway: false,
    /** Touches happen by themselves after a moment; false waits for `touch()`. */
    autoTouch: true,
  };
}

function fresh() {
  return {
    unlocked: () => true,
    /** Opens the mock vault (a security key unlocked it). */
    open: () => {},
    services: [] as ServiceView[],
    links: new Map<string, PendingLink>(),
    /** Linking to the preview's service approves itself after this many ms (0 = wait for `approveLink`). */
    autoApproveMs: 0,
    key: freshKey(),
    slots: [] as KeySlotView[],
    /** The operation waiting on the person: a PIN, a confirmation, a key, a touch. */
    waiting: null as Waiter | null,
    events: [] as AuthenticatorEvent[],
    nextId: 1,
    calls: [] as string[],
  };
}

let p = fresh();
const now = () => Math.floor(Date.now() / 1000);
const id = (prefix: string) => `${prefix}-${p.nextId++}`;
const record = (name: string) => p.calls.push(name);
const copy = <T>(v: T): T => structuredClone(v);

function requireUnlocked() {
  if (!p.unlocked()) throw new Error("Latchkey is locked. Unlock it to go on.");
}

function service(serviceId: string): ServiceView {
  requireUnlocked();
  const found = p.services.find((x) => x.id === serviceId);
  if (!found)
    throw new Error(
      "That service is no longer linked. Link it again to go on.",
    );
  return found;
}

const removed = () =>
  new Error(
    "The security key was removed before it finished. Plug it back in and try again.",
  );
const noKey = () =>
  new Error("No security key is plugged in. Insert one and try again.");

function pinError() {
  const k = p.key;
  k.retries = Math.max(0, k.retries - 1);
  if (k.retries === 0)
    return new Error(
      "That PIN was wrong too many times, so the key is locked. Reset it to use it again (this erases its passkeys).",
    );
  return new Error(
    `That PIN is wrong. ${k.retries} ${k.retries === 1 ? "try" : "tries"} left before the key locks itself.`,
  );
}

/** Reports `event` and waits for the person: an answer, a plugged key, a touch, or Cancel. */
function wait(
  event: AuthenticatorEvent,
  onEvent: (e: AuthenticatorEvent) => void,
): Promise<PromptAnswer | null> {
  p.events.push(event);
  onEvent(event);
  return new Promise((resolve, reject) => {
    p.waiting = { resolve, reject };
    if ((event.kind === "touch" || event.kind === "sample") && p.key.autoTouch)
      setTimeout(() => passkeysMock.touch(), 30);
  });
}

/** Finds the key (asking for it when none is plugged), and its PIN when it has one. */
async function unlockKey(onEvent: (e: AuthenticatorEvent) => void) {
  if (!p.key.plugged) await wait({ kind: "insert" }, onEvent);
  if (p.key.pin === null) return;
  let wrong = false;
  for (;;) {
    if (p.key.retries === 0) throw pinError();
    const answer = await wait(
      { kind: "pin", retries: p.key.retries, wrong },
      onEvent,
    );
    const pin = answer && "pin" in answer ? answer.pin : "";
    if (pin === p.key.pin) {
      p.key.retries = MAX_RETRIES;
      return;
    }
    pinError();
    if (p.key.retries === 0) throw pinError();
    wrong = true;
  }
}

async function touchKey(onEvent: (e: AuthenticatorEvent) => void) {
  await wait({ kind: "touch" }, onEvent);
  if (p.key.removeMidway) {
    p.key.removeMidway = false;
    p.key.plugged = false;
    throw removed();
  }
}

function checkPin(pin: string) {
  if (!p.key.plugged) throw noKey();
  if (p.key.pin === null)
    throw new Error("This key has no PIN yet. Set one first.");
  if (p.key.retries === 0) throw pinError();
  if (pin !== p.key.pin) throw pinError();
  p.key.retries = MAX_RETRIES;
}

function plugged() {
  if (!p.key.plugged) throw noKey();
  return p.key;
}

// --- linked services ------------------------------------------------------------

export async function services(): Promise<ServiceView[]> {
  record("services");
  requireUnlocked();
  return copy(p.services);
}

export async function linkService(url: string): Promise<LinkStart> {
  record("link_service");
  requireUnlocked();
  let parsed: URL;
  try {
    parsed = new URL(
      url.trim().includes("://") ? url.trim() : `https://${url.trim()}`,
    );
  } catch {
    throw new Error(
      "That is not a web address. Enter the service's address, such as https://accounts.example.com.",
    );
  }
  if (parsed.hostname.endsWith(".invalid"))
    throw new Error(
      `Could not reach the account service at ${parsed.origin}. Check the address and your connection.`,
    );
  const link = id("link");
  p.links.set(link, { url: parsed.origin, approved: false });
  if (p.autoApproveMs)
    setTimeout(() => passkeysMock.approveLink(), p.autoApproveMs);
  return {
    link,
    userCode: "WDJB-MJHT",
    verificationUri: `${parsed.origin}/link`,
    expiresIn: 900,
  };
}

export async function openLink(link: string): Promise<void> {
  record("open_link");
  if (!p.links.has(link))
    throw new Error("That link has expired. Start again.");
}

function linked(pending: PendingLink): ServiceView {
  const host = new URL(pending.url).hostname;
  const s: ServiceView = {
    id: id("svc"),
    baseUrl: pending.url,
    origin: pending.url,
    rpId: host,
    account: "alice@example.com",
    linkedAt: now(),
    passkeys: [],
  };
  p.services.push(s);
  return copy(s);
}

export function waitForLink(link: string): Promise<ServiceView> {
  record("wait_for_link");
  const pending = p.links.get(link);
  if (!pending)
    return Promise.reject(new Error("That link has expired. Start again."));
  if (pending.approved) {
    p.links.delete(link);
    return Promise.resolve(linked(pending));
  }
  return new Promise((resolve, reject) => {
    pending.settle = { resolve, reject };
  });
}

export async function cancelLink(link: string): Promise<void> {
  record("cancel_link");
  const pending = p.links.get(link);
  p.links.delete(link);
  pending?.settle?.reject(new Error("Linking was cancelled."));
}

export async function unlinkService(serviceId: string): Promise<void> {
  record("unlink_service");
  service(serviceId);
  p.services = p.services.filter((x) => x.id !== serviceId);
}

// --- passkeys with a service --------------------------------------------------------

export async function addPasskey(
  serviceId: string,
  holder: AuthenticatorChoice,
  name: string,
  onEvent: (e: AuthenticatorEvent) => void,
): Promise<ServicePasskeyView> {
  record("add_passkey");
  const s = service(serviceId);
  try {
    if (holder === "platform") {
      const answer = await wait(
        { kind: "confirm", rpId: s.rpId, userName: s.account },
        onEvent,
      );
      if (!answer || !("confirm" in answer) || !answer.confirm)
        throw new Error("No passkey was made: you declined.");
    } else {
      await unlockKey(onEvent);
      await touchKey(onEvent);
      p.key.passkeys.push({
        credentialId: `cred${p.nextId}`,
        rpId: s.rpId,
        userName: s.account,
        displayName: s.account,
      });
    }
  } finally {
    p.waiting = null;
  }
  onEvent({ kind: "working" });
  const made: ServicePasskeyView = {
    id: id("pk"),
    name: name.trim() || (holder === "platform" ? "This computer" : PRODUCT),
    holder:
      holder === "platform"
        ? { kind: "platform" }
        : { kind: "securityKey", product: PRODUCT, aaguid: AAGUID },
    createdAt: now(),
  };
  s.passkeys.push(made);
  return copy(made);
}

export async function removePasskey(
  serviceId: string,
  passkey: string,
): Promise<void> {
  record("remove_passkey");
  const s = service(serviceId);
  if (!s.passkeys.some((k) => k.id === passkey))
    throw new Error("That passkey is no longer registered with the service.");
  s.passkeys = s.passkeys.filter((k) => k.id !== passkey);
}

export async function answerPrompt(answer: PromptAnswer): Promise<void> {
  record("answer_prompt");
  const w = p.waiting;
  if (!w) throw new Error("Nothing is waiting for an answer.");
  p.waiting = null;
  w.resolve(answer);
}

export async function cancelAuthenticator(): Promise<void> {
  record("cancel_authenticator");
  const w = p.waiting;
  p.waiting = null;
  w?.reject(new Error("Cancelled."));
}

// --- security keys ------------------------------------------------------------------

export async function securityKeys(): Promise<SecurityKeyView[]> {
  record("security_keys");
  return p.key.plugged ? [{ id: KEY_ID, product: PRODUCT }] : [];
}

function info(): SecurityKeyInfo {
  const k = plugged();
  return {
    id: KEY_ID,
    product: PRODUCT,
    aaguid: AAGUID,
    versions: ["U2F_V2", "FIDO_2_0", "FIDO_2_1"],
    firmware: "5.7.1",
    pinSet: k.pin !== null,
    pinRetries: k.pin === null ? null : k.retries,
    remainingPasskeys: 100 - k.passkeys.length,
    fingerprints: true,
  };
}

export async function securityKeyInfo(_key: string): Promise<SecurityKeyInfo> {
  record("security_key_info");
  return info();
}

export async function setKeyPin(
  _key: string,
  pin: string,
  current: string | null,
): Promise<SecurityKeyInfo> {
  record("set_key_pin");
  const k = plugged();
  if ([...pin].length < 4)
    throw new Error("Choose a PIN of at least 4 characters.");
  if (k.pin !== null) checkPin(current ?? "");
  k.pin = pin;
  return info();
}

export async function keyPasskeys(
  _key: string,
  pin: string,
): Promise<KeyPasskeyView[]> {
  record("key_passkeys");
  checkPin(pin);
  return copy(p.key.passkeys);
}

export async function deleteKeyPasskey(
  _key: string,
  pin: string,
  credential: string,
): Promise<KeyPasskeyView[]> {
  record("delete_key_passkey");
  checkPin(pin);
  p.key.passkeys = p.key.passkeys.filter((c) => c.credentialId !== credential);
  return copy(p.key.passkeys);
}

export async function fingerprints(
  _key: string,
  pin: string,
): Promise<FingerprintView[]> {
  record("fingerprints");
  checkPin(pin);
  return copy(p.key.fingerprints);
}

export async function addFingerprint(
  _key: string,
  pin: string,
  name: string,
  onEvent: (e: AuthenticatorEvent) => void,
): Promise<FingerprintView[]> {
  record("add_fingerprint");
  checkPin(pin);
  // A touch to start, then each sample says how many more the key wants.
  const sample = (remaining: number) =>
    ({
      kind: "sample",
      good: true,
      remaining,
      message:
        remaining === 0 ? "Fingerprint saved." : "Good. Lift and touch again.",
    }) as const;
  try {
    await touchKey(onEvent);
    for (let remaining = 4; remaining > 0; remaining--)
      await wait(sample(remaining), onEvent);
  } finally {
    p.waiting = null;
  }
  onEvent(sample(0));
  p.key.fingerprints.push({
    id: id("fp"),
    name: name.trim() || `Finger ${p.key.fingerprints.length + 1}`,
  });
  return copy(p.key.fingerprints);
}

export async function renameFingerprint(
  _key: string,
  pin: string,
  fid: string,
  name: string,
): Promise<FingerprintView[]> {
  record("rename_fingerprint");
  checkPin(pin);
  const f = p.key.fingerprints.find((x) => x.id === fid);
  if (!f) throw new Error("That fingerprint is no longer on the key.");
  if (!name.trim()) throw new Error("Give the fingerprint a name.");
  f.name = name.trim();
  return copy(p.key.fingerprints);
}

export async function deleteFingerprint(
  _key: string,
  pin: string,
  fid: string,
): Promise<FingerprintView[]> {
  record("delete_fingerprint");
  checkPin(pin);
  p.key.fingerprints = p.key.fingerprints.filter((x) => x.id !== fid);
  return copy(p.key.fingerprints);
}

export async function winkKey(_key: string): Promise<void> {
  record("wink_key");
  plugged();
}

// --- security keys that unlock the vault ----------------------------------------------

export async function keySlots(): Promise<KeySlotView[]> {
  record("key_slots");
  requireUnlocked();
  return copy(p.slots);
}

export async function addKeySlot(
  name: string,
  onEvent: (e: AuthenticatorEvent) => void,
): Promise<KeySlotView[]> {
  record("add_key_slot");
  requireUnlocked();
  try {
    await unlockKey(onEvent);
    // One touch to make the credential, one to read its hmac-secret.
    await touchKey(onEvent);
    await touchKey(onEvent);
  } finally {
    p.waiting = null;
  }
  p.slots.push({
    id: id("slot"),
    name: name.trim() || PRODUCT,
    createdAt: now(),
  });
  return copy(p.slots);
}

export async function unlockWithKey(
  onEvent: (e: AuthenticatorEvent) => void,
): Promise<void> {
  record("unlock_with_key");
  if (p.slots.length === 0)
    throw new Error("No security key unlocks this vault. Use your password.");
  try {
    await unlockKey(onEvent);
    await touchKey(onEvent);
  } finally {
    p.waiting = null;
  }
  p.open();
}

export async function removeKeySlot(slot: string): Promise<KeySlotView[]> {
  record("remove_key_slot");
  requireUnlocked();
  if (!p.slots.some((x) => x.id === slot))
    throw new Error("That security key no longer unlocks this vault.");
  p.slots = p.slots.filter((x) => x.id !== slot);
  return copy(p.slots);
}

// --- controls for tests and the preview ---------------------------------------------

export const passkeysMock = {
  reset(unlocked: () => boolean, open: () => void = () => {}) {
    p = fresh();
    p.unlocked = unlocked;
    p.open = open;
  },
  get state() {
    return p;
  },
  /** The person approved the pending link in their browser. */
  approveLink() {
    for (const [link, pending] of p.links) {
      pending.approved = true;
      if (pending.settle) {
        p.links.delete(link);
        pending.settle.resolve(linked(pending));
      }
    }
  },
  /** The person refused the link in their browser. */
  denyLink() {
    for (const [link, pending] of p.links) {
      p.links.delete(link);
      pending.settle?.reject(
        new Error("The link was refused in the browser. Nothing was linked."),
      );
    }
  },
  /** The key is plugged in (answers a waiting "insert"). */
  plug() {
    p.key.plugged = true;
    const w = p.waiting;
    if (w && p.events.at(-1)?.kind === "insert") {
      p.waiting = null;
      w.resolve(null);
    }
  },
  unplug() {
    p.key.plugged = false;
  },
  /** The person touched the key (answers a waiting "touch"). */
  touch() {
    const w = p.waiting;
    const last = p.events.at(-1)?.kind;
    if (w && (last === "touch" || last === "sample")) {
      p.waiting = null;
      w.resolve(null);
    }
  },
  /** A linked service with a passkey on each authenticator, and an unlocking key. */
  demo() {
    const t = 1_786_400_000;
    p.services.push({
      id: id("svc"),
      baseUrl: "http://127.0.0.1:8088",
      origin: "http://localhost:8088",
      rpId: "localhost",
      account: "alice@example.com",
      linkedAt: t,
      passkeys: [
        {
          id: id("pk"),
          name: "Laptop",
          holder: { kind: "platform" },
          createdAt: t + 600,
        },
        {
          id: id("pk"),
          name: "Blue YubiKey",
          holder: { kind: "securityKey", product: PRODUCT, aaguid: AAGUID },
          createdAt: t + 86_400,
        },
      ],
    });
    p.key.passkeys.push({
      credentialId: "cred0",
      rpId: "localhost",
      userName: "alice@example.com",
      displayName: "Alice",
    });
    p.key.fingerprints.push({ id: id("fp"), name: "Right index" });
    p.slots.push({ id: id("slot"), name: "Blue YubiKey", createdAt: t });
    p.autoApproveMs = 4000;
  },
};
