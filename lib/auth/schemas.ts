import { z } from "zod";

// bcrypt reads at most 72 bytes: a longer password would silently lose its end.
export const PasswordSchema = z
  .string()
  .min(10, "Use at least 10 characters.")
  .refine((v) => Buffer.byteLength(v, "utf8") <= 72, "At most 72 bytes (about 70 characters).");

export const EmailSchema = z.string().trim().toLowerCase().email("Enter a valid e-mail address.").max(200);
