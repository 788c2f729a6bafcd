import Link from "next/link";
import type { ActionState } from "@/lib/auth/action";

/** The outcome of a form's server action, announced to screen readers. */
export function FormMessage({ state }: { state: ActionState }) {
  if (state.status === "idle") return null;
  if (state.status === "sent_for_approval") {
    return (
      <p role="status" className="text-sm text-amber-800">
        {state.message}{" "}
        <Link href={state.link} className="underline">
          Open the request
        </Link>
      </p>
    );
  }
  const ok = state.status === "ok";
  return (
    <p role={ok ? "status" : "alert"} className={`text-sm ${ok ? "text-emerald-700" : "text-red-700"}`}>
      {state.message}
    </p>
  );
}

export function FieldError({ state, name }: { state: ActionState; name: string }) {
  const message = state.status === "error" ? state.fields?.[name] : undefined;
  if (!message) return null;
  return (
    <p id={`${name}-error`} className="mt-0.5 text-xs text-red-700">
      {name}: {message}
    </p>
  );
}
