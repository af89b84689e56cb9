// An in-memory stand-in for src-tauri with the same exports as ./backend.ts.
// Used by the tests and by `npm run dev:mock` / the screenshot preview; the
// production build never includes it (see vite.config.ts). Codes are a
// deterministic function of (id, time step), not real TOTP.
import type {
  AccountView,
  CodeView,
  Copied,
  ExportFormat,
  ExportOptions,
  Exported,
  ImportPreview,
  Kind,
  LockState,
  ManualAccount,
  RecoveryView,
  Secret,
  Settings,
  Unlisten,
  VaultInfo,
  KeyUnlock,
} from "./types";
import { passkeysMock } from "./backend.mock.passkeys";

// Passkeys, linked services and security keys live in a module of their own.
export * from "./backend.mock.passkeys";

interface MockAccount extends AccountView {
  secret: string;
  counter: number;
  recoveryCodes: { code: string; usedAt: number | null }[] | null;
  recoveryAddedAt: number | null;
}

type Listener<T> = (value: T) => void;

const DEFAULT_SETTINGS: Settings = {
  autoLockMinutes: 5,
  clipboardClearSeconds: 30,
  theme: "system",
};

function freshState() {
  return {
    lock: { state: "unlocked" } as LockState,
    /** The vault's password; null = it has none (the keychain alone opens it). */
    password: "correct horse" as string | null,
    /** Whether the vault has a keychain slot. */
    hasKeychain: true,
    accounts: [] as MockAccount[],
    settings: { ...DEFAULT_SETTINGS },
    nextId: 1,
    clipboard: "" as string,
    /** What scan_screen finds: an otpauth URI, or null for "no QR code". */
    screenQr: null as string | null,
    calls: [] as string[],
    /** Imports previewed but not confirmed, by id. */
    imports: new Map<string, MockAccount[]>(),
    /** Files written by exportFile: path → format. */
    exported: new Map<string, ExportFormat>(),
    /** What the save dialog answers (null: the person cancelled). */
    savePath: "/home/alice/Documents" as string | null,
    locked: [] as ((
      reason: string,
      password: boolean,
      keys: KeyUnlock,
    ) => void)[],
    deepLink: [] as Listener<string>[],
    cleared: [] as Listener<void>[],
    search: [] as Listener<void>[],
  };
}

let s = freshState();

const now = () => Date.now() / 1000;

function hash(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}

const STEAM = "23456789BCDFGHJKMNPQRTVWXY";

/** The mock's "OTP": deterministic in (id, step, digits). */
export function mockCode(
  id: string,
  step: number,
  kind: Kind,
  digits: number,
): string {
  let h = hash(`${id}:${step}`);
  if (kind === "steam") {
    let out = "";
    for (let i = 0; i < 5; i++) {
      out += STEAM[h % STEAM.length];
      h = Math.floor(h / STEAM.length) || hash(out);
    }
    return out;
  }
  return String(h % 10 ** digits).padStart(digits, "0");
}

function view(a: MockAccount): AccountView {
  const { id, issuer, label, kind, digits, period, tags, icon } = a;
  let recovery = null;
  if (a.recoveryCodes) {
    const remaining = a.recoveryCodes.filter((c) => c.usedAt === null).length;
    recovery = {
      total: a.recoveryCodes.length,
      remaining,
      low: remaining <= 2,
    };
  }
  return {
    id,
    issuer,
    label,
    kind,
    digits,
    period,
    tags: [...tags],
    icon,
    recovery,
  };
}

function recoveryView(a: MockAccount): RecoveryView {
  const codes = (a.recoveryCodes ?? []).map((c) => ({ ...c }));
  const remaining = codes.filter((c) => c.usedAt === null).length;
  return {
    codes,
    total: codes.length,
    remaining,
    low: codes.length > 0 && remaining <= 2,
    addedAt: a.recoveryAddedAt,
  };
}

function record(name: string) {
  s.calls.push(name);
}

function requireUnlocked() {
  if (s.lock.state !== "unlocked")
    throw new Error("Latchkey is locked. Unlock it with your password first.");
}

function find(id: string): MockAccount {
  requireUnlocked();
  const a = s.accounts.find((x) => x.id === id);
  if (!a)
    throw new Error(
      "That account is no longer in the vault. It may have been removed in another window.",
    );
  return a;
}

