import Link from "next/link";
import { CampaignStatusBadge, ProgressBar } from "@/components/campaigns/campaign-parts";
import { PageHeader } from "@/components/ui/page-header";
import { TableFrame, TableHead } from "@/components/ui/table";
import { can } from "@/lib/auth/actor";
import { requirePermission } from "@/lib/auth/session";
import { listCampaigns } from "@/lib/campaigns/queries";
import { prisma } from "@/lib/db/client";

export const metadata = { title: "Campaigns" };

export default async function Page() {
  const actor = await requirePermission("inventory:read");
  const campaigns = await listCampaigns(prisma);
  return (
    <>
      <PageHeader
        title="Review campaigns"
        description="A security lead asks the owners of every identity matching a filter to review it by one date."
        actions={
          can(actor, "lifecycle:configure") ? (
            <Link href="/campaigns/new" className="rounded bg-slate-900 px-2.5 py-1 text-sm font-medium text-white hover:bg-slate-700">
              Start a campaign
            </Link>
          ) : null
        }
      />
      <TableFrame label="Review campaigns" empty={campaigns.length === 0 ? "No campaign has been started yet." : undefined}>
        <TableHead>
          {["Name", "Status", "Due", "Progress", "Created by"].map((label) => (
            <th key={label} scope="col" className="px-3 py-2 font-medium">
              {label}
            </th>
          ))}
        </TableHead>
        <tbody className="divide-y divide-slate-100">
          {campaigns.map((campaign) => (
            <tr key={campaign.id} data-testid="campaign-row">
              <td className="px-3 py-1.5">
                <Link href={`/campaigns/${campaign.id}`} className="font-medium text-sky-700 hover:underline">
                  {campaign.name}
                </Link>
                {campaign.savedViewName ? <span className="block text-xs text-slate-600">View: {campaign.savedViewName}</span> : null}
              </td>
              <td className="px-3 py-1.5">
                <CampaignStatusBadge status={campaign.status} />
              </td>
              <td className="px-3 py-1.5 text-xs whitespace-nowrap">{campaign.dueAt.toISOString().slice(0, 10)}</td>
              <td className="px-3 py-1.5">
                <ProgressBar progress={campaign.progress} />
              </td>
              <td className="px-3 py-1.5 text-xs">{campaign.createdBy}</td>
            </tr>
          ))}
        </tbody>
      </TableFrame>
    </>
  );
}
