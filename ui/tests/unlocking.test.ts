// The Settings sheet's "Unlocking" section: add, change and remove the vault's
// password, against the mock backend (whose sentences are Rust's).
import { screen, waitFor } from "@testing-library/svelte";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import { mock, renderApp } from "./helpers";

/** Opens Settings over a vault with this password (null: none) and keychain slot. */
async function openSettings(password: string | null, keychain = true) {
  await renderApp();
  mock.state.password = password;
  mock.state.hasKeychain = keychain;
  const user = userEvent.setup();
  await user.click(document.getElementById("settings-button")!);
  await screen.findByRole("dialog", { name: "Settings" });
  await waitFor(() =>
    expect(document.getElementById("unlocking-summary")).not.toBeNull(),
  );
  return user;
}

const summary = () => document.getElementById("unlocking-summary");

describe("unlocking", () => {
  it("checks the new password in the form and calls nothing until both match", async () => {
    const user = await openSettings(null);
    expect(summary()).toHaveTextContent("Opens with your system keychain.");
    expect(
      screen.queryByRole("button", { name: "Change password" }),
    ).toBeNull();
    await user.click(screen.getByRole("button", { name: "Add a password" }));
    const fresh = screen.getByLabelText("New password");
    expect(fresh).toHaveFocus();
    expect(fresh).toHaveAttribute("autocomplete", "new-password");
    await user.type(fresh, "short");
    await user.click(screen.getByRole("button", { name: "Add password" }));
    expect(screen.getByText("Use at least 8 characters.")).toBeInTheDocument();
    expect(fresh).toHaveAttribute("aria-invalid", "true");
    expect(fresh).toHaveFocus();

    await user.clear(fresh);
    await user.type(fresh, "a long password");
    const confirm = screen.getByLabelText("Type it again");
    await user.type(confirm, "a long passw0rd{Enter}");
    expect(
      screen.getByText(
        "The two passwords differ. Type the same password in both fields.",
      ),
    ).toBeInTheDocument();
    expect(confirm).toHaveAttribute("aria-invalid", "true");
    expect(confirm).toHaveFocus();
    expect(screen.queryByText("Use at least 8 characters.")).toBeNull();
    expect(mock.state.calls).not.toContain("set_password");
    expect(mock.state.password).toBeNull();
  });

  it("adds a password, and then the section says the vault opens with one", async () => {
    const user = await openSettings(null);
    await user.click(screen.getByRole("button", { name: "Add a password" }));
    await user.type(screen.getByLabelText("New password"), "a long password");
    await user.type(
      screen.getByLabelText("Type it again"),
      "a long password{Enter}",
    );
    await waitFor(() =>
      expect(summary()).toHaveTextContent(
        "Opens with your system keychain and with a password.",
      ),
    );
    expect(
      screen.getByText(
        "Password added. It opens the vault when the keychain cannot.",
      ),
    ).toBeInTheDocument();
    expect(mock.state.password).toBe("a long password");
    expect(
      screen.getByRole("button", { name: "Change password" }),
    ).toHaveFocus();
    expect(
      screen.getByRole("button", { name: "Remove password" }),
    ).toBeInTheDocument();
  });

  it("shows Rust's sentence for a wrong current password and keeps the old one", async () => {
    const user = await openSettings("correct horse");
    await user.click(screen.getByRole("button", { name: "Change password" }));
    const current = screen.getByLabelText("Current password");
    expect(current).toHaveFocus();
    expect(current).toHaveAttribute("autocomplete", "current-password");
    await user.type(current, "Correct horse");
    await user.type(screen.getByLabelText("New password"), "battery staple");
    await user.type(screen.getByLabelText("Type it again"), "battery staple");
    await user.click(screen.getByRole("button", { name: "Change password" }));
    expect(await screen.findByRole("alert")).toHaveTextContent(
      "That is not the current password. Passwords are case-sensitive.",
    );
    expect(mock.state.calls).toContain("set_password");
    expect(mock.state.password).toBe("correct horse");
    await waitFor(() => expect(current).toHaveFocus());

    await user.clear(current);
    await user.type(current, "correct horse{Enter}");
    expect(await screen.findByText("Password changed.")).toBeInTheDocument();
    expect(mock.state.password).toBe("battery staple");
  });

  it("removes the password with the current one, leaving the keychain", async () => {
    const user = await openSettings("correct horse");
    await user.click(screen.getByRole("button", { name: "Remove password" }));
    expect(
      screen.getByText(/only this computer’s keychain opens the vault/),
    ).toBeInTheDocument();
    expect(screen.queryByLabelText("New password")).toBeNull();
    await user.click(screen.getByRole("button", { name: "Remove password" }));
    expect(screen.getByText("Enter the current password.")).toBeInTheDocument();
    expect(mock.state.calls).not.toContain("remove_password");
    await user.type(
      screen.getByLabelText("Current password"),
      "correct horse{Enter}",
    );
    await waitFor(() =>
      expect(summary()).toHaveTextContent("Opens with your system keychain."),
    );
    expect(mock.state.password).toBeNull();
    expect(
      screen.getByRole("button", { name: "Add a password" }),
    ).toHaveFocus();
  });

  it("offers no removal when the password is the only way in", async () => {
    const user = await openSettings("correct horse", false);
    expect(summary()).toHaveTextContent("Opens with a password only.");
    expect(
      screen.queryByRole("button", { name: "Remove password" }),
    ).toBeNull();
    await user.click(screen.getByRole("button", { name: "Change password" }));
    await user.click(screen.getByRole("button", { name: "Cancel" }));
    expect(screen.queryByLabelText("Current password")).toBeNull();
    expect(
      screen.getByRole("button", { name: "Change password" }),
    ).toHaveFocus();
  });
});
