"use server";
import { revalidatePath } from "next/cache";
import { z } from "zod";
import { formAction } from "@/lib/actions/action";
import { checkServiceNow } from "@/lib/data/sync-overview";
import { pokeInProcessWorker } from "@/lib/sync/in-process";

/** "Check now" on the service banner: the organization's next probe goes out at once. */
export const checkServiceNowAction = formAction("phones:sync", z.object({}), async (_input, user) => {
  const scheduled = await checkServiceNow(user);
  if (!scheduled) return { ok: true, message: "The redirection service is answering again; nothing to check." };
  pokeInProcessWorker();
  revalidatePath("/", "layout");
  return { ok: true, message: "Checking the redirection service now…" };
});
