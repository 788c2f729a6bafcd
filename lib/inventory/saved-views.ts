import { z } from "zod";
import type { Actor } from "@/lib/auth/actor";
import { defineMutation } from "@/lib/auth/mutation";
import type { Db } from "@/lib/db/client";
import { AppError, notFound } from "@/lib/errors";
import { requiredText } from "@/lib/validation/inventory";
import { actorUserId, isInventoryManager } from "./access";
import { parseInventoryQuery } from "./query";

// A saved view is a name for an inventory query string, so opening one is
// just following a link. Everyone keeps views of their own; security leads
// and admins may share one with everybody (and so may remove shared ones).

/** Params that describe a position in the results, not the view: a saved view opens on page 1. */
const POSITION_PARAMS = ["page"];

/** "?status=ACTIVE&page=3" → "status=ACTIVE": what a saved view stores and links to. */
export function toSavedViewQuery(queryString: string): string {
  const params = new URLSearchParams(queryString.trim().replace(/^\?/, ""));
  for (const name of POSITION_PARAMS) params.delete(name);
  return params.toString();
}

const checkbox = z.preprocess(
  (value) => (value === undefined || value === "" ? false : value),
  z.union(
    [z.boolean(), z.enum(["on", "true", "1", "false", "0"]).transform((value) => value === "on" || value === "true" || value === "1")],
    {
      message: "must be true or false",
    },
  ),
);

export const createSavedViewInput = z.object({
  name: requiredText(80),
  query: z.preprocess((value) => (value === undefined ? "" : value), z.string().max(2000, { message: "must be at most 2000 characters" })),
  shared: checkbox,
});

export const savedViewIdInput = z.object({ savedViewId: z.string({ message: "is required" }).trim().min(1, { message: "is required" }) });

function requireUser(actor: Actor, what: string): string {
  const userId = actorUserId(actor);
  // Views belong to people; Warrant itself (CLI, jobs) has no inventory page to save them for.
  if (!userId) throw new AppError("bad_request", `Only people can ${what}.`);
  return userId;
}

export const createSavedView = defineMutation({
  name: "saved-views.create",
  description: "save inventory views",
  permission: "inventory:write",
  input: createSavedViewInput,
  async run({ tx, actor, audit }, input) {
    const ownerId = requireUser(actor, "save views");
    if (input.shared && !isInventoryManager(actor)) {
      throw new AppError("forbidden", "Only security leads and admins may share a view with everyone; save it for yourself instead.", {
        shared: "only security leads and admins may share views",
      });
    }
    const query = toSavedViewQuery(input.query);
    try {
      parseInventoryQuery(new URLSearchParams(query));
    } catch (error) {
      // Refuse a view that would open on an error: name the bad filter inside the query.
      const fields = error instanceof AppError ? error.fields : undefined;
      const detail = fields
        ? Object.entries(fields)
            .map(([field, message]) => `${field} ${message}`)
            .join("; ")
        : "is not a valid inventory query";
      throw new AppError("validation_failed", `The view's filters are not valid: ${detail}.`, { query: detail });
    }
    if (await tx.savedView.findUnique({ where: { ownerId_name: { ownerId, name: input.name } } })) {
      throw new AppError("conflict", `You already have a view named ${input.name}.`, { name: "is already used by one of your views" });
    }
    const view = await tx.savedView.create({ data: { name: input.name, query, shared: input.shared, ownerId } });
    await audit({
      action: "saved_view.created",
      targetType: "saved_view",
      targetId: view.id,
      data: { name: view.name, query, shared: view.shared },
    });
    return view;
  },
});

export const deleteSavedView = defineMutation({
  name: "saved-views.delete",
  description: "delete inventory views",
  permission: "inventory:write",
  input: savedViewIdInput,
  async run({ tx, actor, audit }, { savedViewId }) {
    const userId = requireUser(actor, "delete views");
    const view = await tx.savedView.findUnique({ where: { id: savedViewId } });
    // Someone else's private view is reported missing, not forbidden: its existence is theirs.
    if (!view || (view.ownerId !== userId && !view.shared)) throw notFound("That saved view");
    if (view.ownerId !== userId && !isInventoryManager(actor)) {
      throw new AppError("forbidden", "Only security leads and admins may delete a view someone else shared.");
    }
    await tx.savedView.delete({ where: { id: savedViewId } });
    await audit({
      action: "saved_view.deleted",
      targetType: "saved_view",
      targetId: view.id,
      data: { name: view.name, query: view.query, shared: view.shared, ownerId: view.ownerId },
    });
    return view;
  },
});

export interface SavedViewListItem {
  id: string;
  name: string;
  query: string;
  shared: boolean;
  ownerName: string;
  /** Whether this actor may delete it. */
  deletable: boolean;
  mine: boolean;
}

/** The actor's own views and every shared one, own first, then by name. */
export async function listSavedViews(db: Db, actor: Actor): Promise<SavedViewListItem[]> {
  const userId = actorUserId(actor);
  const views = await db.savedView.findMany({
    where: userId ? { OR: [{ ownerId: userId }, { shared: true }] } : { shared: true },
    orderBy: [{ name: "asc" }, { id: "asc" }],
    select: { id: true, name: true, query: true, shared: true, ownerId: true, owner: { select: { name: true, email: true } } },
  });
  const manager = isInventoryManager(actor);
  return views
    .map((view) => ({
      id: view.id,
      name: view.name,
      query: view.query,
      shared: view.shared,
      ownerName: view.owner.name ?? view.owner.email,
      mine: view.ownerId === userId,
      deletable: view.ownerId === userId || (view.shared && manager),
    }))
    .sort((a, b) => Number(b.mine) - Number(a.mine));
}

/** The view of that name the actor may open (their own first, then a shared one), for the CLI; a 404 naming the field otherwise. */
export async function findSavedViewByName(db: Db, actor: Actor, name: string): Promise<SavedViewListItem> {
  const view = (await listSavedViews(db, actor)).find((candidate) => candidate.name === name);
  if (!view)
    throw new AppError("not_found", `No saved view named ${name} is yours or shared.`, {
      view: "is not one of your views or a shared one",
    });
  return view;
}
