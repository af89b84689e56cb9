// The one door to Rust. Every function is a thin `invoke` of the Tauri command
// with the same name in snake_case; components import from here and never call
// `invoke` themselves. In `--mode mock` and in tests, vite.config.ts swaps this
// module for ./backend.mock.ts, which has the same exports.
import { Channel, invoke } from "@tauri-apps/api/core";
import { listen } from "@tauri-apps/api/event";
import type {
  AccountView,
  AuthenticatorChoice,
  AuthenticatorEvent,
  CodeView,
  Copied,
  ExportFormat,
  ExportOptions,
  Exported,
  FingerprintView,
  ImportPreview,
  KeyPasskeyView,
  KeyUnlock,
  KeySlotView,
  LinkStart,
  LockState,
  ManualAccount,
  PromptAnswer,
  RecoveryView,
  Secret,
  SecurityKeyInfo,
  SecurityKeyView,
  ServicePasskeyView,
  ServiceView,
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
/** Unlocks with a security key; `onEvent` hears "insert", "touch" and PIN requests. */
export const unlockWithKey = (onEvent: (e: AuthenticatorEvent) => void) =>
  withEvents<void>("unlock_with_key", {}, onEvent);
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

// Import and export (Settings). Seeds never cross: Rust keeps an import's accounts
// until it is confirmed, and writes exports to the file itself.
/** Reads an export (the file's bytes, base64); adds nothing. */
export const importPreview = (
  data: string,
  password: string | null = null,
  format: string | null = null,
) => call<ImportPreview>("import_preview", { data, password, format });
/** Adds the new accounts of the previewed import. */
export const importConfirm = (id: string) =>
  call<AccountView[]>("import_confirm", { id });
export const importCancel = (id: string) => call<void>("import_cancel", { id });
/** The system's save dialog; null when the person cancels. */
export const chooseExportPath = (name: string) =>
  call<string | null>("choose_export_path", { name });
export const exportFile = (
  format: ExportFormat,
  path: string,
  options: ExportOptions = {},
) => call<Exported>("export_file", { format, path, ...options });

export const settings = () => call<Settings>("settings");
export const setSettings = (settings: Settings) =>
  call<Settings>("set_settings", { settings });
export const vaultInfo = () => call<VaultInfo>("vault_info");
export const touch = () => call<void>("touch");
/** The first screen is on the display (start-up timing; see scripts/bench-app). */
export const painted = (phases: string) => call<void>("painted", { phases });

// Passkeys: linked account services, and the passkeys registered with them.
export const services = () => call<ServiceView[]>("services");
/** Starts linking to the service at `url`: the code to confirm in the browser. */
export const linkService = (url: string) =>
  call<LinkStart>("link_service", { url });
/** Opens the service's page for confirming `link` in the default browser. */
export const openLink = (link: string) => call<void>("open_link", { link });
/** Resolves once the person approved `link` in the browser (or it failed). */
export const waitForLink = (link: string) =>
  call<ServiceView>("wait_for_link", { link });
export const cancelLink = (link: string) => call<void>("cancel_link", { link });
export const unlinkService = (service: string) =>
  call<void>("unlink_service", { service });

/** Runs `command` with a channel on which Rust reports what the authenticator needs. */
function withEvents<T>(
  command: string,
  args: Record<string, unknown>,
  onEvent: (e: AuthenticatorEvent) => void,
): Promise<T> {
  const events = new Channel<AuthenticatorEvent>();
  events.onmessage = onEvent;
  return call<T>(command, { ...args, events });
}

/** Makes a passkey on `holder` and registers it with `service`. */
export const addPasskey = (
  service: string,
  holder: AuthenticatorChoice,
  name: string,
  onEvent: (e: AuthenticatorEvent) => void,
) =>
  withEvents<ServicePasskeyView>(
    "add_passkey",
    { service, holder, name },
    onEvent,
  );
export const removePasskey = (service: string, passkey: string) =>
  call<void>("remove_passkey", { service, passkey });
/** Answers the authenticator's `pin` or `confirm` event. */
export const answerPrompt = (answer: PromptAnswer) =>
  call<void>("answer_prompt", { answer });
/** Stops the authenticator operation under way. */
export const cancelAuthenticator = () => call<void>("cancel_authenticator");

// Security keys plugged into this computer.
export const securityKeys = () => call<SecurityKeyView[]>("security_keys");
export const securityKeyInfo = (key: string) =>
  call<SecurityKeyInfo>("security_key_info", { key });
/** Sets the key's PIN, or changes it (`current` is then the one it has). */
export const setKeyPin = (key: string, pin: string, current: string | null) =>
  call<SecurityKeyInfo>("set_key_pin", { key, pin, current });
export const keyPasskeys = (key: string, pin: string) =>
  call<KeyPasskeyView[]>("key_passkeys", { key, pin });
export const deleteKeyPasskey = (
  key: string,
  pin: string,
  credential: string,
) => call<KeyPasskeyView[]>("delete_key_passkey", { key, pin, credential });
export const fingerprints = (key: string, pin: string) =>
  call<FingerprintView[]>("fingerprints", { key, pin });
export const addFingerprint = (
  key: string,
  pin: string,
  name: string,
  onEvent: (e: AuthenticatorEvent) => void,
) =>
  withEvents<FingerprintView[]>("add_fingerprint", { key, pin, name }, onEvent);
export const renameFingerprint = (
  key: string,
  pin: string,
  id: string,
  name: string,
) => call<FingerprintView[]>("rename_fingerprint", { key, pin, id, name });
export const deleteFingerprint = (key: string, pin: string, id: string) =>
  call<FingerprintView[]>("delete_fingerprint", { key, pin, id });
/** Makes the key blink, to tell it from others. */
export const winkKey = (key: string) => call<void>("wink_key", { key });

// Security keys that unlock the vault.
export const keySlots = () => call<KeySlotView[]>("key_slots");
export const addKeySlot = (
  name: string,
  onEvent: (e: AuthenticatorEvent) => void,
) => withEvents<KeySlotView[]>("add_key_slot", { name }, onEvent);
export const removeKeySlot = (slot: string) =>
  call<KeySlotView[]>("remove_key_slot", { slot });

/** `password`: whether unlocking needs the password (else the keychain will do). */
export const onLocked = (
  cb: (reason: string, password: boolean, keys: KeyUnlock) => void,
): Promise<Unlisten> =>
  listen<{ reason: string; password: boolean } & KeyUnlock>("locked", (e) =>
    cb(e.payload.reason, e.payload.password, {
      securityKey: e.payload.securityKey ?? false,
      keyOnly: e.payload.keyOnly ?? false,
    }),
  );
export const onDeepLink = (cb: (uri: string) => void): Promise<Unlisten> =>
  listen<{ uri: string }>("deep-link", (e) => cb(e.payload.uri));
/** The global shortcut (Ctrl+Alt+K) brought the window up: focus the search. */
export const onSearch = (cb: () => void): Promise<Unlisten> =>
  listen("search", () => cb());
export const onCodeCleared = (cb: () => void): Promise<Unlisten> =>
  listen("clipboard-cleared", () => cb());
