// Generates lib/pipeline/types.generated.ts from the JSON Schema, the one definition of the format.
// `--check` fails when the committed file is stale (run by the tests).
import { readFileSync, writeFileSync } from 'node:fs';
import { compile } from 'json-schema-to-typescript';

const schemaPath = new URL('../schema/buildpipeline.v27.1.json', import.meta.url);
const outPath = new URL('../lib/pipeline/types.generated.ts', import.meta.url);

export async function generate() {
  const schema = JSON.parse(readFileSync(schemaPath, 'utf8'));
  return compile(schema, 'BuildPipeline', {
    bannerComment:
      '/* Generated from schema/buildpipeline.v27.1.json by scripts/gen-types.mjs. Do not edit. */',
    additionalProperties: false,
    unreachableDefinitions: true,
    format: false,
    style: { singleQuote: true },
  });
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const text = await generate();
  if (process.argv.includes('--check')) {
    if (readFileSync(outPath, 'utf8') !== text) {
      console.error('lib/pipeline/types.generated.ts is stale: run npm run gen:types');
      process.exit(1);
    }
  } else {
    writeFileSync(outPath, text);
  }
}
