"use client";
// Pages outside the portal's sections (sign-in, setup): the same boundary as the portal's own.
export { PageError as default } from "@/components/layout/route-states";
