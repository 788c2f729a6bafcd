import { randomBytes } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { openApiDocument } from "@/lib/api/openapi";
import { createApiToken } from "@/lib/auth/api-tokens";
import { executeMutation } from "@/lib/auth/mutation";
import { prisma } from "@/lib/db/client";
import { callApi, type ApiBody } from "@/lib/testing/api-client";
import { countRows, createTestToken, createTestUser, switchOffApprovals } from "@/lib/testing/factories";

// Warrant never stores secrets. For every write endpoint and every field its
// OpenAPI body lists (plus one field it does not know), a pasted secret is
// refused with a 422 that names the field, and appears nowhere in the
// database afterwards. Path params point at real records, so without the
// refusal most of these calls would succeed.

type Body = ApiBody;
const DAY_MS = 86_400_000;

const alnum = (length: number) =>
  randomBytes(length * 2)
    .toString("base64")
    .replace(/[^A-Za-z0-9]/g, "")
    .slice(0, length);
const upper = (length: number) =>
  alnum(length * 3)
    .toUpperCase()
    .replace(/[^A-Z0-9]/g, "")
    .slice(0, length);

/** Fresh, fake but well-formed secrets of several kinds, so each call's can be searched for on its own. */
const SECRET_MAKERS = [
  () => `ghp_${alnum(36)}`,
  () => `AKIA${upper(16)}`,
  () => `sk-proj-${alnum(40)}`,
  () => `xoxb-${alnum(24)}`,
  () => `-----BEGIN OPENSSH PRIVATE KEY-----\n${alnum(64)}\n-----END OPENSSH PRIVATE KEY-----`,
  () => `eyJ${alnum(16)}.eyJ${alnum(24)}.${alnum(32)}`,
  () => `postgres://app:${alnum(16)}@db.internal:5432/app`,
];

function call(method: string, route: string, token: string, params: Record<string, string>, body: unknown) {
  return callApi(method, route, token, { params, body });
}

/** Every row that could hold what a client sent, as text. */
async function everythingStored(): Promise<string> {
  const tables = await Promise.all([
    prisma.aiIdentity.findMany(),
    prisma.system.findMany(),
    prisma.grant.findMany(),
    prisma.credential.findMany(),
    prisma.user.findMany(),
    prisma.apiToken.findMany(),
    prisma.team.findMany(),
    prisma.auditEvent.findMany(),
    prisma.review.findMany(),
    prisma.identityTemplate.findMany(),
  ]);
  return JSON.stringify(tables, (_key, value: unknown) => (typeof value === "bigint" ? value.toString() : value));
}

let adminToken: string;
/** A real record for each kind of path param, by the route's first segment. */
const recordIds: Record<string, string> = {};

beforeAll(async () => {
  // What these changes do, not who approves them: lib/approvals/approvals.test.ts covers that.
  await switchOffApprovals();
  // Someone who may call every write endpoint (security leads configure approvals, admins manage users).
  const admin = await createTestUser(["ADMIN", "SECURITY_LEAD"]);
  adminToken = await createTestToken(admin.user.email);
  const identity = await call(
    "POST",
    "identities",
    adminToken,
    {},
    {
      name: "secret-target",
      kind: "CI_BOT",
      purpose: "target",
      environment: "DEV",
      ownerId: admin.user.id,
      expiresAt: new Date(Date.now() + 30 * DAY_MS),
    },
  );
  const system = await call(
    "POST",
    "systems",
    adminToken,
    {},
    { name: "secret-system", kind: "REPOSITORY", environment: "DEV", sensitivity: "INTERNAL" },
  );
  const grant = await call(
    "POST",
    "grants",
    adminToken,
    {},
    { identityId: identity.body.id, systemId: system.body.id, permission: "READ" },
  );
  const credential = await call(
    "POST",
    "credentials",
    adminToken,
    {},
    {
      identityId: identity.body.id,
      type: "API_KEY",
      label: "key",
      fingerprint: "kid-1",
      issuedAt: new Date(Date.now() - DAY_MS),
    },
  );
  const token = await executeMutation(createApiToken, admin.actor, { name: "spare", scopes: ["READ"], expiresInDays: 5 });
  const review = await call("POST", "reviews", adminToken, {}, { identityId: identity.body.id });
  const template = await call(
    "POST",
    "templates",
    adminToken,
    {},
    { name: "secret-template", kind: "CI_BOT", environment: "DEV", lifetimeDays: 30 },
  );
  const other = await createTestUser([]);
  Object.assign(recordIds, {
    reviews: review.body.id,
    identities: identity.body.id,
    systems: system.body.id,
    grants: grant.body.id,
    credentials: credential.body.id,
    "api-tokens": token.id,
    users: other.user.id,
    templates: template.body.id,
  });
  expect(Object.values(recordIds).every((id) => typeof id === "string")).toBe(true);
});

describe("a pasted secret", () => {
  it("is refused in every field of every write endpoint, named in the 422, and stored nowhere", async () => {
    const operations = Object.entries(openApiDocument().paths).flatMap(([apiPath, methods]) =>
      Object.entries(methods as Record<string, Body>)
        // Runtime endpoints take an AI identity's token, not a person's: authorize-api.test.ts walks them.
        .filter(([method, operation]) => method !== "get" && !operation.security?.length)
        .map(([method, operation]) => ({ apiPath, method: method.toUpperCase(), operation })),
    );
    expect(operations.length).toBeGreaterThanOrEqual(18);

    const sent: string[] = [];
    let checked = 0;
    for (const { apiPath, method, operation } of operations) {
      const route = apiPath.slice(1).replace(/\{(\w+)\}/g, "[$1]");
      const params: Record<string, string> = apiPath.includes("{id}") ? { id: recordIds[route.split("/")[0]!]! } : {};
      const fields = Object.keys(operation.requestBody?.content["application/json"].schema.properties ?? {});
      // The inventory routes hand the whole body to their mutation, so even a field they do not know is checked.
      const wholeBody = ["identities", "systems", "grants", "credentials", "reviews"].includes(route.split("/")[0]!);
      for (const field of wholeBody ? [...fields, "notes"] : fields) {
        const secret = SECRET_MAKERS[checked % SECRET_MAKERS.length]!();
        sent.push(secret);
        checked += 1;
        const before = await countRows();
        const { status, body } = await call(method, route, adminToken, params, { [field]: `pasted: ${secret}` });
        const label = `${method} ${apiPath} field ${field}`;
        expect(status, label).toBe(422);
        expect(body.error.code, label).toBe("validation_failed");
        // A webhook's URL may be a credential by design (Slack's are): it is refused here for not being a URL.
        const allowed = `${method} ${apiPath}` === "POST /webhooks" && field === "url";
        if (!allowed) {
          expect(body.error.fields?.[field] ?? JSON.stringify(body.error), label).toMatch(
            /^looks like an? .+ Warrant never stores secrets/,
          );
        }
        expect(JSON.stringify(body), label).not.toContain(secret);
        expect(await countRows(), label).toEqual(before);
      }
    }
    expect(checked).toBeGreaterThan(60);

    const stored = await everythingStored();
    for (const secret of sent) expect(stored).not.toContain(secret);
  });
});
