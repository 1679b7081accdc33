// permessage-deflate as the cases of categories 12 and 13 negotiate it (cases-9-12-13 §6, §7).
import type { DeflateAcceptSpec, DeflateOfferSpec } from '../protocol/extensions.js';

export interface DeflateCaseConfig {
  /** Client role: the offers sent, in order (13.x "client offers" tuples). */
  offers: DeflateOfferSpec[];
  /**
   * Server role: accept rules tried in order (13.x "server accept" tuples). A rule with
   * requestMaxWindowBits > 0 only accepts offers that name client_max_window_bits.
   */
  accept: DeflateAcceptSpec[];
}
