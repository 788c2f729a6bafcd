import pg from "pg";
import { JOBS_SCHEMA } from "@/lib/jobs/schema";

// Two database roles (README "Database roles"): the owner owns the schema and
// runs migrations; the app role is what the web server, the worker and the
// CLI use at run time. After migrating, the runner grants the app role what it
// needs, as the owner. Role names stay out of the migrations: the app role is
// whoever DATABASE_URL logs in as.
//
// The audit log, its checkpoints and the activity log are append-only for the app role: SELECT
// and INSERT only. Only a table's owner can ALTER it (DISABLE TRIGGER) and
// nobody but the owner can TRUNCATE, so code running as the app cannot rewrite
// history even if it is compromised.

/** Tables the app may read and append to, never change. Control runs are evidence too: what failed on a given day stays as found. */
export const APPEND_ONLY_TABLES = [
  "AuditEvent",
  "AuditCheckpoint",
  "ActivityEvent",
  "ControlRun",
  "ControlResult",
  "ControlFailure",
] as const;

async function withClient<T>(url: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end().catch(() => undefined);
  }
}

async function currentRole(url: string): Promise<string> {
  return withClient(url, async (client) => (await client.query<{ name: string }>("SELECT current_user AS name")).rows[0]!.name);
}

export interface AppRoleProtection {
  role: string;
  /** Why the audit log is not protected from this role; empty when it is. */
  problems: string[];
}

/** What the role behind `appUrl` could do to the audit log, asked of the database itself. */
export async function checkAppRole(appUrl: string): Promise<AppRoleProtection> {
  return withClient(appUrl, async (client) => {
    const { rows } = await client.query<{ role: string; superuser: boolean; owns: boolean; writes: boolean }>(
      `SELECT current_user AS role,
              r.rolsuper AS superuser,
              pg_has_role(current_user, c.relowner, 'USAGE') AS owns,
              has_table_privilege(c.oid, 'UPDATE') OR has_table_privilege(c.oid, 'DELETE') OR has_table_privilege(c.oid, 'TRUNCATE') AS writes
         FROM pg_roles r, pg_class c
        WHERE r.rolname = current_user AND c.oid = '"AuditEvent"'::regclass`,
    );
    const row = rows[0]!;
    const problems = [
      row.superuser ? `${row.role} is a superuser` : "",
      !row.superuser && row.owns ? `${row.role} owns the audit table (it can disable its triggers)` : "",
      !row.superuser && !row.owns && row.writes ? `${row.role} may UPDATE, DELETE or TRUNCATE the audit table` : "",
    ].filter(Boolean);
    return { role: row.role, problems };
  });
}

/** Hands pg-boss's schema and everything in it to the app role: pg-boss creates and migrates its own tables at start. */
function handOverJobsSchema(app: string): string {
  const schema = pg.escapeLiteral(JOBS_SCHEMA);
  const role = pg.escapeLiteral(app);
  return `
DO $$
DECLARE
  r record;
BEGIN
  IF (SELECT pg_get_userbyid(nspowner) FROM pg_namespace WHERE nspname = ${schema}) <> ${role} THEN
    EXECUTE format('ALTER SCHEMA %I OWNER TO %I', ${schema}, ${role});
  END IF;
  -- Sequences that belong to a table column move with their table.
  FOR r IN SELECT c.relname, c.relkind FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE n.nspname = ${schema} AND c.relkind IN ('r', 'p', 'v', 'm', 'S')
              AND pg_get_userbyid(c.relowner) <> ${role}
              AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.objid = c.oid AND d.classid = 'pg_class'::regclass AND d.deptype IN ('a', 'i') AND c.relkind = 'S')
  LOOP
    EXECUTE format('ALTER %s %I.%I OWNER TO %I',
      CASE r.relkind WHEN 'S' THEN 'SEQUENCE' WHEN 'v' THEN 'VIEW' WHEN 'm' THEN 'MATERIALIZED VIEW' ELSE 'TABLE' END,
      ${schema}, r.relname, ${role});
  END LOOP;
  FOR r IN SELECT p.oid::regprocedure AS signature, p.prokind FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
            WHERE n.nspname = ${schema} AND pg_get_userbyid(p.proowner) <> ${role}
  LOOP
    EXECUTE format('ALTER %s %s OWNER TO %I', CASE r.prokind WHEN 'p' THEN 'PROCEDURE' ELSE 'FUNCTION' END, r.signature, ${role});
  END LOOP;
  FOR r IN SELECT t.typname FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace
            WHERE n.nspname = ${schema} AND t.typtype IN ('e', 'd') AND pg_get_userbyid(t.typowner) <> ${role}
  LOOP
    EXECUTE format('ALTER TYPE %I.%I OWNER TO %I', ${schema}, r.typname, ${role});
  END LOOP;
END
$$`;
}

/**
 * Run as the owner after migrating. Creates pg-boss's schema (the app role may
 * not create schemas), and when the app connects as a role of its own, grants
 * it read and write on the product tables, read and append on the audit
 * tables, read on the migration history, and pg-boss's schema. Safe to run on
 * every start; returns what protects the audit log from the app role.
 */
export async function grantAppRole(ownerUrl: string, appUrl: string): Promise<AppRoleProtection> {
  const app = await currentRole(appUrl);
  await withClient(ownerUrl, async (client) => {
    const owner = (await client.query<{ name: string }>("SELECT current_user AS name")).rows[0]!.name;
    await client.query(`CREATE SCHEMA IF NOT EXISTS ${client.escapeIdentifier(JOBS_SCHEMA)}`);
    if (owner === app) return;
    const role = client.escapeIdentifier(app);
    const appendOnly = APPEND_ONLY_TABLES.map((table) => client.escapeIdentifier(table)).join(", ");
    await client.query("BEGIN");
    try {
      await client.query(`GRANT USAGE ON SCHEMA public TO ${role}`);
      await client.query(`GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO ${role}`);
      await client.query(`GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA public TO ${role}`);
      await client.query(`REVOKE UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER ON ${appendOnly} FROM ${role}`);
      await client.query(`REVOKE INSERT, UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER ON "_prisma_migrations" FROM ${role}`);
      // For tables the owner creates outside this runner (e.g. `prisma migrate deploy` by hand).
      await client.query(`ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO ${role}`);
      await client.query(`ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE, SELECT, UPDATE ON SEQUENCES TO ${role}`);
      await client.query(handOverJobsSchema(app));
      await client.query("COMMIT");
    } catch (error) {
      await client.query("ROLLBACK");
      const message = (error as Error).message;
      const hint = /must be able to SET ROLE|must be member of role/.test(message)
        ? ` The migration role ${owner} must be able to act as ${app} to hand it pg-boss's schema: GRANT ${app} TO ${owner};`
        : "";
      throw new Error(`Granting the app role ${app} its privileges (as ${owner}) failed: ${message}.${hint}`);
    }
  });
  return checkAppRole(appUrl);
}
