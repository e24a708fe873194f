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
    // CommonJS dependencies call require(); ESM output needs one made for it.
    banner: "import{createRequire as __mcRequire}from'module';const require=__mcRequire(import.meta.url);",
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
      ],
    },
  };
}
