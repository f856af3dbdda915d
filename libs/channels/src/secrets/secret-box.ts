import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

const ALGORITHM = 'aes-256-gcm';
const KEY_BYTES = 32;
const IV_BYTES = 12;
const FORMAT = 'v1';

export class SecretBoxError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SecretBoxError';
  }
}

/**
 * Seals channel secrets for the event log with AES-256-GCM: what the log holds is
 * `v1:<iv>:<tag>:<ciphertext>` (base64url), which reveals nothing without the key and cannot be
 * altered unnoticed. The key comes from configuration and never leaves the process.
 */
export class SecretBox {
  private constructor(private readonly key: Buffer) {}

  /** `key` is 32 bytes, written as base64 or base64url. */
  static fromBase64Key(key: string): SecretBox {
    const bytes = Buffer.from(key.trim(), 'base64');
    if (bytes.length !== KEY_BYTES) throw new SecretBoxError(`the key must be ${KEY_BYTES} bytes written in base64`);
    return new SecretBox(bytes);
  }

  static generateKey(): string {
    return randomBytes(KEY_BYTES).toString('base64url');
  }

  seal(secrets: Record<string, string>): string {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv(ALGORITHM, this.key, iv);
    const ciphertext = Buffer.concat([cipher.update(JSON.stringify(secrets), 'utf8'), cipher.final()]);
    return [FORMAT, iv, cipher.getAuthTag(), ciphertext]
      .map((part) => (typeof part === 'string' ? part : part.toString('base64url')))
      .join(':');
  }

  /** Fails with SecretBoxError for another key's seal or a tampered one; the message holds no secret. */
  open(sealed: string): Record<string, string> {
    const [format, iv, tag, ciphertext, ...rest] = sealed.split(':');
    if (format !== FORMAT || ciphertext === undefined || rest.length > 0) throw new SecretBoxError('not a sealed secret of this service');
    try {
      const decipher = createDecipheriv(ALGORITHM, this.key, Buffer.from(iv, 'base64url'));
      decipher.setAuthTag(Buffer.from(tag, 'base64url'));
      const plain = Buffer.concat([decipher.update(Buffer.from(ciphertext, 'base64url')), decipher.final()]);
      return JSON.parse(plain.toString('utf8')) as Record<string, string>;
    } catch {
      throw new SecretBoxError('the sealed secrets cannot be opened with this key (another key, or altered)');
    }
  }
}

/** Nest injection token of the process's `SecretBox`. */
export const CHANNEL_SECRETS = Symbol('CHANNEL_SECRETS');
