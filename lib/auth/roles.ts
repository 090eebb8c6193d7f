// Pure authorization rules, shared by guards, pages and tests.
import { z } from "zod";

export const RoleSchema = z.enum(["ADMIN", "SALES"]);
export type Role = z.infer<typeof RoleSchema>;

/**
 * What a role may do. `phones:configure` is a phone's own settings file overrides (e.g. its SIP
 * password `user_pass:1`): admins only, like the organization's profiles (`org:manage`), because
 * they carry the line's SIP identity (docs/decisions/0017-phone-settings-admins-only.md).
 * `phones:bulk-delete` is deleting (deregistering) many phones with one bulk action: admins only, as
 * re-pointing many is (`org:manage`); anyone with `phones:write` still deletes one phone from its page
 * (docs/decisions/0019-bulk-delete-admins-only.md).
 */
export type Permission =
  | "customers:write"
  | "phones:write"
  | "phones:configure"
  | "phones:bulk-delete"
  | "users:manage"
  | "org:manage"
  | "phones:sync"
  | "audit:read";

const GRANTS: Record<Role, readonly Permission[]> = {
  ADMIN: ["customers:write", "phones:write", "phones:configure", "phones:bulk-delete", "users:manage", "org:manage", "phones:sync", "audit:read"],
  SALES: ["customers:write", "phones:write", "phones:sync"],
};

export function hasPermission(role: string, permission: Permission): boolean {
  const parsed = RoleSchema.safeParse(role);
  return parsed.success && GRANTS[parsed.data].includes(permission);
}

/**
 * The sentence a user reads when their role lacks a permission: on the 403 page of an admin section
 * and as the message of a server action refused by role. Role denials are 403 with this sentence
 * (the user knows the section exists from the navigation); another organization's ids stay 404.
 */
export const PERMISSION_DENIED_MESSAGES: Record<Permission, string> = {
  "customers:write": "Your role cannot change customers. Ask an admin of your organization.",
  "phones:write": "Your role cannot change phones. Ask an admin of your organization.",
  "phones:configure": "Only admins can change a phone's settings (such as its SIP password). Ask an admin of your organization.",
  "phones:bulk-delete":
    "Only admins can delete many phones at once: each is deregistered at the redirection service. Delete a single phone from its page, or ask an admin.",
  "users:manage": "Only admins can manage users.",
  "org:manage": "Only admins can change the organization's settings and its redirection service account.",
  "phones:sync": "Your role cannot start a sync. Ask an admin of your organization.",
  "audit:read": "Only admins can read the audit log.",
};

export const ROLE_LABELS: Record<Role, string> = { ADMIN: "Admin", SALES: "Sales" };

/**
 * What every server action (but changing the password) and route handler answers while the user
 * must still choose their own password (docs/decisions/0018-initial-passwords.md).
 */
export const PASSWORD_CHANGE_REQUIRED_MESSAGE =
  "Choose your own password first: the one you were given must be changed before you use the portal.";

/**
 * Why a server action must not run for this user, as the sentence its form shows, or null when it
 * may: a password someone else chose comes first (PASSWORD_CHANGE_REQUIRED_MESSAGE, unless
 * `allowPendingPasswordChange`: the password change itself), then the role
 * (PERMISSION_DENIED_MESSAGES).
 */
export function actionDenial(
  user: { role: string; mustChangePassword: boolean },
  permission: Permission,
  { allowPendingPasswordChange = false }: { allowPendingPasswordChange?: boolean } = {},
): string | null {
  if (user.mustChangePassword && !allowPendingPasswordChange) return PASSWORD_CHANGE_REQUIRED_MESSAGE;
  if (!hasPermission(user.role, permission)) return PERMISSION_DENIED_MESSAGES[permission];
  return null;
}
