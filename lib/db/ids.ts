import { randomBytes } from "node:crypto";

// Ids for rows written without Prisma (lib/db/runtime-pool.ts), shaped like
// the cuids Prisma gives every other row: 25 lowercase letters and digits,
// starting with "c", roughly ordered by time. They are opaque everywhere.

let counter = Math.floor(Math.random() * 36 ** 4);

export function newId(): string {
  counter = (counter + 1) % 36 ** 4;
  const time = Date.now().toString(36).padStart(8, "0").slice(-8);
  const count = counter.toString(36).padStart(4, "0");
  const random = BigInt(`0x${randomBytes(8).toString("hex")}`)
    .toString(36)
    .padStart(12, "0")
    .slice(-12);
  return `c${time}${count}${random}`;
}
