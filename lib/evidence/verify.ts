import { createHash, verify, type KeyObject } from "node:crypto";
import yauzl, { type Entry, type ZipFile } from "yauzl";
import { checkpointMessage, keyIdOf, parsePublicKey } from "@/lib/audit/checkpoint";
import {
  MANIFEST_FILE,
  PUBLIC_KEY_FILE,
  SIGNATURE_FILE,
  jwkToPublicKey,
  manifestSchema,
  signatureSchema,
  type Manifest,
  type ManifestFile,
} from "./format";
import { ChainChecker } from "./verify-chain";

// Verifies an evidence package offline: nothing here needs Warrant's database.
// Order matters. The manifest is the root of trust, so it is authenticated
// first (signature, then the signing key); only a manifest whose signature
// verifies is used to check the files, since an altered manifest would make
// every comparison against it meaningless. Every problem names the file it
// concerns and says what was expected and what was found.

export type ProblemCode =
  | "package-unreadable"
  | "file-missing"
  | "file-unreadable"
  | "file-unlisted"
  | "duplicate-entry"
  | "public-key-invalid"
  | "signature-invalid"
  | "key-untrusted"
  | "manifest-invalid"
  | "digest-mismatch"
  | "size-mismatch"
  | "chain-broken"
  | "audit-key-invalid"
  | "checkpoint-invalid";

export interface Problem {
  code: ProblemCode;
  /** The package file the problem is in (null when it concerns the zip as a whole). */
  file: string | null;
  message: string;
  /** For audit/events.jsonl: the line (1-based) and the event's seq, where known. */
  line?: number;
  seq?: string;
}

export interface VerifySummary {
  /** The id of the key that signed the manifest, when its public key file is readable. */
  keyId: string | null;
  /** Whether that key is one of `trustedKeyIds`; null when no trusted ids were given. */
  keyTrusted: boolean | null;
  /** Whether the manifest's signature verified, so its contents could be checked. */
  manifestAuthentic: boolean;
  period: { from: string; to: string } | null;
  generatedAt: string | null;
  files: number;
  bytes: number;
  events: number;
  checkpoints: number;
  /** "verified": every checkpoint's signature was checked with the audit public key; "not-checked": no audit key was available. */
  checkpointSignatures: "verified" | "not-checked";
}

export interface VerifyResult {
  ok: boolean;
  problems: Problem[];
  summary: VerifySummary;
}

export interface VerifyOptions {
  /** Key ids (SHA-256 hex of the SPKI DER) trusted to sign packages; without it any self-consistent signature passes. */
  trustedKeyIds?: string[];
  /** The audit checkpoint public key (PEM, base64 SPKI DER or a KeyObject) to use instead of the one the manifest carries. */
  auditPublicKey?: string | KeyObject;
}

// The small files are read whole; these caps stop a crafted zip from making the verifier allocate gigabytes.
const MAX_KEY_BYTES = 64 * 1024;
const MAX_MANIFEST_BYTES = 256 * 1024 * 1024;
/** One JSONL line longer than this is reported, not buffered further. */
const MAX_LINE_BYTES = 16 * 1024 * 1024;

const sha256 = (bytes: Buffer) => createHash("sha256").update(bytes).digest("hex");

async function readWhole(zip: ZipFile, entry: Entry, maxBytes: number): Promise<Buffer> {
  if (entry.uncompressedSize > maxBytes) throw new Error(`it is ${entry.uncompressedSize} bytes, more than the ${maxBytes} allowed`);
  const stream = await zip.openReadStreamPromise(entry);
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/**
 * Cuts a byte stream into lines without holding more than one line. Splitting
 * on the newline byte is safe in UTF-8: 0x0A never occurs inside a multi-byte
 * character. A line longer than MAX_LINE_BYTES is dropped and reported.
 */
class LineSplitter {
  private rest: Buffer[] = [];
  private restBytes = 0;
  private tooLong = false;
  private line = 0;

  constructor(
    private readonly onLine: (text: string, line: number) => void,
    private readonly onTooLong: (line: number) => void,
  ) {}

  push(chunk: Buffer): void {
    let start = 0;
    for (let end = chunk.indexOf(10); end !== -1; end = chunk.indexOf(10, start)) {
      this.line += 1;
      if (this.tooLong) this.onTooLong(this.line);
      else this.onLine(this.take(chunk.subarray(start, end)), this.line);
      this.tooLong = false;
      start = end + 1;
    }
    if (start < chunk.length && !this.tooLong) {
      this.rest.push(chunk.subarray(start));
      this.restBytes += chunk.length - start;
      if (this.restBytes > MAX_LINE_BYTES) {
        this.tooLong = true;
        this.rest = [];
        this.restBytes = 0;
      }
    }
  }

  end(): void {
    if (this.tooLong) this.onTooLong(this.line + 1);
    else if (this.restBytes > 0) this.onLine(this.take(Buffer.alloc(0)), this.line + 1);
  }

  private take(last: Buffer): string {
    const text = this.restBytes > 0 ? Buffer.concat([...this.rest, last]).toString("utf8") : last.toString("utf8");
    this.rest = [];
    this.restBytes = 0;
    return text;
  }
}

/** Hashes an entry as it streams, handing each chunk to `splitter` when given. */
async function digestEntry(zip: ZipFile, entry: Entry, splitter?: LineSplitter): Promise<{ sha256: string; size: number }> {
  const hash = createHash("sha256");
  let size = 0;
  const stream = await zip.openReadStreamPromise(entry);
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    hash.update(chunk);
    size += chunk.length;
    splitter?.push(chunk);
  }
  splitter?.end();
  return { sha256: hash.digest("hex"), size };
}

