import Link from "next/link";
import { CreateWebhookForm, IdActionButton } from "@/components/admin/notification-forms";
import { LocalTime } from "@/components/local-time";
import { Badge, type BadgeTone } from "@/components/ui/badge";
import { PageHeader } from "@/components/ui/page-header";
import { TableFrame, TableHead } from "@/components/ui/table";
import { requirePermission } from "@/lib/auth/session";
import { prisma } from "@/lib/db/client";
import type { NotificationStatus } from "@/lib/db/generated/enums";
import { notificationSettings } from "@/lib/env";
import { messageText } from "@/lib/notifications/format";
import { countOutboxByStatus, findOutboxMessage, listOutbox, listWebhooks, parseOutboxStatus } from "@/lib/notifications/queries";
import { createWebhookAction, deactivateWebhookAction, deleteWebhookAction, retryNotificationAction } from "./actions";

export const metadata = { title: "Notifications" };

const STATUS_TONES: Record<NotificationStatus, BadgeTone> = { PENDING: "amber", SENDING: "blue", SENT: "green", FAILED: "red" };

function outboxHref(params: { status?: string; cursor?: string; message?: string }): string {
  const query = new URLSearchParams(Object.entries(params).filter((entry): entry is [string, string] => Boolean(entry[1])));
  return `/admin/notifications${query.size > 0 ? `?${query}` : ""}`;
}

