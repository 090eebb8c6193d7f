import "server-only";
import { revalidatePath } from "next/cache";
import { z } from "zod";
import type { ActionState } from "@/lib/actions/action";
import type { SessionUser } from "@/lib/auth/guards";
import { prisma } from "@/lib/db";
import type { PreviewInput } from "@/lib/import/commit";
import { addImport, type CheckedPreview } from "@/lib/import/flow";
import { MAX_IMPORT_LINES } from "@/lib/import/types";
import { describeAdded, type ImportActionData, type ImportView } from "@/lib/import/view";
import { pokeInProcessWorker } from "@/lib/sync/in-process";
import { auditCustomerNames, recordAudit } from "@/lib/audit/record";
import { describeImportAdd } from "@/lib/audit/summary";

const MoveMacsSchema = z.array(z.string().max(64)).max(MAX_IMPORT_LINES);

/**
 * The "Add" step shared by the paste box and the file import: re-checks the source on the server,
 * commits exactly what the user saw (or explains why not), refreshes the pages and wakes the worker.
 */
export async function runImportAdd(
  user: SessionUser,
  source: PreviewInput,
  input: { digest?: string; confirmNonSnom?: "yes" },
  formData: FormData,
  toView: (checked: CheckedPreview) => ImportView,
  fileName?: string,
): Promise<ActionState> {
  const moves = MoveMacsSchema.safeParse(formData.getAll("move"));
  if (!moves.success) return { message: "The chosen moves are not valid; check again." };
  const actor = { organizationId: user.organizationId, userId: user.id };
  const result = await addImport(prisma, actor, source, {
    digest: input.digest ?? "",
    moveMacs: moves.data,
    confirmNonSnom: input.confirmNonSnom === "yes",
  });
  if (!result.ok) {
    const data: ImportActionData = result.preview ? { view: toView(result.preview) } : {};
    return { message: result.error, data };
  }
  // The row names (and links) the customer the phones went to; a file spread over several names them all.
  const customers = await auditCustomerNames(user, result.customerIds);
  const targetId =
    source.kind === "paste"
      ? source.customerId
      : result.customerIds.length === 1
        ? result.customerIds[0]
        : (source.defaultCustomerId ?? null);
  await recordAudit(
    user,
    source.kind === "paste" ? "import.paste_add" : "import.file_add",
    { type: "customer", id: targetId },
    describeImportAdd({ fileName: source.kind === "file" ? (fileName ?? "") : null, customers, ...result }),
  );
  for (const id of result.customerIds) revalidatePath(`/customers/${id}`);
  revalidatePath("/customers");
  revalidatePath("/phones");
  pokeInProcessWorker();
  const data: ImportActionData = {
    added: source.kind === "file" ? { ...result, perCustomer: await countBatchPerCustomer(user, result.batchId) } : result,
  };
  return { ok: true, message: describeAdded(result), data };
}

/** Phones of one import per customer id (what the file import's progress lines start from). */
async function countBatchPerCustomer(user: SessionUser, batchId: string): Promise<Record<string, number>> {
  const groups = await prisma.phone.groupBy({
    by: ["customerId"],
    where: { organizationId: user.organizationId, importBatchId: batchId, deletedAt: null },
    _count: { _all: true },
  });
  return Object.fromEntries(groups.map((g) => [g.customerId, g._count._all]));
}
