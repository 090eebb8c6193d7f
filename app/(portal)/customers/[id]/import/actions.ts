"use server";
import { notFound } from "next/navigation";
import { revalidatePath } from "next/cache";
import { z } from "zod";
import { formAction } from "@/lib/actions/action";
import { prisma } from "@/lib/db";
import { getCustomer } from "@/lib/data/customers";
import { addImport, checkImport, type CheckedPreview } from "@/lib/import/flow";
import { checkNewMacsWithSnom } from "@/lib/import/snom-check";
import { MAX_IMPORT_LINES } from "@/lib/import/types";
import { describeAdded, type ImportActionData, type ImportView } from "@/lib/import/view";
import { pokeInProcessWorker } from "@/lib/sync/in-process";

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

const MoveMacsSchema = z.array(z.string().max(64)).max(MAX_IMPORT_LINES);

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
    const moves = MoveMacsSchema.safeParse(formData.getAll("move"));
    if (!moves.success) return { message: "The chosen moves are not valid; check again." };
    const result = await addImport(prisma, actor, source, {
      digest: input.digest ?? "",
      moveMacs: moves.data,
      confirmNonSnom: input.confirmNonSnom === "yes",
    });
    if (!result.ok) {
      const data: ImportActionData = result.preview ? { view: toView(result.preview, input.text) } : {};
      return { message: result.error, data };
    }
    revalidatePath(`/customers/${customer.id}`);
    revalidatePath("/phones");
    pokeInProcessWorker();
    const data: ImportActionData = { added: result };
    return { ok: true, message: describeAdded(result), data };
  }

  const checked = await checkImport(prisma, actor, source);
  if (!checked.ok) return { message: checked.error, fieldErrors: { text: [checked.error] } };
  const view = toView(checked, input.text);
  if (input.intent === "snom") {
    const fresh = checked.preview.rows.flatMap((r) => (r.status === "ok" ? [r.mac] : []));
    Object.assign(view, await checkNewMacsWithSnom(user.organizationId, fresh));
  }
  const data: ImportActionData = { view };
  return { data };
});
