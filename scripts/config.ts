import { ConfigError, parseEnv, type Env } from "../lib/env";

/** The validated configuration, or a message naming each bad variable and exit 78 (EX_CONFIG). */
export function loadConfigOrExit(): Env {
  try {
    return parseEnv();
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      console.error("See the configuration table in README.md.");
      process.exit(78);
    }
    throw error;
  }
}