function insert(
  p: Partial<MockAccount> & { issuer: string; label: string },
): MockAccount {
  const a: MockAccount = {
    id: `acc-${s.nextId++}`,
    kind: "totp",
    digits: 6,
    period: 30,
    tags: [],
    icon: null,
    recovery: null,
    secret: "JBSWY3DPEHPK3PXP",
    counter: 0,
    recoveryCodes: null,
    recoveryAddedAt: null,
    ...p,
  };
  s.accounts.push(a);
  return a;
}

function parseOtpauth(uri: string): MockAccount[] {
  const text = uri.trim();
  if (text.startsWith("otpauth-migration://")) {
    return [
      insert({ issuer: "Google", label: "alice@gmail.com" }),
      insert({ issuer: "Dropbox", label: "alice@example.com" }),
      insert({ issuer: "Reddit", label: "alice_r" }),
    ];
  }
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    url = new URL("invalid:");
  }
  if (
    url.protocol !== "otpauth:" ||
    !["totp", "hotp", "steam"].includes(url.hostname)
  ) {
    throw new Error(
      "That is not a setup link. It should start with otpauth://; copy it again or scan the QR code instead.",
    );
  }
  const secret = url.searchParams.get("secret");
  if (!secret)
    throw new Error(
      "That setup link has no secret in it. Ask the site for a new QR code.",
    );
  const path = decodeURIComponent(url.pathname.replace(/^\/+/, ""));
  const [pIssuer, pLabel] = path.includes(":")
    ? path.split(/:(.*)/s)
    : ["", path];
  const issuer = url.searchParams.get("issuer") ?? pIssuer;
  const kind = url.hostname as Kind;
  return [
    insert({
      issuer,
      label: pLabel.trim(),
      kind,
      secret,
      digits:
        kind === "steam" ? 5 : Number(url.searchParams.get("digits") ?? 6),
      period: Number(url.searchParams.get("period") ?? 30),
      counter: Number(url.searchParams.get("counter") ?? 0),
    }),
  ];
}

function parseRecovery(text: string): string[] {
  const seen = new Set<string>();
  for (const raw of text.split(/[\r\n]+/)) {
    const line = raw.replace(/^\s*(?:[-*•]|\d+[.)])\s*/, "").trim();
    if (!line || /[a-z]{4,}\s+[a-z]{4,}/i.test(line)) continue; // headers and sentences
    for (const word of line.split(/\s{2,}|\t|,/)) {
      const code = word.trim();
      if (code.length >= 4 && /^[A-Za-z0-9-]+( [A-Za-z0-9-]+)?$/.test(code))
        seen.add(code);
    }
  }
  return [...seen];
}

// --- the commands -----------------------------------------------------------

export async function status(): Promise<LockState> {
  record("status");
  return { ...s.lock };
}

export async function unlock(password: string): Promise<void> {
  record("unlock");
  const byKeychain =
    s.lock.state === "locked" && !s.lock.password && password === "";
  if (!byKeychain && password !== s.password)
    throw new Error(
      "That password does not open this vault. Check Caps Lock and try again.",
    );
  s.lock = { state: "unlocked" };
}

export async function createVault(password: string): Promise<void> {
  record("create_vault");
  if (password.length < 8)
    throw new Error("Choose a password of at least 8 characters.");
  // With no keychain, the new vault opens with its password only.
  s.password = password;
  s.hasKeychain = false;
  s.lock = { state: "unlocked" };
}

/** Rust checks the current password against the vault file before a change. */
function checkCurrent(current: string) {
  if (!current) throw new Error("Enter the current password.");
  if (current !== s.password)
    throw new Error(
      "That is not the current password. Passwords are case-sensitive.",
    );
}

export async function setPassword(
  password: string,
  current: string | null = null,
): Promise<void> {
  record("set_password");
  requireUnlocked();
  if ([...password].length < 8)
    throw new Error("Choose a password of at least 8 characters.");
  if (s.password !== null) checkCurrent(current ?? "");
  s.password = password;
}

export async function removePassword(current: string): Promise<void> {
  record("remove_password");
  requireUnlocked();
  if (s.password === null)
    throw new Error("This vault has no password to remove.");
  if (!s.hasKeychain)
    throw new Error(
      "The password is the only way to open this vault, so it cannot be removed.",
    );
  checkCurrent(current);
  s.password = null;
}

