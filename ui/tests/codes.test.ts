import { fireEvent, screen, waitFor } from "@testing-library/svelte";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import { mockCode } from "../src/lib/backend.mock";
import { mock, renderApp, row, rowIds } from "./helpers";

const stepNow = () => Math.floor(Date.now() / 1000 / 30);

describe("codes list", () => {
  it("shows each TOTP account with its current code, grouped, and HOTP with Generate", async () => {
    await renderApp();
    await waitFor(() =>
      expect(row("acc-1")?.querySelector(".code")?.textContent).toMatch(
        /^\d{3} \d{3}$/,
      ),
    );
    expect(row("acc-1")!.querySelector(".issuer")).toHaveTextContent("GitHub");
    const expected = mockCode("acc-1", stepNow(), "totp", 6);
    expect(
      row("acc-1")!.querySelector(".code")!.textContent!.replace(" ", ""),
    ).toBe(expected);
    expect(row("acc-11")!.querySelector(".code")!.textContent).toMatch(
      /^\d{4} \d{4}$/,
    ); // Coinbase, 8 digits
    expect(row("acc-6")!.querySelector(".code")!.textContent).toMatch(
      /^[2-9A-Z]{5}$/,
    ); // Steam
    expect(row("acc-12")!.querySelector(".code")).toBeNull(); // npm, HOTP
    expect(row("acc-12")!.querySelector(".generate")).toHaveTextContent(
      "Generate",
    );
  });

  it("copies on click and says the clipboard will be cleared", async () => {
    await renderApp();
    const user = userEvent.setup();
    await waitFor(() =>
      expect(row("acc-2")?.querySelector(".code")?.textContent).toMatch(/\d/),
    );
    await user.click(row("acc-2")!.querySelector(".main")!);
    await waitFor(() =>
      expect(row("acc-2")!.querySelector(".copied")).toHaveTextContent(
        "Copied — clears in 30 s",
      ),
    );
    expect(mock.state.clipboard).toBe(mockCode("acc-2", stepNow(), "totp", 6));
    expect(mock.state.calls).toContain("copy_code");
    expect(row("acc-1")!.querySelector(".copied")).toBeNull();
    await waitFor(() =>
      expect(screen.getByRole("status")).toHaveTextContent(
        /Google copied — clears in 30 s/,
      ),
    );
  });

  it("copies with Enter and moves between rows with the arrow keys", async () => {
    await renderApp();
    const user = userEvent.setup();
    const search = screen.getByRole("searchbox", { name: "Search accounts" });
    expect(search).toHaveFocus();
    await user.keyboard("{ArrowDown}");
    expect(row("acc-1")!.querySelector(".main")).toHaveFocus();
    await user.keyboard("{ArrowDown}{ArrowDown}");
    expect(row("acc-3")!.querySelector(".main")).toHaveFocus();
    await user.keyboard("{ArrowUp}{Enter}");
    await waitFor(() =>
      expect(row("acc-2")!.querySelector(".copied")).toBeInTheDocument(),
    );
  });

  it("makes an HOTP code on demand", async () => {
    await renderApp();
    const user = userEvent.setup();
    await user.click(row("acc-12")!.querySelector(".generate")!);
    await waitFor(() =>
      expect(row("acc-12")!.querySelector(".code")).toHaveTextContent(
        /^\d{3} \d{3}$/,
      ),
    );
    expect(
      row("acc-12")!.querySelector(".code")!.textContent!.replace(" ", ""),
    ).toBe(mockCode("acc-12", 1, "hotp", 6));
  });

  it("filters as you type, anywhere, and Esc clears", async () => {
    await renderApp();
    const user = userEvent.setup();
    (row("acc-1")!.querySelector(".main") as HTMLElement).focus();
    await user.keyboard("dro");
    const search = screen.getByRole<HTMLInputElement>("searchbox", {
      name: "Search accounts",
    });
    expect(search).toHaveFocus();
    expect(search.value).toBe("dro");
    expect(rowIds()).toEqual(["acc-9"]);
    await user.clear(search);
    await user.type(search, "work");
    expect(rowIds()).toEqual(["acc-1", "acc-4", "acc-7"]); // by tag
    await user.type(search, "xyz");
    expect(rowIds()).toEqual([]);
    expect(screen.getByText(/No accounts match “workxyz”/)).toBeInTheDocument();
    await user.keyboard("{Escape}");
    expect(search.value).toBe("");
    expect(rowIds()).toHaveLength(12);
  });

  it("puts / on the search field", async () => {
    await renderApp();
    const main = row("acc-1")!.querySelector(".main") as HTMLElement;
    main.focus();
    await fireEvent.keyDown(main, { key: "/" });
    expect(
      screen.getByRole("searchbox", { name: "Search accounts" }),
    ).toHaveFocus();
  });

  it("marks accounts whose recovery codes run low", async () => {
    await renderApp();
    expect(row("acc-4")!.querySelector(".badge")).toHaveTextContent("2 left"); // Cloudflare: 2 of 4
    expect(row("acc-1")!.querySelector(".badge")).toBeNull(); // GitHub: 5 of 8
  });

  it("draws only the rows in view when there are a thousand", async () => {
    await renderApp({ accounts: 1000 });
    const drawn = rowIds().length;
    expect(drawn).toBeGreaterThan(5);
    expect(drawn).toBeLessThan(40);
    const user = userEvent.setup();
    await user.type(
      screen.getByRole("searchbox", { name: "Search accounts" }),
      "issuer 999",
    );
    expect(rowIds()).toEqual(["acc-1000"]);
  });

  it("shows the ways to add when the vault is empty", async () => {
    await renderApp({ accounts: 0 });
    expect(
      screen.getByRole("heading", { name: "Add your first account" }),
    ).toBeInTheDocument();
    for (const name of [
      "Scan screen",
      "Open image",
      "Paste",
      "Enter manually",
    ]) {
      expect(screen.getByRole("button", { name })).toBeInTheDocument();
    }
  });

  it("locks with Ctrl+L and when Rust says it locked", async () => {
    await renderApp();
    const user = userEvent.setup();
    await user.keyboard("{Control>}l{/Control}");
    expect(await screen.findByLabelText("Password")).toBeInTheDocument();
    expect(mock.state.calls).toContain("lock");
  });

  it("goes to the unlock screen with the reason when the locked event arrives", async () => {
    await renderApp();
    mock.emitLocked("Latchkey locked after 5 minutes idle.");
    expect(
      await screen.findByText("Latchkey locked after 5 minutes idle."),
    ).toBeInTheDocument();
    expect(rowIds()).toEqual([]);
  });
});

