"use server";
import { notFound } from "next/navigation";
import { z } from "zod";
import { formAction } from "@/lib/actions/action";
import { prisma } from "@/lib/db";
import { getCustomer } from "@/lib/data/customers";
import { MAX_FILE_BYTES } from "@/lib/import/csv";
import { checkImport, type CheckedPreview } from "@/lib/import/flow";
import { runImportAdd } from "./add-step";
import { IMPORT_FIELDS, type ColumnMapping } from "@/lib/import/types";
import type { ImportActionData, ImportView } from "@/lib/import/view";

/** Columns a mapping may name; a wider file keeps the detected mapping for the rest. */
const MAX_MAPPED_COLUMNS = 50;

const FileImportSchema = z.object({
  intent: z.enum(["check", "add"]),
  defaultCustomerId: z
    .string()
    .max(64)
    .optional()
    .transform((v) => v || undefined),
  mapped: z.literal("yes").optional(),
  digest: z.string().max(64).optional(),
  confirmNonSnom: z.literal("yes").optional(),
});

const UploadSchema = z
  .instanceof(File, { message: "Choose a CSV or TSV file." })
  .refine((f) => f.size > 0, "The file is empty.")
  .refine(
    (f) => f.size <= MAX_FILE_BYTES,
    `The file is larger than ${MAX_FILE_BYTES / 1024 / 1024} MB; split it into smaller files.`,
  );

const ColumnChoiceSchema = z.enum([...IMPORT_FIELDS, "ignore"]);

/** The user's choice per column (`col-0`, `col-1`, …): one field per column, one column per field. */
function readMapping(formData: FormData): { ok: true; mapping: ColumnMapping } | { ok: false; error: string } {
  const mapping: ColumnMapping = {};
  for (let i = 0; i < MAX_MAPPED_COLUMNS; i++) {
    const raw = formData.get(`col-${i}`);
    if (raw === null) continue;
    const choice = ColumnChoiceSchema.safeParse(raw);
    if (!choice.success) return { ok: false, error: `Column ${i + 1}: choose one of the listed fields.` };
    if (choice.data === "ignore") continue;
    if (mapping[choice.data] !== undefined) {
      return {
        ok: false,
        error: `Columns ${mapping[choice.data]! + 1} and ${i + 1} are both mapped to the same field; choose one.`,
      };
    }
    mapping[choice.data] = i;
  }
  if (mapping.mac === undefined) return { ok: false, error: "Choose the column that holds the MAC addresses." };
  return { ok: true, mapping };
}

function toView(checked: CheckedPreview, name: string): ImportView {
  return {
    rows: checked.preview.rows,
    counts: checked.preview.counts,
    digest: checked.digest,
    file: checked.file ? { name, ...checked.file } : undefined,
  };
}

export const fileImportAction = formAction("phones:write", FileImportSchema, async (input, user, formData) => {
  // The form offers only the organization's customers: another id is a foreign or stale one, a 404.
  if (input.defaultCustomerId && !(await getCustomer(user, input.defaultCustomerId))) notFound();
  const upload = UploadSchema.safeParse(formData.get("file"));
  if (!upload.success) {
    const message = upload.error.issues[0]?.message ?? "Choose a CSV or TSV file.";
    return { message, fieldErrors: { file: [message] } };
  }
  let mapping: ColumnMapping | undefined;
  if (input.mapped === "yes") {
    const read = readMapping(formData);
    if (!read.ok) return { message: read.error, fieldErrors: { mapping: [read.error] } };
    mapping = read.mapping;
  }
  const file = upload.data;
  // The file is read again on every step: nothing from an earlier step is trusted.
  const bytes = new Uint8Array(await file.arrayBuffer());
  const source = {
    kind: "file" as const,
    bytes,
    mapping,
    exactMapping: mapping !== undefined,
    defaultCustomerId: input.defaultCustomerId,
  };
  const actor = { organizationId: user.organizationId, userId: user.id };

  if (input.intent === "add") {
    return runImportAdd(user, source, input, formData, (checked) => toView(checked, file.name), file.name);
  }

  const checked = await checkImport(prisma, actor, source);
  if (!checked.ok) return { message: checked.error, fieldErrors: { file: [checked.error] } };
  const data: ImportActionData = { view: toView(checked, file.name) };
  return { data };
});
