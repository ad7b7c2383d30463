// User settings of the try-it profile that `npm start` writes. They keep the
// workbench quiet and offline: no workspace-trust prompt, telemetry, update
// checks or marketplace recommendations, and none of code-server's bundled
// chat and Copilot UI, so the Quick Fix menu holds only Hunt Lens's own fixes.
// A unit test checks that they include every setting of the test host's
// profile (DEFAULT_SETTINGS in test/support/testHost.ts).
export const PROFILE_SETTINGS = Object.freeze({
  'security.workspace.trust.enabled': false,
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'extensions.autoUpdate': false,
  'extensions.autoCheckUpdates': false,
  'extensions.ignoreRecommendations': true,
  'workbench.enableExperiments': false,
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'chat.disableAIFeatures': true,
});
