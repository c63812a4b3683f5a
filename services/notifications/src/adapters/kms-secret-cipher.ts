import { DecryptCommand, EncryptCommand, type KMSClient } from '@aws-sdk/client-kms';
import type { SecretCipher } from '../subscriptions/signing-secrets';

/**
 * Webhook secrets under the service's KMS key, with an encryption context binding each to its
 * tenant and subscription (KMS refuses to decrypt under any other context, and CloudTrail logs it).
 */
export class KmsSecretCipher implements SecretCipher {
  constructor(
    private readonly kms: KMSClient,
    private readonly keyId: string,
  ) {}

  async encrypt(plaintext: Uint8Array, context: Record<string, string>): Promise<string> {
    const out = await this.kms.send(
      new EncryptCommand({ KeyId: this.keyId, Plaintext: plaintext, EncryptionContext: context }),
    );
    if (!out.CiphertextBlob) throw new Error('KMS returned no ciphertext');
    return Buffer.from(out.CiphertextBlob).toString('base64');
  }

  async decrypt(ciphertext: string, context: Record<string, string>): Promise<Uint8Array> {
    const out = await this.kms.send(
      new DecryptCommand({
        // Naming the key makes KMS refuse a ciphertext made under any other key.
        KeyId: this.keyId,
        CiphertextBlob: Buffer.from(ciphertext, 'base64'),
        EncryptionContext: context,
      }),
    );
    if (!out.Plaintext) throw new Error('KMS returned no plaintext');
    return out.Plaintext;
  }
}
