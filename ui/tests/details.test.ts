import { screen, waitFor } from "@testing-library/svelte";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import { mock, renderApp, row, rowIds } from "./helpers";

async function openDetails(id: string) {
  const user = userEvent.setup();
  await user.click(row(id)!.querySelector(".more")!);
  await screen.findByRole("dialog", { name: "Account" });
  return user;
}

const codes = () => [
  ...document.querySelectorAll<HTMLElement>(".recovery-code"),
];

describe("recovery codes panel", () => {
  it("strikes used codes, marks one used, counts down and warns at two or fewer", async () => {
    await renderApp();
    const user = await openDetails("acc-1"); // GitHub: 8 codes, 3 used
    await waitFor(() => expect(codes()).toHaveLength(8));
    expect(codes().map((c) => c.dataset.used)).toEqual([
      "true",
      "true",
      "true",
      "false",
      "false",
      "false",
      "false",
      "false",
    ]);
    expect(codes()[0].querySelector("s")).toHaveTextContent("a1b2-c3d4");
    expect(codes()[0].querySelector(".mark-used")).toHaveTextContent(/^Used /);
    expect(document.getElementById("recovery-remaining")).toHaveTextContent(
      "5 of 8 left",
    );
    expect(document.querySelector(".recovery-low")).toBeNull();

    for (const left of [4, 3, 2]) {
      const unused = codes().find((c) => c.dataset.used === "false")!;
      await user.click(unused.querySelector(".mark-used")!);
      await waitFor(() =>
        expect(document.getElementById("recovery-remaining")).toHaveTextContent(
          `${left} of 8 left`,
        ),
      );
    }
    expect(codes()[5].dataset.used).toBe("true");
    expect(mock.state.accounts[0].recoveryCodes![5].usedAt).not.toBeNull();
    expect(document.querySelector(".recovery-low")).toHaveTextContent(
      "Only 2 codes are left.",
    );
  });

  it("replaces the set from pasted text", async () => {
    await renderApp();
    const user = await openDetails("acc-4");
    await waitFor(() => expect(codes()).toHaveLength(4));
    expect(document.querySelector(".recovery-low")).toBeInTheDocument();
    await user.click(
      screen.getByRole("button", { name: "Replace with a new set" }),
    );
    await user.type(
      document.getElementById("recovery-text")!,
      "aaaa-1111{Enter}bbbb-2222{Enter}cccc-3333{Enter}dddd-4444{Enter}eeee-5555",
    );
    await user.click(document.getElementById("recovery-save")!);
    await waitFor(() =>
      expect(document.getElementById("recovery-remaining")).toHaveTextContent(
        "5 of 5 left",
      ),
    );
    expect(document.querySelector(".recovery-low")).toBeNull();
  });

  it("offers a paste box for an account without codes, and says when the text has none", async () => {
    await renderApp();
    const user = await openDetails("acc-2");
    const box = await waitFor(() => document.getElementById("recovery-text")!);
    await user.type(box, "Keep these safe and secret");
    await user.click(document.getElementById("recovery-save")!);
    expect(await screen.findByRole("alert")).toHaveTextContent(
      /No recovery codes found in that text/,
    );
  });
});

describe("account details", () => {
  it("renames and tags the account", async () => {
    await renderApp();
    const user = await openDetails("acc-2");
    await user.clear(screen.getByLabelText("Account", { selector: "input" }));
    await user.type(
      screen.getByLabelText("Account", { selector: "input" }),
      "alice.work@gmail.com",
    );
    await user.click(screen.getByRole("button", { name: "Save names" }));
    await screen.findByText("Saved.");
    await user.type(screen.getByLabelText("Tags"), "mail{Enter}");
    await waitFor(() => expect(mock.state.accounts[1].tags).toEqual(["mail"]));
    expect(mock.state.accounts[1].label).toBe("alice.work@gmail.com");
    await user.click(screen.getByRole("button", { name: "Close" }));
    expect(row("acc-2")!).toHaveTextContent("alice.work@gmail.com");
  });

  it("shows the secret only after the warning, and hides it again", async () => {
    await renderApp();
    const user = await openDetails("acc-2");
    expect(screen.queryByText("JBSW Y3DP EHPK 3PXP")).toBeNull();
    await user.click(screen.getByRole("button", { name: "Show secret" }));
    expect(
      screen.getByText(/Anyone who sees the secret can make your codes/),
    ).toBeInTheDocument();
    expect(mock.state.calls).not.toContain("reveal_secret");
    await user.click(screen.getByRole("button", { name: "Show it now" }));
    expect(await screen.findByText("JBSW Y3DP EHPK 3PXP")).toBeInTheDocument();
    expect(screen.getByText(/Hides in 30 s/)).toBeInTheDocument();
    await user.click(screen.getByRole("button", { name: "Hide" }));
    expect(screen.queryByText("JBSW Y3DP EHPK 3PXP")).toBeNull();
  });

  it("asks for the issuer to be typed before deleting an account with recovery codes", async () => {
    await renderApp();
    const user = await openDetails("acc-4");
    await user.click(screen.getByRole("button", { name: /Delete…/ }));
    const del = screen.getByRole("button", { name: "Delete Cloudflare" });
    expect(del).toBeDisabled();
    await user.type(screen.getByLabelText(/to confirm/), "Cloudflar");
    expect(del).toBeDisabled();
    await user.type(screen.getByLabelText(/to confirm/), "e");
    expect(del).toBeEnabled();
    await user.click(del);
    await waitFor(() => expect(screen.queryByRole("dialog")).toBeNull());
    expect(rowIds()).not.toContain("acc-4");
    expect(mock.state.accounts.map((a) => a.id)).not.toContain("acc-4");
  });

  it("deletes an account without recovery codes after one confirmation", async () => {
    await renderApp();
    const user = await openDetails("acc-5");
    await user.click(screen.getByRole("button", { name: /Delete…/ }));
    expect(screen.queryByLabelText(/to confirm/)).toBeNull();
    await user.click(screen.getByRole("button", { name: "Delete Discord" }));
    await waitFor(() => expect(rowIds()).not.toContain("acc-5"));
  });
});
