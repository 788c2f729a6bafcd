import { Fragment } from "react";
import { LocalTime } from "@/components/local-time";
import { Badge } from "@/components/ui/badge";
import type { IdentityDetail } from "@/lib/inventory/identity-detail";
import { CREDENTIAL_TYPE_LABELS } from "@/lib/inventory/labels";
import { RevokeCredentialButton, RotateCredentialForm } from "./credential-forms";
import type { ServerAction } from "./use-mutation-form";
import { TableFrame, TableHead } from "@/components/ui/table";

const th = "px-3 py-2 font-medium whitespace-nowrap";
const td = "px-3 py-1.5 align-top";
const COLUMNS = 11;

function When({ date, empty = "—" }: { date: Date | null; empty?: string }) {
  return date ? <LocalTime iso={date.toISOString()} /> : <span className="text-slate-500">{empty}</span>;
}

/** Metadata only: the secrets stay in their vaults. `rotate`/`revoke` are passed only to people who may manage them. */
export function CredentialsTable({
  credentials,
  rotate,
  revoke,
}: {
  credentials: IdentityDetail["credentials"];
  rotate?: ServerAction;
  revoke?: ServerAction;
}) {
  if (credentials.length === 0)
    return <p className="rounded-md border border-dashed border-slate-300 bg-white p-4 text-sm text-slate-600">No credentials recorded.</p>;
  const actions = Boolean(rotate && revoke);
  return (
    <TableFrame label="Credentials">
      <TableHead>
        <th scope="col" className={th}>
          Type
        </th>
        <th scope="col" className={th}>
          Label
        </th>
        <th scope="col" className={th}>
          Fingerprint
        </th>
        <th scope="col" className={th}>
          Age (days)
        </th>
        <th scope="col" className={th}>
          Issued
        </th>
        <th scope="col" className={th}>
          Expires
        </th>
        <th scope="col" className={th}>
          Last used
        </th>
        <th scope="col" className={th}>
          Last rotated
        </th>
        <th scope="col" className={th}>
          Rotation period
        </th>
        <th scope="col" className={th}>
          Vault path
        </th>
        <th scope="col" className={th}>
          Status
        </th>
      </TableHead>
      <tbody>
        {credentials.map((credential) => (
          <Fragment key={credential.id}>
            <tr data-testid="credential-row" className={actions && credential.status === "ACTIVE" ? "" : "border-b border-slate-100"}>
              <td className={td}>{CREDENTIAL_TYPE_LABELS[credential.type]}</td>
              <th scope="row" className={`${td} font-medium`}>
                {credential.label}
              </th>
              <td className={`${td} font-mono text-xs break-all`}>{credential.fingerprint}</td>
              <td className={`${td} tabular-nums`}>{credential.ageDays}</td>
              <td className={td}>
                <When date={credential.issuedAt} />
              </td>
              <td className={td}>
                <When date={credential.expiresAt} empty="never" />
              </td>
              <td className={td}>
                <When date={credential.lastUsedAt} empty="never" />
              </td>
              <td className={td}>
                <When date={credential.lastRotatedAt} />
              </td>
              <td className={`${td} tabular-nums`}>{credential.rotationPeriodDays ? `${credential.rotationPeriodDays} days` : "—"}</td>
              <td className={`${td} font-mono text-xs`}>{credential.vaultPath ?? "—"}</td>
              <td className={td}>
                {credential.status === "ACTIVE" ? (
                  <span className="flex flex-wrap gap-1">
                    <Badge tone="green">Active</Badge>
                    {credential.rotationRequiredAt ? (
                      // A change to the identity asked for a new secret (lib/reviews/change.ts); rotating clears it.
                      <span data-testid="rotation-required" title={`Flagged ${credential.rotationRequiredAt.toISOString().slice(0, 10)}`}>
                        <Badge tone="amber">rotate: {credential.rotationRequiredReason ?? "after a change"}</Badge>
                      </span>
                    ) : null}
                  </span>
                ) : (
                  <Badge>Revoked</Badge>
                )}
              </td>
            </tr>
            {actions && credential.status === "ACTIVE" ? (
              // The forms sit under their credential so the table stays readable.
              <tr className="border-b border-slate-100 bg-slate-50/60">
                <td colSpan={COLUMNS} className="px-3 pb-2">
                  <div className="flex flex-wrap items-end gap-4">
                    <RotateCredentialForm credentialId={credential.id} label={credential.label} action={rotate!} />
                    <RevokeCredentialButton credentialId={credential.id} label={credential.label} action={revoke!} />
                  </div>
                </td>
              </tr>
            ) : null}
          </Fragment>
        ))}
      </tbody>
    </TableFrame>
  );
}
