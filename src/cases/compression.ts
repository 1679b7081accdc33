// Shared procedure of categories 12 and 13: COUNT compressed messages, each echoed and checked
// by kind, length and SHA-1 before the next is sent (docs/cases.md, 12 and 13 Compression).
import { createHash } from 'node:crypto';
import type { CaseDefinition, PreparedMessage } from '../fuzz/case.js';
import type { DeflateCaseConfig } from '../fuzz/deflate.js';
import type { DeflateAcceptSpec, DeflateOfferSpec } from '../protocol/extensions.js';
import { pyBool } from '../fuzz/verdict.js';
import { Behavior, type MainVerdict } from '../fuzz/verdicts.js';
import { closeNormallyByMe, peerEndedFirstText } from './common.js';
import { payloadBytes, type PayloadSource } from './data/payloads.js';

export interface SizeRow {
  /** Payload size per message: octets (binary) or code points (text). */
  size: number;
  count: number;
  waitSeconds: number;
  /** Fragment the fuzzer's compressed messages into frames of at most this size (0 = none). */
  autoFragment: number;
}

const ROW_SIZES = [16, 64, 256, 1024, 4096, 8192, 16384, 32768, 65536, 131072, 8192, 16384, 32768, 65536, 131072, 131072, 131072, 131072];
const ROW_WAITS = [60, 60, 120, 240, 480];
const ROW_FRAGMENTS = [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 256, 256, 256, 256, 256, 1024, 4096, 32768];

/** The 18 message-size rows shared by 12.j and 13.j (docs/cases.md, 12 and 13 Compression). */
export const SIZE_ROWS: readonly SizeRow[] = ROW_SIZES.map((size, i) => ({
  size,
  count: 1000,
  waitSeconds: ROW_WAITS[i] ?? 480,
  autoFragment: ROW_FRAGMENTS[i]!,
}));

/** Python rendering of offer/accept tuples, as the 13.x titles show them: "[(True, 9), (False, 0)]". */
export function tupleList(specs: ReadonlyArray<DeflateOfferSpec | DeflateAcceptSpec>): string {
  return `[${specs.map((s) => `(${pyBool(s.requestNoContextTakeover)}, ${s.requestMaxWindowBits})`).join(', ')}]`;
}

/** Consecutive slices of a source, read cyclically: octets for binary sources, code points for text. */
class MessageSource {
  private readonly bytes: Buffer;
  /** Text sources: octet offset of every code point (and of the end); null when octets are code points. */
  private readonly offsets: Uint32Array | null;
  private readonly units: number;
  private cursor = 0;

  constructor(source: PayloadSource, private readonly size: number) {
    this.bytes = payloadBytes(source);
    this.offsets = source.text ? codePointOffsets(this.bytes) : null;
    this.units = this.offsets ? this.offsets.length - 1 : this.bytes.length;
  }

  /** Message k covers units (k·size + t) mod N; messages are views or one concatenation. */
  next(): Buffer {
    const n = this.units;
    const start = this.cursor;
    const end = start + this.size;
    this.cursor = end % n;
    const at = (unit: number) => (this.offsets ? this.offsets[unit]! : unit);
    const b = this.bytes;
    if (end <= n) return b.subarray(at(start), at(end));
    return Buffer.concat([b.subarray(at(start)), b.subarray(0, at(end - n))]);
  }
}

/** Octet offsets of the code points of valid UTF-8 text, plus the total length; null if all ASCII. */
function codePointOffsets(text: Buffer): Uint32Array | null {
  let count = 0;
  for (let i = 0; i < text.length; i++) if ((text[i]! & 0xc0) !== 0x80) count++;
  if (count === text.length) return null;
  const offsets = new Uint32Array(count + 1);
  let k = 0;
  for (let i = 0; i < text.length; i++) if ((text[i]! & 0xc0) !== 0x80) offsets[k++] = i;
  offsets[count] = text.length;
  return offsets;
}

function codePoints(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0xdc00 || c > 0xdfff) n++;
  }
  return n;
}

