"use client";

import { TextAreaField } from "@/components/inventory/fields";
import { useMutationForm, type ServerAction } from "@/components/inventory/use-mutation-form";
import { Button } from "@/components/ui/button";
import { FieldError, FormMessage } from "@/components/ui/form-message";
import type { ActionState } from "@/lib/auth/action";
import type { ReviewOutcome } from "@/lib/db/generated/enums";
import { REVIEW_OUTCOME_LABELS, REVIEW_QUESTIONS } from "@/lib/reviews/labels";
import { useReviewFlash } from "./review-flash";

const OUTCOME_HINTS: Record<ReviewOutcome, string> = {
  KEEP: "It stays as it is and comes back for review one cadence from now.",
  REDUCE: "End the grants ticked below; the rest stay.",
  RETIRE: "Retire it now: every grant and credential ends; its record and history stay.",
};

function RadioGroup({
  legend,
  name,
  options,
  checked,
  state,
}: {
  legend: string;
  name: string;
  options: { value: string; label: string; hint?: string }[];
  checked: string;
  state: ActionState;
}) {
  const invalid = state.status === "error" && Boolean(state.fields?.[name]);
  return (
    // The group points at its error (FieldError's id), so a screen reader reads it with the question.
    <fieldset className="text-sm" aria-invalid={invalid || undefined} aria-describedby={invalid ? `${name}-error` : undefined}>
      <legend className="text-xs font-medium text-slate-700">
        {legend}
        <span aria-hidden="true" className="text-red-700">
          {" "}
          *
        </span>
      </legend>
      <div className="mt-0.5 flex flex-wrap gap-x-4 gap-y-1">
        {options.map((option) => (
          <label key={option.value} className="flex items-center gap-1.5">
            <input type="radio" name={name} value={option.value} defaultChecked={checked === option.value} required />
            <span>{option.label}</span>
            {option.hint ? <span className="text-xs text-slate-500">— {option.hint}</span> : null}
          </label>
        ))}
      </div>
      <FieldError state={state} name={name} />
    </fieldset>
  );
}

/** The owner's attestation: four answers, an outcome (with the grants a reduction ends) and a comment. */
export function AttestReviewForm({
  reviewId,
  grants,
  action,
}: {
  reviewId: string;
  /** The identity's live grants, any of which a reduction may end. */
  grants: { id: string; label: string }[];
  action: ServerAction;
}) {
  const flash = useReviewFlash();
  const form = useMutationForm(action, { onSuccess: (result) => flash(result.message) });
  const { state, value, values } = form;
  const ticked = new Set(values("grantIds"));
  return (
    <form
      key={form.formKey}
      action={form.formAction}
      aria-label="Attest this review"
      className="space-y-3 rounded-md border border-slate-200 bg-white p-3"
    >
      <h3 className="text-sm font-semibold">Your attestation</h3>
      <input type="hidden" name="reviewId" value={reviewId} />
      {REVIEW_QUESTIONS.map((question) => (
        <RadioGroup
          key={question.name}
          legend={question.question}
          name={question.name}
          checked={value(question.name)}
          state={state}
          options={[
            { value: "yes", label: "Yes" },
            { value: "no", label: "No" },
          ]}
        />
      ))}
      <RadioGroup
        legend="Outcome"
        name="outcome"
        checked={value("outcome")}
        state={state}
        options={(Object.keys(REVIEW_OUTCOME_LABELS) as ReviewOutcome[]).map((outcome) => ({
          value: outcome,
          label: REVIEW_OUTCOME_LABELS[outcome],
          hint: OUTCOME_HINTS[outcome],
        }))}
      />
      <fieldset className="text-sm" aria-describedby={state.status === "error" && state.fields?.grantIds ? "grantIds-error" : undefined}>
        <legend className="text-xs font-medium text-slate-700">Grants to end (with “Reduce access”)</legend>
        {grants.length === 0 ? (
          <p className="text-xs text-slate-500">It holds no live grants.</p>
        ) : (
          <div className="mt-0.5 flex flex-col gap-1">
            {grants.map((grant) => (
              <label key={grant.id} className="flex items-center gap-1.5">
                <input type="checkbox" name="grantIds" value={grant.id} defaultChecked={ticked.has(grant.id)} />
                <span>{grant.label}</span>
              </label>
            ))}
          </div>
        )}
        <FieldError state={state} name="grantIds" />
      </fieldset>
      <TextAreaField
        label="Comment"
        name="comment"
        state={state}
        defaultValue={value("comment")}
        hint="Required when an answer is no or the outcome is not keep. Auditors read it."
      />
      <div className="flex items-center gap-3">
        <Button type="submit" disabled={form.pending}>
          Submit attestation
        </Button>
        <FormMessage state={state} />
      </div>
    </form>
  );
}
