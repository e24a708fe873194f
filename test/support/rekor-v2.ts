import { createHash, type KeyObject, sign } from 'node:crypto';
import { CreateEntryRequest, Entry } from '@sigstore/protobuf-specs/rekor/v2';

/**
 * A Rekor v2 stand-in: each entry is logged alone in a new one-leaf tree whose checkpoint the log
 * key signs, and its canonical body is the v2 `Entry` the request describes, as Rekor v2 writes
 * it. (@sigstore/mock's v2 handler logs the request itself and numbers the entry at random, which
 * no verifier accepts.) Answers like `POST /api/v2/log/entries`.
 */
export function rekorV2Log(origin: string, publicKeyDer: Buffer, privateKey: KeyObject) {
  const logId = createHash('sha256').update(publicKeyDer).digest();
  return async (requestBody: string) => {
    const request = CreateEntryRequest.fromJSON(JSON.parse(requestBody));
    const spec = request.spec;
    if (!spec) return { statusCode: 400, response: 'no spec' };
    const entry: Entry =
      spec.$case === 'hashedRekordRequestV002'
        ? {
            kind: 'hashedrekord',
            apiVersion: '0.0.2',
            spec: {
              spec: {
                $case: 'hashedRekordV002',
                hashedRekordV002: {
                  data: { algorithm: 1, digest: spec.hashedRekordRequestV002.digest },
                  signature: spec.hashedRekordRequestV002.signature,
                },
              },
            },
          }
        : {
            kind: 'dsse',
            apiVersion: '0.0.2',
            spec: {
              spec: {
                $case: 'dsseV002',
                dsseV002: {
                  payloadHash: {
                    algorithm: 1,
                    digest: createHash('sha256')
                      .update(spec.dsseRequestV002.envelope?.payload ?? Buffer.alloc(0))
                      .digest(),
                  },
                  signatures: (spec.dsseRequestV002.envelope?.signatures ?? []).map((s) => ({
                    content: s.sig,
                    verifier: spec.dsseRequestV002.verifiers[0],
                  })),
                },
              },
            },
          };
    const body = Buffer.from(JSON.stringify(Entry.toJSON(entry)));
    const rootHash = createHash('sha256')
      .update(Buffer.from([0]))
      .update(body)
      .digest();
    const note = `${origin}\n1\n${rootHash.toString('base64')}\n`;
    const signature = Buffer.concat([logId.subarray(0, 4), sign('sha256', Buffer.from(note), privateKey)]);
    const checkpoint = `${note}\n\u2014 ${origin} ${signature.toString('base64')}\n`;
    const response = {
      logIndex: '0',
      logId: { keyId: logId.toString('base64') },
      kindVersion: { kind: entry.kind, version: '0.0.2' },
      integratedTime: '0',
      canonicalizedBody: body.toString('base64'),
      inclusionProof: {
        logIndex: '0',
        rootHash: rootHash.toString('base64'),
        treeSize: '1',
        hashes: [],
        checkpoint: { envelope: checkpoint },
      },
    };
    return { statusCode: 201, response: JSON.stringify(response), contentType: 'application/json' };
  };
}
