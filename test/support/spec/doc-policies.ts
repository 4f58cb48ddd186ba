/**
 * The IAM the docs show users: policy documents in code blocks (JSON, or a shell heredoc writing
 * JSON), and action names in prose and tables (`codedeploy:GetDeployment`, and the bare names that
 * follow one in a list: "`states:StartExecution`, `ListExecutions`").
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, SAMPLE } from './cfn-template.js';

export type Any = any; // a policy document

export const POLICY_DOCS = ['README.md', 'docs/infra.md'];

export interface DocPolicy {
  where: string;
  document: Any;
}

/** Policy documents in the file's code blocks; shell variables ($ACCOUNT, …) become sample values. */
export function docPolicies(file: string, text = readFileSync(join(ROOT, file), 'utf8')): DocPolicy[] {
  const out: DocPolicy[] = [];
  for (const block of text.matchAll(/^```(\w*)\n([\s\S]*?)^```/gm)) {
    const line = text.slice(0, block.index).split('\n').length;
    const bodies = block[1] === 'json' ? [block[2]!] : [...block[2]!.matchAll(/<<-?'?(\w+)'?\n([\s\S]*?)^\1$/gm)].map((m) => m[2]!);
    for (const body of bodies) {
      if (!body.includes('"Statement"')) continue;
      const filled = body.replace(/\$\{?ACCOUNT\}?/g, SAMPLE.account).replace(/\$\{?(AWS_)?REGION\}?/g, SAMPLE.region);
      out.push({ where: `${file}:${line}`, document: JSON.parse(filled) });
    }
  }
  return out;
}

/** Actions the prose names, with their line: `svc:Action`, and bare `Action`s listed right after one. */
export function docActions(file: string, text = readFileSync(join(ROOT, file), 'utf8')): { where: string; action: string }[] {
  const out: { where: string; action: string }[] = [];
  const lines = text.split('\n');
  lines.forEach((line, i) => {
    const re = /`([a-z0-9-]+):([A-Z][A-Za-z0-9]*)`((?:\s*(?:,|\/|and|or)\s*`[A-Z][A-Za-z0-9]*`)*)/g;
    for (const m of line.matchAll(re)) {
      out.push({ where: `${file}:${i + 1}`, action: `${m[1]}:${m[2]}` });
      for (const bare of m[3]!.matchAll(/`([A-Z][A-Za-z0-9]*)`/g)) out.push({ where: `${file}:${i + 1}`, action: `${m[1]}:${bare[1]}` });
    }
  });
  return out;
}

/** The actions in the first column of the table under a heading (docs/infra.md "What the workflow policy grants"). */
export function tableActions(file: string, heading: RegExp, text = readFileSync(join(ROOT, file), 'utf8')): string[] {
  const start = text.split('\n').findIndex((l) => /^#+ /.test(l) && heading.test(l));
  if (start < 0) return [];
  const rows: string[] = [];
  for (const line of text.split('\n').slice(start + 1)) {
    if (/^#+ /.test(line)) break;
    if (line.startsWith('|') && !/^\|\s*-/.test(line)) rows.push(line.split('|')[1] ?? '');
  }
  return rows.flatMap((cell) => docActions(file, cell).map((a) => a.action));
}
