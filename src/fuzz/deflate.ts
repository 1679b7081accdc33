// permessage-deflate as the cases of categories 12 and 13 negotiate it (docs/cases.md, permessage-deflate).
import { buildDeflateResponse, type DeflateAcceptSpec, type DeflateAgreement, type DeflateOffer, type DeflateOfferSpec } from '../protocol/extensions.js';

export interface DeflateCaseConfig {
  /** Client role: the offers sent, in order (13.x "client offers" tuples). */
  offers: DeflateOfferSpec[];
  /**
   * Server role: accept rules tried in order (13.x "server accept" tuples). A rule with
   * requestMaxWindowBits > 0 only accepts offers that name client_max_window_bits.
   */
  accept: DeflateAcceptSpec[];
}

export interface DeflateAcceptance {
  agreement: DeflateAgreement;
  /** The Sec-WebSocket-Extensions response element. */
  response: string;
}

/**
 * Server role: pick an offer with the case's accept rules, tried rule by rule (docs/cases.md, permessage-deflate).
 * A rule that asks for client_max_window_bits only takes offers that name it. Like the reference,
 * every offer counts as allowing client_no_context_takeover. Null: the case runs without deflate.
 */
export function acceptDeflate(config: DeflateCaseConfig | undefined, offers: readonly DeflateOffer[]): DeflateAcceptance | null {
  if (!config) return null;
  for (const rule of config.accept) {
    const offer = offers.find((o) => rule.requestMaxWindowBits === 0 || o.hasClientMaxWindowBits);
    if (!offer) continue;
    return {
      agreement: {
        serverNoContextTakeover: offer.serverNoContextTakeover,
        serverMaxWindowBits: offer.serverMaxWindowBits,
        clientNoContextTakeover: rule.requestNoContextTakeover,
        clientMaxWindowBits: rule.requestMaxWindowBits || null,
      },
      response: buildDeflateResponse(offer, rule),
    };
  }
  return null;
}
