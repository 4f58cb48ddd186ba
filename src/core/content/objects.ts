/**
 * A content-addressed object: its key is derived from the SHA-256 of its bytes (see layout.ts),
 * so an object under a key never changes and one that exists never needs uploading again.
 */
export interface ContentObject {
  key: string;
  /** Hex SHA-256 of the bytes. */
  sha256: string;
  /** Bytes. */
  size: number;
  /** A file to read (a jar as it is on disk, a zipped directory in a temporary file) or bytes in memory. */
  body: { path: string } | { data: Buffer };
  /** What the object was made from, for messages (a temporary file's name says nothing). */
  source?: string;
}
