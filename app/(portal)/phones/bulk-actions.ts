"use server";
import { revalidatePath } from "next/cache";
import { notFound } from "next/navigation";
import { z } from "zod";
import { formAction, provisioningUrl } from "@/lib/actions/action";
import { auditCustomerNames, recordAudit } from "@/lib/audit/record";
import type { AuditUser } from "@/lib/audit/record";
import { applyBulkOperation, MAX_BULK_PHONES, type BulkOperation, type BulkSelection } from "@/lib/data/bulk-phones";
import { FETCH_FILTERS } from "@/lib/data/phones";
import { describeAuditMacs } from "@/lib/audit/summary";
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
  const audit = await describeBulkForAudit(user, input, op);
  await recordAudit(
    user,
    "phone.bulk",
    audit.customerId ? { type: "customer", id: audit.customerId } : { type: "phone", id: null },
    `${countOf(result.count, "phone")} ${LABELS[input.operation]}${audit.detail}: ${describeAuditMacs(result.auditMacs, result.selected)}${audit.filter}`,
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

/**
 * What the audit row adds to "N phones moved": `detail`, the customer moved to (or the re-point
 * URL), before the MACs; `filter`, the filter's customer, status and search, after them; and the
 * customer the row links to (the destination of a move, else the filtered customer).
 */
async function describeBulkForAudit(
  user: AuditUser,
  input: z.infer<typeof BulkSchema>,
  op: BulkOperation,
): Promise<{ detail: string; filter: string; customerId: string | null }> {
  const parts: string[] = [];
  let customerId: string | null = null;
  if (op.kind === "move") {
    const [name] = await auditCustomerNames(user, [op.customerId]);
    parts.push(` to “${name ?? op.customerId}”`);
    customerId = op.customerId;
  }
  if (op.kind === "repoint") parts.push(` to ${op.template}`);
  if (input.selection === "filter") {
    const filter: string[] = [];
    if (input.customer) {
      const [name] = await auditCustomerNames(user, [input.customer]);
      filter.push(`customer “${name ?? input.customer}”`);
      customerId ??= input.customer;
    }
    if (input.status) filter.push(`status ${input.status}`);
    if (input.q) filter.push(`search “${input.q}”`);
    if (input.fetch) filter.push(`fetch ${input.fetch}`);
    if (input.firmware) filter.push(`firmware ${input.firmware}`);
    return {
      detail: parts.join(""),
      filter: filter.length ? ` (filter: ${filter.join(", ")})` : " (filter: all phones)",
      customerId,
    };
  }
  return { detail: parts.join(""), filter: "", customerId };
}
