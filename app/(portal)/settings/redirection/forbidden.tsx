import { ForbiddenPanel } from "@/components/layout/forbidden-panel";

export default function RedirectionSettingsForbidden() {
  return <ForbiddenPanel sentence="Only admins can change the redirection service account." />;
}