interface Authentication {
  manifest: Manifest | null;
  keyId: string | null;
  authentic: boolean;
}

/**
 * Checks manifest.sig over manifest.json's bytes with the key in
 * evidence-public-key.json, and says which of the three files is at fault
 * when they disagree.
 */
function authenticate(
  manifestBytes: Buffer | null,
  signatureBytes: Buffer | null,
  keyBytes: Buffer | null,
  problem: (code: ProblemCode, file: string | null, message: string) => void,
): Authentication {
  const notChecked = "the files were not checked against an unauthenticated manifest";
  let publicKey: KeyObject | null = null;
  let keyId: string | null = null;
  if (keyBytes) {
    try {
      const jwk = JSON.parse(keyBytes.toString("utf8")) as { kid?: unknown };
      publicKey = jwkToPublicKey(jwk as never);
      keyId = keyIdOf(publicKey);
      if (jwk.kid !== keyId) {
        problem(
          "public-key-invalid",
          PUBLIC_KEY_FILE,
          `${PUBLIC_KEY_FILE}: kid is ${String(jwk.kid)}, but the key it holds has id ${keyId} (SHA-256 of its SPKI DER); ${notChecked}`,
        );
        return { manifest: null, keyId: null, authentic: false };
      }
    } catch (error) {
      problem(
        "public-key-invalid",
        PUBLIC_KEY_FILE,
        `${PUBLIC_KEY_FILE}: not a usable Ed25519 JWK (${(error as Error).message}); ${notChecked}`,
      );
      return { manifest: null, keyId: null, authentic: false };
    }
  }

  let signature: ReturnType<typeof signatureSchema.parse> | null = null;
  if (signatureBytes) {
    try {
      const parsed = signatureSchema.safeParse(JSON.parse(signatureBytes.toString("utf8")));
      if (!parsed.success) {
        const issue = parsed.error.issues[0];
        throw new Error(`${issue?.path.join(".") || "the file"} ${issue?.message ?? "is invalid"}`);
      }
      signature = parsed.data;
    } catch (error) {
      problem("signature-invalid", SIGNATURE_FILE, `${SIGNATURE_FILE}: unreadable (${(error as Error).message}); ${notChecked}`);
      return { manifest: null, keyId, authentic: false };
    }
  }
  if (!manifestBytes || !signature || !publicKey || !keyId) return { manifest: null, keyId, authentic: false };

  if (signature.keyId !== keyId) {
    problem(
      "signature-invalid",
      SIGNATURE_FILE,
      `${SIGNATURE_FILE}: says it was made with key ${signature.keyId}, but ${PUBLIC_KEY_FILE} holds key ${keyId}; ${notChecked}`,
    );
    return { manifest: null, keyId, authentic: false };
  }
  const manifestSha256 = sha256(manifestBytes);
  const valid = verify(null, manifestBytes, publicKey, Buffer.from(signature.signature, "base64"));
  if (!valid) {
    if (manifestSha256 !== signature.manifestSha256) {
      problem(
        "signature-invalid",
        MANIFEST_FILE,
        `${MANIFEST_FILE}: SHA-256 is ${manifestSha256}, but ${SIGNATURE_FILE} signed ${signature.manifestSha256}: the manifest was changed after it was signed; ${notChecked}`,
      );
    } else {
      problem(
        "signature-invalid",
        SIGNATURE_FILE,
        `${SIGNATURE_FILE}: the signature does not verify over ${MANIFEST_FILE} with key ${keyId} (the signature was altered); ${notChecked}`,
      );
    }
    return { manifest: null, keyId, authentic: false };
  }
  if (manifestSha256 !== signature.manifestSha256) {
    // The signature itself is good, so only the digest beside it was changed.
    problem(
      "signature-invalid",
      SIGNATURE_FILE,
      `${SIGNATURE_FILE}: manifestSha256 is ${signature.manifestSha256}, but ${MANIFEST_FILE} (whose signature verifies) has SHA-256 ${manifestSha256}`,
    );
  }

  let json: unknown;
  try {
    json = JSON.parse(manifestBytes.toString("utf8"));
  } catch (error) {
    problem("manifest-invalid", MANIFEST_FILE, `${MANIFEST_FILE}: not valid JSON (${(error as Error).message})`);
    return { manifest: null, keyId, authentic: true };
  }
  const parsed = manifestSchema.safeParse(json);
  if (!parsed.success) {
    const issues = parsed.error.issues.slice(0, 5).map((issue) => `${issue.path.join(".") || "(root)"} ${issue.message}`);
    problem("manifest-invalid", MANIFEST_FILE, `${MANIFEST_FILE}: not a valid manifest: ${issues.join("; ")}`);
    return { manifest: null, keyId, authentic: true };
  }
  return { manifest: parsed.data, keyId, authentic: true };
}

