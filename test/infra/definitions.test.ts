import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import aslValidator from 'asl-validator';
import { describe, expect, it } from 'vitest';
import { projectRoot } from '../../infra/aws/app.ts';
import { placeholderOf, substitute, workflows } from '../../workflows/registry.ts';

/** Every definition passes the Amazon States Language validator, as written and as deployed. */

const read = (file: string) => readFileSync(join(projectRoot, file), 'utf8');
const functionArn = (taskId: string) =>
  `arn:aws:lambda:eu-central-1:123456789012:function:docroute-${taskId}`;

describe('workflow definitions', () => {
  for (const workflow of workflows) {
    it(`GIVEN ${workflow.definitionFile} THEN it is valid ASL with its placeholders, and once they are bound`, () => {
      const text = read(workflow.definitionFile);
      const asWritten = aslValidator(JSON.parse(text));
      expect(asWritten.errorsText('\n'), workflow.name).toBe('');
      expect(asWritten.isValid).toBe(true);

      const bound = substitute(
        text,
        Object.fromEntries(workflow.tasks.map((t) => [placeholderOf(t.id), functionArn(t.id)])),
      );
      expect(bound).not.toMatch(/\$\{[A-Za-z0-9]+\}/);
      const deployed = aslValidator(JSON.parse(bound));
      expect(deployed.errorsText('\n'), workflow.name).toBe('');
      expect(deployed.isValid).toBe(true);
    });
  }

  it('GIVEN a definition with a dangling Next THEN the validator refuses it (the check is live)', () => {
    const broken = aslValidator({
      StartAt: 'A',
      States: {
        A: { Type: 'Task', Resource: 'arn:aws:lambda:eu-central-1:123456789012:function:a', Next: 'Missing' },
      },
    });
    expect(broken.isValid).toBe(false);
    expect(broken.errorsText('\n')).toContain('Missing');
  });
});
