import { defineMutation } from "@/lib/auth/mutation";
import { AppError, notFound, validationError } from "@/lib/errors";
import { moveRepositoryInput } from "@/lib/validation/discovery";
import { assertMayMoveRepositories } from "./access";

// A scanned repository's team decides who sees its findings besides security
// leads, admins and auditors (lib/discovery/access.ts). A scan names it when it
// first sees the repository; a security lead or admin moves it here when that
// was wrong or the repository changed hands. Later scans keep it unless a
// security lead's or admin's scan names another (lib/discovery/ingest.ts).

export const moveRepository = defineMutation({
  name: "discovery.move-repository",
  description: "move scanned repositories to another team",
  permission: "inventory:write",
  input: moveRepositoryInput,
  async run({ tx, actor, audit }, input) {
    assertMayMoveRepositories(actor);
    // Locked, with the team it is in: a scan naming a team at the same moment must not undo the move unseen.
    const [repository] = await tx.$queryRaw<
      { id: string; name: string; environment: string; teamId: string | null; teamName: string | null }[]
    >`
      SELECT r."id", r."name", r."environment"::text AS "environment", r."teamId", t."name" AS "teamName"
      FROM "DiscoveryRepository" r LEFT JOIN "Team" t ON t."id" = r."teamId"
      WHERE r."id" = ${input.repositoryId} FOR UPDATE OF r`;
    if (!repository) throw notFound("That repository");
    const team = await tx.team.findUnique({ where: { id: input.teamId }, select: { id: true, name: true } });
    if (!team) throw validationError({ teamId: "must be an existing team" });
    if (repository.teamId === team.id) {
      throw new AppError("conflict", `${repository.name} already belongs to ${team.name}.`, { teamId: `is already the repository's team` });
    }
    await tx.discoveryRepository.update({ where: { id: repository.id }, data: { teamId: team.id } });
    await audit({
      action: "discovery.repository_moved",
      targetType: "discovery_repository",
      targetId: repository.id,
      data: {
        repository: repository.name,
        environment: repository.environment,
        fromTeam: repository.teamName,
        toTeam: team.name,
        reason: input.reason,
      },
    });
    return { repositoryId: repository.id, repository: repository.name, environment: repository.environment, team };
  },
});
