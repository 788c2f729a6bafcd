"use client";

import { useId, type ChangeEvent, type InputHTMLAttributes, type ReactNode } from "react";
import { FieldError } from "@/components/ui/form-message";
import type { ActionState } from "@/lib/auth/action";

// Labelled form fields for the inventory forms. Each shows the server's error
// for its field right under it (the message names the field), and points the
// input at that error and at its hint for screen readers.

export const inputClass =
  "mt-0.5 block w-full rounded border border-slate-300 bg-white px-2 py-1 text-sm aria-[invalid=true]:border-red-500";

interface FieldProps {
  label: string;
  name: string;
  state: ActionState;
  hint?: string;
  required?: boolean;
  className?: string;
}

/** The attributes every control in a FieldFrame carries: its id, name, state and what describes it. */
interface ControlProps {
  id: string;
  name: string;
  className: string;
  "aria-required"?: true;
  "aria-invalid"?: true;
  "aria-describedby"?: string;
}

function FieldFrame({
  label,
  name,
  state,
  hint,
  required,
  className = "",
  children,
}: FieldProps & { children: (control: ControlProps) => ReactNode }) {
  const id = useId();
  const invalid = state.status === "error" && Boolean(state.fields?.[name]);
  const describedBy = [hint ? `${id}-hint` : "", invalid ? `${id}-error` : ""].filter(Boolean).join(" ");
  const control: ControlProps = {
    id,
    name,
    className: inputClass,
    "aria-required": required || undefined,
    "aria-invalid": invalid || undefined,
    "aria-describedby": describedBy || undefined,
  };
  return (
    <div className={`text-xs ${className}`}>
      <label htmlFor={id} className="font-medium text-slate-700">
        {label}
      </label>
      {/* Outside the label, so the field's name stays exactly its label; aria-required says it to screen readers. */}
      {required ? (
        <span aria-hidden="true" className="text-red-700">
          {" "}
          *
        </span>
      ) : null}
      {children(control)}
      {hint ? (
        <p id={`${id}-hint`} className="mt-0.5 text-slate-500">
          {hint}
        </p>
      ) : null}
      <div id={`${id}-error`}>
        <FieldError state={state} name={name} />
      </div>
    </div>
  );
}

export function TextField({
  label,
  name,
  state,
  hint,
  required,
  className,
  defaultValue,
  ...input
}: FieldProps & { defaultValue?: string } & Omit<InputHTMLAttributes<HTMLInputElement>, "name" | "defaultValue" | "required">) {
  return (
    <FieldFrame label={label} name={name} state={state} hint={hint} required={required} className={className}>
      {(control) => <input {...control} defaultValue={defaultValue} autoComplete="off" {...input} />}
    </FieldFrame>
  );
}

export function TextAreaField({
  label,
  name,
  state,
  hint,
  required,
  className,
  defaultValue,
  rows = 3,
  value,
  onChange,
}: FieldProps & { defaultValue?: string; rows?: number; value?: string; onChange?: (value: string) => void }) {
  // Controlled when the form must keep the text across several actions (a form action resets uncontrolled fields).
  const controlled =
    value !== undefined
      ? { value, onChange: (event: ChangeEvent<HTMLTextAreaElement>) => onChange?.(event.target.value) }
      : { defaultValue };
  return (
    <FieldFrame label={label} name={name} state={state} hint={hint} required={required} className={className}>
      {(control) => <textarea {...control} rows={rows} {...controlled} />}
    </FieldFrame>
  );
}

export function SelectField({
  label,
  name,
  state,
  hint,
  required,
  className,
  defaultValue,
  options,
  emptyOption,
}: FieldProps & { defaultValue?: string; options: [string, string][]; emptyOption?: string }) {
  return (
    <FieldFrame label={label} name={name} state={state} hint={hint} required={required} className={className}>
      {(control) => (
        <select {...control} defaultValue={defaultValue}>
          {emptyOption !== undefined ? <option value="">{emptyOption}</option> : null}
          {options.map(([value, text]) => (
            <option key={value} value={value}>
              {text}
            </option>
          ))}
        </select>
      )}
    </FieldFrame>
  );
}

/**
 * Why the change is needed. Sensitive changes (privileged or production
 * access, long-lived credentials, raised autonomy, reactivation …) become
 * approval requests and need it; other changes ignore it.
 */
export function JustificationField({
  state,
  className,
  value,
  onChange,
}: {
  state: ActionState;
  className?: string;
  value?: string;
  onChange?: (value: string) => void;
}) {
  return (
    <TextAreaField
      label="Justification"
      name="justification"
      state={state}
      rows={2}
      value={value}
      onChange={onChange}
      hint="Required when the change needs approval (privileged or production access, long-lived credentials, raised autonomy, reactivation, a system moved into production)"
      className={className}
    />
  );
}
