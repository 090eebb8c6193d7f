"use server";
import { revalidatePath } from "next/cache";
import { notFound } from "next/navigation";
import { z } from "zod";
import { formAction, provisioningUrl } from "@/lib/actions/action";
import { recordAudit } from "@/lib/audit/record";
import { applyBulkOperation, MAX_BULK_PHONES, type BulkOperation, type BulkSelection } from "@/lib/data/bulk-phones";
import { FETCH_FILTERS } from "@/lib/data/phones";
import { countOf } from "@/lib/format";

const BulkSchema = z
  .object({
    selection: z.enum(["checked", "macs", "filter"], { error: "Choose what to act on." }),
    operation: z.enum(["move", "delete", "retry", "repoint"], { error: "Choose an action." }),
    macs: z.string().max(500_000, "At most 500 000 characters.").optional(),
    customerId: z.string().max(64).optional(),
    template: provisioningUrl,
    q: z.string().max(200).optional(),
    customer: z.string().max(64).optional(),
    status: z.string().max(40).optional(),
    fetch: z.enum(FETCH_FILTERS).or(z.literal("")).optional(),
    days: z.coerce.number().int().min(0).max(3650).optional(),
    firmware: z.string().max(40).optional(),
  })
  .superRefine((v, ctx) => {
    if (v.operation === "move" && !v.customerId)
      ctx.addIssue({ code: "custom", path: ["customerId"], message: "Choose the customer to move the phones to." });
    if (v.operation === "repoint" && !v.template)
      ctx.addIssue({ code: "custom", path: ["template"], message: "Enter the new provisioning URL." });
    if (v.selection === "macs" && !v.macs?.trim())
      ctx.addIssue({ code: "custom", path: ["macs"], message: "Paste at least one MAC." });
  });

const LABELS = { move: "moved", delete: "queued for deletion", retry: "queued again", repoint: "re-pointed" } as const;

/** One action on many phones of the list: ticked rows, pasted MACs, or all matching the filter. */
export const bulkPhonesAction = formAction("phones:write", BulkSchema, async (input, user, formData) => {
  const ids = formData
    .getAll("phoneId")
    .filter((v): v is string => typeof v === "string")
    .slice(0, MAX_BULK_PHONES + 1);
  const selection: BulkSelection =
    input.selection === "checked"
      ? { kind: "ids", phoneIds: ids }
      : input.selection === "macs"
        ? { kind: "macs", text: input.macs ?? "" }
        : {
            kind: "filter",
            filter: {
              q: input.q || undefined,
              customerId: input.customer || undefined,
              status: input.status || undefined,
              fetch: input.fetch || undefined,
              neverDays: input.days,
              firmware: input.firmware || undefined,
            },
          };
  if (input.selection === "checked" && ids.length === 0) return { message: "Tick at least one phone." };
  const op: BulkOperation =
    input.operation === "move"
      ? { kind: "move", customerId: input.customerId! }
      : input.operation === "repoint"
        ? { kind: "repoint", template: input.template! }
        : { kind: input.operation };
  const result = await applyBulkOperation(user, selection, op);
  if (result === null) notFound();
  if (!result.ok) return { message: result.message, fieldErrors: result.fieldErrors };
  await recordAudit(
    user,
    "phone.bulk",
    { type: "phone", id: null },
    `${countOf(result.count, "phone")} ${LABELS[input.operation]}${op.kind === "repoint" ? ` to ${op.template}` : ""}`,
  );
  revalidatePath("/phones");
  const notes = [
    result.unknownMacs.length
      ? `Not in the portal: ${result.unknownMacs.slice(0, 10).join(", ")}${result.unknownMacs.length > 10 ? ` and ${result.unknownMacs.length - 10} more` : ""}.`
      : "",
    result.invalid.length
      ? `Not MACs: ${result.invalid.slice(0, 5).join(", ")}${result.invalid.length > 5 ? "…" : ""}.`
      : "",
  ].filter(Boolean);
  return {
    ok: true,
    message: `${countOf(result.count, "phone")} ${LABELS[input.operation]}.${notes.length ? " " + notes.join(" ") : ""}`,
    data: result.runId ? { runId: result.runId } : undefined,
  };
});