function sha1(data: Buffer): string {
  return createHash('sha1').update(data).digest('hex');
}

export function compressionCase(
  id: string,
  source: PayloadSource,
  row: SizeRow,
  deflate: DeflateCaseConfig,
  offerText: string,
): CaseDefinition {
  const unit = source.text ? 'code points' : 'octets';
  const timeoutText = `Case did not finish within ${row.waitSeconds} seconds.`;
  // The rows of a subcategory that differ only in fragmentation send the same messages.
  const sequence = `${id.split('.').slice(0, 2).join('.')}/${source.key}/${row.size}x${row.count}`;
  return {
    id,
    sharedSequence: sequence,
    schedule: 'alternates',
    description:
      `Send ${row.count} compressed ${source.text ? 'text' : 'binary'} messages of ${row.size} ${unit} each, ` +
      `taken in turn from a ${source.label.toLowerCase()}, auto-fragmented to ${row.autoFragment} octets ` +
      `(0: not fragmented). ${offerText} Each message is sent after the previous one came back.`,
    expectation:
      `Every message is echoed with the same content (RFC 7692; the echo may be compressed or not), ` +
      `all within ${row.waitSeconds} s; then a clean close with 1000.`,
    expected: {},
    expectedClose: closeNormallyByMe(),
    reportTime: true,
    reportCompressionRatio: true,
    deflate,
    adjustVerdict: peerEndedFirstText(timeoutText, 'Case did not finish: the peer ended the connection before every message was echoed.'),
    onOpen(s) {
      s.enableWirelog(false);
      s.setAutoFragmentSize(row.autoFragment);
      if (!s.deflateActive) {
        s.behavior = Behavior.UNIMPLEMENTED;
        s.sendClose(1000);
        return;
      }
      s.behavior = Behavior.FAILED;
      s.result = timeoutText;
      s.closeAfter(row.waitSeconds);
      const messages = new MessageSource(source, row.size);
      let sent = 0;
      let last: Buffer = Buffer.alloc(0);
      // The next message is built and compressed while the peer works on the previous one.
      let next: { message: PreparedMessage; payload: Buffer } | null = null;
      let prepared = 0;
      const prepare = () => {
        const payload = messages.next();
        next = { message: s.prepareMessage(payload, !source.text, { sequence, index: prepared++ }), payload };
      };
      const sendNext = () => {
        if (next === null) prepare();
        const { message, payload } = next!;
        next = null;
        last = payload;
        s.expectEcho({ position: { sequence, index: sent }, payload });
        sent++;
        s.sendPrepared(message);
        // The frames are already handed to the socket: compress the next one while the peer works.
        if (sent < row.count) prepare();
      };
      const stop = (behavior: MainVerdict, result: string) => {
        s.behavior = behavior;
        s.result = result;
        s.enableWirelog(true);
        s.sendClose(1000);
      };
      sendNext();
      return {
        onMessage(payload, binary) {
          if (binary === source.text) {
            stop(Behavior.FAILED, `Echo'ed message type differs from what I sent (got binary ${pyBool(binary)}, expected binary ${pyBool(!source.text)}).`);
            return;
          }
          // Checked in the reference's order (kind, length, SHA-1 of the content). Equal octets
          // mean equal length and digest, so the length and digests are only computed to word a
          // failure.
          if (!payload.equals(last)) {
            const length = source.text ? codePoints(payload.toString('utf8')) : payload.length;
            stop(
              Behavior.FAILED,
              length !== row.size
                ? `Echo'ed message length differs from what I sent (got length ${length}, expected length ${row.size}).`
                : `Echo'ed message contents differs from what I sent (got SHA1 ${sha1(payload)}, expected SHA1 ${sha1(last)}).`,
            );
            return;
          }
          if (sent < row.count) {
            sendNext();
            return;
          }
          s.snapshotTrafficStats();
          stop(Behavior.OK, "Ok, received all echo'ed messages in time.");
        },
      };
    },
  };
}
