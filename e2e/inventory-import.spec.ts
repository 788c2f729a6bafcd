import { expect, test } from "@playwright/test";
import { signInAs } from "./fixtures";

const future = new Date(Date.now() + 120 * 86_400_000).toISOString().slice(0, 10);
const header = "name,kind,environment,ownerEmail,purpose,expiresAt";
const good1 = `e2e-import-one,CODING_AGENT,DEV,omar.owner@example.com,Imported in a browser test,${future}`;
const good2 = `e2e-import-two,MCP_SERVER,STAGING,omar.owner@example.com,Imported in a browser test,${future}`;
const bad = `e2e-import-bad,CODING_AGENT,DEV,nobody@example.com,Owner does not exist,${future}`;

test("a CSV import with one bad row is refused whole, with that row's error shown", async ({ page }) => {
  await signInAs(page, "Sam Lead");
  await page.goto("/inventory/import");
  const form = page.getByRole("form", { name: "Import identities from CSV" });
  await form.getByLabel("…or paste CSV").fill([header, good1, bad, good2].join("\n"));

  await form.getByRole("button", { name: "Preview" }).click();
  await expect(page.getByTestId("import-line-3")).toContainText("ownerEmail: no Warrant user has the email nobody@example.com");
  await expect(page.getByTestId("import-line-2")).toContainText("create");

  await form.getByRole("button", { name: "Import" }).click();
  await expect(form.getByRole("alert")).toHaveText("Nothing was imported: 1 of 3 rows have errors.");
  await expect(page.getByTestId("import-line-3")).toContainText("no Warrant user has the email nobody@example.com");

  await page.goto("/inventory?q=e2e-import");
  await expect(page.getByRole("link", { name: "e2e-import-one" })).toHaveCount(0);

  // Fixed file: everything goes in, and a second import changes nothing.
  await page.goto("/inventory/import");
  await form.getByLabel("…or paste CSV").fill([header, good1, good2].join("\n"));
  await form.getByRole("button", { name: "Import" }).click();
  await expect(form.getByRole("status")).toHaveText("Imported: 2 created, 0 updated, 0 unchanged.");
  await form.getByRole("button", { name: "Import" }).click();
  await expect(form.getByRole("status")).toHaveText("Imported: 0 created, 0 updated, 2 unchanged.");
  await page.goto("/inventory?q=e2e-import");
  await expect(page.getByRole("link", { name: "e2e-import-one" })).toBeVisible();
});

test("a CSV row that needs approval becomes a request, linked from its row, and the rest is imported", async ({ page }) => {
  await signInAs(page, "Omar Owner");
  await page.goto("/inventory/import");
  const form = page.getByRole("form", { name: "Import identities from CSV" });
  const csv = ["name,kind,environment,ownerEmail,purpose,expiresAt,autonomy"];
  csv.push(`e2e-import-calm,CODING_AGENT,DEV,omar.owner@example.com,Suggests fixes,${future},SUGGEST`);
  csv.push(`e2e-import-bold,CODING_AGENT,DEV,omar.owner@example.com,Merges its own fixes,${future},AUTONOMOUS`);
  await form.getByLabel("…or paste CSV").fill(csv.join("\n"));

  // Without a justification the row that needs approval says so, and nothing is imported.
  await form.getByRole("button", { name: "Import" }).click();
  await expect(form.getByRole("alert")).toHaveText("Nothing was imported: 1 of 2 rows have errors.");
  await expect(page.getByTestId("import-line-3")).toContainText("justification: is required: this change needs approval");

  await form.getByLabel("Justification").fill("Trial of autonomous lint fixes in the sandbox");
  await form.getByRole("button", { name: "Preview" }).click();
  await expect(form.getByRole("status")).toHaveText("Ready: 1 to create, 0 to update, 0 unchanged, 1 to send for approval.");
  await expect(page.getByTestId("import-line-3")).toContainText(
    "Will be sent for approval: Register e2e-import-bold (DEV) at AUTONOMOUS autonomy",
  );

  await form.getByRole("button", { name: "Import" }).click();
  await expect(form.getByRole("status")).toHaveText("Imported: 1 created, 0 updated, 0 unchanged, 1 sent for approval.");
  await expect(page.getByTestId("import-line-3")).toContainText("Sent for approval");
  await page.getByTestId("import-line-3").getByRole("link", { name: "Open the request" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toContainText("Register e2e-import-bold (DEV) at AUTONOMOUS autonomy");
  await expect(page.getByText("Trial of autonomous lint fixes in the sandbox")).toBeVisible();

  await page.goto("/inventory?q=e2e-import-");
  await expect(page.getByRole("link", { name: "e2e-import-calm" })).toBeVisible();
  await expect(page.getByRole("link", { name: "e2e-import-bold" })).toHaveCount(0);
});