/** The audit public key to check checkpoints with: the caller's if given (and then the manifest must carry the same), else the manifest's. */
function auditKeyFor(
  manifest: Manifest,
  given: VerifyOptions["auditPublicKey"],
  problem: (code: ProblemCode, file: string | null, message: string) => void,
): KeyObject | null {
  let carried: KeyObject | null = null;
  if (manifest.auditPublicKey) {
    try {
      carried = jwkToPublicKey(manifest.auditPublicKey);
      const id = keyIdOf(carried);
      if (manifest.auditPublicKey.kid !== id) {
        problem(
          "audit-key-invalid",
          MANIFEST_FILE,
          `${MANIFEST_FILE}: auditPublicKey.kid is ${manifest.auditPublicKey.kid}, but the key has id ${id}`,
        );
        carried = null;
      }
    } catch (error) {
      problem(
        "audit-key-invalid",
        MANIFEST_FILE,
        `${MANIFEST_FILE}: auditPublicKey is not a usable Ed25519 key (${(error as Error).message})`,
      );
    }
  }
  if (given === undefined) return carried;
  const expected = typeof given === "string" ? parsePublicKey(given) : given;
  const expectedId = keyIdOf(expected);
  if (manifest.auditPublicKey && manifest.auditPublicKey.kid !== expectedId) {
    problem(
      "audit-key-invalid",
      MANIFEST_FILE,
      `${MANIFEST_FILE}: auditPublicKey is key ${manifest.auditPublicKey.kid}, but the expected audit key is ${expectedId}`,
    );
  }
  return expected;
}

function checkCheckpointSignatures(
  manifest: Manifest,
  auditKey: KeyObject,
  problem: (code: ProblemCode, file: string | null, message: string, seq?: string) => void,
): void {
  const auditKeyId = keyIdOf(auditKey);
  for (const checkpoint of manifest.checkpoints) {
    const label = `${MANIFEST_FILE}: checkpoint #${checkpoint.seq} of ${checkpoint.createdAt}`;
    if (checkpoint.keyId !== auditKeyId) {
      problem(
        "checkpoint-invalid",
        MANIFEST_FILE,
        `${label} was signed by key ${checkpoint.keyId}, not the audit key ${auditKeyId}`,
        checkpoint.seq,
      );
      continue;
    }
    const message = checkpointMessage({ seq: BigInt(checkpoint.seq), hash: checkpoint.hash, createdAt: new Date(checkpoint.createdAt) });
    if (!verify(null, message, auditKey, Buffer.from(checkpoint.signature, "base64"))) {
      problem("checkpoint-invalid", MANIFEST_FILE, `${label}: the signature does not verify (it was forged or altered)`, checkpoint.seq);
    }
  }
}

/**
 * Reads the package at `zipPath` and reports every problem found. Streams
 * each file through SHA-256 (and audit/events.jsonl through the chain check)
 * without holding it in memory; only the manifest, the signature and the key
 * are read whole.
 */
