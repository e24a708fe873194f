import { Command, CommanderError } from 'commander';
import { McError } from '../errors/index.js';
import { UsageError } from './errors.js';
import { registerGate } from './gate.js';
import { registerImageAdmission } from './images-admit.js';
import { registerImageSigning } from './images-sign.js';
import { registerImageVerify } from './images-verify.js';
import { registerInit } from './init.js';
import { type CliIO, EXIT } from './io.js';
import { registerLogs } from './logs.js';
import { registerMigrate } from './migrate.js';
import { registerPlan } from './plan.js';
import { registerPolicy } from './policy.js';
import { registerRender } from './render.js';
import { registerRun } from './run.js';
import { registerSbom } from './sbom.js';
import { registerScan } from './scan.js';
import { registerSigning } from './sign.js';
import { registerStatus } from './status.js';
import { registerValidate } from './validate.js';
import { registerVerify } from './verify.js';
import { registerWaiver } from './waiver.js';

declare const MC_VERSION: string | undefined;

/** Runs `mc` with `argv` (without node and script) and returns the exit code. Never calls process.exit. */
export async function runCli(argv: readonly string[], io: CliIO): Promise<number> {
  let code: number = EXIT.ok;
  const exit = (c: number) => {
    code = c;
  };
  const program = new Command('mc')
    .description('Maestro Conductor: declarative pipelines to signed, attested, policy-checked artifacts')
    .version(typeof MC_VERSION === 'string' ? MC_VERSION : 'dev', '-V, --version')
    .showSuggestionAfterError(true)
    .exitOverride()
    .configureOutput({ writeOut: io.stdout, writeErr: io.stderr });
  const commands = [
    registerInit,
    registerValidate,
    registerPlan,
    registerMigrate,
    registerRender,
    registerRun,
    registerStatus,
    registerLogs,
    registerSbom,
    registerScan,
    registerGate,
    registerPolicy,
    registerWaiver,
    registerSigning,
    registerVerify,
    registerImageSigning,
    registerImageVerify,
    registerImageAdmission,
  ];
  for (const register of commands) register(program, io, exit);
  const configure = (command: Command): void => {
    command.exitOverride().configureOutput({ writeOut: io.stdout, writeErr: io.stderr });
    command.commands.forEach(configure);
  };
  program.commands.forEach(configure);
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return code;
  } catch (error) {
    if (error instanceof CommanderError) {
      // --help and --version end here with exit code 0; anything else is a usage error.
      return error.exitCode === 0 ? EXIT.ok : EXIT.usage;
    }
    if (error instanceof UsageError) {
      io.stderr(`mc: ${error.message}\n`);
      return EXIT.usage;
    }
    const message = error instanceof McError || error instanceof Error ? error.message : String(error);
    io.stderr(`mc: ${message}\n`);
    if (io.env.MC_DEBUG && error instanceof Error) io.stderr(`${error.stack}\n`);
    return EXIT.failed;
  }
}
