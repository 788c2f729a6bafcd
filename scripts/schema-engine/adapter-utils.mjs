// @prisma/driver-adapter-utils is not a direct dependency of the app: load the
// copy @prisma/adapter-pg itself uses, so the two always match.
import { createRequire } from "node:module";
import { pathToFileURL } from "node:url";

const fromAdapter = createRequire(import.meta.resolve("@prisma/adapter-pg"));
const utils = await import(pathToFileURL(fromAdapter.resolve("@prisma/driver-adapter-utils")).href);

export const { bindMigrationAwareSqlAdapterFactory, ColumnTypeEnum } = utils;
