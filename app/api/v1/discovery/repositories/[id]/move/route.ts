import { apiMutation, withPathParams } from "@/lib/api/handler";
import { moveRepository } from "@/lib/discovery/repositories";

/** Security leads and admins: move the repository (and who sees its findings) to another team. */
export const POST = apiMutation(moveRepository, { input: withPathParams({ id: "repositoryId" }) });
