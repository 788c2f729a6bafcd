"use client";

/** A UTC instant shown in the viewer's own time zone (the server renders UTC first). */
export function LocalTime({ iso }: { iso: string }) {
  const date = new Date(iso);
  const text =
    typeof window === "undefined"
      ? `${iso.slice(0, 16).replace("T", " ")} UTC`
      : date.toLocaleString(undefined, { dateStyle: "medium", timeStyle: "short" });
  return (
    <time dateTime={iso} suppressHydrationWarning>
      {text}
    </time>
  );
}
