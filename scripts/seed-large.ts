// `npm run seed:large`: loads 100,000 identities (with 300,000 credentials,
// 5,000 systems and 400,000 grants across 2,000 owners) and 100,000 approval
// requests (4,000 pending) into the configured database (DATABASE_URL, or the
// embedded one). Does nothing if already loaded.
import { parseEnv } from "../lib/env";
import { prepareDatabase } from "../lib/db/prepare";

const database = await prepareDatabase(parseEnv(), console.log);
const { seedLargeInventory } = await import("../lib/demo/seed-large");
const { prisma, createPrismaClient } = await import("../lib/db/client");
const owner = createPrismaClient(database.ownerUrl);
try {
  const loaded = await seedLargeInventory(prisma, console.log, undefined, owner);
  if (!loaded) console.log("The large inventory is already loaded.");
} finally {
  await prisma.$disconnect();
  await owner.$disconnect();
  await database.stop();
}
