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
  /** A file to read (a jar as it is on disk) or bytes already in memory (a zipped directory). */
  body: { path: string } | { data: Buffer };
}
