// Authentication and authorization in kube-apiserver's order and terms: a verified client certificate wins
// (CN = user, O = groups), then a bearer token; every authenticated user also gets system:authenticated.
// Authorization allows everything except the rules passed to deny(), like a cluster-admin binding with holes.
import type { IncomingHttpHeaders } from 'node:http';
import type { TLSSocket } from 'node:tls';
import type { DenyRule, UserInfo } from './types';
import { subjectOf, verifyClientCertificate } from './certificates';
import type { RequestInfo } from './request-info';

export const ANONYMOUS: UserInfo = { username: 'system:anonymous', groups: ['system:unauthenticated'] };

/** The outcome: a user, or 'unauthorized' (answer 401). */
export type AuthResult = UserInfo | 'unauthorized';

export class Authenticator {
  private readonly tokens = new Map<string, UserInfo>();

  constructor(
    /** The CA client certificates must chain to (kube-apiserver's --client-ca-file). */
    private readonly clientCaPem: string,
    private readonly anonymousAuth: boolean,
  ) {}

  addToken(token: string, user: string, groups: string[] = []): void {
    this.tokens.set(token, { username: user, groups: withAuthenticated(groups) });
  }

  authenticate(socket: TLSSocket, headers: IncomingHttpHeaders): AuthResult {
    const peer = socket.getPeerCertificate(false);
    const hasCert = peer !== null && typeof peer === 'object' && Buffer.isBuffer(peer.raw);
    if (hasCert && verifyClientCertificate(peer.raw, this.clientCaPem)) {
      const subject = subjectOf(peer.raw);
      if (subject.commonName)
        return { username: subject.commonName, groups: withAuthenticated(subject.groups) };
    }
    const header = headers.authorization;
    if (header !== undefined) {
      // The scheme is case-insensitive; an empty token is no token.
      const match = /^bearer\s+(\S+)\s*$/i.exec(header);
      const user = match?.[1] ? this.tokens.get(match[1]) : undefined;
      return user ?? 'unauthorized';
    }
    if (hasCert) return 'unauthorized';
    return this.anonymousAuth ? ANONYMOUS : 'unauthorized';
  }
}

function withAuthenticated(groups: string[]): string[] {
  return groups.includes('system:authenticated') ? [...groups] : [...groups, 'system:authenticated'];
}

/** What stock RBAC (system:public-info-viewer) lets anyone read, even anonymously. */
const PUBLIC_PATHS = new Set(['/version', '/version/', '/healthz', '/livez', '/readyz']);

interface Denial {
  user: string;
  rule: DenyRule;
}

export class Authorizer {
  private denials: Denial[] = [];

  deny(user: string, rule: DenyRule): void {
    this.denials.push({ user, rule });
  }

  clear(): void {
    this.denials = [];
  }

  /** true when allowed. `user` '*' in a rule matches everyone, and `verb`/`resource` '*' match anything. */
  allows(user: UserInfo, info: RequestInfo): boolean {
    if (!info.isResource) return user !== ANONYMOUS || PUBLIC_PATHS.has(info.path);
    if (user === ANONYMOUS) return false;
    return !this.denials.some(({ user: who, rule }) => {
      if (who !== '*' && who !== user.username) return false;
      if (rule.verb !== '*' && rule.verb !== info.verb) return false;
      if ((rule.group ?? '') !== info.group) return false;
      if (rule.resource !== '*' && rule.resource !== info.resource) return false;
      return rule.namespace === undefined || rule.namespace === info.namespace;
    });
  }
}
