import { createHash, createPublicKey, sign, type KeyObject } from "node:crypto";
import { Readable, type Writable } from "node:stream";
import { finished, pipeline } from "node:stream/promises";
import { ZipFile } from "yazl";
import { keyIdOf, type Checkpoint } from "@/lib/audit/checkpoint";
import type { JsonValue } from "@/lib/audit/hash";
import {
  AUDIT_EVENTS_FILE,
  MANIFEST_FILE,
  MANIFEST_FORMAT,
  MANIFEST_FORMAT_VERSION,
  PUBLIC_KEY_FILE,
  RESERVED_FILES,
  SIGNATURE_FILE,
  publicKeyToJwk,
  type Manifest,
  type ManifestFile,
  type SignatureFile,
} from "./format";

// Writes an evidence package as a zip, streaming: each file's bytes pass
// through a SHA-256 and a byte counter on their way into the zip, so a file of
// a million audit events is never held in memory, and the manifest is built
// from what was actually written rather than from a second read.

/** What a file's content may be: small values whole, large ones as a stream or an async iterable of chunks. */
export type FileContent =
  string | Buffer | Uint8Array | Readable | AsyncIterable<string | Buffer | Uint8Array> | Iterable<string | Buffer | Uint8Array>;

/** The audit chain segment the package's audit/events.jsonl holds (see verify.ts for how it is checked). */
export interface ChainSegment {
  fromSeq: bigint;
  toSeq: bigint;
  /** The hash of event #fromSeq-1 (GENESIS_HASH when the segment starts at #1): the first event's prevHash. */
  startPrevHash: string;
  /** The hash of event #toSeq. */
  endHash: string;
}

export interface ManifestFields {
  generatedAt: Date;
  generator: { name: "warrant"; version: string };
  period: { from: Date; to: Date };
  scope: { description: string } & { [key: string]: JsonValue };
  frameworks: { id: string; title: string }[];
  /** Null when the period holds no audit events (then the package has no audit/events.jsonl). */
  chain: ChainSegment | null;
  /** The signed audit checkpoints whose time falls in the period. */
  checkpoints: Checkpoint[];
  /** The key that signs audit checkpoints, so a verifier can check them offline. */
  auditPublicKey: KeyObject | null;
}

export interface FinishedPackage {
  manifest: Manifest;
  manifestSha256: string;
  /** The id of the key that signed the manifest (SHA-256 hex of its SPKI DER). */
  keyId: string;
}

export interface EvidencePackageWriter {
  /**
   * Streams one file into the package and resolves with its digest and size
   * once every byte is in the zip. Await each call before the next: files go
   * into the zip in the order they were added, one at a time.
   */
  addFile(name: string, content: FileContent): Promise<ManifestFile>;
  /** Writes evidence-public-key.json, manifest.json and manifest.sig, then closes the zip and waits for `output` to finish. */
  finish(fields: ManifestFields, signingKey: KeyObject): Promise<FinishedPackage>;
}

export interface PackageOptions {
  /** The modification time stored for every entry; a fixed time makes the same inputs give the same bytes. */
  mtime?: Date;
}

// Relative paths of plain names: no "..", no leading slash, no backslashes, so
// the package unpacks the same way everywhere and cannot write outside its folder.
const SEGMENT = /^[A-Za-z0-9_-][A-Za-z0-9._-]*$/;

function checkName(name: string): void {
  const segments = name.split("/");
  if (!segments.every((segment) => SEGMENT.test(segment) && segment !== "." && segment !== "..")) {
    throw new Error(`"${name}" is not a valid file name in a package (use relative paths like "inventory/identities.csv")`);
  }
}

/** Yields the content as Buffers, whatever shape it came in. */
async function* chunksOf(content: FileContent): AsyncGenerator<Buffer> {
  if (typeof content === "string") {
    yield Buffer.from(content, "utf8");
    return;
  }
  if (content instanceof Uint8Array) {
    yield Buffer.from(content.buffer, content.byteOffset, content.byteLength);
    return;
  }
  for await (const chunk of content as AsyncIterable<unknown>) {
    if (typeof chunk === "string") yield Buffer.from(chunk, "utf8");
    else if (chunk instanceof Uint8Array) yield Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    else throw new TypeError(`file content chunks must be strings or Buffers, not ${typeof chunk}`);
  }
}

/**
 * Starts a package written to `output`. On any failure (a content stream
 * throws, the output errors) the package is abandoned: `output` is destroyed
 * with the error and every later call rejects, since half a zip is no evidence.
 */
