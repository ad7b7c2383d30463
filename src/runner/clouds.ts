/**
 * Sovereign clouds: one setting picks the sign-in authority and every service
 * endpoint together, so a query never mixes clouds. Pure, so it is
 * unit-tested.
 */

export type CloudName = 'public' | 'usGovernment' | 'china';

export interface CloudEndpoints {
  /** Microsoft Entra ID sign-in authority host. */
  authority: string;
  /** Log Analytics query API base, including the `/v1` version segment. */
  logAnalytics: string;
  /** OAuth scope for the Log Analytics API. */
  logAnalyticsScope: string;
  resourceManager: string;
  resourceManagerScope: string;
  /** Microsoft Graph base, without a version segment. */
  graph: string;
  /** Delegated scope for advanced hunting through Graph. */
  graphHuntingScope: string;
  /** The VS Code authentication provider that signs in to this cloud. */
  authProvider: 'microsoft' | 'microsoft-sovereign-cloud';
}

/** Endpoints from the Azure sovereign-cloud documentation for each service. */
export const CLOUDS: Readonly<Record<CloudName, CloudEndpoints>> = {
  public: {
    authority: 'https://login.microsoftonline.com',
    logAnalytics: 'https://api.loganalytics.io/v1',
    logAnalyticsScope: 'https://api.loganalytics.io/.default',
    resourceManager: 'https://management.azure.com',
    resourceManagerScope: 'https://management.azure.com/.default',
    graph: 'https://graph.microsoft.com',
    graphHuntingScope: 'https://graph.microsoft.com/ThreatHunting.Read.All',
    authProvider: 'microsoft',
  },
  usGovernment: {
    authority: 'https://login.microsoftonline.us',
    logAnalytics: 'https://api.loganalytics.us/v1',
    logAnalyticsScope: 'https://api.loganalytics.us/.default',
    resourceManager: 'https://management.usgovcloudapi.net',
    resourceManagerScope: 'https://management.usgovcloudapi.net/.default',
    // NOTE: this is the GCC High Graph host; DoD tenants use dod-graph.microsoft.us and need an override.
    graph: 'https://graph.microsoft.us',
    graphHuntingScope: 'https://graph.microsoft.us/ThreatHunting.Read.All',
    authProvider: 'microsoft-sovereign-cloud',
  },
  china: {
    authority: 'https://login.chinacloudapi.cn',
    logAnalytics: 'https://api.loganalytics.azure.cn/v1',
    logAnalyticsScope: 'https://api.loganalytics.azure.cn/.default',
    resourceManager: 'https://management.chinacloudapi.cn',
    resourceManagerScope: 'https://management.chinacloudapi.cn/.default',
    graph: 'https://microsoftgraph.chinacloudapi.cn',
    graphHuntingScope: 'https://microsoftgraph.chinacloudapi.cn/ThreatHunting.Read.All',
    authProvider: 'microsoft-sovereign-cloud',
  },
};

/** The endpoint settings a user may override, by setting name under `huntLens.endpoints`. */
export type EndpointName = 'logAnalytics' | 'graph' | 'resourceManager';

export const ENDPOINT_NAMES: readonly EndpointName[] = ['logAnalytics', 'graph', 'resourceManager'];

/** A configuration value as `WorkspaceConfiguration.inspect()` returns it. */
export interface InspectedValue {
  globalValue?: unknown;
  workspaceValue?: unknown;
  workspaceFolderValue?: unknown;
}

export interface ResolvedEndpoints {
  endpoints: CloudEndpoints;
  /** Overrides found in workspace or folder settings and ignored, by setting name. */
  ignored: string[];
}

/** Returns true for a cloud name the `huntLens.cloud` setting accepts. */
export function isCloudName(value: unknown): value is CloudName {
  return value === 'public' || value === 'usGovernment' || value === 'china';
}

/**
 * Applies endpoint overrides to a cloud's endpoints. Only user and machine
 * settings (`globalValue`) count, because a cloned repository's workspace
 * settings must not send the user's token to another host; and only https
 * URLs are accepted. Throws an Error naming the setting and the fix.
 */
export function resolveEndpoints(cloud: CloudName, overrides: Readonly<Record<EndpointName, InspectedValue | undefined>>): ResolvedEndpoints {
  const endpoints: CloudEndpoints = { ...CLOUDS[cloud] };
  const ignored: string[] = [];
  for (const name of ENDPOINT_NAMES) {
    const inspected = overrides[name];
    const setting = `huntLens.endpoints.${name}`;
    if (inspected?.workspaceValue !== undefined || inspected?.workspaceFolderValue !== undefined) {
      ignored.push(setting);
    }
    const value = inspected?.globalValue;
    if (value === undefined || value === '') {
      continue;
    }
    endpoints[name] = checkHttpsUrl(setting, value);
  }
  return { endpoints, ignored };
}

function checkHttpsUrl(setting: string, value: unknown): string {
  const text = typeof value === 'string' ? value.trim() : '';
  let url: URL | undefined;
  try {
    url = new URL(text);
  } catch {
    url = undefined;
  }
  if (!url || url.protocol !== 'https:') {
    throw new Error(`The ${setting} setting must be an https URL, but it is ${JSON.stringify(value)}. Fix it in your user settings or remove it.`);
  }
  return text.replace(/\/+$/, '');
}
