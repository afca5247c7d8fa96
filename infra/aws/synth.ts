import { resolve } from 'node:path';
import { buildApp, projectRoot } from './app.ts';

// Offline synthesis: no credentials, no network, no CLI. Output goes to cdk.out (or CDK_OUTDIR).
process.env['CDK_DISABLE_CLI_TELEMETRY'] ??= 'true';
const outdir = resolve(projectRoot, process.env['CDK_OUTDIR'] ?? 'cdk.out');
const { app } = buildApp({ outdir });
const assembly = app.synth();
for (const stack of assembly.stacks)
  console.log(`synthesized ${stack.stackName} -> ${stack.templateFullPath}`);
