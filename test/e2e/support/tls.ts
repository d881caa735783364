// A throwaway self-signed certificate for the impersonated hosts, made with
// openssl into the test's own temp folder. The browsers are told to accept it
// (Chromium: --ignore-certificate-errors; Firefox: acceptInsecureCerts).
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export interface Tls {
  key: string;
  cert: string;
}

export function makeCertificate(dir: string, hosts: string[]): Tls {
  const key = join(dir, 'key.pem');
  const cert = join(dir, 'cert.pem');
  const san = hosts.map((h) => `DNS:${h}`).concat('IP:127.0.0.1').join(',');
  try {
    execFileSync('openssl', [
      'req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '2',
      '-keyout', key, '-out', cert, '-subj', `/CN=${hosts[0]}`, '-addext', `subjectAltName=${san}`,
    ], { stdio: 'pipe' });
  } catch (e) {
    throw new Error(`openssl could not make a test certificate (apt-get install openssl): ${(e as Error).message}`);
  }
  return { key: readFileSync(key, 'utf8'), cert: readFileSync(cert, 'utf8') };
}
