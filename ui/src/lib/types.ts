// The shapes that cross the bridge to Rust (src-tauri), in the UI's words.

export type Kind = "totp" | "hotp" | "steam";

export interface RecoverySummary {
  total: number;
  remaining: number;
  low: boolean;
}

export interface AccountView {
  id: string;
  issuer: string;
  label: string;
  kind: Kind;
  digits: number;
  period: number;
  tags: string[];
  /** null = pick a brand icon from the issuer; 'letter' = letter avatar; else a simple-icons slug. */
  icon: string | null;
  recovery: RecoverySummary | null;
}

/** Codes for every TOTP/Steam account; HOTP accounts are absent (their code is made on demand). */
export interface CodeView {
  id: string;
  code: string;
  next: string;
  period: number;
  /** Unix seconds when `code` expires. */
  validUntil: number;
}

export type LockState =
  | { state: "unlocked" }
  | {
      state: "locked";
      reason: string;
      password: boolean;
      /** A security key can unlock the vault too. */
      securityKey?: boolean;
      /** Nothing else can now: no password, and the keychain cannot. */
      keyOnly?: boolean;
    }
  | { state: "setup"; reason: string };

/** Whether a security key can unlock a locked vault, and whether only it can. */
export interface KeyUnlock {
  securityKey: boolean;
  keyOnly: boolean;
}

export interface RecoveryCodeView {
  code: string;
  usedAt: number | null;
}

export interface RecoveryView {
  codes: RecoveryCodeView[];
  total: number;
  remaining: number;
  low: boolean;
  addedAt: number | null;
}

export interface Secret {
  secret: string;
  uri: string;
}

export interface Settings {
  /** 0 = never. */
  autoLockMinutes: number;
  /** 0 = never. */
  clipboardClearSeconds: number;
  theme: "system" | "light" | "dark";
}

export interface VaultInfo {
  path: string;
  hasPassword: boolean;
  hasKeychain: boolean;
  accounts: number;
}

export interface ManualAccount {
  issuer: string;
  label: string;
  secret: string;
  kind: Kind;
  algorithm: "SHA1" | "SHA256" | "SHA512";
  digits: number;
  period: number;
  counter: number;
}

export interface Copied {
  /** 0 = will not be cleared. */
  clearsInSeconds: number;
}

export type Unlisten = () => void;

// --- passkeys and security keys ------------------------------------------------

/** Where a passkey's private key lives. */
export type Holder =
  | { kind: "platform" }
  | { kind: "securityKey"; product: string; aaguid: string };

/** A passkey registered with a linked service from this desktop. */
export interface ServicePasskeyView {
  id: string;
  name: string;
  holder: Holder;
  /** Unix seconds. */
  createdAt: number;
}

/** An account service this desktop is linked to. Its token never crosses IPC. */
export interface ServiceView {
  id: string;
  baseUrl: string;
  origin: string;
  rpId: string;
  account: string;
  /** Unix seconds. */
  linkedAt: number;
  passkeys: ServicePasskeyView[];
}

/** A link begun with a service: the code the person confirms in their browser. */
export interface LinkStart {
  /** Names this pending link in the commands that follow (not the device code). */
  link: string;
  userCode: string;
  verificationUri: string;
  /** Seconds until the code expires. */
  expiresIn: number;
}

/** Which authenticator makes a new passkey. */
export type AuthenticatorChoice = "platform" | "securityKey";

/** What an authenticator needs from the person while it works. */
export type AuthenticatorEvent =
  | { kind: "insert" }
  | { kind: "touch" }
  | { kind: "pin"; retries: number | null; wrong: boolean }
  | { kind: "confirm"; rpId: string; userName: string }
  | { kind: "sample"; good: boolean; remaining: number; message: string }
  | { kind: "working" };

/** The answer to a `pin` or `confirm` event. */
export type PromptAnswer = { pin: string } | { confirm: boolean };

/** A security key plugged into this computer. */
export interface SecurityKeyView {
  /** Names the key in the commands that follow (its HID path). */
  id: string;
  product: string;
}

export interface SecurityKeyInfo {
  id: string;
  product: string;
  /** 32 hex digits; the key's model. */
  aaguid: string;
  versions: string[];
  firmware: string | null;
  pinSet: boolean;
  pinRetries: number | null;
  /** How many more discoverable passkeys fit, when the key says. */
  remainingPasskeys: number | null;
  /** The key has a fingerprint reader. */
  fingerprints: boolean;
}

/** A discoverable passkey stored on a security key. */
export interface KeyPasskeyView {
  /** base64url. */
  credentialId: string;
  rpId: string;
  userName: string;
  displayName: string;
}

export interface FingerprintView {
  id: string;
  name: string;
}

/** A security key that can unlock the vault (a fido2-hmac-secret slot). */
export interface KeySlotView {
  id: string;
  name: string;
  /** Unix seconds. */
  createdAt: number;
}

/** One account an import would add (names only: seeds stay in Rust). */
export interface ImportAccount {
  name: string;
  issuer: string;
  label: string;
  kind: Kind;
}

/** What importing a file would do; nothing is added until `importConfirm(id)`. */
export interface ImportPreview {
  /** null while the export's password is needed. */
  id: string | null;
  /** The export's format, e.g. "Aegis (JSON)". */
  format: string;
  /** The export is encrypted: ask for its password and preview again. */
  needsPassword: boolean;
  new: ImportAccount[];
  /** Accounts the vault already has, by their name there. */
  duplicates: string[];
  /** Entries that could not be read, and why. */
  skipped: { name: string; reason: string }[];
}

/** Latchkey backup, Aegis vault (both encrypted); otpauth links, printable sheet (plain). */
export type ExportFormat = "latchkey" | "aegis" | "uris" | "sheet";

export interface ExportOptions {
  /** Encrypted formats: at least 8 characters. */
  password?: string;
  /** Plain formats: the person saw the warning and confirmed. */
  confirmedPlain?: boolean;
  /** Replace an existing file (the save dialog asked already). */
  replace?: boolean;
}

export interface Exported {
  accounts: number;
  path: string;
}
