import { inert, inertLines, inertOneLine } from '../../src/github/inert-text.js';
import { HOSTILE_STRINGS, runnerCommands } from '../support/runner-commands.js';
import { seeded } from '../support/seeded-random.js';

const PIECES = [
  '::',
  ':',
  '#',
  '##',
  '[',
  ']',
  '##[',
  'add-mask',
  'error',
  'stop-commands',
  ' ',
  '\t',
  '\r',
  '\n',
  '\r\n',
  '\u2028',
  '\u0085',
  '\u00a0',
  'x',
  '%0A',
  '\u001b',
];

describe('the runner command parser port', () => {
  it('finds both command forms, honours stop-commands, and splits on a lone CR', () => {
    const out = [
      '::add-mask::a',
      'x ##[add-mask]b',
      '  ::error file=f,line=2::c',
      '::stop-commands::tok',
      '::error::ignored',
      '::tok::',
      'y\r::warning::d',
    ].join('\n');
    expect(runnerCommands(out).map((c) => `${c.name}:${c.data}`)).toEqual([
      'add-mask:a',
      'add-mask:b',
      'error:c',
      'stop-commands:tok',
      'warning:d',
    ]);
  });
});

describe('inert', () => {
  it.each(HOSTILE_STRINGS)('makes %j print as text, alone and inside a line', (s) => {
    for (const line of [inert(s), `  ${inert(s)}`, `prefix ${inert(s)} suffix`, `${inert(s)}${inert(s)}`]) {
      expect(runnerCommands(line)).toEqual([]);
    }
  });

  it('keeps ordinary text as it is', () => {
    expect(inert('resources/datomic/ion-config.edn')).toBe('resources/datomic/ion-config.edn');
    expect(inert('arn:aws:iam::123456789012:role/deploy')).toBe('arn:aws:iam::123456789012:role/deploy');
    expect(inert('tab\there')).toBe('tab\there');
  });

  it('shows line breaks and control characters escaped', () => {
    expect(inert('a\r\nb\rc\nd\u001be\u2028')).toBe('a\\nb\\rc\\nd\\x1be\\u2028');
  });

  it('shortens to maxLength with an ellipsis', () => {
    expect(inert('abcdefgh', 5)).toBe('abcd…');
  });

  it('never lets concatenated pieces form a command (10,000 seeded cases)', () => {
    const random = seeded(7);
    for (let n = 0; n < 10_000; n++) {
      const piece = () => Array.from({ length: 1 + Math.floor(random() * 6) }, () => PIECES[Math.floor(random() * PIECES.length)]).join('');
      const own = [' ', '  ', '', 'x ', ': '][Math.floor(random() * 5)]!;
      const line = `${own}${inert(piece())}${inert(piece())}${random() < 0.5 ? ' ' : ''}${inert(piece())}`;
      const found = runnerCommands(line);
      if (found.length) throw new Error(`case ${n}: ${JSON.stringify(line)} gives ${JSON.stringify(found)}`);
    }
  });
});

describe('inertLines', () => {
  it('keeps each line, each inert', () => {
    const lines = inertLines('ok\n::error::x\r##[add-mask]y\n');
    expect(lines).toHaveLength(3);
    expect(lines[0]).toBe('ok');
    expect(runnerCommands(lines.join('\n'))).toEqual([]);
  });

  it('keeps the last maxLines', () => {
    expect(inertLines('1\n2\n3', 2)).toEqual(['2', '3']);
  });
});

describe('inertOneLine', () => {
  it('collapses white space and shortens', () => {
    expect(inertOneLine('  a\n\n b  ', 10)).toBe('a b');
  });
});
