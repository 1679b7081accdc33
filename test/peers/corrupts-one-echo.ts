// Defect: a ws echo server with permessage-deflate that alters one octet of its 5th echo.
import type { RunningPeer } from './base.js';
import { start as startWsEcho } from './ws-echo.js';

export function start(): Promise<RunningPeer> {
  return startWsEcho((data, _isBinary, index) => {
    if (index !== 4 || data.length === 0) return data;
    const copy = Buffer.from(data);
    copy[copy.length - 1] ^= 0x01; // keeps ASCII text valid UTF-8
    return copy;
  });
}
