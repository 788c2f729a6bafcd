import { expect, type Page } from "@playwright/test";

/** Signs in through the demo list on the sign-in page, as a person would. */
export async function signInAs(page: Page, name: string) {
  await page.goto("/sign-in");
  await page.getByRole("button", { name: `Sign in as ${name}` }).click();
  await expect(page.getByRole("heading", { name: "Dashboard", level: 1 })).toBeVisible();
}
