import { createHash, timingSafeEqual } from 'node:crypto';
import type { TokenGrant, TokenMatcher } from '../../../ports/token-matcher.port.js';

/** A configured token: its SHA-256 (given as sha256, or computed at start-up from the env value) and its grant. */
export interface TokenDigest {
  readonly digest: Buffer;
  readonly grant: TokenGrant;
}

export const sha256 = (text: string): Buffer => createHash('sha256').update(text, 'utf8').digest();

/**
 * Matches a presented token by its SHA-256 against every configured digest with timingSafeEqual: the digests all have
 * 32 bytes, so neither the presented token's length nor how much of it is right changes the time taken, and every
 * entry is compared (no early exit) so the time does not tell which entry matched either.
 */
export class Sha256TokenMatcher implements TokenMatcher {
  constructor(private readonly tokens: readonly TokenDigest[]) {}

  get configured(): boolean {
    return this.tokens.length > 0;
  }

  match(presented: string): TokenGrant | undefined {
    const digest = sha256(presented);
    let found: TokenGrant | undefined;
    for (const token of this.tokens) {
      if (timingSafeEqual(digest, token.digest) && found === undefined) found = token.grant;
    }
    return found;
  }
}
