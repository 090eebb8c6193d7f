import { ForbiddenPanel } from "@/components/layout/forbidden-panel";

export default function ProvisioningSettingsForbidden() {
  return (
    <ForbiddenPanel sentence="Only admins can change the organization's settings and its redirection service account." />
  );
}
