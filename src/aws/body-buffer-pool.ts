/**
 * Reusable buffers for upload bodies read from files. Why: a fresh buffer for every file costs a
 * page fault per 4 KiB the first time it is written (the kernel maps and zeroes each page); reading
 * the bench's 200 jars (57 MiB) into fresh buffers took ~70–400 ms of CPU in a new process, into
 * reused ones ~20 ms. An upload has only its concurrency's worth of bodies in flight, so a few
 * buffers, each reused for object after object, serve a whole push.
 *
 * A buffer goes back to the pool only when the request that sent it got a success answer: S3 (or
 * any server) answers 2xx only once it has received the whole body, so no write from that buffer is
 * still pending. After an error (or a 412, which a server may send before reading the body) the
 * buffer is dropped, never reused: a write still under way can never send another object's bytes.
 */
const MIN_CAPACITY = 64 * 1024;

export class BodyBufferPool {
  private readonly spare: Buffer[] = [];

  /** maxSpare: buffers kept for reuse; maxBytes: the larger ones are never kept (a 16 MiB body is read once, then freed). */
  constructor(
    private readonly maxSpare = 32,
    private readonly maxBytes = 4 * 1024 * 1024,
  ) {}

  /**
   * A buffer of at least `size` bytes, not zeroed: the caller hands on only the bytes it filled.
   * A spare is taken when it fits without wasting more than 4× (a small object does not pin a large buffer).
   */
  take(size: number): Buffer {
    const i = this.spare.findIndex((b) => b.length >= size && b.length <= Math.max(MIN_CAPACITY, size * 4));
    if (i >= 0) return this.spare.splice(i, 1)[0]!;
    return Buffer.allocUnsafeSlow(size > this.maxBytes ? size : Math.max(MIN_CAPACITY, nextPowerOfTwo(size)));
  }

  /** Returns a buffer from take() after a success answer to the request that sent it (see above). */
  give(buffer: Buffer): void {
    if (buffer.length <= this.maxBytes && this.spare.length < this.maxSpare && !this.spare.includes(buffer)) this.spare.push(buffer);
  }

  get size(): number {
    return this.spare.length;
  }
}

const nextPowerOfTwo = (n: number): number => 2 ** Math.ceil(Math.log2(Math.max(1, n)));
