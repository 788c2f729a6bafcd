import "server-only";
import { revalidatePath } from "next/cache";
import { toAppError, type FieldErrors } from "@/lib/errors";
import { SentForApproval } from "@/lib/approvals/request";
import { executeMutation, type Mutation } from "./mutation";
import { getSessionActor } from "./session";
import type { z } from "zod";

// Adapts a lib mutation into a server action for forms (useActionState).
// The session is read here, on the server, for every call: the browser's
// claims about who it is are never trusted.

export type ActionState<Output = unknown> =
  | { status: "idle" }
  | { status: "ok"; message: string; result?: Output }
  /** Nothing changed yet: the change is an approval request, at `link`. */
  | { status: "sent_for_approval"; message: string; link: string }
  | { status: "error"; message: string; fields?: FieldErrors };

export const idleState: ActionState = { status: "idle" };

/** FormData → plain object; a key sent several times (checkboxes) becomes an array. */
export function formDataToObject(formData: FormData): Record<string, unknown> {
  const object: Record<string, unknown> = {};
  for (const key of new Set(formData.keys())) {
    if (key.startsWith("$ACTION")) continue;
    const values = formData.getAll(key).filter((value): value is string => typeof value === "string");
    object[key] = values.length > 1 ? values : values[0];
  }
  return object;
}

export function mutationAction<Input extends z.ZodType, Output>(
  mutation: Mutation<Input, Output>,
  options: {
    success: (result: Output) => string;
    revalidate?: string;
    returnResult?: boolean;
    /** A preview: the mutation runs in full and is rolled back (see executeMutation). */
    dryRun?: boolean;
    /** The mutation's input from the form, where it is more than its fields (an uploaded file); may throw a field error. */
    input?: (formData: FormData) => Promise<unknown>;
  },
) {
  return async function action(_previous: ActionState, formData: FormData): Promise<ActionState<Output>> {
    try {
      const actor = await getSessionActor();
      const input = options.input ? await options.input(formData) : formDataToObject(formData);
      const result = await executeMutation(mutation, actor, input, undefined, { dryRun: options.dryRun });
      if (options.revalidate) revalidatePath(options.revalidate);
      return { status: "ok", message: options.success(result), result: options.returnResult ? result : undefined };
    } catch (error) {
      if (error instanceof SentForApproval) {
        if (options.revalidate) revalidatePath(options.revalidate);
        return {
          status: "sent_for_approval",
          message: `Sent for approval: ${error.request.summary}. Nothing has changed yet; it is applied once approved (${error.request.rule.name}).`,
          link: error.request.link,
        };
      }
      const known = toAppError(error);
      if (known) return { status: "error", message: known.message, fields: known.fields };
      console.error(`Server action ${mutation.name} failed`, error);
      return { status: "error", message: "Something went wrong on our side. The change was not saved." };
    }
  };
}
