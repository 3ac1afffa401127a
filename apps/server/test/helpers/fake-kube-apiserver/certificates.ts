// Certificates made with WebCrypto (no openssl CLI on the machine): a CA, the serving certificate (SANs
// IP:127.0.0.1 and DNS:localhost, as a kubeadm apiserver cert would list its addresses) and client certificates
// whose subject carries the identity the way kube-apiserver reads it: CN = user name, one O per group.
import './reflect-shim';
import { webcrypto, X509Certificate as NodeX509Certificate } from 'node:crypto';
import * as x509 from '@peculiar/x509';
import type { IssuedClientCertificate } from './types';

// Node's WebCrypto, explicitly: the library's own default looks for a browser global.
x509.cryptoProvider.set(webcrypto as unknown as Parameters<typeof x509.cryptoProvider.set>[0]);

type CryptoKeyPair = webcrypto.CryptoKeyPair;
type CryptoKey = webcrypto.CryptoKey;

// ECDSA P-256 keeps generation fast; Node's TLS and Go's accept it alike.
const ALG = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' };
const DAY_MS = 24 * 60 * 60 * 1000;

export interface CertificateAuthority {
  certPem: string;
  cert: x509.X509Certificate;
  keys: CryptoKeyPair;
}

async function keyPair(): Promise<CryptoKeyPair> {
  return webcrypto.subtle.generateKey(ALG, true, ['sign', 'verify']) as Promise<CryptoKeyPair>;
}

async function privateKeyPem(key: CryptoKey): Promise<string> {
  const der = await webcrypto.subtle.exportKey('pkcs8', key);
  return x509.PemConverter.encode(der, 'PRIVATE KEY');
}

/** Validity from an hour ago (tolerates clock skew between processes) to a year ahead. */
function validity(): { notBefore: Date; notAfter: Date } {
  const now = Date.now();
  return { notBefore: new Date(now - 60 * 60 * 1000), notAfter: new Date(now + 365 * DAY_MS) };
}

export async function createCertificateAuthority(commonName = 'fake-kube-ca'): Promise<CertificateAuthority> {
  const keys = await keyPair();
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    name: [{ CN: [commonName] }],
    keys,
    signingAlgorithm: ALG,
    ...validity(),
    extensions: [
      new x509.BasicConstraintsExtension(true, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
    ],
  });
  return { certPem: cert.toString('pem'), cert, keys };
}

async function issue(
  ca: CertificateAuthority,
  subject: x509.JsonName,
  extensions: x509.Extension[],
): Promise<IssuedClientCertificate> {
  const keys = await keyPair();
  const cert = await x509.X509CertificateGenerator.create({
    subject,
    issuer: ca.cert.subject,
    publicKey: keys.publicKey,
    signingKey: ca.keys.privateKey,
    signingAlgorithm: ALG,
    ...validity(),
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      await x509.AuthorityKeyIdentifierExtension.create(ca.keys.publicKey),
      ...extensions,
    ],
  });
  return { certPem: cert.toString('pem'), keyPem: await privateKeyPem(keys.privateKey) };
}

export async function issueServerCertificate(ca: CertificateAuthority): Promise<IssuedClientCertificate> {
  return issue(
    ca,
    [{ CN: ['kube-apiserver'] }],
    [
      new x509.KeyUsagesExtension(
        x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.keyEncipherment,
        true,
      ),
      new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth]),
      new x509.SubjectAlternativeNameExtension([
        { type: 'ip', value: '127.0.0.1' },
        { type: 'dns', value: 'localhost' },
      ]),
    ],
  );
}

export async function issueClientCertificate(
  ca: CertificateAuthority,
  user: string,
  groups: string[] = [],
): Promise<IssuedClientCertificate> {
  // One RDN per group, then CN, in the order Go's pkix.Name writes them. The JSON form of the name needs no
  // escaping of commas or other special characters in group names.
  const subject: x509.JsonName = [...groups.map((g) => ({ O: [g] })), { CN: [user] }];
  return issue(ca, subject, [
    new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
    new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.clientAuth]),
  ]);
}

const CLIENT_AUTH = '1.3.6.1.5.5.7.3.2';
const ANY_EXTENDED_KEY_USAGE = '2.5.29.37.0';

/**
 * What kube-apiserver's x509 authenticator checks: signed by the client CA, within its validity period, and
 * usable for client authentication (Go's verifier insists on the clientAuth extended key usage when the
 * extension is present).
 */
export function verifyClientCertificate(der: Buffer, caPem: string): boolean {
  try {
    const ca = new NodeX509Certificate(caPem);
    const cert = new NodeX509Certificate(der);
    if (!cert.checkIssued(ca) || !cert.verify(ca.publicKey)) return false;
    const now = Date.now();
    if (now < Date.parse(cert.validFrom) || now > Date.parse(cert.validTo)) return false;
    const usages = cert.keyUsage;
    return !usages || usages.includes(CLIENT_AUTH) || usages.includes(ANY_EXTENDED_KEY_USAGE);
  } catch {
    return false; // unparseable certificates authenticate nobody
  }
}

/** The identity kube-apiserver derives from a verified client certificate. */
export function subjectOf(der: Buffer): { commonName?: string; groups: string[] } {
  const cert = new x509.X509Certificate(der);
  return { commonName: cert.subjectName.getField('CN')[0], groups: cert.subjectName.getField('O') };
}
