import path from "node:path";
import { expect, test } from "@playwright/test";
import { signInAs } from "./fixtures";

// An auditor reads the frameworks Warrant maps its controls to, under their
// official IDs and titles, nested as published.

test("an auditor opens NIST CSF 2.0 from Controls and reads a subcategory under its category", async ({ page }) => {
  await signInAs(page, "Audrey Auditor");
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Controls", exact: true }).click();
  const frameworks = page.getByRole("table", { name: "Frameworks" });
  await expect(frameworks.getByTestId("framework-owasp-agentic-top10-2026")).toContainText("10 items");
  await expect(frameworks.getByTestId("framework-nist-csf-2.0")).toContainText("6 functions · 22 categories · 106 subcategories");
  await frameworks.getByRole("link", { name: "The NIST Cybersecurity Framework (CSF) 2.0" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("The NIST Cybersecurity Framework (CSF) 2.0");
  const rows = page.getByTestId("requirement-row");
  await expect(rows).toHaveCount(134);
  await expect(rows.nth(0)).toContainText("GV");
  await expect(rows.filter({ hasText: "GV.OC-01" })).toContainText(
    "The organizational mission is understood and informs cybersecurity risk management",
  );
});

test("a security lead adds the organisation's own standard from an OSCAL catalog file and opens it", async ({ page }) => {
  await signInAs(page, "Sam Lead");
  await page.goto("/controls");
  const form = page.getByRole("form", { name: "Add a framework from an OSCAL catalog" });
  await form.getByLabel("OSCAL catalog (JSON)").setInputFiles(path.resolve("lib/controls/fixtures/acme-ai-standard.oscal.json"));
  await form.getByLabel("Key").fill("acme-e2e-standard");
  await form.getByRole("button", { name: "Add framework" }).click();
  await expect(form.getByRole("status")).toHaveText("Added ACME AI Standard 1.2 as acme-e2e-standard: 5 items.");
  const row = page.getByTestId("framework-acme-e2e-standard");
  await expect(row).toContainText("Your own");
  await row.getByRole("link", { name: "ACME AI Standard" }).click();
  await expect(page.getByTestId("requirement-row").filter({ hasText: "AGT-1(1)" })).toContainText("Backup owner");

  // The standard grows a rule of its own.
  const add = page.getByRole("form", { name: "Add a requirement" });
  await add.getByLabel("ID", { exact: true }).fill("AGT-3");
  await add.getByLabel("Title", { exact: true }).fill("Agents never share a token");
  await add.getByLabel("Under", { exact: true }).selectOption({ label: "agt Agent identity" });
  await add.getByRole("button", { name: "Add requirement" }).click();
  await expect(add.getByRole("status")).toHaveText("Added AGT-3: Agents never share a token.");
  await expect(page.getByTestId("requirement-row").filter({ hasText: "AGT-3" })).toContainText("Agents never share a token");
});
