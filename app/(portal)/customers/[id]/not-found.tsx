import Link from "next/link";

export default function CustomerNotFound() {
  return (
    <div className="py-16 text-center">
      <h1 className="text-xl font-semibold">Customer not found</h1>
      <p className="mt-2 text-slate-600">It may have been deleted, or the link is wrong.</p>
      <Link href="/customers" className="mt-4 inline-block text-sky-700 underline">
        All customers
      </Link>
    </div>
  );
}