describe("global shortcut", () => {
  it("closes a sheet and focuses the search when the shortcut brings the window up", async () => {
    await renderApp();
    const user = userEvent.setup();
    await user.keyboard("{Control>}n{/Control}");
    expect(await screen.findByRole("dialog")).toBeInTheDocument();
    mock.emitSearch();
    await waitFor(() =>
      expect(document.getElementById("search")).toHaveFocus(),
    );
    expect(screen.queryByRole("dialog")).toBeNull();
  });
});

describe("clipboard clearing", () => {
  it("drops the Copied message when Rust clears the clipboard", async () => {
    await renderApp();
    const user = userEvent.setup();
    await user.click(row("acc-3")!.querySelector(".main")!);
    await waitFor(() =>
      expect(row("acc-3")!.querySelector(".copied")).toBeInTheDocument(),
    );
    mock.emitCleared();
    await waitFor(() =>
      expect(row("acc-3")!.querySelector(".copied")).toBeNull(),
    );
    expect(row("acc-3")!.querySelector(".account-name")).toHaveTextContent(
      "alice@proton.me",
    );
  });

  it("gives focus back to the row after its details close", async () => {
    await renderApp();
    const user = userEvent.setup();
    const more = row("acc-2")!.querySelector<HTMLElement>(".more")!;
    await user.click(more);
    await screen.findByRole("dialog", { name: "Account" });
    await user.keyboard("{Escape}");
    await waitFor(() => expect(screen.queryByRole("dialog")).toBeNull());
    expect(more).toHaveFocus();
  });
});
