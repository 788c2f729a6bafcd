import { describe, expect, it } from "vitest";
import { fieldErrorsFromZod } from "@/lib/errors";
import { DAY_MS } from "@/lib/time";
import { createCredentialInput, createGrantInput, createIdentityInput } from "./inventory";
import { attestReviewInput } from "./reviews";

// A form with several problems reports all of them in one answer: the
// cross-field rules run alongside the field errors instead of after them.

function fieldErrors(schema: { safeParse(input: unknown): { success: boolean; error?: unknown } }, input: unknown) {
  const result = schema.safeParse(input);
  expect(result.success).toBe(false);
  return fieldErrorsFromZod(result.error as never);
}

const past = new Date(Date.now() - 3 * DAY_MS).toISOString();

describe("cross-field rules", () => {
  it("are reported together with field errors in an identity registration", () => {
    expect(
      fieldErrors(createIdentityInput, {
        kind: "CODING_AGENT",
        purpose: "x",
        environment: "DEV",
        ownerId: "u1",
        backupOwnerId: "u1",
        expiresAt: past,
      }),
    ).toEqual({ name: "is required", backupOwnerId: "must be someone other than the owner", expiresAt: "must be in the future" });
  });

  it("are reported together with field errors in grants, credentials and attestations", () => {
    expect(fieldErrors(createGrantInput, { identityId: "i1", permission: "FLY", mode: "JUST_IN_TIME" })).toEqual({
      systemId: "is required",
      permission: "must be one of READ, WRITE, DEPLOY, ADMIN",
      expiresAt: "is required for a just-in-time grant",
    });
    const issued = new Date().toISOString();
    expect(
      fieldErrors(createCredentialInput, { identityId: "i1", type: "API_KEY", fingerprint: "kid", issuedAt: issued, expiresAt: past }),
    ).toEqual({
      label: "is required",
      expiresAt: "must be after issuedAt",
    });
    expect(
      fieldErrors(attestReviewInput, {
        reviewId: "r1",
        stillNeeded: "no",
        purposeUnchanged: "yes",
        permissionsMinimal: "yes",
        outcome: "KEEP",
      }),
    ).toEqual({
      credentialsRotated: "answer yes or no",
      outcome: "must be RETIRE when the identity is no longer needed",
      comment: "is required when an answer is no or the outcome is not KEEP",
    });
  });

  it("do not trip over a field that failed to parse", () => {
    expect(
      fieldErrors(createCredentialInput, {
        identityId: "i1",
        type: "API_KEY",
        label: "k",
        fingerprint: "kid",
        issuedAt: "not a date",
        expiresAt: past,
      }),
    ).toEqual({
      issuedAt: "must be a date, e.g. 2027-03-31",
    });
    expect(fieldErrors(createIdentityInput, "not an object")).toEqual({ _: expect.any(String) });
  });
});