export async function verifyEvidencePackage(zipPath: string, options: VerifyOptions = {}): Promise<VerifyResult> {
  const problems: Problem[] = [];
  const problem = (code: ProblemCode, file: string | null, message: string, seq?: string, line?: number) => {
    problems.push({ code, file, message, ...(line !== undefined ? { line } : {}), ...(seq !== undefined ? { seq } : {}) });
  };
  const summary: VerifySummary = {
    keyId: null,
    keyTrusted: null,
    manifestAuthentic: false,
    period: null,
    generatedAt: null,
    files: 0,
    bytes: 0,
    events: 0,
    checkpoints: 0,
    checkpointSignatures: "not-checked",
  };
  const done = () => ({ ok: problems.length === 0, problems, summary });

  let zip: ZipFile;
  try {
    // lazyEntries + autoClose off: read the central directory first, then open entries in any order.
    zip = await yauzl.openPromise(zipPath, { lazyEntries: true, autoClose: false, strictFileNames: true });
  } catch (error) {
    problem("package-unreadable", null, `${zipPath} is not a readable zip: ${(error as Error).message}`);
    return done();
  }
  try {
    const entries = new Map<string, Entry>();
    try {
      for await (const entry of zip.eachEntry()) {
        if (entries.has(entry.fileName)) {
          problem("duplicate-entry", entry.fileName, `${entry.fileName}: appears more than once in the zip`);
          continue;
        }
        entries.set(entry.fileName, entry);
      }
    } catch (error) {
      problem("package-unreadable", null, `${zipPath}: its zip directory is damaged: ${(error as Error).message}`);
      return done();
    }

    const readSmall = async (name: string, maxBytes: number): Promise<Buffer | null> => {
      const entry = entries.get(name);
      if (!entry) {
        problem("file-missing", name, `${name}: missing from the package`);
        return null;
      }
      try {
        return await readWhole(zip, entry, maxBytes);
      } catch (error) {
        problem("file-unreadable", name, `${name}: could not be read: ${(error as Error).message}`);
        return null;
      }
    };
    const keyBytes = await readSmall(PUBLIC_KEY_FILE, MAX_KEY_BYTES);
    const signatureBytes = await readSmall(SIGNATURE_FILE, MAX_KEY_BYTES);
    const manifestBytes = await readSmall(MANIFEST_FILE, MAX_MANIFEST_BYTES);

    const { manifest, keyId, authentic } = authenticate(manifestBytes, signatureBytes, keyBytes, problem);
    summary.keyId = keyId;
    summary.manifestAuthentic = authentic;
    if (keyId && options.trustedKeyIds) {
      summary.keyTrusted = options.trustedKeyIds.includes(keyId);
      if (!summary.keyTrusted) {
        problem(
          "key-untrusted",
          PUBLIC_KEY_FILE,
          `${PUBLIC_KEY_FILE}: the package was signed with key ${keyId}, which is not one of the trusted keys (${options.trustedKeyIds.join(", ") || "none given"})`,
        );
      }
    }
    if (!manifest) return done();

    summary.period = manifest.period;
    summary.generatedAt = manifest.generatedAt;
    summary.files = manifest.files.length;
    summary.checkpoints = manifest.checkpoints.length;

    const auditKey = auditKeyFor(manifest, options.auditPublicKey, problem);
    if (auditKey) {
      checkCheckpointSignatures(manifest, auditKey, problem);
      summary.checkpointSignatures = "verified";
    }

    const listed = new Map<string, ManifestFile>();
    for (const file of manifest.files) {
      if (listed.has(file.path)) problem("manifest-invalid", MANIFEST_FILE, `${MANIFEST_FILE}: lists ${file.path} more than once`);
      listed.set(file.path, file);
    }
    for (const name of entries.keys()) {
      if (name === MANIFEST_FILE || name === SIGNATURE_FILE || listed.has(name)) continue;
      problem("file-unlisted", name, `${name}: in the package but not listed in ${MANIFEST_FILE}`);
    }

    const chain = manifest.chain;
    if (chain && !listed.has(chain.file)) {
      problem("chain-broken", chain.file, `${chain.file}: the manifest describes an audit chain segment in it, but does not list the file`);
    }
    for (const file of listed.values()) {
      const entry = entries.get(file.path);
      if (!entry) {
        problem("file-missing", file.path, `${file.path}: listed in ${MANIFEST_FILE} but missing from the package`);
        continue;
      }
      const checker = chain && chain.file === file.path ? new ChainChecker(chain, manifest.checkpoints) : null;
      const splitter = checker
        ? new LineSplitter(
            (text, line) => checker.line(text, line),
            (line) => checker.skip(line, `is longer than ${MAX_LINE_BYTES} bytes`),
          )
        : undefined;
      let actual: Awaited<ReturnType<typeof digestEntry>>;
      try {
        actual = await digestEntry(zip, entry, splitter);
      } catch (error) {
        problem("file-unreadable", file.path, `${file.path}: could not be read: ${(error as Error).message}`);
        continue;
      }
      summary.bytes += actual.size;
      if (actual.sha256 !== file.sha256) {
        problem("digest-mismatch", file.path, `${file.path}: SHA-256 is ${actual.sha256}, manifest says ${file.sha256}`);
      }
      if (actual.size !== file.size) {
        problem("size-mismatch", file.path, `${file.path}: size is ${actual.size} bytes, manifest says ${file.size}`);
      }
      if (checker) {
        checker.end();
        summary.events = checker.events;
        for (const found of checker.problems) problem("chain-broken", file.path, `${file.path}: ${found.message}`, found.seq, found.line);
      }
    }
    return done();
  } finally {
    zip.close();
  }
}
