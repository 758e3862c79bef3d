import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { awaitServer, serverWaitMs } from '../../../src/runtime/await-server.js';
import { writeDiscoveryFile } from '../../../src/runtime/discovery-file.js';
import { readStartingMarker, removeStartingMarker, startingMarkerPath, writeStartingMarker } from '../../../src/runtime/starting-marker.js';

const dir = () => {
  const d = mkdtempSync(join(tmpdir(), 'wb-await-'));
  mkdirSync(join(d, 'target'));
  return d;
};

describe('waiting for a server that is starting', () => {
  it('no marker and no server: none, at once; its own marker does not make a process wait', async () => {
    const d = dir();
    expect(await awaitServer(d, { timeoutMs: 10_000 })).toEqual({ kind: 'none' });
    writeStartingMarker(d, 'serve');
    expect(readStartingMarker(d)).toMatchObject({ pid: process.pid, command: 'serve' });
    expect(await awaitServer(d, { timeoutMs: 10_000 })).toEqual({ kind: 'none' });
    removeStartingMarker(d);
    expect(readStartingMarker(d)).toBeUndefined();
  });

  it('another process starting: waits until server.json appears', async () => {
    const d = dir();
    const other = spawn('sleep', ['30']);
    try {
      writeFileSync(startingMarkerPath(d), JSON.stringify({ pid: other.pid, command: 'dev', started_at: new Date().toISOString() }));
      let told = '';
      const waiting = awaitServer(d, { timeoutMs: 20_000, onWait: (m) => (told = `${m.command} ${m.pid}`) });
      setTimeout(() => writeDiscoveryFile(d, { pid: process.pid, port: 4999, host: '127.0.0.1', admin_token: 'a'.repeat(43), started_at: new Date().toISOString() }), 300);
      expect(await waiting).toMatchObject({ kind: 'running', server: { port: 4999, url: 'http://127.0.0.1:4999' } });
      expect(told).toBe(`dev ${other.pid}`);
    } finally {
      other.kill();
    }
  });

  it('gives up after the bound, and ignores the marker of a process that is gone', async () => {
    const d = dir();
    const other = spawn('sleep', ['30']);
    try {
      writeFileSync(startingMarkerPath(d), JSON.stringify({ pid: other.pid, command: 'serve', started_at: '2026-01-01T00:00:00.000Z' }));
      expect(await awaitServer(d, { timeoutMs: 200 })).toMatchObject({ kind: 'starting', marker: { pid: other.pid } });
    } finally {
      other.kill();
    }
    const dead = Number(spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']).stdout.toString());
    writeFileSync(startingMarkerPath(d), JSON.stringify({ pid: dead, command: 'serve', started_at: '2026-01-01T00:00:00.000Z' }));
    expect(await awaitServer(d, { timeoutMs: 10_000 })).toEqual({ kind: 'none' });
  });

  it('WRITEBACK_SERVER_WAIT_MS sets the bound (0 = do not wait)', () => {
    expect(serverWaitMs({})).toBe(15_000);
    expect(serverWaitMs({ WRITEBACK_SERVER_WAIT_MS: '0' })).toBe(0);
    expect(serverWaitMs({ WRITEBACK_SERVER_WAIT_MS: '2500' })).toBe(2500);
    expect(serverWaitMs({ WRITEBACK_SERVER_WAIT_MS: 'soon' })).toBe(15_000);
  });
});
