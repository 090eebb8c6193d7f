"use server";
import { revalidatePath } from "next/cache";
import { z } from "zod";
import { formAction } from "@/lib/actions/action";
import { checkServiceNow } from "@/lib/data/sync-overview";
import { pokeInProcessWorker } from "@/lib/sync/in-process";
import { stillDownWords } from "@/lib/redirection/outcome-words";

/**
 * "Check now" on the service banner: the organization's next probe goes out at once, and the answer
 * says what it found (waits at most CHECK_NOW_WAIT_MS). `data.outcome` is the ServiceCheckOutcome's
 * kind, which the banner keeps showing after the circuit closed and the banner itself went away.
 */
export const checkServiceNowAction = formAction("phones:sync", z.object({}), async (_input, user) => {
  const outcome = await checkServiceNow(user, { onScheduled: pokeInProcessWorker });
  revalidatePath("/", "layout");
  switch (outcome.kind) {
    case "answering":
      return { ok: true, message: "The redirection service answers again: waiting phones are being sent.", data: { outcome: outcome.kind } };
    case "still_down":
      return {
        ok: false,
        message: stillDownWords(outcome.lastError),
        data: { outcome: outcome.kind },
      };
    case "under_way":
      return { ok: true, message: "Checking the redirection service… this banner updates by itself when it answers.", data: { outcome: outcome.kind } };
  }
});
