// Data-message traffic counters and the trafficStats report object (docs/engine.md, Statistics).

/** A float in the reports: written with ".0" when integral, like the original's JSON. */
export class ReportFloat {
  constructor(readonly value: number) {}
}

export interface TrafficStats {
  incomingCompressionRatio: ReportFloat | null;
  incomingOctetsAppLevel: number;
  incomingOctetsWebSocketLevel: number;
  incomingOctetsWireLevel: number;
  incomingWebSocketFrames: number;
  incomingWebSocketMessages: number;
  incomingWebSocketOverhead: ReportFloat | null;
  outgoingCompressionRatio: ReportFloat | null;
  outgoingOctetsAppLevel: number;
  outgoingOctetsWebSocketLevel: number;
  outgoingOctetsWireLevel: number;
  outgoingWebSocketFrames: number;
  outgoingWebSocketMessages: number;
  outgoingWebSocketOverhead: ReportFloat | null;
  preopenIncomingOctetsWireLevel: number;
  preopenOutgoingOctetsWireLevel: number;
}

function ratio(num: number, den: number): ReportFloat | null {
  return den === 0 ? null : new ReportFloat(num / den);
}

export class TrafficCounters {
  incomingApp = 0;
  incomingWebSocket = 0;
  incomingWire = 0;
  incomingFrames = 0;
  incomingMessages = 0;
  outgoingApp = 0;
  outgoingWebSocket = 0;
  outgoingWire = 0;
  outgoingFrames = 0;
  outgoingMessages = 0;
  preopenIncoming = 0;
  preopenOutgoing = 0;

  snapshot(): TrafficStats {
    return {
      incomingCompressionRatio: ratio(this.incomingWebSocket, this.incomingApp),
      incomingOctetsAppLevel: this.incomingApp,
      incomingOctetsWebSocketLevel: this.incomingWebSocket,
      incomingOctetsWireLevel: this.incomingWire,
      incomingWebSocketFrames: this.incomingFrames,
      incomingWebSocketMessages: this.incomingMessages,
      incomingWebSocketOverhead: ratio(this.incomingWire - this.incomingWebSocket, this.incomingWebSocket),
      outgoingCompressionRatio: ratio(this.outgoingWebSocket, this.outgoingApp),
      outgoingOctetsAppLevel: this.outgoingApp,
      outgoingOctetsWebSocketLevel: this.outgoingWebSocket,
      outgoingOctetsWireLevel: this.outgoingWire,
      outgoingWebSocketFrames: this.outgoingFrames,
      outgoingWebSocketMessages: this.outgoingMessages,
      outgoingWebSocketOverhead: ratio(this.outgoingWire - this.outgoingWebSocket, this.outgoingWebSocket),
      preopenIncomingOctetsWireLevel: this.preopenIncoming,
      preopenOutgoingOctetsWireLevel: this.preopenOutgoing,
    };
  }
}