/** What a locked vault offers besides the password: its unlocking keys, as Rust says. */
const keyUnlock = (): KeyUnlock => ({
  securityKey: passkeysMock.state.slots.length > 0,
  keyOnly: false,
});

export async function lock(): Promise<LockState> {
  record("lock");
  s.lock = {
    state: "locked",
    reason: "Latchkey is locked.",
    password: true,
    ...keyUnlock(),
  };
  return { ...s.lock };
}

export async function accounts(): Promise<AccountView[]> {
  record("accounts");
  requireUnlocked();
  return s.accounts.map(view);
}

export async function codes(): Promise<CodeView[]> {
  record("codes");
  requireUnlocked();
  const t = now();
  return s.accounts
    .filter((a) => a.kind !== "hotp")
    .map((a) => {
      const step = Math.floor(t / a.period);
      return {
        id: a.id,
        period: a.period,
        validUntil: (step + 1) * a.period,
        code: mockCode(a.id, step, a.kind, a.digits),
        next: mockCode(a.id, step + 1, a.kind, a.digits),
      };
    });
}

export async function copyCode(id: string): Promise<Copied> {
  record("copy_code");
  const a = find(id);
  if (a.kind === "hotp") {
    a.counter++;
    s.clipboard = mockCode(a.id, a.counter, "hotp", a.digits);
  } else
    s.clipboard = mockCode(
      a.id,
      Math.floor(now() / a.period),
      a.kind,
      a.digits,
    );
  return { clearsInSeconds: s.settings.clipboardClearSeconds };
}

export async function hotpCode(id: string): Promise<string> {
  record("hotp_code");
  const a = find(id);
  a.counter++;
  return mockCode(a.id, a.counter, "hotp", a.digits);
}

export async function addUri(uri: string): Promise<AccountView[]> {
  record("add_uri");
  requireUnlocked();
  return parseOtpauth(uri).map(view);
}

export async function addManual(m: ManualAccount): Promise<AccountView> {
  record("add_manual");
  requireUnlocked();
  const { issuer, label, secret, kind, digits, period, counter } = m;
  return view(insert({ issuer, label, secret, kind, digits, period, counter }));
}

export async function scanScreen(): Promise<AccountView[]> {
  record("scan_screen");
  requireUnlocked();
  if (!s.screenQr)
    throw new Error(
      "No QR code found on the screen. Make sure the setup QR code is fully visible, then try again.",
    );
  return parseOtpauth(s.screenQr).map(view);
}

export async function scanImage(data: string): Promise<AccountView[]> {
  record("scan_image");
  requireUnlocked();
  // The mock cannot decode images; a "file" whose bytes are an otpauth link stands in.
  let text = "";
  try {
    text = atob(data);
  } catch {
    /* not base64 */
  }
  if (!text.startsWith("otpauth"))
    throw new Error(
      "No QR code found in that image. Try a sharper screenshot of the code.",
    );
  return parseOtpauth(text).map(view);
}

export async function pasteClipboard(): Promise<AccountView[]> {
  record("paste_clipboard");
  requireUnlocked();
  if (!s.clipboard.startsWith("otpauth"))
    throw new Error(
      "The clipboard holds no QR code image or otpauth:// link. Copy the QR code or the setup link first.",
    );
  return parseOtpauth(s.clipboard).map(view);
}

export async function renameAccount(
  id: string,
  issuer: string,
  label: string,
): Promise<AccountView> {
  record("rename_account");
  const a = find(id);
  if (!issuer.trim() && !label.trim())
    throw new Error("Give the account an issuer or a name.");
  a.issuer = issuer.trim();
  a.label = label.trim();
  return view(a);
}

export async function setTags(
  id: string,
  tags: string[],
): Promise<AccountView> {
  record("set_tags");
  const a = find(id);
  a.tags = [...new Set(tags.map((t) => t.trim()).filter(Boolean))];
  return view(a);
}

export async function setIcon(
  id: string,
  icon: string | null,
): Promise<AccountView> {
  record("set_icon");
  const a = find(id);
  a.icon = icon;
  return view(a);
}

