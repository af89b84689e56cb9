// The real backend module (vite.config.ts lets this one file import it): each
// function is a thin invoke of the snake_case command, and Rust's errors become Errors.
import { beforeEach, describe, expect, it, vi } from "vitest";

const invoke = vi.fn();
const listen = vi.fn();
vi.mock("@tauri-apps/api/core", () => ({
  invoke: (...a: unknown[]) => invoke(...a),
}));
vi.mock("@tauri-apps/api/event", () => ({
  listen: (...a: unknown[]) => listen(...a),
}));

const backend = await import("../src/lib/backend");

beforeEach(() => {
  invoke.mockReset();
  listen.mockReset();
});

describe("backend.ts", () => {
  it("is the real module, not the mock", () => {
    expect("mock" in backend).toBe(false);
  });

  it("calls each command by its Rust name with camelCase arguments", async () => {
    invoke.mockResolvedValue(null);
    const m = {
      issuer: "I",
      label: "L",
      secret: "S",
      kind: "totp",
      algorithm: "SHA1",
      digits: 6,
      period: 30,
      counter: 0,
    } as const;
    const s = {
      autoLockMinutes: 5,
      clipboardClearSeconds: 30,
      theme: "dark",
    } as const;
    const cases: [() => Promise<unknown>, string, unknown][] = [
      [() => backend.status(), "status", undefined],
      [() => backend.unlock("pw"), "unlock", { password: "pw" }],
      [() => backend.createVault("pw"), "create_vault", { password: "pw" }],
      [
        () => backend.setPassword("new pw"),
        "set_password",
        { current: null, password: "new pw" },
      ],
      [
        () => backend.setPassword("new pw", "old pw"),
        "set_password",
        { current: "old pw", password: "new pw" },
      ],
      [
        () => backend.removePassword("pw"),
        "remove_password",
        { current: "pw" },
      ],
      [() => backend.lock(), "lock", undefined],
      [() => backend.accounts(), "accounts", undefined],
      [() => backend.codes(), "codes", undefined],
      [() => backend.copyCode("a"), "copy_code", { id: "a" }],
      [() => backend.hotpCode("a"), "hotp_code", { id: "a" }],
      [() => backend.addUri("otpauth://x"), "add_uri", { uri: "otpauth://x" }],
      [() => backend.addManual(m), "add_manual", { account: m }],
      [() => backend.scanScreen(), "scan_screen", undefined],
      [() => backend.scanImage("QUJD"), "scan_image", { data: "QUJD" }],
      [() => backend.pasteClipboard(), "paste_clipboard", undefined],
      [
        () => backend.renameAccount("a", "I", "L"),
        "rename_account",
        { id: "a", issuer: "I", label: "L" },
      ],
      [() => backend.setTags("a", ["t"]), "set_tags", { id: "a", tags: ["t"] }],
      [() => backend.setIcon("a", null), "set_icon", { id: "a", icon: null }],
      [() => backend.revealSecret("a"), "reveal_secret", { id: "a" }],
      [() => backend.deleteAccount("a"), "delete_account", { id: "a" }],
      [() => backend.recovery("a"), "recovery", { id: "a" }],
      [
        () => backend.setRecovery("a", "x y"),
        "set_recovery",
        { id: "a", text: "x y" },
      ],
      [
        () => backend.useRecovery("a", "x"),
        "use_recovery",
        { id: "a", code: "x" },
      ],
      [() => backend.recoverySheet("a"), "recovery_sheet", { id: "a" }],
      [() => backend.settings(), "settings", undefined],
      [() => backend.setSettings(s), "set_settings", { settings: s }],
      [() => backend.vaultInfo(), "vault_info", undefined],
      [() => backend.touch(), "touch", undefined],
      [() => backend.painted("p"), "painted", { phases: "p" }],
    ];
    for (const [call, command, args] of cases) {
      invoke.mockClear();
      await call();
      expect(invoke).toHaveBeenCalledWith(command, args);
    }
  });

  it("turns a string or {message} from Rust into an Error with that sentence", async () => {
    invoke.mockRejectedValueOnce("No QR code found on the screen.");
    await expect(backend.scanScreen()).rejects.toThrow(
      new Error("No QR code found on the screen."),
    );
    invoke.mockRejectedValueOnce({
      code: "locked",
      message: "Latchkey is locked.",
    });
    await expect(backend.codes()).rejects.toThrow("Latchkey is locked.");
    invoke.mockRejectedValueOnce(42);
    await expect(backend.codes()).rejects.toThrow(/Something went wrong/);
  });

  it("passes event payloads to the callbacks", async () => {
    const handlers: Record<string, (e: { payload: unknown }) => void> = {};
    listen.mockImplementation(
      async (name: string, h: (e: { payload: unknown }) => void) => {
        handlers[name] = h;
        return () => {};
      },
    );
    const got: string[] = [];
    await backend.onLocked((r, p) => got.push(`locked:${r}:${p}`));
    await backend.onDeepLink((u) => got.push(`link:${u}`));
    await backend.onCodeCleared(() => got.push("cleared"));
    handlers.locked({ payload: { reason: "Idle.", password: false } });
    handlers["deep-link"]({ payload: { uri: "otpauth://totp/x" } });
    handlers["clipboard-cleared"]({ payload: null });
    expect(got).toEqual([
      "locked:Idle.:false",
      "link:otpauth://totp/x",
      "cleared",
    ]);
  });
});
