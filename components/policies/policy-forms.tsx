"use client";

import { Button } from "@/components/ui/button";
import { FormMessage } from "@/components/ui/form-message";
import { JustificationField, TextField } from "@/components/inventory/fields";
import { useMutationForm, type ServerAction } from "@/components/inventory/use-mutation-form";

// Writing a new version of the runtime policies, and activating one. A
// version with problems is refused with each problem at its line and column,
// listed under the editor; activating is a change that needs approval.

/** "line 3, column 10: …; line 7, column 1: …" → one entry per problem. */
function problemList(message: string | undefined): string[] {
  return message ? message.split(/; (?=line \d+, column \d+: )/) : [];
}

export function PolicyEditor({ initialText, action }: { initialText: string; action: ServerAction }) {
  const form = useMutationForm(action, { initial: { text: initialText, note: "" } });
  const { state, value } = form;
  const problems = problemList(state.status === "error" ? state.fields?.text : undefined);
  return (
    <form key={form.formKey} action={form.formAction} aria-label="Write a new policy version" className="space-y-2">
      <label className="block text-xs font-medium text-slate-700">
        Policies (Cedar)
        <textarea
          name="text"
          defaultValue={value("text")}
          rows={24}
          spellCheck={false}
          aria-invalid={problems.length > 0}
          aria-describedby={problems.length > 0 ? "policy-problems" : undefined}
          className="mt-1 block w-full rounded border border-slate-300 p-2 font-mono text-xs leading-5"
        />
      </label>
      {problems.length > 0 ? (
        <ul id="policy-problems" aria-label="Problems in the policies" className="space-y-0.5 text-xs text-red-700">
          {problems.map((problem) => (
            <li key={problem} className="font-mono">
              {problem}
            </li>
          ))}
        </ul>
      ) : null}
      <TextField label="What changed and why" name="note" state={state} defaultValue={value("note")} className="max-w-xl" />
      <div className="flex items-center gap-2">
        <Button type="submit" disabled={form.pending}>
          Save as a new version
        </Button>
        <FormMessage state={state} />
      </div>
    </form>
  );
}

export function ActivateVersionForm({ versionId, number, action }: { versionId: string; number: number; action: ServerAction }) {
  const form = useMutationForm(action);
  const { state } = form;
  return (
    <form key={form.formKey} action={form.formAction} aria-label={`Activate version ${number}`} className="flex flex-wrap items-end gap-2">
      <input type="hidden" name="versionId" value={versionId} />
      <JustificationField state={state} className="w-72" />
      <Button type="submit" variant="secondary" disabled={form.pending}>
        Activate
      </Button>
      <FormMessage state={state} />
    </form>
  );
}
