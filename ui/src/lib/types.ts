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
  | { state: "locked"; reason: string; password: boolean }
  | { state: "setup"; reason: string };

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
