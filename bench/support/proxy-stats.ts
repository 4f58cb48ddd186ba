/** What the bench's S3 proxy counts, and the messages it exchanges with the bench (pure). */

/** PUT, HEAD, GET (an object), LIST (a GET of the bucket: ListObjects), POST (multipart, batch delete), DELETE… */
export type RequestKind = string;

export interface ProxyStats {
  requests: number;
  byKind: Record<RequestKind, number>;
  /** Request bodies: bytes sent to S3. */
  bytesSent: number;
  /** Response bodies: bytes received from S3. */
  bytesReceived: number;
}

export type ProxyMessage = { type: 'reset' } | { type: 'stats'; stats?: ProxyStats } | { type: 'ready'; url: string };

export const emptyStats = (): ProxyStats => ({ requests: 0, byKind: {}, bytesSent: 0, bytesReceived: 0 });

/** The request's kind for the tables: its method, except a GET of the bucket itself, which is a listing. */
export function classifyS3Request(method: string, url: string): RequestKind {
  const path = new URL(url, 'http://s3.local').pathname.replace(/^\/+/, '');
  const key = path.split('/').slice(1).join('/');
  if (method === 'GET' && key === '') return 'LIST';
  return method;
}

/** The order kinds are shown in. */
export const KIND_ORDER = ['PUT', 'POST', 'HEAD', 'GET', 'LIST', 'DELETE'];
