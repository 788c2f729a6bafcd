"use client";

import { useEffect, useId, useRef, useState } from "react";

export interface PersonChoice {
  id: string;
  label: string;
}

/**
 * Picks one person by typing part of a name or email (an ARIA combobox).
 * Organisations have thousands of people, so choices come from the server as
 * you type (GET /people) instead of one enormous <select>. The chosen id is
 * submitted in a hidden input named `name`.
 */
export function PersonPicker({
  name,
  label,
  initial = null,
  assignable = false,
  required = false,
  placeholder = "Type a name or email",
  className = "",
}: {
  name: string;
  label: string;
  initial?: PersonChoice | null;
  /** Only people who may own identities (no auditors). */
  assignable?: boolean;
  required?: boolean;
  placeholder?: string;
  className?: string;
}) {
  const id = useId();
  const listId = `${id}-list`;
  const [chosen, setChosen] = useState<PersonChoice | null>(initial);
  const [text, setText] = useState(initial?.label ?? "");
  const [options, setOptions] = useState<PersonChoice[]>([]);
  const [open, setOpen] = useState(false);
  const [active, setActive] = useState(0);
  const request = useRef(0);

  useEffect(() => {
    if (!open) return;
    const ticket = ++request.current;
    const timer = setTimeout(async () => {
      const params = new URLSearchParams({ q: text === chosen?.label ? "" : text, ...(assignable ? { assignable: "1" } : {}) });
      const response = await fetch(`/people?${params}`);
      if (!response.ok || ticket !== request.current) return;
      setOptions(((await response.json()) as { people: PersonChoice[] }).people);
      setActive(0);
    }, 150);
    return () => clearTimeout(timer);
  }, [text, open, assignable, chosen?.label]);

  function choose(person: PersonChoice) {
    setChosen(person);
    setText(person.label);
    setOpen(false);
  }

  return (
    <div className={`relative ${className}`}>
      <label htmlFor={id} className="block text-xs font-medium text-slate-700">
        {label}
      </label>
      <input
        id={id}
        type="text"
        role="combobox"
        aria-expanded={open && options.length > 0}
        aria-controls={listId}
        aria-autocomplete="list"
        aria-activedescendant={open && options[active] ? `${listId}-${active}` : undefined}
        autoComplete="off"
        placeholder={placeholder}
        value={text}
        required={required}
        onChange={(event) => {
          setText(event.target.value);
          setChosen(null);
          setOpen(true);
        }}
        onFocus={() => setOpen(true)}
        onBlur={() => setTimeout(() => setOpen(false), 150)}
        onKeyDown={(event) => {
          if (event.key === "ArrowDown") {
            event.preventDefault();
            setOpen(true);
            setActive((index) => Math.min(index + 1, options.length - 1));
          } else if (event.key === "ArrowUp") {
            event.preventDefault();
            setActive((index) => Math.max(index - 1, 0));
          } else if (event.key === "Enter" && open && options[active]) {
            event.preventDefault();
            choose(options[active]);
          } else if (event.key === "Escape") {
            setOpen(false);
          }
        }}
        className="mt-0.5 block w-full rounded border border-slate-300 bg-white px-2 py-1 text-sm"
      />
      <input type="hidden" name={name} value={chosen?.id ?? ""} />
      {open && options.length > 0 ? (
        <ul
          id={listId}
          role="listbox"
          aria-label={label}
          className="absolute z-20 mt-1 max-h-64 w-full min-w-64 overflow-auto rounded-md border border-slate-200 bg-white py-1 text-sm shadow-md"
        >
          {options.map((person, index) => (
            <li
              key={person.id}
              id={`${listId}-${index}`}
              role="option"
              aria-selected={index === active}
              onMouseDown={(event) => {
                event.preventDefault();
                choose(person);
              }}
              className={`cursor-pointer px-2 py-1 ${index === active ? "bg-slate-100" : ""}`}
            >
              {person.label}
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}
