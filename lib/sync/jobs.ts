// Shapes shared by the worker's parts (claim, dispatch, writer). No "server-only": the worker script
// loads them through tsx.
import type { Transition } from "./transition";

export type PhoneSnapshot = {
  id: string;
  mac: string;
  urlOverride: string | null;
  deletedAt: Date | null;
  customer: { urlTemplate: string | null };
  organization: { urlTemplate: string | null };
};

export type ClaimedJob = {
  id: string;
  phoneId: string;
  organizationId: string;
  mac: string;
  version: number;
  attempts: number;
  claimToken: string;
  leaseUntil: number;
  phone: PhoneSnapshot | null;
};

export type EventRow = {
  organizationId: string;
  phoneId: string;
  mac: string;
  method: string;
  outcome: string;
  actor: string;
  url: string | null;
  httpStatus: number | null;
  rawExcerpt: string | null;
  durationMs: number;
  createdAt: Date;
};

/** What one finished job asks the writer to do. Phone changes apply only if the job is still current. */
export type Outcome = Omit<Transition, "action"> & {
  job: ClaimedJob;
  events: EventRow[];
  action: Exclude<Transition["action"], { kind: "requeue" }>;
};

/** What the batched writer is asked to do, in order. */
export type WriteOp =
  | { kind: "syncing"; phoneId: string }
  | { kind: "outcome"; outcome: Outcome }
  /** The account's circuit opens: written after the results that opened it (circuit-store.ts). */
  | { kind: "open_circuit"; organizationId: string; lastError: string; retryAfterMs?: number };
