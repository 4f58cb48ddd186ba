import type { Position } from './nodes.js';

/** Malformed EDN, located at the offending character (1-based). `message` carries no location. */
export class EdnSyntaxError extends Error {
  readonly line: number;
  readonly column: number;

  constructor(message: string, at: Position) {
    super(message);
    this.name = 'EdnSyntaxError';
    this.line = at.line;
    this.column = at.column;
  }
}
