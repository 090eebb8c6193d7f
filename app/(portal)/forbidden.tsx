import { ForbiddenPanel } from "@/components/layout/forbidden-panel";

// Sections with a sentence of their own have their own forbidden.tsx (users, settings/redirection).
export default function PortalForbidden() {
  return <ForbiddenPanel sentence="Your role does not allow this page." />;
}
