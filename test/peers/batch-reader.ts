// Defect: handles everything that arrived in one read before echoing; when that read held a
// violation, the echoes of the same read are dropped and only the Close goes out (as servers on
// asyncio event loops do). Whether the fuzzer's valid message and its violation arrive in one read
// decides the verdict of 3.2, 3.3, 4.1.3, 4.1.4, 4.2.3-4.2.5 and 5.15.
//   node dist/test/peers/batch-reader.js   (prints "listening <port>")
import { serveTimingPeer } from './timing-peer.js';

await serveTimingPeer('batch-reader');
