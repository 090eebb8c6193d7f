// Sync states of a phone, as stored in Phone.syncStatus, with how the UI names and colours them.
// Issue 10: transient trouble (retrying, waiting for the service) is told apart from a phone that
// gave up or was refused (failed, rejected), and from a queue paused by refused credentials.
export const SYNC_STATUSES = [
  "pending",
  "syncing",
  "synced",
  "retrying",
  "waiting",
  "paused",
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
  retrying: "Retrying",
  waiting: "Waiting for the service",
  paused: "Paused",
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
  retrying: "The service had a passing problem (timeout, busy, error); tried again automatically.",
  waiting:
    "The redirection service is not answering; the portal checks it regularly and sends this phone as soon as it is back. No attempt is used up meanwhile.",
  paused: "The service refused the account's credentials: the queue waits until an admin saves working ones.",
  failed: "Gave up after repeated errors: use Retry once the cause is fixed.",
  rejected: "The service refused the MAC or URL: fix the data.",
  owned_elsewhere: "Another redirection account owns this MAC; its owner must release it.",
  needs_url: "No provisioning URL: set one on the phone, its customer or the organization.",
  removing: "Being deregistered before it is deleted.",
};

/** Statuses that are on their way by themselves (the live pages poll while any phone is in one). */
export const IN_PROGRESS_STATUSES = [
  "pending",
  "syncing",
  "retrying",
  "waiting",
  "removing",
] as const satisfies readonly SyncStatus[];
