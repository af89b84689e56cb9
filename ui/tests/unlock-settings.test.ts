import { screen, waitFor } from "@testing-library/svelte";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import { mock, renderApp, rowIds } from "./helpers";

describe("unlock", () => {
  const locked = {
    state: "locked" as const,
    reason: "No keychain was found, so Latchkey needs your password.",
    password: true,
  };

  it("shows the reason, then the error sentence for a wrong password", async () => {
    await renderApp({ lock: locked, accounts: "demo" });
    expect(await screen.findByText(locked.reason)).toBeInTheDocument();
    const user = userEvent.setup();
    const field = screen.getByLabelText("Password");
    expect(field).toHaveFocus();
    await user.type(field, "wrong{Enter}");
    expect(await screen.findByRole("alert")).toHaveTextContent(
      "That password does not open this vault. Check Caps Lock and try again.",
    );
    expect(field).toHaveAttribute("aria-invalid", "true");
    expect(rowIds()).toEqual([]);
  });

  it("opens the vault with the right password (Enter submits)", async () => {
    await renderApp({ lock: locked, accounts: "demo" });
    const user = userEvent.setup();
    await user.type(
      await screen.findByLabelText("Password"),
      "correct horse{Enter}",
    );
    await waitFor(() => expect(rowIds()).toHaveLength(12));
    expect(document.getElementById("unlock-password")).toBeNull();
  });

  it("unlocks a keychain vault with one button, no password field", async () => {
    await renderApp({
      lock: { state: "locked", reason: "Latchkey is locked.", password: false },
      accounts: "demo",
    });
    expect(await screen.findByText("Latchkey is locked.")).toBeInTheDocument();
    expect(document.getElementById("unlock-password")).toBeNull();
    await userEvent
      .setup()
      .click(screen.getByRole("button", { name: "Unlock" }));
    await waitFor(() => expect(rowIds()).toHaveLength(12));
  });

  it("creates a vault only when both passwords match", async () => {
    await renderApp({
      lock: { state: "setup", reason: "No vault yet." },
      accounts: 0,
    });
    const user = userEvent.setup();
    await user.type(
      await screen.findByLabelText("New password"),
      "a long password",
    );
    await user.type(screen.getByLabelText("Type it again"), "a long passw0rd");
    await user.click(screen.getByRole("button", { name: "Create vault" }));
    expect(await screen.findByRole("alert")).toHaveTextContent(
      "The two passwords differ.",
    );
    expect(mock.state.calls).not.toContain("create_vault");
    await user.clear(screen.getByLabelText("Type it again"));
    await user.type(
      screen.getByLabelText("Type it again"),
      "a long password{Enter}",
    );
    expect(
      await screen.findByRole("heading", { name: "Add your first account" }),
    ).toBeInTheDocument();
    expect(mock.state.password).toBe("a long password");
  });
});

describe("settings", () => {
  it("saves the clipboard time, auto-lock and theme, and applies the theme", async () => {
    await renderApp();
    const user = userEvent.setup();
    await user.click(document.getElementById("settings-button")!);
    await screen.findByRole("dialog", { name: "Settings" });
    expect(
      await screen.findByText(
        "/home/alice/.local/share/latchkey/vault.latchkey",
      ),
    ).toBeInTheDocument();
    const save = screen.getByRole("button", { name: "Save" });
    expect(save).toBeDisabled();
    await user.selectOptions(
      screen.getByLabelText("Clear copied codes from the clipboard"),
      "After 60 seconds",
    );
    await user.selectOptions(
      screen.getByLabelText("Lock automatically"),
      "Never",
    );
    await user.click(screen.getByLabelText("Dark"));
    await user.click(save);
    expect(await screen.findByText("Settings saved.")).toBeInTheDocument();
    expect(mock.state.settings).toEqual({
      autoLockMinutes: 0,
      clipboardClearSeconds: 60,
      theme: "dark",
    });
    expect(document.documentElement.dataset.theme).toBe("dark");
    await user.click(screen.getByLabelText("Match system"));
    await user.click(save);
    await waitFor(() =>
      expect(document.documentElement.dataset.theme).toBeUndefined(),
    );
  });

  it("locks from the settings sheet", async () => {
    await renderApp();
    const user = userEvent.setup();
    await user.click(document.getElementById("settings-button")!);
    await screen.findByRole("dialog", { name: "Settings" });
    await user.click(document.getElementById("lock-now")!);
    expect(await screen.findByLabelText("Password")).toBeInTheDocument();
  });
});
