import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  AesGcmSecretBox,
  generateSecretKey,
  loadSecretKey,
  parseSecretKey,
  SecretKeyError,
} from './aes-gcm-secret-box';

const key = (fill: number) => Buffer.alloc(32, fill);

describe('AesGcmSecretBox', () => {
  it('round-trips and never shows the plaintext in the sealed value', () => {
    const box = new AesGcmSecretBox(key(1));
    const secret = 'token: eyJhbGciOiJSUzI1NiJ9.secret-part';
    const sealed = box.seal(secret);
    expect(sealed).toMatch(/^kra1\.[0-9a-f]{8}\.[\w-]+\.[\w-]+\.[\w-]+$/);
    expect(sealed).not.toContain('secret-part');
    expect(box.open(sealed)).toBe(secret);
    expect(box.seal(secret)).not.toBe(sealed);
  });

  it('refuses a tampered value', () => {
    const box = new AesGcmSecretBox(key(1));
    const parts = box.seal('hello').split('.');
    parts[4] = Buffer.from('jello').toString('base64url');
    expect(() => box.open(parts.join('.'))).toThrow('failed its integrity check');
  });

  it('opens values of a previous key while rotating, and says which key is missing otherwise', () => {
    const old = new AesGcmSecretBox(key(1));
    const sealed = old.seal('kubeconfig');
    const rotating = new AesGcmSecretBox(key(2), [key(1)]);
    expect(rotating.open(sealed)).toBe('kubeconfig');
    expect(rotating.isCurrent(sealed)).toBe(false);
    expect(rotating.isCurrent(rotating.seal('x'))).toBe(true);
    expect(() => new AesGcmSecretBox(key(2)).open(sealed)).toThrow(
      /encrypted with key [0-9a-f]{8}, which is not configured/,
    );
  });
});

describe('secret keys', () => {
  it('accepts base64 and hex, and explains anything else', () => {
    expect(parseSecretKey(key(7).toString('base64'), 'K')).toEqual(key(7));
    expect(parseSecretKey(key(7).toString('hex'), 'K')).toEqual(key(7));
    expect(() => parseSecretKey('hunter2', 'KRA_SECRET_KEY')).toThrow(
      'KRA_SECRET_KEY must be 32 random bytes as base64 (44 characters) or hex (64 characters); generate one with: openssl rand -base64 32',
    );
    expect(parseSecretKey(generateSecretKey(), 'K')).toHaveLength(32);
  });

  it('creates the key file once with mode 0600 and reuses it', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kra-key-'));
    try {
      const keyFile = path.join(dir, 'data', 'secret.key');
      const first = loadSecretKey({ keyFile });
      expect(fs.statSync(keyFile).mode & 0o777).toBe(0o600);
      expect(loadSecretKey({ keyFile }).key).toEqual(first.key);
      fs.chmodSync(keyFile, 0o644);
      expect(() => loadSecretKey({ keyFile })).toThrow(SecretKeyError);
      expect(loadSecretKey({ keyFile, envKey: key(3).toString('base64') })).toEqual({
        key: key(3),
        origin: 'KRA_SECRET_KEY',
      });
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
