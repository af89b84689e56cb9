// The unlock screen's "Unlock with security key", against the mock's YubiKey (PIN
// 123456) and a vault it unlocks.
import { screen, waitFor } from "@testing-library/svelte";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import type { LockState } from "../src/lib/types";
import { mock, renderApp, rowIds } from "./helpers";

/** Starts the app locked as `lock` says, with one security key that unlocks it. */
async function lockedWithKey(lock: Partial<LockState> = {}) {
  await renderApp({
    lock: {
      state: "locked",
      reason: "No keychain was found, so Latchkey needs your password.",
      password: true,
      securityKey: true,
      ...lock,
    } as LockState,
    accounts: "demo",
  });
  mock.passkeys.state.slots.push({
    id: "slot-1",
    name: "Blue YubiKey",
    createdAt: 1_786_400_000,
  });
  await screen.findByText(/needs your password/);
  return userEvent.setup();
}

const keyButton = () =>
  screen.queryByRole("button", { name: "Unlock with security key" });

describe("unlocking with a security key", () => {
  it("asks for the key's PIN, waits for the touch, and opens the vault", async () => {
    const user = await lockedWithKey();
    expect(document.getElementById("unlock-password")).not.toBeNull();
    await user.click(keyButton()!);
    const pin = await screen.findByLabelText("PIN");
    expect(document.getElementById("unlock-password")).toBeNull();
    await user.type(pin, "123456{Enter}");
    await waitFor(() => expect(rowIds()).toHaveLength(12));
    expect(mock.passkeys.state.calls).toContain("unlock_with_key");
    expect(mock.state.calls).not.toContain("unlock");
  });

  it("asks for the key when none is plugged in, and a cancel says so and offers both again", async () => {
    const user = await lockedWithKey();
    mock.passkeys.unplug();
    await user.click(keyButton()!);
    expect(
      await screen.findByText("Insert your security key"),
    ).toBeInTheDocument();
    await user.click(screen.getByRole("button", { name: "Cancel" }));
    expect(await screen.findByRole("alert")).toHaveTextContent("Cancelled.");
    expect(keyButton()).not.toBeNull();
    expect(document.getElementById("unlock-password")).not.toBeNull();

    await user.click(keyButton()!);
    await screen.findByText("Insert your security key");
    mock.passkeys.plug();
    await user.type(await screen.findByLabelText("PIN"), "123456{Enter}");
    await waitFor(() => expect(rowIds()).toHaveLength(12));
  });

  it("offers only the key when nothing else can open the vault", async () => {
    await lockedWithKey({ password: false, keyOnly: true });
    expect(document.getElementById("unlock-password")).toBeNull();
    expect(document.getElementById("unlock-submit")).toBeNull();
    expect(keyButton()).toHaveClass("primary");
  });

  it("shows no key button for a vault no key unlocks", async () => {
    await renderApp({
      lock: { state: "locked", reason: "Latchkey is locked.", password: true },
      accounts: "demo",
    });
    await screen.findByText("Latchkey is locked.");
    expect(keyButton()).toBeNull();
  });

  it("a lock offers the key when the vault has a key slot", async () => {
    await renderApp();
    mock.passkeys.state.slots.push({
      id: "slot-1",
      name: "Blue YubiKey",
      createdAt: 1_786_400_000,
    });
    await userEvent.setup().click(document.getElementById("lock-button")!);
    await waitFor(() => expect(keyButton()).not.toBeNull());
  });
});
