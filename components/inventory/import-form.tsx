"use client";

import Link from "next/link";
import { useActionState, useState } from "react";
import { Badge, type BadgeTone } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { FieldError, FormMessage } from "@/components/ui/form-message";
import type { ActionState } from "@/lib/auth/action";
import type { ImportAction, ImportResult, ImportRowResult } from "@/lib/inventory/csv-import";
import { TableFrame, TableHead } from "@/components/ui/table";
import { JustificationField } from "./fields";

type Action = (state: ActionState, formData: FormData) => Promise<ActionState>;

const ACTION_TONE: Record<ImportAction, BadgeTone> = {
  create: "green",
  update: "blue",
  unchanged: "neutral",
  request: "amber",
  error: "red",
};

/** "line 3.ownerEmail" → rows keyed by line, as the refused import reports them. */
function rowsFromRefusal(fields: Record<string, string>): ImportRowResult[] {
  const byLine = new Map<number, ImportRowResult>();
  for (const [key, message] of Object.entries(fields)) {
    const match = key.match(/^line (\d+)\.(.+)$/);
    if (!match) continue;
    const line = Number(match[1]);
    const row = byLine.get(line) ?? { line, name: "", environment: "", action: "error" as const, errors: {} };
    row.errors![match[2]!] = message;
    byLine.set(line, row);
  }
  return [...byLine.values()].sort((a, b) => a.line - b.line);
}

export function ImportForm({ preview, commit }: { preview: Action; commit: Action }) {
  const [csv, setCsv] = useState("");
  const [justification, setJustification] = useState("");
  const [previewState, previewAction, previewing] = useActionState(preview, { status: "idle" });
  const [importState, importAction, importing] = useActionState(commit, { status: "idle" });

  const previewResult = previewState.status === "ok" ? (previewState.result as ImportResult | undefined) : undefined;
  const importResult = importState.status === "ok" ? (importState.result as ImportResult | undefined) : undefined;
  const refusedRows = importState.status === "error" && importState.fields ? rowsFromRefusal(importState.fields) : [];
  // What is shown is the answer to the button pressed last, so a preview after a refused import shows the preview.
  const [last, setLast] = useState<"preview" | "import">("preview");
  const shown = last === "import" ? importState : previewState;
  const rows = last === "import" ? (refusedRows.length > 0 ? refusedRows : (importResult?.rows ?? [])) : (previewResult?.rows ?? []);

  return (
    <div className="space-y-4">
      <form className="space-y-3 rounded-md border border-slate-200 bg-white p-3" aria-label="Import identities from CSV">
        <label className="block text-xs font-medium text-slate-700">
          CSV file
          <input
            type="file"
            accept=".csv,text/csv"
            className="mt-1 block text-sm"
            onChange={async (event) => setCsv((await event.target.files?.[0]?.text()) ?? "")}
          />
        </label>
        <label className="block text-xs font-medium text-slate-700">
          …or paste CSV
          <textarea
            name="csv"
            value={csv}
            onChange={(event) => setCsv(event.target.value)}
            rows={8}
            spellCheck={false}
            className="mt-1 block w-full rounded border border-slate-300 p-2 font-mono text-xs"
          />
        </label>
        <FieldError state={previewState} name="csv" />
        <JustificationField state={shown} className="max-w-xl" value={justification} onChange={setJustification} />
        <div className="flex items-center gap-3">
          <Button
            type="submit"
            variant="secondary"
            formAction={previewAction}
            onClick={() => setLast("preview")}
            disabled={previewing || importing || csv === ""}
          >
            Preview
          </Button>
          <Button
            type="submit"
            formAction={importAction}
            onClick={() => setLast("import")}
            disabled={previewing || importing || csv === ""}
          >
            Import
          </Button>
          <FormMessage state={shown} />
        </div>
      </form>

      {rows.length > 0 ? (
        <TableFrame label="Rows in the file">
          <TableHead>
            <th scope="col" className="px-3 py-2 font-medium">
              Line
            </th>
            <th scope="col" className="px-3 py-2 font-medium">
              Name
            </th>
            <th scope="col" className="px-3 py-2 font-medium">
              Environment
            </th>
            <th scope="col" className="px-3 py-2 font-medium">
              Result
            </th>
            <th scope="col" className="px-3 py-2 font-medium">
              Details
            </th>
          </TableHead>
          <tbody className="divide-y divide-slate-100">
            {rows.map((row) => (
              <tr key={row.line} data-testid={`import-line-${row.line}`}>
                <td className="px-3 py-1.5 tabular-nums">{row.line}</td>
                <td className="px-3 py-1.5">{row.name}</td>
                <td className="px-3 py-1.5">{row.environment}</td>
                <td className="px-3 py-1.5">
                  <Badge tone={ACTION_TONE[row.action]}>{row.action}</Badge>
                </td>
                <td className="px-3 py-1.5">
                  {row.approval ? <ApprovalNote approval={row.approval} /> : null}
                  {Object.entries(row.errors ?? {}).map(([column, message]) => (
                    <div key={column} className="text-red-700">
                      <span className="font-mono text-xs">{column}</span>: {message}
                    </div>
                  ))}
                </td>
              </tr>
            ))}
          </tbody>
        </TableFrame>
      ) : null}
    </div>
  );
}

/** A row that needs approval: the request it became (or, in a preview, would become). */
function ApprovalNote({ approval }: { approval: NonNullable<ImportRowResult["approval"]> }) {
  const text = approval.alreadyPending ? "Already waiting for approval" : approval.id ? "Sent for approval" : "Will be sent for approval";
  return (
    <div className="text-amber-800">
      {text}: {approval.summary}
      {approval.id ? (
        <>
          {" "}
          <Link href={`/approvals/${approval.id}`} className="text-sky-700 hover:underline">
            Open the request
          </Link>
        </>
      ) : null}
    </div>
  );
}
