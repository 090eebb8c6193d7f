import { useId, type ComponentProps, type ReactNode } from "react";
import { cn } from "@/lib/utils";

const controlClass =
  "block w-full rounded-md border border-slate-300 bg-white px-3 py-2 text-sm text-slate-900 shadow-xs placeholder:text-slate-400 focus:border-sky-600 focus:outline-2 focus:outline-sky-600/30 aria-[invalid=true]:border-red-600";

type FieldProps = {
  label: string;
  /** Marks the label as required (an asterisk, read out as "required"); also set on the control. */
  required?: boolean;
  errors?: string[];
  hint?: ReactNode;
  className?: string;
  /** Shown right below the errors, e.g. a link that helps fix them ("Open that phone"). */
  afterErrors?: ReactNode;
};

function FieldShell({
  id,
  label,
  required,
  errors,
  hint,
  className,
  afterErrors,
  children,
}: FieldProps & { id: string; children: ReactNode }) {
  return (
    <div className={cn("space-y-1", className)}>
      {/* The asterisk stays outside the label: the control's name is the label alone, and its
          `required` attribute tells assistive technology. */}
      <div className="flex items-baseline gap-0.5">
        <label htmlFor={id} className="block text-sm font-medium text-slate-800">
          {label}
        </label>
        {required && (
          <span className="text-sm text-red-700" aria-hidden="true" title="Required">
            *
          </span>
        )}
      </div>
      {children}
      {hint && (
        <p id={`${id}-hint`} className="text-xs text-slate-500">
          {hint}
        </p>
      )}
      {errors && errors.length > 0 && (
        <ul id={`${id}-error`} className="text-sm text-red-700" role="alert">
          {errors.map((e) => (
            <li key={e}>{e}</li>
          ))}
        </ul>
      )}
      {afterErrors}
    </div>
  );
}

function describedBy(id: string, props: FieldProps) {
  const ids = [props.hint ? `${id}-hint` : null, props.errors?.length ? `${id}-error` : null].filter(Boolean);
  return ids.length ? ids.join(" ") : undefined;
}

/** A labelled input with its hint and its errors next to it (aria-invalid, aria-describedby). */
export function InputField({
  label,
  required,
  errors,
  hint,
  className,
  afterErrors,
  ...input
}: FieldProps & ComponentProps<"input">) {
  const generated = useId();
  const id = input.id ?? generated;
  return (
    <FieldShell
      id={id}
      label={label}
      required={required}
      errors={errors}
      hint={hint}
      className={className}
      afterErrors={afterErrors}
    >
      <input
        id={id}
        aria-invalid={errors?.length ? true : undefined}
        aria-describedby={describedBy(id, { label, errors, hint })}
        className={controlClass}
        required={required}
        {...input}
      />
    </FieldShell>
  );
}

export function TextareaField({ label, required, errors, hint, className, ...rest }: FieldProps & ComponentProps<"textarea">) {
  const generated = useId();
  const id = rest.id ?? generated;
  return (
    <FieldShell id={id} label={label} required={required} errors={errors} hint={hint} className={className}>
      <textarea
        id={id}
        aria-invalid={errors?.length ? true : undefined}
        aria-describedby={describedBy(id, { label, errors, hint })}
        className={controlClass}
        required={required}
        {...rest}
      />
    </FieldShell>
  );
}

export function SelectField({
  label,
  required,
  errors,
  hint,
  className,
  children,
  ...rest
}: FieldProps & ComponentProps<"select">) {
  const generated = useId();
  const id = rest.id ?? generated;
  return (
    <FieldShell id={id} label={label} required={required} errors={errors} hint={hint} className={className}>
      <select
        // React 19 resets a form after its action to the controls' defaults, and a <select> keeps the
        // default it was first rendered with: a new default (the value sent back with an error) needs
        // a fresh element, or the user's choice snaps back.
        key={rest.defaultValue !== undefined ? String(rest.defaultValue) : undefined}
        id={id}
        aria-invalid={errors?.length ? true : undefined}
        aria-describedby={describedBy(id, { label, errors, hint })}
        className={controlClass}
        required={required}
        {...rest}
      >
        {children}
      </select>
    </FieldShell>
  );
}

export const inputClass = controlClass;
