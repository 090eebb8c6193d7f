"use client";
import type { ComponentProps } from "react";

/** A filter select that applies itself: choosing an option submits its (GET) form. */
export function AutoSubmitSelect(props: ComponentProps<"select">) {
  return <select {...props} onChange={(e) => e.currentTarget.form?.requestSubmit()} />;
}
