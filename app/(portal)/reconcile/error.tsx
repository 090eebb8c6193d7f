"use client";
export { PageError as default } from "@/components/layout/route-states";