export async function revealSecret(id: string): Promise<Secret> {
  record("reveal_secret");
  const a = find(id);
  const issuer = encodeURIComponent(a.issuer);
  return {
    secret: a.secret,
    uri: `otpauth://${a.kind}/${issuer}:${encodeURIComponent(a.label)}?secret=${a.secret}&issuer=${issuer}`,
  };
}

export async function deleteAccount(id: string): Promise<void> {
  record("delete_account");
  find(id);
  s.accounts = s.accounts.filter((a) => a.id !== id);
}

export async function recovery(id: string): Promise<RecoveryView> {
  record("recovery");
  return recoveryView(find(id));
}

export async function setRecovery(
  id: string,
  text: string,
): Promise<RecoveryView> {
  record("set_recovery");
  const a = find(id);
  const found = parseRecovery(text);
  if (!found.length)
    throw new Error(
      "No recovery codes found in that text. Paste the codes the site showed you, one per line.",
    );
  a.recoveryCodes = found.map((code) => ({ code, usedAt: null }));
  a.recoveryAddedAt = Math.floor(now());
  return recoveryView(a);
}

export async function useRecovery(
  id: string,
  code: string,
): Promise<RecoveryView> {
  record("use_recovery");
  const a = find(id);
  const c = a.recoveryCodes?.find((x) => x.code === code);
  if (!c)
    throw new Error("That code is not one of this account’s recovery codes.");
  if (c.usedAt !== null)
    throw new Error("That recovery code was already used.");
  c.usedAt = Math.floor(now());
  return recoveryView(a);
}

export async function recoverySheet(id: string): Promise<string> {
  record("recovery_sheet");
  const a = find(id);
  const items = (a.recoveryCodes ?? [])
    .map(
      (c) =>
        `<li${c.usedAt ? ' style="text-decoration:line-through"' : ""}>${c.code}</li>`,
    )
    .join("");
  return `<!doctype html><html><head><meta charset="utf-8"><title>${a.issuer} recovery codes</title></head><body><h1>${a.issuer} — ${a.label}</h1><ol>${items}</ol></body></html>`;
}

// Import and export. The mock reads one kind of export: JSON as `mockExport` makes
// it, standing in for Aegis and the rest (the real formats are Rust's).
interface MockExport {
  format: string;
  password?: string;
  entries: { issuer: string; label: string; kind?: Kind; secret?: string }[];
  skipped?: { name: string; reason: string }[];
}

/** A mock export file's bytes as base64 (what a file input gives importPreview). */
export function mockExport(e: MockExport): string {
  return btoa(JSON.stringify(e));
}

const nameOf = (a: { issuer: string; label: string }) =>
  a.issuer && a.label ? `${a.issuer} (${a.label})` : a.issuer || a.label;

function readExport(data: string): MockExport {
  let text = "";
  try {
    text = atob(data);
  } catch {
    /* not base64 */
  }
  if (text.startsWith("otpauth"))
    return {
      format: "otpauth:// links",
      entries: text
        .split("\n")
        .filter((l) => l.startsWith("otpauth"))
        .map((l) => {
          const a = parseOtpauthFields(l);
          return { issuer: a.issuer, label: a.label, secret: a.secret };
        }),
    };
  try {
    const e = JSON.parse(text) as MockExport;
    if (e && Array.isArray(e.entries)) return e;
  } catch {
    /* not JSON */
  }
  throw new Error(
    "Latchkey does not recognise this file as an export it can read. It reads exports of: Latchkey backup, Ente Auth, otpauth:// links, FreeOTP+, Aegis (JSON), 2FAS, Bitwarden, andOTP.",
  );
}

function parseOtpauthFields(uri: string) {
  const u = new URL(uri);
  const path = decodeURIComponent(u.pathname.replace(/^\/+/, ""));
  const [first, ...rest] = path.split(":");
  return {
    issuer: u.searchParams.get("issuer") ?? (rest.length ? first : ""),
    label: rest.length ? rest.join(":") : first,
    secret: u.searchParams.get("secret") ?? "",
  };
}

