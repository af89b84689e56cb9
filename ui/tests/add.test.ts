import { screen, waitFor, within } from "@testing-library/svelte";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import { mockCode } from "../src/lib/backend.mock";
import { mock, renderApp, row, rowIds } from "./helpers";

const URI =
  "otpauth://totp/Example:bob@example.com?secret=JBSWY3DPEHPK3PXP&issuer=Example";

async function openAdd() {
  const user = userEvent.setup();
  await user.click(document.getElementById("add-button")!);
  await screen.findByRole("dialog", { name: "Add account" });
  return user;
}

describe("adding an account", () => {
  it("adds from a link, shows the code to confirm, saves recovery codes, and is on the list after Done", async () => {
    await renderApp();
    const user = await openAdd();
    await user.type(document.getElementById("add-uri")!, URI);
    await user.click(document.getElementById("add-uri-submit")!);

    const code = await waitFor(() => {
      const el = document.getElementById("confirm-code");
      expect(el?.textContent).toMatch(/^\d{3} \d{3}$/);
      return el!.textContent!.replace(" ", "");
    });
    const step = Math.floor(Date.now() / 30_000);
    expect([
      mockCode("acc-13", step, "totp", 6),
      mockCode("acc-13", step + 1, "totp", 6),
    ]).toContain(code);
    expect(
      screen.getByText("Enter this code on the site to finish setup."),
    ).toBeInTheDocument();

    await user.type(
      document.getElementById("recovery-text")!,
      "1. abcd-1234{Enter}2. efgh-5678{Enter}3. ijkl-9012",
    );
    await user.click(document.getElementById("recovery-save")!);
    expect(
      await screen.findByText(/Saved 3 recovery codes/),
    ).toBeInTheDocument();
    expect(
      mock.state.accounts
        .find((a) => a.id === "acc-13")!
        .recoveryCodes!.map((c) => c.code),
    ).toEqual(["abcd-1234", "efgh-5678", "ijkl-9012"]);

    await user.click(document.getElementById("done-button")!);
    await waitFor(() => expect(screen.queryByRole("dialog")).toBeNull());
    expect(row("acc-13")!.querySelector(".issuer")).toHaveTextContent(
      "Example",
    );
  });

  it("says why a link was refused and keeps the sheet open", async () => {
    await renderApp();
    const user = await openAdd();
    await user.type(
      document.getElementById("add-uri")!,
      "https://example.com/not-a-setup-link",
    );
    await user.click(document.getElementById("add-uri-submit")!);
    expect(await screen.findByRole("alert")).toHaveTextContent(
      /should start with otpauth:\/\//,
    );
    expect(rowIds()).toHaveLength(12);
  });

  it("lists every account of a migration export and skips the confirm code", async () => {
    await renderApp();
    const user = await openAdd();
    await user.type(
      document.getElementById("add-uri")!,
      "otpauth-migration://offline?data=AAAA",
    );
    await user.click(document.getElementById("add-uri-submit")!);
    const dialog = await screen.findByRole("dialog", {
      name: "3 accounts added",
    });
    expect(within(dialog).getAllByRole("listitem")).toHaveLength(3);
    expect(document.getElementById("confirm-code")).toBeNull();
  });

  it("shows the scan error as a sentence, then adds what the screen shows", async () => {
    await renderApp({ accounts: 0 });
    mock.state.screenQr = null;
    const user = userEvent.setup();
    await user.click(screen.getByRole("button", { name: "Scan screen" })); // the empty state's: opens the sheet and scans
    expect(await screen.findByRole("alert")).toHaveTextContent(
      "No QR code found on the screen.",
    );
    mock.state.screenQr = URI;
    await user.click(document.getElementById("scan-screen")!);
    await waitFor(() =>
      expect(document.getElementById("confirm-code")).toBeInTheDocument(),
    );
    expect(mock.state.calls.filter((c) => c === "scan_screen")).toHaveLength(2);
  });

  it("opens with Ctrl+N", async () => {
    await renderApp();
    const user = userEvent.setup();
    await user.keyboard("{Control>}n{/Control}");
    expect(
      await screen.findByRole("dialog", { name: "Add account" }),
    ).toBeInTheDocument();
  });

  it("adds a pasted otpauth link on Ctrl+V in the sheet", async () => {
    await renderApp();
    const user = await openAdd();
    document.getElementById("scan-screen")!.focus();
    await user.paste(URI);
    await waitFor(() =>
      expect(document.getElementById("confirm-code")).toBeInTheDocument(),
    );
    expect(mock.state.calls).toContain("add_uri");
  });

  it("asks Rust to read the clipboard when a paste brings the page nothing (an image in WebKitGTK)", async () => {
    await renderApp();
    const user = await openAdd();
    document.getElementById("scan-screen")!.focus();
    await user.paste("");
    expect(
      await screen.findByText(/The clipboard holds no QR code image/),
    ).toBeInTheDocument();
    expect(mock.state.calls).toContain("paste_clipboard");
  });

  it("leaves plain text pasted into the link field to the field", async () => {
    await renderApp();
    const user = await openAdd();
    await user.click(document.getElementById("add-uri")!);
    await user.paste("otpauth");
    expect(document.getElementById("add-uri")).toHaveValue("otpauth");
    expect(mock.state.calls).not.toContain("paste_clipboard");
  });

  it("opens the add sheet with the link of a deep link", async () => {
    await renderApp();
    mock.emitDeepLink(URI);
    await screen.findByRole("dialog", { name: "Add account" });
    expect(document.getElementById("add-uri")).toHaveValue(URI);
    expect(
      screen.getByText(/A setup link was opened in Latchkey/),
    ).toBeInTheDocument();
  });
});

