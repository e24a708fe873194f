// Minimal types for the embedded AWS stand-ins (the packages ship none).

declare module 'dynalite' {
  import type { Server } from 'node:http';

  interface DynaliteOptions {
    path?: string;
    createTableMs?: number;
    deleteTableMs?: number;
    updateTableMs?: number;
  }
  export default function dynalite(options?: DynaliteOptions): Server;
}

declare module 's3rver' {
  import type { AddressInfo } from 'node:net';

  interface S3rverOptions {
    port?: number;
    address?: string;
    silent?: boolean;
    directory: string;
    resetOnClose?: boolean;
    configureBuckets?: { name: string }[];
  }
  export default class S3rver {
    constructor(options: S3rverOptions);
    run(): Promise<AddressInfo>;
    close(): Promise<void>;
  }
}

declare module 'asl-validator' {
  interface ValidationResult {
    isValid: boolean;
    errors: { message?: string; [key: string]: unknown }[];
  }
  export default function validator(
    definition: unknown,
    options?: { checkArn?: boolean; checkPaths?: boolean },
  ): ValidationResult;
}

declare module 'spdx-expression-parse' {
  /** Parses an SPDX license expression; throws when it is not one (all mc needs of it). */
  export default function parse(expression: string): unknown;
}
