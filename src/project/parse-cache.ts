import { createHash, type Hash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { deserialize, serialize } from 'node:v8';

/** Where a project keeps its parse cache, relative to the project directory. */
export const PARSE_CACHE_DIR = join('target', 'parse-cache');
const CACHE_FILE = 'files.bin';
/** Bumped when what an entry holds changes shape. */
const FORMAT = 1;

/** The cache file: entries keyed by a hash of (code, project context, file path, file text). */
interface CacheFile {
  format: number;
  entries: Map<string, Uint8Array>;
}

let codeStamp: string | undefined;

/**
 * What identifies the running writeback code: its package version and the size and modification
 * time of every file of the folder it runs from (dist/ or src/), so a rebuilt or edited loader
 * never reads an entry written by another one.
 */
function codeFingerprint(): string {
  if (codeStamp !== undefined) return codeStamp;
  const here = dirname(fileURLToPath(import.meta.url));
  const root = dirname(here);
  const hash = createHash('sha256');
  try {
    hash.update(readFileSync(join(root, '..', 'package.json')));
  } catch {
    hash.update('no package.json');
  }
  for (const e of readdirSync(root, { withFileTypes: true, recursive: true })) {
    // declaration files (dist/ holds one per module) never run: half the stat calls for nothing
    if (!e.isFile() || !/\.(js|ts|json)$/.test(e.name) || e.name.endsWith('.d.ts')) continue;
    const path = join(e.parentPath, e.name);
    const s = statSync(path);
    hash.update(`${path}\0${s.size}\0${s.mtimeMs}\n`);
  }
  codeStamp = hash.digest('hex');
  return codeStamp;
}

/**
 * The loader's results of clean files (no diagnostic), kept in `target/parse-cache/` across runs
 * and keyed by a hash of the file's path and text, the project context the file was read in (what
 * project.yml declared) and the running code. A changed file misses and is parsed again; an
 * unreadable, corrupt or foreign cache file is ignored; writing it is best-effort.
 */
export class ParseCache {
  private readonly next = new Map<string, Uint8Array>();
  /** A hash that has taken in the salt: each key copies it (cheaper than hashing the salt again). */
  private readonly salted: Hash;
  private changed = false;

  private constructor(
    private readonly file: string,
    private readonly old: Map<string, Uint8Array>,
    context: Uint8Array,
  ) {
    const salt = createHash('sha256').update(`${FORMAT}\0${codeFingerprint()}\0`).update(context).digest('hex');
    this.salted = createHash('sha256').update(salt);
  }

  /** Opens the cache of the project in `root`; `context` is a serialization of what every file is read against. */
  static open(root: string, context: Uint8Array): ParseCache {
    const file = join(root, PARSE_CACHE_DIR, CACHE_FILE);
    let old = new Map<string, Uint8Array>();
    try {
      const data = deserialize(readFileSync(file)) as Partial<CacheFile> | null;
      if (data && data.format === FORMAT && data.entries instanceof Map) old = data.entries;
    } catch {
      // missing or corrupt: start empty
    }
    return new ParseCache(file, old, context);
  }

  /** The last key computed: a file missed by `get` is `put` next with the same path and text. */
  private last: { path: string; text: string; key: string } | undefined;

  private key(path: string, text: string): string {
    if (this.last?.path === path && this.last.text === text) return this.last.key;
    const key = this.salted.copy().update(`\0${path}\0`).update(text).digest('hex');
    this.last = { path, text, key };
    return key;
  }

  /** The value stored for `path` with exactly this `text`, or undefined. */
  get<T>(path: string, text: string): T | undefined {
    const key = this.key(path, text);
    const bytes = this.old.get(key);
    if (!bytes) return undefined;
    try {
      const value = deserialize(bytes) as T;
      this.next.set(key, bytes);
      return value;
    } catch {
      return undefined;
    }
  }

  /** Stores a copy of `value` (taken now) for `path` with this `text`; values that cannot be copied are not stored. */
  put(path: string, text: string, value: unknown): void {
    try {
      this.next.set(this.key(path, text), serialize(value));
      this.changed = true;
    } catch {
      // a value holding a function or a host object is not cached
    }
  }

  /** Writes the entries used or stored in this run (others are dropped), when they changed. */
  save(): void {
    if (!this.changed && this.next.size === this.old.size) return;
    try {
      mkdirSync(dirname(this.file), { recursive: true });
      const tmp = `${this.file}.${process.pid}.tmp`;
      writeFileSync(tmp, serialize({ format: FORMAT, entries: this.next } satisfies CacheFile));
      renameSync(tmp, this.file);
    } catch {
      // a read-only project or a full disk: run without a cache
    }
  }
}

/** A file of target/parse-cache/ other than the parse cache's own, valid only for the code that wrote it. */
interface StampedFile {
  format: number;
  code: string;
  value: unknown;
}

/**
 * What `name` in the project's `target/parse-cache/` holds, when it was written by this very code
 * ({@link writeStamped}); undefined when missing, corrupt or written by other code.
 */
export function readStamped(root: string, name: string): unknown {
  try {
    const data = deserialize(readFileSync(join(root, PARSE_CACHE_DIR, name))) as Partial<StampedFile> | null;
    return data && data.format === FORMAT && data.code === codeFingerprint() ? data.value : undefined;
  } catch {
    return undefined;
  }
}

/** Writes `value` as `name` in the project's `target/parse-cache/`, stamped with the running code; best-effort. */
export function writeStamped(root: string, name: string, value: unknown): void {
  try {
    const file = join(root, PARSE_CACHE_DIR, name);
    mkdirSync(dirname(file), { recursive: true });
    const tmp = `${file}.${process.pid}.tmp`;
    writeFileSync(tmp, serialize({ format: FORMAT, code: codeFingerprint(), value } satisfies StampedFile));
    renameSync(tmp, file);
  } catch {
    // a read-only project or a full disk: the next run formats again
  }
}
