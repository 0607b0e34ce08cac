import { execFile } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { BootstrapRefused, bootstrapAdmin } from '../../services/api/src/auth/admin-bootstrap.js';
import { createTestApi } from '../support/api.js';

const run = promisify(execFile);
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const api = await createTestApi();

async function createAdmin(env: Record<string, string>, args: string[] = []) {
  try {
    const { stdout, stderr } = await run(
      process.execPath,
      ['--import', 'tsx', '--conditions=source', 'services/api/src/cli/create-admin.ts', ...args],
      {
        cwd: root,
        env: { PATH: process.env.PATH ?? '', NODE_ENV: 'test', DATABASE_URL: api.database.url, ...env },
      },
    );
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

describe('create-admin', () => {
  it('the npm task creates an administrator who can sign in with real argon2id', {
    timeout: 60_000,
  }, async () => {
    const password = 'Vivid-otter-lantern-2049';
    const created = await createAdmin({ ADMIN_EMAIL: 'root@example.test', ADMIN_PASSWORD: password });
    expect(created.stderr).toBe('');
    expect(created.code).toBe(0);
    expect(JSON.parse(created.stdout)).toMatchObject({
      email: 'root@example.test',
      role: 'admin',
      created: true,
    });
    const login = await request(api.app)
      .post('/api/v1/auth/login')
      .send({ email: 'root@example.test', password })
      .expect(200);
    expect(login.body.user.role).toBe('admin');
  });

  it('refuses weak passwords and existing accounts unless --reset', async () => {
    const db = api.deps.db;
    await expect(bootstrapAdmin(db, { email: 'ops@example.test', password: 'password123' })).rejects.toThrow(
      /weak password/,
    );
    await expect(
      bootstrapAdmin(db, { email: 'not-an-email', password: 'Vivid-otter-lantern-2049' }),
    ).rejects.toThrow(BootstrapRefused);
    await bootstrapAdmin(db, { email: 'ops@example.test', password: 'Vivid-otter-lantern-2049' });
    await expect(
      bootstrapAdmin(db, { email: 'OPS@example.test', password: 'Vivid-otter-lantern-2049' }),
    ).rejects.toThrow(/--reset/);
    const reset = await bootstrapAdmin(db, {
      email: 'OPS@example.test',
      password: 'Another-quiet-harbour-77',
      reset: true,
    });
    expect(reset).toMatchObject({ created: false, role: 'admin' });
    await request(api.app)
      .post('/api/v1/auth/login')
      .send({ email: 'ops@example.test', password: 'Another-quiet-harbour-77' })
      .expect(200);
    const audit = await api.deps
      .sql`select action, actor_type from audit_events where object_type = 'user' and action like 'user.%' order by id`;
    expect(audit.map((r) => [r.action, r.actor_type])).toEqual([
      ['user.create_admin', 'system'],
      ['user.create_admin', 'system'],
      ['user.reset_admin', 'system'],
    ]);
  });
});
