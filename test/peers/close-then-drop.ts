// Defect: when it fails the connection it sends its Close and destroys TCP at once, without waiting
// for the client's reply. Frames the fuzzer writes after that Close was sent meet a closed socket
// (RST), so whether the fuzzer reads the Close depends on when it wrote them (5.16, 5.17, 6.3.2).
//   node dist/test/peers/close-then-drop.js   (prints "listening <port>")
import { serveTimingPeer } from './timing-peer.js';

await serveTimingPeer('close-then-drop');
