"use server";
import { notFound } from "next/navigation";
import { revalidatePath } from "next/cache";
import { z } from "zod";
import { formAction } from "@/lib/actions/action";
import { RoleSchema } from "@/lib/auth/roles";
import { EmailSchema, PasswordSchema } from "@/lib/auth/schemas";
import { createUser, setUserPassword, updateUserAccess } from "@/lib/data/users";
import { auditUserLabel, recordAudit } from "@/lib/audit/record";

const CreateUserSchema = z.object({
  name: z.string().trim().min(1, "Enter the user's name.").max(120),
  email: EmailSchema,
  role: RoleSchema,
  password: PasswordSchema,
});

export const createUserAction = formAction("users:manage", CreateUserSchema, async (input, user) => {
  const result = await createUser(user, input);
  if (!result.ok) return result;
  await recordAudit(user, "user.create", { type: "user", id: result.id }, `${input.email} (${input.role})`);
  revalidatePath("/users");
  return {
    ok: true,
    message: `${input.name} can now sign in with ${input.email} and will be asked to choose their own password.`,
  };
});

const AccessSchema = z.object({
  id: z.string().min(1).max(64),
  role: RoleSchema.optional(),
  disabled: z.enum(["true", "false"]).optional(),
});

export const updateUserAccessAction = formAction("users:manage", AccessSchema, async (input, user) => {
  const change = {
    ...(input.role ? { role: input.role } : {}),
    ...(input.disabled ? { disabled: input.disabled === "true" } : {}),
  };
  const result = await updateUserAccess(user, input.id, change);
  if (result === null) notFound();
  if (!result.ok) return result;
  const label = await auditUserLabel(user, input.id);
  await recordAudit(user, input.disabled ? (change.disabled ? "user.disable" : "user.enable") : "user.role", { type: "user", id: input.id }, `${label}${input.role ? `: role → ${input.role}` : ""}`);
  revalidatePath("/users");
  const message =
    change.disabled === true
      ? `${label} is disabled: signed out and can no longer sign in.`
      : change.disabled === false
        ? `${label} is enabled and can sign in again.`
        : `${label} is now ${input.role === "ADMIN" ? "an admin" : "a sales user"}.`;
  return { ok: true, message };
});

export const setUserPasswordAction = formAction(
  "users:manage",
  z.object({ id: z.string().min(1).max(64), password: PasswordSchema }),
  async ({ id, password }, user) => {
    const result = await setUserPassword(user, id, password);
    if (result === null) notFound();
    await recordAudit(user, "user.password_reset", { type: "user", id }, `${await auditUserLabel(user, id)}: new password set; their sessions ended`);
    return {
      ok: true,
      message:
        id === user.id
          ? "Password set."
          : "Password set. Give it to the user over a safe channel: they choose their own at the next sign-in.",
    };
  },
);