describe("the manual form", () => {
  async function openManual() {
    await renderApp();
    const user = await openAdd();
    await user.click(screen.getByRole("button", { name: /Enter manually/ }));
    await screen.findByRole("dialog", { name: "Enter manually" });
    return user;
  }

  it("explains each problem next to its field and sends nothing", async () => {
    const user = await openManual();
    await user.type(screen.getByLabelText("Secret key"), "JBSW Y3DP 0HPK 3PXP");
    await user.click(screen.getByRole("button", { name: "Add account" }));
    expect(screen.getByText(/Enter the site’s name/)).toBeInTheDocument();
    expect(screen.getByText(/“0” is not one of them/)).toBeInTheDocument();
    expect(screen.getByLabelText("Secret key")).toHaveAttribute(
      "aria-invalid",
      "true",
    );
    expect(screen.getByLabelText("Issuer")).toHaveFocus();
    expect(mock.state.calls).not.toContain("add_manual");
  });

  it("checks digits and period under Advanced", async () => {
    const user = await openManual();
    await user.type(screen.getByLabelText("Issuer"), "Example");
    await user.type(screen.getByLabelText("Secret key"), "jbsw y3dp ehpk 3pxp");
    await user.click(screen.getByText("Advanced"));
    await user.clear(screen.getByLabelText("Digits"));
    await user.type(screen.getByLabelText("Digits"), "9");
    await user.clear(screen.getByLabelText("Period (seconds)"));
    await user.type(screen.getByLabelText("Period (seconds)"), "0");
    await user.click(screen.getByRole("button", { name: "Add account" }));
    expect(screen.getByText(/Codes have 6, 7 or 8 digits/)).toBeInTheDocument();
    expect(
      screen.getByText(/The period is a whole number of seconds/),
    ).toBeInTheDocument();
    expect(mock.state.calls).not.toContain("add_manual");
  });

  it("sends a tidy secret once the form is valid", async () => {
    const user = await openManual();
    await user.type(screen.getByLabelText("Issuer"), "Example");
    await user.type(screen.getByLabelText("Account"), "bob");
    await user.type(screen.getByLabelText("Secret key"), "jbsw y3dp ehpk 3pxp");
    await user.click(screen.getByRole("button", { name: "Add account" }));
    await waitFor(() =>
      expect(document.getElementById("confirm-code")).toBeInTheDocument(),
    );
    const added = mock.state.accounts.at(-1)!;
    expect([added.issuer, added.label, added.secret, added.digits]).toEqual([
      "Example",
      "bob",
      "JBSWY3DPEHPK3PXP",
      6,
    ]);
  });
});
