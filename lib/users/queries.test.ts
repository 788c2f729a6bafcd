import { beforeAll, describe, expect, it } from "vitest";
import { prisma } from "@/lib/db/client";
import { createTestUser } from "@/lib/testing/factories";
import { PEOPLE_SEARCH_LIMIT, searchPeople } from "./queries";

beforeAll(async () => {
  await createTestUser([], { email: "ada.lovelace@example.com" });
  await prisma.user.update({ where: { email: "ada.lovelace@example.com" }, data: { name: "Ada Lovelace" } });
  await createTestUser(["AUDITOR"], { email: "ada.auditor@example.com" });
  await createTestUser([], { email: "ada.gone@example.com", active: false });
  for (let i = 0; i < PEOPLE_SEARCH_LIMIT + 5; i += 1) await createTestUser([], { email: `bulk${String(i).padStart(2, "0")}@example.com` });
});

describe("searchPeople", () => {
  it("finds active people by part of their name or email, case-insensitively, labelled with both", async () => {
    const found = await searchPeople(prisma, "LOVEL");
    expect(found.map((person) => person.label)).toEqual(["Ada Lovelace <ada.lovelace@example.com>"]);
    expect((await searchPeople(prisma, "ada.")).map((person) => person.label)).toEqual([
      "Ada Lovelace <ada.lovelace@example.com>",
      "ada.auditor <ada.auditor@example.com>",
    ]);
  });

  it("leaves out auditors when the choice is an owner, and never offers deactivated people", async () => {
    expect((await searchPeople(prisma, "ada", { assignable: true })).map((person) => person.label)).toEqual([
      "Ada Lovelace <ada.lovelace@example.com>",
    ]);
    expect((await searchPeople(prisma, "gone")).length).toBe(0);
  });

  it("answers at most a screenful", async () => {
    expect(await searchPeople(prisma, "bulk")).toHaveLength(PEOPLE_SEARCH_LIMIT);
  });
});
