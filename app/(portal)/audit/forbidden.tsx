import { PERMISSION_DENIED_MESSAGES } from "@/lib/auth/roles";
import { ForbiddenPanel } from "@/components/layout/forbidden-panel";

export default function AuditForbidden() {
  return <ForbiddenPanel sentence={PERMISSION_DENIED_MESSAGES["audit:read"]} />;
}
