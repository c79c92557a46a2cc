import fs from 'node:fs';
import forge from 'node-forge';
import { SignedXml } from 'xml-crypto';

/**
 * XMLDSig for the BHXH check-in (spec §2.6): enveloped signature, RSA-SHA256, SHA-256 digest, exclusive C14N,
 * Reference URI="" (the whole document minus the signature, as .NET SignedXml does), X.509 certificate in
 * KeyInfo, placed inside <CHUKYDONVI>. The exact profile the portal expects is (uncertain) — validate against
 * the portal's XSD before go-live. The signed bytes are stored and sent exactly as produced.
 */
export const RSA_SHA256 = 'http://www.w3.org/2001/04/xmldsig-more#rsa-sha256';
export const SHA256 = 'http://www.w3.org/2001/04/xmlenc#sha256';
const EXC_C14N = 'http://www.w3.org/2001/10/xml-exc-c14n#';
const ENVELOPED = 'http://www.w3.org/2000/09/xmldsig#enveloped-signature';

export type SigningKey = { privateKeyPem: string; certificatePem: string };

/** Reads the private key and certificate from a PKCS#12 (.p12/.pfx) file. */
export function loadPkcs12(der: Buffer, password: string): SigningKey {
  const p12 = forge.pkcs12.pkcs12FromAsn1(forge.asn1.fromDer(der.toString('binary')), password);
  const bag = (oid: string | undefined) => (oid ? p12.getBags({ bagType: oid })[oid]?.[0] : undefined);
  const keyBag = bag(forge.pki.oids.pkcs8ShroudedKeyBag) ?? bag(forge.pki.oids.keyBag);
  const certBag = bag(forge.pki.oids.certBag);
  if (!keyBag?.key || !certBag?.cert) throw new Error('PKCS#12 không có khóa riêng hoặc chứng thư');
  return {
    privateKeyPem: forge.pki.privateKeyToPem(keyBag.key),
    certificatePem: forge.pki.certificateToPem(certBag.cert),
  };
}

export function loadPkcs12File(path: string, password: string): SigningKey {
  return loadPkcs12(fs.readFileSync(path), password);
}

export function signXml0(xml: string, key: SigningKey): string {
  const sig = new SignedXml({
    privateKey: key.privateKeyPem,
    publicCert: key.certificatePem,
    signatureAlgorithm: RSA_SHA256,
    canonicalizationAlgorithm: EXC_C14N,
  });
  sig.addReference({
    xpath: '/*',
    uri: '',
    isEmptyUri: true,
    digestAlgorithm: SHA256,
    transforms: [ENVELOPED, EXC_C14N],
  });
  sig.computeSignature(xml, { location: { reference: "//*[local-name(.)='CHUKYDONVI']", action: 'append' } });
  return sig.getSignedXml();
}

/** True when the document's signature verifies with this certificate (public key) and the content is unchanged. */
export function verifyXml0(signedXml: string, certificatePem: string): boolean {
  try {
    const sig = new SignedXml({ publicCert: certificatePem, getCertFromKeyInfo: () => null });
    const signature = /<(?:ds:)?Signature[\s>][\s\S]*<\/(?:ds:)?Signature>/.exec(signedXml)?.[0];
    if (!signature) return false;
    sig.loadSignature(signature);
    return sig.checkSignature(signedXml);
  } catch {
    return false;
  }
}
