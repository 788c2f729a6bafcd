import { LocalTime } from "@/components/local-time";
import { Badge } from "@/components/ui/badge";
import type { IdentityDetail } from "@/lib/inventory/identity-detail";
import { ENVIRONMENT_LABELS, GRANT_MODE_LABELS, PERMISSION_LABELS, SENSITIVITY_LABELS } from "@/lib/inventory/labels";
import { RevokeGrantButton } from "./grant-forms";
import type { ServerAction } from "./use-mutation-form";
import { TableFrame, TableHead } from "@/components/ui/table";

const th = "px-3 py-2 font-medium";
const td = "px-3 py-1.5";

/** What the identity can reach. `revoke` is passed only to people who may change its access. */
export function GrantsTable({ grants, revoke }: { grants: IdentityDetail["grants"]; revoke?: ServerAction }) {
  if (grants.length === 0)
    return (
      <p className="rounded-md border border-dashed border-slate-300 bg-white p-4 text-sm text-slate-600">
        No grants: it can reach nothing through Warrant-recorded access.
      </p>
    );
  return (
    <TableFrame label="Grants">
      <TableHead>
        <th scope="col" className={th}>
          System
        </th>
        <th scope="col" className={th}>
          System environment
        </th>
        <th scope="col" className={th}>
          Sensitivity
        </th>
        <th scope="col" className={th}>
          Permission
        </th>
        <th scope="col" className={th}>
          Mode
        </th>
        <th scope="col" className={th}>
          Expires
        </th>
        <th scope="col" className={th}>
          Revoked
        </th>
        {revoke ? (
          <th scope="col" className={th}>
            <span className="sr-only">Actions</span>
          </th>
        ) : null}
      </TableHead>
      <tbody className="divide-y divide-slate-100">
        {grants.map((grant) => {
          const description = `${grant.permission.toLowerCase()} on ${grant.system.name}`;
          return (
            <tr key={grant.id} className={grant.live ? "" : "text-slate-500"} data-testid="grant-row">
              <th scope="row" className={`${td} font-medium`}>
                {grant.system.name}
              </th>
              <td className={td}>{ENVIRONMENT_LABELS[grant.system.environment]}</td>
              <td className={td}>
                <Badge
                  tone={
                    grant.system.sensitivity === "RESTRICTED" ? "red" : grant.system.sensitivity === "CONFIDENTIAL" ? "amber" : "neutral"
                  }
                >
                  {SENSITIVITY_LABELS[grant.system.sensitivity]}
                </Badge>
              </td>
              <td className={td}>{PERMISSION_LABELS[grant.permission]}</td>
              <td className={td}>{GRANT_MODE_LABELS[grant.mode]}</td>
              <td className={td}>{grant.expiresAt ? <LocalTime iso={grant.expiresAt.toISOString()} /> : "never"}</td>
              <td className={td}>{grant.revokedAt ? <LocalTime iso={grant.revokedAt.toISOString()} /> : grant.live ? "—" : "expired"}</td>
              {revoke ? (
                <td className={td}>
                  {grant.live ? <RevokeGrantButton grantId={grant.id} description={description} action={revoke} /> : null}
                </td>
              ) : null}
            </tr>
          );
        })}
      </tbody>
    </TableFrame>
  );
}
