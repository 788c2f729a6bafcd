import { prisma } from "../lib/db/client";
import { buildWaitingPackages } from "../lib/evidence/build";

// The evidence.build job's work in a process of its own, for the bench
// (scripts/bench-evidence.ts): builds the waiting packages and prints, as the
// last line, a JSON object with the time and this process's peak RSS.

let peakRss = process.memoryUsage().rss;
const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 100);
const started = performance.now();
try {
  const summary = await buildWaitingPackages(prisma);
  peakRss = Math.max(peakRss, process.memoryUsage().rss);
  console.log(JSON.stringify({ seconds: (performance.now() - started) / 1000, peakRssMb: peakRss / 1_048_576, summary }));
} finally {
  clearInterval(sampler);
  await prisma.$disconnect();
}
