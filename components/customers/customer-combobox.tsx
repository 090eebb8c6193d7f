"use client";
import { useEffect, useId, useRef, useState } from "react";
import { inputClass } from "@/components/ui/field";

type Choice = { id: string; name: string; number: string };

const label = (c: Choice) => `${c.name} (${c.number})`;

/**
 * The phones list's customer filter: type part of a name or number, pick from at most 20 matches
 * fetched from /api/customers/choices (the page never carries every customer). Submits its GET
 * form on a pick, like AutoSubmitSelect; the chosen id travels in a hidden `name` field, empty for
 * "All customers". ARIA combobox pattern (list autocomplete): arrows move, Enter picks, Escape closes.
 */
export function CustomerCombobox({
  name,
  selected,
  autoSubmit = true,
  fieldLabel = "Customer",
  emptyLabel = "All customers",
}: {
  name: string;
  selected: Choice | null;
  /** Submit the surrounding form on a pick (a filter); off where the form has its own button. */
  autoSubmit?: boolean;
  fieldLabel?: string;
  /** The first option, meaning "none chosen" (its id is empty). */
  emptyLabel?: string;
}) {
  const id = useId();
  const listId = `${id}-list`;
  const [text, setText] = useState(selected ? label(selected) : "");
  const [value, setValue] = useState(selected?.id ?? "");
  const [open, setOpen] = useState(false);
  const [choices, setChoices] = useState<Choice[]>([]);
  const [active, setActive] = useState(-1);
  const [error, setError] = useState<string | null>(null);
  const hidden = useRef<HTMLInputElement>(null);
  const query = useRef<string | null>(null);
  /** The label of what is chosen now: the box shows it again after Escape or leaving the field. */
  const chosen = useRef(selected ? label(selected) : "");
  const [chosenLabel, setChosenLabel] = useState(selected ? label(selected) : "");
  /** What the user typed, when it is not the chosen customer's label ("" otherwise). */
  const typed = text !== chosenLabel ? text : "";

  useEffect(() => {
    if (!open) return;
    const q = typed;
    if (query.current === q) return;
    const controller = new AbortController();
    const timer = setTimeout(async () => {
      try {
        const res = await fetch(`/api/customers/choices?${new URLSearchParams({ q })}`, { signal: controller.signal });
        if (!res.ok) throw new Error(`HTTP ${res.status}`);
        const body = (await res.json()) as { customers: Choice[] };
        query.current = q;
        setChoices(body.customers);
        setActive(-1);
        setError(null);
      } catch (e) {
        if (!controller.signal.aborted) setError(`Could not load customers (${(e as Error).message}).`);
      }
    }, 150);
    return () => {
      clearTimeout(timer);
      controller.abort();
    };
  }, [open, typed]);

  const none: Choice = { id: "", name: emptyLabel, number: "" };
  // While the user types, the list holds only matches: the first ArrowDown lands on the first match.
  const options: Choice[] = typed.trim() ? choices : [none, ...choices];

  function pick(choice: Choice) {
    const shown = choice.id ? label(choice) : "";
    chosen.current = shown;
    setChosenLabel(shown);
    setValue(choice.id);
    setText(shown);
    setOpen(false);
    if (hidden.current) hidden.current.value = choice.id;
    if (autoSubmit) hidden.current?.form?.requestSubmit();
  }

  return (
    <div className="relative">
      <label htmlFor={id} className="mb-1 block text-sm font-medium text-slate-800">
        {fieldLabel}
      </label>
      <input type="hidden" name={name} value={value} ref={hidden} />
      <input
        id={id}
        role="combobox"
        aria-expanded={open}
        aria-controls={listId}
        aria-autocomplete="list"
        aria-activedescendant={open && active >= 0 ? `${listId}-${active}` : undefined}
        autoComplete="off"
        placeholder={emptyLabel}
        className={inputClass}
        value={text}
        onFocus={() => setOpen(true)}
        onBlur={() =>
          setTimeout(() => {
            setOpen(false);
            setText(chosen.current);
          }, 150)
        }
        onChange={(e) => {
          setText(e.target.value);
          setActive(-1);
          setOpen(true);
        }}
        onKeyDown={(e) => {
          if (e.key === "ArrowDown") {
            e.preventDefault();
            setOpen(true);
            setActive((a) => Math.min(a + 1, options.length - 1));
          } else if (e.key === "ArrowUp") {
            e.preventDefault();
            setActive((a) => Math.max(a - 1, 0));
          } else if (e.key === "Enter") {
            // Enter never sends the form with a customer other than the one the box shows.
            if (open && active >= 0 && options[active]) {
              e.preventDefault();
              pick(options[active]);
            } else if (text.trim() === "") {
              e.preventDefault();
              pick(none);
            } else if (typed) {
              e.preventDefault();
              // One match for what was typed: that is the one meant.
              if (query.current === typed && choices.length === 1) pick(choices[0]);
              else setOpen(true);
            }
          } else if (e.key === "Escape") {
            setOpen(false);
            setText(chosenLabel);
          }
        }}
      />
      {open && (
        <ul
          id={listId}
          role="listbox"
          aria-label="Customers"
          className="absolute z-10 mt-1 max-h-72 w-full min-w-64 overflow-auto rounded-md border border-slate-300 bg-white py-1 text-sm shadow-lg"
        >
          {options.map((c, i) => (
            <li
              key={c.id || "all"}
              id={`${listId}-${i}`}
              role="option"
              aria-selected={c.id === value}
              className={`cursor-pointer px-3 py-1.5 ${i === active ? "bg-sky-100" : ""}`}
              onMouseDown={(e) => {
                e.preventDefault();
                pick(c);
              }}
            >
              {c.id ? label(c) : c.name}
            </li>
          ))}
          {error && <li className="px-3 py-1.5 text-red-700">{error}</li>}
        </ul>
      )}
    </div>
  );
}
