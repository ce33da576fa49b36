/**
 * Files web mode hands to the page over HTTP (`GET /download/ID`) instead of
 * inside a JSON frame: turning a 10-minute WAV into base64 and one JSON text
 * held the engine's thread for well over 100 ms, so the live session's tasks
 * resumed late. Each file is kept in memory under an unguessable id (32 random
 * bytes) for a short time: until it expires, or a grace period after its first
 * fetch (a retry or a second click still works). The store is bounded in count
 * and bytes; the oldest files go first.
 */
import { randomBytes } from 'node:crypto';
import type { FileResult } from '../../protocol';
import type { OutgoingFile } from '../app-session';

/** URL path prefix of the download route. */
export const DOWNLOAD_PATH = '/download/';

export interface DownloadStoreOptions {
  /** How long an unfetched file is kept (default 10 minutes). */
  ttlMs?: number;
  /** How long a file is kept after its first fetch (default 1 minute). */
  graceMs?: number;
  /** At most this many files (default 8). */
  maxFiles?: number;
  /** At most this many bytes in all (default 512 MiB; a 10-minute WAV at 48 kHz is ~58 MB). */
  maxBytes?: number;
  /** Clock (tests). */
  now?: () => number;
}

export interface StoredDownload {
  fileName: string;
  mime: string;
  bytes: Uint8Array;
}

interface Entry extends StoredDownload {
  expires: number;
  fetched: boolean;
}

export class DownloadStore {
  private readonly entries = new Map<string, Entry>();
  private readonly ttlMs: number;
  private readonly graceMs: number;
  private readonly maxFiles: number;
  private readonly maxBytes: number;
  private readonly now: () => number;

  constructor(options: DownloadStoreOptions = {}) {
    this.ttlMs = options.ttlMs ?? 10 * 60_000;
    this.graceMs = options.graceMs ?? 60_000;
    this.maxFiles = options.maxFiles ?? 8;
    this.maxBytes = options.maxBytes ?? 512 * 1024 * 1024;
    this.now = options.now ?? Date.now;
  }

  /** Keep a file; returns the URL path that serves it. Throws if it is larger than the whole store. */
  put(file: StoredDownload): string {
    if (file.bytes.byteLength > this.maxBytes) throw new Error(`${file.fileName} is too large to offer as a download`);
    this.sweep();
    // Make room: the oldest first (a Map iterates in insertion order).
    for (const [id] of this.entries) {
      if (this.entries.size < this.maxFiles && this.totalBytes() + file.bytes.byteLength <= this.maxBytes) break;
      this.entries.delete(id);
    }
    const id = randomBytes(32).toString('base64url');
    this.entries.set(id, { ...file, expires: this.now() + this.ttlMs, fetched: false });
    this.sweepAfter(this.ttlMs);
    return DOWNLOAD_PATH + id;
  }

  /**
   * The file a `/download/ID` path names, or null (unknown or expired). The
   * first fetch shortens its life to the grace period.
   */
  fetch(pathname: string): StoredDownload | null {
    if (!pathname.startsWith(DOWNLOAD_PATH)) return null;
    this.sweep();
    const entry = this.entries.get(pathname.slice(DOWNLOAD_PATH.length));
    if (!entry) return null;
    if (!entry.fetched) {
      entry.fetched = true;
      entry.expires = Math.min(entry.expires, this.now() + this.graceMs);
      this.sweepAfter(this.graceMs);
    }
    return entry;
  }

  get size(): number {
    return this.entries.size;
  }

  totalBytes(): number {
    let sum = 0;
    for (const entry of this.entries.values()) sum += entry.bytes.byteLength;
    return sum;
  }

  clear(): void {
    this.entries.clear();
  }

  /** Let go of expired files' memory even if nothing else happens (the timer does not keep the process alive). */
  private sweepAfter(ms: number): void {
    setTimeout(() => this.sweep(), ms + 1).unref();
  }

  private sweep(): void {
    const now = this.now();
    for (const [id, entry] of this.entries) if (entry.expires <= now) this.entries.delete(id);
  }

  /**
   * An AppSession `deliverFile` for web mode: binary files (exported audio)
   * are kept here and answered with a `link`; text files (a saved session, a
   * few KB) stay inline as utf8 — no base64, no second request, nothing to
   * expire.
   */
  deliver = async (file: OutgoingFile): Promise<FileResult> => {
    if (file.kind === 'text') {
      return { kind: 'download', fileName: file.fileName, mime: file.mime, encoding: 'utf8', data: new TextDecoder().decode(file.bytes) };
    }
    const url = this.put({ fileName: file.fileName, mime: file.mime, bytes: file.bytes });
    return { kind: 'link', fileName: file.fileName, mime: file.mime, url, size: file.bytes.byteLength };
  };
}
