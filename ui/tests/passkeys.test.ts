import { screen, waitFor, within } from "@testing-library/svelte";
import userEvent from "@testing-library/user-event";
import { beforeEach, describe, expect, it } from "vitest";
import { mock, renderApp } from "./helpers";

const pk = () => mock.passkeys;

async function openPasskeys() {
  await renderApp();
  const user = userEvent.setup();
  await user.click(screen.getByRole("button", { name: "Passkeys" }));
  await screen.findByRole("dialog", { name: "Passkeys" });
  return user;
}

/** Links the fake service at 127.0.0.1:8088 through the sheet. */
async function link(user: ReturnType<typeof userEvent.setup>) {
  await user.click(screen.getByRole("button", { name: /Link a service/ }));
  await user.type(
    screen.getByLabelText("Service address"),
    "http://127.0.0.1:8088{Enter}",
  );
  expect(await screen.findByText("WDJB-MJHT")).toBeInTheDocument();
  pk().approveLink();
  await waitFor(() =>
    expect(notice()).toHaveTextContent(
      "Linked to alice@example.com at 127.0.0.1:8088.",
    ),
  );
}

/** The sheet's own status line (the app has a screen-reader one too). */
const notice = () => document.querySelector(".sheet .notice[role=status]");

async function startAdd(
  user: ReturnType<typeof userEvent.setup>,
  where: "This computer" | "Security key",
  name: string,
) {
  await user.click(screen.getByRole("button", { name: "Add a passkey" }));
  await user.click(screen.getByLabelText(where));
  await user.type(screen.getByLabelText("Name"), name);
  await user.click(screen.getByRole("button", { name: "Create passkey" }));
}

const passkeyRows = () =>
  [...document.querySelectorAll(".passkeys li")].map((li) =>
    li.textContent?.replace(/\s+/g, " ").trim(),
  );

