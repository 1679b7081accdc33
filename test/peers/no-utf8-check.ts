// Defect: never validates UTF-8 (text messages and close reasons) and echoes invalid text back, so
// the fuzzer meets the invalid octets in the echo and fails the connection itself (6.3-6.17).
//   node dist/test/peers/no-utf8-check.js   (prints "listening <port>")
import { serveTimingPeer } from './timing-peer.js';

await serveTimingPeer('no-utf8-check');
