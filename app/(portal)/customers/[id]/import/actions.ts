"use server";
import { notFound } from "next/navigation";
import { z } from "zod";
import { formAction } from "@/lib/actions/action";
import { prisma } from "@/lib/db";
import { getCustomer } from "@/lib/data/customers";
import { checkImport, type CheckedPreview } from "@/lib/import/flow";
import { runImportAdd } from "../../../import/add-step";
import { checkNewMacsWithSnom } from "@/lib/import/snom-check";
import type { ImportActionData, ImportView } from "@/lib/import/view";

/** 10000 lines with a label and a model each fit comfortably. */
const MAX_PASTE_CHARS = 1_000_000;

const PasteImportSchema = z.object({
  customerId: z.string().min(1).max(64),
  text: z
    .string()
    .max(MAX_PASTE_CHARS, `The pasted text is longer than ${MAX_PASTE_CHARS} characters; import it in parts.`),
  intent: z.enum(["check", "snom", "add"]),
  digest: z.string().max(64).optional(),
  confirmNonSnom: z.literal("yes").optional(),
});

function toView(checked: CheckedPreview, text: string): ImportView {
  // Multipart encoding turned the box's line ends into CRLF; the browser's textarea uses LF.
  const checkedText = text.replace(/\r\n?/g, "\n");
  return { rows: checked.preview.rows, counts: checked.preview.counts, digest: checked.digest, checkedText };
}

export const pasteImportAction = formAction("phones:write", PasteImportSchema, async (input, user, formData) => {
  const customer = await getCustomer(user, input.customerId);
  if (!customer) notFound();
  const actor = { organizationId: user.organizationId, userId: user.id };
  const source = { kind: "paste" as const, text: input.text, customerId: customer.id };

  if (input.intent === "add") {
    return runImportAdd(user, source, input, formData, (checked) => toView(checked, input.text));
  }

  const checked = await checkImport(prisma, actor, source);
  if (!checked.ok) return { message: checked.error, fieldErrors: { text: [checked.error] } };
  const view = toView(checked, input.text);
  if (input.intent === "snom") {
    const fresh = checked.preview.rows.flatMap((r) => (r.status === "ok" ? [r.mac] : []));
    Object.assign(view, await checkNewMacsWithSnom(user, fresh));
  }
  const data: ImportActionData = { view };
  return { data };
});