describe("passkeys", () => {
  beforeEach(() => mock.reset({ accounts: "demo" }));

  it("links a service: the code big, the browser opened, then who and where", async () => {
    const user = await openPasskeys();
    expect(screen.getByText("No service linked yet")).toBeInTheDocument();
    await user.click(screen.getByRole("button", { name: /Link a service/ }));
    await user.type(
      screen.getByLabelText("Service address"),
      "http://127.0.0.1:8088{Enter}",
    );
    expect(await screen.findByText("WDJB-MJHT")).toHaveClass("user-code");
    expect(screen.getByText(/Waiting for approval/)).toBeInTheDocument();
    await user.click(screen.getByRole("button", { name: "Open browser" }));
    expect(pk().state.calls).toContain("open_link");
    expect(
      await screen.findByText(/Waiting for you to approve in the browser/),
    ).toBeInTheDocument();
    pk().approveLink();
    expect(
      await screen.findByRole("region", {
        name: "alice@example.com at 127.0.0.1:8088",
      }),
    ).toBeInTheDocument();
    expect(notice()).toHaveTextContent(
      "Linked to alice@example.com at 127.0.0.1:8088.",
    );
  });

  it("says why a service cannot be reached, and cancelling a link stops the wait", async () => {
    const user = await openPasskeys();
    await user.click(screen.getByRole("button", { name: /Link a service/ }));
    await user.type(
      screen.getByLabelText("Service address"),
      "https://accounts.example.invalid{Enter}",
    );
    expect(await screen.findByRole("alert")).toHaveTextContent(
      "Could not reach the account service at https://accounts.example.invalid.",
    );
    await user.clear(screen.getByLabelText("Service address"));
    await user.type(
      screen.getByLabelText("Service address"),
      "http://127.0.0.1:8088{Enter}",
    );
    await screen.findByText("WDJB-MJHT");
    await user.click(screen.getByRole("button", { name: "Cancel" }));
    expect(pk().state.calls).toContain("cancel_link");
    expect(screen.queryByText("WDJB-MJHT")).toBeNull();
    expect(pk().state.services).toEqual([]);
  });

  it("adds a passkey on this computer after the person confirms", async () => {
    const user = await openPasskeys();
    await link(user);
    await startAdd(user, "This computer", "Laptop");
    expect(
      await screen.findByRole("heading", {
        name: "Create a passkey for alice@example.com on 127.0.0.1?",
      }),
    ).toBeInTheDocument();
    await user.click(screen.getByRole("button", { name: "Create passkey" }));
    await waitFor(() =>
      expect(passkeyRows()).toEqual([
        expect.stringMatching(/^Laptop This computer · added /),
      ]),
    );
  });

  it("declining the confirmation makes nothing and says nothing", async () => {
    const user = await openPasskeys();
    await link(user);
    await startAdd(user, "This computer", "Laptop");
    await screen.findByRole("heading", { name: /Create a passkey for/ });
    await user.click(screen.getByRole("button", { name: "Cancel" }));
    await waitFor(() =>
      expect(
        screen.getByRole("button", { name: "Add a passkey" }),
      ).toBeVisible(),
    );
    expect(screen.queryByRole("alert")).toBeNull();
    expect(pk().state.services[0].passkeys).toEqual([]);
  });

  it("adds a security-key passkey: insert, a wrong PIN with tries left, the PIN, a touch", async () => {
    const user = await openPasskeys();
    await link(user);
    pk().unplug();
    pk().state.key.autoTouch = false;
    await startAdd(user, "Security key", "Blue key");
    expect(
      await screen.findByRole("heading", { name: "Insert your security key" }),
    ).toBeInTheDocument();
    pk().plug();
    const pin = await screen.findByLabelText("PIN");
    await user.type(pin, "000000{Enter}");
    expect(await screen.findByRole("alert")).toHaveTextContent(
      "That PIN is wrong. 7 tries left before the key locks itself.",
    );
    await user.type(screen.getByLabelText("PIN"), "123456{Enter}");
    expect(
      await screen.findByRole("heading", { name: "Touch your security key" }),
    ).toBeInTheDocument();
    pk().touch();
    await waitFor(() =>
      expect(passkeyRows()).toEqual([
        expect.stringMatching(
          /^Blue key Security key \(YubiKey 5 NFC\) · added/,
        ),
      ]),
    );
    expect(pk().state.key.retries).toBe(8);
    // The PIN went to the backend and nowhere else: not in the page.
    expect(document.body.innerHTML).not.toContain("123456");
  });

  it("says so when the key is pulled out mid-operation, and Cancel stops a wait", async () => {
    const user = await openPasskeys();
    await link(user);
    pk().state.key.removeMidway = true;
    await startAdd(user, "Security key", "Blue key");
    await user.type(await screen.findByLabelText("PIN"), "123456{Enter}");
    expect(await screen.findByRole("alert")).toHaveTextContent(
      "The security key was removed before it finished. Plug it back in and try again.",
    );
    // Try again with the key back, and cancel at the insert prompt.
    pk().unplug();
    await user.click(screen.getByRole("button", { name: "Create passkey" }));
    await screen.findByRole("heading", { name: "Insert your security key" });
    await user.click(screen.getByRole("button", { name: "Cancel" }));
    await waitFor(() =>
      expect(
        screen.getByRole("button", { name: "Add a passkey" }),
      ).toBeVisible(),
    );
    expect(pk().state.calls).toContain("cancel_authenticator");
    expect(passkeyRows()).toEqual([]);
  });

  it("removes a passkey only after confirming", async () => {
    mock.reset({ accounts: "demo" });
    pk().demo();
    const user = userEvent.setup();
    await renderAppKeepingMock();
    await user.click(screen.getByRole("button", { name: "Passkeys" }));
    await waitFor(() => expect(passkeyRows()).toHaveLength(2));
    await user.click(
      screen.getByRole("button", { name: "Remove passkey Laptop" }),
    );
    const row = screen.getByText("Remove from the service?").closest("li")!;
    await user.click(within(row).getByRole("button", { name: "Keep" }));
    expect(passkeyRows()).toHaveLength(2);
    await user.click(
      screen.getByRole("button", { name: "Remove passkey Laptop" }),
    );
    await user.click(screen.getByRole("button", { name: "Remove" }));
    await waitFor(() => expect(passkeyRows()).toHaveLength(1));
    expect(notice()).toHaveTextContent(
      "Passkey “Laptop” removed from 127.0.0.1:8088.",
    );
  });
});

/** The app over the mock as it is now (renderApp would reset it). */
async function renderAppKeepingMock() {
  const { render } = await import("@testing-library/svelte");
  const App = (await import("../src/App.svelte")).default;
  render(App);
  await screen.findByRole("searchbox", { name: "Search accounts" });
}
