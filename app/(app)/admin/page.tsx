import Link from "next/link";
import { CreateApiTokenForm, RevokeApiTokenButton } from "@/components/admin/api-token-forms";
import { CreateUserForm } from "@/components/admin/create-user-form";
import { UserActiveToggle, UserRoleForm } from "@/components/admin/user-row-actions";
import { LocalTime } from "@/components/local-time";
import { Badge } from "@/components/ui/badge";
import { PageHeader } from "@/components/ui/page-header";
import { can } from "@/lib/auth/actor";
import { ROLE_LABELS } from "@/lib/auth/permissions";
import { requireActor } from "@/lib/auth/session";
import { prisma } from "@/lib/db/client";
import { listApiTokensOf, listLiveApiTokens, listUsers } from "@/lib/users/queries";
import { TableFrame, TableHead } from "@/components/ui/table";
import {
  createApiTokenAction,
  createUserAction,
  deactivateUserAction,
  reactivateUserAction,
  revokeApiTokenAction,
  setUserRolesAction,
} from "./actions";

export const metadata = { title: "Admin" };

/** A token's state as authentication decides it (lib/auth/api-tokens.ts apiTokenStateLabel). */
function TokenState({ state }: { state: string }) {
  return <Badge tone={state === "Active" ? "green" : state.startsWith("Stopped") ? "amber" : "neutral"}>{state}</Badge>;
}

