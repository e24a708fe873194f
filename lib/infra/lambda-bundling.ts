import { join } from 'node:path';
import { type BundlingOptions, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';

/** Packages the bundles leave out: provided by the Lambda runtime, optional, or never used there. */
export const BUNDLE_EXTERNALS = [
  // The Node.js 22 runtime ships AWS SDK v3.
  '@aws-sdk/*',
  // Optional plugins of @cyclonedx/cyclonedx-library (XML), and of minipass-fetch (legacy charsets).
  'xmlbuilder2',
  'libxmljs2',
  'iconv-lite',
];

/** Where a bundle keeps the CycloneDX library's resources (see the banner). */
const CYCLONEDX_DIR = 'cyclonedx';

/**
 * How every platform function is bundled: esbuild on this machine (no Docker), ESM for Node 22,
 * minified. The gate reads `policy/` and `schema/` at run time from the package root, which
 * lib/paths finds by a `package.json` named maestro-conductor: the bundle carries all three.
 */
export function bundlingOptions(root: string): BundlingOptions {
  return {
    forceDockerBundling: false,
    format: OutputFormat.ESM,
    target: 'node22',
    minify: true,
    sourceMap: false,
    mainFields: ['module', 'main'],
    externalModules: BUNDLE_EXTERNALS,
    // CommonJS dependencies call require() and read __dirname / __filename; ESM output has
    // neither, so the banner defines them. The one reader of __dirname, the CycloneDX library,
    // finds its JSON schemas at `__dirname/../res/schema`: CYCLONEDX_DIR is where they are copied.
    banner: `import{createRequire as __mcRequire}from'module';const require=__mcRequire(import.meta.url),__filename=import.meta.filename,__dirname=import.meta.dirname+'/${CYCLONEDX_DIR}/dist';`,
    esbuildArgs: {
      '--alias:make-fetch-happen': join(root, 'lib/infra/bundling/no-network-fetch.cjs'),
      '--legal-comments': 'none',
    },
    commandHooks: {
      beforeBundling: () => [],
      beforeInstall: () => [],
      afterBundling: (inputDir: string, outputDir: string) => [
        `cp -R "${inputDir}/policy" "${outputDir}/policy"`,
        `cp -R "${inputDir}/schema" "${outputDir}/schema"`,
        `printf '%s' '{"name":"maestro-conductor","type":"module","private":true}' > "${outputDir}/package.json"`,
        // The official CycloneDX JSON schemas the SBOM validation reads (not its XML ones).
        `mkdir -p "${outputDir}/${CYCLONEDX_DIR}/res/schema"`,
        `cp "${inputDir}"/node_modules/@cyclonedx/cyclonedx-library/res/schema/*.json "${outputDir}/${CYCLONEDX_DIR}/res/schema/"`,
      ],
    },
  };
}
