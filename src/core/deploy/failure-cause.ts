/**
 * Step Functions causes are often JSON: a Lambda error (`{"errorMessage", "errorType", "stackTrace"}`),
 * an error passed through from a nested state (`{"Error", "Cause"}`), or an SDK integration error.
 * This finds the sentence a person wants, and keeps the whole thing pretty-printed for the log.
 */
export interface DecodedCause {
  /** One line. */
  summary: string;
  /** The cause pretty-printed when it was JSON, else the cause itself. */
  detail: string;
}

export function decodeCause(cause: string | undefined): DecodedCause {
  if (!cause) return { summary: '', detail: '' };
  const trimmed = cause.trim();
  if (trimmed.startsWith('{') || trimmed.startsWith('[')) {
    try {
      const parsed: unknown = JSON.parse(trimmed);
      return { summary: oneLine(messageOf(parsed, 0) ?? trimmed), detail: JSON.stringify(parsed, null, 2) };
    } catch {
      // Not JSON after all.
    }
  }
  return { summary: oneLine(cause), detail: cause };
}

function messageOf(value: unknown, depth: number): string | undefined {
  if (depth > 4 || value === null || typeof value !== 'object' || Array.isArray(value)) return undefined;
  const o = value as Record<string, unknown>;
  for (const key of ['errorMessage', 'message', 'Message', 'ErrorMessage']) {
    const v = o[key];
    if (typeof v === 'string' && v.trim()) {
      const kind =
        typeof o.errorType === 'string' ? o.errorType : typeof o.Code === 'string' ? o.Code : typeof o.code === 'string' ? o.code : '';
      const type = kind ? `${kind}: ` : '';
      return `${type}${v}`;
    }
  }
  // {"Error": …, "Cause": "<json or text>"}: the cause is the interesting half.
  if (typeof o.Cause === 'string') {
    const inner = decodeCause(o.Cause).summary;
    return typeof o.Error === 'string' ? `${o.Error}: ${inner}` : inner;
  }
  // A message one level down, e.g. a deployment's {"ErrorInformation": {"Code", "Message"}}.
  for (const child of Object.values(o)) {
    const found = messageOf(child, depth + 1);
    if (found) return found;
  }
  return undefined;
}

/**
 * Collapses whitespace into single spaces, for one-line summaries. Plain text: making it safe to print
 * in a workflow log is the printing side's job (src/github/inert-text.ts).
 */
export const oneLine = (text: string, max = 500): string => {
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length > max ? `${line.slice(0, max - 1)}…` : line;
};

/** `error: message` in one line, without saying the error's name twice (a Lambda's errorType usually is the error). */
export function describeFailure(error: string | undefined, cause: string | undefined): string {
  const summary = decodeCause(cause).summary;
  const name = error ? oneLine(error, 200) : '';
  if (!name) return summary;
  if (!summary) return name;
  return summary === name || summary.startsWith(`${name}: `) ? summary : `${name}: ${summary}`;
}
