/**
 * Small files are deflated with a window just large enough for them (zip-writer.ts, windowBitsFor):
 * the compressed bytes must be those of zlib's default 32 KiB window, or every directory zip (and so
 * its content address) would change. Sizes around every window's edge, random and repetitive bytes.
 */
import { randomBytes } from 'node:crypto';
import { deflateRawSync } from 'node:zlib';
import { windowBitsFor } from '../../src/core/content/zip-writer.js';

const contents: Record<string, (length: number) => Buffer> = {
  random: (length) => randomBytes(length),
  'short period': (length) => Buffer.from(Array.from({ length }, (_, i) => 'abcdefgh'[(i * 7 + (i >> 5)) % 8]).join('')),
  'long period': (length) => {
    const source = randomBytes(61);
    return Buffer.from(Array.from({ length }, (_, i) => source[(i * 13) % 61]! ^ (i % 251 === 0 ? 1 : 0)));
  },
  'source-like': (length) =>
    Buffer.from(
      `(ns app.core (:require [clojure.string :as str]))\n(defn f [x] (str/join "," (map inc x)))\n;; ${randomBytes(6).toString('hex')}\n`
        .repeat(Math.ceil(length / 90) + 1)
        .slice(0, length),
    ),
};

const edges = [0, 1, 2, 100, 250, 1000];
for (let bits = 9; bits <= 15; bits++) for (const d of [-2, -1, 0, 1, 2]) edges.push(2 ** bits - 262 + d);
const sizes = [...edges, ...Array.from({ length: 40 }, () => Math.floor(Math.random() * 40_000))];

describe('deflating with the smallest window that holds the input', () => {
  test.each(Object.keys(contents))('%s content: the bytes of the default window, at every size', (kind) => {
    const differing = sizes.filter((size) => {
      const data = contents[kind]!(size);
      return !deflateRawSync(data, { level: 6, windowBits: windowBitsFor(size) }).equals(deflateRawSync(data, { level: 6 }));
    });
    expect(differing).toEqual([]);
  });

  test('the window holds the input and the lookahead, between 2^9 and 2^15', () => {
    expect(windowBitsFor(0)).toBe(9);
    expect(windowBitsFor(512 - 262)).toBe(9);
    expect(windowBitsFor(512 - 261)).toBe(10);
    expect(windowBitsFor(2 ** 15 - 262)).toBe(15);
    expect(windowBitsFor(10 * 2 ** 20)).toBe(15);
  });
});
