import { expect, test } from "@playwright/test";
import { APP_URL, dayFromNow, signInAs } from "./fixtures";
import { linkIn, startMailbox, textOf } from "./mailbox";

// Re-review on change: a security lead changes the model of an identity Omar
// owns; Omar is emailed (a real SMTP server, see mailbox.ts), follows the
// email's link to the review, sees what changed since the last attestation,
// reduces a grant and attests; rotating the flagged credential clears its flag.

const IDENTITY = "github-mcp-server";
const NEW_MODEL = "claude-sonnet-4.5";

test("a change of model opens a review: the owner sees what changed, reduces a grant, attests, and rotates the flagged credential", async ({
  page,
}) => {
  // Two people, an edit, an attestation and a rotation: past the default 30 s when the two cores are busy.
  test.setTimeout(90_000);
  await signInAs(page, "Sam Lead");
  await page.goto("/inventory");
  await page.getByRole("table", { name: "AI identities" }).getByRole("link", { name: IDENTITY, exact: true }).click();
  await page.getByRole("link", { name: "Edit", exact: true }).click();
  const edit = page.getByRole("form", { name: "Edit identity" });
  await edit.getByLabel("Model", { exact: true }).fill(NEW_MODEL);
  await edit.getByRole("button", { name: "Save changes" }).click();
  await expect(page.getByRole("heading", { name: IDENTITY, level: 1 })).toBeVisible();
  await expect(page.getByText("Review open", { exact: true })).toBeVisible();
  const reason = `model changed from none to ${NEW_MODEL}`;
  const pat = page.getByTestId("credential-row").filter({ hasText: "read-only PAT" });
  await expect(pat.getByTestId("rotation-required")).toHaveText(`rotate: ${reason}`);
  await expect(page.getByRole("list", { name: "Risk reasons" })).toContainText(
    `1 credential flagged for rotation after a change (${reason})`,
  );
  // A security lead does not attest for an owner who is still here.
  await expect(page.getByRole("form", { name: "Attest this review" })).toHaveCount(0);

  // The hourly lifecycle sweep tells the owner, and the outbox delivers the email to a real SMTP server.
  const mailbox = await startMailbox();
  let link: string;
  try {
    await mailbox.runJobs("lifecycle.notify", "notifications.deliver");
    const mail = mailbox.mails.find(
      (entry) => entry.to.includes("omar.owner@example.com") && entry.subject.startsWith(`Review opened: ${IDENTITY}`),
    );
    expect(mail, mailbox.mails.map((entry) => `${entry.to.join(",")}: ${entry.subject}`).join("\n")).toBeDefined();
    expect(textOf(mail!.raw)).toContain(`Re-review after a change: ${reason}`);
    link = linkIn(mail!.raw);
  } finally {
    await mailbox.close();
  }
  expect(link).toMatch(new RegExp(`^${APP_URL.replace(/[.]/g, "\\.")}/inventory/[^/?]+\\?review=[^&#]+#review-heading$`));

  await page.getByRole("button", { name: "Sign out" }).click();
  await signInAs(page, "Omar Owner");
  await page.getByRole("link", { name: "My tasks" }).click();
  const task = page.getByRole("list", { name: "Reviews awaiting your attestation" }).getByRole("listitem").filter({ hasText: IDENTITY });
  await expect(task).toContainText(`opened by a change · Re-review after a change: ${reason}`);
  // The email's link opens the review itself (the task links to the same address).
  await expect(task.getByRole("link", { name: IDENTITY })).toHaveAttribute("href", link.slice(APP_URL.length));
  await page.goto(link);

  const changes = page.getByRole("list", { name: "Changes since the last attestation" });
  const modelChange = changes.getByRole("listitem").filter({ hasText: "model" });
  await expect(modelChange).toContainText(`model: — → ${NEW_MODEL}`);
  await expect(modelChange).toContainText("by sam.lead@example.com");

  const form = page.getByRole("form", { name: "Attest this review" });
  const answer = (question: string, choice: "Yes" | "No") =>
    form.getByRole("group", { name: question }).getByRole("radio", { name: choice, exact: true }).check();
  await answer("Is this identity still needed?", "Yes");
  await answer("Is its purpose unchanged?", "Yes");
  await answer("Is its access still the least it needs?", "No");
  await answer("Have its credentials been rotated as their rotation period asks?", "Yes");
  await form.getByRole("group", { name: "Outcome" }).getByRole("radio", { name: "Reduce access" }).check();
  await form.getByRole("checkbox", { name: "Read on github.com/acme/docs" }).check();
  await form.getByLabel("Comment").fill("The new model only needs the web repository");
  await form.getByRole("button", { name: "Submit attestation" }).click();
  await expect(page.getByRole("status").filter({ hasText: /^Attested the review of/ })).toHaveText(
    `Attested the review of ${IDENTITY}: reduce access.`,
  );
  await expect(page.getByRole("form", { name: "Attest this review" })).toHaveCount(0);
  await expect(page.getByRole("form", { name: "Revoke read on github.com/acme/docs" })).toHaveCount(0);
  await expect(page.getByRole("form", { name: "Revoke read on github.com/acme/web" })).toHaveCount(1);

  // Attesting does not rotate anything: the credential stays flagged until its secret is replaced.
  await expect(pat.getByTestId("rotation-required")).toHaveCount(1);
  const rotate = page.getByRole("form", { name: "Rotate read-only PAT" });
  await rotate.getByLabel("New fingerprint", { exact: true }).fill("SHA256:e2e0newmodel");
  await rotate.getByLabel("New expiry", { exact: true }).fill(dayFromNow(45));
  await rotate.getByRole("button", { name: "Rotate" }).click();
  await expect(pat).toContainText("SHA256:e2e0newmodel");
  await expect(pat.getByTestId("rotation-required")).toHaveCount(0);
  await expect(page.locator('[aria-labelledby="risk-heading"]')).not.toContainText("flagged for rotation");

  await page.getByRole("link", { name: "My tasks" }).click();
  await expect(page.getByRole("list", { name: "Reviews awaiting your attestation" }).getByRole("link", { name: IDENTITY })).toHaveCount(0);
});
