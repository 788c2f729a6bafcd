import { apiMutation, withPathParams } from "@/lib/api/handler";
import { addRequirement } from "@/lib/controls/framework-import";

/** Security leads: one requirement added to a framework of your own (the shipped catalogs take none). */
export const POST = apiMutation(addRequirement, { status: 201, input: withPathParams({ id: "frameworkId" }) });
