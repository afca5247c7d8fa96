import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { projectRoot } from '../../infra/local/settings.ts';

/**
 * The dependency rule of the layout: the domain imports only the domain, ports only the domain and
 * ports, adapters neither handlers nor the API, handlers not the API. A lower layer that reached up
 * would tie the workflow contract to one of its users.
 */
const allowed: Record<string, readonly string[]> = {
  'functions/domain': ['functions/domain'],
  'functions/ports': ['functions/domain', 'functions/ports'],
  'functions/adapters': [
    'functions/domain',
    'functions/ports',
    'functions/adapters',
    'infra/resources.ts',
    'workflows',
  ],
  'functions/handlers': [
    'functions/domain',
    'functions/ports',
    'functions/adapters',
    'functions/handlers',
    'infra/resources.ts',
    'workflows',
    'docroute.config.json',
  ],
};

function sourceFiles(folder: string): string[] {
  return readdirSync(join(projectRoot, folder), { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.ts'))
    .map((entry) => relative(projectRoot, join(entry.parentPath, entry.name)));
}

function projectImportsOf(file: string): string[] {
  const text = readFileSync(join(projectRoot, file), 'utf8');
  return [...text.matchAll(/^\s*(?:import|export)[^'"]*from\s+'(\.[^']+)'/gm)].map((match) =>
    relative(projectRoot, resolve(projectRoot, file, '..', match[1] ?? '')),
  );
}

describe('layers', () => {
  for (const [layer, targets] of Object.entries(allowed)) {
    it(`${layer} imports only ${targets.join(', ')}`, () => {
      const reachingUp = sourceFiles(layer).flatMap((file) =>
        projectImportsOf(file)
          .filter(
            (target) =>
              !targets.some(
                (allowedTarget) => target === allowedTarget || target.startsWith(`${allowedTarget}/`),
              ),
          )
          .map((target) => `${file} -> ${target}`),
      );
      expect(reachingUp).toEqual([]);
    });
  }
});
