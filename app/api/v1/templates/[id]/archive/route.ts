import { apiMutation, withPathParams } from "@/lib/api/handler";
import { archiveTemplate } from "@/lib/templates/templates";

export const POST = apiMutation(archiveTemplate, { input: withPathParams({ id: "templateId" }) });
