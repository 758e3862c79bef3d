import { mkdtempSync, statSync, writeFileSync, existsSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { discoveryFilePath, readDiscoveryFile, removeDiscoveryFile, writeDiscoveryFile } from '../../../src/runtime/discovery-file.js';
import { findRunningServer } from '../../../src/runtime/find-running-server.js';

const info = (pid: number) => ({ pid, port: 4580, host: '0.0.0.0', admin_token: 'a'.repeat(43), started_at: '2026-01-01T00:00:00.000Z' });

describe('discovery file', () => {
  it('is written with mode 0600 and found while the pid lives', () => {
    const dir = mkdtempSync(join(tmpdir(), 'wb-disc-'));
    const path = writeDiscoveryFile(dir, info(process.pid));
    expect(path).toBe(discoveryFilePath(dir));
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(readDiscoveryFile(dir)).toEqual(info(process.pid));
    expect(findRunningServer(dir)).toMatchObject({ pid: process.pid, url: 'http://127.0.0.1:4580' });
    removeDiscoveryFile(dir);
    expect(existsSync(path)).toBe(false);
    expect(findRunningServer(dir)).toBeUndefined();
  });

  it('ignores a stale file whose process is gone, and a malformed one', () => {
    const dir = mkdtempSync(join(tmpdir(), 'wb-disc-'));
    const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']).stdout.toString();
    writeDiscoveryFile(dir, info(Number(dead)));
    expect(findRunningServer(dir)).toBeUndefined();
    mkdirSync(join(dir, 'target'), { recursive: true });
    writeFileSync(discoveryFilePath(dir), '{"pid": "x"');
    expect(readDiscoveryFile(dir)).toBeUndefined();
  });

  it('is not removed by a process that does not own it', () => {
    const dir = mkdtempSync(join(tmpdir(), 'wb-disc-'));
    writeDiscoveryFile(dir, info(process.pid));
    removeDiscoveryFile(dir, process.pid + 1);
    expect(readDiscoveryFile(dir)).toBeDefined();
  });
});
