import path from "node:path";

// Names shared by the test run's global setup and each test file's setup.

/** The migrated database every test file's own database is cloned from. */
export const TEMPLATE_DATABASE = "warrant_test_template";

/** The same server URL pointed at another database. */
export function databaseUrl(serverUrl: string, database: string): string {
  const url = new URL(serverUrl);
  url.pathname = `/${database}`;
  return url.toString();
}

/** Where the embedded test server on `port` keeps its data and its secrets.json. */
export function testDataDir(port: number): string {
  return path.resolve(`.data/test-${port}`);
}