export async function importPreview(
  data: string,
  password: string | null = null,
  _format: string | null = null,
): Promise<ImportPreview> {
  record("import_preview");
  requireUnlocked();
  const e = readExport(data);
  const empty = { new: [], duplicates: [], skipped: [] };
  if (e.password !== undefined && !password)
    return { id: null, format: e.format, needsPassword: true, ...empty };
  if (e.password !== undefined && password !== e.password)
    throw new Error(
      "That password does not open this export. Passwords are case-sensitive.",
    );
  const fresh: MockAccount[] = [];
  const duplicates: string[] = [];
  for (const entry of e.entries) {
    const secret = entry.secret ?? "JBSWY3DPEHPK3PXP";
    const known = [...s.accounts, ...fresh].find(
      (a) =>
        a.issuer.toLowerCase() === entry.issuer.toLowerCase() &&
        a.secret === secret,
    );
    if (known) duplicates.push(nameOf(known));
    else
      fresh.push({
        id: "",
        kind: entry.kind ?? "totp",
        digits: 6,
        period: 30,
        tags: [],
        icon: null,
        recovery: null,
        counter: 0,
        recoveryCodes: null,
        recoveryAddedAt: null,
        issuer: entry.issuer,
        label: entry.label,
        secret,
      });
  }
  const id = `import-${s.nextId++}`;
  s.imports.clear();
  s.imports.set(id, fresh);
  return {
    id,
    format: e.format,
    needsPassword: false,
    new: fresh.map((a) => ({
      name: nameOf(a),
      issuer: a.issuer,
      label: a.label,
      kind: a.kind,
    })),
    duplicates,
    skipped: e.skipped ?? [],
  };
}

export async function importConfirm(id: string): Promise<AccountView[]> {
  record("import_confirm");
  requireUnlocked();
  const pending = s.imports.get(id);
  if (!pending)
    throw new Error("That import is no longer open. Choose the file again.");
  s.imports.delete(id);
  return pending.map(({ id: _none, ...a }) => view(insert(a)));
}

export async function importCancel(id: string): Promise<void> {
  record("import_cancel");
  s.imports.delete(id);
}

export async function chooseExportPath(name: string): Promise<string | null> {
  record("choose_export_path");
  return s.savePath === null ? null : `${s.savePath}/${name}`;
}

export async function exportFile(
  format: ExportFormat,
  path: string,
  options: ExportOptions = {},
): Promise<Exported> {
  record("export_file");
  requireUnlocked();
  const encrypted = format === "latchkey" || format === "aegis";
  if (encrypted && [...(options.password ?? "")].length < 8)
    throw new Error(
      "Choose a password of at least 8 characters for the export.",
    );
  if (!encrypted && options.confirmedPlain !== true)
    throw new Error(
      "This export holds your secrets unencrypted: confirm that you understand before saving it.",
    );
  if (s.exported.has(path) && !options.replace)
    throw new Error(`${path} already exists. Choose another name.`);
  s.exported.set(path, format);
  return { accounts: s.accounts.length, path };
}

export async function settings(): Promise<Settings> {
  record("settings");
  return { ...s.settings };
}

export async function setSettings(next: Settings): Promise<Settings> {
  record("set_settings");
  if (next.autoLockMinutes < 0 || next.clipboardClearSeconds < 0)
    throw new Error("Times cannot be negative.");
  s.settings = { ...next };
  return { ...s.settings };
}

export async function vaultInfo(): Promise<VaultInfo> {
  record("vault_info");
  return {
    path: "/home/alice/.local/share/latchkey/vault.latchkey",
    hasPassword: s.password !== null,
    hasKeychain: s.hasKeychain,
    accounts: s.accounts.length,
  };
}

export async function touch(): Promise<void> {
  record("touch");
}

export async function painted(_phases: string): Promise<void> {
  record("painted");
}

export async function onLocked(
  cb: (reason: string, password: boolean, keys: KeyUnlock) => void,
): Promise<Unlisten> {
  s.locked.push(cb);
  return () => {
    s.locked = s.locked.filter((x) => x !== cb);
  };
}
export async function onDeepLink(cb: (uri: string) => void): Promise<Unlisten> {
  s.deepLink.push(cb);
  return () => {
    s.deepLink = s.deepLink.filter((x) => x !== cb);
  };
}
export async function onSearch(cb: () => void): Promise<Unlisten> {
  s.search.push(cb);
  return () => {
    s.search = s.search.filter((x) => x !== cb);
  };
}
export async function onCodeCleared(cb: () => void): Promise<Unlisten> {
  s.cleared.push(cb);
  return () => {
    s.cleared = s.cleared.filter((x) => x !== cb);
  };
}

