import { expect, test, type Page } from "@playwright/test";
import { signInAs } from "./fixtures";

// Reviews from both sides: a security lead opens a review of rows picked in
// the inventory; the owner finds it in My tasks and attests, reducing access;
// an auditor sees reviews with nothing to change.

// Identities no other spec changes: a change (a grant approved in approvals.spec.ts, say) opens a
// review of its own (lib/reviews/change.ts), and the bulk action would then find one already open.
const REVIEWED = "cursor-web-team";
const ALSO_REVIEWED = "infra-autopilot";

function identityTable(page: Page) {
  return page.getByRole("table", { name: "AI identities" });
}

test("a security lead opens a review of selected identities; the owner attests from My tasks and reduces access", async ({ page }) => {
  await signInAs(page, "Sam Lead");
  await page.goto("/inventory");
  await identityTable(page)
    .getByRole("checkbox", { name: `Select ${REVIEWED}` })
    .check();
  await identityTable(page)
    .getByRole("checkbox", { name: `Select ${ALSO_REVIEWED}` })
    .check();
  const selection = page.getByRole("region", { name: "Selected rows" });
  await selection.getByRole("button", { name: "Open a review…" }).click();
  const open = selection.getByRole("form", { name: "Open a review of the selected identities" });
  await open.getByLabel("Reason").fill("Q4 access review");
  await open.getByRole("button", { name: "Open review of 2 identities" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Opened a review" })).toHaveText("Opened a review of 2 identities.");

  await page.getByRole("button", { name: "Sign out" }).click();
  await signInAs(page, "Omar Owner");
  await page.getByRole("link", { name: "My tasks" }).click();
  const owed = page.getByRole("list", { name: "Reviews awaiting your attestation" });
  const task = owed.getByRole("listitem").filter({ hasText: REVIEWED });
  await expect(task).toContainText("opened by hand · Q4 access review");
  // Alex owns the other one: it waits in his list, not Omar's.
  await expect(owed.getByRole("link", { name: ALSO_REVIEWED })).toHaveCount(0);
  await task.getByRole("link", { name: REVIEWED }).click();

  await expect(page.getByRole("heading", { name: REVIEWED, level: 1 })).toBeVisible();
  await expect(page.getByText("Reason: Q4 access review", { exact: true })).toBeVisible();
  const form = page.getByRole("form", { name: "Attest this review" });
  const answer = (question: string, choice: "Yes" | "No") =>
    form.getByRole("group", { name: question }).getByRole("radio", { name: choice, exact: true }).check();
  await answer("Is this identity still needed?", "Yes");
  await answer("Is its purpose unchanged?", "Yes");
  await answer("Is its access still the least it needs?", "No");
  await answer("Have its credentials been rotated as their rotation period asks?", "Yes");
  await form.getByRole("group", { name: "Outcome" }).getByRole("radio", { name: "Keep" }).check();
  await form.getByRole("button", { name: "Submit attestation" }).click();
  // Access that is more than needed cannot simply be kept; the refusal names the fields and keeps the answers.
  await expect(form.getByText("outcome: must be REDUCE or RETIRE when its access is more than it needs", { exact: true })).toBeVisible();
  await expect(form.getByText("comment: is required when an answer is no or the outcome is not KEEP", { exact: true })).toBeVisible();
  await expect(
    form.getByRole("group", { name: "Is its access still the least it needs?" }).getByRole("radio", { name: "No", exact: true }),
  ).toBeChecked();
  await expect(form.getByRole("group", { name: "Outcome" })).toHaveAccessibleDescription(/must be REDUCE or RETIRE/);

  await form.getByRole("group", { name: "Outcome" }).getByRole("radio", { name: "Reduce access" }).check();
  await form.getByRole("checkbox", { name: "Read on github.com/acme/web" }).check();
  await form.getByLabel("Comment").fill("Completion no longer needs the web repo");
  await form.getByRole("button", { name: "Submit attestation" }).click();
  await expect(page.getByRole("status").filter({ hasText: /^Attested the review of/ })).toHaveText(
    `Attested the review of ${REVIEWED}: reduce access.`,
  );
  // The review closes: the form gives way to its place in the history.
  await expect(page.getByRole("form", { name: "Attest this review" })).toHaveCount(0);
  const history = page.getByRole("table", { name: "Past reviews" });
  await expect(history).toContainText("Reduce access");
  await expect(history).toContainText("Omar Owner");
  await expect(history).toContainText("No: Is its access still the least it needs?");
  // The read grant has ended: it is no longer offered for revoking; the write grant stays.
  await expect(page.getByTestId("grant-row").filter({ hasText: "github.com/acme/web" })).toHaveCount(2);
  await expect(page.getByRole("form", { name: "Revoke read on github.com/acme/web" })).toHaveCount(0);
  await expect(page.getByRole("form", { name: "Revoke write on github.com/acme/web" })).toHaveCount(1);
  await expect(page.getByTestId("timeline-event").filter({ hasText: "Review attested: reduce access" })).toHaveCount(1);
  await expect(page.getByTestId("timeline-event").filter({ hasText: "Revoked read on github.com/acme/web" })).toHaveCount(1);

  await page.getByRole("link", { name: "My tasks" }).click();
  await expect(page.getByRole("list", { name: "Reviews awaiting your attestation" }).getByRole("link", { name: REVIEWED })).toHaveCount(0);
});

test("security leads see overdue reviews and open one from an identity page; an auditor sees reviews and cannot act on them", async ({
  page,
}) => {
  await signInAs(page, "Sam Lead");
  await page.goto("/tasks");
  const overdue = page.getByRole("list", { name: "Overdue reviews" });
  // The demo release agent's scheduled review was due before anyone attested. (Not the orphaned Slack bot:
  // with no backup owner, security leads attest its reviews themselves; e2e/inventory-table.spec.ts.)
  await expect(overdue.getByRole("listitem").filter({ hasText: "claude-code-release-agent" })).toContainText("Overdue");
  await overdue.getByRole("link", { name: "claude-code-release-agent" }).click();
  await expect(page.getByText("Waiting for Olivia Owner (owner) or the backup owner to attest.")).toBeVisible();

  // One identity at a time, from its page.
  await page.goto("/inventory");
  await identityTable(page).getByRole("link", { name: "renovate-bot", exact: true }).click();
  const open = page.getByRole("form", { name: "Open a review" });
  await open.getByLabel("Reason", { exact: true }).fill("new GitHub App permissions");
  await open.getByRole("button", { name: "Open a review" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Opened a review" })).toHaveText(
    "Opened a review. Its owner finds it in My tasks.",
  );
  await expect(page.getByText("Review open", { exact: true })).toBeVisible();
  await expect(page.getByText("Reason: new GitHub App permissions", { exact: true })).toBeVisible();
  await expect(page.getByRole("form", { name: "Open a review" })).toHaveCount(0);

  await page.getByRole("button", { name: "Sign out" }).click();
  await signInAs(page, "Audrey Auditor");
  await page.goto("/inventory");
  await identityTable(page).getByRole("link", { name: "claude-code-release-agent", exact: true }).click();
  await expect(page.getByText("Review overdue", { exact: true })).toBeVisible();
  await expect(page.getByRole("form", { name: "Attest this review" })).toHaveCount(0);
  await expect(page.getByRole("form", { name: "Open a review" })).toHaveCount(0);
  await page.goto("/tasks");
  await expect(page.getByRole("list", { name: "Reviews awaiting your attestation" })).toHaveCount(0);
});
