import "server-only";
import { unstable_rethrow } from "next/navigation";
import { z } from "zod";
import { requireActionPermission, type SessionUser } from "../auth/guards";
import type { Permission } from "../auth/roles";
import { SESSION_ENDED_FLAG, SESSION_ENDED_MESSAGE } from "../auth/session-ended";
import { ConcurrentChangeError } from "../data/retry";
import { withoutUrlCredentials } from "../redirection/endpoint-url";
import { checkProvisioningUrl, trimUrlInput } from "../urls";
import { requestLogger } from "../log-request";

/** The one shape every form action returns to its form. */
export type ActionState = {
  ok?: boolean;
  message?: string;
  fieldErrors?: Record<string, string[] | undefined>;
  values?: Record<string, string>;
  /** Extra data an action hands back (e.g. a MAC warning the user must confirm). */
  data?: Record<string, unknown>;
};

/**
 * What an action answers when its second argument is not a FormData: React's client always sends
 * one, so only a hand-made request gets here (`["$K1"]` or `[{}, 1]` as the body): a clear
 * state instead of a TypeError (500).
 */
export const UNREADABLE_FORM: ActionState = { message: "The form could not be read. Reload the page and try again." };

export function formValues(formData: FormData): Record<string, string> {
  const values: Record<string, string> = {};
  for (const [key, value] of formData.entries()) {
    if (typeof value === "string" && !key.startsWith("$ACTION")) values[key] = value;
  }
  return values;
}

/** Submitted values fit to send back to the form: no password or secret fields, no `user:password@` in URLs. */
export function withoutSecrets(values: Record<string, string>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(values)
      .filter(([key]) => !/password|secret/i.test(key))
      .map(([key, value]) => [key, withoutUrlCredentials(value)]),
  );
}

/**
 * The answer to a form submitted without a valid session (signed out in another tab, password reset
 * by an admin, expired): SESSION_ENDED_MESSAGE, the submitted values without secrets, and
 * `data.sessionEnded` so the form shows its sign-in link (components/auth/session-ended-alert.tsx).
 */
export function sessionEndedState(formData: FormData): ActionState {
  return {
    message: SESSION_ENDED_MESSAGE,
    values: withoutSecrets(formValues(formData)),
    data: { [SESSION_ENDED_FLAG]: true },
  };
}

/**
 * Every form action goes through here: session and permission first (no valid session:
 * `sessionEndedState`, nothing parsed or written; before the first-run setup: redirect to /setup;
 * role lacks the permission: `{ message: PERMISSION_DENIED_MESSAGES[permission] }`; a user who must
 * still choose their own password: `{ message: PASSWORD_CHANGE_REQUIRED_MESSAGE }`, unless
 * `options.allowPendingPasswordChange`, which only the password change itself sets), then the zod
 * schema; expected failures come back as field errors with the submitted values, unexpected ones
 * throw to error.tsx.
 * The handler finishes with revalidatePath + redirect (outside any try) or returns a state.
 */
export function formAction<S extends z.ZodType>(
  permission: Permission,
  schema: S,
  handler: (input: z.infer<S>, user: SessionUser, formData: FormData) => Promise<ActionState | void>,
  options: { allowPendingPasswordChange?: boolean } = {},
) {
  return async (_prev: ActionState, formData: FormData): Promise<ActionState> => {
    const { user, denied, signedOut } = await requireActionPermission(permission, options);
    // Refused by role or by a pending password change: nothing is parsed or written, and the form says why.
    if (denied !== undefined) return { message: denied, data: { forbidden: true } };
    if (!(formData instanceof FormData)) return UNREADABLE_FORM;
    // No valid session: nothing is parsed or written; the form keeps what was typed (not secrets).
    if (signedOut) return sessionEndedState(formData);
    const values = formValues(formData);
    const parsed = schema.safeParse(values);
    // Submitted values go back to the form so nothing typed is lost, except secrets.
    const echoed = withoutSecrets(values);
    if (!parsed.success) {
      return {
        message: "Please correct the highlighted fields.",
        fieldErrors: z.flattenError(parsed.error).fieldErrors as Record<string, string[]>,
        values: echoed,
      };
    }
    let run: Awaited<ReturnType<typeof answerConcurrentChange<ActionState | void>>>;
    try {
      run = await answerConcurrentChange(() => handler(parsed.data, user, formData));
    } catch (error) {
      // redirect()/notFound() are control flow, not failures: they go on untouched.
      unstable_rethrow(error);
      // Unexpected: logged with the request id the user's error page can be matched by, then to error.tsx.
      (await requestLogger({ organizationId: user.organizationId })).error({ err: error, userId: user.id }, "server action failed");
      throw error;
    }
    if ("concurrentChange" in run) return { message: run.message, values: echoed };
    return run.value ? { values: echoed, ...run.value } : { ok: true };
  };
}

/**
 * Runs `fn`; a write that kept losing races to concurrent writers (ConcurrentChangeError from
 * withTransactionRetry, lib/data/retry.ts) comes back as its message for the form, never as a 500.
 * Everything else, redirect() included, passes through unchanged.
 */
export async function answerConcurrentChange<T>(
  fn: () => Promise<T>,
): Promise<{ value: T } | { concurrentChange: true; message: string }> {
  try {
    return { value: await fn() };
  } catch (error) {
    if (error instanceof ConcurrentChangeError) return { concurrentChange: true, message: error.message };
    throw error;
  }
}

/** Optional text input: "" becomes null, surrounding whitespace trimmed. */
export const optionalText = (max: number) =>
  z
    .string()
    .trim()
    .max(max, `At most ${max} characters.`)
    .transform((v) => (v === "" ? null : v))
    .nullable()
    .optional()
    .transform((v) => v ?? null);

/** A provisioning URL (or template), checked by `checkProvisioningUrl` (lib/urls.ts), as the form checks it. */
export const provisioningUrl = z
  .string()
  .transform(trimUrlInput)
  .superRefine((v, ctx) => {
    if (v.length > 500) return void ctx.addIssue({ code: "custom", message: "At most 500 characters." });
    const check = v === "" ? null : checkProvisioningUrl(v);
    if (check && !check.ok) ctx.addIssue({ code: "custom", message: check.message });
  })
  .transform((v) => (v === "" ? null : v))
  .optional()
  .transform((v) => v ?? null);

