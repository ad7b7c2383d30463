// Makes a throwaway self-signed certificate for 127.0.0.1 with the system's
// openssl (present on Debian and in the CI image), so no key is committed and
// no certificate package is added. Test processes trust it through
// NODE_EXTRA_CA_CERTS, which Node reads only at start-up.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

export interface TestCertificate {
  keyPath: string;
  certPath: string;
}

/** Writes key.pem and cert.pem into `dir`; throws with openssl's output on failure. */
export function makeTestCertificate(dir: string): TestCertificate {
  const keyPath = join(dir, 'key.pem');
  const certPath = join(dir, 'cert.pem');
  const result = spawnSync(
    'openssl',
    [
      'req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-sha256', '-days', '1',
      '-subj', '/CN=127.0.0.1',
      '-addext', 'subjectAltName=IP:127.0.0.1',
      '-keyout', keyPath, '-out', certPath,
    ],
    { encoding: 'utf8' },
  );
  if (result.error || result.status !== 0) {
    throw new Error(`openssl could not make the test certificate (${result.error?.message ?? `exit ${String(result.status)}`}): ${result.stderr}`);
  }
  return { keyPath, certPath };
}
