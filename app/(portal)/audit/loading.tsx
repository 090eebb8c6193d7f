export { PageLoading as default } from "@/components/layout/route-states";
