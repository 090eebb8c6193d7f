import { inputClass } from "./field";
import { Button } from "./button";

/** A plain GET form: the search lives in the URL, works without JavaScript, and is shareable. */
export function SearchForm({
  action,
  q,
  label,
  placeholder,
  children,
}: {
  action: string;
  q?: string;
  label: string;
  placeholder?: string;
  children?: React.ReactNode;
}) {
  return (
    <form action={action} method="get" role="search" className="mb-4 flex flex-wrap items-end gap-2">
      <div className="min-w-60 flex-1">
        <label htmlFor="search-q" className="mb-1 block text-sm font-medium text-slate-800">
          {label}
        </label>
        <input id="search-q" name="q" defaultValue={q} placeholder={placeholder} className={inputClass} type="search" />
      </div>
      {children}
      <Button type="submit" variant="secondary">
        Search
      </Button>
    </form>
  );
}
