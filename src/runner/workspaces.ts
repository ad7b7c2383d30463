/**
 * Lists the Log Analytics workspaces a user can see across subscriptions with
 * one Azure Resource Graph query. The parsing is pure and unit-tested.
 */
import type { ResourceGraphWireRequest, ResourceGraphWireResponse } from './wire';

export interface WorkspaceSummary {
  name: string;
  /** The workspace ID (the resource's `customerId`) that queries use. */
  workspaceId: string;
  subscriptionId: string;
  resourceGroup: string;
  location: string;
}

/** The Resource Graph query; `customerId` is the workspace ID the query API expects. */
export const WORKSPACES_REQUEST: ResourceGraphWireRequest = {
  query: [
    "Resources",
    "| where type =~ 'microsoft.operationalinsights/workspaces'",
    '| project name, subscriptionId, resourceGroup, location, customerId = tostring(properties.customerId)',
    '| order by name asc',
  ].join('\n'),
  options: { resultFormat: 'objectArray', $top: 1000 },
};

/** Reads the workspace rows, dropping any without a name or workspace ID. */
export function parseWorkspaces(body: ResourceGraphWireResponse): WorkspaceSummary[] {
  const workspaces: WorkspaceSummary[] = [];
  for (const row of body.data ?? []) {
    if (typeof row.name !== 'string' || typeof row.customerId !== 'string' || row.customerId === '') {
      continue;
    }
    workspaces.push({
      name: row.name,
      workspaceId: row.customerId,
      subscriptionId: typeof row.subscriptionId === 'string' ? row.subscriptionId : '',
      resourceGroup: typeof row.resourceGroup === 'string' ? row.resourceGroup : '',
      location: typeof row.location === 'string' ? row.location : '',
    });
  }
  return workspaces;
}
