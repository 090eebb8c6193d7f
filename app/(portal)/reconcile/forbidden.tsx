import { ForbiddenPanel } from "@/components/layout/forbidden-panel";

export default function ReconcileForbidden() {
  return <ForbiddenPanel sentence="Only admins can reconcile the organization's phones with the redirection service or re-point them." />;
}
