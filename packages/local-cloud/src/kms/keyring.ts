/**
 * Symmetric KMS keys in memory, with AWS's semantics where callers can see them: a ciphertext names
 * its key, decrypting needs the same encryption context it was made with, and a wrong context or a
 * tampered blob is InvalidCiphertextException. AES-256-GCM with the canonical context as AAD.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

export class KmsError extends Error {
  constructor(
    readonly type: string,
    message: string,
  ) {
    super(message);
  }
}

interface Key {
  id: string;
  arn: string;
  material: Buffer;
  description?: string;
}

const VERSION = 1;

/** The context as authenticated data: key order must not matter, as in KMS. */
const aad = (context: Record<string, string> | undefined): Buffer =>
  Buffer.from(JSON.stringify(Object.entries(context ?? {}).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))));

export class Keyring {
  private readonly keys = new Map<string, Key>();
  private readonly aliases = new Map<string, string>();

  constructor(
    private readonly account: string,
    private readonly region: string,
  ) {}

  addKey(id: string, description?: string): string {
    const arn = `arn:aws:kms:${this.region}:${this.account}:key/${id}`;
    this.keys.set(id, { id, arn, material: randomBytes(32), ...(description ? { description } : {}) });
    return arn;
  }

  addAlias(alias: string, keyId: string): void {
    if (!this.keys.has(this.find(keyId).id))
      throw new KmsError('NotFoundException', `Key ${keyId} does not exist`);
    this.aliases.set(alias.startsWith('alias/') ? alias : `alias/${alias}`, this.find(keyId).id);
  }

  /** A key by id, key ARN, alias name or alias ARN, as KeyId accepts. */
  find(keyId: string): Key {
    let id = keyId;
    const aliasMatch = /^(?:arn:aws:kms:[^:]+:[^:]+:)?(alias\/.+)$/.exec(keyId);
    if (aliasMatch) id = this.aliases.get(aliasMatch[1]!) ?? '';
    else if (keyId.startsWith('arn:')) id = keyId.split('/').at(-1) ?? '';
    const key = this.keys.get(id);
    if (!key) throw new KmsError('NotFoundException', `Key '${keyId}' does not exist`);
    return key;
  }

  encrypt(
    keyId: string,
    plaintext: Buffer,
    context?: Record<string, string>,
  ): { blob: Buffer; keyArn: string } {
    if (plaintext.length === 0 || plaintext.length > 4096) {
      throw new KmsError('ValidationException', 'Plaintext must be 1 to 4096 bytes');
    }
    const key = this.find(keyId);
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', key.material, iv).setAAD(aad(context));
    const body = Buffer.concat([cipher.update(plaintext), cipher.final()]);
    const id = Buffer.from(key.id, 'utf8');
    const blob = Buffer.concat([Buffer.from([VERSION, id.length]), id, iv, cipher.getAuthTag(), body]);
    return { blob, keyArn: key.arn };
  }

  decrypt(
    blob: Buffer,
    context?: Record<string, string>,
    expectedKeyId?: string,
  ): { plaintext: Buffer; keyArn: string } {
    const invalid = () =>
      new KmsError(
        'InvalidCiphertextException',
        'The ciphertext is invalid or was encrypted under another context',
      );
    if (blob.length < 2 || blob[0] !== VERSION) throw invalid();
    const idLength = blob[1]!;
    const id = blob.subarray(2, 2 + idLength).toString('utf8');
    const key = this.keys.get(id);
    if (!key) throw invalid();
    if (expectedKeyId !== undefined && this.find(expectedKeyId).id !== key.id) {
      throw new KmsError('IncorrectKeyException', 'The ciphertext was encrypted under another key');
    }
    const start = 2 + idLength;
    const iv = blob.subarray(start, start + 12);
    const tag = blob.subarray(start + 12, start + 28);
    try {
      const decipher = createDecipheriv('aes-256-gcm', key.material, iv).setAAD(aad(context));
      decipher.setAuthTag(tag);
      const plaintext = Buffer.concat([decipher.update(blob.subarray(start + 28)), decipher.final()]);
      return { plaintext, keyArn: key.arn };
    } catch {
      throw invalid();
    }
  }

  generateDataKey(keyId: string, bytes: number, context?: Record<string, string>) {
    const plaintext = randomBytes(bytes);
    return { plaintext, ...this.encrypt(keyId, plaintext, context) };
  }
}
