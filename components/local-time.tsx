"use client";

import { useSyncExternalStore } from "react";

const subscribe = () => () => undefined;

/**
 * A UTC instant shown in the viewer's own time zone. The server cannot know
 * that zone, so it renders UTC; the browser swaps in local time on hydration.
 */
export function LocalTime({ iso }: { iso: string }) {
  const text = useSyncExternalStore(
    subscribe,
    () => new Date(iso).toLocaleString(undefined, { dateStyle: "medium", timeStyle: "short" }),
    () => `${iso.slice(0, 16).replace("T", " ")} UTC`,
  );
  return <time dateTime={iso}>{text}</time>;
}
