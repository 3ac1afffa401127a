import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { SecretUnreadableError } from '../../ports';
import type { SecretBox } from '../../ports';

const PREFIX = 'kra1';
const KEY_BYTES = 32;
const IV_BYTES = 12;

/** KRA_SECRET_KEY, KRA_SECRET_KEY_PREVIOUS or the key file is not a usable key. */
export class SecretKeyError extends Error {}

/** A key id stored with each value, so a value sealed under an older key can still be opened. */
function keyId(key: Buffer): string {
  return createHash('sha256').update(key).digest('hex').slice(0, 8);
}

/** A 32-byte key given as base64 (44 characters) or hex (64 characters). */
export function parseSecretKey(text: string, name: string): Buffer {
  const trimmed = text.trim();
  const key = /^[0-9a-fA-F]{64}$/.test(trimmed)
    ? Buffer.from(trimmed, 'hex')
    : Buffer.from(trimmed, 'base64');
  if (
    key.length !== KEY_BYTES ||
    (!/^[0-9a-fA-F]{64}$/.test(trimmed) && key.toString('base64') !== trimmed)
  ) {
    throw new SecretKeyError(
      `${name} must be 32 random bytes as base64 (44 characters) or hex (64 characters); generate one with: openssl rand -base64 32`,
    );
  }
  return key;
}

export function generateSecretKey(): string {
  return randomBytes(KEY_BYTES).toString('base64');
}

/**
 * The key from KRA_SECRET_KEY, else from `<dataDir>/secret.key`, created (mode 0600) on first use.
 * Back up that file with the database: without it the stored secrets cannot be read.
 */
export function loadSecretKey(options: { envKey?: string; keyFile: string }): {
  key: Buffer;
  origin: string;
} {
  if (options.envKey)
    return { key: parseSecretKey(options.envKey, 'KRA_SECRET_KEY'), origin: 'KRA_SECRET_KEY' };
  fs.mkdirSync(path.dirname(options.keyFile), { recursive: true });
  try {
    fs.writeFileSync(options.keyFile, `${generateSecretKey()}\n`, { mode: 0o600, flag: 'wx' });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  const mode = fs.statSync(options.keyFile).mode & 0o777;
  if (mode & 0o077) {
    throw new SecretKeyError(
      `${options.keyFile} is readable by other users (mode ${mode.toString(8)}); run: chmod 600 ${options.keyFile}`,
    );
  }
  return {
    key: parseSecretKey(fs.readFileSync(options.keyFile, 'utf8'), options.keyFile),
    origin: options.keyFile,
  };
}

/** AES-256-GCM: `kra1.<key id>.<iv>.<tag>.<ciphertext>`, base64url parts; a fresh IV per value. */
export class AesGcmSecretBox implements SecretBox {
  private readonly currentId: string;
  private readonly keys = new Map<string, Buffer>();

  constructor(current: Buffer, previous: Buffer[] = []) {
    this.currentId = keyId(current);
    for (const key of [current, ...previous]) this.keys.set(keyId(key), key);
  }

  seal(plaintext: string): string {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.keys.get(this.currentId)!, iv);
    const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return [
      PREFIX,
      this.currentId,
      iv.toString('base64url'),
      cipher.getAuthTag().toString('base64url'),
      ciphertext.toString('base64url'),
    ].join('.');
  }

  open(sealed: string): string {
    const [prefix, id, iv, tag, ciphertext] = sealed.split('.');
    if (prefix !== PREFIX || !id || iv === undefined || tag === undefined || ciphertext === undefined) {
      throw new SecretUnreadableError('a stored secret is not in the expected format');
    }
    const key = this.keys.get(id);
    if (!key) {
      throw new SecretUnreadableError(
        `a stored secret was encrypted with key ${id}, which is not configured; set KRA_SECRET_KEY (or KRA_SECRET_KEY_PREVIOUS while rotating) to that key`,
      );
    }
    try {
      const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'));
      decipher.setAuthTag(Buffer.from(tag, 'base64url'));
      return Buffer.concat([
        decipher.update(Buffer.from(ciphertext, 'base64url')),
        decipher.final(),
      ]).toString('utf8');
    } catch {
      throw new SecretUnreadableError(
        `a stored secret (key ${id}) failed its integrity check: it was altered or the key is wrong`,
      );
    }
  }

  isCurrent(sealed: string): boolean {
    return sealed.split('.')[1] === this.currentId;
  }
}