export function createEvidencePackage(output: Writable, options: PackageOptions = {}): EvidencePackageWriter {
  const mtime = options.mtime ?? new Date();
  const entryOptions = { mtime, mode: 0o100644, compress: true, compressionLevel: 6 };
  const zip = new ZipFile();
  const files: ManifestFile[] = [];
  const names = new Set<string>();
  let busy = false;
  let finishing = false;
  let failure: Error | null = null;

  const fail = (error: Error) => {
    if (failure) return;
    failure = error;
    output.destroy(error);
  };
  // yazl reports its own errors as events; unheard, an "error" event would throw.
  zip.on("error", fail);
  const written = pipeline(zip.outputStream, output);
  written.catch((error: Error) => fail(error));
  // Rejects as soon as the package fails, so no await below can hang on a dead zip.
  const failed = new Promise<never>((_, reject) => {
    zip.on("error", reject);
    written.catch(reject);
  });
  failed.catch(() => {});

  function assertUsable(): void {
    if (failure) throw new Error(`the evidence package failed earlier: ${failure.message}`);
    if (finishing) throw new Error("the evidence package is already finished");
    if (busy) throw new Error("add files one at a time (await each addFile) so the package's order is deterministic");
  }

  async function streamFile(name: string, content: FileContent): Promise<ManifestFile> {
    if (names.has(name)) throw new Error(`"${name}" is already in the package`);
    names.add(name);
    busy = true;
    try {
      const hash = createHash("sha256");
      let size = 0;
      async function* measured(): AsyncGenerator<Buffer> {
        for await (const chunk of chunksOf(content)) {
          hash.update(chunk);
          size += chunk.length;
          yield chunk;
        }
      }
      // objectMode off: yazl pipes bytes, and highWaterMark bounds what waits in memory.
      const stream = Readable.from(measured(), { objectMode: false, highWaterMark: 64 * 1024 });
      zip.addReadStream(stream, name, entryOptions);
      try {
        await Promise.race([finished(stream), failed]);
      } catch (error) {
        fail(error instanceof Error ? error : new Error(String(error)));
        throw error;
      }
      const record = { path: name, sha256: hash.digest("hex"), size };
      files.push(record);
      return record;
    } finally {
      busy = false;
    }
  }

  return {
    async addFile(name, content) {
      assertUsable();
      checkName(name);
      if ((RESERVED_FILES as readonly string[]).includes(name)) throw new Error(`"${name}" is written by the package itself`);
      return streamFile(name, content);
    },

    async finish(fields, signingKey) {
      assertUsable();
      if (signingKey.type !== "private" || signingKey.asymmetricKeyType !== "ed25519") {
        throw new Error("the package must be signed with an Ed25519 private key");
      }
      // Checked before anything is written, so a caller's mistake leaves the package open to fix.
      const hasEvents = files.some((file) => file.path === AUDIT_EVENTS_FILE);
      if (fields.chain && !hasEvents)
        throw new Error(`the manifest describes an audit chain segment, but ${AUDIT_EVENTS_FILE} was not added`);
      if (!fields.chain && hasEvents) throw new Error(`${AUDIT_EVENTS_FILE} was added, but no chain segment describes it`);
      finishing = true;
      try {
        const publicKey = createPublicKey(signingKey);
        const keyId = keyIdOf(publicKey);
        // The public key is listed in the manifest like any file, so a change to it is named even when the key still parses.
        await streamFile(PUBLIC_KEY_FILE, `${JSON.stringify(publicKeyToJwk(publicKey), null, 2)}\n`);

        const manifest = buildManifest(fields, files);
        const manifestBytes = Buffer.from(`${JSON.stringify(manifest, null, 2)}\n`, "utf8");
        const manifestSha256 = createHash("sha256").update(manifestBytes).digest("hex");
        const signatureFile: SignatureFile = {
          algorithm: "Ed25519",
          keyId,
          manifestSha256,
          signature: sign(null, manifestBytes, signingKey).toString("base64"),
        };
        zip.addBuffer(manifestBytes, MANIFEST_FILE, entryOptions);
        zip.addBuffer(Buffer.from(`${JSON.stringify(signatureFile, null, 2)}\n`, "utf8"), SIGNATURE_FILE, entryOptions);
        zip.end();
        await Promise.race([written, failed]);
        return { manifest, manifestSha256, keyId };
      } catch (error) {
        fail(error instanceof Error ? error : new Error(String(error)));
        throw error;
      }
    },
  };
}

/** The manifest with keys in a fixed order and files sorted by path, so equal inputs give equal bytes. */
function buildManifest(fields: ManifestFields, files: ManifestFile[]): Manifest {
  return {
    format: MANIFEST_FORMAT,
    formatVersion: MANIFEST_FORMAT_VERSION,
    generatedAt: fields.generatedAt.toISOString(),
    generator: { name: fields.generator.name, version: fields.generator.version },
    period: { from: fields.period.from.toISOString(), to: fields.period.to.toISOString() },
    scope: fields.scope,
    frameworks: fields.frameworks.map((framework) => ({ id: framework.id, title: framework.title })),
    chain: fields.chain
      ? {
          file: AUDIT_EVENTS_FILE,
          fromSeq: fields.chain.fromSeq.toString(),
          toSeq: fields.chain.toSeq.toString(),
          startPrevHash: fields.chain.startPrevHash,
          endHash: fields.chain.endHash,
        }
      : null,
    checkpoints: fields.checkpoints.map((checkpoint) => ({
      seq: checkpoint.seq.toString(),
      hash: checkpoint.hash,
      createdAt: checkpoint.createdAt.toISOString(),
      keyId: checkpoint.keyId,
      signature: checkpoint.signature,
    })),
    auditPublicKey: fields.auditPublicKey ? publicKeyToJwk(fields.auditPublicKey) : null,
    files: [...files].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0)),
  };
}

const TEXT_BATCH = 64 * 1024;

/**
 * Text pieces joined into ~64 KB strings, for `addFile`: a million tiny chunks would spend more
 * time in stream bookkeeping than in hashing and compressing.
 */
export async function* textInBatches(pieces: AsyncIterable<string> | Iterable<string>): AsyncGenerator<string> {
  let batch = "";
  for await (const piece of pieces) {
    batch += piece;
    if (batch.length >= TEXT_BATCH) {
      yield batch;
      batch = "";
    }
  }
  if (batch) yield batch;
}

/** JSON Lines from rows, one `JSON.stringify(row)` per line, for `addFile`. */
export async function* jsonLines(rows: AsyncIterable<unknown> | Iterable<unknown>): AsyncGenerator<string> {
  yield* textInBatches(
    (async function* () {
      for await (const row of rows) {
        const line = JSON.stringify(row);
        if (line === undefined) throw new TypeError("a JSON Lines row must be a JSON value (not undefined or a function)");
        yield `${line}\n`;
      }
    })(),
  );
}