export default async function AdminPage() {
  const actor = await requireActor();
  const mayManageUsers = can(actor, "users:manage");
  const mayReadUsers = can(actor, "users:read");
  const mayManageTokens = can(actor, "tokens:manage-own");
  const mayRevokeAnyToken = can(actor, "tokens:revoke-any");
  const mayManageNotifications = can(actor, "notifications:manage");
  const [users, tokens, everyonesTokens] = await Promise.all([
    mayReadUsers ? listUsers(prisma) : Promise.resolve([]),
    mayManageTokens ? listApiTokensOf(prisma, actor.userId) : Promise.resolve([]),
    mayRevokeAnyToken ? listLiveApiTokens(prisma) : Promise.resolve([]),
  ]);

  return (
    <>
      <PageHeader title="Admin" description="People, roles and API tokens." />
      {mayManageNotifications ? (
        <p className="mb-6 text-sm">
          <Link href="/admin/notifications" className="text-sky-700 hover:underline">
            Notifications: the outbox and webhooks →
          </Link>
        </p>
      ) : null}
      {mayReadUsers ? (
        <section aria-labelledby="users-heading" className="mb-8 space-y-3">
          <h2 id="users-heading" className="text-sm font-semibold text-slate-700">
            Users and roles
          </h2>
          {mayManageUsers ? <CreateUserForm action={createUserAction} /> : null}
          <TableFrame>
            <TableHead>
              <th scope="col" className="px-3 py-2 font-medium">
                Name
              </th>
              <th scope="col" className="px-3 py-2 font-medium">
                Email
              </th>
              <th scope="col" className="px-3 py-2 font-medium">
                Team
              </th>
              <th scope="col" className="px-3 py-2 font-medium">
                Status
              </th>
              <th scope="col" className="px-3 py-2 font-medium">
                Roles
              </th>
              {mayManageUsers ? (
                <th scope="col" className="px-3 py-2 font-medium">
                  <span className="sr-only">Actions</span>
                </th>
              ) : null}
            </TableHead>
            <tbody className="divide-y divide-slate-100">
              {users.map((user) => (
                <tr key={user.id} data-testid={`user-row-${user.email}`}>
                  <td className="px-3 py-1.5">{user.name}</td>
                  <td className="px-3 py-1.5 text-slate-600">{user.email}</td>
                  <td className="px-3 py-1.5 text-slate-600">{user.team?.name ?? "—"}</td>
                  <td className="px-3 py-1.5">{user.active ? <Badge tone="green">Active</Badge> : <Badge>Deactivated</Badge>}</td>
                  <td className="px-3 py-1.5">
                    {mayManageUsers ? (
                      <UserRoleForm userId={user.id} email={user.email} roles={user.roles} action={setUserRolesAction} />
                    ) : (
                      <span className="flex gap-1">
                        {user.roles.length === 0 ? (
                          <span className="text-slate-500">Owner only</span>
                        ) : (
                          user.roles.map((role) => (
                            <Badge key={role} tone="blue">
                              {ROLE_LABELS[role]}
                            </Badge>
                          ))
                        )}
                      </span>
                    )}
                  </td>
                  {mayManageUsers ? (
                    <td className="px-3 py-1.5">
                      {user.id === actor.userId ? null : (
                        <UserActiveToggle
                          userId={user.id}
                          email={user.email}
                          active={user.active}
                          deactivate={deactivateUserAction}
                          reactivate={reactivateUserAction}
                        />
                      )}
                    </td>
                  ) : null}
                </tr>
              ))}
            </tbody>
          </TableFrame>
        </section>
      ) : null}

      {mayManageTokens ? (
        <section aria-labelledby="tokens-heading" className="space-y-3">
          <h2 id="tokens-heading" className="text-sm font-semibold text-slate-700">
            Your API tokens
          </h2>
          <p className="text-xs text-slate-600">
            Tokens act for you through the API with no more than your roles allow, limited by their scopes. They are stored hashed and shown
            once.
          </p>
          <CreateApiTokenForm action={createApiTokenAction} />
          {tokens.length > 0 ? (
            <TableFrame>
              <TableHead>
                <th scope="col" className="px-3 py-2 font-medium">
                  Name
                </th>
                <th scope="col" className="px-3 py-2 font-medium">
                  Token
                </th>
                <th scope="col" className="px-3 py-2 font-medium">
                  Scopes
                </th>
                <th scope="col" className="px-3 py-2 font-medium">
                  Expires
                </th>
                <th scope="col" className="px-3 py-2 font-medium">
                  Last used
                </th>
                <th scope="col" className="px-3 py-2 font-medium">
                  State
                </th>
                <th scope="col" className="px-3 py-2 font-medium">
                  <span className="sr-only">Actions</span>
                </th>
              </TableHead>
              <tbody className="divide-y divide-slate-100">
                {tokens.map((token) => (
                  <tr key={token.id}>
                    <td className="px-3 py-1.5">{token.name}</td>
                    <td className="px-3 py-1.5 font-mono text-xs">{token.prefix}…</td>
                    <td className="px-3 py-1.5 text-xs">{token.scopes.join(", ").toLowerCase()}</td>
                    <td className="px-3 py-1.5">
                      <LocalTime iso={token.expiresAt.toISOString()} />
                    </td>
                    <td className="px-3 py-1.5">{token.lastUsedAt ? <LocalTime iso={token.lastUsedAt.toISOString()} /> : "never"}</td>
                    <td className="px-3 py-1.5">
                      <TokenState state={token.state} />
                    </td>
                    <td className="px-3 py-1.5">
                      {token.revokedAt ? null : <RevokeApiTokenButton tokenId={token.id} name={token.name} action={revokeApiTokenAction} />}
                    </td>
                  </tr>
                ))}
              </tbody>
            </TableFrame>
          ) : null}
        </section>
      ) : (
        <p className="text-sm text-slate-600">
          Auditors can read everything and change nothing, so they hold no API tokens for changes. An admin can issue you a read-only API
          token with `npm run cli -- tokens:create`.
        </p>
      )}
      {mayRevokeAnyToken ? (
        <section aria-labelledby="all-tokens-heading" className="mt-8 space-y-3">
          <h2 id="all-tokens-heading" className="text-sm font-semibold text-slate-700">
            Everyone&apos;s API tokens
          </h2>
          <p className="text-xs text-slate-600">
            Unrevoked, unexpired tokens of every person. Revoking one stops it for good and retires its identity in the inventory;
            suspending that identity stops it until the identity is reactivated.
          </p>
          {everyonesTokens.length > 0 ? (
            <TableFrame>
              <TableHead>
                <th scope="col" className="px-3 py-2 font-medium">
                  Owner
                </th>
                <th scope="col" className="px-3 py-2 font-medium">
                  Name
                </th>
                <th scope="col" className="px-3 py-2 font-medium">
                  Token
                </th>
                <th scope="col" className="px-3 py-2 font-medium">
                  Scopes
                </th>
                <th scope="col" className="px-3 py-2 font-medium">
                  Expires
                </th>
                <th scope="col" className="px-3 py-2 font-medium">
                  Last used
                </th>
                <th scope="col" className="px-3 py-2 font-medium">
                  State
                </th>
                <th scope="col" className="px-3 py-2 font-medium">
                  <span className="sr-only">Actions</span>
                </th>
              </TableHead>
              <tbody className="divide-y divide-slate-100">
                {everyonesTokens.map((token) => (
                  <tr key={token.id} data-testid={`any-token-${token.prefix}`}>
                    <td className="px-3 py-1.5 text-slate-600">{token.user.email}</td>
                    <td className="px-3 py-1.5">
                      {token.identityId ? (
                        <a className="underline" href={`/inventory/${token.identityId}`}>
                          {token.name}
                        </a>
                      ) : (
                        token.name
                      )}
                    </td>
                    <td className="px-3 py-1.5 font-mono text-xs">{token.prefix}…</td>
                    <td className="px-3 py-1.5 text-xs">{token.scopes.join(", ").toLowerCase()}</td>
                    <td className="px-3 py-1.5">
                      <LocalTime iso={token.expiresAt.toISOString()} />
                    </td>
                    <td className="px-3 py-1.5">{token.lastUsedAt ? <LocalTime iso={token.lastUsedAt.toISOString()} /> : "never"}</td>
                    <td className="px-3 py-1.5">
                      <TokenState state={token.state} />
                    </td>
                    <td className="px-3 py-1.5">
                      <RevokeApiTokenButton
                        tokenId={token.id}
                        name={`${token.name} of ${token.user.email}`}
                        action={revokeApiTokenAction}
                      />
                    </td>
                  </tr>
                ))}
              </tbody>
            </TableFrame>
          ) : (
            <p className="text-sm text-slate-600">No live API tokens.</p>
          )}
        </section>
      ) : null}
    </>
  );
}