export function toError(e: unknown): Error {
  return e instanceof Error ? e : new Error(String(e));
}

// --- controls for tests and the preview ---------------------------------------

export const DEMO: [string, string, Partial<MockAccount>?][] = [
  ["GitHub", "alice", { tags: ["work"] }],
  ["Google", "alice@gmail.com"],
  ["Proton", "alice@proton.me"],
  ["Cloudflare", "ops@example.com", { tags: ["work"] }],
  ["Discord", "alice#4821"],
  ["Steam", "alice_gamer", { kind: "steam", digits: 5 }],
  ["Amazon Web Services", "root@example.com", { tags: ["work"] }],
  ["Bitwarden", "alice@example.com"],
  ["Dropbox", "alice@example.com"],
  ["PayPal", "alice@example.com"],
  ["Coinbase", "alice@example.com", { digits: 8 }],
  ["npm", "alice", { kind: "hotp" }],
];

export const mock = {
  /** Start over: locked state, accounts, settings. */
  reset(opts: { lock?: LockState; accounts?: number | "demo" } = {}) {
    s = freshState();
    passkeysMock.reset(
      () => s.lock.state === "unlocked",
      () => (s.lock = { state: "unlocked" }),
    );
    if (opts.lock) s.lock = opts.lock;
    if (opts.accounts === "demo") {
      for (const [issuer, label, extra] of DEMO)
        insert({ issuer, label, ...extra });
      const gh = s.accounts[0];
      gh.recoveryCodes = [
        "a1b2-c3d4",
        "e5f6-g7h8",
        "j9k0-l1m2",
        "n3p4-q5r6",
        "s7t8-u9v0",
        "w1x2-y3z4",
        "b5c6-d7e8",
        "f9g0-h1j2",
      ].map((code, i) => ({
        code,
        usedAt: i < 3 ? 1_785_000_000 + i * 86_400 * 9 : null,
      }));
      gh.recoveryAddedAt = 1_780_000_000;
      const cf = s.accounts[3];
      cf.recoveryCodes = [
        "7KQ2-99XA",
        "PL0M-4NB1",
        "ZT6R-8WUE",
        "C3VY-H5JD",
      ].map((code, i) => ({ code, usedAt: i < 2 ? 1_786_000_000 : null }));
      cf.recoveryAddedAt = 1_781_000_000;
      s.screenQr =
        "otpauth://totp/Docker:alice?secret=JBSWY3DPEHPK3PXP&issuer=Docker";
    } else if (typeof opts.accounts === "number") {
      for (let i = 0; i < opts.accounts; i++)
        insert({ issuer: `Issuer ${i}`, label: `user${i}@example.com` });
    }
  },
  get state() {
    return s;
  },
  /** The fake account service, security key and prompts (backend.mock.passkeys.ts). */
  passkeys: passkeysMock,
  emitLocked(reason: string) {
    const keys = keyUnlock();
    s.lock = { state: "locked", reason, password: true, ...keys };
    for (const cb of s.locked) cb(reason, true, keys);
  },
  emitDeepLink(uri: string) {
    for (const cb of s.deepLink) cb(uri);
  },
  emitSearch() {
    for (const cb of s.search) cb();
  },
  emitCleared() {
    for (const cb of s.cleared) cb();
  },
};

// The preview (`npm run dev:mock`) reads ?lock=locked|setup and ?accounts=demo|empty|N.
if (typeof window !== "undefined" && import.meta.env.MODE === "mock") {
  const q = new URLSearchParams(window.location.search);
  const lockParam = q.get("lock");
  const n = q.get("accounts") ?? "demo";
  mock.reset({
    lock:
      lockParam === "setup"
        ? {
            state: "setup",
            reason: "No vault yet. Choose a password to create one.",
          }
        : lockParam === "locked"
          ? {
              state: "locked",
              reason: "No keychain was found, so Latchkey needs your password.",
              password: true,
            }
          : undefined,
    accounts: n === "demo" ? "demo" : n === "empty" ? 0 : Number(n),
  });
  if (q.get("passkeys") !== "none") passkeysMock.demo();
  const theme = q.get("theme");
  if (theme === "light" || theme === "dark") s.settings.theme = theme;
}
