import type { AccessToken, GetTokenOptions, TokenCredential } from '@azure/core-auth';
import * as vscode from 'vscode';
import type { SignInMethod } from '../extension/config';
import type { CloudEndpoints } from './clouds';
import type * as RunnerSdk from './runnerSdk';

/**
 * A credential on VS Code's own Microsoft sign-in. It asks VS Code for the
 * session on every request, so VS Code refreshes the token, and it prompts to
 * sign in only when a query needs a token.
 */
export class VsCodeSessionCredential implements TokenCredential {
  constructor(
    private readonly providerId: CloudEndpoints['authProvider'],
    private readonly tenant: string | undefined,
  ) {}

  async getToken(scopes: string | string[]): Promise<AccessToken> {
    const requested = Array.isArray(scopes) ? scopes : [scopes];
    // VS Code's Microsoft provider reads the tenant from this pseudo-scope.
    const sessionScopes = this.tenant ? [...requested, `VSCODE_TENANT:${this.tenant}`] : requested;
    // NOTE: for usGovernment and china, VS Code's sovereign-cloud provider also
    // needs its own microsoft-sovereign-cloud.environment setting; Hunt Lens does not set it.
    const session = await vscode.authentication.getSession(this.providerId, sessionScopes, { createIfNone: true });
    // The session does not expose the token's expiry. A short lifetime makes
    // the SDK ask again on the next request instead of caching the token.
    return { token: session.accessToken, expiresOnTimestamp: Date.now() + 60_000 };
  }
}

/** A fixed token, used only by the extension-host tests (see createCredential). */
class FixedTokenCredential implements TokenCredential {
  constructor(private readonly token: string) {}

  getToken(_scopes: string | string[], _options?: GetTokenOptions): Promise<AccessToken> {
    return Promise.resolve({ token: this.token, expiresOnTimestamp: Date.now() + 60_000 });
  }
}

export interface CredentialOptions {
  method: SignInMethod;
  endpoints: CloudEndpoints;
  tenant: string | undefined;
  /**
   * Set only when the extension runs in test mode with HUNT_LENS_TEST_TOKEN
   * (see extension activation). It stands in for VS Code's session, so the
   * fallback methods still run for real in tests.
   */
  testToken: string | undefined;
  sdk: typeof RunnerSdk;
}

/** Builds the credential the settings ask for. */
export function createCredential(options: CredentialOptions): TokenCredential {
  if (options.testToken && options.method === 'vscode') {
    return new FixedTokenCredential(options.testToken);
  }
  switch (options.method) {
    case 'azureCli':
      return options.sdk.createAzureCliCredential(options.tenant);
    case 'deviceCode':
      return options.sdk.createDeviceCodeCredential(options.tenant, options.endpoints.authority, (info) => {
        void showDeviceCode(info);
      });
    case 'vscode':
      return new VsCodeSessionCredential(options.endpoints.authProvider, options.tenant);
  }
}

async function showDeviceCode(info: { message: string; userCode: string; verificationUri: string }): Promise<void> {
  const choice = await vscode.window.showInformationMessage(info.message, 'Copy Code and Open Page');
  if (choice) {
    await vscode.env.clipboard.writeText(info.userCode);
    await vscode.env.openExternal(vscode.Uri.parse(info.verificationUri));
  }
}
