import {
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  type S3Client,
} from '@aws-sdk/client-s3';

/**
 * Evidence in S3, written once per key: a put never replaces an object. S3 itself enforces it
 * (`If-None-Match: *`); the existence check before it covers stores that ignore the header
 * (s3rver, the local stand-in) for writes that do not race. Keys carry the attempt, so retries
 * and resumes add objects instead of overwriting them.
 */
export class EvidenceStore {
  constructor(
    private readonly client: S3Client,
    readonly bucket: string,
  ) {}

  /** True when written, false when the key existed (the first write stands). */
  async putOnce(
    key: string,
    body: string | Uint8Array,
    contentType = 'application/octet-stream',
  ): Promise<boolean> {
    // Keys are a layout, not paths: `.` and `..` segments would escape it on a file-backed store.
    if (key.split('/').some((segment) => segment === '.' || segment === '..'))
      throw new Error(`evidence key ${key} has a . or .. segment`);
    if (await this.exists(key)) return false;
    try {
      await this.client.send(
        new PutObjectCommand({
          Bucket: this.bucket,
          Key: key,
          Body: body,
          ContentType: contentType,
          IfNoneMatch: '*',
        }),
      );
      return true;
    } catch (error) {
      if ((error as { name?: string }).name === 'PreconditionFailed') return false;
      throw error;
    }
  }

  async putJsonOnce(key: string, value: unknown): Promise<boolean> {
    return this.putOnce(key, `${JSON.stringify(value, null, 2)}\n`, 'application/json');
  }

  async exists(key: string): Promise<boolean> {
    try {
      await this.client.send(new HeadObjectCommand({ Bucket: this.bucket, Key: key }));
      return true;
    } catch (error) {
      const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
      if (status === 404 || (error as { name?: string }).name === 'NotFound') return false;
      throw error;
    }
  }

  async get(key: string): Promise<Uint8Array | undefined> {
    try {
      const { Body } = await this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key: key }));
      return Body ? await Body.transformToByteArray() : undefined;
    } catch (error) {
      if ((error as { name?: string }).name === 'NoSuchKey') return undefined;
      throw error;
    }
  }

  async getText(key: string): Promise<string | undefined> {
    const bytes = await this.get(key);
    return bytes ? Buffer.from(bytes).toString('utf8') : undefined;
  }

  async getJson<T>(key: string): Promise<T | undefined> {
    const text = await this.getText(key);
    return text === undefined ? undefined : (JSON.parse(text) as T);
  }

  /** Keys under a prefix, in lexical order. */
  async list(prefix: string): Promise<string[]> {
    const keys: string[] = [];
    let token: string | undefined;
    do {
      const page = await this.client.send(
        new ListObjectsV2Command({ Bucket: this.bucket, Prefix: prefix, ContinuationToken: token }),
      );
      for (const object of page.Contents ?? []) if (object.Key) keys.push(object.Key);
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
    return keys.sort();
  }
}