export default async function NotificationsPage({
  searchParams,
}: {
  searchParams: Promise<{ status?: string; cursor?: string; message?: string }>;
}) {
  await requirePermission("notifications:manage");
  const raw = await searchParams;
  // Ids are cuids; anything else (a NUL, a megabyte) is dropped rather than sent to the database.
  const id = (value: string | undefined) => (value && /^[a-z0-9]{1,40}$/i.test(value) ? value : undefined);
  const params = { cursor: id(raw.cursor), message: id(raw.message) };
  const status = parseOutboxStatus(raw.status);
  const { smtp, baseUrl } = notificationSettings();
  const [page, counts, webhooks, opened] = await Promise.all([
    listOutbox(prisma, { status, cursor: params.cursor }),
    countOutboxByStatus(prisma),
    listWebhooks(prisma),
    params.message ? findOutboxMessage(prisma, params.message) : Promise.resolve(null),
  ]);

  return (
    <>
      <PageHeader
        title="Notifications"
        description="Email and webhook messages Warrant sends (approvals, reviews, expiry), and the webhooks that receive them."
      />
      {smtp ? null : (
        <p className="mb-4 rounded border border-amber-300 bg-amber-50 p-2 text-sm text-amber-900" role="note">
          No SMTP server is configured (SMTP_URL and SMTP_FROM), so email is not sent: it waits below as pending, where you can read it.
          Webhooks are sent.
        </p>
      )}

      {opened ? (
        <section aria-labelledby="message-heading" className="mb-8 space-y-2 rounded-md border border-slate-200 bg-white p-3">
          <div className="flex items-center justify-between">
            <h2 id="message-heading" className="text-sm font-semibold">
              {opened.subject}
            </h2>
            <Link href={outboxHref({ status, cursor: params.cursor })} className="text-sm text-sky-700 hover:underline">
              Close
            </Link>
          </div>
          <p className="text-xs text-slate-600">
            {opened.channel === "EMAIL" ? "Email to" : "Webhook"} {opened.recipient} · {opened.event} ·{" "}
            <Badge tone={STATUS_TONES[opened.status]}>{opened.status.toLowerCase()}</Badge> · message id{" "}
            <span className="font-mono">{opened.id}</span>
          </p>
          <pre className="rounded bg-slate-50 p-2 text-sm whitespace-pre-wrap" data-testid="message-body">
            {messageText(opened, baseUrl)}
          </pre>
          {opened.channel === "WEBHOOK" ? (
            <pre className="rounded bg-slate-50 p-2 text-xs whitespace-pre-wrap">{JSON.stringify(opened.payload, null, 2)}</pre>
          ) : null}
        </section>
      ) : params.message ? (
        <p className="mb-4 text-sm text-red-700" role="alert">
          That message was not found.
        </p>
      ) : null}

      <section aria-labelledby="outbox-heading" className="mb-8 space-y-3">
        <h2 id="outbox-heading" className="text-sm font-semibold text-slate-700">
          Outbox
        </h2>
        <nav aria-label="Filter by status" className="flex gap-3 text-sm">
          <Link href={outboxHref({})} className={status ? "text-sky-700 hover:underline" : "font-semibold"}>
            All
          </Link>
          {(Object.keys(counts) as NotificationStatus[]).map((value) => (
            <Link
              key={value}
              href={outboxHref({ status: value })}
              className={status === value ? "font-semibold" : "text-sky-700 hover:underline"}
            >
              {value.toLowerCase()} ({counts[value]})
            </Link>
          ))}
        </nav>
        <TableFrame label="Outbox" empty={page.rows.length === 0 ? "No messages." : undefined}>
          <TableHead>
            <th scope="col" className="px-3 py-2 font-medium">
              Created
            </th>
            <th scope="col" className="px-3 py-2 font-medium">
              Status
            </th>
            <th scope="col" className="px-3 py-2 font-medium">
              Channel
            </th>
            <th scope="col" className="px-3 py-2 font-medium">
              Recipient
            </th>
            <th scope="col" className="px-3 py-2 font-medium">
              Subject
            </th>
            <th scope="col" className="px-3 py-2 font-medium">
              Attempts
            </th>
            <th scope="col" className="px-3 py-2 font-medium">
              Last error
            </th>
            <th scope="col" className="px-3 py-2 font-medium">
              Sent
            </th>
            <th scope="col" className="px-3 py-2 font-medium">
              <span className="sr-only">Actions</span>
            </th>
          </TableHead>
          <tbody className="divide-y divide-slate-100">
            {page.rows.map((message) => (
              <tr key={message.id} data-testid={`outbox-${message.id}`}>
                <td className="px-3 py-1.5 whitespace-nowrap">
                  <LocalTime iso={message.createdAt.toISOString()} />
                </td>
                <td className="px-3 py-1.5">
                  <Badge tone={STATUS_TONES[message.status]}>{message.status.toLowerCase()}</Badge>
                </td>
                <td className="px-3 py-1.5 text-xs">{message.channel.toLowerCase()}</td>
                <td className="px-3 py-1.5 text-slate-600">{message.recipient}</td>
                <td className="px-3 py-1.5">
                  <Link href={outboxHref({ status, cursor: params.cursor, message: message.id })} className="text-sky-700 hover:underline">
                    {message.subject}
                  </Link>
                  <span className="block font-mono text-xs text-slate-500">{message.event}</span>
                </td>
                <td className="px-3 py-1.5 tabular-nums">{message.attempts}</td>
                <td className="max-w-xs px-3 py-1.5 text-xs text-red-700">{message.lastError ?? ""}</td>
                <td className="px-3 py-1.5 whitespace-nowrap">{message.sentAt ? <LocalTime iso={message.sentAt.toISOString()} /> : "—"}</td>
                <td className="px-3 py-1.5">
                  {message.status === "FAILED" ? (
                    <IdActionButton
                      action={retryNotificationAction}
                      field="messageId"
                      id={message.id}
                      label="Retry"
                      what={`Retry ${message.subject} to ${message.recipient}`}
                    />
                  ) : null}
                </td>
              </tr>
            ))}
          </tbody>
        </TableFrame>
        {page.nextCursor ? (
          <Link href={outboxHref({ status, cursor: page.nextCursor })} className="inline-block text-sm text-sky-700 hover:underline">
            Older messages →
          </Link>
        ) : null}
      </section>

      <section aria-labelledby="webhooks-heading" className="space-y-3">
        <h2 id="webhooks-heading" className="text-sm font-semibold text-slate-700">
          Webhooks
        </h2>
        <p className="text-xs text-slate-600">
          Each message is POSTed as JSON with <code>X-Warrant-Signature: sha256=…</code> (HMAC-SHA256 of the body with the webhook&apos;s
          secret, shown once when you add it) and <code>X-Warrant-Delivery</code>, the message id, which stays the same when a message is
          sent again.
        </p>
        <CreateWebhookForm action={createWebhookAction} />
        <TableFrame label="Webhooks" empty={webhooks.length === 0 ? "No webhooks." : undefined}>
          <TableHead>
            <th scope="col" className="px-3 py-2 font-medium">
              Name
            </th>
            <th scope="col" className="px-3 py-2 font-medium">
              URL
            </th>
            <th scope="col" className="px-3 py-2 font-medium">
              Format
            </th>
            <th scope="col" className="px-3 py-2 font-medium">
              Events
            </th>
            <th scope="col" className="px-3 py-2 font-medium">
              State
            </th>
            <th scope="col" className="px-3 py-2 font-medium">
              Added
            </th>
            <th scope="col" className="px-3 py-2 font-medium">
              <span className="sr-only">Actions</span>
            </th>
          </TableHead>
          <tbody className="divide-y divide-slate-100">
            {webhooks.map((webhook) => (
              <tr key={webhook.id} data-testid={`webhook-${webhook.name}`}>
                <td className="px-3 py-1.5">{webhook.name}</td>
                <td className="px-3 py-1.5 font-mono text-xs break-all">{webhook.url}</td>
                <td className="px-3 py-1.5 text-xs">{webhook.format.toLowerCase()}</td>
                <td className="px-3 py-1.5 font-mono text-xs">{webhook.events.length > 0 ? webhook.events.join(", ") : "all"}</td>
                <td className="px-3 py-1.5">{webhook.active ? <Badge tone="green">Active</Badge> : <Badge>Inactive</Badge>}</td>
                <td className="px-3 py-1.5 text-xs whitespace-nowrap">
                  <LocalTime iso={webhook.createdAt.toISOString()} />
                  {webhook.createdBy ? <span className="block text-slate-500">{webhook.createdBy.email}</span> : null}
                </td>
                <td className="flex gap-2 px-3 py-1.5">
                  {webhook.active ? (
                    <IdActionButton
                      action={deactivateWebhookAction}
                      field="webhookId"
                      id={webhook.id}
                      label="Deactivate"
                      what={`Deactivate ${webhook.name}`}
                    />
                  ) : null}
                  <IdActionButton
                    action={deleteWebhookAction}
                    field="webhookId"
                    id={webhook.id}
                    label="Delete"
                    what={`Delete ${webhook.name}`}
                    variant="danger"
                  />
                </td>
              </tr>
            ))}
          </tbody>
        </TableFrame>
      </section>
    </>
  );
}
