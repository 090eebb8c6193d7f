import { ForbiddenPanel } from "@/components/layout/forbidden-panel";

export default function ReconcileForbidden() {
  return (
    <ForbiddenPanel sentence="Only admins can change the organization's settings and its redirection service account." />
  );
}
