import { screen, waitFor, within } from "@testing-library/svelte";
import userEvent from "@testing-library/user-event";
import { beforeEach, describe, expect, it } from "vitest";
import { mock, renderApp } from "./helpers";

const pk = () => mock.passkeys;
const notice = () => document.querySelector(".sheet .notice[role=status]");

/** Settings › Security keys…, with the key as the mock has it. */
async function openKeys(setup: () => void = () => {}) {
  await renderApp();
  setup();
  const user = userEvent.setup();
  await user.click(screen.getByRole("button", { name: "Settings" }));
  await user.click(
    await screen.findByRole("button", { name: "Security keys…" }),
  );
  await screen.findByRole("dialog", { name: "Security keys" });
  return user;
}

describe("security keys", () => {
  beforeEach(() => mock.reset({ accounts: "demo" }));

  it("shows the key's model, versions, firmware and PIN state; Identify blinks it", async () => {
    const user = await openKeys();
    const info = await screen.findByRole("region", { name: "YubiKey 5 NFC" });
    expect(info).toHaveTextContent("2fc0579f811347eab116bb5a8db9202a");
    expect(info).toHaveTextContent("U2F_V2, FIDO_2_0, FIDO_2_1");
    expect(info).toHaveTextContent("5.7.1");
    expect(info).toHaveTextContent("Set · 8 tries left");
    expect(info).toHaveTextContent("100 more passkeys");
    await user.click(screen.getByRole("button", { name: "Identify" }));
    expect(pk().state.calls).toContain("wink_key");
    await waitFor(() =>
      expect(notice()).toHaveTextContent("The key is blinking."),
    );
  });

  it("says when no key is plugged in, and finds one plugged in later", async () => {
    const user = await openKeys(() => pk().unplug());
    expect(
      await screen.findByRole("heading", { name: "No security key found" }),
    ).toBeInTheDocument();
    pk().plug();
    await user.click(screen.getByRole("button", { name: "Look again" }));
    expect(
      await screen.findByRole("region", { name: "YubiKey 5 NFC" }),
    ).toBeInTheDocument();
  });

  it("a wrong PIN says how many tries are left; the right one shows the passkeys, deleted after confirming", async () => {
    const user = await openKeys(() => pk().demo());
    await user.type(
      await screen.findByLabelText(/Enter the key’s PIN/),
      "1111{Enter}",
    );
    expect(await screen.findByRole("alert")).toHaveTextContent(
      "That PIN is wrong. 7 tries left before the key locks itself.",
    );
    await waitFor(() =>
      expect(document.getElementById("key-pin-state")).toHaveTextContent(
        "7 tries left",
      ),
    );
    await user.type(
      screen.getByLabelText(/Enter the key’s PIN/),
      "123456{Enter}",
    );
    const list = await screen.findByRole("region", {
      name: "Passkeys on this key",
    });
    expect(list).toHaveTextContent("localhostalice@example.com");
    await user.click(
      within(list).getByRole("button", {
        name: "Delete passkey for localhost",
      }),
    );
    await user.click(within(list).getByRole("button", { name: "Delete" }));
    await waitFor(() => expect(list).toHaveTextContent("None yet."));
    expect(pk().state.key.passkeys).toEqual([]);
  });

  it("adds a fingerprint with sample progress, renames and deletes it", async () => {
    const user = await openKeys();
    pk().state.key.autoTouch = false;
    await user.type(
      await screen.findByLabelText(/Enter the key’s PIN/),
      "123456{Enter}",
    );
    const prints = await screen.findByRole("region", { name: "Fingerprints" });
    await user.click(
      within(prints).getByRole("button", { name: "Add a fingerprint" }),
    );
    await user.type(within(prints).getByLabelText("Name"), "Left thumb");
    await user.click(within(prints).getByRole("button", { name: "Start" }));
    await within(prints).findByRole("heading", {
      name: "Touch your security key",
    });
    pk().touch();
    expect(
      await within(prints).findByRole("heading", {
        name: "Touch the sensor again",
      }),
    ).toBeInTheDocument();
    expect(prints).toHaveTextContent("4 touches to go.");
    for (let i = 0; i < 4; i++) {
      await waitFor(() => expect(pk().state.waiting).not.toBeNull());
      pk().touch();
    }
    await waitFor(() => expect(prints).toHaveTextContent("Left thumb"));
    expect(notice()).toHaveTextContent("Fingerprint added.");

    await user.click(within(prints).getByRole("button", { name: "Rename" }));
    const field = within(prints).getByLabelText("Name");
    await user.clear(field);
    await user.type(field, "Right thumb{Enter}");
    await waitFor(() => expect(prints).toHaveTextContent("Right thumb"));
    await user.click(
      within(prints).getByRole("button", {
        name: "Delete fingerprint Right thumb",
      }),
    );
    await user.click(within(prints).getByRole("button", { name: "Delete" }));
    await waitFor(() =>
      expect(prints).toHaveTextContent("No fingerprints yet."),
    );
  });

  it("changes the PIN only with the current one", async () => {
    const user = await openKeys();
    await user.click(await screen.findByRole("button", { name: "Change PIN" }));
    await user.type(screen.getByLabelText("Current PIN"), "999999");
    await user.type(screen.getByLabelText("New PIN"), "24680");
    await user.type(screen.getByLabelText("Type it again"), "24680{Enter}");
    expect(await screen.findByRole("alert")).toHaveTextContent(
      "That PIN is wrong. 7 tries left",
    );
    await user.type(screen.getByLabelText("Current PIN"), "123456");
    await user.type(screen.getByLabelText("New PIN"), "24680");
    await user.type(screen.getByLabelText("Type it again"), "24680{Enter}");
    await waitFor(() => expect(notice()).toHaveTextContent("PIN changed."));
    expect(pk().state.key.pin).toBe("24680");
  });
});

describe("settings › unlock with a security key", () => {
  beforeEach(() => mock.reset({ accounts: "demo" }));

  it("adds a key slot with the key's PIN and a touch, lists it, removes it", async () => {
    await renderApp();
    const user = userEvent.setup();
    await user.click(screen.getByRole("button", { name: "Settings" }));
    await user.click(
      await screen.findByRole("button", { name: "Add a security key" }),
    );
    await user.type(screen.getByLabelText("Name for the key"), "Blue YubiKey");
    await user.click(screen.getByRole("button", { name: "Add security key" }));
    await user.type(await screen.findByLabelText("PIN"), "123456{Enter}");
    expect(
      await screen.findByText("This security key now unlocks the vault too."),
    ).toBeInTheDocument();
    expect(screen.getByText("Blue YubiKey")).toBeInTheDocument();
    await user.click(
      screen.getByRole("button", { name: "Remove security key Blue YubiKey" }),
    );
    await user.click(screen.getByRole("button", { name: "Remove" }));
    expect(
      await screen.findByText("“Blue YubiKey” no longer unlocks the vault."),
    ).toBeInTheDocument();
    expect(pk().state.slots).toEqual([]);
  });
});
