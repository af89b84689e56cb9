// The one door to Rust. Every function is a thin `invoke` of the Tauri command
// with the same name in snake_case; components import from here and never call
// `invoke` themselves. In `--mode mock` and in tests, vite.config.ts swaps this
// module for ./backend.mock.ts, which has the same exports.
import { invoke } from "@tauri-apps/api/core";
import { listen } from "@tauri-apps/api/event";
import type {
  AccountView,
  CodeView,
  Copied,
  LockState,
  ManualAccount,
  RecoveryView,
  Secret,
  Settings,
  Unlisten,
  VaultInfo,
} from "./types";

/** Rust errors arrive as a sentence (or `{message}`); make them ordinary Errors. */
export function toError(e: unknown): Error {
  if (e instanceof Error) return e;
  if (typeof e === "string") return new Error(e);
  if (
    e &&
    typeof e === "object" &&
    typeof (e as { message?: unknown }).message === "string"
  ) {
    return new Error((e as { message: string }).message);
  }
  return new Error(
    "Something went wrong in Latchkey. Try again, and restart the app if it keeps happening.",
  );
}

async function call<T>(
  command: string,
  args?: Record<string, unknown>,
): Promise<T> {
  try {
    return await invoke<T>(command, args);
  } catch (e) {
    throw toError(e);
  }
}

export const status = () => call<LockState>("status");
export const unlock = (password: string) => call<void>("unlock", { password });
export const createVault = (password: string) =>
  call<void>("create_vault", { password });
/** Sets the vault's password, or changes it: `current` is then the one it has now. */
export const setPassword = (password: string, current: string | null = null) =>
  call<void>("set_password", { current, password });
/** Removes the password; the keychain alone then opens the vault. */
export const removePassword = (current: string) =>
  call<void>("remove_password", { current });
export const lock = () => call<LockState>("lock");

export const accounts = () => call<AccountView[]>("accounts");
export const codes = () => call<CodeView[]>("codes");
export const copyCode = (id: string) => call<Copied>("copy_code", { id });
export const hotpCode = (id: string) => call<string>("hotp_code", { id });

export const addUri = (uri: string) => call<AccountView[]>("add_uri", { uri });
export const addManual = (account: ManualAccount) =>
  call<AccountView>("add_manual", { account });
export const scanScreen = () => call<AccountView[]>("scan_screen");
export const scanImage = (data: string) =>
  call<AccountView[]>("scan_image", { data });
export const pasteClipboard = () => call<AccountView[]>("paste_clipboard");

export const renameAccount = (id: string, issuer: string, label: string) =>
  call<AccountView>("rename_account", { id, issuer, label });
export const setTags = (id: string, tags: string[]) =>
  call<AccountView>("set_tags", { id, tags });
export const setIcon = (id: string, icon: string | null) =>
  call<AccountView>("set_icon", { id, icon });
export const revealSecret = (id: string) =>
  call<Secret>("reveal_secret", { id });
export const deleteAccount = (id: string) =>
  call<void>("delete_account", { id });

export const recovery = (id: string) => call<RecoveryView>("recovery", { id });
export const setRecovery = (id: string, text: string) =>
  call<RecoveryView>("set_recovery", { id, text });
export const useRecovery = (id: string, code: string) =>
  call<RecoveryView>("use_recovery", { id, code });
export const recoverySheet = (id: string) =>
  call<string>("recovery_sheet", { id });

export const settings = () => call<Settings>("settings");
export const setSettings = (settings: Settings) =>
  call<Settings>("set_settings", { settings });
export const vaultInfo = () => call<VaultInfo>("vault_info");
export const touch = () => call<void>("touch");
/** The first screen is on the display (start-up timing; see scripts/bench-app). */
export const painted = (phases: string) => call<void>("painted", { phases });

/** `password`: whether unlocking needs the password (else the keychain will do). */
export const onLocked = (
  cb: (reason: string, password: boolean) => void,
): Promise<Unlisten> =>
  listen<{ reason: string; password: boolean }>("locked", (e) =>
    cb(e.payload.reason, e.payload.password),
  );
export const onDeepLink = (cb: (uri: string) => void): Promise<Unlisten> =>
  listen<{ uri: string }>("deep-link", (e) => cb(e.payload.uri));
/** The global shortcut (Ctrl+Alt+K) brought the window up: focus the search. */
export const onSearch = (cb: () => void): Promise<Unlisten> =>
  listen("search", () => cb());
export const onCodeCleared = (cb: () => void): Promise<Unlisten> =>
  listen("clipboard-cleared", () => cb());
