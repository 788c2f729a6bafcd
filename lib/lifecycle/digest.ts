import { z } from "zod";
import type { Actor } from "@/lib/auth/actor";
import { defineMutation, executeMutation } from "@/lib/auth/mutation";
import type { Db } from "@/lib/db/client";
import { notificationSettings } from "@/lib/env";
import { AppError, forbidden } from "@/lib/errors";
import { absoluteLink } from "@/lib/notifications/format";
import { enqueueNotifications, type NotificationInput } from "@/lib/notifications/outbox";

// The daily digest: the lifecycle messages someone chose to receive once a
// day, gathered into one email. The entries a digest takes are marked in the
// transaction that writes its email, so a digest run twice (or after a
// crash) sends each entry once.

const PEOPLE_PER_BATCH = 100;
/** A digest lists this many entries in full and counts the rest (they are all in the app). */
const ENTRIES_LISTED = 100;

const digestBatchInput = z.object({ now: z.coerce.date(), limit: z.number().int().min(1).max(1000) });

class NoDigestsWaiting extends AppError {}

interface WaitingEntry {
  id: string;
  userId: string;
  subject: string;
  text: string;
  link: string | null;
}

/** Writes the digests of up to `limit` people; only Warrant's scheduler runs it. */
export const sendDigestsBatch = defineMutation({
  name: "lifecycle.send-digests",
  description: "send the daily digests",
  permission: "inventory:write",
  input: digestBatchInput,
  async run({ tx, actor, audit }, { now, limit }) {
    if (actor.kind !== "system") throw forbidden("send digests: Warrant does that on its own schedule");
    // Locked, and skipped by a concurrent run: two runs never put one entry in two digests.
    const entries = await tx.$queryRaw<WaitingEntry[]>`
      SELECT e."id", e."userId", e."subject", e."text", e."link"
      FROM "DigestEntry" e
      WHERE e."digestedAt" IS NULL AND e."createdAt" <= ${now}
        AND e."userId" IN (SELECT DISTINCT "userId" FROM "DigestEntry" WHERE "digestedAt" IS NULL AND "createdAt" <= ${now} ORDER BY "userId" LIMIT ${limit})
      ORDER BY e."userId", e."createdAt", e."id"
      FOR UPDATE SKIP LOCKED`;
    if (entries.length === 0) throw new NoDigestsWaiting("conflict", "No digests to send.");
    const byPerson = new Map<string, WaitingEntry[]>();
    for (const entry of entries) {
      const mine = byPerson.get(entry.userId);
      if (mine) mine.push(entry);
      else byPerson.set(entry.userId, [entry]);
    }
    const { baseUrl } = notificationSettings();
    const digests: NotificationInput[] = [...byPerson].map(([userId, mine]) => ({
      event: "lifecycle.digest",
      emailOnly: true,
      subject: `Warrant digest: ${mine.length} update${mine.length === 1 ? "" : "s"}`,
      text: [
        `What happened to the identities you look after since your last digest:`,
        "",
        ...mine.slice(0, ENTRIES_LISTED).flatMap((entry) => {
          const link = absoluteLink(baseUrl, entry.link);
          return [`* ${entry.subject}`, ...entry.text.split("\n").map((line) => `  ${line}`), ...(link ? [`  ${link}`] : []), ""];
        }),
        ...(mine.length > ENTRIES_LISTED ? [`…and ${mine.length - ENTRIES_LISTED} more: see My tasks.`, ""] : []),
        "You chose the daily digest for these messages; change that under Your notifications.",
      ].join("\n"),
      link: "/account",
      recipientUserIds: [userId],
      data: { entries: mine.length },
    }));
    await enqueueNotifications(tx, digests);
    await tx.digestEntry.updateMany({ where: { id: { in: entries.map((entry) => entry.id) } }, data: { digestedAt: now } });
    await audit({
      action: "lifecycle.digests_sent",
      targetType: "notice",
      targetId: "digest",
      data: { people: byPerson.size, entries: entries.length },
    });
    return { people: byPerson.size };
  },
});

/** Sends every waiting digest; returns how many people got one. */
export async function sendDigests(db: Db, actor: Actor, now = new Date()): Promise<number> {
  let people = 0;
  for (;;) {
    try {
      const batch = await executeMutation(sendDigestsBatch, actor, { now, limit: PEOPLE_PER_BATCH }, db);
      people += batch.people;
      if (batch.people < PEOPLE_PER_BATCH) return people;
    } catch (error) {
      if (error instanceof NoDigestsWaiting) return people;
      throw error;
    }
  }
}
