import { screen, waitFor } from "@testing-library/svelte";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import { mockExport } from "../src/lib/backend.mock";
import { mock, renderApp, rowIds } from "./helpers";

const AEGIS = {
  format: "Aegis (JSON vault)",
  password: "test",
  entries: [
    { issuer: "GitHub", label: "alice" },
    { issuer: "Mastodon", label: "alice@fosstodon.org", secret: "MFRGGZDF" },
    { issuer: "Tailscale", label: "alice", secret: "GEZDGNBV" },
  ],
  skipped: [{ name: "Old bank", reason: "It uses MD5, which no code uses." }],
};

/** Opens Settings and chooses `data` (base64) as the file to import. */
async function chooseFile(data: string, name = "aegis-export.json") {
  const user = userEvent.setup();
  await user.click(document.getElementById("settings-button")!);
  await screen.findByRole("dialog", { name: "Settings" });
  const bytes = Uint8Array.from(atob(data), (c) => c.charCodeAt(0));
  const input = document.getElementById("import-file") as HTMLInputElement;
  await user.upload(input, new File([bytes], name));
  return user;
}

describe("import", () => {
  it("asks for the password, shows the preview and adds nothing until confirmed", async () => {
    await renderApp({ accounts: "demo" });
    const before = rowIds().length;
    const user = await chooseFile(mockExport(AEGIS));
    const field = await screen.findByLabelText("Password of the export");
    await user.type(field, "Test{Enter}");
    expect(await screen.findByRole("alert")).toHaveTextContent(
      "That password does not open this export. Passwords are case-sensitive.",
    );
    await user.clear(field);
    await user.type(field, "test{Enter}");

    const fresh = await screen.findByText("2 new");
    expect(fresh).toBeInTheDocument();
    expect(document.getElementById("import-new")).toHaveTextContent(
      "Mastodon (alice@fosstodon.org)",
    );
    expect(screen.getByText("1 already in the vault")).toBeInTheDocument();
    expect(document.getElementById("import-duplicates")).toHaveTextContent(
      "GitHub (alice)",
    );
    expect(document.getElementById("import-skipped")).toHaveTextContent(
      "Old bank: It uses MD5",
    );
    expect(mock.state.accounts).toHaveLength(before);

    await user.click(screen.getByRole("button", { name: "Add 2 accounts" }));
    expect(await screen.findByText("Added 2 accounts.")).toBeInTheDocument();
    expect(mock.state.accounts).toHaveLength(before + 2);
    expect(mock.state.imports.size).toBe(0);
  });

  it("cancel drops the import", async () => {
    await renderApp({ accounts: "demo" });
    const before = mock.state.accounts.length;
    const user = await chooseFile(
      mockExport({ ...AEGIS, password: undefined }),
    );
    await screen.findByText("2 new");
    await user.click(screen.getByRole("button", { name: "Cancel" }));
    await waitFor(() => expect(mock.state.imports.size).toBe(0));
    expect(mock.state.accounts).toHaveLength(before);
    expect(mock.state.calls).not.toContain("import_confirm");
  });

  it("says which files it reads when it does not recognise one", async () => {
    await renderApp({ accounts: "demo" });
    await chooseFile(btoa("hello"), "notes.txt");
    expect(await screen.findByRole("alert")).toHaveTextContent(
      "does not recognise this file",
    );
  });
});

describe("export", () => {
  it("writes a backup only with a long enough password, twice the same", async () => {
    await renderApp({ accounts: "demo" });
    const user = userEvent.setup();
    await user.click(document.getElementById("settings-button")!);
    await user.click(await screen.findByRole("button", { name: "Export…" }));
    await user.type(screen.getByLabelText("Password for the file"), "short");
    await user.click(screen.getByRole("button", { name: "Save…" }));
    expect(await screen.findByRole("alert")).toHaveTextContent(
      "at least 8 characters",
    );
    await user.clear(screen.getByLabelText("Password for the file"));
    await user.type(
      screen.getByLabelText("Password for the file"),
      "a long password",
    );
    await user.type(screen.getByLabelText("Type it again"), "a long password");
    await user.click(screen.getByRole("button", { name: "Save…" }));
    expect(
      await screen.findByText(
        "Wrote 12 accounts to /home/alice/Documents/latchkey-backup.latchkey.",
      ),
    ).toBeInTheDocument();
    expect(
      mock.state.exported.get("/home/alice/Documents/latchkey-backup.latchkey"),
    ).toBe("latchkey");
  });

  it("warns in red about plain exports and saves only once confirmed", async () => {
    await renderApp({ accounts: "demo" });
    const user = userEvent.setup();
    await user.click(document.getElementById("settings-button")!);
    await user.click(await screen.findByRole("button", { name: "Export…" }));
    await user.selectOptions(screen.getByLabelText("Export as"), "uris");
    expect(document.getElementById("export-warning")).toHaveTextContent(
      "Anyone with this file can make your codes.",
    );
    const saveButton = screen.getByRole("button", { name: "Save…" });
    expect(saveButton).toBeDisabled();
    expect(mock.state.calls).not.toContain("export_file");
    await user.click(screen.getByLabelText(/I understand/));
    await user.click(saveButton);
    expect(
      await screen.findByText(/^Wrote 12 accounts to/),
    ).toBeInTheDocument();
    expect(
      mock.state.exported.get("/home/alice/Documents/otpauth-links.txt"),
    ).toBe("uris");
  });

  it("the backend refuses a plain export without the confirmation", async () => {
    mock.reset({ accounts: "demo" });
    const backend = await import("../src/lib/backend.mock");
    await expect(backend.exportFile("sheet", "/tmp/x.html")).rejects.toThrow(
      "unencrypted",
    );
    expect(mock.state.exported.size).toBe(0);
  });

  it("writes nothing when the save dialog is cancelled", async () => {
    await renderApp({ accounts: "demo" });
    mock.state.savePath = null;
    const user = userEvent.setup();
    await user.click(document.getElementById("settings-button")!);
    await user.click(await screen.findByRole("button", { name: "Export…" }));
    await user.type(
      screen.getByLabelText("Password for the file"),
      "a long password",
    );
    await user.type(screen.getByLabelText("Type it again"), "a long password");
    await user.click(screen.getByRole("button", { name: "Save…" }));
    await waitFor(() =>
      expect(mock.state.calls).toContain("choose_export_path"),
    );
    expect(mock.state.exported.size).toBe(0);
    expect(screen.getByRole("button", { name: "Save…" })).toBeEnabled();
  });
});
