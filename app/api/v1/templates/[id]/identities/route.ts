import { apiMutation, withPathParams } from "@/lib/api/handler";
import { registerFromTemplate } from "@/lib/templates/register";

/** Registers an identity from the template: a name and a purpose; 202 with the request when it needs approval. */
export const POST = apiMutation(registerFromTemplate, { status: 201, input: withPathParams({ id: "templateId" }) });
