import { NotFoundPanel } from "@/components/layout/not-found-panel";

export default function CustomerNotFound() {
  return <NotFoundPanel what="Customer" backHref="/customers" backLabel="All customers" />;
}
