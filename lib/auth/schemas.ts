import { z } from "zod";

export const PasswordSchema = z
  .string()
  .min(10, "Use at least 10 characters.")
  .max(200, "At most 200 characters.");

export const EmailSchema = z.string().trim().toLowerCase().email("Enter a valid e-mail address.").max(200);
