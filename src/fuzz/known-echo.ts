// Known echoes (docs/engine.md, Shared compressed messages): the peer's compressed echo of a shared
// sequence's message k, as an earlier case inflated it to exactly message k, need not be inflated
// again when a later connection receives the very same octets in the very same inflater state.
//
// The inflater state before message k is its window: the last octets of the messages inflated
// before (RFC 7692 §7.2.2; after each message's sync flush zlib holds nothing else). On a
// connection whose messages 0 … k−1 were each the echo of the message it sent, that window is the
// same as the earlier case's, so the same octets inflate to the same message: message k. This
// class follows that chain per connection; the receiver compares incoming octets with the known
// echo and inflates as usual from the first octet that differs (src/fuzz/receive.ts).
import type { SequencePosition, SharedCompression } from './shared-compression.js';

/** What the case expects next: the echo of message `position.index`, i.e. `payload`. */
export interface ExpectedEcho {
  position: SequencePosition;
  payload: Buffer;
}

/** How the receiver handles the compressed message that begins. */
export type EchoPlan =
  /** Compare its octets with these; equal to the end, it is the expected message. */
  | { kind: 'compare'; echo: Buffer }
  /** Inflate it; keep its octets, to record them if it is the expected message. */
  | { kind: 'record' }
  | null;

export class KnownEchoes {
  private expected: ExpectedEcho | null = null;
  /** The index of the next echo if every message so far was the echo expected (from 0); -1 once not. */
  private chain = 0;

  /**
   * @param variant the inflater's settings (peer window bits, context takeover): echoes are
   *   known per variant.
   */
  constructor(
    private readonly shared: SharedCompression,
    private readonly variant: string,
  ) {}

  expect(expected: ExpectedEcho): void {
    this.expected = expected;
  }

  /** A compressed message begins (wire log off: known echoes are not logged frame by frame). */
  begin(): EchoPlan {
    const e = this.expected;
    if (e === null || this.chain !== e.position.index) return null;
    const known = this.shared.knownEcho(e.position, this.variant);
    if (known === null) return null;
    return known === 'wanted' ? { kind: 'record' } : { kind: 'compare', echo: known };
  }

  /** The message equalled its known echo to the end: it is the expected message. */
  matched(): Buffer {
    const e = this.expected!;
    this.expected = null;
    this.chain++;
    return e.payload;
  }

  /**
   * A data message was delivered (inflated or not). `octets`: its compressed octets, kept when
   * begin() said 'record'. The chain goes on only if it was the expected message.
   */
  delivered(payload: Buffer, compressed: boolean, octets: Buffer[] | null): void {
    const e = this.expected;
    this.expected = null;
    if (e === null || this.chain !== e.position.index || !compressed || !payload.equals(e.payload)) {
      this.chain = -1;
      return;
    }
    if (octets !== null) this.shared.recordEcho(e.position, this.variant, Buffer.concat(octets));
    this.chain++;
  }

  /** Anything else happened to the message stream (e.g. the connection failed). */
  broken(): void {
    this.expected = null;
    this.chain = -1;
  }
}
