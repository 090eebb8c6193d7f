import { NotFoundPanel } from "@/components/layout/not-found-panel";

export default function PhoneNotFound() {
  return <NotFoundPanel what="Phone" backHref="/phones" backLabel="All phones" />;
}
