// Sync states of a phone, as stored in Phone.syncStatus, with how the UI names and colours them.
export const SYNC_STATUSES = [
  "pending",
  "syncing",
  "synced",
  "failed",
  "rejected",
  "owned_elsewhere",
  "needs_url",
  "removing",
] as const;

export type SyncStatus = (typeof SYNC_STATUSES)[number];

export const SYNC_STATUS_LABELS: Record<SyncStatus, string> = {
  pending: "Pending",
  syncing: "Syncing",
  synced: "Synced",
  failed: "Failed",
  rejected: "Rejected",
  owned_elsewhere: "Owned elsewhere",
  needs_url: "Needs URL",
  removing: "Removing",
};

export const SYNC_STATUS_HELP: Record<SyncStatus, string> = {
  pending: "Waiting to be sent to the redirection service.",
  syncing: "Being sent to the redirection service right now.",
  synced: "Registered at the redirection service with the expected URL.",
  failed: "The service could not be reached or answered with an error; retried automatically.",
  rejected: "The service refused the MAC or URL: fix the data.",
  owned_elsewhere: "Another redirection account owns this MAC; its owner must release it.",
  needs_url: "No provisioning URL: set one on the phone, its customer or the organization.",
  removing: "Being deregistered before it is deleted.",
};
