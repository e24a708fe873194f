import type { S3Client } from '@aws-sdk/client-s3';
import { EvidenceStore, type RunOpening, writeRunOpening } from '../evidence/index.js';
import { awsFailure } from './private/aws-failure.js';

// The CI role may only put objects under its pipelines' runs (s3:PutObject on runs/<pipeline>/*),
// so it cannot ask whether a key exists (HeadObject needs s3:GetObject): write-once rests on S3's
// conditional put alone (If-None-Match: *), where a key already written answers PreconditionFailed
// and the first write stands.
class PutOnlyEvidenceStore extends EvidenceStore {
  override async exists(): Promise<boolean> {
    return false;
  }
}

/**
 * `mc run --remote`'s share of the run's evidence: the opening objects the local engine writes
 * (`writeRunOpening`), in the bucket the deployed functions read, before the execution starts.
 */
export async function writeRemoteRunOpening(
  s3: S3Client,
  bucket: string,
  prefix: string,
  opening: RunOpening,
): Promise<string[]> {
  try {
    return await writeRunOpening(new PutOnlyEvidenceStore(s3, bucket), prefix, opening);
  } catch (error) {
    throw awsFailure(`PutObject under s3://${bucket}/${prefix}`, error, 'S3');
  }
}
