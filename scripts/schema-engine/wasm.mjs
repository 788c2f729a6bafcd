// Loads Prisma's WebAssembly schema engine by hand.
//
// Why by hand: `@prisma/schema-engine-wasm`'s entry point does
// `import * as wasm from "./schema_engine_bg.wasm"`, which Node cannot import
// without --experimental-wasm-modules. Its `./schema_engine_bg` glue module is
// plain JS, so we instantiate the .wasm ourselves with the glue as imports.
//
// Which .wasm: the `prisma` CLI package ships `build/schema_engine_bg.wasm`,
// built from the same engines commit as the CLI (d1b3f377…), but not its JS
// glue. That exact engines version of `@prisma/schema-engine-wasm` was never
// published; the nearest one (8.1.0-2.59be4fda…) differs from the CLI's .wasm
// only in the embedded commit hash and import order, with identical import
// names (wasm-bindgen hashes them). So we use the CLI's .wasm with the
// package's glue when every import resolves, else the package's own .wasm.
import { readFileSync } from "node:fs";
import path from "node:path";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";

const require = createRequire(import.meta.url);
const GLUE_SPECIFIER = "@prisma/schema-engine-wasm/schema_engine_bg";

// wasm-bindgen's panic hook writes the panic message here; without it a panic
// surfaces as a bare "RuntimeError: unreachable".
class PanicRegistry {
  message = "";
  get() {
    return this.message;
  }
  set_message(message) {
    this.message = `RuntimeError: ${message}`;
  }
}
globalThis.PRISMA_WASM_PANIC_REGISTRY ??= new PanicRegistry();

function candidateWasmFiles() {
  const files = [];
  try {
    files.push(path.join(path.dirname(require.resolve("prisma/package.json")), "build", "schema_engine_bg.wasm"));
  } catch {
    // prisma not resolvable from here: fall through to the package's own build
  }
  files.push(fileURLToPath(new URL("schema_engine_bg.wasm", import.meta.resolve(GLUE_SPECIFIER))));
  return files;
}

let loaded;

/** @returns {Promise<typeof import("@prisma/schema-engine-wasm/schema_engine_bg")>} */
export async function loadSchemaEngineWasm() {
  if (loaded) return loaded;
  const glue = await import(GLUE_SPECIFIER);
  let lastError;
  for (const file of candidateWasmFiles()) {
    let wasmModule;
    try {
      wasmModule = new WebAssembly.Module(readFileSync(file));
    } catch (error) {
      lastError = error;
      continue;
    }
    const imports = WebAssembly.Module.imports(wasmModule);
    if (!imports.every((i) => typeof glue[i.name] === "function")) {
      lastError = new Error(`${file} does not match the JS glue of ${GLUE_SPECIFIER}`);
      continue;
    }
    const importObject = {};
    for (const { module: ns, name } of imports) (importObject[ns] ??= {})[name] = glue[name];
    const instance = new WebAssembly.Instance(wasmModule, importObject);
    glue.__wbg_set_wasm(instance.exports);
    instance.exports.__wbindgen_start();
    loaded = glue;
    return glue;
  }
  throw lastError;
}

export function isWasmPanic(error) {
  return error instanceof Error && error.name === "RuntimeError";
}

export function panicMessage(error) {
  return globalThis.PRISMA_WASM_PANIC_REGISTRY.get() || String(error?.message ?? error);
}
